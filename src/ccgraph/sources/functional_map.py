"""The Government Contact Centres Functional Map (seed 004), from data/functional-map/*.csv to RDF.

Tables (each row keeps a locator into the seed file):
    key_purpose.csv        the key purpose statement
    key_areas.csv          A-D, with the variant title of the key-area list where it differs
    areas_of_competence.csv, functions.csv, nos.csv   the map's rows
    source_references.csv  each printed "(body – suite)" reference, split into body and suite
"""

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ccgraph.graph.namespaces import CCG, code_segment, mint, slug
from ccgraph.sources.common import describe, en, link_broader, source_document
from ccgraph.sources.tables import Row, read_table

SEED_FILE = "004_b9e4e2b2d465afe3.txt"
FRAMEWORK_SLUG = "functional-map"
FRAMEWORK_TITLE = "Government Contact Centres Functional Map"

# The Origin column's wording -> the ontology's origin type.
ORIGIN_TYPES = {
    "Import": CCG.Imported,
    "Tailored": CCG.Tailored,
    "New NOS based on existing NOS": CCG.NewBasedOnExisting,
    "New NOS": CCG.New,
    "Awaiting approval from UKCES": CCG.AwaitingApproval,
}
DERIVED_ORIGINS = {CCG.Imported, CCG.Tailored, CCG.NewBasedOnExisting}


def framework_iri() -> URIRef:
    return mint(FRAMEWORK_SLUG)


def entity_iri(code: str) -> URIRef:
    """Key areas, areas, functions and government NOS share one namespace: their codes are unique."""
    return mint(FRAMEWORK_SLUG, code_segment(code))


def suite_iri(suite: str) -> URIRef:
    return mint("suite", slug(suite))


def suite_nos_iri(suite: str, code: str) -> URIRef:
    """A source NOS is named by suite and code: codes repeat across suites (C4 is in three)."""
    return mint("suite", slug(suite), code_segment(code))


def organisation_iri(name: str) -> URIRef:
    return mint("org", slug(name))


def load(folder: Path, graph: Graph) -> None:
    source = source_document(SEED_FILE)
    framework = framework_iri()
    describe(graph, framework, CCG.Framework, label=FRAMEWORK_TITLE, source=source, locator="document title, line 3")

    _key_purpose(folder, graph, framework, source)
    _key_areas(folder, graph, framework, source)
    _areas(folder, graph, framework, source)
    _functions(folder, graph, framework, source)
    references = _suites_and_bodies(folder, graph, source)
    _standards(folder, graph, framework, source, references)


