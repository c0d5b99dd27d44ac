"""Rules of combination, read from the graph: is a learner's set of units a valid plan for a qualification?

Every rule is data (ccg:CombinationRule): a scope (groups, named units, or the whole qualification;
optionally only units at or above / at exactly a level) and bounds on credits or number of units.
Nothing here is written per qualification. The same rules, as linear constraints over "unit taken"
variables, let a MILP solver (scipy's HiGHS) find the smallest valid plans or prove there is none.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store


@dataclass(frozen=True)
class PlanUnit:
    iri: str
    notation: str
    title: str
    level: int | None
    credits: int | None
    figures_from: str | None = None  # the exactly matching unit whose level and credits were used


@dataclass(frozen=True)
class Rule:
    iri: str
    text: str
    scope: frozenset[str]  # unit notations the rule counts, before any level filter
    whole_qualification: bool
    minimum_level: int | None = None
    exact_level: int | None = None
    minimum_credits: int | None = None
    maximum_credits: int | None = None
    minimum_units: int | None = None
    maximum_units: int | None = None
    all_required: bool = False
    in_addition_to: tuple[str, ...] = ()
    named_but_missing: tuple[str, ...] = ()  # unit numbers the rule names that the qualification lacks
    groups: tuple[str, ...] = ()  # group notations of its scope, for messages
    named_units: tuple[str, ...] = ()  # unit numbers it names, as printed

    def counts(self, unit: PlanUnit) -> bool:
        if unit.notation not in self.scope:
            return False
        if self.minimum_level is not None and (unit.level is None or unit.level < self.minimum_level):
            return False
        if self.exact_level is not None and unit.level != self.exact_level:
            return False
        return True


@dataclass(frozen=True)
class Qualification:
    iri: str
    notation: str
    title: str
    units: dict[str, PlanUnit]
    rules: tuple[Rule, ...]
    barred: tuple[tuple[str, str], ...]

    def rule(self, iri: str) -> Rule:
        return next(r for r in self.rules if r.iri == iri)

    def required_credits(self, rule: Rule) -> int:
        """A rule's minimum plus the minimums of the rules it comes in addition to."""
        extra = sum(self.required_credits(self.rule(other)) for other in rule.in_addition_to)
        return (rule.minimum_credits or 0) + extra


@dataclass(frozen=True)
class Failure:
    kind: str  # total-credits | level-credits | group-credits | unit-count | mandatory | barred | not-in-qualification | missing-credit
    message: str
    rule_text: str = ""
    units: tuple[str, ...] = ()


