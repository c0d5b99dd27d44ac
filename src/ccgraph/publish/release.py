"""`ccgraph release`: the dataset, its tables and mapping sets, and their description, as one folder.

A release holds
    ccgraph.trig, ccgraph.nq        the asserted graphs, every named graph
    ccgraph.jsonld                  the same as JSON-LD, compacted with context/ccgraph.jsonld
    parts/{graph}.ttl               each named graph on its own, as Turtle
    tables/{Class}.csv              one CSV per ccg class with instances, one row per entity
    mappings/{set}.sssom.tsv        the five SSSOM mapping sets, with the release's version
    ctdl/competency-framework.jsonld, ctdl/qualifications.jsonld
                                    the competency framework (CTDL-ASN) and the qualifications (CTDL),
                                    as Credential Engine's registry takes them (publish/ctdl.py)
    ontology/index.html             the ontology's documentation, made by pyLODE (publish/ontology_docs.py)
    void.ttl                        the description (VoID and DCAT): every file's size, type and SHA-256
    SHA256SUMS                      sha256sum's format, over every other file
Everything is read from the store and written in a fixed order with no timestamps (dcterms:issued only
when a date is given), so the same inputs give the same bytes, and two releases differ only where the
data does. The description is checked against shapes/release/ before anything is written.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError
from ccgraph.graph.project import Project
from ccgraph.graph.rdfio import atomic_output
from ccgraph.graph.store import Store
from ccgraph.publish.model import ReleaseFile, ReleaseOptions

CHECKSUMS = "SHA256SUMS"
SHAPES = Path("release")  # under the project's shapes/, apart from the data shapes in shapes/*.ttl


@dataclass(frozen=True)
class ReleaseReport:
    folder: Path
    files: tuple[str, ...]
    size: int  # bytes, every file
    triples: int


def build_files(store: Store, project: Project, options: ReleaseOptions) -> list[ReleaseFile]:
    """Every file of the release, in path order, SHA256SUMS (over all the others) last."""
    from ccgraph.graph.namespaces import bind_prefixes
    from ccgraph.publish.ctdl import ctdl_files
    from ccgraph.publish.jsonld import jsonld_files
    from ccgraph.publish.mappings import mapping_files
    from ccgraph.publish.ontology_docs import page_file
    from ccgraph.publish.rdf_files import dataset_files
    from ccgraph.publish.tables import table_files
    from ccgraph.publish.void import describe

    dataset = store.to_rdflib()
    bind_prefixes(dataset)
    files = [*dataset_files(dataset), *jsonld_files(dataset), *table_files(store),
             *mapping_files(store.union_rdflib(), project, options), *ctdl_files(store), page_file(project)]
    _unique(files)
    description = describe(store, files, options)
    check_description(description.data, project)
    files.append(description)
    files.sort(key=lambda f: f.path)
    files.append(ReleaseFile(CHECKSUMS, checksums(files), "SHA-256 of every file", "text/plain"))
    return files


def release(store: Store, project: Project, options: ReleaseOptions, output: Path, force: bool = False) -> ReleaseReport:
    from ccgraph.publish.folder import check_target, staged_folder

    check_target(output, force, keep=(project.root,))  # before the work, not after it
    files = build_files(store, project, options)
    with staged_folder(output, force, keep=(project.root,)) as staging:
        for file in files:
            with atomic_output(staging / file.path, binary=True) as handle:
                handle.write(file.data)
    return ReleaseReport(Path(output), tuple(f.path for f in files), sum(len(f.data) for f in files), store.triple_count())


def checksums(files: list[ReleaseFile]) -> bytes:
    """`sha256sum` lines, in path order: `sha256sum -c SHA256SUMS` checks a copy of the release."""
    return "".join(f"{hashlib.sha256(f.data).hexdigest()}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)).encode("utf-8")


def check_description(data: bytes, project: Project) -> None:
    """Refuse to publish a description that breaks its own shapes."""
    from rdflib import Graph

    from ccgraph.checks.validate import load_shapes, validate

    shapes_dir = project.shapes_dir / SHAPES
    if not shapes_dir.is_dir():
        raise CcgraphError(f"{shapes_dir}: no shapes for the release description")
    graph = Graph().parse(data=data, format="turtle", publicID="file:///release/")
    report = validate(graph, load_shapes(shapes_dir))
    if not report.conforms:
        first = next(f for f in report.findings if f.severity == "Violation")
        raise CcgraphError(f"the release description breaks {first.shape or first.component} at <{first.focus_node}>"
                           f" ({first.path}): {first.message} ({report.count('Violation')} violation(s))")


def _unique(files: list[ReleaseFile]) -> None:
    """No two files at one path, even on a file system that ignores case."""
    seen = {CHECKSUMS.lower(), "void.ttl"}
    for file in files:
        if file.path.lower() in seen:
            raise CcgraphError(f"two files of the release would be {file.path}")
        seen.add(file.path.lower())
