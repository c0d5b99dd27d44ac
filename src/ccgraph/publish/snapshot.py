"""One side of `ccgraph diff`: a version of the graph read into a Store, and its entities and mappings.

A side is named on the command line as
    git:REV       the project as it was at revision REV of the current project's git repository: its
                  ontology/, data/, shapes/ and queries/ (`git archive`) built in a temporary folder with
                  today's loaders (no closure)
    a folder      a release (ccgraph.nq or ccgraph.trig), a build folder (store/, else its ccgraph.trig)
                  or a project (its build, rebuilt first if stale, as every command does)
    a file        any RDF file pyoxigraph reads (a build's or a release's ccgraph.trig, an N-Quads file, ...)
Each side knows the project it comes from when there is one (a git revision, a project, a build folder
inside a project, or a file in such a build folder), so that the audit can use that side's own shapes.

The tables are read through the store's SELECT, DISTINCT (the union default graph repeats a triple held
in two graphs), and keyed by IRI: an entity is an IRI that has an rdf:type, apart from the nodes that
`diff` compares in their own sections (mapping nodes, OWL axiom annotations and matrix cells).
"""

import io
import os
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.project import PARTS, Project, is_project
from ccgraph.graph.store import Store

GIT_PREFIX = "git:"
NO_TERM_FOUND = "https://w3id.org/sssom/NoTermFound"
# Compared in their own sections of the diff, so not listed as entities.
NOT_ENTITIES = frozenset({
    "https://w3id.org/ccgraph/ontology#Mapping",
    "https://w3id.org/ccgraph/ontology#RoleRequirement",
    "http://www.w3.org/2002/07/owl#Axiom",
})

# What is compared of an entity, and the properties each field is read from.
ENTITY_FIELDS = {
    "types": ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",),
    "notation": ("http://www.w3.org/2004/02/skos/core#notation",),
    "label": ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"),
    "definition": ("http://www.w3.org/2004/02/skos/core#definition",),
    "level": ("https://w3id.org/ccgraph/ontology#level", "https://w3id.org/ccgraph/ontology#levelNumber"),
    "credits": ("https://w3id.org/ccgraph/ontology#creditValue",),
    # skos:broader for the graph's concepts, the sub-class and sub-property axioms for the ontology's terms
    "parents": ("http://www.w3.org/2004/02/skos/core#broader", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
                "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"),
    "deprecated": ("http://www.w3.org/2002/07/owl#deprecated",),
    "replaced_by": ("http://purl.org/dc/terms/isReplacedBy",),
}
_FIELD_OF = {prop: name for name, props in ENTITY_FIELDS.items() for prop in props}


@dataclass(frozen=True)
class Entity:
    """What diff compares of one entity: every field a sorted tuple of values (IRIs or lexical forms)."""

    iri: str
    values: dict[str, tuple[str, ...]]

    def get(self, name: str) -> tuple[str, ...]:
        return self.values.get(name, ())

    @property
    def deprecated(self) -> bool:
        return "true" in self.get("deprecated") or "1" in self.get("deprecated")


@dataclass(frozen=True)
class Mapping:
    """A ccg:Mapping node, keyed by mapping set, source and target (and, for a no-match, the document searched)."""

    key: tuple[str, ...]  # (set, source, target, searched), searched "" unless the target is sssom:NoTermFound
    iri: str
    mapping_set: str
    set_label: str
    source: str
    target: str
    searched: str
    predicate: tuple[str, ...]
    confidence: tuple[str, ...]
    justification: tuple[str, ...]
    comment: tuple[str, ...]


@dataclass
class Side:
    """One version of the graph: as named on the command line, what it is, its store and (if known) its project."""

    name: str
    kind: str  # git | project | build | release | file
    store: Store
    project: Project | None = None
    _entities: dict[str, Entity] | None = field(default=None, repr=False)
    _mappings: dict[tuple, Mapping] | None = field(default=None, repr=False)

    @property
    def entities(self) -> dict[str, Entity]:
        if self._entities is None:
            self._entities = entity_table(self.store)
        return self._entities

    @property
    def mappings(self) -> dict[tuple, Mapping]:
        if self._mappings is None:
            self._mappings = mapping_table(self.store)
        return self._mappings


# ---------------------------------------------------------------- reading a side


def open_side(spec: str, current: Project | None, stack: ExitStack, say: Callable[[str], None] | None = None) -> Side:
    """The side named spec; temporary folders (for git:REV) live until stack closes."""
    say = say or (lambda message: None)
    if spec.startswith(GIT_PREFIX):
        return _git_side(spec, current, stack, say)
    path = Path(spec)
    if not path.exists():
        raise CcgraphError(f"{spec}: no such file or folder (expected a release, a build, an RDF file or git:REV)")
    if path.is_dir():
        return _folder_side(spec, path, say)
    return Side(spec, "file", Store.from_files([path]), _project_of_build(path.parent))


def _folder_side(spec: str, path: Path, say) -> Side:
    if is_project(path):
        from ccgraph.graph.build import open_store

        project = Project.at(path)
        return Side(spec, "project", open_store(project, say=say), project)
    store_dir = path / "store"
    if store_dir.is_dir() and (path / "build.json").is_file():
        return Side(spec, "build", Store.open(store_dir), _project_of_build(path))
    for name in ("ccgraph.nq", "ccgraph.trig"):
        if (path / name).is_file():
            project = _project_of_build(path)
            return Side(spec, "build" if project is not None or store_dir.is_dir() else "release",
                        Store.from_files([path / name]), project)
    raise CcgraphError(f"{spec}: neither a release, a build nor a project (no ccgraph.nq, ccgraph.trig, store/ or ontology/ in it)")


