"""Trace results for people (a tree), programs (CSV, JSON) and the eye (an SVG / HTML flow diagram)."""

import csv
import html
import io
import json

from ccgraph.query.trace import LAYERS, Path


def render(paths: list[Path], fmt: str, start: str) -> str:
    if fmt == "json":
        return json.dumps({"start": start, "paths": [p.as_dict() for p in paths]}, indent=2) + "\n"
    if fmt == "csv":
        return _csv(paths)
    if fmt in ("svg", "html"):
        svg = _svg(paths, start)
        if fmt == "svg":
            return svg
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trace: {html.escape(start)}</title></head>"
                f"<body style=\"font-family:sans-serif\"><h1>Trace from {html.escape(start)}</h1><p>{len(paths)} path(s). "
                "Solid lines are printed in a source; dashed lines are curated mappings; red paths break the level correspondence.</p>"
                f"{svg}</body></html>\n")
    return _text(paths, start)


def _node_text(node: dict) -> str:
    level = f" (level {node['level']})" if node.get("level") is not None else ""
    return f"{node['kind']} {node['notation']}: {node['label']}{level}"


def _hop_text(hop) -> str:
    bits = [hop.link, hop.provenance]
    if hop.confidence is not None:
        bits.append(f"confidence {hop.confidence:g}")
    if hop.level is not None:
        bits.append(f"ability level {hop.level}")
    if hop.reading:
        bits.append(hop.reading.lower())
    return f"--[{', '.join(bits)}]--> ({hop.where})"


def _text(paths: list[Path], start: str) -> str:
    if not paths:
        return f"no path from {start}\n"
    lines = [f"{len(paths)} path(s) from {start}"]
    for number, path in enumerate(paths, start=1):
        lines.append(f"path {number}:")
        lines.append(f"  {_node_text(path.nodes[0])}")
        for depth, (hop, node) in enumerate(zip(path.hops, path.nodes[1:]), start=1):
            lines.append(f"  {'  ' * depth}{_hop_text(hop)}")
            lines.append(f"  {'  ' * depth}{_node_text(node)}")
        if path.qualifications:
            lines.append(f"  counts towards: {', '.join(path.qualifications)}")
        for warning in path.level_warnings:
            lines.append(f"  LEVEL MISMATCH: {warning}")
    return "\n".join(lines) + "\n"


def _csv(paths: list[Path]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "step", "from_kind", "from", "link", "provenance", "confidence", "ability_level", "reading", "to_kind", "to",
                     "where", "qualifications", "level_warnings"])
    for number, path in enumerate(paths, start=1):
        for step, (hop, left, right) in enumerate(zip(path.hops, path.nodes, path.nodes[1:]), start=1):
            writer.writerow([number, step, left["kind"], left["notation"], hop.link, hop.provenance,
                             "" if hop.confidence is None else f"{hop.confidence:g}", hop.level or "", hop.reading,
                             right["kind"], right["notation"], hop.where, "; ".join(path.qualifications), "; ".join(path.level_warnings)])
        if not path.hops:
            writer.writerow([number, 0, path.nodes[0]["kind"], path.nodes[0]["notation"], "", "", "", "", "", "", "", "", "", ""])
    return out.getvalue()


def _svg(paths: list[Path], start: str) -> str:
    """Columns NOS | units | competencies | roles; one box per node, one line per hop."""
    columns = {kind: [] for kind in LAYERS}
    for path in paths:
        for node in path.nodes:
            if node["notation"] not in columns[node["kind"]]:
                columns[node["kind"]].append(node["notation"])
    col_w, row_h, box_w, box_h, top = 220, 34, 170, 24, 40
    height = top + row_h * max(1, max(len(v) for v in columns.values())) + 20
    width = col_w * len(LAYERS) + 20
    position = {(k, code): (10 + i * col_w, top + j * row_h) for i, k in enumerate(LAYERS) for j, code in enumerate(columns[k])}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f"<title>Trace from {html.escape(start)}</title>"]
    for i, kind in enumerate(LAYERS):
        parts.append(f'<text x="{10 + i * col_w}" y="20" font-weight="bold">{kind.upper()}</text>')
    drawn = set()
    for path in paths:
        colour = "#d62728" if path.level_warnings else "#555555"
        for hop, left, right in zip(path.hops, path.nodes, path.nodes[1:]):
            key = (left["kind"], left["notation"], right["kind"], right["notation"], colour)
            if key in drawn:
                continue
            drawn.add(key)
            x1, y1 = position[(left["kind"], left["notation"])]
            x2, y2 = position[(right["kind"], right["notation"])]
            dash = ' stroke-dasharray="5,3"' if hop.provenance == "curated" else ""
            parts.append(f'<line class="hop {hop.provenance}" x1="{x1 + box_w}" y1="{y1 + box_h // 2}" x2="{x2}" y2="{y2 + box_h // 2}" '
                         f'stroke="{colour}"{dash}><title>{html.escape(hop.link + ": " + hop.where)}</title></line>')
    for (kind, code), (x, y) in position.items():
        parts.append(f'<g class="node" data-kind="{kind}" data-code="{html.escape(code)}"><rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" '
                     f'rx="4" fill="#eef3fb" stroke="#4292c6"/><text x="{x + 6}" y="{y + 16}">{html.escape(code[:28])}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
