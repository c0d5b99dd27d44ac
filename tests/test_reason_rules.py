"""The closure infers what owlrl infers (after the same _informative filter), except what the rules left out derive.

owlrl's OWL-RL closure of the whole graph takes a minute, so the real-data comparison runs on the
real ontology plus a slice of the data that keeps every triple with a resource as object (all that
drives the closure) and the first 20 literal-valued triples of each predicate. Small graphs then
exercise the rules the real data does not trigger today (owl:sameAs from functional properties,
cycles of subClassOf, property chains over inferred members, ...).
"""

import random
from collections import defaultdict

import owlrl
import pytest
from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.Namespaces import ERRNS
from owlrl.OWLRL import OWLRL_Annotation_properties
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ccgraph.errors import CcgraphError
from ccgraph.graph.assemble import ontology_graph
from ccgraph.graph.reason import _derive, _informative, close

# What owlrl derives by the rules reason.py deliberately leaves out (see its docstring), by rule.
LEFT_OUT = {
    "prp-ap": {(p, RDF.type, OWL.AnnotationProperty) for p in OWLRL_Annotation_properties},
    "dt-type1": {(dt, RDF.type, RDFS.Datatype) for dt in OWL_RL_Datatypes},
    "dt-diff": set(OWLRL_Datatypes_Disjointness),
}
LEFT_OUT_TRIPLES = set().union(*LEFT_OUT.values())


def owlrl_inferred(asserted: Graph) -> tuple[set, list[str]]:
    """owlrl's new informative triples, as reason.py ran it before, and its error messages."""
    working = Graph()
    for triple in asserted:
        working.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(working)
    errors = [str(o) for o in working.objects(None, ERRNS.error)]
    inferred = {t for t in working if t not in asserted and _informative(*t) and t[1] != ERRNS.error}
    return inferred, errors


def assert_same_as_owlrl(asserted: Graph, orders: int = 0):
    """Compare with owlrl; also on `orders` shuffles of the input, since the order the work list
    takes triples in decides which premise of a rule arrives last, i.e. which join code runs."""
    theirs, errors = owlrl_inferred(asserted)
    triples = sorted(asserted)
    closure = close(asserted)
    runs = [(set(closure.inferred), closure.inconsistencies)]
    for seed in range(orders):
        random.Random(seed).shuffle(triples)
        derived, inconsistencies = _derive(triples)
        runs.append((set(derived), inconsistencies))
    for ours, inconsistencies in runs:
        missing = theirs - ours - LEFT_OUT_TRIPLES
        extra = ours - theirs
        assert not missing, f"owlrl infers {len(missing)} triples the closure does not, e.g. {sorted(missing)[:5]}"
        assert not extra, f"the closure infers {len(extra)} triples owlrl does not, e.g. {sorted(extra)[:5]}"
        assert bool(errors) == bool(inconsistencies), (errors, inconsistencies)
    return closure, theirs


@pytest.fixture(scope="module")
def data_slice(graph, project):
    ontology = ontology_graph(project)
    literal_triples = defaultdict(int)
    kept = Graph()
    for triple in sorted(graph):
        if triple in ontology or not isinstance(triple[2], Literal):
            kept.add(triple)
        elif literal_triples[triple[1]] < 20:
            literal_triples[triple[1]] += 1
            kept.add(triple)
    return kept


def test_real_ontology_and_data_slice_closes_as_owlrl_does(data_slice):
    closure, theirs = assert_same_as_owlrl(data_slice, orders=2)
    assert len(closure.inferred) > 10_000
    # The left-out rules are the whole difference, and each of them does show up here.
    difference = theirs - set(closure.inferred)
    for rule, triples in LEFT_OUT.items():
        assert difference & triples, rule
    assert difference <= LEFT_OUT_TRIPLES


def test_the_slice_closes_as_the_full_graph_does(graph, data_slice):
    """The triples the slice leaves out derive nothing but themselves, so the comparison above holds for
    the full graph. If the data comes to need one (say, a domain typing found nowhere else), widen the slice."""
    assert set(close(graph).inferred) == set(close(data_slice).inferred) - set(graph)


