"""Browsing the graph: each scheme as a collapsible tree, an A-Z index of every entity with a label,
the roles and the competencies as lists, and what an entity page (and /api/entity) leads with.

Everything is read through the store's asserted graphs, a few set-based SELECTs per page; an IRI
from a request reaches a query only as a pyoxigraph NamedNode bound through VALUES. Codes sort
naturally (A1.2 before A1.10, unit 101 before 1001). Every value is escaped where it meets HTML.
"""

import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox

from ccgraph.graph.namespaces import ID
from ccgraph.graph.store import CLOSURE_GRAPH, Store

CCG = "https://w3id.org/ccgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NO_TERM_FOUND = "https://w3id.org/sssom/NoTermFound"
TRACE_KINDS = ("nos", "unit", "competency", "role")


# ---------------------------------------------------------------- small helpers

def natural_key(text: str | None) -> tuple:
    """Codes in the order people count: A1.2 < A1.10 < A2, 3412-03 < 3412-10, 'GS CC AA1.1' by its numbers."""
    parts = re.findall(r"\d+|[^\d]+", text or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts)


def path_of(iri: str) -> str | None:
    """The server path of one of our IRIs (/id/...), or None for an outside IRI."""
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else None


def says(label: str, code: str) -> bool:
    """Whether the label already prints the code, as a word of its own ('Optional Group B' says B; 'Manage
    Contact Centre services' does not say C)."""
    return re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", label) is not None


def display(code: str | None, label: str | None) -> str:
    """'code label', the label when it already says the code, else whichever there is."""
    if code and label and not says(label, code):
        return f"{code} {label}"
    return label or code or ""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def link(iri: str, text: str, css: str = "") -> str:
    href = path_of(iri) or iri
    cls = f' class="{esc(css)}"' if css else ""
    return f'<a href="{esc(href)}"{cls}>{esc(text)}</a>'


def kind_of(types) -> str | None:
    """The most specific search kind (query.search.KINDS) among an entity's classes."""
    from ccgraph.query.search import KINDS

    types = set(types)
    return next((kind for iri, kind in KINDS.items() if iri in types), None)


def kind_title(kind: str | None) -> str:
    from ccgraph.query.search import KIND_TITLES

    if not kind:
        return ""
    return KIND_TITLES.get(kind, kind.replace("-", " "))


def _nodes(iris) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))


NAMES = """SELECT ?node (MIN(?n) AS ?code) (MIN(?l) AS ?label) (MIN(?r) AS ?plain) WHERE {
  VALUES ?node { %s }
  OPTIONAL { ?node skos:notation ?n } OPTIONAL { ?node skos:prefLabel ?l } OPTIONAL { ?node rdfs:label|dcterms:title ?r }
} GROUP BY ?node"""


def names(store: Store, iris) -> dict[str, tuple[str | None, str | None]]:
    """(code, label) of each IRI, as printed (skos:notation, skos:prefLabel, else rdfs:label)."""
    iris = [i for i in set(iris) if i]
    out: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(iris), 400):
        chunk = iris[start:start + 400]
        for node, code, label, plain in store.select(NAMES % _nodes(chunk), where="names").values():
            out[node] = (None if code is None else str(code), None if label is None and plain is None else str(label or plain))
    return out


def node_json(iri: str, named: dict) -> dict:
    code, label = named.get(iri, (None, None))
    return {"iri": iri, "path": path_of(iri), "code": code, "label": label}


# ---------------------------------------------------------------- schemes as trees

# The classes a scheme's tree is made of (criteria are left to their outcome's page: 655 of them).
TREE_CLASSES = ("KeyPurpose", "KeyArea", "AreaOfCompetence", "Function", "NationalOccupationalStandard", "CompetencyCategory",
                "CompetencySubcategory", "Competency", "Qualification", "UnitGroup", "Unit", "LearningOutcome", "AbilityLevel", "NOSLevel")

MEMBERS = f"""SELECT ?scheme ?node (MIN(?n) AS ?code) (MIN(?l) AS ?label) WHERE {{
  VALUES ?class {{ {' '.join(f'ccg:{c}' for c in TREE_CLASSES)} }}
  ?node a ?class ; skos:inScheme ?scheme .
  OPTIONAL {{ ?node skos:notation ?n }} OPTIONAL {{ ?node skos:prefLabel ?l }}
}} GROUP BY ?scheme ?node"""

EDGES = "SELECT DISTINCT ?parent ?child WHERE { { ?child skos:broader ?parent } UNION { ?parent ccg:includesUnit ?child } }"

SCHEMES = """SELECT ?scheme (MIN(?l) AS ?label) (MIN(?n) AS ?code) (SAMPLE(?suite) AS ?isSuite) (MIN(?d) AS ?description)
       (SAMPLE(?framework) AS ?isFramework) WHERE {
  { ?scheme a ccg:Framework } UNION { ?scheme a ccg:StandardsSuite } UNION { ?scheme a skos:ConceptScheme }
  OPTIONAL { ?scheme skos:prefLabel ?l } OPTIONAL { ?scheme skos:notation ?n }
  OPTIONAL { ?scheme a ccg:StandardsSuite BIND (true AS ?suite) }
  OPTIONAL { ?scheme a ccg:Framework BIND (true AS ?framework) }
  OPTIONAL { ?scheme skos:definition|rdfs:comment ?d }
} GROUP BY ?scheme"""


