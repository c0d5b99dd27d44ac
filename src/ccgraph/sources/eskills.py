"""The e-skills UK Contact Centre Career and Skills Framework (seed 000, counts of 001), to RDF.

Categories, subcategories and competencies (codes are the category letter plus the printed number,
as the document prints no codes of its own), the 11 roles, the 4 levels of ability as a SKOS scheme,
the 'Customer service ethos' descriptors, and the role x competency matrix. The matrix is built from
matrix_cells.csv, where every cell says how it was read by the reading rule of the folder's README:
certain, reconstructed (with the reasoning), unresolved (raw text kept, no level asserted) or blank
(nothing printed: a ccg:NotPrinted cell linked by ccg:hasBlankCell, which is not a requirement).
"""

import csv
import difflib
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ccgraph.graph.namespaces import CCG, code_segment, mint, slug
from ccgraph.sources.common import describe, en, link_broader, source_document
from ccgraph.sources.notes import load as load_notes
from ccgraph.sources.tables import read_table

SEED_FILE = "000_0474dc13b7c2c3fe.txt"
SUMMARY_SEED_FILE = "001_43bff50ea3ba2dee.txt"
SLUG = "eskills-framework"
TITLE = "Contact Centre Career and Skills Framework"
STATUS = {"certain": CCG.Certain, "reconstructed": CCG.Reconstructed, "unresolved": CCG.Unresolved, "blank": CCG.NotPrinted}
# What each stated count in counts.csv counts, where the graph can count it too.
COUNTED_CLASSES = {
    "competencies": CCG.Competency,
    "competency categories (clusters) named in 001": CCG.CompetencyCategory,
    "roles": CCG.Role,
    "levels of ability": CCG.AbilityLevel,
}
# Section 1.3 states the NOS levels for ability levels 1 and 4 and says the mapping "continues as the
# ability levels ascend"; between those ends that leaves one NOS level for each of levels 2 and 3. That is
# an inference, recorded as ccg:inferredCorrespondsToNOSLevel, never as the printed ccg:correspondsToNOSLevel.
ASCENDING_READING = ("Inferred, not printed: section 1.3 gives level 1 -> NOS levels 1 and 2 and level 4 -> NOS level 5, "
                     "and says only 'This mapping continues as the ability levels ascend', which leaves NOS level {nos} here.")


def framework_iri() -> URIRef:
    return mint(SLUG)


def levels_scheme_iri() -> URIRef:
    return mint(SLUG, "levels")


def entity_iri(code: str) -> URIRef:
    return mint(SLUG, code_segment(code))


def role_iri(name: str) -> URIRef:
    return mint(SLUG, "role", slug(name))


def level_iri(number: str | int) -> URIRef:
    return mint(SLUG, "level", str(number))


def load(folder: Path, graph: Graph) -> None:
    source = source_document(SEED_FILE)
    framework = framework_iri()
    describe(graph, framework, CCG.Framework, label=TITLE, source=source, locator="document title, line 1")
    graph.add((framework, SKOS.editorialNote, en(
        "The document prints category letters only in the matrix labels and numbers subcategories and competencies "
        "within their category ('1.1 Customer service ethos'); notations here are letter + printed number (A1.1).")))
    _hierarchy(folder, graph, framework, source)
    _levels(folder, graph, source)
    _roles(folder, graph, framework, source)
    _nos_levels(graph, source)
    _ethos(folder, graph, source)
    _matrix(folder, graph, source)
    _stated_counts(folder, graph)
    load_notes(folder, graph, framework, source)


