"""An employer's tailoring overlay -> its own named graph, id/graph/employer/{name}, validated.

An overlay folder holds either the CSV tables of overlay_csv (for a spreadsheet) or Turtle files
(overlay_turtle: the same graph, written by hand or by `ccgraph tailor export`). Either way it is
checked whole before anything uses it: the tables row by row against the published framework (one
line naming file, line and column), then the graph against the overlay shapes and the core shapes
that apply. The published graphs are never touched: `with_overlay` gives a new in-memory store
holding the project's graphs and the employer graph beside them.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.workbench import vocab
from ccgraph.workbench.places import Place


@dataclass(frozen=True)
class Overlay:
    name: str
    label: str
    folder: Path
    form: str  # csv | turtle
    quads: tuple[ox.Quad, ...]
    places: dict[str, Place] = field(default_factory=dict, compare=False)  # subject IRI -> where it was written

    @property
    def graph(self) -> str:
        return vocab.graph_iri(self.name)

    @property
    def iri(self) -> str:
        return vocab.tailoring_iri(self.name)

    def place_of(self, iri: str) -> Place:
        """Where a node was written, or its nearest written parent (a descriptor sits on its competency's row)."""
        while iri:
            if iri in self.places:
                return self.places[iri]
            iri = iri.rpartition("/")[0]
        return Place(str(self.folder), 1)

    def to_turtle(self) -> bytes:
        from ccgraph.workbench.overlay_turtle import to_turtle

        return to_turtle(self.quads, self.name)


def form_of(folder: Path) -> tuple[str, list[Path]]:
    if not folder.is_dir():
        raise CcgraphError(f"{folder}: no such folder (an overlay is a folder of CSV tables or Turtle files)")
    csv_files = sorted(folder.glob("*.csv"))
    ttl_files = sorted(folder.glob("*.ttl"))
    if csv_files and ttl_files:
        raise CcgraphError(f"{folder}: holds both CSV tables and Turtle files: an overlay is written one way or the other")
    if ttl_files:
        return "turtle", ttl_files
    if not csv_files:
        raise CcgraphError(f"{folder}: no overlay here (expected employer.csv and the other tables, or *.ttl)")
    from ccgraph.workbench.overlay_csv import TABLES
    from ccgraph.workbench.places import did_you_mean

    for path in csv_files:
        if path.name not in TABLES:
            raise Place(str(path), 1).fail(f"unknown overlay table {path.name!r}{did_you_mean(path.name, TABLES)}; "
                                           f"an overlay has {', '.join(TABLES)}")
    return "csv", csv_files


def load(folder: Path | str, store: Store, shapes_dir: Path) -> Overlay:
    """Read and validate an overlay: a CcgraphError naming the first problem, or the whole overlay."""
    from ccgraph.workbench import framework as published
    from ccgraph.workbench import shapes

    folder = Path(folder)
    form, files = form_of(folder)
    if form == "csv":
        from ccgraph.workbench.overlay_csv import read

        name, label, quads, places = read(folder, published.load(store))
    else:
        from ccgraph.workbench.overlay_turtle import read

        name, label, quads, places = read(files)
    overlay = Overlay(name, label, folder, form, tuple(quads), places)
    findings = shapes.validate(overlay.quads, store, shapes_dir)
    if findings:
        first = min(findings, key=lambda f: (_order(overlay.place_of(f.focus)), f.shape))
        more = f" (and {len(findings) - 1} more problem(s))" if len(findings) > 1 else ""
        raise overlay.place_of(first.focus).fail(f"{first.message} [{first.shape.rsplit('#', 1)[-1]}, <{first.focus}>]{more}")
    return overlay


def _order(place: Place):
    return (place.path, place.line, place.column)


def with_overlay(store: Store, overlay: Overlay | None) -> Store:
    """A new in-memory store: the project's graphs and, if given, the employer graph beside them."""
    if overlay is None:
        return store
    combined = ox.Store()
    combined.bulk_extend(store.oxigraph)
    combined.bulk_extend(overlay.quads)
    return Store(combined, None, f"{store.source} + overlay {overlay.folder}")
