"""Finding things on the web: /search?q= (a results page), /api/search?q= (JSON, what the typeahead
asks), the typeahead box every page carries, and the /trace form that picks a trace's start with it.

Search is query.search over the store's one index (built on first use); nothing here ranks. The
typeahead is a small inline script with nothing loaded from elsewhere: it asks /api/search as one
types, lists the suggestions, and picking one goes to the entity's page (or, in the trace form, fills
the form in).
"""

import copy

from ccgraph.errors import CcgraphError
from ccgraph.serve.browse import esc, kind_title, path_of

LIMIT = 20
SUGGESTIONS = 8
TRACE_KINDS = ("nos", "unit", "competency", "role")


def hit_json(hit) -> dict:
    return {"iri": hit.iri, "path": path_of(hit.iri), "kind": hit.kind, "kind_title": kind_title(hit.kind), "notation": hit.notation,
            "label": hit.label, "context": hit.context, "matched": hit.matched, "score": hit.score}


def parse_limit(text: str | None, default: int = LIMIT) -> int:
    try:
        value = int(text) if text not in (None, "") else default
    except ValueError:
        raise CcgraphError(f"limit {text!r} is not a number") from None
    if not 0 < value <= 200:
        raise CcgraphError(f"limit {value}: give 1 to 200")
    return value


def kinds_param(text: str | None):
    """?kind=nos,unit -> ['nos', 'unit'] (checked by search itself); none or 'any' -> all kinds."""
    if not text or text == "any":
        return None
    return [k for k in text.split(",") if k]


def api_search(store, query: str, kind: str | None, limit: str | None) -> dict:
    from ccgraph.query.search import search

    hits = search(store, query, kinds_param(kind), parse_limit(limit)) if query.strip() else []
    return {"query": query, "kind": kind or "any", "count": len(hits), "results": [hit_json(h) for h in hits]}


def kind_options(selected: str | None, kinds) -> str:
    return "".join(f'<option value="{esc(k)}"{" selected" if k == selected else ""}>{esc(kind_title(k) if k != "any" else "anything")}</option>'
                   for k in kinds)


def results_page(store, query: str, kind: str | None) -> tuple[str, str, int]:
    """(title, body, status) of /search."""
    from ccgraph.query.search import KIND_NAMES

    try:
        data = api_search(store, query, kind, str(50))
    except CcgraphError as error:
        return "Search", _search_form(query, kind, KIND_NAMES) + f'<p id="error">{esc(error)}</p>', 400
    rows = "".join(f'<tr><td>{esc(r["kind_title"])}</td><td><a href="{esc(r["path"] or r["iri"])}">{esc(r["notation"] or "")}</a></td>'
                   f'<td><a href="{esc(r["path"] or r["iri"])}">{esc(r["label"] or r["notation"] or r["iri"])}</a></td>'
                   f'<td class="muted">{esc(r["context"])}</td><td class="muted">{esc(r["matched"])}</td></tr>' for r in data["results"])
    body = _search_form(query, kind, KIND_NAMES)
    if query.strip():
        body += (f'<p id="count">{data["count"]} result(s) for <q>{esc(query)}</q>{" (the first 50)" if data["count"] == 50 else ""}.</p>'
                 + (f'<table id="search-results"><thead><tr><th>kind</th><th>code</th><th>title</th><th>in</th><th>matched</th></tr></thead>'
                    f'<tbody>{rows}</tbody></table>' if rows else '<p>Nothing matches: try fewer words, or the start of a code.</p>'))
    return (f"Search: {query}" if query.strip() else "Search"), body, 200


def _search_form(query: str, kind: str | None, kinds) -> str:
    return (f'<form id="search-form" method="get" action="/search"><label>Find <input name="q" value="{esc(query)}" size="40" '
            f'class="typeahead" data-pick="go" autocomplete="off" placeholder="a code, a title, words"></label> '
            f'<label>among <select name="kind">{kind_options(kind or "any", ("any", *kinds))}</select></label> '
            '<button type="submit">Search</button></form>')


# ---------------------------------------------------------------- the typeahead

