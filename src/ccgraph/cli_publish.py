"""`ccgraph release` and `ccgraph diff`: thin layers over publish.release and publish.diff (registered in cli.EXTRA_COMMANDS)."""

from pathlib import Path

import click

from ccgraph.publish.model import DEFAULT_ENDPOINT


@click.command("release")
@click.option("--version", "version", required=True, help="The release's version, such as 0.1.0 (in the description and every mapping set).")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The folder to write; it must not exist or be empty, unless --force.")
@click.option("--force", is_flag=True, help="Replace the folder if it already holds files.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Issue date (dcterms:issued, SSSOM publication_date); none unless given.")
@click.option("--base-url", default=None, help="Where the files will be published: download URLs become BASE-URL/FILE (default: relative).")
@click.option("--endpoint-url", default=DEFAULT_ENDPOINT, show_default=True, help="The SPARQL endpoint the description names.")
@click.pass_obj
def release(session, version: str, output: Path, force: bool, date: str | None, base_url: str | None, endpoint_url: str) -> None:
    """Write a release: the dataset (TriG, N-Quads, JSON-LD, a Turtle file per graph), CSV tables per class,
    the SSSOM mapping sets, a VoID/DCAT description and SHA256SUMS, reproducibly, into one folder.

    \b
    Example:
      ccgraph release --version 0.1.0 --output dist/ccgraph-0.1.0
    """
    from ccgraph.publish.model import ReleaseOptions
    from ccgraph.publish.release import release as write_release

    options = ReleaseOptions(version, date, base_url, endpoint_url)  # checked before the store is opened
    report = write_release(session.store, session.project, options, output, force)
    click.echo(f"released ccgraph {version} into {report.folder}: {len(report.files)} files, {report.size} bytes, "
               f"{report.triples} triples", err=True)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "changelog"]), default="text", show_default=True,
              help="text for people, json for programs (schema_version 1), changelog for Markdown bullets to paste into CHANGELOG.md.")
@click.option("--no-audit", is_flag=True, help="Do not run the audit on the two sides (faster; no findings section).")
@click.option("--output", "-o", default="-", help="File to write (atomically), or - for standard output.")
@click.pass_obj
def diff(session, old: str, new: str, fmt: str, no_audit: bool, output: str) -> None:
    """Compare two versions of the graph by entity: added, removed, deprecated and changed entities, matrix cells,
    mappings and audit findings. OLD and NEW are each a release or build folder, a project, an RDF file, or git:REV
    (the current project at a git revision, built in a temporary folder).

    \b
    Example:
      ccgraph diff dist/ccgraph-0.1.0 build
      ccgraph diff git:v0.1.0 . --format changelog
    """
    from ccgraph.errors import CcgraphError
    from ccgraph.graph.rdfio import atomic_output, check_output
    from ccgraph.publish.diff import diff as compare, render

    check_output(output)
    try:
        current = session.project
    except CcgraphError:
        current = None  # two releases can be compared anywhere; git:REV then says it needs a project
    report = compare(old, new, current, audit=not no_audit, say=lambda message: click.echo(message, err=True))
    with atomic_output(output) as handle:
        handle.write(render(report, fmt))
