#!/usr/bin/env python3
"""Scale benchmark: generated ccgraph-shaped data at 1e5, 1e6, 1e7 triples, loaded and queried by each engine.

    .venv/bin/python bench/scale.py [--sizes 1e5,1e6,1e7] [--engines ...] [--runs 5] [--rdflib-max 1e6] [--keep]

For each size, bench/generate.py writes build/bench/ccgraph-<size>.nq (once; reused afterwards), then
each engine runs in its own subprocess, so that its peak memory (ru_maxrss) is its own:
  disk-load       pyoxigraph.Store(path).bulk_load(file), flush, optimize: the on-disk store the way
                  `ccgraph build` writes one (shared by the two disk engines below; its load time and
                  memory are reported on its own line)
  ccgraph-disk    ccgraph.graph.store.Store.open(path) (read-only), then store.select(...)
  raw-disk        pyoxigraph.Store.read_only(path), then .query(..., use_default_graph_as_union=True)
  ccgraph-memory  Store.from_files([file]) (in memory), then store.select(...)
  raw-memory      pyoxigraph.Store() + bulk_load(file), then .query(...)
  rdflib          rdflib Dataset.parse(file, format="nquads") + its union in one Graph (as ccgraph's
                  union_graph does), then graph.query(...); only up to --rdflib-max triples
Three queries, the same text for every engine (PREFIX lines included, the one parameter in a VALUES block):
  trace      4 hops from one NOS: NOS <- unit (ccg:coversStandard) <- competency (curated SKOS
             mapping) <- requirement <- role, with the ability level (OPTIONAL); trace-lateral, run
             by the pyoxigraph engines only, is the same with LATERAL { OPTIONAL ... } (see QUERIES)
  group-by   requirements per role and ability level, over all roles (GROUP BY, COUNT)
  not-exists competencies with no mapped unit (FILTER NOT EXISTS, the unit's type checked in a
             nested FILTER EXISTS; not-exists-typed, asked for with --queries, is the same question
             with the type as a plain inner pattern: quadratic in both engines, see QUERIES)
Each is timed (p50 / p90 of --runs runs after a warm-up); the answers are compared between engines
(row count and a digest of the sorted rows). Asserts nothing about time; prints the figures, the
ratios (ccgraph vs raw pyoxigraph, rdflib vs ccgraph) and the target (ccgraph >= 20x faster than
rdflib at 1e6 on the three queries). Results also go to build/bench/scale-results.json.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, peak_rss_mb, timed, timed_interleaved  # noqa: E402

WORK = ROOT / "build" / "bench"
ENGINES = ("disk-load", "ccgraph-disk", "raw-disk", "ccgraph-memory", "raw-memory", "rdflib")
RDFLIB_TARGET = 20.0  # ccgraph >= 20x faster than rdflib at 1e6

PREFIXES = """PREFIX ccg:  <https://w3id.org/ccgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

