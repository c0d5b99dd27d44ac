"""The mapping sets on the web: a list with each set's coverage, a page per set (every row with its
subject, predicate, object, confidence, justification and comment, and the line of the TSV it came
from), and the set itself as SSSOM TSV.

Rows are read from the store (the ccg:Mapping nodes); the line of each row in
data/mappings/NAME.sssom.tsv, where the project's files are at hand, by reading the TSV and naming its
rows as the loader does (sources.sssom.mapping_iri). The download is that file as it is, byte for byte;
a set served without its file is written back from the graph (sources.sssom.write).
"""

from collections import Counter
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ccgraph.graph.store import Store
from ccgraph.serve.browse import NO_TERM_FOUND, display, esc, kind_of, kind_title, link, natural_key, short

SETS = """SELECT ?set (MIN(?l) AS ?name) (MIN(?c) AS ?description) (MIN(?lic) AS ?license) WHERE {
  ?set a ccg:MappingSet . OPTIONAL { ?set rdfs:label ?l } OPTIONAL { ?set rdfs:comment ?c } OPTIONAL { ?set dcterms:license ?lic }
} GROUP BY ?set"""

ROWS = """PREFIX sssom: <https://w3id.org/sssom/>
SELECT ?node (MIN(?s) AS ?subject) (MIN(?p) AS ?predicate) (MIN(?o) AS ?object) (MIN(?c) AS ?confidence) (MIN(?j) AS ?justification)
       (MIN(?note) AS ?comment) (MIN(?by) AS ?author) (MIN(?sl) AS ?subjectLabel) (MIN(?ol) AS ?objectLabel) (MIN(?src) AS ?searched) WHERE {
  ?node ccg:inMappingSet ?set ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
  OPTIONAL { ?node sssom:confidence ?c } OPTIONAL { ?node sssom:mapping_justification ?j } OPTIONAL { ?node rdfs:comment ?note }
  OPTIONAL { ?node sssom:author_label ?by } OPTIONAL { ?node sssom:subject_label ?sl } OPTIONAL { ?node sssom:object_label ?ol }
  OPTIONAL { ?node sssom:object_source ?src }
} GROUP BY ?node"""

# Who was examined, against how many there are: subjects by class and scheme.
EXAMINED = """PREFIX sssom: <https://w3id.org/sssom/>
SELECT ?class ?scheme (COUNT(DISTINCT ?s) AS ?examined) (COUNT(DISTINCT ?matched) AS ?withCounterpart) WHERE {
  ?node ccg:inMappingSet ?set ; owl:annotatedSource ?s ; owl:annotatedTarget ?o .
  ?s a ?class ; skos:inScheme ?scheme . FILTER (STRSTARTS(STR(?class), STR(ccg:)))
  BIND (IF(?o != sssom:NoTermFound, ?s, ?unbound) AS ?matched)
} GROUP BY ?class ?scheme"""

TOTAL = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class ; skos:inScheme ?scheme }"

NAMES = """SELECT ?node (MIN(?n) AS ?code) (MIN(?l) AS ?label) WHERE {
  VALUES ?node { %s } OPTIONAL { ?node skos:notation ?n } OPTIONAL { ?node skos:prefLabel|rdfs:label|dcterms:title ?l }
} GROUP BY ?node"""


def mapping_sets(store: Store) -> dict[str, dict]:
    """name -> {iri, name, description, license}, in name order."""
    out = {}
    for iri, name, description, licence in store.select(SETS, where="mapping sets").values():
        name = str(name or iri.rsplit("/", 1)[-1])
        out[name] = {"iri": iri, "name": name, "description": str(description or ""), "license": licence}
    return dict(sorted(out.items()))


def tsv_path(project, name: str) -> Path | None:
    """data/mappings/NAME.sssom.tsv of the project, if there is one (name is always one the store knows)."""
    if project is None:
        return None
    path = project.data_dir / "mappings" / f"{name}.sssom.tsv"
    return path if path.is_file() else None


