"""Saved queries: `queries/*.rq` shipped with kg, plus the user's own in `$XDG_CONFIG_HOME/kg/queries/`.

Each file starts with a comment header:

    #+ title: Officials
    #+ description: Every official with the title and the country they serve.
    #+ param: country iri optional -- only officials of this country

Parameters are variables named `?_NAME` in the query. Their values are bound as RDF terms in a
VALUES block at the head of the WHERE clause, never pasted into the query text, so a value such as
`x" } ; DROP ALL ; #` stays one literal and means the same on every store. Every value is checked
against its type before anything runs.

A date parameter may be a day, a month or a year (2021-03-05, 2021-03, 2021), and stands for the
days it denotes: `?_NAME` is its first day and `?_NAME_end` its last, both `xsd:date`, so
`?d >= ?_since` and `?d <= ?_until_end` compare as a reader means them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.dates import PartialDate
from kg.errors import UsageError
from kg.ontology import PREFIXES, data_dir

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PARAM_TYPES = ("literal", "iri", "date", "integer")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass
class Param:
    name: str
    type: str = "literal"
    optional: bool = False
    description: str = ""


@dataclass
class SavedQuery:
    name: str
    text: str
    path: Path | Traversable  # a built-in query is package data, read through importlib.resources
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    builtin: bool = True


def user_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "kg" / "queries"


def parse(path: Path | Traversable, builtin: bool = True) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    sq = SavedQuery(name=path.name.removesuffix(".rq"), text=text, path=path, builtin=builtin)
    for line in text.splitlines():
        m = re.match(r"#\+\s*(\w+)\s*:\s*(.*)", line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "title":
            sq.title = value
        elif key in ("description", "summary"):
            sq.description = (sq.description + " " + value).strip()
        elif key == "param":
            head, _, desc = value.partition("--")
            words = head.split()
            if not words:
                continue
            ptype = next((w for w in words[1:] if w in PARAM_TYPES), "literal")
            sq.params.append(Param(words[0], ptype, "optional" in words[1:], desc.strip()))
    return sq


def all_queries() -> dict[str, SavedQuery]:
    """Built-in queries, overridden by the user's own of the same name."""
    found: dict[str, SavedQuery] = {}
    for p in sorted((q for q in data_dir("queries").iterdir() if q.name.endswith(".rq")), key=lambda q: q.name):
        found[p.name.removesuffix(".rq")] = parse(p)
    udir = user_dir()
    if udir.is_dir():
        for p in sorted(udir.glob("*.rq")):
            found[p.stem] = parse(p, builtin=False)
    return found


def get(name: str) -> SavedQuery:
    queries = all_queries()
    if name not in queries:
        known = ", ".join(sorted(queries)) or "none"
        raise UsageError(f"no saved query named '{name}' (saved queries: {known})")
    return queries[name]


def save(name: str, text: str, description: str = "") -> Path:
    if not _NAME.match(name):
        raise UsageError(f"'{name}' is not a valid query name (letters, digits, '-' and '_')")
    udir = user_dir()
    udir.mkdir(parents=True, exist_ok=True)
    header = f"#+ title: {name}\n" + (f"#+ description: {description}\n" if description else "")
    lines = text.strip().splitlines()
    # Declared parameters stay; every other ?_NAME variable becomes a required literal parameter.
    declared = [line for line in lines if re.match(r"#\+\s*param\s*:", line)]
    body = "\n".join(line for line in lines if not line.startswith("#+"))
    named = {line.split(":", 1)[1].split()[0] for line in declared if line.split(":", 1)[1].split()}
    used = dict.fromkeys(m.group(1) for m in re.finditer(r"[?$]_([A-Za-z][A-Za-z0-9_-]*)", _code(body)))
    declared += [f"#+ param: {p} literal" for p in used if p not in named and not _end_of(p, named)]
    header += "".join(line + "\n" for line in declared)
    path = udir / f"{name}.rq"
    path.write_text(header + body + "\n", encoding="utf-8")
    return path


def _code(text: str) -> str:
    """The query without its comments and strings (a `?_x` there is no parameter)."""
    return re.sub(r"#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", " ", text)


def _end_of(variable: str, dates: set[str]) -> bool:
    """`?_since_end` is bound with `?_since`, not a parameter of its own."""
    return variable.endswith("_end") and variable[: -len("_end")] in dates


