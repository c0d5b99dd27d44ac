"""The routes of the web front end: entity pages (with content negotiation), saved-query forms, the
editor, and the audit, matrix and trace reports."""

import asyncio
import json
from functools import cached_property, partial
from pathlib import Path

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import ID
from ccgraph.graph.store import PREFIX_MAP, Store
from ccgraph.serve import negotiate
from ccgraph.serve import pages
from ccgraph.serve import browse, downloads, mapping_pages, search_pages
from ccgraph.serve import vendor
from ccgraph.serve.protocol import Operation

# What an entity's IRI gives RDF clients: media type -> serializer name (negotiate.RDF_FORMATS).
RDF_TYPES = {media: negotiate.GRAPH[media] for media in ("text/turtle", "application/ld+json", "application/n-triples")}


class Site:
    def __init__(self, store: Store, engine, project=None):
        self.store = store
        self.engine = engine
        self.project = project
        self.entities = pages.EntityPages(store, project)
        self._once: dict[str, asyncio.Future] = {}

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home), Route("/id/{path:path}", self.entity), Route("/query", self.query_list),
            Route("/query/{name}", self.query_run), Route("/editor", self.editor), Route("/audit", self.audit),
            Route("/matrix", self.matrix), Route("/trace", self.trace), Route("/ontology", self.ontology), Route("/assets/yasgui/{name}", self.yasgui_asset),
            # Find, browse and read: handlers in serve/browse.py, mapping_pages.py, search_pages.py and downloads.py, given this site.
            Route("/browse", partial(browse.browse, self)), Route("/browse/{path:path}", partial(browse.browse_scheme, self)),
            Route("/a-z", partial(browse.a_to_z, self)), Route("/roles", partial(browse.roles, self)),
            Route("/competencies", partial(browse.competencies, self)), Route("/api/entity", partial(browse.api_entity, self)),
            Route("/mappings", partial(mapping_pages.mapping_list, self)),
            Route("/mappings/{name}.sssom.tsv", partial(mapping_pages.mapping_download, self)),
            Route("/mappings/{name}", partial(mapping_pages.mapping_set, self)),
            Route("/search", partial(search_pages.search_page, self)), Route("/api/search", partial(search_pages.search_api, self)),
            Route("/downloads", partial(downloads.downloads_page, self)), Route("/downloads/{name:path}", partial(downloads.download_file, self)),
        ]

    @cached_property
    def yasgui_dir(self):
        """The vendored YASGUI folder, or None when `ccgraph vendor` has not fetched it."""
        if self.project and vendor.is_vendored(self.project.build_dir):
            return vendor.asset_dir(self.project.build_dir)
        return None

    @cached_property
    def registry(self):
        from ccgraph.query.saved import saved_queries

        return saved_queries(self.project.queries_dir) if self.project else {}

    async def home(self, request: Request) -> Response:
        return HTMLResponse(await self.once("home", self.entities.home))

    async def entity(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or b""  # as sent, so that an IRI's %26 (M&LA2) is not read as '&'
        text = str(ID) + (raw.decode("latin-1")[len("/id/"):] if raw.startswith(b"/id/") else request.path_params["path"])
        try:
            iri = ox.NamedNode(text)
        except ValueError:
            iri = None
        if iri is None or not await run_in_threadpool(self.entities.exists, iri):
            return HTMLResponse(pages.layout("Not found", f"<p>No entity {pages.html.escape(text)} in the graph.</p>"), status_code=404)
        wanted = negotiate.FORMAT_PARAMS.get(request.query_params.get("format", ""))
        if wanted not in RDF_TYPES:
            wanted = _rdf_accept(request.headers.get("accept", ""))
        if wanted:
            from ccgraph.render.results import triples_as

            triples = await run_in_threadpool(self.entities.description, iri)
            body = triples_as(triples, negotiate.RDF_FORMATS[RDF_TYPES[wanted]], PREFIX_MAP)
            return Response(body, media_type=wanted, headers={"Vary": "Accept"})
        return HTMLResponse(await run_in_threadpool(self.entities.page, iri), headers={"Vary": "Accept"})

    async def query_list(self, request: Request) -> Response:
        return HTMLResponse(pages.query_forms(self.registry))

    async def query_run(self, request: Request) -> Response:
        from ccgraph.query.saved import with_values

        query = self.registry.get(request.path_params["name"])
        if query is None:
            return HTMLResponse(pages.layout("Not found", "<p>No such saved query.</p>"), status_code=404)
        values = {k: v for k, v in request.query_params.items() if v != ""}
        try:
            text = with_values(query.text, query.bindings(values))
        except CcgraphError as error:
            return HTMLResponse(pages.layout(query.title, f'<p id="error">{pages.html.escape(str(error))}</p>'), status_code=400)
        reply = await self.engine.run(Operation(text, (), ()), "application/sparql-results+json")
        if reply.status != 200:
            return HTMLResponse(pages.layout(query.title, f'<p id="error">{pages.html.escape(reply.body.decode())}</p>'), status_code=reply.status)
        data = json.loads(reply.body)
        variables = data["head"]["vars"]
        rows, links = [], []
        for binding in data["results"]["bindings"]:
            rows.append([binding.get(v, {}).get("value", "") for v in variables])
            links.append([pages.local_path(binding[v]["value"]) if binding.get(v, {}).get("type") == "uri" else None for v in variables])
        return HTMLResponse(pages.result_table(query.title, variables, rows, links))

    async def editor(self, request: Request) -> Response:
        return HTMLResponse(pages.editor(yasgui=self.yasgui_dir is not None))

    async def yasgui_asset(self, request: Request) -> Response:
        # Only the files the vendoring step keeps, by exact name: no path reaches the file system.
        name = request.path_params["name"]
        allowed = {Path(f).name for f in vendor.YASGUI.files}
        if self.yasgui_dir is None or name not in allowed:
            return Response("Not found", status_code=404, media_type="text/plain")
        return FileResponse(self.yasgui_dir / name, headers={"Cache-Control": "public, max-age=86400"})

    async def once(self, name: str, compute):
        """compute() in a thread the first time, its result kept: concurrent first calls share one run.

        The served data never changes while the server runs, so neither do the reports. A failure is
        not kept: the next call tries again.
        """
        future = self._once.get(name)
        if future is None:
            future = self._once[name] = asyncio.ensure_future(run_in_threadpool(compute))
            future.add_done_callback(lambda done: self._forget_failure(name, done))
        return await asyncio.shield(future)

    def _forget_failure(self, name: str, done: asyncio.Future) -> None:
        if done.cancelled() or done.exception() is not None:
            self._once.pop(name, None)

    async def ontology(self, request: Request) -> Response:
        """The ontology's documentation (pyLODE): every class and property at #LocalName, so that
        https://w3id.org/ccgraph/ontology#Name resolves to its anchor here."""
        if self.project is None:
            return HTMLResponse(pages.layout("Ontology", "<p>No project served, so no ontology.</p>"), status_code=404)
        from ccgraph.publish.ontology_docs import render

        return HTMLResponse(await self.once("ontology", lambda: render(self.project)))

    async def audit(self, request: Request) -> Response:
        return HTMLResponse(pages.with_nav(await self.once("audit", self._render_audit)))

    def _render_audit(self) -> str:
        from ccgraph.checks.audit import audit
        from ccgraph.checks.validate import load_shapes
        from ccgraph.render import audit_page, heatmap

        shapes = load_shapes(self.project.shapes_dir) if self.project else None
        grid = self._matrix()
        return audit_page.render(audit(self.store, shapes), heatmap.to_svg(grid) if grid.rows else None)

    def _matrix(self):
        from ccgraph.query.matrix import from_store

        return from_store(self.store)

    async def matrix(self, request: Request) -> Response:
        from ccgraph.render import heatmap

        grid = await self.once("matrix", self._matrix)
        if not grid.rows:
            return HTMLResponse(pages.layout("Matrix", "<p>No role x competency matrix in this dataset.</p>"), status_code=404)
        return HTMLResponse(pages.with_nav(heatmap.to_html(grid)))

    async def trace(self, request: Request) -> Response:
        return await search_pages.trace(self, request)  # the start picked in a form, or ?nos=19 and the like


def _rdf_accept(accept: str) -> str | None:
    for media, q in negotiate.parse_accept(accept):
        if q > 0 and media in RDF_TYPES:
            return media
        if media in ("text/html", "application/xhtml+xml", "*/*"):
            return None
    return None
