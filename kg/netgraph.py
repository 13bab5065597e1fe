"""The RDF graph as a networkx graph of entities, for drawings and graph analysis.

Typing and provenance never become edges: rdf:type becomes a node's classes, kg:mentionedIn and
prov:wasDerivedFrom become the node's articles, and kg:Evidence / kg:Article nodes are left out.
Literals are kept on their node, not as nodes.

The *display* graph folds helper nodes into their owners: an official's post becomes an edge from
the official to the post's country (labelled with the title), and a treaty event becomes an edge
from its actor to the treaty (labelled e.g. "signed 1951"). Every display edge keeps the raw facts
it stands for, so `kg path` can list them with their articles.

The conversion is done once per store state: `entity_graph(store)` keys an in-memory cache by a
fingerprint of the store (each article graph with its content hash and triple count).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.ontology import KG, KNOWLEDGE_GRAPH, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Store

# Most specific first: a node's drawing and group follow the first class it has.
CLASS_ORDER = (
    "Official", "Country", "Dialogue", "Treaty", "Policy",
    "Place", "Organization", "Post", "TreatyEvent",
)
OTHER = "Other"

_PROVENANCE_PREDICATES = {str(RDF.type), str(KG.mentionedIn), str(PROV.wasDerivedFrom)}
# Evidence and article nodes are provenance; schema terms (if the ontology is loaded) are not entities.
_HIDDEN_CLASSES = {
    str(KG.Evidence), str(KG.Article), str(OWL.Class), str(OWL.ObjectProperty), str(OWL.DatatypeProperty),
    str(OWL.Ontology), str(RDFS.Class), str(RDF.Property),
}
_LABEL = str(RDFS.label)
_ALT_LABEL = str(SKOS.altLabel)
_TYPE = str(RDF.type)


@dataclass
class NodeInfo:
    iri: str
    labels: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)  # class IRIs
    literals: list[tuple[str, str]] = field(default_factory=list)  # (predicate IRI, text)
    articles: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        if self.labels:
            return self.labels[0]
        return self.literal(str(KG.title)) or local_name(self.iri)

    @property
    def kind(self) -> str:
        names = {class_name(c) for c in self.classes}
        return next((c for c in CLASS_ORDER if c in names), OTHER)

    def literal(self, predicate: str) -> str | None:
        return next((text for p, text in self.literals if p == predicate), None)


@dataclass(frozen=True)
class Fact:
    """One RDF triple between two entities, with the article graphs that state it."""

    subject: str
    predicate: str
    object: str
    articles: frozenset[str] = frozenset()


def local_name(iri: str) -> str:
    """The readable tail of an IRI: `.../id/leon-panetta` -> `leon panetta`."""
    tail = re.split(r"[/#:]", iri.rstrip("/#"))[-1] or iri
    return tail.replace("_", " ").replace("-", " ") if re.search(r"[A-Za-z]", tail) else tail


def class_name(iri: str) -> str:
    return iri[len(str(KG)):] if iri.startswith(str(KG)) else local_name(iri)


def property_label(iri: str) -> str:
    """A short name for a property: `kg:participantCountry` -> `participant country`."""
    name = re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _key(term: object) -> str | None:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return None


class EntityGraph:
    """Entities, their classes, labels and literals, and the facts between them."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.facts: dict[tuple[str, str, str], set[str]] = {}
        self.articles: dict[str, str] = {}  # article IRI -> its file name (or title)
        self.article_titles: dict[str, str] = {}

    # --- building -------------------------------------------------------------------------------

    @classmethod
    def from_quads(cls, quads: Iterable[tuple[object, object, object, object]]) -> EntityGraph:
        """From (s, p, o, graph) rdflib terms; `graph` may be None (e.g. a CONSTRUCT result)."""
        quads = list(quads)
        hidden: set[str] = set()
        for s, p, o, _g in quads:
            if str(p) == _TYPE and str(o) in _HIDDEN_CLASSES:
                hidden.add(_key(s) or "")
        self = cls()
        article_info: dict[str, dict[str, str]] = {}
        for s, p, o, g in quads:
            sk, pk, graph = _key(s), str(p), _key(g)
            if graph == KNOWLEDGE_GRAPH:  # the facts again, once; articles are their own graphs
                graph = None
            if sk is None:
                continue
            if sk in hidden:
                # Only an article's own literals (source path, title) are kept, to name it.
                if isinstance(o, Literal):
                    article_info.setdefault(sk, {})[pk] = str(o)
                continue
            node = self._node(sk)
            if graph:
                node.articles.add(graph)
            ok = _key(o)
            if pk == _TYPE:
                node.classes.add(str(o))
            elif pk in _PROVENANCE_PREDICATES:
                if ok:
                    node.articles.add(ok)
            elif isinstance(o, Literal):
                if pk == _LABEL:
                    node.labels.append(str(o))
                elif pk == _ALT_LABEL:
                    node.aliases.append(str(o))
                else:
                    node.literals.append((pk, str(o)))
            elif ok and ok not in hidden:
                self._node(ok)
                self.facts.setdefault((sk, pk, ok), set())
                if graph:
                    self.facts[(sk, pk, ok)].add(graph)
        for node in self.nodes.values():
            # The same fact is often stated by several articles: keep it once.
            node.labels = sorted(set(node.labels), key=lambda t: (len(t) > 60, t))
            node.aliases = sorted(set(node.aliases))
            node.literals = sorted(set(node.literals))
        articles = {a for n in self.nodes.values() for a in n.articles}
        articles |= {g for f in self.facts.values() for g in f}
        for a in sorted(articles):
            info = article_info.get(a, {})
            path = info.get(str(KG.sourcePath))
            title = info.get(str(DCTERMS.title))
            self.articles[a] = PurePosixPath(path.replace("\\", "/")).name if path else title or local_name(a)
            if title:
                self.article_titles[a] = title
        return self

    def _node(self, key: str) -> NodeInfo:
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = NodeInfo(key)
        return node

    def enrich_from(self, background: EntityGraph) -> None:
        """Fill in labels, classes, literals and articles the store knows for nodes of this graph
        (a CONSTRUCT result often carries none of them)."""
        for key, node in self.nodes.items():
            known = background.nodes.get(key)
            if known is None:
                continue
            if not node.labels:
                node.labels = list(known.labels)
            node.aliases = node.aliases or list(known.aliases)
            node.classes |= known.classes
            node.literals = node.literals or list(known.literals)
            node.articles |= known.articles
        for a, name in background.articles.items():
            self.articles.setdefault(a, name)
        for a, title in background.article_titles.items():
            self.article_titles.setdefault(a, title)

    def article_caption(self, iri: str, width: int = 60) -> str:
        """An article as a box title: its headline (shortened), then its file name."""
        name = self.articles.get(iri, local_name(iri))
        title = self.article_titles.get(iri)
        if not title or title == name:
            return name
        lines = textwrap.wrap(title, width, break_long_words=False)
        head = lines[0] + (" …" if len(lines) > 1 else "")
        return f"{head}\n{name}"

    # --- views ------------------------------------------------------------------------------------

    @cached_property
    def display(self) -> DisplayGraph:
        return DisplayGraph.build(self, fold=True)

    @cached_property
    def display_unfolded(self) -> DisplayGraph:
        return DisplayGraph.build(self, fold=False)

    def view(self, fold: bool = True) -> DisplayGraph:
        return self.display if fold else self.display_unfolded


