"""SPARQL results written in the W3C formats (JSON, XML, CSV, TSV) from pyoxigraph terms.

Shared by the command line and the endpoint. pyoxigraph can serialise a live result itself, but
ours are materialised (rows are capped, counted and sometimes printed too), so they are written here.
"""

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ccgraph.graph.store import Solutions

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SELECT_FORMATS = ("json", "xml", "csv", "tsv")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def to_json(solutions: Solutions) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(solutions.variables, row) if t is not None} for row in solutions.rows]
    document = {"head": {"vars": list(solutions.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def boolean_json(answer: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(solutions: Solutions) -> bytes:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in solutions.variables)
    rows = []
    for row in solutions.rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(solutions.variables, row) if t is not None)
        rows.append(f"<result>{cells}</result>")
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
            f"<results>{''.join(rows)}</results></sparql>\n").encode("utf-8")


def boolean_xml(answer: bool) -> bytes:
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if answer else 'false'}</boolean></sparql>\n").encode("utf-8")


def to_csv(solutions: Solutions) -> bytes:
    """SPARQL 1.1 CSV: values only (IRIs, literal lexical forms, _:labels), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(solutions.variables)
    for row in solutions.rows:
        writer.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value for t in row])
    return out.getvalue().encode("utf-8")


def to_tsv(solutions: Solutions) -> bytes:
    """SPARQL 1.1 TSV: a header of ?vars, then terms in Turtle syntax, tab-separated."""
    lines = ["\t".join(f"?{v}" for v in solutions.variables)]
    for row in solutions.rows:
        cells = ("" if t is None else str(t) for t in row)
        lines.append("\t".join(c.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def serialize(solutions: Solutions, fmt: str) -> bytes:
    return WRITERS[fmt](solutions)


def triples_as(triples, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT / DESCRIBE answers in an RDF syntax, by pyoxigraph's serialisers."""
    options = {"prefixes": prefixes} if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    return ox.serialize(triples, format=fmt, **options)
