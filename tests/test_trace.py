"""ccgraph trace: paths printed in the sources end to end, in every direction, with provenance per hop."""

import json

import pytest
from click.testing import CliRunner

from ccgraph.cli import cli
from ccgraph.query.saved import run, saved_queries
from ccgraph.query.trace import Tracer

import seed_qualifications as seed


@pytest.fixture(scope="module")
def tracer(graph):
    return Tracer(graph)


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
    from ccgraph.query.matrix import from_graph

    grid = from_graph(graph)
    row = next(r for r in grid.rows if r.notation == "A1.1")
    required = {role.label: grid.cell(row, role).level for role in grid.roles if grid.cell(row, role).level}
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


def test_saved_trace_query_agrees(graph, project):
    rows = list(run(graph, saved_queries(project.queries_dir)["trace-nos"], {"nos": "19"}))
    assert {str(r[0]) for r in rows} == {"204"} and {str(r[2]) for r in rows} == {"ccg:coversStandard"}
