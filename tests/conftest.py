"""Shared fixtures: the project is assembled once per test session, straight from the repository.

`graph` and `dataset` are rdflib, assembled here independently of the store: they are the reference
the store's answers are compared with. `store` is what every command reads: the built pyoxigraph
store (built first if the inputs changed since the last build).
"""

from pathlib import Path

import pytest

from ccgraph import Project, assemble, union_graph
from ccgraph.checks.validate import load_shapes

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.at(REPO)


@pytest.fixture(scope="session")
def dataset(project):
    return assemble(project)


@pytest.fixture(scope="session")
def graph(dataset):
    return union_graph(dataset)


@pytest.fixture(scope="session")
def store(project):
    from ccgraph.graph.build import open_store

    return open_store(project)


@pytest.fixture(scope="session")
def shapes(project):
    return load_shapes(project.shapes_dir)


@pytest.fixture(scope="session")
def seeds_dir(project) -> Path:
    path = project.seeds_dir
    assert path.is_dir(), f"the source documents are expected at {path}"
    return path
