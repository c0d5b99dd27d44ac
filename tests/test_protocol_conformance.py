"""The W3C SPARQL 1.1 Protocol tests, run by our runner against our live, read-only endpoint."""

from pathlib import Path

import pytest

from ccgraph.serve import conformance

from live_server import running_server

MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "sparql11-protocol" / "manifest.ttl"
TESTS = conformance.read_manifest(MANIFEST)


@pytest.fixture(scope="module")
def endpoint():
    graphs = [f"{name}={path}" for name, path in conformance.graph_files(TESTS)]
    with running_server("--no-project", *graphs) as url:
        yield url


def test_manifest_is_read_whole():
    assert len(TESTS) == 34
    assert all(test.requests for test in TESTS)
    assert sum(1 for t in TESTS if t.name.startswith("invoke")) == 14  # the bad_* tests


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.iri.rsplit("#", 1)[-1])
def test_protocol(endpoint, test):
    (outcome,) = conformance.run([test], endpoint, read_only=True)
    assert outcome.passed, outcome.notes


def test_runner_can_fail(endpoint):
    """Judged as a read-write endpoint, ours must fail the update tests: the runner really checks."""
    updates = [t for t in TESTS if t.iri.endswith(("update_post_form", "update_base_uri"))]
    outcomes = conformance.run(updates, endpoint, read_only=False)
    assert len(outcomes) == 2 and not any(o.passed for o in outcomes)
    assert all("status 403" in note for o in outcomes for note in o.notes[:1])
