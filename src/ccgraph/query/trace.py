"""Trace NOS -> unit -> competency -> role through the graph, in either direction, saying at every
hop whether the link is printed in a source (with its place) or curated (with its justification
and confidence), and flagging paths where a unit's level and a role's ability level disagree under
the framework's level correspondence (section 1.3: ability level -> NOS levels).

Every fact the walk needs is gathered from the store up front by a handful of set-based SELECTs
(one per kind of link, one for the nodes); the walk itself then runs in Python over those indexes,
so a trace costs the same few queries whatever its size. Nodes are keyed by IRI string.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG
from ccgraph.graph.store import Store

LAYERS = ("nos", "unit", "competency", "role")
KINDS = {str(CCG.NationalOccupationalStandard): "nos", str(CCG.Unit): "unit", str(CCG.Competency): "competency", str(CCG.Role): "role"}
PRINTING_AUTHORS = ("City & Guilds", "OCR", "e-skills")  # mapping rows these authors wrote are printed in their documents
MAX_PATHS = 500


@dataclass(frozen=True)
class Hop:
    source: str  # notation of the node the hop leaves
    target: str
    link: str  # e.g. ccg:coversStandard, skos:closeMatch, ccg:hasRequirement
    provenance: str  # printed | curated
    where: str  # source locator (printed) or justification and comment (curated)
    confidence: float | None = None
    level: int | None = None  # the ability level a role requirement asks for
    reading: str = ""  # how a matrix cell was read

    def reversed(self) -> "Hop":
        return Hop(self.target, self.source, self.link, self.provenance, self.where, self.confidence, self.level, self.reading)


@dataclass
class Path:
    nodes: list[dict]  # {kind, iri, notation, label, level}
    hops: list[Hop]
    qualifications: list[str] = field(default_factory=list)
    level_warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"nodes": self.nodes, "hops": [asdict(h) for h in self.hops], "qualifications": self.qualifications,
                "level_warnings": self.level_warnings}


# ---------------------------------------------------------------- the queries
# MIN picks one value where a property could repeat, and GROUP BY / DISTINCT keep a triple held in
# two named graphs (the union default graph shows it twice) from becoming two links.

_CLASSES = " ".join(f"<{iri}>" for iri in KINDS)

NODES = f"""
SELECT ?node (GROUP_CONCAT(DISTINCT STR(?class)) AS ?classes) (MIN(?n) AS ?notation) (MIN(?l) AS ?label) (MIN(?v) AS ?level)
WHERE {{
  VALUES ?class {{ {_CLASSES} }}
  ?node a ?class .
  OPTIONAL {{ ?node skos:notation ?n }}
  OPTIONAL {{ ?node skos:prefLabel ?l }}
  OPTIONAL {{ ?node ccg:level ?v }}
}} GROUP BY ?node
"""

COVERS = """
SELECT ?unit ?nos (COALESCE(MIN(?nosPlace), MIN(?unitPlace)) AS ?where) WHERE {
  ?unit ccg:coversStandard ?nos .
  OPTIONAL { ?nos ccg:sourceLocator ?nosPlace }
  OPTIONAL { ?unit ccg:sourceLocator ?unitPlace }
} GROUP BY ?unit ?nos
"""

# A mapping that restates a printed unit -> NOS link is not a second hop.
MAPPINGS = """
PREFIX sssom: <https://w3id.org/sssom/>
SELECT ?subject ?predicate ?target (MIN(?by) AS ?author) (MIN(?c) AS ?confidence) (MIN(?note) AS ?comment) WHERE {
  ?mapping a ccg:Mapping ; owl:annotatedSource ?subject ; owl:annotatedProperty ?predicate ; owl:annotatedTarget ?target .
  FILTER NOT EXISTS { ?subject ccg:coversStandard ?target }
  OPTIONAL { ?mapping sssom:author_label ?by }
  OPTIONAL { ?mapping sssom:confidence ?c }
  OPTIONAL { ?mapping rdfs:comment ?note }
} GROUP BY ?mapping ?subject ?predicate ?target
"""

REQUIREMENTS = """
SELECT ?role ?competency (MIN(?n) AS ?level) (MIN(?r) AS ?reading) (MIN(?place) AS ?where) WHERE {
  ?role ccg:hasRequirement ?requirement .
  ?requirement ccg:competency ?competency .
  OPTIONAL { ?requirement ccg:abilityLevel/ccg:levelNumber ?n }
  OPTIONAL { ?requirement ccg:readingStatus/skos:prefLabel ?r }
  OPTIONAL { ?requirement ccg:sourceLocator ?place }
} GROUP BY ?role ?requirement ?competency
"""

QUALIFICATIONS = """
SELECT ?unit (COALESCE(MIN(?qn), MIN(?ql), STR(?qualification)) AS ?q) (COALESCE(MIN(?gn), MIN(?gl), STR(?group)) AS ?g) WHERE {
  ?qualification ccg:hasUnitGroup ?group .
  ?group ccg:includesUnit ?unit .
  OPTIONAL { ?qualification skos:notation ?qn } OPTIONAL { ?qualification skos:prefLabel ?ql }
  OPTIONAL { ?group skos:notation ?gn } OPTIONAL { ?group skos:prefLabel ?gl }
} GROUP BY ?unit ?qualification ?group
"""

# A correspondence the framework prints, or one inferred from it (ccg:inferredCorrespondsToNOSLevel): a level
# check resting on an inferred one says so.
LEVELS = """
SELECT DISTINCT ?ability ?nos ?inferred WHERE {
  ?level ccg:levelNumber ?ability .
  { ?level ccg:correspondsToNOSLevel ?nos BIND (false AS ?inferred) }
  UNION { ?level ccg:inferredCorrespondsToNOSLevel ?nos BIND (true AS ?inferred) }
}
"""

FIND = """
SELECT DISTINCT ?node ?accredited WHERE {
  { ?node skos:notation ?code } UNION { ?node skos:prefLabel ?label } UNION { ?node skos:altLabel ?label }
  BIND (EXISTS { ?node ccg:unitAccreditationNumber ?number } AS ?accredited)
}
"""


class Tracer:
    def __init__(self, store: Store):
        self.store = store
        self.nodes: dict[str, dict] = {}  # iri -> {kind, iri, notation, label, level}
        self.links: dict[str, list[tuple[str, Hop]]] = defaultdict(list)
        self.qualifications: dict[str, list[str]] = defaultdict(list)  # unit iri -> "3412-03 group B", ...
        self.nos_levels: dict[int, list[int]] = defaultdict(list)  # ability level -> NOS levels
        self.inferred_levels: set[int] = set()  # ability levels whose NOS correspondence is inferred, not printed
        self._collect()

    # ------------------------------------------------------------ nodes

    def kind(self, node: str) -> str | None:
        entry = self.nodes.get(node)
        return entry["kind"] if entry else None

    def describe(self, node: str) -> dict:
        return dict(self.nodes.get(node) or {"kind": None, "iri": node, "notation": node, "label": "", "level": None})

    def _code(self, node: str) -> str:
        return self.nodes[node]["notation"] if node in self.nodes else node

    def find(self, kind: str, code: str) -> list[str]:
        bindings = {"code": ox.Literal(code), "label": ox.Literal(code, language="en")}
        candidates = {node: accredited for node, accredited in self.store.select(FIND, bindings, where="trace").values()}
        found = sorted(node for node in candidates if self.kind(node) == kind)
        if kind == "unit":  # a unit number names the City & Guilds unit, not OCR's local listings
            found = [node for node in found if candidates[node]] or found
        if not found:
            raise CcgraphError(f"no {kind} with code or name {code!r} in the graph")
        return found

    # ------------------------------------------------------------ links with their provenance

    def _link(self, a: str, b: str, hop: Hop) -> None:
        self.links[a].append((b, hop))
        self.links[b].append((a, hop.reversed()))

    def _collect(self) -> None:
        from ccgraph.render.tables import compact

        select = lambda text: self.store.select(text, where="trace").values()  # noqa: E731
        for node, classes, notation, label, level in select(NODES):
            kinds = {KINDS[c] for c in classes.split()}
            self.nodes[node] = {"kind": next(k for k in LAYERS if k in kinds), "iri": node, "notation": str(notation or label or node),
                                "label": str(label or ""), "level": None if level is None else int(level)}
        for unit, nos, where in select(COVERS):
            self._link(unit, nos, Hop(self._code(unit), self._code(nos), "ccg:coversStandard", "printed",
                                      f"unit page of {self._code(unit)}: {where}"))
        for subject, predicate, target, author, confidence, comment in select(MAPPINGS):
            kinds = {self.kind(subject), self.kind(target)}
            if None in kinds or kinds == {"unit"}:
                continue  # OCR-C&G unit matches are not trace hops
            printed = str(author or "").startswith(PRINTING_AUTHORS)
            self._link(subject, target, Hop(self._code(subject), self._code(target), compact(predicate),
                                            "printed" if printed else "curated", str(comment or ""),
                                            None if confidence is None else float(confidence)))
        for role, competency, level, reading, where in select(REQUIREMENTS):
            self._link(competency, role, Hop(self._code(competency), self._code(role), "ccg:hasRequirement", "printed",
                                             f"role x competency matrix: {where}", level=None if level is None else int(level),
                                             reading=str(reading or "")))
        for unit, qualification, group in select(QUALIFICATIONS):
            self.qualifications[unit].append(f"{qualification} group {group}")
        for ability, nos, inferred in select(LEVELS):
            self.nos_levels[int(ability)].append(int(nos))
            if inferred is True:
                self.inferred_levels.add(int(ability))

    # ------------------------------------------------------------ walking

    def _walk(self, start: str, direction: int) -> list[list[tuple[str, Hop | None]]]:
        """Chains from start through the following layers (direction +1) or the preceding ones (-1)."""
        chains = [[(start, None)]]
        finished = []
        while chains:
            chain = chains.pop()
            node = chain[-1][0]
            here = LAYERS.index(self.kind(node))
            nexts = [(n, h) for n, h in self.links.get(node, []) if self.kind(n) and (LAYERS.index(self.kind(n)) - here) * direction > 0]
            if not nexts:
                finished.append(chain)
                continue
            for n, h in sorted(nexts, key=lambda item: (LAYERS.index(self.kind(item[0])) * direction, item[0])):
                chains.append(chain + [(n, h)])
            if len(finished) + len(chains) > MAX_PATHS:
                raise CcgraphError(f"more than {MAX_PATHS} paths: trace a narrower starting point")
        return finished

    def trace(self, kind: str, code: str) -> list[Path]:
        paths = []
        for start in self.find(kind, code):
            for up in self._walk(start, -1):
                for down in self._walk(start, +1):
                    chain = list(reversed(up)) + down[1:]
                    # hops found walking up point away from start: turn them round to read NOS -> role
                    hops = [h.reversed() for _, h in reversed(up[1:])] + [h for _, h in down[1:]]
                    path = Path([self.describe(n) for n, _ in chain], hops)
                    self._annotate(path, [n for n, _ in chain])
                    paths.append(path)
        paths.sort(key=lambda p: [n["notation"] for n in p.nodes])
        return paths

    def _annotate(self, path: Path, chain: list[str]) -> None:
        for node in chain:
            if self.kind(node) == "unit":
                path.qualifications.extend(self.qualifications.get(node, []))
        path.qualifications.sort()
        units = [n for n in path.nodes if n["kind"] == "unit" and n["level"] is not None]
        for hop in path.hops:
            if hop.link != "ccg:hasRequirement" or hop.level is None:
                continue
            nos_levels = sorted(self.nos_levels.get(hop.level, []))
            for unit in units:
                if nos_levels and unit["level"] not in nos_levels:
                    path.level_warnings.append(
                        f"unit {unit['notation']} is at level {unit['level']}, but role {hop.target} "
                        f"asks for ability level {hop.level}, which corresponds to NOS level {'/'.join(map(str, nos_levels))}"
                        + (" (inferred correspondence, not printed in the framework)" if hop.level in self.inferred_levels else ""))
