"""`ccgraph diff OLD NEW`: changes reported by entity, matrix cell, mapping and audit finding, and nothing else.

Two copies of the project (ontology/, data/, shapes/, queries/) are built in a temporary folder: `base` as it
is, and `changed` with four edits (a unit's title in every City & Guilds table that prints it, one certain
matrix cell, one mapping row removed, one class deprecated with a replacement). The diff of their builds must
be exactly those four changes, with the audit (run with each copy's own shapes) opening and closing nothing.
The audit section is tested on its own on stores edited in memory, where findings do open, close and change.
`base` is also a git repository, so that git:HEAD can be compared with its own build.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccgraph.cli import cli
from ccgraph.graph.build import build
from ccgraph.graph.project import PARTS, Project
from ccgraph.graph.store import Store
from ccgraph.publish.diff import SCHEMA_VERSION, compare, render
from ccgraph.publish.snapshot import Side

REPO = Path(__file__).resolve().parents[1]
CCG = "https://w3id.org/ccgraph/ontology#"
ID = "https://w3id.org/ccgraph/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

UNIT = "102"
TITLE = "Use specific features of contact centre systems and technology"
NEW_TITLE = "Use the specific features of contact centre systems and technology"
UNIT_TABLES = ("units.csv", "unit_details.csv", "unit_appearances.csv")  # every table that prints the title
CELL_LINE = b"\nA1.1,Coach (for Advisors),4,certain,4,"  # a certain cell: level 4, read from section 3.5
NEW_CELL_LINE = b"\nA1.1,Coach (for Advisors),3,certain,3,"
MAPPING_ROW = "eskills:A1.1\tCustomer service ethos\tskos:relatedMatch\tcg3412:208\t"
MAPPING_IRI = f"{ID}mappings/competency-unit-nos/eskills-framework-A1.1/relatedMatch/city-and-guilds-3412-unit-208"
CLASS_LINE = "ccg:LevelDescriptor a owl:Class ;"
DEPRECATION = "ccg:LevelDescriptor a owl:Class ;\n    owl:deprecated true ;\n    dcterms:isReplacedBy ccg:AbilityLevel ;"

NOTHING = {"added": [], "removed": [], "changed": []}


def replace_in(path: Path, old: bytes, new: bytes, count: int | None = 1) -> None:
    data = path.read_bytes()
    found = data.count(old)
    assert found >= 1 if count is None else found == count, f"{path}: expected {count or 'some'} {old!r}, found {found}"
    path.write_bytes(data.replace(old, new))


def copy_project(target: Path) -> Path:
    for part in PARTS:
        shutil.copytree(REPO / part, target / part)
    return target


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), "-c", "user.name=ccgraph tests", "-c", "user.email=tests@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("diff")
    base = copy_project(root / "base")
    git(base, "init", "-q")
    git(base, "add", *PARTS)
    git(base, "commit", "-q", "-m", "base")
    changed = copy_project(root / "changed")
    c_and_g = changed / "data" / "city-and-guilds-3412"
    for name in UNIT_TABLES:
        replace_in(c_and_g / name, TITLE.encode(), NEW_TITLE.encode(), count=None)
    replace_in(changed / "data" / "eskills-framework" / "matrix_cells.csv", CELL_LINE, NEW_CELL_LINE)
    mapping_set = changed / "data" / "mappings" / "competency-unit-nos.sssom.tsv"
    lines = mapping_set.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(MAPPING_ROW)]
    assert len(kept) == len(lines) - 1, f"{mapping_set}: expected one row {MAPPING_ROW!r}"
    mapping_set.write_text("".join(kept), encoding="utf-8")
    replace_in(changed / "ontology" / "ccgraph.ttl", CLASS_LINE.encode(), DEPRECATION.encode())
    for folder in (base, changed):
        build(Project.at(folder), closure=False)
    return {"root": root, "base": base, "changed": changed}


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_json(*args) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# ---------------------------------------------------------------- two builds, four changes


def test_the_four_changes_and_nothing_else(copies):
    base, changed = copies["base"] / "build", copies["changed"] / "build"
    report = run_json("--root", copies["base"], "diff", base, changed)
    assert report["schema_version"] == SCHEMA_VERSION == 1
    assert report["old"] == {"name": str(base), "kind": "build", "audit_shapes": "own"}
    assert report["new"] == {"name": str(changed), "kind": "build", "audit_shapes": "own"}
    assert report["summary"] == {
        "entities": {"added": 0, "removed": 0, "deprecated": 1, "changed": 1},
        "matrix": {"added": 0, "removed": 0, "changed": 1},
        "mappings": {"added": 0, "removed": 1, "changed": 0},
        "audit": {"opened": 0, "closed": 0, "changed": 0},
        "total": 4,
    }
    assert report["entities"] == {
        "added": [], "removed": [],
        "deprecated": [{"iri": CCG + "LevelDescriptor", "name": "ccg:LevelDescriptor", "notation": None,
                        "label": "Level descriptor", "types": ["owl:Class"], "replaced_by": [CCG + "AbilityLevel"]}],
        "changed": [{"iri": f"{ID}city-and-guilds-3412/unit/{UNIT}", "name": f"ccgid:city-and-guilds-3412/unit/{UNIT}",
                     "notation": UNIT, "label": NEW_TITLE, "types": ["ccg:Unit"],
                     "changes": [{"field": "label", "old": [TITLE], "new": [NEW_TITLE]}]}],
    }
    assert report["matrix"] == {**NOTHING, "changed": [{
        "competency": "A1.1", "competency_iri": f"{ID}eskills-framework/A1.1", "role": "Coach (for Advisors)",
        "role_iri": f"{ID}eskills-framework/role/coach-for-advisors",
        "old": {"level": 4, "status": "certain"}, "new": {"level": 3, "status": "certain"}}]}
    assert report["mappings"] == {**NOTHING, "removed": [{
        "mapping_set": "competency-unit-nos", "mapping_set_iri": f"{ID}mappings/competency-unit-nos",
        "source": f"{ID}eskills-framework/A1.1", "target": f"{ID}city-and-guilds-3412/unit/208", "searched": None,
        "iri": MAPPING_IRI,
        "predicate": [SKOS + "relatedMatch"], "confidence": [0.4],
        "justification": ["https://w3id.org/semapv/vocab/ManualMappingCuration"],
        "comment": [report["mappings"]["removed"][0]["comment"][0]]}]}
    assert report["mappings"]["removed"][0]["comment"][0].startswith("Giving customers a positive impression")
    assert report["audit"] == {"opened": [], "closed": [], "changed": []}


def test_text_and_changelog(copies):
    base, changed = copies["base"] / "build", copies["changed"] / "build"
    text = invoke("diff", base, changed, "--no-audit")
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines() == [
        f"ccgraph diff {base} -> {changed}: 4 difference(s)",
        "entities: 0 added, 0 removed, 1 deprecated, 1 changed",
        "  deprecated:",
        '    Class `ccg:LevelDescriptor` ("Level descriptor"), replaced by `ccg:AbilityLevel`',
        "  changed:",
        f'    Unit `ccgid:city-and-guilds-3412/unit/{UNIT}`: label "{TITLE}" -> "{NEW_TITLE}"',
        "matrix cells: 0 added, 0 removed, 1 changed",
        "  changed:",
        "    A1.1 x Coach (for Advisors): level 4 (certain) -> level 3 (certain)",
        "mappings: 0 added, 1 removed, 0 changed",
        "  removed:",
        "    `ccgid:eskills-framework/A1.1` skos:relatedMatch `ccgid:city-and-guilds-3412/unit/208` (competency-unit-nos), "
        "confidence 0.4",
        "audit findings: not compared (--no-audit)",
    ]
    changelog = invoke("diff", base, changed, "--no-audit", "--format", "changelog")
    assert changelog.exit_code == 0, changelog.output
    assert changelog.stdout == (
        "### Changed\n\n"
        f'- Unit `ccgid:city-and-guilds-3412/unit/{UNIT}`: label "{TITLE}" -> "{NEW_TITLE}".\n'
        "- Matrix cell A1.1 x Coach (for Advisors): level 4 (certain) -> level 3 (certain).\n"
        "\n### Deprecated\n\n"
        '- Class `ccg:LevelDescriptor` ("Level descriptor"), replaced by `ccg:AbilityLevel`.\n'
        "\n### Removed\n\n"
        "- Mapping `ccgid:eskills-framework/A1.1` skos:relatedMatch `ccgid:city-and-guilds-3412/unit/208` "
        "(competency-unit-nos), confidence 0.4.\n")
    same = invoke("diff", base, base, "--no-audit", "--format", "changelog")
    assert same.stdout == f"No changes between {base} and {base}.\n"


def test_releases_projects_and_files_are_sides_too(copies, tmp_path):
    """A release folder (ccgraph.nq or ccgraph.trig, no store), a project folder (its build) and an RDF file."""
    for name in ("base", "changed"):
        (tmp_path / name).mkdir()
        shutil.copy(copies[name] / "build" / "ccgraph.trig", tmp_path / name / "ccgraph.trig")
    releases = run_json("diff", tmp_path / "base", tmp_path / "changed", "--no-audit")
    projects = run_json("diff", copies["base"], copies["changed"], "--no-audit")
    files = run_json("diff", tmp_path / "base" / "ccgraph.trig", copies["changed"] / "build" / "ccgraph.trig", "--no-audit")
    assert (releases["old"]["kind"], projects["old"]["kind"], files["old"]["kind"]) == ("release", "project", "file")
    for report in (releases, projects, files):
        assert report["summary"]["total"] == 4
        assert report["entities"] == releases["entities"] and report["mappings"] == releases["mappings"]
        assert report["audit"] is None and report["old"]["audit_shapes"] is None


def test_the_other_way_round(copies):
    """From changed back to base: the mapping is added and the class is no longer deprecated (a change)."""
    old = Side("changed", "build", Store.from_files([copies["changed"] / "build" / "ccgraph.trig"]))
    new = Side("base", "build", Store.from_files([copies["base"] / "build" / "ccgraph.trig"]))
    report = compare(old, new, audit=False)
    assert report["summary"]["entities"] == {"added": 0, "removed": 0, "deprecated": 0, "changed": 2}
    changes = {e["name"]: e["changes"] for e in report["entities"]["changed"]}
    assert changes["ccg:LevelDescriptor"] == [{"field": "deprecated", "old": ["true"], "new": []},
                                               {"field": "replaced_by", "old": [CCG + "AbilityLevel"], "new": []}]
    assert changes[f"ccgid:city-and-guilds-3412/unit/{UNIT}"] == [{"field": "label", "old": [NEW_TITLE], "new": [TITLE]}]
    assert [(m["source"], m["target"]) for m in report["mappings"]["added"]] == [
        (f"{ID}eskills-framework/A1.1", f"{ID}city-and-guilds-3412/unit/208")]
    assert report["matrix"]["changed"][0]["new"] == {"level": 4, "status": "certain"}
    assert report["audit"] is None and report["summary"]["total"] == 4


def test_the_same_bytes_in_another_process(copies):
    args = ["diff", str(copies["base"] / "build"), str(copies["changed"] / "build"), "--format", "json", "--no-audit"]
    here = invoke(*args).stdout_bytes
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "ccgraph", *args], capture_output=True, env=env, check=True)
        assert done.stdout == here


def test_a_modified_mapping_is_one_change(copies, tmp_path):
    """Keyed by set, source and target: a new predicate, confidence or comment is a change, not a removal and an addition."""
    trig = copies["base"] / "build" / "ccgraph.trig"
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    node = ox.NamedNode(MAPPING_IRI)
    renamed = ox.NamedNode(str(node.value).replace("relatedMatch", "closeMatch"))
    quads = list(store.quads_for_pattern(node, None, None))
    assert quads
    for quad in quads:
        store.remove(quad)
        obj = quad.object
        if quad.predicate.value == "http://www.w3.org/2002/07/owl#annotatedProperty":
            obj = ox.NamedNode(SKOS + "closeMatch")
        elif quad.predicate.value == "https://w3id.org/sssom/confidence":
            obj = ox.Literal("0.6", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
        store.add(ox.Quad(renamed, quad.predicate, obj, quad.graph_name))
    report = compare(Side("old", "file", Store.from_files([trig])), Side("new", "file", Store(store)), audit=False)
    assert report["summary"]["total"] == 1
    (change,) = report["mappings"]["changed"]
    assert change["iri"] == renamed.value
    assert change["changes"] == [{"field": "predicate", "old": [SKOS + "relatedMatch"], "new": [SKOS + "closeMatch"]},
                                 {"field": "confidence", "old": [0.4], "new": [0.6]}]
    assert "skos:relatedMatch -> skos:closeMatch; confidence 0.4 -> 0.6" in render(report, "text")


# ---------------------------------------------------------------- the audit section


def test_audit_findings_opened_closed_and_changed(copies):
    """A function with no NOS opens a finding, a transcriber's note removed closes its finding, and a matrix cell
    read with certainty changes the count in its role's finding (and opens a level disagreement it now shows)."""
    trig = copies["base"] / "build" / "ccgraph.trig"
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    type_ = ox.NamedNode(RDF_TYPE)
    function = ox.NamedNode(f"{ID}functional-map/ZZ9")
    map_graph, eskills_graph = ox.NamedNode(f"{ID}graph/functional-map"), ox.NamedNode(f"{ID}graph/eskills-framework")
    store.add(ox.Quad(function, type_, ox.NamedNode(CCG + "Function"), map_graph))
    store.add(ox.Quad(function, ox.NamedNode(SKOS + "notation"), ox.Literal("ZZ9"), map_graph))
    note = ox.NamedNode(f"{ID}city-and-guilds-3412/note/b6a19014cd26")  # "Lower-case criterion" of unit 310
    assert next(store.quads_for_pattern(note, type_, ox.NamedNode(CCG + "SourceNote")), None) is not None
    for quad in list(store.quads_for_pattern(note, None, None)):
        store.remove(quad)
    cell = ox.NamedNode(f"{ID}eskills-framework/role/coach-for-advisors/E2.1")
    status = ox.NamedNode(CCG + "readingStatus")
    store.remove(ox.Quad(cell, status, ox.NamedNode(CCG + "Unresolved"), eskills_graph))
    store.add(ox.Quad(cell, status, ox.NamedNode(CCG + "Certain"), eskills_graph))
    store.add(ox.Quad(cell, ox.NamedNode(CCG + "abilityLevel"), ox.NamedNode(f"{ID}eskills-framework/level/2"), eskills_graph))

    report = compare(Side("old", "file", Store.from_files([trig])), Side("new", "file", Store(store)), None)
    assert report["old"]["audit_shapes"] == report["new"]["audit_shapes"] == "none"  # no project known: no SHACL
    assert [e["iri"] for e in report["entities"]["added"]] == [function.value]
    assert [e["iri"] for e in report["entities"]["removed"]] == [note.value]
    assert [(c["competency"], c["role"], c["old"], c["new"]) for c in report["matrix"]["changed"]] == [
        ("E2.1", "Coach (for Advisors)", {"level": None, "status": "unresolved"}, {"level": 2, "status": "certain"})]
    audit = report["audit"]
    assert [f["id"] for f in audit["opened"]] == ["function-without-nos:ZZ9", "levels-disagree-along-trace:E2.1"]
    assert [f["id"] for f in audit["closed"]] == ["source-note:b6a19014cd26"]
    assert [(f["id"], f["fields"]) for f in audit["changed"]] == [("role-with-unresolved-cells:Coach (for Advisors)", ["message"])]
    assert "has 37 matrix cell(s)" in audit["changed"][0]["old_message"]
    assert "has 36 matrix cell(s)" in audit["changed"][0]["message"]
    assert report["summary"]["audit"] == {"opened": 2, "closed": 1, "changed": 1} and report["summary"]["total"] == 7
    changelog = render(report, "changelog")
    assert "- Audit finding `function-without-nos:ZZ9` opened (coverage): Function ZZ9 has no NOS.\n" in changelog
    assert "- Audit finding `source-note:b6a19014cd26` closed (source-inconsistency): Lower-case criterion:" in changelog
    assert changelog.index("### Added") < changelog.index("### Changed") < changelog.index("### Removed")
    assert "### Deprecated" not in changelog


