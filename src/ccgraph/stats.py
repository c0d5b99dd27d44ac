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

    def as_dict(self) -> dict:
        return {"triples": self.triples, "graphs": self.graphs, "classes": self.classes}


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
    return Stats(len(union), graphs, classes)
