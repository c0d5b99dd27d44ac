"""Assemble the ontology and the transcriptions of data/ into one dataset.

Each part goes into its own named graph so that the provenance of a triple stays visible:
    id/graph/ontology        ontology/*.ttl
    id/graph/alignment       ontology/alignment/*.ttl (ESCO, CTDL, CTDL-ASN, schema.org alignments)
    id/graph/sources         data/*.ttl (the source documents)
    id/graph/{folder}        data/{folder}/ through its transcription loader
Queries and validation see the union of all of them.
"""

from pathlib import Path

from rdflib import Dataset, Graph

from ccgraph.graph.namespaces import ID, bind_prefixes
from ccgraph.graph.project import Project
from ccgraph.graph.rdfio import parse_into
from ccgraph.sources import LOADERS

ONTOLOGY_GRAPH = ID["graph/ontology"]
ALIGNMENT_GRAPH = ID["graph/alignment"]
ALIGNMENT_DIR = "alignment"  # under ontology/
SOURCES_GRAPH = ID["graph/sources"]


def data_graph_name(folder: str):
    return ID[f"graph/{folder}"]


def assemble(project: Project) -> Dataset:
    dataset = Dataset()
    bind_prefixes(dataset)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for path in sorted(project.ontology_dir.glob("*.ttl")):
        parse_into(ontology, path)
    alignment = dataset.graph(ALIGNMENT_GRAPH)
    for path in sorted((project.ontology_dir / ALIGNMENT_DIR).glob("*.ttl")):
        parse_into(alignment, path)
    sources = dataset.graph(SOURCES_GRAPH)
    for path in sorted(project.data_dir.glob("*.ttl")):
        parse_into(sources, path)
    for folder, load in LOADERS.items():
        if (project.data_dir / folder).is_dir():
            load(project.data_dir / folder, dataset.graph(data_graph_name(folder)))
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every graph of the dataset, in one in-memory graph (fast to query and validate)."""
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def ontology_graph(project: Project) -> Graph:
    graph = Graph()
    for path in sorted(project.ontology_dir.glob("*.ttl")):
        parse_into(graph, path)
    return graph


def load_files(paths: list[Path]) -> Dataset:
    """RDF files named by the user instead of the assembled project."""
    from ccgraph.graph.rdfio import load_graph

    dataset = load_graph(paths)
    bind_prefixes(dataset)
    return dataset


def transcriptions_graph(project: Project) -> Graph:
    """The transcriptions alone (every loader of data/ but the mapping sets'): what derived mapping sets
    are made from, so that nothing a committed mapping file says can come back out of the derivation."""
    graph = Graph()
    bind_prefixes(graph)
    for folder, load in LOADERS.items():
        if folder != "mappings" and (project.data_dir / folder).is_dir():
            load(project.data_dir / folder, graph)
    return graph
