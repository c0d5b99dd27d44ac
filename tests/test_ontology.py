"""The ontology is an OWL 2 ontology whose public names are all there, labelled and defined."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ccgraph.graph.namespaces import CCG

ONTOLOGY = URIRef("https://w3id.org/ccgraph/ontology")

# The public vocabulary fixed by the foundation issue: users' SPARQL depends on these names.
CLASSES = """Framework KeyArea AreaOfCompetence Function NationalOccupationalStandard StandardsSuite Organisation
Unit LearningOutcome AssessmentCriterion Qualification UnitGroup CompetencyCategory CompetencySubcategory
Competency Role AbilityLevel RoleRequirement""".split()
CONCEPT_LIKE = [c for c in CLASSES if c not in ("Framework", "StandardsSuite", "RoleRequirement")]
PROPERTIES = """sourceLocator originType derivedFrom inSuite developedBy coversStandard level creditValue
guidedLearningHours unitAccreditationNumber qualificationAccreditationNumber hasUnitGroup includesUnit
hasLearningOutcome hasAssessmentCriterion hasRequirement competency abilityLevel levelNumber
correspondsToNOSLevel legalObligation""".split()
ORIGIN_TYPES = "Imported Tailored NewBasedOnExisting New AwaitingApproval".split()
# property -> (domain, range) as the issue states them
DOMAINS_RANGES = {
    "coversStandard": ("Unit", "NationalOccupationalStandard"),
    "hasUnitGroup": ("Qualification", "UnitGroup"),
    "includesUnit": ("UnitGroup", "Unit"),
    "derivedFrom": ("NationalOccupationalStandard", "NationalOccupationalStandard"),
    "inSuite": ("NationalOccupationalStandard", "StandardsSuite"),
    "developedBy": ("StandardsSuite", "Organisation"),
    "hasRequirement": ("Role", "RoleRequirement"),
    "competency": ("RoleRequirement", "Competency"),
    "abilityLevel": ("RoleRequirement", "AbilityLevel"),
}


@pytest.fixture(scope="module")
def ontology(project):
    graph = Graph()
    for path in project.ontology_dir.glob("*.ttl"):
        graph.parse(path)
    return graph


def test_ontology_header(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(ONTOLOGY, prop) is not None, prop


@pytest.mark.parametrize("name", CLASSES)
def test_public_classes_exist(ontology, name):
    assert (CCG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", PROPERTIES)
def test_public_properties_exist(ontology, name):
    kinds = set(ontology.objects(CCG[name], RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


@pytest.mark.parametrize("name", CONCEPT_LIKE)
def test_concept_like_classes_are_skos_concepts(ontology, name):
    assert (CCG[name], RDFS.subClassOf, SKOS.Concept) in ontology


def test_framework_is_a_concept_scheme(ontology):
    assert (CCG.Framework, RDFS.subClassOf, SKOS.ConceptScheme) in ontology


@pytest.mark.parametrize("name", ORIGIN_TYPES)
def test_origin_type_individuals(ontology, name):
    assert (CCG[name], RDF.type, CCG.OriginType) in ontology


@pytest.mark.parametrize("name,expected", DOMAINS_RANGES.items())
def test_domains_and_ranges(ontology, name, expected):
    assert ontology.value(CCG[name], RDFS.domain) == CCG[expected[0]]
    assert ontology.value(CCG[name], RDFS.range) == CCG[expected[1]]


def test_every_term_is_labelled_and_defined(ontology):
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(CCG))}
    assert len(terms) >= len(CLASSES) + len(PROPERTIES)
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None or ontology.value(term, SKOS.prefLabel) is not None, term
        assert ontology.value(term, SKOS.definition) is not None, term


def test_datatype_ranges(ontology):
    from rdflib.namespace import XSD

    for name in ("level", "creditValue", "guidedLearningHours", "levelNumber", "correspondsToNOSLevel"):
        assert ontology.value(CCG[name], RDFS.range) == XSD.integer, name
    assert ontology.value(CCG.legalObligation, RDFS.range) == XSD.boolean