PREFIXES = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <http://example.org/> .
"""

CASES = {
    "functional property with two values merges them (prp-fp, eq-*)": """
        :code a owl:ObjectProperty , owl:FunctionalProperty ; rdfs:range :Code .
        :label a owl:DatatypeProperty , owl:FunctionalProperty .
        :x :code :a , :b ; :label "one" , "two" .
        :a :note "from a" ; :linked :c .  :b a :Thing .  :d :points :b .
    """,
    "inverse functional property merges subjects (prp-ifp)": """
        :email a owl:InverseFunctionalProperty .
        :p1 :email :e ; :name "P1" .  :p2 :email :e ; :name "P2" .  :p3 :knows :p2 .
    """,
    "asserted sameAs, also between properties and between classes": """
        :a owl:sameAs :b .  :b owl:sameAs :c .  :a :p :v .
        :p owl:sameAs :q .  :q rdfs:domain :D .
        :C a owl:Class ; owl:sameAs :K .  :K rdfs:subClassOf :L .  :i a :C .
    """,
    "subClassOf and subPropertyOf cycles are equivalences (scm-eqc2, scm-eqp2)": """
        :A rdfs:subClassOf :B .  :B rdfs:subClassOf :C .  :C rdfs:subClassOf :A .  :i a :B .
        :p rdfs:subPropertyOf :q .  :q rdfs:subPropertyOf :p .  :x :q :y .
        :p a owl:ObjectProperty .  :A a owl:Class .
    """,
    "asserted equivalences (scm-eqc1, scm-eqp1, so cax-eqc and prp-eqp)": """
        :A owl:equivalentClass :B .  :B rdfs:subClassOf :E .  :i a :A .  :j a :B .
        :p owl:equivalentProperty :q .  :q rdfs:range :R .  :x :p :y .  :z :q :w .
    """,
    "schema inferred from schema: domain and range through sub-properties and sub-classes (scm-dom*, scm-rng*)": """
        :p rdfs:subPropertyOf :q .  :q rdfs:subPropertyOf :r .  :r rdfs:domain :A ; rdfs:range :B .
        :A rdfs:subClassOf :A2 .  :A2 rdfs:subClassOf :A3 .  :B rdfs:subClassOf :B2 .
        :A a owl:Class .  :B2 a owl:Class .  :p a owl:ObjectProperty .
        :x :p :y .
    """,
    "characteristics that are themselves inferred (cax-sco onto owl:TransitiveProperty, prp-spo1 onto inverseOf)": """
        :MyTransitive rdfs:subClassOf owl:TransitiveProperty .  :part a :MyTransitive .
        :a :part :b .  :b :part :c .  :c :part :d .
        :opposite rdfs:subPropertyOf owl:inverseOf .  :part :opposite :whole .
        :rel a owl:SymmetricProperty .  :a :rel :b .
    """,
    "symmetric transitive matches, also with a literal (prp-symp, prp-trp, reflexive results)": """
        :match a owl:TransitiveProperty , owl:SymmetricProperty ; rdfs:subPropertyOf :related .
        :related a owl:SymmetricProperty .
        :a :match :b .  :b :match :c .  :d :match "a literal" .
    """,
    "property chains, long, over inferred members, and into a transitive property (prp-spo2)": """
        :grandparentOf owl:propertyChainAxiom ( :parentOf :parentOf ) .
        :ancestorOf a owl:TransitiveProperty .  :parentOf rdfs:subPropertyOf :ancestorOf .
        :uncleOf owl:propertyChainAxiom ( :brotherOf :parentOf ) .
        :greatUncleOf owl:propertyChainAxiom ( :brotherOf :parentOf :parentOf ) .
        :motherOf rdfs:subPropertyOf :parentOf .  :childOf owl:inverseOf :parentOf .
        :a :motherOf :b .  :b :parentOf :c .  :c :parentOf :d .  :e :brotherOf :a .  :f :childOf :d .
    """,
    "disjoint classes with a common member are reported, nothing derived (cax-dw)": """
        :Cat owl:disjointWith :Dog .  :Kitten rdfs:subClassOf :Cat .  :rex a :Dog , :Kitten .
    """,
    "a member of owl:Nothing is reported (cls-nothing2)": """
        :p rdfs:domain owl:Nothing .  :x :p :y .
    """,
}


@pytest.mark.parametrize("turtle", CASES.values(), ids=list(CASES))
def test_small_graphs_close_as_owlrl_does(turtle):
    closure, _ = assert_same_as_owlrl(Graph().parse(data=PREFIXES + turtle, format="turtle"), orders=20)
    assert len(closure.inferred) > 0 or closure.inconsistencies


def random_graph(seed: int) -> Graph:
    """Data and schema over a few nodes, with each schema triple stated directly or through one or two
    sub-properties of its predicate (so that it is itself derived, at some point of the run)."""
    rng = random.Random(seed)
    ex = "http://example.org/"
    individuals = [URIRef(f"{ex}i{k}") for k in range(7)]
    properties = [URIRef(f"{ex}p{k}") for k in range(5)]
    classes = [URIRef(f"{ex}C{k}") for k in range(4)]
    graph = Graph()
    aliases = iter(range(1000))

    def stated(predicate):
        hops = rng.randrange(3)
        for _ in range(hops):
            alias = URIRef(f"{ex}alias{next(aliases)}")
            graph.add((alias, RDFS.subPropertyOf, predicate))
            predicate = alias
        return predicate

    characteristics = [OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.ObjectProperty]
    axioms = [
        lambda: (rng.choice(classes), stated(RDFS.subClassOf), rng.choice(classes)),
        lambda: (rng.choice(properties), stated(RDFS.subPropertyOf), rng.choice(properties)),
        lambda: (rng.choice(properties), stated(RDFS.domain), rng.choice(classes)),
        lambda: (rng.choice(properties), stated(RDFS.range), rng.choice(classes)),
        lambda: (rng.choice(properties), stated(OWL.inverseOf), rng.choice(properties)),
        lambda: (rng.choice(properties), stated(RDF.type), rng.choice(characteristics)),
        lambda: (rng.choice(classes), stated(OWL.equivalentClass), rng.choice(classes)),
        lambda: (rng.choice(properties), stated(OWL.equivalentProperty), rng.choice(properties)),
        lambda: (rng.choice(individuals), stated(OWL.sameAs), rng.choice(individuals)),
        lambda: (rng.choice(classes), RDF.type, OWL.Class),
    ]
    for _ in range(rng.randint(15, 30)):
        graph.add((rng.choice(individuals), rng.choice(properties), rng.choice(individuals + [Literal("a"), Literal("b")])))
    for _ in range(rng.randint(3, 8)):
        graph.add((rng.choice(individuals), stated(RDF.type), rng.choice(classes)))
    for _ in range(rng.randint(4, 12)):
        graph.add(rng.choice(axioms)())
    if rng.random() < 0.5:
        head = BNode()
        Collection(graph, head, [rng.choice(properties) for _ in range(rng.randint(1, 3))])
        graph.add((rng.choice(properties), OWL.propertyChainAxiom, head))
    return graph


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_close_as_owlrl_does(seed):
    assert_same_as_owlrl(random_graph(seed), orders=4)


def test_disjointness_clash_is_reported():
    closure = close(Graph().parse(data=PREFIXES + CASES["disjoint classes with a common member are reported, nothing derived (cax-dw)"], format="turtle"))
    [message] = closure.inconsistencies
    assert "http://example.org/Cat" in message and "http://example.org/Dog" in message and message.endswith("http://example.org/rex")
    assert close(Graph().parse(data=PREFIXES + ":x a owl:Nothing .", format="turtle")).inconsistencies == ("http://example.org/x is an owl:Nothing",)


def test_constructs_without_rules_are_refused():
    graph = Graph().parse(data=PREFIXES + ":R owl:onProperty :p ; owl:someValuesFrom :C .", format="turtle")
    with pytest.raises(CcgraphError, match="owl:someValuesFrom"):
        close(graph)


def test_runaway_closure_is_stopped():
    graph = Graph().parse(data=PREFIXES + ":p a owl:TransitiveProperty .\n" + "\n".join(f":n{i} :p :n{i + 1} ." for i in range(100)), format="turtle")
    assert len(close(graph).inferred) == 100 * 99 // 2
    with pytest.raises(CcgraphError, match="derived triples"):
        close(graph, max_derived=1000)
