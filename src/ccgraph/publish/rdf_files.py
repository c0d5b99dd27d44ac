"""The dataset itself: the asserted graphs as TriG and N-Quads, and each named graph as its own Turtle file.

Every serialisation goes through graph/rdfio.serialize, which gives the same bytes on every run.
"""

from rdflib import Dataset, URIRef

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import ID, bind_prefixes
from ccgraph.graph.rdfio import serialize
from ccgraph.publish.model import ReleaseFile

GRAPH_BASE = str(ID["graph/"])


def part_name(graph_iri: str) -> str:
    """id/graph/functional-map -> functional-map: the part's file name."""
    name = graph_iri.removeprefix(GRAPH_BASE)
    if name == graph_iri or not name or "/" in name:
        raise CcgraphError(f"<{graph_iri}>: a named graph outside {GRAPH_BASE}: a release names each part after its graph")
    return name


def named_graphs(dataset: Dataset) -> list[URIRef]:
    """The dataset's non-empty named graphs, in IRI order (rdflib's own default graph left out)."""
    return sorted(g.identifier for g in dataset.graphs()
                  if len(g) and isinstance(g.identifier, URIRef) and not str(g.identifier).startswith("urn:x-rdflib:"))


def dataset_files(dataset: Dataset) -> list[ReleaseFile]:
    files = [
        ReleaseFile("ccgraph.trig", serialize(dataset, "trig"), "The dataset, every named graph, as TriG", "application/trig"),
        ReleaseFile("ccgraph.nq", serialize(dataset, "nq"), "The dataset, every named graph, as N-Quads (one sorted line per quad)",
                    "application/n-quads"),
    ]
    for graph_iri in named_graphs(dataset):
        name = part_name(str(graph_iri))
        files.append(ReleaseFile(f"parts/{name}.ttl", serialize(_only(dataset, graph_iri), "ttl"),
                                 f"The named graph {name} as Turtle", "text/turtle"))
    return files


def _only(dataset: Dataset, graph_iri: URIRef) -> Dataset:
    part = Dataset()
    bind_prefixes(part)
    target = part.graph(graph_iri)
    for triple in dataset.graph(graph_iri):
        target.add(triple)
    return part
