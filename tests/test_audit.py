"""ccgraph audit: every inconsistency the seeds contain is found by name, once, with the kind, severity and
action it calls for; a clean graph gives nothing; a baseline shows only what changed.

Expected values are read from the seeds (the line numbers are cited) or reasoned in a fixture
(tests/audit/*.ttl), never recomputed with the audit's own logic.
"""

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from ccgraph.checks.audit import KINDS, SCHEMA_VERSION, audit, is_acronym_pair
from ccgraph.cli import cli
from ccgraph.graph.store import Store

import seed_eskills
import seed_functional_map
import seed_qualifications as seed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@pytest.fixture(scope="module")
def report(store, shapes):
    return audit(store, shapes)


def find(report, check):
    return [f for f in report.findings if f.check == check]


def pairs(findings):
    return {tuple(sorted(e.notation for e in f.entities)) for f in findings}


def seed_lines(seeds_dir, name) -> list[str]:
    return (seeds_dir / name).read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- the report as a whole


def test_no_errors_in_our_own_data(report):
    assert report.count("error") == 0


def test_every_finding_is_actionable(report):
    for finding in report.findings:
        assert finding.id.startswith(finding.check + ":") and finding.kind in KINDS, finding.id
        assert (finding.severity, finding.action) == KINDS[finding.kind], finding.id
        assert finding.entities and finding.message.endswith((".", ")", "'")), finding.id
    assert len({f.id for f in report.findings}) == len(report.findings)


def test_the_kinds_table_is_the_one_the_readme_documents():
    """README's Audit section prints the table of kinds; it must say what the code does."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Audit"):text.index("\n## ", text.index("## Audit") + 1)]
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \| ([a-z ]+?) \|", section, re.MULTILINE)
    assert {kind: (severity, action) for kind, severity, action in rows} == KINDS


def test_coverage_is_reported(report):
    assert report.coverage["functions with a NOS"]["percent"] == 100.0
    assert report.coverage["OCR listings with a certain City & Guilds match"]["total"] == 124
    assert 0 < report.coverage["matrix cells with a level read (of cells recorded)"]["percent"] < 100


# ---------------------------------------------------------------- one finding per problem


def test_one_uan_on_two_units_is_one_finding(report, seeds_dir):
    by_uan = {}
    for unit, facts in seed.cg_units(seeds_dir).items():
        by_uan.setdefault(facts["uan"], set()).add(unit)
    shared = {uan: units for uan, units in by_uan.items() if len(units) > 1}
    assert shared == {"L/503/0394": {"203", "204"}}  # 003 lines 193-194 (3412-03 table), 250; unit pages 877, 930
    (finding,) = find(report, "shacl-Unit-uniqueUan")
    assert {e.notation for e in finding.entities} == {"203", "204"} and finding.kind == "source-inconsistency"
    # The transcriber noted the same problem (city-and-guilds-3412/notes.csv): it is attached, not repeated.
    assert any("L/503/0394" in note for note in finding.notes)
    assert not [f for f in find(report, "source-note") if "L/503/0394" in f.message]


def test_transcribers_notes_on_a_problem_a_check_finds_are_not_repeated(report):
    """Each of these problems is found by a check and was also noted by a transcriber: one finding each."""
    for check, words in (("stated-credits-differ", "which total 7"), ("criterion-numbering-gap", "there is no 3.2"),
                         ("replaced-unit-still-listed", "with no 'Barred units' entry between them"), ("contact-centre-nos-without-unit", "names NOS 25"),
                         ("stated-count-differs", "001 states 63 competencies"),
                         ("shacl-CombinationRule-namesMissingUnit", "names unit(s) 116")):
        holding = [f for f in find(report, check) if any(words in note for note in f.notes)]
        assert len(holding) == 1, check
        assert not [f for f in find(report, "source-note") if words in f.message], check


def test_every_transcription_note_is_reported(report, project):
    rows = [row for path in project.data_dir.glob("*/notes.csv") for row in csv.DictReader(path.open(encoding="utf-8"))]
    said = [f.message for f in find(report, "source-note")] + [n for f in report.findings for n in f.notes]
    assert rows and len(said) >= len(rows)
    assert all(any(row["description"][:60] in text for text in said) for row in rows)
    gap = next(f for f in report.findings if any("3.2" in n for n in f.notes) and any(e.notation == "407" for e in f.entities))
    assert gap.locators


# ---------------------------------------------------------------- kinds of source notes


def test_extraction_damage_is_not_reported_as_an_inconsistency(report, seeds_dir):
    """Garbled text in 000 is the PDF extraction's doing (info, nothing to report to the publisher); a count
    001 states that 000 does not match is the documents' own (a warning)."""
    eskills = seed_lines(seeds_dir, "000_0474dc13b7c2c3fe.txt")
    assert eskills[152].split("\t")[1] == "a county management"  # line 153: the C3 subcategory cell, garbled
    assert eskills[139].split("\t")[1] == "3 6"  # line 140: stray '3 6' in the B1.2 row's subcategory column
    assert eskills[20].split("\t")[1:3] == ["ABC", "OUT THE FRAMEWORK"]  # line 21: the contents' "ABOUT THE FRAMEWORK"
    for words in ("'a county management'", "Stray '3 6'", "ABC OUT THE FRAMEWORK"):
        (finding,) = [f for f in find(report, "source-note") if words in f.message]
        assert (finding.kind, finding.severity, finding.action) == ("extraction-damage", "info", "none"), words
    assert "A total of 63 competencies" in (seeds_dir / seed_eskills.SUMMARY).read_text(encoding="utf-8")  # 001 line 22
    (count,) = [f for f in find(report, "stated-count-differs") if "63" in f.id]
    assert (count.kind, count.severity, count.action) == ("source-inconsistency", "warning", "report to the publisher")


