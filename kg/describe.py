"""Facts about one entity and the sentences they came from (`kg explain`, `\\describe`, `\\why`)."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from kg.errors import UsageError
from kg.ontology import PREFIXES
from kg.results import display
from kg.store import QueryResult, Store, Term, term_text


def resolve_entity(store: Store, text: str) -> URIRef:
    """An entity by IRI (<...> or http...), prefixed name, or label (exact, then case-insensitive)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1])
    if text.startswith(("http://", "https://", "urn:")):
        return _iri(text)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return _iri(PREFIXES[prefix] + local)
    label = term_text(Literal(text))  # one-line escaped literal, whatever quotes the label holds
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
SELECT ?property ?value ?direction ?article ?quote ?confidence ?rule WHERE {
  { VALUES ?direction { "out" } ?e ?p ?v . BIND(?v AS ?value) }
  UNION
  { VALUES ?direction { "in" } ?v ?p ?e . BIND(?v AS ?value) }
  FILTER(?p NOT IN (kg:mentionedIn, rdf:type, rdfs:label, kg:reportedAs))
  BIND(?p AS ?property)
  OPTIONAL { GRAPH ?a {
    ?ev a kg:Evidence ; rdf:predicate ?p ; kg:quote ?quote ; kg:confidence ?confidence .
    { ?ev rdf:subject ?e ; rdf:object ?v } UNION { ?ev rdf:subject ?v ; rdf:object ?e }
    ?a kg:sourcePath ?article .
    OPTIONAL { ?ev kg:rule ?rule }
  } }
}
ORDER BY ?direction ?property ?value ?article
"""


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _iri(text: str) -> URIRef:
    """An IRI the user typed, refused if it holds characters no IRI may hold (it would end early
    in the query text)."""
    if not _IRI.fullmatch(text):
        raise UsageError(f"'{text}' is not an IRI (spaces, quotes and <>{{}}|^` cannot appear in one)")
    return URIRef(text)


def describe(store: Store, iri: URIRef) -> QueryResult:
    """Every fact about the entity, each with the sentence and article it was read from."""
    # The IRI goes into each branch of the UNION, as in _ENTITY_FACTS (15 s -> 0.01 s at a million triples).
    return store.query(re.sub(r"\?e\b", lambda _: iri.n3(), _FACTS))


# The entity's IRI is written into each branch of the UNION: bound from outside (VALUES ?e), Oxigraph
# evaluates each branch over the whole store first (12 s at a million triples, against milliseconds).
_ENTITY_FACTS = """
SELECT DISTINCT ?property ?value ?direction WHERE {
  { VALUES ?direction { "out" } ENTITY ?property ?value }
  UNION
  { VALUES ?direction { "in" } ?value ?property ENTITY FILTER NOT EXISTS { ?value a kg:Evidence } }
  FILTER(?property NOT IN (kg:mentionedIn, rdf:type, rdfs:label, kg:reportedAs))
}
ORDER BY ?direction ?property ?value
"""

# Evidence lives in the article graphs only (the default graph is the knowledge graph).
_ENTITY_EVIDENCE = """
SELECT ?property ?value ?direction ?quote ?confidence ?article ?title ?published ?rule WHERE { GRAPH ?g {
  { VALUES ?direction { "out" } ?ev rdf:subject ENTITY ; rdf:object ?value }
  UNION
  { VALUES ?direction { "in" } ?ev rdf:object ENTITY ; rdf:subject ?value }
  ?ev rdf:predicate ?property ; kg:quote ?quote ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?ev kg:confidence ?confidence }
  OPTIONAL { ?article dct:title ?title }
  OPTIONAL { ?article dct:date ?published }
  OPTIONAL { ?ev kg:rule ?rule }
} }
ORDER BY ?published ?article ?quote
"""


def sourced_facts(store: Store, iri: URIRef) -> QueryResult:
    """Every fact about the entity with its sentences and each article's IRI, title and date:
    columns property, value, direction, quote, confidence, article, title, published, rule (one row
    per sentence; a fact without evidence has one row with the last six unbound)."""
    facts = store.query(_ENTITY_FACTS.replace("ENTITY", iri.n3()))
    sources: dict[tuple[Term | None, ...], list[tuple[Term | None, ...]]] = {}
    # a person, post or event of the knowledge graph is one node for several articles' reports:
    # the evidence is about the report's nodes, and so are the values it names
    members = _reported_as(store, [iri])
    rows_found = [row for m in members.get(iri, [iri]) for row in store.query(
        _ENTITY_EVIDENCE.replace("ENTITY", m.n3())).rows]
    resolved = _resolved_nodes(store, [row[1] for row in rows_found if isinstance(row[1], URIRef)])
    for prop, value, direction, *rest in rows_found:
        value = resolved.get(value, value) if isinstance(value, URIRef) else value
        if tuple(rest) not in sources.setdefault((prop, value, direction), []):
            sources[(prop, value, direction)].append(tuple(rest))
    rows = [(*fact, *source) for fact in facts.rows for source in sources.get(fact, [(None,) * 6])]
    return QueryResult("select", vars=["property", "value", "direction", "quote", "confidence", "article",
                                       "title", "published", "rule"], rows=rows)


def _reported_as(store: Store, iris: list[URIRef]) -> dict[URIRef, list[URIRef]]:
    """Each resolved node with the nodes of the articles' reports it stands for (itself included)."""
    values = " ".join(i.n3() for i in iris)
    found: dict[URIRef, list[URIRef]] = {}
    for node, member in store.query("SELECT ?e ?m WHERE { VALUES ?e { " + values + " } ?e kg:reportedAs ?m }").rows:
        if isinstance(node, URIRef) and isinstance(member, URIRef):
            found.setdefault(node, [node]).append(member) if member != node else found.setdefault(node, [node])
    return found


