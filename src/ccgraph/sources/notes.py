"""notes.csv of a transcription folder: what the transcriber noticed in the source, as ccg:SourceNote.

Each note names the entities it concerns as the transcriber wrote them ('203|204 (L/503/0394)');
every token that is the code or name of an entity of this source's scheme is linked with
ccg:concerns, and all are kept as ccg:concernsNotation.
"""

import hashlib
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG
from ccgraph.sources.common import en
from ccgraph.sources.tables import read_table


def load(folder: Path, graph: Graph, scheme: URIRef, source: URIRef) -> None:
    path = folder / "notes.csv"
    if not path.is_file():
        return
    index = _index(graph, scheme)
    for row in read_table(path, ("kind", "entities", "description", "locator"), nonempty=("kind", "description")):
        digest = hashlib.sha1("\t".join((row["kind"], row["entities"], row["description"])).encode()).hexdigest()[:12]
        note = URIRef(f"{scheme}/note/{digest}")
        graph.add((note, RDF.type, CCG.SourceNote))
        graph.add((note, CCG.noteKind, Literal(row["kind"])))
        graph.add((note, SKOS.prefLabel, en(row["description"])))
        graph.add((note, CCG.sourceLocator, Literal(row["locator"])))
        graph.add((note, DCTERMS.source, source))
        graph.add((note, SKOS.inScheme, scheme))
        for token in filter(None, (t.strip() for t in row["entities"].split("|"))):
            graph.add((note, CCG.concernsNotation, Literal(token)))
            code = re.sub(r"\s*\(.*\)$", "", token)  # "203 (L/503/0394)" -> "203"
            for entity in index.get(code, ()):
                graph.add((note, CCG.concerns, entity))


def _index(graph: Graph, scheme: URIRef) -> dict[str, set[URIRef]]:
    """Codes and names of the entities of this source, to resolve the notes' words to entities."""
    index: dict[str, set[URIRef]] = {}
    for entity in graph.subjects(SKOS.inScheme, scheme):
        if (entity, RDF.type, CCG.LearningOutcome) in graph or (entity, RDF.type, CCG.AssessmentCriterion) in graph:
            continue
        for prop in (SKOS.notation, SKOS.prefLabel):
            for value in graph.objects(entity, prop):
                index.setdefault(str(value), set()).add(entity)
    return index
