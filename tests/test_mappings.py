"""SSSOM mapping sets: loaded as SKOS triples plus mapping nodes, complete over their domain, and
exported back to SSSOM that sssom-py parses and validates."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import OWL

from ccgraph.sources import sssom
from ccgraph.cli import cli
from ccgraph.sources.derived_mappings import DERIVED, render
from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG

import seed_qualifications as seed


@pytest.fixture(scope="module")
def sets(project):
    return {path.name.removesuffix(".sssom.tsv"): sssom.read(path) for path in sorted((project.data_dir / "mappings").glob("*.sssom.tsv"))}


def transcriptions(data_dir: Path):
    """The graph of the transcriptions alone: every loader of data/ but the mapping sets', so that nothing a
    committed mapping file says can come back out of the derivation."""
    from rdflib import Graph

    from ccgraph.graph.namespaces import bind_prefixes
    from ccgraph.sources import LOADERS

    graph = Graph()
    bind_prefixes(graph)
    for folder, load in LOADERS.items():
        if folder != "mappings" and (data_dir / folder).is_dir():
            load(data_dir / folder, graph)
    return graph


def test_derived_sets_are_current(project, sets):
    """The printed mappings are derived from the transcriptions; the committed files must match them."""
    graph = transcriptions(project.data_dir)
    assert set(DERIVED) <= set(sets)
    for name, derive in DERIVED.items():
        metadata, rows = derive(graph)
        assert rows, f"{name}: nothing derived from the transcriptions"
        assert sets[name].path.read_text(encoding="utf-8") == render(metadata, rows), f"run 'ccgraph mappings derive' ({name})"


def test_every_row_is_in_the_graph(graph, sets):
    for mapping_set in sets.values():
        for row in mapping_set.rows:
            line = int(row["_line"])
            subject, predicate, target = (mapping_set.expand(row[c], line) for c in ("subject_id", "predicate_id", "object_id"))
            node = sssom.mapping_iri(mapping_set, subject, predicate, target, row.get("object_source", ""))
            assert graph.value(node, OWL.annotatedSource) == subject
            if target == sssom.NO_TERM_FOUND:
                assert (subject, predicate, target) not in graph  # examined, no counterpart: no SKOS claim
            else:
                assert (subject, predicate, target) in graph


def test_unit_nos_set_is_complete_and_as_printed(graph, sets, seeds_dir):
    pages = seed.cg_unit_pages(seeds_dir)
    rows = sets["unit-contact-centre-nos"].rows
    assert {row["subject_id"].split(":")[1] for row in rows} == set(pages)
    for row in rows:
        page = pages[row["subject_id"].split(":")[1]]
        if page["nos"]:
            assert row["object_id"] == f"ccnos:{page['nos'][0]}"


def test_ocr_set_covers_every_listing(graph, sets):
    listings = {s for s in graph.subjects(CCG.matchStatus, None)}
    mapping_set = sets["ocr-cg-units"]
    subjects = {mapping_set.expand(r["subject_id"], 0) for r in mapping_set.rows}
    assert subjects == listings
    unresolved = {mapping_set.expand(r["subject_id"], 0) for r in mapping_set.rows if r["predicate_id"] == "skos:relatedMatch"}
    assert unresolved == set(graph.subjects(CCG.matchStatus, CCG.Unresolved))


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".sssom.tsv") for p in (Path(__file__).resolve().parents[1] / "data" / "mappings").glob("*.sssom.tsv")))
def test_export_round_trips_and_sssom_py_validates_it(sets, name, tmp_path):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    out = tmp_path / f"{name}.sssom.tsv"
    result = CliRunner().invoke(cli, ["mappings", "export", "--set", name, "--output", str(out)])
    assert result.exit_code == 0, result.output
    exported = sssom.read(out)
    strip = lambda rows: sorted(tuple(sorted((k, v) for k, v in r.items() if k != "_line")) for r in rows)
    assert strip(exported.rows) == strip(sets[name].rows)
    frame = parse_sssom_table(out)
    assert len(frame.df) == len(sets[name].rows)
    report = validate(frame, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness], fail_on_error=False)
    assert all(not r.results for r in report.values()), report


def test_coverage_is_reported_by_stats(sets):
    import json

    figures = json.loads(CliRunner().invoke(cli, ["stats", "--format", "json"]).output)
    for name, mapping_set in sets.items():
        coverage = figures["mappings"][name]
        assert coverage["mappings"] == len(mapping_set.rows)
        assert coverage["subjects"] == len({r["subject_id"] for r in mapping_set.rows})


def test_bad_mapping_files_are_refused_with_their_place(tmp_path):
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text('#curie_map:\n#  x: "https://example.org/"\n#mapping_set_id: "https://example.org/set"\n'
                   "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
                   "x:a\tskos:exactMatch\ty:b\tsemapv:ManualMappingCuration\n", encoding="utf-8")
    with pytest.raises(CcgraphError, match=r"bad.sssom.tsv:5: 'y:b' has no prefix"):
        sssom.load(sssom.read(bad), __import__("rdflib").Graph())
    bad.write_text(bad.read_text().replace("skos:exactMatch\ty:b", "skos:broader\tx:b"), encoding="utf-8")
    with pytest.raises(CcgraphError, match="not a SKOS mapping relation"):
        sssom.load(sssom.read(bad), __import__("rdflib").Graph())


def test_every_ocr_job_title_is_examined_against_the_roles(graph, sets, seeds_dir):
    from rdflib.namespace import RDF

    text = (seeds_dir / "002_545bdd81e066066f.txt").read_text(encoding="utf-8")
    titles = set(graph.subjects(RDF.type, CCG.JobTitle))
    assert titles and all(str(graph.value(t, __import__("rdflib").namespace.SKOS.prefLabel)) in text for t in titles)
    mapping_set = sets["levels-roles"]
    examined = {mapping_set.expand(r["subject_id"], 0) for r in mapping_set.rows}
    assert titles <= examined


def test_every_government_nos_is_examined_against_the_units(graph, sets):
    standards = set(graph.subjects(CCG.originType, None))
    mapping_set = sets["nos-unit"]
    assert {mapping_set.expand(r["subject_id"], 0) for r in mapping_set.rows} == standards


def test_every_mapping_subject_and_object_is_an_entity(graph, sets):
    from rdflib.namespace import SKOS as S

    for mapping_set in sets.values():
        for row in mapping_set.rows:
            for column in ("subject_id", "object_id"):
                iri = mapping_set.expand(row[column], int(row["_line"]))
                if iri != sssom.NO_TERM_FOUND:
                    assert (iri, S.prefLabel, None) in graph, f"{mapping_set.name}: {row[column]} is not in the graph"
