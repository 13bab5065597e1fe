"""`kg validate`: the graph against the SHACL shapes in ontology/shapes.ttl, with pyshacl."""

from __future__ import annotations

import argparse
import sys

from rdflib import Graph

from kg.errors import EXIT_FAILURE, EXIT_OK
from kg.ontology import ontology_path, shapes_path
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

    shapes = Graph().parse(shapes_path(), format="turtle")
    ontology = Graph().parse(ontology_path(), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                         allow_warnings=True)
    return bool(conforms), str(text)


def validate_command(args: argparse.Namespace) -> int:
    with open_store(args.store, read_only=True) as store:
        data = store_graph(store)
    conforms, text = validate_graph(data)
    if conforms:
        print(f"conforms: {len(data)} triples checked against {shapes_path().name}")
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_FAILURE
