"""The request mix for the load test and the load benchmark: saved queries and hostile requests.

Each request comes with what a correct server answers: the rows for a saved query (computed in this
process, on the rdflib reference graph for the load test's mix, on the store for the benchmark's
lookups), or the 4xx status for a hostile request.
"""

import shlex
from dataclasses import dataclass

from ccgraph.query.saved import run, run_rdflib, saved_queries, with_values


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    data: dict | None = None
    params: dict | None = None
    content: bytes | None = None
    headers: dict | None = None
    expected_status: int = 200
    expected_rows: tuple | None = None

    def send(self, client, url):
        return client.request(self.method, url, data=self.data, params=self.params, content=self.content,
                               headers={"Accept": "application/sparql-results+json", **(self.headers or {})})

    def check(self, response) -> str | None:
        if response.status_code != self.expected_status:
            return f"{self.name}: status {response.status_code}, expected {self.expected_status}"
        if self.expected_rows is not None:
            body = response.json()
            variables = body["head"]["vars"]
            rows = sorted(tuple(b.get(v, {}).get("value", "") for v in variables) for b in body["results"]["bindings"])
            if tuple(rows) != self.expected_rows:
                return f"{self.name}: wrong answer"
        return None


def example_values(query) -> dict[str, str]:
    words = shlex.split(query.examples[0])
    return dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}


def lookups(project, store, names) -> list[Probe]:
    """The saved queries named, their example parameters bound in a VALUES block, answers from the store."""
    mix = []
    for name in names:
        query = saved_queries(project.queries_dir)[name]
        values = example_values(query)
        expected = tuple(sorted(tuple("" if t is None else t.value for t in row) for row in run(store, query, values)))
        mix.append(Probe(name, "POST", data={"query": with_values(query.text, query.bindings(values))}, expected_rows=expected))
    return mix


def probes(project, graph) -> list[Probe]:
    mix = []
    for query in saved_queries(project.queries_dir).values():
        values = example_values(query)
        expected = tuple(sorted(tuple("" if v is None else str(v) for v in row) for row in run_rdflib(graph, query, values)))
        mix.append(Probe(query.name, "POST", data={"query": with_values(query.text, query.bindings(values))}, expected_rows=expected))
    mix += [
        Probe("syntax error", "GET", params={"query": "SELECT * WHERE { ?s ?p"}, expected_status=400),
        Probe("update as form", "POST", data={"update": "DROP ALL"}, expected_status=403),
        Probe("LOAD a file", "POST", content=b"LOAD <file:///etc/passwd>", headers={"Content-Type": "application/sparql-update"},
              expected_status=403),
        Probe("SERVICE", "GET", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, expected_status=400),
        Probe("FROM file", "GET", params={"query": "ASK FROM <file:///etc/passwd> { ?s ?p ?o }"}, expected_status=200),
        Probe("two queries", "GET", params={"query": ["ASK {}", "ASK {}"]}, expected_status=400),
        Probe("wrong media type", "POST", content=b"ASK {}", headers={"Content-Type": "text/plain"}, expected_status=415),
        Probe("not UTF-8", "POST", content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
              expected_status=400),
        Probe("too large", "POST", data={"query": "ASK {} #" + "x" * 2_000_000}, expected_status=413),
        Probe("quotes and braces", "POST", data={"query": 'SELECT * WHERE { ?s ?p "\\"}}{{" }'}, expected_rows=()),
        Probe("PUT", "PUT", content=b"<urn:a> <urn:b> <urn:c> .", headers={"Content-Type": "text/turtle"}, expected_status=405),
    ]
    return mix
