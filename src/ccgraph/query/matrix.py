"""The role x competency matrix, read back from the graph (never from the CSV it was built from)."""

import re
from dataclasses import dataclass, field

from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store

# ccg:NotPrinted ("blank"): nothing printed in the cell, read with certainty; a fact, not a gap and not a requirement.
STATUS_NAMES = {str(CCG.Certain): "certain", str(CCG.Reconstructed): "reconstructed", str(CCG.Unresolved): "unresolved",
                str(CCG.NotPrinted): "blank"}


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
    """One cell: a level where one is asserted; status 'blank' where nothing is printed (ccg:NotPrinted).

    `recorded` is False only for a cell the graph holds no node for (shown blank; the e-skills matrix
    records every cell)."""

    level: int | None
    status: str  # certain | reconstructed | unresolved | blank
    raw: str = ""
    note: str = ""
    recorded: bool = True

    @property
    def text(self) -> str:
        if self.status == "unresolved":
            return "?"
        return "" if self.level is None else str(self.level)


BLANK = Cell(None, "blank", recorded=False)


@dataclass(frozen=True)
class Matrix:
    roles: tuple[MatrixRole, ...]
    rows: tuple[MatrixRow, ...]
    cells: dict[tuple[str, str], Cell]  # (competency notation, role label) -> a cell read through ccg:hasRequirement
    blanks: dict[tuple[str, str], Cell] = field(default_factory=dict)  # the same, for cells with nothing printed (ccg:hasBlankCell)

    def cell(self, row: MatrixRow, role: MatrixRole) -> Cell:
        key = (row.notation, role.label)
        return self.cells.get(key) or self.blanks.get(key, BLANK)

    def counts(self) -> dict[str, int]:
        """Cells per status; 'blank' counts cells read as not printed, 'not recorded' cells the graph has no node for."""
        tally = {"certain": 0, "reconstructed": 0, "unresolved": 0, "blank": 0, "not recorded": 0}
        for row in self.rows:
            for role in self.roles:
                cell = self.cell(row, role)
                tally[cell.status if cell.recorded else "not recorded"] += 1
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

# A blank cell (nothing printed) hangs off its role by ccg:hasBlankCell, every other cell by ccg:hasRequirement.
CELLS = """
SELECT ?role (MIN(?n) AS ?notation) (MIN(?number) AS ?level) (MIN(?s) AS ?status) (MIN(?raw) AS ?text) (MIN(?note) AS ?comment)
       ?blank
WHERE {
  { ?role a ccg:Role ; ccg:hasRequirement ?requirement . BIND (false AS ?blank) }
  UNION
  { ?role a ccg:Role ; ccg:hasBlankCell ?requirement . BIND (true AS ?blank) }
  OPTIONAL { ?requirement ccg:competency/skos:notation ?n }
  OPTIONAL { ?requirement ccg:abilityLevel/ccg:levelNumber ?number }
  OPTIONAL { ?requirement ccg:readingStatus ?s }
  OPTIONAL { ?requirement ccg:rawText ?raw }
  OPTIONAL { ?requirement ccg:readingNote ?note }
} GROUP BY ?role ?requirement ?blank
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
    cells, blanks = {}, {}
    for role, notation, level, status, raw, note, blank in select(CELLS):
        (blanks if blank is True else cells)[(str(notation), labels[role])] = Cell(
            None if level is None else int(level), STATUS_NAMES.get(status, "certain"), str(raw or ""), str(note or ""))
    return Matrix(tuple(MatrixRole(iri, label) for _, label, iri in sorted(roles)), tuple(rows), cells, blanks)
