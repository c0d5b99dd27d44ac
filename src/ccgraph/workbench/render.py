"""Gap reports, training plans, career steps and tailoring diffs as text, CSV and JSON."""

import csv
import io
import json

import numpy as np

from ccgraph.workbench.gaps import GapReport, Item

PERSON_TABLES_UP_TO = 25  # beyond this many people the table format shows the team views only

PERSON_COLUMNS = ("person", "role", "team", "competency", "title", "outcome", "required_level", "requirement_status",
                  "requirement_from", "requirement_raw_text", "assessed_level", "assessment_date", "shortfall")
TEAM_COLUMNS = ("grouped_by", "value", "people", "competency", "title", "people_needing", "assessed", "meets", "below_target",
                "shortfall_total", "shortfall_mean", "shortfall_max", "requirement_unknown", "not_assessed")


def outcome_text(item: Item) -> str:
    r = item.requirement
    if item.outcome == "unknown":
        return f"requirement unknown: the cell is unresolved ({r.printed})"
    if item.outcome == "not assessed":
        return "not assessed"
    if item.outcome == "gap":
        return f"gap: {item.shortfall} level(s) short"
    return "meets"


def gaps_json(report: GapReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def gaps_csv(report: GapReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if report.team_by:
        writer.writerow(TEAM_COLUMNS)
        for team in report.teams:
            for c in team.competencies:
                d = c.as_dict()
                writer.writerow([team.column, team.value, team.people, *(d[k] for k in TEAM_COLUMNS[3:])])
        return out.getvalue()
    writer.writerow(PERSON_COLUMNS)
    rows = report.rows()
    known = rows["outcome"] != "unknown"
    rated = known & (rows["outcome"] != "not assessed")
    # Empty where there is nothing to say: no level for an unknown requirement, no shortfall without an assessment.
    columns = [rows[name] for name in PERSON_COLUMNS]
    columns[6] = np.where(known, rows["required_level"].astype(str), "")
    columns[10] = np.where(rated, rows["assessed_level"].astype(str), "")
    columns[12] = np.where(rated, rows["shortfall"].astype(str), "")
    writer.writerows(zip(*columns))
    return out.getvalue()


def gaps_table(report: GapReport, out=None) -> None:
    """The report as rich tables, on the terminal (or on the console given)."""
    from rich.table import Table

    from ccgraph.render.tables import console

    out = out or console(min_width=140)
    framework = report.tailoring.overlay.label + " (tailored)" if report.tailoring.overlay else "the published framework"
    out.print(f"Gaps for {report.selection}, against {framework}; staff file {report.staff.path}")
    if len(report.grid.people) <= PERSON_TABLES_UP_TO:
        for person in report.people:
            table = Table(title=f"{person.person}: {person.role}" + (f" ({person.team})" if person.team else ""), header_style="bold")
            for column in ("competency", "title", "required", "assessed", "outcome"):
                table.add_column(column, overflow="fold")
            for item in person.items:
                colour = {"gap": "red", "unknown": "yellow", "not assessed": "bright_black"}.get(item.outcome)
                required = "?" if item.required is None else str(item.required)
                if item.requirement.origin != "published":
                    required += " (employer)" if item.requirement.origin == "employer" else " (generic)"
                assessed = "" if item.assessed is None else f"{item.assessed} ({item.assessment.get('date', '')})"
                text = outcome_text(item)
                table.add_row(item.code, item.title, required, assessed, f"[{colour}]{text}[/]" if colour else text)
            out.print(table)
            counts = person.as_dict()
            out.print(f"{counts['gaps']} gap(s), {counts['meets']} met, {counts['unknown']} requirement(s) unknown, "
                      f"{counts['not_assessed']} not assessed")
    else:
        out.print(f"{len(report.grid.people)} people: the team view follows; --format csv or json gives each person's rows")
    for team in report.teams:
        table = Table(title=f"{team.column}: {team.value} ({team.people} people)", header_style="bold")
        for column in ("competency", "title", "needing", "below target", "shortfall total", "mean", "max", "unknown", "not assessed"):
            table.add_column(column, overflow="fold")
        for c in team.competencies:
            table.add_row(c.code, c.title, str(c.needing), str(c.below), str(c.shortfall_total), f"{c.shortfall_mean:g}",
                          str(c.shortfall_max), str(c.unknown), str(c.not_assessed))
        out.print(table)


# ---------------------------------------------------------------- training plans


def plan_text(plan) -> str:
    lines = [f"Training plan for {plan.selection}: fewest {'credits' if plan.by == 'credits' else 'guided learning hours'}"
             + (f", mappings of confidence {plan.min_confidence} or more" if plan.min_confidence else "")]
    if plan.qualification is not None:
        q = plan.qualification
        verdict = "achieved by the plan" if plan.qualification_report and plan.qualification_report.achieved else "NOT achieved"
        lines.append(f"also completing {q.notation} {q.title} under its rules of combination: {verdict}")
    if plan.note:
        lines.append(f"note: {plan.note}")
    unit = "credits" if plan.by == "credits" else "GLH"
    lines.append(f"\nUnits to take: {len(plan.to_take)}, {plan.cost} {unit}")
    for planned in plan.units:
        u = planned.unit
        flags = [f for f, on in (("held", planned.held), (f"counts towards {plan.qualification.notation}" if plan.qualification else "",
                                                          planned.in_qualification)) if on and f]
        lines.append(f"  {u.code} {u.title} (level {u.level}, {u.credits} credits, {u.glh} GLH)" + (f" [{', '.join(flags)}]" if flags else ""))
        if not planned.closes:
            lines.append("      closes no gap: taken to complete the qualification" if plan.qualification else "      closes no gap")
        for c in planned.closes:
            people = ", ".join(p for p, _, _ in c.gap.people[:5]) + (f" and {len(c.gap.people) - 5} more" if len(c.gap.people) > 5 else "")
            lines.append(f"      closes {c.gap.code} {c.gap.title} at level {c.gap.required} ({people})")
            lines.append(f"        mapping {c.mapping.predicate}, confidence {c.mapping.confidence}: {c.mapping.justification}")
            lines.append(f"        level fit: {c.fit.reading}")
    lines.append(f"\nGaps no unit addresses: {len(plan.uncovered) or 'none'}")
    for u in plan.uncovered:
        lines.append(f"  {u.gap.code} {u.gap.title} at level {u.gap.required} ({len(u.gap.people)} people): {u.reason}")
    if plan.unknown:
        lines.append(f"\nRequirement unknown (unresolved cells: neither a gap nor met): {len(plan.unknown)}")
        lines.extend(f"  {code}: {raw} ({n} people)" for code, (raw, n) in plan.unknown.items())
    if plan.not_assessed:
        lines.append(f"\nNot assessed (no gap can be known): {', '.join(f'{c} ({n})' for c, n in plan.not_assessed.items())}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- careers


def steps_text(role: str, steps, computed: str) -> str:
    lines = [f"Next roles from {role}, smallest step first.", computed, ""]
    for rank, s in enumerate(steps, start=1):
        lines.append(f"{rank}. {s.role}{' (employer role)' if s.kind == 'employer' else ''}: step size {s.size} "
                     f"({len(s.new)} new competencies, {len(s.rising)} rising, {len(s.unknown)} unknown, {s.falling} lower)")
        if s.new:
            lines.append("   new: " + ", ".join(f"{c} at {level}" for c, level in s.new))
        if s.rising:
            lines.append("   rising: " + ", ".join(f"{c} {a}->{b}" for c, a, b in s.rising))
        if s.unknown:
            lines.append("   unknown: " + ", ".join(c for c, _ in s.unknown))
    return "\n".join(lines) + "\n"


def closeness_text(person: str, own: str, ranked, computed: str, plan=None) -> str:
    lines = [f"Roles closest to {person} (now {own}), by their assessed shortfall.", computed, ""]
    for rank, c in enumerate(ranked, start=1):
        lines.append(f"{rank}. {c.role}{' (employer role)' if c.kind == 'employer' else ''}: {c.shortfall} level(s) short over "
                     f"{c.gaps} competencies; {c.meets} met, {c.not_assessed} not assessed, {c.unknown} requirement(s) unknown")
    if plan is not None:
        lines += ["", plan_text(plan).rstrip()]
    return "\n".join(lines) + "\n"
