"""A training plan: the fewest credits (or guided learning hours) of units that close the gaps.

From the gaps, each competency's curated mappings to units (data/mappings/competency-unit-nos, with
predicate, confidence and justification) give the units that address it; a unit counts for a gap
only at a level that fits the required ability level (levels.fits: section 1.3, inferred steps
labelled as inferred). The smallest set of units covering every gap that some unit can cover is then
found by scipy's MILP solver (HiGHS), as checks.plans does for rules of combination: optionally also
completing a qualification under its rules (barred pairs included), with units already held counted
at no cost. Every unit says which gaps it closes and why its mapping holds; every gap no unit
closes is listed with the reason.
"""

from dataclasses import dataclass, field

import numpy as np

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.workbench.gaps import GapReport, Grid
from ccgraph.workbench.levels import Fit, fits
from ccgraph.workbench.places import did_you_mean

SSSOM = "https://w3id.org/sssom/"
MAPPINGS = f"""
SELECT ?code ?unit ?predicate ?confidence ?comment ?mapping WHERE {{
  ?mapping a ccg:Mapping ; owl:annotatedSource ?competency ; owl:annotatedProperty ?predicate ; owl:annotatedTarget ?unit .
  ?competency skos:notation ?code .
  ?unit a ccg:Unit .
  OPTIONAL {{ ?mapping <{SSSOM}confidence> ?confidence }}
  OPTIONAL {{ ?mapping rdfs:comment ?comment }}
}}
"""

NO_MATCH = f"""
SELECT ?code ?comment WHERE {{
  ?mapping a ccg:Mapping ; owl:annotatedSource ?competency ; owl:annotatedTarget <{SSSOM}NoTermFound> .
  ?competency skos:notation ?code .
  OPTIONAL {{ ?mapping rdfs:comment ?comment }}
}}
"""

UNITS = """
SELECT ?unit (MIN(?n) AS ?code) (MIN(?t) AS ?title) (MIN(?l) AS ?level) (MIN(?c) AS ?credits) (MIN(?h) AS ?glh) WHERE {
  ?unit a ccg:Unit ; skos:notation ?n .
  FILTER EXISTS { ?unit ccg:creditValue ?anyCredit }
  OPTIONAL { ?unit skos:prefLabel ?t }
  OPTIONAL { ?unit ccg:level ?l }
  OPTIONAL { ?unit ccg:creditValue ?c }
  OPTIONAL { ?unit ccg:guidedLearningHours ?h }
} GROUP BY ?unit
"""

MEASURES = ("credits", "glh")


@dataclass(frozen=True)
class Unit:
    iri: str
    code: str
    title: str
    level: int | None
    credits: int | None
    glh: int | None

    def cost(self, by: str) -> int | None:
        return self.credits if by == "credits" else self.glh


@dataclass(frozen=True)
class Mapping:
    code: str
    unit: str  # unit IRI
    predicate: str  # skos:closeMatch, ...
    confidence: float | None
    justification: str
    iri: str


@dataclass(frozen=True)
class Gap:
    """One competency at one required level, and who falls short of it."""

    code: str
    title: str
    required: int
    people: tuple[tuple[str, int, int], ...]  # (person, assessed level, shortfall)

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.required)

    def as_dict(self) -> dict:
        return {"competency": self.code, "title": self.title, "required_level": self.required,
                "people": [{"person": p, "assessed_level": a, "shortfall": s} for p, a, s in self.people]}


@dataclass(frozen=True)
class Closure:
    """Why a unit closes a gap: the curated mapping, and the level fit it relies on."""

    gap: Gap
    mapping: Mapping
    fit: Fit

    def as_dict(self) -> dict:
        return {"competency": self.gap.code, "required_level": self.gap.required, "people": [p for p, _, _ in self.gap.people],
                "mapping": self.mapping.iri, "predicate": self.mapping.predicate, "confidence": self.mapping.confidence,
                "justification": self.mapping.justification, "level_fit": self.fit.reading, "level_fit_inferred": self.fit.inferred}


@dataclass(frozen=True)
class PlannedUnit:
    unit: Unit
    held: bool
    closes: tuple[Closure, ...]
    in_qualification: bool

    def as_dict(self, by: str) -> dict:
        u = self.unit
        return {"unit": u.code, "title": u.title, "iri": u.iri, "level": u.level, "credits": u.credits, "glh": u.glh,
                "held": self.held, "counts_towards_qualification": self.in_qualification,
                "closes": [c.as_dict() for c in self.closes]}


