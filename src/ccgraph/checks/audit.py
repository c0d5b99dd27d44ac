"""ccgraph audit: is every mapping complete, and where do the published documents contradict themselves?

One report gathers SHACL results (violations are errors in our data; sh:Warning / sh:Info results are
findings about the sources) and the checks a shape cannot express, written here in SPARQL or Python.
Every finding has a stable id, a severity, the entities involved, a sentence a person can act on,
and the source locators that let them see it for themselves.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from ccgraph.graph.namespaces import CCG
from ccgraph.sources.sssom import NO_TERM_FOUND

SEVERITIES = ("error", "warning", "info")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Entity:
    iri: str
    notation: str


@dataclass
class Finding:
    id: str
    check: str
    severity: str  # error: broken data; warning: an anomaly in the sources; info: a coverage note
    message: str
    entities: list[Entity] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class AuditReport:
    findings: list[Finding]
    coverage: dict[str, dict]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, threshold: str) -> bool:
        """True if a finding is at least as severe as threshold (error or warning)."""
        worst = SEVERITIES.index(threshold)
        return any(SEVERITIES.index(f.severity) <= worst for f in self.findings)

    def as_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "summary": {s: self.count(s) for s in SEVERITIES},
            "coverage": self.coverage,
            "findings": [f.as_dict() for f in self.findings],
        }


class Auditor:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.findings: list[Finding] = []
        self.coverage: dict[str, dict] = {}

    # ------------------------------------------------------------ helpers

    def entity(self, node) -> Entity:
        code = self.graph.value(node, SKOS.notation) or self.graph.value(node, SKOS.prefLabel) or node
        return Entity(str(node), str(code))

    def locator(self, node) -> str:
        value = self.graph.value(node, CCG.sourceLocator)
        source = self.graph.value(self.graph.value(node, URIRef("http://purl.org/dc/terms/source")), CCG.seedFile)
        return f"{source or ''}: {value}" if value else ""

    def add(self, check: str, severity: str, message: str, nodes=(), extra_locators=(), key: str | None = None) -> None:
        entities = [self.entity(n) for n in nodes]
        ident = f"{check}:{key or '+'.join(e.notation for e in entities) or 'all'}"
        locators = [loc for loc in (self.locator(n) for n in nodes) if loc] + list(extra_locators)
        self.findings.append(Finding(ident, check, severity, message, entities, sorted(set(locators))))

    def label(self, node) -> str:
        return str(self.graph.value(node, SKOS.prefLabel) or "")

    def of_type(self, cls) -> list:
        return sorted(set(self.graph.subjects(RDF.type, cls)))

    # ------------------------------------------------------------ the checks

    def run(self, shapes: Graph | None) -> AuditReport:
        if shapes is not None:
            self.shacl(shapes)
        for check in (self.functions_without_nos, self.contact_centre_nos_gaps, self.unit_pages_without_nos,
                      self.competency_coverage, self.unresolved_cells, self.undescribed_units, self.uncertain_ocr_matches,
                      self.barred_differently, self.replaced_units_listed, self.stated_credits, self.level_rule_below_level,
                      self.awarding_bodies_differ,
                      self.stated_counts, self.title_variants, self.criterion_gaps, self.unachievable, self.level_disagreements,
                      self.source_notes):
            check()
        order = {s: i for i, s in enumerate(SEVERITIES)}
        self.findings.sort(key=lambda f: (order[f.severity], f.check, f.id))
        return AuditReport(self.findings, self.coverage)

    def shacl(self, shapes: Graph) -> None:
        from ccgraph.checks.validate import validate

        severity = {"Violation": "error", "Warning": "warning", "Info": "info"}
        for result in validate(self.graph, shapes).findings:
            shape = (result.constraint or result.shape).rsplit("#", 1)[-1]
            node = URIRef(result.focus_node)
            self.findings.append(Finding(f"shacl-{shape}:{result.focus_notation or result.focus_node}", f"shacl-{shape}",
                                         severity[result.severity], result.message, [self.entity(node)],
                                         [loc for loc in [self.locator(node)] if loc]))

    def functions_without_nos(self) -> None:
        functions = self.of_type(CCG.Function)
        empty = [f for f in functions if not any((n, RDF.type, CCG.NationalOccupationalStandard) in self.graph
                                                 for n in self.graph.subjects(SKOS.broader, f))]
        self.coverage["functions with a NOS"] = _ratio(len(functions) - len(empty), len(functions))
        for function in empty:
            self.add("function-without-nos", "info", f"Function {self.entity(function).notation} has no NOS.", [function])

    def contact_centre_nos_gaps(self) -> None:
        suite = next(self.graph.subjects(SKOS.prefLabel, Literal("Contact Centre", lang="en")), None)
        if suite is None:
            return
        linked = {int(self.graph.value(n, SKOS.notation)) for n in self.graph.subjects(CCG.inSuite, suite)
                  if str(self.graph.value(n, SKOS.notation)).isdigit() and (None, CCG.coversStandard, n) in self.graph}
        if not linked:
            return
        missing = sorted(set(range(1, max(linked) + 1)) - linked)
        self.coverage["Contact Centre NOS numbers 1..max linked by a unit"] = _ratio(len(linked), max(linked))
        if missing:
            self.add("contact-centre-nos-without-unit", "info",
                     f"Units cite Contact Centre NOS numbers up to {max(linked)}, but no unit links to number(s) "
                     f"{', '.join(map(str, missing))}: a gap in the numbering, or a NOS no unit covers.",
                     [suite], key="+".join(map(str, missing)))
        for number in sorted(linked):
            nos = [n for n in self.graph.subjects(CCG.inSuite, suite) if str(self.graph.value(n, SKOS.notation)) == str(number)]
            units = sorted({u for n in nos for u in self.graph.subjects(CCG.coversStandard, n)})
            if len(units) > 1:
                self.add("nos-linked-by-several-units", "info",
                         f"Contact Centre NOS {number} is linked by units {', '.join(self.entity(u).notation for u in units)}.", [*nos, *units])

    def unit_pages_without_nos(self) -> None:
        pages = sorted(set(self.graph.subjects(CCG.aim, None)))
        without = [u for u in pages if (u, CCG.coversStandard, None) not in self.graph]
        if pages:
            self.coverage["unit pages with a NOS link"] = _ratio(len(pages) - len(without), len(pages))
        for unit in without:
            self.add("unit-without-nos", "warning", f"Unit {self.entity(unit).notation} has a unit page but no NOS link.", [unit])

    def competency_coverage(self) -> None:
        competencies = self.of_type(CCG.Competency)
        if not competencies:
            return
        examined, matched = set(), set()
        for mapping in self.graph.subjects(RDF.type, CCG.Mapping):
            for end in (self.graph.value(mapping, OWL.annotatedSource), self.graph.value(mapping, OWL.annotatedTarget)):
                if (end, RDF.type, CCG.Competency) in self.graph:
                    examined.add(end)
                    if self.graph.value(mapping, OWL.annotatedTarget) != NO_TERM_FOUND:
                        matched.add(end)
        self.coverage["competencies examined against units and NOS"] = _ratio(len(examined), len(competencies))
        self.coverage["competencies with a unit or NOS counterpart"] = _ratio(len(matched), len(competencies))
        unexamined = [c for c in competencies if c not in examined]
        if unexamined:
            self.add("competencies-not-examined", "info",
                     f"{len(unexamined)} competencies have not been examined against units or NOS (no mapping, not even a no-match).",
                     unexamined, key="all")
        for competency in sorted(examined - matched):
            self.add("competency-without-counterpart", "info",
                     f"Competency {self.entity(competency).notation} ({self.label(competency)}) was examined and no unit or NOS covers it.",
                     [competency])

    def unresolved_cells(self) -> None:
        roles = self.of_type(CCG.Role)
        total = unresolved_total = 0
        for role in roles:
            cells = list(self.graph.objects(role, CCG.hasRequirement))
            unresolved = [c for c in cells if self.graph.value(c, CCG.readingStatus) == CCG.Unresolved]
            total += len(cells)
            unresolved_total += len(unresolved)
            if unresolved:
                self.add("role-with-unresolved-cells", "info",
                         f"Role {self.label(role)} has {len(unresolved)} matrix cell(s) that cannot be read with certainty "
                         "(raw text kept, no level asserted).", [role])
        if roles:
            self.coverage["matrix cells with a level read (of cells recorded)"] = _ratio(total - unresolved_total, total)

    def undescribed_units(self) -> None:
        for qualification in self.of_type(CCG.Qualification):
            units = {u for g in self.graph.objects(qualification, CCG.hasUnitGroup) for u in self.graph.objects(g, CCG.includesUnit)}
            if not any((u, CCG.unitAccreditationNumber, None) in self.graph for u in units):
                continue  # OCR listings describe nothing themselves; their matches are checked below
            bare = sorted(u for u in units if (u, CCG.hasLearningOutcome, None) not in self.graph)
            if bare:
                self.add("qualification-units-not-described", "info",
                         f"{len(bare)} of the {len(units)} units of {self.entity(qualification).notation} have no unit page "
                         f"(no aim, learning outcomes or NOS link) in the handbook: {', '.join(self.entity(u).notation for u in bare)}.",
                         [qualification], key=self.entity(qualification).notation)

    def uncertain_ocr_matches(self) -> None:
        listings = sorted(set(self.graph.subjects(CCG.matchStatus, None)))
        if not listings:
            return
        unresolved = [l for l in listings if self.graph.value(l, CCG.matchStatus) == CCG.Unresolved]
        self.coverage["OCR listings with a certain City & Guilds match"] = _ratio(len(listings) - len(unresolved), len(listings))
        for listing in unresolved:
            candidates = sorted(self.entity(c).notation for c in self.graph.objects(listing, CCG.matchCandidate))
            self.add("ocr-listing-without-certain-match", "info",
                     f"OCR listing {self.entity(listing).notation} '{self.label(listing)}' has no certain City & Guilds match; "
                     f"candidates {', '.join(candidates)}: {self.graph.value(listing, CCG.matchMethod)}.",
                     [listing], key=f"{self.entity(listing).iri.rsplit('/', 3)[-3]}-{self.entity(listing).notation}")

    def barred_differently(self) -> None:
        partners = defaultdict(lambda: defaultdict(set))
        for qualification, pair in self.graph.subject_objects(CCG.hasBarredPair):
            units = list(self.graph.objects(pair, CCG.barredUnit))
            for unit in units:
                for other in units:
                    if other != unit:
                        partners[unit][other].add(qualification)
        for unit, others in sorted(partners.items()):
            if len(others) > 1 and all((u, CCG.unitAccreditationNumber, None) in self.graph for u in [unit, *others]):
                detail = "; ".join(f"with {self.entity(o).notation} in {', '.join(sorted(self.entity(q).notation for q in qs))}"
                                   for o, qs in sorted(others.items()))
                self.add("unit-barred-differently", "warning",
                         f"Unit {self.entity(unit).notation} is barred against different units in different qualifications: {detail}.",
                         [unit, *sorted(others)])

    def replaced_units_listed(self) -> None:
        for old, new in self.graph.subject_objects(CCG.replacedBy):
            for group in self.graph.subjects(CCG.includesUnit, old):
                qualification = next(self.graph.subjects(CCG.hasUnitGroup, group))
                self.add("replaced-unit-still-listed", "warning",
                         f"Unit {self.entity(old).notation} has been replaced by {self.entity(new).notation} "
                         f"({self.graph.value(old, CCG.replacementNote)}), yet {self.entity(qualification).notation} group "
                         f"{self.entity(group).notation} still lists it.", [old, new, qualification])

    def stated_credits(self) -> None:
        for rule in self.of_type(CCG.CombinationRule):
            stated = self.graph.value(rule, CCG.statedCredits)
            if stated is None:
                continue
            units = {u for g in self.graph.objects(rule, CCG.scopeGroup) for u in self.graph.objects(g, CCG.includesUnit)}
            credits = [self.graph.value(u, CCG.creditValue) for u in units]
            if any(c is None for c in credits):
                continue
            total = sum(int(c) for c in credits)
            if total != int(stated):
                qualification = next(self.graph.subjects(CCG.hasRule, rule))
                self.add("stated-credits-differ", "warning",
                         f"{self.entity(qualification).notation}: the rule '{self.graph.value(rule, CCG.ruleText)}' states {stated} credits, "
                         f"but its units ({', '.join(sorted(self.entity(u).notation for u in units))}) add up to {total}.",
                         [qualification, *sorted(units)], [self.locator(rule)])

    def level_rule_below_level(self) -> None:
        for q in self.of_type(CCG.Qualification):
            level = self.graph.value(q, CCG.level)
            figures = self._figures(q) if self.graph.value(q, CCG.creditValue) is not None else None
            if level is not None and figures and figures[1] and figures[1][1] < int(level):
                self.add("level-rule-below-qualification-level", "warning",
                         f"{self.entity(q).notation} is a level {level} qualification, but its level rule counts credits at level "
                         f"{figures[1][1]}: '{self.graph.value(q, CCG.ruleText)}'".split("\n")[0] + "'.", [q])

    def awarding_bodies_differ(self) -> None:
        by_level = defaultdict(list)
        for q in self.of_type(CCG.Qualification):
            level = self.graph.value(q, CCG.level)
            body = self.graph.value(q, CCG.awardedBy)
            if level is not None and body is not None and self.graph.value(q, CCG.creditValue) is not None:
                by_level[int(level)].append(q)
        for level, qualifications in sorted(by_level.items()):
            bodies = {self.graph.value(q, CCG.awardedBy) for q in qualifications}
            if len(bodies) < 2:
                continue
            figures = {q: self._figures(q) for q in qualifications}
            for a in qualifications:
                for b in qualifications:
                    if str(a) < str(b) and self.graph.value(a, CCG.awardedBy) != self.graph.value(b, CCG.awardedBy) and figures[a] != figures[b]:
                        self.add("awarding-body-rules-differ", "warning",
                                 f"Level {level}: {self.entity(a).notation} asks for {_describe(figures[a])}, "
                                 f"{self.entity(b).notation} for {_describe(figures[b])}.", [a, b])

    def _figures(self, q) -> tuple:
        level_rule = next((r for r in self.graph.objects(q, CCG.hasRule) if (r, CCG.minimumUnitLevel, None) in self.graph
                           and not (r, CCG.scopeGroup, None) in self.graph), None)
        at_level = None if level_rule is None else (int(self.graph.value(level_rule, CCG.minimumCredits)),
                                                     int(self.graph.value(level_rule, CCG.minimumUnitLevel)))
        return int(self.graph.value(q, CCG.creditValue)), at_level

    def stated_counts(self) -> None:
        for record in self.of_type(CCG.StatedCount):
            cls = self.graph.value(record, CCG.countsInstancesOf)
            counted = len(set(self.graph.subjects(RDF.type, cls)))
            stated = int(self.graph.value(record, CCG.statedCount))
            if counted != stated:
                self.add("stated-count-differs", "warning",
                         f"A source states {stated} ({self.label(record)}), but the graph holds {counted} "
                         f"{self.graph.namespace_manager.normalizeUri(cls)}: {self.graph.value(record, CCG.rawText)}.", [record])

    def title_variants(self) -> None:
        for node in sorted(set(self.graph.subjects(SKOS.altLabel, None))):
            if (node, RDF.type, CCG.OriginType) in self.graph or not (node, CCG.sourceLocator, None) in self.graph:
                continue
            variants = sorted(str(v) for v in self.graph.objects(node, SKOS.altLabel))
            self.add("title-differs-between-places", "warning",
                     f"{self.entity(node).notation} is printed as '{self.label(node)}' and as {', '.join(repr(v) for v in variants)}.",
                     [node], [str(n) for n in self.graph.objects(node, SKOS.editorialNote)])

    def criterion_gaps(self) -> None:
        for outcome in self.of_type(CCG.LearningOutcome):
            numbers = sorted(int(str(self.graph.value(c, SKOS.notation)).split(".")[1])
                             for c in self.graph.objects(outcome, CCG.hasAssessmentCriterion)
                             if re.fullmatch(r"\d+\.\d+", str(self.graph.value(c, SKOS.notation))))
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers)) if numbers else []
            if missing:
                unit = next(self.graph.subjects(CCG.hasLearningOutcome, outcome))
                prefix = self.entity(outcome).notation
                self.add("criterion-numbering-gap", "warning",
                         f"Unit {self.entity(unit).notation}, learning outcome {prefix}: criteria numbered without "
                         f"{', '.join(f'{prefix}.{m}' for m in missing)}.", [unit, outcome])

    def unachievable(self) -> None:
        from ccgraph.checks import plans

        for q in self.of_type(CCG.Qualification):
            if not (q, CCG.hasRule, None) in self.graph:
                continue
            rules = plans.load(self.graph, str(self.graph.value(q, SKOS.notation)))
            if not plans.achievable(rules):
                self.add("qualification-cannot-be-achieved", "warning",
                         f"No set of {rules.notation}'s own units meets all its rules of combination.", [q])

    def level_disagreements(self) -> None:
        """A unit mapped to a competency whose roles ask for an ability level that, by section 1.3, is
        another NOS level than the unit's: one finding per unit and competency, naming the roles."""
        from ccgraph.query.trace import Tracer

        if not self.of_type(CCG.Competency) or not any(True for _ in self.graph.subjects(RDF.type, CCG.Mapping)):
            return
        tracer = Tracer(self.graph)
        disagreements: dict[tuple[str, str], dict] = {}
        for competency in self.of_type(CCG.Competency):
            try:
                paths = tracer.trace("competency", str(self.graph.value(competency, SKOS.notation)))
            except Exception:  # a start with too many paths is left to `ccgraph trace` itself
                continue
            for path in paths:
                if not path.level_warnings:
                    continue
                units = [n for n in path.nodes if n["kind"] == "unit"]
                role_hop = path.hops[-1]
                for unit in units:
                    entry = disagreements.setdefault((unit["iri"], str(competency)), {"unit": unit, "roles": {}})
                    entry["roles"][role_hop.target] = role_hop.level
        for (unit_iri, competency), entry in sorted(disagreements.items()):
            unit = entry["unit"]
            roles = "; ".join(f"{role} asks for ability level {level}" for role, level in sorted(entry["roles"].items()))
            self.add("levels-disagree-along-trace", "warning",
                     f"Unit {unit['notation']} (level {unit['level']}) is mapped to competency {self.entity(URIRef(competency)).notation}, "
                     f"but under section 1.3's correspondence these roles ask for another NOS level: {roles}.",
                     [URIRef(unit_iri), URIRef(competency)])


    def source_notes(self) -> None:
        """Everything the transcribers noticed in the sources, as they described it."""
        for note in self.of_type(CCG.SourceNote):
            concerned = sorted(self.graph.objects(note, CCG.concerns)) or [self.graph.value(note, SKOS.inScheme)]
            kind = str(self.graph.value(note, CCG.noteKind)).replace("_", " ")
            message = f"{kind[:1].upper()}{kind[1:]}: {self.label(note)}"
            self.add("source-note", "warning", message if message.endswith((".", ")", "'")) else message + ".", concerned,
                     key=str(note).rsplit("/", 1)[-1])


def _ratio(done: int, total: int) -> dict:
    return {"covered": done, "total": total, "percent": round(100.0 * done / total, 1) if total else 100.0}


def _describe(figures: tuple) -> str:
    total, at_level = figures
    text = f"{total} credits"
    if at_level:
        text += f" with {at_level[0]} at level {at_level[1]} or above"
    return text


def audit(graph: Graph, shapes: Graph | None = None) -> AuditReport:
    return Auditor(graph).run(shapes)
