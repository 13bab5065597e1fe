"""What the completer knows about the graph: prefixes, classes, properties, entities by label,
saved queries. Read from the store (and the ontology file) on a background thread, so the prompt
never waits for it; refreshed after `\\load`."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.ontology import PREFIXES, shorten

if TYPE_CHECKING:
    from kg.store import Store

ENTITY_LIMIT = 50_000  # entity labels kept for completion

PROVENANCE = frozenset(
    {
        "rdf:subject", "rdf:predicate", "rdf:object", "kg:quote", "kg:startOffset", "kg:endOffset",
        "kg:confidence", "prov:wasDerivedFrom", "kg:sourcePath", "kg:contentHash", "kg:mentionedIn",
    }
)
_LOCAL = re.compile(r"[\w\-./%]+")


def sparql_name(iri: str) -> str:
    """The shortest way to write an IRI in a query: a prefixed name (with `/` escaped as `\\/`,
    which SPARQL 1.1 allows in local names), else `<iri>`."""
    short = shorten(iri)
    if not short.startswith("<"):
        return short
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(ns):]
        if iri.startswith(ns) and _LOCAL.fullmatch(local) and not local.endswith((".", "/")) and local[0] != ".":
            return f"{prefix}:" + local.replace("/", "\\/")
    return short


def readable_name(iri: str) -> str:
    """A prefixed name for people (`kgid:person/leon-panetta`), not necessarily valid SPARQL."""
    return sparql_name(iri).replace("\\/", "/")


@dataclass(frozen=True)
class Named:
    """A class, property or entity as the completer offers it."""

    iri: str
    name: str  # prefixed name, or <iri> when no prefix fits
    label: str = ""
    kind: str = "entity"  # class | property | entity
    types: tuple[str, ...] = ()  # an entity's classes, as prefixed names
    count: int = 0


@dataclass(frozen=True)
class SavedInfo:
    name: str
    description: str = ""
    params: tuple[tuple[str, str, bool], ...] = ()  # (name, type, optional)


@dataclass
class GraphMetadata:
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    classes: list[Named] = field(default_factory=list)
    properties: list[Named] = field(default_factory=list)
    entities: list[Named] = field(default_factory=list)
    ranges: dict[str, str] = field(default_factory=dict)  # property name -> class name
    saved: dict[str, SavedInfo] = field(default_factory=dict)

    def labels(self) -> dict[str, str]:
        return {e.iri: e.label for e in self.entities if e.label}


def ontology_terms() -> tuple[list[Named], list[Named], dict[str, str]]:
    """Classes, properties and property ranges declared in ontology/kg.ttl."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    from kg.ontology import ontology_file

    g = Graph().parse(data=ontology_file().read_text(encoding="utf-8"), format="turtle")
    classes, properties, ranges = [], [], {}
    for c in sorted(set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, RDFS.Class)), key=str):
        classes.append(Named(str(c), shorten(str(c)), str(g.value(c, RDFS.label) or ""), "class"))
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AnnotationProperty)
    seen = set()
    for kind in kinds:
        for p in g.subjects(RDF.type, kind):
            if p in seen:
                continue
            seen.add(p)
            name = shorten(str(p))
            properties.append(Named(str(p), name, str(g.value(p, RDFS.label) or ""), "property"))
            rng = g.value(p, RDFS.range)
            if rng is not None:
                ranges[name] = shorten(str(rng))
    properties.sort(key=lambda n: n.name)
    return classes, properties, ranges


_CLASSES = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_ENTITIES = f"""SELECT ?s (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?types)
WHERE {{ ?s rdfs:label ?l . OPTIONAL {{ ?s a ?c }} }} GROUP BY ?s LIMIT {ENTITY_LIMIT}"""


def load_metadata(store: Store | None) -> GraphMetadata:
    """Everything the completer needs, from the ontology and the store's contents."""
    classes, properties, ranges = ontology_terms()
    meta = GraphMetadata(ranges=ranges)
    by_iri: dict[str, Named] = {n.iri: n for n in classes}
    prop_by_iri: dict[str, Named] = {n.iri: n for n in properties}
    if store is not None:
        for c, n in store.query(_CLASSES).rows:
            iri = str(c)
            old = by_iri.get(iri)
            count = int(n.toPython()) if n is not None else 0
            by_iri[iri] = Named(iri, shorten(iri), old.label if old else "", "class", count=count)
        for p, n in store.query(_PROPERTIES).rows:
            iri = str(p)
            old = prop_by_iri.get(iri)
            count = int(n.toPython()) if n is not None else 0
            prop_by_iri[iri] = Named(iri, shorten(iri), old.label if old else "", "property", count=count)
        for s, label, types in store.query(_ENTITIES).rows:
            if s is None or type(s).__name__ != "URIRef":
                continue
            tnames = tuple(shorten(t) for t in str(types or "").split())
            meta.entities.append(Named(str(s), sparql_name(str(s)), str(label), "entity", tnames))
    meta.classes = sorted(by_iri.values(), key=lambda n: (-n.count, n.name))
    # Provenance bookkeeping (evidence nodes, article links) is the bulk of the triples but rarely
    # what a query is about: it goes after the properties of the domain.
    meta.properties = sorted(prop_by_iri.values(), key=lambda n: (n.name in PROVENANCE, -n.count, n.name))
    meta.entities.sort(key=lambda n: n.label.lower())
    meta.saved = saved_info()
    return meta


def saved_info() -> dict[str, SavedInfo]:
    from kg import saved

    try:
        queries = saved.all_queries()
    except (OSError, FileNotFoundError):
        return {}
    return {
        q.name: SavedInfo(q.name, q.description or q.title, tuple((p.name, p.type, p.optional) for p in q.params))
        for q in queries.values()
    }


class MetadataRefresher:
    """Reloads the metadata on a daemon thread and hands the result to a callback."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.error: str | None = None

    def refresh(self, store: Store | None, done: Callable[[GraphMetadata], None]) -> None:
        with self._lock:
            self.wait()
            self._thread = threading.Thread(target=self._run, args=(store, done), name="kg-metadata", daemon=True)
            self._thread.start()

    def _run(self, store: Store | None, done: Callable[[GraphMetadata], None]) -> None:
        try:
            done(load_metadata(store))
            self.error = None
        except Exception as e:  # a failed refresh only costs completions; say so in the toolbar
            self.error = f"completion data not loaded: {e}"

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