def _key_purpose(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    (row,) = read_table(folder / "key_purpose.csv", ("text", "locator"), nonempty=("text",))
    purpose = mint(FRAMEWORK_SLUG, "key-purpose")
    describe(graph, purpose, CCG.KeyPurpose, label=row["text"], source=source, locator=row["locator"], scheme=framework)
    graph.add((framework, CCG.keyPurpose, purpose))


def _key_areas(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    columns = ("code", "title", "locator", "variant_title", "variant_locator")
    for row in read_table(folder / "key_areas.csv", columns, nonempty=("code", "title")):
        area = entity_iri(row["code"])
        locator = row["locator"]
        if row["variant_title"]:
            locator += f"; variant title in {row['variant_locator']}"
        describe(graph, area, CCG.KeyArea, label=row["title"], notation=row["code"], scheme=framework, source=source, locator=locator)
        graph.add((area, SKOS.topConceptOf, framework))
        graph.add((framework, SKOS.hasTopConcept, area))
        if row["variant_title"]:
            graph.add((area, SKOS.altLabel, en(row["variant_title"])))
            graph.add((area, SKOS.editorialNote, en(
                f"Two titles are printed: '{row['title']}' in the {row['locator']} (kept as prefLabel) and "
                f"'{row['variant_title']}' in the {row['variant_locator']} (kept as altLabel).")))


def _areas(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    for row in read_table(folder / "areas_of_competence.csv", ("code", "key_area", "title", "locator"), nonempty=("code", "key_area", "title")):
        area = describe(graph, entity_iri(row["code"]), CCG.AreaOfCompetence, label=row["title"], notation=row["code"],
                        scheme=framework, source=source, locator=row["locator"])
        link_broader(graph, area, entity_iri(row["key_area"]))


def _functions(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    for row in read_table(folder / "functions.csv", ("code", "area_of_competence", "title", "locator"), nonempty=("code", "area_of_competence", "title")):
        function = describe(graph, entity_iri(row["code"]), CCG.Function, label=row["title"], notation=row["code"],
                            scheme=framework, source=source, locator=row["locator"])
        link_broader(graph, function, entity_iri(row["area_of_competence"]))


def _suites_and_bodies(folder: Path, graph: Graph, source: URIRef) -> dict[str, Row]:
    """Suites and standard-setting bodies, keyed by the reference as printed."""
    columns = ("reference_as_printed", "body_as_printed", "suite_as_printed", "order_as_printed", "body", "suite", "reasoning")
    references = {}
    for row in read_table(folder / "source_references.csv", columns, nonempty=columns[:-1]):
        references[row["reference_as_printed"]] = row
        locator = f"Origin column, reference '({row['reference_as_printed']})'"
        body = describe(graph, organisation_iri(row["body"]), CCG.Organisation, label=row["body"], source=source, locator=locator)
        if row["body_as_printed"] != row["body"]:
            graph.add((body, SKOS.altLabel, en(row["body_as_printed"])))
            graph.add((body, SKOS.editorialNote, en(
                f"Printed as '{row['body_as_printed']}' in the reference '({row['reference_as_printed']})'; elsewhere as '{row['body']}'.")))
        suite = describe(graph, suite_iri(row["suite"]), CCG.StandardsSuite, label=row["suite"], source=source, locator=locator)
        graph.add((suite, CCG.developedBy, body))
        graph.add((suite, CCG.referenceText, Literal(row["reference_as_printed"])))
        graph.add((suite, CCG.referenceOrder, Literal(row["order_as_printed"])))
        if row["reasoning"]:
            graph.add((suite, SKOS.editorialNote, en(row["reasoning"])))
    return references


def _standards(folder: Path, graph: Graph, framework: URIRef, source: URIRef, references: dict[str, Row]) -> None:
    columns = ("code", "function", "title", "origin_as_printed", "source_code", "source_title", "source_reference", "origin_cell", "locator")
    for row in read_table(folder / "nos.csv", columns, nonempty=("code", "function", "title", "origin_as_printed", "origin_cell")):
        nos = describe(graph, entity_iri(row["code"]), CCG.NationalOccupationalStandard, label=row["title"], notation=row["code"],
                       scheme=framework, source=source, locator=row["locator"])
        link_broader(graph, nos, entity_iri(row["function"]))
        origin = ORIGIN_TYPES.get(row["origin_as_printed"])
        if origin is None:
            raise row.fail(f"unknown origin {row['origin_as_printed']!r} (expected one of {', '.join(ORIGIN_TYPES)})")
        graph.add((nos, CCG.originType, origin))
        graph.add((nos, CCG.originText, Literal(row["origin_cell"])))

        suite_name = None
        if row["source_reference"]:
            reference = references.get(row["source_reference"])
            if reference is None:
                raise row.fail(f"reference {row['source_reference']!r} is not in source_references.csv")
            suite_name = reference["suite"]
            graph.add((nos, CCG.originSuite, suite_iri(suite_name)))
        if row["source_code"]:
            if suite_name is None:
                raise row.fail(f"source NOS {row['source_code']} has no suite reference")
            parent = suite_nos_iri(suite_name, row["source_code"])
            if (parent, SKOS.prefLabel, None) not in graph:
                describe(graph, parent, CCG.NationalOccupationalStandard, label=row["source_title"], notation=row["source_code"],
                         scheme=suite_iri(suite_name), source=source, locator=f"Origin column of {row['code']}, {row['locator']}")
                graph.add((parent, CCG.inSuite, suite_iri(suite_name)))
            elif (parent, SKOS.prefLabel, en(row["source_title"])) not in graph:
                graph.add((parent, SKOS.altLabel, en(row["source_title"])))
            graph.add((nos, CCG.derivedFrom, parent))
