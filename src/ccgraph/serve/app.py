"""The HTTP application: the SPARQL endpoint at /sparql, its service description, and CORS policy."""

from contextlib import asynccontextmanager
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ccgraph.serve import negotiate
from ccgraph.serve.engine import QueryEngine, Reply, Settings, text_reply
from ccgraph.serve.protocol import Limits, ProtocolError, parse
from ccgraph.serve.site import Site

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


@dataclass(frozen=True)
class ServerConfig:
    settings: Settings = Settings()
    limits: Limits = Limits()
    cors_origins: tuple[str, ...] = ()  # none: no CORS headers, browsers on other origins are refused


def create_app(dataset: Dataset, config: ServerConfig = ServerConfig(), project=None) -> Starlette:
    engine = QueryEngine(dataset, config.settings)
    site = Site(dataset, engine, project)

    async def sparql(request: Request) -> Response:
        body = await _read_body(request, config.limits.max_request_bytes)
        accept = negotiate.FORMAT_PARAMS.get(request.query_params.get("format", ""), request.headers.get("accept"))
        if isinstance(body, Reply):
            return _respond(body, request, config)
        try:
            operation = parse(request.method, request.url.query, request.headers.get("content-type"), body, config.limits)
        except ProtocolError as error:
            return _respond(text_reply(error.status, error.message), request, config)
        if operation is None:
            return _respond(_service_description(dataset, str(request.url.replace(query="")), request.headers.get("accept")), request, config)
        reply = await run_in_threadpool(engine.run, operation, accept)
        return _respond(reply, request, config)

    async def options(request: Request) -> Response:
        return _respond(Reply(204, "text/plain", b""), request, config)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/sparql", options, methods=["OPTIONS"]),
        *site.routes(),
    ]
    @asynccontextmanager
    async def lifespan(app):
        yield
        engine.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.engine = engine
    return app


async def _read_body(request: Request, limit: int) -> bytes | Reply:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return text_reply(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return text_reply(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _respond(reply: Reply, request: Request, config: ServerConfig) -> Response:
    headers = dict(reply.headers)
    headers["Vary"] = "Accept, Origin"
    headers["X-Content-Type-Options"] = "nosniff"
    origin = request.headers.get("origin")
    if origin and ("*" in config.cors_origins or origin in config.cors_origins):
        headers["Access-Control-Allow-Origin"] = "*" if "*" in config.cors_origins else origin
        headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    if reply.status == 405:
        headers["Allow"] = "GET, POST"
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)


def _service_description(dataset: Dataset, endpoint: str, accept: str | None) -> Reply:
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD"):
        graph.add((service, SD.resultFormat, FORMATS[fmt]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    default_dataset = BNode()
    graph.add((service, SD.defaultDataset, default_dataset))
    graph.add((default_dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    graph.add((default_dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(named) or not isinstance(named.identifier, URIRef):
            continue
        node = BNode()
        graph.add((default_dataset, SD.namedGraph, node))
        graph.add((node, SD.name, named.identifier))
        description = BNode()
        graph.add((node, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        graph.add((description, URIRef("http://rdfs.org/ns/void#triples"), Literal(len(named))))
    chosen = negotiate.choose(accept, "graph") or ("text/turtle", "turtle")
    return Reply(200, f"{chosen[0]}; charset=utf-8", graph.serialize(format=chosen[1], encoding="utf-8"))
