"""The store: every saved query answers the same through it as through rdflib (the reference), with
either parameter style and with the closure; it is safe from threads; a stale build is noticed."""

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from ccgraph.cli import cli
from ccgraph.errors import CcgraphError
from ccgraph.graph.convert import to_python, to_rdflib
from ccgraph.graph.store import CLOSURE_GRAPH, Store
from ccgraph.query.saved import run, run_rdflib, saved_queries, with_values

REPO = Path(__file__).resolve().parents[1]


def example_params(query) -> dict[str, str]:
    words = shlex.split(query.examples[0])
    return dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}


def as_text(rows) -> list[tuple]:
    """Rows of any engine as sorted tuples of lexical forms ('' where unbound)."""
    return sorted(tuple("" if v is None else str(getattr(v, "value", v)) for v in row) for row in rows)


@pytest.fixture(scope="module")
def registry(project):
    return saved_queries(project.queries_dir)


@pytest.fixture(scope="module")
def closed_graph(store, graph) -> Graph:
    """The rdflib reference graph plus the closure the store holds."""
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    for quad in store.closure_quads():
        closed.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return closed


def test_the_store_holds_exactly_the_assembled_graph(store, graph):
    assert store.triple_count() == len(graph)
    assert store.has_closure and store.triple_count(closure=True) > len(graph)
    assert CLOSURE_GRAPH not in store.named_graphs  # the asserted store never holds the closure


def test_every_saved_query_answers_as_rdflib_does(store, graph, registry):
    """Store (VALUES block) == rdflib with initBindings == rdflib with the same VALUES block."""
    for query in registry.values():
        params = example_params(query)
        reference = as_text(run_rdflib(graph, query, params))
        assert reference, f"{query.name}: the example gives no rows, so the comparison would prove nothing"
        assert as_text(run(store, query, params)) == reference, query.name
        assert as_text(graph.query(with_values(query.text, query.bindings(params)))) == reference, query.name


def test_every_saved_query_answers_as_rdflib_does_with_the_closure(store, closed_graph, registry):
    for query in registry.values():
        params = example_params(query)
        assert as_text(run(store, query, params, closure=True)) == as_text(run_rdflib(closed_graph, query, params)), query.name


def test_the_closure_stays_out_of_the_default_graph(store, closed_graph):
    """skos:broadMatch is a sub-property of skos:broader: the closure adds cross-scheme broader links,
    which a hierarchy question must not see unless it asks for them."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:broader ?b }"
    asserted = store.select(text).values()[0][0]
    with_closure = store.select(text, closure=True).values()[0][0]
    named = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?a skos:broader ?b } }" % CLOSURE_GRAPH.value).values()[0][0]
    assert with_closure > asserted and named > 0


def test_parameters_are_one_term_whatever_they_hold(store, registry):
    hostile = 'GS CC AA1.1" } UNION { ?st ?p ?o } #'
    assert len(run(store, registry["nos-lineage"], {"nos": hostile})) == 0


def test_threads_in_a_cold_process(project):
    """8 threads calling saved queries at once in a fresh process, first call included."""
    script = f"""
import json, sys
from concurrent.futures import ThreadPoolExecutor
from ccgraph import Project
from ccgraph.graph.build import open_store
from ccgraph.query.saved import run, saved_queries
project = Project.at({str(project.root)!r})
registry = saved_queries(project.queries_dir)
store = open_store(project)
def call(i):
    query = registry[sorted(registry)[i % len(registry)]]
    import shlex
    words = shlex.split(query.examples[0])
    params = dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {{}}
    return query.name, len(run(store, query, params))
with ThreadPoolExecutor(8) as pool:
    print(json.dumps(sorted(set(pool.map(call, range(152))))))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = dict(json.loads(done.stdout))
    assert len(counts) == len(saved_queries(project.queries_dir)) and all(counts.values()), counts


