"""OWL-RL closure with owlrl, kept in its own graph so asserted facts stay separable.

owlrl's closure is unbounded in cost (its datatype rule compares every pair of literals), so
the axiomatic and datatype rules are off, the input size is capped, and the run is timed.
Only the triples that were not asserted, and that say something (no x owl:sameAs x, no
x a owl:Thing), are kept.
"""

import time
from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import CcgraphError
from .namespaces import ID, bind_prefixes

CLOSURE_GRAPH = ID["graph/closure"]
MAX_INPUT_TRIPLES = 250_000  # measured: owlrl stays linear well past this with datatype rules off

_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


@dataclass
class Closure:
    inferred: Graph
    seconds: float
    asserted_triples: int

    def by_predicate(self) -> dict[str, int]:
        counts = Counter(self.inferred.namespace_manager.normalizeUri(p) for _, p, _ in self.inferred)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def close(asserted: Graph, max_triples: int = MAX_INPUT_TRIPLES) -> Closure:
    import owlrl

    if len(asserted) > max_triples:
        raise CcgraphError(f"graph has {len(asserted)} triples, over the reasoning cap of {max_triples}: reason over a smaller part")
    working = Graph()
    for triple in asserted:
        working.add(triple)
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(working)
    seconds = time.perf_counter() - started
    inferred = Graph(identifier=CLOSURE_GRAPH)
    bind_prefixes(inferred)
    for s, p, o in working:
        if (s, p, o) in asserted or not _informative(s, p, o):
            continue
        inferred.add((s, p, o))
    return Closure(inferred, seconds, len(asserted))


def _informative(s, p, o) -> bool:
    if isinstance(s, Literal):
        return False
    if p in (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty) and s == o:
        return False
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return False
    if p in (RDFS.subClassOf, RDFS.subPropertyOf) and (s == o or o in (OWL.Thing, RDFS.Resource)):
        return False
    if not isinstance(s, URIRef) and p == RDF.type:
        return False  # typing of list nodes and restrictions: owlrl bookkeeping
    return True
