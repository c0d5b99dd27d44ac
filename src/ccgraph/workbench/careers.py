"""Career steps: the roles next to a role, or closest to a person, ranked by the size of the step.

Computed from the role x competency matrix (and the employer's roles, with an overlay): the
framework prints roles and their profiles, not career paths, so every answer here is labelled as
computed. A step to another role is measured by the competencies it needs that the current role
does not (new), the levels that rise, and the cells that cannot be compared because one of them is
unresolved (unknown: counted apart, never as a rise or as no change); only roles that need something
new or higher are next roles. For a person, those next roles are ranked by the person's own shortfall
against each profile, with the training plan for the closest step.
"""

from dataclasses import dataclass

import numpy as np

from ccgraph.errors import CcgraphError
from ccgraph.workbench.gaps import GapReport, compute, requirement_grid
from ccgraph.workbench.places import did_you_mean
from ccgraph.workbench.staff import Staff
from ccgraph.workbench.tailoring import Tailoring

COMPUTED = ("Computed from the role x competency matrix (the framework prints role profiles, not career paths): "
            "not a statement of the framework.")


@dataclass(frozen=True)
class Step:
    role: str
    kind: str  # generic | employer
    new: tuple[tuple[str, int], ...]  # competencies the role needs that the current one does not, with their level
    rising: tuple[tuple[str, int, int], ...]  # (code, current level, new level)
    unknown: tuple[tuple[str, str], ...]  # (code, why): a cell of either role is unresolved
    falling: int

    @property
    def size(self) -> int:
        """New competencies, each at its level, plus every level a shared competency rises by."""
        return sum(level for _, level in self.new) + sum(to - frm for _, frm, to in self.rising)

    def as_dict(self) -> dict:
        return {"role": self.role, "kind": self.kind, "step_size": self.size,
                "new": [{"competency": c, "level": level} for c, level in self.new],
                "rising": [{"competency": c, "from": a, "to": b} for c, a, b in self.rising],
                "unknown": [{"competency": c, "why": why} for c, why in self.unknown], "falling": self.falling}


def _role(tailoring: Tailoring, name: str) -> str:
    if name not in tailoring.roles:
        raise CcgraphError(f"--role: unknown role {name!r}{did_you_mean(name, tailoring.roles)}")
    return name


def step(tailoring: Tailoring, current: str, target: str) -> Step:
    mine, theirs = tailoring.profile(current), tailoring.profile(target)
    new, rising, unknown, falling = [], [], [], 0
    for code, wanted in theirs.items():
        have = mine.get(code)
        if not wanted.known:
            unknown.append((code, f"{target}'s cell is unresolved ({wanted.printed})"))
        elif have is None:
            new.append((code, wanted.level))
        elif not have.known:
            unknown.append((code, f"{current}'s cell is unresolved ({have.printed})"))
        elif wanted.level > have.level:
            rising.append((code, have.level, wanted.level))
        elif wanted.level < have.level:
            falling += 1
    return Step(target, tailoring.roles[target].kind, tuple(new), tuple(rising), tuple(unknown), falling)


def next_roles(tailoring: Tailoring, role: str) -> list[Step]:
    """The roles a step up from `role` (something new or higher), smallest step first."""
    role = _role(tailoring, role)
    position = {name: i for i, name in enumerate(tailoring.roles)}
    steps = [step(tailoring, role, other) for other in tailoring.roles if other != role]
    ahead = [s for s in steps if s.new or s.rising]
    return sorted(ahead, key=lambda s: (s.size, len(s.unknown), position[s.role]))


@dataclass(frozen=True)
class Closeness:
    role: str
    kind: str
    shortfall: int  # levels short, over the competencies assessed
    gaps: int
    not_assessed: int
    unknown: int
    meets: int

    def as_dict(self) -> dict:
        return {"role": self.role, "kind": self.kind, "shortfall": self.shortfall, "gaps": self.gaps, "meets": self.meets,
                "not_assessed": self.not_assessed, "requirement_unknown": self.unknown}


def closest_roles(tailoring: Tailoring, staff: Staff, person: str) -> tuple[str, list[Closeness]]:
    """The person's role, and the roles a step up from it ranked by how far the person's assessments fall short."""
    p = staff.person(person)
    own = staff.roles[staff.person_role[p]]
    ahead = {s.role for s in next_roles(tailoring, own)}
    grid = requirement_grid(tailoring)
    assessed = staff.level[p]
    ranked = []
    for r, role in enumerate(tailoring.roles):
        if role not in ahead:
            continue
        required = grid[r]
        rated = (required > 0) & (assessed > 0)
        short = np.where(rated, np.maximum(required - assessed, 0), 0)
        ranked.append(Closeness(role, tailoring.roles[role].kind, int(short.sum()), int((short > 0).sum()),
                                int(((required > 0) & (assessed == 0)).sum()), int((required < 0).sum()),
                                int((rated & (short == 0)).sum())))
    position = {name: i for i, name in enumerate(tailoring.roles)}
    ranked.sort(key=lambda c: (c.shortfall, c.not_assessed, c.unknown, position[c.role]))
    return own, ranked


def step_report(tailoring: Tailoring, staff: Staff, person: str, role: str) -> GapReport:
    """The person's gaps against another role's profile, as a gap report (for a training plan)."""
    role = _role(tailoring, role)
    people = np.array([staff.person(person)])
    roles = np.array([list(tailoring.roles).index(role)])
    return GapReport(tailoring, staff, compute(tailoring, staff, people, roles), [], f"person {person}, step to {role}")