TYPEAHEAD_STYLE = """#site-search{display:inline-block;position:relative;margin-left:1em}
#site-search input{width:22em} .suggestions{position:absolute;z-index:10;background:#fff;border:1px solid #999;margin:0;padding:0;
list-style:none;min-width:28em;max-width:44em;box-shadow:0 2px 6px rgba(0,0,0,.2)} .suggestions[hidden]{display:none}
.suggestions li{padding:3px 6px;cursor:pointer;font-size:13px} .suggestions li[aria-selected=true],.suggestions li:hover{background:#e8f0fe}
.suggestions .kind{color:#666;font-size:11px;margin-right:.5em} .suggestions .context{color:#666;font-size:11px;margin-left:.5em}
.typeahead-wrap{position:relative;display:inline-block}"""

# Every input.typeahead gets suggestions from /api/search as one types. data-pick="go" opens the picked
# entity's page; "fill" writes its code (or name) into the box and its IRI into the form's hidden
# input named by data-iri-field. data-kind (or data-kind-field, a select's name) narrows the kinds.
TYPEAHEAD_SCRIPT = """
(function () {
  function says(label, code) {  // the label prints the code as a word of its own (as serve/browse.py's says)
    for (var i = label.indexOf(code); i >= 0; i = label.indexOf(code, i + 1)) {
      var before = i === 0 ? '' : label.charAt(i - 1), after = label.charAt(i + code.length);
      if (!/[A-Za-z0-9_.]/.test(before) && !/[A-Za-z0-9_.]/.test(after)) return true;
    }
    return false;
  }
  function setup(input) {
    if (input.dataset.ready) return; input.dataset.ready = '1';
    var wrap = document.createElement('span'); wrap.className = 'typeahead-wrap';
    input.parentNode.insertBefore(wrap, input); wrap.appendChild(input);
    var list = document.createElement('ul'); list.className = 'suggestions'; list.hidden = true; list.setAttribute('role', 'listbox');
    wrap.appendChild(list); input.setAttribute('aria-autocomplete', 'list');
    var timer = null, items = [], active = -1, asked = 0;
    function kind() {
      if (input.dataset.kind) return input.dataset.kind;
      var field = input.dataset.kindField && input.form ? input.form.elements[input.dataset.kindField] : null;
      return field ? field.value : '';
    }
    function close() { list.hidden = true; active = -1; }
    function pick(hit) {
      if (input.dataset.pick === 'fill') {
        input.value = hit.notation || hit.label || hit.iri;
        var hidden = input.form && input.dataset.iriField ? input.form.elements[input.dataset.iriField] : null;
        if (hidden) hidden.value = hit.iri;
        close();
        if (input.form) input.form.dispatchEvent(new CustomEvent('picked', {detail: hit}));
      } else {
        window.location.href = hit.path || hit.iri;
      }
    }
    function show(hits) {
      list.innerHTML = ''; items = hits; active = -1;
      hits.forEach(function (hit, n) {
        var li = document.createElement('li'); li.setAttribute('role', 'option'); li.dataset.iri = hit.iri;
        var k = document.createElement('span'); k.className = 'kind'; k.textContent = hit.kind_title; li.appendChild(k);
        var t = document.createElement('span'); t.className = 'text';
        t.textContent = hit.notation && hit.label && !says(hit.label, hit.notation) ? hit.notation + ' ' + hit.label : (hit.label || hit.notation);
        li.appendChild(t);
        if (hit.context) { var c = document.createElement('span'); c.className = 'context'; c.textContent = hit.context; li.appendChild(c); }
        li.addEventListener('mousedown', function (e) { e.preventDefault(); pick(hit); });
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
    }
    function mark() { Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute('aria-selected', n === active ? 'true' : 'false'); }); }
    function ask() {
      var text = input.value.trim(), mine = ++asked;
      if (!text) { close(); return; }
      var url = '/api/search?limit=""" + str(SUGGESTIONS) + """&q=' + encodeURIComponent(text) + (kind() ? '&kind=' + encodeURIComponent(kind()) : '');
      fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) { if (mine === asked) show(data.results || []); }).catch(function () { close(); });
    }
    input.addEventListener('input', function () {
      var hidden = input.form && input.dataset.iriField ? input.form.elements[input.dataset.iriField] : null;
      if (hidden) hidden.value = '';
      clearTimeout(timer); timer = setTimeout(ask, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') { active = Math.min(items.length - 1, active + 1); mark(); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); mark(); e.preventDefault(); }
      else if (e.key === 'Enter' && active >= 0) { pick(items[active]); e.preventDefault(); }
      else if (e.key === 'Escape') { close(); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }
  function all() { document.querySelectorAll('input.typeahead').forEach(setup); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
})();
"""


