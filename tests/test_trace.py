"""ccgraph trace: paths printed in the sources end to end, in every direction, with provenance per hop."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import OWL, RDF, SKOS

from ccgraph.cli import cli
from ccgraph.graph.namespaces import CCG
from ccgraph.query.saved import run, saved_queries
from ccgraph.query.trace import Tracer
from ccgraph.sources.sssom import SSSOM

import seed_qualifications as seed

KINDS = {CCG.NationalOccupationalStandard: "nos", CCG.Unit: "unit", CCG.Competency: "competency", CCG.Role: "role"}


@pytest.fixture(scope="module")
def tracer(store):
    return Tracer(store)


def kind_of(graph, node):
    """The node's layer, read from the rdflib reference (the first of NOS, unit, competency, role it is)."""
    return next((name for cls, name in KINDS.items() if (node, RDF.type, cls) in graph), None)


def test_nos_19_to_unit_204_to_its_qualifications(tracer, seeds_dir):
    pages = seed.cg_unit_pages(seeds_dir)
    linked = sorted(unit for unit, page in pages.items() if "19" in page["nos"])
    paths = tracer.trace("nos", "19")
    assert sorted({p.nodes[1]["notation"] for p in paths}) == linked == ["204"]
    first = paths[0].hops[0]
    assert (first.link, first.provenance) == ("ccg:coversStandard", "printed")
    assert "This unit is linked to Contact Centre NOS 19." in first.where
    groups = seed.cg_group_units(seeds_dir)
    expected = sorted(f"{q} group {g}" for (q, g), units in groups.items() if "204" in units)
    assert all(p.qualifications == expected for p in paths if p.nodes[1]["notation"] == "204")


def test_unit_traces_back_to_its_nos(tracer):
    paths = tracer.trace("unit", "204")
    assert paths and all(p.nodes[0]["kind"] == "nos" and p.nodes[0]["notation"] == "19" for p in paths)


def test_competency_traces_forward_to_the_roles_of_the_matrix(tracer, graph):
    (a11,) = (c for c in graph.subjects(SKOS.notation, Literal("A1.1")) if (c, RDF.type, CCG.Competency) in graph)
    required = {}
    for requirement in graph.subjects(CCG.competency, a11):
        level = graph.value(graph.value(requirement, CCG.abilityLevel), CCG.levelNumber)
        if level is not None:
            required[str(graph.value(graph.value(None, CCG.hasRequirement, requirement), SKOS.prefLabel))] = int(level)
    assert required
    found = {}
    for path in tracer.trace("competency", "A1.1"):
        hop = path.hops[-1]
        if hop.link == "ccg:hasRequirement":
            found[path.nodes[-1]["notation"]] = hop.level
    assert found == required


def test_role_traces_back_to_its_competencies(tracer, graph):
    paths = tracer.trace("role", "Customer Service Advisor")
    competencies = {n["notation"] for p in paths for n in p.nodes if n["kind"] == "competency"}
    assert "A1.1" in competencies and all(p.nodes[-1]["notation"] == "Customer Service Advisor" for p in paths)


def test_every_hop_says_where_it_comes_from(tracer):
    for kind, code in (("nos", "19"), ("competency", "A1.1"), ("role", "Sales Advisor")):
        for path in tracer.trace(kind, code):
            for hop in path.hops:
                assert hop.provenance in ("printed", "curated") and hop.where
                if hop.provenance == "curated":
                    assert hop.confidence is not None


def test_trace_command_formats(tmp_path):
    runner = CliRunner()
    text = runner.invoke(cli, ["trace", "--nos", "19"])
    assert text.exit_code == 0 and "unit 204" in text.output and "3412-03 group B" in text.output
    data = json.loads(runner.invoke(cli, ["trace", "--unit", "204", "--format", "json"]).output)
    assert data["paths"][0]["nodes"][0]["notation"] == "19"
    csv_out = runner.invoke(cli, ["trace", "--nos", "19", "--format", "csv"]).output
    assert csv_out.splitlines()[1].split(",")[3:6] == ["19", "ccg:coversStandard", "printed"]
    svg = tmp_path / "trace.svg"
    assert runner.invoke(cli, ["trace", "--nos", "19", "--format", "svg", "--output", str(svg)]).exit_code == 0
    assert 'data-code="204"' in svg.read_text() and 'class="hop printed"' in svg.read_text()


