"""The dataset as JSON-LD, compacted with a context published beside it (context/ccgraph.jsonld).

The context gives a short term to every ccg:, skos: and dcterms: class and property the data uses
("prefLabel" for skos:prefLabel) and a prefix to every vocabulary, so the document reads as plain JSON.
Terms carry no type coercion: a value keeps its explicit form ({"@id": ...}, {"@value", "@language"}),
so expanding the document gives back exactly the triples. A local name used by two vocabularies gets
no term (both stay CURIEs), so no term is ambiguous. The document refers to the context by a relative
URL, which resolves beside it wherever the release is put.
"""

import json

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG, PREFIXES
from ccgraph.graph.rdfio import _canonical, _sorted_json  # the same ordering and blank-node rules as every export
from ccgraph.publish.model import ReleaseFile
from ccgraph.publish.rdf_files import named_graphs
from ccgraph.sources.sssom import SSSOM

CONTEXT_PATH = "context/ccgraph.jsonld"
DOCUMENT_PATH = "ccgraph.jsonld"
TERM_VOCABULARIES = (str(CCG), str(SKOS), str(DCTERMS))
# Prefixes for the other vocabularies a release may use, beside the project's own.
KNOWN_PREFIXES = {**{p: str(ns) for p, ns in PREFIXES.items()}, "sssom": str(SSSOM), "vann": "http://purl.org/vocab/vann/"}


def vocabulary_terms(dataset: Dataset) -> list[URIRef]:
    """Every property and class the data uses, in IRI order."""
    used = set()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        used.add(p)
        if p == RDF.type and isinstance(o, URIRef):
            used.add(o)
    return sorted(used)


def context(dataset: Dataset) -> dict:
    terms = vocabulary_terms(dataset)
    datatypes = {o.datatype for _, _, o, _ in dataset.quads((None, None, None, None)) if isinstance(o, Literal) and o.datatype}
    namespaces = {_namespace(t) for t in [*terms, *datatypes]}  # datatypes get a prefix too (xsd:double)
    prefixes = {prefix: base for prefix, base in KNOWN_PREFIXES.items() if base in namespaces}
    compact = {base: prefix for prefix, base in prefixes.items()}
    by_name: dict[str, list[URIRef]] = {}
    for term in terms:
        if _namespace(term) in TERM_VOCABULARIES:
            by_name.setdefault(str(term)[len(_namespace(term)):], []).append(term)
    definitions = {name: f"{compact[_namespace(iris[0])]}:{name}" for name, iris in by_name.items()
                   if len(iris) == 1 and name and name not in prefixes}
    return {**prefixes, **definitions}


def jsonld_files(dataset: Dataset) -> list[ReleaseFile]:
    terms = context(dataset)
    canonical = Dataset()
    for graph_iri in named_graphs(dataset):
        target = canonical.graph(graph_iri)
        for triple in _canonical(dataset.graph(graph_iri)):
            target.add(triple)
    document = json.loads(canonical.serialize(format="json-ld", context=terms))
    document = _sorted_json(document)
    document["@context"] = CONTEXT_PATH
    return [
        ReleaseFile(DOCUMENT_PATH, _dump(document), "The dataset, every named graph, as JSON-LD (context in context/ccgraph.jsonld)",
                    "application/ld+json"),
        ReleaseFile(CONTEXT_PATH, _dump({"@context": terms}), "The JSON-LD context that ccgraph.jsonld refers to",
                    "application/ld+json"),
    ]


def _namespace(iri: URIRef) -> str:
    text = str(iri)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[:cut + 1]


def _dump(value) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
