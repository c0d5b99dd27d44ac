"""Tailoring overlays (framework section 4.2): CSV and Turtle forms, their own named graph, diff, bad input."""

import shutil

import pyoxigraph as ox
import pytest

from ccgraph.errors import CcgraphError
from ccgraph.workbench import Workbench, overlay as overlays, tailoring
from ccgraph.workbench.vocab import graph_iri, tailoring_iri

from workbench.helpers import invoke, one_line_error  # noqa: F401 (invoke is a fixture)
from workbench.helpers import LEADER, overlay, seed_profile, unresolved, write_csv



@pytest.fixture
def acme(tmp_path, seeds_dir):
    return overlay(tmp_path / "acme", seeds_dir)


def test_overlay_is_its_own_named_graph_and_leaves_the_published_graphs_alone(store, project, acme):
    before = store.graph_sizes()
    loaded = overlays.load(acme, store, project.shapes_dir)
    assert loaded.graph == graph_iri("acme") == "https://w3id.org/ccgraph/id/graph/employer/acme"
    assert {q.graph_name.value for q in loaded.quads} == {loaded.graph}
    assert all(q.subject.value == tailoring_iri("acme") or q.subject.value.startswith(tailoring_iri("acme") + "/") for q in loaded.quads)
    combined = overlays.with_overlay(store, loaded)
    assert store.graph_sizes() == before and loaded.graph not in before  # the published store is untouched
    sizes = combined.graph_sizes()
    assert sizes[loaded.graph] == len(loaded.quads) and {k: v for k, v in sizes.items() if k != loaded.graph} == before


def test_tailoring_applies_the_four_steps(store, project, acme, seeds_dir):
    t = Workbench.open(store, acme, project.shapes_dir).tailoring
    assert t.competencies["A1.7"].origin == "added" and t.competencies["A1.7"].legal_obligation is True
    assert t.competencies["A1.2"].title == "Measuring satisfaction" and t.competencies["A1.2"].origin == "amended"
    assert "D2.3" not in t.competencies and t.removed["D2.3"].where == "competencies.csv, line 4"
    lead = t.profile("Acme Team Lead")
    printed = seed_profile(seeds_dir, LEADER)
    for code, level in printed.items():  # category A as section 3.5 prints it, one level lowered on purpose
        expected = level - 1 if code == "A1.3" else level
        assert lead[code].level == expected, code
        assert lead[code].origin == ("employer" if code == "A1.3" else "defaulted")
    assert lead["A1.7"].level == 3 and lead["A1.7"].origin == "employer"
    assert "D2.3" not in lead and "D2.3" not in t.profile(LEADER)  # removed for the generic role too
    for code, raw in unresolved(LEADER).items():  # a defaulted unresolved cell stays unknown, with its raw text
        if code != "D2.3":
            assert not lead[code].known and lead[code].status == "unresolved" and lead[code].raw == raw, code
    assert set(t.profile("Acme Specialist")) == {"A1.1", "A1.7"}
    role = t.roles["Acme Team Lead"]
    assert (role.kind, role.generic, role.match) == ("employer", LEADER, "exact") and t.roles["Acme Specialist"].generic is None


def test_diff_reports_every_change(store, project, acme, seeds_dir, invoke):
    found = Workbench.open(store, acme, project.shapes_dir).diff()
    printed = seed_profile(seeds_dir, LEADER)
    assert [a["competency"] for a in found.added] == ["A1.7"]
    assert [r["competency"] for r in found.removed] == ["D2.3"]
    assert found.amended == [{"competency": "A1.2", "title": "Measuring customer satisfaction", "where": "competencies.csv, line 3",
                              "changes": [{"field": "title", "published": "Measuring customer satisfaction", "employer": "Measuring satisfaction"}]}]
    assert [(r["role"], r["generic_role"], r["match"]) for r in found.roles] == [("Acme Team Lead", LEADER, "exact"), ("Acme Specialist", None, None)]
    assert [(t["role"], t["competency"], t["generic"], t["target"]) for t in found.targets] == [
        ("Acme Team Lead", "A1.3", f"level {printed['A1.3']}", printed["A1.3"] - 1), ("Acme Team Lead", "A1.7", "not required", 3)]
    assert found.left_out == []
    text = invoke("tailor", "diff", acme).output
    assert "+ A1.7 Vulnerable customers" in text and "- D2.3 Web Telephony Integration" in text
    assert "exact match to generic role 'Customer Service Team Leader'" in text and "Acme Specialist: stands alone" in text
    assert f"Acme Team Lead / A1.3: level {printed['A1.3']} in 'Customer Service Team Leader' -> level {printed['A1.3'] - 1}" in text