@lru_cache(maxsize=16)
def _lines(path: Path, mtime: float) -> tuple[dict[str, int], dict]:
    from ccgraph.sources import sssom

    mapping_set = sssom.read(path)
    lines = {}
    for row in mapping_set.rows:
        line = int(row["_line"])
        try:
            node = sssom.mapping_iri(mapping_set, mapping_set.expand(row["subject_id"], line), mapping_set.expand(row["predicate_id"], line),
                                     mapping_set.expand(row["object_id"], line), row.get("object_source", ""))
        except Exception:  # a row the loader would refuse has no node to find
            continue
        lines[str(node)] = line
    return lines, mapping_set.metadata


def tsv_lines(project, name: str) -> tuple[dict[str, int], dict]:
    """(mapping node IRI -> line of the TSV, the TSV's metadata block) for one set; empty without its file."""
    path = tsv_path(project, name)
    if path is None:
        return {}, {}
    return _lines(path, path.stat().st_mtime)


def all_lines(project, store: Store) -> dict[str, tuple[str, int]]:
    """mapping node IRI -> (set name, line) over every set."""
    out = {}
    for name in mapping_sets(store):
        for node, line in tsv_lines(project, name)[0].items():
            out[node] = (name, line)
    return out


def _names(store: Store, iris) -> dict[str, tuple]:
    iris = sorted({i for i in iris if i})
    out = {}
    for start in range(0, len(iris), 400):
        values = " ".join(str(ox.NamedNode(i)) for i in iris[start:start + 400])
        for node, code, label in store.select(NAMES % values, where="mapping set").values():
            out[node] = (None if code is None else str(code), None if label is None else str(label))
    return out


def set_rows(store: Store, set_iri: str, lines: dict[str, int]) -> list[dict]:
    rows = store.select(ROWS, {"set": ox.NamedNode(set_iri)}, where="mapping set").values()
    named = _names(store, [r[1] for r in rows] + [r[3] for r in rows if r[3] != NO_TERM_FOUND] + [r[10] for r in rows])
    out = []
    for node, subject, predicate, obj, confidence, justification, comment, author, subject_label, object_label, searched in rows:
        s_code, s_label = named.get(subject, (None, None))
        o_code, o_label = named.get(obj, (None, None))
        out.append({"mapping": node, "line": lines.get(node), "subject": subject, "subject_code": s_code, "subject_label": s_label or subject_label,
                    "predicate": predicate, "object": obj, "object_code": o_code, "object_label": o_label or object_label,
                    "no_match": obj == NO_TERM_FOUND, "confidence": confidence, "justification": justification,
                    "comment": None if comment is None else str(comment), "author": None if author is None else str(author),
                    "searched": searched, "searched_label": display(*named.get(searched, (None, None))) if searched else None})
    out.sort(key=lambda r: (r["line"] is None, r["line"] or 0, natural_key(r["subject_code"]), natural_key(r["object_code"]), r["mapping"]))
    return out


