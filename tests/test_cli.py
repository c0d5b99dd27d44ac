"""The ccgraph command through click's CliRunner: every command, every output format, and bad input."""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ccgraph.cli import cli

import seed_functional_map

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def invoke():
    runner = CliRunner()

    def call(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return call


def one_line_error(result, *fragments):
    """A failure is one 'Error: ...' line naming the problem, with exit status 2."""
    assert result.exit_code == 2, result.output
    # A command that finds no build (or a stale one) first says it is building: a notice, not an error.
    lines = [line for line in result.output.splitlines() if line.strip() and not re.search(r": building \S+ first$", line)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def project_copy(tmp_path):
    """A throw-away copy of the project, to break."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0 and "ccgraph, version" in result.output


def test_build_writes_the_assembled_graph(invoke, tmp_path, graph):
    out = tmp_path / "out" / "ccgraph.trig"
    result = invoke("build", "--output", out)
    assert result.exit_code == 0, result.output
    built = Dataset()
    built.parse(out, format="trig")
    merged = Graph()
    for s, p, o, _ in built.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(merged, graph)
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]


def test_validate_conforms_in_every_format(invoke):
    text = invoke("validate")
    assert text.exit_code == 0 and "conforms" in text.output
    report = json.loads(invoke("validate", "--format", "json").output)
    assert report["conforms"] is True and report["violations"] == 0
    ttl = invoke("validate", "--format", "ttl")
    assert "ValidationReport" in ttl.output
    Graph().parse(data=ttl.output, format="turtle")


def test_validate_fails_with_exit_1_on_violations(invoke, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix ccg: <https://w3id.org/ccgraph/ontology#> .\n"
        "<https://w3id.org/ccgraph/id/test/F> a ccg:Function .\n", encoding="utf-8")
    result = invoke("validate", "--graph", broken, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert not report["conforms"]
    focus = {r["focus_node"] for r in report["results"]}
    assert focus == {"https://w3id.org/ccgraph/id/test/F"}
    components = {r["component"].rsplit("#", 1)[1] for r in report["results"]}
    assert "MinCountConstraintComponent" in components


def test_query_in_every_format(invoke, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    table = invoke("query", "nos-count-by-key-area")
    assert table.exit_code == 0 and "row(s)" in table.output
    rows = list(csv.DictReader(io.StringIO(invoke("query", "nos-count-by-key-area", "--format", "csv").output)))
    assert {r["keyArea"]: int(r["standards"]) for r in rows} == {
        ka: sum(1 for s in seed.standards.values() if s.key_area == ka) for ka in seed.key_area_headings}
    data = json.loads(invoke("query", "nos-lineage", "--param", "nos=GS CC BA3.1", "--format", "json").output)
    (binding,) = data["results"]["bindings"]
    assert binding["sourceCode"]["value"] == seed.standards["GS CC BA3.1"].source_code
    xml = invoke("query", "nos-count-by-origin-type", "--format", "xml").output
    assert xml.lstrip().startswith("<?xml") and "sparql-results" in xml


def test_query_from_file_and_construct(invoke, tmp_path):
    query = tmp_path / "keyareas.rq"
    query.write_text("PREFIX ccg: <https://w3id.org/ccgraph/ontology#>\n"
                     "CONSTRUCT { ?k a ccg:KeyArea } WHERE { ?k a ccg:KeyArea }", encoding="utf-8")
    result = invoke("query", "--file", query, "--format", "nt")
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.output, format="nt")) == 4


def test_list_queries(invoke, project):
    listed = json.loads(invoke("list-queries", "--format", "json").output)
    assert {q["name"] for q in listed} == {p.stem for p in project.queries_dir.glob("*.rq")}
    assert "nos-lineage" in invoke("list-queries").output


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_whole_graph(invoke, tmp_path, graph, fmt, parser):
    out = tmp_path / f"graph.{fmt}"
    assert invoke("export", "--format", fmt, "--output", out).exit_code == 0
    assert isomorphic(Graph().parse(out, format=parser), graph)


def test_export_trig_keeps_named_graphs(invoke, tmp_path, dataset):
    out = tmp_path / "graph.trig"
    assert invoke("export", "--format", "trig", "--output", out).exit_code == 0
    again = Dataset()
    again.parse(out, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names <= {str(g.identifier) for g in again.graphs()}


def test_stats(invoke, graph, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    figures = json.loads(invoke("stats", "--format", "json").output)
    assert figures["triples"] == len(graph)
    assert figures["classes"]["ccg:Function"] == len(seed.functions)
    assert figures["classes"]["ccg:AreaOfCompetence"] == len(seed.areas)
    assert "functional-map" in invoke("stats").output


# ---------------------------------------------------------------- bad input


def test_malformed_turtle_names_file_and_line_and_writes_nothing(invoke, project_copy, tmp_path):
    bad = project_copy / "data" / "sources.ttl"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines.insert(9, 'ccgid:broken ccg:seedFile "unterminated .')
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.trig"
    result = invoke("--root", project_copy, "build", "--output", out)
    one_line_error(result, f"{bad}:10:", "malformed turtle")
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".out*")) == []


def test_malformed_graph_file(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", encoding="utf-8")
    one_line_error(invoke("validate", "--graph", bad), f"{bad}:3:")
    one_line_error(invoke("query", "nos-count-by-key-area", "--graph", bad), f"{bad}:3:")


def test_broken_transcription_table_names_file_and_line(invoke, project_copy, tmp_path):
    table = project_copy / "data" / "functional-map" / "nos.csv"
    text = table.read_text(encoding="utf-8").replace(",Tailored,9.6,", ",Tailor-made,9.6,")
    table.write_text(text, encoding="utf-8")
    out = tmp_path / "out.trig"
    one_line_error(invoke("--root", project_copy, "build", "--output", out), f"{table}:", "unknown origin 'Tailor-made'")
    assert not out.exists()


def test_export_failure_leaves_no_partial_file(invoke, project_copy, tmp_path):
    (project_copy / "data" / "functional-map" / "functions.csv").unlink()
    out = tmp_path / "graph.nt"
    one_line_error(invoke("--root", project_copy, "export", "--format", "nt", "--output", out), "functions.csv", "missing")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["project"]  # no temporary file left behind either


def test_unknown_query_name(invoke):
    one_line_error(invoke("query", "nos-lineag"), "unknown query 'nos-lineag'", "nos-lineage")


@pytest.mark.parametrize("param", ["nos", "=GS CC AA1.1", "no s=x"])
def test_malformed_param(invoke, param):
    one_line_error(invoke("query", "nos-lineage", "--param", param), "malformed --param")


def test_unknown_and_missing_param(invoke):
    one_line_error(invoke("query", "nos-lineage", "--param", "colour=red"), "unknown parameter 'colour'")
    one_line_error(invoke("query", "nos-lineage"), "missing required parameter(s) nos")


def test_hostile_param_through_the_command(invoke):
    result = invoke("query", "nos-lineage", "--param", 'nos=GS CC AA1.1" } UNION { ?s ?p ?o } #', "--format", "csv")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1  # the header only: no row matched


def test_invalid_sparql_file(invoke, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("SELECT * WHERE { ?s ?p }", encoding="utf-8")
    one_line_error(invoke("query", "--file", query), str(query), "invalid SPARQL")


def test_service_refused_from_the_command(invoke, tmp_path):
    query = tmp_path / "service.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", encoding="utf-8")
    one_line_error(invoke("query", "--file", query), "SERVICE is not allowed")


def test_not_a_project(invoke, tmp_path):
    one_line_error(invoke("--root", tmp_path, "stats"), "not a ccgraph project")


def test_name_and_file_together_refused(invoke, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    one_line_error(invoke("query", "nos-lineage", "--file", query), "either")