@dataclass
class PlanReport:
    qualification: Qualification
    units: tuple[str, ...]
    credits: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def achieved(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {
            "qualification": self.qualification.notation,
            "units": list(self.units),
            "credits": self.credits,
            "achieved": self.achieved,
            "failures": [{"kind": f.kind, "message": f.message, "rule": f.rule_text, "units": list(f.units)} for f in self.failures],
        }


# ---------------------------------------------------------------- reading the rules from the graph


# Each query reads one kind of fact for the whole qualification at once (?q bound through VALUES).
# MIN picks one value where a property could repeat; DISTINCT / GROUP BY keep a triple held in two
# named graphs (shown twice by the union default graph) from counting twice.

FIND = """
SELECT ?q (MIN(?label) AS ?title) WHERE {
  ?q a ccg:Qualification ; skos:notation ?code .
  OPTIONAL { ?q skos:prefLabel ?label }
} GROUP BY ?q
"""

KNOWN = "SELECT DISTINCT ?code WHERE { ?q a ccg:Qualification ; skos:notation ?code } ORDER BY ?code"

UNIT_EXISTS = "ASK { ?unit a ccg:Unit ; skos:notation ?code }"

GROUPS = "SELECT DISTINCT ?group ?unit WHERE { ?q ccg:hasUnitGroup ?group . OPTIONAL { ?group ccg:includesUnit ?unit } }"

# A listing that prints no credits (OCR) takes its level and credits from its one exact match that does.
UNITS = """
SELECT ?unit (MIN(?n) AS ?notation) (MIN(?label) AS ?title) (MIN(?l) AS ?level) (MIN(?c) AS ?credits)
       (GROUP_CONCAT(DISTINCT STR(?match); separator=" ") AS ?matches) WHERE {
  ?q ccg:hasUnitGroup/ccg:includesUnit ?unit .
  OPTIONAL { ?unit skos:notation ?n }
  OPTIONAL { ?unit skos:prefLabel ?label }
  OPTIONAL { ?unit ccg:level ?l }
  OPTIONAL { ?unit ccg:creditValue ?c }
  OPTIONAL { ?unit skos:exactMatch ?match . FILTER EXISTS { ?match ccg:creditValue ?anyCredit } }
} GROUP BY ?unit
"""

MATCHED_FIGURES = """
SELECT ?match (MIN(?l) AS ?level) (MIN(?c) AS ?credits) WHERE {
  ?q ccg:hasUnitGroup/ccg:includesUnit/skos:exactMatch ?match .
  ?match ccg:creditValue ?c .
  OPTIONAL { ?match ccg:level ?l }
} GROUP BY ?match
"""

# Every statement about every rule, with the notation of what it points at (a group, a unit).
RULES = """
SELECT DISTINCT ?rule ?property ?value ?notation WHERE {
  ?q ccg:hasRule ?rule .
  OPTIONAL { ?rule ?property ?value . OPTIONAL { ?value skos:notation ?notation } }
}
"""

BARRED = """
SELECT DISTINCT ?pair ?unit ?notation WHERE {
  ?q ccg:hasBarredPair ?pair .
  ?pair ccg:barredUnit ?unit .
  OPTIONAL { ?unit skos:notation ?notation }
}
"""


def find_qualification(store: Store, notation: str) -> tuple[str, str]:
    """The qualification printed with this code: (IRI, title)."""
    found = store.select(FIND, {"code": ox.Literal(notation)}, where="qualification").values()
    if not found:
        known = [str(code) for code, in store.select(KNOWN, where="qualification").values()]
        raise CcgraphError(f"unknown qualification {notation!r} (known: {', '.join(known) or 'none'})")
    if len(found) > 1:
        raise CcgraphError(f"qualification code {notation!r} names {len(found)} qualifications")
    iri, title = found[0]
    return iri, str(title or notation)


def unit_exists(store: Store, notation: str) -> bool:
    return store.ask(UNIT_EXISTS, {"code": ox.Literal(notation)}, where="unit")


def load(store: Store, notation: str) -> Qualification:
    iri, title = find_qualification(store, notation)
    select = lambda text: store.select(text, {"q": ox.NamedNode(iri)}, where=f"qualification {notation}").values()  # noqa: E731
    figures = {match: (level, credits) for match, level, credits in select(MATCHED_FIGURES)}
    units: dict[str, PlanUnit] = {}
    by_iri: dict[str, str] = {}
    for unit, code, unit_title, level, credits, matches in select(UNITS):
        source = unit
        matches = (matches or "").split()
        if credits is None and len(matches) == 1:
            source = matches[0]
            level, credits = figures[source]
        by_iri[unit] = str(code)
        units[str(code)] = PlanUnit(unit, str(code), str(unit_title or ""), _int(level), _int(credits), None if source == unit else source)
    group_units: dict[str, set[str]] = {}
    for group, unit in select(GROUPS):
        members = group_units.setdefault(group, set())  # a group with no units still scopes its rules (to nothing)
        if unit is not None:
            members.add(by_iri[unit])
    statements: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for rule, prop, value, value_notation in select(RULES):
        facts = statements[rule]  # a rule with no statements is still a rule (over the whole qualification)
        if prop is not None:
            facts[prop].append((value, value_notation))
    rules = tuple(sorted((_rule(rule, facts, units, group_units) for rule, facts in statements.items()), key=lambda r: r.iri))
    pairs: dict[str, dict[str, str]] = defaultdict(dict)
    for pair, unit, code in select(BARRED):
        pairs[pair][unit] = str(code)
    barred = [tuple(sorted(members.values())) for members in pairs.values() if len(members) == 2]
    return Qualification(iri, notation, title, units, rules, tuple(sorted(barred)))


def _int(value) -> int | None:
    return None if value is None else int(value)


def _rule(rule: str, facts: dict[str, list], units: dict[str, PlanUnit], group_units: dict[str, set[str]]) -> Rule:
    def values(name: str) -> list:
        return [value for value, _ in facts.get(str(CCG[name]), [])]

    def one(name: str):
        found = values(name)
        return min(found, key=str) if found else None

    scope: set[str] = set()
    groups = facts.get(str(CCG.scopeGroup), [])
    for group, _ in groups:
        scope |= group_units.get(group, set())
    named = {str(n) for _, n in facts.get(str(CCG.scopeUnit), [])} | {str(n) for n in values("scopeUnitNotation")}
    scope |= named & set(units)
    whole = not groups and not named
    if whole:
        scope = set(units)
    return Rule(
        iri=rule,
        text=str(one("ruleText") or ""),
        scope=frozenset(scope),
        whole_qualification=whole,
        minimum_level=_int(one("minimumUnitLevel")),
        exact_level=_int(one("exactUnitLevel")),
        minimum_credits=_int(one("minimumCredits")),
        maximum_credits=_int(one("maximumCredits")),
        minimum_units=_int(one("minimumUnits")),
        maximum_units=_int(one("maximumUnits")),
        all_required=one("allUnitsRequired") is True,
        in_addition_to=tuple(sorted(values("inAdditionTo"))),
        named_but_missing=tuple(sorted(named - set(units), key=_natural)),
        groups=tuple(sorted(str(n) for _, n in groups)),
        named_units=tuple(sorted(named, key=_natural)),
    )


def _natural(code: str):
    return (0, int(code)) if code.isdigit() else (1, code)


# ---------------------------------------------------------------- checking a plan


def check(qualification: Qualification, unit_notations: list[str]) -> PlanReport:
    taken = list(dict.fromkeys(u.strip() for u in unit_notations if u.strip()))
    report = PlanReport(qualification, tuple(taken), 0)
    outside = [u for u in taken if u not in qualification.units]
    if outside:
        report.failures.append(Failure("not-in-qualification",
                                       f"unit(s) {', '.join(outside)} are not units of {qualification.notation}", units=tuple(outside)))
    inside = [qualification.units[u] for u in taken if u in qualification.units]
    unknown = [u.notation for u in inside if u.credits is None]
    if unknown:
        report.failures.append(Failure("unknown-credit",
                                       f"unit(s) {', '.join(unknown)} have no credit value or level in the graph (no certain match to a unit "
                                       "that prints them), so the credit rules cannot count them", units=tuple(unknown)))
    report.credits = sum(u.credits or 0 for u in inside)
    for rule in qualification.rules:
        report.failures.extend(_check_rule(qualification, rule, inside))
    for first, second in qualification.barred:
        if first in taken and second in taken:
            report.failures.append(Failure("barred", f"units {first} and {second} are barred: a candidate may take either, but not both",
                                           units=(first, second)))
    return report


def _describe_scope(rule: Rule) -> str:
    if rule.whole_qualification:
        where = "all units"
    elif rule.groups:
        where = "Group " + " or ".join(rule.groups)
        if rule.named_units:
            where += " and units " + ", ".join(rule.named_units)
    else:
        where = "units " + ", ".join(rule.named_units)
    if rule.minimum_level is not None:
        where += f" at level {rule.minimum_level} or above"
    if rule.exact_level is not None:
        where += f" at level {rule.exact_level}"
    return where


def _check_rule(qualification: Qualification, rule: Rule, inside: list[PlanUnit]) -> list[Failure]:
    counted = [u for u in inside if rule.counts(u)]
    credits = sum(u.credits or 0 for u in counted)
    kind = "total-credits" if rule.whole_qualification and rule.minimum_level is None and rule.exact_level is None else (
        "level-credits" if rule.whole_qualification else "group-credits")
    failures = []
    if rule.all_required:
        missing = sorted(rule.scope - {u.notation for u in inside}, key=_natural)
        if missing:
            failures.append(Failure("mandatory", f"mandatory unit(s) missing: {', '.join(missing)}", rule.text, tuple(missing)))
    needed = qualification.required_credits(rule) if rule.minimum_credits is not None else None
    if needed is not None and credits < needed:
        extra = f" ({rule.minimum_credits} on top of {needed - rule.minimum_credits} counted by other rules)" if rule.in_addition_to else ""
        failures.append(Failure(kind, f"{credits} credits from {_describe_scope(rule)}; at least {needed} needed{extra}", rule.text,
                                tuple(u.notation for u in counted)))
    if rule.maximum_credits is not None and credits > rule.maximum_credits:
        failures.append(Failure(kind, f"{credits} credits from {_describe_scope(rule)}; at most {rule.maximum_credits} allowed", rule.text,
                                tuple(u.notation for u in counted)))
    if rule.minimum_units is not None and len(counted) < rule.minimum_units:
        failures.append(Failure("unit-count", f"{len(counted)} unit(s) from {_describe_scope(rule)}; at least {rule.minimum_units} needed",
                                rule.text, tuple(u.notation for u in counted)))
    if rule.maximum_units is not None and len(counted) > rule.maximum_units:
        failures.append(Failure("unit-count", f"{len(counted)} units from {_describe_scope(rule)}; no more than {rule.maximum_units} allowed",
                                rule.text, tuple(u.notation for u in counted)))
    return failures


# ---------------------------------------------------------------- smallest plans and achievability


@dataclass(frozen=True)
class Plan:
    units: tuple[str, ...]
    credits: int


def smallest_plans(qualification: Qualification, limit: int = 3) -> list[Plan]:
    """Up to `limit` valid plans with the fewest credits (then fewest units); [] if none exists."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    codes = sorted(qualification.units, key=_natural)
    if not codes:
        return []
    index = {code: i for i, code in enumerate(codes)}
    credit = np.array([qualification.units[c].credits or 0 for c in codes], dtype=float)
    rows, lower, upper = [], [], []

    def constrain(coefficients, lo, hi):
        rows.append(coefficients)
        lower.append(lo)
        upper.append(hi)

    for rule in qualification.rules:
        mask = np.array([1.0 if rule.counts(qualification.units[c]) else 0.0 for c in codes])
        if rule.all_required:
            for code in rule.scope:
                row = np.zeros(len(codes))
                row[index[code]] = 1
                constrain(row, 1, 1)
        if rule.minimum_credits is not None or rule.maximum_credits is not None:
            lo = qualification.required_credits(rule) if rule.minimum_credits is not None else -np.inf
            hi = rule.maximum_credits if rule.maximum_credits is not None else np.inf
            constrain(mask * credit, lo, hi)
        if rule.minimum_units is not None or rule.maximum_units is not None:
            constrain(mask, rule.minimum_units if rule.minimum_units is not None else -np.inf,
                      rule.maximum_units if rule.maximum_units is not None else np.inf)
    for first, second in qualification.barred:
        if first in index and second in index:
            row = np.zeros(len(codes))
            row[index[first]] = row[index[second]] = 1
            constrain(row, -np.inf, 1)

    # A unit whose credits are unknown cannot be shown to count: it is left out of every plan.
    for code in codes:
        if qualification.units[code].credits is None:
            row = np.zeros(len(codes))
            row[index[code]] = 1
            constrain(row, 0, 0)

    # Fewest credits first; among equals, fewest units (a unit weighs less than any credit difference).
    cost = credit + 1.0 / (len(codes) + 1)
    plans: list[Plan] = []
    best = None
    while len(plans) < limit:
        constraints = [LinearConstraint(np.array(rows), np.array(lower), np.array(upper))] if rows else []
        result = milp(cost, integrality=np.ones(len(codes)), bounds=Bounds(0, 1), constraints=constraints)
        if result.status != 0 or result.x is None:
            break
        chosen = [codes[i] for i, v in enumerate(result.x) if v > 0.5]
        total = int(sum(qualification.units[c].credits or 0 for c in chosen))
        if best is None:
            best = total
        if total > best:
            break
        plans.append(Plan(tuple(chosen), total))
        # Exclude exactly this set next time round (a "no-good" cut).
        row = np.array([1.0 if c in chosen else -1.0 for c in codes])
        constrain(row, -np.inf, len(chosen) - 1)
    return plans


def achievable(qualification: Qualification) -> bool:
    return bool(smallest_plans(qualification, limit=1))
