"""ccgraph reason: the OWL-RL closure terminates, stays separate, and infers what the ontology says."""

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from ccgraph.cli import cli
from ccgraph.graph.namespaces import CCG, ID
from ccgraph.graph.reason import close

import seed_functional_map


@pytest.fixture(scope="module")
def closure(graph):
    return close(graph)


def nos(code):
    return ID["functional-map/" + code.replace(" ", "-")]


def test_closure_holds_only_new_informative_triples(closure, graph):
    assert len(closure.inferred) > 0
    assert not any(t in graph for t in closure.inferred)
    assert not any(p == OWL.sameAs and s == o for s, p, o in closure.inferred)
    assert (None, RDF.type, OWL.Thing) not in closure.inferred


def test_closure_is_timed_and_finds_the_data_consistent(closure):
    assert closure.seconds > 0  # how fast is for bench/run.py to say, not a test
    assert closure.inconsistencies == ()  # skos:ConceptScheme owl:disjointWith skos:Concept holds


def test_broader_is_transitive_through_broader_transitive(closure, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    for code, standard in seed.standards.items():
        assert (nos(code), SKOS.broaderTransitive, ID[f"functional-map/{standard.key_area}"]) in closure.inferred, code
        assert (ID[f"functional-map/{standard.key_area}"], SKOS.narrowerTransitive, nos(code)) in closure.inferred


def test_inverse_of_derived_from(closure, graph):
    for child, parent in graph.subject_objects(CCG.derivedFrom):
        assert (parent, CCG.standardDerivedInto, child) in closure.inferred


def test_property_chain_role_requires_competency(closure, graph):
    """ccg:requiresCompetency = ccg:hasRequirement o ccg:competency, for every matrix cell."""
    expected = {(role, graph.value(req, CCG.competency)) for role, req in graph.subject_objects(CCG.hasRequirement)}
    assert expected and expected == set(closure.inferred.subject_objects(CCG.requiresCompetency))
    assert (ID["eskills-framework/role/sales-advisor"], CCG.requiresCompetency, ID["eskills-framework/A1.1"]) in closure.inferred


def test_inverses_of_requirements_and_unit_links(closure, graph):
    for role, requirement in graph.subject_objects(CCG.hasRequirement):
        assert (requirement, CCG.requirementOf, role) in closure.inferred
    for unit, nos in graph.subject_objects(CCG.coversStandard):
        assert (nos, CCG.coveredByUnit, unit) in closure.inferred


def test_subclass_alignment_types_map_entities_as_skos_concepts(closure, graph):
    for function in graph.subjects(RDF.type, CCG.Function):
        assert (function, RDF.type, SKOS.Concept) in closure.inferred


def test_reason_command_reports_and_writes_the_closure(tmp_path, closure):
    out = tmp_path / "closure.ttl"
    result = CliRunner().invoke(cli, ["reason", "--output", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"inferred {len(closure.inferred)} new triples" in result.output
    assert "skos:broaderTransitive" in result.output
    assert len(Graph().parse(out)) == len(closure.inferred)


def test_saved_queries_answer_the_same_with_the_closure(graph, closure, project):
    """Queries are written so that inferred triples (inverses, symmetric matches) add no duplicates."""
    import shlex

    from ccgraph.query.saved import run_rdflib as run, saved_queries

    closed = graph + closure.inferred
    for query in saved_queries(project.queries_dir).values():
        words = shlex.split(query.examples[0])
        params = dict(w.split("=", 1) for w in words[4::2]) if "--param" in words else {}
        asserted = sorted(tuple(map(str, row)) for row in run(graph, query, params))
        inferred = sorted(tuple(map(str, row)) for row in run(closed, query, params))
        assert asserted == inferred, query.name