def test_extraction_notes_are_info(report):
    """The 000 notes the transcriber filed as extraction damage (stray marks, garbled, merged or label-less
    rows ...) are info; not one of them is a warning."""
    damaged = [f for f in find(report, "source-note") if f.kind == "extraction-damage"]
    assert len(damaged) >= 30 and all(f.severity == "info" and "000_0474dc13b7c2c3fe.txt" in " ".join(f.locators) for f in damaged)


# ---------------------------------------------------------------- inconsistencies of the sources


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
    assert "unit 116" in finding.message and "3412-03" in {e.notation for e in finding.entities}


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
    # 002 line 17 prints "Oxford Cambridge and RSA Examinations (OCR)": one name and its acronym, not a variant.
    assert "Oxford Cambridge and RSA Examinations (OCR)" in seed_lines(seeds_dir, seed.OCR_SEED)[16]
    assert "OCR" not in found


def test_acronyms_are_told_from_variants():
    assert is_acronym_pair("OCR", "Oxford Cambridge and RSA Examinations")
    assert is_acronym_pair("CfA", "Council for Administration")
    assert not is_acronym_pair("OCR", "Office of Communications")
    assert not is_acronym_pair("Manage Contact Centre services", "Manage Contact Centres services")


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


# ---------------------------------------------------------------- awarding bodies at one level

OCR_BY_LEVEL = {2: "10265", 3: "10268", 4: "10269"}  # 002 lines 5, 7, 9


def _clauses(text: str) -> set:
    """A rule's clauses as (figure, what it counts from), in the words either body uses."""
    found = set()
    for clause in re.split(r";|\n- |\. (?=Achievement)", text):
        number = re.search(r"\b(\d+|two)\b(?! units may)", clause.replace("two units", "2 units"))
        if not number:
            continue
        named = re.search(r"from units ((?:\d{3}\s*,?\s*(?:and )?)+)", clause)
        if named:
            scope = "%d named units" % len(re.findall(r"\d{3}", named[1]))
        else:
            letters = re.search(r"Groups? ([A-D](?:(?:, | or )[A-D])*)", clause)
            scope = "+".join(sorted(re.findall(r"[A-D]", letters[1]))) if letters else "qualification"
        figure = re.search(r"\((\d+) credits\)", clause)
        found.add((int(figure[1] if figure else number[1]), scope))
    return found


