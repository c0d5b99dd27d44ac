"""The web front end in a real browser: Debian's headless Chromium driven by Selenium, against a live server."""


import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

import seed_functional_map
from browser import chromium
from live_server import running_server


@pytest.fixture(scope="module")
def site():
    with running_server("--no-closure", "--timeout", "60") as url:
        yield url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium")) as chrome:
        yield chrome


def wait_for(browser, css, timeout=60):
    return WebDriverWait(browser, timeout).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


@pytest.mark.parametrize("path,heading", [("/", "ccgraph"), ("/query", "Saved queries"), ("/editor", "SPARQL editor"),
                                          ("/matrix", "Role x competency matrix"), ("/trace?nos=19", "Trace from nos 19"),
                                          ("/audit", "ccgraph audit")])
def test_pages_load(browser, site, path, heading):
    browser.get(site + path)
    assert wait_for(browser, "h1").text == heading


def test_saved_query_runs_from_its_form(browser, site):
    browser.get(site + "/query")
    form = browser.find_element(By.CSS_SELECTOR, "#q-units-for-nos form")
    form.find_element(By.NAME, "nos").send_keys("19")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "#results")
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert [cell.text for cell in rows[0].find_elements(By.TAG_NAME, "td")][:2] == ["Contact Centre", "204"]


def test_entity_pages_link_nos_to_unit_to_competency_to_role(browser, site):
    browser.get(site + "/id/suite/contact-centre/19")
    assert wait_for(browser, "h1").text == "Contact Centre NOS 19"
    browser.find_element(By.CSS_SELECTOR, "#incoming a[href$='/unit/204']").click()
    assert wait_for(browser, "h1").text.startswith("204")
    competency = browser.find_element(By.CSS_SELECTOR, "#mappings a[href*='/eskills-framework/']")
    competency.click()
    heading = wait_for(browser, "h1").text
    requirement = browser.find_element(By.CSS_SELECTOR, "#incoming a[href*='/eskills-framework/role/']")
    requirement.click()
    wait_for(browser, "h1")
    browser.find_element(By.CSS_SELECTOR, "#incoming a[href*='/eskills-framework/role/']").click()
    role = wait_for(browser, "h1").text
    assert heading and role and "/eskills-framework/role/" in browser.current_url
    assert browser.find_element(By.ID, "provenance").text.startswith("Source:")


def test_editor_is_yasgui_and_runs_a_query(browser, site, seeds_dir):
    key_areas = len(seed_functional_map.read(seeds_dir).key_area_headings)
    browser.get(site + "/editor")
    wait_for(browser, "#yasgui .CodeMirror")
    query = "PREFIX ccg: <https://w3id.org/ccgraph/ontology#> SELECT ?k WHERE { ?k a ccg:KeyArea }"
    browser.execute_script("window.yasgui.getTab().getYasqe().setValue(arguments[0])", query)
    browser.find_element(By.CSS_SELECTOR, "#yasgui .yasqe_queryButton").click()
    wait_for(browser, "#yasgui .yasr table.dataTable tbody tr td")
    cells = browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr table.dataTable tbody tr td:last-child")
    assert len(cells) == key_areas
    assert all("/id/functional-map/" in cell.text for cell in cells)
    assert browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr_downloadIcon")
    # Offline: everything the page loaded, scripts and the query itself, came from our server.
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert loaded and all(url.startswith(site + "/") for url in loaded), loaded


def test_entity_content_negotiation(site):
    import httpx
    from rdflib import Graph

    response = httpx.get(site + "/id/suite/contact-centre/19", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) > 0
    jsonld = httpx.get(site + "/id/suite/contact-centre/19", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert httpx.get(site + "/id/no/such/thing").status_code == 404


def test_vendored_assets_are_served_by_name_only(site):
    import httpx

    script = httpx.get(site + "/assets/yasgui/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    for path in ("/assets/yasgui/pyproject.toml", "/assets/yasgui/..%2F..%2F..%2Fpyproject.toml", "/assets/yasgui/yasgui.min.js.map"):
        assert httpx.get(site + path).status_code == 404, path
