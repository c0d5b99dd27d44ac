"""The two mapping sets the sources print themselves, written out as SSSOM from the transcriptions:

unit-contact-centre-nos  each City & Guilds unit page's "This unit is linked to Contact Centre NOS n"
ocr-cg-units             each OCR listing and its City & Guilds unit: exact where title makes it
                         certain, the candidates (as related, unresolved) where it does not
They are derived, not curated: `ccgraph mappings derive` rewrites them and a test checks they are current.
"""

from rdflib import Graph
from rdflib.namespace import SKOS

from ccgraph.graph.namespaces import CCG, ID
from ccgraph.sources.sssom import COLUMNS

CURIE_MAP = {
    "cg3412": str(ID["city-and-guilds-3412/unit/"]),
    "ccnos": str(ID["suite/contact-centre/"]),
    "mgmtnos": str(ID["suite/management-nos/"]),
    "ocr": str(ID["ocr-contact-centre/"]),
}
# Prefixes of the set's metadata, not of its entities (kept out of _curie, so an unknown entity still fails):
# subject_source / object_source name the ccg:SourceDocument, creator_id the project.
METADATA_PREFIXES = {"ccgsrc": str(ID["source/"]), "w3id": "https://w3id.org/"}
COMMON = {"license": "https://creativecommons.org/licenses/by/4.0/", "mapping_date": "2026-11-23",
          "creator_id": ["w3id:ccgraph"], "creator_label": ["The ccgraph developers"],
          "curie_map": {**CURIE_MAP, **METADATA_PREFIXES}}
CG_HANDBOOK, OCR_DATASHEET = "ccgsrc:003_8321c74646ce9f55", "ccgsrc:002_545bdd81e066066f"


def _curie(iri) -> str:
    for prefix, base in sorted(CURIE_MAP.items(), key=lambda item: -len(item[1])):
        if str(iri).startswith(base):
            return f"{prefix}:{str(iri)[len(base):]}"
    raise ValueError(f"no prefix for {iri}")


def unit_nos(graph: Graph) -> tuple[dict, list[dict]]:
    rows = []
    for unit in sorted(set(graph.subjects(CCG.aim, None))):
        for nos in sorted(graph.objects(unit, CCG.coversStandard)):
            rows.append({
                "subject_id": _curie(unit), "subject_label": str(graph.value(unit, SKOS.prefLabel)),
                "predicate_id": "skos:closeMatch", "object_id": _curie(nos), "object_label": str(graph.value(nos, SKOS.prefLabel)),
                "mapping_justification": "semapv:ManualMappingCuration", "confidence": "1",
                "author_label": "City & Guilds (as printed in the handbook)",
                "comment": f"Printed on the unit page ('Relationship to NOS'): {graph.value(nos, CCG.sourceLocator)}",
                "subject_source": CG_HANDBOOK, "object_source": CG_HANDBOOK,
            })
    metadata = {**COMMON, "mapping_set_id": str(ID["mappings/unit-contact-centre-nos"]),
                "mapping_set_title": "City & Guilds 3412 units to the Contact Centre NOS their unit pages name",
                "mapping_set_description": "City & Guilds 3412 units to the NOS their unit pages say they are linked to (set 1: printed in the source)."}
    return metadata, rows


def ocr_units(graph: Graph) -> tuple[dict, list[dict]]:
    rows = []
    for listing in sorted(set(graph.subjects(CCG.matchStatus, None))):
        status = graph.value(listing, CCG.matchStatus)
        method = str(graph.value(listing, CCG.matchMethod))
        base = {"subject_id": _curie(listing), "subject_label": str(graph.value(listing, SKOS.prefLabel)),
                "subject_source": OCR_DATASHEET, "object_source": CG_HANDBOOK,
                "author_label": "ccgraph curators"}
        if status == CCG.Certain:
            for unit in graph.objects(listing, SKOS.exactMatch):
                rows.append({**base, "predicate_id": "skos:exactMatch", "object_id": _curie(unit),
                             "object_label": str(graph.value(unit, SKOS.prefLabel)), "mapping_justification": "semapv:LexicalMatching",
                             "confidence": "0.95", "comment": f"Certain: {method}"})
        else:
            for unit in sorted(graph.objects(listing, CCG.matchCandidate)):
                rows.append({**base, "predicate_id": "skos:relatedMatch", "object_id": _curie(unit),
                             "object_label": str(graph.value(unit, SKOS.prefLabel)), "mapping_justification": "semapv:LexicalMatching",
                             "confidence": "0.5", "comment": f"Unresolved candidate, not chosen: {method}"})
    metadata = {**COMMON, "mapping_set_id": str(ID["mappings/ocr-cg-units"]),
                "mapping_set_title": "OCR unit listings to City & Guilds 3412 units",
                "mapping_set_description": "OCR unit listings to City & Guilds 3412 units (set 2): exact where the title makes it certain, candidates where it does not."}
    return metadata, rows


DERIVED = {"unit-contact-centre-nos": unit_nos, "ocr-cg-units": ocr_units}


def render(metadata: dict, rows: list[dict]) -> str:
    import csv
    import io

    import yaml

    out = io.StringIO()
    out.write("".join(f"#{line}\n" for line in yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True).splitlines()))
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: (r["subject_id"], r["object_id"], r["predicate_id"])))
    return out.getvalue()
