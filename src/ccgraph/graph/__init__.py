"""The graph: where a project keeps its parts, assembling them, the store every read goes through, RDF in and out, reasoning."""
