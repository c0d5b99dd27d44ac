"""The live endpoint with the ccgraph dataset: real clients, content negotiation and every hardening default."""

import csv
import io
import socket
import subprocess
import threading
import time

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper

from ccgraph.query.saved import run, run_rdflib, saved_queries, with_values

from live_server import running_server
from load_mix import example_values

COUNT_KEY_AREAS = "PREFIX ccg: <https://w3id.org/ccgraph/ontology#> SELECT (COUNT(?k) AS ?n) WHERE { ?k a ccg:KeyArea }"


@pytest.fixture(scope="module")
def endpoint():
    with running_server("--timeout", "30", "--max-rows", "500", "--max-request-bytes", "20000") as url:
        yield url


def test_saved_queries_answer_the_same_through_sparqlwrapper(endpoint, project, graph):
    """Served with the closure graph beside them, the saved queries answer as rdflib does on the asserted graphs."""
    from ccgraph.query.remote import run_remote

    for query in saved_queries(project.queries_dir).values():
        values = example_values(query)
        remote = run_remote(query, values, endpoint)  # SPARQLWrapper, VALUES block
        variables = remote["head"]["vars"]
        served = sorted(tuple(row.get(v, {}).get("value", "") for v in variables) for row in remote["results"]["bindings"])
        local = sorted(tuple("" if value is None else str(value) for value in row) for row in run_rdflib(graph, query, values))
        assert served == local, query.name
        assert served, f"{query.name}: the example should have answers"


def test_saved_queries_answer_as_the_cli_does(endpoint, project, store):
    for query in saved_queries(project.queries_dir).values():
        values = example_values(query)
        response = httpx.post(endpoint, data={"query": with_values(query.text, query.bindings(values))}, timeout=60)
        body = response.json()
        served = sorted(tuple(b.get(v, {}).get("value", "") for v in body["head"]["vars"]) for b in body["results"]["bindings"])
        assert served == sorted(tuple("" if t is None else t.value for t in row) for row in run(store, query, values)), query.name


