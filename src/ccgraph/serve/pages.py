"""Web pages served beside the endpoint: an entity page at every IRI path, the saved queries as forms,
a SPARQL editor, and the audit, matrix and trace reports. Everything is local; nothing from a CDN.

Pages read the dataset through rdflib's triple API only (no SPARQL parsing in the server process).
"""

import html
import json
from urllib.parse import quote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ccgraph.graph.namespaces import CCG, ID

STYLE = """body{font-family:sans-serif;margin:1.5em;color:#111;max-width:1200px}
nav a{margin-right:1em} table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
code{background:#f4f4f4} .muted{color:#666} textarea{width:100%;font-family:monospace}"""


def layout(title: str, body: str, script: str = "", head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)} · ccgraph</title>"
            f"<link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style>{head}</head><body><nav><a href=\"/\">ccgraph</a><a href=\"/query\">Queries</a><a href=\"/editor\">SPARQL editor</a>"
            f"<a href=\"/audit\">Audit</a><a href=\"/matrix\">Matrix</a><a href=\"/trace?nos=19\">Trace</a><a href=\"/sparql\">Endpoint</a></nav>"
            f"<h1>{html.escape(title)}</h1>{body}{f'<script>{script}</script>' if script else ''}</body></html>")


def local_path(iri: URIRef) -> str | None:
    """The server path of one of our IRIs (/id/...), or None for an outside IRI."""
    text = str(iri)
    return "/id/" + text[len(str(ID)):] if text.startswith(str(ID)) else None


class EntityPages:
    def __init__(self, dataset: Dataset):
        self.graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            self.graph.add((s, p, o))
        self.graph.namespace_manager = dataset.namespace_manager

    def label(self, node) -> str:
        g = self.graph
        value = g.value(node, SKOS.prefLabel) or g.value(node, RDFS.label)
        notation = g.value(node, SKOS.notation)
        if value and notation and str(notation) not in str(value):
            return f"{notation} {value}"
        return str(value or notation or g.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else node)

    def link(self, node) -> str:
        if isinstance(node, Literal):
            return html.escape(str(node))
        if isinstance(node, BNode):
            return "<span class=\"muted\">(blank node)</span>"
        path = local_path(node)
        text = html.escape(self.label(node))
        return f'<a href="{html.escape(path)}">{text}</a>' if path else f'<a href="{html.escape(str(node))}">{text}</a>'

    def exists(self, iri: URIRef) -> bool:
        return (iri, None, None) in self.graph or (None, None, iri) in self.graph

    def description(self, iri: URIRef) -> Graph:
        """The entity's own triples and those pointing at it."""
        out = Graph()
        out.namespace_manager = self.graph.namespace_manager
        for triple in self.graph.triples((iri, None, None)):
            out.add(triple)
        for triple in self.graph.triples((None, None, iri)):
            out.add(triple)
        return out

    def page(self, iri: URIRef) -> str:
        g = self.graph
        rows_out = "".join(f"<tr><th>{html.escape(g.namespace_manager.normalizeUri(p))}</th><td>{self.link(o)}</td></tr>"
                           for p, o in sorted(g.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))))
        rows_in = "".join(f"<tr><td>{self.link(s)}</td><th>{html.escape(g.namespace_manager.normalizeUri(p))}</th></tr>"
                          for s, p in sorted(g.subject_predicates(iri), key=lambda sp: (str(sp[1]), str(sp[0])))
                          if (s, RDF.type, CCG.Mapping) not in g)
        mappings = []
        for node in set(g.subjects(OWL.annotatedSource, iri)) | set(g.subjects(OWL.annotatedTarget, iri)):
            other = g.value(node, OWL.annotatedTarget) if g.value(node, OWL.annotatedSource) == iri else g.value(node, OWL.annotatedSource)
            confidence = g.value(node, URIRef("https://w3id.org/sssom/confidence"))
            mappings.append(f"<tr><td>{html.escape(g.namespace_manager.normalizeUri(g.value(node, OWL.annotatedProperty)))}</td>"
                            f"<td>{self.link(other)}</td><td>{'' if confidence is None else confidence}</td>"
                            f"<td>{html.escape(str(g.value(node, RDFS.comment) or ''))}</td><td>{self.link(g.value(node, CCG.inMappingSet))}</td></tr>")
        source = g.value(iri, URIRef("http://purl.org/dc/terms/source"))
        provenance = ""
        if source is not None:
            provenance = (f"<p id=\"provenance\">Source: {self.link(source)} ({html.escape(str(g.value(source, CCG.seedFile) or ''))}), "
                          f"{html.escape(str(g.value(iri, CCG.sourceLocator) or ''))}</p>")
        body = (f"<p><code>{html.escape(str(iri))}</code> · <a href=\"{html.escape(local_path(iri) or '')}?format=ttl\">Turtle</a> · "
                f"<a href=\"{html.escape(local_path(iri) or '')}?format=jsonld\">JSON-LD</a></p>{provenance}"
                f"<h2>Statements</h2><table id=\"outgoing\">{rows_out}</table>"
                + (f"<h2>Mappings</h2><table id=\"mappings\"><tr><th>relation</th><th>to</th><th>confidence</th><th>justification</th><th>set</th></tr>"
                   f"{''.join(mappings)}</table>" if mappings else "")
                + (f"<h2>Linked from</h2><table id=\"incoming\">{rows_in}</table>" if rows_in else ""))
        return layout(self.label(iri), body)

    def home(self) -> str:
        g = self.graph
        schemes = sorted(set(g.subjects(RDF.type, CCG.Framework)), key=str)
        items = "".join(f"<li>{self.link(s)}</li>" for s in schemes if not (s, RDF.type, CCG.StandardsSuite) in g)
        return layout("ccgraph", f"<p>An open knowledge graph of UK contact-centre occupational standards.</p><h2>Frameworks</h2><ul>{items}</ul>"
                                 "<p>Query it at <a href=\"/sparql\">/sparql</a> (SPARQL 1.1 Protocol), through the <a href=\"/query\">saved queries</a> "
                                 "or the <a href=\"/editor\">editor</a>.</p>")


