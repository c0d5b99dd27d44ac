"""City & Guilds 3412 NVQ in Contact Centre Operations (seed 003), from data/city-and-guilds-3412/ to RDF.

Qualifications, their groups and rules of combination (as ccg:CombinationRule data the plan
checker reads), units with their figures, learning outcomes and assessment criteria, barred
pairs, the Contact Centre NOS each unit page names, and units 319 / 619 with their replacement.
"""

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ..namespaces import CCG, code_segment, mint
from .common import describe, en, link_broader, source_document
from .tables import Row, read_table

SEED_FILE = "003_8321c74646ce9f55.txt"
SLUG = "city-and-guilds-3412"
TITLE = "NVQ in Contact Centre Operations (3412)"
AWARDING_BODY = "City & Guilds"
CONTACT_CENTRE_SUITE = "Contact Centre"  # as the unit pages print it: "Contact Centre NOS 19"

# How "at level N" in a level rule is read: the QCF convention, credits at level N or above.
LEVEL_READING = "Read as credits from units at this level or above, the QCF convention for a qualification's level rule."


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
    _qualifications(folder, graph, framework, source, body)
    _groups_and_rules(folder, graph, framework, source, units)
    _barred_pairs(folder, graph, framework, source, units)


def _int(row: Row, column: str) -> Literal | None:
    value = row.get(column)
    if not value:
        return None
    if not value.isdigit():
        raise row.fail(f"{column} {value!r} is not a whole number")
    return Literal(int(value), datatype=XSD.integer)


def _add_int(graph: Graph, subject, prop, row: Row, column: str) -> None:
    value = _int(row, column)
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
               "replacement_raw", "linked_standard_raw", "locator")
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


def _outcome_iri(unit: str, number: str) -> URIRef:
    return mint(SLUG, "unit", code_segment(unit), "outcome", code_segment(number))


def _management_standard(graph: Graph, source: URIRef, row: Row) -> URIRef:
    """'Council for Administration Management NOS: M&LA2 Manage your own ...', as units 319 and 619 print it."""
    code, _, title = row["linked_standard_raw"].partition(" ")
    suite = mint("suite", "management-nos")
    nos = mint("suite", "management-nos", code_segment(code))
    if (nos, SKOS.notation, None) not in graph:
        locator = f"'Relationship to NOS' of unit {row['unit']}: {row['other_standards_raw']}"
        describe(graph, suite, CCG.StandardsSuite, label="Management NOS", source=source, locator=locator)
        body = mint("org", "council-for-administration")
        if (body, SKOS.prefLabel, None) not in graph:
            describe(graph, body, CCG.Organisation, label="Council for Administration", source=source, locator=locator)
        graph.add((suite, CCG.developedBy, body))
        graph.add((suite, CCG.referenceText, Literal(row["other_standards_raw"].removeprefix("This unit is linked to ").split(":")[0])))
        graph.add((suite, CCG.referenceOrder, Literal("body – suite")))
        describe(graph, nos, CCG.NationalOccupationalStandard, label=title, notation=code, scheme=suite, source=source, locator=locator)
        graph.add((nos, CCG.inSuite, suite))
    return nos


# ---------------------------------------------------------------- qualifications and their rules


def _qualifications(folder: Path, graph: Graph, framework: URIRef, source: URIRef, body: URIRef) -> None:
    columns = ("number", "title", "title_at_a_glance", "qan", "level", "total_credits", "min_credits_at_level",
               "min_credits_level", "level_rule_raw", "glh", "tqt", "rule_text", "locator")
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
        first_sentence = row["rule_text"].split("\n", 1)[0]
        total = _rule(graph, q, rule_iri(number, "total-credits"), first_sentence, row["locator"], source)
        graph.add((total, CCG.minimumCredits, _int(row, "total_credits")))
        if row["min_credits_at_level"]:
            level = _rule(graph, q, rule_iri(number, "credits-at-level"), row["level_rule_raw"], row["locator"], source)
            graph.add((level, CCG.minimumCredits, _int(row, "min_credits_at_level")))
            graph.add((level, CCG.minimumUnitLevel, _int(row, "min_credits_level")))
            graph.add((level, CCG.readingNote, Literal(LEVEL_READING)))


def _rule(graph: Graph, qualification: URIRef, iri: URIRef, text: str, locator: str, source: URIRef) -> URIRef:
    graph.add((iri, RDF.type, CCG.CombinationRule))
    graph.add((iri, CCG.ruleText, Literal(text)))
    graph.add((iri, CCG.sourceLocator, Literal(locator)))
    graph.add((iri, DCTERMS.source, source))
    graph.add((qualification, CCG.hasRule, iri))
    return iri


