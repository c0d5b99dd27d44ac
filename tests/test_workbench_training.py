"""Training plans: coverage, optimality against a brute-force answer, level fit, and completing 3412-03."""

import csv
import json
from itertools import combinations
from pathlib import Path

import pytest

from ccgraph.checks import plans
from ccgraph.workbench import Workbench

from workbench.helpers import invoke, one_line_error  # noqa: F401 (invoke is a fixture)
from workbench.helpers import ADVISOR, LEADER, REPO, STAFF_HEADER, overlay, seed_profile, staff_rows, write_csv

EXPERIENCED = "Experienced Service Advisor"
MAPPINGS = REPO / "data" / "mappings" / "competency-unit-nos.sssom.tsv"
UNITS = REPO / "data" / "city-and-guilds-3412" / "units.csv"



# ---------------------------------------------------------------- the expected answer, from the tables and the seed


def fitting_nos_levels(seeds: Path) -> dict[int, set[int]]:
    """Section 1.3: level 1 -> NOS 1 and 2 and level 4 -> NOS 5 are printed; 2 -> 3 and 3 -> 4 follow from 'continues'."""
    text = " ".join((seeds / "000_0474dc13b7c2c3fe.txt").read_text(encoding="utf-8").split())
    assert "level one in the Framework corresponds to level one and two in the Statements of Competence" in text
    assert "This mapping continues as the ability levels ascend with level four in the Framework corresponding to level five" in text
    return {1: {1, 2}, 2: {3}, 3: {4}, 4: {5}}


def unit_table() -> dict[str, dict]:
    units = {}
    with UNITS.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            units.setdefault(row["unit"], {"level": int(row["level"]), "credits": int(row["credit"]), "glh": int(row["glh"])})
    return units


