"""SHACL for an employer graph: the overlay shapes (shapes/overlay/) and the core shapes that apply.

The data validated is the employer graph beside the published framework it refers to (the ontology
and the e-skills graph, so that sh:class sees published competencies, roles and levels). Only results
about the employer's own nodes count. One core constraint does not apply: dcterms:source must name a
seed document, and an employer's facts come from the employer's own files (ccg:sourceLocator names
file and line instead, and the overlay shapes require it).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccgraph.graph.namespaces import CCGSH, ID
from ccgraph.graph.store import Store
from ccgraph.workbench.vocab import tailoring_iri

NOT_APPLICABLE = {str(CCGSH["TranscribedEntity-source"])}

# What the overlay's references need to be checked: the published entities' types, codes and names,
# and each generic cell's competency, level and status. The cells are not typed here: the core shapes
# would re-validate all 649 published cells (several seconds) only to have their results dropped.
CONTEXT = """
CONSTRUCT {
  ?x a ?class ; skos:notation ?n ; skos:prefLabel ?l .
  ?role ccg:hasRequirement ?cell . ?cell ccg:competency ?c ; ccg:abilityLevel ?level ; ccg:readingStatus ?status .
} WHERE {
  { VALUES ?class { ccg:Competency ccg:CompetencySubcategory ccg:CompetencyCategory ccg:Role ccg:AbilityLevel ccg:Framework }
    ?x a ?class . OPTIONAL { ?x skos:notation ?n } OPTIONAL { ?x skos:prefLabel ?l } }
  UNION
  { ?role a ccg:Role ; ccg:hasRequirement ?cell . ?cell ccg:competency ?c ; ccg:readingStatus ?status .
    OPTIONAL { ?cell ccg:abilityLevel ?level } }
}
"""


@dataclass(frozen=True)
class Finding:
    focus: str
    shape: str
    component: str
    message: str
    value: str
    path: str
    severity: str


def overlay_shapes_dir(shapes_dir: Path) -> Path:
    return shapes_dir / "overlay"


@lru_cache(maxsize=4)
def _shapes(shapes_dir: Path, stamp: tuple):
    from ccgraph.checks.validate import load_shapes

    shapes = load_shapes(shapes_dir)
    shapes += load_shapes(overlay_shapes_dir(shapes_dir))
    return shapes


def shapes_graph(shapes_dir: Path):
    """Core shapes (shapes/*.ttl) and overlay shapes (shapes/overlay/*.ttl), read once per change."""
    files = sorted(shapes_dir.glob("*.ttl")) + sorted(overlay_shapes_dir(shapes_dir).glob("*.ttl"))
    return _shapes(shapes_dir, tuple((str(p), p.stat().st_mtime_ns) for p in files))


def context_quads(store: Store):
    """The ontology (for subclass axioms and the reading statuses) and the published entities the overlay names."""
    import pyoxigraph as ox

    yield from store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(str(ID["graph/ontology"])))
    space = tailoring_iri("")
    for triple in store.query(CONTEXT, where="overlay context"):
        if not triple.subject.value.startswith(space):  # published entities only, whatever the store holds
            yield ox.Quad(triple.subject, triple.predicate, triple.object)


def validate(quads, store: Store, shapes_dir: Path) -> list[Finding]:
    """Violations of the employer's nodes, in a fixed order; [] when the overlay conforms."""
    from ccgraph.checks.validate import validate as run
    from ccgraph.graph.convert import graph_from_quads

    data = graph_from_quads([*context_quads(store), *quads])
    report = run(data, shapes_graph(shapes_dir))
    space = tailoring_iri("")
    found = []
    for f in report.findings:
        if f.severity != "Violation" or not f.focus_node.startswith(space):
            continue
        if f.shape in NOT_APPLICABLE or f.constraint in NOT_APPLICABLE:
            continue
        found.append(Finding(f.focus_node, f.constraint or f.shape, f.component, f.message, f.value, f.path, f.severity))
    return sorted(set(found), key=lambda f: (f.focus, f.shape, f.value))
