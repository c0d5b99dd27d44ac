"""ccgraph audit: is every mapping complete, and where do the published documents contradict themselves?

One report gathers SHACL results (violations are errors in our data; sh:Warning / sh:Info results are
findings about the sources) and the checks a shape cannot express. Every finding has a stable id, a
kind (what sort of problem it is), the severity and the action that follow from its kind, the
entities involved, a sentence a person can act on, and the source locators that let them see it for
themselves. One problem is one finding: SHACL results about one printed value are grouped, and a
transcriber's note (data/*/notes.csv) on a problem a check also finds is attached to that finding
rather than reported a second time.

Every check reads the store with a few set-based SELECTs (never one query per node) and does the
arithmetic in Python. Nodes are IRI strings. Names and locators of every node are read once, up
front. Where a property repeats (a unit is located both in the structure table and on its unit page),
MIN picks one value, so the report is the same whichever way the store was loaded. DISTINCT and
COUNT(DISTINCT) keep a triple held in two named graphs from counting twice.

The checks of the sources' consistency added with the kinds (Functional Map imports, attributions,
eligibility, unit printings, ...) live in ccgraph.checks.audit_checks.
"""

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from ccgraph.checks.audit_checks import SourceChecks, ratio as _ratio, words
from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store

SEVERITIES = ("error", "warning", "info")
SCHEMA_VERSION = 2
NO_TERM_FOUND = "https://w3id.org/sssom/NoTermFound"  # SSSOM's "examined, no counterpart"
UNRESOLVED = str(CCG.Unresolved)

# What sort of problem a finding is decides how severe it is and what would fix it.
KINDS = {
    "data-error": ("error", "correct our transcription"),  # our own data breaks a rule
    "source-inconsistency": ("warning", "report to the publisher"),  # the published documents disagree
    "mapping-review": ("info", "review a mapping"),  # a curated link that the sources put in doubt
    "extraction-damage": ("info", "none"),  # the PDF extraction damaged the text; recorded, values unresolved
    "coverage": ("info", "none"),  # how far a mapping or a reading goes
}
ACTIONS = tuple(dict.fromkeys(action for _, action in KINDS.values()))

# The kind of every check (SHACL results take theirs from the result's severity).
CHECK_KINDS = {
    "function-without-nos": "coverage",
    "contact-centre-nos-without-unit": "coverage",
    "nos-linked-by-several-units": "coverage",
    "unit-without-nos": "source-inconsistency",
    "competencies-not-examined": "coverage",
    "competency-without-counterpart": "coverage",
    "role-with-unresolved-cells": "coverage",
    "qualification-units-not-described": "coverage",
    "ocr-listing-without-certain-match": "coverage",
    "unit-barred-differently": "source-inconsistency",
    "replaced-unit-still-listed": "source-inconsistency",
    "stated-credits-differ": "source-inconsistency",
    "level-rule-below-qualification-level": "source-inconsistency",
    "awarding-body-rules-differ": "source-inconsistency",
    "eligibility-differs-between-awarding-bodies": "source-inconsistency",
    "stated-count-differs": "source-inconsistency",
    "title-differs-between-places": "source-inconsistency",
    "criterion-numbering-gap": "source-inconsistency",
    "qualification-cannot-be-achieved": "source-inconsistency",
    "levels-disagree-along-trace": "mapping-review",
    "imported-title-differs": "source-inconsistency",
    "reference-order-differs": "source-inconsistency",
    "source-code-unlike-its-suite": "source-inconsistency",
    "standard-attributed-differently": "source-inconsistency",
    "unit-printed-differently": "source-inconsistency",
}
SHACL_KINDS = {"Violation": "data-error", "Warning": "source-inconsistency", "Info": "coverage"}

