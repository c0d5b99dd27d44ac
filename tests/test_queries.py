"""Saved queries: documented headers, answers that match the seed, and parameters that stay data."""

import shlex
from collections import Counter

import pytest
from rdflib import Literal

from ccgraph.errors import CcgraphError
from ccgraph.graph.convert import to_python
from ccgraph.query.saved import prepare, query_from_file, run, run_rdflib, saved_queries

import seed_eskills
import seed_functional_map

ORIGIN_LABELS = {
    "Import": "Imported",
    "Tailored": "Tailored",
    "New NOS based on existing NOS": "New, based on existing NOS",
    "New NOS": "New",
    "Awaiting approval from UKCES": "Awaiting approval",
}


@pytest.fixture(scope="module")
def registry(project):
    return saved_queries(project.queries_dir)


@pytest.fixture(scope="module")
def seed(seeds_dir):
    return seed_functional_map.read(seeds_dir)


def rows(store, registry, name, resolve=False, **params):
    """A saved query's rows through the store, every value as text (None where unbound)."""
    return [tuple(None if v is None else str(to_python(v)) for v in row) for row in run(store, registry[name], params, resolve=resolve)]


def test_every_saved_query_is_documented(registry):
    required = {"functional-map-tree", "nos-by-origin-type", "nos-by-body", "functions-by-body", "nos-lineage"}
    assert required <= set(registry)
    for query in registry.values():
        assert query.title and query.description, query.name
        assert query.examples, f"{query.name} has no '# example:' line"
        for parameter in query.parameters:
            assert parameter.description, f"{query.name}: parameter {parameter.name} is undocumented"
            assert f"?{parameter.name}" in query.text, f"{query.name}: ?{parameter.name} is not used"


def test_every_example_runs_and_answers(store, registry):
    """As the command runs them: entity parameters resolved in the store."""
    for query in registry.values():
        for example in query.examples:
            words = shlex.split(example)
            assert words[:3] == ["ccgraph", "query", query.name], example
            params = dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}
            assert rows(store, registry, query.name, resolve=True, **params), f"example gives no rows: {example}"


def test_tree_has_one_row_per_standard(store, registry, seed):
    tree = rows(store, registry, "functional-map-tree")
    assert [r[6] for r in tree] == sorted(seed.standards)
    for key_area, _, area, _, function, _, nos, title in tree:
        expected = seed.standards[nos]
        assert (key_area, area, function, title) == (expected.key_area, expected.area, expected.function, expected.title)


@pytest.mark.parametrize("key_area", ["A", "B", "C", "D"])
def test_tree_of_one_key_area(store, registry, seed, key_area):
    tree = rows(store, registry, "functional-map-tree", keyArea=key_area)
    assert sorted(r[6] for r in tree) == sorted(c for c, s in seed.standards.items() if s.key_area == key_area)


def test_counts_per_key_area_match_the_seed(store, registry, seed):
    counted = {r[0]: (int(r[2]), int(r[3]), int(r[4])) for r in rows(store, registry, "nos-count-by-key-area")}
    expected = {
        ka: (
            sum(1 for _, k in seed.areas.values() if k == ka),
            sum(1 for _, a in seed.functions.values() if a[0] == ka),
            sum(1 for s in seed.standards.values() if s.key_area == ka),
        )
        for ka in seed.key_area_headings
    }
    assert counted == expected


def test_counts_per_origin_type_match_the_seed(store, registry, seed):
    counted = {r[1]: int(r[2]) for r in rows(store, registry, "nos-count-by-origin-type")}
    expected = Counter(ORIGIN_LABELS[s.origin] for s in seed.standards.values())
    assert counted == dict(expected)


def test_nos_by_origin_type_filters_on_an_iri(store, registry, seed):
    tailored = rows(store, registry, "nos-by-origin-type", originType="ccg:Tailored")
    assert sorted(r[1] for r in tailored) == sorted(c for c, s in seed.standards.items() if s.origin == "Tailored")
    assert {r[3] for r in tailored} == {s.source_code for s in seed.standards.values() if s.origin == "Tailored"}


