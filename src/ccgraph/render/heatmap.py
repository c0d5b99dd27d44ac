"""Draw the role x competency matrix: a heatmap as SVG, PNG or HTML, or the plain grid as CSV.

SVG and PNG share one layout, so a cell sits at the same place in both; the PNG carries that
layout and the cell values in a text chunk so programs (and tests) can read the picture back.
"""

import csv
import html
import io
import json
from dataclasses import dataclass

from ccgraph.query.matrix import Matrix

# Sequential colours for levels 1-4 (light to dark), and the marks for the other cell states.
LEVEL_COLOURS = {1: "#deebf7", 2: "#9ecae1", 3: "#4292c6", 4: "#08519c"}
LEVEL_NAMES = {1: "Learning", 2: "Performing", 3: "Enhancing", 4: "Leading"}
BLANK_COLOUR = "#ffffff"  # read as not printed (ccg:NotPrinted): no level asked for, a fact
NOT_RECORDED_COLOUR = "#d9d9d9"  # no cell in the graph at all (never so for the e-skills matrix)
UNRESOLVED_COLOUR = "#f4a261"
RECONSTRUCTED_MARK = "#d62728"  # a corner triangle on cells placed by reasoning
TEXT_DARK, TEXT_LIGHT = "#111111", "#ffffff"

CODE_W, TITLE_W, CELL_W, CELL_H, HEADER_H, MARGIN, LEGEND_H = 56, 300, 40, 20, 170, 10, 60


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    grid_top: int
    grid_left: int

    def cell_box(self, row_index: int, role_index: int) -> tuple[int, int, int, int]:
        x = self.grid_left + role_index * CELL_W
        y = self.grid_top + row_index * CELL_H
        return x, y, x + CELL_W, y + CELL_H


def layout(matrix: Matrix) -> Layout:
    grid_left = MARGIN + CODE_W + TITLE_W
    grid_top = MARGIN + HEADER_H
    width = grid_left + CELL_W * len(matrix.roles) + MARGIN + 110  # room for the slanted last headers
    height = grid_top + CELL_H * len(matrix.rows) + LEGEND_H
    return Layout(width, height, grid_top, grid_left)


def fill(cell) -> str:
    if cell.status == "unresolved":
        return UNRESOLVED_COLOUR
    if not cell.recorded:
        return NOT_RECORDED_COLOUR
    return LEVEL_COLOURS.get(cell.level, BLANK_COLOUR)


STATUS_WORDS = {"certain": "certain", "reconstructed": "reconstructed", "unresolved": "unresolved",
                "blank": "blank: no level printed (not a requirement)"}


def describe(cell) -> str:
    """What a cell's tooltip says: its status in words, the text as printed, the reasoning."""
    words = STATUS_WORDS.get(cell.status, cell.status) if cell.recorded else "not recorded in the graph"
    return words + (f"; printed as {cell.raw!r}" if cell.raw else "") + (f"; {cell.note}" if cell.note else "")


def ink(cell) -> str:
    return TEXT_LIGHT if cell.level in (3, 4) and cell.status != "unresolved" else TEXT_DARK


def legend_items(matrix: Matrix | None = None):
    for level, colour in LEVEL_COLOURS.items():
        yield colour, f"{level} {LEVEL_NAMES[level]}"
    yield UNRESOLVED_COLOUR, "? unresolved (raw text kept, no level)"
    yield RECONSTRUCTED_MARK, "corner mark: reconstructed"
    yield BLANK_COLOUR, "blank: no level printed"
    if matrix is not None and matrix.counts()["not recorded"]:
        yield NOT_RECORDED_COLOUR, "grey: no cell in the graph"


def legend_places(matrix: Matrix, box: Layout):
    """Where each legend item is drawn below the grid: left to right, on a second line when the first is full."""
    x, y = MARGIN, box.grid_top + len(matrix.rows) * CELL_H + 12
    for colour, text in legend_items(matrix):
        width = 30 + 7 * len(text)
        if x > MARGIN and x + width > box.width:
            x, y = MARGIN, y + 22
        yield (x, y), (colour, text)
        x += width


