"""The wheel carries the project's data: ontology/, data/, shapes/ and queries/ go inside the
package as ccgraph/_project/, so an installed ccgraph works from any folder (see graph/project.py).
Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PARTS = ("ontology", "data", "shapes", "queries")


class BuildWithProjectData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the repository itself
            return
        target = Path(self.build_lib) / "ccgraph" / "_project"
        shutil.rmtree(target, ignore_errors=True)
        for part in PARTS:
            shutil.copytree(HERE / part, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.part", ".*"))


setup(cmdclass={"build_py": BuildWithProjectData})
