"""The audit as one self-contained HTML page: coverage charts, the matrix heatmap, filterable findings.

Nothing is fetched: styles, script and drawings are inline. Every finding shows its severity, kind and
action, and the table filters on each of them and on any words. The page reads '#severity=warning',
'#kind=extraction-damage', '#action=review%20a%20mapping' or '#check=...' (combinable with '&') from its
address and opens filtered, so a link can point at one sort of finding.
"""

import html
import json

from ccgraph.checks.audit import ACTIONS, KINDS, SEVERITIES, AuditReport

COLOURS = {"error": "#d62728", "warning": "#e6a100", "info": "#4292c6"}


def coverage_chart(coverage: dict[str, dict]) -> str:
    bar_w, row_h, label_w = 320, 26, 380
    height = row_h * len(coverage) + 10
    parts = [f'<svg id="coverage-chart" xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 140}" height="{height}" '
             'font-family="sans-serif" font-size="12" role="img" aria-label="Coverage per mapping">']
    for i, (name, figures) in enumerate(coverage.items()):
        y = 5 + i * row_h
        done = bar_w * figures["percent"] / 100
        parts.append(f'<text x="0" y="{y + 15}">{html.escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="18" fill="#eeeeee"/>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{done:.1f}" height="18" fill="#2ca02c">'
                     f'<title>{figures["covered"]} of {figures["total"]}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{figures["percent"]:g}% ({figures["covered"]}/{figures["total"]})</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def severity_chart(report: AuditReport) -> str:
    counts = {s: report.count(s) for s in SEVERITIES}
    top = max(counts.values()) or 1
    parts = ['<svg id="severity-chart" xmlns="http://www.w3.org/2000/svg" width="360" height="120" font-family="sans-serif" font-size="12" '
             'role="img" aria-label="Findings by severity">']
    for i, severity in enumerate(SEVERITIES):
        width = 250 * counts[severity] / top
        y = 10 + i * 34
        parts.append(f'<text x="0" y="{y + 15}">{severity}</text>')
        parts.append(f'<rect class="bar" x="70" y="{y}" width="{width:.1f}" height="22" fill="{COLOURS[severity]}"/>')
        parts.append(f'<text x="{76 + width:.1f}" y="{y + 16}">{counts[severity]}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


SCRIPT = """
(function () {
  var selects = ['severity', 'kind', 'action'].map(function (name) {
    return {name: name, element: document.getElementById('filter-' + name)};
  });
  var text = document.getElementById('filter-text');
  function apply() {
    var needle = text.value.toLowerCase(), shown = 0;
    document.querySelectorAll('#findings tbody tr').forEach(function (row) {
      var ok = selects.every(function (s) { return !s.element.value || row.dataset[s.name] === s.element.value; })
        && (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0);
      row.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    document.getElementById('shown').textContent = shown;
  }
  var params = new URLSearchParams(location.hash.replace(/^#/, ''));
  selects.forEach(function (s) {
    if (params.get(s.name)) { s.element.value = params.get(s.name); }
    s.element.addEventListener('change', apply);
  });
  if (params.get('check')) { text.value = params.get('check'); }
  text.addEventListener('input', apply);
  apply();
})();
"""


def _options(values) -> str:
    return "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)


def render(report: AuditReport, heatmap_svg: str | None) -> str:
    rows = []
    for f in report.findings:
        entities = ", ".join(html.escape(e.notation) for e in f.entities)
        notes = "".join(f'<p class="note">Transcriber\'s note: {html.escape(n)}</p>' for n in f.notes)
        rows.append(f'<tr data-severity="{f.severity}" data-kind="{html.escape(f.kind)}" data-action="{html.escape(f.action)}" '
                    f'data-check="{html.escape(f.check)}"><td class="sev {f.severity}">{f.severity}</td>'
                    f'<td class="kind">{html.escape(f.kind)}</td><td class="action">{html.escape(f.action)}</td>'
                    f"<td><code>{html.escape(f.id)}</code></td><td>{html.escape(f.message)}{notes}</td><td>{entities}</td>"
                    f"<td>{'<br>'.join(html.escape(l) for l in f.locators)}</td></tr>")
    data_dict = report.as_dict()
    summary = data_dict["summary"]
    kinds = ", ".join(f"{count} {html.escape(kind)}" for kind, count in data_dict["kinds"].items() if count)
    heatmap = f'<h2>Role x competency matrix</h2><p>Unresolved cells are orange and marked "?".</p>{heatmap_svg}' if heatmap_svg else ""
    baseline = ""
    if report.baseline is not None:
        b = report.baseline
        baseline = (f'<p id="baseline">Compared with {html.escape(b["file"])}: only the {len(b["new"])} new and {len(b["changed"])} '
                    f'changed findings are shown ({b["unchanged"]} unchanged, {len(b["resolved"])} resolved).</p>')
    table = "".join(f"<tr><td>{html.escape(kind)}</td><td>{severity}</td><td>{html.escape(action)}</td></tr>"
                    for kind, (severity, action) in KINDS.items())
    data = html.escape(json.dumps(summary))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ccgraph audit</title>
<style>
body{{font-family:sans-serif;margin:1.5em;color:#111;max-width:1400px}}
table{{border-collapse:collapse;font-size:13px;width:100%}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}}
.sev{{font-weight:bold;color:#fff}} .sev.error{{background:{COLOURS['error']}}} .sev.warning{{background:{COLOURS['warning']}}} .sev.info{{background:{COLOURS['info']}}}
.note{{margin:4px 0 0;color:#444;font-style:italic}}
#kinds{{width:auto}}
.charts{{display:flex;gap:3em;flex-wrap:wrap}}
</style></head>
<body data-summary="{data}">
<h1>ccgraph audit</h1>
<p id="summary">{summary['error']} error(s), {summary['warning']} warning(s), {summary['info']} info note(s){': ' + kinds if kinds else ''}.</p>
{baseline}
<div class="charts"><div><h2>Coverage</h2>{coverage_chart(report.coverage)}</div><div><h2>Findings by severity</h2>{severity_chart(report)}</div>
<div><h2>Severity and action by kind</h2><table id="kinds"><thead><tr><th>kind</th><th>severity</th><th>action</th></tr></thead><tbody>{table}</tbody></table></div></div>
<h2>Findings</h2>
<p><label>Severity <select id="filter-severity"><option value="">all</option>{_options(SEVERITIES)}</select></label>
<label>Kind <select id="filter-kind"><option value="">all</option>{_options(KINDS)}</select></label>
<label>Action <select id="filter-action"><option value="">all</option>{_options(ACTIONS)}</select></label>
<label>Contains <input id="filter-text" type="search" placeholder="id, unit, words"></label>
<span id="shown">{len(report.findings)}</span> shown</p>
<table id="findings"><thead><tr><th>severity</th><th>kind</th><th>action</th><th>id</th><th>finding</th><th>entities</th><th>where</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{heatmap}
<script>{SCRIPT}</script>
</body></html>
"""