# ---------------------------------------------------------------- CSV


def to_csv(matrix: Matrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["competency", "title", *(role.label for role in matrix.roles)])
    for row in matrix.rows:
        title = row.title + ("*" if row.legal_obligation else "")
        writer.writerow([row.notation, title, *(matrix.cell(row, role).text for role in matrix.roles)])
    return out.getvalue()


# ---------------------------------------------------------------- SVG


def to_svg(matrix: Matrix, title: str = "Contact Centre Career and Skills Framework: role x competency matrix") -> str:
    box = layout(matrix)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box.width}" height="{box.height}" '
        f'viewBox="0 0 {box.width} {box.height}" font-family="sans-serif" font-size="11">',
        f"<title>{html.escape(title)}</title>",
        f'<rect x="0" y="0" width="{box.width}" height="{box.height}" fill="#ffffff"/>',
    ]
    for j, role in enumerate(matrix.roles):
        x = box.grid_left + j * CELL_W + CELL_W // 2
        y = box.grid_top - 6
        parts.append(f'<text x="{x}" y="{y}" transform="rotate(-60 {x} {y})" class="role">{html.escape(role.label)}</text>')
    for i, row in enumerate(matrix.rows):
        y = box.grid_top + i * CELL_H + CELL_H - 6
        label = row.title + ("*" if row.legal_obligation else "")
        parts.append(f'<text x="{MARGIN}" y="{y}" class="code">{html.escape(row.notation)}</text>')
        parts.append(f'<text x="{MARGIN + CODE_W}" y="{y}" class="title">{html.escape(label[:48])}</text>')
        for j, role in enumerate(matrix.roles):
            cell = matrix.cell(row, role)
            x0, y0, x1, y1 = box.cell_box(i, j)
            tip = f"{row.notation} x {role.label}: {describe(cell)}"
            parts.append(
                f'<g class="cell" data-competency="{html.escape(row.notation)}" data-role="{html.escape(role.label)}" '
                f'data-level="{cell.level or ""}" data-status="{cell.status}" data-recorded="{str(cell.recorded).lower()}">'
                f'<title>{html.escape(tip)}</title>'
                f'<rect x="{x0}" y="{y0}" width="{CELL_W}" height="{CELL_H}" fill="{fill(cell)}" stroke="#cccccc"/>'
                + (f'<text x="{x0 + CELL_W // 2}" y="{y1 - 6}" text-anchor="middle" fill="{ink(cell)}">{cell.text}</text>' if cell.text else "")
                + (f'<polygon points="{x1 - 8},{y0} {x1},{y0} {x1},{y0 + 8}" fill="{RECONSTRUCTED_MARK}"/>' if cell.status == "reconstructed" else "")
                + "</g>")
    for (x, y), (colour, text) in legend_places(matrix, box):
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}" stroke="#999999"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 11}">{html.escape(text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- PNG