def test_nos_by_body_matches_the_origin_column(store, registry, seed):
    found = rows(store, registry, "nos-by-body", body="ENTO")
    expected = {c for c, s in seed.standards.items() if s.reference and s.reference.startswith("ENTO –")}
    assert {r[2] for r in found} == expected and expected


def test_count_by_body_adds_up(store, registry, seed):
    counted = sum(int(r[1]) for r in rows(store, registry, "nos-count-by-body"))
    assert counted == sum(1 for s in seed.standards.values() if s.reference)


def test_functions_by_body_accepts_either_spelling(store, registry, seed):
    """The seed spells one body two ways; both spellings must find all of its functions."""
    expected = {s.function for s in seed.standards.values() if s.source_code and "Marketing and Sales Standard" in (s.reference or "")}
    for spelling in ("Marketing and Sales Standard Setting Body", "Marketing and Sales Standards Setting Body"):
        assert {r[0] for r in rows(store, registry, "functions-by-body", body=spelling)} == expected


def test_lineage_of_every_standard(store, registry, seed):
    for code, expected in seed.standards.items():
        (row,) = rows(store, registry, "nos-lineage", nos=code)
        title, function, area, key_area, origin, _, source_code, source_title, suite, body, _ = row
        assert (title, function, area, key_area) == (expected.title, expected.function, expected.area, expected.key_area)
        assert origin == ORIGIN_LABELS[expected.origin]
        assert (source_code, source_title) == (expected.source_code, expected.source_title)
        if expected.reference:
            assert suite in expected.reference and body is not None


HOSTILE = [
    'GS CC AA1.1" } UNION { ?st ?p ?o } #',
    "x' . } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    '"""}{<file:///etc/passwd>',
    "\\\" \\n }}}{{{ ?x",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_is_only_data(store, registry, value):
    """Quotes and braces in a parameter must not change the query: it finds nothing, and the text is untouched."""
    query = registry["nos-lineage"]
    before = query.text
    assert rows(store, registry, "nos-lineage", nos=value) == []
    assert query.text == before


def test_unknown_and_missing_parameters_are_refused(registry):
    with pytest.raises(CcgraphError, match="unknown parameter 'colour'"):
        registry["nos-lineage"].bindings({"nos": "GS CC AA1.1", "colour": "red"})
    with pytest.raises(CcgraphError, match="missing required parameter"):
        registry["nos-lineage"].bindings({})
    with pytest.raises(CcgraphError, match="not an absolute IRI"):
        registry["nos-by-origin-type"].bindings({"originType": "> } DROP ALL {"})


def test_service_is_refused():
    with pytest.raises(CcgraphError, match="SERVICE is not allowed"):
        prepare("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "test")


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE {\n  SeRvIcE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
])
def test_service_is_refused_by_the_store(store, text):
    with pytest.raises(CcgraphError, match="SERVICE is not allowed"):
        store.query(text)


def test_service_in_a_string_or_comment_is_not_a_service_call(store):
    text = 'SELECT ?x WHERE { # SERVICE <http://x/> is not called\n BIND ("SERVICE <http://x/> { }" AS ?x) }'
    assert len(store.select(text)) == 1


def test_from_does_not_load_files(store, graph, tmp_path):
    """rdflib would load FROM <file:...> into the dataset; with loading off the file is never read."""
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:a> <urn:b> "secret" .', encoding="utf-8")
    query = tmp_path / "from.rq"
    query.write_text(f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o FILTER (STR(?o) = 'secret') }}", encoding="utf-8")
    result = run(store, query_from_file(query))
    assert list(result) == []
    assert (None, None, Literal("secret")) not in graph


def example_params(query):
    import shlex

    words = shlex.split(query.examples[0])
    return dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}


def test_values_block_gives_the_same_answers_as_init_bindings(graph, registry):
    """Remote engines get parameters as a trailing VALUES block: the answers must not change."""
    from ccgraph.query.saved import with_values

    for query in registry.values():
        bindings = query.bindings(example_params(query))
        embedded = sorted(tuple(map(str, row)) for row in run_rdflib(graph, query, example_params(query)))
        remote = sorted(tuple(map(str, row)) for row in graph.query(with_values(query.text, bindings)))
        assert embedded == remote, query.name


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_in_a_values_block_is_one_term(graph, registry, value):
    from ccgraph.query.saved import with_values

    query = registry["nos-lineage"]
    text = with_values(query.text, query.bindings({"nos": value}))
    assert list(graph.query(text)) == []
    parsed = prepare(text, "test")
    assert parsed is not None


