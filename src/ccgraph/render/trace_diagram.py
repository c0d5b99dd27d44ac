"""Trace results for people (a tree), programs (CSV, JSON) and the eye (an SVG / HTML flow diagram).

The HTML view (html_body: the server's /trace page and `ccgraph trace --format html`) is for reading:
the paths grouped by competency and by role, every repeated hop shown once, each node with its code
and its title and linked to its page, codes in their natural order (A1.2 before A1.10). A trace of
more than MAX_DIAGRAM_PATHS paths is drawn as a list (the paths as a tree, NOS > unit > competency >
role, each shared beginning written once) rather than a diagram nobody could read.
"""

import csv
import html
import io
import json
import re
from collections import defaultdict

from ccgraph.query.trace import LAYERS, Path

MAX_DIAGRAM_PATHS = 60
KIND_TITLES = {"nos": "NOS", "unit": "unit", "competency": "competency", "role": "role"}


def render(paths: list[Path], fmt: str, start: str, href=None) -> str:
    """href(iri) -> the link of a node's page (None: the IRI itself)."""
    if fmt == "json":
        return json.dumps({"start": start, "paths": [p.as_dict() for p in paths]}, indent=2) + "\n"
    if fmt == "csv":
        return _csv(paths)
    if fmt == "svg":
        return _svg(paths, start, href)
    if fmt == "html":
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trace: {html.escape(start)}</title>"
                f"<style>{STYLE}</style></head><body style=\"font-family:sans-serif;margin:1.5em\"><h1>Trace from {html.escape(start)}</h1>"
                f"{html_body(paths, start, href)}</body></html>\n")
    return _text(paths, start)


def natural_key(text) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.findall(r"\d+|\D+", str(text or "")))


def _node_key(node: dict) -> tuple:
    return (LAYERS.index(node["kind"]) if node["kind"] in LAYERS else 9, natural_key(node["notation"]), natural_key(node["label"]), node["iri"])


def _path_key(path: Path) -> tuple:
    return tuple(_node_key(n) for n in path.nodes)


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


# ---------------------------------------------------------------- the diagram

def _href(href, iri: str) -> str:
    return (href(iri) if href else None) or iri


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _title(node: dict) -> str:
    """'code title' (the title alone when it already says the code)."""
    code, label = node["notation"] or "", node["label"] or ""
    says = bool(code) and re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", label) is not None
    return f"{code} {label}" if label and code and not says else (label or code)


