"""The employer workbench's commands: tailor (check, diff, export), gaps, training-plan, careers.

Registered in cli.EXTRA_COMMANDS. Only click is imported here: the workbench (numpy, scipy, the
store) is imported inside each command, so `ccgraph --help` stays fast.
"""

import json
import sys
from pathlib import Path

import click

from ccgraph.errors import CcgraphError

FORMATS = ("table", "csv", "json", "html")


def _bench(session, overlay: Path | None):
    from ccgraph.workbench import Workbench

    return Workbench.open(session.store, overlay, session.project.shapes_dir)


def _write(output: str, text: str) -> None:
    from ccgraph.graph.rdfio import atomic_output

    with atomic_output(output) as handle:
        handle.write(text)


def _held(value: str | None) -> tuple[str, ...]:
    return tuple(code.strip() for code in (value or "").split(",") if code.strip())


def _one_selection(person, role, team_by) -> None:
    if sum(x is not None for x in (person, role, team_by)) > 1:
        raise CcgraphError("give at most one of --person, --role, --team-by")


overlay_option = click.option("--overlay", type=click.Path(path_type=Path, file_okay=False), default=None,
                              help="An employer's tailoring overlay folder (CSV tables or Turtle); default: the published framework.")
staff_option = click.option("--staff", "staff_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
                            help="Staff assessments CSV: person, role, competency, level, date[, assessor, evidence, ...].")
output_option = click.option("--output", "-o", default="-", help="File to write (atomically), or - for standard output.")


# ---------------------------------------------------------------- tailor


@click.group()
def tailor() -> None:
    """Tailor the framework for an employer (section 4.2): check an overlay, see what it changes, export it."""


@tailor.command("check")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
def tailor_check(session, folder: Path) -> None:
    """Validate the overlay in FOLDER: every table, then the employer graph against the shapes.

    \b
    Example:
      ccgraph tailor check examples/overlay
    """
    bench = _bench(session, folder)
    t = bench.tailoring
    overlay = t.overlay
    employer_roles = [r for r in t.roles.values() if r.kind == "employer"]
    click.echo(f"{folder}: overlay {overlay.label!r} is valid ({overlay.form}): {len(overlay.quads)} triples in graph <{overlay.graph}>; "
               f"{sum(c.origin == 'added' for c in t.competencies.values())} competencies added, {len(t.amended)} amended, "
               f"{len(t.removed)} removed; {len(employer_roles)} roles")


