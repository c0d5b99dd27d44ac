"""The OWL 2 RL closure of the constructs ccgraph's vocabulary uses, kept in its own graph so asserted facts stay separable.

Forward chaining over in-memory indexes, semi-naive: every triple, asserted or derived, is put
in the indexes and on a work list once, and when it is taken off the list each rule it can be a
premise of is joined against the indexes. A derivation is found when its last premise arrives,
so the fixpoint is complete, and the work is proportional to the derivations made, not to
(triples x rounds) as in owlrl's naive cycles. Terms are interned to ints first.

Rules implemented (names and premises as in the OWL 2 RL profile, Tables 4-9, with owlrl's
guards such as c1 != c2, so the result is the one owlrl computes):

  used by the vocabulary (ontology/*.ttl and the data):
    prp-dom, prp-rng                  rdfs:domain / rdfs:range (60 / 71 axioms)
    prp-spo1                          rdfs:subPropertyOf (ccg:inSuite, the SKOS hierarchy ...)
    prp-inv1, prp-inv2                owl:inverseOf
    prp-symp, prp-trp                 owl:SymmetricProperty, owl:TransitiveProperty (SKOS)
    prp-spo2                          owl:propertyChainAxiom (ccg:requiresCompetency)
    cax-sco                           rdfs:subClassOf
    cax-dw, cls-nothing2              owl:disjointWith, owl:Nothing: consistency checks, reported
                                      in Closure.inconsistencies, that derive nothing
    scm-sco, scm-spo, scm-dom1/2, scm-rng1/2   the schema's own closure (it feeds the above)
    scm-cls, scm-op, scm-dp, cls-thing, cls-nothing1   declarations: only owl:Nothing
                                      rdfs:subClassOf c (and via scm-dom1/scm-rng1 p rdfs:domain /
                                      rdfs:range owl:Thing) survive the _informative filter
  triggered by the above, so implemented although nothing in the graph triggers them today:
    prp-fp, prp-ifp                   owl:(Inverse)FunctionalProperty with two values gives owl:sameAs
    eq-sym, eq-trans, eq-rep-s, eq-rep-p, eq-rep-o    what an owl:sameAs then implies
    scm-eqc1, scm-eqc2, scm-eqp1, scm-eqp2   cycles of subClassOf / subPropertyOf give
                                      owl:equivalentClass / owl:equivalentProperty, and back;
                                      cax-eqc1/2 and prp-eqp1/2 follow from these with cax-sco
                                      and prp-spo1, so they need no code of their own

Rules left out, and why:
  eq-ref                  only x owl:sameAs x, which _informative drops, and which re-derives
                          nothing under eq-rep-*
  prp-ap, dt-type1, dt-type2, dt-eq, dt-diff, dt-not-type
                          owlrl's one-time axioms: the nine annotation properties typed
                          owl:AnnotationProperty, every OWL RL datatype typed rdfs:Datatype,
                          disjointness between the xsd datatypes the data uses, and literals
                          typed with their datatype (a literal subject, which _informative drops):
                          constants or bookkeeping that say nothing about ccgraph's data
  cls-int1/2, cls-uni, cls-com, cls-svf1/2, cls-avf, cls-hv1/2, cls-maxc1/2, cls-maxqc1-4,
  cls-oo, cax-adc, prp-key, prp-irp, prp-asyp, prp-pdw, prp-adp, prp-npa1/2,
  eq-diff1-3, scm-int, scm-uni, scm-hv, scm-svf1/2, scm-avf1/2
                          the vocabulary has no class expressions, restrictions, keys or
                          negative axioms; an input that uses one of their trigger terms is
                          refused (CcgraphError), so the closure is never silently incomplete

Cost is linear in the number of triples derived (times the fan-out of each join), so there is
no cap on the input; MAX_DERIVED_TRIPLES bounds what a runaway closure (a dense transitive
property, an owl:sameAs merging big nodes) may build in memory. The whole call is timed.
Only the triples that were not asserted, and that say something (see _informative), are kept.
"""

import gc
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import ID, bind_prefixes

CLOSURE_GRAPH = ID["graph/closure"]
MAX_DERIVED_TRIPLES = 5_000_000  # some 2 GB of indexes; the real graph derives ~18,000 (trivial ones included)

