"""Trace NOS -> unit -> competency -> role through the graph, in either direction, saying at every
hop whether the link is printed in a source (with its place) or curated (with its justification
and confidence), and flagging paths where a unit's level and a role's ability level disagree under
the framework's level correspondence (section 1.3: ability level -> NOS levels).
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import CCG
from ccgraph.sources.sssom import SSSOM

LAYERS = ("nos", "unit", "competency", "role")
KINDS = {CCG.NationalOccupationalStandard: "nos", CCG.Unit: "unit", CCG.Competency: "competency", CCG.Role: "role"}
MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
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


@dataclass
class Path:
    nodes: list[dict]  # {kind, iri, notation, label, level}
    hops: list[Hop]
    qualifications: list[str] = field(default_factory=list)
    level_warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"nodes": self.nodes, "hops": [asdict(h) for h in self.hops], "qualifications": self.qualifications,
                "level_warnings": self.level_warnings}


class Tracer:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.links: dict[URIRef, list[tuple[URIRef, Hop]]] = defaultdict(list)
        self._collect()

    # ------------------------------------------------------------ nodes

    def kind(self, node: URIRef) -> str | None:
        for cls, name in KINDS.items():
            if (node, RDF.type, cls) in self.graph:
                return name
        return None

    def describe(self, node: URIRef) -> dict:
        level = self.graph.value(node, CCG.level)
        return {"kind": self.kind(node), "iri": str(node), "notation": self._code(node),
                "label": str(self.graph.value(node, SKOS.prefLabel) or ""), "level": None if level is None else int(level)}

    def _code(self, node: URIRef) -> str:
        return str(self.graph.value(node, SKOS.notation) or self.graph.value(node, SKOS.prefLabel) or node)

    def find(self, kind: str, code: str) -> list[URIRef]:
        g = self.graph
        candidates = set(g.subjects(SKOS.notation, Literal(code)))
        candidates |= set(g.subjects(SKOS.prefLabel, Literal(code, lang="en"))) | set(g.subjects(SKOS.altLabel, Literal(code, lang="en")))
        found = sorted(c for c in candidates if self.kind(c) == kind)
        if kind == "unit":  # a unit number names the City & Guilds unit, not OCR's local listings
            found = [c for c in found if (c, CCG.unitAccreditationNumber, None) in g] or found
        if not found:
            raise CcgraphError(f"no {kind} with code or name {code!r} in the graph")
        return found

    # ------------------------------------------------------------ links with their provenance

    def _link(self, a: URIRef, b: URIRef, hop: Hop) -> None:
        self.links[a].append((b, hop))
        reverse = Hop(hop.target, hop.source, hop.link, hop.provenance, hop.where, hop.confidence, hop.level, hop.reading)
        self.links[b].append((a, reverse))

    def _collect(self) -> None:
        g = self.graph
        for unit, nos in g.subject_objects(CCG.coversStandard):
            where = f"unit page of {self._code(unit)}: {g.value(nos, CCG.sourceLocator) or g.value(unit, CCG.sourceLocator)}"
            self._link(unit, nos, Hop(self._code(unit), self._code(nos), "ccg:coversStandard", "printed", where))
        for mapping in g.subjects(RDF.type, CCG.Mapping):
            subject, predicate, target = (g.value(mapping, p) for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
            kinds = {self.kind(subject), self.kind(target)}
            if None in kinds or kinds == {"unit"} or (subject, CCG.coversStandard, target) in g:
                continue  # OCR-C&G unit matches and printed unit->NOS links are not trace hops
            author = str(g.value(mapping, SSSOM.author_label) or "")
            confidence = g.value(mapping, SSSOM.confidence)
            printed = author.startswith(("City & Guilds", "OCR", "e-skills"))
            where = str(g.value(mapping, RDFS.comment) or "")
            self._link(subject, target, Hop(self._code(subject), self._code(target), g.namespace_manager.normalizeUri(predicate),
                                            "printed" if printed else "curated", where, None if confidence is None else float(confidence)))
        for role, requirement in g.subject_objects(CCG.hasRequirement):
            competency = g.value(requirement, CCG.competency)
            level = g.value(g.value(requirement, CCG.abilityLevel), CCG.levelNumber)
            reading = str(g.value(g.value(requirement, CCG.readingStatus), SKOS.prefLabel) or "")
            where = f"role x competency matrix: {g.value(requirement, CCG.sourceLocator)}"
            self._link(competency, role, Hop(self._code(competency), self._code(role), "ccg:hasRequirement", "printed", where,
                                             level=None if level is None else int(level), reading=reading))

    # ------------------------------------------------------------ walking

    def _walk(self, start: URIRef, direction: int) -> list[list[tuple[URIRef, Hop | None]]]:
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
            for n, h in sorted(nexts, key=lambda item: (LAYERS.index(self.kind(item[0])) * direction, str(item[0]))):
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
                    nodes = [self.describe(n) for n, _ in chain]
                    # hops found walking up point away from start: turn them round to read NOS -> role
                    hops = [Hop(h.target, h.source, h.link, h.provenance, h.where, h.confidence, h.level, h.reading)
                            for _, h in reversed(up[1:])]
                    hops += [h for _, h in down[1:]]
                    path = Path(nodes, hops)
                    self._annotate(path, [n for n, _ in chain])
                    paths.append(path)
        paths.sort(key=lambda p: [n["notation"] for n in p.nodes])
        return paths

    def _annotate(self, path: Path, chain: list[URIRef]) -> None:
        g = self.graph
        for node in chain:
            if self.kind(node) == "unit":
                for group in g.subjects(CCG.includesUnit, node):
                    for qualification in g.subjects(CCG.hasUnitGroup, group):
                        path.qualifications.append(f"{self._code(qualification)} group {self._code(group)}")
        path.qualifications.sort()
        units = [n for n in path.nodes if n["kind"] == "unit" and n["level"] is not None]
        for hop in path.hops:
            if hop.link != "ccg:hasRequirement" or hop.level is None:
                continue
            level_node = next(g.subjects(CCG.levelNumber, Literal(hop.level)), None)
            nos_levels = sorted(int(v) for v in g.objects(level_node, CCG.correspondsToNOSLevel)) if level_node is not None else []
            for unit in units:
                if nos_levels and unit["level"] not in nos_levels:
                    path.level_warnings.append(
                        f"unit {unit['notation']} is at level {unit['level']}, but role {hop.target} "
                        f"asks for ability level {hop.level}, which corresponds to NOS level {'/'.join(map(str, nos_levels))}")
