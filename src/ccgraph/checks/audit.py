"""ccgraph audit: is every mapping complete, and where do the published documents contradict themselves?

One report gathers SHACL results (violations are errors in our data; sh:Warning / sh:Info results are
findings about the sources) and the checks a shape cannot express. Every finding has a stable id, a
severity, the entities involved, a sentence a person can act on, and the source locators that let
them see it for themselves.

Every check reads the store with a few set-based SELECTs (never one query per node) and does the
arithmetic in Python. Nodes are IRI strings. Names and locators of every node are read once, up
front. Where a property repeats (a unit is located both in the structure table and on its unit page),
MIN picks one value, so the report is the same whichever way the store was loaded. DISTINCT and
COUNT(DISTINCT) keep a triple held in two named graphs from counting twice.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import cached_property

import pyoxigraph as ox

from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store

SEVERITIES = ("error", "warning", "info")
SCHEMA_VERSION = 1
NO_TERM_FOUND = "https://w3id.org/sssom/NoTermFound"  # SSSOM's "examined, no counterpart"
UNRESOLVED = str(CCG.Unresolved)


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


# Every node's code (notation, else label), label and locator, for entities and messages. The values
# hang off OPTIONALs of one node set, not a UNION: oxigraph's MIN over a group where some rows leave
# the variable unbound answers unbound.
NAMES = """
SELECT ?node (MIN(?n) AS ?notation) (MIN(?l) AS ?label) (MIN(?place) AS ?locator) (MIN(?seed) AS ?seedFile) WHERE {
  { SELECT DISTINCT ?node WHERE {
      { ?node skos:notation ?any } UNION { ?node skos:prefLabel ?any } UNION { ?node ccg:sourceLocator ?any }
      UNION { ?node dcterms:source ?any } } }
  OPTIONAL { ?node skos:notation ?n } OPTIONAL { ?node skos:prefLabel ?l } OPTIONAL { ?node ccg:sourceLocator ?place }
  OPTIONAL { ?node dcterms:source/ccg:seedFile ?seed }
} GROUP BY ?node
"""


class Auditor:
    def __init__(self, store: Store):
        self.store = store
        self.findings: list[Finding] = []
        self.coverage: dict[str, dict] = {}
        self.names: dict[str, tuple[str, str, str]] = {}  # iri -> (code, label, locator)
        for node, notation, label, locator, seed in self.select(NAMES):
            self.names[node] = (str(notation or label or node), str(label or ""), f"{seed or ''}: {locator}" if locator else "")
        self.accredited = {unit for unit, in self.select("SELECT DISTINCT ?unit WHERE { ?unit ccg:unitAccreditationNumber ?uan }")}

    # ------------------------------------------------------------ helpers

    def select(self, text: str, bindings=None) -> list[tuple]:
        return self.store.select(text, bindings, where="audit").values()

    def entity(self, node) -> Entity:
        return Entity(str(node), self.names[node][0] if node in self.names else str(node))

    def locator(self, node) -> str:
        return self.names[node][2] if node in self.names else ""

    def label(self, node) -> str:
        return self.names[node][1] if node in self.names else ""

    def add(self, check: str, severity: str, message: str, nodes=(), extra_locators=(), key: str | None = None) -> None:
        entities = [self.entity(n) for n in nodes]
        ident = f"{check}:{key or '+'.join(e.notation for e in entities) or 'all'}"
        locators = [loc for loc in (self.locator(n) for n in nodes) if loc] + list(extra_locators)
        self.findings.append(Finding(ident, check, severity, message, entities, sorted(set(locators))))

    def of_type(self, cls: str) -> list[str]:
        return sorted(node for node, in self.select(f"SELECT DISTINCT ?node WHERE {{ ?node a {cls} }}"))

    # ------------------------------------------------------------ the checks

    def run(self, shapes) -> AuditReport:
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

    def shacl(self, shapes) -> None:
        from ccgraph.checks.validate import validate

        severity = {"Violation": "error", "Warning": "warning", "Info": "info"}
        for result in validate(self.store.union_rdflib(), shapes).findings:  # pyshacl reads rdflib only
            shape = (result.constraint or result.shape).rsplit("#", 1)[-1]
            node = result.focus_node
            self.findings.append(Finding(f"shacl-{shape}:{result.focus_notation or node}", f"shacl-{shape}",
                                         severity[result.severity], result.message, [self.entity(node)],
                                         [loc for loc in [self.locator(node)] if loc]))

    def functions_without_nos(self) -> None:
        rows = sorted(self.select("""
            SELECT DISTINCT ?function ?covered WHERE {
              ?function a ccg:Function .
              BIND (EXISTS { ?nos skos:broader ?function ; a ccg:NationalOccupationalStandard } AS ?covered)
            }"""), key=_first)
        empty = [function for function, covered in rows if not covered]
        self.coverage["functions with a NOS"] = _ratio(len(rows) - len(empty), len(rows))
        for function in empty:
            self.add("function-without-nos", "info", f"Function {self.entity(function).notation} has no NOS.", [function])

    def contact_centre_nos_gaps(self) -> None:
        suites = sorted(s for s, in self.select('SELECT DISTINCT ?suite WHERE { ?suite skos:prefLabel "Contact Centre"@en }'))
        if not suites:
            return
        suite = suites[0]
        units_of: dict[str, set[str]] = defaultdict(set)  # NOS -> the units linked to it
        notation_of: dict[str, str] = {}
        for nos, notation, unit in self.select("""
                SELECT DISTINCT ?nos ?notation ?unit WHERE {
                  ?nos ccg:inSuite ?suite .
                  OPTIONAL { ?nos skos:notation ?notation }
                  OPTIONAL { ?unit ccg:coversStandard ?nos }
                }""", {"suite": ox.NamedNode(suite)}):
            notation_of[nos] = str(notation)
            if unit is not None:
                units_of[nos].add(unit)
        linked = {int(notation_of[nos]) for nos in units_of if notation_of[nos].isdigit()}
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
            nos = sorted(n for n, notation in notation_of.items() if notation == str(number))
            units = sorted({u for n in nos for u in units_of[n]})
            if len(units) > 1:
                self.add("nos-linked-by-several-units", "info",
                         f"Contact Centre NOS {number} is linked by units {', '.join(self.entity(u).notation for u in units)}.", [*nos, *units])

    def unit_pages_without_nos(self) -> None:
        pages = sorted(self.select("""
            SELECT DISTINCT ?unit ?linked WHERE { ?unit ccg:aim ?aim . BIND (EXISTS { ?unit ccg:coversStandard ?nos } AS ?linked) }"""), key=_first)
        without = [unit for unit, linked in pages if not linked]
        if pages:
            self.coverage["unit pages with a NOS link"] = _ratio(len(pages) - len(without), len(pages))
        for unit in without:
            self.add("unit-without-nos", "warning", f"Unit {self.entity(unit).notation} has a unit page but no NOS link.", [unit])

    def competency_coverage(self) -> None:
        competencies = self.of_type("ccg:Competency")
        if not competencies:
            return
        examined, matched = set(), set()
        # Either end of a mapping may be the competency; a mapping to sssom:NoTermFound examined it and found nothing.
        for competency, has_counterpart in self.select(f"""
                SELECT DISTINCT ?competency ?matched WHERE {{
                  ?mapping a ccg:Mapping .
                  {{ ?mapping owl:annotatedSource ?competency OPTIONAL {{ ?mapping owl:annotatedTarget ?target }} }}
                  UNION {{ ?mapping owl:annotatedTarget ?competency BIND (?competency AS ?target) }}
                  ?competency a ccg:Competency .
                  BIND (!BOUND(?target) || ?target != <{NO_TERM_FOUND}> AS ?matched)
                }}"""):
            examined.add(competency)
            if has_counterpart:
                matched.add(competency)
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
        rows = sorted(self.select("""
            SELECT ?role (COUNT(DISTINCT ?cell) AS ?cells) (COUNT(DISTINCT ?unread) AS ?unresolved) WHERE {
              ?role a ccg:Role .
              OPTIONAL { ?role ccg:hasRequirement ?cell
                         OPTIONAL { ?cell ccg:readingStatus ccg:Unresolved BIND (?cell AS ?unread) } }
            } GROUP BY ?role"""), key=_first)
        for role, _, unresolved in rows:
            if unresolved:
                self.add("role-with-unresolved-cells", "info",
                         f"Role {self.label(role)} has {unresolved} matrix cell(s) that cannot be read with certainty "
                         "(raw text kept, no level asserted).", [role])
        if rows:
            total, unresolved_total = sum(r[1] for r in rows), sum(r[2] for r in rows)
            self.coverage["matrix cells with a level read (of cells recorded)"] = _ratio(total - unresolved_total, total)

    def undescribed_units(self) -> None:
        units_of: dict[str, dict[str, bool]] = defaultdict(dict)  # qualification -> unit -> has learning outcomes
        for qualification, unit, described in self.select("""
                SELECT DISTINCT ?qualification ?unit ?described WHERE {
                  ?qualification a ccg:Qualification ; ccg:hasUnitGroup/ccg:includesUnit ?unit .
                  BIND (EXISTS { ?unit ccg:hasLearningOutcome ?outcome } AS ?described)
                }"""):
            units_of[qualification][unit] = described
        for qualification, units in sorted(units_of.items()):
            if not any(u in self.accredited for u in units):
                continue  # OCR listings describe nothing themselves; their matches are checked below
            bare = sorted(u for u, described in units.items() if not described)
            if bare:
                self.add("qualification-units-not-described", "info",
                         f"{len(bare)} of the {len(units)} units of {self.entity(qualification).notation} have no unit page "
                         f"(no aim, learning outcomes or NOS link) in the handbook: {', '.join(self.entity(u).notation for u in bare)}.",
                         [qualification], key=self.entity(qualification).notation)

    def uncertain_ocr_matches(self) -> None:
        listings: dict[str, dict] = {}
        for listing, status, method, candidate in self.select("""
                SELECT DISTINCT ?listing ?status ?method ?candidate WHERE {
                  ?listing ccg:matchStatus ?status .
                  OPTIONAL { ?listing ccg:matchMethod ?method }
                  OPTIONAL { ?listing ccg:matchCandidate ?candidate }
                }"""):
            entry = listings.setdefault(listing, {"unresolved": False, "methods": set(), "candidates": set()})
            entry["unresolved"] |= status == UNRESOLVED
            if method is not None:
                entry["methods"].add(method)
            if candidate is not None:
                entry["candidates"].add(candidate)
        if not listings:
            return
        unresolved = sorted(l for l, entry in listings.items() if entry["unresolved"])
        self.coverage["OCR listings with a certain City & Guilds match"] = _ratio(len(listings) - len(unresolved), len(listings))
        for listing in unresolved:
            entry = listings[listing]
            candidates = sorted(self.entity(c).notation for c in entry["candidates"])
            self.add("ocr-listing-without-certain-match", "info",
                     f"OCR listing {self.entity(listing).notation} '{self.label(listing)}' has no certain City & Guilds match; "
                     f"candidates {', '.join(candidates)}: {min(entry['methods'], default=None)}.",
                     [listing], key=f"{listing.rsplit('/', 3)[-3]}-{self.entity(listing).notation}")

    def barred_differently(self) -> None:
        partners: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # unit -> other -> qualifications
        for qualification, unit, other in self.select("""
                SELECT DISTINCT ?qualification ?unit ?other WHERE {
                  ?qualification ccg:hasBarredPair ?pair . ?pair ccg:barredUnit ?unit , ?other . FILTER (?unit != ?other)
                }"""):
            partners[unit][other].add(qualification)
        for unit, others in sorted(partners.items()):
            if len(others) > 1 and all(u in self.accredited for u in [unit, *others]):
                detail = "; ".join(f"with {self.entity(o).notation} in {', '.join(sorted(self.entity(q).notation for q in qs))}"
                                   for o, qs in sorted(others.items()))
                self.add("unit-barred-differently", "warning",
                         f"Unit {self.entity(unit).notation} is barred against different units in different qualifications: {detail}.",
                         [unit, *sorted(others)])

    def replaced_units_listed(self) -> None:
        for old, new, qualification, group, note in self.select("""
                SELECT DISTINCT ?old ?new ?qualification ?group ?note WHERE {
                  ?old ccg:replacedBy ?new . ?group ccg:includesUnit ?old . ?qualification ccg:hasUnitGroup ?group .
                  OPTIONAL { ?old ccg:replacementNote ?note }
                }"""):
            self.add("replaced-unit-still-listed", "warning",
                     f"Unit {self.entity(old).notation} has been replaced by {self.entity(new).notation} "
                     f"({note}), yet {self.entity(qualification).notation} group "
                     f"{self.entity(group).notation} still lists it.", [old, new, qualification])

    def stated_credits(self) -> None:
        rules: dict[str, dict] = {}
        for rule, stated, text, qualification, unit, credit in self.select("""
                SELECT DISTINCT ?rule ?stated ?text ?qualification ?unit ?credit WHERE {
                  ?rule a ccg:CombinationRule ; ccg:statedCredits ?stated .
                  OPTIONAL { ?rule ccg:ruleText ?text }
                  OPTIONAL { ?qualification ccg:hasRule ?rule }
                  OPTIONAL { ?rule ccg:scopeGroup/ccg:includesUnit ?unit OPTIONAL { ?unit ccg:creditValue ?credit } }
                }"""):
            entry = rules.setdefault(rule, {"stated": stated, "text": text, "qualifications": set(), "credits": {}})
            if qualification is not None:
                entry["qualifications"].add(qualification)
            if unit is not None:
                entry["credits"][unit] = credit
        for rule, entry in sorted(rules.items()):
            units, credits = set(entry["credits"]), list(entry["credits"].values())
            if any(c is None for c in credits) or not entry["qualifications"]:
                continue
            total = sum(int(c) for c in credits)
            if total != int(entry["stated"]):
                qualification = min(entry["qualifications"])
                self.add("stated-credits-differ", "warning",
                         f"{self.entity(qualification).notation}: the rule '{entry['text']}' states {entry['stated']} credits, "
                         f"but its units ({', '.join(sorted(self.entity(u).notation for u in units))}) add up to {total}.",
                         [qualification, *sorted(units)], [self.locator(rule)])

    @cached_property
    def qualification_figures(self) -> dict[str, dict]:
        """Each qualification's level, credits, body and level rule (a minimum of credits at a minimum
        unit level over the whole qualification), read once for the next two checks."""
        figures: dict[str, dict] = {}
        for q, level, credits, body, text in self.select("""
                SELECT DISTINCT ?q ?level ?credits ?body ?text WHERE {
                  ?q a ccg:Qualification .
                  OPTIONAL { ?q ccg:level ?level } OPTIONAL { ?q ccg:creditValue ?credits }
                  OPTIONAL { ?q ccg:awardedBy ?body } OPTIONAL { ?q ccg:ruleText ?text }
                }"""):
            figures[q] = {"level": level, "credits": credits, "body": body, "text": text, "level_rule": None}
        level_rules: dict[str, list] = defaultdict(list)
        for q, rule, minimum, level in self.select("""
                SELECT DISTINCT ?q ?rule ?minimum ?level WHERE {
                  ?q ccg:hasRule ?rule . ?rule ccg:minimumUnitLevel ?level ; ccg:minimumCredits ?minimum .
                  FILTER NOT EXISTS { ?rule ccg:scopeGroup ?group }
                }"""):
            level_rules[q].append((rule, int(minimum), int(level)))
        for q, rules in level_rules.items():
            if q in figures:
                _, minimum, level = min(rules)  # one rule per qualification in the sources; the first by IRI otherwise
                figures[q]["level_rule"] = (minimum, level)
        return figures

    def level_rule_below_level(self) -> None:
        for q, f in sorted(self.qualification_figures.items()):
            at_level = f["level_rule"] if f["credits"] is not None else None
            if f["level"] is not None and at_level and at_level[1] < int(f["level"]):
                self.add("level-rule-below-qualification-level", "warning",
                         f"{self.entity(q).notation} is a level {f['level']} qualification, but its level rule counts credits at level "
                         f"{at_level[1]}: '{f['text']}'".split("\n")[0] + "'.", [q])

    def awarding_bodies_differ(self) -> None:
        by_level = defaultdict(list)
        all_figures = self.qualification_figures
        for q, f in sorted(all_figures.items()):
            if f["level"] is not None and f["body"] is not None and f["credits"] is not None:
                by_level[int(f["level"])].append(q)
        for level, qualifications in sorted(by_level.items()):
            if len({all_figures[q]["body"] for q in qualifications}) < 2:
                continue
            figures = {q: (int(all_figures[q]["credits"]), all_figures[q]["level_rule"]) for q in qualifications}
            for a in qualifications:
                for b in qualifications:
                    if a < b and all_figures[a]["body"] != all_figures[b]["body"] and figures[a] != figures[b]:
                        self.add("awarding-body-rules-differ", "warning",
                                 f"Level {level}: {self.entity(a).notation} asks for {_describe(figures[a])}, "
                                 f"{self.entity(b).notation} for {_describe(figures[b])}.", [a, b])

    def stated_counts(self) -> None:
        from ccgraph.render.tables import compact

        for record, cls, stated, raw, counted in sorted(self.select("""
                SELECT ?record ?class ?stated (MIN(?text) AS ?raw) (COUNT(DISTINCT ?instance) AS ?counted) WHERE {
                  ?record a ccg:StatedCount ; ccg:countsInstancesOf ?class ; ccg:statedCount ?stated .
                  OPTIONAL { ?record ccg:rawText ?text }
                  OPTIONAL { ?instance a ?class }
                } GROUP BY ?record ?class ?stated"""), key=_first):
            if counted != int(stated):
                self.add("stated-count-differs", "warning",
                         f"A source states {int(stated)} ({self.label(record)}), but the graph holds {counted} "
                         f"{compact(cls)}: {raw}.", [record])

    def title_variants(self) -> None:
        variants: dict[str, set] = defaultdict(set)
        notes: dict[str, set] = defaultdict(set)
        # Raw terms: two variants with the same words in two languages stay two.
        for node, variant, note in self.store.select("""
                SELECT DISTINCT ?node ?variant ?note WHERE {
                  ?node skos:altLabel ?variant .
                  FILTER EXISTS { ?node ccg:sourceLocator ?place }
                  FILTER NOT EXISTS { ?node a ccg:OriginType }
                  OPTIONAL { ?node skos:editorialNote ?note }
                }""", where="audit").rows:
            variants[node.value].add(variant)
            if note is not None:
                notes[node.value].add(note.value)
        for node in sorted(variants):
            printed = sorted(v.value for v in variants[node])
            self.add("title-differs-between-places", "warning",
                     f"{self.entity(node).notation} is printed as '{self.label(node)}' and as {', '.join(repr(v) for v in printed)}.",
                     [node], sorted(notes[node]))

    def criterion_gaps(self) -> None:
        numbers: dict[str, set[int]] = defaultdict(set)  # outcome -> criterion numbers k of "n.k"
        units: dict[str, set[str]] = defaultdict(set)
        for outcome, notation, unit in self.select("""
                SELECT DISTINCT ?outcome ?notation ?unit WHERE {
                  ?outcome a ccg:LearningOutcome ; ccg:hasAssessmentCriterion/skos:notation ?notation .
                  OPTIONAL { ?unit ccg:hasLearningOutcome ?outcome }
                }"""):
            if re.fullmatch(r"\d+\.\d+", str(notation)):
                numbers[outcome].add(int(str(notation).split(".")[1]))
            if unit is not None:
                units[outcome].add(unit)
        for outcome, found in sorted(numbers.items()):
            missing = sorted(set(range(1, max(found) + 1)) - found)
            if missing and units[outcome]:
                unit = min(units[outcome])
                prefix = self.entity(outcome).notation
                self.add("criterion-numbering-gap", "warning",
                         f"Unit {self.entity(unit).notation}, learning outcome {prefix}: criteria numbered without "
                         f"{', '.join(f'{prefix}.{m}' for m in missing)}.", [unit, outcome])

    def unachievable(self) -> None:
        from ccgraph.checks import plans

        for q, notation in sorted(self.select("""
                SELECT DISTINCT ?q ?notation WHERE { ?q a ccg:Qualification ; ccg:hasRule ?rule OPTIONAL { ?q skos:notation ?notation } }"""), key=_first):
            rules = plans.load(self.store, str(notation))
            if not plans.achievable(rules):
                self.add("qualification-cannot-be-achieved", "warning",
                         f"No set of {rules.notation}'s own units meets all its rules of combination.", [q])

    def level_disagreements(self) -> None:
        """A unit mapped to a competency whose roles ask for an ability level that, by section 1.3, is
        another NOS level than the unit's: one finding per unit and competency, naming the roles.

        The trace's own walk decides (one Tracer, its links read once), so the audit and
        `ccgraph trace` cannot disagree about what a disagreement is.
        """
        from ccgraph.query.trace import Tracer

        competencies = self.select("""
            SELECT DISTINCT ?competency ?notation WHERE { ?competency a ccg:Competency OPTIONAL { ?competency skos:notation ?notation } }""")
        if not competencies or not self.store.ask("ASK { ?mapping a ccg:Mapping }", where="audit"):
            return
        tracer = Tracer(self.store)
        disagreements: dict[tuple[str, str], dict] = {}
        for competency, notation in sorted(competencies, key=_first):
            try:
                paths = tracer.trace("competency", str(notation))
            except Exception:  # a start with too many paths is left to `ccgraph trace` itself
                continue
            for path in paths:
                if not path.level_warnings:
                    continue
                units = [n for n in path.nodes if n["kind"] == "unit"]
                role_hop = path.hops[-1]
                for unit in units:
                    entry = disagreements.setdefault((unit["iri"], competency), {"unit": unit, "roles": {}})
                    entry["roles"][role_hop.target] = role_hop.level
        for (unit_iri, competency), entry in sorted(disagreements.items()):
            unit = entry["unit"]
            roles = "; ".join(f"{role} asks for ability level {level}" for role, level in sorted(entry["roles"].items()))
            self.add("levels-disagree-along-trace", "warning",
                     f"Unit {unit['notation']} (level {unit['level']}) is mapped to competency {self.entity(competency).notation}, "
                     f"but under section 1.3's correspondence these roles ask for another NOS level: {roles}.",
                     [unit_iri, competency])

    def source_notes(self) -> None:
        """Everything the transcribers noticed in the sources, as they described it."""
        notes: dict[str, dict] = {}
        for note, kind, concerned, scheme in self.select("""
                SELECT DISTINCT ?note ?kind ?concerned ?scheme WHERE {
                  ?note a ccg:SourceNote .
                  OPTIONAL { ?note ccg:noteKind ?kind } OPTIONAL { ?note ccg:concerns ?concerned } OPTIONAL { ?note skos:inScheme ?scheme }
                }"""):
            entry = notes.setdefault(note, {"kind": kind, "scheme": scheme, "concerned": set()})
            if concerned is not None:
                entry["concerned"].add(concerned)
        for note, entry in sorted(notes.items()):
            concerned = sorted(entry["concerned"]) or [entry["scheme"]]
            kind = str(entry["kind"]).replace("_", " ")
            message = f"{kind[:1].upper()}{kind[1:]}: {self.label(note)}"
            self.add("source-note", "warning", message if message.endswith((".", ")", "'")) else message + ".", concerned,
                     key=note.rsplit("/", 1)[-1])


def _first(row: tuple):
    """Rows sort by their node (the first column); the other columns may hold None, which does not compare."""
    return row[0]


def _ratio(done: int, total: int) -> dict:
    return {"covered": done, "total": total, "percent": round(100.0 * done / total, 1) if total else 100.0}


def _describe(figures: tuple) -> str:
    total, at_level = figures
    text = f"{total} credits"
    if at_level:
        text += f" with {at_level[0]} at level {at_level[1]} or above"
    return text


def audit(store: Store, shapes=None) -> AuditReport:
    """The audit of a store; shapes (an rdflib graph of SHACL shapes) adds the SHACL results."""
    return Auditor(store).run(shapes)