def _seed_rules(seeds_dir) -> dict[str, set]:
    """Each qualification's rules of combination as printed: 002 lines 61, 124, 190; 003 lines 105-111,
    141-148, 178-185, 237-243, 308-314."""
    ocr = (seeds_dir / seed.OCR_SEED).read_text(encoding="utf-8")
    rules = {}
    for level, body in re.findall(r"To achieve a full \**OCR Level (\d) NVQ \w+ in Contact Centre Operations\**, (.+)", ocr):
        total, at_level = re.search(r"(\d+) credits, of which (\d+) must be at Level", body).groups()
        rules[OCR_BY_LEVEL[int(level)]] = {("total", int(total)), ("at level", int(at_level))} | _clauses(body.split(":", 1)[1])
    text = seed.cg_text(seeds_dir)
    qans = {q["qan"]: n for n, q in seed.cg_qualifications(seeds_dir).items()}
    for qan, total, at_level, bullets in re.findall(
            r"\(QAN (\S+)\)\n\nTo achieve .*? \*\*(\d+)\*\* credits of which at least (\d+) credits.*?\n\nCandidates must achieve[:;]\n\n((?:- .+\n)+)", text):
        rules[qans[qan]] = {("total", int(total)), ("at level", int(at_level))} | _clauses("\n" + bullets)
    return rules


def test_awarding_bodies_rules_differ_group_by_group(report, seeds_dir):
    rules = _seed_rules(seeds_dir)
    levels = {n: int(q["title"].split()[1]) for n, q in seed.cg_qualifications(seeds_dir).items()}  # "Level 4 Diploma ..."
    assert set(rules) == {"10265", "10268", "10269", *levels}
    expected = {tuple(sorted((ocr, cg))) for level, ocr in OCR_BY_LEVEL.items() for cg, l in levels.items()
                if l == level and rules[ocr] != rules[cg]}
    # Level 3 agrees clause for clause (002 line 124, 003 lines 237-243); level 2 differs in its groups only
    # (002 line 61: Groups B, C or D and Group D capped; 003 lines 184-185: Groups B or C and eight named units
    # capped), level 4 in everything (002 line 190, 003 lines 308-314).
    assert expected == {("10265", "3412-03"), ("10269", "3412-05")}
    assert pairs(find(report, "awarding-body-rules-differ")) == expected
    (level_2,) = [f for f in find(report, "awarding-body-rules-differ") if "10265" in f.id]
    assert "Group D: at most 2 units" in level_2.message and "8 named units: at most 2 units" in level_2.message


def test_eligibility_that_differs_between_awarding_bodies(report, seeds_dir):
    """002 line 33: 'These NVQs ... are open to candidates of any age'; 003 line 15: 'Age group approved
    Level 1 Award – All ... Level 3 Diploma – 16+ Level 4 Diploma – 18+'."""
    assert "open to candidates of any age" in seed_lines(seeds_dir, seed.OCR_SEED)[32]
    approved = seed_lines(seeds_dir, seed.CG_SEED)[14]
    assert approved.startswith("Age group approved")
    ages = {(int(level), kind): age for level, kind, age in re.findall(r"Level (\d) (\w+) – (All|\d+\+)", approved)}
    levels = {n: (int(q["title"].split()[1]), q["title"].split()[2]) for n, q in seed.cg_qualifications(seeds_dir).items()}
    cg = {n: ages[level] for n, level in levels.items()}  # the title at a glance: "Level 3 Diploma in ..." (lines 21-25)
    expected = {tuple(sorted((OCR_BY_LEVEL[levels[n][0]], n))): age for n, age in cg.items()
                if levels[n][0] in OCR_BY_LEVEL and age != "All"}
    assert expected == {("10268", "3412-04"): "16+", ("10269", "3412-05"): "18+"}
    found = {tuple(sorted(e.notation for e in f.entities)): f for f in find(report, "eligibility-differs-between-awarding-bodies")}
    assert set(found) == set(expected)
    for pair, age in expected.items():
        assert f"aged {age[:-1]} and over" in found[pair].message and "any age" in found[pair].message
        assert any("line 15" in l for l in found[pair].locators) and any("line 33" in l for l in found[pair].locators)


