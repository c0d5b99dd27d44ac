"""query.search: one index over every entity's codes, names and definitions, ranked; and the strict resolver.

Expected entities come from the seeds (read by tests/seed_*.py) or from small graphs written here,
never from the index under test.
"""

import threading
from pathlib import Path

import pytest

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.query import search as search_module
from ccgraph.query.search import Index, fold, index, resolve, search

import seed_eskills
import seed_functional_map
import seed_qualifications

ID = "https://w3id.org/ccgraph/id/"


@pytest.fixture(scope="module")
def seed(seeds_dir):
    return seed_functional_map.read(seeds_dir)


def tiny_store(tmp_path: Path, body: str) -> Store:
    """A store of a few hand-written entities (ccg:Competency unless said), to test ranking on its own."""
    path = tmp_path / "tiny.ttl"
    path.write_text(
        "@prefix ccg: <https://w3id.org/ccgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix x: <https://w3id.org/ccgraph/id/test/> .\n" + body, encoding="utf-8")
    return Store.from_files([path])


RANKED = """
x:definition a ccg:Competency ; skos:prefLabel "Unrelated words"@en ; skos:definition "Talks about zorbing often"@en .
x:substring  a ccg:Competency ; skos:prefLabel "Antizorbing measures"@en .
x:words      a ccg:Competency ; skos:prefLabel "Safe indoor zorbing"@en .
x:prefix     a ccg:Competency ; skos:prefLabel "Zorbing for beginners"@en .
x:label      a ccg:Competency ; skos:prefLabel "Zorbing"@en .
x:notation   a ccg:Competency ; skos:notation "ZORBING" ; skos:prefLabel "Something else"@en .
x:other      a ccg:Competency ; skos:prefLabel "Nothing to see"@en .
"""


def test_ranking_is_exact_code_then_exact_name_then_prefix_words_substring_definition(tmp_path):
    store = tiny_store(tmp_path, RANKED)
    hits = search(store, "zorbing")
    assert [h.iri.rsplit("/", 1)[1] for h in hits] == ["notation", "label", "prefix", "words", "substring", "definition"]
    assert [h.matched for h in hits] == ["notation", "label", "label", "label", "label", "definition"]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True) and len({h.score for h in hits}) == 6


def test_accents_case_and_the_code_form_are_folded(tmp_path):
    store = tiny_store(tmp_path, """
x:cafe a ccg:Role ; skos:prefLabel "Café Société Manager"@en .
x:code a ccg:NationalOccupationalStandard ; skos:notation "GS CC ZZ1.1" ; skos:prefLabel "Ünïcode title"@en .
""")
    assert [h.iri for h in search(store, "cafe societe manager")] == [ID + "test/cafe"]
    assert search(store, "CAFÉ")[0].matched == "label"
    assert search(store, "gs-cc-zz1.1")[0].matched == "notation"
    assert search(store, "unicode")[0].iri == ID + "test/code"
    assert fold("  GS-CC_BA3.1 ") == "gs cc ba3.1"


def test_word_prefixes_match_in_any_order_but_each_word_once(tmp_path):
    store = tiny_store(tmp_path, """
x:lead a ccg:Role ; skos:prefLabel "Customer Service Team Leader"@en .
x:three a ccg:Qualification ; skos:notation "3412-03" ; skos:prefLabel "Level 2"@en .
""")
    assert [h.iri for h in search(store, "lead team")] == [ID + "test/lead"]
    assert search(store, "3412 3", kinds="qualification") == []  # '3' does not reuse the word '3412'


def test_kinds_filter_and_limit(store, seed):
    hits = search(store, "GS CC BA", kinds=["nos"], limit=0)
    assert {h.notation for h in hits} == {code for code in seed.standards if code.startswith("GS CC BA")}
    assert {h.kind for h in hits} == {"nos"}
    assert len(search(store, "GS CC BA", kinds="nos", limit=2)) == 2
    with pytest.raises(CcgraphError, match="unknown kind"):
        search(store, "x", kinds="colour")


