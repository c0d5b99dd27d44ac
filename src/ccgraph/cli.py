"""The ccgraph command: a thin layer over assemble, validate, queries, rdfio and stats."""

import json
import re
import sys
from functools import cached_property
from pathlib import Path

import click

from ccgraph import __version__
from ccgraph.errors import CcgraphError
from ccgraph.graph.project import Project

EXIT_ERROR = 2  # bad input or environment; 1 is kept for "validation found violations"


class UserError(click.ClickException):
    """A CcgraphError on its way out: printed as one 'Error: ...' line, exit status 2."""

    exit_code = EXIT_ERROR


class CcgraphGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CcgraphError as exc:
            raise UserError(str(exc)) from None


class Session:
    """What a command works on: the project's built store, or RDF files named with --graph.

    Every read goes through `store` (pyoxigraph). `dataset` and `graph` are rdflib copies of it,
    for the tools that need rdflib (pyshacl, owlrl, the reproducible serialisers).
    """

    def __init__(self, root: Path | None):
        self.root = root
        self.graph_files: tuple[Path, ...] = ()

    @cached_property
    def project(self) -> Project:
        return Project.at(self.root)

    @cached_property
    def store(self):
        from ccgraph.graph.store import Store

        if self.graph_files:
            return Store.from_files(list(self.graph_files))
        from ccgraph.graph.build import open_store

        return open_store(self.project, say=lambda message: click.echo(message, err=True))

    @cached_property
    def dataset(self):
        from ccgraph.graph.namespaces import bind_prefixes

        dataset = self.store.to_rdflib()
        bind_prefixes(dataset)
        return dataset

    @cached_property
    def graph(self):
        return self.store.union_rdflib()


def wrote(output, detail: str) -> None:
    """The one confirmation a command that writes a file gives, on stderr: 'wrote FILE (detail)'."""
    if str(output) != "-":
        click.echo(f"wrote {output} ({detail})", err=True)


def graph_option(command):
    return click.option(
        "--graph", "graph_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="Use these RDF files (ttl, nt, trig, jsonld) instead of assembling the project.",
    )(command)


def use_graph_files(session: Session, graph_files) -> None:
    session.graph_files = tuple(graph_files)