def delete(name: str) -> Path:
    # The same names as `save`: a name is never a path (`\nd ../../x` must not reach outside).
    if not _NAME.match(name):
        raise UsageError(f"'{name}' is not a valid query name (letters, digits, '-' and '_')")
    path = user_dir() / f"{name}.rq"
    if not path.exists():
        if name in all_queries():
            raise UsageError(f"'{name}' is a built-in query and cannot be deleted")
        raise UsageError(f"no saved query named '{name}'")
    path.unlink()
    return path


def to_term(value: str, ptype: str, name: str = "") -> URIRef | Literal:
    """A parameter value as an RDF term of the declared type."""
    value = value.strip() if ptype != "literal" else value
    if ptype == "iri":
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        else:
            prefix, colon, local = value.partition(":")
            if colon and prefix in PREFIXES and not local.startswith("//"):
                value = PREFIXES[prefix] + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise UsageError(f"parameter {name}: '{value}' is not an IRI (write <http://...> or prefix:name)")
        return URIRef(value)
    if ptype == "date":
        first, _ = date_range(value, name)
        return Literal(first.isoformat(), datatype=XSD.date)
    if ptype == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise UsageError(f"parameter {name}: '{value}' is not an integer")
        return Literal(int(value))
    return Literal(value)


def date_range(value: str, name: str = "") -> tuple[dt.date, dt.date]:
    """The first and last day a date parameter denotes (2021 -> 2021-01-01 .. 2021-12-31)."""
    try:
        date = PartialDate.parse(value)
    except ValueError:
        raise UsageError(f"parameter {name}: '{value.strip()}' is not a date "
                         "(YYYY, YYYY-MM or YYYY-MM-DD, a day that exists)") from None
    first = dt.date(date.year, date.month or 1, date.day or 1)
    if date.day:
        return first, first
    last_month = date.month or 12
    return first, dt.date(date.year, last_month, calendar.monthrange(date.year, last_month)[1])


def _sparql_term(term: URIRef | Literal) -> str:
    # Every quote, backslash and line break escaped in a one-line literal: the value can never end
    # the literal (rdflib's n3() writes a value with a line break as a long literal, which a value
    # ending in a quote closes early).
    from kg.store import term_text

    return term_text(term)


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"parameter '{pair}' is not of the form name=value")
        out[name.strip()] = value
    return out


def bind(query: SavedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters bound; missing required parameters are named first."""
    declared = {p.name: p for p in query.params}
    unknown = [n for n in values if n not in declared]
    if unknown:
        names = ", ".join(declared) or "none"
        raise UsageError(f"saved query '{query.name}' has no parameter {', '.join(unknown)} (parameters: {names})")
    missing = [p.name for p in query.params if not p.optional and p.name not in values]
    if missing:
        raise UsageError(f"saved query '{query.name}' needs the parameter(s): {', '.join(missing)}")
    if not values:
        return query.text
    # Every value is checked before any is bound: a bad one stops the query before it runs.
    terms = {n: to_term(v, declared[n].type, n) for n, v in values.items()}
    for n, v in values.items():
        if declared[n].type == "date" and re.search(rf"[?$]_{re.escape(n)}_end\b", query.text):
            terms[f"{n}_end"] = Literal(date_range(v, n)[1].isoformat(), datatype=XSD.date)
    rows = " ".join(f"VALUES ?_{n} {{ {_sparql_term(term)} }}" for n, term in terms.items())
    at = where_brace(query.text)
    if at < 0:
        raise UsageError(f"saved query '{query.name}' has no WHERE clause to bind parameters in")
    return query.text[: at + 1] + " " + rows + query.text[at + 1:]


# Comments, strings and IRIs: the text in which a brace or the word WHERE means nothing.
_SKIPPED = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
)


def where_brace(text: str) -> int:
    """The offset of the brace opening the query's WHERE clause (the first `{` after the first
    WHERE keyword, else the first `{`), outside comments, strings and IRIs; -1 if there is none."""
    code = _SKIPPED.sub(lambda m: " " * len(m.group(0)), text)
    keyword = re.search(r"(?i)(?<![\w?$:])WHERE(?![\w:])", code)
    return code.find("{", keyword.end() if keyword else 0)