def _project_of_build(folder: Path) -> Project | None:
    """The project whose build folder this is, if it is one."""
    parent = folder.resolve().parent
    if (folder / "build.json").is_file() and is_project(parent):
        return Project.at(parent)
    return None


def _git(root: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError as error:
        raise CcgraphError(f"git is needed to read a revision: {error.strerror or error}") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        return None, detail
    return (done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()), ""


def _git_side(spec: str, current: Project | None, stack: ExitStack, say) -> Side:
    revision = spec[len(GIT_PREFIX):]
    if not revision or revision.startswith("-") or any(c.isspace() or c == "\0" for c in revision):
        raise CcgraphError(f"{spec}: expected git:REV, REV a commit, branch or tag (such as git:HEAD or git:v0.1.0)")
    if current is None:
        raise CcgraphError(f"{spec}: a git revision is read from the current project's repository, and there is no current project")
    top, detail = _git(current.root, "rev-parse", "--show-toplevel")
    if top is None:
        raise CcgraphError(f"{spec}: {current.root} is not in a git repository ({detail})")
    commit, _ = _git(current.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if not commit:
        raise CcgraphError(f"{spec}: unknown revision {revision!r} in the repository at {top}")
    prefix = Path(os.path.relpath(current.root, Path(top).resolve())).as_posix()
    tree = commit if prefix == "." else f"{commit}:{prefix}"
    listed, detail = _git(Path(top), "ls-tree", "--name-only", tree)
    present = [part for part in PARTS if part in (listed or "").splitlines()]
    if "ontology" not in present:
        raise CcgraphError(f"{spec}: no ontology/ folder at {commit[:12]}: not a ccgraph project at that revision")
    archive, detail = _git(Path(top), "archive", "--format=tar", tree, "--", *present, binary=True)
    if archive is None:
        raise CcgraphError(f"{spec}: git archive failed: {detail}")
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ccgraph-diff-", ignore_cleanup_errors=True)))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    project = Project.at(folder)
    say(f"{spec}: building revision {commit[:12]} in a temporary folder")
    from ccgraph.graph.build import build, store_paths

    try:
        build(project, closure=False)
    except CcgraphError as error:
        raise CcgraphError(f"{spec}: {str(error).replace(str(project.root) + os.sep, '')}") from None
    return Side(spec, "git", Store.open(store_paths(project)[0]), project)


# ---------------------------------------------------------------- the tables


def term_text(term) -> str:
    """An IRI, or a literal's lexical form (with its language tag where it has one other than en)."""
    if isinstance(term, ox.Literal):
        language = term.language
        return term.value if not language or language == "en" else f"{term.value}@{language}"
    return term.value


ENTITIES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER (isIRI(?s) && !isBlank(?o) && ?p IN (%s))
  FILTER EXISTS { ?s a ?type }
}
""" % ", ".join(f"<{p}>" for p in _FIELD_OF)


def entity_table(store: Store) -> dict[str, Entity]:
    """Every entity of the store, by IRI."""
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, obj in store.select(ENTITIES, where="diff").rows:
        values[subject.value][_FIELD_OF[predicate.value]].add(term_text(obj))
    table = {}
    for iri, fields in values.items():
        if fields["types"] & NOT_ENTITIES:
            continue
        table[iri] = Entity(iri, {name: tuple(sorted(found)) for name, found in sorted(fields.items()) if found})
    return dict(sorted(table.items()))


MAPPINGS = """
SELECT DISTINCT ?m ?set ?setLabel ?source ?predicate ?target ?searched ?confidence ?justification ?comment WHERE {
  ?m a ccg:Mapping ; owl:annotatedSource ?source ; owl:annotatedProperty ?predicate ; owl:annotatedTarget ?target .
  OPTIONAL { ?m ccg:inMappingSet ?set OPTIONAL { ?set rdfs:label ?setLabel } }
  OPTIONAL { ?m <https://w3id.org/sssom/object_source> ?searched }
  OPTIONAL { ?m <https://w3id.org/sssom/confidence> ?confidence }
  OPTIONAL { ?m <https://w3id.org/sssom/mapping_justification> ?justification }
  OPTIONAL { ?m rdfs:comment ?comment }
}
"""


def mapping_table(store: Store) -> dict[tuple, Mapping]:
    """Every ccg:Mapping node, by (mapping set, source, target, searched document for a no-match).

    Where one set maps a source to a target twice (by two predicates), the predicate joins the key."""
    nodes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.select(MAPPINGS, where="diff").rows:
        fields = nodes[row[0].value]
        for name, term in zip(("set", "set_label", "source", "predicate", "target", "searched", "confidence",
                               "justification", "comment"), row[1:]):
            if term is not None:
                fields[name].add(_number(term) if name == "confidence" else term_text(term))
    by_key: dict[tuple, list[Mapping]] = defaultdict(list)
    for iri, fields in sorted(nodes.items()):
        one = {name: min(fields[name]) if fields[name] else "" for name in ("set", "set_label", "source", "target", "searched")}
        searched = one["searched"] if one["target"] == NO_TERM_FOUND else ""
        key = (one["set"], one["source"], one["target"], searched)
        by_key[key].append(Mapping(key, iri, one["set"], one["set_label"] or one["set"], one["source"], one["target"], searched,
                                   *(tuple(sorted(fields[name])) for name in ("predicate", "confidence", "justification", "comment"))))
    table = {}
    for key, mappings in by_key.items():
        for mapping in mappings:
            if len(mappings) > 1:
                mapping = replace(mapping, key=key + mapping.predicate)
            table[mapping.key] = mapping
    return dict(sorted(table.items()))


def _number(term) -> str:
    """A confidence as a short decimal (0.5, not 5.0E-1), so that equal numbers compare equal."""
    try:
        return f"{float(term.value):g}"
    except ValueError:
        return term.value
