"""The shapes pass the real data, pass a small valid fixture, and each one fails its invalid fixture.

Each tests/shapes/invalid/*.ttl is added to tests/shapes/base.ttl and names, in an '# expect:' line,
the focus node, the shape and the constraint component that the report graph must show.
"""

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ccgraph.graph.namespaces import CCGSH, PREFIXES, SH
from ccgraph.checks.validate import validate

HERE = Path(__file__).resolve().parent / "shapes"
FIXTURES = sorted((HERE / "invalid").glob("*.ttl"))
EXTRA_PREFIXES = {"t": "https://w3id.org/ccgraph/id/test/", "src": "https://w3id.org/ccgraph/id/source/"}


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    namespace = EXTRA_PREFIXES.get(prefix) or str(PREFIXES[prefix])
    return namespace + local


def expectation(path: Path) -> dict[str, str]:
    match = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no '# expect:' line"
    pairs = dict(item.split("=", 1) for item in match[1].split())
    expected = {key: expand(value) for key, value in pairs.items() if key != "severity"}
    expected["severity"] = pairs.get("severity", "Violation")
    return expected


@pytest.fixture(scope="module")
def context(project) -> Graph:
    """What fixtures are validated with: the ontology (subclass axioms) and the source documents."""
    graph = Graph()
    for path in list(project.ontology_dir.glob("*.ttl")) + [project.data_dir / "sources.ttl"]:
        graph.parse(path)
    return graph


def with_context(context: Graph, *paths: Path) -> Graph:
    graph = Graph()
    for triple in context:
        graph.add(triple)
    for path in paths:
        graph.parse(path)
    return graph


# Shapes whose results are findings in the sources (severity Warning), not errors in our data.
FINDING_SHAPES = {str(CCGSH[name]) for name in ("UnitFindings", "CombinationRuleFindings")}


def test_real_data_conforms_with_only_source_findings(graph, shapes):
    report = validate(graph, shapes)
    assert report.conforms, [f.message for f in report.findings if f.severity == "Violation"][:5]
    assert {f.severity for f in report.findings} <= {"Warning"}
    assert {f.shape for f in report.findings} <= FINDING_SHAPES


def test_base_fixture_conforms(context, shapes):
    report = validate(with_context(context, HERE / "base.ttl"), shapes)
    assert report.findings == [], [(f.focus_node, f.message) for f in report.findings]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_invalid_fixture_breaks_its_shape(context, shapes, fixture):
    expected = expectation(fixture)
    report = validate(with_context(context, HERE / "base.ttl", fixture), shapes)
    assert report.conforms is (expected["severity"] != "Violation")
    hits = [
        f for f in report.findings
        if f.focus_node == expected["focus"]
        and expected["shape"] in (f.shape, f.constraint)
        and f.component == expected["component"]
        and f.severity == expected["severity"]
    ]
    seen = [(f.focus_node, f.shape, f.constraint, f.component) for f in report.findings]
    assert hits, f"expected {expected}, report has {seen}"
    assert all(hit.message for hit in hits), "every result needs a message a person can act on"


def test_every_shape_has_a_failing_fixture(shapes):
    """Each property shape, SPARQL constraint and node shape with its own constraints is exercised."""
    own_constraints = (SH["class"], SH.sparql, SH.datatype, SH.minCount, SH.maxCount, SH["in"])
    testable = set()
    for kind in (SH.PropertyShape, SH.SPARQLConstraint, SH.NodeShape):
        for shape in shapes.subjects(RDF.type, kind):
            if not isinstance(shape, URIRef):
                continue
            if kind == SH.NodeShape and not any((shape, p, None) in shapes for p in own_constraints if p != SH.sparql):
                continue
            testable.add(str(shape))
    covered = {expectation(path)["shape"] for path in FIXTURES}
    missing = sorted(s.replace(str(CCGSH), "ccgsh:") for s in testable - covered)
    assert not missing, f"shapes with no invalid fixture: {missing}"
