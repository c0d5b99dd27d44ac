"""OCR Contact Centre Operations NVQs 10265 / 10268 / 10269 (seed 002), from data/ocr-contact-centre/ to RDF.

OCR numbers its units locally per qualification and prints neither levels nor credits. Each listing
is a ccg:Unit of its own; where title (and so level) makes it certain, it is skos:exactMatch to the
City & Guilds unit, and the match method is kept; otherwise the candidates are kept and the match
is marked unresolved, with no choice made.
"""

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG, code_segment, mint, slug
from ccgraph.sources.city_and_guilds import age_eligibility, unit_iri as cg_unit_iri
from ccgraph.sources.combination import Namer, groups_and_rules, qualification_rules, whole_number
from ccgraph.sources.common import describe, en, source_document
from ccgraph.sources.notes import load as load_notes
from ccgraph.sources.tables import read_table

SEED_FILE = "002_545bdd81e066066f.txt"
SLUG = "ocr-contact-centre"
TITLE = "Contact Centre Operations"


def qualification_iri(number: str) -> URIRef:
    return mint(SLUG, code_segment(number))


def group_iri(number: str, group: str) -> URIRef:
    return mint(SLUG, code_segment(number), "group", code_segment(group))


def unit_iri(number: str, unit: str) -> URIRef:
    return mint(SLUG, code_segment(number), "unit", code_segment(unit))


NAMER = Namer(qualification=qualification_iri, group=group_iri,
              rule=lambda number, name: mint(SLUG, code_segment(number), "rule", name), unit=unit_iri)


def load(folder: Path, graph: Graph) -> None:
    source = source_document(SEED_FILE)
    framework = mint(SLUG)
    describe(graph, framework, CCG.Framework, label=TITLE, source=source, locator="datasheet title, line 3")
    body = describe(graph, mint("org", "ocr"), CCG.Organisation, label="OCR", source=source,
                    locator="'What is an NVQ?': 'Oxford Cambridge and RSA Examinations (OCR)', line 17")
    graph.add((body, SKOS.altLabel, en("Oxford Cambridge and RSA Examinations")))

    columns = ("number", "title", "title_in_structure", "level", "total_credits", "min_credits_at_level", "min_credits_level",
               "level_rule_raw", "job_roles", "rule_text", "barred_rule_text", "age_group", "age_group_raw", "age_group_locator", "locator")
    for row in read_table(folder / "qualifications.csv", columns, nonempty=("number", "title", "level", "total_credits")):
        q = describe(graph, qualification_iri(row["number"]), CCG.Qualification, label=row["title"], notation=row["number"],
                     scheme=framework, source=source, locator=row["locator"])
        if row["title_in_structure"]:
            graph.add((q, SKOS.altLabel, en(row["title_in_structure"])))
        graph.add((q, CCG.awardedBy, body))
        graph.add((q, CCG.level, whole_number(row, "level")))
        graph.add((q, CCG.creditValue, whole_number(row, "total_credits")))
        graph.add((q, CCG.ruleText, Literal(row["rule_text"])))
        for role in filter(None, row["job_roles"].split("|")):
            graph.add((q, CCG.jobRole, Literal(role)))
            title = describe(graph, mint(SLUG, "job-title", code_segment(row["number"]), slug(role)), CCG.JobTitle, label=role,
                             scheme=framework, source=source, locator=f"job roles named for {row['number']}: {row['locator']}")
            graph.add((title, CCG.jobTitleFor, q))
        qualification_rules(graph, NAMER, row, source, row["rule_text"])
        age_eligibility(graph, q, mint(SLUG, code_segment(row["number"]), "age-eligibility"), row, source)

    listed = set()
    for row in read_table(folder / "group_units.csv", ("qualification", "group", "ocr_unit_number", "title", "locator"),
                          nonempty=("qualification", "group", "ocr_unit_number", "title")):
        number, code = row["qualification"], row["ocr_unit_number"]
        unit = describe(graph, unit_iri(number, code), CCG.Unit, label=row["title"], notation=code, scheme=framework,
                        source=source, locator=row["locator"])
        listed.add((number, row["group"]))
        graph.add((group_iri(number, row["group"]), CCG.includesUnit, unit))

    columns = ("qualification", "group", "group_title", "heading_raw", "row_kind", "credits_stated", "credits_qualifier",
               "min_credits", "max_credits", "min_units", "max_units", "rule_text", "locator")
    groups_and_rules(graph, NAMER, read_table(folder / "unit_groups.csv", columns, nonempty=("qualification", "group", "row_kind")),
                     framework, source, listed)

    for row in read_table(folder / "barred_units.csv", ("qualification", "unit", "barred_unit", "raw", "locator"),
                          nonempty=("qualification", "unit", "barred_unit")):
        number = row["qualification"]
        pair = mint(SLUG, code_segment(number), "barred", f"{code_segment(row['unit'])}-{code_segment(row['barred_unit'])}")
        graph.add((pair, RDF.type, CCG.BarredUnitPair))
        graph.add((pair, SKOS.prefLabel, en(f"{row['raw']} barred in {number}")))
        graph.add((pair, DCTERMS.source, source))
        graph.add((pair, CCG.sourceLocator, Literal(row["locator"])))
        graph.add((qualification_iri(number), CCG.hasBarredPair, pair))
        for code in (row["unit"], row["barred_unit"]):
            graph.add((pair, CCG.barredUnit, unit_iri(number, code)))

    for row in read_table(folder / "unit_matches.csv", ("qualification", "ocr_unit_number", "cg_unit", "status", "method", "candidates"),
                          nonempty=("qualification", "ocr_unit_number", "status", "method")):
        listing = unit_iri(row["qualification"], row["ocr_unit_number"])
        graph.add((listing, CCG.matchMethod, Literal(row["method"])))
        if row["status"] == "certain":
            graph.add((listing, SKOS.exactMatch, cg_unit_iri(row["cg_unit"])))
            graph.add((listing, CCG.matchStatus, CCG.Certain))
        elif row["status"] == "unresolved":
            graph.add((listing, CCG.matchStatus, CCG.Unresolved))
            for candidate in filter(None, row["candidates"].split("|")):
                graph.add((listing, CCG.matchCandidate, cg_unit_iri(candidate)))
        elif row["status"] != "no-match":
            raise row.fail(f"unknown match status {row['status']!r} (expected certain, unresolved or no-match)")
    load_notes(folder, graph, framework, source)
