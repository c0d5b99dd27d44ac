"""The remote path against a real Oxigraph server: push the dataset, and every saved query answers the same."""

import contextlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from ccgraph.cli import cli
from ccgraph.query.saved import run, run_rdflib, saved_queries

from live_server import free_port

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


@contextlib.contextmanager
def oxigraph_server():
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("oxigraph did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def oxigraph(dataset):
    with oxigraph_server() as base:
        result = CliRunner().invoke(cli, ["push", "--endpoint", f"{base}/store"])
        assert result.exit_code == 0, result.output
        yield base


def example_params(query):
    import shlex

    words = shlex.split(query.examples[0])
    return dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}


def test_push_loads_every_named_graph(oxigraph, dataset):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in
              httpx.post(f"{oxigraph}/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]}
    assert counts == {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}


def test_every_saved_query_gives_the_same_answers_on_oxigraph(oxigraph, project, graph, store):
    """The Oxigraph server (parameters as a VALUES block), the embedded store and rdflib (the reference) agree."""
    runner = CliRunner()
    for query in saved_queries(project.queries_dir).values():
        params = example_params(query)
        args = ["query", query.name, "--endpoint", f"{oxigraph}/query", "--format", "json"]
        for key, value in params.items():
            args += ["--param", f"{key}={value}"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        remote = json.loads(result.output)
        variables = remote["head"]["vars"]
        served = sorted(tuple(b.get(v, {}).get("value", "") for v in variables) for b in remote["results"]["bindings"])
        local = sorted(tuple("" if x is None else str(x) for x in row) for row in run_rdflib(graph, query, params))
        embedded = sorted(tuple("" if x is None else x.value for x in row) for row in run(store, query, params))
        assert served == local == embedded, query.name
        assert served, query.name


def test_push_by_sparql_update(dataset):
    with oxigraph_server() as base:
        result = CliRunner().invoke(cli, ["push", "--endpoint", f"{base}/update", "--protocol", "update"])
        assert result.exit_code == 0, result.output
        total = httpx.post(f"{base}/query", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                           headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(total) == sum(len(g) for g in dataset.graphs())


def test_a_store_that_is_down_gets_a_clear_error():
    port = free_port()  # nothing listens there
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert pushed.exit_code == 2 and "cannot reach" in pushed.output
    queried = runner.invoke(cli, ["query", "nos-count-by-key-area", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert queried.exit_code == 2 and "cannot reach" in queried.output


def test_a_store_that_refuses_gets_a_clear_error(oxigraph):
    result = CliRunner().invoke(cli, ["push", "--endpoint", f"{oxigraph}/no-such-service"])
    assert result.exit_code == 2 and "refused the data: HTTP 404" in result.output
