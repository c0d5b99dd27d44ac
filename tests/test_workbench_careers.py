"""Career steps, ranked by the size of the step, against a ranking computed from the transcription table."""

import json
import re

import pytest
from click.testing import CliRunner

import seed_eskills
from ccgraph.cli import cli
from ccgraph.workbench import Workbench

from workbench.helpers import ADVISOR, STAFF_HEADER, matrix_cells, seed_profile, staff_rows, write_csv


@pytest.fixture(scope="module")
def bench(store):
    return Workbench.open(store)


def profile(role: str) -> dict[str, int | None]:
    """The role's requirements from matrix_cells.csv: a level, or None where the cell is unresolved."""
    return {code: (int(row["level"]) if row["level"] else None) for code, row in matrix_cells(role).items()
            if row["level"] or row["status"] == "unresolved"}


def expected_ranking(role: str, seeds) -> list[tuple[str, int, int, int, int]]:
    """(role, size, new, rising, unknown) of every role a step up, smallest step first, by the definitions of the docs."""
    mine, order = profile(role), seed_eskills.roles(seeds)
    ranked = []
    for other in order:
        if other == role:
            continue
        new = rising = unknown = 0
        size = 0
        for code, level in profile(other).items():
            have = mine.get(code, "absent")
            if level is None or have is None:
                unknown += 1
            elif have == "absent":
                new += 1
                size += level
            elif level > have:
                rising += 1
                size += level - have
        if new or rising:
            ranked.append((size, unknown, order.index(other), other, new, rising))
    return [(name, size, new, rising, unknown) for size, unknown, _, name, new, rising in sorted(ranked)]


@pytest.mark.parametrize("role", ["New Entrant (pre training)", ADVISOR, "Customer Service Team Leader"])
def test_next_roles_ranked_by_the_size_of_the_step(bench, seeds_dir, role):
    found = [(s.role, s.size, len(s.new), len(s.rising), len(s.unknown)) for s in bench.careers(role)]
    assert found == expected_ranking(role, seeds_dir)


def test_a_person_is_closest_to_the_roles_whose_targets_they_nearly_meet(bench, tmp_path, seeds_dir):
    levels = seed_profile(seeds_dir, ADVISOR)
    path = write_csv(tmp_path / "staff.csv", STAFF_HEADER, staff_rows("ADV-9", ADVISOR, levels))
    own, ranked = bench.closest_roles(bench.staff(path), "ADV-9")
    assert own == ADVISOR
    ahead = [name for name, *_ in expected_ranking(ADVISOR, seeds_dir)]
    assert {c.role for c in ranked} == set(ahead)
    order = seed_eskills.roles(seeds_dir)
    expected = []
    for name in ahead:
        wanted = profile(name)
        short = sum(max(wanted[c] - a, 0) for c, a in levels.items() if wanted.get(c))
        not_assessed = sum(1 for c, level in wanted.items() if level and c not in levels)
        unknown = sum(1 for level in wanted.values() if level is None)
        expected.append((short, not_assessed, unknown, order.index(name), name))
    assert [c.role for c in ranked] == [name for *_, name in sorted(expected)]
    assert [c.shortfall for c in ranked] == [s for s, *_ in sorted(expected)]


def test_careers_command_labels_its_answer_as_computed(tmp_path, seeds_dir):
    runner = CliRunner()
    out = runner.invoke(cli, ["careers", "--role", ADVISOR, "--limit", "2"]).output
    assert "Computed from the role x competency matrix" in out and "1. " in out and "3. " not in out
    data = json.loads((text := runner.invoke(cli, ["careers", "--role", ADVISOR, "--format", "json"]).output)[text.index("{"):])
    assert data["computed"].startswith("Computed") and data["next_roles"][0]["role"] == expected_ranking(ADVISOR, seeds_dir)[0][0]
    path = write_csv(tmp_path / "staff.csv", STAFF_HEADER, staff_rows("ADV-9", ADVISOR, seed_profile(seeds_dir, ADVISOR)))
    out = runner.invoke(cli, ["careers", "--person", "ADV-9", "--staff", str(path)]).output
    assert "Roles closest to ADV-9 (now Customer Service Advisor)" in out and "Training plan for person ADV-9, step to" in out
    for args, message in ((["careers", "--role", "Customer Service Advisr"], "did you mean 'Customer Service Advisor'"),
                          (["careers", "--person", "ADV-9"], "--person needs --staff FILE"),
                          (["careers"], "give --role ROLE, or --person ID with --staff FILE")):
        result = runner.invoke(cli, args)
        lines = [line for line in result.output.splitlines() if line.strip() and not re.search(r": building \S+ first$", line)]
        assert result.exit_code == 2 and len(lines) == 1 and message in lines[0], result.output
