"""Facts about one entity and the sentences they came from (`kg explain`, `\\describe`, `\\why`)."""

from __future__ import annotations

import argparse
import sys

from rdflib import Literal, URIRef

from kg.errors import EXIT_OK, UsageError
from kg.ontology import PREFIXES
from kg.results import display
from kg.store import QueryResult, Store, open_store


def resolve_entity(store: Store, text: str) -> URIRef:
    """An entity by IRI (<...> or http...), prefixed name, or label (exact, then case-insensitive)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return URIRef(PREFIXES[prefix] + local)
    label = Literal(text).n3()
    rows = store.query(
        "SELECT DISTINCT ?e WHERE { { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l } "
        f"FILTER(LCASE(STR(?l)) = LCASE(STR({label}))) "
        "FILTER NOT EXISTS { ?e a kg:Post } } ORDER BY ?e"
    ).rows
    if not rows:
        rows = store.query(
            "SELECT DISTINCT ?e WHERE { ?e a ?c ; rdfs:label ?l . "
            f"FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR({label})))) "
            "FILTER(?c IN (kg:Country, kg:Official, kg:Treaty, kg:Policy, kg:Dialogue, kg:Place)) } ORDER BY ?e LIMIT 5"
        ).rows
    if not rows:
        raise UsageError(f"no entity labelled '{text}' in the store")
    if len(rows) > 1:
        names = ", ".join(str(r[0]) for r in rows[:5])
        raise UsageError(f"'{text}' names {len(rows)} entities ({names}); give an IRI")
    return URIRef(str(rows[0][0]))


_FACTS = """
SELECT ?property ?value ?direction ?article ?quote ?confidence WHERE {
  { VALUES ?direction { "out" } ?e ?p ?v . BIND(?v AS ?value) }
  UNION
  { VALUES ?direction { "in" } ?v ?p ?e . BIND(?v AS ?value) }
  FILTER(?p NOT IN (kg:mentionedIn, rdf:type, rdfs:label))
  BIND(?p AS ?property)
  OPTIONAL { GRAPH ?a {
    ?ev a kg:Evidence ; rdf:predicate ?p ; kg:quote ?quote ; kg:confidence ?confidence .
    { ?ev rdf:subject ?e ; rdf:object ?v } UNION { ?ev rdf:subject ?v ; rdf:object ?e }
    ?a kg:sourcePath ?article .
  } }
}
ORDER BY ?direction ?property ?value ?article
"""


def describe(store: Store, iri: URIRef) -> QueryResult:
    """Every fact about the entity, each with the sentence and article it was read from."""
    head, body = _FACTS.split("WHERE {", 1)
    return store.query(head + "WHERE { VALUES ?e { " + iri.n3() + " } " + body)


def evidence(store: Store, iris: list[URIRef]) -> QueryResult:
    """The evidence sentences behind facts about these entities: each fact with its other end."""
    if not iris:
        return QueryResult("select", vars=["entity", "fact", "value", "quote", "article"])
    values = " ".join(i.n3() for i in iris)
    return store.query(
        "SELECT DISTINCT ?entity ?fact ?value ?quote ?article WHERE { VALUES ?entity { " + values + " } "
        "GRAPH ?a { ?ev a kg:Evidence ; rdf:predicate ?p ; kg:quote ?quote . "
        "{ ?ev rdf:subject ?entity ; rdf:object ?value } UNION { ?ev rdf:object ?entity ; rdf:subject ?value } "
        "?a kg:sourcePath ?article } BIND(?p AS ?fact) } ORDER BY ?entity ?article ?fact ?value"
    )


def labels(store: Store, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = store.query("SELECT ?e (MAX(?l) AS ?label) WHERE { VALUES ?e { " + values + " } ?e rdfs:label ?l } GROUP BY ?e").rows
    return {str(e): str(lab) for e, lab in rows if e is not None and lab is not None}


def explain_text(store: Store, text: str) -> str:
    """A readable account of an entity: each fact, then the sentence and article it came from."""
    iri = resolve_entity(store, text)
    result = describe(store, iri)
    names = labels(store, [str(iri)] + [str(r[1]) for r in result.rows if isinstance(r[1], URIRef)])
    lines = [f"{names.get(str(iri), text)}  ({display(iri)})"]
    last = None
    for prop, value, direction, article, quote, confidence in result.rows:
        arrow = "→" if str(direction) == "out" else "←"
        fact = f"  {display(prop)} {arrow} {display(value, names)}"
        if fact != last:
            lines.append(fact)
            last = fact
        if quote is not None:
            conf = f" [{float(confidence):.2f}]" if confidence is not None else ""
            lines.append(f"      “{quote}”  — {article}{conf}")
    if len(lines) == 1:
        lines.append("  (no facts)")
    return "\n".join(lines)


def explain_command(args: argparse.Namespace) -> int:
    with open_store(args.store, read_only=True) as store:
        print(explain_text(store, args.entity))
    sys.stdout.flush()
    return EXIT_OK
