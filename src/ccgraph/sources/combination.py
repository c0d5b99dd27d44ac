"""Rules of combination from a qualification's transcription tables, shared by every awarding body.

unit_groups.csv rows are of three kinds: a lettered 'group' (its heading and, where the text gives
one, its own rule), a 'pool' ("the remaining 10 credits from any other Group B or C units") and a
'unit-set cap' ("no more than two units may be taken from units 112, 113 and 114"). Each becomes a
ccg:CombinationRule the plan checker reads; the words are kept as printed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ccgraph.graph.namespaces import CCG, code_segment
from ccgraph.sources.common import describe, link_broader
from ccgraph.sources.tables import Row

# How "at level N" in a level rule is read: the QCF convention, credits at level N or above.
LEVEL_READING = "Read as credits from units at this level or above, the QCF convention for a qualification's level rule."


@dataclass(frozen=True)
class Namer:
    """How one awarding body's transcription names its qualifications, groups, rules and units."""

    qualification: Callable[[str], URIRef]
    group: Callable[[str, str], URIRef]
    rule: Callable[[str, str], URIRef]
    unit: Callable[[str, str], URIRef]  # (qualification, unit code) -> unit


def whole_number(row: Row, column: str) -> Literal | None:
    value = row.get(column)
    if not value:
        return None
    if not value.isdigit():
        raise row.fail(f"{column} {value!r} is not a whole number")
    return Literal(int(value), datatype=XSD.integer)


def add_rule(graph: Graph, qualification: URIRef, iri: URIRef, text: str, locator: str, source: URIRef) -> URIRef:
    graph.add((iri, RDF.type, CCG.CombinationRule))
    graph.add((iri, CCG.ruleText, Literal(text)))
    graph.add((iri, CCG.sourceLocator, Literal(locator)))
    graph.add((iri, DCTERMS.source, source))
    graph.add((qualification, CCG.hasRule, iri))
    return iri


def qualification_rules(graph: Graph, namer: Namer, row: Row, source: URIRef, first_sentence: str) -> None:
    """The total-credits rule and the level rule of one qualifications.csv row."""
    number = row["number"]
    q = namer.qualification(number)
    total = add_rule(graph, q, namer.rule(number, "total-credits"), first_sentence, row["locator"], source)
    graph.add((total, CCG.minimumCredits, whole_number(row, "total_credits")))
    if row.get("min_credits_at_level"):
        level = add_rule(graph, q, namer.rule(number, "credits-at-level"), row["level_rule_raw"], row["locator"], source)
        graph.add((level, CCG.minimumCredits, whole_number(row, "min_credits_at_level")))
        graph.add((level, CCG.minimumUnitLevel, whole_number(row, "min_credits_level")))
        graph.add((level, CCG.readingNote, Literal(LEVEL_READING)))


def group_names(text: str) -> list[str]:
    """'B, C or D' -> ['B', 'C', 'D']."""
    return [name.strip() for name in re.split(r",|\bor\b", text) if name.strip()]


def groups_and_rules(graph: Graph, namer: Namer, rows: list[Row], framework: URIRef, source: URIRef, listed: set[tuple[str, str]]) -> None:
    """Groups (described, linked to their qualification) and every rule the rows state.

    listed holds the (qualification, group) pairs that group_units.csv gives units for.
    """
    minimums: dict[tuple[str, str], URIRef] = {}
    later = []
    for row in rows:
        number, q, kind = row["qualification"], namer.qualification(row["qualification"]), row["row_kind"]
        if kind == "group":
            if (number, row["group"]) not in listed:
                raise row.fail(f"group {row['group']} of {number} lists no units in group_units.csv")
            group = describe(graph, namer.group(number, row["group"]), CCG.UnitGroup,
                             label=row.get("heading_raw") or row["group_title"] or f"Group {row['group']}",
                             notation=row["group"], scheme=framework, source=source, locator=row["locator"])
            graph.add((q, CCG.hasUnitGroup, group))
            link_broader(graph, group, q)
            if row["rule_text"] or "mandatory" in (row["group_title"] + row.get("heading_raw")).lower():
                rule = add_rule(graph, q, namer.rule(number, f"group-{code_segment(row['group'])}"),
                                row["rule_text"] or row.get("heading_raw") or row["group_title"], row["locator"], source)
                graph.add((rule, CCG.scopeGroup, group))
                _bounds(graph, rule, row)
                if graph.value(rule, CCG.minimumCredits) is not None:
                    minimums[(number, row["group"])] = rule
        elif kind in ("pool", "unit-set cap"):
            later.append(row)
        else:
            raise row.fail(f"unknown row_kind {kind!r} (expected group, pool or unit-set cap)")
    for row in later:
        number, q = row["qualification"], namer.qualification(row["qualification"])
        if row["row_kind"] == "unit-set cap":
            codes = [u.strip() for u in re.split(r",|\band\b", row["units_listed"]) if u.strip()]
            rule = add_rule(graph, q, namer.rule(number, "units-" + "-".join(codes)), row["rule_text"], row["locator"], source)
            for code in codes:
                graph.add((rule, CCG.scopeUnitNotation, Literal(code)))
                if (namer.unit(number, code), RDF.type, CCG.Unit) in graph:
                    graph.add((rule, CCG.scopeUnit, namer.unit(number, code)))
            _bounds(graph, rule, row)
            continue
        names = group_names(row["group"])
        rule = add_rule(graph, q, namer.rule(number, "groups-" + "-".join(names)), row["rule_text"], row["locator"], source)
        for name in names:
            graph.add((rule, CCG.scopeGroup, namer.group(number, name)))
            # "the remaining ..." credits come on top of the minimums of the groups the pool includes
            if "remaining" in row["rule_text"].lower() and (number, name) in minimums:
                graph.add((rule, CCG.inAdditionTo, minimums[(number, name)]))
        _bounds(graph, rule, row)
        if row.get("max_credits_at_level"):
            capped = add_rule(graph, q, namer.rule(number, "groups-" + "-".join(names) + "-level-" + row["max_credits_level"]),
                              row["rule_text"], row["locator"], source)
            for name in names:
                graph.add((capped, CCG.scopeGroup, namer.group(number, name)))
            graph.add((capped, CCG.maximumCredits, whole_number(row, "max_credits_at_level")))
            graph.add((capped, CCG.minimumUnitLevel, whole_number(row, "max_credits_level")))
            graph.add((capped, CCG.readingNote, Literal(LEVEL_READING)))


def _bounds(graph: Graph, rule: URIRef, row: Row) -> None:
    """Bounds as the text states them; 'mandatory' groups require all their units."""
    qualifier = row["credits_qualifier"].lower()
    heading = (row["group_title"] + " " + row.get("heading_raw")).lower()
    mandatory = qualifier.startswith(("both mandatory", "all mandatory")) or "mandatory" in heading
    if mandatory:
        graph.add((rule, CCG.allUnitsRequired, Literal(True)))
        if row["credits_stated"]:
            graph.add((rule, CCG.statedCredits, whole_number(row, "credits_stated")))
    for prop, column in ((CCG.minimumCredits, "min_credits"), (CCG.maximumCredits, "max_credits"),
                         (CCG.minimumUnits, "min_units"), (CCG.maximumUnits, "max_units")):
        value = whole_number(row, column)
        if value is not None and not (mandatory and column in ("min_units", "max_units")):
            graph.add((rule, prop, value))
    if not mandatory and not row["min_credits"] and row["credits_stated"] and qualifier in ("the remaining", "a further"):
        graph.add((rule, CCG.minimumCredits, whole_number(row, "credits_stated")))
