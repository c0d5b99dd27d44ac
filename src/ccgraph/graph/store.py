"""The store: the one interface every read goes through, backed by pyoxigraph.

A store holds the dataset, one named graph per part (id/graph/ontology, id/graph/functional-map,
...). A query's default graph is the union of those asserted graphs. The OWL-RL closure lives in
its own graph (id/graph/closure) in a companion store that holds the asserted graphs too: it is
seen only when a caller asks for it (closure=True) or names its graph, never by accident. That
keeps the curated mappings' skos:broadMatch from turning into cross-scheme skos:broader in
hierarchy answers. (Two stores rather than one store queried with a list of default graphs:
pyoxigraph's union default graph is 2-4x faster than a union of listed graphs.)

Parameters are bound as RDF terms, written by pyoxigraph in N-Triples syntax into a VALUES block
(query.saved.with_values), never pasted as user text. pyoxigraph's own substitutions would be the
other way, but it refuses a variable that the SELECT does not project, and most saved queries bind
a filter variable they do not return. SERVICE is refused before evaluation: pyoxigraph would fetch
it over HTTP. pyoxigraph stores are safe to share between threads, and so is this wrapper (it
keeps no mutable state after construction).
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import ID, PREFIXES

CLOSURE_GRAPH = ox.NamedNode(str(ID["graph/closure"]))
PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

# pyoxigraph's parser for each file extension we read.
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer: variable names and rows of pyoxigraph terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: list[tuple]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[tuple]:
        """Rows of plain Python values (str, int, float, bool, None)."""
        from ccgraph.graph.convert import to_python

        return [tuple(to_python(term) for term in row) for row in self.rows]

    def dicts(self) -> list[dict]:
        """Rows as {variable: plain value}, unbound variables left out."""
        from ccgraph.graph.convert import to_python

        return [{v: to_python(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]


def refuse_service(text: str, where: str) -> None:
    """SERVICE would make pyoxigraph fetch another endpoint: refuse it, whatever the spelling."""
    if _SERVICE.search(mask(text)):
        raise CcgraphError(f"{where}: SERVICE is not allowed: queries run only on the local graph")


# Strings, IRIs and comments are masked before looking for the keyword, so that a literal
# "SERVICE" or <http://x/SERVICE> is not mistaken for one.
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*',
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)


def mask(text: str) -> str:
    """The query with its strings, IRIs and comments blanked out, for looking at its keywords."""
    return _LEXEMES.sub(" ", text)




class Store:
    """Read access to a ccgraph dataset held by pyoxigraph: asserted graphs, and the closure beside them."""

    def __init__(self, asserted: ox.Store, full: ox.Store | None = None, source: str = "memory"):
        self.oxigraph = asserted  # the asserted graphs only: its union default graph is the default answer
        self.full = full  # the asserted graphs and the closure graph, where one was computed
        self.source = source  # where it came from, for messages
        self.named_graphs: tuple[ox.NamedNode, ...] = tuple(sorted(asserted.named_graphs(), key=lambda g: g.value))
        self.has_closure = full is not None

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, closure_path: Path | None = None) -> "Store":
        """On-disk stores written by `ccgraph build`, opened read-only."""
        full = _open_read_only(closure_path) if closure_path is not None and closure_path.is_dir() else None
        return cls(_open_read_only(path), full, str(path))

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> "Store":
        """RDF files in memory, read by pyoxigraph's parsers (quads keep their graphs).

        A closure graph among them (a TriG written by `ccgraph reason`, say) is kept apart as usual.
        """
        paths = [Path(p) for p in paths]
        store = ox.Store()
        for path in paths:
            load_file(store, path)
        source = ", ".join(str(p) for p in paths)
        if not store.contains_named_graph(CLOSURE_GRAPH):
            return cls(store, None, source)
        asserted = ox.Store()
        asserted.bulk_extend(q for q in store if q.graph_name != CLOSURE_GRAPH)
        return cls(asserted, store, source)

    @classmethod
    def from_rdflib(cls, dataset, closure=None) -> "Store":
        """An rdflib Dataset (and optionally a closure graph) in memory."""
        from ccgraph.graph.convert import quads_from_rdflib, triples_from_rdflib

        asserted = ox.Store()
        asserted.bulk_extend(quads_from_rdflib(dataset))
        full = None
        if closure is not None:
            full = ox.Store()
            full.bulk_extend(asserted)
            full.bulk_extend(triples_from_rdflib(closure, CLOSURE_GRAPH))
        return cls(asserted, full)

    # ------------------------------------------------------------ asking

    def query(self, text: str, bindings: Mapping[str, object] | None = None, *, closure: bool = False,
              where: str = "query", default_graphs=None, named_graphs=None):
        """Run a SPARQL query: Solutions for SELECT, bool for ASK, a list of Triples for CONSTRUCT/DESCRIBE.

        bindings maps variable names to pyoxigraph terms, bound through a VALUES block. The default
        graph is the union of the asserted graphs, or also the closure with closure=True; a query that
        names the closure graph can reach it with GRAPH; default_graphs / named_graphs (graph IRIs)
        replace the dataset, as the SPARQL protocol's default-graph-uri and named-graph-uri do.
        """
        refuse_service(text, where)
        if bindings:
            from ccgraph.query.saved import with_values

            text = with_values(text, bindings)
        options: dict = {"prefixes": PREFIX_MAP}
        store = self.oxigraph
        if default_graphs is None and named_graphs is None and _FROM.search(mask(text)):
            # The query names its own dataset: FROM / FROM NAMED pick graphs of the store (nothing is
            # ever fetched); a union default graph would override them.
            store = self.full or self.oxigraph
        elif default_graphs is not None or named_graphs is not None:
            store = self.full or self.oxigraph
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()] or [ox.DefaultGraph()]
            if named_graphs is not None:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        elif self.full is not None and (closure or CLOSURE_GRAPH.value in text):
            store = self.full
            if closure:
                options["use_default_graph_as_union"] = True
            else:  # GRAPH <closure> is reachable, the default graph stays asserted-only
                options["default_graph"] = [ox.DefaultGraph(), *self.named_graphs]
        else:
            options["use_default_graph_as_union"] = True
        try:
            result = store.query(text, **options)
            if isinstance(result, ox.QuerySolutions):
                variables = tuple(v.value for v in result.variables)
                return Solutions(variables, [tuple(solution) for solution in result])
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            return list(result)
        except SyntaxError as error:
            raise CcgraphError(f"{where}: invalid SPARQL: {' '.join(str(error).split())[:200]}") from None
        except (OSError, ValueError, RuntimeError) as error:
            raise CcgraphError(f"{where}: query failed: {' '.join(str(error).split())[:200]}") from None

    def select(self, text: str, bindings: Mapping[str, object] | None = None, **options) -> Solutions:
        result = self.query(text, bindings, **options)
        if not isinstance(result, Solutions):
            raise CcgraphError(f"{options.get('where', 'query')}: expected a SELECT query")
        return result

    def ask(self, text: str, bindings: Mapping[str, object] | None = None, **options) -> bool:
        return bool(self.query(text, bindings, **options))

    # ------------------------------------------------------------ whole graphs

    def quads(self, closure: bool = False) -> Iterator[ox.Quad]:
        """Every asserted quad (and the closure's, if asked)."""
        yield from (self.full if closure and self.full is not None else self.oxigraph)

    def closure_quads(self) -> Iterator[ox.Quad]:
        if self.full is not None:
            yield from self.full.quads_for_pattern(None, None, None, CLOSURE_GRAPH)

    def graph_sizes(self, closure: bool = False) -> dict[str, int]:
        """Triples per graph, in IRI order ('' names the default graph where it holds any)."""
        store = self.full if closure and self.full is not None else self.oxigraph
        rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        sizes = {row[0].value: int(row[1].value) for row in rows}
        default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if default:
            sizes[""] = default
        return dict(sorted(sizes.items()))

    def triple_count(self, closure: bool = False) -> int:
        """Distinct triples in the default graph (a triple held in two graphs counts once)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }", closure=closure)
        return int(rows.rows[0][0].value)

    def to_rdflib(self, closure: bool = False):
        """The dataset as an rdflib Dataset, one graph per named graph (for rdflib-only tools)."""
        from ccgraph.graph.convert import dataset_from_quads

        return dataset_from_quads(self.quads(closure))

    def union_rdflib(self, closure: bool = False):
        """Every asserted triple (and the closure's, if asked) in one rdflib Graph, prefixes bound."""
        from ccgraph.graph.convert import graph_from_quads
        from ccgraph.graph.namespaces import bind_prefixes

        graph = graph_from_quads(self.quads(closure))
        bind_prefixes(graph)
        return graph


def _open_read_only(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise CcgraphError(f"{path}: cannot open the store: {' '.join(str(error).split())[:200]}") from None


def load_file(store: ox.Store, path: Path, graph=None) -> None:
    """Parse one RDF file into a pyoxigraph store, a parse failure becoming a one-line error."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CcgraphError(f"{path}: unknown RDF file type {path.suffix!r} (expected one of {', '.join(sorted(FORMATS))})")
    if not path.is_file():
        raise CcgraphError(f"{path}: no such file")
    options = {} if graph is None or fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS) else {"to_graph": graph}
    try:
        store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), **options)
    except SyntaxError as error:
        raise CcgraphError(f"{path}:{_line_of(error)}malformed {fmt.name}: {' '.join(str(error).split())[:200]}") from None
    except (OSError, ValueError) as error:
        raise CcgraphError(f"{path}: cannot read it: {' '.join(str(error).split())[:200]}") from None


def _line_of(error: SyntaxError) -> str:
    """pyoxigraph puts 'line:column' positions in its SyntaxError text; pull out the line when it does."""
    match = re.search(r"\bline (\d+)\b", str(error))
    return f"{match[1]}: " if match else " "
