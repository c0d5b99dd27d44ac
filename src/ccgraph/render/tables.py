"""Printing results: rich tables for people, CSV / JSON / XML / Turtle for pipes."""

import json
import os
import sys

from rdflib import BNode, Graph, Literal, URIRef
from rich.console import Console
from rich.table import Table

SELECT_FORMATS = ("table", "csv", "json", "xml")
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


PIPE_WIDTH = 100_000  # not a terminal: as wide as the table needs (rich would squeeze it to 80 columns)


def console(min_width: int = 0, stderr: bool = False) -> Console:
    """A console for tables.

    On a terminal, the terminal's width; when output is a pipe or a file, tables keep their natural
    width (no folding to 80 columns; min_width is kept for callers that ask for one) and carry no
    escape codes. NO_COLOR (set and not empty, see no-color.org) turns colour and styles off anywhere.
    """
    no_color = bool(os.environ.get("NO_COLOR"))
    options = {"soft_wrap": False, "stderr": stderr, "no_color": no_color}
    if no_color:
        options["color_system"] = None
    out = Console(**options)
    if not out.is_terminal:
        out = Console(**options, width=max(PIPE_WIDTH, min_width))
    return out


def term_text(term, graph: Graph | None = None) -> str:
    """A term as a person reads it: literals by value, IRIs compacted with known prefixes."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.Literal,)):
        return term.value
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def compact(iri: str) -> str:
    """An IRI as a CURIE with one of ccgraph's prefixes, where one fits."""
    from ccgraph.graph.namespaces import PREFIXES

    best = max((str(ns) for ns in PREFIXES.values() if iri.startswith(str(ns))), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if str(ns) == best)
    return f"{prefix}:{iri[len(best):]}"


RDF_OUTPUT = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}


def print_result(result, fmt: str, title: str | None = None) -> None:
    """Print a store answer: tables or SPARQL results for SELECT, RDF for CONSTRUCT/DESCRIBE."""
    import pyoxigraph as ox

    from ccgraph.errors import CcgraphError
    from ccgraph.graph.namespaces import PREFIXES
    from ccgraph.render import results

    if isinstance(result, list):  # CONSTRUCT / DESCRIBE
        if fmt not in RDF_OUTPUT:
            raise CcgraphError(f"--format {fmt}: a CONSTRUCT or DESCRIBE answer is RDF: use --format ttl, nt or jsonld")
        data = results.triples_as(result, getattr(ox.RdfFormat, RDF_OUTPUT[fmt]), {p: str(n) for p, n in PREFIXES.items()})
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if fmt in RDF_OUTPUT:
        raise CcgraphError(f"--format {fmt}: a SELECT or ASK answer is a table, not RDF: use --format table, csv, json or xml")
    if isinstance(result, bool):
        if fmt == "json":
            sys.stdout.write(results.boolean_json(result).decode() + "\n")
        elif fmt == "xml":
            sys.stdout.write(results.boolean_xml(result).decode())
        else:
            sys.stdout.write(("true" if result else "false") + "\n")
        return
    if fmt == "table":
        table = Table(title=title, show_lines=False, header_style="bold")
        for var in result.variables:
            table.add_column(var, overflow="fold")
        for row in result.rows:
            table.add_row(*(term_text(value) for value in row))
        out = console()
        out.print(table)
        out.print(f"{len(result.rows)} row(s)")
        return
    sys.stdout.write(results.serialize(result, fmt).decode("utf-8"))
    if fmt == "json":
        sys.stdout.write("\n")


def print_mapping(title: str, rows: dict[str, object], fmt: str) -> None:
    """A name -> value listing as a table or JSON."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(title=title, header_style="bold")
    table.add_column("name")
    table.add_column("count", justify="right")
    for name, value in rows.items():
        table.add_row(name, str(value))
    console().print(table)


def print_remote(results: dict, fmt: str, title: str | None = None) -> None:
    """SPARQL JSON results from a remote endpoint, in the same formats as local ones."""
    if "boolean" in results:
        sys.stdout.write(json.dumps(results) + "\n" if fmt == "json" else ("true\n" if results["boolean"] else "false\n"))
        return
    variables = results["head"]["vars"]
    rows = [[binding.get(v, {}).get("value", "") for v in variables] for binding in results["results"]["bindings"]]
    if fmt == "json":
        sys.stdout.write(json.dumps(results) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(rows)
    else:
        table = Table(title=title, header_style="bold")
        for var in variables:
            table.add_column(var, overflow="fold")
        for row in rows:
            table.add_row(*row)
        out = console()
        out.print(table)
        out.print(f"{len(rows)} row(s)")
