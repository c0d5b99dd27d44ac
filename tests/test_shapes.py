"""The shapes pass the real data, pass a small valid fixture, and each one fails its invalid fixture.

Each tests/shapes/invalid/*.ttl is added to tests/shapes/base.ttl and names, in an '# expect:' line,
the focus node, the shape and the constraint component that the report graph must show.
tests/shapes/expected/results.json records every result, for the real graph and each fixture, that the
shapes gave before their SHACL-SPARQL constraints were rewritten for speed; they must still give them.
"""

import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from ccgraph.graph.namespaces import CCGSH, PREFIXES, SH
from ccgraph.checks.validate import validate

HERE = Path(__file__).resolve().parent / "shapes"
FIXTURES = sorted((HERE / "invalid").glob("*.ttl"))
EXPECTED = HERE / "expected" / "results.json"
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


@pytest.fixture(scope="module")
def report_of(context, shapes):
    """The validation report of base.ttl plus fixtures, each combination validated once for all tests."""
    reports = {}

    def report(*paths: Path):
        if paths not in reports:
            reports[paths] = validate(with_context(context, HERE / "base.ttl", *paths), shapes)
        return reports[paths]

    return report


@pytest.fixture(scope="module")
def real_report(graph, shapes):
    return validate(graph, shapes)


# Shapes whose results are findings in the sources (severity Warning), not errors in our data.
FINDING_SHAPES = {str(CCGSH[name]) for name in ("UnitFindings", "CombinationRuleFindings")}


def test_real_data_conforms_with_only_source_findings(real_report):
    report = real_report
    assert report.conforms, [f.message for f in report.findings if f.severity == "Violation"][:5]
    assert {f.severity for f in report.findings} <= {"Warning"}
    assert {f.shape for f in report.findings} <= FINDING_SHAPES


def test_base_fixture_conforms(report_of):
    report = report_of()
    assert report.findings == [], [(f.focus_node, f.message) for f in report.findings]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_invalid_fixture_breaks_its_shape(report_of, fixture):
    expected = expectation(fixture)
    report = report_of(fixture)
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


# ---------------------------------------------------------------- same results as recorded

COMPARED = ("focus", "path", "value", "severity", "message")


def _term(node) -> str:
    if node is None:
        return ""
    return "_:blank" if isinstance(node, BNode) else node.n3()


def _path(report: Graph, path) -> str:
    """A result path in SPARQL property-path syntax (blank-node paths have no stable name of their own)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return report.namespace_manager.normalizeUri(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(report, inverse)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(report, p) for p in Collection(report, alternatives)) + ")"
    raise AssertionError(f"no text for result path {path!r}: extend _path")


def result_set(report) -> set[tuple[str, ...]]:
    """(focus node, path, value, severity, message) of every result in the report graph."""
    graph = report.report_graph
    rows = set()
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        rows.add((
            _term(graph.value(result, SH.focusNode)),
            _path(graph, graph.value(result, SH.resultPath)),
            _term(graph.value(result, SH.value)),
            str(graph.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(graph.value(result, SH.resultMessage) or ""),
        ))
    return rows


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def recorded_set(rows: list[dict]) -> set[tuple[str, ...]]:
    return {tuple(row[key] for key in COMPARED) for row in rows}


def test_recorded_results_cover_every_fixture(recorded):
    assert set(recorded["fixtures"]) == {"base"} | {path.stem for path in FIXTURES}


def test_real_graph_gives_the_recorded_results(real_report, recorded):
    assert result_set(real_report) == recorded_set(recorded["real"])


@pytest.mark.parametrize("fixture", [None, *FIXTURES], ids=lambda p: "base" if p is None else p.stem)
def test_fixture_gives_the_recorded_results(report_of, recorded, fixture):
    report = report_of() if fixture is None else report_of(fixture)
    expected = recorded_set(recorded["fixtures"]["base" if fixture is None else fixture.stem])
    actual = result_set(report)
    assert actual == expected, {"missing": sorted(expected - actual), "unexpected": sorted(actual - expected)}
