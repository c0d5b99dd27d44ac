"""City & Guilds 3412 NVQ in Contact Centre Operations (seed 003), from data/city-and-guilds-3412/ to RDF.

Qualifications, their groups and rules of combination (as ccg:CombinationRule data the plan
checker reads), units with their figures, learning outcomes and assessment criteria, barred
pairs, the Contact Centre NOS each unit page names, and units 319 / 619 with their replacement.
"""

import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG, code_segment, mint
from ccgraph.sources.combination import Namer, groups_and_rules, qualification_rules, whole_number
from ccgraph.sources.common import describe, en, link_broader, source_document
from ccgraph.sources.notes import load as load_notes
from ccgraph.sources.tables import Row, read_table

SEED_FILE = "003_8321c74646ce9f55.txt"
SLUG = "city-and-guilds-3412"
TITLE = "NVQ in Contact Centre Operations (3412)"
AWARDING_BODY = "City & Guilds"
CONTACT_CENTRE_SUITE = "Contact Centre"  # as the unit pages print it: "Contact Centre NOS 19"



def framework_iri() -> URIRef:
    return mint(SLUG)


def qualification_iri(number: str) -> URIRef:
    return mint(SLUG, code_segment(number))


def group_iri(number: str, group: str) -> URIRef:
    return mint(SLUG, code_segment(number), "group", code_segment(group))


def rule_iri(number: str, name: str) -> URIRef:
    return mint(SLUG, code_segment(number), "rule", name)


def unit_iri(unit: str) -> URIRef:
    return mint(SLUG, "unit", code_segment(unit))


def contact_centre_suite_iri() -> URIRef:
    return mint("suite", "contact-centre")


def contact_centre_nos_iri(number: str) -> URIRef:
    return mint("suite", "contact-centre", code_segment(number))


def load(folder: Path, graph: Graph) -> None:
    source = source_document(SEED_FILE)
    framework = framework_iri()
    describe(graph, framework, CCG.Framework, label=TITLE, source=source, locator="document title, line 3")
    body = describe(graph, mint("org", "city-and-guilds"), CCG.Organisation, label=AWARDING_BODY, source=source,
                    locator="'City & Guilds number' in 'Qualification at a glance', line 14")
    units = _units(folder, graph, framework, source)
    _unit_pages(folder, graph, framework, source, units)
    _unit_printings(folder, graph, source, units)
    _qualifications(folder, graph, framework, source, body)
    _groups_and_rules(folder, graph, framework, source, units)
    _barred_pairs(folder, graph, framework, source, units)
    load_notes(folder, graph, framework, source)


def _add_int(graph: Graph, subject, prop, row: Row, column: str) -> None:
    value = whole_number(row, column)
    if value is not None:
        graph.add((subject, prop, value))


# ---------------------------------------------------------------- units