def _year(text: str | None) -> str:
    """The year of an xsd:date, gYearMonth or gYear, for short edge labels ("signed 1951")."""
    if not text:
        return ""
    m = re.match(r"(\d{4})(?:-\d\d){0,2}$", text)
    return m.group(1) if m else text


@dataclass
class DisplayGraph:
    """What is drawn and analysed: a networkx MultiDiGraph keyed by entity IRI.

    Node attributes: `label`, `kind`, `iri`, `notes` (extra label lines), `literals`, `articles`.
    Edge key: the edge's short label; attributes: `facts` (list of `Fact`), `articles`, `folded`
    (the label is a post's title or a treaty event, not a property name).
    """

    graph: nx.MultiDiGraph[str]
    owner: dict[str, str]  # folded node -> the node it was folded into

    @classmethod
    def build(cls, eg: EntityGraph, fold: bool = True) -> DisplayGraph:
        import networkx as nx

        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        owner: dict[str, str] = {}
        folded: set[str] = set()
        if fold:
            folded = {k for k, n in eg.nodes.items() if n.kind in ("Post", "TreatyEvent")}
        notes: dict[str, list[str]] = {}
        for key, node in eg.nodes.items():
            if key in folded:
                continue
            note = []
            if node.kind in ("Dialogue", "Policy"):
                date = node.literal(str(KG.date))
                if date and date not in node.label:
                    note.append(date)
            notes[key] = note
            g.add_node(key, iri=key, label=node.label, kind=node.kind, literals=list(node.literals),
                       articles=set(node.articles), notes=note)

        def add(u: str, v: str, label: str, facts: list[Fact], folded_edge: bool = False) -> None:
            if g.has_edge(u, v, key=label):
                data = g.edges[u, v, label]
                data["facts"].extend(f for f in facts if f not in data["facts"])
                for f in facts:
                    data["articles"] |= f.articles
            else:
                g.add_edge(u, v, key=label, label=label, facts=list(facts), folded=folded_edge,
                           articles=set().union(*(f.articles for f in facts)))

        facts = [Fact(s, p, o, frozenset(a)) for (s, p, o), a in sorted(eg.facts.items())]
        outgoing: dict[str, list[Fact]] = {}
        incoming: dict[str, list[Fact]] = {}
        for f in facts:
            outgoing.setdefault(f.subject, []).append(f)
            incoming.setdefault(f.object, []).append(f)
        for f in facts:
            if f.subject not in folded and f.object not in folded:
                add(f.subject, f.object, property_label(f.predicate), [f])

        titled_pairs: set[tuple[str, str]] = set()
        for key in sorted(folded):
            node = eg.nodes[key]
            into = [f for f in incoming.get(key, []) if f.subject not in folded]
            out = [f for f in outgoing.get(key, []) if f.object not in folded]
            if node.kind == "Post":
                text = node.literal(str(KG.title)) or node.label
                owners = [f for f in into if f.predicate == str(KG.holdsPost)] or into
                for fin in owners:
                    owner.setdefault(key, fin.subject)
                    if not out:
                        notes[fin.subject].append(text)
                    for fout in out:
                        add(fin.subject, fout.object, text, [fin, fout], True)
                        titled_pairs.add((fin.subject, fout.object))
            else:  # a treaty event: "<actor> —signed 1951→ <treaty>"
                text = " ".join(x for x in (node.literal(str(KG.eventType)) or node.label,
                                            _year(node.literal(str(KG.date)))) if x)
                treaties = [f for f in into if f.predicate == str(KG.hasEvent)] or into
                actors = [f for f in out if f.predicate == str(KG.actor)]
                others = [f for f in out if f.predicate != str(KG.actor)]
                for fin in treaties:
                    owner.setdefault(key, fin.subject)
                    if not actors:
                        notes[fin.subject].append(text)
                    for fa in actors:
                        add(fa.object, fin.subject, text, [fin, fa], True)
                    for fo in others:
                        add(fin.subject, fo.object, f"{text}: {property_label(fo.predicate)}", [fin, fo], True)
        # "represents" says less than the post's title between the same two nodes.
        represents = property_label(str(KG.represents))
        for u, v in titled_pairs:
            if g.has_edge(u, v, key=represents):
                g.remove_edge(u, v, key=represents)
        return cls(g, owner)

    # --- reading ----------------------------------------------------------------------------------

    def node_text(self, key: str, width: int = 28) -> str:
        """The text drawn in a node: the label, wrapped, then its notes (dates, titles, events)."""
        data = self.graph.nodes[key]
        lines = textwrap.wrap(data["label"], width, break_on_hyphens=False, break_long_words=False) or [data["label"]]
        seen: set[str] = set()
        for note in data["notes"]:
            if note not in seen:
                seen.add(note)
                lines.extend(textwrap.wrap(note, width, break_long_words=False) or [note])
        return "\n".join(lines)

    def label(self, key: str) -> str:
        return self.graph.nodes[key]["label"]

    def kind(self, key: str) -> str:
        return self.graph.nodes[key]["kind"]

    def canonical(self, iri: str) -> str | None:
        """The display node an IRI is shown as (a folded post is shown as its official)."""
        if iri in self.graph:
            return iri
        return self.owner.get(iri)

    @cached_property
    def undirected(self) -> nx.Graph[str]:
        """A simple undirected graph of the same nodes, for paths, centrality and groups."""
        import networkx as nx

        ug: nx.Graph[str] = nx.Graph()
        ug.add_nodes_from(self.graph.nodes)
        ug.add_edges_from((u, v) for u, v in self.graph.edges() if u != v)
        return ug


