"""The workbench's names: the employer's IRIs and graph, and the few terms the core ontology lacks.

An employer's tailoring lives in its own named graph, id/graph/employer/{name}, and every subject in
it sits under id/employer/{name}: the published framework's graphs are never written to. Where the
core ontology has a term (ccg:Role, ccg:RoleRequirement, ccg:Competency, ccg:LevelDescriptor) it is
used; the terms that only a tailoring needs are in the workbench namespace below.
"""

from ccgraph.graph.namespaces import ID, code_segment, slug

WB = "https://w3id.org/ccgraph/workbench#"
ESKILLS = str(ID["eskills-framework"])

# Classes and properties of the workbench namespace (documented in README, "For employers").
TAILORING = WB + "Tailoring"  # an employer's tailored framework (also a ccg:Framework)
TAILORS = WB + "tailors"  # tailoring -> the published framework it adapts
AMENDMENT = WB + "CompetencyAmendment"  # changed wording of a published competency
REMOVAL = WB + "CompetencyRemoval"  # a published competency the employer does not use
OF_COMPETENCY = WB + "competency"  # amendment / removal -> the published competency
LEVEL_DESCRIPTOR = WB + "levelDescriptor"  # competency or amendment -> a ccg:LevelDescriptor
DEFAULTED_FROM = WB + "levelDefaultedFrom"  # employer requirement -> the generic cell its level came from

MATCHES = ("exact", "close", "broad", "narrow", "related")  # how an employer role matches a generic one
SKOS = "http://www.w3.org/2004/02/skos/core#"


def graph_iri(name: str) -> str:
    return str(ID[f"graph/employer/{name}"])


def tailoring_iri(name: str) -> str:
    return str(ID[f"employer/{name}"])


def role_iri(name: str, role: str) -> str:
    return f"{tailoring_iri(name)}/role/{slug(role)}"


def requirement_iri(name: str, role: str, code: str) -> str:
    return f"{role_iri(name, role)}/{code_segment(code)}"


def competency_iri(name: str, code: str) -> str:
    return f"{tailoring_iri(name)}/competency/{code_segment(code)}"


def amendment_iri(name: str, code: str) -> str:
    return f"{tailoring_iri(name)}/amendment/{code_segment(code)}"


def removal_iri(name: str, code: str) -> str:
    return f"{tailoring_iri(name)}/removal/{code_segment(code)}"


def published_competency_iri(code: str) -> str:
    return f"{ESKILLS}/{code_segment(code)}"


def level_iri(number: int) -> str:
    return f"{ESKILLS}/level/{number}"
