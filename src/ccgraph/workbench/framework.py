"""The published e-skills framework as the workbench needs it, read from the store.

Competencies, subcategories and roles with their codes and names, and every matrix cell (through
query.matrix), with the IRI of each cell so that an employer's defaulted target can point at it.
Only the published graphs count: anything under id/employer/ is left out, so a store that also holds
a tailoring gives the same answer.
"""

from dataclasses import dataclass

from ccgraph.graph.store import Store
from ccgraph.query.matrix import BLANK, Cell, from_store, natural_key
from ccgraph.workbench.vocab import tailoring_iri

EMPLOYER_SPACE = tailoring_iri("")  # id/employer/

SUBCATEGORIES = """
SELECT ?sub (MIN(?n) AS ?code) (MIN(?label) AS ?title) (MIN(?cn) AS ?category) (MIN(?cl) AS ?categoryTitle) WHERE {
  ?sub a ccg:CompetencySubcategory ; skos:broader ?cat .
  ?cat a ccg:CompetencyCategory .
  OPTIONAL { ?sub skos:notation ?n } OPTIONAL { ?sub skos:prefLabel ?label }
  OPTIONAL { ?cat skos:notation ?cn } OPTIONAL { ?cat skos:prefLabel ?cl }
} GROUP BY ?sub
"""

COMPETENCY_PLACES = """
SELECT ?competency (MIN(?sn) AS ?subcategory) (MIN(?d) AS ?definition) WHERE {
  ?competency a ccg:Competency ; skos:broader ?sub .
  ?sub a ccg:CompetencySubcategory ; skos:notation ?sn .
  OPTIONAL { ?competency skos:definition ?d }
} GROUP BY ?competency
"""

REQUIREMENTS = """
SELECT DISTINCT ?role ?requirement ?code WHERE {
  ?role a ccg:Role ; ccg:hasRequirement ?requirement .
  ?requirement ccg:competency/skos:notation ?code .
}
"""

DESCRIPTORS = """
SELECT ?code ?number (GROUP_CONCAT(?text; separator=" | ") AS ?texts) WHERE {
  ?descriptor a ccg:LevelDescriptor ; ccg:describesCompetency/skos:notation ?code ;
              ccg:describesLevel/ccg:levelNumber ?number ; ccg:descriptorText ?text .
} GROUP BY ?code ?number
"""


@dataclass(frozen=True)
class Competency:
    iri: str
    code: str
    title: str
    subcategory: str
    legal_obligation: bool
    definition: str = ""


@dataclass(frozen=True)
class Subcategory:
    iri: str
    code: str
    title: str
    category: str
    category_title: str


@dataclass(frozen=True)
class Role:
    iri: str
    name: str
    position: int


@dataclass(frozen=True)
class Framework:
    competencies: dict[str, Competency]  # by code, in natural order
    subcategories: dict[str, Subcategory]
    roles: dict[str, Role]  # by name, in matrix order
    cells: dict[tuple[str, str], Cell]  # (code, role name) -> cell; absent = blank
    cell_iris: dict[tuple[str, str], str]  # (code, role name) -> the ccg:RoleRequirement
    descriptors: dict[tuple[str, int], str]  # (code, level) -> descriptor text(s) as printed

    def cell(self, code: str, role: str) -> Cell:
        """The cell as the matrix reads it; status 'blank' where the role does not require the competency."""
        cell = self.cells.get((code, role), BLANK)
        return cell if cell.level is not None or cell.status == "unresolved" else BLANK

    def profile(self, role: str) -> dict[str, Cell]:
        """The competencies the role requires (a level, or an unresolved cell), by code in natural order."""
        return {code: cell for code in self.competencies
                if (cell := self.cells.get((code, role))) is not None and (cell.level is not None or cell.status == "unresolved")}

    def competency_labels(self) -> dict[str, str]:
        return {code: f"{code} {c.title}" for code, c in self.competencies.items()}


def _published(iri: str) -> bool:
    return not iri.startswith(EMPLOYER_SPACE)


def load(store: Store) -> Framework:
    matrix = from_store(store)
    places = {iri: (str(sub), str(definition or "")) for iri, sub, definition in store.select(COMPETENCY_PLACES, where="framework").values()}
    competencies = {}
    for row in sorted(matrix.rows, key=lambda r: natural_key(r.notation)):
        if _published(row.iri):
            sub, definition = places.get(row.iri, ("", ""))
            competencies[row.notation] = Competency(row.iri, row.notation, row.title, sub, row.legal_obligation, definition)
    subcategories = {}
    for iri, code, title, category, category_title in store.select(SUBCATEGORIES, where="framework").values():
        if _published(iri):
            subcategories[str(code)] = Subcategory(iri, str(code), str(title or ""), str(category), str(category_title or ""))
    subcategories = dict(sorted(subcategories.items(), key=lambda item: natural_key(item[0])))
    roles = {role.label: Role(role.iri, role.label, i) for i, role in enumerate(r for r in matrix.roles if _published(r.iri))}
    names = {role.iri: role.name for role in roles.values()}
    cells = {(code, name): cell for (code, name), cell in matrix.cells.items() if name in roles and code in competencies}
    cell_iris = {}
    for role, requirement, code in store.select(REQUIREMENTS, where="framework").values():
        if role in names and _published(requirement):
            cell_iris[(str(code), names[role])] = requirement
    descriptors = {(str(code), int(number)): str(texts) for code, number, texts in store.select(DESCRIPTORS, where="framework").values()
                   if str(code) in competencies}
    return Framework(competencies, subcategories, roles, cells, cell_iris, descriptors)
