"""What every transcribed entity carries: type, code, label, scheme, source and locator."""

from pathlib import PurePath

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG, ID


def source_document(seed_file: str) -> URIRef:
    """The IRI of a source document, named after its seed file (described in data/sources.ttl)."""
    return ID["source/" + PurePath(seed_file).stem]


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def describe(
    graph: Graph,
    iri: URIRef,
    rdf_type: URIRef,
    *,
    label: str,
    source: URIRef,
    locator: str,
    notation: str | None = None,
    scheme: URIRef | None = None,
) -> URIRef:
    """Add the statements every entity has; return its IRI for chaining."""
    graph.add((iri, RDF.type, rdf_type))
    graph.add((iri, SKOS.prefLabel, en(label)))
    graph.add((iri, DCTERMS.source, source))
    graph.add((iri, CCG.sourceLocator, Literal(locator)))
    if notation is not None:
        graph.add((iri, SKOS.notation, Literal(notation)))
    if scheme is not None:
        graph.add((iri, SKOS.inScheme, scheme))
    return iri


def link_broader(graph: Graph, narrower: URIRef, broader: URIRef) -> None:
    """skos:broader with its inverse asserted, as SKOS consumers expect both."""
    graph.add((narrower, SKOS.broader, broader))
    graph.add((broader, SKOS.narrower, narrower))

