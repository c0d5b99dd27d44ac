"""The competency framework and the qualifications in the shape Credential Engine's registry takes:
CTDL-ASN and CTDL JSON-LD (ctdl/competency-framework.jsonld, ctdl/qualifications.jsonld).

Each file is one JSON-LD document with the registry's own context URL and an @graph, in the form of
the registry's graph publishing (its examples and the Registry Assistant's input classes): language maps
for text ({"en": ...}), plain strings for references (the context coerces them to IRIs), lists where
the registry takes several values.

- competency-framework.jsonld: each ccg:Framework holding ccg:Competency entries becomes a
  ceasn:CompetencyFramework, and its tree (categories > subcategories > competencies) ceasn:Competency
  statements, as CTDL-ASN represents every node of a framework (the alignment module says so too:
  the three classes are rdfs:subClassOf ceasn:Competency). ceasn:competencyText is the title as
  printed, ceasn:codedNotation the code (A1.1), ceasn:competencyCategory the level (the ccg class's
  label), ceasn:comment the definition where one is printed; ceasn:isPartOf, ceasn:hasTopChild /
  ceasn:isTopChildOf and ceasn:hasChild / ceasn:isChildOf follow skos:broader.
- qualifications.jsonld: each ccg:Qualification becomes a ceterms:Certificate (see CREDENTIAL_TYPE) with
  its name, other names, the awarding body's number (ceterms:codedNotation), the QAN (a
  ceterms:IdentifierValue) and ceterms:offeredBy its awarding body, listed as a
  ceterms:CredentialOrganization with its name.

Identifiers: @id is the entity's ccgraph IRI. The registry's profile of CTDL requires a CTID on every
framework, competency and credential ("ce-" and a UUID); it is made from the IRI (a name-based UUID,
version 5), so the same entity always has the same CTID and two runs give the same bytes.

Nothing is written that the sources do not print: no ceterms:description or ceasn:description (none is
printed), no ceterms:credentialStatusType (the sources do not say whether awards continue), no
ceterms:subjectWebpage, no ceterms:ownedBy, no licence for the framework's own text. The registry requires
some of these; the publisher adds them (and the registry replaces organisation references with its own
CTIDs) when publishing. Read from the store, asserted graphs only; every list and the @graph in a fixed
order (codes in natural order, then IRIs), so the files are byte-reproducible.
"""

import json
import re
import uuid
from collections import defaultdict

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.publish.model import ReleaseFile

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CTDLASN_CONTEXT = "https://credreg.net/ctdlasn/schema/context/json"
CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
LANGUAGE = "en"
FRAMEWORK_PATH = "ctdl/competency-framework.jsonld"
QUALIFICATIONS_PATH = "ctdl/qualifications.jsonld"
# The registry refuses the abstract ceterms:Credential. Every qualification in the graph is an NVQ: a
# certificate of occupational competence, awarded once and not renewed, which is CTDL's ceterms:Certificate
# ("requisite knowledge and skills of an occupation"), not ceterms:Certification (time-limited, renewable)
# nor ceterms:Diploma (completion of a course of study; an "NVQ Diploma" is a size of qualification).
# A qualification not printed as an NVQ stops the release until its type is decided here.
CREDENTIAL_TYPE = "ceterms:Certificate"
_NVQ = re.compile(r"\bNVQs?\b")

