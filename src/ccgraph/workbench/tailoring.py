"""The framework as one employer uses it: published, or with a tailoring overlay applied.

Competencies: the published ones minus those the overlay removes, plus those it adds, with amended
wording where it gives some. Roles: the 11 generic roles (their published cells, minus removed
competencies) and the employer's own roles (their requirements as the employer graph states them,
each saying whether its target was the employer's or taken from a generic cell). Everything is read
from the store; with an overlay, from the store that holds the employer graph beside the project's.
"""

from dataclasses import dataclass, field

import pyoxigraph as ox

from ccgraph.graph.store import Store
from ccgraph.query.matrix import natural_key
from ccgraph.workbench import framework as published
from ccgraph.workbench.overlay import Overlay, with_overlay
from ccgraph.workbench.vocab import SKOS

WB_PREFIX = "PREFIX ccgwb: <https://w3id.org/ccgraph/workbench#>\n"

ROLES = WB_PREFIX + """
SELECT ?role (MIN(?label) AS ?name) (MIN(?where) AS ?place) (MIN(STR(?m)) AS ?predicate) (MIN(?generic) AS ?genericRole)
       (MIN(?d) AS ?description) WHERE {
  GRAPH ?g {
    ?role a ccg:Role ; skos:prefLabel ?label .
    OPTIONAL { ?role ccg:sourceLocator ?where }
    OPTIONAL { ?role skos:definition ?d }
    OPTIONAL { VALUES ?m { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch } ?role ?m ?generic }
  }
} GROUP BY ?role
"""

REQUIREMENTS = WB_PREFIX + """
SELECT ?role ?requirement ?code ?number ?status ?raw ?note ?defaulted ?where WHERE {
  GRAPH ?g {
    ?role a ccg:Role ; ccg:hasRequirement ?requirement .
    ?requirement ccg:competency ?competency .
    OPTIONAL { ?requirement ccg:readingStatus ?status }
    OPTIONAL { ?requirement ccg:rawText ?raw }
    OPTIONAL { ?requirement ccg:readingNote ?note }
    OPTIONAL { ?requirement ccgwb:levelDefaultedFrom ?defaulted }
    OPTIONAL { ?requirement ccg:sourceLocator ?where }
  }
  ?competency skos:notation ?code .
  OPTIONAL { GRAPH ?g { ?requirement ccg:abilityLevel ?level } ?level ccg:levelNumber ?number }
}
"""

ADDED = """
SELECT ?competency ?code ?title ?sub ?definition ?legal ?where WHERE {
  GRAPH ?g {
    ?competency a ccg:Competency ; skos:notation ?code ; skos:prefLabel ?title ; skos:broader ?broader .
    OPTIONAL { ?competency skos:definition ?definition }
    OPTIONAL { ?competency ccg:legalObligation ?legal }
    OPTIONAL { ?competency ccg:sourceLocator ?where }
  }
  ?broader skos:notation ?sub .
}
"""

CHANGES = WB_PREFIX + """
SELECT ?change ?kind ?code ?title ?definition ?legal ?note ?where WHERE {
  GRAPH ?g {
    VALUES ?kind { ccgwb:CompetencyAmendment ccgwb:CompetencyRemoval }
    ?change a ?kind ; ccgwb:competency ?competency .
    OPTIONAL { ?change skos:prefLabel ?title }
    OPTIONAL { ?change skos:definition ?definition }
    OPTIONAL { ?change ccg:legalObligation ?legal }
    OPTIONAL { ?change rdfs:comment ?note }
    OPTIONAL { ?change ccg:sourceLocator ?where }
  }
  ?competency skos:notation ?code .
}
"""

DESCRIPTORS = WB_PREFIX + """
SELECT ?owner ?number ?text WHERE {
  GRAPH ?g { ?owner ccgwb:levelDescriptor ?d . ?d ccg:describesLevel ?level ; ccg:descriptorText ?text . }
  ?level ccg:levelNumber ?number .
}
"""


@dataclass(frozen=True)
class Requirement:
    """What a role asks of one competency. level None: unknown (the cell is unresolved; raw keeps its text)."""

    level: int | None
    status: str  # certain | reconstructed | unresolved
    raw: str = ""
    note: str = ""
    origin: str = "published"  # published (a framework cell) | employer (the employer's target) | defaulted (taken from a generic cell)
    iri: str = ""
    where: str = ""

    @property
    def known(self) -> bool:
        return self.level is not None

    @property
    def printed(self) -> str:
        """The cell's raw text in words ('printed '1 1''), for an unresolved one."""
        return f"printed {self.raw.strip()!r}" if self.raw.strip() else "nothing legible printed"


@dataclass(frozen=True)
class Competency:
    code: str
    iri: str
    title: str
    subcategory: str
    legal_obligation: bool
    definition: str = ""
    origin: str = "published"  # published | added | amended


@dataclass(frozen=True)
class Change:
    """An amendment or a removal of a published competency, as the overlay states it."""

    code: str
    kind: str  # amended | removed
    iri: str
    title: str = ""
    definition: str = ""
    legal_obligation: bool | None = None
    descriptors: dict[int, str] = field(default_factory=dict)
    note: str = ""
    where: str = ""


