"""Queries run in worker processes: a query past its time limit is stopped by killing its worker.

rdflib can neither cancel a query nor parse safely from several threads at once, so every parse
and evaluation happens inside a single-threaded worker process forked after the dataset is
loaded (copy-on-write: workers start in milliseconds and share the parent's memory). The pool
size bounds concurrent queries; a request that cannot get a worker in time is told to retry.
"""

import multiprocessing
import os
import queue
import signal
import threading
from dataclasses import dataclass

from rdflib import Dataset, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

import rdflib.plugins.sparql

from ccgraph.query.saved import _contains
from ccgraph.serve import negotiate
from ccgraph.serve.protocol import Operation

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM / FROM NAMED never fetch a file or URL


@dataclass(frozen=True)
class Settings:
    workers: int = 2
    timeout: float = 10.0  # seconds of wall-clock time per query
    max_rows: int = 10_000  # rows (or triples) returned at most; more are cut and the response says so
    queue_wait: float = 5.0  # seconds a request may wait for a free worker


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# ---------------------------------------------------------------- inside a worker


def execute(dataset: Dataset, operation: Operation, accept: str | None, settings: Settings) -> Reply:
    try:
        prepared = prepareQuery(operation.query)
    except Exception as exc:
        return text_reply(400, "invalid SPARQL query: " + " ".join(str(exc).split())[:300])
    if _contains(prepared.algebra, "ServiceGraphPattern"):
        return text_reply(400, "SERVICE is not allowed: this endpoint queries only its own data")
    if operation.default_graphs or operation.named_graphs:
        # The protocol's dataset replaces any FROM / FROM NAMED in the query text.
        clause = [CompValue("DatasetClause", default=URIRef(g)) for g in operation.default_graphs]
        clause += [CompValue("DatasetClause", named=URIRef(g)) for g in operation.named_graphs]
        prepared.algebra["datasetClause"] = clause
    try:
        result = dataset.query(prepared)
        return serialize(result, accept, settings)
    except Exception as exc:
        return text_reply(400, "query failed: " + " ".join(str(exc).split())[:300])


def serialize(result: Result, accept: str | None, settings: Settings) -> Reply:
    kind = {"SELECT": "tabular", "ASK": "boolean"}.get(result.type, "graph")
    chosen = negotiate.choose(accept, kind)
    if chosen is None:
        offers = {"tabular": negotiate.TABULAR, "boolean": negotiate.BOOLEAN, "graph": negotiate.GRAPH}[kind]
        return text_reply(406, f"cannot answer with {accept!r}: this result can be {', '.join(offers)}")
    media, name = chosen
    headers: list[tuple[str, str]] = []
    if kind == "graph":
        graph = result.graph
        if len(graph) > settings.max_rows:
            from rdflib import Graph

            cut = Graph()
            for i, triple in enumerate(graph):
                if i >= settings.max_rows:
                    break
                cut.add(triple)
            graph = cut
            headers.append(("ccgraph-truncated", f"{settings.max_rows} triples"))
        return Reply(200, _with_charset(media), graph.serialize(format=name, encoding="utf-8"), tuple(headers))
    if kind == "tabular":
        rows = []
        for row in result:
            if len(rows) >= settings.max_rows:
                headers.append(("ccgraph-truncated", f"{settings.max_rows} rows"))
                break
            rows.append(row)
        if name == "tsv":
            return Reply(200, _with_charset(media), _tsv(result.vars, rows), tuple(headers))
        capped = Result("SELECT")
        capped.vars = result.vars
        capped.bindings = [{var: value for var, value in zip(result.vars, row) if value is not None} for row in rows]
        result = capped
    body = result.serialize(format=name)
    return Reply(200, _with_charset(media), body if isinstance(body, bytes) else body.encode("utf-8"), tuple(headers))


def _with_charset(media: str) -> str:
    return media if "json" in media and "ld+" not in media else f"{media}; charset=utf-8"


def _tsv(variables, rows) -> bytes:
    """SPARQL 1.1 TSV: a header of ?vars, then terms in Turtle syntax, tab-separated."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else value.n3()
            cells.append(text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _worker_loop(connection, dataset: Dataset, settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    while True:
        try:
            operation, accept = connection.recv()
        except EOFError:
            return
        connection.send(execute(dataset, operation, accept, settings))


# ---------------------------------------------------------------- in the server process


class _Worker:
    def __init__(self, dataset: Dataset, settings: Settings):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_loop, args=(child, dataset, settings), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(timeout=5)
        self.connection.close()


class QueryEngine:
    """A fixed pool of query workers. run() is blocking and thread-safe."""

    def __init__(self, dataset: Dataset, settings: Settings = Settings()):
        self.dataset = dataset
        self.settings = settings
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(settings.workers):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.dataset, self.settings)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.remove(worker)

    def run(self, operation: Operation, accept: str | None) -> Reply:
        try:
            worker = self._idle.get(timeout=self.settings.queue_wait)
        except queue.Empty:
            return Reply(503, "text/plain; charset=utf-8", b"all query workers are busy: retry shortly\n", (("Retry-After", "1"),))
        try:
            worker.connection.send((operation, accept))
            if worker.connection.poll(self.settings.timeout):
                reply = worker.connection.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            pass
        # Timed out (or the worker died): kill it, so the work really stops, and start a fresh one.
        self._retire(worker)
        self._add_worker()
        return text_reply(503, f"query stopped: it ran past the {self.settings.timeout:g} s time limit")

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
