"""The remote path against a real Virtuoso (Debian's virtuoso-opensource), a second external engine.

The dataset goes in by `ccgraph push` to Virtuoso's Graph Store Protocol endpoint with a Digest
login, one named graph per part. Virtuoso's default graph is every graph it holds, its own system
graphs included, so the saved queries name their dataset the standard way: one SPARQL protocol
`default-graph-uri` per named graph (`ccgraph query --endpoint URL --dataset-graphs`). Each saved
query, with its `# example:` parameters as a VALUES block, must answer as the embedded store does.
"""

import json
import shlex

import httpx
import pytest
from click.testing import CliRunner

from ccgraph.cli import cli
from ccgraph.query.saved import run, saved_queries

from virtuoso_server import ISQL, VIRTUOSO, virtuoso_server

if VIRTUOSO is None or ISQL is None:
    pytest.skip("Virtuoso is not installed (virtuoso-t, isql-vt: Debian's virtuoso-opensource-7-bin; "
                "`python3 make.py test` installs it as root)", allow_module_level=True)


@pytest.fixture(scope="module")
def virtuoso():
    with virtuoso_server() as server:
        result = CliRunner().invoke(cli, ["push", "--endpoint", server.graph_store, "--user", server.user],
                                    env={"CCGRAPH_PASSWORD": server.password})
        assert result.exit_code == 0, result.output
        yield server


def select(server, query: str, **params) -> list[dict]:
    response = httpx.post(server.sparql, data={"query": query, **params}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def example_params(query) -> dict[str, str]:
    words = shlex.split(query.examples[0])
    return dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}


def test_push_loads_every_named_graph(virtuoso, dataset):
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    rows = select(virtuoso, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                  **{"named-graph-uri": list(graphs)})
    assert {b["g"]["value"]: int(b["n"]["value"]) for b in rows} == graphs


def test_the_default_graph_is_named_in_the_request(virtuoso, dataset, store, tmp_path):
    """Virtuoso's own default graph holds its system graphs too; --dataset-graphs makes it the dataset's union.

    Both engines count a triple held in two graphs twice (the union is of quads, as the README says).
    """
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    count = tmp_path / "count.rq"
    count.write_text(text + "\n", encoding="utf-8")
    runner = CliRunner()

    def triples(*options: str) -> int:
        result = runner.invoke(cli, ["query", "--file", str(count), "--endpoint", virtuoso.sparql, "--format", "json", *options])
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])

    union = int(store.query(text).rows[0][0].value)
    assert union == sum(len(g) for g in dataset.graphs())
    assert triples("--dataset-graphs") == union
    assert triples() > union
    one = "https://w3id.org/ccgraph/id/graph/ontology"
    assert triples("--default-graph-uri", one) == len(dataset.graph(one))


def test_every_saved_query_gives_the_same_answers_on_virtuoso(virtuoso, project, store):
    """Virtuoso (parameters as a VALUES block, the dataset's graphs as default-graph-uri) and the embedded store agree."""
    runner = CliRunner()
    for query in saved_queries(project.queries_dir).values():
        params = example_params(query)
        args = ["query", query.name, "--endpoint", virtuoso.sparql, "--dataset-graphs", "--format", "json"]
        for key, value in params.items():
            args += ["--param", f"{key}={value}"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, f"{query.name}: {result.output}"
        remote = json.loads(result.stdout)
        variables = remote["head"]["vars"]
        served = sorted(tuple(b.get(v, {}).get("value", "") for v in variables) for b in remote["results"]["bindings"])
        embedded = sorted(tuple("" if x is None else x.value for x in row) for row in run(store, query, params))
        assert served == embedded, query.name
        assert served, query.name


def test_push_without_the_right_password_is_refused(virtuoso, tmp_path):
    one = tmp_path / "one.trig"
    one.write_text('<urn:x-ccgraph:test> { <urn:x-ccgraph:s> <urn:x-ccgraph:p> "o" . }\n', encoding="utf-8")
    runner = CliRunner()
    wrong = runner.invoke(cli, ["push", "--endpoint", virtuoso.graph_store, "--graph", str(one), "--user", virtuoso.user, "--password", "not-it"])
    assert wrong.exit_code == 2 and "refused the data: HTTP 401" in wrong.output
    anonymous = runner.invoke(cli, ["push", "--endpoint", virtuoso.graph_store, "--graph", str(one)])
    assert anonymous.exit_code == 2 and "refused the data: HTTP 401" in anonymous.output
    assert not select(virtuoso, "SELECT * WHERE { GRAPH <urn:x-ccgraph:test> { ?s ?p ?o } }")
    right = runner.invoke(cli, ["push", "--endpoint", virtuoso.graph_store, "--graph", str(one), "--user", virtuoso.user, "--password", virtuoso.password])
    assert right.exit_code == 0, right.output
    assert select(virtuoso, "SELECT ?o WHERE { GRAPH <urn:x-ccgraph:test> { ?s ?p ?o } }") == [{"o": {"type": "literal", "value": "o"}}]