@click.group(cls=CcgraphGroup, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The ccgraph project folder (default: the current folder if it is one, else the data installed with ccgraph).")
@click.option("--version", "show_version", is_flag=True, help="Show the version and the project folder in use, and exit.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, show_version: bool) -> None:
    """ccgraph: a knowledge graph of UK contact-centre occupational standards.

    \b
    Example:
      ccgraph build && ccgraph query nos-count-by-key-area
    """
    ctx.obj = Session(root)
    if show_version:
        try:
            project = ctx.obj.project
            where = f"project {project.root} (from {project.found_by})"
        except CcgraphError as error:
            where = f"no project: {error}"
        click.echo(f"ccgraph {__version__}, {where}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)


@cli.command()
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the graph (default: build/ccgraph.trig in the project).")
@click.option("--format", "fmt", type=click.Choice(["trig", "nq", "ttl", "nt", "jsonld"]), default=None,
              help="Output format (default: from the file extension, else trig).")
@click.option("--no-closure", is_flag=True, help="Skip the OWL-RL closure (queries asking for it then see none).")
@click.pass_obj
def build(session: Session, output: Path | None, fmt: str | None, no_closure: bool) -> None:
    """Assemble ontology and data into the on-disk store (and the export), with the OWL-RL closure beside it.

    \b
    Example:
      ccgraph build
      ccgraph build --no-closure --output /tmp/ccgraph.nq
    """
    from ccgraph.graph.build import build as build_project
    from ccgraph.graph.rdfio import check_output

    output = output or session.project.build_dir / "ccgraph.trig"
    check_output(output, parents=True)
    fmt = fmt or {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".nq": "nq"}.get(output.suffix, "trig")
    report = build_project(session.project, output, fmt, closure=not no_closure)
    closure = f", {report.inferred} inferred in {report.closure_seconds:.1f} s" if not no_closure else ", no closure"
    wrote(output, f"{fmt}, {report.triples} triples in {report.graphs} named graphs; store {report.store}{closure}")


@cli.command()
@graph_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@click.pass_obj
def validate(session: Session, graph_files, fmt: str) -> None:
    """Validate the graph against shapes/ with pyshacl; exit 1 on violations.

    \b
    Example:
      ccgraph validate
      ccgraph validate --graph my-additions.ttl --format json
    """
    from ccgraph.graph.assemble import ontology_graph
    from ccgraph.checks.validate import load_shapes, validate as run_validation

    use_graph_files(session, graph_files)
    data = session.graph
    if graph_files:
        data = data + ontology_graph(session.project)  # subclass axioms for sh:class and targets
    report = run_validation(data, load_shapes(session.project.shapes_dir))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    elif fmt == "ttl":
        click.echo(report.report_graph.serialize(format="turtle"))
    else:
        _print_validation(report)
    if not report.conforms:
        sys.exit(1)


def _print_validation(report) -> None:
    from rich.table import Table

    from ccgraph.render.tables import console

    out = console()
    verdict = "[green]conforms[/green]" if report.conforms else "[red]does not conform[/red]"
    out.print(f"SHACL validation: {verdict}: {report.count('Violation')} violation(s), "
              f"{report.count('Warning')} warning(s), {report.count('Info')} info")
    if report.findings:
        table = Table(header_style="bold")
        for column in ("severity", "focus", "path", "message"):
            table.add_column(column, overflow="fold")
        for f in report.findings:
            focus = f"{f.focus_notation} <{f.focus_node}>" if f.focus_notation else f.focus_node
            table.add_row(f.severity, focus, f.path, f.message)
        out.print(table)


_PARAM_SYNTAX = re.compile(r"^(\w+)=(.*)$", re.DOTALL)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        match = _PARAM_SYNTAX.match(pair)
        if not match:
            raise CcgraphError(f"malformed --param {pair!r} (expected NAME=VALUE)")
        if match[1] in values:
            raise CcgraphError(f"--param {match[1]} given twice")
        values[match[1]] = match[2]
    return values


@cli.command()
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False), help="Run the SPARQL query in this file.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter of the saved query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xml", "ttl", "nt", "jsonld"]), default="table", show_default=True)
@click.option("--endpoint", default=None, help="Run it on this remote SPARQL endpoint (SPARQLWrapper) instead of the embedded graph.")
@click.option("--default-graph-uri", "default_graphs", multiple=True, metavar="IRI",
              help="With --endpoint: a graph of the query's default graph (SPARQL protocol default-graph-uri; repeatable).")
@click.option("--dataset-graphs", is_flag=True,
              help="With --endpoint: the dataset's named graphs as the default graph (for stores whose default graph is not their union, such as Virtuoso).")
@click.option("--closure", is_flag=True, help="Let the query see the OWL-RL closure graph in its default graph.")
@graph_option
@click.pass_obj
def query(session: Session, name: str | None, query_file: Path | None, params, fmt: str, endpoint: str | None,
          default_graphs, dataset_graphs: bool, closure: bool, graph_files) -> None:
    """Run a saved query by NAME (see list-queries), or the query in --file.

    A parameter that names an entity (a role, NOS, unit, competency, qualification...) must name exactly
    one: its code or name in any case, the code with '-' for spaces, or its IRI. An unknown or ambiguous
    one is an error with the closest matches (see 'ccgraph find').

    \b
    Example:
      ccgraph query units-for-nos --param "nos=GS CC DA1.1"
      ccgraph query mappings-for --param entity=211 --format csv
      ccgraph query --file my-question.rq --format json
    """
    from ccgraph.query.saved import find_query, query_from_file, run
    from ccgraph.render.tables import print_remote, print_result

    if bool(name) == bool(query_file):
        raise CcgraphError("give either a saved query NAME or --file FILE.rq")
    if endpoint:
        check_endpoint(endpoint)
    values = parse_params(params)
    saved = query_from_file(query_file) if query_file else find_query(session.project.queries_dir, name)
    if endpoint:
        from ccgraph.query.remote import run_remote

        if dataset_graphs:
            use_graph_files(session, graph_files)
            default_graphs += tuple(g.value for g in session.store.named_graphs)
        print_remote(run_remote(saved, values, endpoint, default_graphs), fmt, title=saved.title)
        return
    use_graph_files(session, graph_files)
    result = run(session.store, saved, values, closure=closure, resolve=True)
    print_result(result, fmt, title=saved.title)