_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_REFLEXIVE_TRIVIAL = (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty)
_HIERARCHY = (RDFS.subClassOf, RDFS.subPropertyOf)
_TOPS = (OWL.Thing, RDFS.Resource)
_TYPE = RDF.type
_PREFIXES = Graph().namespace_manager

# Trigger terms (predicates, or objects of rdf:type) of the OWL 2 RL rules not implemented here.
UNSUPPORTED_PREDICATES = frozenset(
    {
        OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.someValuesFrom, OWL.allValuesFrom,
        OWL.hasValue, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.hasKey, OWL.propertyDisjointWith,
        OWL.sourceIndividual, OWL.differentFrom,
    }
)
UNSUPPORTED_TYPES = frozenset(
    {OWL.AllDifferent, OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.IrreflexiveProperty, OWL.AsymmetricProperty}
)


@dataclass
class Closure:
    inferred: Graph
    seconds: float
    asserted_triples: int
    inconsistencies: tuple[str, ...] = ()

    def by_predicate(self) -> dict[str, int]:
        counts = Counter(self.inferred.namespace_manager.normalizeUri(p) for _, p, _ in self.inferred)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def close(asserted: Graph, max_derived: int = MAX_DERIVED_TRIPLES) -> Closure:
    started = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()  # the indexes are millions of small sets and no cycles: collecting them is wasted time (half of it)
    try:
        derived, inconsistencies = _derive(asserted, max_derived)
        inferred = Graph(identifier=CLOSURE_GRAPH)
        bind_prefixes(inferred)
        add = inferred.add
        for triple in derived:
            add(triple)
    finally:
        if collecting:
            gc.enable()
    return Closure(inferred, time.perf_counter() - started, len(asserted), inconsistencies)


def _derive(triples: Iterable, max_derived: int = MAX_DERIVED_TRIPLES) -> tuple[list, tuple[str, ...]]:
    """The new informative triples the rules derive from `triples` (taken in the order given), and the clashes found."""
    reasoner = _Reasoner(max_derived)
    reasoner.load(triples)
    reasoner.run()
    return [t for t in reasoner.derived_terms() if _informative(*t)], tuple(reasoner.inconsistencies)


def _informative(s, p, o) -> bool:
    if isinstance(s, Literal):
        return False
    if p in _REFLEXIVE_TRIVIAL and s == o:
        return False
    if p == _TYPE and o in _TRIVIAL_TYPES:
        return False
    if p in _HIERARCHY and (s == o or o in _TOPS):
        return False
    if not isinstance(s, URIRef) and p == _TYPE:
        return False  # typing of list nodes and restrictions: owlrl bookkeeping
    return True


_EMPTY: frozenset = frozenset()