def test_plain_sparqlwrapper_client(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(COUNT_KEY_AREAS)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "4"


def test_curl_get_and_direct_post(endpoint):
    got = subprocess.run(["curl", "-sS", "-G", endpoint, "--data-urlencode", f"query={COUNT_KEY_AREAS}",
                          "-H", "Accept: text/csv"], capture_output=True, text=True, check=True)
    assert list(csv.reader(io.StringIO(got.stdout))) == [["n"], ["4"]]
    posted = subprocess.run(["curl", "-sS", endpoint, "-H", "Content-Type: application/sparql-query",
                             "-H", "Accept: application/sparql-results+xml", "--data-binary", COUNT_KEY_AREAS],
                            capture_output=True, text=True, check=True)
    assert "<literal datatype=\"http://www.w3.org/2001/XMLSchema#integer\">4</literal>" in posted.stdout


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_formats(endpoint, accept, media):
    response = httpx.get(endpoint, params={"query": COUNT_KEY_AREAS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    if media == "text/tab-separated-values":
        assert response.text.splitlines()[0] == "?n"
        assert response.text.splitlines()[1] == '"4"^^<http://www.w3.org/2001/XMLSchema#integer>'


@pytest.mark.parametrize("accept,parser", [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")])
def test_construct_formats(endpoint, accept, parser):
    query = "PREFIX ccg: <https://w3id.org/ccgraph/ontology#> CONSTRUCT { ?k a ccg:KeyArea } WHERE { ?k a ccg:KeyArea }"
    response = httpx.post(endpoint, data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.content, format=parser)) == 4


def test_unacceptable_format_is_406(endpoint):
    assert httpx.get(endpoint, params={"query": COUNT_KEY_AREAS}, headers={"Accept": "image/png"}).status_code == 406


def test_service_description_names_the_graphs(endpoint):
    response = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.text, format="turtle")
    names = {str(o) for o in description.objects(None, __import__("rdflib").URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert {"https://w3id.org/ccgraph/id/graph/functional-map", "https://w3id.org/ccgraph/id/graph/closure"} <= names


CLOSURE = "https://w3id.org/ccgraph/id/graph/closure"
INFERRED = ("<https://w3id.org/ccgraph/id/functional-map/GS-CC-AA1.1> <http://www.w3.org/2004/02/skos/core#broaderTransitive> "
            "<https://w3id.org/ccgraph/id/functional-map/A>")


def ask(endpoint, query, **params) -> bool:
    response = httpx.get(endpoint, params={"query": query, **params})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_closure_is_a_named_graph_of_its_own(endpoint):
    assert ask(endpoint, f"ASK {{ GRAPH <{CLOSURE}> {{ {INFERRED} }} }}") is True
    assert ask(endpoint, f"ASK {{ GRAPH ?g {{ {INFERRED} }} }}") is True  # GRAPH ?g reaches it too
    assert ask(endpoint, f"ASK FROM <{CLOSURE}> {{ {INFERRED} }}") is True
    assert ask(endpoint, f"ASK {{ {INFERRED} }}", **{"default-graph-uri": CLOSURE}) is True


def test_closure_is_not_in_the_default_graph(endpoint, store):
    """The default graph is the asserted union, as for `ccgraph query`: no inferred triple answers there."""
    assert ask(endpoint, f"ASK {{ {INFERRED} }}") is False
    assert store.ask(f"ASK {{ {INFERRED} }}") is False
    inferred_only = "SELECT (COUNT(*) AS ?n) WHERE { ?s skos:broaderTransitive ?o }"
    served = httpx.get(endpoint, params={"query": inferred_only}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(served) == int(store.select(inferred_only).rows[0][0].value)
    # with GRAPH in the query the default graph is still only the asserted graphs
    assert ask(endpoint, f"ASK {{ {INFERRED} GRAPH ?g {{ ?s ?p ?o }} }}") is False


def test_from_and_protocol_graphs_choose_the_dataset(endpoint, store):
    fm = "https://w3id.org/ccgraph/id/graph/functional-map"
    count = "SELECT (COUNT(*) AS ?n) {q} WHERE {{ ?s ?p ?o }}"
    numbers = {}
    for name, query, params in (("all", count.format(q=""), {}), ("from", count.format(q=f"FROM <{fm}>"), {}),
                                ("protocol", count.format(q=""), {"default-graph-uri": fm}),
                                ("protocol wins", count.format(q=f"FROM <{CLOSURE}>"), {"default-graph-uri": fm})):
        response = httpx.get(endpoint, params={"query": query, **params})
        numbers[name] = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert numbers["from"] == numbers["protocol"] == numbers["protocol wins"] == store.graph_sizes()[fm] < numbers["all"]


# ---------------------------------------------------------------- hardening


def test_updates_are_refused(endpoint):
    for response in (
        httpx.post(endpoint, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        httpx.post(endpoint, content=b"LOAD <file:///etc/passwd>", headers={"Content-Type": "application/sparql-update"}),
        httpx.get(endpoint, params={"update": "CLEAR ALL"}),
    ):
        assert response.status_code == 403
    # an update smuggled in as a query is not a query: refused as bad syntax, never run
    assert httpx.post(endpoint, data={"query": "DROP ALL"}).status_code == 400
    assert httpx.get(endpoint, params={"query": COUNT_KEY_AREAS}).json()["results"]["bindings"][0]["n"]["value"] == "4"


def test_graph_store_writes_are_refused(endpoint):
    for method in ("PUT", "DELETE", "PATCH"):
        assert httpx.request(method, endpoint, content=b"<urn:a> <urn:b> <urn:c> .").status_code == 405


def test_from_file_never_reads_the_file(endpoint):
    query = "SELECT ?s ?p ?o FROM <file:///etc/passwd> FROM NAMED <file:///etc/hostname> WHERE { ?s ?p ?o }"
    response = httpx.get(endpoint, params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    assert "root" not in response.text


def test_service_is_refused_without_any_fetch(endpoint):
    """A listener stands where SERVICE points: it must never see a connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    response = httpx.get(endpoint, params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 400 and "SERVICE" in response.text
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_slow_query_is_stopped_at_the_timeout_and_the_server_recovers():
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with running_server("--no-closure", "--timeout", "2") as url:
        started = time.monotonic()
        response = httpx.get(url, params={"query": slow}, timeout=30)
        elapsed = time.monotonic() - started
        assert response.status_code == 503 and "time limit" in response.text
        assert elapsed < 10
        for _ in range(3):  # the killed worker has been replaced
            assert httpx.get(url, params={"query": COUNT_KEY_AREAS}, timeout=30).status_code == 200


def test_result_rows_are_capped(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 500
    assert response.headers["ccgraph-truncated"] == "500 rows"


def test_request_size_is_capped(endpoint):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30000
    assert httpx.post(endpoint, data={"query": big}).status_code == 413


def test_cors_is_off_by_default(endpoint):
    response = httpx.get(endpoint, params={"query": COUNT_KEY_AREAS}, headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_when_configured_and_no_closure():
    with running_server("--no-closure", "--cors-origin", "http://allowed.example") as url:
        allowed = httpx.get(url, params={"query": COUNT_KEY_AREAS}, headers={"Origin": "http://allowed.example"})
        other = httpx.get(url, params={"query": COUNT_KEY_AREAS}, headers={"Origin": "http://other.example"})
        closure_served = ask(url, f"ASK {{ GRAPH <{CLOSURE}> {{ ?s ?p ?o }} }}")
        description = httpx.get(url, headers={"Accept": "application/n-triples"}).text
    assert allowed.headers["access-control-allow-origin"] == "http://allowed.example"
    assert "access-control-allow-origin" not in other.headers
    assert closure_served is False and CLOSURE not in description and "id/graph/functional-map" in description


def test_concurrency_is_bounded():
    """One worker, short queue wait: a second query arriving while a slow one runs is told to retry."""
    with running_server("--no-closure", "--workers", "1", "--timeout", "4", "--queue-wait", "0.5") as url:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        results = {}
        thread = threading.Thread(target=lambda: results.setdefault("slow", httpx.get(url, params={"query": slow}, timeout=30)))
        thread.start()
        time.sleep(0.5)
        quick = httpx.get(url, params={"query": COUNT_KEY_AREAS}, timeout=30)
        thread.join()
        after = httpx.get(url, params={"query": COUNT_KEY_AREAS}, timeout=30)
    assert results["slow"].status_code == 503 and "time limit" in results["slow"].text
    assert quick.status_code == 503 and "busy" in quick.text and quick.headers["retry-after"] == "1"
    assert after.status_code == 200


@pytest.mark.parametrize("name,message", [("missing.ttl", "no such file"), ("notes.txt", "unknown RDF file type")])
def test_bad_files_are_one_line_errors(tmp_path, name, message):
    from click.testing import CliRunner

    from ccgraph.cli import cli

    (tmp_path / "notes.txt").write_text("not RDF")
    for spec in (str(tmp_path / name), f"urn:g={tmp_path / name}"):
        result = CliRunner().invoke(cli, ["serve", "--no-project", "--port", "0", spec])
        assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1, result.output
