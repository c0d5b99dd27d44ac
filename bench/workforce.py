#!/usr/bin/env python3
"""Workforce benchmark: the employer workbench on a synthetic workforce of 10^5 people.

    .venv/bin/python bench/workforce.py [--people 100000] [--overlay examples/overlay] [--runs 5] [--root DIR]

Generates (once per size, reused afterwards) build/bench/workforce-<people>.csv: people spread over the
11 generic roles and the overlay's roles, 20-60 assessed competencies each (drawn from the role's
profile first), levels around the role's target, dates in 2024, teams of 50. Then prints:
  load        reading and checking the staff file (the in-memory columns the workbench works on)
  gaps-one    one person's gaps                                        target <= 50 ms
  gaps-all    everyone's gaps and the team view (one vectorised pass)  target <= 10 s
  rows-all    everyone's gaps as rows, one per person and competency (what --format csv writes), vectorised
  plan-one    a training plan for one person (units read from the store once, then reused)   target <= 1 s
  plan-cold   the same, reading the units and mappings from the store too
  plan-team   a training plan for a team of 50
Timings are p50 / p90 of --runs runs after a warm-up. It asserts nothing; compare its figures across changes.
"""

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, ms, peak_rss_mb, timed  # noqa: E402

TARGETS = {"gaps-one": 0.050, "gaps-all": 10.0, "plan-one": 1.0}


def generate(path: Path, people: int, tailoring, seed: int = 13) -> int:
    """A staff file: people x 20-60 assessments, levels around their role's target."""
    rng = random.Random(seed)
    roles = list(tailoring.roles)
    codes = list(tailoring.competencies)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    tmp = path.with_suffix(".part")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["person", "role", "competency", "level", "date", "assessor", "evidence", "team"])
        for n in range(people):
            role = roles[n % len(roles)]
            profile = tailoring.profile(role)
            wanted = rng.randint(20, 60)
            chosen = list(profile)
            rng.shuffle(chosen)
            extra = [c for c in codes if c not in profile]
            rng.shuffle(extra)
            chosen = (chosen + extra)[:wanted]
            team = f"T{n // 50:05d}"
            for code in chosen:
                requirement = profile.get(code)
                target = requirement.level if requirement is not None and requirement.level else rng.randint(1, 3)
                level = min(4, max(1, target + rng.choice((-2, -1, -1, 0, 0, 0, 1))))
                writer.writerow([f"P{n:06d}", role, code, level, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                 f"A{n % 997:03d}", "", team])
                rows += 1
    tmp.replace(path)
    return rows


def line(name: str, timing, note: str = "") -> None:
    target = TARGETS.get(name)
    verdict = "" if target is None else f"  target <= {ms(target)} ms: {'met' if timing.p90 <= target else 'MISSED'}"
    print(f"{name:<10} p50 {ms(timing.p50):>10} ms   p90 {ms(timing.p90):>10} ms   runs {len(timing)}{verdict}{note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--overlay", type=Path, default=ROOT / "examples" / "overlay")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()

    from ccgraph.graph.build import open_store
    from ccgraph.graph.project import Project
    from ccgraph.workbench import Workbench, training

    project = Project.at(args.root)
    store = open_store(project)
    started = time.perf_counter()
    bench = Workbench.open(store, args.overlay, project.shapes_dir)
    print(f"overlay {args.overlay}: validated and applied in {time.perf_counter() - started:.2f} s; "
          f"{len(bench.tailoring.roles)} roles, {len(bench.tailoring.competencies)} competencies", flush=True)

    path = project.build_dir / "bench" / f"workforce-{args.people}.csv"
    if not path.is_file():
        started = time.perf_counter()
        rows = generate(path, args.people, bench.tailoring)
        print(f"generated {path}: {rows} assessments in {time.perf_counter() - started:.1f} s", flush=True)

    load, staff = timed(lambda: bench.staff(path), runs=min(args.runs, 3), warmup=0)
    print(f"staff: {len(staff.people)} people, {staff.rows} assessments, {len(staff.codes)} competencies", flush=True)
    line("load", load)

    person = staff.people[len(staff.people) // 2]
    one, report = timed(lambda: bench.gaps(staff, person=person), runs=args.runs * 4)
    line("gaps-one", one, f"   ({len(report.people[0].items)} competencies, {len(report.people[0].outcome('gap'))} gaps)")

    everyone, report_all = timed(lambda: bench.gaps(staff, per_person=False), runs=args.runs)
    line("gaps-all", everyone, f"   ({int(report_all.grid.below.sum())} gaps, {int(report_all.grid.unknown.sum())} unknown)")

    rows, table = timed(lambda: report_all.rows(), runs=args.runs, warmup=0)
    line("rows-all", rows, f"   ({len(table['person'])} rows)")

    found = training.catalogue(bench.store)
    plan_one, plan = timed(lambda: training.plan(report, bench.store, found=found), runs=args.runs)
    line("plan-one", plan_one, f"   ({len(plan.to_take)} units, {plan.cost} credits, {len(plan.uncovered)} gaps no unit addresses)")
    cold, _ = timed(lambda: training.plan(report, bench.store), runs=args.runs)
    line("plan-cold", cold)

    team_report = bench.gaps(staff, team_by="team", per_person=False)
    team = next(t for t in team_report.teams if t.people == 50)
    plan_team, plan = timed(lambda: training.plan(team_report, bench.store, rows=team.rows, found=found,
                                                  selection=f"team {team.value}"), runs=args.runs)
    line("plan-team", plan_team, f"   (team {team.value}: {len(plan.covered)} gaps covered by {len(plan.to_take)} units, {plan.cost} credits)")
    print(f"peak memory {peak_rss_mb():.0f} MiB (the generated file is kept for the next run; delete it to regenerate)")


if __name__ == "__main__":
    main()
