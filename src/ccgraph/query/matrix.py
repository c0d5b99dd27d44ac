"""The role x competency matrix, read back from the graph (never from the CSV it was built from)."""

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ccgraph.graph.namespaces import CCG

STATUS_NAMES = {CCG.Certain: "certain", CCG.Reconstructed: "reconstructed", CCG.Unresolved: "unresolved"}


@dataclass(frozen=True)
class MatrixRole:
    iri: URIRef
    label: str


@dataclass(frozen=True)
class MatrixRow:
    iri: URIRef
    notation: str
    title: str
    category: str
    legal_obligation: bool


@dataclass(frozen=True)
class Cell:
    """One cell: a level where one is asserted; status 'blank' where the matrix has nothing."""

    level: int | None
    status: str  # certain | reconstructed | unresolved | blank
    raw: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        if self.status == "unresolved":
            return "?"
        return "" if self.level is None else str(self.level)


BLANK = Cell(None, "blank")


@dataclass(frozen=True)
class Matrix:
    roles: tuple[MatrixRole, ...]
    rows: tuple[MatrixRow, ...]
    cells: dict[tuple[str, str], Cell]  # (competency notation, role label) -> cell

    def cell(self, row: MatrixRow, role: MatrixRole) -> Cell:
        return self.cells.get((row.notation, role.label), BLANK)

    def counts(self) -> dict[str, int]:
        tally = {"certain": 0, "reconstructed": 0, "unresolved": 0, "blank": 0}
        for row in self.rows:
            for role in self.roles:
                tally[self.cell(row, role).status] += 1
        return tally


def natural_key(code: str):
    """A1.2 < A1.10 < A2.1: numbers compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def from_graph(graph: Graph) -> Matrix:
    roles = sorted(
        (MatrixRole(r, str(graph.value(r, SKOS.prefLabel))) for r in set(graph.subjects(RDF.type, CCG.Role))),
        key=lambda role: (int(graph.value(role.iri, CCG.matrixPosition) or 999), role.label),
    )
    rows = []
    for competency in set(graph.subjects(RDF.type, CCG.Competency)):
        notation = str(graph.value(competency, SKOS.notation))
        legal = graph.value(competency, CCG.legalObligation)
        rows.append(MatrixRow(competency, notation, str(graph.value(competency, SKOS.prefLabel)), notation[:1],
                              bool(legal is not None and legal.toPython())))
    rows.sort(key=lambda row: natural_key(row.notation))
    cells = {}
    for role in roles:
        for requirement in graph.objects(role.iri, CCG.hasRequirement):
            competency = graph.value(requirement, CCG.competency)
            level = graph.value(graph.value(requirement, CCG.abilityLevel), CCG.levelNumber)
            status = STATUS_NAMES.get(graph.value(requirement, CCG.readingStatus), "certain")
            cells[(str(graph.value(competency, SKOS.notation)), role.label)] = Cell(
                None if level is None else int(level), status,
                str(graph.value(requirement, CCG.rawText) or ""), str(graph.value(requirement, CCG.readingNote) or ""))
    return Matrix(tuple(roles), tuple(rows), cells)
