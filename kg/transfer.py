"""`kg dump` and `kg load`: move graphs between stores as RDF files, keeping the named graphs.

    kg dump [--store S] [--format trig|nquads|jsonld|turtle|ntriples|rdfxml] [-o FILE] [--force]
    kg load [--store S] [--graph IRI] FILE

Both work on the embedded store and on SPARQL endpoints alike, so `kg dump --store .kg -o kg.trig`
followed by `kg load --store http://host/sparql kg.trig` copies a graph to a server (and back).
Each graph in a loaded file replaces the graph of the same name in the store, as a whole (the
knowledge graph is merged); then the people, posts and events of the store's articles are resolved
again, as after a build, unless the knowledge graph was resolved from these very articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.resolve import ResolveReport
    from kg.store import Quad

# --format name -> (rdflib format, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    "trig": ("trig", True),
    "nquads": ("nquads", True),
    "jsonld": ("json-ld", True),
    "turtle": ("turtle", False),
    "ntriples": ("nt", False),
    "rdfxml": ("xml", False),
}

FORMAT_NAMES = {"trig": "TriG", "nquads": "N-Quads", "jsonld": "JSON-LD", "turtle": "Turtle",
                "ntriples": "N-Triples", "rdfxml": "RDF/XML"}

EXTENSIONS: dict[str, str] = {
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
}

_PARSERS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld",
            "rdfxml": "xml"}

# rdflib's name for triples outside any named graph.
_RDFLIB_DEFAULT = "urn:x-rdflib:default"


def dump_format(fmt: str | None, output: str | None) -> str:
    """The format of a dump: `--format`, else the output file's extension, else TriG (standard
    output). A known extension that names another format than `--format`, and an unknown one
    without `--format`, are refused: a file's name must not lie about what it holds."""
    by_ext = EXTENSIONS.get(Path(output).suffix.lower()) if output else None
    if fmt and by_ext and by_ext != fmt:
        raise UsageError(f"{output}: the extension says {FORMAT_NAMES[by_ext]} but --format says "
                         f"{FORMAT_NAMES[fmt]}; change one of them")
    if fmt:
        return fmt
    if by_ext:
        return by_ext
    if output:
        known = ", ".join(sorted(EXTENSIONS))
        raise UsageError(f"{output}: cannot tell the RDF format from the name (extensions: {known}); "
                         "or say it with --format")
    return "trig"


def single_graph_notice(fmt: str) -> str:
    """What a dump in a format without named graphs leaves out ('' for the others)."""
    if FORMATS[fmt][1]:
        return ""
    return (f"{FORMAT_NAMES[fmt]} holds one graph without a name: the knowledge graph and every article's "
            "graph are merged into it (keep them apart with .trig, .nq or .jsonld)")


def serialize_store(location: str | None, fmt: str) -> tuple[bytes, int]:
    """(the whole store as RDF in `fmt`, the number of triples); formats that keep named graphs keep them."""
    from rdflib import Dataset, Graph

    from kg.ontology import PREFIXES
    from kg.store import open_store

    rdflib_format, keeps_graphs = FORMATS[fmt]
    with open_store(location, read_only=True) as store:
        data: Dataset | Graph = Dataset() if keeps_graphs else Graph()
        for prefix, iri in PREFIXES.items():
            data.bind(prefix, iri, replace=True)
        count = 0
        for s, p, o, g in store.quads():
            if isinstance(data, Dataset):
                # rdflib annotates the fourth item as a Graph; it takes the graph's IRI as well
                data.add((s, p, o, g))  # type: ignore[arg-type]
            else:
                data.add((s, p, o))
            count += 1
    try:
        return data.serialize(format=rdflib_format, encoding="utf-8"), count
    except Exception as e:  # noqa: BLE001 - e.g. RDF/XML cannot write a predicate IRI it cannot split
        message = " ".join(str(e).split()) or type(e).__name__
        raise UsageError(f"cannot write the store as {FORMAT_NAMES[fmt]}: {message[:300]}") from None


def read_quads(path: str, graph: str | None = None) -> list[Quad]:
    """The quads of an RDF file (format by extension); triples outside a named graph go to `graph`."""
    from rdflib import Dataset, URIRef

    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise UsageError(f"{path}: unknown RDF format (file extensions: {known})")
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    data = Dataset()
    try:
        data.parse(path, format=_PARSERS[fmt])
    except Exception as e:  # noqa: BLE001 - rdflib's parsers raise many kinds
        message = " ".join(str(e).split()) or type(e).__name__
        raise UsageError(f"{path}: not valid {fmt}: {message[:300]}") from None
    if graph is not None and not _IRI.fullmatch(graph):
        raise UsageError(f"--graph {graph!r} is not an IRI")
    quads: list[Quad] = []
    loose = 0
    for s, p, o, g in data.quads((None, None, None, None)):
        if g is None or str(g) == _RDFLIB_DEFAULT:
            if graph is None:
                loose += 1
                continue
            g = URIRef(graph)
        problem = _unstorable(s, p, o, g)
        if problem:
            raise UsageError(f"{path}: {problem}; nothing was loaded")
        quads.append((s, p, o, g))
    if loose:
        raise UsageError(f"{path}: {loose} triples are outside any named graph; say where they go with --graph IRI")
    return quads


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _unstorable(s: object, p: object, o: object, g: object) -> str:
    """Why a quad cannot go into a store (rdflib's parsers let these through), or ''."""
    from rdflib import BNode, Literal, URIRef

    if not isinstance(g, URIRef):
        return f"a graph named by a blank node ({g}) cannot be stored: graphs are named by IRIs"
    for term in (s, p, o, g):
        if isinstance(term, URIRef) and not _IRI.fullmatch(str(term)):
            return f"<{_clip(str(term))}> is not a valid IRI"
        if isinstance(term, (URIRef, Literal, BNode)) and any("\ud800" <= c <= "\udfff" for c in str(term)):
            return f"{_clip(repr(str(term)))} holds a lone surrogate, which is not text"
        if isinstance(term, Literal) and term.datatype is not None and not _IRI.fullmatch(str(term.datatype)):
            return f"the datatype <{_clip(str(term.datatype))}> is not a valid IRI"
    return ""


def _clip(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class Loaded:
    triples: int
    graphs: int
    location: str  # where they went
    resolved: ResolveReport | None = None  # None: the knowledge graph was resolved from these articles already


def load_file(location: str | None, path: str, graph: str | None = None) -> Loaded:
    """Load an RDF file into the store; each graph in it replaces the store's graph of that name."""
    from kg.store import open_store

    quads = read_quads(path, graph)
    graphs = len({str(q[3]) for q in quads})
    from kg.resolve import resolve_if_needed

    with open_store(location) as store:
        count = store.load_quads(quads)
        # A dump holds the people, posts and events resolved from its own articles: loaded whole into
        # an empty store it is resolved already (its stamp says so); articles loaded beside others
        # are resolved with them now, as a build would.
        return Loaded(count, graphs, store.location, resolve_if_needed(store))
