"""Staff assessments: a CSV of who was assessed at which level of which competency, and when.

    person, role, competency, level, date[, assessor][, evidence][, any other columns]

person is an id of the employer's choosing (pseudonymous ids are recommended: nothing here needs a
name); role is one of the employer's roles or a generic one; level is 1-4; date is YYYY-MM-DD. A
person holds one role; a competency assessed more than once counts at its latest date. Other columns
(team, site, ...) are kept for --team-by.

The file is checked whole before anything is used: the first bad value (an unknown role or
competency, a level outside 1-4, a malformed date, a duplicated row, a person given two roles) stops
the load with its file, line and column. Staff data is held in memory only, as columns of codes: it
is never turned into RDF and never enters a store, a build, an export or an endpoint.

The reader is built for 10^5 people x 20-60 assessments: rows are read in chunks and each column is
coded through a dictionary as it comes; every check then runs once per distinct value, or as one
vectorised pass (numpy) over the coded columns.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

import numpy as np

from ccgraph.errors import CcgraphError
from ccgraph.workbench import tables
from ccgraph.workbench.places import Place, did_you_mean
from ccgraph.workbench.tailoring import Tailoring

REQUIRED = ("person", "role", "competency", "level", "date")
OPTIONAL = ("assessor", "evidence")
LEVELS = {"1": 1, "2": 2, "3": 3, "4": 4}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHUNK = 65536


@dataclass
class Column:
    """One CSV column, coded: codes[i] is row i's value as values[codes[i]]."""

    codes: np.ndarray
    values: list[str]

    def __getitem__(self, row: int) -> str:
        return self.values[self.codes[row]]


@dataclass
class Staff:
    path: Path
    people: list[str]  # person ids, in order of first appearance
    person_role: np.ndarray  # per person: index into roles
    roles: list[str]  # the tailoring's role names
    codes: list[str]  # the tailoring's competency codes (the columns of level / latest)
    level: np.ndarray  # (people, competencies) int8: latest assessed level, 0 = not assessed
    latest: np.ndarray  # (people, competencies) int32: the row of that assessment, -1 = none
    columns: dict[str, Column]  # every column but the five required, coded (assessor, evidence, team, ...)
    dates: Column
    rows: int
    row_people: np.ndarray = field(repr=False)  # per row: its person
    header: dict[str, int] = field(repr=False)  # column name -> 1-based position
    skipped: list[int] = field(default_factory=list, repr=False)  # record numbers of blank rows
    _people: dict[str, int] = field(default_factory=dict, repr=False)

    def person(self, person_id: str) -> int:
        if not self._people:
            self._people = {p: i for i, p in enumerate(self.people)}
        if person_id not in self._people:
            raise CcgraphError(f"--person: no person {person_id!r} in {self.path}{did_you_mean(person_id, self.people)}")
        return self._people[person_id]

    def detail(self, row: int) -> dict:
        """Date, assessor and evidence of one assessment row."""
        found = {"date": self.dates[row]}
        for name in OPTIONAL:
            if name in self.columns and self.columns[name][row]:
                found[name] = self.columns[name][row]
        return found

    def line(self, row: int) -> int:
        return _line_of(self.path, _record(row, self.skipped))

    def attribute(self, column: str) -> list[str]:
        """One value per person of a column such as team or site (--team-by); a person with two is an error."""
        if column == "role":
            return [self.roles[r] for r in self.person_role]
        if column not in self.columns:
            known = ["role", *self.columns]
            raise CcgraphError(f"--team-by: {self.path} has no column {column!r}{did_you_mean(column, known)} "
                               f"(columns to group by: {', '.join(known)})")
        coded = self.columns[column]
        people = self.row_people
        first = np.full(len(self.people), -1, dtype=np.int64)
        first[people[::-1]] = np.arange(len(people))[::-1]  # each person's first row
        expected = coded.codes[first][people]
        bad = np.flatnonzero(expected != coded.codes)
        if bad.size:
            row = int(bad[0])
            person = self.people[people[row]]
            raise Place(str(self.path), self.line(row), self.header[column]).fail(
                f"person {person!r} is in {column} {coded[row]!r} here but {coded[int(first[people[row]])]!r} on line "
                f"{self.line(int(first[people[row]]))}: --team-by {column} needs one value per person")
        return [coded[int(i)] for i in first]


