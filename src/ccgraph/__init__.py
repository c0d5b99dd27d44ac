"""ccgraph: an open knowledge graph of UK contact-centre occupational standards.

The data flows one way: source transcriptions in data/ -> assemble (one dataset) ->
validate -> query / export / stats.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from .assemble import assemble, union_graph  # noqa: E402
from .errors import CcgraphError  # noqa: E402
from .project import Project  # noqa: E402
from .queries import run as run_query, saved_queries  # noqa: E402
from .validate import ValidationReport, load_shapes, validate  # noqa: E402

__all__ = [
    "__version__",
    "CcgraphError",
    "Project",
    "assemble",
    "union_graph",
    "validate",
    "load_shapes",
    "ValidationReport",
    "saved_queries",
    "run_query",
]