def test_turtle_form_is_the_same_overlay(store, project, acme, tmp_path, invoke):
    folder = tmp_path / "acme-ttl"
    folder.mkdir()
    result = invoke("tailor", "export", acme, "--output", folder / "overlay.ttl")
    assert result.exit_code == 0, result.output
    from_csv = overlays.load(acme, store, project.shapes_dir)
    from_ttl = overlays.load(folder, store, project.shapes_dir)
    assert from_ttl.form == "turtle" and set(from_ttl.quads) == set(from_csv.quads)
    assert f"{folder}: overlay 'Acme Contact' is valid (turtle)" in invoke("tailor", "check", folder).output
    a, b = tailoring.load(store, from_csv), tailoring.load(store, from_ttl)
    assert a.profiles == b.profiles and a.competencies == b.competencies


def test_check_passes_and_says_what_it_holds(invoke, acme):
    result = invoke("tailor", "check", acme)
    assert result.exit_code == 0, result.output
    assert "overlay 'Acme Contact' is valid (csv)" in result.output and "1 competencies added, 1 amended, 1 removed; 2 roles" in result.output


# ---------------------------------------------------------------- bad overlays: one line naming file, line and column


NEEDS = [("Acme Specialist", "A1.1", "3", ""), ("Acme Specialist", "A1.7", "4", "")]


def needs_with(*rows):
    return [*NEEDS, *rows]


BAD = {
    "unknown competency": (dict(needs=needs_with(("Acme Specialist", "A1.l", "2", ""))),
                           "role_competencies.csv:4:2:", "unknown competency 'A1.l'", "did you mean 'A1.1 Customer service ethos'"),
    "unknown role": (dict(needs=needs_with(("Acme Specalist", "A1.3", "2", ""))),
                     "role_competencies.csv:4:1:", "unknown role 'Acme Specalist'", "did you mean 'Acme Specialist'"),
    "generic role used as the employer's": (dict(needs=needs_with((LEADER, "A1.3", "2", ""))),
                                            "role_competencies.csv:4:1:", "is a generic role; add a role of your own"),
    "unknown generic role": (dict(roles=[("Acme Team Lead", "Customer Service Team Leeder", "", ""), ("Acme Specialist", "", "", "")]),
                             "roles.csv:2:2:", "unknown generic role", "did you mean 'Customer Service Team Leader'"),
    "level of 5": (dict(needs=needs_with(("Acme Specialist", "A1.3", "5", ""))), "role_competencies.csv:4:3:", "target level '5' is not an ability level"),
    "duplicated row": (dict(needs=needs_with(("Acme Specialist", "A1.1", "2", ""))), "role_competencies.csv:4:2:", "already needs A1.1 (line 2)"),
    "removes a needed competency": (dict(competencies=[("remove", "A1.1", "", "", "", "", "", "")], needs=NEEDS[:1],
                                         roles=[("Acme Specialist", "", "", "")]),
                                    "competencies.csv:2:2:", "removes competency A1.1, which role 'Acme Specialist' still needs", "role_competencies.csv:2"),
    "unknown action": (dict(competencies=[("ad", "A1.7", "A1", "X", "", "", "", "")]), "competencies.csv:2:1:", "unknown action 'ad'", "did you mean 'add'"),
    "added under a published code": (dict(competencies=[("add", "A1.1", "A1", "X", "", "", "", "")]),
                                     "competencies.csv:2:2:", "A1.1 is a published competency", "use 'amend'"),
    "added under a category": (dict(competencies=[("add", "A1.7", "A", "X", "", "", "", "")]), "competencies.csv:2:3:", "A is a category"),
    "employer role named as a generic one": (dict(roles=[("Sales advisor", "", "", "")]), "roles.csv:2:1:", "is a generic role of the framework"),
    "no target where the role stands alone": (dict(needs=needs_with(("Acme Specialist", "A1.3", "", ""))),
                                              "role_competencies.csv:4:3:", "no target level for A1.3", "stands alone"),
    "bad employer name": (dict(employer=[("Acme Ltd", "Acme")]), "employer.csv:2:1:", "must be lower-case letters", "'acme-ltd'"),
}