def check_endpoint(endpoint: str) -> None:
    """An endpoint must be an http(s) URL with a host: anything else is a one-line error, not a traceback."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint)
        parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise CcgraphError(f"--endpoint {endpoint!r} is not an http(s) URL (e.g. http://localhost:7878/query)")


@cli.command()
@click.option("--output", "-o", default=None, help="Also write the inferred triples to this file (written atomically).")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq"]), default="ttl", show_default=True,
              help="Format of --output.")
@graph_option
@click.pass_obj
def reason(session: Session, output: str | None, fmt: str, graph_files) -> None:
    """Compute the OWL-RL closure into its own graph; report what was inferred and how long it took.

    \b
    Example:
      ccgraph reason --output build/closure.ttl
    """
    from rdflib import Dataset

    from ccgraph.graph.reason import close
    from ccgraph.render.tables import print_mapping
    from ccgraph.graph.rdfio import write_rdf

    use_graph_files(session, graph_files)
    closure = close(session.graph)
    click.echo(f"inferred {len(closure.inferred)} new triples from {closure.asserted_triples} asserted in {closure.seconds:.2f} s")
    for problem in closure.inconsistencies:  # cax-dw / cls-nothing2: the ontology and the data contradict
        click.echo(f"inconsistent: {problem}", err=True)
    print_mapping("inferred triples by predicate", closure.by_predicate(), "table")
    if output:
        target = Dataset()
        named = target.graph(closure.inferred.identifier)
        for triple in closure.inferred:
            named.add(triple)
        write_rdf(target, fmt, output, parents=False)
        wrote(output, f"{fmt}, {len(closure.inferred)} inferred triples")


@cli.command()
@click.argument("files", nargs=-1)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (localhost only by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes: the most queries run at once.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Wall-clock seconds a query may run before it is stopped.")
@click.option("--queue-wait", default=5.0, show_default=True, type=click.FloatRange(0, 600), help="Seconds a query may wait for a free worker before 503.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1), help="Result rows (or triples) returned at most.")
@click.option("--max-request-bytes", default=1_000_000, show_default=True, type=click.IntRange(1024), help="Largest request accepted.")
@click.option("--cors-origin", "cors_origins", multiple=True, help="Allow browser pages from this origin ('*' for any). Off by default.")
@click.option("--no-project", is_flag=True, help="Serve only the FILES given, not the ccgraph dataset.")
@click.option("--no-closure", is_flag=True, help="Do not serve the OWL-RL closure graph (id/graph/closure) built by 'ccgraph build'.")
@click.pass_obj
def serve(session: Session, files, host, port, workers, timeout, queue_wait, max_rows, max_request_bytes, cors_origins, no_project, no_closure) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol (read-only) at http://HOST:PORT/sparql.

    The project's built store is served (rebuilt first if its inputs changed), with the closure in its
    own named graph, id/graph/closure, outside the default graph. FILES are extra RDF files, each
    served as a named graph: NAME=PATH names it NAME, a bare PATH is named by its file: IRI.

    \b
    Examples:
      ccgraph serve --port 8000
      ccgraph serve --no-project extra=extra.ttl
    """
    from ccgraph.graph.build import store_paths
    from ccgraph.serve import server
    from ccgraph.serve.app import ServerConfig, create_app
    from ccgraph.serve.dataset import Served, file_graph
    from ccgraph.serve.engine import Settings
    from ccgraph.serve.protocol import Limits

    asserted = closure = built = None
    if not no_project:
        built = session.store  # the build, rebuilt first (saying why) if its inputs changed
        asserted, closure = store_paths(session.project)
        closure = None if no_closure or not built.has_closure else closure
    served = Served(asserted, closure, tuple(file_graph(spec) for spec in files))
    # The server's own store, for the web pages (the query workers get an in-memory snapshot of it).
    store = built if built is not None and not files and closure is not None else served.open()
    config = ServerConfig(Settings(workers, timeout, max_rows, queue_wait), Limits(max_request_bytes), tuple(cors_origins))
    app = create_app(served, config, None if no_project else session.project, store)
    sizes = store.graph_sizes(closure=True)
    click.echo(f"serving {sum(sizes.values())} triples in {len(sizes)} graphs at http://{host}:{port}/sparql", err=True)
    server.run(app, host, port)