# ---------------------------------------------------------------- parameters that name an entity


def test_old_and_new_param_headers_parse(tmp_path):
    from ccgraph.query.saved import parse_header

    old = parse_header(tmp_path / "old.rq", "# title: T\n# param: nos string optional -- a code\nSELECT ?nos WHERE { ?s ?p ?nos }")
    (parameter,) = old.parameters
    assert (parameter.name, parameter.type, parameter.optional, parameter.description, parameter.entity, parameter.node) == (
        "nos", "string", True, "a code", (), None)
    new = parse_header(tmp_path / "new.rq", "# title: T\n# param: role label entity=role node=r optional -- a role\n"
                                            "# param: x iri entity=nos,unit -- either\nSELECT * WHERE { ?r ?p ?role . ?x ?q ?r }")
    role, either = new.parameters
    assert (role.type, role.optional, role.entity, role.node, role.description) == ("label", True, ("role",), "r", "a role")
    assert (either.entity, either.node) == (("nos", "unit"), None)


@pytest.mark.parametrize("spec,message", [
    ("role label entity=colour -- x", "unknown entity kind"),
    ("role label node=r -- x", "node= needs entity="),
    ("role integer entity=role -- x", "an entity parameter is a"),
    ("role label entity=role node=missing -- x", r"the query has no \?missing"),
])
def test_bad_entity_headers_are_refused(tmp_path, spec, message):
    from ccgraph.query.saved import parse_header

    with pytest.raises(CcgraphError, match=message):
        parse_header(tmp_path / "bad.rq", f"# title: T\n# param: {spec}\nSELECT * WHERE {{ ?r ?p ?role }}")


def test_an_entity_parameter_accepts_the_code_form_and_any_case(store, registry, seed):
    code = "GS CC BA3.1"
    expected = rows(store, registry, "nos-lineage", nos=code)
    assert expected and expected[0][6] == seed.standards[code].source_code
    for typed in ("GS-CC-BA3.1", "gs cc ba3.1", "https://w3id.org/ccgraph/id/functional-map/GS-CC-BA3.1"):
        assert rows(store, registry, "nos-lineage", resolve=True, nos=typed) == expected, typed
        assert rows(store, registry, "nos-lineage", nos=typed) in ([], expected)  # unresolved: as typed


def test_a_role_named_in_lower_case_gets_its_profile(store, project, tmp_path, seeds_dir):
    """role-profile with the one-line header change proposed for it (entity=role node=r)."""
    text = (project.queries_dir / "role-profile.rq").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("# param: role "))
    changed = tmp_path / "role-profile.rq"
    changed.write_text(text.replace(header, header.replace("# param: role label ", "# param: role label entity=role node=r ")), encoding="utf-8")
    query = query_from_file(changed)
    role = seed_eskills.roles(seeds_dir)[1]
    printed = run(store, query, {"role": role}).values()
    assert printed and run(store, query, {"role": role.lower()}, resolve=True).values() == printed
    assert run(store, query, {"role": role.lower()}).values() == []  # what an unresolved lower-case name gets
    with pytest.raises(CcgraphError, match="did you mean"):
        run(store, query, {"role": "team leader"}, resolve=True)


def test_a_shared_code_is_refused_and_an_iri_answers_for_that_entity_only(store, registry):
    with pytest.raises(CcgraphError, match="ambiguous"):
        rows(store, registry, "nos-lineage", resolve=True, nos="B4")
    iri = "https://w3id.org/ccgraph/id/suite/customer-service/B4"
    bindings = registry["units-for-nos"].bindings({"nos": iri}, store)
    assert str(bindings["standard"].value) == iri and bindings["nos"].value == "B4"


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_through_the_resolver_is_a_one_line_error(store, registry, value):
    with pytest.raises(CcgraphError) as caught:
        rows(store, registry, "nos-lineage", resolve=True, nos=value)
    assert "no NOS with code or name" in str(caught.value) and "\n" not in str(caught.value)