def coverage(store: Store, set_iri: str, rows: list[dict]) -> dict:
    subjects = {r["subject"] for r in rows}
    matched = {r["subject"] for r in rows if not r["no_match"]}
    examined = []
    for cls, scheme, count, with_counterpart in store.select(EXAMINED, {"set": ox.NamedNode(set_iri)}, where="mapping set").values():
        kind = kind_of([cls])
        if kind is None:
            continue
        total = store.select(TOTAL, {"class": ox.NamedNode(cls), "scheme": ox.NamedNode(scheme)}, where="mapping set").values()[0][0]
        examined.append({"kind": kind, "scheme": scheme, "examined": count, "with_counterpart": with_counterpart, "of": total})
    named = _names(store, [e["scheme"] for e in examined])
    for entry in examined:
        entry["scheme_label"] = display(*named.get(entry["scheme"], (None, None))) or entry["scheme"]
    examined.sort(key=lambda e: (e["scheme_label"], e["kind"]))
    confidences = [r["confidence"] for r in rows if r["confidence"] is not None]
    return {"rows": len(rows), "subjects": len(subjects), "matched": len(matched), "no_match": len(subjects - matched),
            "no_match_rows": sum(r["no_match"] for r in rows),
            "predicates": dict(sorted(Counter(r["predicate"] for r in rows if not r["no_match"]).items())),
            "mean_confidence": round(sum(confidences) / len(confidences), 3) if confidences else None,
            "examined": examined}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def coverage_html(figures: dict) -> str:
    from ccgraph.serve.pages import curie

    predicates = ", ".join(f"{esc(curie(p))} {n}" for p, n in figures["predicates"].items()) or "none"
    examined = "".join(f'<tr><td>{esc(kind_title(e["kind"]))}</td><td>{link(e["scheme"], e["scheme_label"])}</td><td>{e["examined"]}</td>'
                       f'<td>{e["of"]}</td><td>{_percent(e["examined"], e["of"])}</td><td>{e["with_counterpart"]}</td></tr>'
                       for e in figures["examined"])
    return (f'<ul id="coverage"><li><span class="figure" id="row-count">{figures["rows"]}</span> rows</li>'
            f'<li>{figures["subjects"]} subjects examined: {figures["matched"]} with a counterpart ({_percent(figures["matched"], figures["subjects"])}), '
            f'{figures["no_match"]} with an explicit no-match only</li>'
            f'<li>predicates: {predicates}</li>'
            f'<li>mean confidence: {esc(figures["mean_confidence"] if figures["mean_confidence"] is not None else "none given")}</li></ul>'
            + (f'<table id="examined"><thead><tr><th>subjects</th><th>of</th><th>examined</th><th>there are</th><th>share</th>'
               f'<th>with a counterpart</th></tr></thead><tbody>{examined}</tbody></table>' if examined else ""))


FILTER_SCRIPT = """
(function () {
  var box = document.getElementById('row-filter'), rows = document.querySelectorAll('#rows tbody tr'), shown = document.getElementById('rows-shown');
  if (!box) return;
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), n = 0;
    rows.forEach(function (tr) {
      var text = tr.textContent.toLowerCase(), keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      tr.hidden = !keep; if (keep) n++;
    });
    shown.textContent = n;
  });
  if (location.hash) { var row = document.getElementById(location.hash.slice(1)); if (row) { row.classList.add('hit'); } }
})();
"""