@cli.command()
@click.option("--registry", default=None, help="npm registry to fetch from (default: $npm_config_registry or registry.npmjs.org).")
@click.option("--force", is_flag=True, help="Fetch again even if the files are already there.")
@click.pass_obj
def vendor(session: Session, registry: str | None, force: bool) -> None:
    """Fetch YASGUI (pinned, integrity-checked) from the npm registry for the editor page of `serve`.

    \b
    Example:
      ccgraph vendor --registry https://registry.npmjs.org
    """
    from ccgraph.serve import vendor as assets

    build_dir = session.project.build_dir
    if assets.is_vendored(build_dir) and not force:
        click.echo(f"{assets.YASGUI.package}@{assets.YASGUI.version} already in {assets.asset_dir(build_dir)}", err=True)
        return
    folder = assets.fetch(build_dir, registry=registry)
    click.echo(f"{assets.YASGUI.package}@{assets.YASGUI.version} -> {folder}", err=True)


@cli.command("check-plan")
@click.option("--qualification", "-q", required=True, help="The qualification's code as printed, e.g. 3412-03 or 10265.")
@click.option("--units", "-u", default=None, help="The learner's units, comma-separated, e.g. 101,201,202.")
@click.option("--smallest", type=click.IntRange(0, 50), default=None, help="Also list up to N smallest valid plans (fewest credits).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@graph_option
@click.pass_obj
def check_plan(session: Session, qualification: str, units: str | None, smallest: int | None, fmt: str, graph_files) -> None:
    """Check a learner's units against a qualification's rules of combination (read from the graph).

    Exit status 0 when the plan achieves the qualification, 1 when a rule fails. Without --units it
    says whether the qualification can be achieved at all and lists its smallest valid plans. The
    qualification is named by its code or title, in any case, or its IRI.

    \b
    Example:
      ccgraph check-plan -q 3412-03 -u 101,201,202,203,204,208,209
      ccgraph check-plan -q 3412-05 --smallest 3
    """
    from ccgraph.checks import plans
    from ccgraph.query.search import resolve

    use_graph_files(session, graph_files)
    chosen = resolve(session.store, qualification, "qualification", where="--qualification")
    rules = plans.load(session.store, chosen.notation or qualification)
    payload: dict = {"qualification": rules.notation, "title": rules.title}
    report = None
    if units is not None:
        codes = [code.strip() for code in units.split(",") if code.strip()]
        unknown = [code for code in codes if code not in rules.units and not plans.unit_exists(session.store, code)]
        if unknown:
            raise CcgraphError(f"--units: unknown unit code(s) {', '.join(unknown)}: no such unit in the graph")
        report = plans.check(rules, codes)
        payload.update(report.as_dict())
    if units is None or smallest:
        found = plans.smallest_plans(rules, limit=smallest or 1)
        payload["achievable"] = bool(found)
        payload["smallest_plans"] = [{"units": list(p.units), "credits": p.credits} for p in found]
    if fmt == "json":
        click.echo(json.dumps(payload, indent=2))
    else:
        _print_plan(payload, report)
    if report is not None and not report.achieved:
        sys.exit(1)


def _print_plan(payload: dict, report) -> None:
    out_lines = [f"{payload['qualification']} {payload['title']}"]
    if report is not None:
        verdict = "achieves the qualification" if report.achieved else f"does not achieve it: {len(report.failures)} rule(s) fail"
        out_lines.append(f"plan {', '.join(report.units) or '(no units)'}: {report.credits} credits; {verdict}")
        for failure in report.failures:
            out_lines.append(f"  - {failure.message}" + (f"  [rule: {failure.rule_text}]" if failure.rule_text else ""))
    if "achievable" in payload:
        if not payload["achievable"]:
            out_lines.append("no set of its own units meets all its rules: the qualification cannot be achieved")
        for plan in payload["smallest_plans"]:
            out_lines.append(f"smallest valid plan: {', '.join(plan['units'])} ({plan['credits']} credits)")
    click.echo("\n".join(out_lines))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "html", "svg", "png"]), default="text", show_default=True)