def _resolved_nodes(store: Store, iris: list[URIRef]) -> dict[URIRef, URIRef]:
    """The knowledge graph's node for each node of an article's report."""
    if not iris:
        return {}
    values = " ".join(i.n3() for i in sorted(set(iris)))
    rows = store.query("SELECT ?m ?e WHERE { VALUES ?m { " + values + " } ?e kg:reportedAs ?m }").rows
    return {m: e for m, e in rows if isinstance(m, URIRef) and isinstance(e, URIRef)}


def evidence(store: Store, iris: list[URIRef]) -> QueryResult:
    """The evidence sentences behind facts about these entities: each fact with its other end."""
    if not iris:
        return QueryResult("select", vars=["entity", "fact", "value", "quote", "article", "rule"])
    members = _reported_as(store, iris)
    if members:  # resolved nodes: the evidence is about the articles' reports of them
        result = _evidence(store, [m for i in iris for m in members.get(i, [i])])
        back = {m: i for i in iris for m in members.get(i, [i])}
        resolved = _resolved_nodes(store, [row[2] for row in result.rows if isinstance(row[2], URIRef)])
        rows = [(back.get(e, e), fact, resolved.get(value, value) if isinstance(value, URIRef) else value, *rest)  # type: ignore[arg-type]
                for e, fact, value, *rest in result.rows]
        return QueryResult("select", vars=result.vars, rows=list(dict.fromkeys(rows)))
    return _evidence(store, iris)


def _evidence(store: Store, iris: list[URIRef]) -> QueryResult:
    values = " ".join(i.n3() for i in iris)
    return store.query(
        "SELECT DISTINCT ?entity ?fact ?value ?quote ?article ?rule WHERE { VALUES ?entity { " + values + " } "
        "GRAPH ?a { ?ev a kg:Evidence ; rdf:predicate ?p ; kg:quote ?quote . "
        "{ ?ev rdf:subject ?entity ; rdf:object ?value } UNION { ?ev rdf:object ?entity ; rdf:subject ?value } "
        "OPTIONAL { ?ev kg:rule ?rule } ?a kg:sourcePath ?article } BIND(?p AS ?fact) } "
        "ORDER BY ?entity ?article ?fact ?value ?rule"
    )


def labels(store: Store, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = store.query("SELECT ?e (MAX(?l) AS ?label) WHERE { VALUES ?e { " + values + " } ?e rdfs:label ?l } GROUP BY ?e").rows
    return {str(e): str(lab) for e, lab in rows if e is not None and lab is not None}


def _source_paths(store: Store, articles: list[URIRef]) -> dict[Term | None, str]:
    """The file each article was read from."""
    if not articles:
        return {}
    values = " ".join(a.n3() for a in sorted(set(articles)))
    rows = store.query("SELECT ?a ?path WHERE { VALUES ?a { " + values + " } GRAPH ?a { ?a kg:sourcePath ?path } }").rows
    return {a: str(path) for a, path in rows if path is not None}


def explain_text(store: Store, text: str) -> str:
    """A readable account of an entity: each fact, then the sentence and article it came from and the
    extraction rule that read it."""
    iri = resolve_entity(store, text)
    # sourced_facts follows a resolved node to the articles' reports of it, where the sentences are
    result = sourced_facts(store, iri)
    names = labels(store, [str(iri)] + [str(r[1]) for r in result.rows if isinstance(r[1], URIRef)])
    paths = _source_paths(store, [r[5] for r in result.rows if isinstance(r[5], URIRef)])
    lines = [f"{names.get(str(iri), text)}  ({display(iri)})"]
    last = None
    for prop, value, direction, quote, confidence, article, _title, _published, rule in result.rows:
        arrow = "→" if str(direction) == "out" else "←"
        fact = f"  {display(prop)} {arrow} {display(value, names)}"
        if fact != last:
            lines.append(fact)
            last = fact
        if quote is not None:
            conf = f" [{float(confidence):.2f}]" if confidence is not None else ""
            by_rule = f"  rule {rule}" if rule is not None else ""  # the extraction rule to look at if it is wrong
            lines.append(f"      “{quote}”  — {paths.get(article, article)}{conf}{by_rule}")
    if len(lines) == 1:
        lines.append("  (no facts)")
    return "\n".join(lines)