# ---------------------------------------------------------------- git revisions


def test_git_head_of_a_repository_against_its_own_build(copies):
    report = run_json("--root", copies["base"], "diff", "git:HEAD", copies["base"] / "build")
    assert report["old"] == {"name": "git:HEAD", "kind": "git", "audit_shapes": "own"}
    assert report["summary"]["total"] == 0, report["summary"]
    for section in ("entities", "matrix", "mappings", "audit"):
        assert all(entries == [] for entries in report[section].values()), section


def test_git_head_against_the_working_tree(tmp_path):
    try:
        changed = subprocess.run(["git", "--no-optional-locks", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all",
                                  "--", *PARTS], capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"{REPO} is not a git working tree ({error})")
    if changed:
        pytest.skip(f"the working tree's {', '.join(PARTS)} differ from HEAD in {len(changed)} path(s) "
                    f"(first: {changed[0].strip()}): git:HEAD would rightly report those changes")
    working = copy_project(tmp_path / "working")
    build(Project.at(working), closure=False)
    report = run_json("--root", REPO, "diff", "git:HEAD", working / "build", "--no-audit")
    assert report["summary"]["total"] == 0, report["summary"]


# ---------------------------------------------------------------- bad input: one line, exit 2


def test_bad_input_is_one_line(copies, tmp_path):
    build_dir = copies["base"] / "build"
    one_line_error(invoke("diff", tmp_path / "missing", build_dir), "missing: no such file or folder")
    one_line_error(invoke("diff", build_dir, REPO / "README.md"), "README.md: unknown RDF file type '.md'")
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not Turtle <<<\n", encoding="utf-8")
    one_line_error(invoke("diff", garbage, build_dir), "garbage.ttl", "malformed")
    (tmp_path / "empty").mkdir()
    one_line_error(invoke("diff", tmp_path / "empty", build_dir), "neither a release, a build nor a project")
    one_line_error(invoke("--root", copies["base"], "diff", "git:no-such-revision", build_dir),
                   "git:no-such-revision: unknown revision 'no-such-revision'")
    one_line_error(invoke("--root", copies["base"], "diff", "git:--output=x", build_dir), "expected git:REV")
    one_line_error(invoke("--root", copies["base"], "diff", "git:", build_dir), "expected git:REV")
    outside = tmp_path / "outside"
    shutil.copytree(copies["base"] / "ontology", outside / "ontology")
    (outside / "data").mkdir()
    result = invoke("--root", outside, "diff", "git:HEAD", build_dir)
    if "is not in a git repository" not in result.output:  # the temporary folder could itself sit in a repository
        pytest.skip(f"{tmp_path} is inside a git repository")
    one_line_error(result, "git:HEAD:", "is not in a git repository")