def _hierarchy(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    for row in read_table(folder / "categories.csv", ("code", "title", "description", "locator"), nonempty=("code", "title")):
        category = describe(graph, entity_iri(row["code"]), CCG.CompetencyCategory, label=row["title"], notation=row["code"],
                            scheme=framework, source=source, locator=row["locator"])
        graph.add((category, SKOS.topConceptOf, framework))
        graph.add((framework, SKOS.hasTopConcept, category))
        if row["description"]:
            graph.add((category, SKOS.definition, en(row["description"])))
    for row in read_table(folder / "subcategories.csv", ("code", "category", "title", "locator"), nonempty=("code", "category", "title")):
        sub = describe(graph, entity_iri(row["code"]), CCG.CompetencySubcategory, label=row["title"], notation=row["code"],
                       scheme=framework, source=source, locator=row["locator"])
        link_broader(graph, sub, entity_iri(row["category"]))
    for row in read_table(folder / "competencies.csv", ("code", "printed_code", "subcategory", "title", "legal_obligation", "locator"),
                          nonempty=("code", "subcategory", "title", "legal_obligation")):
        if row["legal_obligation"] not in ("true", "false"):
            raise row.fail(f"legal_obligation must be true or false, not {row['legal_obligation']!r}")
        competency = describe(graph, entity_iri(row["code"]), CCG.Competency, label=row["title"], notation=row["code"],
                              scheme=framework, source=source, locator=row["locator"])
        link_broader(graph, competency, entity_iri(row["subcategory"]))
        graph.add((competency, CCG.legalObligation, Literal(row["legal_obligation"] == "true")))


def _levels(folder: Path, graph: Graph, source: URIRef) -> None:
    scheme = levels_scheme_iri()
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, en("Levels of ability")))
    graph.add((scheme, DCTERMS.source, source))
    graph.add((scheme, CCG.sourceLocator, Literal("section 3.4 'Levels of ability'")))
    rows = read_table(folder / "ability_levels.csv", ("number", "name", "guideline_descriptor", "key_descriptor", "nos_levels",
                                                      "nos_correspondence_raw", "locator"), nonempty=("number", "name"))
    stated = {int(r["number"]): [int(n) for n in r["nos_levels"].split("|") if n] for r in rows}
    for row in rows:
        number = int(row["number"])
        level = describe(graph, level_iri(number), CCG.AbilityLevel, label=row["name"], notation=row["number"], scheme=scheme,
                         source=source, locator=row["locator"])
        graph.add((level, SKOS.topConceptOf, scheme))
        graph.add((level, CCG.levelNumber, Literal(number, datatype=XSD.integer)))
        if row["guideline_descriptor"]:
            graph.add((level, SKOS.definition, en(row["guideline_descriptor"])))
        if row["key_descriptor"]:
            graph.add((level, SKOS.scopeNote, en(row["key_descriptor"])))
        for nos_level in stated[number]:
            graph.add((level, CCG.correspondsToNOSLevel, Literal(nos_level, datatype=XSD.integer)))
        if not stated[number] and stated.get(1) and stated.get(4):
            # One step per level from the stated bottom; recorded only if it stays below the stated top.
            reading = max(stated[1]) + (number - 1)
            if reading < min(stated[4]):
                graph.add((level, CCG.inferredCorrespondsToNOSLevel, Literal(reading, datatype=XSD.integer)))
                graph.add((level, CCG.readingNote, Literal(ASCENDING_READING.format(nos=reading))))
                graph.add((level, CCG.rawText, Literal(row["nos_correspondence_raw"])))


def _nos_levels(graph: Graph, source: URIRef) -> None:
    """The NOS levels section 1.3 refers to, as concepts the level and role mappings can point at."""
    scheme = mint("nos-level")
    numbers = {int(n) for p in (CCG.correspondsToNOSLevel, CCG.inferredCorrespondsToNOSLevel, CCG.primaryNOSLevel)
               for n in graph.objects(None, p)}
    if not numbers:
        return
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, en("NOS levels")))
    for number in sorted(numbers):
        level = describe(graph, mint("nos-level", str(number)), CCG.NOSLevel, label=f"NOS level {number}", notation=str(number),
                         scheme=scheme, source=source, locator="section 1.3 'The Framework and the National Occupational Standards', lines 62-63")
        graph.add((level, SKOS.topConceptOf, scheme))


def _roles(folder: Path, graph: Graph, framework: URIRef, source: URIRef) -> None:
    columns = ("name", "description", "matrix_header_variants", "matrix_header_note", "nos_level_statement", "locator")
    for position, row in enumerate(read_table(folder / "roles.csv", columns, nonempty=("name", "description")), start=1):
        role = describe(graph, role_iri(row["name"]), CCG.Role, label=row["name"], scheme=framework, source=source, locator=row["locator"])
        graph.add((role, SKOS.definition, en(row["description"])))
        graph.add((role, CCG.matrixPosition, Literal(position, datatype=XSD.integer)))
        variants = [v for v in row["matrix_header_variants"].split("|") if v]
        for variant in variants:
            kind = _variant_kind(variant, [row["name"], *variants])
            if kind is not None:
                graph.add((role, kind, en(variant)))
        if row["matrix_header_note"]:
            graph.add((role, SKOS.editorialNote, en(f"Matrix headers: {row['matrix_header_note']}")))
        match = re.search(r"NOS Level (\d+)", row["nos_level_statement"])
        if match:
            graph.add((role, CCG.primaryNOSLevel, Literal(int(match[1]), datatype=XSD.integer)))
            graph.add((role, SKOS.note, en(row["nos_level_statement"])))


def _variant_kind(variant: str, names: list[str]):
    """altLabel for a real spelling variant, hiddenLabel for a misspelling, None for a header fragment."""
    if variant == names[0]:
        return None
    if not variant[:1].isascii() or not variant[:1].isupper():
        return None  # a piece of a header cell split by the extraction ("dvisor")
    if any(variant != other and variant in other for other in names):
        return None  # a truncated header ("Customer Service Adviso")
    letters = re.sub(r"[^a-z]", "", variant.lower())
    for other in names:
        if other == variant:
            continue
        if re.sub(r"[^a-z]", "", other.lower()) == letters:
            return SKOS.altLabel  # differs only in spacing or punctuation
        if difflib.SequenceMatcher(None, other.lower(), variant.lower()).ratio() > 0.95:
            return SKOS.hiddenLabel  # one or two letters off: a misprint, kept findable
    return SKOS.altLabel


