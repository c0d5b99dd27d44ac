"""Build once, open instantly: the assembled dataset in on-disk pyoxigraph stores, with a fingerprint.

`ccgraph build` writes, under the project's build/ folder:
    store/           the asserted graphs (pyoxigraph, RocksDB), what every command reads
    store-closure/   the same graphs and the OWL-RL closure graph (id/graph/closure)
    ccgraph.trig     the TriG export of the asserted graphs, byte-reproducible
    build.json       the fingerprint: a SHA-256 of every input file (ontology/, data/, shapes/,
                     queries/ and the code that turns them into RDF), written last, so a build that
                     stopped half-way is never taken for a finished one
Every other command opens the stores read-only after comparing the fingerprint with the inputs
on disk; when they differ it says which file changed and rebuilds (or, with rebuild=False, stops
with that message). It never answers from a stale store without saying so.
"""

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError
from ccgraph.graph.project import Project
from ccgraph.graph.store import CLOSURE_GRAPH, Store

INPUT_FOLDERS = ("ontology", "data", "shapes", "queries")
MANIFEST = "build.json"
FORMAT_VERSION = 1  # bump when the layout of build/ changes

# The code that decides what the stores hold: a change to it makes a build stale too.
_PACKAGE = Path(__file__).resolve().parents[1]
CODE_FILES = ("graph/assemble.py", "graph/reason.py", "graph/convert.py", "graph/namespaces.py", "sources")


@dataclass(frozen=True)
class BuildReport:
    triples: int
    graphs: int
    inferred: int
    seconds: float
    closure_seconds: float
    store: Path


def input_hashes(project: Project) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the project (and to the package for code)."""
    hashes = {}
    for folder in INPUT_FOLDERS:
        base = project.root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                hashes[path.relative_to(project.root).as_posix()] = _sha256(path)
    for name in CODE_FILES:
        target = _PACKAGE / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            hashes["ccgraph/" + path.relative_to(_PACKAGE).as_posix()] = _sha256(path)
    return hashes


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_paths(project: Project) -> tuple[Path, Path]:
    return project.build_dir / "store", project.build_dir / "store-closure"


def stale_reason(project: Project) -> str | None:
    """Why the build is not usable as it is, or None when it matches the inputs."""
    manifest_path = project.build_dir / MANIFEST
    asserted, _ = store_paths(project)
    if not manifest_path.is_file() or not asserted.is_dir():
        return "no build yet"
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{manifest_path} is unreadable"
    if recorded.get("format") != FORMAT_VERSION:
        return "the build was made by another version of ccgraph"
    old, new = recorded.get("inputs", {}), input_hashes(project)
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        verb = "was removed" if changed[0] not in new else "was added" if changed[0] not in old else "changed"
        return f"{changed[0]} {verb} since the last build{more}"
    return None


def open_store(project: Project, rebuild: bool = True, say=None) -> Store:
    """The project's store, read-only; rebuilt first (saying why) when the inputs changed."""
    reason = stale_reason(project)
    if reason is not None:
        if not rebuild:
            raise CcgraphError(f"{reason}: run 'ccgraph build'")
        (say or _say)(f"{reason}: building {project.build_dir / 'store'} first")
        build(project)
    asserted, full = store_paths(project)
    return Store.open(asserted, full)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _build_lock(build_dir: Path):
    """One build at a time per project: a second process waits, then finds the work done."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(project: Project, export: Path | None = None, export_format: str = "trig", closure: bool = True) -> BuildReport:
    """Assemble the project, compute the closure and write the stores, the export and the fingerprint."""
    import pyoxigraph as ox

    from ccgraph.graph.assemble import assemble, union_graph
    from ccgraph.graph.convert import quads_from_rdflib, triples_from_rdflib
    from ccgraph.graph.rdfio import write_rdf

    started = time.perf_counter()
    with _build_lock(project.build_dir):
        hashes = input_hashes(project)
        dataset = assemble(project)
        union = union_graph(dataset)
        inferred, closure_seconds = None, 0.0
        if closure:
            from ccgraph.graph.reason import close

            result = close(union)
            inferred, closure_seconds = result.inferred, result.seconds
        write_rdf(dataset, export_format, export or project.build_dir / "ccgraph.trig")

        asserted_path, full_path = store_paths(project)
        (project.build_dir / MANIFEST).unlink(missing_ok=True)  # from here on, no build is complete
        fresh = {}
        for target, with_closure in ((asserted_path, False), (full_path, True)):
            if with_closure and inferred is None:
                continue
            staging = target.with_name(f".{target.name}.{os.getpid()}.part")
            shutil.rmtree(staging, ignore_errors=True)
            store = ox.Store(str(staging))
            store.bulk_extend(quads_from_rdflib(dataset))
            if with_closure:
                store.bulk_extend(triples_from_rdflib(inferred, CLOSURE_GRAPH))
            store.flush()
            store.optimize()
            del store  # closes the RocksDB handle before the folder moves
            fresh[target] = staging
        for target, staging in fresh.items():
            old = target.with_name(f".{target.name}.{os.getpid()}.old")
            if target.exists():
                target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        if inferred is None:
            shutil.rmtree(full_path, ignore_errors=True)
        manifest = {"format": FORMAT_VERSION, "inputs": hashes, "triples": len(union),
                    "inferred": 0 if inferred is None else len(inferred)}
        from ccgraph.graph.rdfio import atomic_output

        with atomic_output(project.build_dir / MANIFEST) as handle:
            handle.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    graphs = sum(1 for g in dataset.graphs() if len(g) and not str(g.identifier).startswith("urn:x-rdflib:"))
    return BuildReport(len(union), graphs, 0 if inferred is None else len(inferred), time.perf_counter() - started,
                       closure_seconds, asserted_path)
