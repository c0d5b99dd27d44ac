"""The ccgraph command through click's CliRunner: every command, every output format, and bad input."""

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ccgraph.cli import cli

import seed_functional_map

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def invoke():
    runner = CliRunner()

    def call(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return call


def one_line_error(result, *fragments):
    """A failure is one 'Error: ...' line naming the problem, with exit status 2."""
    assert result.exit_code == 2, result.output
    # A command that finds no build (or a stale one) first says it is building: a notice, not an error.
    lines = [line for line in result.output.splitlines() if line.strip() and not re.search(r": building \S+ first$", line)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def notices(stderr: str) -> list[str]:
    """stderr lines other than the notice that a stale build is being rebuilt first, and the 'wrote' line."""
    return [line for line in stderr.splitlines()
            if line.strip() and not re.search(r": building \S+ first$", line) and not line.startswith("wrote ")]


@pytest.fixture
def project_copy(tmp_path):
    """A throw-away copy of the project, to break."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_version(invoke):
    from ccgraph import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and result.output.startswith(f"ccgraph {__version__}, project ")


def test_build_writes_the_assembled_graph(invoke, tmp_path, graph):
    out = tmp_path / "out" / "ccgraph.trig"
    result = invoke("build", "--output", out)
    assert result.exit_code == 0, result.output
    assert notices(result.stderr) == [] and result.stderr.splitlines()[-1].startswith(f"wrote {out} (trig, ")
    built = Dataset()
    built.parse(out, format="trig")
    merged = Graph()
    for s, p, o, _ in built.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(merged, graph)
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]


def test_validate_conforms_in_every_format(invoke):
    text = invoke("validate")
    assert text.exit_code == 0 and "conforms" in text.output
    report = json.loads(invoke("validate", "--format", "json").stdout)
    assert report["conforms"] is True and report["violations"] == 0
    ttl = invoke("validate", "--format", "ttl")
    assert "ValidationReport" in ttl.output
    Graph().parse(data=ttl.output, format="turtle")


def test_validate_fails_with_exit_1_on_violations(invoke, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix ccg: <https://w3id.org/ccgraph/ontology#> .\n"
        "<https://w3id.org/ccgraph/id/test/F> a ccg:Function .\n", encoding="utf-8")
    result = invoke("validate", "--graph", broken, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["conforms"]
    focus = {r["focus_node"] for r in report["results"]}
    assert focus == {"https://w3id.org/ccgraph/id/test/F"}
    components = {r["component"].rsplit("#", 1)[1] for r in report["results"]}
    assert "MinCountConstraintComponent" in components


def test_query_in_every_format(invoke, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    table = invoke("query", "nos-count-by-key-area")
    assert table.exit_code == 0 and "row(s)" in table.output
    rows = list(csv.DictReader(io.StringIO(invoke("query", "nos-count-by-key-area", "--format", "csv").stdout)))
    assert {r["keyArea"]: int(r["standards"]) for r in rows} == {
        ka: sum(1 for s in seed.standards.values() if s.key_area == ka) for ka in seed.key_area_headings}
    data = json.loads(invoke("query", "nos-lineage", "--param", "nos=GS CC BA3.1", "--format", "json").stdout)
    (binding,) = data["results"]["bindings"]
    assert binding["sourceCode"]["value"] == seed.standards["GS CC BA3.1"].source_code
    xml = invoke("query", "nos-count-by-origin-type", "--format", "xml").output
    assert xml.lstrip().startswith("<?xml") and "sparql-results" in xml


def test_query_from_file_and_construct(invoke, tmp_path):
    query = tmp_path / "keyareas.rq"
    query.write_text("PREFIX ccg: <https://w3id.org/ccgraph/ontology#>\n"
                     "CONSTRUCT { ?k a ccg:KeyArea } WHERE { ?k a ccg:KeyArea }", encoding="utf-8")
    result = invoke("query", "--file", query, "--format", "nt")
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.output, format="nt")) == 4


def test_list_queries(invoke, project):
    listed = json.loads(invoke("list-queries", "--format", "json").stdout)
    assert {q["name"] for q in listed} == {p.stem for p in project.queries_dir.glob("*.rq")}
    assert "nos-lineage" in invoke("list-queries").output


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_whole_graph(invoke, tmp_path, graph, fmt, parser):
    out = tmp_path / f"graph.{fmt}"
    assert invoke("export", "--format", fmt, "--output", out).exit_code == 0
    assert isomorphic(Graph().parse(out, format=parser), graph)


def test_export_trig_keeps_named_graphs(invoke, tmp_path, dataset):
    out = tmp_path / "graph.trig"
    assert invoke("export", "--format", "trig", "--output", out).exit_code == 0
    again = Dataset()
    again.parse(out, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names <= {str(g.identifier) for g in again.graphs()}


def test_stats(invoke, graph, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    figures = json.loads(invoke("stats", "--format", "json").stdout)
    assert figures["triples"] == len(graph)
    assert figures["classes"]["ccg:Function"] == len(seed.functions)
    assert figures["classes"]["ccg:AreaOfCompetence"] == len(seed.areas)
    assert "functional-map" in invoke("stats").output


# ---------------------------------------------------------------- bad input


def test_malformed_turtle_names_file_and_line_and_writes_nothing(invoke, project_copy, tmp_path):
    bad = project_copy / "data" / "sources.ttl"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines.insert(9, 'ccgid:broken ccg:seedFile "unterminated .')
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.trig"
    result = invoke("--root", project_copy, "build", "--output", out)
    one_line_error(result, f"{bad}:10:", "malformed turtle")
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".out*")) == []


def test_malformed_graph_file(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", encoding="utf-8")
    one_line_error(invoke("validate", "--graph", bad), f"{bad}:3:")
    one_line_error(invoke("query", "nos-count-by-key-area", "--graph", bad), f"{bad}:3:")


def test_broken_transcription_table_names_file_and_line(invoke, project_copy, tmp_path):
    table = project_copy / "data" / "functional-map" / "nos.csv"
    text = table.read_text(encoding="utf-8").replace(",Tailored,9.6,", ",Tailor-made,9.6,")
    table.write_text(text, encoding="utf-8")
    out = tmp_path / "out.trig"
    one_line_error(invoke("--root", project_copy, "build", "--output", out), f"{table}:", "unknown origin 'Tailor-made'")
    assert not out.exists()


def test_export_failure_leaves_no_partial_file(invoke, project_copy, tmp_path):
    (project_copy / "data" / "functional-map" / "functions.csv").unlink()
    out = tmp_path / "graph.nt"
    one_line_error(invoke("--root", project_copy, "export", "--format", "nt", "--output", out), "functions.csv", "missing")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["project"]  # no temporary file left behind either


def test_unknown_query_name(invoke):
    one_line_error(invoke("query", "nos-lineag"), "unknown query 'nos-lineag'", "nos-lineage")


@pytest.mark.parametrize("param", ["nos", "=GS CC AA1.1", "no s=x"])
def test_malformed_param(invoke, param):
    one_line_error(invoke("query", "nos-lineage", "--param", param), "malformed --param")


def test_unknown_and_missing_param(invoke):
    one_line_error(invoke("query", "nos-lineage", "--param", "colour=red"), "unknown parameter 'colour'")
    one_line_error(invoke("query", "nos-lineage"), "missing required parameter(s) nos")


def test_hostile_param_through_the_command(invoke):
    # an entity parameter: resolved first, so the text names no NOS (one line, nothing run)
    one_line_error(invoke("query", "nos-lineage", "--param", 'nos=GS CC AA1.1" } UNION { ?s ?p ?o } #', "--format", "csv"),
                   "no NOS with code or name")
    # a plain one: bound as one term, it matches nothing
    result = invoke("query", "mappings-below-confidence", "--param", "below=1", "--param",
                    'mappingSet=nos-unit" } UNION { ?s ?p ?o } #', "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 1  # the header only: no row matched


def test_invalid_sparql_file(invoke, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("SELECT * WHERE { ?s ?p }", encoding="utf-8")
    one_line_error(invoke("query", "--file", query), str(query), "invalid SPARQL")


def test_service_refused_from_the_command(invoke, tmp_path):
    query = tmp_path / "service.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", encoding="utf-8")
    one_line_error(invoke("query", "--file", query), "SERVICE is not allowed")


def test_not_a_project(invoke, tmp_path):
    one_line_error(invoke("--root", tmp_path, "stats"), "not a ccgraph project")


def test_name_and_file_together_refused(invoke, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    one_line_error(invoke("query", "nos-lineage", "--file", query), "either")


# ---------------------------------------------------------------- entity parameters, resolved


def curated_rows(project, nos_code: str) -> set[tuple[str, str]]:
    """(unit number, confidence) of the nos-unit mapping set's rows for one Functional Map NOS, read from the TSV."""
    path = project.data_dir / "mappings" / "nos-unit.sssom.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    subject = "gccfm:" + nos_code.replace(" ", "-")
    return {(r["object_id"].removeprefix("cg3412:"), r["confidence"]) for r in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
            if r["subject_id"] == subject and r["object_id"].startswith("cg3412:")}


@pytest.mark.parametrize("typed", ["GS CC DA1.1", "GS-CC-DA1.1", "gs cc da1.1"])
def test_query_resolves_an_entity_parameter(invoke, project, typed):
    result = invoke("query", "units-for-nos", "--param", f"nos={typed}", "--format", "csv")
    assert result.exit_code == 0, result.output
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = curated_rows(project, "GS CC DA1.1")
    assert expected and {(r["unit"], r["confidence"]) for r in found} == expected
    assert {r["provenance"] for r in found} == {"curated"} and {r["mappingSet"] for r in found} == {"nos-unit"}


def test_unknown_and_ambiguous_entities_are_one_line_with_the_closest(invoke, seeds_dir):
    import seed_eskills

    leader = next(r for r in seed_eskills.roles(seeds_dir) if r.startswith("Customer Service Team Leader"))
    one_line_error(invoke("trace", "--role", "team leader"), "--role: no role with code or name 'team leader'", "did you mean", f"'{leader}'")
    one_line_error(invoke("query", "units-for-nos", "--param", "nos=B4"), "parameter nos", "ambiguous",
                   "ccgid:suite/customer-service/B4", "ccgid:suite/management-and-leadership/B4")
    one_line_error(invoke("query", "unit-outcomes", "--param", "unit=2O4"), "no unit with code or name '2O4'")
    one_line_error(invoke("check-plan", "-q", "3412-3"), "--qualification", "did you mean '3412-03'")


def test_trace_starts_from_a_name_in_any_case_or_from_an_iri(invoke, seeds_dir):
    import seed_eskills

    role = next(r for r in seed_eskills.roles(seeds_dir) if r.startswith("Customer Service Team Leader"))
    data = json.loads(invoke("trace", "--role", role.lower(), "--format", "json").stdout)
    assert data["paths"] and {p["nodes"][-1]["label"] for p in data["paths"]} == {role}
    iri = "https://w3id.org/ccgraph/id/suite/customer-service/B4"  # 'B4' alone names two NOS
    data = json.loads(invoke("trace", "--nos", iri, "--format", "json").stdout)
    assert data["paths"] and {n["iri"] for p in data["paths"] for n in p["nodes"] if n["kind"] == "nos"} == {iri}


def test_check_plan_takes_the_qualification_by_title(invoke, seeds_dir):
    import seed_qualifications

    title = seed_qualifications.cg_qualifications(seeds_dir)["3412-03"]["title"]
    by_code = invoke("check-plan", "-q", "3412-03", "-u", "101,201,202,203,204,208,209")
    by_title = invoke("check-plan", "-q", title.lower(), "-u", "101,201,202,203,204,208,209")
    assert by_code.exit_code == by_title.exit_code == 0 and by_title.stdout == by_code.stdout


# ---------------------------------------------------------------- find


def test_find_ranks_codes_and_filters_kinds(invoke, seeds_dir):
    seed = seed_functional_map.read(seeds_dir)
    data = json.loads(invoke("find", "GS CC BA", "--kind", "nos", "--limit", "0", "--format", "json").stdout)
    assert [h["notation"] for h in data] == sorted(c for c in seed.standards if c.startswith("GS CC BA"))
    assert {h["kind"] for h in data} == {"nos"} and {h["matched"] for h in data} == {"notation"}
    exact = json.loads(invoke("find", "gs-cc-ba3.1", "--format", "json").stdout)[0]
    assert (exact["notation"], exact["label"], exact["matched"]) == ("GS CC BA3.1", seed.standards["GS CC BA3.1"].title, "notation")


def test_find_in_every_format(invoke, seeds_dir):
    import seed_eskills

    leaders = {r for r in seed_eskills.roles(seeds_dir) if "Team Leader" in r}
    rows = list(csv.DictReader(io.StringIO(invoke("find", "team", "leader", "--kind", "role", "--format", "csv").stdout)))
    assert {r["label"] for r in rows} == leaders and {r["kind"] for r in rows} == {"role"}
    table = invoke("find", "team", "leader", "--kind", "role")
    assert table.exit_code == 0 and all(name in table.stdout for name in leaders) and f"{len(leaders)} match(es)" in table.stdout


def test_find_nothing_says_so_with_exit_1(invoke):
    result = invoke("find", "zzqxv")
    assert result.exit_code == 1 and result.stdout == "" and "nothing matches 'zzqxv'" in result.stderr
    assert json.loads(invoke("find", "zzqxv", "--format", "json").stdout) == []
    one_line_error(invoke("find", " "), "give some text")
    assert invoke("find", "x", "--kind", "colour").exit_code == 2


# ---------------------------------------------------------------- rough edges: one line, exit 2, nothing half-written


def test_rdf_format_for_a_select_is_one_line(invoke):
    one_line_error(invoke("query", "nos-count-by-key-area", "--format", "ttl"), "--format ttl", "table")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_export_where_no_file_can_be_made(invoke):
    one_line_error(invoke("export", "--format", "nt", "--output", "/proc/x.nt"), "/proc/x.nt", "cannot create a file in /proc")


def test_export_to_a_folder_or_into_a_missing_one(invoke, tmp_path):
    one_line_error(invoke("export", "--format", "nt", "--output", tmp_path), str(tmp_path), "is a folder")
    missing = tmp_path / "no" / "such" / "graph.nt"
    one_line_error(invoke("export", "--format", "nt", "--output", missing), "no such folder")
    assert list(tmp_path.iterdir()) == []  # neither the folders nor a temporary file


def test_a_data_table_that_is_not_utf8_names_file_and_line(invoke, project_copy, tmp_path):
    table = project_copy / "data" / "functional-map" / "nos.csv"
    lines = table.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"e", b"\xe9", 1)  # a Latin-1 e-acute on line 5
    table.write_bytes(b"\n".join(lines))
    out = tmp_path / "out.trig"
    one_line_error(invoke("--root", project_copy, "build", "--output", out), f"{table}:5:", "not UTF-8", "0xe9")
    assert not out.exists()


def test_a_query_file_that_is_not_text(invoke, tmp_path):
    one_line_error(invoke("query", "--file", sys.executable), sys.executable, "not a SPARQL query", "binary")
    latin = tmp_path / "latin.rq"
    latin.write_bytes("SELECT * WHERE { ?s ?p ?o }\n# café\n".encode("latin-1"))
    one_line_error(invoke("query", "--file", latin), f"{latin}:2:", "not UTF-8")


@pytest.mark.parametrize("endpoint", ["notaurl", "ftp://example.org/sparql", "http://", "http://host:port/x"])
def test_an_endpoint_that_is_not_a_url(invoke, endpoint):
    one_line_error(invoke("query", "nos-count-by-key-area", "--endpoint", endpoint), f"--endpoint {endpoint!r}", "not an http(s) URL")


def test_stale_part_files_are_removed_by_the_next_write(tmp_path):
    """A SIGKILL leaves '.NAME.*.part' behind: the next write of NAME removes it once it is a minute old."""
    from ccgraph.graph.rdfio import atomic_output

    out = tmp_path / "graph.nt"
    old, fresh, other = tmp_path / ".graph.nt.k1ll3d.part", tmp_path / ".graph.nt.busy.part", tmp_path / ".other.nt.k1ll3d.part"
    for path in (old, fresh, other):
        path.write_text("half", encoding="utf-8")
    two_minutes_ago = time.time() - 120
    for path in (old, other):
        os.utime(path, (two_minutes_ago, two_minutes_ago))
    with atomic_output(out) as handle:
        handle.write("whole")
    # another writer's file (touched just now) and another target's are not this write's to remove
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, fresh.name, other.name])
    assert out.read_text(encoding="utf-8") == "whole"


