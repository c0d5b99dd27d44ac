"""A runner for the W3C SPARQL 1.1 Protocol test manifest, against any live endpoint.

It reads the manifest (mf:ProtocolTest entries, each with ht:Request lists), sends every request
in order to the endpoint, replacing the manifest's '/sparql/' path prefix with the endpoint's path,
and checks the status class, the result format and the boolean answer.

A read-only endpoint must refuse every update with a 4xx: in read-only mode update requests are
expected to fail that way, and the query requests of update tests are checked for status only
(their expected answers depend on the update having happened).
"""

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

TABULAR_TYPES = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values"}
BOOLEAN_TYPES = {"application/sparql-results+xml", "application/sparql-results+json"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt",
             "application/ld+json": "json-ld"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: tuple[int, ...]  # status classes: 2 for 2xx, ...
    expected_format: str | None
    expected_boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        if "sparql-update" in content_type:
            return True
        fields = dict(parse_qsl(urlsplit(self.path).query))
        if "update" in fields:
            return True
        if self.body and "x-www-form-urlencoded" in content_type:
            return "update" in dict(parse_qsl(self.body.decode("utf-8", "replace")))
        return False


@dataclass(frozen=True)
class ProtocolTest:
    iri: str
    name: str
    graph_data: tuple[tuple[str, Path], ...]  # (graph name, file)
    requests: tuple[Request, ...]

    @property
    def is_update_test(self) -> bool:
        return self.iri.rsplit("#", 1)[-1].startswith("update_") or any(r.is_update for r in self.requests)


@dataclass
class Outcome:
    test: ProtocolTest
    passed: bool
    notes: list[str] = field(default_factory=list)


def read_manifest(path: Path) -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        graph_data = []
        for data in graph.objects(entry, UT.graphData):
            file_iri = str(graph.value(data, UT.graph))
            graph_data.append((str(graph.value(data, RDFS.label)), Path(urlsplit(file_iri).path)))
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, node) for node in Collection(graph, graph.value(action, HT.requests)))
        tests.append(ProtocolTest(str(entry), str(graph.value(entry, MF.name)), tuple(graph_data), requests))
    return tests


def _request(graph: Graph, node) -> Request:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = tuple(sorted(int(str(s).rsplit("StatusCode", 1)[1][0]) for s in graph.objects(response, MF.expectedStatus)))
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Request(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)), headers, body,
                   statuses, None if fmt is None else str(fmt), None if boolean is None else bool(boolean.toPython()))


def run(tests: list[ProtocolTest], endpoint: str, read_only: bool = True, timeout: float = 30.0) -> list[Outcome]:
    import httpx

    parts = urlsplit(endpoint)
    base = f"{parts.scheme}://{parts.netloc}"
    outcomes = []
    with httpx.Client(timeout=timeout) as client:
        for test in tests:
            outcome = Outcome(test, True)
            for request in test.requests:
                rest = request.path[len("/sparql/"):] if request.path.startswith("/sparql/") else request.path
                path = parts.path + rest
                response = client.request(request.method, base + path, headers=request.headers, content=request.body)
                for problem in _judge(request, response, test.is_update_test and read_only):
                    outcome.passed = False
                    outcome.notes.append(f"{request.method} {path[:80]}: {problem}")
            outcomes.append(outcome)
    return outcomes


def _judge(request: Request, response, read_only_update_test: bool) -> list[str]:
    status_class = response.status_code // 100
    if read_only_update_test and request.is_update:
        return [] if status_class == 4 else [f"update answered {response.status_code}; a read-only endpoint must refuse it with 4xx"]
    if status_class not in request.expected_status:
        return [f"status {response.status_code}, expected {'/'.join(f'{c}xx' for c in request.expected_status)}"]
    if read_only_update_test or status_class != 2:
        return []
    problems = []
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.expected_format == "tabular" and media not in TABULAR_TYPES:
        problems.append(f"content type {media}, expected a tabular result format")
    if request.expected_format == "boolean" and media not in BOOLEAN_TYPES:
        problems.append(f"content type {media}, expected a boolean result format")
    if request.expected_format == "RDF":
        if media not in RDF_TYPES:
            problems.append(f"content type {media}, expected an RDF format")
        else:
            try:
                Graph().parse(data=response.content, format=RDF_TYPES[media])
            except Exception as exc:  # the body must really be RDF
                problems.append(f"body does not parse as {media}: {exc}")
    if request.expected_boolean is not None:
        answer = _boolean(media, response.content)
        if answer != request.expected_boolean:
            problems.append(f"answer {answer}, expected {request.expected_boolean}")
    return problems


def _boolean(media: str, body: bytes) -> bool | None:
    try:
        if "json" in media:
            return bool(json.loads(body)["boolean"])
        if "xml" in media:
            root = ElementTree.fromstring(body)
            element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
            return None if element is None else element.text.strip() == "true"
    except (ValueError, KeyError, ElementTree.ParseError):
        return None
    return None


def graph_files(tests: list[ProtocolTest]) -> list[tuple[str, Path]]:
    """Every graph the tests expect the endpoint to hold, once each."""
    seen = {}
    for test in tests:
        for name, path in test.graph_data:
            seen.setdefault(name, path)
    return sorted(seen.items())
