"""Find, browse and read (issue 15) in a real browser and over HTTP: the typeahead, the scheme trees, the A-Z
index, the mapping set pages and their downloads, the trace form, the entity pages' order, /api/search and
/api/entity, against a live `ccgraph serve` (with the closure, so entity pages have inferred statements).

Expected content comes from the seeds (tests/seed_*.py read ../shared/seeds themselves) or from the mapping
TSVs read here with the csv module, never from the code under test. Every page visited in the browser is
also photographed (Chromium's screenshot), and the shot checked to be a real picture of the page.
"""

import csv
import io
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from ccgraph.query.trace import Tracer

import seed_eskills
import seed_functional_map
import seed_qualifications
from browser import chromium
from live_server import running_server

REPO = Path(__file__).resolve().parents[1]
MAPPINGS = REPO / "data" / "mappings"
ID = "https://w3id.org/ccgraph/id/"


def natural(text: str) -> tuple:
    """The order people count codes in (written here, not imported: the pages' order is what is tested)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.findall(r"\d+|\D+", text))


def tsv_rows(name: str) -> list[dict]:
    lines = (MAPPINGS / f"{name}.sssom.tsv").read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(io.StringIO("\n".join(line for line in lines if not line.startswith("#"))), delimiter="\t"))


def tsv_rows_with_lines(name: str) -> list[tuple[int, dict]]:
    """(line number in the file, row) for every row: the first line after the '#' block is the header."""
    lines = (MAPPINGS / f"{name}.sssom.tsv").read_text(encoding="utf-8").splitlines()
    header_at = next(n for n, line in enumerate(lines) if not line.startswith("#"))
    header = lines[header_at].split("\t")
    return [(n + 1, dict(zip(header, line.split("\t")))) for n, line in enumerate(lines) if n > header_at and line.strip()]


def curie_map(name: str) -> dict[str, str]:
    prefixes, inside = {}, False
    for line in (MAPPINGS / f"{name}.sssom.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#curie_map:"):
            inside = True
        elif inside and (m := re.match(r'^#\s+(\w+):\s*"?([^"]+)"?$', line)):
            prefixes[m[1]] = m[2]
        elif line.startswith("#"):
            inside = False
    return prefixes


def expand(curie: str, prefixes: dict[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else curie


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site():
    with running_server("--timeout", "60") as url:
        yield url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    with chromium(tmp_path_factory.mktemp("chromium"), downloads=downloads) as chrome:
        yield chrome


@pytest.fixture(scope="module")
def fmap(seeds_dir):
    return seed_functional_map.read(seeds_dir)


def wait_for(browser, css, timeout=60):
    return WebDriverWait(browser, timeout).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def visible(browser, css, timeout=30):
    return WebDriverWait(browser, timeout).until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)))


def photograph(browser, shots: Path, name: str, *expected: str) -> str:
    """Screenshot the page; check the shot is a PNG of the window, and that the page shows each expected text."""
    path = shots / f"{name}.png"
    assert browser.save_screenshot(str(path)), name
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, f"{path}: not a picture of a page"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1000 and height >= 600, (width, height)
    text = browser.find_element(By.TAG_NAME, "body").text
    for wanted in expected:
        assert wanted in text, f"{name}: {wanted!r} not on the page (screenshot {path})"
    return text


def suggestions(browser, box, typed: str, timeout=30):
    box.clear()
    box.send_keys(typed)
    WebDriverWait(browser, timeout).until(lambda b: [li for li in b.find_elements(By.CSS_SELECTOR, ".suggestions li") if li.is_displayed()])
    return [li for li in browser.find_elements(By.CSS_SELECTOR, ".suggestions li") if li.is_displayed()]


# ---------------------------------------------------------------- in the browser

def test_typeahead_suggestion_leads_to_the_entity_page(browser, site, shots, seeds_dir):
    roles = seed_eskills.roles(seeds_dir)
    role = next(r for r in roles if r == "Customer Service Team Leader")
    browser.get(site + "/")
    box = wait_for(browser, "#site-nav input#typeahead")
    found = suggestions(browser, box, "team lead")
    texts = [li.text for li in found]
    assert any(role in t for t in texts), texts
    photograph(browser, shots, "typeahead", role)
    next(li for li in found if role in li.text).click()
    WebDriverWait(browser, 60).until(lambda b: "/eskills-framework/role/" in b.current_url)
    assert wait_for(browser, "h1").text == role
    # The role's requirements, as the seed's matrix reads them: each level and how it was read.
    index = roles.index(role)
    reading = seed_eskills.matrix_reading(seeds_dir)
    expected = {code: (status, level) for (code, r), (status, level, _) in reading.items() if r == index and status != seed_eskills.NOT_PRINTED}
    rows = browser.find_elements(By.CSS_SELECTOR, "#requirements tbody tr")
    shown = {}
    for row in rows:
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        shown[cells[0]] = (cells[3].lower().replace(" ", ""), int(cells[2].split()[0]) if cells[2] else None)
    assert shown == {code: (status.replace(" ", ""), level) for code, (status, level) in expected.items()}
    photograph(browser, shots, "role-page", role, "Requirements", "reading status")


def test_enter_in_the_search_box_opens_the_results_page(browser, site, shots, fmap):
    code, standard = next(iter(sorted(fmap.standards.items())))
    browser.get(site + "/browse")
    box = wait_for(browser, "#typeahead")
    box.send_keys(standard.title)
    box.submit()
    wait_for(browser, "#search-results")
    assert f"/search?q=" in browser.current_url
    photograph(browser, shots, "search-results", standard.title, code)


def test_a_hierarchy_node_expands_and_its_children_are_in_natural_order(browser, site, shots, fmap):
    browser.get(site + "/browse/functional-map")
    key_area = "A"
    node = wait_for(browser, f"ul.tree li[data-path='/id/functional-map/{key_area}']")
    children = node.find_elements(By.CSS_SELECTOR, ":scope > details > ul > li")
    areas = sorted((c for c, (_, k) in fmap.areas.items() if k == key_area), key=natural)
    assert [li.get_attribute("data-path").rsplit("/", 1)[1] for li in children] == areas
    first = children[0].find_element(By.CSS_SELECTOR, ".node")
    assert not first.is_displayed()
    node.find_element(By.CSS_SELECTOR, ":scope > details > summary .node").click()
    WebDriverWait(browser, 10).until(lambda b: first.is_displayed())
    assert first.text == f"{areas[0]} {fmap.areas[areas[0]][0]}"
    photograph(browser, shots, "browse-functional-map", fmap.key_area_headings[key_area], fmap.areas[areas[0]][0])
    # One more level, and every NOS under a function ordered naturally (GS CC AA1.2 before GS CC AA1.10).
    function = sorted((f for f, (_, a) in fmap.functions.items() if a == areas[0]), key=natural)[0]
    children[0].find_element(By.CSS_SELECTOR, ":scope > details > summary .node").click()
    branch = wait_for(browser, f"ul.tree li[data-path='/id/functional-map/{function}']")
    branch.find_element(By.CSS_SELECTOR, ":scope > details > summary .node").click()
    nos = [s.code for s in fmap.standards.values() if s.function == function]
    shown = [li.find_element(By.CSS_SELECTOR, ".node").text.split(" ", 3) for li in branch.find_elements(By.CSS_SELECTOR, ":scope > details > ul > li")]
    assert [" ".join(words[:3]) for words in shown] == sorted(nos, key=natural)


def test_qualification_tree_holds_each_group_s_units_and_their_outcomes(browser, site, shots, seeds_dir):
    groups = seed_qualifications.cg_group_units(seeds_dir)
    pages = seed_qualifications.cg_unit_pages(seeds_dir)
    browser.get(site + "/browse/city-and-guilds-3412")
    wait_for(browser, "ul.tree")
    for (qualification, group), units in sorted(groups.items()):
        branch = browser.find_element(By.CSS_SELECTOR, f"ul.tree li[data-path='/id/city-and-guilds-3412/{qualification}/group/{group}']")
        listed = [li.get_attribute("data-path").rsplit("/", 1)[1] for li in branch.find_elements(By.CSS_SELECTOR, ":scope > details > ul > li")]
        assert listed == sorted(units, key=natural), (qualification, group)
    unit, page = next((u, p) for u, p in sorted(pages.items()) if p["outcomes"])
    node = browser.find_element(By.CSS_SELECTOR, f"ul.tree li[data-path='/id/city-and-guilds-3412/unit/{unit}']")
    outcomes = [li.get_attribute("data-path").rsplit("/", 1)[1] for li in node.find_elements(By.CSS_SELECTOR, ":scope > details > ul > li")]
    assert outcomes == sorted(page["outcomes"], key=natural)
    browser.find_element(By.ID, "expand-all").click()
    photograph(browser, shots, "browse-city-and-guilds", *(f"{q}" for q, _ in groups))


def test_entity_page_reveals_its_place_in_the_tree(browser, site, shots, fmap):
    code, standard = sorted(fmap.standards.items())[0]
    browser.get(site + f"/id/functional-map/{code.replace(' ', '-')}")
    assert wait_for(browser, "h1").text.startswith(code)
    crumbs = browser.find_element(By.ID, "breadcrumb").text
    for part in (fmap.key_area_headings[standard.key_area], fmap.areas[standard.area][0], fmap.functions[standard.function][0]):
        assert part in crumbs
    browser.find_element(By.CSS_SELECTOR, "#breadcrumb a[href^='/browse/functional-map#']").click()
    hit = visible(browser, "ul.tree li.hit")
    assert hit.get_attribute("data-path") == f"/id/functional-map/{code.replace(' ', '-')}"
    photograph(browser, shots, "tree-reveal", standard.title)


def test_a_to_z_lists_every_key_area_and_role(browser, site, shots, fmap, seeds_dir):
    browser.get(site + "/a-z")
    wait_for(browser, "#az-count")
    text = photograph(browser, shots, "a-z", "A-Z index")
    for title in [*fmap.key_area_headings.values(), *seed_eskills.roles(seeds_dir)]:
        assert title in text, title
    letters = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".letters a")]
    assert letters == sorted(letters, key=lambda x: (x == "#", x)) and "C" in letters


def test_mapping_set_page_and_download(browser, site, shots, downloads):
    name = "nos-unit"
    rows = tsv_rows(name)
    browser.get(site + "/mappings")
    wait_for(browser, "#mapping-sets")
    photograph(browser, shots, "mapping-sets", *(p.name.removesuffix(".sssom.tsv") for p in MAPPINGS.glob("*.sssom.tsv")))
    browser.find_element(By.CSS_SELECTOR, f"#mapping-sets a[href='/mappings/{name}']").click()
    wait_for(browser, "#rows")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == len(rows)
    assert browser.find_element(By.ID, "row-count").text == str(len(rows))
    labels = [r["subject_label"] for r in rows[:3]] + [r["object_label"] for r in rows if r["object_label"]][:3]
    photograph(browser, shots, "mapping-set", *labels)
    # The filter narrows the rows to those that mention what is typed.
    target = next(r for r in rows if r["object_label"])["object_label"]
    browser.find_element(By.ID, "row-filter").send_keys(target)
    WebDriverWait(browser, 10).until(lambda b: int(b.find_element(By.ID, "rows-shown").text) < len(rows))
    kept = [tr for tr in browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr") if tr.is_displayed()]
    assert kept and len(kept) == int(browser.find_element(By.ID, "rows-shown").text)
    assert all(target.lower() in tr.text.lower() for tr in kept)
    browser.find_element(By.ID, "row-filter").clear()
    for old in downloads.glob("*"):
        old.unlink()
    browser.find_element(By.ID, "download").click()
    target_file = downloads / f"{name}.sssom.tsv"
    deadline = time.monotonic() + 60
    while not (target_file.is_file() and not list(downloads.glob("*.crdownload"))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target_file.is_file(), list(downloads.iterdir())
    assert target_file.read_bytes() == (MAPPINGS / f"{name}.sssom.tsv").read_bytes()
    body = [line for line in target_file.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t")) == rows


def test_trace_start_picked_in_the_form(browser, site, shots, seeds_dir):
    unit = "204"
    page = seed_qualifications.cg_unit_pages(seeds_dir)[unit]
    (title,) = seed_qualifications.cg_units(seeds_dir)[unit]["titles"]
    browser.get(site + "/trace")
    form = wait_for(browser, "#trace-form")
    assert wait_for(browser, "h1").text == "Trace"
    Select(form.find_element(By.NAME, "kind")).select_by_value("unit")
    found = suggestions(browser, form.find_element(By.ID, "trace-start"), unit)
    assert all(li.find_element(By.CSS_SELECTOR, ".kind").text == "unit" for li in found)
    pick = next(li for li in found if li.find_element(By.CSS_SELECTOR, ".text").text.startswith(f"{unit} "))
    pick.click()
    assert form.find_element(By.NAME, "iri").get_attribute("value") == f"{ID}city-and-guilds-3412/unit/{unit}"
    assert form.find_element(By.ID, "trace-start").get_attribute("value") == unit
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda b: b.find_element(By.TAG_NAME, "h1").text == f"Trace from unit {unit}")
    wait_for(browser, "#trace-diagram svg")
    text = photograph(browser, shots, "trace-unit-204", title, *(f"Contact Centre NOS {n}" for n in page["nos"]))
    assert "By competency" in text and "By role" in text
    # Every node of the diagram links to its page here.
    links = [a.get_dom_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#trace-diagram svg a")]
    assert links and all(link.startswith("/id/") for link in links)
    nodes = {g.get_attribute("data-code") for g in browser.find_elements(By.CSS_SELECTOR, "#trace-diagram svg g.node")}
    assert {unit, *page["nos"]} <= nodes
    # The competencies of the grouped view, in natural order.
    codes = [d.get_attribute("data-code") for d in browser.find_elements(By.CSS_SELECTOR, "#by-competency details.competency")]
    assert codes and codes == sorted(codes, key=natural)


def test_large_trace_is_a_list_not_a_diagram(browser, site, shots, seeds_dir, store):
    role = "Sales Advisor"
    assert role in seed_eskills.roles(seeds_dir)
    browser.get(site + "/trace?" + urlencode({"kind": "role", "start": role.lower()}))
    assert wait_for(browser, "h1").text == f"Trace from role {role}"
    count = int(browser.find_element(By.ID, "path-count").text)
    assert count > 60
    assert browser.find_elements(By.ID, "too-large") and not browser.find_elements(By.ID, "trace-diagram")
    photograph(browser, shots, "trace-role-list", role, "as a list")
    # The list holds each distinct path once: its leaves are the paths (the tracer's, compared by their nodes).
    leaves = browser.execute_script("return document.querySelectorAll('#trace-list li:not(:has(details))').length")
    paths = Tracer(store).trace("role", role)
    assert count == len(paths) and leaves == len({tuple(n["iri"] for n in p.nodes) for p in paths})


@pytest.mark.parametrize("path", ["/audit", "/matrix", "/trace?nos=19", "/browse", "/a-z", "/mappings", "/downloads", "/search", "/roles",
                                  "/competencies", "/id/suite/contact-centre/19"])
def test_every_page_has_the_navigation_and_the_search_box(browser, site, path):
    browser.get(site + path)
    nav = wait_for(browser, "#site-nav")
    names = [a.text for a in nav.find_elements(By.CSS_SELECTOR, ":scope > a")]
    for wanted in ("Browse", "A-Z", "Mappings", "Downloads", "Search"):
        assert wanted in names, (path, names)
    assert nav.find_element(By.CSS_SELECTOR, "input.typeahead").is_displayed()
    assert browser.find_element(By.TAG_NAME, "h1").location["y"] > nav.location["y"]


def test_entity_page_leads_with_the_curated_content(browser, site, shots, seeds_dir):
    unit = "204"
    browser.get(site + f"/id/city-and-guilds-3412/unit/{unit}")
    wait_for(browser, "#mappings")
    order = browser.execute_script(
        "return ['summary', 'breadcrumb', 'printed-links', 'mappings', 'provenance', 'outgoing', 'incoming', 'inferred']"
        ".map(function (id) { var e = document.getElementById(id); return e ? e.getBoundingClientRect().top + window.scrollY : null; });")
    assert None not in order and order == sorted(order), order
    inferred = browser.find_element(By.ID, "inferred")
    assert inferred.get_attribute("open") is None  # folded away
    # Its mappings are every TSV row naming it, each with its set and line.
    iri = f"{ID}city-and-guilds-3412/unit/{unit}"
    expected = {(name, line) for name in (p.name.removesuffix(".sssom.tsv") for p in MAPPINGS.glob("*.sssom.tsv"))
                for line, row in tsv_rows_with_lines(name)
                if iri in (expand(row["subject_id"], curie_map(name)), expand(row["object_id"], curie_map(name)))}
    cells = [row.find_elements(By.TAG_NAME, "td")[-1].text for row in browser.find_elements(By.CSS_SELECTOR, "#mappings tbody tr")]
    shown = [(c.split(".sssom.tsv")[0], int(c.rsplit(" ", 1)[1])) for c in cells]
    assert expected and sorted(shown) == sorted(expected)
    page = seed_qualifications.cg_unit_pages(seeds_dir)[unit]
    photograph(browser, shots, "unit-204", "Place in the hierarchy", "Printed links", *(f"Contact Centre NOS {n}" for n in page["nos"]))


# ---------------------------------------------------------------- over HTTP

def test_api_search_ranks_the_exact_code_first(site, fmap):
    code, standard = sorted(fmap.standards.items(), key=lambda item: natural(item[0]))[-1]
    data = httpx.get(site + "/api/search", params={"q": code.replace(" ", "-").lower(), "kind": "nos"}).json()
    top = data["results"][0]
    assert (top["notation"], top["label"], top["kind"]) == (code, standard.title, "nos")
    assert top["path"] == "/id/functional-map/" + code.replace(" ", "-")
    start = code.rsplit(".", 1)[0]  # GS CC DC2.1 -> GS CC DC2: the function's NOS begin so
    begin = {c for c in fmap.standards if c.startswith(start)}
    prefix = httpx.get(site + "/api/search", params={"q": start, "limit": len(begin)}).json()
    assert {r["notation"] for r in prefix["results"]} == begin


def test_api_search_refuses_bad_parameters(site):
    assert httpx.get(site + "/api/search", params={"q": "x", "kind": "planet"}).status_code == 400
    assert httpx.get(site + "/api/search", params={"q": "x", "limit": "lots"}).status_code == 400
    assert httpx.get(site + "/api/search", params={"q": ""}).json()["results"] == []


def test_pages_escape_what_is_typed(site):
    evil = "<img src=x onerror=alert(1)>"
    for path, params in (("/search", {"q": evil}), ("/trace", {"kind": "nos", "start": evil}), ("/mappings/" + evil, {})):
        page = httpx.get(site + path, params=params).text
        assert evil not in page and "&lt;img src=x onerror=alert(1)&gt;" in page, path


def test_api_entity_of_a_functional_map_nos(site, fmap):
    code, standard = sorted(fmap.standards.items())[1]
    iri = ID + "functional-map/" + code.replace(" ", "-")
    data = httpx.get(site + "/api/entity", params={"iri": iri}).json()
    assert (data["code"], data["label"], data["kind"]) == (code, standard.title, "nos")
    assert [[n["code"] for n in chain] for chain in data["broader"]] == [[standard.key_area, standard.area, standard.function]]
    name = "nos-unit"
    prefixes = curie_map(name)
    rows = {line: row for line, row in tsv_rows_with_lines(name) if expand(row["subject_id"], prefixes) == iri}
    mine = [m for m in data["mappings"] if m["set_name"] == name]
    assert {m["line"] for m in mine} == set(rows)
    for m in mine:
        row = rows[m["line"]]
        assert m["no_match"] == (row["object_id"] == "sssom:NoTermFound")
        assert m["comment"] == row["comment"] and (m["confidence"] or "") == (float(row["confidence"]) if row["confidence"] else "")
    if standard.source_code:
        assert any(link["property_label"] == "derived from" and link["code"] == standard.source_code for link in data["printed_links"])
    # The same entity by CURIE and by its path here.
    for other in ("ccgid:functional-map/" + code.replace(" ", "-"), "/id/functional-map/" + code.replace(" ", "-")):
        assert httpx.get(site + "/api/entity", params={"iri": other}).json()["iri"] == iri


def test_api_entity_of_a_role_gives_its_requirements(site, seeds_dir):
    roles = seed_eskills.roles(seeds_dir)
    role = roles[0]
    data = httpx.get(site + "/api/search", params={"q": role, "kind": "role"}).json()
    iri = data["results"][0]["iri"]
    entity = httpx.get(site + "/api/entity", params={"iri": iri}).json()
    assert entity["label"] == role and entity["kind"] == "role"
    reading = seed_eskills.matrix_reading(seeds_dir)
    words = {"Certain": seed_eskills.CERTAIN, "Reconstructed": seed_eskills.RECONSTRUCTED, "Unresolved": seed_eskills.UNRESOLVED}
    expected = {code: (status, level) for (code, r), (status, level, _) in reading.items() if r == 0 and status != seed_eskills.NOT_PRINTED}
    assert {r["competency"]["code"]: (words[r["reading"]], r["level"]) for r in entity["requirements"]} == expected
    assert entity["blank_cells"] == sum(1 for (_, r), (status, _, _) in reading.items() if r == 0 and status == seed_eskills.NOT_PRINTED)


def test_a_code_with_an_ampersand_has_its_page(site, seeds_dir):
    """Unit pages of 003 link to the Management NOS M&LA2; its IRI escapes the '&' (M%26LA2), and the link must work."""
    assert "Management NOS: M&LA2 " in seed_qualifications.cg_text(seeds_dir)
    (hit,) = [r for r in httpx.get(site + "/api/search", params={"q": "M&LA2", "kind": "nos"}).json()["results"] if r["notation"] == "M&LA2"]
    assert "%26" in hit["path"]
    page = httpx.get(site + hit["path"])
    assert page.status_code == 200 and "M&amp;LA2" in page.text


def test_api_entity_refuses_unknown_and_malformed(site):
    assert httpx.get(site + "/api/entity", params={"iri": ID + "no/such/thing"}).status_code == 404
    assert httpx.get(site + "/api/entity", params={"iri": "not an iri"}).status_code == 400


@pytest.mark.parametrize("path", sorted(MAPPINGS.glob("*.sssom.tsv")), ids=lambda p: p.name)
def test_every_mapping_set_downloads_as_its_file(site, path):
    response = httpx.get(site + "/mappings/" + path.name)
    assert response.status_code == 200 and response.content == path.read_bytes()
    assert path.name in response.headers["content-disposition"]
    page = httpx.get(site + "/mappings/" + path.name.removesuffix(".sssom.tsv")).text
    assert page.count('<tr id="line-') == len(tsv_rows(path.name.removesuffix(".sssom.tsv")))


def test_downloads_offer_the_release_or_the_export(site, project):
    page = httpx.get(site + "/downloads").text
    release = [p for p in (project.build_dir / "release", project.root / "dist") if p.is_dir() and any(p.rglob("SHA256SUMS"))]
    if release:
        assert "SHA256SUMS" in page
    else:
        export = project.build_dir / "ccgraph.trig"
        assert 'href="/downloads/ccgraph.trig"' in page
        response = httpx.get(site + "/downloads/ccgraph.trig")
        assert response.status_code == 200 and response.content == export.read_bytes()
    for sneaky in ("/downloads/..%2Fpyproject.toml", "/downloads/../pyproject.toml", "/downloads/store/CURRENT", "/downloads/nothing"):
        assert httpx.get(site + sneaky).status_code == 404, sneaky


def test_roles_and_competencies_lists(site, seeds_dir):
    roles_page = httpx.get(site + "/roles").text
    for role in seed_eskills.roles(seeds_dir):
        assert f">{role.replace('&', '&amp;')}</a>" in roles_page, role
    competencies = httpx.get(site + "/competencies").text
    codes = re.findall(r'<td><a href="/id/eskills-framework/([A-F]\d+\.\d+)">\1</a></td>', competencies)
    assert sorted(codes, key=natural) == codes
    assert {(c[0], c[1:]) for c in codes} == seed_eskills.competencies(seeds_dir)


def test_the_ontology_page_is_served_and_its_anchors_resolve(site, browser, project):
    """Every class and property IRI https://w3id.org/ccgraph/ontology#Name lands on an element of /ontology."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    terms = Graph().parse(project.ontology_dir / "ccgraph.ttl")
    names = sorted({str(s).split("#", 1)[1] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                    for s in terms.subjects(RDF.type, kind) if str(s).startswith("https://w3id.org/ccgraph/ontology#")})
    assert len(names) > 50, "the ontology names its classes and properties"
    browser.get(f"{site}/ontology#{names[0]}")
    wait_for(browser, f"[id='{names[0]}']")
    present = set(browser.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    missing = [n for n in names if n not in present]
    assert not missing, missing[:10]
    assert "Competency" in browser.find_element(By.TAG_NAME, "body").text