@click.option("--output", "-o", default=None, help="File to write (written atomically); required for png, '-' for standard output.")
@graph_option
@click.pass_obj
def matrix(session: Session, fmt: str, output: str | None, graph_files) -> None:
    """The role x competency matrix, regenerated from the graph: a table, or a heatmap to look at.

    \b
    Example:
      ccgraph matrix
      ccgraph matrix --format png --output matrix.png
    """
    from ccgraph.render import heatmap
    from ccgraph.query.matrix import from_store
    from ccgraph.graph.rdfio import atomic_output, check_output

    if output is not None:
        check_output(output)
    use_graph_files(session, graph_files)
    grid = from_store(session.store)
    if not grid.rows or not grid.roles:
        raise CcgraphError("the graph holds no role x competency matrix (no ccg:Role or ccg:Competency)")
    if fmt == "text" and output is None:
        _print_matrix(grid)
        return
    if fmt == "png" and output in (None, "-") and sys.stdout.isatty():
        raise CcgraphError("--format png writes binary data: give --output FILE.png")
    render = {"text": heatmap.to_csv, "csv": heatmap.to_csv, "html": heatmap.to_html, "svg": heatmap.to_svg, "png": heatmap.to_png}[fmt]
    data = render(grid)
    with atomic_output(output or "-", binary=True, parents=False) as handle:
        handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    if output and output != "-":
        click.echo(f"wrote {output} ({fmt}, {len(grid.rows)} competencies x {len(grid.roles)} roles)", err=True)


def _print_matrix(grid) -> None:
    from rich.table import Table

    from ccgraph.render.heatmap import LEVEL_COLOURS, NOT_RECORDED_COLOUR, UNRESOLVED_COLOUR
    from ccgraph.render.tables import console

    title = "Role x competency matrix (? = unresolved, r = reconstructed, - = blank: no level printed)"
    table = Table(title=title, header_style="bold", show_lines=False)
    table.add_column("code")
    table.add_column("competency", overflow="fold", max_width=40)
    for role in grid.roles:
        table.add_column(role.label, justify="center", overflow="fold", max_width=13)
    for row in grid.rows:
        cells = []
        for role in grid.roles:
            cell = grid.cell(row, role)
            if not cell.recorded:
                text, colour = "", NOT_RECORDED_COLOUR
            elif cell.status == "blank":
                text, colour = "-", None
            else:
                text = cell.text + ("r" if cell.status == "reconstructed" else "")
                colour = UNRESOLVED_COLOUR if cell.status == "unresolved" else LEVEL_COLOURS.get(cell.level)
            cells.append(f"[black on {colour}]{text}[/]" if colour else text)
        table.add_row(row.notation, row.title + ("*" if row.legal_obligation else ""), *cells)
    out = console(min_width=230)
    out.print(table)
    counts = grid.counts()
    missing = f", {counts['not recorded']} not recorded in the graph" if counts["not recorded"] else ""
    out.print(f"{counts['certain']} certain, {counts['reconstructed']} reconstructed, {counts['unresolved']} unresolved, "
              f"{counts['blank']} blank (no level printed) cells{missing}")


@cli.command()
@click.option("--endpoint", required=True, help="The store's Graph Store Protocol URL (e.g. http://localhost:7878/store) or, with --protocol update, its SPARQL Update URL.")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True)
@click.option("--user", default=None, help="Log in as this user (Digest or Basic, as the store asks).")
@click.option("--password", envvar="CCGRAPH_PASSWORD", default="", show_envvar=True, help="The user's password.")
@graph_option
@click.pass_obj
def push(session: Session, endpoint: str, protocol: str, user: str | None, password: str, graph_files) -> None:
    """Load the dataset into an external triple store, one named graph at a time (each replaced).

    \b
    Example:
      ccgraph push --endpoint http://localhost:7878/store
    """
    from ccgraph.query.remote import push as push_dataset

    check_endpoint(endpoint)
    use_graph_files(session, graph_files)
    sent = push_dataset(session.dataset, endpoint, protocol, user, password)
    click.echo(f"pushed {sum(sent.values())} triples in {len(sent)} named graphs to {endpoint}")


