"""The ontology's documentation: one HTML page made by pyLODE (its OntPub profile) from ontology/.

`render(project)` gives the page (the release writes it as ontology/index.html; the server serves it at
/ontology), `anchor_for(iri)` the id of the element that documents a ccg: class or property, so that
https://w3id.org/ccgraph/ontology#Name resolves to the page + '#Name'.

What pyLODE is given: the triples of ontology/*.ttl about the ontology and its ccg: terms (the SKOS
axioms restated in skos-axioms.ttl are SKOS's, not ours, and left out), and from ontology/alignment/
the sub-class and sub-property statements of ccg: terms, so each page entry lists its ESCO, CTDL,
CTDL-ASN and schema.org super-classes and super-properties. Three adjustments to pyLODE 3.3:
- anchors: pyLODE makes an element's id from its label ("Key area" -> "Keyarea"), which the IRIs'
  fragments do not match; OntPub looks an IRI's id up in its `fids` table before making one, so the table
  is filled first with anchor_for() of every ccg: term, and the ids, the table of contents and the links
  between entries all use the IRI's own local name;
- the concept schemes the ontology defines (ccg:OriginTypes, ccg:ReadingStatuses) are not typed
  skos:ConceptScheme for pyLODE, which would otherwise take each for the ontology itself and merge their
  titles into the page's title; pyLODE 3.3 does not document individuals or schemes in any case;
- a property that is both an object (or datatype) property and functional has an entry in each of
  pyLODE's two sections, under the same id; the second one's id gets a '-2' suffix, so every id of the
  page is unique and the IRI's anchor reaches the first (the entry in the object or datatype section).
pyLODE's import configures the root logger at DEBUG level (pylode.profiles.supermodel.loader calls
logging.basicConfig) and its first logging.info adds a handler: render() restores the logging
configuration it found. The page is
self-contained (its CSS inline, no script or font fetched) and the same bytes for the same ontology.
"""

import logging
import re
from contextlib import contextmanager
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ccgraph.errors import CcgraphError
from ccgraph.graph.assemble import ALIGNMENT_DIR
from ccgraph.graph.namespaces import CCG
from ccgraph.graph.project import Project
from ccgraph.graph.rdfio import parse_into

ONTOLOGY_IRI = URIRef("https://w3id.org/ccgraph/ontology")
PAGE_PATH = "ontology/index.html"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ID = re.compile(r'(\sid=")([^"]*)(")')
_DOCUMENTED_ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf)


def anchor_for(iri: str) -> str:
    """The id of the element documenting a ccg: class or property: its local name (ccg:KeyArea -> 'KeyArea')."""
    text = str(iri)
    if not text.startswith(str(CCG)):
        raise CcgraphError(f"<{text}>: not a term of the ccgraph ontology ({CCG})")
    name = text[len(str(CCG)):]
    if not _NAME.fullmatch(name):
        raise CcgraphError(f"<{text}>: {name!r} cannot be an HTML id")
    return name


def documentation_graph(project: Project) -> Graph:
    """What pyLODE documents: the ontology's own triples and the alignments of its terms to other vocabularies."""
    source = Graph()
    for path in sorted(project.ontology_dir.glob("*.ttl")):
        parse_into(source, path)
    graph = Graph()
    for prefix, namespace in source.namespace_manager.namespaces():
        graph.bind(prefix, namespace, override=True)
    for s, p, o in source:
        if isinstance(s, URIRef) and s != ONTOLOGY_IRI and not str(s).startswith(str(CCG)):
            continue  # SKOS's own axioms
        if p == RDF.type and o == SKOS.ConceptScheme:
            continue  # see the module's docstring
        graph.add((s, p, o))
    alignment = Graph()
    for path in sorted((project.ontology_dir / ALIGNMENT_DIR).glob("*.ttl")):
        parse_into(alignment, path)
    for prefix, namespace in alignment.namespace_manager.namespaces():
        graph.bind(prefix, namespace, override=False)
    for predicate in _DOCUMENTED_ALIGNMENTS:
        for s, o in alignment.subject_objects(predicate):
            if str(s).startswith(str(CCG)):
                graph.add((s, predicate, o))
    if (ONTOLOGY_IRI, RDF.type, None) not in graph:
        raise CcgraphError(f"{project.ontology_dir}: no ontology <{ONTOLOGY_IRI}> to document")
    return graph


def documented_terms(graph: Graph) -> list[URIRef]:
    """Every ccg: class and property the page documents, in IRI order."""
    from rdflib.namespace import OWL

    kinds = (OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and str(s).startswith(str(CCG))})


def render(project: Project) -> str:
    """The ontology's documentation page (HTML), every ccg: class and property at its anchor_for() id."""
    graph = documentation_graph(project)
    with _root_logger_kept():
        OntPub = _ontpub()
        page = OntPub(graph, sort_subjects=True)
        subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(CCG))})
        page.fids.update({str(s): anchor_for(s) for s in subjects})
        html = page.make_html()
    return _unique_ids(html)


def _unique_ids(html: str) -> str:
    seen: dict[str, int] = {}

    def rename(match: re.Match) -> str:
        name = match[2]
        seen[name] = seen.get(name, 0) + 1
        return match[0] if seen[name] == 1 else f"{match[1]}{name}-{seen[name]}{match[3]}"

    return _ID.sub(rename, html)


@contextmanager
def _root_logger_kept():
    """pyLODE configures the root logger (basicConfig at DEBUG on import, a handler on its first
    logging.info): whatever it adds is taken away again, so the caller's logging stays as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    if not handlers:
        root.addHandler(logging.NullHandler())  # basicConfig does nothing while the root has a handler
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


@lru_cache(maxsize=1)
def _ontpub():
    """pyLODE's OntPub class."""
    try:
        from pylode.profiles.ontpub import OntPub
    except ImportError as error:
        raise CcgraphError(f"the ontology documentation needs pyLODE 3.3 (pip install 'pylode>=3.3,<3.4'): {error}") from None
    return OntPub


def page_file(project: Project):
    from ccgraph.publish.model import ReleaseFile

    return ReleaseFile(PAGE_PATH, render(project).encode("utf-8"),
                       "The ontology's documentation (HTML, made by pyLODE), every class and property at its IRI's fragment",
                       "text/html")