# --- the store ------------------------------------------------------------------------------------

# Two index-only queries (measured on 257k triples in 1,000 graphs: 0.01 s and 0.13 s); one
# query joining the hash to the counts took 1.5 s.
_HASHES_QUERY = "SELECT ?g ?h WHERE { GRAPH ?g { ?g kg:contentHash ?h } }"
_COUNTS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

_CACHE: dict[str, tuple[str, EntityGraph]] = {}
_DISK_FORMAT = 1  # bump when EntityGraph changes shape


def fingerprint(store: Store) -> str:
    """A cheap digest of the store's state: each article graph with its content hash and size,
    and what catches an edit that keeps both (a label changed in place by a SPARQL update): for
    an embedded store the state of its files (any write changes them), for a server every label."""
    rows = [f"h\t{g}\t{h}" for g, h in store.query(_HASHES_QUERY).rows]
    rows += [f"n\t{g}\t{n}" for g, n in store.query(_COUNTS_QUERY).rows]
    folder = Path(store.location)
    if not re.match(r"(?i)https?://", store.location) and folder.is_dir():
        rows += _files_state(folder)
    else:
        rows += [f"l\t{s}\t{o}" for s, o in store.query(_LABELS_QUERY).rows]
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


_LABELS_QUERY = "SELECT ?s ?o WHERE { ?s rdfs:label ?o }"