@dataclass(frozen=True)
class Uncovered:
    gap: Gap
    reason: str

    def as_dict(self) -> dict:
        return {**self.gap.as_dict(), "reason": self.reason}


@dataclass
class TrainingPlan:
    selection: str
    by: str
    min_confidence: float
    units: list[PlannedUnit]  # in the plan (held ones included, marked)
    uncovered: list[Uncovered]
    covered: list[Gap]
    unknown: dict[str, tuple[str, int]]  # code -> (raw text, people): requirement unresolved, so no gap is known
    not_assessed: dict[str, int]  # code -> people
    qualification: object | None = None  # checks.plans.Qualification
    qualification_report: object | None = None  # checks.plans.PlanReport of the plan's units, when one is asked for
    feasible: bool = True
    note: str = ""
    fits: dict = field(default_factory=dict)

    @property
    def to_take(self) -> list[PlannedUnit]:
        return [u for u in self.units if not u.held]

    @property
    def cost(self) -> int:
        return sum(u.unit.cost(self.by) or 0 for u in self.to_take)

    def as_dict(self) -> dict:
        found = {"selection": self.selection, "minimise": self.by, "min_confidence": self.min_confidence,
                 "feasible": self.feasible, "total": self.cost, "units": [u.as_dict(self.by) for u in self.units],
                 "gaps_covered": [g.as_dict() for g in self.covered],
                 "gaps_no_unit_addresses": [u.as_dict() for u in self.uncovered],
                 "requirement_unknown": [{"competency": c, "cell": raw, "people": n} for c, (raw, n) in self.unknown.items()],
                 "not_assessed": [{"competency": c, "people": n} for c, n in self.not_assessed.items()],
                 "level_correspondence": {str(a): [f.reading for f in fs] for a, fs in self.fits.items()}}
        if self.note:
            found["note"] = self.note
        if self.qualification is not None:
            report = self.qualification_report
            found["qualification"] = {"code": self.qualification.notation, "title": self.qualification.title,
                                      "achieved": bool(report and report.achieved),
                                      "check": report.as_dict() if report is not None else None}
        return found


# ---------------------------------------------------------------- reading the graph


@dataclass(frozen=True)
class Catalogue:
    units: dict[str, Unit]  # by IRI
    mappings: dict[str, list[Mapping]]  # by competency code
    no_match: dict[str, str]  # competency code -> why no counterpart (curators' comment)
    fits: dict[int, tuple[Fit, ...]]


def catalogue(store: Store) -> Catalogue:
    def num(value):
        return None if value is None else int(value)

    units = {iri: Unit(iri, str(code), str(title or ""), num(level), num(credits), num(glh))
             for iri, code, title, level, credits, glh in store.select(UNITS, where="training units").values()}
    mappings: dict[str, list[Mapping]] = {}
    for code, unit, predicate, confidence, comment, iri in sorted(store.select(MAPPINGS, where="training mappings").values(),
                                                                   key=lambda r: (str(r[0]), str(r[1]), str(r[2]))):
        if unit in units:
            short = "skos:" + predicate.rsplit("#", 1)[-1] if predicate.startswith("http://www.w3.org/2004/02/skos/core#") else predicate
            mappings.setdefault(str(code), []).append(Mapping(str(code), unit, short, None if confidence is None else float(confidence),
                                                              str(comment or ""), iri))
    no_match = {}
    for code, comment in store.select(NO_MATCH, where="training mappings").values():
        no_match[str(code)] = (no_match.get(str(code), "") + " " + str(comment or "")).strip()
    return Catalogue(units, mappings, no_match, fits(store))


# ---------------------------------------------------------------- the gaps to close


