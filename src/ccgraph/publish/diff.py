"""`ccgraph diff OLD NEW`: what changed between two versions of the graph, by entity and not by triple.

The sides (releases, builds, RDF files, projects or git:REV, see publish.snapshot) are read into stores and
compared in four sections:
    entities   added, removed and deprecated (owl:deprecated true, with dcterms:isReplacedBy), and changed:
               type, code (skos:notation), label (skos:prefLabel, rdfs:label), definition, level (ccg:level,
               ccg:levelNumber), credits (ccg:creditValue), parents (skos:broader), deprecation and replacement
    matrix     the role x competency cells (ccg:RoleRequirement) whose level or reading status changed, or that
               one side lacks
    mappings   ccg:Mapping nodes, keyed by mapping set, source and target: added, removed, or changed in
               predicate, confidence, justification (sssom:mapping_justification) or comment
    audit      the audit run on both stores (each side's own shapes where its project is known, else the
               current project's): findings opened and closed, and findings whose message, entities or
               locators changed, compared by finding id
compare() gives one plain dict (the JSON of `--format json`, schema_version 1); text() and changelog() render it.
Everything is sorted, so the same two sides give the same bytes.
"""

import json
from collections.abc import Callable
from contextlib import ExitStack

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import PREFIXES
from ccgraph.graph.project import Project
from ccgraph.publish.snapshot import Entity, Mapping, Side, open_side

SCHEMA_VERSION = 1
FORMATS = ("text", "json", "changelog")

# Entity fields compared, in report order; deprecation and replacement follow (see _entity_changes).
FIELDS = ("types", "notation", "label", "definition", "level", "credits", "parents")
IRI_FIELDS = {"types", "parents", "replaced_by"}
MAPPING_FIELDS = ("predicate", "confidence", "justification", "comment")
AUDIT_COMPARED = ("check", "kind", "severity", "action", "message", "entities", "locators", "notes")

_NAMESPACES = sorted({**{p: str(n) for p, n in PREFIXES.items()}, "sssom": "https://w3id.org/sssom/",
                      "semapv": "https://w3id.org/semapv/vocab/"}.items(), key=lambda item: -len(item[1]))


def curie(iri: str) -> str:
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


# ---------------------------------------------------------------- comparing


def diff(old_spec: str, new_spec: str, current: Project | None, *, audit: bool = True,
         say: Callable[[str], None] | None = None) -> dict:
    """Open both sides, compare them, and let go of their temporary folders."""
    with ExitStack() as stack:
        old = open_side(old_spec, current, stack, say)
        new = open_side(new_spec, current, stack, say)
        return compare(old, new, current, audit=audit)


def compare(old: Side, new: Side, current: Project | None = None, *, audit: bool = True) -> dict:
    entities = _entities(old.entities, new.entities)
    matrix = _matrix(old, new)
    mappings = _mappings(old.mappings, new.mappings)
    findings, shapes = _audit(old, new, current) if audit else (None, (None, None))
    report = {
        "schema_version": SCHEMA_VERSION,
        "old": {"name": old.name, "kind": old.kind, "audit_shapes": shapes[0]},
        "new": {"name": new.name, "kind": new.kind, "audit_shapes": shapes[1]},
        "summary": {
            "entities": {part: len(entities[part]) for part in ("added", "removed", "deprecated", "changed")},
            "matrix": {part: len(matrix[part]) for part in ("added", "removed", "changed")},
            "mappings": {part: len(mappings[part]) for part in ("added", "removed", "changed")},
            "audit": None if findings is None else {part: len(findings[part]) for part in ("opened", "closed", "changed")},
        },
        "entities": entities,
        "matrix": matrix,
        "mappings": mappings,
        "audit": findings,
    }
    report["summary"]["total"] = sum(n for section in report["summary"].values() if section for n in section.values())
    return report


