"""What a tailoring changes against the published framework (`ccgraph tailor diff`).

Competencies added, removed and amended (each changed field, published -> employer); the employer's
roles and how each matches a generic role; and, for every matched role, each target level that
differs from the generic role's cell, and the generic role's competencies the employer's role leaves
out. Read from the store that holds the employer graph beside the published ones.
"""

from dataclasses import dataclass, field

from ccgraph.workbench.tailoring import Tailoring


def _cell_text(requirement) -> str:
    if requirement is None:
        return "not required"
    if not requirement.known:
        return f"unknown (unresolved; {requirement.printed})"
    return f"level {requirement.level}" + (" (reconstructed)" if requirement.status == "reconstructed" else "")


@dataclass
class Diff:
    employer: str
    graph: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    amended: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)  # target levels that differ from the generic cell
    left_out: list[dict] = field(default_factory=list)  # generic competencies a matched role does not need

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def text(self) -> str:
        out = [f"Tailoring {self.employer!r} (graph <{self.graph}>) against the published framework"]

        def section(title: str, items: list, line):
            out.append(f"\n{title}: {len(items) or 'none'}")
            out.extend("  " + line(item) for item in items)

        section("Competencies added", self.added, lambda a: f"+ {a['competency']} {a['title']} (under {a['subcategory']}"
                + (", legal obligation" if a["legal_obligation"] else "") + ")"
                + (f"; level descriptors for {', '.join(map(str, a['levels_described']))}" if a["levels_described"] else ""))
        section("Competencies removed", self.removed, lambda r: f"- {r['competency']} {r['title']}"
                + (f" (needed by generic roles: {', '.join(r['generic_roles'])})" if r["generic_roles"] else ""))
        section("Competencies amended", self.amended, lambda a: f"~ {a['competency']} {a['title']}: " + "; ".join(
            f"{c['field']}: {c['published']!r} -> {c['employer']!r}" for c in a["changes"]))
        section("Roles added", self.roles, lambda r: f"+ {r['role']}: " + (
            f"{r['match']} match to generic role {r['generic_role']!r}" if r["generic_role"] else "stands alone (no generic role)")
            + f"; {r['competencies']} competencies, {r['targets_from_generic']} targets taken from the generic cell")
        section("Target levels that differ from the generic role", self.targets,
                lambda t: f"{t['role']} / {t['competency']}: {t['generic']} in {t['generic_role']!r} -> level {t['target']}")
        section("Generic competencies a matched role leaves out", self.left_out,
                lambda t: f"{t['role']} / {t['competency']}: {t['generic']} in {t['generic_role']!r} -> not required")
        return "\n".join(out) + "\n"


def diff(tailoring: Tailoring) -> Diff:
    overlay = tailoring.overlay
    result = Diff(overlay.label if overlay else "none", overlay.graph if overlay else "")
    base = tailoring.framework
    for code, c in tailoring.competencies.items():
        if c.origin == "added":
            result.added.append({"competency": code, "title": c.title, "subcategory": c.subcategory, "definition": c.definition,
                                 "legal_obligation": c.legal_obligation,
                                 "levels_described": sorted(n for (k, n) in tailoring.descriptors if k == code)})
    generic_roles = [name for name, role in tailoring.roles.items() if role.kind == "generic"]
    for code, change in tailoring.changes.items():
        published = base.competencies[code]
        if change.kind == "removed":
            needing = [role for role in generic_roles if code in base.profile(role)]
            result.removed.append({"competency": code, "title": published.title, "note": change.note, "where": change.where,
                                   "generic_roles": needing})
            continue
        changes = []
        if change.title:
            changes.append({"field": "title", "published": published.title, "employer": change.title})
        if change.definition:
            changes.append({"field": "definition", "published": published.definition, "employer": change.definition})
        if change.legal_obligation is not None:
            changes.append({"field": "legal obligation", "published": published.legal_obligation, "employer": change.legal_obligation})
        for number, text in sorted(change.descriptors.items()):
            changes.append({"field": f"level {number} descriptor", "published": base.descriptors.get((code, number), ""), "employer": text})
        result.amended.append({"competency": code, "title": published.title, "where": change.where, "changes": changes})
    for name, role in tailoring.roles.items():
        if role.kind != "employer":
            continue
        profile = tailoring.profile(name)
        result.roles.append({"role": name, "generic_role": role.generic, "match": role.match, "where": role.where,
                             "competencies": len(profile),
                             "targets_from_generic": sum(1 for r in profile.values() if r.origin == "defaulted")})
        if role.generic is None:
            continue
        generic = tailoring.profile(role.generic)
        for code, requirement in profile.items():
            published = generic.get(code)
            if requirement.origin == "employer" and (published is None or published.level != requirement.level):
                result.targets.append({"role": name, "competency": code, "generic_role": role.generic,
                                       "generic": _cell_text(published), "target": requirement.level, "where": requirement.where})
        for code, published in generic.items():
            if code not in profile:
                result.left_out.append({"role": name, "competency": code, "generic_role": role.generic, "generic": _cell_text(published)})
    return result
