"""The HTTP application: the SPARQL endpoint at /sparql, its service description, and CORS policy."""

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from functools import cached_property

import pyoxigraph as ox
from starlette.applications import Starlette

from ccgraph.graph.store import Store
from ccgraph.serve import negotiate
from ccgraph.serve.dataset import Served
from ccgraph.serve.engine import QueryEngine, Settings
from ccgraph.serve.protocol import Limits, ProtocolError, parse
from ccgraph.serve.reply import Reply, text_reply
from ccgraph.serve.site import Site

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")

# An oversized body is read to its end and thrown away before the 413 goes out: a client that is
# still sending (most send the whole body before reading) would otherwise get its connection reset
# and never see the answer. Past these bounds the connection is simply closed.
DRAIN_BYTES = 128 * 1024 * 1024
DRAIN_SECONDS = 30.0


@dataclass(frozen=True)
class ServerConfig:
    settings: Settings = Settings()
    limits: Limits = Limits()
    cors_origins: tuple[str, ...] = ()  # none: no CORS headers, browsers on other origins are refused


def create_app(served: Served, config: ServerConfig = ServerConfig(), project=None, store: Store | None = None) -> "Endpoint":
    """The app; `store` is the server process's own copy of the served data (opened here if not given)."""
    store = store if store is not None else served.open()
    engine = QueryEngine(store, config.settings)
    site = Site(store, engine, project)

    @asynccontextmanager
    async def lifespan(app):
        await engine.start()
        try:
            yield
        finally:
            await engine.close()

    pages = Starlette(routes=site.routes(), lifespan=lifespan)
    return Endpoint(pages, engine, store, config)


class Endpoint:
    """The ASGI app: /sparql answered here directly, everything else (and the lifespan) by Starlette.

    /sparql is the hot path and needs none of Starlette's layers (error and exception middleware,
    router, Request and Response objects): its errors are replies, and it reads the body itself.
    """

    def __init__(self, pages: Starlette, engine: QueryEngine, store: Store, config: ServerConfig):
        self.pages = pages
        self.engine = engine
        self.store = store
        self.config = config
        self.description = ServiceDescription(store)
        self.state = pages.state
        self.state.engine = engine
        self.state.store = store

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql":
            await self.sparql(scope, receive, send)
        else:
            await self.pages(scope, receive, send)

    async def sparql(self, scope, receive, send) -> None:
        headers = _Headers(scope["headers"])
        try:
            reply = await self.answer(scope, receive, headers)
        except Exception as error:  # a bug: one line to the client, the trace to the log
            import traceback

            traceback.print_exc()
            reply = text_reply(500, f"internal error: {type(error).__name__}")
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": _response_headers(reply, headers.get("origin"), self.config)})
        await send({"type": "http.response.body", "body": reply.body})

    async def answer(self, scope, receive, headers: "_Headers") -> Reply:
        method = scope["method"]
        if method == "OPTIONS":
            return Reply(204, "text/plain", b"")
        body = await _read_body(receive, headers.get("content-length"), self.config.limits.max_request_bytes)
        if isinstance(body, Reply):
            return body
        query_string = scope["query_string"].decode("latin-1")
        try:
            operation = parse(method, query_string, headers.get("content-type"), body, self.config.limits)
        except ProtocolError as error:
            return text_reply(error.status, error.message)
        endpoint = _endpoint_url(scope, headers)
        if operation is None:
            return self.description.reply(endpoint, headers.get("accept"))
        fmt = _format_param(query_string)
        accept = negotiate.FORMAT_PARAMS.get(fmt, headers.get("accept")) if fmt else headers.get("accept")
        return await self.engine.run(replace(operation, base_iri=endpoint), accept)


class _Headers:
    """ASGI request headers: the first value of each, by lower-case name."""

    def __init__(self, raw):
        self.values: dict[str, str] = {}
        for name, value in raw:
            self.values.setdefault(name.decode("latin-1"), value.decode("latin-1"))

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def _endpoint_url(scope, headers: _Headers) -> str:
    host = headers.get("host")
    if host is None:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{scope['path']}"


