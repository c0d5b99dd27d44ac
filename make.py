#!/usr/bin/env python3
"""Set up and run ccgraph with nothing but python3: `python3 make.py run` or `python3 make.py test`.

Creates .venv/ beside this file (once), installs ccgraph and its test tools into it, then
    run   builds the graph, validates it, prints its figures and one saved query's answer;
    test  runs the whole test suite (extra arguments go to pytest), first installing with apt-get
          the programs the tests drive (curl, chromium, chromium-driver, Virtuoso) where they are missing
          and fetching YASGUI from the npm registry for the editor page (`ccgraph vendor`).
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


# Programs the tests drive besides Python: curl (a real SPARQL client), Debian's Chromium and its
# driver (the browser tests), Virtuoso (the second external engine, tests/test_virtuoso.py). Installed
# with apt-get where missing, as root on Debian; elsewhere the tests that need them say so. Virtuoso
# comes as virtuoso-opensource-7-bin alone (virtuoso-t, isql-vt): no debconf password question and
# no system service to start; the tests run virtuoso-t on a database and ports of their own.
SYSTEM_PACKAGES = {"curl": "curl", "chromium": "chromium", "chromedriver": "chromium-driver",
                   "virtuoso-t": "virtuoso-opensource-7-bin"}


def install_system_packages() -> None:
    import os
    import shutil

    missing = [package for program, package in SYSTEM_PACKAGES.items() if shutil.which(program) is None]
    if not missing or shutil.which("apt-get") is None or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    subprocess.call(["apt-get", "install", "-y", "-qq", *missing], env=env, stdout=subprocess.DEVNULL)


def test(extra: list[str]) -> None:
    install_system_packages()
    sh(str(BIN / "ccgraph"), "vendor")  # YASGUI for the editor page the browser tests drive
    sh(str(BIN / "python"), "-m", "pytest", *extra)


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command not in ("run", "test"):
        sys.exit("usage: python3 make.py run | test [pytest arguments]")
    setup()
    run() if command == "run" else test(extra)


if __name__ == "__main__":
    main()
