"""Writing query results: the W3C SPARQL 1.1 result formats (CSV, TSV, JSON, XML), the RDF formats
for graphs (Turtle, N-Triples, RDF/XML, JSON-LD), and a plain table for people. Formatting is kept apart from execution: every writer takes a
`QueryResult` and a text stream."""

from __future__ import annotations

import csv
import io
import json
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import UsageError, printable
from kg.ontology import PREFIXES, shorten
from kg.store import QueryResult, Term

# Formats for graph results (CONSTRUCT, DESCRIBE) only -> rdflib's serializer.
GRAPH_ONLY_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
# What the formats of SELECT and ASK results mean for a graph result.
_GRAPH_FORMAT_OF = {"json": "json-ld", "xml": "xml"}
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")
FORMATS = SOLUTION_FORMATS + tuple(GRAPH_ONLY_FORMATS)


def term_csv(term: Term | None) -> str:
    """CSV is lossy by design: bare IRIs, lexical forms, `_:` for blank nodes."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return printable(str(term))


def term_tsv(term: Term | None) -> str:
    """TSV keeps terms in Turtle/SPARQL syntax (lossless)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.decimal, XSD.boolean) and term.language is None:
            return str(term)
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        text = text.replace("\r", "\\r").replace("\t", "\\t")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return str(term)


def term_json(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def write_csv(result: QueryResult, out: TextIO) -> None:
    if result.kind == "ask":
        out.write("_askResult\r\n" + ("true" if result.boolean else "false") + "\r\n")
        return
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([term_csv(t) for t in row])


def write_tsv(result: QueryResult, out: TextIO) -> None:
    if result.kind == "ask":
        out.write("?_askResult\n" + ("true" if result.boolean else "false") + "\n")
        return
    out.write("\t".join(f"?{v}" for v in result.vars) + "\n")
    for row in result.rows:
        out.write("\t".join(term_tsv(t) for t in row) + "\n")


def write_json(result: QueryResult, out: TextIO) -> None:
    if result.kind == "ask":
        json.dump({"head": {}, "boolean": bool(result.boolean)}, out)
        out.write("\n")
        return
    # Terms repeat down a result (countries, classes, labels): each is converted once. One
    # `json.dumps` runs in C; `json.dump` to a stream writes in many small pieces, several times slower.
    converted: dict[Term, dict[str, str]] = {}

    def convert(term: Term) -> dict[str, str]:
        got = converted.get(term)
        if got is None:
            got = converted[term] = term_json(term)
        return got

    bindings = [
        {v: convert(t) for v, t in zip(result.vars, row) if t is not None} for row in result.rows
    ]
    out.write(json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, ensure_ascii=False))
    out.write("\n")


def write_xml(result: QueryResult, out: TextIO) -> None:
    """The W3C SPARQL Query Results XML Format."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n')
    if result.kind == "ask":
        out.write("<head/>\n<boolean>" + ("true" if result.boolean else "false") + "</boolean>\n</sparql>\n")
        return
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.vars) + "</head>\n<results>\n")
    for row in result.rows:
        cells = []
        for name, term in zip(result.vars, row):
            if term is None:
                continue
            if isinstance(term, URIRef):
                value = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{escape(str(term))}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
            elif term.datatype and term.datatype != XSD.string:
                value = f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
            else:
                value = f"<literal>{escape(str(term))}</literal>"
            cells.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        out.write("<result>" + "".join(cells) + "</result>\n")
    out.write("</results>\n</sparql>\n")


# rdflib serializer names of the graph formats a server offers.
GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")


def serialize_graph(result: QueryResult, fmt: str = "turtle") -> str:
    """The triples of a CONSTRUCT/DESCRIBE result in one of `GRAPH_FORMATS`."""
    if fmt == "turtle":
        return turtle(result)
    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    for t in result.triples:
        g.add(t)
    try:
        return g.serialize(format=fmt)
    except Exception as e:  # noqa: BLE001 - RDF/XML cannot write a predicate IRI it cannot split
        message = " ".join(str(e).split()) or type(e).__name__
        raise UsageError(f"cannot write this graph as {fmt}: {message[:300]}") from None


def turtle(result: QueryResult) -> str:
    """Triples of a CONSTRUCT/DESCRIBE result as Turtle with the project's prefixes."""
    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    for t in result.triples:
        g.add(t)
    return g.serialize(format="turtle")


def display(term: Term | None, labels: dict[str, str] | None = None) -> str:
    """A term as people read it: a label when known, a prefixed name, or the literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if labels and str(term) in labels:
            return labels[str(term)]
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return printable(str(term))


def write_table(result: QueryResult, out: TextIO, labels: dict[str, str] | None = None) -> None:
    """A plain aligned text table (the shell has a richer one)."""
    if result.kind == "ask":
        out.write(("true" if result.boolean else "false") + "\n")
        return
    if result.kind == "graph":
        out.write(turtle(result))
        return
    cells = [[display(t, labels) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.vars)]
    sep = "+".join("-" * (w + 2) for w in widths)
    out.write(" | ".join(v.ljust(w) for v, w in zip(result.vars, widths)).rstrip() + "\n")
    out.write(sep + "\n")
    for r in cells:
        out.write(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
    out.write(f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n")


def graph_format(fmt: str) -> str:
    """The rdflib serializer a graph result is written with in `fmt` (table, csv and tsv: Turtle)."""
    return GRAPH_ONLY_FORMATS.get(fmt) or _GRAPH_FORMAT_OF.get(fmt) or "turtle"


def check_format(fmt: str, form: str) -> None:
    """Refuse, before a query runs, a graph format for a SELECT or ASK query."""
    if fmt in GRAPH_ONLY_FORMATS and form in ("select", "ask"):
        raise UsageError(f"format {fmt} is for the graphs of CONSTRUCT and DESCRIBE; a {form.upper()} result "
                         f"prints as {', '.join(SOLUTION_FORMATS)}")


def write(result: QueryResult, out: TextIO, fmt: str = "table", labels: dict[str, str] | None = None) -> None:
    if result.kind == "graph":
        out.write(serialize_graph(result, graph_format(fmt)))
        return
    check_format(fmt, result.kind)
    writers = {"csv": write_csv, "tsv": write_tsv, "json": write_json, "xml": write_xml}
    writers.get(fmt, lambda r, o: write_table(r, o, labels))(result, out)


def to_text(result: QueryResult, fmt: str = "table") -> str:
    buf = io.StringIO()
    write(result, buf, fmt)
    return buf.getvalue()
