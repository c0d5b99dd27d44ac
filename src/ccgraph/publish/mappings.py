"""The five SSSOM mapping sets, written back from the graph with the release's version in their metadata.

Each set's metadata comes from its file in data/mappings/ (title, licence, creator, curie_map), plus
mapping_set_version (the release's version) and publication_date (only when --date is given). The rows
come from the store, through sources/sssom.write, so the release says what the graph holds.
"""

from rdflib import Graph

from ccgraph.errors import CcgraphError
from ccgraph.graph.project import Project
from ccgraph.publish.model import ReleaseFile, ReleaseOptions
from ccgraph.sources import sssom

REQUIRED = ("mapping_set_id", "mapping_set_title", "license", "creator_id")


def mapping_files(graph: Graph, project: Project, options: ReleaseOptions) -> list[ReleaseFile]:
    files = []
    for path in sorted((project.data_dir / "mappings").glob("*.sssom.tsv")):
        mapping_set = sssom.read(path)
        missing = [slot for slot in REQUIRED if not mapping_set.metadata.get(slot)]
        if missing:
            raise CcgraphError(f"{path}: a released mapping set needs {', '.join(missing)} in its metadata block")
        metadata = {**mapping_set.metadata, "mapping_set_version": options.version}
        if options.date:
            metadata["publication_date"] = options.date
        text = sssom.write(graph, mapping_set.iri, metadata)
        files.append(ReleaseFile(f"mappings/{mapping_set.name}.sssom.tsv", text.encode("utf-8"),
                                 f"Mapping set {mapping_set.name}: {mapping_set.metadata['mapping_set_title']} (SSSOM TSV)",
                                 "text/tab-separated-values"))
    return files
