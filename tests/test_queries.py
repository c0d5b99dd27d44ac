"""Saved queries: documented headers, answers that match the seed, and parameters that stay data."""

import shlex
from collections import Counter

import pytest
from rdflib import Literal

from ccgraph.errors import CcgraphError
from ccgraph.graph.convert import to_python
from ccgraph.query.saved import prepare, query_from_file, run, run_rdflib, saved_queries

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


def rows(store, registry, name, **params):
    """A saved query's rows through the store, every value as text (None where unbound)."""
    return [tuple(None if v is None else str(to_python(v)) for v in row) for row in run(store, registry[name], params)]


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
    for query in registry.values():
        for example in query.examples:
            words = shlex.split(example)
            assert words[:3] == ["ccgraph", "query", query.name], example
            params = dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}
            assert rows(store, registry, query.name, **params), f"example gives no rows: {example}"


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