@dataclass
class Scheme:
    iri: str
    label: str
    suite: bool
    description: str = ""
    framework: bool = False
    roots: list[str] = field(default_factory=list)
    children: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.iri[len(str(ID)):]

    def size(self) -> int:
        return len(self.names)


class Trees:
    """Every scheme of the graph with its members arranged by skos:broader and ccg:includesUnit."""

    def __init__(self, store: Store):
        members: dict[str, dict[str, tuple]] = defaultdict(dict)
        for scheme, node, code, label in store.select(MEMBERS, where="browse").values():
            members[scheme][node] = (None if code is None else str(code), None if label is None else str(label))
        edges = store.select(EDGES, where="browse").values()
        self.schemes: dict[str, Scheme] = {}
        for iri, label, code, suite, description, framework in store.select(SCHEMES, where="browse").values():
            if not iri.startswith(str(ID)) or iri not in members:
                continue
            scheme = Scheme(iri, display(None if code is None else str(code), None if label is None else str(label)) or iri, bool(suite),
                            str(description or ""), bool(framework) and not suite)
            scheme.names = members[iri]
            inside = scheme.names
            children: dict[str, set] = defaultdict(set)
            has_parent = set()
            for parent, child in edges:
                if parent in inside and child in inside and parent != child:
                    children[parent].add(child)
                    has_parent.add(child)
            scheme.children = {p: self._ordered(c, inside) for p, c in children.items()}
            scheme.roots = self._ordered([n for n in inside if n not in has_parent], inside)
            self.schemes[iri] = scheme

    @staticmethod
    def _ordered(nodes, named) -> list[str]:
        return sorted(nodes, key=lambda n: (natural_key(named[n][0]), natural_key(named[n][1]), n))

    def ordered(self) -> list[Scheme]:
        """Frameworks first, then the standards suites, then the other schemes (levels), each by label."""
        def rank(s: Scheme):
            return (0 if s.framework else 1 if s.suite else 2, natural_key(s.label))
        return sorted(self.schemes.values(), key=rank)

    def by_path(self, path: str) -> Scheme | None:
        return self.schemes.get(str(ID) + path)


def tree_html(scheme: Scheme, open_depth: int = 0) -> str:
    """Nested <details>: a node with children is a summary (its code and label, the count, a link to its
    page) over its children; a leaf is a list item."""
    out: list[str] = []

    def walk(node: str, depth: int, seen: tuple) -> None:
        code, label = scheme.names[node]
        text = display(code, label)
        kids = [k for k in scheme.children.get(node, []) if k not in seen]
        data = f' data-path="{esc(path_of(node))}"'
        if not kids:
            out.append(f'<li class="leaf"{data}><span class="node">{esc(text)}</span> {link(node, "page", "to-page")}</li>')
            return
        opened = " open" if depth < open_depth else ""
        out.append(f'<li{data}><details{opened}><summary><span class="node">{esc(text)}</span> <span class="muted">({len(kids)})</span> '
                   f'{link(node, "page", "to-page")}</summary><ul>')
        for kid in kids:
            walk(kid, depth + 1, seen + (node,))
        out.append("</ul></details></li>")

    for root in scheme.roots:
        walk(root, 0, ())
    return f'<ul class="tree" data-scheme="{esc(scheme.path)}">{"".join(out)}</ul>'


TREE_STYLE = """<style>
ul.tree,ul.tree ul{list-style:none;padding-left:1.2em;margin:0} ul.tree{padding-left:0}
ul.tree li{margin:2px 0} ul.tree summary{cursor:pointer} ul.tree li.leaf{padding-left:1.1em}
ul.tree a.to-page{font-size:12px} ul.tree .hit>details>summary .node, ul.tree li.hit>.node{background:#fff3b0}
details.scheme>summary{font-size:1.15em;font-weight:bold;cursor:pointer;margin:.4em 0}
</style>"""

# Expand or collapse everything; and open the branch a link's #/id/... names (the entity pages' "in the tree" links).
TREE_SCRIPT = """
(function () {
  function all(open) { document.querySelectorAll('ul.tree details, details.scheme').forEach(function (d) { d.open = open; }); }
  var e = document.getElementById('expand-all'), c = document.getElementById('collapse-all');
  if (e) e.addEventListener('click', function () { all(true); });
  if (c) c.addEventListener('click', function () { all(false); });
  function reveal() {
    var wanted = decodeURIComponent(location.hash.slice(1));
    if (!wanted) return;
    var found = null;
    var raw = location.hash.slice(1);
    document.querySelectorAll('ul.tree li[data-path]').forEach(function (li) {
      var path = li.getAttribute('data-path');
      if (!found && (path === wanted || path === raw)) found = li;
    });
    if (!found) return;
    for (var n = found; n; n = n.parentElement) { if (n.tagName === 'DETAILS') n.open = true; }
    found.classList.add('hit');
    found.scrollIntoView({block: 'center'});
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
"""


