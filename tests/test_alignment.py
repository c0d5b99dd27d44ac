"""The alignment module (ontology/alignment/, named graph id/graph/alignment): what it may say, that a
query written only in schema.org, CTDL or CTDL-ASN terms finds over the closure exactly what the
ccgraph-terms query finds, and that it changes nothing else (no cross-scheme hierarchy in the
closure, no answer of a saved query without the closure).

Two in-memory stores are made once: the assembled project with its closure, and the same project with
the alignment graph left out (with its own closure), so every effect can be laid at the alignment's door.
"""

import shlex
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ccgraph.graph.assemble import ALIGNMENT_GRAPH, ONTOLOGY_GRAPH, union_graph
from ccgraph.graph.build import input_hashes
from ccgraph.graph.namespaces import CCG
from ccgraph.graph.reason import close
from ccgraph.graph.store import Store
from ccgraph.query.saved import run, saved_queries

REPO = Path(__file__).resolve().parents[1]
ALIGNMENT_FILE = REPO / "ontology" / "alignment" / "alignments.ttl"
MODULE = "https://w3id.org/ccgraph/ontology/alignment"
SCHEMA = Namespace("https://schema.org/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
CEASN = Namespace("https://purl.org/ctdlasn/terms/")
ESCO = Namespace("http://data.europa.eu/esco/model#")
PREFIXES = {"schema": SCHEMA, "ceterms": CETERMS, "ceasn": CEASN, "esco": ESCO}
HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# What an alignment may say, and between what: a sub-class or sub-property where ours is narrower,
# closeMatch / relatedMatch where it is only close or related. Never an equivalence, never broad/narrowMatch.
ALLOWED = {RDFS.subClassOf: "class", RDFS.subPropertyOf: "property", SKOS.closeMatch: "class", SKOS.relatedMatch: "class"}
HIERARCHY = (SKOS.broader, SKOS.narrower, SKOS.broaderTransitive, SKOS.narrowerTransitive, SKOS.broadMatch, SKOS.narrowMatch)


def without_alignment(dataset: Dataset) -> Dataset:
    copy = Dataset()
    for graph in dataset.graphs():
        if graph.identifier != ALIGNMENT_GRAPH and len(graph):
            target = copy.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    return copy


@pytest.fixture(scope="module")
def alignment(dataset) -> Graph:
    return dataset.graph(ALIGNMENT_GRAPH)


@pytest.fixture(scope="module")
def aligned(dataset):
    closure = close(union_graph(dataset))
    return Store.from_rdflib(dataset, closure=closure.inferred), closure.inferred


@pytest.fixture(scope="module")
def unaligned(dataset):
    plain = without_alignment(dataset)
    closure = close(union_graph(plain))
    return Store.from_rdflib(plain, closure=closure.inferred), closure.inferred


def entities(store: Store, pattern: str, closure: bool) -> set[tuple]:
    return set(store.select(f"{HEADER}SELECT DISTINCT * WHERE {{ {pattern} }}", closure=closure).values())


# ---------------------------------------------------------------- the module and its graph


def test_alignment_is_its_own_named_graph_and_part_of_the_fingerprint(dataset, alignment, project):
    from_file = Graph().parse(ALIGNMENT_FILE, format="turtle")
    assert len(alignment) == len(from_file) > 50 and all(triple in alignment for triple in from_file)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    assert not any(triple in ontology for triple in from_file)  # the ontology graph is ontology/*.ttl alone
    assert (URIRef(MODULE), OWL.imports, URIRef("https://w3id.org/ccgraph/ontology")) in alignment
    assert "ontology/alignment/alignments.ttl" in input_hashes(project)  # a change to it makes the build stale


def test_the_built_store_holds_the_alignment_graph(store):
    assert str(ALIGNMENT_GRAPH) in {g.value for g in store.named_graphs}
    assert store.ask(f"{HEADER}ASK {{ GRAPH <{ALIGNMENT_GRAPH}> {{ ccg:Role rdfs:subClassOf schema:Occupation }} }}")


def alignment_problems(alignment: Graph, ontology: Graph) -> list[str]:
    """Everything the module's own rules forbid, one line each."""
    problems = []
    statements = [(s, p, o) for s, p, o in alignment if isinstance(s, URIRef) and str(s).startswith(str(CCG))]
    axioms = {}
    for axiom in alignment.subjects(RDF.type, OWL.Axiom):
        key = tuple(alignment.value(axiom, p) for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        axioms.setdefault(key, []).append(axiom)
        comments = [c for c in alignment.objects(axiom, RDFS.comment) if isinstance(c, Literal) and c.language == "en" and len(c) > 40]
        if len(comments) != 1:
            problems.append(f"{axiom}: needs one rdfs:comment@en saying why")
        if key not in set(statements):
            problems.append(f"{axiom}: annotates a statement that is not asserted")
        expected = f"{MODULE}#{_local(key[0])}-{_local(key[1])}-{_prefix(key[2])}-{_local(key[2])}"
        if str(axiom) != expected:
            problems.append(f"{axiom}: expected the IRI {expected}")
    for s, p, o in statements:
        if p not in ALLOWED:
            problems.append(f"{s} {p} {o}: only {', '.join(sorted(map(str, ALLOWED)))} may align")
            continue
        if len(axioms.get((s, p, o), [])) != 1:
            problems.append(f"{s} {p} {o}: needs exactly one owl:Axiom annotation")
        kind = ALLOWED[p]
        declared = (s, RDF.type, OWL.Class if kind == "class" else OWL.ObjectProperty) in ontology
        if not declared:  # a datatype property's alignment would only copy its literals under a second name
            problems.append(f"{s}: not an {'OWL class' if kind == 'class' else 'object property'} of the ontology")
        if _prefix(o) is None:
            problems.append(f"{s} {p} {o}: the target is in none of ESCO, CTDL, CTDL-ASN, schema.org")
    for bad in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, SKOS.exactMatch, *HIERARCHY):
        if (None, bad, None) in alignment:
            problems.append(f"{bad} is never used to align")
    return problems


def _local(iri) -> str:
    text = str(iri)
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]


