"""Competency gaps: what each person's role needs, against their latest assessment.

For each competency a person's role needs: the required level, the assessed level and the shortfall
(required - assessed, never below 0). A requirement the framework leaves unresolved is "unknown",
with the cell's raw text: it is never counted as a gap or as met. A competency with no assessment is
"not assessed": not a gap either, and said so. Team views count, per competency, how many people are
below target and by how much.

Everyone's gaps come from one vectorised pass: the roles x competencies grid of required levels (from
the tailoring, read from the store) indexed by each person's role, against the people x competencies
grid of assessed levels (from the staff file). No query per person.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ccgraph.errors import CcgraphError
from ccgraph.workbench.places import did_you_mean
from ccgraph.workbench.staff import Staff
from ccgraph.workbench.tailoring import Tailoring

UNKNOWN = -1  # in the requirement grid: the cell is unresolved


def requirement_grid(tailoring: Tailoring) -> np.ndarray:
    """(roles, competencies) int8: the required level, UNKNOWN for an unresolved cell, 0 where not required."""
    codes = {code: i for i, code in enumerate(tailoring.competencies)}
    grid = np.zeros((len(tailoring.roles), len(codes)), dtype=np.int8)
    for r, role in enumerate(tailoring.roles):
        for code, requirement in tailoring.profile(role).items():
            if code in codes:
                grid[r, codes[code]] = requirement.level if requirement.known else UNKNOWN
    return grid


@dataclass(frozen=True)
class Item:
    """One competency of one person."""

    code: str
    title: str
    outcome: str  # gap | meets | unknown | not assessed
    required: int | None
    assessed: int | None
    shortfall: int | None
    requirement: object  # tailoring.Requirement: status, raw text, where the target came from
    assessment: dict = field(default_factory=dict)  # date, assessor, evidence

    def as_dict(self) -> dict:
        r = self.requirement
        found = {"competency": self.code, "title": self.title, "outcome": self.outcome, "required_level": self.required,
                 "requirement_status": r.status, "requirement_from": r.origin, "assessed_level": self.assessed,
                 "shortfall": self.shortfall}
        if r.status != "certain":
            found["requirement_raw_text"] = r.raw  # as printed ('' where nothing legible was)
            found["requirement_note"] = r.note
        if r.origin != "published" and r.where:
            found["requirement_where"] = r.where
        found.update({f"assessment_{k}": v for k, v in self.assessment.items()})
        return found


@dataclass(frozen=True)
class PersonGaps:
    person: str
    role: str
    team: str | None
    items: tuple[Item, ...]

    def outcome(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.outcome == kind]

    def as_dict(self) -> dict:
        counts = Counter(item.outcome for item in self.items)
        found = {"person": self.person, "role": self.role}
        if self.team is not None:
            found["team"] = self.team
        found.update({"gaps": counts["gap"], "meets": counts["meets"], "unknown": counts["unknown"],
                      "not_assessed": counts["not assessed"], "competencies": [item.as_dict() for item in self.items]})
        return found


@dataclass(frozen=True)
class CompetencySummary:
    code: str
    title: str
    needing: int  # people whose role needs it
    assessed: int
    meets: int
    below: int
    shortfall_total: int
    shortfall_max: int
    unknown: int  # people for whom the requirement is unresolved
    not_assessed: int

    @property
    def shortfall_mean(self) -> float:
        return round(self.shortfall_total / self.below, 2) if self.below else 0.0

    def as_dict(self) -> dict:
        return {"competency": self.code, "title": self.title, "people_needing": self.needing, "assessed": self.assessed,
                "meets": self.meets, "below_target": self.below, "shortfall_total": self.shortfall_total,
                "shortfall_mean": self.shortfall_mean, "shortfall_max": self.shortfall_max,
                "requirement_unknown": self.unknown, "not_assessed": self.not_assessed}


@dataclass(frozen=True)
class TeamSummary:
    column: str  # what the team is grouped by (role, team, ...; "all" for everyone)
    value: str
    people: int
    competencies: tuple[CompetencySummary, ...]
    rows: np.ndarray = field(default=None, repr=False, compare=False)  # the team's rows of the report's grid

    @property
    def below(self) -> int:
        return sum(c.below for c in self.competencies)

    def as_dict(self) -> dict:
        return {"grouped_by": self.column, "value": self.value, "people": self.people, "gaps": self.below,
                "competencies": [c.as_dict() for c in self.competencies]}


@dataclass(frozen=True)
class Grid:
    """The whole selection at once: one row per person, one column per competency."""

    people: np.ndarray  # person indices into staff.people
    roles: np.ndarray  # per row: the role (index into the tailoring's roles) whose profile is measured against
    required: np.ndarray  # int8, UNKNOWN where unresolved, 0 where not needed
    assessed: np.ndarray  # int8, 0 = not assessed
    shortfall: np.ndarray  # int8, 0 where none or not computable

    @property
    def needed(self) -> np.ndarray:
        return self.required != 0

    @property
    def unknown(self) -> np.ndarray:
        return self.required == UNKNOWN

    @property
    def not_assessed(self) -> np.ndarray:
        return (self.required > 0) & (self.assessed == 0)

    @property
    def below(self) -> np.ndarray:
        return self.shortfall > 0

    @property
    def meets(self) -> np.ndarray:
        return (self.required > 0) & (self.assessed > 0) & (self.shortfall == 0)


def compute(tailoring: Tailoring, staff: Staff, people: np.ndarray | None = None, roles: np.ndarray | None = None,
            requirements: np.ndarray | None = None) -> Grid:
    """Required, assessed and shortfall for the given people (all by default), in one vectorised pass.

    roles: the role each person is measured against (default: their own).
    """
    if people is None:
        people = np.arange(len(staff.people))
    roles = staff.person_role[people] if roles is None else roles
    grid = requirement_grid(tailoring) if requirements is None else requirements
    required = grid[roles]
    assessed = staff.level[people]
    rated = (required > 0) & (assessed > 0)
    shortfall = np.where(rated, np.maximum(required - assessed, 0), 0).astype(np.int8)
    return Grid(people, roles, required, assessed, shortfall)


@dataclass
class GapReport:
    tailoring: Tailoring
    staff: Staff
    grid: Grid
    teams: list[TeamSummary]  # aggregates (none for one person)
    selection: str  # what was asked for, in words
    team_by: str | None = None
    _people: list[PersonGaps] | None = field(default=None, repr=False)

    @property
    def people(self) -> list[PersonGaps]:
        """Per person, for the selection: made when first asked for (the grid already holds every answer)."""
        if self._people is None:
            values = self.staff.attribute(self.team_by) if self.team_by else None
            self._people = [person_gaps(self.tailoring, self.staff, self.grid, i, values) for i in range(len(self.grid.people))]
        return self._people

    def rows(self) -> dict[str, np.ndarray]:
        """Every (person, competency needed) of the selection as columns, in one vectorised pass."""
        grid, staff, tailoring = self.grid, self.staff, self.tailoring
        r, c = np.nonzero(grid.needed)
        required, assessed, shortfall = grid.required[r, c], grid.assessed[r, c], grid.shortfall[r, c]
        outcome = np.where(required < 0, "unknown", np.where(assessed == 0, "not assessed", np.where(shortfall > 0, "gap", "meets")))
        roles = list(tailoring.roles)
        status = np.full((len(roles), len(staff.codes)), "", dtype=object)
        origin, raw = status.copy(), status.copy()
        for i, role in enumerate(roles):
            for j, code in enumerate(staff.codes):
                requirement = tailoring.profile(role).get(code)
                if requirement is not None:
                    status[i, j], origin[i, j], raw[i, j] = requirement.status, requirement.origin, requirement.raw
        person = grid.people[r]
        latest = staff.latest[person, c]
        dates = np.array(staff.dates.values + [""], dtype=object)[np.where(latest >= 0, staff.dates.codes[np.maximum(latest, 0)], -1)]
        team = (np.array(staff.attribute(self.team_by), dtype=object)[person] if self.team_by
                else np.full(len(r), "", dtype=object))
        return {"person": np.array(staff.people, dtype=object)[person], "role": np.array(roles, dtype=object)[grid.roles[r]],
                "team": team, "competency": np.array(staff.codes, dtype=object)[c],
                "title": np.array([tailoring.competencies[code].title for code in staff.codes], dtype=object)[c],
                "outcome": outcome, "required_level": np.where(required > 0, required, 0),
                "requirement_status": status[grid.roles[r], c], "requirement_from": origin[grid.roles[r], c],
                "requirement_raw_text": raw[grid.roles[r], c], "assessed_level": assessed, "assessment_date": dates,
                "shortfall": shortfall}

    def as_dict(self) -> dict:
        found = {"selection": self.selection, "staff_file": str(self.staff.path), "people": len(self.people),
                 "framework": self.tailoring.overlay.label if self.tailoring.overlay else "published framework",
                 "teams": [t.as_dict() for t in self.teams], "persons": [p.as_dict() for p in self.people]}
        return found


def report(tailoring: Tailoring, staff: Staff, person: str | None = None, role: str | None = None,
           team_by: str | None = None, per_person: bool = True) -> GapReport:
    """Gaps of one person, of everyone in a role, of every team (--team-by), or of everyone."""
    if sum(x is not None for x in (person, role, team_by)) > 1:
        raise CcgraphError("give at most one of --person, --role, --team-by")
    groups: list[tuple[str, str, np.ndarray]] = []
    if person is not None:
        people = np.array([staff.person(person)])
        selection = f"person {person}"
    elif role is not None:
        if role not in tailoring.roles:
            raise CcgraphError(f"--role: unknown role {role!r}{did_you_mean(role, tailoring.roles)}")
        people = np.flatnonzero(staff.person_role == list(tailoring.roles).index(role))
        selection = f"role {role}"
        groups.append(("role", role, np.arange(len(people))))
    else:
        people = np.arange(len(staff.people))
        selection = "everyone"
        if team_by is not None:
            values = staff.attribute(team_by)
            by_value: dict[str, list[int]] = {}
            for i, value in enumerate(values):
                by_value.setdefault(value, []).append(i)
            groups.extend((team_by, value, np.array(members)) for value, members in sorted(by_value.items()))
            selection = f"everyone, by {team_by}"
        else:
            groups.append(("all", "everyone", np.arange(len(people))))
    grid = compute(tailoring, staff, people)
    teams = [summarise(tailoring, grid, column, value, rows) for column, value, rows in groups]
    report = GapReport(tailoring, staff, grid, teams, selection, team_by)
    if per_person:
        report.people  # noqa: B018 (made now rather than on first use)
    return report


def person_gaps(tailoring: Tailoring, staff: Staff, grid: Grid, row: int, team_values: list[str] | None = None) -> PersonGaps:
    p = int(grid.people[row])
    role = staff.roles[grid.roles[row]]
    profile = tailoring.profile(role)
    codes = staff.codes
    items = []
    for c in np.flatnonzero(grid.required[row]):
        code = codes[c]
        requirement = profile[code]
        assessed = int(grid.assessed[row, c]) or None
        detail = staff.detail(int(staff.latest[p, c])) if assessed else {}
        if not requirement.known:
            outcome, shortfall = "unknown", None
        elif assessed is None:
            outcome, shortfall = "not assessed", None
        else:
            shortfall = int(grid.shortfall[row, c])
            outcome = "gap" if shortfall else "meets"
        items.append(Item(code, tailoring.competencies[code].title, outcome, requirement.level, assessed, shortfall, requirement, detail))
    return PersonGaps(staff.people[p], role, team_values[p] if team_values else None, tuple(items))


def summarise(tailoring: Tailoring, grid: Grid, column: str, value: str, rows: np.ndarray) -> TeamSummary:
    """Per competency: who needs it, who is below target and by how much, who is unknown or unassessed."""
    needed = grid.needed[rows]
    below = grid.below[rows]
    shortfall = grid.shortfall[rows].astype(np.int64)
    counts = {
        "needing": needed.sum(axis=0), "assessed": ((grid.assessed[rows] > 0) & (grid.required[rows] > 0)).sum(axis=0),
        "meets": grid.meets[rows].sum(axis=0), "below": below.sum(axis=0), "total": shortfall.sum(axis=0),
        "max": shortfall.max(axis=0, initial=0), "unknown": grid.unknown[rows].sum(axis=0),
        "not_assessed": grid.not_assessed[rows].sum(axis=0),
    }
    summaries = []
    for c, code in enumerate(tailoring.competencies):
        if counts["needing"][c]:
            summaries.append(CompetencySummary(code, tailoring.competencies[code].title, *(int(counts[k][c]) for k in
                                               ("needing", "assessed", "meets", "below", "total", "max", "unknown", "not_assessed"))))
    return TeamSummary(column, value, len(rows), tuple(summaries), rows)
