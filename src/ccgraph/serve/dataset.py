"""What the server serves: the ccgraph dataset (asserted graphs and closure) and any RDF files named."""

from pathlib import Path

from rdflib import Dataset, URIRef

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import bind_prefixes
from ccgraph.graph.rdfio import parse_into


def file_graph(spec: str) -> tuple[URIRef, Path]:
    """'NAME=PATH' loads PATH as the named graph NAME; a bare PATH is named by its file: IRI."""
    name, sep, path = spec.partition("=")
    if sep and "://" in name or sep and name.startswith("urn:"):
        return URIRef(name), Path(path)
    target = Path(spec)
    return URIRef(target.resolve().as_uri()), target


def build(project_dataset: Dataset | None, files: tuple[str, ...], closure=None) -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    if project_dataset is not None:
        for graph in project_dataset.graphs():
            if len(graph) and isinstance(graph.identifier, URIRef):
                target = dataset.graph(graph.identifier)
                for triple in graph:
                    target.add(triple)
    if closure is not None:
        target = dataset.graph(closure.identifier)
        for triple in closure:
            target.add(triple)
    for spec in files:
        name, path = file_graph(spec)
        if not path.is_file():
            raise CcgraphError(f"{path}: no such file")
        parse_into(dataset.graph(name), path)
    return dataset