def _prefix(iri) -> str | None:
    return next((p for p, ns in PREFIXES.items() if str(iri).startswith(str(ns))), None)


def test_every_alignment_is_allowed_and_says_why(alignment, dataset):
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    assert alignment_problems(alignment, ontology) == []
    targets = {_prefix(o) for s, p, o in alignment if p in ALLOWED and str(s).startswith(str(CCG))}
    assert targets == set(PREFIXES)  # each of the four vocabularies is aligned to


def test_the_rules_catch_what_they_forbid(alignment, dataset):
    broken = Graph()
    for triple in alignment:
        broken.add(triple)
    axiom = URIRef(f"{MODULE}#Role-subClassOf-schema-Occupation")
    broken.remove((axiom, RDFS.comment, None))  # no reason given
    broken.add((CCG.Role, OWL.equivalentClass, ESCO.Occupation))  # an equivalence
    broken.add((CCG.Competency, SKOS.broadMatch, ESCO.Skill))  # a cross-scheme hierarchy
    broken.add((CCG.Unit, RDFS.subClassOf, URIRef("http://example.org/Thing")))  # no annotation, foreign target
    broken.add((CCG.creditValue, RDFS.subPropertyOf, SCHEMA.numberOfCredits))  # a datatype property
    problems = alignment_problems(broken, dataset.graph(ONTOLOGY_GRAPH))
    assert any(p.startswith(f"{axiom}: needs one rdfs:comment") for p in problems)
    assert any(str(OWL.equivalentClass) in p for p in problems) and any(str(SKOS.broadMatch) in p for p in problems)
    assert any("http://example.org/Thing: the target is in none" in p for p in problems)
    assert any("example.org/Thing: needs exactly one owl:Axiom" in p for p in problems)
    assert f"{CCG.creditValue}: not an object property of the ontology" in problems


# ---------------------------------------------------------------- queries in the other vocabularies


