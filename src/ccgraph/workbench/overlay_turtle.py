"""An overlay written as Turtle: the employer graph itself, for those who prefer RDF.

The folder's *.ttl files together are the graph `ccgraph tailor export` writes from the CSV form.
They must describe exactly one ccgwb:Tailoring, whose IRI is id/employer/{name}, and say nothing
about anything outside that IRI's space: an overlay adds to the published framework, it never
restates or changes it. The shapes (shapes/overlay/) then check it as they check the CSV form.
"""

import re
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import load_file
from ccgraph.workbench import vocab
from ccgraph.workbench.places import Place

PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
EMPLOYER_SPACE = vocab.tailoring_iri("")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PREFIXES = {
    "ccg": "https://w3id.org/ccgraph/ontology#", "ccgwb": vocab.WB, "skos": vocab.SKOS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "eskills": vocab.ESKILLS + "/",
}


def read(files: list[Path]) -> tuple[str, str, list[ox.Quad], dict[str, Place]]:
    """(name, label, quads of the employer graph, where each subject is first written)."""
    parsed = ox.Store()
    for path in files:
        load_file(parsed, path, graph=ox.DefaultGraph())
    tailorings = sorted({q.subject.value for q in parsed.quads_for_pattern(None, TYPE, ox.NamedNode(vocab.TAILORING), None)})
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    places = _places(parsed, texts)
    if len(tailorings) != 1:
        where = ", ".join(str(p) for p in files)
        raise CcgraphError(f"{where}: an overlay describes exactly one ccgwb:Tailoring (the employer), "
                           f"found {len(tailorings)}" + (f": {', '.join(tailorings)}" if tailorings else ""))
    tailoring = tailorings[0]
    name = tailoring[len(EMPLOYER_SPACE):] if tailoring.startswith(EMPLOYER_SPACE) else ""
    if not NAME.match(name):
        raise places.get(tailoring, Place(str(files[0]), 1)).fail(
            f"the tailoring's IRI must be {EMPLOYER_SPACE}NAME, NAME in lower-case letters, digits and hyphens, not <{tailoring}>")
    for quad in sorted(parsed, key=lambda q: str(q)):
        subject = quad.subject
        if isinstance(subject, ox.BlankNode):
            raise places.get(subject.value, Place(str(files[0]), 1)).fail(
                "blank nodes are not allowed in an overlay: give each thing an IRI under " + tailoring + "/")
        if subject.value != tailoring and not subject.value.startswith(tailoring + "/"):
            raise places.get(subject.value, Place(str(files[0]), 1)).fail(
                f"<{subject.value}> is outside the employer's space {tailoring}/: an overlay may not add to or change the published graphs")
    label = next((q.object.value for q in parsed.quads_for_pattern(ox.NamedNode(tailoring), ox.NamedNode(vocab.SKOS + "prefLabel"), None, None)), name)
    graph = ox.NamedNode(vocab.graph_iri(name))
    return name, label, [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed], places


def _places(parsed: ox.Store, texts: dict[Path, str]) -> dict[str, Place]:
    """Where each subject is first written: its full IRI or a prefixed name, searched in the text.

    First where it opens a line (a statement's subject), else wherever it first appears.
    """
    subjects = {q.subject.value for q in parsed if isinstance(q.subject, ox.NamedNode)}
    places: dict[str, Place] = {}
    for path, text in texts.items():
        prefixes = {(m[1] or ""): m[2] for m in PREFIX.finditer(text)}
        lines = text.splitlines()
        openers: dict[str, tuple[int, int]] = {}
        for number, line in enumerate(lines, start=1):
            token = line.split(None, 1)[0].rstrip(";,.") if line.strip() else ""
            if token and token not in openers:
                openers[token] = (number, len(line) - len(line.lstrip()) + 1)
        for iri in sorted(subjects - places.keys()):
            spellings = _spellings(iri, prefixes)
            found = [openers[s] for s in spellings if s in openers]
            if not found:
                patterns = [re.compile(re.escape(s) + r"(?![\w.:/\\-]*\w)") for s in spellings]
                found = [(number, m.start() + 1) for number, line in enumerate(lines, start=1) for pattern in patterns
                         for m in pattern.finditer(line)]
            if found:
                places[iri] = Place(str(path), *min(found))
    return places


def _spellings(iri: str, prefixes: dict[str, str]) -> list[str]:
    """<iri> and every prefixed name for it, with '/' written plain or escaped ('emp:role\\/x')."""
    names = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace):
            local = iri[len(namespace):]
            names += [f"{prefix}:{local}", f"{prefix}:{local.replace('/', chr(92) + '/')}"]
    return names


def to_turtle(quads, name: str) -> bytes:
    """The employer graph as Turtle, triples in a fixed order (so the same overlay writes the same file)."""
    triples = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads), key=str)
    prefixes = {**PREFIXES, "level": vocab.ESKILLS + "/level/", "emp": vocab.tailoring_iri(name) + "/"}
    header = (f"# The employer graph of tailoring {name!r}: loaded as <{vocab.graph_iri(name)}>.\n"
              "# A folder holding this file is an overlay (ccgraph tailor check FOLDER).\n")
    return header.encode("utf-8") + ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