# ---------------------------------------------------------------- the Functional Map and attributions


def test_an_imported_nos_titled_unlike_the_standard_it_imports(report, seeds_dir):
    fm = seed_functional_map.read(seeds_dir)
    expected = {s.code for s in fm.standards.values() if s.origin == "Import" and s.source_title != s.title}
    assert expected == {"GS CC BA7.1", "GS CC BA7.2"}  # 004 lines 78-79: '... procedures' imports D14/D15 '... procedure'
    assert {f.entities[0].notation for f in find(report, "imported-title-differs")} == expected


def test_references_printed_the_other_way_round(report, seeds_dir):
    """004 prints '(body – suite)' everywhere but twice, where the organisation comes second."""
    fm = seed_functional_map.read(seeds_dir)
    references = {s.reference for s in fm.standards.values() if s.reference}
    reversed_ = {r for r in references if re.search(r" – .*(Body|Institute)", r)}
    assert reversed_ == {"Sales – Marketing and Sales Standards Setting Body", "Customer Service – Institute of Customer Service"}
    found = find(report, "reference-order-differs")
    assert {re.search(r"'\((.+?)\)'", f.message)[1] for f in found} == reversed_


def test_a_source_code_unlike_the_rest_of_its_suite(report, seeds_dir):
    """004 lines 34-36 code the Social Marketing NOS SMA1.1, SMA1.4, SMA1.5; line 58 credits '4.4.4' to the
    same suite. Every other suite's codes share one shape (B2, D14 ...; A9, B4 ...; 2.3.2, 1.1.2 ...)."""
    fm = seed_functional_map.read(seeds_dir)
    social = {s.source_code for s in fm.standards.values() if s.reference and s.reference.endswith("Social Marketing NOS")}
    assert social == {"SMA1.1", "SMA1.4", "SMA1.5", "4.4.4"}
    assert fm.standards["GS CC AJ1.1"].source_code == "4.4.4"
    (finding,) = find(report, "source-code-unlike-its-suite")
    assert [e.notation for e in finding.entities][:2] == ["4.4.4", "GS CC AJ1.1"]


def test_one_standard_credited_to_different_bodies(report, seeds_dir):
    """003 lines 1575 / 2428 link units 319 and 619 to 'Council for Administration Management NOS: M&LA2 Manage
    your own resources and professional development'; 004 line 195 imports 'A2 Manage your own resources and
    professional development (Management Standards Centre – Management and Leadership)'."""
    handbook = seed_lines(seeds_dir, seed.CG_SEED)
    assert "Council for Administration Management NOS: M&LA2 Manage your own resources and professional development" in handbook[1574]
    assert fm_line(seeds_dir, 195).endswith("A2 Manage your own resources and professional development "
                                            "( <b>Management Standards Centre – Management and Leadership</b> )")
    (finding,) = find(report, "standard-attributed-differently")
    assert {"M&LA2", "A2"} <= {e.notation for e in finding.entities}
    assert "Council for Administration" in finding.message and "Management Standards Centre" in finding.message


def fm_line(seeds_dir, number: int) -> str:
    return seed_lines(seeds_dir, seed_functional_map.SEED)[number - 1]


# ---------------------------------------------------------------- the handbook's unit printings


