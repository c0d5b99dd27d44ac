"""Overlays and staff files for the workbench tests, built from the framework's own tables.

A generic role's profile comes from the seed itself (tests/seed_eskills.py: section 3.5, category A,
printed cells), and the matrix's other cells from data/eskills-framework/matrix_cells.csv read as a
plain CSV (not through the loaders), so expected values never come from the code under test.
"""

import pytest
import csv
from pathlib import Path

import seed_eskills

REPO = Path(__file__).resolve().parents[2]
MATRIX_CELLS = REPO / "data" / "eskills-framework" / "matrix_cells.csv"
LEADER = "Customer Service Team Leader"
ADVISOR = "Customer Service Advisor"


def write_csv(path: Path, header, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def seed_profile(seeds: Path, role: str) -> dict[str, int]:
    """Category A of the role, as section 3.5 prints it: {'A1.1': 4, ...} (blank cells left out)."""
    column = seed_eskills.roles(seeds).index(role)
    return {"A" + code: int(cells[column]) for code, cells in seed_eskills.section_3_5(seeds).items() if cells[column]}


def matrix_cells(role: str) -> dict[str, dict]:
    """Every cell of one role in the transcription table: {code: row}."""
    with MATRIX_CELLS.open(newline="", encoding="utf-8") as handle:
        return {row["competency"]: row for row in csv.DictReader(handle) if row["role"] == role}


def unresolved(role: str) -> dict[str, str]:
    """The role's unresolved cells and their raw text."""
    return {code: row["raw"] for code, row in matrix_cells(role).items() if row["status"] == "unresolved"}


def required(role: str) -> dict[str, int]:
    """The role's cells that assert a level."""
    return {code: int(row["level"]) for code, row in matrix_cells(role).items() if row["level"]}


def overlay(folder: Path, seeds: Path, needs=None, competencies=None, roles=None, employer=None) -> Path:
    """A valid overlay: A1.7 added, A1.2 amended, D2.3 removed; 'Acme Team Lead' matched to the team
    leader (every generic competency, A1.3 one level lower than printed, A1.7 at 3) and a standalone
    'Acme Specialist'. Any table can be replaced by passing its rows."""
    lead = seed_profile(seeds, LEADER)
    write_csv(folder / "employer.csv", ("name", "label"), employer or [("acme", "Acme Contact")])
    write_csv(folder / "competencies.csv", ("action", "code", "subcategory", "title", "definition", "legal_obligation", "level_1", "note"),
              competencies or [("add", "A1.7", "A1", "Vulnerable customers", "Supports customers in vulnerable circumstances", "true",
                                "Recognises signs of vulnerability", "regulator"),
                               ("amend", "A1.2", "", "Measuring satisfaction", "", "", "", ""),
                               ("remove", "D2.3", "", "", "", "", "", "no web telephony")])
    write_csv(folder / "roles.csv", ("role", "generic_role", "match", "description"),
              roles or [("Acme Team Lead", LEADER, "exact", "Leads a team"), ("Acme Specialist", "", "", "Vulnerable customers")])
    write_csv(folder / "role_competencies.csv", ("role", "competency", "target_level", "note"),
              needs or [("Acme Team Lead", "*", "", ""), ("Acme Team Lead", "A1.3", str(lead["A1.3"] - 1), "lower here"),
                        ("Acme Team Lead", "A1.7", "3", ""), ("Acme Specialist", "A1.1", "3", ""), ("Acme Specialist", "A1.7", "4", "")])
    return folder


STAFF_HEADER = ("person", "role", "competency", "level", "date", "assessor", "evidence", "team")


def staff_rows(person: str, role: str, levels: dict[str, int], team: str = "north", day: str = "2024-03-01"):
    return [(person, role, code, str(level), day, "AS-1", "", team) for code, level in levels.items()]


@pytest.fixture
def invoke():
    """The ccgraph command through click's runner, arguments as text."""
    from click.testing import CliRunner

    from ccgraph.cli import cli

    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result, *fragments):
    """A failure is one 'Error: ...' line naming the problem, with exit status 2 (a rebuild notice aside)."""
    import re

    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip() and not re.search(r": building \S+ first$", line)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