def browse_page(trees: Trees) -> tuple[str, str, str, str]:
    """(title, body, script, head) of /browse: every scheme, each a tree folded shut."""
    sections, suites, others = [], [], []
    for scheme in trees.ordered():
        block = (f'<details class="scheme" id="scheme-{esc(scheme.path)}"><summary>{esc(scheme.label)} <span class="muted">'
                 f'({scheme.size()} entries)</span></summary><p><a href="/browse/{esc(scheme.path)}">{esc(scheme.label)} on its own page</a> · '
                 f'{link(scheme.iri, "the scheme entity")}</p>{tree_html(scheme)}</details>')
        (suites if scheme.suite else sections if scheme.framework else others).append(block)
    body = (f'<p>Every scheme of the graph as a tree: open a branch by its title, or go to an entry\'s page. Also: the '
            f'<a href="/a-z">A-Z index</a>, the <a href="/roles">roles</a> and the <a href="/competencies">competencies</a>.</p>'
            f'<p><button id="expand-all" type="button">Expand all</button> <button id="collapse-all" type="button">Collapse all</button></p>'
            f'<h2>Frameworks</h2>{"".join(sections)}'
            + (f'<h2>Standards suites</h2><p class="muted">The NOS suites the Functional Map and the qualifications draw on.</p>{"".join(suites)}'
               if suites else "")
            + (f'<h2>Levels</h2>{"".join(others)}' if others else ""))
    return "Browse", body, TREE_SCRIPT, TREE_STYLE


def scheme_page(scheme: Scheme) -> tuple[str, str, str, str]:
    body = (f'<p>{esc(scheme.description)}</p>' if scheme.description else "") + (
        f'<p>{scheme.size()} entries · {link(scheme.iri, "the scheme entity")} · <a href="/browse">all schemes</a></p>'
        f'<p><button id="expand-all" type="button">Expand all</button> <button id="collapse-all" type="button">Collapse all</button></p>'
        f'{tree_html(scheme)}')
    return scheme.label, body, TREE_SCRIPT, TREE_STYLE


# ---------------------------------------------------------------- A-Z, roles, competencies

def _az_classes() -> str:
    from ccgraph.query.search import KINDS

    return " ".join(f"<{iri}>" for iri in KINDS)


AZ = """SELECT ?e (GROUP_CONCAT(DISTINCT STR(?c)) AS ?classes) (MIN(?l) AS ?label) (MIN(?n) AS ?code) WHERE {
  VALUES ?c { %s }
  ?e a ?c ; skos:prefLabel ?l . OPTIONAL { ?e skos:notation ?n }
} GROUP BY ?e"""


def fold_initial(label: str) -> str:
    plain = unicodedata.normalize("NFKD", label.strip())
    first = next((c for c in plain if c.isalnum()), "#").upper()
    return first if "A" <= first <= "Z" else "#"


def az_entries(store: Store) -> list[dict]:
    entries = []
    for iri, classes, label, code in store.select(AZ % _az_classes(), where="A-Z index").values():
        if not iri.startswith(str(ID)):
            continue
        entries.append({"iri": iri, "label": str(label), "code": None if code is None else str(code), "kind": kind_of(classes.split())})
    entries.sort(key=lambda e: (natural_key(e["label"]), natural_key(e["code"]), e["iri"]))
    return entries


