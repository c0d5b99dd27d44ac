"""SSSOM mapping sets: read a TSV (metadata block + table) into RDF, and write one back from the graph.

Each row becomes a direct SKOS triple (subject predicate object) and a ccg:Mapping node carrying
the row's metadata. A row whose object is sssom:NoTermFound says "examined, no counterpart": it gets
the node but no SKOS triple, so "no match" and "not yet examined" stay different.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG, ID

SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
NO_TERM_FOUND = SSSOM.NoTermFound
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "author_label", "comment", "subject_source", "object_source")
PREDICATES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
# Row metadata kept on the mapping node, by SSSOM slot name.
LITERAL_SLOTS = ("subject_label", "object_label", "author_label")
# The document each side comes from: a CURIE (ccgsrc:004_b9e4e2b2d465afe3) naming its ccg:SourceDocument,
# as SSSOM's entity-reference slots must be (sssom-py refuses a bare file name), kept as that IRI.
SOURCE_SLOTS = ("subject_source", "object_source")


@dataclass
class MappingSet:
    path: Path
    metadata: dict
    rows: list[dict[str, str]]

    @property
    def iri(self) -> URIRef:
        return URIRef(self.metadata["mapping_set_id"])

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".sssom.tsv")

    def expand(self, curie: str, line: int) -> URIRef:
        prefix, sep, local = curie.partition(":")
        prefixes = {**self.metadata.get("curie_map", {}), "sssom": str(SSSOM), "semapv": str(SEMAPV), "skos": str(SKOS)}
        if not sep or prefix not in prefixes:
            raise CcgraphError(f"{self.path}:{line}: {curie!r} has no prefix declared in the curie_map")
        return URIRef(prefixes[prefix] + local)


def read(path: Path) -> MappingSet:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[1:] for line in text.splitlines() if line.startswith("#"))
    try:
        metadata = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise CcgraphError(f"{path}: the '#' metadata block is not valid YAML: {' '.join(str(exc).split())[:160]}") from None
    if "mapping_set_id" not in metadata:
        raise CcgraphError(f"{path}: the metadata block has no mapping_set_id")
    body_start = sum(1 for line in text.splitlines() if line.startswith("#"))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    missing = [c for c in ("subject_id", "predicate_id", "object_id", "mapping_justification") if c not in (reader.fieldnames or [])]
    if missing:
        raise CcgraphError(f"{path}:{body_start + 1}: missing column(s) {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=body_start + 2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        row["_line"] = str(number)
        rows.append(row)
    return MappingSet(path, metadata, rows)


def mapping_iri(mapping_set: MappingSet, subject: URIRef, predicate: URIRef, target: URIRef, searched: str = "") -> URIRef:
    """Named by what it maps: set / subject / predicate / object, each as a short readable segment.

    A no-match row also names the document that was searched: one subject may have a no-match
    against units (seed 003) and another against NOS (seed 004).
    """
    def segment(iri: URIRef) -> str:
        text = str(iri)
        for base in (str(ID), str(SKOS), str(SSSOM)):
            text = text.removeprefix(base)
        return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")

    searched = searched.rpartition(":")[2]  # the searched source's local name (ccgsrc:003_x -> 003_x)
    tail = f"/{re.sub(r'[^A-Za-z0-9]+', '-', searched).strip('-')}" if target == NO_TERM_FOUND and searched else ""
    return ID[f"mappings/{mapping_set.name}/{segment(subject)}/{segment(predicate)}/{segment(target)}{tail}"]


def load(mapping_set: MappingSet, graph: Graph) -> None:
    set_iri = mapping_set.iri
    graph.add((set_iri, RDF.type, CCG.MappingSet))
    graph.add((set_iri, RDFS.label, Literal(mapping_set.name)))
    if description := mapping_set.metadata.get("mapping_set_description"):
        graph.add((set_iri, RDFS.comment, Literal(description, lang="en")))
    if licence := mapping_set.metadata.get("license"):
        graph.add((set_iri, URIRef("http://purl.org/dc/terms/license"), URIRef(licence)))
    for row in mapping_set.rows:
        line = int(row["_line"])
        subject = mapping_set.expand(row["subject_id"], line)
        predicate = mapping_set.expand(row["predicate_id"], line)
        target = mapping_set.expand(row["object_id"], line)
        if predicate not in PREDICATES:
            raise CcgraphError(f"{mapping_set.path}:{line}: predicate {row['predicate_id']} is not a SKOS mapping relation")
        node = mapping_iri(mapping_set, subject, predicate, target, row.get("object_source", ""))
        graph.add((node, RDF.type, CCG.Mapping))
        graph.add((node, CCG.inMappingSet, set_iri))
        graph.add((node, OWL.annotatedSource, subject))
        graph.add((node, OWL.annotatedProperty, predicate))
        graph.add((node, OWL.annotatedTarget, target))
        graph.add((node, SSSOM.mapping_justification, mapping_set.expand(row["mapping_justification"], line)))
        if row.get("confidence"):
            try:
                confidence = float(row["confidence"])
            except ValueError:
                raise CcgraphError(f"{mapping_set.path}:{line}: confidence {row['confidence']!r} is not a number") from None
            if not 0 <= confidence <= 1:
                raise CcgraphError(f"{mapping_set.path}:{line}: confidence {confidence} is outside 0-1")
            graph.add((node, SSSOM.confidence, Literal(confidence, datatype=XSD.double)))
        if row.get("comment"):
            graph.add((node, RDFS.comment, Literal(row["comment"])))
        for slot in LITERAL_SLOTS:
            if row.get(slot):
                graph.add((node, SSSOM[slot], Literal(row[slot])))
        for slot in SOURCE_SLOTS:
            if row.get(slot):
                graph.add((node, SSSOM[slot], mapping_set.expand(row[slot], line)))
        if target != NO_TERM_FOUND:
            graph.add((subject, predicate, target))


def write(graph: Graph, set_iri: URIRef, metadata: dict) -> str:
    """The mapping set as SSSOM TSV, rebuilt from the graph alone (metadata block from `metadata`)."""
    prefixes = metadata.get("curie_map", {})

    def curie(iri: URIRef) -> str:
        for namespace, base in (("skos", str(SKOS)), ("semapv", str(SEMAPV)), ("sssom", str(SSSOM))):
            if str(iri).startswith(base):
                return f"{namespace}:{str(iri)[len(base):]}"
        for prefix, base in sorted(prefixes.items(), key=lambda item: -len(item[1])):
            if str(iri).startswith(base):
                return f"{prefix}:{str(iri)[len(base):]}"
        raise CcgraphError(f"no prefix in the curie_map for {iri}")

    rows = []
    for node in graph.subjects(CCG.inMappingSet, set_iri):
        confidence = graph.value(node, SSSOM.confidence)
        rows.append({
            "subject_id": curie(graph.value(node, OWL.annotatedSource)),
            "subject_label": str(graph.value(node, SSSOM.subject_label) or ""),
            "predicate_id": curie(graph.value(node, OWL.annotatedProperty)),
            "object_id": curie(graph.value(node, OWL.annotatedTarget)),
            "object_label": str(graph.value(node, SSSOM.object_label) or ""),
            "mapping_justification": curie(graph.value(node, SSSOM.mapping_justification)),
            "confidence": "" if confidence is None else f"{float(confidence):g}",
            "author_label": str(graph.value(node, SSSOM.author_label) or ""),
            "comment": str(graph.value(node, RDFS.comment) or ""),
            **{slot: curie(value) if (value := graph.value(node, SSSOM[slot])) is not None else "" for slot in SOURCE_SLOTS},
        })
    # Every column in the key: a subject found in neither of two documents has two rows that differ only there.
    rows.sort(key=lambda r: (r["subject_id"], r["object_id"], r["predicate_id"], *(r[c] for c in COLUMNS)))
    out = io.StringIO()
    header = yaml.safe_dump({**metadata, "curie_map": {**prefixes, "skos": str(SKOS), "semapv": str(SEMAPV), "sssom": str(SSSOM)}},
                            sort_keys=True, allow_unicode=True)
    out.write("".join(f"#{line}\n" for line in header.splitlines()))
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
