"""The gap report as a self-contained HTML page: a people x competencies heatmap of shortfalls.

In the style of render/heatmap.py (inline SVG, no script or style from elsewhere): a cell is coloured
by its shortfall (the darker the red, the further below target), green where the target is met,
orange with '?' where the requirement is unknown (an unresolved cell: neither a gap nor met), grey
with '-' where the competency was not assessed, and white where the role does not need it.
"""

import html

import numpy as np

from ccgraph.render.heatmap import BLANK_COLOUR, UNRESOLVED_COLOUR
from ccgraph.workbench.gaps import GapReport

SHORTFALL_COLOURS = {1: "#fcbba1", 2: "#fb6a4a", 3: "#cb181d"}  # 3 stands for 3 or more
MEETS_COLOUR = "#a1d99b"
NOT_ASSESSED_COLOUR = "#d9d9d9"
ROWS_SHOWN = 300  # people drawn at most; the team tables always count everyone

CELL_W, CELL_H, LABEL_W, HEADER_H, MARGIN, LEGEND_H = 24, 18, 260, 60, 10, 50


def legend_items():
    for n, colour in SHORTFALL_COLOURS.items():
        yield colour, f"{n}{'+' if n == 3 else ''} level(s) short"
    yield MEETS_COLOUR, "meets the target"
    yield UNRESOLVED_COLOUR, "? requirement unknown (unresolved cell)"
    yield NOT_ASSESSED_COLOUR, "- not assessed"
    yield BLANK_COLOUR, "not needed by the role"


def _cell(required: int, assessed: int, shortfall: int) -> tuple[str, str, str]:
    """(outcome, fill, text) of one cell."""
    if required == 0:
        return "not needed", BLANK_COLOUR, ""
    if required < 0:
        return "unknown", UNRESOLVED_COLOUR, "?"
    if assessed == 0:
        return "not assessed", NOT_ASSESSED_COLOUR, "-"
    if shortfall > 0:
        return "gap", SHORTFALL_COLOURS[min(int(shortfall), 3)], str(int(shortfall))
    return "meets", MEETS_COLOUR, ""


def svg(report: GapReport) -> str:
    grid, staff, tailoring = report.grid, report.staff, report.tailoring
    rows = min(len(grid.people), ROWS_SHOWN)
    used = np.flatnonzero(grid.needed[:rows].any(axis=0)) if rows else np.array([], dtype=int)
    width = MARGIN * 2 + LABEL_W + CELL_W * len(used) + 40
    height = MARGIN + HEADER_H + CELL_H * rows + LEGEND_H
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="heatmap" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             'font-family="sans-serif" font-size="11">',
             f"<title>Shortfalls: {html.escape(report.selection)}</title>",
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    left, top = MARGIN + LABEL_W, MARGIN + HEADER_H
    for j, c in enumerate(used):
        x, y = left + j * CELL_W + CELL_W // 2, top - 6
        code = staff.codes[c]
        parts.append(f'<text x="{x}" y="{y}" transform="rotate(-60 {x} {y})" class="competency">'
                     f'<title>{html.escape(code + " " + tailoring.competencies[code].title)}</title>{html.escape(code)}</text>')
    for i in range(rows):
        p = int(grid.people[i])
        role = staff.roles[staff.person_role[p]]
        y = top + i * CELL_H
        parts.append(f'<text x="{MARGIN}" y="{y + CELL_H - 5}" class="person">{html.escape(staff.people[p])}'
                     f' <tspan fill="#666666">{html.escape(role[:30])}</tspan></text>')
        profile = tailoring.profile(role)
        for j, c in enumerate(used):
            outcome, colour, text = _cell(int(grid.required[i, c]), int(grid.assessed[i, c]), int(grid.shortfall[i, c]))
            code = staff.codes[c]
            tip = f"{staff.people[p]} x {code}: {outcome}"
            if outcome == "unknown":
                tip += f"; the cell is unresolved ({profile[code].printed})"
            elif outcome != "not needed":
                tip += f"; required {int(grid.required[i, c])}" + (f", assessed {int(grid.assessed[i, c])}" if grid.assessed[i, c] else "")
            x0 = left + j * CELL_W
            parts.append(f'<g class="cell" data-person="{html.escape(staff.people[p])}" data-competency="{html.escape(code)}" '
                         f'data-outcome="{outcome}" data-shortfall="{int(grid.shortfall[i, c])}"><title>{html.escape(tip)}</title>'
                         f'<rect x="{x0}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{colour}" stroke="#cccccc"/>'
                         + (f'<text x="{x0 + CELL_W // 2}" y="{y + CELL_H - 5}" text-anchor="middle">{text}</text>' if text else "")
                         + "</g>")
    y, x = top + rows * CELL_H + 20, MARGIN
    for colour, text in legend_items():
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}" stroke="#999999"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 11}">{html.escape(text)}</text>')
        x += 30 + 6 * len(text)
    parts.append("</svg>")
    return "\n".join(parts)


def page(report: GapReport) -> str:
    tailoring = report.tailoring
    framework = f"{tailoring.overlay.label} (tailored)" if tailoring.overlay else "the published framework"
    shown = min(len(report.grid.people), ROWS_SHOWN)
    note = "" if shown == len(report.grid.people) else f" The heatmap draws the first {shown} of {len(report.grid.people)} people."
    teams = []
    for team in report.teams:
        rows = "".join(
            f'<tr data-competency="{html.escape(c.code)}"><th scope="row">{html.escape(c.code)}</th><td class="title">{html.escape(c.title)}</td>'
            f"<td>{c.needing}</td><td>{c.below}</td><td>{c.shortfall_total}</td><td>{c.shortfall_mean:g}</td><td>{c.shortfall_max}</td>"
            f"<td>{c.unknown}</td><td>{c.not_assessed}</td></tr>" for c in team.competencies)
        teams.append(f'<h2>{html.escape(team.column)}: {html.escape(team.value)} ({team.people} people)</h2>'
                     '<table class="team"><thead><tr><th>Code</th><th>Competency</th><th>needing</th><th>below target</th>'
                     '<th>shortfall total</th><th>mean</th><th>max</th><th>requirement unknown</th><th>not assessed</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    gaps = int(report.grid.below.sum())
    unknown = int(report.grid.unknown.sum())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Competency gaps: {html.escape(report.selection)}</title>
<style>
body{{font-family:sans-serif;margin:1.5em;color:#111}}
table{{border-collapse:collapse;font-size:12px;margin-bottom:1.5em}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:center}}
td.title,th[scope=row]{{text-align:left}}
.legend span{{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #999}}
</style></head>
<body>
<h1>Competency gaps</h1>
<p id="summary">{html.escape(report.selection)}: {len(report.grid.people)} people, against {html.escape(framework)}.
{gaps} gap(s); {unknown} requirement(s) unknown because the framework's cell is unresolved (never counted as a gap or as met).{note}</p>
<p class="legend">{''.join(f'<span style="background:{c}">{html.escape(t)}</span>' for c, t in legend_items())}</p>
<h2>People x competencies: shortfall</h2>
{svg(report)}
{''.join(teams)}
<p class="privacy">This page holds staff assessment data: keep it where such data is kept. ccgraph stores none of it.</p>
</body></html>
"""