def _groups_and_rules(folder: Path, graph: Graph, framework: URIRef, source: URIRef, units: set[str]) -> None:
    groups: dict[tuple[str, str], URIRef] = {}
    for row in read_table(folder / "group_units.csv", ("qualification", "group", "unit", "locator"), nonempty=("qualification", "group", "unit")):
        if row["unit"] not in units:
            raise row.fail(f"group lists unit {row['unit']}, which units.csv does not list")
        key = (row["qualification"], row["group"])
        if key not in groups:
            groups[key] = group_iri(*key)
        graph.add((groups[key], CCG.includesUnit, unit_iri(row["unit"])))

    columns = ("qualification", "group", "group_title", "row_kind", "credits_stated", "credits_qualifier", "min_credits",
               "max_credits", "min_units", "max_units", "max_credits_at_level", "max_credits_level", "units_listed", "rule_text", "locator")
    group_minimum: dict[str, URIRef] = {}
    pools = []
    for row in read_table(folder / "unit_groups.csv", columns, nonempty=("qualification", "group", "row_kind")):
        number, q = row["qualification"], qualification_iri(row["qualification"])
        kind = row["row_kind"]
        if kind == "group":
            group = group_iri(number, row["group"])
            if (row["qualification"], row["group"]) not in groups:
                raise row.fail(f"group {row['group']} of {number} lists no units in group_units.csv")
            describe(graph, group, CCG.UnitGroup, label=row["group_title"] or f"Group {row['group']}", notation=row["group"],
                     scheme=framework, source=source, locator=row["locator"])
            graph.add((q, CCG.hasUnitGroup, group))
            link_broader(graph, group, q)
            if not row["rule_text"]:
                continue
            rule = _rule(graph, q, rule_iri(number, f"group-{code_segment(row['group'])}"), row["rule_text"], row["locator"], source)
            graph.add((rule, CCG.scopeGroup, group))
            if row["credits_qualifier"].lower().startswith(("both mandatory", "all mandatory")):
                graph.add((rule, CCG.allUnitsRequired, Literal(True)))
            _bounds(graph, rule, row)
            if row["min_credits"]:
                group_minimum[f"{number} {row['group']}"] = rule
        elif kind == "pool":
            pools.append(row)
        elif kind == "unit-set cap":
            listed = [u.strip() for u in row["units_listed"].replace(" and ", ",").split(",") if u.strip()]
            rule = _rule(graph, q, rule_iri(number, "units-" + "-".join(listed)), row["rule_text"], row["locator"], source)
            for code in listed:
                if code in units:
                    graph.add((rule, CCG.scopeUnit, unit_iri(code)))
                graph.add((rule, CCG.scopeUnitNotation, Literal(code)))
            _bounds(graph, rule, row)
        else:
            raise row.fail(f"unknown row_kind {kind!r} (expected group, pool or unit-set cap)")
    for row in pools:
        # "The remaining 10 credits from any other Group B or C units": on top of the named groups' minimums.
        number, q = row["qualification"], qualification_iri(row["qualification"])
        names = [g.strip() for g in row["group"].split(" or ")]
        rule = _rule(graph, q, rule_iri(number, "groups-" + "-".join(names)), row["rule_text"], row["locator"], source)
        for name in names:
            graph.add((rule, CCG.scopeGroup, group_iri(number, name)))
            if f"{number} {name}" in group_minimum:
                graph.add((rule, CCG.inAdditionTo, group_minimum[f"{number} {name}"]))
        if row["credits_qualifier"].lower() == "the remaining":
            graph.add((rule, CCG.minimumCredits, _int(row, "credits_stated")))
        if row["max_credits_at_level"]:
            capped = _rule(graph, q, rule_iri(number, "groups-" + "-".join(names) + "-level-" + row["max_credits_level"]),
                           row["rule_text"], row["locator"], source)
            for name in names:
                graph.add((capped, CCG.scopeGroup, group_iri(number, name)))
            graph.add((capped, CCG.maximumCredits, _int(row, "max_credits_at_level")))
            graph.add((capped, CCG.minimumUnitLevel, _int(row, "max_credits_level")))
            graph.add((capped, CCG.readingNote, Literal(LEVEL_READING)))


def _bounds(graph: Graph, rule: URIRef, row: Row) -> None:
    for prop, column in ((CCG.minimumCredits, "min_credits"), (CCG.maximumCredits, "max_credits"),
                         (CCG.minimumUnits, "min_units"), (CCG.maximumUnits, "max_units"), (CCG.statedCredits, "credits_stated")):
        if column == "credits_stated" and not row["credits_qualifier"].lower().startswith(("both mandatory", "all mandatory")):
            continue  # a stated figure is kept only where the text states it as a fact, not as a bound
        _add_int(graph, rule, prop, row, column)


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
