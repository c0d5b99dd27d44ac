"""Staff assessments and gaps: built from the framework's own tables, checked against the seed."""

import csv
import io
import json

import httpx
import pytest

from ccgraph.errors import CcgraphError
from ccgraph.workbench import Workbench

from live_server import running_server
from workbench.helpers import invoke, one_line_error  # noqa: F401 (invoke is a fixture)
from workbench.helpers import ADVISOR, LEADER, STAFF_HEADER, overlay, required, seed_profile, staff_rows, unresolved, write_csv

MARK = "PSEUDO-7Q3X"  # a person id that appears nowhere else



@pytest.fixture(scope="module")
def published(store):
    return Workbench.open(store)


@pytest.fixture
def team(tmp_path, seeds_dir):
    """Two team leaders and an advisor, assessed on category A at the printed level, some levels lowered."""
    lead, advisor = seed_profile(seeds_dir, LEADER), seed_profile(seeds_dir, ADVISOR)
    first_unknown = next(iter(unresolved(LEADER)))
    rows = (staff_rows(MARK, LEADER, {**lead, "A1.2": lead["A1.2"] - 1, "A2.3": lead["A2.3"] - 2, first_unknown: 2})
            + staff_rows("S-02", LEADER, {**lead, "A1.1": lead["A1.1"] - 3})
            + staff_rows("S-03", ADVISOR, {**advisor, "A1.3": advisor["A1.3"] - 1}, team="south"))
    return write_csv(tmp_path / "staff.csv", STAFF_HEADER, rows)


def test_a_persons_gaps_are_the_lowered_levels(published, team, seeds_dir):
    lead = seed_profile(seeds_dir, LEADER)
    report = published.gaps(published.staff(team), person=MARK)
    (person,) = report.people
    items = {item.code: item for item in person.items}
    assert person.role == LEADER
    assert {i.code: i.shortfall for i in person.outcome("gap")} == {"A1.2": 1, "A2.3": 2}
    assert {i.code for i in person.outcome("meets")} == set(lead) - {"A1.2", "A2.3"}
    for code, level in lead.items():
        assert items[code].required == level  # as section 3.5 prints it
    # Every unresolved cell is unknown with its raw text, never a gap or a pass, even where assessed.
    assert {i.code for i in person.outcome("unknown")} == set(unresolved(LEADER))
    for code, raw in unresolved(LEADER).items():
        assert items[code].requirement.raw == raw and items[code].shortfall is None and items[code].required is None
    assert items[next(iter(unresolved(LEADER)))].assessed == 2
    # Every other readable requirement was not assessed, and says so.
    assert {i.code for i in person.outcome("not assessed")} == set(required(LEADER)) - set(lead)


def test_team_view_counts_who_is_below_and_by_how_much(published, team, seeds_dir):
    report = published.gaps(published.staff(team), team_by="team")
    north = {c.code: c for c in next(t for t in report.teams if t.value == "north").competencies}
    south = {c.code: c for c in next(t for t in report.teams if t.value == "south").competencies}
    assert (north["A1.1"].needing, north["A1.1"].below, north["A1.1"].shortfall_total, north["A1.1"].shortfall_max) == (2, 1, 3, 3)
    assert (north["A2.3"].below, north["A2.3"].shortfall_total, north["A1.2"].below) == (1, 2, 1)
    assert north["A1.3"].below == 0 and north["A1.3"].meets == 2
    assert south["A1.3"].below == 1 and south["A1.3"].shortfall_mean == 1.0 and south["A1.1"].needing == 1
    for code in unresolved(LEADER):  # unknown for both leaders: counted apart, not below target
        assert north[code].unknown == 2 and north[code].below == 0
    by_role = published.gaps(published.staff(team), role=LEADER)
    assert len(by_role.people) == 2 and by_role.teams[0].value == LEADER


