"""An overlay written as CSV tables (the four steps of framework section 4.2) -> checked quads.

    employer.csv           name, label[, description]          who is tailoring (one row)
    competencies.csv       action (add | amend | remove), code, subcategory, title, definition,
                           legal_obligation, level_1 .. level_4, note                     step 1
    roles.csv              role, generic_role, match, description, note                     step 2
    role_competencies.csv  role, competency (a code, or * for all the generic role's), target_level, note
                                                                                          steps 3 and 4
Every value is checked against the published framework before any triple is made, and a bad one
stops the load with its file, line and column: nothing of the overlay is kept.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ccgraph.graph.namespaces import CCG, slug
from ccgraph.workbench import tables, vocab
from ccgraph.workbench.framework import Framework
from ccgraph.workbench.places import Place, did_you_mean

EMPLOYER, COMPETENCIES, ROLES, NEEDS = "employer.csv", "competencies.csv", "roles.csv", "role_competencies.csv"
TABLES = (EMPLOYER, COMPETENCIES, ROLES, NEEDS)
LEVEL_COLUMNS = ("level_1", "level_2", "level_3", "level_4")
ACTIONS = ("add", "amend", "remove")
ALL = "*"
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = vocab.SKOS


@dataclass(frozen=True)
class Need:
    role: str
    code: str
    target: int | None
    note: str
    at: Place  # the competency cell
    everything: Place | None = None  # the '*' row it came from, if any


@dataclass
class Model:
    """What the tables say, checked: built up table by table."""

    name: str = ""
    label: str = ""
    description: str = ""
    employer_at: Place | None = None
    added: dict[str, tables.Row] = field(default_factory=dict)
    amended: dict[str, tables.Row] = field(default_factory=dict)
    removed: dict[str, tables.Row] = field(default_factory=dict)
    roles: dict[str, tables.Row] = field(default_factory=dict)
    needs: dict[str, dict[str, Need]] = field(default_factory=dict)  # role -> code -> need


def read(folder: Path, framework: Framework) -> tuple[str, str, list[ox.Quad], dict[str, Place]]:
    """(name, label, quads of the employer graph, where each subject was written)."""
    model = Model()
    _employer(folder / EMPLOYER, model)
    if (folder / COMPETENCIES).is_file():
        _competencies(folder / COMPETENCIES, model, framework)
    if (folder / ROLES).is_file():
        _roles(folder / ROLES, model, framework)
    if (folder / NEEDS).is_file():
        _needs(folder / NEEDS, model, framework)
    for name, row in model.roles.items():
        if not model.needs.get(name):
            raise row.fail("role", f"role {name!r} needs no competency: list its competencies in {NEEDS}"
                                   + (" (or '*' for all of its generic role's)" if row["generic_role"] else ""))
    quads, places = _quads(model, framework)
    return model.name, model.label, quads, places


# ---------------------------------------------------------------- the four tables


def _employer(path: Path, model: Model) -> None:
    if not path.is_file():
        raise Place(str(path), 1).fail(f"missing: an overlay folder needs {EMPLOYER} (columns name, label) to say whose tailoring it is")
    rows = tables.read(path, ("name", "label"), ("description",))
    if len(rows) != 1:
        line = rows[1].line if len(rows) > 1 else 2
        raise Place(str(path), line).fail(f"{EMPLOYER} has {len(rows)} rows: it names one employer")
    row = rows[0]
    if not NAME.match(row["name"]):
        raise row.fail("name", f"name {row['name']!r} must be lower-case letters, digits and single hyphens (it becomes "
                               f"the graph name id/graph/employer/NAME), e.g. {_suggest_name(row['name'] or row['label'])!r}")
    if not row["label"]:
        raise row.fail("label", "empty label: the employer's name as people write it")
    model.name, model.label, model.description, model.employer_at = row["name"], row["label"], row["description"], row.at("name")


def _suggest_name(text: str) -> str:
    try:
        return slug(text)
    except ValueError:
        return "my-employer"


def _competencies(path: Path, model: Model, framework: Framework) -> None:
    optional = ("subcategory", "title", "definition", "legal_obligation", *LEVEL_COLUMNS, "note")
    labels = framework.competency_labels()
    seen: dict[str, tables.Row] = {}
    for row in tables.read(path, ("action", "code"), optional):
        action, code = row["action"].lower(), row["code"]
        if action not in ACTIONS:
            raise row.fail("action", f"unknown action {row['action']!r}{did_you_mean(action, ACTIONS)}: one of add, amend, remove")
        if not code:
            raise row.fail("code", "empty code")
        if code in seen:
            raise row.fail("code", f"competency {code} is already {seen[code]['action']}ed on line {seen[code].line}: one row per competency")
        seen[code] = row
        legal = row["legal_obligation"].lower()
        if legal not in ("", "true", "false"):
            raise row.fail("legal_obligation", f"legal_obligation {row['legal_obligation']!r} must be true, false or empty")
        changes = [c for c in ("title", "definition", "legal_obligation", *LEVEL_COLUMNS) if row[c]]
        if action == "add":
            if code in framework.competencies:
                raise row.fail("code", f"{code} is a published competency ({framework.competencies[code].title}): use 'amend' to change it")
            sub = row["subcategory"]
            if not sub:
                raise row.fail("subcategory", f"an added competency needs its subcategory (e.g. {next(iter(framework.subcategories), 'A1')})")
            if sub not in framework.subcategories:
                categories = {s.category for s in framework.subcategories.values()}
                hint = (f": {sub} is a category; name one of its subcategories, "
                        + ", ".join(f"{s.code} {s.title}" for s in framework.subcategories.values() if s.category == sub)
                        if sub in categories else did_you_mean(sub, framework.subcategories,
                                                               {c: f"{c} {s.title}" for c, s in framework.subcategories.items()}))
                raise row.fail("subcategory", f"unknown subcategory {sub!r}{hint}")
            if not re.fullmatch(re.escape(sub) + r"\.\d+", code):
                raise row.fail("code", f"an added competency's code is its subcategory, a dot and a number ({sub}.7, say), not {code!r}")
            if not row["title"]:
                raise row.fail("title", f"added competency {code} needs a title")
            model.added[code] = row
        elif code not in framework.competencies:
            raise row.fail("code", f"unknown competency {code!r}{did_you_mean(code, framework.competencies, labels)}: "
                                   f"only a published competency can be {action}ed")
        elif row["subcategory"]:
            raise row.fail("subcategory", f"a competency cannot be moved by '{action}': remove it and add a new one under {row['subcategory']}")
        elif action == "amend":
            if not changes:
                raise row.fail("title", f"amendment of {code} changes nothing: give a new title, definition, legal_obligation or level descriptor")
            model.amended[code] = row
        else:
            if changes:
                raise row.fail(changes[0], f"a removal of {code} takes no {changes[0]}: use 'amend' to change a competency")
            model.removed[code] = row


def _roles(path: Path, model: Model, framework: Framework) -> None:
    generic = {name.lower(): name for name in framework.roles}
    slugs: dict[str, str] = {}
    for row in tables.read(path, ("role",), ("generic_role", "match", "description", "note")):
        name = row["role"]
        if not name:
            raise row.fail("role", "empty role name")
        if name.lower() in generic:
            raise row.fail("role", f"{name!r} is a generic role of the framework: give your role its own name and "
                                   f"put {generic[name.lower()]!r} in generic_role")
        if name in model.roles:
            raise row.fail("role", f"role {name!r} is already on line {model.roles[name].line}")
        try:
            key = slug(name)
        except ValueError:
            raise row.fail("role", f"role name {name!r} has no letters or digits") from None
        if key in slugs:
            raise row.fail("role", f"role {name!r} and role {slugs[key]!r} would share the IRI .../role/{key}: rename one")
        slugs[key] = name
        if row["generic_role"] and row["generic_role"] not in framework.roles:
            raise row.fail("generic_role", f"unknown generic role {row['generic_role']!r}{did_you_mean(row['generic_role'], framework.roles)}")
        match = row["match"].lower()
        if match and not row["generic_role"]:
            raise row.fail("match", "a match needs a generic_role to match")
        if match and match not in vocab.MATCHES:
            raise row.fail("match", f"unknown match {row['match']!r}{did_you_mean(match, vocab.MATCHES)}: one of {', '.join(vocab.MATCHES)}")
        model.roles[name] = row


def _needs(path: Path, model: Model, framework: Framework) -> None:
    codes = [c for c in framework.competencies if c not in model.removed] + list(model.added)
    labels = {**framework.competency_labels(), **{c: f"{c} {r['title']}" for c, r in model.added.items()}}
    everything: list[tuple[tables.Row, str]] = []
    for row in tables.read(path, ("role", "competency"), ("target_level", "note")):
        role, code, level = row["role"], row["competency"], row["target_level"]
        if role not in model.roles:
            hint = (f": {role!r} is a generic role; add a role of your own to {ROLES} with generic_role {role!r}"
                    if role in framework.roles else did_you_mean(role, model.roles))
            raise row.fail("role", f"unknown role {role!r}{hint}" + ("" if model.roles else f" ({ROLES} names no roles)"))
        if not code:
            raise row.fail("competency", "empty competency")
        generic = model.roles[role]["generic_role"] or None
        if level and not re.fullmatch(r"[1-4]", level):
            raise row.fail("target_level", f"target level {level!r} is not an ability level: 1 (Learning), 2 (Performing), "
                                           "3 (Enhancing) or 4 (Leading)")
        if code == ALL:
            if not generic:
                raise row.fail("competency", f"'*' takes every competency of the generic role, but {role!r} stands alone (no generic_role)")
            if level:
                raise row.fail("target_level", "'*' takes the generic role's own levels: list a competency on its own row to set its level")
            earlier = next((r for r, _ in everything if r["role"] == role), None)
            if earlier is not None:
                raise row.fail("competency", f"'*' is already given for role {role!r} on line {earlier.line}")
            everything.append((row, generic))
            continue
        if code in model.removed:
            removal = model.removed[code]
            raise removal.fail("code", f"removes competency {code}, which role {role!r} still needs ({path}:{row.line})")
        if code not in codes:
            raise row.fail("competency", f"unknown competency {code!r}{did_you_mean(code, codes, labels)}")
        needs = model.needs.setdefault(role, {})
        if code in needs:
            raise row.fail("competency", f"role {role!r} already needs {code} (line {needs[code].at.line}): one row per role and competency")
        target = int(level) if level else None
        if target is None:
            _default_reachable(row, role, generic, code, model, framework)
        needs[code] = Need(role, code, target, row["note"], row.at("competency"))
    for row, generic in everything:
        needs = model.needs.setdefault(row["role"], {})
        for code in framework.profile(generic):
            if code not in model.removed and code not in needs:
                needs[code] = Need(row["role"], code, None, row["note"], row.at("competency"), row.at("competency"))


def _default_reachable(row: tables.Row, role: str, generic: str | None, code: str, model: Model, framework: Framework) -> None:
    """A need with no target level takes the generic role's cell: say why when there is none to take."""
    if generic is None:
        raise row.fail("target_level", f"no target level for {code}: role {role!r} stands alone (no generic_role), so give one (1-4)")
    if code in model.added:
        raise row.fail("target_level", f"no target level for {code}: it is a competency you added, so no generic role has a level for it")
    if framework.cell(code, generic).status == "blank":
        raise row.fail("target_level", f"no target level for {code}: the generic role {generic!r} does not require it, so give one (1-4)")


