"""The Functional Map in the graph is the Functional Map of the seed: every entity, label, parent and origin."""

import re
from collections import Counter

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, SKOS

from ccgraph.graph.namespaces import CCG, ID

import seed_functional_map

ORIGIN_TYPES = {
    "Import": CCG.Imported,
    "Tailored": CCG.Tailored,
    "New NOS based on existing NOS": CCG.NewBasedOnExisting,
    "New NOS": CCG.New,
    "Awaiting approval from UKCES": CCG.AwaitingApproval,
}


@pytest.fixture(scope="module")
def seed(seeds_dir):
    return seed_functional_map.read(seeds_dir)


def by_notation(graph, cls, notation):
    found = [s for s in graph.subjects(SKOS.notation, Literal(notation)) if (s, RDF.type, cls) in graph]
    assert len(found) == 1, f"{notation}: expected one {cls}, found {found}"
    return found[0]


def label(graph, entity):
    return str(graph.value(entity, SKOS.prefLabel))


def test_seed_reader_sees_the_whole_map(seed, seeds_dir):
    # A reader that missed rows would make every later test vacuous: count the codes in the raw text.
    text = (seeds_dir / seed_functional_map.SEED).read_text(encoding="utf-8")
    assert sorted(seed.key_area_headings) == ["A", "B", "C", "D"]
    assert len(seed.standards) == len(set(re.findall(r"\tGS CC ([A-D][A-K]\d+\.\d+) ", text)))
    assert len(seed.functions) == len(set(re.findall(r"\t([A-D][A-K]\d+) ", text)))
    assert len(seed.areas) == len(set(re.findall(r"^<b>([A-D][A-K]) ", text, re.MULTILINE)))


def test_counts_match_the_seed(graph, seed):
    assert len(set(graph.subjects(RDF.type, CCG.KeyArea))) == len(seed.key_area_headings)
    assert len(set(graph.subjects(RDF.type, CCG.AreaOfCompetence))) == len(seed.areas)
    assert len(set(graph.subjects(RDF.type, CCG.Function))) == len(seed.functions)
    assert len(set(graph.subjects(CCG.originType, None))) == len(seed.standards)


def test_key_areas_keep_both_printed_titles(graph, seed):
    for code, heading in seed.key_area_headings.items():
        key_area = by_notation(graph, CCG.KeyArea, code)
        assert label(graph, key_area) == heading.strip()
        assert (key_area, SKOS.topConceptOf, ID["functional-map"]) in graph
        listed = seed.key_area_list[code]
        alt = {str(a) for a in graph.objects(key_area, SKOS.altLabel)}
        if listed != heading.strip():
            assert alt == {listed}, f"key area {code}: the list's title {listed!r} must be an altLabel"
        else:
            assert alt == set()
    # The seed does print two titles for C and D; if this stops holding, the test above tests nothing.
    assert seed.key_area_list["C"] != seed.key_area_headings["C"].strip()


def test_every_area_has_its_title_and_key_area(graph, seed):
    for code, (title, key_area) in seed.areas.items():
        area = by_notation(graph, CCG.AreaOfCompetence, code)
        assert label(graph, area) == title
        assert graph.value(area, SKOS.broader) == by_notation(graph, CCG.KeyArea, key_area)


def test_every_function_has_its_title_and_area(graph, seed):
    for code, (title, area) in seed.functions.items():
        function = by_notation(graph, CCG.Function, code)
        assert label(graph, function) == title
        assert graph.value(function, SKOS.broader) == by_notation(graph, CCG.AreaOfCompetence, area)


