"""ccgraph audit: every inconsistency the seeds contain is found by name; a clean graph gives nothing."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.namespace import SKOS

from ccgraph.checks.audit import audit
from ccgraph.cli import cli
from ccgraph.graph.store import Store

import seed_eskills
import seed_functional_map
import seed_qualifications as seed

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def report(store, shapes):
    return audit(store, shapes)


@pytest.fixture(scope="module")
def ids(report):
    return {f.id for f in report.findings}


def find(report, check):
    return [f for f in report.findings if f.check == check]


def test_no_errors_in_our_own_data(report):
    assert report.count("error") == 0


def test_one_uan_on_two_units(report, seeds_dir):
    by_uan = {}
    for unit, facts in seed.cg_units(seeds_dir).items():
        by_uan.setdefault(facts["uan"], set()).add(unit)
    shared = {u for units in by_uan.values() if len(units) > 1 for u in units}
    assert shared == {"203", "204"}
    assert {f.entities[0].notation for f in find(report, "shacl-Unit-uniqueUan")} == shared


def test_rule_naming_a_unit_not_in_the_qualification(report, seeds_dir):
    text = seed.cg_text(seeds_dir)
    groups = seed.cg_group_units(seeds_dir)
    qualification_units = {}
    for (q, _), units in groups.items():
        qualification_units.setdefault(q, set()).update(units)
    printed = seed.cg_qualifications(seeds_dir)
    start = text.index(f"(QAN {printed['3412-03']['qan']})")
    section = text[start:text.index("(QAN", start + 10)]
    named = set(re.findall(r"\d{3}", re.search(r"No more than two units may be taken from units ([^\n]+)", section)[1]))
    missing = named - qualification_units["3412-03"]
    assert missing == {"116"}
    (finding,) = find(report, "shacl-CombinationRule-namesMissingUnit")
    assert "unit 116" in finding.message and "3412-03" in finding.message


def test_stated_mandatory_credits_that_do_not_add_up(report, seeds_dir):
    units = seed.cg_units(seeds_dir)
    groups = seed.cg_group_units(seeds_dir)
    wrong = {q for (q, g), members in groups.items() if g == "A" and sum(units[u]["credit"] for u in members) != 6}
    assert wrong == {"3412-05"}  # every Group A is printed "(6 credits)"
    assert [f.entities[0].notation for f in find(report, "stated-credits-differ")] == sorted(wrong)


def test_a_unit_barred_against_different_units(report):
    (finding,) = find(report, "unit-barred-differently")
    assert finding.entities[0].notation == "212" and "220 in 3412-03" in finding.message and "318 in 3412-04" in finding.message


def test_a_replaced_unit_still_listed(report, seeds_dir):
    groups = seed.cg_group_units(seeds_dir)
    listing = {q for (q, _), units in groups.items() if "319" in units}
    (finding,) = find(report, "replaced-unit-still-listed")
    assert finding.entities[0].notation == "319" and {e.notation for e in finding.entities[2:]} == listing


def test_awarding_bodies_differ_at_level_4(report):
    findings = find(report, "awarding-body-rules-differ")
    assert {tuple(sorted(e.notation for e in f.entities)) for f in findings} == {("10269", "3412-05")}


def test_level_rule_below_the_qualification_level(report, seeds_dir):
    printed = seed.cg_qualifications(seeds_dir)
    below = {n for n, q in printed.items() if int(q["title"].split()[1]) > q["level"]}
    assert below == {"3412-05"}
    assert {f.entities[0].notation for f in find(report, "level-rule-below-qualification-level")} == below


def test_stated_counts_that_differ(report, seeds_dir):
    messages = " ".join(f.message for f in find(report, "stated-count-differs"))
    assert f"states {seed_eskills.stated_competency_count(seeds_dir)}" in messages
    assert f"holds {len(seed_eskills.competencies(seeds_dir))} ccg:Competency" in messages


def test_titles_that_differ_between_places(report, seeds_dir):
    fm = seed_functional_map.read(seeds_dir)
    differing = {code for code, heading in fm.key_area_headings.items() if fm.key_area_list[code] != heading.strip()}
    found = {f.entities[0].notation for f in find(report, "title-differs-between-places")}
    assert differing <= found and {"113", "115"} <= found


def test_criterion_numbering_gaps(report, seeds_dir):
    gaps = set()
    for unit, page in seed.cg_unit_pages(seeds_dir).items():
        by_outcome = {}
        for number in page["criteria"]:
            outcome, k = number.split(".")
            by_outcome.setdefault(outcome, set()).add(int(k))
        for outcome, ks in by_outcome.items():
            if set(range(1, max(ks) + 1)) - ks:
                gaps.add((unit, outcome))
    assert {(f.entities[0].notation, f.entities[1].notation) for f in find(report, "criterion-numbering-gap")} == gaps == {("407", "3")}


def test_contact_centre_nos_gap(report, seeds_dir):
    linked = {int(n) for page in seed.cg_unit_pages(seeds_dir).values() for n in page["nos"]}
    (finding,) = find(report, "contact-centre-nos-without-unit")
    assert finding.id == "contact-centre-nos-without-unit:" + "+".join(map(str, sorted(set(range(1, max(linked) + 1)) - linked)))


def test_every_transcription_note_is_reported(report, project):
    import csv

    rows = [row for path in project.data_dir.glob("*/notes.csv") for row in csv.DictReader(path.open(encoding="utf-8"))]
    notes = find(report, "source-note")
    assert len(notes) == len(rows) > 0
    described = " ".join(f.message for f in notes)
    assert all(row["description"][:60] in described for row in rows)
    gap = next(f for f in notes if "3.2" in f.message and any(e.notation == "407" for e in f.entities))
    assert gap.locators


def test_coverage_is_reported(report):
    assert report.coverage["functions with a NOS"]["percent"] == 100.0
    assert report.coverage["OCR listings with a certain City & Guilds match"]["total"] == 124
    assert 0 < report.coverage["matrix cells with a level read (of cells recorded)"]["percent"] < 100


def test_every_finding_is_actionable(report):
    for finding in report.findings:
        assert finding.id.startswith(finding.check + ":") and finding.severity in ("error", "warning", "info")
        assert finding.entities and finding.message.endswith((".", ")", "'")), finding.id
    assert len({f.id for f in report.findings}) == len(report.findings)


def test_a_clean_graph_reports_nothing(project, shapes):
    store = Store.from_files([*sorted(project.ontology_dir.glob("*.ttl")), project.data_dir / "sources.ttl", HERE / "audit" / "clean.ttl"])
    clean = audit(store, shapes)
    assert clean.findings == [], [f.id for f in clean.findings]


def test_a_fact_held_in_two_graphs_counts_once():
    """The union default graph shows each triple of repeated.ttl twice; the audit still counts it once."""
    path = HERE / "audit" / "repeated.ttl"
    twice = Dataset()
    for name in ("https://w3id.org/ccgraph/id/graph/test-1", "https://w3id.org/ccgraph/id/graph/test-2"):
        twice.graph(URIRef(name)).parse(path)
    report = audit(Store.from_rdflib(twice))
    assert [f.id for f in report.findings] == ["function-without-nos:ZA1", "role-with-unresolved-cells:Test Role"]
    assert "has 1 matrix cell(s)" in report.findings[1].message
    assert report.coverage["matrix cells with a level read (of cells recorded)"] == {"covered": 1, "total": 2, "percent": 50.0}
    assert report.coverage["functions with a NOS"] == {"covered": 0, "total": 1, "percent": 0.0}
    assert report.as_dict() == audit(Store.from_files([path])).as_dict()


def test_a_node_located_in_two_places_gets_the_first_locator():
    path = HERE / "audit" / "repeated.ttl"
    (finding,) = [f for f in audit(Store.from_files([path])).findings if f.check == "function-without-nos"]
    assert finding.entities[0].notation == "ZA1"
    assert finding.locators == ["test.txt: line 10"]  # the first of "line 10", "line 9" in code-point order


def test_audit_command_json_and_fail_on(tmp_path):
    runner = CliRunner()
    out = tmp_path / "audit.json"
    result = runner.invoke(cli, ["audit", "--format", "json", "--output", str(out), "--fail-on", "error"])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1 and set(data["summary"]) == {"error", "warning", "info"}
    assert {"id", "check", "severity", "message", "entities", "locators"} <= set(data["findings"][0])
    assert runner.invoke(cli, ["audit", "--fail-on", "warning"]).exit_code == 1


def test_levels_that_disagree_along_a_trace(report, graph):
    """Recomputed from the graph: a unit mapped to a competency that some role asks for at an ability
    level whose NOS levels (section 1.3) do not include the unit's level."""
    from rdflib.namespace import OWL, RDF

    from ccgraph.graph.namespaces import CCG
    from ccgraph.sources.sssom import NO_TERM_FOUND

    nos_levels = {int(graph.value(l, CCG.levelNumber)): {int(n) for n in graph.objects(l, CCG.correspondsToNOSLevel)}
                  for l in graph.subjects(RDF.type, CCG.AbilityLevel)}
    expected = set()
    for mapping in graph.subjects(RDF.type, CCG.Mapping):
        a, b = graph.value(mapping, OWL.annotatedSource), graph.value(mapping, OWL.annotatedTarget)
        if b == NO_TERM_FOUND:
            continue
        pairs = [(a, b), (b, a)]
        for competency, unit in pairs:
            if (competency, RDF.type, CCG.Competency) in graph and (unit, RDF.type, CCG.Unit) in graph and graph.value(unit, CCG.level) is not None:
                for requirement in graph.subjects(CCG.competency, competency):
                    level = graph.value(graph.value(requirement, CCG.abilityLevel), CCG.levelNumber)
                    if level is not None and int(graph.value(unit, CCG.level)) not in nos_levels[int(level)]:
                        expected.add(f"levels-disagree-along-trace:{graph.value(unit, SKOS.notation)}+{graph.value(competency, SKOS.notation)}")
    found = {f.id for f in find(report, "levels-disagree-along-trace")}
    assert expected and found == expected
