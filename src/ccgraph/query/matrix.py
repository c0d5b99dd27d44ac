"""The role x competency matrix, read back from the graph (never from the CSV it was built from)."""

import re
from dataclasses import dataclass

from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store

STATUS_NAMES = {str(CCG.Certain): "certain", str(CCG.Reconstructed): "reconstructed", str(CCG.Unresolved): "unresolved"}


@dataclass(frozen=True)
class MatrixRole:
    iri: str
    label: str


@dataclass(frozen=True)
class MatrixRow:
    iri: str
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


# MIN picks one value where a property could repeat; GROUP BY keeps a triple held in two named
# graphs (shown twice by the union default graph) from doubling a row.
ROLES = """
SELECT ?role (MIN(?label) AS ?name) (MIN(?position) AS ?order) WHERE {
  ?role a ccg:Role .
  OPTIONAL { ?role skos:prefLabel ?label }
  OPTIONAL { ?role ccg:matrixPosition ?position }
} GROUP BY ?role
"""

COMPETENCIES = """
SELECT ?competency (MIN(?n) AS ?notation) (MIN(?label) AS ?title) (MIN(?legal) AS ?obligation) WHERE {
  ?competency a ccg:Competency .
  OPTIONAL { ?competency skos:notation ?n }
  OPTIONAL { ?competency skos:prefLabel ?label }
  OPTIONAL { ?competency ccg:legalObligation ?legal }
} GROUP BY ?competency
"""

CELLS = """
SELECT ?role (MIN(?n) AS ?notation) (MIN(?number) AS ?level) (MIN(?s) AS ?status) (MIN(?raw) AS ?text) (MIN(?note) AS ?comment)
WHERE {
  ?role a ccg:Role ; ccg:hasRequirement ?requirement .
  OPTIONAL { ?requirement ccg:competency/skos:notation ?n }
  OPTIONAL { ?requirement ccg:abilityLevel/ccg:levelNumber ?number }
  OPTIONAL { ?requirement ccg:readingStatus ?s }
  OPTIONAL { ?requirement ccg:rawText ?raw }
  OPTIONAL { ?requirement ccg:readingNote ?note }
} GROUP BY ?role ?requirement
"""


def from_store(store: Store) -> Matrix:
    """The matrix in three queries: roles, competencies, and every requirement of every role."""
    select = lambda text: store.select(text, where="matrix").values()  # noqa: E731
    labels = {}
    roles = []
    for iri, label, position in select(ROLES):
        labels[iri] = str(label)
        roles.append((999 if position is None else int(position), str(label), iri))
    rows = [MatrixRow(iri, str(notation), str(title), str(notation)[:1], obligation is True)
            for iri, notation, title, obligation in select(COMPETENCIES)]
    rows.sort(key=lambda row: natural_key(row.notation))
    cells = {}
    for role, notation, level, status, raw, note in select(CELLS):
        cells[(str(notation), labels[role])] = Cell(None if level is None else int(level), STATUS_NAMES.get(status, "certain"),
                                                    str(raw or ""), str(note or ""))
    return Matrix(tuple(MatrixRole(iri, label) for _, label, iri in sorted(roles)), tuple(rows), cells)