@dataclass(frozen=True)
class Role:
    name: str
    iri: str
    kind: str  # generic | employer
    generic: str | None = None  # the generic role an employer's role is matched to
    match: str | None = None  # exact | close | broad | narrow | related
    where: str = ""
    description: str = ""


@dataclass
class Tailoring:
    framework: published.Framework
    store: Store  # the store everything was read from (with the employer graph, if any)
    overlay: Overlay | None
    competencies: dict[str, Competency]
    changes: dict[str, Change]
    roles: dict[str, Role]
    profiles: dict[str, dict[str, Requirement]]
    descriptors: dict[tuple[str, int], str]  # added / amended level descriptors by (code, level)

    @property
    def removed(self) -> dict[str, Change]:
        return {code: c for code, c in self.changes.items() if c.kind == "removed"}

    @property
    def amended(self) -> dict[str, Change]:
        return {code: c for code, c in self.changes.items() if c.kind == "amended"}

    def profile(self, role: str) -> dict[str, Requirement]:
        return self.profiles[role]

    def codes(self) -> list[str]:
        return list(self.competencies)


def load(store: Store, overlay: Overlay | None = None) -> Tailoring:
    """The tailoring of `overlay` (already validated), or the published framework as it stands."""
    base = published.load(store)
    combined = with_overlay(store, overlay)
    competencies = {code: Competency(code, c.iri, c.title, c.subcategory, c.legal_obligation, c.definition)
                    for code, c in base.competencies.items()}
    roles = {name: Role(name, r.iri, "generic") for name, r in base.roles.items()}
    changes: dict[str, Change] = {}
    descriptors: dict[tuple[str, int], str] = {}
    employer_profiles: dict[str, dict[str, Requirement]] = {}
    if overlay is not None:
        bind = {"g": ox.NamedNode(overlay.graph)}
        select = lambda text: combined.select(text, bind, where=f"overlay {overlay.folder}").values()  # noqa: E731
        owners: dict[str, str] = {}
        for iri, code, title, sub, definition, legal, where in select(ADDED):
            competencies[str(code)] = Competency(str(code), iri, str(title), str(sub), legal is True, str(definition or ""), "added")
            owners[iri] = str(code)
        for change, kind, code, title, definition, legal, note, where in select(CHANGES):
            changes[str(code)] = Change(str(code), "amended" if kind.endswith("Amendment") else "removed", change, str(title or ""),
                                        str(definition or ""), legal, {}, str(note or ""), str(where or ""))
            owners[change] = str(code)
        for owner, number, text in select(DESCRIPTORS):
            if owner in owners:
                descriptors[(owners[owner], int(number))] = str(text)
        for code, change in list(changes.items()):
            found = {n: t for (c, n), t in descriptors.items() if c == code}
            if found:
                changes[code] = Change(**{**change.__dict__, "descriptors": found})
        for code, change in changes.items():
            if change.kind == "removed":
                competencies.pop(code, None)
            elif code in competencies:
                c = competencies[code]
                competencies[code] = Competency(code, c.iri, change.title or c.title, c.subcategory,
                                                c.legal_obligation if change.legal_obligation is None else change.legal_obligation,
                                                change.definition or c.definition, "amended")
        generic_names = {r.iri: name for name, r in base.roles.items()}
        found_roles = []
        for iri, name, where, predicate, generic, description in select(ROLES):
            match = predicate.removeprefix(SKOS).removesuffix("Match") if predicate else None
            found_roles.append(Role(str(name), iri, "employer", generic_names.get(generic), match, str(where or ""), str(description or "")))
        for role in sorted(found_roles, key=lambda r: (_line(r.where), r.name)):
            roles[role.name] = role
            employer_profiles[role.name] = {}
        names = {role.iri: role.name for role in found_roles}
        for role, requirement, code, number, status, raw, note, defaulted, where in select(REQUIREMENTS):
            origin = "employer" if defaulted is None else "defaulted"
            employer_profiles[names[role]][str(code)] = Requirement(
                None if number is None else int(number), (status or "").rsplit("#", 1)[-1].lower() or "certain",
                str(raw or ""), str(note or ""), origin, requirement, str(where or ""))
    profiles: dict[str, dict[str, Requirement]] = {}
    for name in base.roles:
        profiles[name] = {code: Requirement(cell.level, cell.status, cell.raw, cell.note, "published",
                                            base.cell_iris.get((code, name), ""))
                          for code, cell in base.profile(name).items() if code in competencies}
    for name, profile in employer_profiles.items():
        profiles[name] = {code: profile[code] for code in sorted(profile, key=natural_key)}
    ordered = dict(sorted(competencies.items(), key=lambda item: natural_key(item[0])))
    return Tailoring(base, combined, overlay, ordered, changes, roles, profiles, descriptors)


def _line(where: str) -> int:
    digits = where.rsplit("line ", 1)[-1].split(",")[0].split()[0] if "line " in where else ""
    return int(digits) if digits.isdigit() else 0
