#!/usr/bin/env python3
"""Time ccgraph on the full graph and print the figures (median of several runs after a warm-up).

    .venv/bin/python bench/run.py [--runs N]

Not a test: it asserts nothing about time. Compare its figures before and after a change.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ccgraph import Project, assemble, union_graph
from ccgraph.query.saved import run, saved_queries
from ccgraph.checks.validate import load_shapes, validate

# A value for each required parameter, so every saved query can be timed.
EXAMPLE_PARAMS = {"functions-by-body": {"body": "Management Standards Centre"}, "nos-lineage": {"nos": "GS CC DA1.1"}}


def timed(action, runs: int) -> tuple[float, float]:
    action()  # warm-up: imports, parser caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    project = Project.at()
    graph = union_graph(assemble(project))
    shapes = load_shapes(project.shapes_dir)
    ccgraph = str(Path(sys.executable).with_name("ccgraph"))
    scratch = Path(tempfile.mkdtemp(prefix="ccgraph-bench-"))

    figures = [
        ("ccgraph --version (start-up)", lambda: subprocess.run([ccgraph, "--version"], check=True, capture_output=True)),
        ("ccgraph stats (start-up + assemble)", lambda: subprocess.run([ccgraph, "stats", "--format", "json"], check=True, capture_output=True)),
        ("ccgraph build (start-up + assemble + write)", lambda: subprocess.run(
            [ccgraph, "build", "--output", str(scratch / "bench.trig")], check=True, capture_output=True)),
        ("assemble (in process)", lambda: union_graph(assemble(project))),
        ("validate (in process)", lambda: validate(graph, shapes)),
    ]
    for name, query in saved_queries(project.queries_dir).items():
        params = EXAMPLE_PARAMS.get(name, {})
        figures.append((f"query {name}", lambda q=query, p=params: list(run(graph, q, p))))

    print(f"ccgraph benchmark: {len(graph)} triples, median and best of {runs} runs after one warm-up")
    print(f"{'what':45} {'median ms':>10} {'best ms':>10}")
    for name, action in figures:
        median, best = timed(action, runs)
        print(f"{name:45} {median * 1000:10.1f} {best * 1000:10.1f}")


if __name__ == "__main__":
    main()
