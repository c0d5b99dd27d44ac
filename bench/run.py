#!/usr/bin/env python3
"""Time ccgraph on the project's graph and print the figures beside their targets.

    .venv/bin/python bench/run.py [--runs N] [--process-runs N] [--build-runs N] [--skip-process] [--skip-queries]

Part 1, every saved query (queries/*.rq, parameters from its '# example:' header line), three ways:
  ccgraph  ccgraph.query.saved.run(store, query, values) on the project's built store (open_store)
  raw      pyoxigraph on the SAME store: store.oxigraph.query(text with the VALUES block, prefixes=...,
           use_default_graph_as_union=True), rows materialised with list()
  rdflib   run_rdflib on the rdflib union graph (assemble + union_graph)
p50 and p90 of several runs after a warm-up, the ratios ccgraph/raw and rdflib/ccgraph, and a check
that the three return the same number of rows. A query over its target gets a breakdown of where
ccgraph's time goes (each step of Store.query timed on its own).

Part 2, whole commands (subprocess, wall clock, best and median): ccgraph --help, ccgraph build
(with the closure time it reports), ccgraph query nos-count-by-key-area after a build, ccgraph
validate, ccgraph audit. They run on a scratch copy of the project's inputs (--root), so the
benchmark never rebuilds the shared build/ folder.

Not a test: it asserts nothing about time. Compare its figures before and after a change.
"""

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CCGRAPH, Timing, example_values, ms, run_process, timed, timed_interleaved  # noqa: E402

from ccgraph import Project  # noqa: E402
from ccgraph.graph.assemble import assemble, union_graph  # noqa: E402
from ccgraph.graph.build import INPUT_FOLDERS, open_store  # noqa: E402
from ccgraph.graph.store import PREFIX_MAP, refuse_service  # noqa: E402
from ccgraph.query.saved import run, run_rdflib, saved_queries, with_values  # noqa: E402

QUERY_TARGET = 1.5  # ccgraph within 1.5x of raw pyoxigraph on the same store
PROCESS_TARGETS = {"help": 0.2, "query": 0.5, "validate": 3.0, "audit": 5.0}
CLOSURE_TARGET = 10.0


def raw_action(store, text: str):
    oxigraph = store.oxigraph

    def action():
        result = oxigraph.query(text, prefixes=PREFIX_MAP, use_default_graph_as_union=True)
        return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)

    return action


def count(result) -> int | str:
    if isinstance(result, bool):
        return f"ask={result}"
    if hasattr(result, "askAnswer") and result.type == "ASK":  # an rdflib Result
        return f"ask={result.askAnswer}"
    return len(result)


def breakdown(store, query, values, runs: int) -> list[tuple[str, float]]:
    """ccgraph's run(), step by step, each step timed on its own (p50 seconds)."""
    bindings = query.bindings(values)
    text = with_values(query.text, bindings)
    where = str(query.path)
    oxigraph = store.oxigraph

    def evaluate_and_list():
        return list(oxigraph.query(text, prefixes=PREFIX_MAP, use_default_graph_as_union=True))

    solutions = evaluate_and_list()
    steps = [
        ("query.bindings(values) (parameter terms)", lambda: query.bindings(values)),
        ("refuse_service (mask strings/IRIs, regex)", lambda: refuse_service(query.text, where)),
        ("with_values (write the VALUES block)", lambda: with_values(query.text, bindings)),
        ("pyoxigraph evaluate + list(rows) (= raw)", evaluate_and_list),
        ("tuple(solution) per row (term objects)", lambda: [tuple(s) for s in solutions]),
    ]
    figures = []
    for name, action in steps:
        timing, _ = timed(action, runs, warmup=2)
        figures.append((name, timing.p50))
    whole, _ = timed(lambda: run(store, query, values), runs, warmup=2)
    figures.append(("the rest (Store.query's own Python)", whole.p50 - sum(seconds for _, seconds in figures)))
    figures.append(("ccgraph run() as a whole", whole.p50))
    return figures


