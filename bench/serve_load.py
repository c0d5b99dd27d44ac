#!/usr/bin/env python3
"""Load benchmark for `ccgraph serve`: queries per second and p50 / p99 latency under concurrent clients.

    .venv/bin/python bench/serve_load.py [--clients 20] [--requests 200] [--workers 2]

Starts a real server on a free loopback port, drives the saved-query and hostile-request mix of the
load test at it, and prints the figures. Asserts nothing about time.
"""

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from ccgraph import Project, assemble, union_graph  # noqa: E402
from live_server import running_server  # noqa: E402
from load_mix import probes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    project = Project.at()
    mix = probes(project, union_graph(assemble(project)))
    with running_server("--no-closure", "--workers", str(args.workers), "--timeout", "30", "--queue-wait", "120") as url:

        def client(index: int) -> list[tuple[str, float, int]]:
            samples = []
            with httpx.Client(timeout=120) as http:
                for i in range(args.requests):
                    probe = mix[(index + i) % len(mix)]
                    started = time.perf_counter()
                    status = probe.send(http, url).status_code
                    samples.append((probe.name, time.perf_counter() - started, status))
            return samples

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            samples = [s for batch in pool.map(client, range(args.clients)) for s in batch]
        elapsed = time.perf_counter() - started

    latencies = sorted(s[1] for s in samples)
    errors = sum(1 for s in samples if s[2] >= 500)
    print(f"{len(samples)} requests from {args.clients} clients, {args.workers} query workers, in {elapsed:.1f} s")
    print(f"throughput  {len(samples) / elapsed:8.1f} requests/s")
    print(f"latency p50 {statistics.median(latencies) * 1000:8.1f} ms")
    print(f"latency p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:8.1f} ms")
    print(f"5xx         {errors:8d}")
    by_probe: dict[str, list[float]] = {}
    for name, latency, _ in samples:
        by_probe.setdefault(name, []).append(latency)
    for name, values in sorted(by_probe.items()):
        print(f"  {name:32} p50 {statistics.median(values) * 1000:7.1f} ms  ({len(values)} requests)")


if __name__ == "__main__":
    main()
