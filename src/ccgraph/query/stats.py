"""Figures about the dataset, asked of the store: triples per named graph, instances per class, mapping coverage."""

from dataclasses import dataclass

from ccgraph.graph.store import Store



@dataclass(frozen=True)
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]
    mappings: dict[str, dict[str, int]]

    def as_dict(self) -> dict:
        return {"triples": self.triples, "graphs": self.graphs, "classes": self.classes, "mappings": self.mappings}


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?instance) AS ?n) WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(ccg:)))
  OPTIONAL { ?instance a ?class }
} GROUP BY ?class ORDER BY ?class
"""

COVERAGE = """
SELECT ?label (COUNT(DISTINCT ?mapping) AS ?mappings) (COUNT(DISTINCT ?subject) AS ?subjects)
       (COUNT(DISTINCT ?matched) AS ?matchedSubjects) WHERE {
  ?set a ccg:MappingSet ; rdfs:label ?label .
  OPTIONAL {
    ?mapping ccg:inMappingSet ?set ; owl:annotatedSource ?subject ; owl:annotatedTarget ?target .
    BIND (IF(?target != <https://w3id.org/sssom/NoTermFound>, ?subject, ?unbound) AS ?matched)
  }
} GROUP BY ?set ?label ORDER BY ?set
"""


def mapping_coverage(store: Store) -> dict[str, dict[str, int]]:
    """Per mapping set: rows, subjects examined, subjects with a counterpart, subjects with an explicit no-match."""
    coverage = {}
    for label, mappings, subjects, matched in store.select(COVERAGE).values():
        coverage[label] = {"mappings": mappings, "subjects": subjects, "matched": matched, "no_match": subjects - matched}
    return coverage


def compute(store: Store) -> Stats:
    from ccgraph.render.tables import compact

    graphs = {name: size for name, size in store.graph_sizes().items() if size}
    classes = {compact(cls): n for cls, n in store.select(CLASS_COUNTS).values()}
    return Stats(store.triple_count(), graphs, dict(sorted(classes.items())), mapping_coverage(store))
