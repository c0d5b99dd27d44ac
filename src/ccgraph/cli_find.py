"""`ccgraph find`: look an entity up by code, name or definition (registered in cli.EXTRA_COMMANDS).

A thin layer over query.search, which the endpoint can serve as it is.
"""

import csv
import json
import sys
from pathlib import Path

import click

from ccgraph.query.search import KIND_NAMES

COLUMNS = ("kind", "notation", "label", "matched", "score", "context", "iri")


@click.command("find")
@click.argument("text", nargs=-1, required=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_NAMES), metavar="KIND",
              help=f"Only entities of this kind (repeatable): {', '.join(KIND_NAMES)}.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="Show at most this many (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--graph", "graph_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Use these RDF files (ttl, nt, trig, jsonld) instead of assembling the project.")
@click.pass_obj
def find(session, text: tuple[str, ...], kinds: tuple[str, ...], limit: int, fmt: str, graph_files) -> None:
    """Find entities by code, name or definition: NOS, units, competencies, roles, qualifications and the rest.

    TEXT may be a code (GS CC BA3.1, GS-CC-BA3.1, 211, A1.1), a name or the start of one ("team lead"),
    or an IRI. Matching ignores case and accents. Best first: the exact code, the exact name, names that
    begin with TEXT, names whose words begin with its words, names that contain it, definitions that
    mention it. Exit status 1 when nothing matches.

    \b
    Example:
      ccgraph find team leader
      ccgraph find "GS CC BA" --kind nos --format csv
      ccgraph find telephone --kind unit --limit 5 --format json
    """
    from ccgraph.errors import CcgraphError
    from ccgraph.query.search import index, search

    query = " ".join(text).strip()
    if not query:
        raise CcgraphError("give some text to find (a code, a name or part of one)")
    session.graph_files = tuple(graph_files)
    store = session.store
    hits = search(store, query, kinds or None, limit)
    if fmt == "json":
        click.echo(json.dumps([hit.as_dict() for hit in hits], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for hit in hits:
            writer.writerow(["" if getattr(hit, c) is None else getattr(hit, c) for c in COLUMNS])
    elif hits:
        _print_hits(query, hits)
    if not hits:
        wanted = set(kinds) if kinds else set(KIND_NAMES)
        close = index(store).suggest(query, wanted)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        click.echo(f"nothing matches {query!r}{hint}", err=True)
        sys.exit(1)


def _print_hits(query: str, hits) -> None:
    from rich.table import Table

    from ccgraph.render.tables import compact, console

    table = Table(title=f"Entities matching {query!r}", header_style="bold")
    for column in ("kind", "code", "label", "matched", "in", "iri"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(hit.kind, hit.notation or "", hit.label or "", hit.matched, hit.context, compact(hit.iri))
    out = console()
    out.print(table)
    out.print(f"{len(hits)} match(es)")