def list_page(store: Store, project) -> tuple[str, str]:
    from ccgraph.query.stats import mapping_coverage

    figures = mapping_coverage(store)
    rows = []
    for name, info in mapping_sets(store).items():
        f = figures.get(name, {"mappings": 0, "subjects": 0, "matched": 0, "no_match": 0})
        title = tsv_lines(project, name)[1].get("mapping_set_title") or info["description"]
        rows.append(f'<tr><td><a href="/mappings/{esc(name)}">{esc(name)}</a></td><td>{esc(title)}</td><td>{f["mappings"]}</td>'
                    f'<td>{f["subjects"]}</td><td>{f["matched"]}</td><td>{f["no_match"]}</td><td>{_percent(f["matched"], f["subjects"])}</td>'
                    f'<td><a href="/mappings/{esc(name)}.sssom.tsv" download>{esc(name)}.sssom.tsv</a></td></tr>')
    body = ('<p>The SSSOM mapping sets that join the frameworks. Each row of a set says how one entity relates to another (or that it '
            'was examined and has no counterpart), with its justification and confidence.</p>'
            '<table id="mapping-sets"><thead><tr><th>set</th><th>title</th><th>rows</th><th>subjects examined</th><th>with a counterpart</th>'
            f'<th>no match</th><th>coverage</th><th>download</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "Mapping sets", body


def set_page(store: Store, project, name: str) -> tuple[str, str, str] | None:
    """(title, body, script) of one set's page, or None for an unknown set."""
    from ccgraph.serve.pages import curie

    info = mapping_sets(store).get(name)
    if info is None:
        return None
    lines, metadata = tsv_lines(project, name)
    rows = set_rows(store, info["iri"], lines)
    figures = coverage(store, info["iri"], rows)
    title = metadata.get("mapping_set_title") or name
    table = []
    for r in rows:
        subject = link(r["subject"], display(r["subject_code"], r["subject_label"]) or r["subject"])
        obj = (f'<span class="muted">no term found</span>{" in " + link(r["searched"], r["searched_label"] or r["searched"]) if r["searched"] else ""}'
               if r["no_match"] else link(r["object"], display(r["object_code"], r["object_label"]) or r["object"]))
        row_id = f' id="line-{r["line"]}"' if r["line"] else ""
        table.append(f'<tr{row_id}><td>{esc(r["line"] or "")}</td><td>{subject}</td><td>{esc(curie(r["predicate"]))}</td><td>{obj}</td>'
                     f'<td>{esc("" if r["confidence"] is None else r["confidence"])}</td><td>{esc(short(r["justification"]) if r["justification"] else "")}'
                     f'{"<br>" + esc(r["author"]) if r["author"] else ""}</td><td class="comment">{esc(r["comment"] or "")}</td></tr>')
    about = esc(metadata.get("mapping_set_description") or info["description"])
    body = (f'<p id="set-description">{about}</p>'
            f'<p><a id="download" href="/mappings/{esc(name)}.sssom.tsv" download>Download {esc(name)}.sssom.tsv</a> (SSSOM TSV) · '
            f'{link(info["iri"], "the set in the graph")} · <a href="/mappings">all sets</a>'
            + (f' · licence <a href="{esc(info["license"])}">{esc(info["license"])}</a>' if info["license"] else "") + "</p>"
            f'<h2>Coverage</h2>{coverage_html(figures)}'
            f'<h2>Rows</h2><p><label>Filter <input id="row-filter" type="search" placeholder="code, words"></label> '
            f'<span id="rows-shown">{len(rows)}</span> shown</p>'
            '<table id="rows"><thead><tr><th>line</th><th>subject</th><th>predicate</th><th>object</th><th>confidence</th><th>justification</th>'
            f'<th>comment</th></tr></thead><tbody>{"".join(table)}</tbody></table>')
    return f"Mapping set {name}: {title}", body, FILTER_SCRIPT


EXPORT = "CONSTRUCT { ?node ?p ?o } WHERE { ?node ccg:inMappingSet ?set ; ?p ?o }"


def tsv_bytes(store: Store, project, name: str) -> bytes | None:
    """The set as SSSOM TSV: its file as it is, else written back from the graph; None for an unknown set."""
    info = mapping_sets(store).get(name)
    if info is None:
        return None
    path = tsv_path(project, name)
    if path is not None:
        return path.read_bytes()
    from rdflib import Graph, URIRef

    from ccgraph.graph.convert import to_rdflib
    from ccgraph.graph.namespaces import ID
    from ccgraph.sources import sssom

    graph = Graph()
    for triple in store.query(EXPORT, {"set": ox.NamedNode(info["iri"])}, where="mapping set"):
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    metadata = {"mapping_set_id": info["iri"], "curie_map": {"ccgid": str(ID)}}
    if info["license"]:
        metadata["license"] = info["license"]
    return sssom.write(graph, URIRef(info["iri"]), metadata).encode("utf-8")



# ---------------------------------------------------------------- routes (registered in site.Site.routes)

async def mapping_list(site, request):
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    title, body = await site.once("mapping-list", lambda: list_page(site.store, site.project))
    return HTMLResponse(pages.layout(title, body))


async def mapping_set(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    name = request.path_params["name"]
    found = await run_in_threadpool(set_page, site.store, site.project, name)
    if found is None:
        return HTMLResponse(pages.layout("Not found", f"<p>No mapping set {esc(name)}: see <a href=\"/mappings\">the mapping sets</a>.</p>"),
                            status_code=404)
    title, body, script = found
    return HTMLResponse(pages.layout(title, body, script))


async def mapping_download(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response

    name = request.path_params["name"]
    body = await run_in_threadpool(tsv_bytes, site.store, site.project, name)
    if body is None:
        return PlainTextResponse("Not found", status_code=404)
    return Response(body, media_type="text/tab-separated-values; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.sssom.tsv"'})