def mapping_table() -> list[dict]:
    lines = [line for line in MAPPINGS.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#")]
    return [row for row in csv.DictReader(lines, delimiter="\t") if row["object_id"].startswith("cg3412:")]


def candidates(gaps: set[tuple[str, int]], seeds: Path, min_confidence: float = 0.0) -> dict[tuple[str, int], set[str]]:
    units, fits = unit_table(), fitting_nos_levels(seeds)
    found = {gap: set() for gap in gaps}
    for row in mapping_table():
        code, unit = row["subject_id"].split(":", 1)[1], row["object_id"].split(":", 1)[1]
        for (gap_code, level) in gaps:
            if gap_code == code and unit in units and units[unit]["level"] in fits[level] and float(row["confidence"] or 0) >= min_confidence:
                found[(gap_code, level)].add(unit)
    return found


def brute_force(cover: dict[tuple[str, int], set[str]], by: str) -> tuple[int, int]:
    """(least total, fewest units at that total) over every set of candidate units covering every coverable gap."""
    units = unit_table()
    pool = sorted(set().union(*cover.values()))
    assert len(pool) <= 20, f"{len(pool)} candidate units: too many to enumerate"
    needed = [c for c in cover.values() if c]
    best = None
    for size in range(len(pool) + 1):
        for chosen in combinations(pool, size):
            picked = set(chosen)
            if all(c & picked for c in needed):
                total = sum(units[u][by] for u in picked)
                if best is None or (total, size) < best:
                    best = (total, size)
    return best


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def lowered(tmp_path, seeds_dir):
    """An advisor and an experienced advisor, every category A competency one level below the printed target."""
    rows = []
    for person, role in (("ADV-1", ADVISOR), ("EXP-1", EXPERIENCED)):
        profile = seed_profile(seeds_dir, role)
        rows += staff_rows(person, role, {code: max(1, level - 1) for code, level in profile.items()}, team="one")
    lead = seed_profile(seeds_dir, LEADER)
    rows += staff_rows("LEAD-1", LEADER, {code: level - 1 for code, level in lead.items()}, team="two")
    return write_csv(tmp_path / "staff.csv", STAFF_HEADER, rows)


@pytest.fixture(scope="module")
def bench(store):
    return Workbench.open(store)


def gap_keys(plan) -> set[tuple[str, int]]:
    return {g.key for g in plan.covered} | {u.gap.key for u in plan.uncovered}


@pytest.mark.parametrize("by", ["credits", "glh"])
def test_team_plan_covers_every_coverable_gap_at_the_least_cost(bench, lowered, seeds_dir, by):
    staff = bench.staff(lowered)
    plan = bench.training_plan(staff, role=None, team_by="team", by=by)["one"]
    keys = gap_keys(plan)
    expected_keys = {(code, level) for role in (ADVISOR, EXPERIENCED) for code, level in seed_profile(seeds_dir, role).items() if level > 1}
    assert keys == expected_keys
    cover = candidates(keys, seeds_dir)
    assert {g.key for g in plan.covered} == {k for k, c in cover.items() if c}
    assert {u.gap.key for u in plan.uncovered} == {k for k, c in cover.items() if not c}
    chosen = {u.unit.code for u in plan.to_take}
    assert all(cover[k] & chosen for k in cover if cover[k])  # every coverable gap closed
    total, size = brute_force(cover, by)
    assert (plan.cost, len(chosen)) == (total, size)  # and nothing cheaper exists
    for planned in plan.to_take:  # each unit says which gaps it closes and why
        assert planned.closes and all(c.mapping.unit == planned.unit.iri and c.mapping.justification for c in planned.closes)
        assert all(c.gap.key in cover and planned.unit.code in cover[c.gap.key] for c in planned.closes)


def test_min_confidence_narrows_the_candidates(bench, lowered, seeds_dir):
    staff = bench.staff(lowered)
    plan = bench.training_plan(staff, team_by="team", min_confidence=0.55)["one"]
    cover = candidates(gap_keys(plan), seeds_dir, min_confidence=0.55)
    assert {g.key for g in plan.covered} == {k for k, c in cover.items() if c}
    assert (plan.cost, len(plan.to_take)) == brute_force(cover, "credits")
    assert all(c.mapping.confidence >= 0.55 for u in plan.units for c in u.closes)
    assert any("below confidence 0.55" in u.reason for u in plan.uncovered)


def test_level_fit_is_labelled_stated_or_inferred(bench, lowered):
    plan = bench.training_plan(bench.staff(lowered), person="ADV-1")
    closures = [c for u in plan.units for c in u.closes]
    assert closures and all(c.gap.required == 2 and c.fit.nos == 3 and c.fit.inferred for c in closures)
    assert all("inferred, not printed" in c.fit.reading for c in closures)
    assert plan.fits[1][0].reading == "ability level 1 -> NOS level 1: stated in framework section 1.3"
    assert not plan.fits[4][0].inferred and plan.fits[4][0].nos == 5


def test_gaps_no_unit_addresses_are_listed_with_the_reason(bench, lowered, store, project, tmp_path, seeds_dir):
    plan = bench.training_plan(bench.staff(lowered), person="LEAD-1")  # targets mostly level 4, i.e. NOS level 5
    cover = candidates(gap_keys(plan), seeds_dir)
    mapped = {row["subject_id"].split(":", 1)[1] for row in mapping_table()}
    assert {u.gap.key for u in plan.uncovered} == {k for k, c in cover.items() if not c}
    for missing in plan.uncovered:
        expected = ("no mapped unit at a level that fits ability level" if missing.gap.code in mapped else "no curated mapping to a unit")
        assert missing.reason.startswith(expected), (missing.gap.key, missing.reason)
    assert any("fits ability level 4 (NOS level 5)" in u.reason for u in plan.uncovered)
    folder = overlay(tmp_path / "acme", seeds_dir)
    acme = Workbench.open(store, folder, project.shapes_dir)
    path = write_csv(tmp_path / "acme.csv", STAFF_HEADER, staff_rows("E-1", "Acme Specialist", {"A1.7": 2, "A1.1": 3}))
    (missing,) = acme.training_plan(acme.staff(path), person="E-1").uncovered
    assert missing.gap.code == "A1.7" and missing.reason == "no curated mapping to a unit"


def test_plan_also_completes_3412_03_under_its_rules(bench, lowered, store, tmp_path):
    staff = bench.staff(lowered)
    plain = bench.training_plan(staff, person="ADV-1")
    plan = bench.training_plan(staff, person="ADV-1", qualification="3412-03", held=("101",))
    qualification = plans.load(store, "3412-03")
    codes = [u.unit.code for u in plan.units if u.in_qualification]
    assert plans.check(qualification, codes).achieved and plan.qualification_report.achieved
    assert all(not (a in codes and b in codes) for a, b in qualification.barred)
    assert {u.unit.code for u in plan.units if u.held} == {"101"}
    assert {g.key for g in plan.covered} == {g.key for g in plain.covered}  # the gaps are still closed
    assert plan.cost >= plain.cost  # completing a qualification never makes closing the gaps cheaper
    # With no gaps to close, the plan is the qualification's own smallest valid plan.
    meets = write_csv(tmp_path / "none.csv", STAFF_HEADER, staff_rows("OK-1", ADVISOR, {"A1.1": 4}))
    empty = bench.training_plan(bench.staff(meets), person="OK-1", qualification="3412-03")
    assert empty.cost == plans.smallest_plans(qualification, limit=1)[0].credits and empty.qualification_report.achieved


def test_held_barred_unit_keeps_its_partner_out(bench, lowered, store):
    qualification = plans.load(store, "3412-03")
    first, second = qualification.barred[0]
    plan = bench.training_plan(bench.staff(lowered), person="ADV-1", qualification="3412-03", held=(first,))
    codes = {u.unit.code for u in plan.units}
    assert first in codes and second not in codes and plan.qualification_report.achieved


def test_training_plan_command(invoke, lowered):
    result = invoke("training-plan", "--staff", lowered, "--person", "ADV-1", "-q", "3412-03", "--held", "101")
    assert result.exit_code == 0, result.output
    assert "also completing 3412-03" in result.output and "achieved by the plan" in result.output
    assert "closes A1.1 Customer service ethos at level 2 (ADV-1)" in result.output and "level fit: ability level 2 -> NOS level 3: inferred" in result.output
    data = json.loads((out := invoke("training-plan", "--staff", lowered, "--team-by", "team", "--format", "json").output)[out.index("["):])
    assert [p["selection"] for p in data] == ["team one", "team two"]
    one_line_error(invoke("training-plan", "--staff", lowered, "--person", "ADV-1", "--held", "1O1"), "--held: unknown unit '1O1'", "did you mean '101'")
    one_line_error(invoke("training-plan", "--staff", lowered, "--person", "ADV-1", "-q", "3412-09"), "unknown qualification '3412-09'")
    one_line_error(invoke("training-plan", "--staff", lowered), "give --person ID, --role ROLE or --team-by COLUMN")
    one_line_error(invoke("training-plan", "--staff", lowered, "--person", "ADV-1", "--min-confidence", "2"), "between 0 and 1")