QUERIES = {
    "trace": PREFIXES + """SELECT ?unit ?competency ?role ?level WHERE {
  VALUES ?code { "N0" }
  ?nos skos:notation ?code ; a ccg:NationalOccupationalStandard .
  ?u ccg:coversStandard ?nos ; skos:notation ?unit .
  ?c skos:closeMatch|skos:relatedMatch ?u .
  ?c skos:notation ?competency .
  ?req ccg:competency ?c .
  ?r ccg:hasRequirement ?req ; skos:prefLabel ?role .
  OPTIONAL { ?req ccg:abilityLevel/ccg:levelNumber ?level }
}""",
    # The same trace with the OPTIONAL wrapped in LATERAL (SEP-0006, a pyoxigraph extension rdflib
    # does not parse): it makes pyoxigraph look the level up for each requirement found, where for
    # the plain OPTIONAL its optimizer picks a hash left join and computes the right-hand side, every
    # requirement's level, in full. Run by the pyoxigraph engines only; its answer must equal trace's.
    "trace-lateral": PREFIXES + """SELECT ?unit ?competency ?role ?level WHERE {
  VALUES ?code { "N0" }
  ?nos skos:notation ?code ; a ccg:NationalOccupationalStandard .
  ?u ccg:coversStandard ?nos ; skos:notation ?unit .
  ?c skos:closeMatch|skos:relatedMatch ?u .
  ?c skos:notation ?competency .
  ?req ccg:competency ?c .
  ?r ccg:hasRequirement ?req ; skos:prefLabel ?role .
  LATERAL { OPTIONAL { ?req ccg:abilityLevel/ccg:levelNumber ?level } }
}""",
    "group-by": PREFIXES + """SELECT ?r ?level (COUNT(?req) AS ?requirements) WHERE {
  ?r a ccg:Role ; ccg:hasRequirement ?req .
  OPTIONAL { ?req ccg:abilityLevel ?l . ?l ccg:levelNumber ?level }
}
GROUP BY ?r ?level""",
    "not-exists": PREFIXES + """SELECT ?c ?notation WHERE {
  ?c a ccg:Competency ; skos:notation ?notation .
  FILTER NOT EXISTS {
    ?c skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch ?u .
    FILTER EXISTS { ?u a ccg:Unit }
  }
}""",
    # The same question with the type check as a plain pattern inside NOT EXISTS. Both pyoxigraph
    # 0.5 and rdflib then start the inner group from `?u a ccg:Unit` instead of the bound ?c, which
    # costs competencies x units: not run unless asked for (--queries), it would take hours at 1e7.
    "not-exists-typed": PREFIXES + """SELECT ?c ?notation WHERE {
  ?c a ccg:Competency ; skos:notation ?notation .
  FILTER NOT EXISTS {
    ?c skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch ?u .
    ?u a ccg:Unit .
  }
}""",
}
DEFAULT_QUERIES = ("trace", "group-by", "not-exists", "trace-lateral")
THE_THREE = ("trace", "group-by", "not-exists")  # the ones the rdflib target is about
PYOXIGRAPH_ONLY = {"trace-lateral"}
SAME_ANSWER = {"trace-lateral": "trace", "not-exists-typed": "not-exists"}  # compared with this query's answer


# ==================================================================== the worker (one engine, one process)

def _ox_rows(rows) -> list[tuple]:
    return [tuple(None if term is None else term.value for term in row) for row in rows]


def _rdflib_rows(result) -> list[tuple]:
    return [tuple(None if term is None else str(term) for term in row) for row in result]


def _digest(rows: list[tuple]) -> str:
    lines = sorted(repr(row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def worker(engine: str, data: Path, store_dir: Path, runs: int, budget: float, queries: list[str]) -> dict:
    figures: dict = {"engine": engine}
    started = time.perf_counter()
    if engine == "disk-load":
        import pyoxigraph as ox

        shutil.rmtree(store_dir, ignore_errors=True)
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        figures["load_s"] = time.perf_counter() - started
        flushed = time.perf_counter()
        store.flush()
        store.optimize()
        figures["optimize_s"] = time.perf_counter() - flushed
        figures["quads"] = len(store)
        del store
        figures["store_mb"] = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file()) / 2**20
        figures["peak_rss_mb"] = peak_rss_mb()
        return figures

    if engine == "ccgraph-disk":
        from ccgraph.graph.store import Store

        store = Store.open(store_dir)
        figures["open_s"] = time.perf_counter() - started
        run = lambda text: _ox_rows(store.select(text, where="scale").rows)  # noqa: E731
    elif engine == "ccgraph-memory":
        from ccgraph.graph.store import Store

        store = Store.from_files([data])
        figures["load_s"] = time.perf_counter() - started
        run = lambda text: _ox_rows(store.select(text, where="scale").rows)  # noqa: E731
    elif engine in ("raw-disk", "raw-memory"):
        import pyoxigraph as ox

        if engine == "raw-disk":
            raw = ox.Store.read_only(str(store_dir))
            figures["open_s"] = time.perf_counter() - started
        else:
            raw = ox.Store()
            raw.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            figures["load_s"] = time.perf_counter() - started
        run = lambda text: _ox_rows(list(raw.query(text, use_default_graph_as_union=True)))  # noqa: E731
    elif engine == "rdflib":
        from rdflib import Dataset, Graph

        dataset = Dataset()
        dataset.parse(str(data), format="nquads")
        parsed = time.perf_counter()
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        del dataset
        figures["load_s"] = time.perf_counter() - started
        figures["parse_s"] = parsed - started
        run = lambda text: _rdflib_rows(graph.query(text))  # noqa: E731
    else:
        raise SystemExit(f"unknown engine {engine!r}")

    figures["queries"] = {}
    for name in queries:
        if engine == "rdflib" and name in PYOXIGRAPH_ONLY:
            continue
        text = QUERIES[name]
        if engine.startswith("ccgraph"):
            # ccgraph and raw pyoxigraph on the very same store, in turn within each round: the
            # wrapper's overhead without the noise of comparing two processes
            oxigraph = store.oxigraph
            timings, answers = timed_interleaved({
                "ccgraph": lambda t=text: run(t),
                "raw": lambda t=text: _ox_rows(list(oxigraph.query(t, use_default_graph_as_union=True))),
            }, runs, warmup=1, budget=budget)
            timing, rows = timings["ccgraph"], answers["ccgraph"]
            same_store = {"raw_p50": timings["raw"].p50, "raw_p90": timings["raw"].p90}
        else:
            timing, rows = timed(lambda t=text: run(t), runs, warmup=1, budget=budget, min_runs=3)
            same_store = {}
        figures["queries"][name] = {"p50": timing.p50, "p90": timing.p90, "best": timing.best, "runs": len(timing),
                                    "rows": len(rows), "digest": _digest(rows), **same_store}
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


# ==================================================================== the driver

def size_name(triples: int) -> str:
    exponent = len(str(triples)) - 1
    return f"1e{exponent}" if triples == 10 ** exponent else str(triples)


def data_file(triples: int) -> Path:
    """The generated N-Quads file for this size, generated first where missing (a .gz is unpacked)."""
    path = WORK / f"ccgraph-{size_name(triples)}.nq"
    if path.is_file() and Path(str(path) + ".json").is_file():
        return path
    packed = Path(str(path) + ".gz")
    if packed.is_file():
        import gzip

        with gzip.open(packed, "rb") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 22)
        shutil.copy(str(packed) + ".json", str(path) + ".json")
        return path
    subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), "--triples", str(triples), "--output", str(path)],
                   check=True)
    return path