def _svg(paths: list[Path], start: str, href=None) -> str:
    """Columns NOS | units | competencies | roles; one box per node (its code and title, linked to its page),
    one line per distinct hop (solid printed, dashed curated, red where the path breaks the level correspondence)."""
    columns: dict[str, dict[str, dict]] = {kind: {} for kind in LAYERS}
    for path in paths:
        for node in path.nodes:
            columns[node["kind"]].setdefault(node["iri"], node)
    ordered = {kind: sorted(nodes.values(), key=_node_key) for kind, nodes in columns.items()}
    col_w, row_h, box_w, box_h, top = 250, 34, 212, 24, 40
    height = top + row_h * max(1, max(len(v) for v in ordered.values())) + 20
    width = col_w * len(LAYERS) + 20
    position = {node["iri"]: (10 + i * col_w, top + j * row_h) for i, k in enumerate(LAYERS) for j, node in enumerate(ordered[k])}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11" class="trace-diagram">',
             f"<title>Trace from {html.escape(start)}</title>"]
    for i, kind in enumerate(LAYERS):
        parts.append(f'<text x="{10 + i * col_w}" y="20" font-weight="bold">{kind.upper()} ({len(ordered[kind])})</text>')
    drawn = set()
    for path in paths:
        colour = "#d62728" if path.level_warnings else "#555555"
        for hop, left, right in zip(path.hops, path.nodes, path.nodes[1:]):
            key = (left["iri"], right["iri"], hop.link, colour)
            if key in drawn:
                continue
            drawn.add(key)
            x1, y1 = position[left["iri"]]
            x2, y2 = position[right["iri"]]
            dash = ' stroke-dasharray="5,3"' if hop.provenance == "curated" else ""
            parts.append(f'<line class="hop {hop.provenance}" x1="{x1 + box_w}" y1="{y1 + box_h // 2}" x2="{x2}" y2="{y2 + box_h // 2}" '
                         f'stroke="{colour}"{dash}><title>{html.escape(hop.link + ": " + hop.where)}</title></line>')
    for kind in LAYERS:
        for node in ordered[kind]:
            x, y = position[node["iri"]]
            link = html.escape(_href(href, node["iri"]))
            parts.append(f'<a href="{link}" xlink:href="{link}"><g class="node" data-kind="{kind}" data-code="{html.escape(node["notation"])}">'
                         f'<title>{html.escape(KIND_TITLES[kind] + " " + _title(node))}</title>'
                         f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" fill="#eef3fb" stroke="#4292c6"/>'
                         f'<text x="{x + 6}" y="{y + 16}">{html.escape(_short(_title(node), 36))}</text></g></a>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- for reading

STYLE = """.trace table{border-collapse:collapse;font-size:13px;margin:.3em 0 .8em} .trace td,.trace th{border:1px solid #ccc;padding:3px 6px;
text-align:left;vertical-align:top} .trace details>summary{cursor:pointer;margin:.25em 0} .trace .warn{color:#b00000}
.trace .muted{color:#666} .trace ul.paths,.trace ul.paths ul{list-style:none;padding-left:1.3em} .trace ul.paths{padding-left:0}
.trace .hop{color:#555;font-size:12px} .trace-diagram a:hover rect{fill:#d6e4f7}"""


def _a(node: dict, href) -> str:
    return (f'<a href="{html.escape(_href(href, node["iri"]))}" data-kind="{node["kind"]}">'
            f'{html.escape(_title(node))}</a>' + (f' <span class="muted">(level {node["level"]})</span>' if node.get("level") is not None else ""))


class _Hops:
    """Each distinct hop (from, to, link) once: numbered, written out in full in one table, and named
    elsewhere by a short cell that links to its row."""

    def __init__(self):
        self.rows: dict[tuple, tuple] = {}

    def cell(self, left: dict, right: dict, hop) -> str:
        key = (left["iri"], right["iri"], hop.link)
        if key not in self.rows:
            self.rows[key] = (len(self.rows) + 1, left, right, hop)
        number = self.rows[key][0]
        bits = [html.escape(hop.link), html.escape(hop.provenance)]
        if hop.confidence is not None:
            bits.append(f"confidence {hop.confidence:g}")
        return f'<a class="hop {html.escape(hop.provenance)}" href="#hop-{number}">{", ".join(bits)}</a>'

    def table(self, href) -> str:
        rows = "".join(f'<tr id="hop-{n}"><td>{n}</td><td>{_a(left, href)}</td><td>{html.escape(hop.link)}</td><td>{_a(right, href)}</td>'
                       f'<td>{html.escape(hop.provenance)}</td><td>{"" if hop.confidence is None else f"{hop.confidence:g}"}</td>'
                       f'<td>{html.escape(hop.where)}</td></tr>' for n, left, right, hop in sorted(self.rows.values(), key=lambda r: r[0]))
        return (f'<section id="hops"><h2>Every link used ({len(self.rows)})</h2>'
                '<table><thead><tr><th>#</th><th>from</th><th>link</th><th>to</th><th>provenance</th><th>confidence</th>'
                f'<th>where printed, or why mapped</th></tr></thead><tbody>{rows}</tbody></table></section>')


def _level(hop) -> str:
    if hop is None:
        return ""
    level = "" if hop.level is None else f"ability level {hop.level}"
    reading = html.escape(hop.reading.lower()) if hop.reading else ""
    return ", ".join(x for x in (level, reading) if x)


def html_body(paths: list[Path], start: str, href=None) -> str:
    """The trace for reading: figures, the diagram (or the list when it would be too large), and the paths
    grouped by competency and by role, each distinct hop once."""
    if not paths:
        return f'<div class="trace"><p id="trace-summary">No path from {html.escape(start)}.</p></div>'
    paths = sorted(paths, key=_path_key)
    nodes: dict[str, dict] = {}
    for path in paths:
        for node in path.nodes:
            nodes.setdefault(node["iri"], node)
    counts = {kind: sum(1 for n in nodes.values() if n["kind"] == kind) for kind in LAYERS}
    warned = sum(1 for p in paths if p.level_warnings)
    summary = (f'<p id="trace-summary"><span id="path-count">{len(paths)}</span> path(s) through {html.escape(start)}: '
               + ", ".join(_count(counts[k], k) for k in LAYERS)
               + (f'; <span class="warn">{warned} break the level correspondence</span>' if warned else "") + ".</p>"
               "<p class=\"muted\">Solid lines and \"printed\" hops are printed in a source; dashed lines and \"curated\" hops are curated "
               "mappings (with their confidence); a hop's link leads to where it is printed or why it was mapped.</p>")
    hops = _Hops()
    grouped = _by_competency(paths, href, hops) + _by_role(paths, href)
    if len(paths) <= MAX_DIAGRAM_PATHS:
        picture = f'<h2>Diagram</h2><div id="trace-diagram">{_svg(paths, start, href)}</div>'
    else:
        picture = (f'<h2>Paths</h2><p id="too-large">{len(paths)} paths are more than a diagram can show ({MAX_DIAGRAM_PATHS}): '
                   f'here they are as a list, each shared beginning written once.</p><div id="trace-list">{_list(paths, href, hops)}</div>')
    return (f'<div class="trace"><style>{STYLE}</style>{summary}{grouped}{picture}{_qualifications(paths)}{hops.table(href)}</div>')


def _count(n: int, kind: str) -> str:
    if n == 1 or kind == "nos":
        return f"{n} {KIND_TITLES[kind]}"
    return f"{n} competencies" if kind == "competency" else f"{n} {KIND_TITLES[kind]}s"


def _layer(path: Path, kind: str) -> tuple[dict | None, int]:
    for i, node in enumerate(path.nodes):
        if node["kind"] == kind:
            return node, i
    return None, -1


def _by_competency(paths: list[Path], href, hops: _Hops) -> str:
    """Per competency: the routes that reach it (NOS -> unit -> it) and the roles that require it, each once."""
    routes: dict[str, dict] = defaultdict(dict)  # competency -> route key -> (nodes, hops)
    roles: dict[str, dict] = defaultdict(dict)  # competency -> role iri -> (role, hop, warnings)
    comps: dict[str, dict] = {}
    loose: dict[tuple, tuple] = {}
    for path in paths:
        comp, at = _layer(path, "competency")
        if comp is None:
            key = tuple(n["iri"] for n in path.nodes)
            loose.setdefault(key, (path.nodes, path.hops))
            continue
        comps[comp["iri"]] = comp
        before = path.nodes[:at + 1]
        key = tuple(n["iri"] for n in before)
        routes[comp["iri"]].setdefault(key, (before, path.hops[:at]))
        if at + 1 < len(path.nodes):
            role, hop = path.nodes[at + 1], path.hops[at]
            entry = roles[comp["iri"]].setdefault(role["iri"], (role, hop, set(), hops.cell(comp, role, hop)))
            entry[2].update(path.level_warnings)
    if not comps and not loose:
        return ""
    sections = []
    for iri in sorted(comps, key=lambda i: _node_key(comps[i])):
        comp = comps[iri]
        route_rows = []
        for before, path_hops in sorted(routes[iri].values(), key=lambda item: tuple(_node_key(n) for n in item[0])):
            cells = []
            for node, right, hop in zip(before[:-1], before[1:], path_hops):
                cells.append(f"{_a(node, href)} {hops.cell(node, right, hop)} →")
            start_only = '<span class="muted">(starts here)</span> ' + _a(comp, href)
            route_rows.append(f"<li>{' '.join(cells) + ' ' + _a(comp, href) if cells else start_only}</li>")
        role_rows = []
        for role, hop, warnings, cell in sorted(roles[iri].values(), key=lambda item: _node_key(item[0])):
            warn = "".join(f'<div class="warn">{html.escape(w)}</div>' for w in sorted(warnings))
            role_rows.append(f"<tr><td>{_a(role, href)}</td><td>{_level(hop)}</td><td>{cell}</td><td>{warn}</td></tr>")
        n_roles, n_routes = len(roles[iri]), len(routes[iri])
        sections.append(
            f'<details class="competency" data-code="{html.escape(comp["notation"])}"><summary>{_a(comp, href)} '
            f'<span class="muted">— required by {n_roles} role(s), reached by {n_routes} route(s)</span></summary>'
            f'<ul class="routes">{"".join(route_rows)}</ul>'
            + (f'<table class="roles"><thead><tr><th>role</th><th>requires</th><th>link</th><th>level check</th></tr></thead><tbody>{"".join(role_rows)}'
               f'</tbody></table>' if role_rows else "") + "</details>")
    if loose:
        items = []
        for chain, chain_hops in sorted(loose.values(), key=lambda item: tuple(_node_key(n) for n in item[0])):
            text = _a(chain[0], href) + "".join(f" {hops.cell(a, b, h)} → {_a(b, href)}" for h, a, b in zip(chain_hops, chain, chain[1:]))
            items.append(f"<li>{text}</li>")
        sections.append(f'<details class="no-competency"><summary>Paths that reach no competency ({len(loose)})</summary>'
                        f'<ul>{"".join(items)}</ul></details>')
    return f'<section id="by-competency"><h2>By competency</h2>{"".join(sections)}</section>'


def _by_role(paths: list[Path], href) -> str:
    """Per role: the competencies it requires on these paths, at which level, and through which units."""
    table: dict[str, dict] = defaultdict(dict)
    roles: dict[str, dict] = {}
    for path in paths:
        role, at = _layer(path, "role")
        comp, c_at = _layer(path, "competency")
        if role is None or comp is None:
            continue
        roles[role["iri"]] = role
        unit, _ = _layer(path, "unit")
        entry = table[role["iri"]].setdefault(comp["iri"], {"competency": comp, "hop": path.hops[c_at], "units": {}, "warn": False})
        if unit is not None:
            entry["units"][unit["iri"]] = unit
        entry["warn"] |= bool(path.level_warnings)
    if not roles:
        return ""
    sections = []
    for iri in sorted(roles, key=lambda i: _node_key(roles[i])):
        rows = []
        for entry in sorted(table[iri].values(), key=lambda e: _node_key(e["competency"])):
            units = ", ".join(_a(u, href) for u in sorted(entry["units"].values(), key=_node_key))
            flag = ' <span class="warn">level mismatch</span>' if entry["warn"] else ""
            rows.append(f"<tr><td>{_a(entry['competency'], href)}</td><td>{_level(entry['hop'])}{flag}</td><td>{units}</td></tr>")
        sections.append(f'<details class="role"><summary>{_a(roles[iri], href)} <span class="muted">— {len(rows)} competenc'
                        f'{"y" if len(rows) == 1 else "ies"}</span></summary><table><thead><tr><th>competency</th><th>requires</th>'
                        f'<th>through units</th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>')
    return f'<section id="by-role"><h2>By role</h2>{"".join(sections)}</section>'


def _list(paths: list[Path], href, hops: _Hops) -> str:
    """The paths as a tree: children of each node grouped under it, so a shared beginning is written once."""
    tree: dict = {}
    for path in paths:
        level = tree
        for i, node in enumerate(path.nodes):
            hop = path.hops[i - 1] if i else None
            entry = level.setdefault(node["iri"], {"node": node, "from": path.nodes[i - 1] if i else None, "hop": hop, "children": {}, "warn": False})
            entry["warn"] |= bool(path.level_warnings)
            level = entry["children"]

    def draw(level: dict, depth: int) -> str:
        items = []
        for entry in sorted(level.values(), key=lambda e: _node_key(e["node"])):
            hop = f"{hops.cell(entry['from'], entry['node'], entry['hop'])} → " if entry["hop"] is not None else ""
            extra = f" <span class=\"muted\">{_level(entry['hop'])}</span>" if entry["hop"] is not None and entry["node"]["kind"] == "role" else ""
            warn = ' <span class="warn">level mismatch</span>' if entry["warn"] and entry["node"]["kind"] == "role" else ""
            head = f"{hop}{_a(entry['node'], href)}{extra}{warn}"
            if entry["children"]:
                count = _leaves(entry["children"])
                opened = " open" if depth == 0 else ""
                items.append(f'<li><details{opened}><summary>{head} <span class="muted">({count} path(s))</span></summary>'
                             f'<ul>{draw(entry["children"], depth + 1)}</ul></details></li>')
            else:
                items.append(f"<li>{head}</li>")
        return "".join(items)

    return f'<ul class="paths">{draw(tree, 0)}</ul>'


def _leaves(level: dict) -> int:
    return sum(_leaves(e["children"]) if e["children"] else 1 for e in level.values())


def _qualifications(paths: list[Path]) -> str:
    found = sorted({q for p in paths for q in p.qualifications}, key=natural_key)
    if not found:
        return ""
    return f'<h2>Counts towards</h2><p id="trace-qualifications">{html.escape(", ".join(found))}</p>'
