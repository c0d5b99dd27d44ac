"""CSV tables for people who will never touch RDF: one file per ccg class that has instances, one row per entity.

Columns: iri, code (skos:notation), label (skos:prefLabel), parent (the code of skos:broader) and
parent_iri, source_locator (ccg:sourceLocator), source_document (its title) and source_file (the seed
file it was transcribed from). Read through the store with SPARQL, asserted graphs only (the closure
would add cross-scheme parents). Where an entity has several values (an organisation named in two
documents) they are sorted and joined with " | ". Rows run in natural order of code ("2" before "10").
"""

import csv
import io
import re

from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store
from ccgraph.publish.model import ReleaseFile

COLUMNS = ("iri", "code", "label", "parent", "parent_iri", "source_locator", "source_document", "source_file")
JOIN = " | "

_MEMBERS = """
SELECT DISTINCT ?class ?entity WHERE { ?entity a ?class . FILTER(isIRI(?entity) && STRSTARTS(STR(?class), STR(ccg:))) }
"""
# column -> a query giving (?entity, ?value); a column pair shares one query so that values stay paired
_VALUES = {
    ("code",): "SELECT DISTINCT ?entity ?value WHERE { ?entity skos:notation ?value }",
    ("label",): "SELECT DISTINCT ?entity ?value WHERE { ?entity skos:prefLabel ?value }",
    ("parent", "parent_iri"): """SELECT DISTINCT ?entity ?value ?parent WHERE {
        ?entity skos:broader ?parent . OPTIONAL { ?parent skos:notation ?value } }""",
    ("source_locator",): "SELECT DISTINCT ?entity ?value WHERE { ?entity ccg:sourceLocator ?value }",
    ("source_document", "source_file"): """SELECT DISTINCT ?entity ?value ?file WHERE {
        ?entity dcterms:source ?document . OPTIONAL { ?document dcterms:title ?value } OPTIONAL { ?document ccg:seedFile ?file } }""",
}


def table_files(store: Store) -> list[ReleaseFile]:
    members: dict[str, list[str]] = {}
    for class_iri, entity in store.select(_MEMBERS, where="release tables").values():
        members.setdefault(class_iri, []).append(entity)
    cells = _cells(store)
    files = []
    for class_iri in sorted(members):
        name = class_iri.removeprefix(str(CCG))
        rows = [{"iri": entity, **{c: JOIN.join(v) for c, v in cells.get(entity, {}).items()}} for entity in members[class_iri]]
        rows.sort(key=lambda row: (_natural(row.get("code", "")), row["iri"]))
        files.append(ReleaseFile(f"tables/{name}.csv", _csv(rows), f"Every ccg:{name}, one row each (CSV)", "text/csv"))
    return files


def _cells(store: Store) -> dict[str, dict[str, list[str]]]:
    """entity -> column -> its values, sorted (paired columns sorted together)."""
    cells: dict[str, dict[str, list[str]]] = {}
    for columns, text in _VALUES.items():
        pairs: dict[str, set[tuple]] = {}
        for row in store.select(text, where="release tables").values():
            pairs.setdefault(row[0], set()).add(tuple("" if v is None else str(v) for v in row[1:]))
        for entity, values in pairs.items():
            ordered = sorted(values)
            for index, column in enumerate(columns):
                cells.setdefault(entity, {})[column] = [value[index] for value in ordered]
    return cells


def _natural(code: str) -> tuple:
    """'GS CC AA1.10' after 'GS CC AA1.9': digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code) if part)


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")  # RFC 4180, as text/csv says
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
