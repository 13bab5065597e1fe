"""`kg dump` and `kg load`: move graphs between stores as RDF files, keeping the named graphs.

    kg dump [--store S] [--format trig|nquads|turtle|jsonld] [-o FILE]
    kg load [--store S] [--graph IRI] FILE

Both work on the embedded store and on SPARQL endpoints alike, so `kg dump --store .kg -o kg.trig`
followed by `kg load --store http://host/sparql kg.trig` copies a graph to a server (and back).
Each graph in a loaded file replaces the graph of the same name in the store, as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.store import Quad

# --format name -> (rdflib format, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    "trig": ("trig", True),
    "nquads": ("nquads", True),
    "turtle": ("turtle", False),
    "jsonld": ("json-ld", True),
}

EXTENSIONS: dict[str, str] = {
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}

_PARSERS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}

# rdflib's name for triples outside any named graph.
_RDFLIB_DEFAULT = "urn:x-rdflib:default"


def dump_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output:
        by_ext = EXTENSIONS.get(Path(output).suffix.lower())
        if by_ext in FORMATS:
            return by_ext
        if by_ext == "ntriples":
            raise UsageError(f"{output}: N-Triples cannot hold named graphs; use .nq (N-Quads) or --format turtle")
    return "trig"


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
    return data.serialize(format=rdflib_format, encoding="utf-8"), count


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


def load_file(location: str | None, path: str, graph: str | None = None) -> Loaded:
    """Load an RDF file into the store; each graph in it replaces the store's graph of that name."""
    from kg.store import open_store

    quads = read_quads(path, graph)
    graphs = len({str(q[3]) for q in quads})
    with open_store(location) as store:
        # a dump holds its resolved people, posts and events; articles loaded into a store holding
        # others are resolved together by the next `kg build` (the resolution stamp tells it)
        count = store.load_quads(quads)
        return Loaded(count, graphs, store.location)