def _format_param(query_string: str) -> str | None:
    if "format=" not in query_string:
        return None
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query_string)).get("format")


async def _read_body(receive, declared: str | None, limit: int) -> bytes | Reply:
    too_large = text_reply(413, f"request body larger than {limit} bytes")
    if declared and declared.isdigit() and int(declared) > DRAIN_BYTES:
        return text_reply(413, too_large.body.decode().strip(), (("Connection", "close"),))
    message = await receive()
    body = message.get("body", b"")
    if not message.get("more_body", False):  # the usual case: the whole body in one message
        return too_large if len(body) > limit else body
    chunks, size = [body], len(body)
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while message.get("more_body", False):
                message = await receive()
                if message["type"] == "http.disconnect":
                    return text_reply(400, "the client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > DRAIN_BYTES:
                    return text_reply(413, too_large.body.decode().strip(), (("Connection", "close"),))
                if size <= limit:
                    chunks.append(chunk)
    except TimeoutError:
        return text_reply(408, "request body not received in time", (("Connection", "close"),))
    return too_large if size > limit else b"".join(chunks)


def _response_headers(reply: Reply, origin: str | None, config: ServerConfig) -> list[tuple[bytes, bytes]]:
    headers = {"content-type": reply.media_type, "content-length": str(len(reply.body)), "vary": "Accept, Origin",
               "x-content-type-options": "nosniff"}
    headers.update((name.lower(), value) for name, value in reply.headers)
    if origin and ("*" in config.cors_origins or origin in config.cors_origins):
        headers["access-control-allow-origin"] = "*" if "*" in config.cors_origins else origin
        headers["access-control-allow-methods"] = "GET, POST, OPTIONS"
        headers["access-control-allow-headers"] = "Content-Type, Accept"
    if reply.status == 405:
        headers["allow"] = "GET, POST"
    if reply.status == 204:
        del headers["content-type"]
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class ServiceDescription:
    """The SPARQL 1.1 Service Description: the endpoint, its formats, and every graph it holds."""

    def __init__(self, store: Store):
        self.store = store

    @cached_property
    def sizes(self) -> dict[str, int]:
        return {name: n for name, n in self.store.graph_sizes(closure=True).items() if name}

    def triples(self, endpoint: str) -> list[ox.Triple]:
        service = ox.NamedNode(endpoint)
        sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
        out = [ox.Triple(service, RDF_TYPE, sd("Service")), ox.Triple(service, sd("endpoint"), service),
               ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")), ox.Triple(service, sd("feature"), sd("UnionDefaultGraph"))]
        for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD",
                    "RDF_XML"):
            out.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + fmt)))
        dataset, default_graph = ox.BlankNode(), ox.BlankNode()
        out += [ox.Triple(service, sd("defaultDataset"), dataset), ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
                ox.Triple(dataset, sd("defaultGraph"), default_graph), ox.Triple(default_graph, RDF_TYPE, sd("Graph"))]
        for name, count in self.sizes.items():
            node, graph = ox.BlankNode(), ox.BlankNode()
            out += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, sd("name"), ox.NamedNode(name)),
                    ox.Triple(node, sd("graph"), graph), ox.Triple(graph, RDF_TYPE, sd("Graph")),
                    ox.Triple(graph, VOID_TRIPLES, ox.Literal(str(count), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))]
        return out

    def reply(self, endpoint: str, accept: str | None) -> Reply:
        from ccgraph.render.results import triples_as

        media, name = negotiate.choose(accept, "graph") or ("text/turtle", "turtle")
        body = triples_as(self.triples(endpoint), negotiate.RDF_FORMATS[name], {"sd": SD, "void": "http://rdfs.org/ns/void#"})
        return Reply(200, f"{media}; charset=utf-8", body)