def gaps_of(report: GapReport, rows: np.ndarray | None = None) -> tuple[list[Gap], dict[str, tuple[str, int]], dict[str, int]]:
    """The selection's gaps by (competency, required level), and its unknown and unassessed counts."""
    grid: Grid = report.grid
    staff, tailoring = report.staff, report.tailoring
    rows = np.arange(len(grid.people)) if rows is None else rows
    by_key: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    below = grid.below[rows]
    for r, c in zip(*np.nonzero(below)):
        row = rows[r]
        key = (staff.codes[c], int(grid.required[row, c]))
        by_key.setdefault(key, []).append((staff.people[grid.people[row]], int(grid.assessed[row, c]), int(grid.shortfall[row, c])))
    order = {code: i for i, code in enumerate(tailoring.competencies)}
    gaps = [Gap(code, tailoring.competencies[code].title, level, tuple(people))
            for (code, level), people in sorted(by_key.items(), key=lambda item: (order[item[0][0]], item[0][1]))]
    unknown: dict[str, tuple[str, int]] = {}
    counts = grid.unknown[rows].sum(axis=0)
    roles = {int(grid.roles[row]) for row in rows}
    for c in np.flatnonzero(counts):
        code = staff.codes[c]
        raws = sorted({tailoring.profile(staff.roles[r])[code].printed for r in roles
                       if code in tailoring.profile(staff.roles[r]) and not tailoring.profile(staff.roles[r])[code].known})
        unknown[code] = ("; ".join(raws), int(counts[c]))
    missing = grid.not_assessed[rows].sum(axis=0)
    not_assessed = {staff.codes[c]: int(missing[c]) for c in np.flatnonzero(missing)}
    return gaps, unknown, not_assessed


# ---------------------------------------------------------------- the plan


def plan(report: GapReport, store: Store, *, rows: np.ndarray | None = None, min_confidence: float = 0.0,
         qualification: str | None = None, held: tuple[str, ...] = (), by: str = "credits", selection: str | None = None,
         found: Catalogue | None = None) -> TrainingPlan:
    if by not in MEASURES:
        raise CcgraphError(f"--by {by!r}: minimise credits or glh")
    if not 0.0 <= min_confidence <= 1.0:
        raise CcgraphError(f"--min-confidence {min_confidence}: a confidence is between 0 and 1")
    found = found or catalogue(store)
    gaps, unknown, not_assessed = gaps_of(report, rows)
    target = None
    if qualification is not None:
        from ccgraph.checks import plans

        target = plans.load(store, qualification)
    held_iris = _held(held, found, target)

    cover: dict[tuple[str, int], list[Closure]] = {}
    uncovered = []
    for gap in gaps:
        closures, reason = _closures(gap, found, min_confidence, by)
        if closures:
            cover[gap.key] = closures
        else:
            uncovered.append(Uncovered(gap, reason))
    candidates = {c.mapping.unit for closures in cover.values() for c in closures}
    chosen, feasible, note = _solve(found, cover, candidates, target, held_iris, by)
    if not feasible and target is not None:
        # Say why, and still close the gaps: the same plan without the qualification.
        chosen, _, _ = _solve(found, cover, candidates, None, held_iris, by)
    units = []
    qualification_iris = {u.iri for u in target.units.values()} if target else set()
    for iri in sorted(chosen, key=lambda i: _natural(found.units[i].code)):
        closes = tuple(c for closures in cover.values() for c in closures if c.mapping.unit == iri)
        units.append(PlannedUnit(found.units[iri], iri in held_iris, closes, iri in qualification_iris))
    report_q = None
    if target is not None:
        from ccgraph.checks import plans

        report_q = plans.check(target, [u.unit.code for u in units if u.unit.iri in qualification_iris])
    covered = [g for g in gaps if g.key in cover]
    return TrainingPlan(selection or report.selection, by, min_confidence, units, uncovered, covered, unknown, not_assessed,
                        target, report_q, feasible, note, found.fits)


def _natural(code: str):
    return (0, int(code)) if code.isdigit() else (1, code)


def _held(held: tuple[str, ...], found: Catalogue, target) -> set[str]:
    by_code: dict[str, list[str]] = {}
    for iri, unit in found.units.items():
        by_code.setdefault(unit.code, []).append(iri)
    iris = set()
    for code in (c.strip() for c in held if c.strip()):
        if target is not None and code in target.units:
            iris.add(target.units[code].iri)
        elif len(by_code.get(code, [])) == 1:
            iris.add(by_code[code][0])
        elif code in by_code:
            raise CcgraphError(f"--held: unit number {code} names {len(by_code[code])} units: give --qualification to say which")
        else:
            raise CcgraphError(f"--held: unknown unit {code!r}{did_you_mean(code, sorted(by_code, key=_natural))}")
    return iris