def test_every_standard_has_title_parent_origin_and_source(graph, seed):
    for code, expected in seed.standards.items():
        nos = ID["functional-map/" + code.replace(" ", "-")]
        assert (nos, RDF.type, CCG.NationalOccupationalStandard) in graph, code
        assert str(graph.value(nos, SKOS.notation)) == code
        assert label(graph, nos) == expected.title
        assert graph.value(nos, SKOS.broader) == by_notation(graph, CCG.Function, expected.function)
        assert graph.value(nos, CCG.originType) == ORIGIN_TYPES[expected.origin], code
        parent = graph.value(nos, CCG.derivedFrom)
        if expected.source_code is None:
            assert parent is None, code
            continue
        assert str(graph.value(parent, SKOS.notation)) == expected.source_code, code
        assert label(graph, parent) == expected.source_title, code
        suite = graph.value(parent, CCG.inSuite)
        assert str(graph.value(suite, CCG.referenceText)) == expected.reference, code


def test_origin_type_counts_match_the_seed(graph, seed):
    counted = Counter(graph.value(s, CCG.originType) for s in graph.subjects(CCG.originType, None))
    expected = Counter(ORIGIN_TYPES[s.origin] for s in seed.standards.values())
    assert counted == expected


def test_body_and_suite_are_read_in_either_printed_order(graph, seed):
    """Each reference names a body and a suite; two print them suite first. Both parts must be kept."""
    for standard in seed.standards.values():
        if standard.reference is None:
            continue
        nos = ID["functional-map/" + standard.code.replace(" ", "-")]
        suite = graph.value(nos, CCG.originSuite)
        body = graph.value(suite, CCG.developedBy)
        parts = set(standard.reference.split(" – "))
        assert str(graph.value(suite, SKOS.prefLabel)) in parts
        body_names = {label(graph, body)} | {str(a) for a in graph.objects(body, SKOS.altLabel)}
        assert body_names & parts, f"{standard.code}: body {body_names} not in {parts}"
        order = str(graph.value(suite, CCG.referenceOrder))
        first = standard.reference.split(" – ")[0]
        assert order == ("suite – body" if first == label(graph, suite) else "body – suite")


def test_one_body_spelled_two_ways_is_one_organisation(graph):
    body = ID["org/marketing-and-sales-standard-setting-body"]
    assert label(graph, body) == "Marketing and Sales Standard Setting Body"
    assert {str(a) for a in graph.objects(body, SKOS.altLabel)} == {"Marketing and Sales Standards Setting Body"}
    suites = {label(graph, s) for s in graph.subjects(CCG.developedBy, body)}
    assert suites == {"Social Marketing NOS", "Sales"}


def test_codes_shared_by_suites_stay_distinct(graph, seed):
    """C4 names three different standards in three suites: each must be its own entity."""
    c4 = [s for s in seed.standards.values() if s.source_code == "C4"]
    parents = {graph.value(ID["functional-map/" + s.code.replace(" ", "-")], CCG.derivedFrom) for s in c4}
    assert len(c4) == 3 and len(parents) == 3
    assert {label(graph, p) for p in parents} == {s.source_title for s in c4}


def test_every_entity_points_into_its_source(graph):
    for entity in graph.subjects(SKOS.inScheme, ID["functional-map"]):
        locator = graph.value(entity, CCG.sourceLocator)
        assert locator is not None and str(locator), entity
        assert graph.value(entity, DCTERMS.source) == ID["source/004_b9e4e2b2d465afe3"]


def test_locators_lead_to_the_printed_line(graph, seeds_dir):
    """A locator's 'line N' must be a line of the seed that prints the entity's code."""
    lines = (seeds_dir / seed_functional_map.SEED).read_text(encoding="utf-8").splitlines()
    checked = 0
    for entity, notation in graph.subject_objects(SKOS.notation):
        if (entity, SKOS.inScheme, ID["functional-map"]) not in graph:
            continue
        locator = str(graph.value(entity, CCG.sourceLocator))
        number = int(re.search(r"line (\d+)", locator)[1])
        printed = lines[number - 1]
        expected = f"Key Area {notation}" if (entity, RDF.type, CCG.KeyArea) in graph else str(notation)
        assert expected in printed, f"{notation}: {locator} reads {printed[:80]!r}"
        checked += 1
    assert checked == len(set(graph.subjects(SKOS.inScheme, ID["functional-map"]))) - 1  # all but the key purpose
