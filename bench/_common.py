"""Helpers shared by the benchmarks: timing with percentiles, a query's example parameters, peak memory.

Benchmarks print figures; they assert nothing about time.
"""

import math
import resource
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CCGRAPH = str(Path(sys.executable).with_name("ccgraph"))


@dataclass(frozen=True)
class Timing:
    samples: tuple[float, ...]  # seconds

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p90(self) -> float:
        return percentile(self.samples, 90)

    @property
    def best(self) -> float:
        return min(self.samples)

    def __len__(self) -> int:
        return len(self.samples)


def percentile(samples, pct: float) -> float:
    """Nearest-rank percentile (p90 of 10 samples is the 9th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(action, runs: int, warmup: int = 1, budget: float | None = None, min_runs: int = 3) -> tuple[Timing, object]:
    """Run action warmup times untimed, then up to runs times timed (stopping early, after min_runs,
    once budget seconds of timed runs have passed). Returns the timing and the last result."""
    result = None
    for _ in range(warmup):
        result = action()
    samples = []
    spent = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - start
        samples.append(elapsed)
        spent += elapsed
        if budget is not None and len(samples) >= min_runs and spent > budget:
            break
    return Timing(tuple(samples)), result


def timed_interleaved(actions: dict, runs: int, warmup: int = 1, budget: float | None = None,
                      min_runs: int = 3) -> tuple[dict[str, Timing], dict[str, object]]:
    """Like timed, for several actions run in turn within each round (A B A B ...), so that load from
    other processes, which comes and goes, falls on all of them alike rather than on whichever ran last."""
    results: dict[str, object] = {}
    for _ in range(warmup):
        for name, action in actions.items():
            results[name] = action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    spent = 0.0
    for round_number in range(runs):
        order = list(actions.items())
        if round_number % 2:
            order.reverse()
        for name, action in order:
            start = time.perf_counter()
            results[name] = action()
            elapsed = time.perf_counter() - start
            samples[name].append(elapsed)
            spent += elapsed
        if budget is not None and round_number + 1 >= min_runs and spent > budget:
            break
    return {name: Timing(tuple(values)) for name, values in samples.items()}, results


def example_values(query) -> dict[str, str] | None:
    """The parameters of a saved query's first '# example:' header line ({} for none given).

    None when the query has a required parameter and no example supplies it.
    """
    values: dict[str, str] = {}
    if query.examples:
        tokens = shlex.split(query.examples[0])
        index = 0
        while index < len(tokens):
            token = tokens[index]
            pair = None
            if token in ("--param", "-p") and index + 1 < len(tokens):
                pair, index = tokens[index + 1], index + 2
            elif token.startswith("--param="):
                pair, index = token[len("--param="):], index + 1
            else:
                index += 1
            if pair is not None:
                name, _, value = pair.partition("=")
                values[name] = value
    if any(not p.optional and p.name not in values for p in query.parameters):
        return None
    return values


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_process(args: list[str], ok=(0,), **options) -> tuple[float, subprocess.CompletedProcess]:
    """Wall-clock seconds of one whole command, and its outcome (an unexpected exit status raises)."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, **options)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed, done


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"
