"""Reading RDF files with errors that name file and line, and writing output atomically."""

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import bind_prefixes

# File extensions we read, and the rdflib parser for each.
PARSERS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}

# Export formats offered on the command line, and rdflib's name for each.
SERIALIZERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
QUAD_FORMATS = {"trig", "nq"}


def parser_for(path: Path) -> str:
    try:
        return PARSERS[path.suffix.lower()]
    except KeyError:
        raise CcgraphError(f"{path}: unknown RDF file type {path.suffix!r} (expected one of {', '.join(sorted(PARSERS))})") from None


def parse_into(target: Graph | Dataset, path: Path) -> None:
    """Parse one RDF file into target, turning any parser failure into a one-line error."""
    fmt = parser_for(path)
    if not path.is_file():
        raise CcgraphError(f"{path}: no such file")
    try:
        target.parse(path, format=fmt)
    except BadSyntax as exc:
        line = exc.lines + 1
        raise CcgraphError(f"{path}:{line}: malformed {fmt}: {exc._why}") from None
    except Exception as exc:  # rdflib's other parsers raise assorted types
        reason = " ".join(str(exc).split())[:200]
        raise CcgraphError(f"{path}: malformed {fmt}: {reason}") from None


def load_graph(paths: list[Path]) -> Dataset:
    """Files given by the user, as one dataset (quads keep their graph names)."""
    dataset = Dataset(default_union=True)
    for path in paths:
        if parser_for(path) in ("trig", "nquads"):
            parse_into(dataset, path)
        else:
            parse_into(dataset.default_graph, path)
    return dataset


STALE_SECONDS = 60  # a '.part' file untouched this long is left over from a killed writer


def check_output(path: Path | str, parents: bool = False) -> None:
    """Refuse, in one line, an output path that cannot be written: a folder, or in a folder that does not exist.

    With parents=True missing folders are allowed (they will be made). '-' (standard output) is always fine.
    """
    if str(path) == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise CcgraphError(f"{target}: is a folder: give a file name")
    folder = target.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise CcgraphError(f"{target}: {existing} is not a folder")
    if not parents and not folder.is_dir():
        raise CcgraphError(f"{target}: no such folder {folder} (create it first)")


@contextmanager
def atomic_output(path: Path | str, binary: bool = False, *, parents: bool = True) -> Iterator[IO]:
    """Write to a temporary file beside path and move it into place only on success.

    '-' means standard output. On any failure the temporary file is removed, so no half-written file
    is ever left where the user asked for output; a SIGTERM while writing is such a failure (the
    process then exits with status 143). A SIGKILL cannot be caught: the hidden '.NAME.*.part' file it
    leaves is removed by the next write of the same target once it is a minute old. parents=False
    refuses a missing folder instead of making it; a path that is a folder, or that cannot be
    written, is a one-line error.
    """
    if str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    check_output(target, parents)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise CcgraphError(f"{target}: cannot create a file in {target.parent}: {error.strerror or error}") from None
    try:
        with _terminate_as_exit(), os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; output should be as readable as any other
            os.replace(tmp, target)
        except OSError as error:
            raise CcgraphError(f"{target}: cannot write it: {error.strerror or error}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale_parts(target: Path) -> None:
    """Remove '.NAME.*.part' files beside target that no writer has touched for a minute (a killed process's)."""
    import glob
    import time

    now = time.time()
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if leftover.is_file() and now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # another process's, or already gone: not ours to worry about


class Terminated(SystemExit):
    """SIGTERM arrived while output was being written: the partial file is removed on the way out."""


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """While writing, turn SIGTERM into an exception (exit status 143) so the cleanup above runs.

    Only where SIGTERM still has its default action (a server with its own handler keeps it) and only
    in the main thread (the only one that may set handlers).
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def terminated(signum, frame):
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one export format, byte-for-byte the same on every run.

    Quad formats keep the named graphs; triple formats merge them. rdflib's serializers
    follow set order, which changes between processes, so output is put in a fixed order here.
    """
    if fmt not in SERIALIZERS:
        raise CcgraphError(f"unknown format {fmt!r} (expected one of {', '.join(SERIALIZERS)})")
    graphs = [_canonical(g) for g in sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier))]
    if fmt == "nq":
        rows = sorted(_nq_row(triple, g.identifier) for g in graphs for triple in g)
        return "".join(rows).encode("utf-8")
    if fmt == "trig":
        return _trig(dataset, graphs).encode("utf-8")
    merged = _sorted_graph(t for g in graphs for t in g)
    if fmt == "nt":
        return "".join(sorted(set(_nt_row(triple) for triple in merged))).encode("utf-8")
    if fmt == "jsonld":
        document = json.loads(merged.serialize(format="json-ld"))
        return (json.dumps(_sorted_json(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return merged.serialize(format="turtle", encoding="utf-8")


def _canonical(graph: Graph) -> Graph:
    """The graph with blank nodes renamed canonically (random parser labels would differ per run)."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    canonical = to_canonical_graph(graph)
    named = Graph(identifier=graph.identifier)
    for triple in canonical:
        named.add(triple)
    return named


def _sorted_graph(triples) -> Graph:
    """A graph filled in sorted order: rdflib's Turtle writer then gives stable output."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in sorted(triples):
        graph.add(triple)
    return graph


def _trig(dataset: Dataset, graphs: list[Graph]) -> str:
    """TriG written graph by graph, in IRI order, each body by the (stable) Turtle writer.

    The Turtle body is kept verbatim (multi-line literals must not be re-indented); only its
    leading @prefix lines are lifted out to the top of the document.
    """
    prefixes, blocks = set(), []
    for graph in graphs:
        lines = _sorted_graph(graph).serialize(format="turtle").split("\n")
        while lines and (lines[0].startswith("@prefix") or not lines[0].strip()):
            if lines[0].startswith("@prefix"):
                prefixes.add(lines[0])
            lines.pop(0)
        body = "\n".join(lines).rstrip()
        blocks.append(f"<{graph.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sorted_json(value):
    """JSON-LD with every unordered array in a fixed order (@list arrays keep theirs)."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _sorted_json(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def write_rdf(dataset: Dataset, fmt: str, output: Path | str, parents: bool = True) -> int:
    """Write the dataset in one format (atomically); the number of bytes written."""
    data = serialize(dataset, fmt)
    with atomic_output(output, binary=True, parents=parents) as handle:
        handle.write(data)
    return len(data)