def _cg_printings(seeds_dir):
    """003 as printed: each unit page (lines 557-2454: title, level, credit, GLH) and every other printing of a
    unit: qualification tables (lines 113-319), contents (lines 41-86) and the summary table (lines 512-558)."""
    lines = seed.cg_text(seeds_dir).splitlines()
    pages, others = {}, []
    for i, line in enumerate(lines):
        if i > 550 and (m := re.match(r"^Unit (\d{3})\**(?:\s+\*{0,2}(.+?)\*{0,2})?$", line)):
            block = "\n".join(lines[i:i + 12])
            figure = lambda label: int(re.search(label + r":\t(?:Level )?(\d+)", block)[1])  # noqa: E731
            title = m[2] or next(l for l in lines[i + 1:] if l.strip())
            pages[m[1]] = {"title": title.strip(), "level": figure("Level"), "credit": figure("Credit value"), "glh": figure("GLH")}
        elif m := seed.UNIT_ROW.match(line):
            others.append((m[2], {"title": m[3].strip(), "level": int(m[4]), "glh": int(m[5]), "credit": int(m[6])}))
        elif i < 100 and (m := re.match(r"^Unit (\d{3})\**\t([^\t]+)\t\d+$", line)):
            others.append((m[1], {"title": m[2].strip()}))
    start = next(i for i, l in enumerate(lines) if l == "Summary of contact centre specific units")
    for line in lines[start:start + 60]:
        if m := re.match(r"^(\d{3})\t([^\t]+)\t(\d+)$", line):
            others.append((m[1], {"title": m[2].strip(), "credit": int(m[3])}))
    return pages, [(unit, printed) for unit, printed in others if unit in pages]


def test_the_unit_tables_agree_with_the_unit_pages(report, seeds_dir):
    pages, others = _cg_printings(seeds_dir)
    differing = {(unit, field) for unit, printed in others for field, value in printed.items() if value != pages[unit][field]}
    assert len(pages) == 43 and differing == set()  # the handbook is consistent here: nothing to report
    assert find(report, "unit-printed-differently") == []
    assert report.coverage["unit printings that agree with their unit page"] == {"covered": len(others), "total": len(others),
                                                                                 "percent": 100.0}


def test_a_unit_printed_differently_from_its_page():
    """tests/audit/printings.ttl: unit 901's summary table says credit 5 where its page says 4, and its contents
    print an unrecorded title; 902's variant title is recorded (title-differs reports it); 903 has no page."""
    found = {f.id: f for f in audit(Store.from_files([HERE / "audit" / "printings.ttl"])).findings if f.check == "unit-printed-differently"}
    assert set(found) == {"unit-printed-differently:901+credit", "unit-printed-differently:901+title"}
    credit = found["unit-printed-differently:901+credit"]
    assert "4 on its unit page" in credit.message and "5 in the summary table (summary table, line 90)" in credit.message
    assert credit.locators == ["handbook.txt: summary table, line 90", "handbook.txt: unit page, line 500"]
    assert "'Answer the phone' in the contents" in found["unit-printed-differently:901+title"].message


# ---------------------------------------------------------------- levels along a trace: mapping review


def test_levels_that_disagree_along_a_trace():
    """tests/audit/levels.ttl, reasoned in its comments: X is mapped to U1 (level 1, needed: NOS 1-2), U3 (level 3,
    needed by nobody) and U5 (level 5, NOS 5); Y to U1 (level 1, but only NOS 3 is needed, by inference) and U3;
    Z is needed at an ability level with no NOS level, so its mapping is not judged."""
    result = audit(Store.from_files([HERE / "audit" / "levels.ttl"]))
    found = {f.id: f for f in result.findings if f.check == "levels-disagree-along-trace"}
    assert set(found) == {"levels-disagree-along-trace:X1.1", "levels-disagree-along-trace:Y1.1"}
    x, y = found["levels-disagree-along-trace:X1.1"], found["levels-disagree-along-trace:Y1.1"]
    assert [e.notation for e in x.entities] == ["X1.1", "U3"] and [e.notation for e in y.entities] == ["Y1.1", "U1"]
    assert "inferred" not in x.message and "confidence 0.45" in x.message and "ability level 4 (NOS level 5): Second Role" in x.message
    assert "ability level 2 (NOS level 3, inferred): First Role" in y.message and "is inferred" in y.message
    assert all((f.kind, f.severity, f.action) == ("mapping-review", "info", "review a mapping") for f in found.values())
    assert result.coverage["curated unit-competency mappings whose unit level a role needs"] == {"covered": 3, "total": 5, "percent": 60.0}


