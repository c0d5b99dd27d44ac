"""Every Turtle file parses and survives a round trip; every saved query parses; exports are stable."""

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import prepareQuery

from ccgraph.graph.rdfio import serialize

REPO = Path(__file__).resolve().parents[1]
TURTLE_FILES = sorted(p for folder in ("ontology", "shapes", "data", "tests") for p in (REPO / folder).rglob("*.ttl"))
QUERY_FILES = sorted((REPO / "queries").glob("*.rq"))


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_turtle_round_trips(path, fmt):
    original = Graph().parse(path, format="turtle")
    assert len(original) > 0
    again = Graph().parse(data=original.serialize(format=fmt), format=fmt)
    assert isomorphic(original, again)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_saved_query_parses(path):
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_assembled_graph_round_trips(graph, dataset, fmt, parser):
    again = Graph().parse(data=serialize(dataset, fmt), format=parser)
    assert isomorphic(graph, again)


@pytest.mark.parametrize("fmt,parser", [("trig", "trig"), ("nq", "nquads")])
def test_named_graphs_survive_quad_formats(dataset, fmt, parser):
    again = Dataset()
    again.parse(data=serialize(dataset, fmt), format=parser)
    for named in dataset.graphs():
        if len(named):
            assert isomorphic(named, again.graph(named.identifier)), named.identifier


@pytest.mark.parametrize("fmt", ["trig", "ttl", "nt", "jsonld", "nq"])
def test_exports_are_byte_reproducible_across_processes(fmt, tmp_path):
    """rdflib iterates sets whose order changes with the hash seed; our output must not."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}.{fmt}"
        subprocess.run([sys.executable, "-m", "ccgraph.cli", "export", "--format", fmt, "--output", str(target)],
                       check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
