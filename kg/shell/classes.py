"""`\\d CLASS`: what the instances of a class hold, as `\\d TABLE` shows a table's columns: each
property with the kinds of value it takes and how many instances have it, then the properties
that point at the class from other entities. Counted over the knowledge graph (each fact once)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.ontology import PREFIXES, shorten
from kg.shell.formatting import Painter, table_lines

if TYPE_CHECKING:
    from kg.store import Store

_CLASSES = "SELECT DISTINCT ?c WHERE { ?x a ?c FILTER(isIRI(?c)) }"

_OUTGOING = """SELECT ?p (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(*) AS ?values) WHERE {{
  ?s a {cls} ; ?p ?o }} GROUP BY ?p"""

_VALUE_KINDS = """SELECT ?p ?kind (COUNT(*) AS ?n) WHERE {{
  ?s a {cls} ; ?p ?o .
  OPTIONAL {{ ?o a ?oc FILTER(isIRI(?o)) }}
  BIND(IF(isLiteral(?o), DATATYPE(?o), COALESCE(?oc, IF(isBlank(?o), "blank node", "IRI"))) AS ?kind)
}} GROUP BY ?p ?kind"""

_INCOMING = """SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?o a {cls} . ?s ?p ?o }} GROUP BY ?p"""

_INCOMING_KINDS = """SELECT ?p ?kind (COUNT(*) AS ?n) WHERE {{
  ?o a {cls} . ?s ?p ?o .
  OPTIONAL {{ ?s a ?sc }}
  BIND(COALESCE(?sc, "untyped") AS ?kind)
}} GROUP BY ?p ?kind"""


def resolve_class(store: Store, text: str) -> URIRef | None:
    """The class `text` names (a prefixed name, an IRI, or a class's local name in any case:
    `Official`, `kg:Official`), or None when no class in the store has that name."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        wanted = text[1:-1]
    else:
        prefix, colon, local = text.partition(":")
        wanted = PREFIXES[prefix] + local if colon and prefix in PREFIXES else ""
    found = [URIRef(str(row[0])) for row in store.query(_CLASSES).rows if row[0] is not None]
    if wanted:
        return next((c for c in found if str(c) == wanted), None)
    if " " in text or not text:
        return None
    by_local = [c for c in found if _local(str(c)).lower() == text.lower()]
    # kg's own class first when another vocabulary has a class of the same local name
    by_local.sort(key=lambda c: (not str(c).startswith(PREFIXES["kg"]), str(c)))
    return by_local[0] if by_local else None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class ClassSummary:
    cls: URIRef
    instances: int
    # (property, kinds of value, instances with it, values)
    outgoing: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (property, kinds of entity it comes from, references)
    incoming: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{shorten(str(self.cls))}: {self.instances:,} instance{'s' if self.instances != 1 else ''}"

    def lines(self, *, width: int | None = None, painter: Painter | None = None) -> list[str]:
        out = table_lines(
            ("property", "values are", "instances with it", "values"),
            [(p, kinds, f"{n:,}", f"{v:,}") for p, kinds, n, v in self.outgoing],
            width=width, painter=painter, right=[(False, False, True, True)] * len(self.outgoing),
        )
        if self.incoming:
            out.append("")
            out.append("referenced by:")
            out += table_lines(
                ("property", "from", "references"),
                [(p, kinds, f"{n:,}") for p, kinds, n in self.incoming],
                width=width, painter=painter, right=[(False, False, True)] * len(self.incoming),
            )
        return out


def describe_class(store: Store, cls: URIRef) -> ClassSummary:
    term = f"<{cls}>"
    count = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {term} }}").rows[0][0]
    summary = ClassSummary(cls, _count(count))
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for p, kind, n in store.query(_VALUE_KINDS.format(cls=term)).rows:
        kinds[str(p)][shorten(str(kind)) if isinstance(kind, URIRef) else str(kind)] += _count(n)
    for p, subjects, values in store.query(_OUTGOING.format(cls=term)).rows:
        if p == RDF.type:  # every instance has it: it is what makes them instances
            continue
        summary.outgoing.append((shorten(str(p)), _kinds(kinds[str(p)]), _count(subjects), _count(values)))
    # the properties every instance has first, as a table's columns are listed in order
    summary.outgoing.sort(key=lambda row: (-row[2], row[0]))
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    for p, kind, n in store.query(_INCOMING_KINDS.format(cls=term)).rows:
        sources[str(p)][shorten(str(kind)) if isinstance(kind, URIRef) else str(kind)] += _count(n)
    summary.incoming = sorted(
        ((shorten(str(p)), _kinds(sources[str(p)]), _count(n)) for p, n in store.query(_INCOMING.format(cls=term)).rows),
        key=lambda row: (-row[2], row[0]),
    )
    return summary


def _count(term: object) -> int:
    return int(str(term)) if term is not None else 0


def _kinds(counts: Counter[str]) -> str:
    """The kinds of value, the most frequent first (at most four named)."""
    named = [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return ", ".join(named[:4]) + (f" (+{len(named) - 4})" if len(named) > 4 else "")
