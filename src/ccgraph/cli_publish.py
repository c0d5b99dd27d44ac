"""`ccgraph release`: a thin layer over publish.release (registered in cli.EXTRA_COMMANDS)."""

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
    the SSSOM mapping sets, a VoID/DCAT description and SHA256SUMS, reproducibly, into one folder."""
    from ccgraph.publish.model import ReleaseOptions
    from ccgraph.publish.release import release as write_release

    options = ReleaseOptions(version, date, base_url, endpoint_url)  # checked before the store is opened
    report = write_release(session.store, session.project, options, output, force)
    click.echo(f"released ccgraph {version} into {report.folder}: {len(report.files)} files, {report.size} bytes, "
               f"{report.triples} triples", err=True)
