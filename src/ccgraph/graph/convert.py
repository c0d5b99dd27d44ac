"""The one place where rdflib and pyoxigraph terms meet.

rdflib stays where it is the right tool (the transcription loaders, pyshacl, owlrl, the
byte-reproducible serialisers); pyoxigraph holds the dataset and answers every query. Terms cross
between them here and nowhere else.

Two rules keep the round trip exact: a plain rdflib literal is an xsd:string in RDF 1.1 (and in
pyoxigraph), and comes back plain; a language-tagged literal keeps its tag and no datatype.
"""

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_STRING_NODE = ox.NamedNode(XSD_STRING)


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term) -> Node | None:
    """A pyoxigraph term (or None, for an unbound variable) as an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING_NODE:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"not an RDF term: {term!r}")


def to_python(term):
    """A pyoxigraph term as a plain value: IRIs and strings as str, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
            return int(term.value)
        if datatype.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if datatype.endswith("#boolean"):
            return term.value in ("true", "1")
        return term.value
    return term.value


def quads_from_rdflib(dataset: Dataset) -> Iterator[ox.Quad]:
    """Every quad of an rdflib dataset; triples of its default graph go to pyoxigraph's default graph."""
    default = ox.DefaultGraph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        graph = default if name is None or str(name).startswith("urn:x-rdflib:default") else to_ox(name)
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)


def triples_from_rdflib(graph: Graph, name) -> Iterator[ox.Quad]:
    """An rdflib graph's triples as quads in the named graph `name` (a pyoxigraph graph name)."""
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)


def _cached(convert):
    """A converter that makes each distinct term once: a graph repeats its IRIs many times over."""
    cache: dict = {}

    def cached(term):
        found = cache.get(term)
        if found is None:
            found = cache[term] = convert(term)
        return found

    return cached


def dataset_from_quads(quads: Iterable[ox.Quad]) -> Dataset:
    """pyoxigraph quads as an rdflib Dataset (for pyshacl, owlrl and the reproducible serialisers)."""
    to_rdflib = _cached(globals()["to_rdflib"])
    dataset = Dataset()
    graphs: dict[str, Graph] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            target = dataset.default_graph
        else:
            key = quad.graph_name.value
            target = graphs.get(key)
            if target is None:
                target = graphs[key] = dataset.graph(to_rdflib(quad.graph_name))
        target.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return dataset


def graph_from_quads(quads: Iterable[ox.Quad]) -> Graph:
    """pyoxigraph quads merged into one rdflib Graph."""
    to_rdflib = _cached(globals()["to_rdflib"])
    graph = Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
