"""The saved-query registry: queries/*.rq with a comment header, run with parameters bound as RDF terms.

Header lines (before the query text):
    # title: A short title
    # description: What it answers (may continue on further '#   ' lines)
    # param: name type [optional] [entity=KIND[,KIND...]] [node=VAR] -- what it is
    #   (type: string | label | integer | decimal | iri | boolean)
    # example: ccgraph query NAME --param name=value
Parameters are bound as RDF terms (pyoxigraph terms), written in N-Triples syntax into a VALUES
block, for the embedded store and remote endpoints alike; never is user text pasted into a query.
rdflib's initBindings stays as the reference the tests compare against (run_rdflib).
A 'label' is an English-language literal (to match skos:prefLabel "..."@en); a 'string' a plain one.

A parameter marked entity=KIND names one entity (KIND: nos, unit, competency, role, qualification,
framework, ..., or any; see query.search.KIND_NAMES). Given a store (run(..., resolve=True), or
bindings(values, store)), what the user typed is resolved to exactly one entity of that kind: its
IRI, or its code or name in any case, with '-' for spaces (GS-CC-BA3.1); unknown or ambiguous text
is a one-line error naming the closest matches. The parameter is then bound to the entity's printed
form, the one the query matches on (the notation for a string, the prefLabel for a label, the IRI for
an iri), and node=VAR also binds ?VAR to the entity itself, so a code two entities share (NOS B4 of
two suites) answers for the one meant. Without a store (a remote endpoint) the text is bound as typed.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ccgraph.errors import CcgraphError
from ccgraph.graph.namespaces import PREFIXES

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

PARAM_TYPES = ("string", "label", "integer", "decimal", "iri", "boolean")
ENTITY_TYPES = ("string", "label", "iri")  # the types a parameter naming an entity can have
_HEADER = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)((?:\s+(?:optional|entity=[\w,-]+|node=\w+))*)\s*(?:--\s*(.*))?$")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    optional: bool
    description: str
    entity: tuple[str, ...] = ()  # the kinds of entity it names (entity=role), or () for plain data
    node: str | None = None  # a variable also bound to the entity named (node=r)

    def term(self, text: str):
        """The RDF term for a value typed by the user; raises a one-line error when it does not fit."""
        if self.type == "string":
            return ox.Literal(text)
        if self.type == "label":
            return ox.Literal(text, language="en")
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", text.strip()):
                raise CcgraphError(f"parameter {self.name}: {text!r} is not an integer")
            return ox.Literal(str(int(text)), datatype=XSD_INTEGER)
        if self.type == "decimal":
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text.strip()):
                raise CcgraphError(f"parameter {self.name}: {text!r} is not a number")
            return ox.Literal(text.strip(), datatype=XSD_DECIMAL)
        if self.type == "boolean":
            if text.lower() not in ("true", "false"):
                raise CcgraphError(f"parameter {self.name}: {text!r} is not true or false")
            return ox.Literal(text.lower(), datatype=XSD_BOOLEAN)
        return _iri(self.name, text)

    def resolve(self, store, text: str) -> dict[str, object]:
        """The bindings for an entity parameter: the printed form the query matches on (and ?node the entity)."""
        from ccgraph.query.search import resolve

        hit = resolve(store, text, self.entity, where=f"parameter {self.name}")
        if self.type == "iri":
            value = ox.NamedNode(hit.iri)
        elif self.type == "label":
            value = ox.Literal(hit.label or hit.notation or text, language="en")
        else:
            value = ox.Literal(hit.notation or hit.label or text)
        bound = {self.name: value}
        if self.node:
            bound[self.node] = ox.NamedNode(hit.iri)
        return bound


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    examples: tuple[str, ...]
    text: str = field(repr=False)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise CcgraphError(f"query {self.name}: unknown parameter {name!r} (parameters: {known})")

    def bindings(self, values: dict[str, str], store=None) -> dict[str, object]:
        """The parameters as RDF terms; given a store, entity parameters are resolved in it first."""
        bound: dict[str, object] = {}
        for name, value in values.items():
            parameter = self.parameter(name)
            if store is not None and parameter.entity:
                bound.update(parameter.resolve(store, value))
            else:
                bound[name] = parameter.term(value)
        missing = [p.name for p in self.parameters if not p.optional and p.name not in values]
        if missing:
            raise CcgraphError(f"query {self.name}: missing required parameter(s) {', '.join(missing)} (use --param NAME=VALUE)")
        return bound


def parse_header(path: Path, text: str) -> SavedQuery:
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            last = match[1]
            fields[last].append(match[2].strip())
        elif (cont := _CONTINUATION.match(line)) and last in ("description", "param"):
            fields[last][-1] += " " + cont[1].strip()
    if not fields["title"]:
        raise CcgraphError(f"{path}:1: saved query has no '# title:' header")
    parameters = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match or match[2] not in PARAM_TYPES:
            raise CcgraphError(f"{path}: bad '# param:' header {spec!r} (expected: name type [optional] [entity=KIND] [node=VAR] -- description)")
        parameter = _parameter(path, spec, match)
        if parameter.node and not re.search(rf"[?$]{parameter.node}\b", text):
            raise CcgraphError(f"{path}: bad '# param:' header {spec!r}: node={parameter.node} but the query has no ?{parameter.node}")
        parameters.append(parameter)
    return SavedQuery(
        name=path.stem,
        path=path,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        parameters=tuple(parameters),
        examples=tuple(fields["example"]),
        text=text,
    )


def _parameter(path: Path, spec: str, match: re.Match) -> Parameter:
    options = match[3].split()
    entity: tuple[str, ...] = ()
    node = None
    for option in options:
        key, _, value = option.partition("=")
        if key == "entity":
            from ccgraph.query.search import KIND_NAMES

            entity = tuple(k for k in value.split(",") if k)
            unknown = [k for k in entity if k not in KIND_NAMES and k != "any"]
            if unknown or not entity:
                raise CcgraphError(f"{path}: bad '# param:' header {spec!r}: unknown entity kind(s) {', '.join(unknown) or '(none)'} "
                                   f"(kinds: {', '.join(KIND_NAMES)}, any)")
        elif key == "node":
            node = value
    if entity and match[2] not in ENTITY_TYPES:
        raise CcgraphError(f"{path}: bad '# param:' header {spec!r}: an entity parameter is a {', '.join(ENTITY_TYPES)}, not {match[2]}")
    if node and not entity:
        raise CcgraphError(f"{path}: bad '# param:' header {spec!r}: node= needs entity=")
    return Parameter(match[1], match[2], "optional" in options, (match[4] or "").strip(), entity, node)


def read_query_text(path: Path) -> str:
    """A query file's text; a binary or non-UTF-8 file is a one-line error naming it and the line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CcgraphError(f"{path}: cannot read it: {error.strerror or error}") from None
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise CcgraphError(f"{path}:{line}: not a SPARQL query: a binary file (a NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CcgraphError(f"{path}:{line}: not a SPARQL query: not UTF-8 text (byte 0x{data[error.start]:02x})") from None


def saved_queries(queries_dir: Path) -> dict[str, SavedQuery]:
    return {path.stem: parse_header(path, read_query_text(path)) for path in sorted(queries_dir.glob("*.rq"))}


def find_query(queries_dir: Path, name: str) -> SavedQuery:
    registry = saved_queries(queries_dir)
    if name not in registry:
        close = [n for n in registry if name.lower() in n or n in name.lower()]
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'ccgraph list-queries'"
        raise CcgraphError(f"unknown query {name!r}{hint}")
    return registry[name]


def query_from_file(path: Path) -> SavedQuery:
    if not path.is_file():
        raise CcgraphError(f"{path}: no such file")
    text = read_query_text(path)
    if re.search(r"^#\s*title:", text, re.MULTILINE):
        return parse_header(path, text)
    return SavedQuery(path.stem, path, path.stem, "", (), (), text)


def prepare(text: str, where: str):
    """Parse a query with rdflib (the reference engine), refusing SERVICE (rdflib would fetch it with no timeout)."""
    import rdflib.plugins.sparql
    from rdflib.plugins.sparql import prepareQuery

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM / FROM NAMED graphs from files or the web
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        raise CcgraphError(f"{where}: invalid SPARQL: {reason}") from None
    if _contains(prepared.algebra, "ServiceGraphPattern"):
        raise CcgraphError(f"{where}: SERVICE is not allowed: queries run only on the local graph")
    return prepared


def run(store, query: SavedQuery, values: dict[str, str] | None = None, closure: bool = False, resolve: bool = False):
    """A saved query on the store (graph.store.Store): Solutions, a bool, or a list of triples.

    With resolve=True (the command line does), entity parameters are resolved in the store first, so a
    name that matches nothing is an error instead of an empty answer; without it they are bound as typed.
    """
    bindings = query.bindings(values or {}, store if resolve else None)
    return store.query(query.text, bindings, closure=closure, where=str(query.path))


def run_rdflib(graph, query: SavedQuery, values: dict[str, str] | None = None):
    """The same query on an rdflib graph with initBindings: the reference the tests compare against."""
    from ccgraph.graph.convert import to_rdflib

    bindings = {name: to_rdflib(term) for name, term in query.bindings(values or {}).items()}
    return graph.query(prepare(query.text, str(query.path)), initBindings=bindings)


def with_values(text: str, bindings: dict[str, object]) -> str:
    """The query with a VALUES block binding the parameters (for engines without initBindings).

    The block opens the outermost WHERE group, so engines that join left to right (rdflib) start
    from the bound values, and FILTERs of that group see them; a query with no 'WHERE {' gets it
    at the end. Each value is written in N-Triples syntax by its library (pyoxigraph's str(term),
    rdflib's term.n3()), which escapes quotes, backslashes and newlines, so the block holds exactly
    one RDF term per parameter whatever the user typed.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = f"VALUES ({' '.join('?' + name for name in names)}) {{ ({' '.join(_term_text(bindings[name]) for name in names)}) }}"
    masked = _COMMENT_LINE.sub(lambda m: " " * len(m.group()), text)  # same positions, no comment text
    where = _OUTER_WHERE.search(masked)
    if where is None:
        return f"{text.rstrip()}\n{block}\n"
    return f"{text[:where.end()]}\n  {block}\n{text[where.end():]}"


def _term_text(term) -> str:
    return term.n3() if hasattr(term, "n3") else str(term)


_COMMENT_LINE = re.compile(r"(?m)^[ \t]*#.*$")
_OUTER_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _contains(node, name: str) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_contains(value, name) for value in node.values())
    if isinstance(node, (list, tuple)):
        return any(_contains(item, name) for item in node)
    return False


def _iri(name: str, text: str) -> ox.NamedNode:
    """An absolute IRI, or a CURIE with one of ccgraph's prefixes."""
    value = text.strip()
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        value = str(PREFIXES[prefix]) + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or _IRI_FORBIDDEN.search(value):
        raise CcgraphError(f"parameter {name}: {text!r} is not an absolute IRI or a known CURIE")
    return ox.NamedNode(value)
