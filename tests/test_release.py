"""`ccgraph release`: every part of a release is there, says what the store holds, is accepted by the
tools its formats belong to (sssom-py, sha256sum, JSON-LD and RDF parsers, the release shapes), and is
the same, byte for byte, when made again in another process.

One release is made per module (into a temporary folder) from the project's built store; checks that
must be seen to fail are run again on a broken copy.
"""

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from ccgraph.checks.validate import load_shapes, validate
from ccgraph.cli import cli
from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.publish.folder import staged_folder
from ccgraph.publish.model import ReleaseOptions
from ccgraph.publish.mappings import mapping_files
from ccgraph.publish.release import check_description, release
from ccgraph.publish.void import DCAT, SPDX, VOID, describe

import seed_functional_map

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VERSION = "0.1.0"
SSSOM = Path(sys.executable).with_name("sssom")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def released(store, project, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("release") / f"ccgraph-{VERSION}"
    release(store, project, ReleaseOptions(VERSION), folder)
    return folder


@pytest.fixture(scope="module")
def description(released) -> Graph:
    return Graph().parse(released / "void.ttl", format="turtle", publicID=released.as_uri() + "/")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def release_iri(version: str = VERSION) -> URIRef:
    return URIRef(f"https://w3id.org/ccgraph/dataset/{version}")


# ---------------------------------------------------------------- what a release holds


def test_release_holds_every_part(released, store):
    graphs = [g.value.rsplit("/", 1)[-1] for g in store.named_graphs]
    classes = {c.rsplit("#", 1)[-1] for (c,) in store.select(
        "SELECT DISTINCT ?c WHERE { ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(ccg:))) }").values()}
    sets = [p.name for p in (REPO / "data" / "mappings").glob("*.sssom.tsv")]
    expected = {"ccgraph.trig", "ccgraph.nq", "ccgraph.jsonld", "context/ccgraph.jsonld", "void.ttl", "SHA256SUMS",
                *(f"parts/{g}.ttl" for g in graphs), *(f"tables/{c}.csv" for c in classes), *(f"mappings/{s}" for s in sets),
                "ctdl/competency-framework.jsonld", "ctdl/qualifications.jsonld", "ontology/index.html"}
    assert len(graphs) == 8 and "alignment" in graphs and len(sets) == 5
    assert {"Unit", "NationalOccupationalStandard", "Competency", "Role"} <= classes
    assert set(files_of(released)) == expected
    assert not released.with_name(released.name + ".part").exists()


def test_release_is_byte_reproducible_across_processes(released, store, tmp_path):
    """Made again in another process, with another hash seed (rdflib's set order changes with it)."""
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    run = subprocess.run([sys.executable, "-m", "ccgraph.cli", "--root", str(REPO), "release", "--version", VERSION,
                          "--output", str(again)], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    first, second = files_of(released), files_of(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_quad_files_and_parts_hold_the_asserted_graphs(released, store):
    expected = set(_quads(store.quads()))
    for name in ("ccgraph.nq", "ccgraph.trig"):
        assert set(_quads(Store.from_files([released / name]).quads())) == expected, name
    for graph in store.named_graphs:
        part = ox.Store()
        part.load(path=str(released / "parts" / f"{graph.value.rsplit('/', 1)[-1]}.ttl"), format=ox.RdfFormat.TURTLE)
        assert set(_quads(part, graph)) == {q for q in expected if q[3] == graph.value}, graph.value
    assert "id/graph/closure" not in (released / "ccgraph.nq").read_text(encoding="utf-8")  # asserted graphs only


def _quads(quads, graph=None):
    """Quads as comparable tuples; blank nodes (property-chain lists) all read as one, their number checked by the set."""
    def term(t):
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)
    for q in quads:
        yield term(q.subject), term(q.predicate), term(q.object), graph.value if graph is not None else q.graph_name.value


def test_nquads_lines_are_sorted_so_a_diff_is_a_real_change(released):
    lines = (released / "ccgraph.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


def test_jsonld_refers_to_its_published_context_and_expands_to_the_dataset(released, store, tmp_path):
    document = json.loads((released / "ccgraph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == "context/ccgraph.jsonld"
    context = json.loads((released / "context" / "ccgraph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["prefLabel"] == "skos:prefLabel" and context["notation"] == "skos:notation"
    assert context["source"] == "dcterms:source" and context["Unit"] == "ccg:Unit" and context["sourceLocator"] == "ccg:sourceLocator"
    assert context["ccg"] == "https://w3id.org/ccgraph/ontology#"
    assert "prefLabel" in json.dumps(document) and "http://www.w3.org/2004/02/skos/core#prefLabel" not in json.dumps(document)
    reference = store.to_rdflib()
    assert _expands_to(released, reference)
    broken = tmp_path / "broken"  # the same document with a context that maps one term elsewhere: the check must see it
    shutil.copytree(released, broken)
    (broken / "context" / "ccgraph.jsonld").write_text(json.dumps({"@context": {**context, "prefLabel": "skos:altLabel"}}), encoding="utf-8")
    assert not _expands_to(broken, reference)


def _expands_to(folder: Path, reference: Dataset) -> bool:
    again = Dataset()
    again.parse(folder / "ccgraph.jsonld", format="json-ld")  # the relative context resolves beside the document
    named = [g for g in reference.graphs() if len(g)]
    return all(isomorphic(g, again.graph(g.identifier)) for g in named) and sum(len(g) for g in again.graphs()) == sum(map(len, named))


# ---------------------------------------------------------------- tables


def _table(folder: Path, name: str) -> list[dict]:
    with open(folder / "tables" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_tables_have_one_row_per_entity_with_its_code_label_parent_and_source(released, store, seeds_dir):
    rows = _table(released, "Function")
    assert list(rows[0]) == ["iri", "code", "label", "parent", "parent_iri", "source_locator", "source_document", "source_file"]
    seed = seed_functional_map.read(seeds_dir)
    assert {r["code"]: (r["label"], r["parent"]) for r in rows} == seed.functions
    assert all(r["source_file"] == seed_functional_map.SEED and r["source_locator"] and r["iri"].startswith("https://") for r in rows)
    standards = {r["code"]: r for r in _table(released, "NationalOccupationalStandard")}
    for code, standard in seed.standards.items():
        assert (standards[code]["label"], standards[code]["parent"]) == (standard.title, standard.function), code
    for path in sorted((released / "tables").glob("*.csv")):
        name = path.stem
        count = store.select(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ccg:{name} }}").values()[0][0]
        table = _table(released, name)
        assert len(table) == count == len({r["iri"] for r in table}), name


def test_tables_join_several_values_and_run_in_natural_order(released):
    organisations = {r["iri"].rsplit("/", 1)[-1]: r for r in _table(released, "Organisation")}
    both = organisations["council-for-administration"]
    assert both["source_file"] == "004_b9e4e2b2d465afe3.txt | 003_8321c74646ce9f55.txt"
    assert both["source_document"].split(" | ") == ["Government Contact Centres Functional Map", "NVQ in Contact Centre Operations (3412)"]
    codes = [r["code"] for r in _table(released, "Unit") if "/ocr-contact-centre/10265/" in r["iri"]]
    assert codes[:11] == [str(n) for n in range(1, 12)] and codes == sorted(codes, key=int)  # 2 before 10
    raw = (released / "tables" / "Unit.csv").read_bytes()
    assert raw.count(b"\r\n") == len(_table(released, "Unit")) + 1  # RFC 4180 line ends, as text/csv says


# ---------------------------------------------------------------- mapping sets


SETS = sorted(p.name.removesuffix(".sssom.tsv") for p in (REPO / "data" / "mappings").glob("*.sssom.tsv"))


def _sssom_py_accepts(paths: list[Path], workdir: Path) -> dict[str, str]:
    """sssom-py's own command line (its click group, in this process: the code `.venv/bin/sssom` runs)
    converting each file to OWL and to RDF and validating it; what failed, and why."""
    from sssom.cli import main as sssom_cli

    failures = {}
    for path in paths:
        for label, arguments in (("owl", ["convert", str(path), "-O", "owl", "-o", str(workdir / f"{path.name}.owl")]),
                                 ("rdf", ["convert", str(path), "-O", "rdf", "-o", str(workdir / f"{path.name}.rdf")]),
                                 ("validate", ["validate", str(path)])):
            result = CliRunner().invoke(sssom_cli, arguments)
            if result.exit_code != 0:
                failures[f"{path.name} {label}"] = f"{type(result.exception).__name__}: {result.exception}"
            elif label != "validate" and (workdir / f"{path.name}.{label}").stat().st_size == 0:
                failures[f"{path.name} {label}"] = "empty output"
    return failures


def test_sssom_py_converts_and_validates_every_released_set(released, tmp_path):
    paths = [released / "mappings" / f"{name}.sssom.tsv" for name in SETS]
    assert _sssom_py_accepts(paths, tmp_path) == {}
    if SSSOM.is_file():  # and once through the installed command itself, as a user would run it
        run = subprocess.run([str(SSSOM), "convert", str(paths[0]), "-O", "owl", "-o", str(tmp_path / "cli.owl")],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0 and (tmp_path / "cli.owl").stat().st_size > 0, run.stderr[-500:]
    # A bare file name as a source (what the sets held before) must fail the same check.
    bad = tmp_path / "bare-source.sssom.tsv"
    bad.write_text(paths[0].read_text(encoding="utf-8").replace("ccgsrc:003_8321c74646ce9f55", "003_8321c74646ce9f55.txt"), encoding="utf-8")
    failures = _sssom_py_accepts([bad], tmp_path)
    assert "bare-source.sssom.tsv owl" in failures and "CURIE" in failures["bare-source.sssom.tsv owl"]


@pytest.mark.parametrize("name", SETS)
def test_released_sets_carry_their_metadata_and_the_graphs_rows(released, name):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate as sssom_validate

    from ccgraph.sources import sssom

    path = released / "mappings" / f"{name}.sssom.tsv"
    mapping_set = sssom.read(path)
    metadata = mapping_set.metadata
    assert metadata["mapping_set_version"] == VERSION
    assert metadata["mapping_set_id"] == f"https://w3id.org/ccgraph/id/mappings/{name}"
    assert metadata["mapping_set_title"] and metadata["license"] == str(CC_BY) and metadata["creator_id"] == ["w3id:ccgraph"]
    assert "publication_date" not in metadata  # no date unless one is given
    sources = {row[slot] for row in mapping_set.rows for slot in ("subject_source", "object_source")}
    assert sources and all(s.startswith("ccgsrc:") for s in sources) and "ccgsrc" in metadata["curie_map"]
    source = sssom.read(REPO / "data" / "mappings" / f"{name}.sssom.tsv")
    strip = lambda rows: sorted(tuple(sorted((k, v) for k, v in r.items() if k != "_line")) for r in rows)
    assert strip(mapping_set.rows) == strip(source.rows)
    frame = parse_sssom_table(path)
    report = sssom_validate(frame, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness,
                                    SchemaValidationType.StrictCurieFormat], fail_on_error=False)
    assert all(not r.results for r in report.values()), report


# ---------------------------------------------------------------- the description


def test_description_conforms_to_the_release_shapes(description, project):
    report = validate(description, load_shapes(project.shapes_dir / "release"))
    assert report.conforms, [f.as_dict() for f in report.findings]


def test_invalid_description_fixture_breaks_the_shapes_where_it_says(project):
    report = validate(Graph().parse(HERE / "release" / "invalid-void.ttl"), load_shapes(project.shapes_dir / "release"))
    release, nq, csv_file = "https://w3id.org/ccgraph/dataset/9.9.9", "https://w3id.org/ccgraph/dataset/9.9.9/distribution/ccgraph.nq", \
        "https://w3id.org/ccgraph/dataset/9.9.9/distribution/tables/Unit.csv"
    found = {(f.focus_node, f.path, f.component.rsplit("#", 1)[-1]) for f in report.findings if f.focus_node.startswith("https://")}
    assert found == {
        (release, "dcterms:license", "MinCountConstraintComponent"),
        (release, "dcterms:license", "HasValueConstraintComponent"),
        (release, "void:subset", "NodeConstraintComponent"),
        ("https://w3id.org/ccgraph/id/graph/functional-map", "void:triples", "MinCountConstraintComponent"),
        (nq, "dcat:byteSize", "MinCountConstraintComponent"),
        (nq, "dcat:mediaType", "PatternConstraintComponent"),
        (csv_file, "spdx:checksum", "NodeConstraintComponent"),
    }
    assert not report.conforms


def test_data_shapes_leave_the_release_shapes_out(shapes):
    """shapes/*.ttl validate the data; shapes/release/ is not among them."""
    assert (URIRef("https://w3id.org/ccgraph/shapes#Release"), None, None) not in shapes
    assert (URIRef("https://w3id.org/ccgraph/shapes#TranscribedEntity"), None, None) in shapes


def test_description_describes_every_file_as_it_is(description, released):
    data = files_of(released)
    described = {}
    for distribution in description.objects(release_iri(), DCAT.distribution):
        url = description.value(distribution, DCAT.downloadURL)
        path = str(url).removeprefix(released.as_uri() + "/")
        checksum = description.value(distribution, SPDX.checksum)
        described[path] = (int(description.value(distribution, DCAT.byteSize)), str(description.value(checksum, SPDX.checksumValue)),
                           str(description.value(distribution, DCAT.mediaType)).rsplit("media-types/", 1)[-1])
    assert set(described) == set(data) - {"void.ttl", "SHA256SUMS"}
    for path, (size, digest, media_type) in described.items():
        assert (size, digest) == (len(data[path]), hashlib.sha256(data[path]).hexdigest()), path
    assert described["ccgraph.trig"][2] == "application/trig" and described["tables/Unit.csv"][2] == "text/csv"
    assert described["mappings/nos-unit.sssom.tsv"][2] == "text/tab-separated-values"


def test_description_says_what_the_store_holds(description, store, project):
    dataset = release_iri()
    one = lambda p: description.value(dataset, p)
    assert set(description.objects(dataset, RDF.type)) == {DCAT.Dataset, VOID.Dataset}
    assert one(DCTERMS.license) == CC_BY and one(DCAT.version) == Literal(VERSION)
    assert one(VOID.sparqlEndpoint) == URIRef("http://localhost:8000/sparql")
    assert one(DCTERMS.issued) is None  # no timestamp unless --date
    assert int(one(VOID.triples)) == store.triple_count()
    subsets = {str(s): int(description.value(s, VOID.triples)) for s in description.objects(dataset, VOID.subset)}
    assert subsets == {g: n for g, n in store.graph_sizes().items() if g}
    vocabularies = set(map(str, description.objects(dataset, VOID.vocabulary)))
    assert {"https://w3id.org/ccgraph/ontology#", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
            "https://w3id.org/sssom/"} <= vocabularies and not any(v.startswith("https://w3id.org/ccgraph/id/") for v in vocabularies)
    sources = Graph().parse(project.data_dir / "sources.ttl")
    documents = set(sources.subjects(RDF.type, URIRef("https://w3id.org/ccgraph/ontology#SourceDocument")))
    assert set(description.objects(dataset, DCTERMS.source)) == documents and len(documents) == 5
    partitions = {str(description.value(p, VOID["class"])): int(description.value(p, VOID.entities))
                  for p in description.objects(dataset, VOID.classPartition)}
    units = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ccg:Unit }").values()[0][0]
    assert partitions["https://w3id.org/ccgraph/ontology#Unit"] == units == 230


def test_sha256sums_cover_every_other_file_and_sha256sum_checks_them(released, tmp_path):
    listed = dict(reversed(line.split("  ", 1)) for line in (released / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    data = files_of(released)
    assert set(listed) == set(data) - {"SHA256SUMS"}
    assert all(listed[path] == hashlib.sha256(data[path]).hexdigest() for path in listed)
    assert list(listed) == sorted(listed)
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=released, capture_output=True).returncode == 0
        copy = tmp_path / "copy"
        shutil.copytree(released, copy)
        (copy / "tables" / "Unit.csv").write_bytes(b"changed\r\n")
        assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=copy, capture_output=True).returncode != 0


def test_date_base_url_and_endpoint_options(store, project):
    """Described over the mapping sets alone (the other files are the same with any options)."""
    options = ReleaseOptions("0.2.0-rc.1", "2026-12-01", "https://example.org/ccgraph/0.2.0/", "https://example.org/sparql")
    sets = mapping_files(store.union_rdflib(), project, options)
    files = {f.path: f.data for f in [*sets, describe(store, sets, options)]}
    check_description(files["void.ttl"], project)
    graph = Graph().parse(data=files["void.ttl"], format="turtle")
    dataset = release_iri("0.2.0-rc.1")
    assert graph.value(dataset, DCTERMS.issued) == Literal("2026-12-01", datatype=XSD.date)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef("https://example.org/sparql")
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)}
    assert "https://example.org/ccgraph/0.2.0/mappings/nos-unit.sssom.tsv" in urls and all(u.startswith("https://example.org/ccgraph/0.2.0/") for u in urls)
    header = files["mappings/nos-unit.sssom.tsv"].decode("utf-8")
    assert "#mapping_set_version: 0.2.0-rc.1\n" in header and "#publication_date: '2026-12-01'\n" in header


# ---------------------------------------------------------------- the command and its folder


@pytest.mark.parametrize("arguments,message", [
    (["--version", "1 0"], "--version '1 0'"),
    (["--version", "1.0", "--date", "2026-13-01"], "--date '2026-13-01'"),
    (["--version", "1.0", "--base-url", "ftp://example.org/"], "--base-url"),
    (["--version", "1.0", "--endpoint-url", "localhost:8000"], "--endpoint-url"),
])
def test_bad_options_are_one_line_errors(arguments, message, tmp_path):
    result = CliRunner().invoke(cli, ["--root", str(REPO), "release", *arguments, "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.startswith("Error: ") and message in result.output, result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.part").exists()


def test_a_folder_that_holds_files_is_kept_unless_forced(tmp_path):
    target = tmp_path / "dist"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(REPO), "release", "--version", "1.0", "--output", str(target)])
    assert result.exit_code == 2 and "not empty" in result.output and "--force" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_staged_folder_is_all_or_nothing(tmp_path):
    target = tmp_path / "dist"
    with pytest.raises(RuntimeError):
        with staged_folder(target) as staging:
            (staging / "half.txt").write_text("half", encoding="utf-8")
            raise RuntimeError("stopped half-way")
    assert not target.exists() and not (tmp_path / "dist.part").exists()
    with staged_folder(target) as staging:
        (staging / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(CcgraphError, match="not empty"):
        with staged_folder(target):
            pass
    with staged_folder(target, force=True) as staging:
        (staging / "new.txt").write_text("new", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"] and [p.name for p in target.iterdir()] == ["new.txt"]


def test_force_never_replaces_the_current_folder_or_the_project(tmp_path, monkeypatch, project):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "work.txt").write_text("keep", encoding="utf-8")
    for target, keep in ((tmp_path, ()), (project.root.parent, (project.root,))):
        with pytest.raises(CcgraphError, match="folder of its own"):
            with staged_folder(target, force=True, keep=keep):
                pass
    assert (tmp_path / "work.txt").read_text(encoding="utf-8") == "keep"


def test_help_stays_fast_the_release_code_loads_only_when_run():
    code = "import sys, ccgraph.cli; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'ccgraph.publish.release') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
    assert "release" in CliRunner().invoke(cli, ["--help"]).output


# ---------------------------------------------------------------- CTDL / CTDL-ASN files and the ontology page


CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
CTID = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# The registry's contexts (credreg.net/ctdl[asn]/schema/context/json) are not fetched by the tests: this
# is the part of them these files rely on, references coerced to IRIs and text read as language maps.
_REFERENCES = ["ceasn:isPartOf", "ceasn:isTopChildOf", "ceasn:isChildOf", "ceasn:hasChild", "ceasn:hasTopChild", "ceterms:offeredBy"]
_LANGUAGE_MAPS = ["ceasn:name", "ceasn:description", "ceasn:competencyText", "ceasn:competencyCategory", "ceasn:comment",
                  "ceasn:publisherName", "ceterms:name", "ceterms:alternateName", "ceterms:identifierTypeName"]
REGISTRY_CONTEXT = {"ceterms": CETERMS, "ceasn": CEASN, **{t: {"@type": "@id"} for t in _REFERENCES},
                    **{t: {"@container": "@language"} for t in _LANGUAGE_MAPS}}


def ctdl_graph(document: dict, context: dict = REGISTRY_CONTEXT) -> Graph:
    return Graph().parse(data=json.dumps({**document, "@context": context}), format="json-ld")


@pytest.fixture(scope="module")
def framework_document(released) -> dict:
    return json.loads((released / "ctdl" / "competency-framework.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def qualifications_document(released) -> dict:
    return json.loads((released / "ctdl" / "qualifications.jsonld").read_text(encoding="utf-8"))


def test_ctdl_asn_framework_is_the_competency_tree(framework_document, store):
    from ccgraph.publish.ctdl import CTDLASN_CONTEXT, ctid

    assert framework_document["@context"] == CTDLASN_CONTEXT == "https://credreg.net/ctdlasn/schema/context/json"
    nodes = {node["@id"]: node for node in framework_document["@graph"]}
    assert len(nodes) == len(framework_document["@graph"])
    frameworks = [n for n in nodes.values() if n["@type"] == "ceasn:CompetencyFramework"]
    competencies = {i: n for i, n in nodes.items() if n["@type"] == "ceasn:Competency"}
    assert [f["@id"] for f in frameworks] == ["https://w3id.org/ccgraph/id/eskills-framework"]
    framework = frameworks[0]
    assert framework["ceasn:name"] == {"en": "Contact Centre Career and Skills Framework"}
    assert framework["ceasn:publisherName"] == {"en": ["e-skills UK"]}  # the source document's dcterms:publisher
    # The same statements a CTDL-ASN query finds in the graph over the closure (the alignment module).
    in_graph = {c for (c,) in store.select(
        "PREFIX ceasn: <https://purl.org/ctdlasn/terms/> SELECT DISTINCT ?c WHERE { ?c a ceasn:Competency }", closure=True).values()}
    assert set(competencies) == in_graph and len(in_graph) == 82
    facts = {row[0]: row[1:] for row in store.select("""SELECT ?c ?code ?title ?parent WHERE {
        ?c skos:inScheme <https://w3id.org/ccgraph/id/eskills-framework> ; skos:notation ?code ; skos:prefLabel ?title .
        OPTIONAL { ?c skos:broader ?parent } }""").values() if row[0] in competencies}
    children = {}
    for iri, node in competencies.items():
        code, title, parent = facts[iri]
        assert node["ceasn:competencyText"] == {"en": title} and node["ceasn:codedNotation"] == code, iri
        assert node["ceterms:ctid"] == ctid(iri) and CTID.fullmatch(node["ceterms:ctid"]), iri
        assert node["ceasn:isPartOf"] == framework["@id"] and node["ceasn:inLanguage"] == ["en"]
        if parent is None:
            assert node["ceasn:isTopChildOf"] == framework["@id"] and "ceasn:isChildOf" not in node
        else:
            assert node["ceasn:isChildOf"] == [parent] and "ceasn:isTopChildOf" not in node
            children.setdefault(parent, []).append(iri)
    assert {i: sorted(n.get("ceasn:hasChild", [])) for i, n in competencies.items()} == \
        {i: sorted(children.get(i, [])) for i in competencies}  # hasChild mirrors isChildOf, which mirrors skos:broader
    assert framework["ceasn:hasTopChild"] == [f"{framework['@id']}/{letter}" for letter in "ABCDEF"]
    levels = {n["ceasn:competencyCategory"]["en"] for n in competencies.values()}
    assert levels == {"Competency category", "Competency subcategory", "Competency"}
    assert len({n["ceterms:ctid"] for n in nodes.values()}) == len(nodes)


def test_ctdl_files_expand_to_rdf_with_the_registry_contexts(framework_document, qualifications_document):
    graph = ctdl_graph(framework_document)
    part_of = list(graph.objects(None, URIRef(CEASN + "isPartOf")))
    assert len(part_of) == 82 and all(isinstance(o, URIRef) for o in part_of)
    texts = list(graph.objects(None, URIRef(CEASN + "competencyText")))
    assert len(texts) == 82 and all(isinstance(t, Literal) and t.language == "en" for t in texts)
    offered = list(ctdl_graph(qualifications_document).objects(None, URIRef(CETERMS + "offeredBy")))
    assert len(offered) == 8 and all(isinstance(o, URIRef) for o in offered)
    # Read without the coercions the files rely on, the references would be strings: the check can fail.
    bare = ctdl_graph(framework_document, {"ceterms": CETERMS, "ceasn": CEASN})
    assert not any(isinstance(o, URIRef) for o in bare.objects(None, URIRef(CEASN + "isPartOf")))


def test_ctdl_qualifications_are_certificates_offered_by_their_awarding_bodies(qualifications_document, store):
    from ccgraph.publish.ctdl import CTDL_CONTEXT, ctid

    assert qualifications_document["@context"] == CTDL_CONTEXT == "https://credreg.net/ctdl/schema/context/json"
    graph = qualifications_document["@graph"]
    credentials = {n["@id"]: n for n in graph if n["@type"] == "ceterms:Certificate"}
    bodies = {n["@id"]: n for n in graph if n["@type"] == "ceterms:CredentialOrganization"}
    assert len(credentials) + len(bodies) == len(graph)
    facts = {q: (label, code, qan, body) for q, label, code, qan, body in store.select("""SELECT ?q ?label ?code ?qan ?body WHERE {
        ?q a ccg:Qualification ; skos:prefLabel ?label ; skos:notation ?code ; ccg:awardedBy ?body .
        OPTIONAL { ?q ccg:qualificationAccreditationNumber ?qan } }""").values()}
    assert set(credentials) == set(facts) and len(facts) == 8
    for iri, node in credentials.items():
        label, code, qan, body = facts[iri]
        assert node["ceterms:name"] == {"en": label} and node["ceterms:codedNotation"] == code, iri
        assert node["ceterms:offeredBy"] == [body] and node["ceterms:ctid"] == ctid(iri) and CTID.fullmatch(node["ceterms:ctid"])
        identifiers = [i["ceterms:identifierValueCode"] for i in node.get("ceterms:identifier", [])]
        assert identifiers == ([qan] if qan else []), iri
        for invented in ("ceterms:description", "ceterms:credentialStatusType", "ceterms:subjectWebpage", "ceterms:ownedBy"):
            assert invented not in node  # the sources print none of these
    assert {b: n["ceterms:name"]["en"] for b, n in bodies.items()} == {
        "https://w3id.org/ccgraph/id/org/city-and-guilds": "City & Guilds", "https://w3id.org/ccgraph/id/org/ocr": "OCR"}
    codes = [credentials[i]["ceterms:codedNotation"] for i in (n["@id"] for n in graph) if i in credentials]
    assert codes == ["3412-01", "3412-02", "3412-03", "3412-04", "3412-05", "10265", "10268", "10269"]  # natural order


def test_a_qualification_not_printed_as_an_nvq_gets_no_guessed_credential_type():
    from rdflib.namespace import SKOS

    from ccgraph.graph.namespaces import CCG
    from ccgraph.publish.ctdl import qualifications

    dataset = Dataset()
    part = dataset.graph(URIRef("https://w3id.org/ccgraph/id/graph/test"))
    q = URIRef("https://w3id.org/ccgraph/id/test/q1")
    part.add((q, RDF.type, CCG.Qualification))
    part.add((q, SKOS.prefLabel, Literal("Level 2 Award in Customer Service", lang="en")))
    with pytest.raises(CcgraphError, match="not printed as an NVQ"):
        qualifications(Store.from_rdflib(dataset))
    part.add((q, SKOS.altLabel, Literal("Level 2 NVQ Award in Customer Service", lang="en")))
    assert qualifications(Store.from_rdflib(dataset))["@graph"][0]["@type"] == "ceterms:Certificate"


PAGE_ID = re.compile(r'\sid="([^"]*)"')


def missing_anchors(html: str, terms) -> list[str]:
    """The ccg: terms the page has no element for at their IRI's fragment."""
    ids = set(PAGE_ID.findall(html))
    return [str(t) for t in terms if str(t).rsplit("#", 1)[1] not in ids]


def test_ontology_page_documents_every_class_and_property_at_its_iri_fragment(released, project):
    import logging

    from rdflib.namespace import OWL

    from ccgraph.graph.namespaces import CCG
    from ccgraph.publish.ontology_docs import anchor_for, render

    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    html = (released / "ontology" / "index.html").read_text(encoding="utf-8")
    assert render(project) == html  # the function the server serves at /ontology gives the released page
    assert (list(root.handlers), root.level) == before  # pyLODE leaves the caller's logging alone
    ontology = Graph().parse(project.ontology_dir / "ccgraph.ttl")  # read here, apart from the code under test
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    terms = sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(str(CCG))})
    assert len(terms) > 100 and missing_anchors(html, terms) == []
    assert all(anchor_for(t) == str(t).rsplit("#", 1)[1] for t in terms)
    ids = PAGE_ID.findall(html)
    assert len(ids) == len(set(ids))  # one element per id (a functional property's second entry is '-2')
    links = set(re.findall(r'href="#([^"]*)"', html))
    assert links and links <= set(ids)  # every link inside the page lands
    assert "<title>ccgraph ontology</title>" in html
    role = html[html.index('id="Role"'):]
    role = role[:role.index("</table>")]
    assert 'href="https://schema.org/Occupation"' in role and 'href="https://purl.org/ctdl/terms/WorkRole"' in role
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', html)  # nothing fetched by a browser
    # The check must be able to fail: pyLODE's own ids (from labels: 'Keyarea') do not match the IRIs.
    broken = html.replace('id="KeyArea"', 'id="Keyarea"')
    assert missing_anchors(broken, terms) == ["https://w3id.org/ccgraph/ontology#KeyArea"]
    with pytest.raises(CcgraphError):
        anchor_for("https://schema.org/Occupation")
