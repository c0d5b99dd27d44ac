"""The e-skills framework in the graph, the matrix read honestly, and `ccgraph matrix` read back."""

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from ccgraph.cli import cli
from ccgraph.query.matrix import from_store
from ccgraph.graph.namespaces import CCG, ID
from ccgraph.query.saved import run, saved_queries

import seed_eskills as seed


@pytest.fixture(scope="module")
def grid(store):
    return from_store(store)


def test_categories_and_competencies(graph, seeds_dir):
    names = seed.categories(seeds_dir)
    categories = {str(graph.value(c, SKOS.notation)): str(graph.value(c, SKOS.prefLabel))
                  for c in graph.subjects(RDF.type, CCG.CompetencyCategory)}
    assert categories == {"ABCDEF"[i]: name for i, name in enumerate(names)}
    printed = {f"{letter}{code}" for letter, code in seed.competencies(seeds_dir)}
    assert {str(graph.value(c, SKOS.notation)) for c in graph.subjects(RDF.type, CCG.Competency)} == printed


def test_competency_count_differs_from_the_summary_and_the_graph_says_so(graph, seeds_dir):
    counted = len(set(graph.subjects(RDF.type, CCG.Competency)))
    stated = seed.stated_competency_count(seeds_dir)
    assert counted == len(seed.competencies(seeds_dir)) and counted != stated  # 62 listed, 63 stated
    (record,) = graph.subjects(CCG.countsInstancesOf, CCG.Competency)
    assert int(graph.value(record, CCG.statedCount)) == stated


def test_legal_obligation_marks(graph, seeds_dir):
    text = seed.text(seeds_dir)
    for competency in graph.subjects(RDF.type, CCG.Competency):
        title = str(graph.value(competency, SKOS.prefLabel))
        marked = bool(graph.value(competency, CCG.legalObligation).toPython())
        assert marked == (f"{title}*" in text), title


def test_roles_in_printed_order_with_variants(graph, grid, seeds_dir):
    assert [r.label for r in grid.roles] == seed.roles(seeds_dir)
    advisor = ID["eskills-framework/role/experienced-service-advisor"]
    assert Literal("Experienced Customer Service Advisor", lang="en") in set(graph.objects(advisor, SKOS.altLabel))
    manager = ID["eskills-framework/role/operations-contact-centre-manager"]
    assert Literal("Operations / Contact Centro Manager", lang="en") in set(graph.objects(manager, SKOS.hiddenLabel))
    assert int(graph.value(ID["eskills-framework/role/customer-service-advisor"], CCG.primaryNOSLevel)) == 2


def test_levels_and_their_nos_levels(graph):
    stated = {1: {1, 2}, 4: {5}}  # section 1.3 as printed
    for number in range(1, 5):
        level = ID[f"eskills-framework/level/{number}"]
        nos = {int(n) for n in graph.objects(level, CCG.correspondsToNOSLevel)}
        if number in stated:
            assert nos == stated[number] and graph.value(level, CCG.readingStatus) is None
        else:  # not printed: read from "this mapping continues as the ability levels ascend", and marked so
            assert nos == {number + 1}
            assert graph.value(level, CCG.readingStatus) == CCG.Reconstructed
            assert "continues as the ability levels ascend" in str(graph.value(level, CCG.readingNote))


def test_category_a_cells_match_section_3_5(grid, seeds_dir):
    printed = seed.section_3_5(seeds_dir)
    assert len(printed) == 6
    rows = {row.notation: row for row in grid.rows}
    for number, cells in printed.items():
        row = rows[f"A{number}"]
        for role, value in zip(grid.roles, cells):
            cell = grid.cell(row, role)
            assert cell.text == value and cell.status in ("certain", "blank"), (number, role.label)


def test_no_unresolved_cell_asserts_a_level(graph, grid):
    unresolved = list(graph.subjects(CCG.readingStatus, CCG.Unresolved))
    assert unresolved, "the damaged Appendix One leaves cells unresolved"
    for requirement in unresolved:
        if (requirement, RDF.type, CCG.RoleRequirement) in graph:
            assert graph.value(requirement, CCG.abilityLevel) is None
            assert graph.value(requirement, CCG.rawText) is not None
    for requirement in graph.subjects(CCG.readingStatus, CCG.Reconstructed):
        assert graph.value(requirement, CCG.readingNote) is not None


def test_every_cell_is_accounted_for(grid, graph):
    counts = grid.counts()
    assert sum(counts.values()) == len(grid.rows) * len(grid.roles)
    assert counts["unresolved"] == sum(1 for r in graph.subjects(CCG.readingStatus, CCG.Unresolved)
                                       if (r, RDF.type, CCG.RoleRequirement) in graph)


# ---------------------------------------------------------------- ccgraph matrix


def category_a(rows, roles):
    return {r[0][1:]: r[2:2 + len(roles)] for r in rows if r[0].startswith("A")}