@cli.group()
def mappings() -> None:
    """SSSOM mapping sets: derive the printed ones, export any set, report each set's coverage.

    \b
    Example:
      ccgraph mappings coverage
      ccgraph mappings export --set nos-unit --output nos-unit.sssom.tsv
    """


@mappings.command("derive")
@click.pass_obj
def mappings_derive(session: Session) -> None:
    """Rewrite the mapping sets the sources print (unit -> NOS, OCR -> City & Guilds) from the transcriptions.

    \b
    Example:
      ccgraph mappings derive && git diff data/mappings
    """
    from ccgraph.graph.assemble import transcriptions_graph
    from ccgraph.sources.derived_mappings import DERIVED, render
    from ccgraph.graph.rdfio import atomic_output

    graph = transcriptions_graph(session.project)
    for name, derive in DERIVED.items():
        metadata, rows = derive(graph)
        target = session.project.data_dir / "mappings" / f"{name}.sssom.tsv"
        with atomic_output(target) as handle:
            handle.write(render(metadata, rows))
        wrote(target, f"sssom, {len(rows)} mappings")


@mappings.command("export")
@click.option("--set", "set_name", required=True, help="The mapping set's name (its file name without .sssom.tsv).")
@click.option("--output", "-o", default="-", help="File to write (atomically), or - for standard output.")
@click.pass_obj
def mappings_export(session: Session, set_name: str, output: str) -> None:
    """Write one mapping set back to SSSOM TSV from the graph.

    \b
    Example:
      ccgraph mappings export --set competency-unit-nos --output competency-unit-nos.sssom.tsv
    """
    from ccgraph.sources import sssom
    from ccgraph.graph.rdfio import atomic_output, check_output

    check_output(output)
    path = session.project.data_dir / "mappings" / f"{set_name}.sssom.tsv"
    if not path.is_file():
        known = ", ".join(p.name.removesuffix(".sssom.tsv") for p in sorted(path.parent.glob("*.sssom.tsv")))
        raise CcgraphError(f"unknown mapping set {set_name!r} (known: {known or 'none'})")
    metadata = sssom.read(path).metadata
    text = sssom.write(session.graph, __import__("rdflib").URIRef(metadata["mapping_set_id"]), metadata)
    with atomic_output(output, parents=False) as handle:
        handle.write(text)
    rows = sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#")) - 1  # less the column header
    wrote(output, f"sssom, {rows} mappings")


@mappings.command("coverage")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@graph_option
@click.pass_obj
def mappings_coverage(session: Session, fmt: str, graph_files) -> None:
    """Each mapping set's coverage: rows, subjects examined, subjects with a counterpart, and explicit no-matches.

    \b
    Example:
      ccgraph mappings coverage --format json
    """
    from rich.table import Table

    from ccgraph.query.stats import mapping_coverage
    from ccgraph.render.tables import console

    use_graph_files(session, graph_files)
    coverage = mapping_coverage(session.store)
    if fmt == "json":
        click.echo(json.dumps(coverage, indent=2))
        return
    table = Table(title="Mapping sets: coverage", header_style="bold")
    for column, justify in (("mapping set", "left"), ("mappings", "right"), ("subjects", "right"), ("matched", "right"), ("no match", "right")):
        table.add_column(column, justify=justify)
    for name, figures in coverage.items():
        table.add_row(name, *(str(figures[key]) for key in ("mappings", "subjects", "matched", "no_match")))
    console().print(table)


