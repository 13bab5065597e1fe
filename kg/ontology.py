"""Vocabulary of the graph: namespaces, prefixes, and where the ontology files live."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGID = Namespace("https://w3id.org/kg-news/id/")

# The knowledge graph itself, the graph queries see by default: every fact once, however many
# articles state it, and what the entities are (class, label, ISO code, a place's country, a post's
# title). Each article's own named graph keeps what that article said, with its evidence.
KNOWLEDGE_GRAPH = str(KGID["graph"])
# Where entity descriptions lived in stores built before the knowledge graph held them.
LEGACY_ENTITIES_GRAPH = str(KGID["entities"])

# Declared for every query, in the shell and the CLI alike; nothing else is implicitly bound,
# so a query that uses another prefix fails the same way here as on Jena or Oxigraph.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgid": str(KGID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
}
# One prefix per kind of instance, so every name kg prints can be pasted back into a query
# (`person:leon-panetta`; `kgid:person/leon-panetta` is not SPARQL).
INSTANCE_KINDS = ("person", "country", "place", "post", "dialogue", "treaty", "treaty-event", "policy", "article",
                  "evidence")
PREFIXES.update({kind: str(KGID[f"{kind}/"]) for kind in INSTANCE_KINDS})

def data_dir(name: str) -> Traversable:
    """A data folder shipped inside the package: `ontology` or `queries`. In the source tree
    kg/data/ holds links to the top-level folders, which stay the only copy; a wheel holds the files."""
    return files("kg") / "data" / name


def ontology_file() -> Traversable:
    return data_dir("ontology") / "kg.ttl"


def shapes_file() -> Traversable:
    return data_dir("ontology") / "shapes.ttl"


def prefix_block() -> str:
    """PREFIX declarations for the project's prefixes, for servers that do not take them out of band."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """A prefixed name for an IRI in one of the project's namespaces, else the IRI in angle brackets."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"
