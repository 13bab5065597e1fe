"""A readable SPARQL algebra tree: rdflib's translation of the query, printed one operator a line
with prefixed names and `?variables` (rdflib's own pretty printer shows every internal field)."""

from __future__ import annotations

from typing import Any

# Operator fields that hold sub-patterns; everything else is printed as a parameter.
_CHILDREN = ("p", "p1", "p2")
_HIDDEN = {"_vars", "datasetClause", "PV"}


def algebra_text(query: str) -> str:
    from pyparsing.exceptions import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from kg.errors import QuerySyntaxError
    from kg.ontology import PREFIXES

    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except ParseException as e:
        raise QuerySyntaxError(" ".join(str(e.msg).split()), query, e.lineno, e.col) from None
    except Exception as e:  # rdflib raises plain exceptions for unknown prefixes and the like
        raise QuerySyntaxError(" ".join(str(e).split()) or type(e).__name__, query) from None
    lines: list[str] = []
    _walk(prepared.algebra, 0, lines)
    return "\n".join(lines)


def _walk(node: Any, depth: int, lines: list[str]) -> None:
    name = getattr(node, "name", type(node).__name__)
    params = []
    for key, value in node.items():
        if key in _CHILDREN or key in _HIDDEN or value is None:
            continue
        if name == "BGP" and key == "triples":
            continue
        params.append(f"{key}={expr(value)}")
    if "PV" in node and name in ("Project", "SelectQuery"):
        params.insert(0, " ".join(expr(v) for v in node["PV"]))
    lines.append("  " * depth + name + (f"({', '.join(params)})" if params else ""))
    if name == "BGP":
        for s, p, o in node.get("triples", []):
            lines.append("  " * (depth + 1) + f"{expr(s)} {expr(p)} {expr(o)}")
    for key in _CHILDREN:
        child = node.get(key)
        if child is not None and hasattr(child, "name"):
            _walk(child, depth + 1, lines)


_OPS = {"ConditionalAndExpression": "&&", "ConditionalOrExpression": "||"}


def expr(value: Any) -> str:
    """A term or expression in SPARQL-like syntax."""
    from rdflib import BNode, Literal, URIRef, Variable

    from kg.ontology import shorten

    if isinstance(value, Variable):
        return f"?{value}"
    if isinstance(value, URIRef):
        return "a" if str(value) == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" else shorten(str(value))
    if isinstance(value, Literal):
        return value.n3()
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, (list, tuple, set)):
        return "[" + ", ".join(expr(v) for v in value) + "]"
    name = getattr(value, "name", None)
    if name is None:
        return str(value)
    if name == "RelationalExpression":
        return f"({expr(value['expr'])} {value['op']} {expr(value['other'])})"
    if name in _OPS:
        parts = [value["expr"], *(value.get("other") or [])]
        return "(" + f" {_OPS[name]} ".join(expr(p) for p in parts) + ")"
    if name in ("AdditiveExpression", "MultiplicativeExpression"):
        out = expr(value["expr"])
        for op, other in zip(value.get("op") or [], value.get("other") or [], strict=False):
            out += f" {op} {expr(other)}"
        return f"({out})"
    if name == "OrderCondition":
        return f"{value.get('order') or 'ASC'}({expr(value['expr'])})"
    if name.startswith("Builtin_") or name.startswith("Aggregate_"):
        func = name.split("_", 1)[1].upper()
        args = [expr(v) for k, v in value.items() if k not in ("_vars", "res") and v is not None and k != "distinct"]
        distinct = "DISTINCT " if "distinct" in value and str(value["distinct"]).upper() == "DISTINCT" else ""
        return f"{func}({distinct}{', '.join(args)})"
    if name == "Function":
        return f"{expr(value['iri'])}({', '.join(expr(a) for a in value.get('expr') or [])})"
    inner = ", ".join(f"{k}={expr(v)}" for k, v in value.items() if k != "_vars" and v is not None)
    return f"{name}({inner})"
