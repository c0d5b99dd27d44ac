"""Namespaces and the rules that turn the sources' own codes into IRIs.

IRI patterns (documented in README, relied on by users' SPARQL):
    ontology      https://w3id.org/ccgraph/ontology#{Name}
    instances     https://w3id.org/ccgraph/id/{path}
    a framework   id/{framework-slug}                       e.g. id/functional-map
    its entities  id/{framework-slug}/{code}                 e.g. id/functional-map/AA1
    a suite       id/suite/{suite-slug}                     e.g. id/suite/management-and-leadership
    a suite's NOS id/suite/{suite-slug}/{code}              e.g. id/suite/management-and-leadership/B2
    an org        id/org/{name-slug}                        e.g. id/org/management-standards-centre
    a source doc  id/source/{seed file stem}
Codes keep their printed form with each space turned into '-' ("GS CC AA1.1" -> "GS-CC-AA1.1");
names become slugs (lower case, runs of other characters -> '-').
"""

import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

CCG = Namespace("https://w3id.org/ccgraph/ontology#")
CCGSH = Namespace("https://w3id.org/ccgraph/shapes#")
ID = Namespace("https://w3id.org/ccgraph/id/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "ccg": CCG,
    "ccgsh": CCGSH,
    "ccgid": ID,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}

__all__ = ["CCG", "CCGSH", "ID", "SH", "PREFIXES", "slug", "code_segment", "mint", "bind_prefixes"]


def slug(name: str) -> str:
    """A name as an IRI segment: 'Skills - Third Sector' -> 'skills-third-sector'."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not text:
        raise ValueError(f"cannot make an IRI segment from {name!r}")
    return text


def code_segment(code: str) -> str:
    """A printed code as an IRI segment: spaces become '-', anything unsafe is percent-encoded."""
    return quote(code.strip().replace(" ", "-"), safe=".-_~")


def mint(*segments: str) -> URIRef:
    """An instance IRI from already-made segments."""
    return ID["/".join(segments)]


def bind_prefixes(graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