def _summary(entity: Entity) -> dict:
    return {"iri": entity.iri, "name": curie(entity.iri), "notation": min(entity.get("notation"), default=None),
            "label": min(entity.get("label"), default=None), "types": [curie(t) for t in entity.get("types")]}


def _entities(old: dict[str, Entity], new: dict[str, Entity]) -> dict:
    added = [_summary(new[iri]) for iri in sorted(new.keys() - old.keys())]
    removed = [_summary(old[iri]) for iri in sorted(old.keys() - new.keys())]
    deprecated, changed = [], []
    for iri in sorted(old.keys() & new.keys()):
        before, after = old[iri], new[iri]
        newly = after.deprecated and not before.deprecated
        if newly:
            deprecated.append({**_summary(after), "replaced_by": list(after.get("replaced_by"))})
        fields = FIELDS if newly else FIELDS + ("deprecated", "replaced_by")
        changes = [{"field": name, "old": list(before.get(name)), "new": list(after.get(name))}
                   for name in fields if before.get(name) != after.get(name)]
        if changes:
            changed.append({**_summary(after), "changes": changes})
    return {"added": added, "removed": removed, "deprecated": deprecated, "changed": changed}


def _cells(side: Side) -> dict[tuple[str, str], dict]:
    from ccgraph.query.matrix import from_store, natural_key

    matrix = from_store(side.store)
    cells = {}
    for row in matrix.rows:
        for position, role in enumerate(matrix.roles):
            cell = matrix.cell(row, role)
            if cell.recorded:
                cells[(row.iri, role.iri)] = {"competency": row.notation, "competency_iri": row.iri, "role": role.label,
                                              "role_iri": role.iri, "level": cell.level, "status": cell.status,
                                              "_order": (natural_key(row.notation), position, role.label, row.iri, role.iri)}
    return cells


def _matrix(old: Side, new: Side) -> dict:
    before, after = _cells(old), _cells(new)

    def entry(key, was, now) -> dict:
        base = now or was
        return {"competency": base["competency"], "competency_iri": base["competency_iri"], "role": base["role"],
                "role_iri": base["role_iri"], "old": _reading(was), "new": _reading(now), "_order": base["_order"]}

    parts = {"added": [], "removed": [], "changed": []}
    for key in before.keys() | after.keys():
        was, now = before.get(key), after.get(key)
        if was is None:
            parts["added"].append(entry(key, None, now))
        elif now is None:
            parts["removed"].append(entry(key, was, None))
        elif (was["level"], was["status"]) != (now["level"], now["status"]):
            parts["changed"].append(entry(key, was, now))
    for entries in parts.values():
        entries.sort(key=lambda e: e["_order"])
        for e in entries:
            del e["_order"]
    return parts


def _reading(cell: dict | None) -> dict | None:
    return None if cell is None else {"level": cell["level"], "status": cell["status"]}


def _mapping_summary(mapping: Mapping) -> dict:
    return {"mapping_set": mapping.set_label, "mapping_set_iri": mapping.mapping_set, "source": mapping.source,
            "target": mapping.target, "searched": mapping.searched or None, "iri": mapping.iri,
            "predicate": list(mapping.predicate), "confidence": [float(c) for c in mapping.confidence],
            "justification": list(mapping.justification), "comment": list(mapping.comment)}


def _mappings(old: dict[tuple, Mapping], new: dict[tuple, Mapping]) -> dict:
    order = lambda key: ((old.get(key) or new.get(key)).set_label, key)  # noqa: E731
    added = [_mapping_summary(new[k]) for k in sorted(new.keys() - old.keys(), key=order)]
    removed = [_mapping_summary(old[k]) for k in sorted(old.keys() - new.keys(), key=order)]
    changed = []
    for key in sorted(old.keys() & new.keys(), key=order):
        before, after = _mapping_summary(old[key]), _mapping_summary(new[key])
        changes = [{"field": name, "old": before[name], "new": after[name]} for name in MAPPING_FIELDS if before[name] != after[name]]
        if changes:
            changed.append({**after, "changes": changes})
    return {"added": added, "removed": removed, "changed": changed}


