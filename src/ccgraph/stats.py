"""Figures about the assembled graph: triples per named graph and instances per ccgraph class."""

from dataclasses import dataclass

from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF

from .namespaces import CCG


@dataclass(frozen=True)
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]
    mappings: dict[str, dict[str, int]]

    def as_dict(self) -> dict:
        return {"triples": self.triples, "graphs": self.graphs, "classes": self.classes, "mappings": self.mappings}


def mapping_coverage(union: Graph) -> dict[str, dict[str, int]]:
    """Per mapping set: rows, subjects examined, subjects with a counterpart, subjects with an explicit no-match."""
    from rdflib.namespace import OWL, RDFS

    from .sssom import NO_TERM_FOUND

    coverage = {}
    for mapping_set in sorted(union.subjects(RDF.type, CCG.MappingSet)):
        nodes = list(union.subjects(CCG.inMappingSet, mapping_set))
        subjects = {union.value(n, OWL.annotatedSource) for n in nodes}
        matched = {union.value(n, OWL.annotatedSource) for n in nodes if union.value(n, OWL.annotatedTarget) != NO_TERM_FOUND}
        coverage[str(union.value(mapping_set, RDFS.label))] = {
            "mappings": len(nodes), "subjects": len(subjects), "matched": len(matched), "no_match": len(subjects - matched)}
    return coverage


def compute(dataset: Dataset, union: Graph) -> Stats:
    graphs = {
        str(graph.identifier): len(graph)
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier))
        if len(graph)
    }
    classes = {}
    for cls in sorted(union.subjects(RDF.type, OWL.Class)):
        if str(cls).startswith(str(CCG)):
            classes[union.namespace_manager.normalizeUri(cls)] = len(set(union.subjects(RDF.type, cls)))
    return Stats(len(union), graphs, classes, mapping_coverage(union))