def test_trace_refuses_bad_starts():
    runner = CliRunner()
    assert runner.invoke(cli, ["trace"]).exit_code == 2
    missing = runner.invoke(cli, ["trace", "--unit", "999"])
    assert missing.exit_code == 2 and "no unit with code or name '999'" in missing.output


def test_saved_trace_query_agrees(store, project):
    rows = run(store, saved_queries(project.queries_dir)["trace-nos"], {"nos": "19"}).values()
    assert {r[0] for r in rows} == {"204"} and {r[2] for r in rows} == {"ccg:coversStandard"}


# ---------------------------------------------------------------- the store's links against an rdflib reading


def test_links_agree_with_an_rdflib_reading(tracer, graph):
    """Every hop the tracer gathered by SPARQL is a fact of the rdflib reference, each exactly once, and none is missed."""
    expected = Counter()

    def link(a, b, name, provenance, confidence=None, level=None):
        for x, y in ((a, b), (b, a)):
            expected[(str(x), str(y), name, provenance, confidence, level)] += 1

    for unit, nos in graph.subject_objects(CCG.coversStandard):
        link(unit, nos, "ccg:coversStandard", "printed")
    for mapping in graph.subjects(RDF.type, CCG.Mapping):
        subject, predicate, target = (graph.value(mapping, p) for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        kinds = {kind_of(graph, subject), kind_of(graph, target)}
        if None in kinds or kinds == {"unit"} or (subject, CCG.coversStandard, target) in graph:
            continue
        author = str(graph.value(mapping, SSSOM.author_label) or "")
        confidence = graph.value(mapping, SSSOM.confidence)
        link(subject, target, "skos:" + str(predicate).rsplit("#", 1)[1],
             "printed" if author.startswith(("City & Guilds", "OCR", "e-skills")) else "curated",
             None if confidence is None else float(confidence))
    for role, requirement in graph.subject_objects(CCG.hasRequirement):
        level = graph.value(graph.value(requirement, CCG.abilityLevel), CCG.levelNumber)
        link(graph.value(requirement, CCG.competency), role, "ccg:hasRequirement", "printed", level=None if level is None else int(level))
    found = Counter((a, b, h.link, h.provenance, h.confidence, h.level) for a, hops in tracer.links.items() for b, h in hops)
    assert found == expected
    assert {"ccg:coversStandard", "ccg:hasRequirement", "skos:closeMatch"} <= {key[2] for key in found}


def test_nodes_and_qualifications_agree_with_an_rdflib_reading(tracer, graph):
    expected = {}
    for cls in KINDS:
        for node in graph.subjects(RDF.type, cls):
            level = graph.value(node, CCG.level)
            expected[str(node)] = {"kind": kind_of(graph, node), "iri": str(node),
                                   "notation": str(graph.value(node, SKOS.notation) or graph.value(node, SKOS.prefLabel) or node),
                                   "label": str(graph.value(node, SKOS.prefLabel) or ""), "level": None if level is None else int(level)}
    assert tracer.nodes == expected
    counted = {}
    for qualification, group in graph.subject_objects(CCG.hasUnitGroup):
        for unit in graph.objects(group, CCG.includesUnit):
            counted.setdefault(str(unit), []).append(f"{graph.value(qualification, SKOS.notation)} group {graph.value(group, SKOS.notation)}")
    assert {u: sorted(q) for u, q in tracer.qualifications.items()} == {u: sorted(q) for u, q in counted.items()}