@cli.command()
@click.option("--nos", default=None, help="Start from a NOS, by code (19, GS CC DA1.1, A11).")
@click.option("--unit", default=None, help="Start from a unit, by number (204).")
@click.option("--competency", default=None, help="Start from a competency, by code (A1.1).")
@click.option("--role", default=None, help="Start from a role, by name (\"Sales Advisor\").")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "svg", "html"]), default="text", show_default=True)
@click.option("--output", "-o", default="-", help="File to write (atomically), or - for standard output.")
@graph_option
@click.pass_obj
def trace(session: Session, nos, unit, competency, role, fmt: str, output: str, graph_files) -> None:
    """Walk NOS -> unit -> competency -> role from any of them, with each hop's provenance and the levels met.

    The start is named by its code or name in any case, the code with '-' for spaces, or its IRI; an
    unknown or ambiguous one is an error with the closest matches.

    \b
    Example:
      ccgraph trace --nos 19
      ccgraph trace --role "customer service team leader" --format svg --output trace.svg
    """
    from ccgraph.graph.rdfio import atomic_output, check_output
    from ccgraph.query.search import resolve
    from ccgraph.query.trace import Tracer
    from ccgraph.render.trace_diagram import render

    starts = {k: v for k, v in {"nos": nos, "unit": unit, "competency": competency, "role": role}.items() if v}
    if len(starts) != 1:
        raise CcgraphError("give exactly one of --nos, --unit, --competency, --role")
    (kind, code), = starts.items()
    check_output(output)
    use_graph_files(session, graph_files)
    start = resolve(session.store, code, kind, where=f"--{kind}")
    tracer = Tracer(session.store)
    tracer.find = lambda _kind, _code: [start.iri]  # the one entity resolved, even where its code names others too
    printed = start.notation or start.label or code
    paths = tracer.trace(kind, printed)
    with atomic_output(output, parents=False) as handle:
        handle.write(render(paths, fmt, f"{kind} {printed}"))
    wrote(output, f"{fmt}, {len(paths)} path(s) through {kind} {printed}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default=None,
              help="Exit 1 if a finding (with --baseline: a new or changed one) is at least this severe (for CI).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A previous `ccgraph audit --format json` report: show only findings that are new or changed since.")
@click.option("--output", "-o", default="-", help="File to write (atomically), or - for standard output.")
@graph_option
@click.pass_obj
def audit(session: Session, fmt: str, fail_on: str | None, baseline: Path | None, output: str, graph_files) -> None:
    """Audit mapping coverage and the consistency of the sources: every finding with id, kind, severity, action and place.

    \b
    Examples:
      ccgraph audit --fail-on error
      ccgraph audit --format json --output audit.json
      ccgraph audit --fail-on warning --baseline audit.json
    """
    from ccgraph.checks.audit import audit as run_audit, load_baseline
    from ccgraph.graph.rdfio import atomic_output
    from ccgraph.checks.validate import load_shapes

    use_graph_files(session, graph_files)
    previous = load_baseline(baseline) if baseline else None
    report = run_audit(session.store, load_shapes(session.project.shapes_dir))
    if previous is not None:
        report = report.against(previous, str(baseline))
    if fmt == "json":
        with atomic_output(output) as handle:
            handle.write(json.dumps(report.as_dict(), indent=2) + "\n")
    elif fmt == "html":
        from ccgraph.render import audit_page as audit_html
        from ccgraph.render import heatmap
        from ccgraph.query.matrix import from_store

        grid = from_store(session.store)
        page = audit_html.render(report, heatmap.to_svg(grid) if grid.rows and grid.roles else None)
        with atomic_output(output) as handle:
            handle.write(page)
    else:
        _print_audit(report)
    if fail_on and report.fails(fail_on):
        sys.exit(1)