def read(path: Path | str, tailoring: Tailoring) -> Staff:
    path = Path(path)
    with tables.opened(path, REQUIRED, OPTIONAL, extra_allowed=True) as (reader, header, columns):
        coded, skipped = _read_coded(path, reader, header)
    return _check(path, header, columns, coded, skipped, tailoring)


def _read_coded(path: Path, reader, header: list[str]):
    """Each column as a list of codes and a dictionary of the raw values seen, in chunks of rows."""
    width = len(header)
    dictionaries: list[dict[str, int]] = [{} for _ in header]
    codes: list[list[np.ndarray]] = [[] for _ in header]
    skipped: list[int] = []
    record = 0
    while True:
        try:
            chunk = list(islice(reader, CHUNK))
        except (csv.Error, UnicodeDecodeError) as error:
            raise Place(str(path), reader.line_num).fail(f"not a readable CSV row: {error}") from None
        if not chunk:
            break
        if any(len(cells) != width for cells in chunk):
            kept = []
            for offset, cells in enumerate(chunk):
                if not any(cell.strip() for cell in cells):
                    skipped.append(record + offset)
                elif len(cells) != width:
                    raise Place(str(path), _line_of(path, record + offset), min(len(cells), width) + 1).fail(
                        f"{len(cells)} cells where the header has {width} columns")
                else:
                    kept.append(cells)
        else:
            kept = chunk
        record += len(chunk)
        if not kept:
            continue
        # Column by column: the chunk's new values get the next codes, then every value is looked up.
        for i, (seen, out) in enumerate(zip(dictionaries, codes)):
            column = [cells[i] for cells in kept]
            for value in dict.fromkeys(column):
                if value not in seen:
                    seen[value] = len(seen)
            out.append(np.fromiter(map(seen.__getitem__, column), dtype=np.int32, count=len(column)))
    return [(np.concatenate(c) if c else np.zeros(0, dtype=np.int32), list(d)) for c, d in zip(codes, dictionaries)], skipped


def _record(row: int, skipped: list[int]) -> int:
    """The CSV record number (0 = first after the header) of a data row, blank rows counted back in."""
    for blank in skipped:
        if blank <= row:
            row += 1
    return row