_TREE = """
SELECT DISTINCT ?framework ?node ?class ?classLabel ?notation ?label WHERE {
  VALUES ?class { ccg:CompetencyCategory ccg:CompetencySubcategory ccg:Competency }
  ?node a ?class ; skos:inScheme ?framework .
  ?framework a ccg:Framework .
  OPTIONAL { ?class rdfs:label ?classLabel FILTER (LANGMATCHES(LANG(?classLabel), "en")) }
  OPTIONAL { ?node skos:notation ?notation }
  OPTIONAL { ?node skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
}"""
_BROADER = """
SELECT DISTINCT ?node ?parent WHERE {
  VALUES ?class { ccg:CompetencyCategory ccg:CompetencySubcategory ccg:Competency }
  ?node a ?class ; skos:broader ?parent . ?parent skos:inScheme ?framework . ?node skos:inScheme ?framework .
}"""
_DEFINITIONS = """
SELECT DISTINCT ?node ?definition WHERE {
  VALUES ?class { ccg:Framework ccg:CompetencyCategory ccg:CompetencySubcategory ccg:Competency }
  ?node a ?class ; skos:definition ?definition FILTER (LANGMATCHES(LANG(?definition), "en") || LANG(?definition) = "")
}"""
_FRAMEWORKS = """
SELECT DISTINCT ?framework ?label ?publisher WHERE {
  ?framework a ccg:Framework . FILTER EXISTS { ?c a ccg:Competency ; skos:inScheme ?framework }
  OPTIONAL { ?framework skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?framework dcterms:source/dcterms:publisher ?publisher FILTER (isLiteral(?publisher)) }
}"""
_QUALIFICATIONS = """
SELECT DISTINCT ?q ?label ?notation ?qan ?body WHERE {
  ?q a ccg:Qualification .
  OPTIONAL { ?q skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?q skos:notation ?notation }
  OPTIONAL { ?q ccg:qualificationAccreditationNumber ?qan }
  OPTIONAL { ?q ccg:awardedBy ?body }
}"""
_ALT_LABELS = """
SELECT DISTINCT ?q ?alt WHERE { ?q a ccg:Qualification ; skos:altLabel ?alt FILTER (LANGMATCHES(LANG(?alt), "en")) }
"""
_BODIES = """
SELECT DISTINCT ?body ?label WHERE {
  ?q a ccg:Qualification ; ccg:awardedBy ?body . OPTIONAL { ?body skos:prefLabel ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
}"""
_QAN_LABEL = 'SELECT ?label WHERE { ccg:qualificationAccreditationNumber rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }'


def ctid(iri: str) -> str:
    """The registry's Credential Transparency Identifier for an entity: 'ce-' and a UUID named by its IRI."""
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, iri)}"


def ctdl_files(store: Store) -> list[ReleaseFile]:
    return [
        ReleaseFile(FRAMEWORK_PATH, _dump(competency_frameworks(store)),
                    "The competency framework in CTDL-ASN (JSON-LD): a ceasn:CompetencyFramework and its ceasn:Competency tree",
                    "application/ld+json"),
        ReleaseFile(QUALIFICATIONS_PATH, _dump(qualifications(store)),
                    "The qualifications in CTDL (JSON-LD): ceterms credentials and their awarding bodies", "application/ld+json"),
    ]


def competency_frameworks(store: Store) -> dict:
    where = "release CTDL-ASN"
    nodes: dict[str, dict] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for framework, node, _class, class_label, notation, label in store.select(_TREE, where=where).values():
        if node in nodes:
            raise CcgraphError(f"<{node}>: in two frameworks or with two codes, titles or classes; CTDL-ASN takes one of each")
        nodes[node] = {"framework": framework, "category": class_label, "notation": notation, "label": label}
        members[framework].append(node)
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for node, parent in store.select(_BROADER, where=where).values():
        if node in nodes and parent in nodes:
            parents[node].append(parent)
            children[parent].append(node)
    definitions: dict[str, list[str]] = defaultdict(list)
    for node, definition in store.select(_DEFINITIONS, where=where).values():
        definitions[node].append(definition)
    order = lambda iri: (_natural(nodes[iri]["notation"] or ""), iri)  # noqa: E731

    graph = []
    frameworks: dict[str, dict] = {}
    for framework, label, publisher in store.select(_FRAMEWORKS, where=where).values():
        entry = frameworks.setdefault(framework, {"@id": framework, "@type": "ceasn:CompetencyFramework",
                                                  "ceterms:ctid": ctid(framework), "ceasn:inLanguage": [LANGUAGE]})
        if label:
            entry["ceasn:name"] = {LANGUAGE: label}
        if publisher:
            names = entry.setdefault("ceasn:publisherName", {LANGUAGE: []})[LANGUAGE]
            names[:] = sorted({*names, publisher})
        if definitions.get(framework):
            entry["ceasn:description"] = {LANGUAGE: "\n\n".join(sorted(definitions[framework]))}
        tops = sorted((n for n in members[framework] if not parents.get(n)), key=order)
        entry["ceasn:hasTopChild"] = tops
    for framework in sorted(frameworks):
        graph.append(frameworks[framework])
        for node in sorted(members[framework], key=order):
            facts = nodes[node]
            if not facts["label"]:
                raise CcgraphError(f"<{node}>: no title (skos:prefLabel), which CTDL-ASN needs as ceasn:competencyText")
            entry = {"@id": node, "@type": "ceasn:Competency", "ceterms:ctid": ctid(node),
                     "ceasn:competencyText": {LANGUAGE: facts["label"]}, "ceasn:inLanguage": [LANGUAGE],
                     "ceasn:isPartOf": framework}
            if facts["notation"]:
                entry["ceasn:codedNotation"] = facts["notation"]
            if facts["category"]:
                entry["ceasn:competencyCategory"] = {LANGUAGE: facts["category"]}
            if definitions.get(node):
                entry["ceasn:comment"] = {LANGUAGE: sorted(definitions[node])}
            if parents.get(node):
                entry["ceasn:isChildOf"] = sorted(parents[node], key=order)
            else:
                entry["ceasn:isTopChildOf"] = framework
            if children.get(node):
                entry["ceasn:hasChild"] = sorted(children[node], key=order)
            graph.append(entry)
    return {"@context": CTDLASN_CONTEXT, "@graph": graph}


