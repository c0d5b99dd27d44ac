"""ccgraph: an open knowledge graph of UK contact-centre occupational standards.

The data flows one way: sources (the transcriptions in data/) -> graph (assembled once into the
store) -> checks (validate, audit, rules of combination) -> query (saved queries, trace, matrix)
-> render -> serve / cli. The names below are imported on first use, so that `import ccgraph`
(and `ccgraph --help`) stays fast.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

_EXPORTS = {
    "CcgraphError": "ccgraph.errors",
    "Project": "ccgraph.graph.project",
    "Store": "ccgraph.graph.store",
    "open_store": "ccgraph.graph.build",
    "build": "ccgraph.graph.build",
    "assemble": "ccgraph.graph.assemble",
    "union_graph": "ccgraph.graph.assemble",
    "validate": "ccgraph.checks.validate",
    "load_shapes": "ccgraph.checks.validate",
    "ValidationReport": "ccgraph.checks.validate",
    "saved_queries": "ccgraph.query.saved",
    "run_query": ("ccgraph.query.saved", "run"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'ccgraph' has no attribute {name!r}")
    module, attribute = target if isinstance(target, tuple) else (target, name)
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value