# ---------------------------------------------------------------- the mapping sets, read straight from the TSVs


SSSOM = "https://w3id.org/sssom/"
NO_TERM = SSSOM + "NoTermFound"


def tsv_rows(project) -> list[dict]:
    """Every row of data/mappings/*.sssom.tsv, CURIEs expanded with the file's own curie_map."""
    import csv
    import io

    import yaml

    found = []
    for path in sorted((project.data_dir / "mappings").glob("*.sssom.tsv")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load("\n".join(line[1:] for line in text.splitlines() if line.startswith("#")))
        prefixes = {**meta["curie_map"], "sssom": SSSOM, "skos": "http://www.w3.org/2004/02/skos/core#",
                    "semapv": "https://w3id.org/semapv/vocab/"}
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        for row in csv.DictReader(io.StringIO(body), delimiter="\t"):
            expand = lambda curie: prefixes[curie.split(":", 1)[0]] + curie.split(":", 1)[1]  # noqa: E731
            found.append({"set": path.name.removesuffix(".sssom.tsv"), "subject": expand(row["subject_id"]),
                          "predicate": expand(row["predicate_id"]), "object": expand(row["object_id"]),
                          "confidence": float(row["confidence"]) if row["confidence"] else None,
                          "author": row["author_label"], "object_source": row["object_source"]})
    return found


@pytest.fixture(scope="module")
def mapping_rows(project):
    return tsv_rows(project)


def iri_rows(store, query, params, columns):
    """The named columns of a saved query's rows (run as the command runs it), terms as Python values."""
    result = run(store, query, params, resolve=True)
    index = [result.variables.index(c) for c in columns]
    return [tuple(None if row[i] is None else to_python(row[i]) for i in index) for row in result.rows]


def test_units_for_nos_says_which_links_are_printed_and_which_curated(store, registry, mapping_rows, seeds_dir):
    import seed_qualifications as seed_q

    fm = "https://w3id.org/ccgraph/id/functional-map/"
    unit = "https://w3id.org/ccgraph/id/city-and-guilds-3412/unit/"
    curated = {}
    for r in mapping_rows:
        if r["set"] == "nos-unit" and r["subject"].startswith(fm) and r["object"].startswith(unit):
            curated.setdefault(r["subject"], set()).add((r["object"].removeprefix(unit), r["predicate"], r["confidence"], "curated"))
    assert curated
    for nos, expected in curated.items():
        code = nos.removeprefix(fm).replace("-", " ")
        found = set(iri_rows(store, registry["units-for-nos"], {"nos": code}, ("unit", "link", "confidence", "provenance")))
        assert found == expected, code
    by_nos = {}
    for number_unit, page in seed_q.cg_unit_pages(seeds_dir).items():
        for number in page["nos"]:
            by_nos.setdefault(number, set()).add((number_unit, "https://w3id.org/ccgraph/ontology#coversStandard", None, "printed"))
    for number, expected in by_nos.items():
        found = set(iri_rows(store, registry["units-for-nos"], {"nos": number}, ("unit", "link", "confidence", "provenance")))
        assert found == expected, number
    (row,) = [r for r in iri_rows(store, registry["units-for-nos"], {"nos": "GS CC DA1.1"}, ("unit", "confidence", "mappingSet")) if r[0] == "211"]
    assert row == ("211", 0.95, "nos-unit")  # the case: an exactMatch at 0.95, no longer 0 rows


@pytest.mark.parametrize("entity,typed", [
    ("https://w3id.org/ccgraph/id/functional-map/GS-CC-DA1.1", "GS-CC-DA1.1"),
    ("https://w3id.org/ccgraph/id/city-and-guilds-3412/unit/211", "211"),
    ("https://w3id.org/ccgraph/id/eskills-framework/A1.1", "a1.1"),
    ("https://w3id.org/ccgraph/id/eskills-framework/role/sales-advisor", "https://w3id.org/ccgraph/id/eskills-framework/role/sales-advisor"),
])
def test_mappings_for_an_entity_are_the_tsv_rows_that_name_it(store, registry, mapping_rows, entity, typed):
    expected = Counter((r["set"], r["subject"], r["predicate"], r["object"], r["confidence"])
                       for r in mapping_rows if entity in (r["subject"], r["object"]))
    assert expected
    found = Counter(iri_rows(store, registry["mappings-for"], {"entity": typed}, ("mappingSet", "subject", "predicate", "object", "confidence")))
    assert found == expected


@pytest.mark.parametrize("below,mapping_set", [("0.5", None), ("0.95", None), ("0.7", "nos-unit"), ("0", None)])
def test_mappings_below_a_confidence_are_the_tsv_rows_below_it(store, registry, mapping_rows, below, mapping_set):
    expected = Counter((r["set"], r["subject"], r["predicate"], r["object"], r["confidence"]) for r in mapping_rows
                       if r["confidence"] is not None and r["confidence"] < float(below) and mapping_set in (None, r["set"]))
    params = {"below": below, **({"mappingSet": mapping_set} if mapping_set else {})}
    found = iri_rows(store, registry["mappings-below-confidence"], params, ("mappingSet", "subject", "predicate", "object", "confidence"))
    assert Counter(found) == expected
    assert [r[4] for r in found] == sorted(r[4] for r in found)  # least confident first


def test_without_counterpart_functional_map_against_city_and_guilds(store, registry, mapping_rows, seed):
    fm = "https://w3id.org/ccgraph/id/functional-map/"
    unit = "https://w3id.org/ccgraph/id/city-and-guilds-3412/unit/"
    matched = {r["subject"] for r in mapping_rows if r["subject"].startswith(fm) and r["object"].startswith(unit)}
    examined = {r["subject"] for r in mapping_rows if r["subject"].startswith(fm) and r["object"] == NO_TERM
                and r["object_source"].startswith("ccgsrc:003")}
    codes = {fm + code.replace(" ", "-"): code for code in seed.standards}
    expected = {(codes[s], "examined: no counterpart") for s in examined - matched}
    expected |= {(code, "no mapping") for iri, code in codes.items() if iri not in matched | examined}
    found = iri_rows(store, registry["without-counterpart"], {"scheme": "functional-map", "against": "city-and-guilds-3412"},
                     ("code", "status"))
    assert set(found) == expected and len(found) == len(expected) and expected


def test_without_counterpart_units_against_the_contact_centre_nos(store, registry, seeds_dir):
    import seed_qualifications as seed_q

    linked = {unit for unit, page in seed_q.cg_unit_pages(seeds_dir).items() if page["nos"]}
    expected = {(unit, "no mapping") for unit in seed_q.cg_units(seeds_dir) if unit not in linked}
    found = iri_rows(store, registry["without-counterpart"],
                     {"scheme": "NVQ in Contact Centre Operations (3412)", "against": "contact-centre"}, ("code", "status"))
    assert set(found) == expected and len(found) == len(expected) and expected


def test_without_counterpart_competencies_and_roles_against_the_functional_map(store, registry, mapping_rows, seeds_dir):
    eskills = "https://w3id.org/ccgraph/id/eskills-framework/"
    fm = "https://w3id.org/ccgraph/id/functional-map/"
    matched = {r["subject"] for r in mapping_rows if r["subject"].startswith(eskills) and r["object"].startswith(fm)}
    examined = {r["subject"] for r in mapping_rows if r["subject"].startswith(eskills) and r["object"] == NO_TERM
                and r["object_source"].startswith("ccgsrc:004")} - matched
    found = iri_rows(store, registry["without-counterpart"], {"scheme": "eskills-framework", "against": "functional-map"},
                     ("kind", "code", "status"))
    assert {code for kind, code, status in found if status == "examined: no counterpart"} == {s.removeprefix(eskills) for s in examined}
    competencies = {f"{letter}{number}" for letter, number in seed_eskills.competencies(seeds_dir)}
    mentioned = {s.removeprefix(eskills) for s in matched | examined}
    assert {code for kind, code, status in found if kind == "competency" and status == "no mapping"} == competencies - mentioned
    assert {code for kind, code, status in found if kind == "role"} == set(seed_eskills.roles(seeds_dir))