def to_png(matrix: Matrix) -> bytes:
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    box = layout(matrix)
    image = Image.new("RGB", (box.width, box.height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11)
    for j, role in enumerate(matrix.roles):
        label = Image.new("RGBA", (HEADER_H, 14), (255, 255, 255, 0))
        ImageDraw.Draw(label).text((0, 0), role.label[:40], fill=TEXT_DARK, font=font)
        rotated = label.rotate(60, expand=True)
        x = box.grid_left + j * CELL_W + CELL_W // 2 - 8
        image.paste(rotated, (x, box.grid_top - rotated.height - 4), rotated)
    for i, row in enumerate(matrix.rows):
        y = box.grid_top + i * CELL_H + 4
        draw.text((MARGIN, y), row.notation, fill=TEXT_DARK, font=font)
        draw.text((MARGIN + CODE_W, y), (row.title + ("*" if row.legal_obligation else ""))[:48], fill=TEXT_DARK, font=font)
        for j, role in enumerate(matrix.roles):
            cell = matrix.cell(row, role)
            x0, y0, x1, y1 = box.cell_box(i, j)
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill(cell), outline="#cccccc")
            if cell.text:
                draw.text((x0 + CELL_W // 2 - 3, y0 + 4), cell.text, fill=ink(cell), font=font)
            if cell.status == "reconstructed":
                draw.polygon([(x1 - 8, y0), (x1 - 1, y0), (x1 - 1, y0 + 7)], fill=RECONSTRUCTED_MARK)
    for (x, y), (colour, text) in legend_places(matrix, box):
        draw.rectangle((x, y, x + 14, y + 14), fill=colour, outline="#999999")
        draw.text((x + 18, y + 1), text, fill=TEXT_DARK, font=font)
    info = PngInfo()
    info.add_text("ccgraph:matrix", json.dumps(_readback(matrix, box)))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _readback(matrix: Matrix, box: Layout) -> dict:
    """What the picture shows, cell by cell, with where each cell is drawn."""
    return {
        "roles": [role.label for role in matrix.roles],
        "competencies": [row.notation for row in matrix.rows],
        "cells": [
            {"competency": row.notation, "role": role.label, "level": matrix.cell(row, role).level,
             "status": matrix.cell(row, role).status, "recorded": matrix.cell(row, role).recorded, "box": box.cell_box(i, j)}
            for i, row in enumerate(matrix.rows) for j, role in enumerate(matrix.roles)
        ],
        "colours": {"levels": LEVEL_COLOURS, "unresolved": UNRESOLVED_COLOUR, "blank": BLANK_COLOUR, "not recorded": NOT_RECORDED_COLOUR},
    }


# ---------------------------------------------------------------- HTML


def _not_recorded(counts: dict[str, int]) -> str:
    return f", {counts['not recorded']} not recorded in the graph" if counts.get("not recorded") else ""


def to_html(matrix: Matrix, title: str = "Role x competency matrix") -> str:
    """A self-contained page: the heatmap as an inline SVG, and the grid as an accessible table."""
    counts = matrix.counts()
    rows = []
    for row in matrix.rows:
        cells = []
        for role in matrix.roles:
            cell = matrix.cell(row, role)
            tip = html.escape(describe(cell))
            kind = cell.status if cell.recorded else "not-recorded"
            cells.append(f'<td class="lvl-{cell.level or 0} {kind}" title="{tip}" data-role="{html.escape(role.label)}">{cell.text}</td>')
        legal = ' <abbr title="legal obligation on the employer">*</abbr>' if row.legal_obligation else ""
        rows.append(f'<tr data-competency="{html.escape(row.notation)}"><th scope="row">{html.escape(row.notation)}</th>'
                    f"<td class=\"title\">{html.escape(row.title)}{legal}</td>{''.join(cells)}</tr>")
    head = "".join(f'<th scope="col" class="role"><span>{html.escape(role.label)}</span></th>' for role in matrix.roles)
    styles = "".join(f".lvl-{level}{{background:{colour};{'color:#fff;' if level >= 3 else ''}}}" for level, colour in LEVEL_COLOURS.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font-family:sans-serif;margin:1.5em;color:#111}}
table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:center}}
td.title,th[scope=row]{{text-align:left}}
th.role{{height:150px;vertical-align:bottom;white-space:nowrap}}
th.role span{{writing-mode:vertical-rl;transform:rotate(180deg)}}
{styles}.unresolved{{background:{UNRESOLVED_COLOUR};font-weight:bold}}.not-recorded{{background:{NOT_RECORDED_COLOUR}}}
.legend span{{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #999}}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p id="summary">{len(matrix.rows)} competencies x {len(matrix.roles)} roles: {counts['certain']} cells read with certainty,
{counts['reconstructed']} reconstructed, {counts['unresolved']} unresolved, {counts['blank']} blank (no level printed){_not_recorded(counts)}.</p>
<p class="legend">{''.join(f'<span style="background:{c}">{html.escape(t)}</span>' for c, t in legend_items(matrix))}</p>
<table id="matrix"><thead><tr><th scope="col">Code</th><th scope="col">Competency</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>Heatmap</h2>
{to_svg(matrix, title)}
</body></html>
"""
