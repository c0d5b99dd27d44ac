"""Turning the transcription tables in data/ into RDF: one module per source document.

Each loader reads its own folder of data/ and adds triples to the graph it is given.
"""

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ccgraph.sources import city_and_guilds
from ccgraph.sources import eskills
from ccgraph.sources import functional_map
from ccgraph.sources import mappings
from ccgraph.sources import ocr

Loader = Callable[[Path, Graph], None]

# data/ folder -> loader, run in this order. A folder with no loader here is not part of the graph.
LOADERS: dict[str, Loader] = {
    "functional-map": functional_map.load,
    "city-and-guilds-3412": city_and_guilds.load,
    "eskills-framework": eskills.load,
    "ocr-contact-centre": ocr.load,
    "mappings": mappings.load,  # after the transcriptions: mappings link their entities
}

__all__ = ["LOADERS", "Loader"]
