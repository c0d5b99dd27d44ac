"""The audit's HTML report in a real browser (Debian's headless Chromium): charts drawn, every finding's kind,
severity and action shown, and the filters on each of them working."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from ccgraph.render.audit_page import COLOURS
from ccgraph.cli import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def chromium(*args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM, "Debian's chromium is needed for the browser tests (.ci/run installs it)"
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "audit.html"
    result = CliRunner().invoke(cli, ["audit", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_screenshot_shows_the_charts(page, tmp_path):
    shot = tmp_path / "audit.png"
    chromium("--window-size=1400,1000", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file()
    pixels = set(Image.open(shot).convert("RGB").getdata())
    assert hex_rgb("#2ca02c") in pixels  # the coverage bars
    assert hex_rgb(COLOURS["warning"]) in pixels and hex_rgb(COLOURS["info"]) in pixels  # severity bars and badges


def test_page_content_after_scripts(page):
    dom = chromium("--dump-dom", page.as_uri()).stdout
    assert 'id="coverage-chart"' in dom and 'id="severity-chart"' in dom
    assert "stated-credits-differ:3412-05" in dom and "shacl-Unit-uniqueUan:203+204" in dom
    header = dom.split('<table id="findings">')[1].split("</thead>")[0]
    assert [c.split("<")[0] for c in header.split("<th>")[1:]] == ["severity", "kind", "action", "id", "finding", "entities", "where"]
    assert '<td class="kind">extraction-damage</td><td class="action">none</td>' in dom
    assert '<td class="kind">source-inconsistency</td><td class="action">report to the publisher</td>' in dom
    assert 'class="cell"' in dom  # the role x competency heatmap
    assert "http://" not in dom.replace("http://www.w3.org/2000/svg", "")  # self-contained: nothing from elsewhere


def test_filter_from_the_address(page):
    dom = chromium("--dump-dom", page.as_uri() + "#severity=warning").stdout
    rows, visible = visible_rows(dom)
    assert visible and all('data-severity="warning"' in r for r in visible)
    assert len(visible) < len(rows)
    shown = dom.split('id="shown">')[1].split("<")[0]
    assert int(shown) == len(visible)


def visible_rows(dom: str) -> tuple[list[str], list[str]]:
    findings = dom.split('<table id="findings">')[1]
    rows = findings.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    return rows, [r for r in rows if 'style="display: none;"' not in r]


@pytest.mark.parametrize("fragment,attribute", [
    ("#kind=extraction-damage", 'data-kind="extraction-damage"'),
    ("#action=review%20a%20mapping", 'data-action="review a mapping"'),
    ("#kind=source-inconsistency&severity=warning&action=report%20to%20the%20publisher", 'data-kind="source-inconsistency"'),
])
def test_filter_by_kind_and_action_from_the_address(page, fragment, attribute):
    dom = chromium("--dump-dom", page.as_uri() + fragment).stdout
    rows, visible = visible_rows(dom)
    assert visible and all(attribute in r for r in visible) and len(visible) < len(rows)
    assert len(visible) == len([r for r in rows if attribute in r])
    assert int(dom.split('id="shown">')[1].split("<")[0]) == len(visible)