def _shapes(side: Side, current: Project | None):
    """The shapes the audit of a side uses: its own project's, else the current project's, else none."""
    from ccgraph.checks.validate import load_shapes

    for project, origin in ((side.project, "own"), (current, "current")):
        if project is not None and project.shapes_dir.is_dir():
            return load_shapes(project.shapes_dir), origin
    return None, "none"


def _audit(old: Side, new: Side, current: Project | None):
    from ccgraph.checks.audit import audit

    reports, origins = [], []
    for side in (old, new):
        shapes, origin = _shapes(side, current)
        reports.append({f.id: f.as_dict() for f in audit(side.store, shapes).findings})
        origins.append(origin)
    before, after = reports

    def brief(finding: dict) -> dict:
        return {key: finding[key] for key in ("id", "check", "kind", "severity", "message")}

    changed = []
    for ident in sorted(before.keys() & after.keys()):
        fields = [key for key in AUDIT_COMPARED if before[ident][key] != after[ident][key]]
        if fields:
            changed.append({**brief(after[ident]), "fields": fields, "old_message": before[ident]["message"]})
    return {"opened": [brief(after[i]) for i in sorted(after.keys() - before.keys())],
            "closed": [brief(before[i]) for i in sorted(before.keys() - after.keys())],
            "changed": changed}, tuple(origins)