def query_forms(registry) -> str:
    forms = []
    for query in registry.values():
        inputs = "".join(f'<label>{html.escape(p.name)} <input name="{html.escape(p.name)}" {"" if p.optional else "required"} '
                         f'placeholder="{html.escape(p.type)}"></label> ' for p in query.parameters)
        forms.append(f'<section class="saved" id="q-{html.escape(query.name)}"><h2>{html.escape(query.title)}</h2>'
                     f'<p class="muted">{html.escape(query.description)}</p><form method="get" action="/query/{quote(query.name)}">'
                     f'{inputs}<button type="submit">Run</button></form></section>')
    return layout("Saved queries", "".join(forms))


def result_table(title: str, variables: list[str], rows: list[list[str]], links: list[list[str | None]]) -> str:
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join("<tr>" + "".join(f'<td>{f"<a href={chr(34)}{html.escape(l)}{chr(34)}>{html.escape(v)}</a>" if l else html.escape(v)}</td>'
                                     for v, l in zip(row, link_row)) + "</tr>" for row, link_row in zip(rows, links))
    return layout(title, f'<p id="count">{len(rows)} row(s)</p><table id="results"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


EDITOR_SCRIPT = """
document.getElementById('run').addEventListener('click', function () {
  var query = document.getElementById('sparql').value;
  fetch('/sparql', {method: 'POST', headers: {'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json'}, body: query})
    .then(function (r) { return r.ok ? r.json() : r.text().then(function (t) { throw new Error(t); }); })
    .then(function (data) {
      var vars = data.head.vars || [], out = document.getElementById('output');
      if ('boolean' in data) { out.innerHTML = '<p id="count">' + data.boolean + '</p>'; return; }
      var html = '<p id="count">' + data.results.bindings.length + ' row(s)</p><table id="results"><thead><tr>';
      vars.forEach(function (v) { html += '<th>' + v + '</th>'; });
      html += '</tr></thead><tbody>';
      data.results.bindings.forEach(function (b) {
        html += '<tr>';
        vars.forEach(function (v) { var t = document.createElement('span'); t.textContent = b[v] ? b[v].value : ''; html += '<td>' + t.innerHTML + '</td>'; });
        html += '</tr>';
      });
      out.innerHTML = html + '</tbody></table>';
      var encoded = encodeURIComponent(query);
      document.getElementById('downloads').innerHTML = 'Download: <a href="/sparql?query=' + encoded + '&format=csv">CSV</a> '
        + '<a href="/sparql?query=' + encoded + '&format=json">JSON</a>';
    })
    .catch(function (e) { document.getElementById('output').innerHTML = '<p id="error"></p>'; document.getElementById('error').textContent = e.message; });
});
"""


EDITOR_SAMPLE = """PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?code ?title WHERE {
  ?k a ccg:KeyArea ; skos:notation ?code ; skos:prefLabel ?title .
} ORDER BY ?code"""

# YASGUI against this server only: no endpoint catalogue of outside services, no tabs kept in the
# browser's storage, and only the autocompleter that needs no outside service (the prefix, class
# and property ones call prefix.cc and LOV).
YASGUI_SCRIPT = """
var Yasqe = Yasgui.Yasqe;
Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (name) { return name === 'variables'; });
var endpoint = window.location.origin + '/sparql';
window.yasgui = new Yasgui(document.getElementById('yasgui'), {
  requestConfig: {endpoint: endpoint, method: 'POST'},
  endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
  copyEndpointOnNewTab: false, populateFromUrl: false, persistenceId: null,
  yasqe: Object.assign({}, Yasqe.defaults, {value: %s})
});
"""


def editor(yasgui: bool) -> str:
    """YASGUI when it has been vendored (`ccgraph vendor`), else a plain editor that needs nothing."""
    if yasgui:
        head = '<link rel="stylesheet" href="/assets/yasgui/yasgui.min.css"><script src="/assets/yasgui/yasgui.min.js"></script>'
        script = YASGUI_SCRIPT % json.dumps(EDITOR_SAMPLE).replace("</", "<\\/")
        return layout("SPARQL editor", '<div id="yasgui"></div>', script, head)
    body = (f'<p class="muted">A plain editor: run <code>ccgraph vendor</code> once for YASGUI.</p>'
            f'<textarea id="sparql" rows="12">{html.escape(EDITOR_SAMPLE)}</textarea><p><button id="run">Run</button> <span id="downloads"></span></p>'
            '<div id="output"></div>')
    return layout("SPARQL editor", body, EDITOR_SCRIPT)
