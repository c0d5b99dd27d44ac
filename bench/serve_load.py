#!/usr/bin/env python3
"""Load benchmark: `ccgraph serve` with the settings users get, against a real Oxigraph server.

    .venv/bin/python bench/serve_load.py [--clients 20] [--requests 200] [--rounds 2]

Both servers hold the same graphs (Oxigraph loaded by `ccgraph push`, its default graph the union of
them) and get the same saved lookups, parameters bound in VALUES blocks, from 20 concurrent clients
x 200 requests each; rounds alternate between the servers so that other load on the machine falls on
both alike. Prints requests/s, p50 and p99 latency and errors (any answer but 200 with the right rows)
for each, the ratio of their throughputs, and then that a query past ccgraph's --timeout is stopped.
Asserts nothing about time.
"""

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from ccgraph import Project  # noqa: E402
from ccgraph.graph.build import open_store  # noqa: E402
from live_server import free_port, running_server  # noqa: E402
from load_mix import lookups  # noqa: E402

LOOKUPS = ("units-for-nos", "unit-qualifications", "nos-lineage", "role-profile", "unit-outcomes", "functions-by-body")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
OXIGRAPH = str(Path(sys.executable).with_name("oxigraph"))


@contextlib.contextmanager
def oxigraph_server():
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("oxigraph did not start")
        subprocess.run([sys.executable, "-m", "ccgraph.cli", "push", "--endpoint", f"{base}/store"], check=True,
                       stdout=subprocess.DEVNULL)
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


def drive(url: str, mix, clients: int, requests: int) -> dict:
    def client(index: int) -> list[tuple[float, bool]]:
        samples = []
        with httpx.Client(timeout=120) as http:
            for i in range(requests):
                probe = mix[(index + i) % len(mix)]
                started = time.perf_counter()
                try:
                    ok = probe.check(probe.send(http, url)) is None
                except httpx.HTTPError:
                    ok = False
                samples.append((time.perf_counter() - started, ok))
        return samples

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        samples = [s for batch in pool.map(client, range(clients)) for s in batch]
    elapsed = time.perf_counter() - started
    latencies = sorted(s[0] for s in samples)
    return {"rps": len(samples) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, "errors": sum(1 for s in samples if not s[1]),
            "n": len(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per server, alternating")
    args = parser.parse_args()

    project = Project.at()
    mix = lookups(project, open_store(project), LOOKUPS)
    figures: dict[str, list[dict]] = {"ccgraph": [], "oxigraph": []}
    with running_server() as ccgraph_url, oxigraph_server() as oxigraph_url:
        urls = {"ccgraph": ccgraph_url, "oxigraph": oxigraph_url}
        for name, url in urls.items():  # warm-up
            drive(url, mix, args.clients, 10)
        for round_ in range(args.rounds):
            for name in ("ccgraph", "oxigraph") if round_ % 2 == 0 else ("oxigraph", "ccgraph"):
                figures[name].append(result := drive(urls[name], mix, args.clients, args.requests))
                print(f"round {round_ + 1} {name:9} {result['rps']:7.1f} requests/s  p50 {result['p50']:6.1f} ms  "
                      f"p99 {result['p99']:6.1f} ms  errors {result['errors']}/{result['n']}", flush=True)

        started = time.monotonic()
        response = httpx.get(ccgraph_url, params={"query": SLOW}, timeout=120)
        stopped_after = time.monotonic() - started
        after = httpx.get(ccgraph_url, params={"query": "ASK {}"}, timeout=120)

    print(f"\n{args.clients} clients x {args.requests} requests, lookups: {', '.join(LOOKUPS)}")
    best = {}
    for name, results in figures.items():
        best[name] = max(results, key=lambda r: r["rps"])
        print(f"{name:9} best {best[name]['rps']:7.1f} requests/s  p50 {best[name]['p50']:6.1f} ms  p99 {best[name]['p99']:6.1f} ms  "
              f"errors {sum(r['errors'] for r in results)} in all")
    paired = [c["rps"] / o["rps"] for c, o in zip(figures["ccgraph"], figures["oxigraph"])]
    print(f"ratio     ccgraph / oxigraph = {best['ccgraph']['rps'] / best['oxigraph']['rps']:.2f} best to best; "
          f"round by round {', '.join(f'{r:.2f}' for r in paired)} (target >= 0.67)")
    print(f"timeout   a cross-product query answered {response.status_code} after {stopped_after:.1f} s "
          f"({response.text.strip()!r}); the next query answered {after.status_code}")


if __name__ == "__main__":
    main()
