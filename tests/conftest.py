"""Shared fixtures: the project is assembled once per test session, straight from the repository."""

from pathlib import Path

import pytest

from ccgraph import Project, assemble, union_graph
from ccgraph.validate import load_shapes

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
def shapes(project):
    return load_shapes(project.shapes_dir)


@pytest.fixture(scope="session")
def seeds_dir(project) -> Path:
    path = project.seeds_dir
    assert path.is_dir(), f"the source documents are expected at {path}"
    return path
