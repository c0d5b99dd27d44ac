"""Where a ccgraph project keeps its parts: ontology/, data/, shapes/, queries/."""

from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError

# The repository this package was installed from (editable install, src/ layout).
DEFAULT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, root: Path | str | None = None) -> "Project":
        path = Path(root) if root is not None else DEFAULT_ROOT
        if not (path / "ontology").is_dir():
            raise CcgraphError(f"{path}: not a ccgraph project (no ontology/ folder)")
        return cls(path.resolve())

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
        return self.root / "build"

    @property
    def seeds_dir(self) -> Path:
        """The shared source documents, kept beside the repository."""
        return self.root.parent / "shared" / "seeds"
