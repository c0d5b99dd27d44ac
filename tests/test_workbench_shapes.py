"""The overlay shapes (shapes/overlay/) pass a valid employer graph and each fails its invalid fixture.

tests/workbench/base.ttl is a small valid overlay in its Turtle form; each tests/workbench/invalid/*.ttl
adds the triples that break one shape and names, in an '# expect:' line, the focus node, the shape
and the constraint component the validation must report. Core shapes that apply to an overlay
(roles, requirements, competencies) are validated with it and have fixtures of their own here too.
"""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ccgraph.graph.namespaces import CCGSH, SH
from ccgraph.graph.store import load_file
from ccgraph.workbench import shapes as overlay_shapes
from ccgraph.workbench.vocab import graph_iri

HERE = Path(__file__).resolve().parent / "workbench"
FIXTURES = sorted((HERE / "invalid").glob("*.ttl"))
PREFIXES = {"emp": "https://w3id.org/ccgraph/id/employer/acme/", "employer": "https://w3id.org/ccgraph/id/employer/",
            "ccgsh": str(CCGSH), "sh": str(SH)}


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def expectation(path: Path) -> dict[str, str]:
    match = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no '# expect:' line"
    return {key: expand(value) for key, value in (item.split("=", 1) for item in match[1].split())}


def quads(*paths: Path) -> list[ox.Quad]:
    parsed = ox.Store()
    for path in paths:
        load_file(parsed, path, graph=ox.NamedNode(graph_iri("acme")))
    return list(parsed)


def test_base_overlay_conforms(store, project):
    assert overlay_shapes.validate(quads(HERE / "base.ttl"), store, project.shapes_dir) == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_invalid_fixture_breaks_its_shape(store, project, fixture):
    expected = expectation(fixture)
    found = overlay_shapes.validate(quads(HERE / "base.ttl", fixture), store, project.shapes_dir)
    hits = [f for f in found if f.focus == expected["focus"] and f.shape == expected["shape"] and f.component == expected["component"]]
    assert hits, f"expected {expected}, got {[(f.focus, f.shape, f.component) for f in found]}"
    assert all(hit.message for hit in hits), "every result needs a message a person can act on"


def test_every_overlay_shape_has_a_failing_fixture(project):
    graph = Graph()
    for path in sorted((project.shapes_dir / "overlay").glob("*.ttl")):
        graph.parse(path)
    own = (SH["class"], SH.datatype, SH.minCount, SH.maxCount, SH["in"], SH["or"], SH.nodeKind)
    testable = set()
    for kind in (SH.PropertyShape, SH.SPARQLConstraint, SH.NodeShape):
        for shape in graph.subjects(RDF.type, kind):
            if isinstance(shape, URIRef) and (kind != SH.NodeShape or any((shape, p, None) in graph for p in own)):
                testable.add(str(shape))
    covered = {expectation(path)["shape"] for path in FIXTURES}
    assert not sorted(testable - covered), f"overlay shapes with no invalid fixture: {sorted(testable - covered)}"


def test_overlay_shapes_stay_out_of_the_data_validation(project, shapes):
    """`ccgraph validate` reads shapes/*.ttl only: the overlay shapes are never applied to the published data."""
    from ccgraph.checks.validate import load_shapes

    assert (project.shapes_dir / "overlay" / "employer.ttl").is_file()
    names = {str(s) for s in load_shapes(project.shapes_dir / "overlay").subjects(RDF.type, SH.NodeShape)}
    assert names and not names & {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