# Transcribers' notes (ccg:noteKind, compared in lower case with '_' as a space) by kind. A note kind
# not listed is an inconsistency of the source unless its words say the extraction damaged the text.
NOTE_KINDS = {
    **dict.fromkeys(("extraction damage", "header damage", "header split", "duplicate line", "layout", "merged cell",
                     "merged rows", "stray marks", "trailing blanks", "label less rows", "garbled overlay",
                     "overlapping rows", "missing rows", "fragment next", "repeated label"), "extraction-damage"),
    **dict.fromkeys(("agreement", "codes not printed", "figures not given", "same title on different units",
                     "nos linked by two units", "nos number no unit links to"), "coverage"),
}
EXTRACTION_WORDS = ("extraction", "garbl", "stray", "merged", "split", "overlap", "fragment", "label less", "damage")

# A note of one of these kinds describes the problem the named checks find: it is attached to their
# finding on the same entities, not reported again.
NOTES_ABSORBED_BY = {
    "same uan on two units": ("shacl-Unit-uniqueUan",),
    "unit listed with different values": ("title-differs-between-places",),
    "qualification title variants": ("title-differs-between-places",),
    "role name variant": ("title-differs-between-places",),
    "rule names a unit that does not appear": ("shacl-CombinationRule-namesMissingUnit",),
    "credit totals do not add up": ("stated-credits-differ",),
    "rule text copied between qualifications": ("level-rule-below-qualification-level",),
    "replaced unit still listed": ("replaced-unit-still-listed",),
    "nos linked by two units": ("nos-linked-by-several-units",),
    "nos number no unit links to": ("contact-centre-nos-without-unit",),
    "gap in criterion numbering": ("criterion-numbering-gap",),
    "count mismatch": ("stated-count-differs",),
    "ocr and c&g rules differ": ("awarding-body-rules-differ",),
}


def note_kind_key(kind: str) -> str:
    return re.sub(r"\s+", " ", str(kind).replace("_", " ").replace("-", " ")).strip().lower()


def note_finding_kind(kind: str) -> str:
    key = note_kind_key(kind)
    if key in NOTE_KINDS:
        return NOTE_KINDS[key]
    return "extraction-damage" if any(w in key for w in EXTRACTION_WORDS) else "source-inconsistency"


@dataclass(frozen=True)
class Entity:
    iri: str
    notation: str


@dataclass
class Finding:
    id: str
    check: str
    kind: str  # see KINDS; severity and action follow from it
    severity: str  # error: broken data; warning: an anomaly in the sources; info: a note
    action: str  # what would fix it
    message: str
    entities: list[Entity] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # transcribers' notes on the same problem, as written

    def as_dict(self) -> dict:
        return asdict(self)


# The parts of a finding that say whether it changed since a baseline (the id says whether it is the same one).
COMPARED = ("check", "kind", "severity", "action", "message", "entities", "locators", "notes")


@dataclass
class AuditReport:
    findings: list[Finding]
    coverage: dict[str, dict]
    baseline: dict | None = None  # set by against(): what was compared, and the ids new, changed, resolved

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, threshold: str) -> bool:
        """True if a finding is at least as severe as threshold (error or warning)."""
        worst = SEVERITIES.index(threshold)
        return any(SEVERITIES.index(f.severity) <= worst for f in self.findings)

    def as_dict(self) -> dict:
        data = {
            "schema_version": SCHEMA_VERSION,
            "summary": {s: self.count(s) for s in SEVERITIES},
            "kinds": {k: sum(1 for f in self.findings if f.kind == k) for k in KINDS},
            "coverage": self.coverage,
        }
        if self.baseline is not None:
            data["baseline"] = self.baseline
        data["findings"] = [f.as_dict() for f in self.findings]
        return data

    def against(self, previous: dict, name: str = "") -> "AuditReport":
        """Only the findings that are new or changed since a previous report (the dict of its JSON):
        a finding is the same one when its id is, and changed when any of COMPARED differs (fields the
        previous report lacks, such as kind in a schema 1 report, are not compared)."""
        before = {f["id"]: f for f in previous.get("findings", [])}
        new, changed = [], []
        for finding in self.findings:
            old = before.get(finding.id)
            if old is None:
                new.append(finding)
            else:
                now = finding.as_dict()
                if any(old[key] != now[key] for key in COMPARED if key in old):
                    changed.append(finding)
        shown = {f.id for f in new + changed}
        summary = {"file": name, "schema_version": previous.get("schema_version"), "new": [f.id for f in new],
                   "changed": [f.id for f in changed], "unchanged": len(self.findings) - len(shown),
                   "resolved": sorted(set(before) - {f.id for f in self.findings})}
        return AuditReport([f for f in self.findings if f.id in shown], self.coverage, summary)


