"""SHACL validation of the assembled graph with pyshacl, read back from the report graph."""

from dataclasses import asdict, dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ccgraph.graph.namespaces import SH, bind_prefixes
from ccgraph.graph.rdfio import parse_into

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One sh:ValidationResult, flattened for people and programs."""

    severity: str  # Violation | Warning | Info
    focus_node: str
    focus_notation: str
    path: str
    value: str
    component: str
    shape: str
    constraint: str  # the sh:sparql constraint that raised it, for SPARQL-based checks
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValidationReport:
    findings: list[Finding]
    report_graph: Graph

    @property
    def conforms(self) -> bool:
        """Only violations fail validation; warnings and info notes report source anomalies."""
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": self.count("Violation"),
            "warnings": self.count("Warning"),
            "infos": self.count("Info"),
            "results": [f.as_dict() for f in self.findings],
        }


def load_shapes(shapes_dir: Path) -> Graph:
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        parse_into(shapes, path)
    return shapes


def validate(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate data (which must include the ontology, for subclass reasoning) against shapes."""
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",  # the ontology's subclass axioms are in the data graph itself
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,  # SPARQL-based targets (SHACL-AF)
        # In advanced mode pyshacl copies the data graph first, in case SHACL rules add to it. With no
        # rules and no inference nothing is written to it, so it is validated where it is (faster).
        inplace=(None, SH.rule, None) not in shapes,
    )
    bind_prefixes(report_graph)
    findings = [_finding(report_graph, data, result) for result in report_graph.subjects(RDF.type, SH.ValidationResult)]
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.focus_node, f.shape, f.path, f.value))
    return ValidationReport(findings, report_graph)


def _finding(report: Graph, data: Graph, result) -> Finding:
    def one(prop) -> str:
        value = report.value(result, prop)
        return "" if value is None else str(value)

    focus = report.value(result, SH.focusNode)
    notation = data.value(focus, SKOS.notation) if isinstance(focus, URIRef) else None
    severity = one(SH.resultSeverity).rsplit("#", 1)[-1]
    return Finding(
        severity=severity,
        focus_node=str(focus),
        focus_notation="" if notation is None else str(notation),
        path=_path_text(report, report.value(result, SH.resultPath)),
        value=one(SH.value),
        component=one(SH.sourceConstraintComponent),
        shape=one(SH.sourceShape),
        constraint=one(SH.sourceConstraint),
        message=one(SH.resultMessage),
    )


def _path_text(report: Graph, path) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return report.namespace_manager.normalizeUri(path)
    return str(path)