def _ethos(folder: Path, graph: Graph, source: URIRef) -> None:
    competency = entity_iri("A1.1")  # section 3.4 gives "Customer service ethos" as its example
    for row in read_table(folder / "ethos_descriptors.csv", ("level", "text", "raw", "locator"), nonempty=("level", "text")):
        descriptor = mint(SLUG, "A1.1", "level", row["level"])
        if (descriptor, RDF.type, CCG.LevelDescriptor) not in graph:
            graph.add((descriptor, RDF.type, CCG.LevelDescriptor))
            graph.add((descriptor, SKOS.prefLabel, en(f"Customer service ethos at level {row['level']}")))
            graph.add((descriptor, CCG.describesCompetency, competency))
            graph.add((descriptor, CCG.describesLevel, level_iri(row["level"])))
            graph.add((descriptor, DCTERMS.source, source))
            graph.add((descriptor, CCG.sourceLocator, Literal(row["locator"])))
            graph.add((descriptor, CCG.rawText, Literal(row["raw"])))
        graph.add((descriptor, CCG.descriptorText, Literal(row["text"])))


def _matrix(folder: Path, graph: Graph, source: URIRef) -> None:
    columns = ("competency", "role", "level", "status", "raw", "reasoning", "source", "locator")
    path = folder / "matrix_cells.csv"
    rows = read_table(path, columns, nonempty=("competency", "role", "status"))
    # read_table strips every value; the raw cell keeps its TAB (the two halves of the split Sales Advisor column).
    with path.open(newline="", encoding="utf-8") as handle:
        raws = [record["raw"] or "" for record in csv.DictReader(handle)]
    for row, raw in zip(rows, raws, strict=True):
        status = STATUS.get(row["status"])
        if status is None:
            raise row.fail(f"unknown status {row['status']!r} (expected certain, reconstructed, unresolved or blank)")
        if row["level"] and row["status"] in ("unresolved", "blank"):
            raise row.fail(f"a cell read as {row['status']} asserts no level")
        if not row["level"] and row["status"] in ("certain", "reconstructed"):
            raise row.fail(f"a cell read as {row['status']} asserts a level (a cell with nothing printed is 'blank')")
        if row["level"] and row["level"] not in ("1", "2", "3", "4"):
            raise row.fail(f"level {row['level']!r} is not 1-4")
        role, competency = role_iri(row["role"]), entity_iri(row["competency"])
        requirement = mint(SLUG, "role", slug(row["role"]), code_segment(row["competency"]))
        graph.add((requirement, RDF.type, CCG.RoleRequirement))
        # A blank cell is a fact (nothing printed) but no requirement: it hangs off its role by its own link.
        graph.add((role, CCG.hasBlankCell if status == CCG.NotPrinted else CCG.hasRequirement, requirement))
        graph.add((requirement, CCG.competency, competency))
        graph.add((requirement, CCG.readingStatus, status))
        graph.add((requirement, DCTERMS.source, source))
        graph.add((requirement, CCG.sourceLocator, Literal(row["locator"])))
        if row["level"]:
            graph.add((requirement, CCG.abilityLevel, level_iri(row["level"])))
        if row["status"] in ("reconstructed", "unresolved"):
            graph.add((requirement, CCG.rawText, Literal(raw)))
            graph.add((requirement, CCG.readingNote, Literal(row["reasoning"])))
        elif row["status"] == "blank":
            if raw.strip():
                graph.add((requirement, CCG.rawText, Literal(raw)))
            if row["reasoning"]:
                graph.add((requirement, CCG.readingNote, Literal(row["reasoning"])))


def _stated_counts(folder: Path, graph: Graph) -> None:
    for row in read_table(folder / "counts.csv", ("what", "stated_value", "stated_where"), nonempty=("what",)):
        counted = COUNTED_CLASSES.get(row["what"])
        if counted is None or not row["stated_value"]:
            continue
        seed = row["stated_where"].split(",", 1)[0]
        count = mint(SLUG, "stated-count", slug(row["what"]))
        graph.add((count, RDF.type, CCG.StatedCount))
        graph.add((count, SKOS.prefLabel, en(f"{row['stated_value']} {row['what']}")))
        graph.add((count, CCG.statedCount, Literal(int(row["stated_value"]), datatype=XSD.integer)))
        graph.add((count, CCG.countsInstancesOf, counted))
        graph.add((count, CCG.aboutFramework, framework_iri()))
        graph.add((count, CCG.rawText, Literal(row["stated_where"])))
        graph.add((count, DCTERMS.source, source_document(seed)))
        graph.add((count, CCG.sourceLocator, Literal(row["stated_where"].split(":", 1)[0])))
