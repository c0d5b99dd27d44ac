"""Printing results: rich tables for people, CSV / JSON / XML / Turtle for pipes."""

import json
import sys

from rdflib import BNode, Graph, Literal, URIRef
from rich.console import Console
from rich.table import Table

SELECT_FORMATS = ("table", "csv", "json", "xml")
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def console(min_width: int = 0) -> Console:
    """A console for tables; when output is not a terminal, at least min_width columns wide."""
    out = Console(soft_wrap=False)
    if min_width and not out.is_terminal:
        out = Console(soft_wrap=False, width=max(out.width, min_width))
    return out


def term_text(term, graph: Graph | None = None) -> str:
    """A term as a person reads it: literals by value, IRIs compacted with known prefixes."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, URIRef) and graph is not None:
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def print_result(result, fmt: str, graph: Graph, title: str | None = None) -> None:
    """Print a SPARQL result in the chosen format; tables for SELECT, RDF for CONSTRUCT/DESCRIBE."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rdf_format = GRAPH_FORMATS.get(fmt, "turtle")
        sys.stdout.write(result.graph.serialize(format=rdf_format))
        return
    if result.type == "ASK":
        if fmt == "json":
            sys.stdout.write(json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n")
        else:
            sys.stdout.write(("true" if result.askAnswer else "false") + "\n")
        return
    if fmt == "table":
        table = Table(title=title, show_lines=False, header_style="bold")
        for var in result.vars:
            table.add_column(str(var), overflow="fold")
        rows = list(result)
        for row in rows:
            table.add_row(*(term_text(value, graph) for value in row))
        out = console()
        out.print(table)
        out.print(f"{len(rows)} row(s)")
        return
    data = result.serialize(format=fmt)
    sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)
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