def _files_state(folder: Path) -> list[str]:
    """Name, size and modification time of the store's write-ahead logs (`*.log`): every write
    goes through them, while background compaction (which rewrites tables and the manifest without
    changing what the store holds) and RocksDB's info logs (`LOG*`) leave them alone."""
    state = []
    for entry in os.scandir(folder):
        if not entry.name.endswith(".log"):
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        state.append(f"f\t{entry.name}\t{info.st_size}\t{info.st_mtime_ns}")
    return state


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg" / "graphs"


def _disk_path(location: str) -> Path:
    if not re.match(r"(?i)https?://", location):
        location = str(Path(location).resolve())
    return cache_dir() / (hashlib.sha256(location.encode()).hexdigest()[:32] + ".pickle")


def _read_disk(location: str, fp: str) -> EntityGraph | None:
    try:
        with open(_disk_path(location), "rb") as f:
            stored = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (_DISK_FORMAT, fp):
        return stored[2] if isinstance(stored[2], EntityGraph) else None
    return None


def _write_disk(location: str, fp: str, eg: EntityGraph) -> None:
    """Best effort: a cache that cannot be written only costs time next run."""
    path = _disk_path(location)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((_DISK_FORMAT, fp, eg), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass


def entity_graph(store: Store, *, disk: bool = False) -> EntityGraph:
    """The store as an `EntityGraph`, converted once per store state: kept in memory (the shell)
    and, with `disk`, in `$XDG_CACHE_HOME/kg/graphs/` between runs (the command line)."""
    fp = fingerprint(store)
    cached = _CACHE.get(store.location)
    if cached and cached[0] == fp:
        return cached[1]
    eg = _read_disk(store.location, fp) if disk else None
    if eg is None:
        eg = EntityGraph.from_quads(store.quads())
        if disk:
            eg.display  # noqa: B018 - built now so that the cache holds it too
            _write_disk(store.location, fp, eg)
    _CACHE[store.location] = (fp, eg)
    return eg


def clear_cache() -> None:
    _CACHE.clear()


# --- naming entities on the command line ----------------------------------------------------------


def resolve(store: Store, text: str, eg: EntityGraph, fold: bool = True) -> str:
    """The display node for a label, prefixed name or IRI typed by the user."""
    from kg.describe import resolve_entity
    from kg.errors import UsageError

    iri = str(resolve_entity(store, text))
    node = eg.view(fold).canonical(iri)
    if node is None:
        if iri in eg.nodes:
            raise UsageError(f"'{text}' is a post or treaty event without an owner; try --no-fold")
        raise UsageError(f"no entity <{iri}> in the graph (articles and evidence are not part of it)")
    return node


def lookup(eg: EntityGraph, text: str) -> str:
    """Resolve a label (rdfs:label or skos:altLabel, case-insensitive, exact case first),
    a prefixed name (`kgid:leon-panetta`) or an IRI (`<...>` or bare) against the graph."""
    from kg.errors import UsageError

    wanted = text.strip()
    if wanted.startswith("<") and wanted.endswith(">"):
        wanted = wanted[1:-1]
    prefix, colon, local = wanted.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        wanted = PREFIXES[prefix] + local
    if wanted in eg.nodes:
        return wanted
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", wanted):
        raise UsageError(f"no entity <{wanted}> in the store")
    exact = sorted(k for k, n in eg.nodes.items() if text in n.labels or text in n.aliases)
    folded = text.casefold()
    loose = sorted(
        k for k, n in eg.nodes.items() if any(x.casefold() == folded for x in n.labels + n.aliases)
    )
    for found in (exact, loose):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"<{k}>" for k in found[:5])
            raise UsageError(f"'{text}' names {len(found)} entities: {names} (give the IRI)")
    near = sorted({n.label for n in eg.nodes.values() if folded in n.label.casefold()})[:5]
    hint = f" (did you mean: {', '.join(near)}?)" if near else ""
    raise UsageError(f"no entity labelled '{text}'{hint}")