@pytest.fixture
def copy_of_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_a_changed_data_file_is_noticed_by_the_next_command(copy_of_project):
    runner = CliRunner()
    root = str(copy_of_project)
    built = runner.invoke(cli, ["--root", root, "build", "--no-closure"])
    assert built.exit_code == 0, built.output
    first = runner.invoke(cli, ["--root", root, "query", "nos-count-by-key-area", "--format", "csv"])
    assert first.exit_code == 0 and "since the last build" not in first.output

    from ccgraph.graph.build import open_store
    from ccgraph.graph.project import Project

    table = copy_of_project / "data" / "functional-map" / "key_areas.csv"
    text = table.read_text(encoding="utf-8")
    assert "Manage strategy for Contact Centres" in text and "Manage strategy for Contact Centres" in first.output
    table.write_text(text.replace("Manage strategy for Contact Centres", "Manage the strategy"), encoding="utf-8")
    with pytest.raises(CcgraphError, match="data/functional-map/key_areas.csv changed since the last build"):
        open_store(Project.at(copy_of_project), rebuild=False)
    second = runner.invoke(cli, ["--root", root, "query", "nos-count-by-key-area", "--format", "csv"])
    assert second.exit_code == 0, second.output
    assert "data/functional-map/key_areas.csv changed since the last build" in second.output  # said on stderr, then rebuilt
    assert "Manage the strategy" in second.output and "Manage strategy for Contact Centres" not in second.output
    assert open_store(Project.at(copy_of_project), rebuild=False) is not None


def test_graph_files_use_pyoxigraph_parsers_with_one_line_errors(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y \"unterminated .\n", encoding="utf-8")
    with pytest.raises(CcgraphError, match=r"bad\.ttl.*malformed") as error:
        Store.from_files([bad])
    assert "\n" not in str(error.value)
    result = CliRunner().invoke(cli, ["query", "--file", str(REPO / "queries" / "nos-count-by-key-area.rq"), "--graph", str(bad)])
    assert result.exit_code == 2 and result.output.startswith("Error:") and "Traceback" not in result.output


def test_graph_files_are_queried_in_memory(tmp_path):
    data = tmp_path / "tiny.ttl"
    data.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x:a> skos:prefLabel "Tiny"@en .\n', encoding="utf-8")
    store = Store.from_files([data])
    assert [to_python(row[0]) for row in store.select("SELECT ?l WHERE { ?s skos:prefLabel ?l }")] == ["Tiny"]


def test_invalid_sparql_is_one_line(store):
    with pytest.raises(CcgraphError, match="invalid SPARQL") as error:
        store.query("SELECT * WHERE { ?s ?p }", where="mine.rq")
    assert str(error.value).startswith("mine.rq: ") and "\n" not in str(error.value)


def test_stats_coverage_matches_the_mapping_tables(store, project):
    """Rows, subjects examined and subjects matched per set, counted from the SSSOM TSVs themselves."""
    import csv

    from ccgraph.query.stats import compute

    expected = {}
    for path in sorted((project.data_dir / "mappings").glob("*.sssom.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        rows = list(csv.DictReader(lines, delimiter="\t"))
        assert rows, path
        subjects = {r["subject_id"] for r in rows}
        matched = {r["subject_id"] for r in rows if not r["object_id"].endswith("NoTermFound")}
        expected[path.name.removesuffix(".sssom.tsv")] = {
            "mappings": len(rows), "subjects": len(subjects), "matched": len(matched), "no_match": len(subjects - matched)}
    assert compute(store).mappings == expected


def test_a_query_naming_its_dataset_with_from_gets_that_graph(store):
    """FROM picks a graph of the store (it never fetches): only the ontology's triples answer here."""
    ontology = "https://w3id.org/ccgraph/id/graph/ontology"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o }} }}"
    named = store.select(text.replace("WHERE {", f"FROM <{ontology}> WHERE {{", 1)).values()[0][0]
    in_graph = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}").values()[0][0]
    assert named == in_graph and 0 < named < store.triple_count()
