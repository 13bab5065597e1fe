"""`kg validate`: the graph against the SHACL shapes in ontology/shapes.ttl, with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.ontology import ontology_file, shapes_file
from kg.store import Store, open_store


def store_graph(store: Store) -> Graph:
    """The union of all article graphs as one rdflib graph (validation sees what queries see)."""
    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    return g


def validate_graph(data: Graph) -> tuple[bool, str]:
    """(conforms, report text) for a graph, with the ontology's class hierarchy applied."""
    import pyshacl

    shapes = Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")
    ontology = Graph().parse(data=ontology_file().read_text(encoding="utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                         allow_warnings=True)
    return bool(conforms), str(text)


@dataclass
class ValidationReport:
    conforms: bool
    triples: int  # how many triples were checked
    text: str  # pyshacl's report
    shapes: str  # the name of the shapes file


def validate_store(location: str | None) -> ValidationReport:
    """The whole store at `location` checked against the shapes."""
    with open_store(location, read_only=True) as store:
        data = store_graph(store)
    conforms, text = validate_graph(data)
    return ValidationReport(conforms, len(data), text, shapes_file().name)