def _build(tmp_path, seeds_dir, **tables):
    folder = overlay(tmp_path / "bad", seeds_dir, **{k: v for k, v in tables.items()})
    if "roles" not in tables and "needs" in tables:
        write_csv(folder / "roles.csv", ("role", "generic_role", "match", "description"),
                  [("Acme Team Lead", LEADER, "", ""), ("Acme Specialist", "", "", "")])
        if not any(r[0] == "Acme Team Lead" for r in tables["needs"]):
            write_csv(folder / "roles.csv", ("role", "generic_role", "match", "description"), [("Acme Specialist", "", "", "")])
    return folder


@pytest.mark.parametrize("case", sorted(BAD), ids=lambda c: c.replace(" ", "-"))
def test_bad_overlay_is_one_line_naming_file_line_and_column(invoke, tmp_path, seeds_dir, case):
    tables, *fragments = BAD[case]
    folder = _build(tmp_path, seeds_dir, **tables)
    out = tmp_path / "out.ttl"
    line = one_line_error(invoke("tailor", "export", folder, "--output", out), *fragments)
    assert str(folder) in line
    assert not out.exists()  # nothing loaded, nothing written


def test_missing_column(invoke, tmp_path, seeds_dir):
    folder = overlay(tmp_path / "bad", seeds_dir)
    write_csv(folder / "role_competencies.csv", ("role", "competncy", "target_level"), [("Acme Specialist", "A1.1", "3")])
    one_line_error(invoke("tailor", "check", folder), "role_competencies.csv:1:", "unknown column 'competncy'", "did you mean 'competency'")
    write_csv(folder / "role_competencies.csv", ("role", "target_level"), [("Acme Specialist", "3")])
    one_line_error(invoke("tailor", "check", folder), "role_competencies.csv:1:3:", "missing column 'competency'")


def test_unknown_table(invoke, tmp_path, seeds_dir):
    folder = overlay(tmp_path / "bad", seeds_dir)
    shutil.copy(folder / "role_competencies.csv", folder / "role_competences.csv")
    one_line_error(invoke("tailor", "check", folder), "role_competences.csv:1:1:", "did you mean 'role_competencies.csv'")


def test_turtle_outside_the_employer_space_is_refused(invoke, tmp_path, acme):
    folder = tmp_path / "ttl"
    folder.mkdir()
    invoke("tailor", "export", acme, "--output", folder / "overlay.ttl")
    text = (folder / "overlay.ttl").read_text(encoding="utf-8")
    (folder / "overlay.ttl").write_text(text + '\n<https://w3id.org/ccgraph/id/eskills-framework/A1.1> skos:prefLabel "Ethos"@en .\n',
                                        encoding="utf-8")
    line = len(text.splitlines()) + 2
    one_line_error(invoke("tailor", "check", folder), f"overlay.ttl:{line}:1:", "outside the employer's space")


def test_turtle_checked_by_the_shapes_with_its_place(invoke, tmp_path, acme):
    folder = tmp_path / "ttl"
    folder.mkdir()
    invoke("tailor", "export", acme, "--output", folder / "overlay.ttl")
    text = (folder / "overlay.ttl").read_text(encoding="utf-8")
    broken = text.replace("ccg:competency eskills:A1.1 ;", "ccg:competency eskills:A9.9 ;", 1)
    assert broken != text
    (folder / "overlay.ttl").write_text(broken, encoding="utf-8")
    subject = next(i for i, line in enumerate(broken.splitlines(), start=1) if line.startswith("emp:role\\/acme-specialist\\/A1.1 "))
    one_line_error(invoke("tailor", "check", folder), f"overlay.ttl:{subject}:1:", "exactly one ccg:Competency", "RoleRequirement-competency")


def test_api_raises_and_keeps_nothing(store, project, tmp_path, seeds_dir):
    folder = _build(tmp_path, seeds_dir, needs=needs_with(("Acme Specialist", "A1.3", "5", "")))
    with pytest.raises(CcgraphError, match=r"role_competencies\.csv:4:3: target level '5'"):
        Workbench.open(store, folder, project.shapes_dir)
    assert graph_iri("acme") not in store.graph_sizes()
    assert not any(True for _ in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri("acme"))))