def _units(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> set[str]:
    rows = read_table(folder / "units.csv", ("unit", "unit_as_printed", "uan", "title", "level", "glh", "credit", "variant", "appearances", "locator"),
                      nonempty=("unit", "title"))
    by_unit: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_unit[row["unit"]].append(row)
    for code, variants in by_unit.items():
        # Where one unit is printed with two titles, the most printed is the label, the other an altLabel.
        variants.sort(key=lambda r: -int(r.get("appearances") or 0))
        main = variants[0]
        unit = describe(graph, unit_iri(code), CCG.Unit, label=main["title"], notation=code, scheme=framework,
                        source=source, locator=main["locator"])
        for other in variants[1:]:
            if other["title"] != main["title"]:
                graph.add((unit, SKOS.altLabel, en(other["title"])))
                graph.add((unit, SKOS.editorialNote, en(f"Also printed as '{other['title']}': {other['locator']}.")))
            for column in ("uan", "level", "glh", "credit"):
                if other[column] != main[column]:
                    raise other.fail(f"unit {code} printed with two {column} values; the table needs one row per value")
        if main["unit_as_printed"] != code:
            graph.add((unit, CCG.rawText, Literal(main["unit_as_printed"])))
        if main["uan"]:
            graph.add((unit, CCG.unitAccreditationNumber, Literal(main["uan"])))
        _add_int(graph, unit, CCG.level, main, "level")
        _add_int(graph, unit, CCG.guidedLearningHours, main, "glh")
        _add_int(graph, unit, CCG.creditValue, main, "credit")
    return set(by_unit)


def _unit_pages(folder: Path, graph: Graph, framework: URIRef, source: URIRef, units: set[str]) -> None:
    columns = ("unit", "aim", "contact_centre_nos", "nos_raw", "other_standards_raw", "replaced_by", "replaces",
               "replacement_raw", "linked_standard_raw", "linked_standard_code", "locator")
    suite = contact_centre_suite_iri()
    for row in read_table(folder / "unit_details.csv", columns, nonempty=("unit",)):
        unit = unit_iri(row["unit"])
        if row["unit"] not in units:
            raise row.fail(f"unit page for {row['unit']}, which units.csv does not list")
        if row["aim"]:
            graph.add((unit, CCG.aim, Literal(row["aim"])))
        graph.add((unit, CCG.sourceLocator, Literal(row["locator"])))
        for number in filter(None, (n.strip() for n in row["contact_centre_nos"].split("|"))):
            nos = contact_centre_nos_iri(number)
            if (nos, SKOS.notation, None) not in graph:
                describe(graph, nos, CCG.NationalOccupationalStandard, label=f"Contact Centre NOS {number}", notation=number,
                         scheme=suite, source=source, locator=f"'Relationship to NOS' of unit {row['unit']}: {row['nos_raw']}")
                graph.add((nos, CCG.inSuite, suite))
            graph.add((unit, CCG.coversStandard, nos))
        if row["linked_standard_raw"]:
            graph.add((unit, CCG.coversStandard, _management_standard(graph, source, row)))
        if row["replaced_by"]:
            graph.add((unit, CCG.replacedBy, unit_iri(row["replaced_by"])))
        if row["replacement_raw"]:
            graph.add((unit, CCG.replacementNote, Literal(row["replacement_raw"])))
    if (None, CCG.inSuite, suite) in graph:
        describe(graph, suite, CCG.StandardsSuite, label=CONTACT_CENTRE_SUITE, source=source,
                 locator="'Relationship to NOS' rows of the unit pages ('This unit is linked to Contact Centre NOS n.')")
    for row in read_table(folder / "learning_outcomes.csv", ("unit", "outcome_number", "text", "locator"), nonempty=("unit", "outcome_number", "text")):
        outcome = describe(graph, _outcome_iri(row["unit"], row["outcome_number"]), CCG.LearningOutcome, label=row["text"],
                           notation=row["outcome_number"], scheme=framework, source=source, locator=row["locator"])
        graph.add((unit_iri(row["unit"]), CCG.hasLearningOutcome, outcome))
        link_broader(graph, outcome, unit_iri(row["unit"]))
    for row in read_table(folder / "assessment_criteria.csv", ("unit", "outcome_number", "criterion_number", "text", "locator"),
                          nonempty=("unit", "outcome_number", "criterion_number", "text")):
        outcome = _outcome_iri(row["unit"], row["outcome_number"])
        criterion = describe(graph, mint(SLUG, "unit", code_segment(row["unit"]), "outcome", code_segment(row["outcome_number"]),
                                         "criterion", code_segment(row["criterion_number"])),
                             CCG.AssessmentCriterion, label=row["text"], notation=row["criterion_number"], scheme=framework,
                             source=source, locator=row["locator"])
        graph.add((outcome, CCG.hasAssessmentCriterion, criterion))
        link_broader(graph, criterion, outcome)


def _unit_printings(folder: Path, graph: Graph, source: URIRef, units: set[str]) -> None:
    """Every place the handbook prints a unit with figures (unit_appearances.csv), values as printed there,
    so that the audit can hold the tables, the contents and the summary table against the unit page."""
    columns = ("source_kind", "unit", "title", "level", "glh", "credit", "line", "locator")
    for row in read_table(folder / "unit_appearances.csv", columns, nonempty=("source_kind", "unit", "line", "locator")):
        if row["unit"] not in units:
            raise row.fail(f"unit {row['unit']} is printed here but units.csv does not list it")
        printing = mint(SLUG, "unit", code_segment(row["unit"]), "printed", f"line-{code_segment(row['line'])}")
        graph.add((printing, RDF.type, CCG.UnitPrinting))
        graph.add((printing, CCG.printingOf, unit_iri(row["unit"])))
        graph.add((printing, CCG.printedIn, Literal(row["source_kind"])))
        graph.add((printing, DCTERMS.source, source))
        graph.add((printing, CCG.sourceLocator, Literal(row["locator"])))
        if row["title"]:
            graph.add((printing, CCG.printedTitle, Literal(row["title"])))
        for prop, column in ((CCG.level, "level"), (CCG.guidedLearningHours, "glh"), (CCG.creditValue, "credit")):
            _add_int(graph, printing, prop, row, column)


def _outcome_iri(unit: str, number: str) -> URIRef:
    return mint(SLUG, "unit", code_segment(unit), "outcome", code_segment(number))


def _management_standard(graph: Graph, source: URIRef, row: Row) -> URIRef:
    """'Council for Administration Management NOS: M&LA2 Manage your own ...', as units 319 and 619 print it."""
    code = row["linked_standard_code"]
    reference, _, standard = row["linked_standard_raw"].partition(": ")
    if not code or not standard.startswith(code + " "):
        raise row.fail(f"linked standard {row['linked_standard_raw']!r} does not start with its code {code!r}")
    title = standard[len(code) + 1:]
    suite = mint("suite", "management-nos")
    nos = mint("suite", "management-nos", code_segment(code))
    if (nos, SKOS.notation, None) not in graph:
        locator = f"'Relationship to NOS' of unit {row['unit']}: {row['other_standards_raw']}"
        describe(graph, suite, CCG.StandardsSuite, label="Management NOS", source=source, locator=locator)
        body = mint("org", "council-for-administration")
        if (body, SKOS.prefLabel, None) not in graph:
            describe(graph, body, CCG.Organisation, label="Council for Administration", source=source, locator=locator)
        graph.add((suite, CCG.developedBy, body))
        graph.add((suite, CCG.referenceText, Literal(reference)))
        graph.add((suite, CCG.referenceOrder, Literal("body – suite")))
        describe(graph, nos, CCG.NationalOccupationalStandard, label=title, notation=code, scheme=suite, source=source, locator=locator)
        graph.add((nos, CCG.inSuite, suite))
    return nos


# ---------------------------------------------------------------- qualifications and their rules


NAMER = Namer(
    qualification=qualification_iri,
    group=group_iri,
    rule=rule_iri,
    unit=lambda qualification, code: unit_iri(code),
)


def _qualifications(folder: Path, graph: Graph, framework: URIRef, source: URIRef, body: URIRef) -> None:
    columns = ("number", "title", "title_at_a_glance", "qan", "level", "total_credits", "min_credits_at_level",
               "min_credits_level", "level_rule_raw", "glh", "tqt", "age_group", "age_group_raw", "age_group_locator", "rule_text", "locator")
    for row in read_table(folder / "qualifications.csv", columns, nonempty=("number", "title", "qan", "level", "total_credits")):
        number = row["number"]
        q = describe(graph, qualification_iri(number), CCG.Qualification, label=row["title"], notation=number, scheme=framework,
                     source=source, locator=row["locator"])
        if row["title_at_a_glance"] and row["title_at_a_glance"] != row["title"]:
            graph.add((q, SKOS.altLabel, en(row["title_at_a_glance"])))
        graph.add((q, CCG.qualificationAccreditationNumber, Literal(row["qan"])))
        graph.add((q, CCG.awardedBy, body))
        graph.add((q, CCG.ruleText, Literal(row["rule_text"])))
        for prop, column in ((CCG.level, "level"), (CCG.creditValue, "total_credits"), (CCG.guidedLearningHours, "glh"),
                             (CCG.totalQualificationTime, "tqt")):
            _add_int(graph, q, prop, row, column)
        qualification_rules(graph, NAMER, row, source, row["rule_text"].split("\n", 1)[0])
        age_eligibility(graph, q, mint(SLUG, code_segment(number), "age-eligibility"), row, source)


def age_eligibility(graph: Graph, qualification: URIRef, iri: URIRef, row: Row, source: URIRef) -> None:
    """The age group a qualification is open to, as printed (age_group, age_group_raw, age_group_locator):
    '16+' gives a ccg:minimumAge of 16; 'All' or 'any age' gives none. Shared with the OCR loader."""
    if not row.get("age_group"):
        return
    if not row.get("age_group_raw") or not row.get("age_group_locator"):
        raise row.fail("age_group needs age_group_raw (the words as printed) and age_group_locator")
    describe(graph, iri, CCG.AgeEligibility, label=row["age_group_raw"], source=source, locator=row["age_group_locator"])
    graph.add((iri, CCG.ageGroup, Literal(row["age_group"])))
    if minimum := re.fullmatch(r"(\d+)\+", row["age_group"]):
        graph.add((iri, CCG.minimumAge, Literal(int(minimum[1]))))
    elif row["age_group"].lower() not in ("all", "any age"):
        raise row.fail(f"age_group {row['age_group']!r} is neither 'N+' nor 'All' / 'any age'")
    graph.add((qualification, CCG.ageEligibility, iri))


def _groups_and_rules(folder: Path, graph: Graph, framework: URIRef, source: URIRef, units: set[str]) -> None:
    listed = set()
    for row in read_table(folder / "group_units.csv", ("qualification", "group", "unit", "locator"), nonempty=("qualification", "group", "unit")):
        if row["unit"] not in units:
            raise row.fail(f"group lists unit {row['unit']}, which units.csv does not list")
        listed.add((row["qualification"], row["group"]))
        graph.add((group_iri(row["qualification"], row["group"]), CCG.includesUnit, unit_iri(row["unit"])))
    columns = ("qualification", "group", "group_title", "row_kind", "credits_stated", "credits_qualifier", "min_credits",
               "max_credits", "min_units", "max_units", "max_credits_at_level", "max_credits_level", "units_listed", "rule_text", "locator")
    rows = read_table(folder / "unit_groups.csv", columns, nonempty=("qualification", "group", "row_kind"))
    groups_and_rules(graph, NAMER, rows, framework, source, listed)


def _barred_pairs(folder: Path, graph: Graph, framework: URIRef, source: URIRef, units: set[str]) -> None:
    pairs: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in read_table(folder / "barred_units.csv", ("qualification", "unit", "barred_unit", "locator"),
                          nonempty=("qualification", "unit", "barred_unit")):
        first, second = sorted((row["unit"], row["barred_unit"]), key=lambda c: (len(c), c))
        pairs[(row["qualification"], first, second)].append(row["locator"])
    for (number, first, second), locators in sorted(pairs.items()):
        pair = mint(SLUG, code_segment(number), "barred", f"{code_segment(first)}-{code_segment(second)}")
        graph.add((pair, RDF.type, CCG.BarredUnitPair))
        graph.add((pair, SKOS.prefLabel, en(f"{first} and {second} barred in {number}")))
        graph.add((pair, DCTERMS.source, source))
        graph.add((pair, CCG.sourceLocator, Literal("; ".join(locators))))
        graph.add((qualification_iri(number), CCG.hasBarredPair, pair))
        for code in (first, second):
            graph.add((pair, CCG.barredUnit, unit_iri(code)))