def load_baseline(path: Path) -> dict:
    """A previous `ccgraph audit --format json` report, checked enough to compare with."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CcgraphError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CcgraphError(f"{path}:{exc.lineno}: the baseline is not JSON: {exc.msg}") from None
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str) for f in findings):
        raise CcgraphError(f"{path}: not an audit report: expected the JSON of `ccgraph audit --format json` (findings with ids)")
    return data


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


class Auditor(SourceChecks):
    def __init__(self, store: Store):
        self.store = store
        self.findings: list[Finding] = []
        self.coverage: dict[str, dict] = {}
        self.names: dict[str, tuple[str, str, str]] = {}  # iri -> (code, label, locator)
        self.note_subjects: dict[str, tuple[str, set[str], list[str]]] = {}  # note finding id -> (kind key, iris, tokens)
        for node, notation, label, locator, seed in self.select(NAMES):
            place = "" if not locator else str(locator) if seed and str(locator).startswith(str(seed)) else f"{seed or ''}: {locator}"
            self.names[node] = (str(notation or label or _tail(node)), str(label or ""), place)
        self.accredited = {unit for unit, in self.select("SELECT DISTINCT ?unit WHERE { ?unit ccg:unitAccreditationNumber ?uan }")}

    # ------------------------------------------------------------ helpers

    def select(self, text: str, bindings=None) -> list[tuple]:
        return self.store.select(text, bindings, where="audit").values()

    def entity(self, node) -> Entity:
        return Entity(str(node), self.names[node][0] if node in self.names else _tail(str(node)))

    def locator(self, node) -> str:
        return self.names[node][2] if node in self.names else ""

    def label(self, node) -> str:
        return self.names[node][1] if node in self.names else ""

    def add(self, check: str, message: str, nodes=(), extra_locators=(), key: str | None = None, kind: str | None = None,
            locate_entities: bool = True) -> Finding:
        """A finding of check (its kind from CHECK_KINDS unless given), located where its entities are
        (unless locate_entities is false) and at extra_locators."""
        kind = kind or CHECK_KINDS[check]
        severity, action = KINDS[kind]
        entities = [self.entity(n) for n in nodes]
        ident = f"{check}:{key or '+'.join(e.notation for e in entities) or 'all'}"
        located = [self.locator(n) for n in nodes] if locate_entities else []
        locators = [loc for loc in located if loc] + [loc for loc in extra_locators if loc]
        finding = Finding(ident, check, kind, severity, action, message, entities, sorted(set(locators)))
        self.findings.append(finding)
        return finding

    def of_type(self, cls: str) -> list[str]:
        return sorted(node for node, in self.select(f"SELECT DISTINCT ?node WHERE {{ ?node a {cls} }}"))

    # ------------------------------------------------------------ the checks

    def run(self, shapes) -> AuditReport:
        if shapes is not None:
            self.shacl(shapes)
        for check in (self.functions_without_nos, self.contact_centre_nos_gaps, self.unit_pages_without_nos,
                      self.competency_coverage, self.unresolved_cells, self.undescribed_units, self.uncertain_ocr_matches,
                      self.barred_differently, self.replaced_units_listed, self.stated_credits, self.level_rule_below_level,
                      self.awarding_bodies_differ, self.eligibility_differs,
                      self.stated_counts, self.title_variants, self.criterion_gaps, self.unachievable, self.level_disagreements,
                      self.imported_titles, self.reference_orders, self.source_code_shapes, self.attributions,
                      self.unit_printings, self.source_notes):
            check()
        self.absorb_notes()
        order = {s: i for i, s in enumerate(SEVERITIES)}
        self.findings.sort(key=lambda f: (order[f.severity], f.check, f.id))
        return AuditReport(self.findings, self.coverage)

    def shacl(self, shapes) -> None:
        """SHACL results; the results one constraint gives about one printed value (the UAN two units share)
        are one problem and one finding, naming every node."""
        from ccgraph.checks.validate import validate

        owners: dict[str, set[str]] = defaultdict(set)  # rule -> its qualifications, named with the rule
        for qualification, rule in self.select("SELECT DISTINCT ?q ?rule WHERE { ?q ccg:hasRule ?rule }"):
            owners[rule].add(qualification)
        groups: dict[tuple, list] = defaultdict(list)
        for result in validate(self.store.union_rdflib(), shapes).findings:  # pyshacl reads rdflib only
            shape = (result.constraint or result.shape).rsplit("#", 1)[-1]
            grouped = result.severity != "Violation" and result.value
            groups[(shape, result.severity, result.value if grouped else result.focus_node, result.path if not grouped else "")].append(result)
        for (shape, severity, _, _), results in sorted(groups.items()):
            results.sort(key=lambda r: self.entity(r.focus_node).notation)
            nodes = sorted({o for r in results for o in owners.get(r.focus_node, ())}) + list(dict.fromkeys(r.focus_node for r in results))
            finding = self.add(f"shacl-{shape}", results[0].message, nodes, kind=SHACL_KINDS[severity])
            if severity == "Violation" and len(results) == 1:
                finding.id = f"shacl-{shape}:{results[0].focus_notation or results[0].focus_node}"

    def functions_without_nos(self) -> None:
        rows = sorted(self.select("""
            SELECT DISTINCT ?function ?covered WHERE {
              ?function a ccg:Function .
              BIND (EXISTS { ?nos skos:broader ?function ; a ccg:NationalOccupationalStandard } AS ?covered)
            }"""), key=_first)
        empty = [function for function, covered in rows if not covered]
        self.coverage["functions with a NOS"] = _ratio(len(rows) - len(empty), len(rows))
        for function in empty:
            self.add("function-without-nos", f"Function {self.entity(function).notation} has no NOS.", [function])

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
            self.add("contact-centre-nos-without-unit",
                     f"Units cite Contact Centre NOS numbers up to {max(linked)}, but no unit links to number(s) "
                     f"{', '.join(map(str, missing))}: a gap in the numbering, or a NOS no unit covers.",
                     [suite], key="+".join(map(str, missing)))
        for number in sorted(linked):
            nos = sorted(n for n, notation in notation_of.items() if notation == str(number))
            units = sorted({u for n in nos for u in units_of[n]})
            if len(units) > 1:
                self.add("nos-linked-by-several-units",
                         f"Contact Centre NOS {number} is linked by units {', '.join(self.entity(u).notation for u in units)}.", [*nos, *units])

    def unit_pages_without_nos(self) -> None:
        pages = sorted(self.select("""
            SELECT DISTINCT ?unit ?linked WHERE { ?unit ccg:aim ?aim . BIND (EXISTS { ?unit ccg:coversStandard ?nos } AS ?linked) }"""), key=_first)
        without = [unit for unit, linked in pages if not linked]
        if pages:
            self.coverage["unit pages with a NOS link"] = _ratio(len(pages) - len(without), len(pages))
        for unit in without:
            self.add("unit-without-nos", f"Unit {self.entity(unit).notation} has a unit page but no NOS link.", [unit])

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
            self.add("competencies-not-examined",
                     f"{len(unexamined)} competencies have not been examined against units or NOS (no mapping, not even a no-match).",
                     unexamined, key="all")
        for competency in sorted(examined - matched):
            self.add("competency-without-counterpart",
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
                self.add("role-with-unresolved-cells",
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
                self.add("qualification-units-not-described",
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
            self.add("ocr-listing-without-certain-match",
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
                self.add("unit-barred-differently",
                         f"Unit {self.entity(unit).notation} is barred against different units in different qualifications: {detail}.",
                         [unit, *sorted(others)])

    def replaced_units_listed(self) -> None:
        for old, new, qualification, group, note in self.select("""
                SELECT DISTINCT ?old ?new ?qualification ?group ?note WHERE {
                  ?old ccg:replacedBy ?new . ?group ccg:includesUnit ?old . ?qualification ccg:hasUnitGroup ?group .
                  OPTIONAL { ?old ccg:replacementNote ?note }
                }"""):
            self.add("replaced-unit-still-listed",
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
                self.add("stated-credits-differ",
                         f"{self.entity(qualification).notation}: the rule '{entry['text']}' states {entry['stated']} credits, "
                         f"but its units ({', '.join(sorted(self.entity(u).notation for u in units))}) add up to {total}.",
                         [qualification, *sorted(units)], [self.locator(rule)])

    @cached_property
    def qualification_figures(self) -> dict[str, dict]:
        """Each qualification's level, credits, body and level rule (a minimum of credits at a minimum
        unit level over the whole qualification), read once for the checks that compare qualifications."""
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

    def same_level_pairs(self) -> list[tuple[int, str, str]]:
        """(level, a, b) for every two qualifications of one level from different awarding bodies, a < b by notation."""
        by_level = defaultdict(list)
        for q, f in self.qualification_figures.items():
            if f["level"] is not None and f["body"] is not None:
                by_level[int(f["level"])].append(q)
        pairs = []
        for level, qualifications in sorted(by_level.items()):
            qualifications.sort(key=lambda q: self.entity(q).notation)
            pairs += [(level, a, b) for i, a in enumerate(qualifications) for b in qualifications[i + 1:]
                      if self.qualification_figures[a]["body"] != self.qualification_figures[b]["body"]]
        return pairs

    def level_rule_below_level(self) -> None:
        for q, f in sorted(self.qualification_figures.items()):
            at_level = f["level_rule"] if f["credits"] is not None else None
            if f["level"] is not None and at_level and at_level[1] < int(f["level"]):
                self.add("level-rule-below-qualification-level",
                         f"{self.entity(q).notation} is a level {f['level']} qualification, but its level rule counts credits at level "
                         f"{at_level[1]}: '{f['text']}'".split("\n")[0] + "'.", [q])

    def awarding_bodies_differ(self) -> None:
        """Two awarding bodies' qualifications of one level whose rules of combination differ: the
        qualification's totals and level rule, and every group-level rule (mandatory groups, minimum
        and maximum credits or units from a group, pools of groups, caps on named units)."""
        rules = self.rule_descriptions()
        for level, a, b in self.same_level_pairs():
            only_a, only_b = sorted(rules[a] - rules[b]), sorted(rules[b] - rules[a])
            if not rules[a] or not rules[b] or (not only_a and not only_b):
                continue  # no rules transcribed for one of them: nothing to compare
            name_a, name_b = self.entity(a).notation, self.entity(b).notation

            def listed(items):
                return "; ".join(items) if items else "nothing else"

            self.add("awarding-body-rules-differ",
                     f"Level {level}: {name_a} and {name_b} state different rules of combination. "
                     f"Only {name_a}: {listed(only_a)}. Only {name_b}: {listed(only_b)}.", [a, b])

    def rule_descriptions(self) -> dict[str, set[str]]:
        """Each qualification's rules of combination as comparable sentences ('Group B: at least 21 credits'),
        naming groups by their letters and units by how many are named (the bodies number units differently)."""
        rules: dict[str, dict] = defaultdict(dict)
        for q, rule, prop, value in self.select("""
                SELECT DISTINCT ?q ?rule ?p ?value WHERE {
                  ?q a ccg:Qualification ; ccg:hasRule ?rule .
                  ?rule ?p ?v .
                  VALUES ?p { ccg:minimumCredits ccg:maximumCredits ccg:minimumUnits ccg:maximumUnits ccg:statedCredits
                              ccg:allUnitsRequired ccg:minimumUnitLevel ccg:exactUnitLevel ccg:scopeGroup ccg:scopeUnit
                              ccg:scopeUnitNotation ccg:inAdditionTo }
                  OPTIONAL { ?v skos:notation ?code }
                  BIND (COALESCE(?code, ?v) AS ?value)
                }"""):
            entry = rules[q].setdefault(rule, defaultdict(set))
            entry[prop.rsplit("#", 1)[-1]].add(str(value))

        def scope(entry) -> str:
            if entry["scopeGroup"]:
                groups = sorted(entry["scopeGroup"])
                return ("Group " if len(groups) == 1 else "Groups ") + ", ".join(groups)
            named = entry["scopeUnitNotation"] or entry["scopeUnit"]
            return f"{len(named)} named units" if named else "the qualification"

        described: dict[str, set[str]] = {}
        for q, by_rule in rules.items():
            scopes = {rule: scope(entry) for rule, entry in by_rule.items()}
            sentences = set()
            for rule, entry in by_rule.items():
                parts = []
                if "true" in {v.lower() for v in entry["allUnitsRequired"]}:
                    parts.append("all its units")
                for prop, words_ in (("minimumCredits", "at least {} credits"), ("maximumCredits", "at most {} credits"),
                                     ("minimumUnits", "at least {} units"), ("maximumUnits", "at most {} units"),
                                     ("statedCredits", "stated as {} credits")):
                    parts += [words_.format(v) for v in sorted(entry[prop])]
                parts += [f"at level {v} or above" for v in sorted(entry["minimumUnitLevel"])]
                parts += [f"at level {v}" for v in sorted(entry["exactUnitLevel"])]
                parts += [f"in addition to {scopes.get(other, 'another rule')}" for other in sorted(entry["inAdditionTo"])]
                sentences.add(f"{scopes[rule]}: {', '.join(parts)}")
            described[q] = sentences
        return defaultdict(set, described)

    def stated_counts(self) -> None:
        from ccgraph.render.tables import compact

        for record, cls, stated, raw, counted in sorted(self.select("""
                SELECT ?record ?class ?stated (MIN(?text) AS ?raw) (COUNT(DISTINCT ?instance) AS ?counted) WHERE {
                  ?record a ccg:StatedCount ; ccg:countsInstancesOf ?class ; ccg:statedCount ?stated .
                  OPTIONAL { ?record ccg:rawText ?text }
                  OPTIONAL { ?instance a ?class }
                } GROUP BY ?record ?class ?stated"""), key=_first):
            if counted != int(stated):
                self.add("stated-count-differs",
                         f"A source states {int(stated)} ({self.label(record)}), but the graph holds {counted} "
                         f"{compact(cls)}: {raw}.", [record])

    def title_variants(self) -> None:
        """Names printed differently in two places; an acronym beside its expansion ('OCR', 'Oxford Cambridge
        and RSA Examinations') is one name, not a variant."""
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
            if not is_acronym_pair(self.label(node.value), variant.value):
                variants[node.value].add(variant)
            if note is not None:
                notes[node.value].add(note.value)
        for node in sorted(variants):
            printed = sorted(v.value for v in variants[node])
            self.add("title-differs-between-places",
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
                self.add("criterion-numbering-gap",
                         f"Unit {self.entity(unit).notation}, learning outcome {prefix}: criteria numbered without "
                         f"{', '.join(f'{prefix}.{m}' for m in missing)}.", [unit, outcome])

    def unachievable(self) -> None:
        from ccgraph.checks import plans

        for q, notation in sorted(self.select("""
                SELECT DISTINCT ?q ?notation WHERE { ?q a ccg:Qualification ; ccg:hasRule ?rule OPTIONAL { ?q skos:notation ?notation } }"""), key=_first):
            rules = plans.load(self.store, str(notation))
            if not plans.achievable(rules):
                self.add("qualification-cannot-be-achieved",
                         f"No set of {rules.notation}'s own units meets all its rules of combination.", [q])

    def source_notes(self) -> None:
        """Everything the transcribers noticed in the sources, as they described it, of the kind its noteKind says."""
        notes: dict[str, dict] = {}
        for note, kind, concerned, token, scheme in self.select("""
                SELECT DISTINCT ?note ?kind ?concerned ?token ?scheme WHERE {
                  ?note a ccg:SourceNote .
                  OPTIONAL { ?note ccg:noteKind ?kind } OPTIONAL { ?note ccg:concerns ?concerned }
                  OPTIONAL { ?note ccg:concernsNotation ?token } OPTIONAL { ?note skos:inScheme ?scheme }
                }"""):
            entry = notes.setdefault(note, {"kind": kind, "scheme": scheme, "concerned": set(), "tokens": set()})
            if concerned is not None:
                entry["concerned"].add(concerned)
            if token is not None:
                entry["tokens"].add(str(token))
        for note, entry in sorted(notes.items()):
            concerned = sorted(entry["concerned"]) or [entry["scheme"]]
            kind = str(entry["kind"]).replace("_", " ")
            message = f"{kind[:1].upper()}{kind[1:]}: {self.label(note)}"
            own = self.locator(note)
            finding = self.add("source-note", message if message.endswith((".", ")", "'")) else message + ".", concerned,
                               [own], key=note.rsplit("/", 1)[-1], kind=note_finding_kind(kind), locate_entities=not own)
            self.note_subjects[finding.id] = (note_kind_key(kind), set(entry["concerned"]), sorted(entry["tokens"]))

    def absorb_notes(self) -> None:
        """A transcriber's note on a problem a check also found joins that finding (its words in `notes`,
        its locators added) instead of standing as a second finding on the same problem."""
        absorbed = set()
        for finding in [f for f in self.findings if f.id in self.note_subjects]:
            kind, iris, tokens = self.note_subjects[finding.id]
            checks = NOTES_ABSORBED_BY.get(kind)
            if not checks:
                continue
            token_words = [words(_strip_token(t)) for t in tokens]
            token_words = [t for t in token_words if t]
            targets = [f for f in self.findings if f.check in checks and _about(f, iris, token_words, self.label)]
            for target in targets:
                target.notes.append(finding.message)
                target.locators = sorted(set(target.locators) | set(finding.locators))
            if targets:
                absorbed.add(finding.id)
        self.findings = [f for f in self.findings if f.id not in absorbed]


def _about(finding: Finding, iris: set[str], token_words: list[set[str]], label) -> bool:
    """Is a finding about what a note names: a node both concern, or a code or name of the note (all its
    words) among the codes and names of the finding's entities and its key?"""
    if iris & {e.iri for e in finding.entities}:
        return True
    known = set().union(*(words(e.notation) | words(label(e.iri)) for e in finding.entities), *(words(part) for part in finding.id.split(":", 1)[-1].split("+")))
    return any(t <= known for t in token_words)


def _strip_token(token: str) -> str:
    """'203 (L/503/0394)' -> '203'; 'NOS 25' -> '25'; 'LO 3' -> '3'."""
    token = re.sub(r"\s*\(.*\)$", "", token.strip())
    return re.sub(r"^(?:NOS|LO|unit|C&G)\s+", "", token, flags=re.IGNORECASE)


def is_acronym_pair(a: str, b: str) -> bool:
    """True if one name is an acronym of the other: its letters are the initials of the other's words in
    order, starting with the first word ('OCR' and 'Oxford Cambridge and RSA Examinations'). Words may be
    skipped, a word in capitals may give more than one letter ('RSA'), and a small word gives a letter
    only where the acronym has a small letter ('CfA', 'Council for Administration')."""
    short, long = sorted((a.strip(), b.strip()), key=len)
    if " " in short or len(short) < 2 or sum(c.isupper() for c in short) < 2 or len(long.split()) < 2:
        return False
    letters = short.replace("&", "").replace(".", "")
    names = re.findall(r"[A-Za-z][\w'-]*", long)

    def match(i: int, j: int) -> bool:  # letters[i:] from names[j:]
        if i == len(letters):
            return True
        for k in range(j, len(names)):
            name = names[k]
            if k == 0 or name[0].isupper() or letters[i].islower():
                if name[0].lower() == letters[i].lower() and match(i + 1, k + 1):
                    return True
                if name.isupper() and letters[i:i + len(name)].lower() == name.lower() and match(i + len(name), k + 1):
                    return True
            if k == 0:
                return False  # the acronym starts with the first word
        return False

    return bool(names) and match(0, 0)


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _first(row: tuple):
    """Rows sort by their node (the first column); the other columns may hold None, which does not compare."""
    return row[0]


def audit(store: Store, shapes=None) -> AuditReport:
    """The audit of a store; shapes (an rdflib graph of SHACL shapes) adds the SHACL results."""
    return Auditor(store).run(shapes)
