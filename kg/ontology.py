"""Vocabulary of the graph: namespaces, prefixes, and where the ontology files live."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

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

_HERE = Path(__file__).resolve().parent


def project_dir(name: str) -> Path:
    """A top-level data folder (`ontology`, `queries`): beside the package in a checkout or
    editable install, or shipped inside the package in a wheel."""
    for candidate in (_HERE.parent / name, _HERE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg: cannot find the {name}/ folder next to the package")


def ontology_path() -> Path:
    return project_dir("ontology") / "kg.ttl"


def shapes_path() -> Path:
    return project_dir("ontology") / "shapes.ttl"


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