def qualifications(store: Store) -> dict:
    where = "release CTDL"
    credentials: dict[str, dict] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for q, label, notation, qan, body in store.select(_QUALIFICATIONS, where=where).values():
        entry = credentials.setdefault(q, {"@id": q, "@type": CREDENTIAL_TYPE, "ceterms:ctid": ctid(q),
                                           "ceterms:inLanguage": [LANGUAGE]})
        for key, value in (("ceterms:name", label), ("ceterms:codedNotation", notation)):
            if value is not None:
                _single(entry, key, {LANGUAGE: value} if key == "ceterms:name" else value, q)
        if label:
            names[q].add(label)
        if qan:
            entry.setdefault("_qans", set()).add(qan)
        if body:
            entry.setdefault("_bodies", set()).add(body)
    for q, alt in store.select(_ALT_LABELS, where=where).values():
        if q in credentials:
            credentials[q].setdefault("ceterms:alternateName", {LANGUAGE: []})[LANGUAGE].append(alt)
            names[q].add(alt)
    qan_label = next(iter(store.select(_QAN_LABEL, where=where).values()), ("qualification accreditation number",))[0]

    graph = []
    for q in sorted(credentials, key=lambda iri: (_natural(credentials[iri].get("ceterms:codedNotation", "")), iri)):
        entry = credentials[q]
        if "ceterms:name" not in entry:
            raise CcgraphError(f"<{q}>: no name (skos:prefLabel), which CTDL requires as ceterms:name")
        if not any(_NVQ.search(name) for name in names[q]):
            raise CcgraphError(f"<{q}>: not printed as an NVQ, so its CTDL credential type is not decided "
                               f"(publish/ctdl.py CREDENTIAL_TYPE is {CREDENTIAL_TYPE} for NVQs)")
        if "ceterms:alternateName" in entry:
            entry["ceterms:alternateName"][LANGUAGE].sort()
        if "_qans" in entry:
            entry["ceterms:identifier"] = [{"@type": "ceterms:IdentifierValue", "ceterms:identifierTypeName": {LANGUAGE: qan_label},
                                            "ceterms:identifierValueCode": qan} for qan in sorted(entry.pop("_qans"))]
        if "_bodies" in entry:
            entry["ceterms:offeredBy"] = sorted(entry.pop("_bodies"))
        graph.append(entry)
    bodies: dict[str, dict] = {}
    for body, label in store.select(_BODIES, where=where).values():
        entry = bodies.setdefault(body, {"@id": body, "@type": "ceterms:CredentialOrganization"})
        if label:  # a body named in two documents has one label per graph, the same words
            entry.setdefault("_names", set()).add(label)
    for body in sorted(bodies):
        entry = bodies[body]
        if "_names" in entry:
            entry["ceterms:name"] = {LANGUAGE: sorted(entry.pop("_names"))[0]}
        graph.append(entry)
    return {"@context": CTDL_CONTEXT, "@graph": graph}


def _single(entry: dict, key: str, value, iri: str) -> None:
    if key in entry and entry[key] != value:
        raise CcgraphError(f"<{iri}>: two values for {key} ({entry[key]!r}, {value!r}); CTDL takes one")
    entry[key] = value


def _natural(code: str) -> tuple:
    """'A1.10' after 'A1.9': digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code) if part)


def _dump(value) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