def test_sigterm_while_writing_leaves_no_partial_file(tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, time
        from ccgraph.graph.rdfio import atomic_output
        with atomic_output({str(tmp_path / 'out.txt')!r}) as handle:
            handle.write("half of it")
            handle.flush()
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
            handle.write("the rest")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_file_written_is_confirmed_on_stderr_in_one_style(invoke, tmp_path):
    commands = {
        "graph.nt": ("export", "--format", "nt", "--output"),
        "matrix.csv": ("matrix", "--format", "csv", "--output"),
        "trace.svg": ("trace", "--nos", "19", "--format", "svg", "--output"),
        "nos-unit.sssom.tsv": ("mappings", "export", "--set", "nos-unit", "--output"),
    }
    for name, args in commands.items():
        out = tmp_path / name
        result = invoke(*args, out)
        assert result.exit_code == 0 and out.is_file(), result.output
        assert result.stdout == "" and notices(result.stderr) == [], result.output
        (line,) = [line for line in result.stderr.splitlines() if line.startswith("wrote ")]
        assert re.fullmatch(rf"wrote {re.escape(str(out))} \(.+\)", line), line
    mappings = tmp_path / "nos-unit.sssom.tsv"
    rows = [line for line in mappings.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert f"(sssom, {len(rows) - 1} mappings)" in invoke("mappings", "export", "--set", "nos-unit", "--output", mappings).stderr


def test_no_color_is_honoured(tmp_path):
    runner = CliRunner()
    coloured = runner.invoke(cli, ["query", "nos-count-by-key-area"], env={"FORCE_COLOR": "1", "NO_COLOR": None})
    plain = runner.invoke(cli, ["query", "nos-count-by-key-area"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert coloured.exit_code == plain.exit_code == 0
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout and "Counts per key area" in plain.stdout


def test_tables_keep_their_width_when_piped(invoke, seeds_dir):
    import seed_qualifications

    (title,) = seed_qualifications.cg_units(seeds_dir)["204"]["titles"]
    result = invoke("query", "units-for-nos", "--param", "nos=19")  # ten columns: far wider than 80
    row = next(line for line in result.stdout.splitlines() if " 204 " in line)
    assert title in row and len(row) > 80


HELPED = ["build", "validate", "query", "list-queries", "export", "stats", "check-plan", "matrix", "reason", "vendor",
          "trace", "push", "find", "mappings", "mappings derive", "mappings export", "mappings coverage"]


@pytest.mark.parametrize("command", HELPED)
def test_every_command_help_has_an_example(invoke, command):
    words = command.split()
    text = invoke(*words, "--help").stdout
    example = text[text.index("Example:"):]
    assert re.search(rf"^\s+ccgraph {re.escape(words[0])}\b", example, re.MULTILINE), text


def test_mappings_coverage_matches_the_tsvs(invoke, project):
    expected = {}
    for path in sorted((project.data_dir / "mappings").glob("*.sssom.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))
        subjects = {r["subject_id"] for r in rows}
        matched = {r["subject_id"] for r in rows if r["object_id"] != "sssom:NoTermFound"}
        expected[path.name.removesuffix(".sssom.tsv")] = {"mappings": len(rows), "subjects": len(subjects), "matched": len(matched),
                                                          "no_match": len(subjects - matched)}
    assert json.loads(invoke("mappings", "coverage", "--format", "json").stdout) == expected
    table = invoke("mappings", "coverage")
    assert table.exit_code == 0 and all(name in table.stdout for name in expected)
    assert "coverage" in invoke("mappings", "--help").stdout
