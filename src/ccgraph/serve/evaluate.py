"""One protocol operation evaluated on the Store and written out: the work a query worker does.

The dataset a query sees, as the CLI sees it:
    default graph  the union of the asserted graphs (never the closure: curated skos:broadMatch must
                   not answer hierarchy questions as skos:broader)
    named graphs   every graph, the closure graph id/graph/closure among them
    FROM / FROM NAMED in the query, or default-graph-uri / named-graph-uri in the request, replace
    that dataset; they only ever name graphs already held (pyoxigraph never loads a FROM graph).
This reads the Store's pyoxigraph stores directly rather than through Store.query, for two reasons:
results are read lazily, so the row cap also caps the work (a cross product is cut at max_rows+1, not
materialised until the timeout), and a query's own FROM clauses are honoured (Store.query replaces them
by the union default graph).
"""

import re

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import PREFIX_MAP, Solutions, Store, mask, refuse_service
from ccgraph.render import results
from ccgraph.serve import negotiate
from ccgraph.serve.protocol import Operation
from ccgraph.serve.reply import Reply, text_reply, with_charset

_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)
_GRAPH = re.compile(r"(?<![\w:?$])GRAPH(?![\w:])", re.IGNORECASE)
OFFERS = {"tabular": negotiate.TABULAR, "boolean": negotiate.BOOLEAN, "graph": negotiate.GRAPH}


def answer(store: Store, operation: Operation, accept: str | None, max_rows: int) -> Reply:
    try:
        if "SERVICE" in operation.query.upper():  # the full check masks strings and comments first: only when it may matter
            refuse_service(operation.query, "query")
        target, options = dataset(store, operation)
        result = target.query(operation.query, prefixes=PREFIX_MAP, base_iri=operation.base_iri, **options)
        if isinstance(result, ox.QueryBoolean):
            return _boolean(bool(result), accept)
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, accept, max_rows)
        return _triples(result, accept, max_rows)
    except CcgraphError as error:
        return text_reply(400, str(error))
    except SyntaxError as error:
        return text_reply(400, "invalid SPARQL query: " + " ".join(str(error).split())[:300])
    except (OSError, ValueError, RuntimeError) as error:
        return text_reply(400, "query failed: " + " ".join(str(error).split())[:300])


def dataset(store: Store, operation: Operation) -> tuple[ox.Store, dict]:
    """The pyoxigraph store to ask and the dataset options, per the rules above."""
    everything = store.full or store.oxigraph
    if operation.default_graphs or operation.named_graphs:
        return everything, {"default_graph": [ox.NamedNode(g) for g in operation.default_graphs] or [ox.DefaultGraph()],
                            "named_graphs": [ox.NamedNode(g) for g in operation.named_graphs]}
    upper = operation.query.upper()
    masked = mask(operation.query) if "FROM" in upper or "GRAPH" in upper else ""
    if _FROM.search(masked):
        return everything, {}
    if store.full is not None and _GRAPH.search(masked):
        # The closure is reachable with GRAPH; the default graph stays the asserted union.
        return store.full, {"default_graph": [ox.DefaultGraph(), *store.named_graphs]}
    # No GRAPH, no FROM: only the default graph is read, and the union default graph is the fast way.
    return store.oxigraph, {"use_default_graph_as_union": True}


def _choose(accept: str | None, kind: str) -> tuple[str, str] | Reply:
    chosen = negotiate.choose(accept, kind)
    if chosen is None:
        return text_reply(406, f"cannot answer with {accept!r}: this result can be {', '.join(OFFERS[kind])}")
    return chosen


def _boolean(value: bool, accept: str | None) -> Reply:
    chosen = _choose(accept, "boolean")
    if isinstance(chosen, Reply):
        return chosen
    media, name = chosen
    body = results.boolean_json(value) if name == "json" else results.boolean_xml(value)
    return Reply(200, with_charset(media), body)


def _solutions(result: ox.QuerySolutions, accept: str | None, max_rows: int) -> Reply:
    chosen = _choose(accept, "tabular")
    if isinstance(chosen, Reply):
        return chosen
    media, name = chosen
    rows, headers = [], ()
    for solution in result:
        if len(rows) == max_rows:
            headers = (("ccgraph-truncated", f"{max_rows} rows"),)
            break
        rows.append(tuple(solution))
    solutions = Solutions(tuple(v.value for v in result.variables), rows)
    return Reply(200, with_charset(media), results.serialize(solutions, name), headers)


def _triples(result, accept: str | None, max_rows: int) -> Reply:
    chosen = _choose(accept, "graph")
    if isinstance(chosen, Reply):
        return chosen
    media, name = chosen
    triples, headers = [], ()
    for triple in result:
        if len(triples) == max_rows:
            headers = (("ccgraph-truncated", f"{max_rows} triples"),)
            break
        triples.append(triple)
    body = results.triples_as(triples, negotiate.RDF_FORMATS[name], PREFIX_MAP)
    return Reply(200, with_charset(media), body, headers)
