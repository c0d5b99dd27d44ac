"""The same question gets the same answer from the command line, the endpoint and the web pages.

The OWL-RL closure must not leak into any of them: SKOS makes skos:broadMatch a sub-property of
skos:broader, so a closure of the curated mappings gives competency C1.1 cross-scheme "broader"
concepts (units, NOS) that the source hierarchy does not have.
"""

import html
import json
import re

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from ccgraph.cli import cli
from ccgraph.graph.namespaces import CCG

from live_server import running_server

BROADER = "SELECT DISTINCT ?parent WHERE { ?c skos:broader ?parent } ORDER BY ?parent"


@pytest.fixture(scope="module")
def site():
    with running_server("--timeout", "60") as url:
        yield url


@pytest.fixture(scope="module")
def competency(graph):
    (iri,) = [c for c in graph.subjects(SKOS.notation, Literal("C1.1")) if (c, RDF.type, CCG.Competency) in graph]
    return str(iri)


def test_hierarchy_agrees_on_every_surface(site, store, graph, competency, tmp_path):
    from ccgraph.graph.convert import to_ox

    from rdflib import URIRef

    reference = sorted(str(p) for p in graph.objects(URIRef(competency), SKOS.broader))  # rdflib, from data/
    assert reference, "C1.1 sits under its subcategory in the framework"
    bound = {"c": to_ox(URIRef(competency))}
    with_closure = sorted(row[0].value for row in store.select(BROADER, bound, closure=True))
    assert len(with_closure) > len(reference), "the closure would add broader links, so a leak would show"

    text = BROADER.replace("?c skos:broader", f"<{competency}> skos:broader")
    query = tmp_path / "broader.rq"
    query.write_text("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + text, encoding="utf-8")
    printed = CliRunner().invoke(cli, ["query", "--file", str(query), "--format", "json"])
    assert printed.exit_code == 0, printed.output
    answer = json.loads(printed.stdout)
    cli_parents = sorted(b["parent"]["value"] for b in answer["results"]["bindings"])

    served = httpx.post(site, data={"query": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + text},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    endpoint_parents = sorted(b["parent"]["value"] for b in served["results"]["bindings"])

    base = site.removesuffix("/sparql")
    entity = httpx.get(f"{base}/api/entity", params={"iri": competency}, timeout=60).json()
    api_parents = sorted({chain[-1]["iri"] for chain in entity["broader"] if chain})

    assert cli_parents == endpoint_parents == api_parents == reference


def test_audit_agrees_between_the_command_and_the_page(site):
    printed = CliRunner().invoke(cli, ["audit", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    summary = json.loads(printed.stdout)["summary"]
    page = httpx.get(site.removesuffix("/sparql") + "/audit", timeout=300).text
    served = json.loads(html.unescape(re.search(r'data-summary="([^"]*)"', page)[1]))
    assert served == summary and summary["error"] == 0
