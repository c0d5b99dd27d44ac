"""data/mappings/*.sssom.tsv: every mapping set, curated or derived, into the graph."""

from pathlib import Path

from rdflib import Graph

from ccgraph.sources import sssom


def load(folder: Path, graph: Graph) -> None:
    for path in sorted(folder.glob("*.sssom.tsv")):
        sssom.load(sssom.read(path), graph)