def _line_of(path: Path, record: int) -> int:
    """The line a record starts on (a quoted value may span lines, so count records, not newlines)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        line = reader.line_num + 1
        for i, _ in enumerate(reader):
            if i == record:
                return line
            line = reader.line_num + 1
    return line


class _Problems:
    """The first problem in file order wins, whichever check finds it."""

    def __init__(self):
        self.first: tuple[int, int, str] | None = None

    def add(self, row: int, column: int, message: str) -> None:
        if self.first is None or (row, column) < self.first[:2]:
            self.first = (row, column, message)


def _first_rows(codes: np.ndarray, count: int) -> np.ndarray:
    first = np.full(count, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return first


def _check(path: Path, header: list[str], columns: dict[str, int], coded, skipped, tailoring: Tailoring) -> Staff:
    problems = _Problems()
    col = {name: coded[columns[name] - 1] for name in columns}
    n = len(col["person"][0])
    role_index = {name: i for i, name in enumerate(tailoring.roles)}
    code_index = {code: i for i, code in enumerate(tailoring.competencies)}
    labels = {code: f"{code} {c.title}" for code, c in tailoring.competencies.items()}

    def translate(name: str, decide) -> np.ndarray:
        """Map each distinct raw value to a number (or a problem at its first row)."""
        codes, values = col[name]
        first = _first_rows(codes, len(values))
        table = np.empty(len(values), dtype=np.int64)
        for code, raw in enumerate(values):
            result = decide(raw.strip())
            if isinstance(result, str):
                problems.add(int(first[code]), columns[name], result)
                result = -1
            table[code] = result
        return table[codes] if n else np.empty(0, dtype=np.int64)

    people: dict[str, int] = {}
    person = translate("person", lambda v: people.setdefault(v, len(people)) if v else "empty person id")
    role = translate("role", lambda v: role_index[v] if v in role_index else _unknown_role(v, tailoring))
    competency = translate("competency", lambda v: code_index[v] if v in code_index else _unknown_code(v, tailoring, labels))
    level = translate("level", lambda v: LEVELS.get(v) or _bad_level(v))
    day_codes, day_values = col["date"]
    days = translate("date", lambda v: _day(v))

    if problems.first is None and n:
        # One role per person: each row's role against the role of the person's first row.
        first = _first_rows(person, len(people))
        expected = role[first[person]]
        bad = np.flatnonzero(expected != role)
        if bad.size:
            row = int(bad[0])
            names, roles = list(people), list(tailoring.roles)
            problems.add(row, columns["role"], f"person {names[person[row]]!r} has role {roles[role[row]]!r} here but "
                                               f"{roles[expected[row]]!r} on line {{line:{int(first[person[row]])}}}: a person holds one role")
        # No two rows for the same person, competency and date.
        key = (person * len(code_index) + competency) * (int(days.max()) + 1) + days
        _, keep = np.unique(key, return_index=True)
        duplicate = np.ones(n, dtype=bool)
        duplicate[keep] = False
        if duplicate.any():
            row = int(np.flatnonzero(duplicate)[0])
            original = int(np.flatnonzero(key == key[row])[0])
            problems.add(row, columns["person"], f"duplicates line {{line:{original}}}: the same person, competency and date "
                                                 f"({list(people)[person[row]]}, {tailoring.codes()[competency[row]]}, "
                                                 f"{day_values[day_codes[row]].strip()})")
    if problems.first is not None:
        row, column, message = problems.first
        message = re.sub(r"\{line:(\d+)\}", lambda m: str(_line_of(path, _record(int(m[1]), skipped))), message)
        raise Place(str(path), _line_of(path, _record(row, skipped)), column).fail(message)

    count, width = len(people), len(code_index)
    level_grid = np.zeros((count, width), dtype=np.int8)
    latest = np.full((count, width), -1, dtype=np.int32)
    if n:
        order = np.lexsort((days, competency, person))  # the last row of each (person, competency) is its latest
        cell = person[order] * width + competency[order]
        last = np.flatnonzero(np.append(cell[1:] != cell[:-1], True))
        rows = order[last]
        level_grid.reshape(-1)[cell[last]] = level[rows]
        latest.reshape(-1)[cell[last]] = rows
        person_role = role[_first_rows(person, count)].astype(np.int16)
    else:
        person_role = np.zeros(0, dtype=np.int16)
    extra = {name: Column(codes, [v.strip() for v in values]) for name, (codes, values) in col.items() if name not in REQUIRED}
    return Staff(path, list(people), person_role, list(tailoring.roles), tailoring.codes(), level_grid, latest, extra,
                 Column(day_codes, [v.strip() for v in day_values]), n, person, columns, skipped)


def _unknown_role(value: str, tailoring: Tailoring) -> str:
    if not value:
        return "empty role"
    hint = "" if tailoring.overlay is not None else "; an employer's own role needs its overlay (--overlay DIR)"
    return f"unknown role {value!r}{did_you_mean(value, tailoring.roles)}{hint}"


def _unknown_code(value: str, tailoring: Tailoring, labels: dict[str, str]) -> str:
    if not value:
        return "empty competency"
    if value in tailoring.removed:
        return f"competency {value} is removed by the overlay ({tailoring.removed[value].where}): it cannot be assessed here"
    return f"unknown competency {value!r}{did_you_mean(value, tailoring.competencies, labels)}"


def _bad_level(value: str) -> str:
    return (f"level {value!r} is not an ability level: 1 (Learning), 2 (Performing), 3 (Enhancing) or 4 (Leading)"
            if value else "empty level")


def _day(value: str) -> int | str:
    if not DATE.match(value):
        return f"malformed date {value!r}: write it as YYYY-MM-DD (e.g. 2024-03-31)"
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        return f"malformed date {value!r}: no such day"
