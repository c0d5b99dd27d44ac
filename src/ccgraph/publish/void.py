"""The release's description (void.ttl): a dcat:Dataset and void:Dataset, with a dcat:Distribution per file.

It says what a catalogue or a crawler needs to find and trust the files: licence (CC BY 4.0), version,
the triples of each named graph (void:subset, void:triples) and instances per class (void:classPartition),
the vocabularies used, the SPARQL endpoint, the source documents (dcterms:source, from data/sources.ttl),
and for each file its media type, size, SHA-256 and download URL (relative to this file unless a base URL
is given). Figures are read from the store with SPARQL. It has its own shapes, shapes/release/void.ttl,
kept apart from shapes/*.ttl (which validate the data).
"""

import hashlib

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from ccgraph.graph.namespaces import CCG, ID, bind_prefixes
from ccgraph.graph.store import Store
from ccgraph.publish.model import DATA_LICENCE, DATASET_IRI, PROJECT_IRI, ReleaseFile, ReleaseOptions
from ccgraph.publish.rdf_files import part_name

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT is DCAT 2: no dcat:version)
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
PATH = "void.ttl"

_VOCABULARIES = """
SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } }
"""
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities) WHERE {
  ?entity a ?class . FILTER(STRSTARTS(STR(?class), STR(ccg:)))
} GROUP BY ?class
"""
_SOURCES = """
SELECT DISTINCT ?document ?title ?file WHERE { ?document a ccg:SourceDocument ; dcterms:title ?title ; ccg:seedFile ?file }
"""
_FRAMEWORKS = "SELECT DISTINCT ?framework WHERE { ?framework a ccg:Framework . FILTER NOT EXISTS { ?framework a ccg:StandardsSuite } }"


def describe(store: Store, files: list[ReleaseFile], options: ReleaseOptions) -> ReleaseFile:
    graph = Graph()
    release = URIRef(options.release_iri)
    add = graph.add
    for kind in (DCAT.Dataset, VOID.Dataset):
        add((release, RDF.type, kind))
    add((release, DCTERMS.title, Literal(f"ccgraph {options.version}", lang="en")))
    add((release, DCTERMS.description, Literal(
        "An open knowledge graph of UK contact-centre occupational standards: the Government Contact Centres Functional "
        "Map, the Contact Centre NOS, the City & Guilds 3412 and OCR NVQs and the e-skills UK Career and Skills Framework, "
        "each transcribed with its source and place, joined by five SSSOM mapping sets.", lang="en")))
    add((release, DCAT.version, Literal(options.version)))
    add((release, DCAT.isVersionOf, URIRef(DATASET_IRI)))
    add((release, DCTERMS.license, URIRef(DATA_LICENCE)))
    add((release, DCTERMS.creator, URIRef(PROJECT_IRI)))
    add((release, DCTERMS.publisher, URIRef(PROJECT_IRI)))
    add((URIRef(PROJECT_IRI), RDF.type, FOAF.Agent))
    add((URIRef(PROJECT_IRI), FOAF.name, Literal("The ccgraph developers")))
    if options.date:
        add((release, DCTERMS.issued, Literal(options.date, datatype=XSD.date)))
    add((release, VOID.sparqlEndpoint, URIRef(options.endpoint_url)))
    add((release, VOID.uriSpace, Literal(str(ID))))
    add((release, VOID.triples, Literal(store.triple_count(), datatype=XSD.integer)))
    for (framework,) in store.select(_FRAMEWORKS, where="release description").values():
        add((release, VOID.exampleResource, URIRef(framework)))
    for namespace in _vocabularies(store):
        add((release, VOID.vocabulary, URIRef(namespace)))
    for class_iri, entities in store.select(_CLASSES, where="release description").values():
        partition = BNode()
        add((release, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(class_iri)))
        add((partition, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for document, title, seed_file in store.select(_SOURCES, where="release description").values():
        add((release, DCTERMS.source, URIRef(document)))
        add((URIRef(document), RDF.type, CCG.SourceDocument))
        add((URIRef(document), DCTERMS.title, Literal(title, lang="en")))
        add((URIRef(document), CCG.seedFile, Literal(seed_file)))

    by_path = {f.path: f for f in files}
    for graph_iri, triples in store.graph_sizes().items():
        if not graph_iri:
            continue
        subset, name = URIRef(graph_iri), part_name(graph_iri)
        add((release, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, DCTERMS.title, Literal(f"The named graph {name}", lang="en")))
        add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
        if f"parts/{name}.ttl" in by_path:
            add((subset, VOID.dataDump, URIRef(options.download_url(f"parts/{name}.ttl"))))
    for path in ("ccgraph.trig", "ccgraph.nq", "ccgraph.jsonld"):
        if path in by_path:
            add((release, VOID.dataDump, URIRef(options.download_url(path))))
    for file in sorted(files, key=lambda f: f.path):
        _distribution(graph, release, file, options)
    return ReleaseFile(PATH, turtle(graph), f"The description of ccgraph {options.version} (VoID and DCAT)", "text/turtle")


def _distribution(graph: Graph, release: URIRef, file: ReleaseFile, options: ReleaseOptions) -> None:
    node = URIRef(f"{options.release_iri}/distribution/{file.path}")
    url = URIRef(options.download_url(file.path))
    checksum = BNode()
    for triple in (
        (release, DCAT.distribution, node),
        (node, RDF.type, DCAT.Distribution),
        (node, DCTERMS.title, Literal(file.title, lang="en")),
        (node, DCAT.mediaType, URIRef(file.media_type_iri)),
        (node, DCAT.byteSize, Literal(len(file.data), datatype=XSD.nonNegativeInteger)),
        (node, DCAT.downloadURL, url),
        (node, DCAT.accessURL, url),
        (node, DCTERMS.license, URIRef(DATA_LICENCE)),
        (node, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, Literal(hashlib.sha256(file.data).hexdigest(), datatype=XSD.hexBinary)),
    ):
        graph.add(triple)


def _vocabularies(store: Store) -> list[str]:
    """The namespace of every property and class the data uses (split at its last '#' or '/')."""
    namespaces = set()
    for (term,) in store.select(_VOCABULARIES, where="release description").values():
        cut = max(term.rfind("#"), term.rfind("/"))
        namespace = term[:cut + 1]
        if not namespace.startswith(str(ID)):  # instances are not a vocabulary
            namespaces.add(namespace)
    return sorted(namespaces)


def turtle(graph: Graph) -> bytes:
    """Turtle that is the same on every run: blank nodes named canonically, triples added in sorted order."""
    canonical = to_canonical_graph(graph)
    out = Graph()
    bind_prefixes(out)
    for prefix, namespace in (("dcat", DCAT), ("void", VOID), ("spdx", SPDX), ("foaf", FOAF)):
        out.bind(prefix, namespace, override=True)
    for triple in sorted(canonical):
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")