def _closures(gap: Gap, found: Catalogue, min_confidence: float, by: str) -> tuple[list[Closure], str]:
    """The mappings that let a unit close this gap, or why there are none."""
    mappings = found.mappings.get(gap.code, [])
    fitting = {f.nos: f for f in found.fits.get(gap.required, ())}
    if not mappings:
        why = found.no_match.get(gap.code)
        return [], ("no curated mapping to a unit" + (f"; curators found no counterpart: {why}" if why else ""))
    confident = [m for m in mappings if (m.confidence or 0.0) >= min_confidence]
    if not confident:
        return [], (f"its {len(mappings)} mapping(s) to units are below confidence {min_confidence} "
                    f"(highest {max(m.confidence or 0.0 for m in mappings)})")
    at_level = [m for m in confident if found.units[m.unit].level in fitting]
    if not at_level:
        levels = sorted({found.units[m.unit].level for m in confident if found.units[m.unit].level is not None})
        wanted = "/".join(str(n) for n in sorted(fitting)) or "none stated"
        return [], (f"no mapped unit at a level that fits ability level {gap.required} (NOS level {wanted}); "
                    f"the mapped units are at level {', '.join(map(str, levels)) or 'unknown'}")
    costed = [m for m in at_level if found.units[m.unit].cost(by) is not None]
    if not costed:
        return [], f"the units that fit have no {by} value in the graph"
    return [Closure(gap, m, fitting[found.units[m.unit].level]) for m in costed], ""


def _solve(found: Catalogue, cover, candidates: set[str], target, held: set[str], by: str) -> tuple[set[str], bool, str]:
    """The cheapest set of units covering every coverable gap (and completing target, if given)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    in_target = {u.iri: u for u in target.units.values()} if target is not None else {}
    variables = sorted(candidates | held | set(in_target))
    if not variables:
        return set(), True, ""
    index = {iri: i for i, iri in enumerate(variables)}

    def unit_cost(iri: str) -> float | None:
        unit = found.units.get(iri)
        return None if unit is None else unit.cost(by)

    epsilon = 1.0 / (len(variables) + 1)  # among equal totals, fewest units
    cost = np.array([0.0 if iri in held else (unit_cost(iri) or 0.0) + epsilon for iri in variables])
    lower = np.array([1.0 if iri in held else 0.0 for iri in variables])
    upper = np.ones(len(variables))
    rows, lo, hi = [], [], []

    def constrain(coefficients, low, high):
        rows.append(coefficients)
        lo.append(low)
        hi.append(high)

    for closures in cover.values():
        row = np.zeros(len(variables))
        for closure in closures:
            row[index[closure.mapping.unit]] = 1
        constrain(row, 1, np.inf)
    for iri in variables:  # a unit whose cost is unknown cannot be planned (held units cost nothing)
        if iri not in held and unit_cost(iri) is None:
            upper[index[iri]] = 0
    if target is not None:
        plan_units = {u.iri: u for u in target.units.values()}
        credit = np.array([float(plan_units[i].credits or 0) if i in plan_units else 0.0 for i in variables])
        for rule in target.rules:
            mask = np.array([1.0 if i in plan_units and rule.counts(plan_units[i]) else 0.0 for i in variables])
            if rule.all_required:
                for code in rule.scope:
                    lower[index[target.units[code].iri]] = 1
            if rule.minimum_credits is not None or rule.maximum_credits is not None:
                constrain(mask * credit, target.required_credits(rule) if rule.minimum_credits is not None else -np.inf,
                          rule.maximum_credits if rule.maximum_credits is not None else np.inf)
            if rule.minimum_units is not None or rule.maximum_units is not None:
                constrain(mask, rule.minimum_units if rule.minimum_units is not None else -np.inf,
                          rule.maximum_units if rule.maximum_units is not None else np.inf)
        for first, second in target.barred:
            if first in target.units and second in target.units:
                row = np.zeros(len(variables))
                row[index[target.units[first].iri]] = row[index[target.units[second].iri]] = 1
                constrain(row, -np.inf, 1)
        for unit in target.units.values():
            if unit.credits is None and unit.iri not in held:  # as checks.plans: a unit of unknown credit cannot be shown to count
                upper[index[unit.iri]] = 0
    if np.any(lower > upper):
        return set(), False, "a unit that must be in the plan has no known cost or credit value"
    constraints = [LinearConstraint(np.array(rows), np.array(lo), np.array(hi))] if rows else []
    result = milp(cost, integrality=np.ones(len(variables)), bounds=Bounds(lower, upper), constraints=constraints)
    if result.status != 0 or result.x is None:
        what = f"complete {target.notation} while closing the gaps" if target is not None else "close the gaps"
        return set(), False, f"no set of units can {what} with the units held ({result.message})"
    return {variables[i] for i, v in enumerate(result.x) if v > 0.5}, True, ""