def _print_audit(report) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ccgraph.render.tables import console

    out = console(min_width=160)
    data = report.as_dict()
    summary = data["summary"]
    out.print(f"ccgraph audit: {summary['error']} error(s), {summary['warning']} warning(s), {summary['info']} info; by kind: "
              + ", ".join(f"{kind} {count}" for kind, count in data["kinds"].items() if count))
    if report.baseline is not None:
        b = report.baseline
        out.print(f"compared with {b['file']}: {len(b['new'])} new, {len(b['changed'])} changed (shown); "
                  f"{b['unchanged']} unchanged and {len(b['resolved'])} resolved (not shown)")
        for ident in b["resolved"]:
            out.print(f"  resolved: {ident}", markup=False, highlight=False)
    coverage = Table(title="Coverage", header_style="bold")
    for column in ("what", "covered", "total", "%"):
        coverage.add_column(column)
    for name, figures in report.coverage.items():
        coverage.add_row(name, str(figures["covered"]), str(figures["total"]), f"{figures['percent']:g}")
    out.print(coverage)
    findings = Table(title="Findings", header_style="bold", show_lines=True)
    for column in ("severity", "kind", "id", "finding", "action", "where"):
        findings.add_column(column, overflow="fold")
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for f in report.findings:
        message = f.message + "".join(f"\nTranscriber's note: {note}" for note in f.notes)
        findings.add_row(f"[{colours[f.severity]}]{f.severity}[/]", f.kind, escape(f.id), escape(message), f.action,
                         escape("; ".join(f.locators[:3])))
    out.print(findings)


@cli.command("list-queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def list_queries(session: Session, fmt: str) -> None:
    """List the saved queries with their parameters.

    \b
    Example:
      ccgraph list-queries --format json
    """
    from rich.table import Table

    from ccgraph.query.saved import saved_queries
    from ccgraph.render.tables import console

    registry = saved_queries(session.project.queries_dir)
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "title": q.title, "description": q.description, "examples": list(q.examples),
             "parameters": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description,
                             **({"entity": list(p.entity)} if p.entity else {})} for p in q.parameters]}
            for q in registry.values()], indent=2))
        return
    table = Table(header_style="bold")
    table.add_column("name")
    table.add_column("title")
    table.add_column("parameters", overflow="fold")
    for q in registry.values():
        params = ", ".join(f"{p.name} ({p.type}{', ' + '/'.join(p.entity) if p.entity else ''}{', optional' if p.optional else ''})"
                           for p in q.parameters)
        table.add_row(q.name, q.title, params or "-")
    console().print(table)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq"]), required=True)
@click.option("--output", "-o", required=True, help="File to write (written atomically), or - for standard output.")
@graph_option
@click.pass_obj
def export(session: Session, fmt: str, output: str, graph_files) -> None:
    """Write the whole asserted graph in one RDF format.

    The folder the file goes in must exist (it is not made silently).

    \b
    Example:
      ccgraph export --format ttl --output ccgraph.ttl
      ccgraph export --format nq --output - | gzip > ccgraph.nq.gz
    """
    from ccgraph.graph.rdfio import check_output, write_rdf

    check_output(output)  # before the work, not after it
    use_graph_files(session, graph_files)
    size = write_rdf(session.dataset, fmt, output, parents=False)
    wrote(output, f"{fmt}, {session.store.triple_count()} triples, {size} bytes")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@graph_option
@click.pass_obj
def stats(session: Session, fmt: str, graph_files) -> None:
    """Count triples per named graph and instances per class.

    \b
    Example:
      ccgraph stats --format json
    """
    from ccgraph.render.tables import print_mapping
    from ccgraph.query.stats import compute

    use_graph_files(session, graph_files)
    figures = compute(session.store)
    if fmt == "json":
        click.echo(json.dumps(figures.as_dict(), indent=2))
        return
    print_mapping(f"{figures.triples} triples, by named graph", figures.graphs, fmt)
    print_mapping("instances per class", figures.classes, fmt)
    for name, coverage in figures.mappings.items():
        print_mapping(f"mapping set {name}: coverage", coverage, fmt)


# Commands that live in modules of their own, "module:attribute" each (one line per command).
EXTRA_COMMANDS: tuple[str, ...] = (
    "ccgraph.cli_publish:release",
    "ccgraph.cli_publish:diff",
    "ccgraph.cli_find:find",
    "ccgraph.cli_workbench:tailor",
    "ccgraph.cli_workbench:gaps",
    "ccgraph.cli_workbench:training_plan",
    "ccgraph.cli_workbench:careers",
)


def _register_extra_commands() -> None:
    from importlib import import_module

    for spec in EXTRA_COMMANDS:
        module, attribute = spec.split(":")
        cli.add_command(getattr(import_module(module), attribute))


_register_extra_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ccgraph")


if __name__ == "__main__":
    main()
