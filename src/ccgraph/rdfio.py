"""Reading RDF files with errors that name file and line, and writing output atomically."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import CcgraphError

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


@contextmanager
def atomic_output(path: Path | str, binary: bool = False) -> Iterator[IO]:
    """Write to a temporary file beside path and move it into place only on success.

    '-' means standard output. On any failure the temporary file is removed, so no
    half-written file is ever left where the user asked for output.
    """
    if str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one export format: quads formats keep named graphs, triple formats merge them."""
    if fmt not in SERIALIZERS:
        raise CcgraphError(f"unknown format {fmt!r} (expected one of {', '.join(SERIALIZERS)})")
    if fmt in QUAD_FORMATS:
        return dataset.serialize(format=SERIALIZERS[fmt], encoding="utf-8")
    from .assemble import union_graph

    return union_graph(dataset).serialize(format=SERIALIZERS[fmt], encoding="utf-8")


def write_rdf(dataset: Dataset, fmt: str, output: Path | str) -> None:
    data = serialize(dataset, fmt)
    with atomic_output(output, binary=True) as handle:
        handle.write(data)
