"""SPARQL 1.1 Protocol: from an HTTP request to a query operation, or a client error with a reason.

The endpoint is read-only: any update (form field 'update', media type application/sparql-update)
is refused with 403 before its text is looked at, so no request text can reach an update.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None = None  # relative IRIs in the query resolve against it (the endpoint's URL)


@dataclass(frozen=True)
class Limits:
    max_request_bytes: int = 1_000_000


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    kind, *params = [part.strip() for part in content_type.split(";")]
    parameters = {}
    for param in params:
        key, _, value = param.partition("=")
        parameters[key.strip().lower()] = value.strip().strip('"').lower()
    return kind.lower(), parameters


def _decode(body: bytes, charset: str | None) -> str:
    if charset and charset.replace("-", "") not in ("utf8",):
        raise ProtocolError(400, f"request body must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "request body is not valid UTF-8") from None


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "parameters are not valid UTF-8") from None


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter")
    return values[0] if values else None


def parse(method: str, query_string: str, content_type: str | None, body: bytes, limits: Limits = Limits()) -> Operation | None:
    """The operation a request asks for; None means 'no query: describe the service'."""
    if len(body) > limits.max_request_bytes or len(query_string) > limits.max_request_bytes:
        raise ProtocolError(413, f"request larger than {limits.max_request_bytes} bytes")
    url_pairs = _pairs(query_string)
    if method == "GET":
        if _one(url_pairs, "update") is not None:
            raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
        query = _one(url_pairs, "query")
        if query is None:
            return None
        return _operation(query, url_pairs)
    if method != "POST":
        raise ProtocolError(405, f"method {method} is not allowed: use GET or POST")
    kind, params = media_type(content_type)
    if kind == SPARQL_UPDATE:
        raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
    if kind == FORM:
        form = _pairs(_decode(body, params.get("charset")))
        if _one(form, "update") is not None:
            raise ProtocolError(403, "this endpoint is read-only: updates are not accepted")
        if _one(url_pairs, "query") is not None:
            raise ProtocolError(400, "a URL-encoded POST carries the query in its body, not in the URL")
        query = _one(form, "query")
        if query is None:
            raise ProtocolError(400, "URL-encoded POST without a 'query' field")
        return _operation(query, url_pairs + form)
    if kind == SPARQL_QUERY:
        if _one(url_pairs, "query") is not None:
            raise ProtocolError(400, "a direct POST carries the query in its body, not in the URL")
        return _operation(_decode(body, params.get("charset")), url_pairs)
    if not kind:
        raise ProtocolError(400, "POST without a Content-Type: use application/x-www-form-urlencoded or application/sparql-query")
    raise ProtocolError(415, f"unsupported media type {kind}: use application/x-www-form-urlencoded or application/sparql-query")


def _operation(query: str, pairs: list[tuple[str, str]]) -> Operation:
    if not query.strip():
        raise ProtocolError(400, "empty query")
    return Operation(
        query=query,
        default_graphs=tuple(v for k, v in pairs if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in pairs if k == "named-graph-uri"),
    )