def test_gaps_command_formats(invoke, team, tmp_path):
    out = invoke("gaps", "--staff", team, "--person", MARK, "--format", "json").output
    data = json.loads(out[out.index("{"):])
    (person,) = data["persons"]
    assert person["gaps"] == 2 and person["unknown"] == len(unresolved(LEADER))
    unknown = [c for c in person["competencies"] if c["outcome"] == "unknown"]
    assert all(c["required_level"] is None and c["shortfall"] is None and "requirement_raw_text" in c for c in unknown)
    out = invoke("gaps", "--staff", team, "--role", LEADER, "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out[out.index("person,"):])))  # (after any 'building' notice)
    assert {r["person"] for r in rows} == {MARK, "S-02"}
    gap = next(r for r in rows if r["person"] == MARK and r["competency"] == "A2.3")
    assert (gap["outcome"], gap["shortfall"]) == ("gap", "2")
    assert all(r["required_level"] == "" and r["shortfall"] == "" for r in rows if r["outcome"] == "unknown")
    table = invoke("gaps", "--staff", team, "--team-by", "team").output
    assert "team: north (2 people)" in table and "team: south (1 people)" in table
    target = tmp_path / "team.csv"
    assert invoke("gaps", "--staff", team, "--team-by", "team", "--format", "csv", "--output", target).exit_code == 0
    assert target.read_text().startswith("grouped_by,value,people,competency,")


def test_gaps_against_a_tailoring(store, project, tmp_path, seeds_dir):
    folder = overlay(tmp_path / "acme", seeds_dir)
    lead = seed_profile(seeds_dir, LEADER)
    path = write_csv(tmp_path / "staff.csv", STAFF_HEADER, staff_rows("E-1", "Acme Team Lead", lead))
    bench = Workbench.open(store, folder, project.shapes_dir)
    (person,) = bench.gaps(bench.staff(path), person="E-1").people
    items = {i.code: i for i in person.items}
    assert items["A1.3"].outcome == "meets" and items["A1.3"].required == lead["A1.3"] - 1  # the employer's lower target
    assert items["A1.7"].outcome == "not assessed" and items["A1.7"].required == 3  # the competency the employer added
    assert "D2.3" not in items  # removed by the overlay


# ---------------------------------------------------------------- bad staff files


def _staff(tmp_path, rows, header=STAFF_HEADER):
    return write_csv(tmp_path / "staff.csv", header, rows)


GOOD = ("S-1", LEADER, "A1.1", "3", "2024-03-01", "AS-1", "", "north")


@pytest.mark.parametrize("row,fragments", [
    (("S-1", LEADER, "A1.9", "3", "2024-03-01", "", "", ""), (":5:3:", "unknown competency 'A1.9'", "did you mean")),
    (("S-1", LEADER, "A1.l", "3", "2024-03-01", "", "", ""), (":5:3:", "did you mean 'A1.1 Customer service ethos'")),
    (("S-2", "Customer Service Team Leeder", "A1.1", "3", "2024-03-01", "", "", ""),
     (":5:2:", "unknown role 'Customer Service Team Leeder'", "did you mean 'Customer Service Team Leader'")),
    (("S-1", LEADER, "A1.2", "5", "2024-03-01", "", "", ""), (":5:4:", "level '5' is not an ability level")),
    (("S-1", LEADER, "A1.1", "3", "2024-13-01", "", "", ""), (":5:5:", "malformed date '2024-13-01'")),
    (("S-1", LEADER, "A1.2", "3", "01/03/2024", "", "", ""), (":5:5:", "malformed date '01/03/2024'", "YYYY-MM-DD")),
    (GOOD, (":5:1:", "duplicates line 2")),
    (("S-1", ADVISOR, "A1.2", "3", "2024-03-02", "", "", ""), (":5:2:", "has role 'Customer Service Advisor' here but", "line 2")),
])
def test_bad_staff_row_is_one_line_naming_file_line_and_column(invoke, tmp_path, row, fragments):
    # The second row's evidence spans lines 3 and 4: the bad row is on line 5, counted as the file has it.
    path = _staff(tmp_path, [GOOD, ("S-1", LEADER, "A1.3", "3", "2024-03-01", "AS-1", "observed,\non two lines", "north"), row])
    out = tmp_path / "gaps.csv"
    one_line_error(invoke("gaps", "--staff", path, "--format", "csv", "--output", out), str(path), *fragments)
    assert not out.exists()


def test_missing_column(invoke, tmp_path):
    path = _staff(tmp_path, [GOOD[:3] + GOOD[4:]], header=("person", "role", "competency", "date", "assessor", "evidence", "team"))
    one_line_error(invoke("gaps", "--staff", path), f"{path}:1:8:", "missing column 'level'")


def test_unknown_person_and_employer_role_without_overlay(invoke, tmp_path, published):
    path = _staff(tmp_path, [GOOD])
    one_line_error(invoke("gaps", "--staff", path, "--person", "S-2"), "no person 'S-2'", "did you mean 'S-1'")
    path = _staff(tmp_path, [("S-1", "Acme Team Lead", "A1.1", "3", "2024-03-01", "", "", "")])
    one_line_error(invoke("gaps", "--staff", path), ":2:2:", "unknown role 'Acme Team Lead'", "needs its overlay (--overlay DIR)")
    with pytest.raises(CcgraphError, match=r"staff\.csv:2:2: unknown role"):
        published.staff(path)


def test_competency_removed_by_the_overlay_cannot_be_assessed(invoke, tmp_path, seeds_dir):
    folder = overlay(tmp_path / "acme", seeds_dir)
    path = _staff(tmp_path, [GOOD, ("S-1", LEADER, "D2.3", "2", "2024-03-01", "", "", "")])
    one_line_error(invoke("gaps", "--staff", path, "--overlay", folder), ":3:3:", "D2.3 is removed by the overlay")


# ---------------------------------------------------------------- privacy


def test_staff_data_never_enters_the_build_export_or_endpoint(invoke, team, project, store, tmp_path):
    assert invoke("gaps", "--staff", team, "--format", "json", "--output", tmp_path / "gaps.json").exit_code == 0
    assert MARK in (tmp_path / "gaps.json").read_text()  # the report the user asked for has it...
    exported = invoke("export", "--format", "nq", "--output", "-")
    assert exported.exit_code == 0 and "<https://w3id.org/ccgraph/id/graph/" in exported.output
    assert MARK not in exported.output  # ...the export does not
    from ccgraph.graph.build import open_store

    for closure in (False, True):
        hits = open_store(project).select('SELECT ?s WHERE { ?s ?p ?o FILTER (CONTAINS(STR(?o), "PSEUDO") || CONTAINS(STR(?s), "PSEUDO")) }',
                                          closure=closure)
        assert len(hits) == 0
    for path in project.build_dir.glob("*.trig"):
        assert MARK not in path.read_text(encoding="utf-8")
    with running_server("--no-closure", "--timeout", "60") as url:
        answer = httpx.post(url, data={"query": 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (CONTAINS(STR(?o), "PSEUDO")) }'},
                            headers={"Accept": "text/csv"}, timeout=60)
        assert answer.status_code == 200 and answer.text.split() == ["n", "0"]
