"""What the server serves: the project's built store (asserted graphs, and the closure graph unless
left out) and any RDF files named on the command line, each in a named graph of its own.

`Served` names what is served (paths); the server opens it once and freezes it into a `Snapshot`
that each query worker loads into an in-memory pyoxigraph store of its own (a RocksDB handle must not
cross a fork, and on this dataset the saved lookups answer 10-25x faster from memory than from the
read-only on-disk store; loading takes a fraction of a second).
"""

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import CLOSURE_GRAPH, Store, load_file


def file_graph(spec: str) -> tuple[str, Path]:
    """'NAME=PATH' loads PATH as the named graph NAME; a bare PATH is named by its file: IRI."""
    name, sep, path = spec.partition("=")
    if sep and ("://" in name or name.startswith("urn:")):
        return name, Path(path)
    target = Path(spec)
    return target.resolve().as_uri(), target


@dataclass(frozen=True)
class Served:
    store: Path | None = None  # build/store: the asserted graphs; None serves no project
    closure: Path | None = None  # build/store-closure; None leaves the closure graph out
    files: tuple[tuple[str, Path], ...] = ()  # (graph IRI, file): extra named graphs

    def open(self) -> Store:
        """The served data: the built store as it is on disk, or, with files to add, a copy in memory."""
        project = Store.open(self.store, self.closure) if self.store is not None else None
        if project is not None and not self.files:
            return project
        asserted = ox.Store()
        if project is not None:  # through N-Quads: pyoxigraph's own parser is the fastest way in
            asserted.bulk_load(project.oxigraph.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        for name, path in self.files:
            try:
                graph = ox.NamedNode(name)
            except ValueError:
                raise CcgraphError(f"{name}: not an IRI to name the graph of {path}") from None
            load_file(asserted, path, graph)
        full = None
        if project is not None and project.has_closure:
            full = ox.Store()
            full.bulk_load(asserted.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)  # same blank nodes
            full.bulk_load(project.full.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=CLOSURE_GRAPH), format=ox.RdfFormat.N_TRIPLES,
                           to_graph=CLOSURE_GRAPH)
        source = ", ".join([str(self.store)] * (self.store is not None) + [str(p) for _, p in self.files]) or "nothing"
        return Store(asserted, full, source)


@dataclass(frozen=True)
class Snapshot:
    """The served data frozen once, in N-Quads and N-Triples, for the query workers to load.

    Written by the server at start-up into temporary files that have no name (unlinked at once) and
    handed to each worker by file descriptor. So every worker, a replacement started hours later
    included, serves exactly what the others serve, even if `ccgraph build` has rewritten the stores
    meanwhile; and nothing is left behind on disk however the server ends.
    """

    asserted_fd: int
    closure_fd: int | None

    @classmethod
    def of(cls, store: Store) -> "Snapshot":
        asserted = _unnamed(lambda out: store.oxigraph.dump(out, format=ox.RdfFormat.N_QUADS))
        closure = None
        if store.full is not None:
            closure = _unnamed(lambda out: store.full.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=CLOSURE_GRAPH))
        return cls(asserted, closure)

    @property
    def fds(self) -> tuple[int, ...]:
        return tuple(fd for fd in (self.asserted_fd, self.closure_fd) if fd is not None)

    def open(self) -> "SnapshotStore":
        return SnapshotStore(self)

    def load_asserted(self) -> ox.Store:
        store = ox.Store()
        store.bulk_load(_contents(self.asserted_fd), format=ox.RdfFormat.N_QUADS)
        return store

    def load_full(self) -> ox.Store:
        store = self.load_asserted()
        store.bulk_load(_contents(self.closure_fd), format=ox.RdfFormat.N_TRIPLES, to_graph=CLOSURE_GRAPH)
        return store

    def close(self) -> None:
        for fd in self.fds:
            try:
                os.close(fd)
            except OSError:
                pass


class SnapshotStore(Store):
    """A worker's Store: the asserted graphs at once, the copy with the closure graph when first asked
    for (by a query with GRAPH or FROM, or the worker's preload just after it said it was ready), so a
    worker is ready in half the time."""

    def __init__(self, snapshot: Snapshot):
        self._snapshot, self._lock, self._full = snapshot, threading.Lock(), None
        super().__init__(snapshot.load_asserted(), None, "snapshot")
        self.has_closure = snapshot.closure_fd is not None

    @property
    def full(self) -> ox.Store | None:
        if self._full is None and self.has_closure:
            with self._lock:
                if self._full is None:
                    self._full = self._snapshot.load_full()
        return self._full

    @full.setter
    def full(self, value) -> None:  # Store.__init__ sets it
        self._full = value


def _unnamed(write) -> int:
    """A file descriptor of a temporary file with no name, holding what write(file) wrote."""
    with tempfile.TemporaryFile() as handle:
        write(handle)
        handle.flush()
        return os.dup(handle.fileno())


def _contents(fd: int) -> bytes:
    # pread, not read: the workers share the file's offset, and read at the same time.
    size, chunks, offset = os.fstat(fd).st_size, [], 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)