@tailor.command("diff")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@click.pass_obj
def tailor_diff(session, folder: Path, fmt: str, output: str) -> None:
    """What the overlay in FOLDER changes against the published framework.

    \b
    Example:
      ccgraph tailor diff examples/overlay
    """
    result = _bench(session, folder).diff()
    _write(output, json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n" if fmt == "json" else result.text())


@tailor.command("export")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@output_option
@click.pass_obj
def tailor_export(session, folder: Path, output: str) -> None:
    """Write the overlay in FOLDER as Turtle: the employer graph (a folder holding it is an overlay too).

    \b
    Example:
      ccgraph tailor export examples/overlay -o overlay.ttl
    """
    overlay = _bench(session, folder).tailoring.overlay
    _write(output, overlay.to_turtle().decode("utf-8"))


# ---------------------------------------------------------------- gaps


@click.command()
@staff_option
@overlay_option
@click.option("--person", default=None, help="One person's gaps.")
@click.option("--role", default=None, help="Everyone in this role, with the role's team view.")
@click.option("--team-by", default=None, help="A team view per value of this column of the staff file (e.g. team, role).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@output_option
@click.pass_obj
def gaps(session, staff_file: Path, overlay: Path | None, person, role, team_by, fmt: str, output: str) -> None:
    """Competency gaps: each person's required level, assessed level and shortfall; team views aggregate.

    A requirement the framework leaves unresolved is reported as unknown with its raw text, never as a
    gap or as met; a competency not assessed is said to be so. Staff data is read into memory only.

    \b
    Examples:
      ccgraph gaps --staff examples/staff.csv --overlay examples/overlay
      ccgraph gaps --staff examples/staff.csv --overlay examples/overlay --format html -o gaps.html
    """
    _one_selection(person, role, team_by)
    bench = _bench(session, overlay)
    staff = bench.staff(staff_file)
    report = bench.gaps(staff, person, role, team_by, per_person=False)  # each format takes what it needs
    from ccgraph.workbench import render

    if fmt == "table" and output == "-":
        render.gaps_table(report)
        return
    if fmt == "html":
        from ccgraph.workbench.heatmap import page

        text = page(report)
    elif fmt == "csv":
        text = render.gaps_csv(report)
    elif fmt == "json":
        text = render.gaps_json(report)
    else:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        render.gaps_table(report, Console(file=buffer, width=160, soft_wrap=False, color_system=None))  # the tables, into a file
        text = buffer.getvalue()
    _write(output, text)
    if output != "-":
        click.echo(f"wrote {output} ({fmt}, {len(report.grid.people)} people)", err=True)


# ---------------------------------------------------------------- training-plan


@click.command("training-plan")
@staff_option
@overlay_option
@click.option("--person", default=None, help="Plan for one person's gaps.")
@click.option("--role", default=None, help="One plan for everyone in this role.")
@click.option("--team-by", default=None, help="One plan per value of this column of the staff file.")
@click.option("--min-confidence", type=float, default=0.0, show_default=True, help="Use only mappings at least this confident (0-1).")
@click.option("--qualification", "-q", default=None, help="Also complete this qualification under its rules of combination (e.g. 3412-03).")
@click.option("--held", default=None, help="Units already held, comma-separated (e.g. 201,202): no cost, and they count.")
@click.option("--by", type=click.Choice(["credits", "glh"]), default="credits", show_default=True, help="Minimise credits or guided learning hours.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@click.pass_obj
def training_plan(session, staff_file, overlay, person, role, team_by, min_confidence, qualification, held, by, fmt, output) -> None:
    """The smallest set of units (by credits or GLH) that closes every gap some unit addresses.

    Units come from the curated competency -> unit mappings, at levels that fit the required ability
    level (framework section 1.3; inferred steps labelled). Each unit says which gaps it closes and
    why; gaps no unit addresses are listed.

    \b
    Example:
      ccgraph training-plan --staff examples/staff.csv --overlay examples/overlay --person P-1001 --qualification 3412-03
    """
    _one_selection(person, role, team_by)
    if person is None and role is None and team_by is None:
        raise CcgraphError("give --person ID, --role ROLE or --team-by COLUMN: whose gaps to plan for")
    bench = _bench(session, overlay)
    staff = bench.staff(staff_file)
    found = bench.training_plan(staff, person, role, team_by, min_confidence=min_confidence, qualification=qualification,
                                held=_held(held), by=by)
    plans = found if isinstance(found, dict) else {"": found}
    from ccgraph.workbench.render import plan_text

    if fmt == "json":
        payload = [p.as_dict() for p in plans.values()]
        text = json.dumps(payload if team_by else payload[0], indent=2, ensure_ascii=False) + "\n"
    else:
        text = "\n".join(plan_text(p) for p in plans.values())
    _write(output, text)
    if qualification and not all(p.qualification_report and p.qualification_report.achieved for p in plans.values()):
        sys.exit(1)


# ---------------------------------------------------------------- careers


@click.command()
@click.option("--role", default=None, help="The next roles from this role (generic or the employer's).")
@click.option("--person", default=None, help="The roles this person is closest to (needs --staff).")
@click.option("--staff", "staff_file", default=None, type=click.Path(path_type=Path, dir_okay=False), help="Staff assessments CSV (with --person).")
@overlay_option
@click.option("--to", "to_role", default=None, help="With --person: plan the step to this role (default: the closest).")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="How many roles to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@click.pass_obj
def careers(session, role, person, staff_file, overlay, to_role, limit, fmt, output) -> None:
    """Career steps, computed from the role x competency matrix (not printed by the framework).

    --role R: the next roles ranked by the size of the step (new competencies, levels that rise,
    unknowns). --person ID --staff FILE: the roles the person is closest to, and the training plan for
    the step to the closest (or --to ROLE).

    \b
    Example:
      ccgraph careers --role "Customer Service Advisor"
    """
    from ccgraph.workbench import careers as steps
    from ccgraph.workbench import render

    if (role is None) == (person is None):
        raise CcgraphError("give --role ROLE, or --person ID with --staff FILE")
    if person is not None and staff_file is None:
        raise CcgraphError("--person needs --staff FILE (the assessments to measure the step from)")
    bench = _bench(session, overlay)
    if role is not None:
        found = bench.careers(role)[:limit]
        text = (json.dumps({"role": role, "computed": steps.COMPUTED, "next_roles": [s.as_dict() for s in found]}, indent=2) + "\n"
                if fmt == "json" else render.steps_text(role, found, steps.COMPUTED))
        _write(output, text)
        return
    staff = bench.staff(staff_file)
    own, ranked = bench.closest_roles(staff, person)
    target = to_role or (ranked[0].role if ranked else None)
    plan = bench.step_plan(staff, person, target) if target else None
    if fmt == "json":
        text = json.dumps({"person": person, "role": own, "computed": steps.COMPUTED, "closest_roles": [c.as_dict() for c in ranked[:limit]],
                           "step_to": target, "training_plan": plan.as_dict() if plan else None}, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render.closeness_text(person, own, ranked[:limit], steps.COMPUTED, plan)
    _write(output, text)