@pytest.mark.parametrize("theirs,ours,expected", [
    ("?x a schema:Occupation", "?x a ccg:Role", 11),
    ("?x a ceterms:WorkRole", "?x a ccg:Role", 11),
    ("?x a ceasn:Competency", "{ ?x a ccg:Competency } UNION { ?x a ccg:CompetencySubcategory } UNION { ?x a ccg:CompetencyCategory }", 82),
    ("?x a schema:DefinedTerm", "?x a ccg:Competency", 62),
    ("?x a schema:EducationalOccupationalCredential", "?x a ccg:Qualification", 8),
    ("?x a ceterms:Credential", "?x a ccg:Qualification", 8),
    ("?x a schema:Organization", "?x a ccg:Organisation", None),
    ("?x a schema:DefinedTermSet", "?x a/rdfs:subClassOf* ccg:Framework", None),
    ("?role schema:skills ?competency", "?role ccg:hasRequirement/ccg:competency ?competency", None),
    ("?q ceterms:offeredBy ?body", "?q ccg:awardedBy ?body", 8),
    ("?nos schema:isBasedOn ?source", "?nos ccg:derivedFrom ?source", None),
])
def test_a_query_in_their_terms_finds_what_ours_finds(aligned, unaligned, theirs, ours, expected):
    store, _ = aligned
    found = entities(store, theirs, closure=True)
    reference = entities(store, ours, closure=False)  # ccgraph terms, asserted graphs only
    assert found == reference and found, theirs
    if expected is not None:
        assert len(found) == expected, theirs
    assert entities(store, theirs, closure=False) == set()  # the closure is what finds them ...
    assert entities(unaligned[0], theirs, closure=True) == set()  # ... and the alignment is what lets it


def test_the_skills_of_an_occupation_read_in_schema_org(aligned):
    store, _ = aligned
    rows = store.select(f"""{HEADER}SELECT ?title WHERE {{
        ?occupation a schema:Occupation ; skos:prefLabel "Customer Service Advisor"@en ; schema:skills ?skill .
        ?skill a schema:DefinedTerm , ceasn:Competency ; skos:prefLabel ?title }}""", closure=True).values()
    titles = {title for (title,) in rows}
    assert "Customer service ethos" in titles and len(titles) == len(rows) > 20


# ---------------------------------------------------------------- what the alignment must not change


def test_the_alignment_adds_no_hierarchy_to_the_closure(aligned, unaligned):
    def hierarchy(closure: Graph) -> set:
        return {t for p in HIERARCHY for t in closure.triples((None, p, None))}

    with_it, without_it = hierarchy(aligned[1]), hierarchy(unaligned[1])
    assert with_it == without_it and with_it  # the same skos:broader (and the rest), triple for triple
    outside = [t for t in with_it if any(_prefix(term) for term in (t[0], t[2]))]
    assert outside == []  # no ESCO / CTDL / schema.org term is put in anyone's hierarchy
    store = aligned[0]
    assert not store.ask(f"""{HEADER}ASK {{ ?a skos:broader ?b .
        ?a skos:inScheme ?s1 . ?b skos:inScheme ?s2 . FILTER (?s1 != ?s2)
        FILTER NOT EXISTS {{ ?a skos:inScheme ?s2 }} FILTER NOT EXISTS {{ ?b skos:inScheme ?s1 }} }}""")  # asserted: none


def example_runs(queries_dir: Path):
    for query in saved_queries(queries_dir).values():
        for example in query.examples:
            words = shlex.split(example)
            params = dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}
            yield query, params


def test_saved_queries_answer_the_same_without_the_closure(aligned, unaligned, project):
    ran = 0
    for query, params in example_runs(project.queries_dir):
        with_it = run(aligned[0], query, params, resolve=True)
        without_it = run(unaligned[0], query, params, resolve=True)
        assert sorted(map(str, with_it)) == sorted(map(str, without_it)), (query.name, params)
        ran += 1
    assert ran >= 19  # every saved query, each with its examples