def az_page(entries: list[dict]) -> tuple[str, str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        groups[fold_initial(entry["label"])].append(entry)
    letters = sorted(groups, key=lambda x: (x == "#", x))
    jump = " ".join(f'<a href="#letter-{esc(x)}">{esc(x)}</a>' for x in letters)
    sections = []
    for letter in letters:
        items = "".join(f'<li>{link(e["iri"], e["label"])} <span class="muted">{esc(kind_title(e["kind"]))}'
                        f'{" " + esc(e["code"]) if e["code"] and not says(e["label"], e["code"]) else ""}</span></li>' for e in groups[letter])
        sections.append(f'<section id="letter-{esc(letter)}"><h2>{esc(letter)}</h2><ul class="az">{items}</ul></section>')
    body = (f'<p id="az-count">{len(entries)} entities with a label, by the first letter of their label.</p>'
            f'<p class="letters">{jump}</p>{"".join(sections)}')
    return "A-Z index", body


ROLES = """SELECT ?role (MIN(?l) AS ?label) (MIN(?d) AS ?definition) (MIN(?p) AS ?position) (MIN(?lv) AS ?nosLevel)
       (COUNT(DISTINCT ?req) AS ?requirements) (COUNT(DISTINCT ?certain) AS ?certainCells) (COUNT(DISTINCT ?blank) AS ?blanks) WHERE {
  ?role a ccg:Role ; skos:prefLabel ?l .
  OPTIONAL { ?role skos:definition ?d } OPTIONAL { ?role ccg:matrixPosition ?p }
  OPTIONAL { ?role ccg:primaryNOSLevel/skos:notation ?lv }
  OPTIONAL { ?role ccg:hasRequirement ?req OPTIONAL { ?req ccg:readingStatus ccg:Certain BIND (?req AS ?certain) } }
  OPTIONAL { ?role ccg:hasBlankCell ?blank }
} GROUP BY ?role"""


def roles_page(store: Store) -> tuple[str, str]:
    rows = store.select(ROLES, where="roles").values()
    rows.sort(key=lambda r: (r[3] if r[3] is not None else 999, natural_key(r[1])))
    body = "".join(f'<tr><td>{link(role, label)}</td><td>{esc(definition)}</td><td>{esc(level)}</td><td>{req}</td><td>{certain}</td>'
                   f'<td>{blank}</td></tr>' for role, label, definition, _, level, req, certain, blank in rows)
    return "Roles", (f'<p>The roles of the Contact Centre Career and Skills Framework, in the order of its matrix. A role\'s page lists '
                     f'its requirements with their levels and how each matrix cell was read.</p>'
                     f'<table id="roles"><thead><tr><th>role</th><th>definition</th><th>NOS level</th><th>requirements</th>'
                     f'<th>read with certainty</th><th>blank cells</th></tr></thead><tbody>{body}</tbody></table>')


COMPETENCIES = """SELECT ?c (MIN(?n) AS ?code) (MIN(?l) AS ?label) (MIN(?sub) AS ?subcategory) (MIN(?cat) AS ?category)
       (SAMPLE(?legal) AS ?obligation) (COUNT(DISTINCT ?role) AS ?roles) WHERE {
  ?c a ccg:Competency ; skos:notation ?n ; skos:prefLabel ?l .
  OPTIONAL { ?c skos:broader ?s . ?s skos:prefLabel ?sl OPTIONAL { ?s skos:notation ?sn } BIND (CONCAT(COALESCE(?sn, ""), " ", ?sl) AS ?sub)
             OPTIONAL { ?s skos:broader ?k . ?k skos:prefLabel ?kl OPTIONAL { ?k skos:notation ?kn } BIND (CONCAT(COALESCE(?kn, ""), " ", ?kl) AS ?cat) } }
  OPTIONAL { ?c ccg:legalObligation ?legal }
  OPTIONAL { ?role ccg:hasRequirement ?r . ?r ccg:competency ?c ; ccg:abilityLevel ?level }
} GROUP BY ?c"""


def competencies_page(store: Store) -> tuple[str, str]:
    rows = store.select(COMPETENCIES, where="competencies").values()
    rows.sort(key=lambda r: natural_key(r[1]))
    star = ' <abbr title="legal obligation on the employer">*</abbr>'
    body = "".join(f'<tr><td>{link(c, code)}</td><td>{link(c, label)}{star if legal else ""}</td>'
                   f'<td>{esc((sub or "").strip())}</td><td>{esc((cat or "").strip())}</td><td>{roles}</td></tr>'
                   for c, code, label, sub, cat, legal, roles in rows)
    return "Competencies", (f'<p>{len(rows)} competencies of the Contact Centre Career and Skills Framework, by code. "Roles" counts the '
                            f'roles whose matrix cell for it has a level.</p>'
                            f'<table id="competencies"><thead><tr><th>code</th><th>competency</th><th>subcategory</th><th>category</th>'
                            f'<th>roles</th></tr></thead><tbody>{body}</tbody></table>')


# ---------------------------------------------------------------- one entity: what its page leads with

HEAD = """SELECT (GROUP_CONCAT(DISTINCT STR(?type)) AS ?types) (MIN(?n) AS ?code) (MIN(?l) AS ?label) (MIN(?r) AS ?plain)
       (MIN(?d) AS ?definition) (MIN(?a) AS ?aim) (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts)
       (MIN(?lvl) AS ?level) (MIN(?cr) AS ?credits) WHERE {
  OPTIONAL { ?iri a ?type } OPTIONAL { ?iri skos:notation ?n } OPTIONAL { ?iri skos:prefLabel ?l } OPTIONAL { ?iri rdfs:label ?r }
  OPTIONAL { ?iri skos:definition ?d } OPTIONAL { ?iri ccg:aim ?a } OPTIONAL { ?iri skos:altLabel ?alt }
  OPTIONAL { ?iri ccg:level ?lvl } OPTIONAL { ?iri ccg:creditValue ?cr }
}"""

SCHEMES_OF = "SELECT DISTINCT ?scheme WHERE { ?iri skos:inScheme ?scheme }"

# The ancestors' edges: skos:broader, and a group's ccg:includesUnit (a unit's place is in its groups).
ANCESTRY = """SELECT DISTINCT ?child ?parent WHERE {
  ?iri (skos:broader|^ccg:includesUnit)* ?child .
  { ?child skos:broader ?parent } UNION { ?parent ccg:includesUnit ?child }
}"""

CHILDREN = """SELECT DISTINCT ?child WHERE { { ?child skos:broader ?iri } UNION { ?iri ccg:includesUnit ?child } }"""

# Links between entities that the sources print (ccg: properties), both ways; the hierarchy, the matrix
# cells and the records about a printing are shown elsewhere or are not entities one reads.
HIDDEN_PROPERTIES = ("hasRequirement", "hasBlankCell", "competency", "inMappingSet", "hasUnitGroup", "includesUnit",
                     "hasLearningOutcome", "hasAssessmentCriterion", "printingOf", "concerns")
HIDDEN_CLASSES = ("Mapping", "RoleRequirement", "SourceNote", "UnitPrinting", "CombinationRule", "BarredUnitPair", "StatedCount", "MappingSet")

LINKS = f"""SELECT DISTINCT ?property ?other ?out (MIN(?pl) AS ?propertyLabel) WHERE {{
  {{ ?iri ?property ?other BIND (true AS ?out) }} UNION {{ ?other ?property ?iri BIND (false AS ?out) }}
  FILTER (isIRI(?other) && STRSTARTS(STR(?property), STR(ccg:)))
  FILTER (?property NOT IN ({', '.join(f'ccg:{p}' for p in HIDDEN_PROPERTIES)}))
  FILTER NOT EXISTS {{ VALUES ?hidden {{ {' '.join(f'ccg:{c}' for c in HIDDEN_CLASSES)} }} ?other a ?hidden }}
  FILTER EXISTS {{ ?other skos:prefLabel|skos:notation|rdfs:label ?name }}
  OPTIONAL {{ ?property rdfs:label ?pl }}
}} GROUP BY ?property ?other ?out"""

MAPPINGS = """PREFIX sssom: <https://w3id.org/sssom/>
SELECT ?node ?out (MIN(?p) AS ?predicate) (MIN(?o) AS ?other) (MIN(?c) AS ?confidence) (MIN(?j) AS ?justification)
       (MIN(?note) AS ?comment) (MIN(?by) AS ?author) (MIN(?set) AS ?mappingSet) (MIN(?searched) AS ?searchedSource) WHERE {
  { ?node owl:annotatedSource ?iri ; owl:annotatedTarget ?o BIND (true AS ?out) }
  UNION { ?node owl:annotatedTarget ?iri ; owl:annotatedSource ?o BIND (false AS ?out) }
  ?node a ccg:Mapping ; owl:annotatedProperty ?p .
  OPTIONAL { ?node sssom:confidence ?c } OPTIONAL { ?node sssom:mapping_justification ?j } OPTIONAL { ?node rdfs:comment ?note }
  OPTIONAL { ?node sssom:author_label ?by } OPTIONAL { ?node ccg:inMappingSet ?set }
  OPTIONAL { ?node sssom:object_source ?searched }
} GROUP BY ?node ?out"""

# A role's matrix cells with a level or unresolved (ccg:hasRequirement), or the roles that require a competency.
REQUIREMENTS = """SELECT ?cell ?role ?competency (MIN(?n) AS ?level) (MIN(?ll) AS ?levelLabel) (MIN(?s) AS ?status)
       (MIN(?sl) AS ?statusLabel) (MIN(?raw) AS ?rawText) (MIN(?why) AS ?note) (MIN(?where) AS ?locator) WHERE {
  { ?iri ccg:hasRequirement ?cell BIND (?iri AS ?role) ?cell ccg:competency ?competency }
  UNION { ?cell ccg:competency ?iri BIND (?iri AS ?competency) ?role ccg:hasRequirement ?cell }
  OPTIONAL { ?cell ccg:abilityLevel ?lv OPTIONAL { ?lv ccg:levelNumber ?n } OPTIONAL { ?lv skos:prefLabel ?ll } }
  OPTIONAL { ?cell ccg:readingStatus ?s OPTIONAL { ?s skos:prefLabel ?sl } }
  OPTIONAL { ?cell ccg:rawText ?raw } OPTIONAL { ?cell ccg:readingNote ?why } OPTIONAL { ?cell ccg:sourceLocator ?where }
} GROUP BY ?cell ?role ?competency"""

BLANKS = "SELECT (COUNT(DISTINCT ?cell) AS ?n) WHERE { { ?iri ccg:hasBlankCell ?cell } UNION { ?role ccg:hasBlankCell ?cell . ?cell ccg:competency ?iri } }"

PROVENANCE = """SELECT ?source (MIN(?seed) AS ?seedFile) (GROUP_CONCAT(DISTINCT ?locator; separator="\\u001f") AS ?locators) WHERE {
  OPTIONAL { ?iri dcterms:source ?source OPTIONAL { ?source ccg:seedFile ?seed } }
  OPTIONAL { ?iri ccg:sourceLocator ?locator }
} GROUP BY ?source"""

INFERRED = f"""SELECT DISTINCT ?p ?o WHERE {{
  GRAPH <{CLOSURE_GRAPH.value}> {{ ?iri ?p ?o }}
  FILTER NOT EXISTS {{ ?iri ?p ?o }}
}}"""


def _split(text) -> list[str]:
    return [t for t in str(text or "").split("\u001f") if t]


def _chains(iri: str, parents: dict[str, list[str]], limit: int = 12) -> list[list[str]]:
    """Every root-to-entity chain of ancestors (the entity itself last), at most `limit`."""
    chains: list[list[str]] = []

    def up(node: str, below: list[str]) -> None:
        if len(chains) >= limit:
            return
        above = [p for p in parents.get(node, []) if p not in below]
        if not above:
            chains.append(list(reversed(below)))
            return
        for parent in above:
            up(parent, below + [parent])

    up(iri, [iri])
    return chains


def entity_data(store: Store, iri: ox.NamedNode, lines: dict | None = None) -> dict:
    """What an entity's page leads with, and /api/entity answers: its label, code, definition, place in
    the hierarchy, printed links, mappings (with their set and line), and a role's requirements.

    lines maps a mapping node's IRI to (set name, line of its TSV), where the TSVs are at hand.
    """
    bind = {"iri": iri}
    where = "entity"
    (types, code, label, plain, definition, aim, alts, level, credits), = store.select(HEAD, bind, where=where).values()
    types = (types or "").split()
    kind = kind_of(types)
    schemes = [s for s, in store.select(SCHEMES_OF, bind, where=where).values()]
    parents: dict[str, list[str]] = defaultdict(list)
    for child, parent in store.select(ANCESTRY, bind, where=where).values():
        parents[child].append(parent)
    children = [c for c, in store.select(CHILDREN, bind, where=where).values()]
    links = store.select(LINKS, bind, where=where).values()
    mappings = store.select(MAPPINGS, bind, where=where).values()
    requirements = store.select(REQUIREMENTS, bind, where=where).values()
    blanks = store.select(BLANKS, bind, where=where).values()[0][0] if kind in ("role", "competency") else 0
    provenance = store.select(PROVENANCE, bind, where=where).values()

    referenced = set(schemes) | set(parents) | {p for ps in parents.values() for p in ps} | set(children)
    referenced |= {o for _, o, _, _ in links} | {row[3] for row in mappings if row[3]} | {row[8] for row in mappings if row[8]}
    referenced |= {row[1] for row in requirements} | {row[2] for row in requirements} | {row[0] for row in provenance if row[0]}
    referenced |= {row[9] for row in mappings if row[9]}
    named = names(store, referenced | {iri.value})

    def ordered(nodes):
        return sorted(nodes, key=lambda n: (natural_key(named.get(n, (None, None))[0]), natural_key(named.get(n, (None, None))[1]), n))

    for child in list(parents):
        parents[child] = ordered(set(parents[child]))
    chains = _chains(iri.value, parents)
    broader = [[node_json(n, named) for n in chain[:-1]] for chain in chains if len(chain) > 1]

    data = {
        "iri": iri.value, "path": path_of(iri.value), "kind": kind, "types": sorted(types),
        "code": None if code is None else str(code), "label": None if label is None and plain is None else str(label or plain),
        "definition": None if definition is None else str(definition), "aim": None if aim is None else str(aim),
        "alt_labels": sorted(_split(alts)), "level": level, "credits": credits,
        "schemes": [node_json(s, named) for s in ordered(set(schemes))],
        "broader": broader,
        "narrower": [node_json(c, named) for c in ordered(set(children))],
        "printed_links": sorted(({"property": prop, "property_label": None if plabel is None else str(plabel),
                                  "direction": "out" if out else "in", **node_json(other, named)}
                                 for prop, other, out, plabel in links),
                                key=lambda x: (x["direction"] != "out", x["property"], natural_key(x["code"]), natural_key(x["label"]), x["iri"])),
        "mappings": [],
        "requirements": [],
        "blank_cells": int(blanks or 0),
        "provenance": [{"source": node_json(source, named) if source else None, "seed_file": None if seed is None else str(seed),
                        "locators": sorted(_split(locators))} for source, seed, locators in provenance if source or locators],
    }
    for node, out, predicate, other, confidence, justification, comment, author, mapping_set, searched in mappings:
        set_name, line = (lines or {}).get(node, (None, None))
        data["mappings"].append({
            "mapping": node, "direction": "out" if out else "in", "predicate": predicate,
            "other": {"iri": other, "path": None, "code": None, "label": "no term found"} if other == NO_TERM_FOUND else node_json(other, named),
            "no_match": other == NO_TERM_FOUND, "confidence": confidence, "justification": justification,
            "comment": None if comment is None else str(comment), "author": None if author is None else str(author),
            "set": node_json(mapping_set, named) if mapping_set else None,
            "set_name": set_name or (named.get(mapping_set, (None, None))[1] if mapping_set else None), "line": line,
            "searched": node_json(searched, named) if other == NO_TERM_FOUND and searched else None,
        })
    data["mappings"].sort(key=lambda m: (m["no_match"], m["direction"] != "out", -(m["confidence"] or 0), natural_key(m["other"]["code"]),
                                         m["other"]["iri"] or "", m["mapping"]))
    for cell, role, competency, number, level_label, status, status_label, raw, note, locator in requirements:
        data["requirements"].append({
            "cell": cell, "role": node_json(role, named), "competency": node_json(competency, named),
            "level": number, "level_label": None if level_label is None else str(level_label),
            "reading": None if status is None else status.rsplit("#", 1)[-1],
            "reading_label": None if status_label is None else str(status_label),
            "raw_text": None if raw is None else str(raw), "note": None if note is None else str(note),
            "locator": None if locator is None else str(locator),
        })
    data["requirements"].sort(key=lambda r: (natural_key(r["competency"]["code"]), natural_key(r["role"]["label"])))
    return data


def inferred(store: Store, iri: ox.NamedNode) -> list[tuple]:
    """Statements about the entity that only the OWL-RL closure holds (none when it is not served)."""
    if not getattr(store, "has_closure", False):
        return []
    return sorted(store.select(INFERRED, {"iri": iri}, where="entity").rows, key=lambda po: (po[0].value, str(po[1].value)))


MORE_PREFIXES = {"semapv": "https://w3id.org/semapv/vocab/", "sssom": "https://w3id.org/sssom/"}


def short(iri: str) -> str:
    """A CURIE for an IRI: ccgraph's prefixes (pages.curie), and SSSOM's and SEMAPV's."""
    from ccgraph.serve.pages import curie

    for prefix, namespace in MORE_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return curie(iri)


def _json_link(node: dict | None, css: str = "") -> str:
    if not node:
        return ""
    text = display(node.get("code"), node.get("label")) or node["iri"]
    if node.get("iri") and (node.get("path") or node["iri"].startswith("http")):
        return link(node["iri"], text, css)
    return esc(text)


READING_TITLES = {"Certain": "read with certainty", "Reconstructed": "reconstructed (see the note)",
                  "Unresolved": "unresolved: no level could be read", "NotPrinted": "nothing printed"}


def curated_html(data: dict) -> str:
    """The curated content an entity page leads with: code, definition, place, printed links, mappings,
    requirements, narrower entries. Each part only where the entity has it."""
    from ccgraph.serve.pages import curie

    facts = []
    if data["kind"]:
        facts.append(("Kind", esc(kind_title(data["kind"]))))
    if data["code"]:
        facts.append(("Code", f'<code id="entity-code">{esc(data["code"])}</code>'))
    if data["label"]:
        facts.append(("Title", f'<span id="entity-label">{esc(data["label"])}</span>'))
    if data["definition"]:
        facts.append(("Definition", f'<span id="definition">{esc(data["definition"])}</span>'))
    if data["aim"]:
        facts.append(("Aim", f'<span id="definition">{esc(data["aim"])}</span>' if not data["definition"] else esc(data["aim"])))
    if data["kind"] in TRACE_KINDS:
        start = data["code"] or data["label"] or ""
        query = urlencode({"kind": data["kind"], "start": start, "iri": data["iri"]})
        facts.append(("Trace", f'<a id="trace-link" href="/trace?{esc(query)}">every path NOS → unit → competency → role through it</a>'))
    if data["level"] is not None:
        facts.append(("Level", esc(data["level"])))
    if data["credits"] is not None:
        facts.append(("Credits", esc(data["credits"])))
    if data["alt_labels"]:
        facts.append(("Also printed as", esc("; ".join(data["alt_labels"]))))
    parts = ['<dl id="summary" class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"] if facts else []

    crumbs = []
    scheme_links = " · ".join(f'{_json_link(s)} (<a href="/browse/{esc(s["iri"][len(str(ID)):])}#{esc(data["path"] or "")}">in the tree</a>)'
                              for s in data["schemes"] if s.get("path"))
    for chain in data["broader"]:
        crumbs.append("<li>" + " › ".join(_json_link(n) for n in chain) + f' › <strong>{esc(display(data["code"], data["label"]))}</strong></li>')
    if crumbs or scheme_links:
        parts.append(f'<section id="breadcrumb" aria-label="Place in the hierarchy"><h2>Place in the hierarchy</h2>'
                     + (f"<p>Scheme: {scheme_links}</p>" if scheme_links else "") + (f"<ul>{''.join(crumbs)}</ul>" if crumbs else "") + "</section>")

    if data["printed_links"]:
        rows = "".join(f'<tr><td>{"" if l["direction"] == "out" else "← "}{esc(l["property_label"] or curie(l["property"]))}'
                       f'</td><td>{_json_link(l)}</td></tr>' for l in data["printed_links"])
        parts.append('<h2>Printed links</h2><p class="muted">As the sources print them; ← marks a link from the other entity to this one.</p>'
                     f'<table id="printed-links"><thead><tr><th>link</th><th>with</th></tr></thead><tbody>{rows}</tbody></table>')

    mapping_part = ""
    if data["mappings"]:
        rows = []
        for m in data["mappings"]:
            other = (f'<span class="muted">no term found</span>{" in " + _json_link(m["searched"]) if m["searched"] else ""}'
                     if m["no_match"] else _json_link(m["other"]))
            relation = esc(curie(m["predicate"]))
            if m["direction"] != "out":
                relation = f'<span title="this entity is the mapping\'s object">← {relation}</span>'
            source = ""
            if m["set_name"]:
                anchor = f'#line-{m["line"]}' if m["line"] else ""
                where = f' line {m["line"]}' if m["line"] else ""
                source = f'<a href="/mappings/{esc(m["set_name"])}{anchor}">{esc(m["set_name"])}.sssom.tsv{where}</a>'
            justification = esc(short(m["justification"])) if m["justification"] else ""
            rows.append(f'<tr><td>{relation}</td><td>{other}</td><td>{esc("" if m["confidence"] is None else m["confidence"])}</td>'
                        f'<td>{justification}{"<br>" + esc(m["author"]) if m["author"] else ""}</td><td class="comment">{esc(m["comment"] or "")}</td>'
                        f'<td>{source}</td></tr>')
        mapping_part = ('<h2>Mappings</h2><table id="mappings"><thead><tr><th>predicate</th><th>with</th><th>confidence</th><th>justification</th>'
                        f'<th>comment</th><th>source line</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')

    if data["requirements"]:
        role_page = data["kind"] == "role"
        head = "<th>code</th><th>competency</th>" if role_page else "<th>role</th>"
        rows = []
        for r in data["requirements"]:
            competency = r["competency"]
            lead = (f'<td>{_json_link({**competency, "label": None}) if competency["code"] else ""}</td>'
                    f'<td>{_json_link({**competency, "code": None})}</td>' if role_page else f'<td>{_json_link(r["role"])}</td>')
            level = "" if r["level"] is None else f'{r["level"]}{" " + r["level_label"] if r["level_label"] else ""}'
            status = r["reading"] or ""
            rows.append(f'<tr class="reading-{esc(status)}">{lead}<td>{esc(level)}</td>'
                        f'<td title="{esc(READING_TITLES.get(status, ""))}">{esc(r["reading_label"] or status)}</td>'
                        f'<td><code>{esc(r["raw_text"] or "")}</code></td><td class="comment">{esc(r["note"] or "")}</td>'
                        f'<td class="muted">{esc(r["locator"] or "")}</td></tr>')
        title = "Requirements" if role_page else "Required by"
        blanks = (f'<p class="muted">{data["blank_cells"]} matrix cell(s) print nothing for this '
                  f'{"role" if role_page else "competency"}: no requirement.</p>' if data["blank_cells"] else "")
        parts.append(f'<h2>{title}</h2><table id="requirements"><thead><tr>{head}<th>level</th><th>reading status</th><th>as printed</th>'
                     f'<th>reading note</th><th>where</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{blanks}')

    if mapping_part:  # a role leads with its requirements; a competency's mappings come before the roles requiring it
        after_requirements = data["kind"] == "role" or not data["requirements"]
        parts.insert(len(parts) if after_requirements else len(parts) - 1, mapping_part)
    if data["narrower"]:
        items = "".join(f"<li>{_json_link(n)}</li>" for n in data["narrower"])
        parts.append(f'<h2>Contains</h2><ul id="narrower">{items}</ul>')
    return "".join(parts)


def provenance_html(data: dict) -> str:
    """Where the entity is printed: its source document (and seed file) and every place in it."""
    if not data["provenance"]:
        return ""
    parts = []
    for entry in data["provenance"]:
        source = _json_link(entry["source"]) if entry["source"] else ""
        seed = f' ({esc(entry["seed_file"])})' if entry["seed_file"] else ""
        places = "; ".join(esc(x) for x in entry["locators"])
        parts.append(f"{source}{seed}{', ' + places if places else ''}")
    return f'<p id="provenance">Source: {" · ".join(parts)}</p>'


CURATED_STYLE = """<style>dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 1em} dl.facts dt{font-weight:bold}
dl.facts dd{margin:0} #breadcrumb ul{margin:.2em 0} td.comment{max-width:520px} tr.reading-Unresolved td{background:#fdf2f2}
tr.reading-Reconstructed td{background:#fff8e6}</style>"""


def inferred_html(rows: list[tuple], labels: dict[str, str] | None = None) -> str:
    """The closure's statements folded away under their own heading."""
    from ccgraph.serve.pages import curie

    if not rows:
        return ""
    labels = labels or {}

    def value(term) -> str:
        if isinstance(term, ox.NamedNode):
            return link(term.value, labels.get(term.value) or curie(term.value))
        return esc(term.value)

    body = "".join(f"<tr><th>{esc(curie(p.value))}</th><td>{value(o)}</td></tr>" for p, o in rows)
    return (f'<details id="inferred"><summary><h2 style="display:inline">Inferred statements ({len(rows)})</h2></summary>'
            f'<p class="muted">What the OWL-RL closure (graph id/graph/closure) adds to the asserted statements above: '
            f'read them as consequences of the ontology, not as what a source prints.</p><table>{body}</table></details>')


# ---------------------------------------------------------------- routes (registered in site.Site.routes)

async def browse(site, request):
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    trees = await site.once("browse-trees", lambda: Trees(site.store))
    return HTMLResponse(await site.once("browse-page", lambda: pages.layout(*browse_page(trees))))


async def browse_scheme(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    trees = await site.once("browse-trees", lambda: Trees(site.store))
    scheme = trees.by_path(request.path_params["path"])
    if scheme is None:
        return HTMLResponse(pages.layout("Not found", '<p>No such scheme: see <a href="/browse">every scheme</a>.</p>'), status_code=404)
    return HTMLResponse(await run_in_threadpool(lambda: pages.layout(*scheme_page(scheme))))


async def a_to_z(site, request):
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    return HTMLResponse(await site.once("a-z", lambda: pages.layout(*az_page(az_entries(site.store)))))


async def roles(site, request):
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    return HTMLResponse(await site.once("roles", lambda: pages.layout(*roles_page(site.store))))


async def competencies(site, request):
    from starlette.responses import HTMLResponse

    from ccgraph.serve import pages

    return HTMLResponse(await site.once("competencies", lambda: pages.layout(*competencies_page(site.store))))


def parse_iri(text: str) -> ox.NamedNode | None:
    """An entity named by its IRI, its CURIE (ccgid:functional-map/AA1) or its path here (/id/...)."""
    from ccgraph.graph.store import PREFIX_MAP

    text = (text or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith("/id/"):
        text = str(ID) + text[len("/id/"):]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIX_MAP and not local.startswith("//"):
        text = PREFIX_MAP[prefix] + local
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


async def api_entity(site, request):
    """/api/entity?iri=: what the entity's page leads with, as JSON."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    from ccgraph.serve import mapping_pages

    iri = parse_iri(request.query_params.get("iri", ""))
    if iri is None:
        return JSONResponse({"error": "give ?iri= an IRI, a CURIE or an /id/ path"}, status_code=400)
    if not await run_in_threadpool(site.entities.exists, iri):
        return JSONResponse({"error": f"no entity {iri.value} in the graph"}, status_code=404)
    lines = await site.once("mapping-lines", lambda: mapping_pages.all_lines(site.project, site.store))
    return JSONResponse(await run_in_threadpool(entity_data, site.store, iri, lines))