def spawn(engine: str, data: Path, store_dir: Path, runs: int, budget: float, timeout: float, queries: list[str]) -> dict:
    args = [sys.executable, __file__, "--worker", engine, "--data", str(data), "--store", str(store_dir),
            "--runs", str(runs), "--budget", str(budget), "--queries", ",".join(queries)]
    started = time.perf_counter()
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"engine": engine, "error": f"exit {done.returncode}: {done.stderr.strip()[-400:]}"}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - started
    return figures


def fmt_ms(seconds) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds:.0f}s"


def report(triples: int, info: dict, results: dict[str, dict], wall: float, queries: list[str]) -> None:
    print(f"\n=== {size_name(triples)}: {info['quads']} quads ({info['sizes']['roles']} roles, {info['sizes']['competencies']} "
          f"competencies, {info['requirements']} requirements, {info['sizes']['units']} units, {info['sizes']['nos']} NOS, "
          f"{info['mappings']} mappings); {wall:.0f} s for this size in all")
    header = (f"{'engine':15} {'load s':>7} {'open s':>7} {'peak MB':>8}  " +
              "  ".join(f"{name + ' p50/p90 ms':>24}" for name in queries) + "  rows")
    print(header)
    print("-" * len(header))
    for engine, figures in results.items():
        if "error" in figures:
            print(f"{engine:15} {figures['error']}")
            continue
        load = f"{figures['load_s']:.1f}" if "load_s" in figures else "-"
        opened = f"{figures['open_s']:.2f}" if "open_s" in figures else "-"
        cells = []
        rows = []
        for name in queries:
            q = figures.get("queries", {}).get(name)
            cells.append(f"{fmt_ms(q['p50']) + ' / ' + fmt_ms(q['p90']) if q else '-':>24}")
            if q:
                rows.append(str(q["rows"]))
        extra = ""
        if engine == "disk-load":
            extra = f"optimize {figures['optimize_s']:.1f} s, store {figures['store_mb']:.0f} MB on disk"
        elif engine == "rdflib":
            extra = f"(parse {figures['parse_s']:.1f} s of the load)"
        print(f"{engine:15} {load:>7} {opened:>7} {figures['peak_rss_mb']:8.0f}  {'  '.join(cells)}  {'/'.join(rows)} {extra}")

    # answers
    queried = {e: f for e, f in results.items() if "queries" in f}
    for name in queries:
        reference = SAME_ANSWER.get(name, name)
        answers = {}
        for engine, f in queried.items():
            if name in f["queries"]:
                answers[engine] = (f["queries"][name]["rows"], f["queries"][name]["digest"])
            if reference != name and reference in f["queries"]:
                answers[f"{engine} ({reference})"] = (f["queries"][reference]["rows"], f["queries"][reference]["digest"])
        verdict = "agree" if len(set(answers.values())) == 1 else "DIFFER: " + ", ".join(f"{e}={r}/{d}" for e, (r, d) in answers.items())
        also = f", and with {reference}'s" if reference != name else ""
        print(f"  answers of {name:13}: {verdict} ({sum(1 for e in answers if '(' not in e)} engines{also})")

    # ratios
    def p50(engine, name):
        f = queried.get(engine)
        return f["queries"][name]["p50"] if f and name in f["queries"] else None

    pairs = [("ccgraph-disk", "raw-disk", "ccgraph-disk / raw-disk (overhead, lower is better)"),
             ("ccgraph-memory", "raw-memory", "ccgraph-memory / raw-memory (overhead)"),
             ("rdflib", "ccgraph-memory", "rdflib / ccgraph-memory (speed-up)"),
             ("rdflib", "ccgraph-disk", "rdflib / ccgraph-disk (speed-up)")]
    for a, b, label in pairs:
        names = [n for n in queries if p50(a, n) is not None and p50(b, n) is not None]
        if not names:
            continue
        values = [(p50(a, n), p50(b, n)) for n in names]
        shown = "  ".join(f"{n} {x / y:7.2f}x" for n, (x, y) in zip(names, values))
        target = ""
        if a == "rdflib" and triples == 10**6:
            met = [n for n, (x, y) in zip(names, values) if n in THE_THREE and x / y >= RDFLIB_TARGET]
            target = f"   target >= {RDFLIB_TARGET:.0f}x: met on {len(met)} of {len(THE_THREE)}"
        print(f"  {label:52} {shown}{target}")
    for engine in ("ccgraph-disk", "ccgraph-memory"):
        f = queried.get(engine)
        if f:
            shown = "  ".join(f"{n} {f['queries'][n]['p50'] / f['queries'][n]['raw_p50']:7.2f}x" for n in queries if n in f["queries"])
            label = f"{engine} / raw on the same store, in turn"
            print(f"  {label:52} {shown}   target <= 1.5x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6,1e7", help="comma-separated triple counts (default 1e5,1e6,1e7)")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of: {', '.join(ENGINES)}")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query after one warm-up (default 7)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of timed runs per query before stopping early (min 3 runs)")
    parser.add_argument("--queries", default=",".join(DEFAULT_QUERIES), help=f"comma-separated, of: {', '.join(QUERIES)}")
    parser.add_argument("--rdflib-max", type=float, default=1e6, help="largest size rdflib is run at (default 1e6)")
    parser.add_argument("--timeout", type=float, default=7200.0, help="seconds an engine's process may take")
    parser.add_argument("--keep", action="store_true", help="keep the on-disk stores under build/bench/")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.store, args.runs, args.budget, args.queries.split(","))))
        return

    queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    if set(queries) - set(QUERIES):
        raise SystemExit(f"unknown query(ies): {', '.join(sorted(set(queries) - set(QUERIES)))}")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        raise SystemExit(f"unknown engine(s): {', '.join(sorted(unknown))}")
    if {"ccgraph-disk", "raw-disk"} & set(engines) and "disk-load" not in engines:
        engines.insert(0, "disk-load")
    WORK.mkdir(parents=True, exist_ok=True)
    results_path = WORK / "scale-results.json"
    saved = json.loads(results_path.read_text()) if results_path.is_file() else {}
    print(f"scale benchmark on {os.cpu_count()} CPUs; engines: {', '.join(engines)}; "
          f"p50 / p90 of up to {args.runs} runs after a warm-up", flush=True)
    for size in (int(float(s)) for s in args.sizes.split(",")):
        started = time.perf_counter()
        data = data_file(size)
        info = json.loads(Path(str(data) + ".json").read_text())
        store_dir = WORK / f"store-{size_name(size)}"
        results = {}
        for engine in engines:
            if engine == "rdflib" and size > args.rdflib_max:
                continue
            print(f"  {size_name(size)} {engine} ...", end=" ", flush=True)
            results[engine] = spawn(engine, data, store_dir, args.runs, args.budget, args.timeout, queries)
            print(f"{results[engine].get('process_s', 0):.0f} s" if "error" not in results[engine] else results[engine]["error"],
                  flush=True)
        if not args.keep:
            shutil.rmtree(store_dir, ignore_errors=True)
        wall = time.perf_counter() - started
        report(size, info, results, wall, queries)
        saved[size_name(size)] = {"info": info, "results": results, "seconds": wall}
        results_path.write_text(json.dumps(saved, indent=1) + "\n")


if __name__ == "__main__":
    main()
