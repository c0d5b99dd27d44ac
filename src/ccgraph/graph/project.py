"""Where a ccgraph project keeps its parts: ontology/, data/, shapes/, queries/ (and build/).

A project folder is found, in this order, from --root, from the current folder, or from the data
installed with the package (a wheel ships the four folders inside ccgraph/_project/; a source
checkout is its own project). `ccgraph --version` says which one was chosen.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError

PARTS = ("ontology", "data", "shapes", "queries")
_PACKAGE = Path(__file__).resolve().parents[1]
INSTALLED_ROOT = _PACKAGE / "_project"  # filled by the wheel build (see setup.py)
SOURCE_ROOT = _PACKAGE.parents[1]  # the repository, for an editable install or a source tree
DEFAULT_ROOT = SOURCE_ROOT  # kept for callers that name it


def is_project(path: Path) -> bool:
    return (path / "ontology").is_dir() and (path / "data").is_dir()


@dataclass(frozen=True)
class Project:
    root: Path
    found_by: str = "--root"  # --root | current folder | installed data

    @classmethod
    def at(cls, root: Path | str | None = None) -> "Project":
        """The project at root, or else the one found from the current folder or the installed data."""
        if root is not None:
            path = Path(root)
            if not (path / "ontology").is_dir():
                raise CcgraphError(f"{path}: not a ccgraph project (no ontology/ folder)")
            return cls(path.resolve(), "--root")
        return cls.find()

    @classmethod
    def find(cls) -> "Project":
        here = Path.cwd()
        if is_project(here):
            return cls(here.resolve(), "current folder")
        for candidate in (INSTALLED_ROOT, SOURCE_ROOT):
            if is_project(candidate):
                return cls(candidate.resolve(), "installed data")
        raise CcgraphError(f"{here}: not a ccgraph project (no ontology/ and data/ folders here), "
                           "and no project data installed with ccgraph: give --root DIR")

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        """build/ beside the sources, or a per-project cache folder where the project is read-only
        (installed data in a system site-packages, say)."""
        own = self.root / "build"
        if os.access(own if own.exists() else self.root, os.W_OK):
            return own
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccgraph"
        return cache / hashlib.sha256(str(self.root).encode()).hexdigest()[:16]

    @property
    def seeds_dir(self) -> Path:
        """The shared source documents, kept beside the repository."""
        return self.root.parent / "shared" / "seeds"
