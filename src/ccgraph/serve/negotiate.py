"""Content negotiation for SPARQL results: the client's Accept header against what we can write."""

import pyoxigraph as ox

TABULAR = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN = {k: v for k, v in TABULAR.items() if v in ("json", "xml")}
GRAPH = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
# pyoxigraph's serialiser for each RDF name above.
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
# ?format= for links that cannot set an Accept header (downloads, entity pages): a media type each.
FORMAT_PARAMS = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json",
                 "xml": "application/sparql-results+xml", "ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
DEFAULTS = {"tabular": "application/sparql-results+json", "boolean": "application/sparql-results+json", "graph": "text/turtle"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q values, best first; a missing header accepts anything."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        kind, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if kind:
            ranges.append((kind.lower(), q, -order))
    ranges.sort(key=lambda r: (r[1], r[2]), reverse=True)
    return [(kind, q) for kind, q, _ in ranges]


def choose(accept: str | None, kind: str) -> tuple[str, str] | None:
    """(media type, serializer name) for a result kind (tabular | boolean | graph), or None (406)."""
    offers = {"tabular": TABULAR, "boolean": BOOLEAN, "graph": GRAPH}[kind]
    default = DEFAULTS[kind]
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media in offers:
            return media, offers[media]
        if media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            if family == "*" or default.startswith(family):
                return default, offers[default]
            for candidate, name in offers.items():
                if candidate.startswith(family + "/"):
                    return candidate, name
    return None
