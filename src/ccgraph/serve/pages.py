"""Web pages served beside the endpoint: an entity page at every IRI path, the saved queries as forms,
a SPARQL editor, and the audit, matrix and trace reports. Everything is local; nothing from a CDN.

Entity pages read the store with a few SPARQL queries each (the asserted graphs: a page shows what
the sources and the curators said, not the closure). The IRI comes from the URL, so it reaches a
query only as a pyoxigraph NamedNode, which refuses anything that is not an IRI.
"""

import html
import json
from urllib.parse import quote

import pyoxigraph as ox

from ccgraph.graph.namespaces import ID
from ccgraph.graph.store import PREFIX_MAP, Store

STYLE = """body{font-family:sans-serif;margin:1.5em;color:#111;max-width:1200px}
nav a{margin-right:1em} table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
code{background:#f4f4f4} .muted{color:#666} textarea{width:100%;font-family:monospace}"""


def layout(title: str, body: str, script: str = "", head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)} · ccgraph</title>"
            f"<link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style>{head}</head><body>{nav()}"
            f"<h1>{html.escape(title)}</h1>{body}{f'<script>{script}</script>' if script else ''}</body></html>")


NAV_LINKS = (("/", "ccgraph"), ("/browse", "Browse"), ("/a-z", "A-Z"), ("/search", "Search"), ("/mappings", "Mappings"), ("/query", "Queries"),
             ("/editor", "SPARQL editor"), ("/audit", "Audit"), ("/matrix", "Matrix"), ("/trace", "Trace"), ("/ontology", "Ontology"), ("/downloads", "Downloads"),
             ("/sparql", "Endpoint"))


def nav() -> str:
    """The navigation bar of every page, with the search box (its typeahead: serve/search_pages.py)."""
    from ccgraph.serve.search_pages import typeahead_box

    links = "".join(f'<a href="{href}">{text}</a>' for href, text in NAV_LINKS)
    return (f'<style>#site-nav{{font-family:sans-serif;font-size:15px;margin-bottom:.8em}} #site-nav>a{{margin-right:1em}}</style>'
            f'<nav id="site-nav">{links}{typeahead_box()}</nav>')


def with_nav(document: str) -> str:
    """A whole page made elsewhere (render/: the audit report, the matrix) with the navigation bar put first in its body."""
    start = document.find("<body")
    end = document.find(">", start)
    if start < 0 or end < 0:
        return document
    return document[:end + 1] + nav() + document[end + 1:]


def local_path(iri: str) -> str | None:
    """The server path of one of our IRIs (/id/...), or None for an outside IRI."""
    text = str(iri)
    return "/id/" + text[len(str(ID)):] if text.startswith(str(ID)) else None


# Longest namespace first, so ccgid: wins over a shorter prefix of it.
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIX_MAP.items()), key=lambda item: -len(item[0]))


def curie(iri: str) -> str:
    """prefix:local for an IRI in one of our namespaces, else <iri> (as rdflib's normalizeUri writes it)."""
    for namespace, prefix in _NAMESPACES:
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "_-." for c in local) and local[0] not in "-.":
            return f"{prefix}:{local}"
    return f"<{iri}>"


EXISTS = "ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }"
OUTGOING = "SELECT ?p ?o WHERE { ?iri ?p ?o }"
INCOMING = "SELECT ?s ?p WHERE { ?s ?p ?iri FILTER NOT EXISTS { ?s a ccg:Mapping } }"
DESCRIPTION = "CONSTRUCT { ?iri ?p ?o . ?s ?q ?iri } WHERE { { ?iri ?p ?o } UNION { ?s ?q ?iri } }"
LABELS = """SELECT ?node (MIN(?pref) AS ?p) (MIN(?plain) AS ?l) (MIN(?code) AS ?n) WHERE {
  VALUES ?node { %s }
  OPTIONAL { ?node skos:prefLabel ?pref } OPTIONAL { ?node rdfs:label ?plain } OPTIONAL { ?node skos:notation ?code }
} GROUP BY ?node"""
FRAMEWORKS = "SELECT ?s WHERE { ?s a ccg:Framework FILTER NOT EXISTS { ?s a ccg:StandardsSuite } }"