class _Reasoner:
    """Triples as int ids in two indexes, spo[p][s] = {o} and pos[p][o] = {s}, and a work list."""

    def __init__(self, max_derived: int):
        self.max_derived = max_derived
        self.ids: dict = {}
        self.terms: list = []
        self.literals: set[int] = set()
        self.spo: dict[int, dict[int, set[int]]] = {}
        self.pos: dict[int, dict[int, set[int]]] = {}
        self.work: list[tuple[int, int, int]] = []
        self.derived: list[tuple[int, int, int]] | None = None  # None while the asserted triples load
        self.by_subject: dict[int, set[int]] | None = None  # s -> {p}, built when owl:sameAs first appears
        self.by_object: dict[int, set[int]] | None = None  # o -> {p}
        self.chains: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}  # member -> [(p, chain, position)]
        self.inconsistencies: list[str] = []
        self.seen_clashes: set[str] = set()
        n = self.intern
        self.TYPE, self.SCO, self.SPO, self.DOM, self.RNG = n(RDF.type), n(RDFS.subClassOf), n(RDFS.subPropertyOf), n(RDFS.domain), n(RDFS.range)
        self.EQC, self.EQP, self.SAME, self.INV, self.CHAIN = n(OWL.equivalentClass), n(OWL.equivalentProperty), n(OWL.sameAs), n(OWL.inverseOf), n(OWL.propertyChainAxiom)
        self.DW, self.FIRST, self.REST = n(OWL.disjointWith), n(RDF.first), n(RDF.rest)
        self.CLASS, self.THING, self.NOTHING = n(OWL.Class), n(OWL.Thing), n(OWL.Nothing)
        self.PROPERTY_TYPES = {n(OWL.ObjectProperty), n(OWL.DatatypeProperty), n(RDF.Property)}
        self.SYM, self.TRANS, self.FP, self.IFP = n(OWL.SymmetricProperty), n(OWL.TransitiveProperty), n(OWL.FunctionalProperty), n(OWL.InverseFunctionalProperty)

    # -- terms and indexes ------------------------------------------------------------------

    def intern(self, term) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
            if isinstance(term, Literal):
                self.literals.add(found)
        return found

    def add(self, s: int, p: int, o: int) -> None:
        by_s = self.spo.get(p)
        if by_s is None:
            by_s = self.spo[p] = {}
            self.pos[p] = {}
        objects = by_s.get(s)
        if objects is None:
            objects = by_s[s] = set()
        elif o in objects:
            return
        objects.add(o)
        by_o = self.pos[p]
        subjects = by_o.get(o)
        if subjects is None:
            by_o[o] = {s}
        else:
            subjects.add(s)
        if self.by_subject is not None:
            self.by_subject.setdefault(s, set()).add(p)
            self.by_object.setdefault(o, set()).add(p)
        self.work.append((s, p, o))
        if self.derived is not None:
            self.derived.append((s, p, o))
            if len(self.derived) > self.max_derived:
                raise CcgraphError(f"the closure passed {self.max_derived} derived triples: reason over a smaller part")

    def objects(self, s: int, p: int):
        by_s = self.spo.get(p)
        return by_s.get(s, _EMPTY) if by_s is not None else _EMPTY

    def subjects(self, p: int, o: int):
        by_o = self.pos.get(p)
        return by_o.get(o, _EMPTY) if by_o is not None else _EMPTY

    def pairs(self, p: int):
        for s, objects in list(self.spo.get(p, {}).items()):
            for o in list(objects):
                yield s, o

    def has(self, s: int, p: int, o: int) -> bool:
        return o in self.objects(s, p)

    # -- loading, the fixpoint, the result --------------------------------------------------

    def load(self, triples: Iterable) -> None:
        ids, intern, add = self.ids, self.intern, self.add
        for s, p, o in triples:
            si, pi, oi = ids.get(s), ids.get(p), ids.get(o)
            add(intern(s) if si is None else si, intern(p) if pi is None else pi, intern(o) if oi is None else oi)
        used = {self.terms[p] for p in self.spo} & UNSUPPORTED_PREDICATES
        used |= {self.terms[o] for o in self.pos.get(self.TYPE, {})} & UNSUPPORTED_TYPES
        if used:
            names = ", ".join(sorted(_PREFIXES.normalizeUri(t) for t in used))
            raise CcgraphError(f"the closure does not implement the OWL RL rules for {names}: add them to ccgraph/graph/reason.py")
        self.derived = []
        self.add(self.THING, self.TYPE, self.CLASS)  # cls-thing
        self.add(self.NOTHING, self.TYPE, self.CLASS)  # cls-nothing1

    def run(self) -> None:
        work, fire = self.work, self.fire
        while work:
            fire(*work.pop())

    def derived_terms(self):
        terms, literals = self.terms, self.literals
        for s, p, o in self.derived:
            if p in literals or isinstance(terms[p], BNode):
                continue  # owlrl never stores a literal predicate and drops blank-node predicates
            yield terms[s], terms[p], terms[o]

    # -- the rules --------------------------------------------------------------------------

    def fire(self, s: int, p: int, o: int) -> None:
        out: list[tuple[int, int, int]] = []
        emit = out.append
        objects, subjects = self.objects, self.subjects
        TYPE, SCO, SPO, SAME = self.TYPE, self.SCO, self.SPO, self.SAME

        # The triple as a data premise (x p y), against what the schema says of p.
        for c in objects(p, self.DOM):
            emit((s, TYPE, c))  # prp-dom
        for c in objects(p, self.RNG):
            emit((o, TYPE, c))  # prp-rng
        for q in objects(p, SPO):
            emit((s, q, o))  # prp-spo1
        for q in objects(p, self.INV):
            emit((o, q, s))  # prp-inv1
        for q in subjects(self.INV, p):
            emit((o, q, s))  # prp-inv2
        kinds = objects(p, TYPE)
        if kinds:
            if self.SYM in kinds:
                emit((o, p, s))  # prp-symp
            if self.TRANS in kinds:  # prp-trp, with (x p y) as either premise
                for z in objects(o, p):
                    emit((s, p, z))
                for w in subjects(p, s):
                    emit((w, p, o))
            if self.FP in kinds:  # prp-fp
                for other in objects(s, p):
                    if other != o:
                        emit((o, SAME, other))
                        emit((other, SAME, o))
            if self.IFP in kinds:  # prp-ifp
                for other in subjects(p, o):
                    if other != s:
                        emit((s, SAME, other))
                        emit((other, SAME, s))
        for chain_p, chain, position in self.chains.get(p, ()):
            self.extend_chain(chain_p, chain, position, s, o, emit)  # prp-spo2
        if self.by_subject is not None:  # eq-rep-s, eq-rep-p, eq-rep-o
            for same in objects(s, SAME):
                emit((same, p, o))
            for same in objects(p, SAME):
                if same not in self.literals:
                    emit((s, same, o))
            for same in objects(o, SAME):
                emit((s, p, same))

        # The triple as a schema premise.
        if p == TYPE:
            for c2 in objects(o, SCO):
                if c2 != o:
                    emit((s, TYPE, c2))  # cax-sco
            for c2 in (*objects(o, self.DW), *subjects(self.DW, o)):
                if self.has(s, TYPE, c2):
                    self.clash(f"disjoint classes {self.terms[min(o, c2)]} and {self.terms[max(o, c2)]} have a common individual {self.terms[s]}")  # cax-dw
            if o == self.NOTHING:
                self.clash(f"{self.terms[s]} is an owl:Nothing")  # cls-nothing2
            if o == self.CLASS:  # scm-cls
                emit((s, SCO, s))
                emit((s, self.EQC, s))
                emit((s, SCO, self.THING))
                emit((self.NOTHING, SCO, s))
            elif o in self.PROPERTY_TYPES:  # scm-op, scm-dp
                emit((s, SPO, s))
                emit((s, self.EQP, s))
            elif o == self.SYM:
                for x, y in self.pairs(s):
                    emit((y, s, x))  # prp-symp
            elif o == self.TRANS:
                for x, y in self.pairs(s):
                    for z in objects(y, s):
                        emit((x, s, z))  # prp-trp
            elif o == self.FP:
                for values in list(self.spo.get(s, {}).values()):
                    for y1 in values:
                        for y2 in values:
                            if y1 != y2:
                                emit((y1, SAME, y2))  # prp-fp
            elif o == self.IFP:
                for holders in list(self.pos.get(s, {}).values()):
                    for x1 in holders:
                        for x2 in holders:
                            if x1 != x2:
                                emit((x1, SAME, x2))  # prp-ifp
        elif p == SCO:
            if s != o:
                for x in subjects(TYPE, s):
                    emit((x, TYPE, o))  # cax-sco
                for c3 in objects(o, SCO):
                    if c3 != s:
                        emit((s, SCO, c3))  # scm-sco, as first premise
                for q in subjects(self.DOM, s):
                    emit((q, self.DOM, o))  # scm-dom1, as second premise
                for q in subjects(self.RNG, s):
                    emit((q, self.RNG, o))  # scm-rng1, as second premise
            for c0 in subjects(SCO, s):
                if c0 != s and c0 != o:
                    emit((c0, SCO, o))  # scm-sco, as second premise
            if self.has(o, SCO, s):
                emit((s, self.EQC, o))  # scm-eqc2
                emit((o, self.EQC, s))
        elif p == self.EQC:
            if s != o:
                emit((s, SCO, o))  # scm-eqc1
                emit((o, SCO, s))
        elif p == SPO:
            for x, y in self.pairs(s):
                emit((x, o, y))  # prp-spo1
            if s != o:
                for p3 in objects(o, SPO):
                    if p3 != s:
                        emit((s, SPO, p3))  # scm-spo, as first premise
                if self.has(o, SPO, s):
                    emit((s, self.EQP, o))  # scm-eqp2
                    emit((o, self.EQP, s))
                for c in objects(o, self.DOM):
                    emit((s, self.DOM, c))  # scm-dom2, as second premise
                for c in objects(o, self.RNG):
                    emit((s, self.RNG, c))  # scm-rng2, as second premise
            for p0 in subjects(SPO, s):
                if p0 != s and p0 != o:
                    emit((p0, SPO, o))  # scm-spo, as second premise
        elif p == self.EQP:
            if s != o:
                emit((s, SPO, o))  # scm-eqp1
                emit((o, SPO, s))
        elif p == self.DOM:
            for x in list(self.spo.get(s, ())):
                emit((x, TYPE, o))  # prp-dom
            for c2 in objects(o, SCO):
                if c2 != o:
                    emit((s, self.DOM, c2))  # scm-dom1, as first premise
            for p1 in subjects(SPO, s):
                if p1 != s:
                    emit((p1, self.DOM, o))  # scm-dom2, as first premise
        elif p == self.RNG:
            for y in list(self.pos.get(s, ())):
                emit((y, TYPE, o))  # prp-rng
            for c2 in objects(o, SCO):
                if c2 != o:
                    emit((s, self.RNG, c2))  # scm-rng1, as first premise
            for p1 in subjects(SPO, s):
                if p1 != s:
                    emit((p1, self.RNG, o))  # scm-rng2, as first premise
        elif p == self.INV:
            for x, y in self.pairs(s):
                emit((y, o, x))  # prp-inv1
            for x, y in self.pairs(o):
                emit((y, s, x))  # prp-inv2
        elif p == self.DW:
            for x in subjects(TYPE, s):
                if self.has(x, TYPE, o):
                    self.clash(f"disjoint classes {self.terms[min(s, o)]} and {self.terms[max(s, o)]} have a common individual {self.terms[x]}")  # cax-dw
        elif p == self.CHAIN:
            self.add_chain(s, o, emit)
        elif p == SAME:
            if self.by_subject is None:
                self.index_nodes()
            emit((o, SAME, s))  # eq-sym
            for z in objects(o, SAME):
                emit((s, SAME, z))  # eq-trans, as first premise
            for w in subjects(SAME, s):
                emit((w, SAME, o))  # eq-trans, as second premise
            for q in list(self.by_subject.get(s, ())):
                for y in list(objects(s, q)):
                    emit((o, q, y))  # eq-rep-s
            if o not in self.literals:
                for x, y in self.pairs(s):
                    emit((x, o, y))  # eq-rep-p
            for q in list(self.by_object.get(s, ())):
                for x in list(subjects(q, s)):
                    emit((x, q, o))  # eq-rep-o

        add = self.add
        for triple in out:
            add(*triple)

    def clash(self, message: str) -> None:
        if message not in self.seen_clashes:
            self.seen_clashes.add(message)
            self.inconsistencies.append(message)

    def index_nodes(self) -> None:
        """The s -> {p} and o -> {p} indexes eq-rep-s and eq-rep-o need; built only once owl:sameAs appears."""
        self.by_subject, self.by_object = {}, {}
        for p, by_s in self.spo.items():
            for s in by_s:
                self.by_subject.setdefault(s, set()).add(p)
        for p, by_o in self.pos.items():
            for o in by_o:
                self.by_object.setdefault(o, set()).add(p)

    def members(self, head: int) -> tuple[int, ...]:
        """An rdf:List's items, read as rdflib's Graph.items reads them (the list must be asserted)."""
        items, node, seen = [], head, {head}
        while node is not None:
            first = next(iter(self.objects(node, self.FIRST)), None)
            if first is not None:
                items.append(first)
            node = next(iter(self.objects(node, self.REST)), None)
            if node in seen:
                break
            seen.add(node)
        return tuple(items)

    def add_chain(self, p: int, head: int, emit) -> None:
        chain = self.members(head)
        if not chain:
            return
        for position, member in enumerate(chain):
            self.chains.setdefault(member, []).append((p, chain, position))
        for x, y in self.pairs(chain[0]):
            self.extend_chain(p, chain, 0, x, y, emit)

    def extend_chain(self, p: int, chain: tuple[int, ...], position: int, x: int, y: int, emit) -> None:
        """prp-spo2 for the chain links that pass through (x chain[position] y)."""
        starts = {x}
        for member in reversed(chain[:position]):
            starts = {w for s in starts for w in self.subjects(member, s)}
            if not starts:
                return
        ends = {y}
        for member in chain[position + 1 :]:
            ends = {z for e in ends for z in self.objects(e, member)}
            if not ends:
                return
        for start in starts:
            for end in ends:
                emit((start, p, end))