def test_level_reviews_on_the_project_are_notes_one_per_competency(report):
    findings = find(report, "levels-disagree-along-trace")
    assert findings and all(f.severity == "info" and f.kind == "mapping-review" for f in findings)
    assert len({f.entities[0].iri for f in findings}) == len(findings)


# ---------------------------------------------------------------- fixtures: clean and repeated graphs


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


# ---------------------------------------------------------------- the command, JSON and the baseline


def test_audit_command_json_and_fail_on(tmp_path):
    runner = CliRunner()
    out = tmp_path / "audit.json"
    result = runner.invoke(cli, ["audit", "--format", "json", "--output", str(out), "--fail-on", "error"])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["schema_version"] == SCHEMA_VERSION == 2 and set(data["summary"]) == {"error", "warning", "info"}
    assert set(data["kinds"]) == set(KINDS) and sum(data["kinds"].values()) == len(data["findings"])
    assert {"id", "check", "kind", "severity", "action", "message", "entities", "locators", "notes"} <= set(data["findings"][0])
    assert runner.invoke(cli, ["audit", "--fail-on", "warning"]).exit_code == 1


def test_a_baseline_keeps_only_what_is_new_or_changed(report):
    previous = report.as_dict()
    gone, edited = previous["findings"][0], previous["findings"][1]
    previous["findings"] = [f for f in previous["findings"] if f is not gone]
    edited["message"] = "worded otherwise"
    previous["findings"].append({"id": "stated-count-differs:no longer", "message": "fixed since"})
    compared = report.against(previous, "old.json")
    assert [f.id for f in compared.findings] == [gone["id"], edited["id"]]
    assert compared.baseline["new"] == [gone["id"]] and compared.baseline["changed"] == [edited["id"]]
    assert compared.baseline["resolved"] == ["stated-count-differs:no longer"]
    assert compared.baseline["unchanged"] == len(report.findings) - 2
    assert report.against(report.as_dict()).findings == []
    # A schema 1 report has no kind, action or notes: only the fields it has are compared.
    old = report.as_dict()
    for f in old["findings"]:
        del f["kind"], f["action"], f["notes"]
    assert report.against(old).findings == []


def test_audit_command_with_a_baseline_guards_ci(tmp_path):
    runner = CliRunner()
    base = tmp_path / "base.json"
    assert runner.invoke(cli, ["audit", "--format", "json", "--output", str(base)]).exit_code == 0
    result = runner.invoke(cli, ["audit", "--baseline", str(base), "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed" in result.output
    data = json.loads(base.read_text())
    warning = next(f for f in data["findings"] if f["severity"] == "warning")
    data["findings"].remove(warning)
    base.write_text(json.dumps(data))
    out = tmp_path / "new.json"
    result = runner.invoke(cli, ["audit", "--baseline", str(base), "--fail-on", "warning", "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    shown = json.loads(out.read_text())
    assert [f["id"] for f in shown["findings"]] == [warning["id"]] and shown["baseline"]["new"] == [warning["id"]]
    base.write_text("{not json")
    broken = runner.invoke(cli, ["audit", "--baseline", str(base)])
    assert broken.exit_code == 2 and "Error:" in broken.output and "not JSON" in broken.output