def test_every_functional_map_nos_is_found_first_by_its_code_in_any_form(store, seed):
    for code, standard in seed.standards.items():
        for typed in (code, code.replace(" ", "-"), code.lower()):
            top = search(store, typed, kinds="nos", limit=1)[0]
            assert (top.notation, top.label, top.matched) == (code, standard.title, "notation"), typed


def test_index_covers_every_role_competency_and_unit_of_the_seeds(store, seeds_dir):
    entities = index(store).entities.values()
    assert {e.label for e in entities if e.kind == "role"} == set(seed_eskills.roles(seeds_dir))
    assert len([e for e in entities if e.kind == "competency"]) == len(seed_eskills.competencies(seeds_dir))
    accredited = {e.notation for e in entities if e.kind == "unit" and e.preferred}
    assert accredited == set(seed_qualifications.cg_units(seeds_dir))


def test_the_index_is_built_once_per_store_even_from_many_threads(tmp_path, monkeypatch):
    store = tiny_store(tmp_path, RANKED)
    built = []
    original = Index.__init__

    def counting(self, *args):
        built.append(self)
        original(self, *args)

    monkeypatch.setattr(search_module.Index, "__init__", counting)
    barrier = threading.Barrier(8)
    found = []

    def call():
        barrier.wait()
        found.append(index(store))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1 and all(f is found[0] for f in found)
    other = tiny_store(tmp_path, RANKED)
    assert index(other) is not found[0]  # per store object


# ---------------------------------------------------------------- resolving one entity


def test_every_role_resolves_from_its_name_in_any_case(store, seeds_dir):
    for role in seed_eskills.roles(seeds_dir):
        for typed in (role, role.lower(), role.upper()):
            assert resolve(store, typed, "role").label == role


def test_a_unit_number_or_title_names_the_city_and_guilds_unit(store, seeds_dir):
    units = seed_qualifications.cg_units(seeds_dir)
    (title,) = units["211"]["titles"]
    for typed in ("211", title, title.upper()):
        hit = resolve(store, typed, "unit")
        assert (hit.notation, hit.iri) == ("211", ID + "city-and-guilds-3412/unit/211")


def test_a_full_iri_or_curie_resolves_and_must_be_of_the_kind(store):
    iri = ID + "suite/customer-service/B4"
    assert resolve(store, iri, "nos").iri == iri
    assert resolve(store, f"<{iri}>", "nos").iri == iri
    assert resolve(store, "ccgid:suite/customer-service/B4", "nos").iri == iri
    with pytest.raises(CcgraphError, match="is a NOS, not a unit"):
        resolve(store, iri, "unit")


def test_an_unknown_name_suggests_the_closest(store, seeds_dir):
    leader = next(r for r in seed_eskills.roles(seeds_dir) if r.startswith("Customer Service Team Leader"))
    with pytest.raises(CcgraphError) as caught:
        resolve(store, "team leader", "role", where="--param role")
    message = str(caught.value)
    assert message.startswith("--param role: no role with code or name 'team leader'") and f"'{leader}'" in message
    assert "did you mean" in message and "\n" not in message
    with pytest.raises(CcgraphError, match="did you mean 'Sales Advisor'"):
        resolve(store, "Sales Advsor", "role")  # a typo: the nearest spelling
    with pytest.raises(CcgraphError, match="did you mean '3412-03'"):
        resolve(store, "3412-3", "qualification")


def test_an_ambiguous_code_names_every_candidate(store):
    with pytest.raises(CcgraphError) as caught:
        resolve(store, "B4", "nos")
    message = str(caught.value)
    assert "ambiguous" in message and "\n" not in message
    assert "ccgid:suite/customer-service/B4" in message and "ccgid:suite/management-and-leadership/B4" in message
    with pytest.raises(CcgraphError, match="ambiguous"):
        resolve(store, "1", "unit")  # three OCR listings numbered 1, no City & Guilds unit 1


@pytest.mark.parametrize("text", ["", "   ", 'GS CC AA1.1" } UNION { ?s ?p ?o } #', "\\\" \\n }}}{{{ ?x"])
def test_blank_and_hostile_text_is_a_one_line_error(store, text):
    with pytest.raises(CcgraphError) as caught:
        resolve(store, text, "nos")
    assert "\n" not in str(caught.value)
