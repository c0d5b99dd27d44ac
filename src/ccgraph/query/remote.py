"""External triple stores: push the dataset (Graph Store Protocol or SPARQL Update) and run saved
queries there through SPARQLWrapper, with parameters as a VALUES block of RDF terms.

A store that wants a login (Virtuoso's /sparql-graph-crud-auth, a Fuseki or GraphDB with users) gets
user and password by the scheme its 401 challenge names, Digest or Basic. A store whose default graph
is not the union of the pushed graphs (Virtuoso's is every graph it holds, its system graphs too) is
queried with the dataset named in the request: one SPARQL protocol `default-graph-uri` per graph.
"""

import json
from collections.abc import Sequence
from urllib.error import HTTPError, URLError

import httpx
from rdflib import Dataset, Graph, URIRef

from ccgraph.errors import CcgraphError
from ccgraph.query.saved import SavedQuery, prepare, with_values

TIMEOUT = 60.0
INSERT_BATCH = 2000  # triples per INSERT DATA request


class Credentials(httpx.Auth):
    """User and password, sent as the server's first 401 challenge asks: Digest or Basic."""

    def __init__(self, user: str, password: str):
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self._scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            schemes = {challenge.split(" ", 1)[0].lower() for challenge in response.headers.get_list("www-authenticate")}
            if "digest" in schemes:
                self._scheme = self._digest
                flow = self._digest.auth_flow(request)
                next(flow)
                try:
                    request = flow.send(response)  # answers this challenge; later requests reuse it
                except StopIteration:
                    return
                yield request
                return
            if "basic" not in schemes:
                return
            self._scheme = self._basic
        yield from self._scheme.auth_flow(request)


def push(dataset: Dataset, endpoint: str, protocol: str = "gsp", user: str | None = None, password: str = "") -> dict[str, int]:
    """Replace each named graph of the dataset in the store; returns triples sent per graph.

    With a user, the password goes by the scheme the store's 401 challenge names (Digest or Basic).
    """
    sent = {}
    graphs = sorted((g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)), key=lambda g: str(g.identifier))
    auth = Credentials(user, password) if user else None
    try:
        with httpx.Client(timeout=TIMEOUT, auth=auth) as client:
            for graph in graphs:
                if protocol == "gsp":
                    _put_graph(client, endpoint, graph)
                else:
                    _insert_graph(client, endpoint, graph)
                sent[str(graph.identifier)] = len(graph)
    except httpx.HTTPError as exc:
        raise CcgraphError(f"cannot reach {endpoint}: {exc.__class__.__name__}: {exc}") from None
    return sent


def _check(response: httpx.Response, endpoint: str) -> None:
    if response.status_code >= 300:
        excerpt = " ".join(response.text.split())[:160]
        raise CcgraphError(f"{endpoint} refused the data: HTTP {response.status_code} {excerpt}")


def _put_graph(client: httpx.Client, endpoint: str, graph: Graph) -> None:
    body = graph.serialize(format="nt", encoding="utf-8")
    response = client.put(endpoint, params={"graph": str(graph.identifier)}, content=body,
                          headers={"Content-Type": "application/n-triples"})
    _check(response, endpoint)


def _insert_graph(client: httpx.Client, endpoint: str, graph: Graph) -> None:
    name = URIRef(graph.identifier).n3()
    _check(client.post(endpoint, content=f"CLEAR SILENT GRAPH {name}".encode(), headers={"Content-Type": "application/sparql-update"}), endpoint)
    triples = list(graph)
    for start in range(0, len(triples), INSERT_BATCH):
        lines = " ".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples[start:start + INSERT_BATCH])
        update = f"INSERT DATA {{ GRAPH {name} {{ {lines} }} }}"
        _check(client.post(endpoint, content=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}), endpoint)


def run_remote(query: SavedQuery, values: dict[str, str], endpoint: str, default_graphs: Sequence[str] = ()) -> dict:
    """The SPARQL JSON results of a saved query run on a remote endpoint.

    default_graphs (graph IRIs) go as the SPARQL protocol's default-graph-uri parameters: the
    query's default graph is then their merge, whatever the store's own default graph is.
    """
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    text = with_values(query.text, query.bindings(values))
    kind = prepare(text, str(query.path)).algebra.name.removesuffix("Query").upper()  # SELECT, ASK, CONSTRUCT, DESCRIBE
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    for graph in default_graphs:
        client.addDefaultGraph(str(graph))
    client.queryType = kind  # SPARQLWrapper guesses the type from keywords, comments included ("move from ...")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(TIMEOUT))
    try:
        return client.query().convert()
    except HTTPError as exc:
        raise CcgraphError(f"{endpoint} answered HTTP {exc.code}: {' '.join(str(exc.reason).split())[:160]}") from None
    except URLError as exc:
        raise CcgraphError(f"cannot reach {endpoint}: {exc.reason}") from None
    except (SPARQLWrapperException, json.JSONDecodeError, OSError) as exc:
        raise CcgraphError(f"{endpoint}: {' '.join(str(exc).split())[:200]}") from None
