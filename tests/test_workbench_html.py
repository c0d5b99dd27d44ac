"""The gap report's HTML page in a real browser (Debian's headless Chromium through Selenium): the heatmap is drawn."""


import pytest
from click.testing import CliRunner
from PIL import Image
from selenium.webdriver.common.by import By

from ccgraph.cli import cli
from ccgraph.render.heatmap import UNRESOLVED_COLOUR
from ccgraph.workbench.heatmap import MEETS_COLOUR, NOT_ASSESSED_COLOUR, SHORTFALL_COLOURS

from browser import chromium
from workbench.helpers import ADVISOR, LEADER, STAFF_HEADER, seed_profile, staff_rows, unresolved, write_csv


@pytest.fixture(scope="module")
def page(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("gaps")
    lead, advisor = seed_profile(seeds_dir, LEADER), seed_profile(seeds_dir, ADVISOR)
    rows = (staff_rows("L-1", LEADER, {**lead, "A1.1": lead["A1.1"] - 3, "A1.2": lead["A1.2"] - 1})
            + staff_rows("L-2", LEADER, {**lead, "A2.3": lead["A2.3"] - 2})
            + staff_rows("A-1", ADVISOR, advisor, team="south"))
    staff = write_csv(folder / "staff.csv", STAFF_HEADER, rows)
    out = folder / "gaps.html"
    result = CliRunner().invoke(cli, ["gaps", "--staff", str(staff), "--team-by", "team", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium"), window="1800,1400") as chrome:
        yield chrome


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_heatmap_is_drawn(browser, page, tmp_path):
    browser.get(page.as_uri())
    shot = tmp_path / "gaps.png"
    browser.find_element(By.ID, "heatmap").screenshot(str(shot))
    data = Image.open(shot).convert("RGB").tobytes()
    pixels = {data[i:i + 3] for i in range(0, len(data), 3)}
    for colour in (SHORTFALL_COLOURS[1], SHORTFALL_COLOURS[2], SHORTFALL_COLOURS[3], MEETS_COLOUR, UNRESOLVED_COLOUR, NOT_ASSESSED_COLOUR):
        assert bytes(hex_rgb(colour)) in pixels, colour


def test_page_reads_as_the_gaps(browser, page, seeds_dir):
    browser.get(page.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Competency gaps"
    cells = browser.find_elements(By.CSS_SELECTOR, "#heatmap g.cell")
    outcome = {(c.get_attribute("data-person"), c.get_attribute("data-competency")): (c.get_attribute("data-outcome"),
                                                                                     c.get_attribute("data-shortfall")) for c in cells}
    assert {p for p, _ in outcome} == {"L-1", "L-2", "A-1"}
    assert outcome[("L-1", "A1.1")] == ("gap", "3") and outcome[("L-1", "A1.2")] == ("gap", "1") and outcome[("L-2", "A2.3")] == ("gap", "2")
    assert outcome[("L-2", "A1.1")] == ("meets", "0")
    for code in unresolved(LEADER):
        assert outcome[("L-1", code)][0] == "unknown"  # never a gap or a pass
    summary = browser.find_element(By.ID, "summary").text
    assert "3 people" in summary and "3 gap(s)" in summary and "never counted as a gap or as met" in summary
    north = browser.find_element(By.XPATH, "//h2[starts-with(., 'team: north')]/following-sibling::table[1]")
    a11 = north.find_element(By.CSS_SELECTOR, "tr[data-competency='A1.1']").find_elements(By.TAG_NAME, "td")
    assert [td.text for td in a11[1:5]] == ["2", "1", "3", "3"]  # needing, below target, shortfall total, mean
    source = page.read_text(encoding="utf-8")
    assert "http://" not in source.replace("http://www.w3.org/2000/svg", "") and "https://" not in source  # self-contained