def typeahead_box() -> str:
    """The search box of the navigation bar, with its style and script (inline, nothing from elsewhere)."""
    return (f'<style>{TYPEAHEAD_STYLE}</style><form id="site-search" role="search" method="get" action="/search">'
            '<input id="typeahead" class="typeahead" data-pick="go" name="q" type="search" autocomplete="off" '
            'placeholder="Find a code or title" aria-label="Find a code or title"></form>'
            f'<script>{TYPEAHEAD_SCRIPT}</script>')


# ---------------------------------------------------------------- the trace form

def trace_form(kind: str | None = None, text: str = "", iri: str = "") -> str:
    options = "".join(f'<option value="{k}"{" selected" if k == kind else ""}>{esc(kind_title(k))}</option>' for k in TRACE_KINDS)
    return (f'<form id="trace-form" method="get" action="/trace"><label>Start from <select name="kind" id="trace-kind">{options}</select></label> '
            f'<input name="start" id="trace-start" class="typeahead" data-pick="fill" data-kind-field="kind" data-iri-field="iri" '
            f'value="{esc(text)}" size="36" autocomplete="off" placeholder="a code or name: 19, 204, A1.1, Sales Advisor" required> '
            f'<input type="hidden" name="iri" value="{esc(iri)}"> <button type="submit">Trace</button></form>'
            '<p class="muted">Every path NOS → unit → competency → role through the start: printed links (solid), curated mappings '
            '(dashed), level mismatches in red.</p>')


async def trace(site, request):
    """/trace: the form alone; or ?kind=K&start=TEXT (&iri=, as the typeahead fills it), or ?nos=19 and the like."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from ccgraph.query.search import resolve
    from ccgraph.query.trace import Tracer
    from ccgraph.render.trace_diagram import html_body
    from ccgraph.serve import pages

    params = request.query_params
    legacy = {k: v for k in TRACE_KINDS if (v := params.get(k))}
    kind, text, iri = params.get("kind"), params.get("start", ""), params.get("iri", "")
    if legacy and not text:
        if len(legacy) != 1:
            return HTMLResponse(pages.layout("Trace", trace_form() + '<p id="error">Give one start: one of ?nos=, ?unit=, ?competency=, ?role=.</p>'),
                                status_code=400)
        (kind, text), = legacy.items()
    if not text.strip() and not iri:
        return HTMLResponse(pages.layout("Trace", trace_form(kind)))
    if kind not in TRACE_KINDS:
        return HTMLResponse(pages.layout("Trace", trace_form() + f'<p id="error">Unknown kind {esc(kind)}: one of {", ".join(TRACE_KINDS)}.</p>'),
                            status_code=400)
    try:
        start = None
        if iri:
            try:
                start = await run_in_threadpool(resolve, site.store, iri, kind, "trace")
            except CcgraphError:
                start = None  # the box was edited after the pick: the text decides
        if start is None:
            start = await run_in_threadpool(resolve, site.store, text, kind, "trace")
        tracer = await site.once("tracer", lambda: Tracer(site.store))
        one = copy.copy(tracer)  # the shared indexes, with find() naming the one start resolved
        one.find = lambda _kind, _code: [start.iri]
        printed = start.notation or start.label or text
        paths = await run_in_threadpool(one.trace, kind, printed)
    except CcgraphError as error:
        return HTMLResponse(pages.layout("Trace", trace_form(kind, text) + f'<p id="error">{esc(error)}</p>'), status_code=404)
    title = f"Trace from {kind} {printed}"
    return HTMLResponse(pages.layout(title, trace_form(kind, printed, start.iri) + html_body(paths, f"{kind} {printed}", pages.local_path)))



# ---------------------------------------------------------------- routes (registered in site.Site.routes)

async def search_page(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    title, body, status = await run_in_threadpool(results_page, site.store, request.query_params.get("q", ""),
                                                  request.query_params.get("kind"))
    return HTMLResponse(pages.layout(title, body), status_code=status)


async def search_api(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    params = request.query_params
    try:
        data = await run_in_threadpool(api_search, site.store, params.get("q", ""), params.get("kind"), params.get("limit"))
    except CcgraphError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse(data)