# ---------------------------------------------------------------- the triples


class _Graph:
    def __init__(self, name: str):
        self.graph = ox.NamedNode(vocab.graph_iri(name))
        self.quads: list[ox.Quad] = []

    def add(self, subject: str, predicate: str, value) -> None:
        if isinstance(value, str):
            value = ox.NamedNode(value)
        self.quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), value, self.graph))


def _text(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def _plain(value: str) -> ox.Literal:
    return ox.Literal(value)


def _bool(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def _where(place: Place) -> ox.Literal:
    return _plain(f"{Path(place.path).name}, line {place.line}")


def _quads(model: Model, framework: Framework) -> tuple[list[ox.Quad], dict[str, Place]]:
    name = model.name
    out = _Graph(name)
    places: dict[str, Place] = {}
    tailoring = vocab.tailoring_iri(name)
    out.add(tailoring, str(RDF_TYPE.value), str(CCG.Framework))
    out.add(tailoring, str(RDF_TYPE.value), vocab.TAILORING)
    out.add(tailoring, SKOS + "prefLabel", _text(model.label))
    out.add(tailoring, vocab.TAILORS, vocab.ESKILLS)
    out.add(tailoring, str(CCG.sourceLocator), _where(model.employer_at))
    if model.description:
        out.add(tailoring, SKOS + "definition", _text(model.description))
    places[tailoring] = model.employer_at

    for code, row in model.added.items():
        iri = vocab.competency_iri(name, code)
        places[iri] = row.at("code")
        out.add(iri, str(RDF_TYPE.value), str(CCG.Competency))
        out.add(iri, SKOS + "notation", _plain(code))
        out.add(iri, SKOS + "prefLabel", _text(row["title"]))
        out.add(iri, SKOS + "inScheme", tailoring)
        out.add(iri, SKOS + "broader", framework.subcategories[row["subcategory"]].iri)
        out.add(iri, str(CCG.legalObligation), _bool(row["legal_obligation"].lower() == "true"))
        out.add(iri, str(CCG.sourceLocator), _where(row.at("code")))
        _wording(out, iri, row, with_title=False)
        _descriptors(out, iri, row, describes=True)
    for code, row in model.amended.items():
        iri = vocab.amendment_iri(name, code)
        places[iri] = row.at("code")
        out.add(iri, str(RDF_TYPE.value), vocab.AMENDMENT)
        out.add(iri, vocab.OF_COMPETENCY, framework.competencies[code].iri)
        out.add(iri, str(CCG.sourceLocator), _where(row.at("code")))
        _wording(out, iri, row, with_title=True)
        if row["legal_obligation"]:
            out.add(iri, str(CCG.legalObligation), _bool(row["legal_obligation"].lower() == "true"))
        _descriptors(out, iri, row, describes=False)
    for code, row in model.removed.items():
        iri = vocab.removal_iri(name, code)
        places[iri] = row.at("code")
        out.add(iri, str(RDF_TYPE.value), vocab.REMOVAL)
        out.add(iri, vocab.OF_COMPETENCY, framework.competencies[code].iri)
        out.add(iri, str(CCG.sourceLocator), _where(row.at("code")))
        if row["note"]:
            out.add(iri, "http://www.w3.org/2000/01/rdf-schema#comment", _plain(row["note"]))

    for role, row in model.roles.items():
        iri = vocab.role_iri(name, role)
        places[iri] = row.at("role")
        out.add(iri, str(RDF_TYPE.value), str(CCG.Role))
        out.add(iri, SKOS + "prefLabel", _text(role))
        out.add(iri, SKOS + "inScheme", tailoring)
        out.add(iri, str(CCG.sourceLocator), _where(row.at("role")))
        if row["description"]:
            out.add(iri, SKOS + "definition", _text(row["description"]))
        if row["note"]:
            out.add(iri, "http://www.w3.org/2000/01/rdf-schema#comment", _plain(row["note"]))
        generic = row["generic_role"] or None
        if generic:
            out.add(iri, f"{SKOS}{(row['match'] or 'close').lower()}Match", framework.roles[generic].iri)
        for code, need in model.needs.get(role, {}).items():
            requirement = vocab.requirement_iri(name, role, code)
            places[requirement] = need.at
            out.add(iri, str(CCG.hasRequirement), requirement)
            _requirement(out, requirement, need, generic, model, framework)
    return out.quads, places


def _wording(out: _Graph, iri: str, row: tables.Row, with_title: bool) -> None:
    if with_title and row["title"]:
        out.add(iri, SKOS + "prefLabel", _text(row["title"]))
    if row["definition"]:
        out.add(iri, SKOS + "definition", _text(row["definition"]))
    if row["note"]:
        out.add(iri, "http://www.w3.org/2000/01/rdf-schema#comment", _plain(row["note"]))


def _descriptors(out: _Graph, iri: str, row: tables.Row, describes: bool) -> None:
    for number, column in enumerate(LEVEL_COLUMNS, start=1):
        if row[column]:
            descriptor = f"{iri}/level/{number}"
            out.add(iri, vocab.LEVEL_DESCRIPTOR, descriptor)
            out.add(descriptor, str(RDF_TYPE.value), str(CCG.LevelDescriptor))
            out.add(descriptor, str(CCG.describesLevel), vocab.level_iri(number))
            out.add(descriptor, str(CCG.descriptorText), _plain(row[column]))
            out.add(descriptor, str(CCG.sourceLocator), _plain(f"{Path(row.path).name}, line {row.line}, column {column}"))
            if describes:
                out.add(descriptor, str(CCG.describesCompetency), iri)


def _requirement(out: _Graph, iri: str, need: Need, generic: str | None, model: Model, framework: Framework) -> None:
    code = need.code
    competency = vocab.competency_iri(model.name, code) if code in model.added else framework.competencies[code].iri
    out.add(iri, str(RDF_TYPE.value), str(CCG.RoleRequirement))
    out.add(iri, str(CCG.competency), competency)
    where = f"{Path(need.at.path).name}, line {need.at.line}" + (" ('*': every competency of the generic role)" if need.everything else "")
    out.add(iri, str(CCG.sourceLocator), _plain(where))
    if need.note:
        out.add(iri, "http://www.w3.org/2000/01/rdf-schema#comment", _plain(need.note))
    if need.target is not None:
        out.add(iri, str(CCG.abilityLevel), vocab.level_iri(need.target))
        out.add(iri, str(CCG.readingStatus), str(CCG.Certain))
        return
    # No target given: the generic role's cell, copied with how it was read and labelled as taken from it.
    cell = framework.cell(code, generic)
    status = CCG[cell.status.capitalize()]  # ccg:Certain, ccg:Reconstructed, ccg:Unresolved
    out.add(iri, vocab.DEFAULTED_FROM, framework.cell_iris[(code, generic)])
    out.add(iri, str(CCG.readingStatus), str(status))
    if cell.level is not None:
        out.add(iri, str(CCG.abilityLevel), vocab.level_iri(cell.level))
    note = (f"No target level given ({where}): the generic role {generic}'s cell for {code} is used, "
            f"read there as {cell.status}" + (f" ({cell.note})" if cell.note else "") + ".")
    out.add(iri, str(CCG.readingNote), _plain(note))
    if cell.status != "certain":
        out.add(iri, str(CCG.rawText), _plain(cell.raw))