def test_matrix_csv_reproduces_section_3_5(seeds_dir, grid):
    result = CliRunner().invoke(cli, ["matrix", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][2:] == seed.roles(seeds_dir)
    assert category_a(rows[1:], grid.roles) == seed.section_3_5(seeds_dir)
    assert sum(row.count("?") for row in rows[1:]) == grid.counts()["unresolved"]


def test_matrix_text_marks_unresolved_cells(grid):
    result = CliRunner().invoke(cli, ["matrix"])
    assert result.exit_code == 0
    assert "Customer service ethos" in result.output and "?" in result.output
    assert f"{grid.counts()['unresolved']} unresolved" in result.output


def hex_colour(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


def test_matrix_png_read_back(tmp_path, seeds_dir, grid):
    out = tmp_path / "matrix.png"
    assert CliRunner().invoke(cli, ["matrix", "--format", "png", "--output", str(out)]).exit_code == 0
    image = Image.open(out).convert("RGB")
    meta = json.loads(Image.open(out).text["ccgraph:matrix"])
    colours = {int(k): hex_colour(v) for k, v in meta["colours"]["levels"].items()}
    printed = seed.section_3_5(seeds_dir)
    checked = 0
    for cell in meta["cells"]:
        x0, y0, x1, y1 = cell["box"]
        pixel = image.getpixel((x0 + 4, y1 - 3))  # inside the cell, clear of its digit and corner mark
        if cell["status"] == "unresolved":
            assert pixel == hex_colour(meta["colours"]["unresolved"])
        elif cell["level"]:
            assert pixel == colours[cell["level"]]
        else:
            assert pixel == (255, 255, 255)
        if cell["competency"].startswith("A"):
            column = seed.roles(seeds_dir).index(cell["role"])
            assert str(cell["level"] or "") == printed[cell["competency"][1:]][column]
            checked += 1
    assert checked == 66 and len(meta["cells"]) == len(grid.rows) * len(grid.roles)


def test_matrix_svg_read_back(tmp_path, seeds_dir):
    out = tmp_path / "matrix.svg"
    assert CliRunner().invoke(cli, ["matrix", "--format", "svg", "--output", str(out)]).exit_code == 0
    root = ElementTree.parse(out).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    cells = root.findall(".//s:g[@class='cell']", ns)
    printed = seed.section_3_5(seeds_dir)
    roles = seed.roles(seeds_dir)
    for cell in cells:
        competency = cell.get("data-competency")
        if competency.startswith("A"):
            assert cell.get("data-level") == printed[competency[1:]][roles.index(cell.get("data-role"))]
        if cell.get("data-status") == "unresolved":
            assert cell.find("s:text", ns).text == "?" and cell.get("data-level") == ""


def test_matrix_html_is_self_contained(tmp_path):
    out = tmp_path / "matrix.html"
    assert CliRunner().invoke(cli, ["matrix", "--format", "html", "--output", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<table id=\"matrix\">" in page and "<svg" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


# ---------------------------------------------------------------- saved queries


def rows(store, project, name, **params):
    registry = saved_queries(project.queries_dir)
    return [tuple("" if v is None else v.value for v in row) for row in run(store, registry[name], params)]


def test_role_profile_matches_the_matrix(graph, store, project, grid, seeds_dir):
    printed = seed.section_3_5(seeds_dir)
    for column, role in enumerate(seed.roles(seeds_dir)):
        profile = {r[1]: r[3] for r in rows(store, project, "role-profile", role=role) if r[1].startswith("A")}
        expected = {f"A{n}": cells[column] for n, cells in printed.items() if cells[column]}
        assert profile == expected, role


def test_role_step(graph, store, project, seeds_dir):
    printed = seed.section_3_5(seeds_dir)
    roles = seed.roles(seeds_dir)
    step = {r[0]: r for r in rows(store, project, "role-step", **{"from": roles[1], "to": roles[6]})}
    for number, cells in printed.items():
        low, high = cells[1], cells[6]
        if high and (not low or int(high) > int(low)):
            assert step[f"A{number}"][4] == ("new" if not low else "rises")
        else:
            assert f"A{number}" not in step


def test_competencies_every_role_needs(graph, store, project, seeds_dir):
    found = {r[0] for r in rows(store, project, "competencies-every-role-needs")}
    everyone = {f"A{n}" for n, cells in seed.section_3_5(seeds_dir).items() if all(cells)}
    assert everyone and {c for c in found if c.startswith("A")} == everyone


def test_legal_obligation_and_level_4_queries(graph, store, project):
    legal = {r[0] for r in rows(store, project, "legal-obligation-competencies")}
    assert legal == {str(graph.value(c, SKOS.notation)) for c in graph.subjects(CCG.legalObligation, Literal(True))}
    level4 = rows(store, project, "level-4-competencies")
    assert ("A1.1", "Customer service ethos", "Operations / Contact Centre Manager", "Certain") in level4


def test_matrix_read_by_sparql_agrees_with_an_rdflib_reading(grid, graph):
    """Every role requirement, read independently from the rdflib reference, is the cell the store's matrix shows."""
    statuses = {CCG.Certain: "certain", CCG.Reconstructed: "reconstructed", CCG.Unresolved: "unresolved"}
    expected = {}
    for role, requirement in graph.subject_objects(CCG.hasRequirement):
        level = graph.value(graph.value(requirement, CCG.abilityLevel), CCG.levelNumber)
        key = (str(graph.value(graph.value(requirement, CCG.competency), SKOS.notation)), str(graph.value(role, SKOS.prefLabel)))
        expected[key] = (None if level is None else int(level), statuses[graph.value(requirement, CCG.readingStatus)],
                         str(graph.value(requirement, CCG.rawText) or ""), str(graph.value(requirement, CCG.readingNote) or ""))
    assert {key: (c.level, c.status, c.raw, c.note) for key, c in grid.cells.items()} == expected
    assert {r.notation for r in grid.rows} == {str(graph.value(c, SKOS.notation)) for c in graph.subjects(RDF.type, CCG.Competency)}
    assert {r.notation for r in grid.rows if r.legal_obligation} == {
        str(graph.value(c, SKOS.notation)) for c in graph.subjects(CCG.legalObligation, Literal(True))}