class EntityPages:
    def __init__(self, store: Store, project=None):
        self.store = store
        self.project = project  # for the mapping sets' TSV lines, where the project's files are at hand
        self._lines = None

    def mapping_lines(self) -> dict:
        if self._lines is None:
            from ccgraph.serve.mapping_pages import all_lines

            self._lines = all_lines(self.project, self.store)
        return self._lines

    def _ask(self, text: str, iri: ox.NamedNode):
        return self.store.query(text, {"iri": iri}, where="entity page")

    def labels(self, nodes) -> dict[str, str]:
        """The display label of each IRI: 'notation label', the label, the notation, or its CURIE."""
        iris = sorted({n.value for n in nodes if isinstance(n, ox.NamedNode)})
        out = {iri: curie(iri) for iri in iris}
        if iris:
            text = LABELS % " ".join(str(ox.NamedNode(i)) for i in iris)
            for node, pref, plain, code in self.store.select(text, where="entity page"):
                value = pref or plain
                if value is not None and code is not None and code.value not in value.value:
                    out[node.value] = f"{code.value} {value.value}"
                elif value is not None or code is not None:
                    out[node.value] = (value or code).value
        return out

    def link(self, node, labels: dict[str, str]) -> str:
        if node is None:
            return ""
        if isinstance(node, ox.Literal):
            return html.escape(node.value)
        if isinstance(node, ox.BlankNode):
            return "<span class=\"muted\">(blank node)</span>"
        path = local_path(node.value)
        text = html.escape(labels.get(node.value) or curie(node.value))
        return f'<a href="{html.escape(path or node.value)}">{text}</a>'

    def exists(self, iri: ox.NamedNode) -> bool:
        return bool(self._ask(EXISTS, iri))

    def description(self, iri: ox.NamedNode) -> list[ox.Triple]:
        """The entity's own triples and those pointing at it."""
        return self._ask(DESCRIPTION, iri)

    def page(self, iri: ox.NamedNode) -> str:
        """The curated content first (serve/browse.py: code, definition, place in the hierarchy, printed links,
        mappings, a role's requirements), then every statement, the incoming links, and what the closure infers."""
        from ccgraph.serve import browse

        outgoing = sorted(self._ask(OUTGOING, iri).rows, key=lambda po: (po[0].value, po[1].value))
        incoming = sorted(self._ask(INCOMING, iri).rows, key=lambda sp: (sp[1].value, sp[0].value))
        data = browse.entity_data(self.store, iri, self.mapping_lines())
        inferred = browse.inferred(self.store, iri)
        labels = self.labels([iri, *(o for _, o in outgoing), *(s for s, _ in incoming), *(o for _, o in inferred)])
        rows_out = "".join(f"<tr><th>{html.escape(curie(p.value))}</th><td>{self.link(o, labels)}</td></tr>" for p, o in outgoing)
        rows_in = "".join(f"<tr><td>{self.link(s, labels)}</td><th>{html.escape(curie(p.value))}</th></tr>" for s, p in incoming)
        path = html.escape(local_path(iri.value) or "")
        body = (f"<p><code>{html.escape(iri.value)}</code> · <a href=\"{path}?format=ttl\">Turtle</a> · "
                f"<a href=\"{path}?format=jsonld\">JSON-LD</a> · <a href=\"/api/entity?iri={quote(iri.value, safe='')}\">JSON</a></p>"
                + browse.curated_html(data) + browse.provenance_html(data)
                + f"<h2>All statements</h2><table id=\"outgoing\">{rows_out}</table>"
                + (f"<h2>Linked from</h2><table id=\"incoming\">{rows_in}</table>" if rows_in else "")
                + browse.inferred_html(inferred, labels))
        return layout(labels[iri.value], body, head=browse.CURATED_STYLE)

    def home(self) -> str:
        frameworks = [row[0] for row in self.store.select(FRAMEWORKS, where="home page")]
        labels = self.labels(frameworks)
        items = "".join(f"<li>{self.link(s, labels)}</li>" for s in sorted(frameworks, key=lambda n: n.value))
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