def query_figures(project: Project, runs: int, budget: float) -> None:
    store = open_store(project)
    graph = union_graph(assemble(project))
    queries = saved_queries(project.queries_dir)
    print(f"Saved queries: {len(queries)} queries, store {store.source} ({len(store.oxigraph)} quads), "
          f"rdflib union graph {len(graph)} triples")
    print(f"p50 / p90 in ms of up to {runs} runs after a warm-up (at least 3, stopping after ~{budget:g} s of runs); ccgraph "
          f"and raw run in turn within each round. Target: ccgraph/raw <= {QUERY_TARGET}x (of the p50s).")
    header = (f"{'query':34} {'rows':>5} {'ccgraph p50':>11} {'p90':>7} {'raw p50':>8} {'p90':>7} {'rdflib p50':>10} {'p90':>8} "
              f"{'cc/raw':>7} {'rdflib/cc':>9}  check")
    print(header)
    print("-" * len(header))
    over = []
    worst = None
    totals = {"ccgraph": 0.0, "raw": 0.0, "rdflib": 0.0}
    for name, query in queries.items():
        values = example_values(query)
        if values is None:
            print(f"{name:34} skipped: a required parameter has no '# example:' value")
            continue
        text = with_values(query.text, query.bindings(values))
        engines = {
            "ccgraph": lambda q=query, v=values: run(store, q, v),
            "raw": raw_action(store, text),
            "rdflib": lambda q=query, v=values: list(run_rdflib(graph, q, v)),
        }
        timings: dict[str, Timing]
        timings, results = timed_interleaved({"ccgraph": engines["ccgraph"], "raw": engines["raw"]}, runs, warmup=2, budget=budget)
        timings["rdflib"], results["rdflib"] = timed(engines["rdflib"], runs, warmup=1, budget=budget)
        rows = {engine: count(result) for engine, result in results.items()}
        for engine in totals:
            totals[engine] += timings[engine].p50
        same = len(set(rows.values())) == 1
        check = "same rows" if same else "ROW COUNTS DIFFER " + " ".join(f"{k}={v}" for k, v in rows.items())
        cc, raw, rdf = timings["ccgraph"], timings["raw"], timings["rdflib"]
        cc_raw = cc.p50 / raw.p50
        flag = "" if cc_raw <= QUERY_TARGET else " (over)"
        print(f"{name:34} {rows['ccgraph']!s:>5} {ms(cc.p50):>11} {ms(cc.p90):>7} {ms(raw.p50):>8} {ms(raw.p90):>7} "
              f"{ms(rdf.p50):>10} {ms(rdf.p90):>8} {cc_raw:6.2f}x {rdf.p50 / cc.p50:8.1f}x  {check}{flag}")
        if cc_raw > QUERY_TARGET:
            over.append((name, query, values, cc_raw))
        if worst is None or cc_raw > worst[3]:
            worst = (name, query, values, cc_raw)
    print("-" * len(header))
    print(f"{'sum of p50s':34} {'':>5} {ms(totals['ccgraph']):>11} {'':>7} {ms(totals['raw']):>8} {'':>7} {ms(totals['rdflib']):>10} "
          f"{'':>8} {totals['ccgraph'] / totals['raw']:6.2f}x {totals['rdflib'] / totals['ccgraph']:8.1f}x")
    if not over:
        print(f"every saved query is within {QUERY_TARGET}x of raw pyoxigraph")
    if worst is not None and worst not in over:
        over.append(worst)  # the closest to the target, to show what the fixed cost is made of
    for name, query, values, cc_raw in over:
        print(f"\nwhere ccgraph's time goes for {name} ({cc_raw:.2f}x raw), p50 of each step of Store.query on its own:")
        for step, seconds in breakdown(store, query, values, max(runs, 50)):
            print(f"  {step:44} {seconds * 1e6:10.1f} us")


def scratch_project(project: Project) -> Path:
    """A copy of the project's inputs in a temporary folder, with no build yet."""
    root = Path(tempfile.mkdtemp(prefix="ccgraph-bench-project-"))
    for folder in INPUT_FOLDERS:
        if (project.root / folder).is_dir():
            shutil.copytree(project.root / folder, root / folder)
    return root


def process_figures(project: Project, runs: int, build_runs: int, root: Path | None) -> None:
    own_copy = root is None
    root = root or scratch_project(project)
    base = [CCGRAPH, "--root", str(root)]
    print(f"\nWhole commands (subprocess wall clock, seconds; project inputs copied to {root}):")
    print(f"{'command':44} {'runs':>4} {'best':>7} {'median':>7} {'target':>7}  verdict")

    def line(what: str, samples: list[float], target: float | None, note: str = "") -> None:
        best, median = min(samples), statistics.median(samples)
        verdict = "" if target is None else ("meets" if median <= target else "over")
        shown = f"{target:.1f}" if target is not None else "-"
        print(f"{what:44} {len(samples):>4} {best:7.2f} {median:7.2f} {shown:>7}  {verdict}{note}")

    samples = [run_process([CCGRAPH, "--help"])[0] for _ in range(runs)]
    line("ccgraph --help", samples, PROCESS_TARGETS["help"])

    build_samples, closure_samples = [], []
    for _ in range(build_runs):
        seconds, done = run_process([*base, "build"])
        build_samples.append(seconds)
        found = re.search(r"inferred in ([\d.]+) s", done.stderr)
        if found:
            closure_samples.append(float(found[1]))
    line("ccgraph build (whole command)", build_samples, None)
    if closure_samples:
        line("  its OWL-RL closure (as build reports it)", closure_samples, CLOSURE_TARGET)

    samples = [run_process([*base, "query", "nos-count-by-key-area"])[0] for _ in range(runs)]
    line("ccgraph query nos-count-by-key-area", samples, PROCESS_TARGETS["query"])
    samples = [run_process([*base, "validate"], ok=(0, 1))[0] for _ in range(runs)]
    line("ccgraph validate", samples, PROCESS_TARGETS["validate"])
    samples = [run_process([*base, "audit"])[0] for _ in range(runs)]
    line("ccgraph audit", samples, PROCESS_TARGETS["audit"])
    if own_copy:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query and engine (default 30)")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timed runs per query and engine before stopping early")
    parser.add_argument("--process-runs", type=int, default=5, help="runs of each whole command (default 5)")
    parser.add_argument("--build-runs", type=int, default=3, help="runs of ccgraph build (default 3)")
    parser.add_argument("--root", type=Path, default=None, help="run the whole commands on this project instead of a scratch copy")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-process", action="store_true")
    args = parser.parse_args()

    project = Project.at()
    if not args.skip_queries:
        query_figures(project, args.runs, args.budget)
    if not args.skip_process:
        process_figures(project, args.process_runs, args.build_runs, args.root)


if __name__ == "__main__":
    main()
