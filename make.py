#!/usr/bin/env python3
"""Set up and run ccgraph with nothing but python3: `python3 make.py run` or `python3 make.py test`.

Creates .venv/ beside this file (once), installs ccgraph and its test tools into it, then
    run   builds the graph, validates it, prints its figures and one saved query's answer;
    test  runs the whole test suite (extra arguments go to pytest).
"""

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")


def sh(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    code = subprocess.call(args, cwd=ROOT)
    if code:
        sys.exit(code)


def setup() -> None:
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        sh(str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]")
        stamp.touch()


def run() -> None:
    ccgraph = str(BIN / "ccgraph")
    sh(ccgraph, "build")
    sh(ccgraph, "validate")
    sh(ccgraph, "stats")
    sh(ccgraph, "query", "nos-count-by-key-area")


def test(extra: list[str]) -> None:
    sh(str(BIN / "python"), "-m", "pytest", *extra)


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command not in ("run", "test"):
        sys.exit("usage: python3 make.py run | test [pytest arguments]")
    setup()
    run() if command == "run" else test(extra)


if __name__ == "__main__":
    main()