# ---------------------------------------------------------------- rendering


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "changelog":
        return changelog(report)
    if fmt == "text":
        return text(report)
    raise CcgraphError(f"unknown diff format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _value(name: str, value) -> str:
    if name in IRI_FIELDS or name in ("predicate", "justification"):
        return curie(value)
    if isinstance(value, float):
        return f"{value:g}"
    if name in ("label", "definition", "comment"):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _values(name: str, values: list) -> str:
    return " | ".join(_value(name, v) for v in values) if values else "(none)"


def _changed_entity(entry: dict) -> str:
    """A changed entity, named without its label when the label is what changed (the change shows both)."""
    if any(c["field"] == "label" for c in entry["changes"]):
        entry = {**entry, "label": None}
    return f"{_entity(entry)}: {_changes(entry['changes'])}"


def _entity(summary: dict) -> str:
    kind = next((t.partition(":")[2] for t in summary["types"] if t.startswith("ccg:")), None)
    kind = kind or next((t.partition(":")[2] for t in summary["types"] if t.startswith("owl:")), "Entity")
    details = []
    notation, label = summary["notation"], summary["label"]
    if notation and not summary["name"].endswith(("/" + notation, ":" + notation)):
        details.append(notation)  # a code the IRI does not already show
    if label:
        details.append(json.dumps(label, ensure_ascii=False))
    return f"{kind} `{summary['name']}`" + (f" ({' '.join(details)})" if details else "")


def _changes(changes: list[dict]) -> str:
    return "; ".join(f"{c['field'].replace('_', ' ')} {_values(c['field'], c['old'])} -> {_values(c['field'], c['new'])}"
                     for c in changes)


def _cell(entry: dict) -> str:
    return f"{entry['competency']} x {entry['role']}"


def _reading_text(reading: dict | None) -> str:
    if reading is None:
        return "(no cell)"
    return f"{'no level' if reading['level'] is None else 'level ' + str(reading['level'])} ({reading['status']})"


def _mapping(entry: dict) -> str:
    target = curie(entry["target"]) + (f" in {curie(entry['searched'])}" if entry["searched"] else "")
    return f"`{curie(entry['source'])}` {_values('predicate', entry['predicate'])} `{target}` ({entry['mapping_set']})"


def _mapping_detail(entry: dict) -> str:
    confidence = f", confidence {_values('confidence', entry['confidence'])}" if entry["confidence"] else ""
    return f"{_mapping(entry)}{confidence}"


def _deprecation(entry: dict) -> str:
    replacement = ", ".join(f"`{curie(r)}`" for r in entry["replaced_by"])
    return f"{_entity(entry)}, " + (f"replaced by {replacement}" if replacement else "no replacement named")


def text(report: dict) -> str:
    summary = report["summary"]
    lines = [f"ccgraph diff {report['old']['name']} -> {report['new']['name']}: "
             + ("no differences" if summary["total"] == 0 else f"{summary['total']} difference(s)")]

    def section(title: str, parts: dict, items: list[tuple[str, list, Callable]]) -> None:
        lines.append(f"{title}: " + ", ".join(f"{n} {part}" for part, n in parts.items()))
        for part, entries, show in items:
            if entries:
                lines.append(f"  {part}:")
                lines.extend(f"    {show(e)}" for e in entries)

    e, m, p = report["entities"], report["matrix"], report["mappings"]
    section("entities", summary["entities"], [
        ("added", e["added"], _entity), ("removed", e["removed"], _entity), ("deprecated", e["deprecated"], _deprecation),
        ("changed", e["changed"], _changed_entity)])
    section("matrix cells", summary["matrix"], [
        (part, m[part], lambda c: f"{_cell(c)}: {_reading_text(c['old'])} -> {_reading_text(c['new'])}")
        for part in ("added", "removed", "changed")])
    section("mappings", summary["mappings"], [
        ("added", p["added"], _mapping_detail), ("removed", p["removed"], _mapping_detail),
        ("changed", p["changed"], lambda c: f"{_mapping(c)}: {_changes(c['changes'])}")])
    if report["audit"] is None:
        lines.append("audit findings: not compared (--no-audit)")
    else:
        a = report["audit"]
        section("audit findings", summary["audit"], [
            ("opened", a["opened"], lambda f: f"{f['id']} ({f['kind']}): {f['message']}"),
            ("closed", a["closed"], lambda f: f"{f['id']} ({f['kind']}): {f['message']}"),
            ("changed", a["changed"], lambda f: f"{f['id']} ({f['kind']}; {', '.join(f['fields'])}): {f['message']}")])
    return "\n".join(lines) + "\n"


def changelog(report: dict) -> str:
    """Markdown bullets under ### Added / Changed / Deprecated / Removed, ready to paste under a version."""
    e, m, p, a = report["entities"], report["matrix"], report["mappings"], report["audit"] or {}
    headings = {
        "Added": [f"{_entity(x)}." for x in e["added"]]
                 + [f"Matrix cell {_cell(c)}: {_reading_text(c['new'])}." for c in m["added"]]
                 + [f"Mapping {_mapping_detail(x)}." for x in p["added"]],
        "Changed": [f"{_changed_entity(x)}." for x in e["changed"]]
                   + [f"Matrix cell {_cell(c)}: {_reading_text(c['old'])} -> {_reading_text(c['new'])}." for c in m["changed"]]
                   + [f"Mapping {_mapping(x)}: {_changes(x['changes'])}." for x in p["changed"]]
                   + [f"Audit finding `{f['id']}` opened ({f['kind']}): {f['message']}" for f in a.get("opened", ())]
                   + [f"Audit finding `{f['id']}` closed ({f['kind']}): {f['message']}" for f in a.get("closed", ())]
                   + [f"Audit finding `{f['id']}` changed ({', '.join(f['fields'])}): {f['message']}" for f in a.get("changed", ())],
        "Deprecated": [f"{_deprecation(x)}." for x in e["deprecated"]],
        "Removed": [f"{_entity(x)}." for x in e["removed"]]
                   + [f"Matrix cell {_cell(c)} (was {_reading_text(c['old'])})." for c in m["removed"]]
                   + [f"Mapping {_mapping_detail(x)}." for x in p["removed"]],
    }
    blocks = [f"### {heading}\n\n" + "".join(f"- {line}\n" for line in lines) for heading, lines in headings.items() if lines]
    if not blocks:
        return f"No changes between {report['old']['name']} and {report['new']['name']}.\n"
    return "\n".join(blocks)
