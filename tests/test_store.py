"""The embedded store: atomic graph replacement, the knowledge graph as the default graph, prefixes,
errors, read-only snapshots and the bulk load path, on a real Oxigraph folder."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import QuerySyntaxError, StoreError, StoreLockedError, UpdateRefused
from kg.ontology import KG, KGID, KNOWLEDGE_GRAPH
from kg.store import ArticleGraph, OxigraphStore, has_dataset_clause, is_destructive, is_update, open_store

G1 = str(KGID["article/one"])
G2 = str(KGID["article/two"])
LEON = KGID["person/leon-panetta"]
NZ = KGID["country/NZL"]


def official(iri: URIRef, name: str) -> list[tuple]:
    return [(iri, RDF.type, KG.Official), (iri, RDFS.label, Literal(name))]


def write(store: OxigraphStore, graph: str, facts: list[tuple]) -> None:
    """An article stating `facts`: in its own graph and in the knowledge graph."""
    store.write_articles([ArticleGraph(graph, facts)])


def labels(store: OxigraphStore) -> list[str]:
    rows = store.query("SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l").rows
    return [str(r[0]) for r in rows]


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


def test_replace_graph_swaps_the_whole_graph(store):
    write(store, G1, official(LEON, "Leon Panetta") + [(LEON, KG.represents, NZ)])
    write(store, G1, official(LEON, "Leon E. Panetta"))
    assert labels(store) == ["Leon E. Panetta"]
    assert not store.query("ASK { ?s kg:represents ?o }").boolean
    # The other graph is untouched by a replacement.
    write(store, G2, official(KGID["person/x"], "X"))
    store.replace_graph(G1, [])
    assert labels(store) == ["X"]


def test_a_reader_sees_the_graph_as_it_was_when_it_opened(tmp_path):
    path = tmp_path / "store"
    writer = OxigraphStore(path)
    write(writer, G1, official(LEON, "Old name") + [(LEON, KG.represents, NZ)])
    writer.close()
    writer = OxigraphStore(path)
    writer._db.flush()
    reader = OxigraphStore(path, read_only=True)
    write(writer, G1, official(LEON, "New name"))
    writer.close()
    # The snapshot holds the old graph whole: old label and its edge, none of the new triples.
    assert labels(reader) == ["Old name"]
    assert reader.query("ASK { ?s kg:represents ?o }").boolean
    reader.close()
    after = OxigraphStore(path, read_only=True)
    assert labels(after) == ["New name"]
    assert not after.query("ASK { ?s kg:represents ?o }").boolean
    after.close()


def test_the_default_graph_is_the_knowledge_graph_each_fact_once(store):
    write(store, G1, official(LEON, "Leon Panetta") + [(LEON, KG.represents, NZ)])
    write(store, G2, [(LEON, KG.represents, NZ), (NZ, RDFS.label, Literal("New Zealand"))])
    rows = store.query("SELECT ?name ?country WHERE { ?o a kg:Official ; rdfs:label ?name ; "
                       "kg:represents/rdfs:label ?country }").rows
    assert [(str(a), str(b)) for a, b in rows] == [("Leon Panetta", "New Zealand")]
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == [(Literal(4),)]
    graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").rows
    assert [str(g) for (g,) in graphs] == sorted([G1, G2])
    # dumps name the knowledge graph as a server holds it
    assert {str(g) for *_, g in store.quads()} == {G1, G2, KNOWLEDGE_GRAPH}
    # an update without GRAPH writes to the graph queries read
    store.update(f"INSERT DATA {{ <{KGID['person/x']}> rdfs:label 'X' }}")
    assert labels(store) == ["Leon Panetta", "New Zealand", "X"]


@pytest.mark.parametrize(("query", "named"), [
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
    ("select * from named <urn:g> where { graph ?g { ?s ?p ?o } }", True),
    ("SELECT ?from WHERE { ?from ?p ?o }", False),
    ("SELECT * WHERE { ?s ex:from ?o ; rdfs:label 'taken FROM <urn:g>' } # FROM <urn:g>", False),
    ("SELECT * WHERE { ?s <urn:from> ?o }", False),
    ('SELECT * WHERE { ?s ?p """a "from" b\nFROM <x>""" }', False),
])
def test_a_dataset_clause_is_found_outside_strings_iris_and_comments(query, named):
    assert has_dataset_clause(query) is named


def test_terms_round_trip_with_their_types(store):
    node = BNode("b1")
    triples = [
        (LEON, RDFS.label, Literal("Léon", lang="fr")),
        (LEON, KG.date, Literal("2026-02-02", datatype=XSD.date)),
        (LEON, KG.confidence, Literal("0.8", datatype=XSD.decimal)),
        (LEON, KG.quote, Literal('He said "yes"\nand left.')),
        (LEON, KG.holdsPost, node),
    ]
    store.replace_graph(G1, triples)
    got = {(s, p, o) for s, p, o, _ in store.quads()}
    assert (LEON, RDFS.label, Literal("Léon", lang="fr")) in got
    assert (LEON, KG.date, Literal("2026-02-02", datatype=XSD.date)) in got
    assert (LEON, KG.quote, Literal('He said "yes"\nand left.')) in got
    assert any(p == KG.holdsPost and isinstance(o, BNode) for _, p, o in got)
    # Replacing a graph that exists goes through the update path: the same terms must survive it.
    store.replace_graph(G1, triples[:4])
    got = {(s, p, o) for s, p, o, _ in store.quads()}
    assert got == set(triples[:4])


def test_project_prefixes_are_declared_and_others_are_not(store):
    write(store, G1, official(LEON, "Leon Panetta"))
    assert store.query("ASK { ?s a kg:Official ; rdfs:label ?l }").boolean
    with pytest.raises(QuerySyntaxError) as e:
        store.query("SELECT ?s WHERE {\n  ?s foaf:name ?n\n}")
    assert e.value.line == 2
    assert "undeclared prefix 'foaf:'" in str(e.value)
    assert e.value.caret().splitlines()[1].index("^") == e.value.column - 1


def test_syntax_errors_name_line_and_column(store):
    with pytest.raises(QuerySyntaxError) as e:
        store.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert e.value.line is not None and e.value.line >= 2
    assert e.value.exit_code == 2
    assert str(e.value).startswith("query syntax error at line")


def test_updates_are_refused_by_query_and_run_by_update(store):
    text = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    assert is_update(text) and not is_destructive(text)
    assert is_update("PREFIX x: <urn:x>\n# comment\nDELETE WHERE { ?s ?p ?o }")
    assert is_destructive("DROP GRAPH <urn:g>")
    assert not is_destructive('INSERT DATA { <urn:a> <urn:b> "drop it" }')
    with pytest.raises(UpdateRefused):
        store.query(text)
    store.update(text)
    assert store.query("ASK { GRAPH ?g { <urn:a> <urn:b> <urn:c> } }").boolean


def test_read_only_store_refuses_writes_and_missing_stores(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        OxigraphStore(tmp_path / "nothing", read_only=True)
    w = OxigraphStore(tmp_path / "s")
    write(w, G1, official(LEON, "Leon Panetta"))
    w.close()
    r = open_store(str(tmp_path / "s"), read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        r.replace_graph(G1, [])
    with pytest.raises(StoreError, match="read-only"):
        r.update("CLEAR ALL")
    assert labels(r) == ["Leon Panetta"]
    r.close()


def test_a_second_writer_is_told_who_holds_the_lock(tmp_path):
    first = OxigraphStore(tmp_path / "s")
    try:
        with pytest.raises(StoreLockedError, match="locked by process"):
            OxigraphStore(tmp_path / "s")
    finally:
        first.close()


def test_load_quads_adds_new_graphs_and_replaces_held_ones(store):
    store.replace_graph(G1, official(LEON, "Old name") + [(LEON, KG.represents, NZ)])
    g3 = URIRef(str(KGID["article/three"]))
    quads = [
        (LEON, RDFS.label, Literal("New name"), URIRef(G1)),
        (NZ, RDFS.label, Literal("New Zealand"), URIRef(G2)),
        (NZ, KG.isoCode, Literal("NZL"), g3),
        (NZ, RDF.type, KG.Country, URIRef(G2)),  # a graph's quads need not be contiguous
    ]
    assert store.load_quads(quads) == 4
    by_graph: dict[str, set] = {}
    for s, p, o, g in store.quads():
        by_graph.setdefault(str(g), set()).add((s, p, o))
    assert by_graph[G1] == {(LEON, RDFS.label, Literal("New name"))}
    assert by_graph[G2] == {(NZ, RDFS.label, Literal("New Zealand")), (NZ, RDF.type, KG.Country)}
    assert by_graph[str(g3)] == {(NZ, KG.isoCode, Literal("NZL"))}


@pytest.mark.parametrize(("query", "line", "column", "message"), [
    ("SELEKT ?x WHERE { ?x ?p ?y }", 1, 1, "'SELEKT' is not a SPARQL keyword (did you mean SELECT?)"),
    ("SELECT ?x WHERE {\n  ?x ?p ?y .\n  FILTR(?y > 1) }", 3, 3, "'FILTR' is not a SPARQL keyword (did you mean FILTER?)"),
    ("SELECT ?x WHERE { ?x ?p 'selekt' } ORDR BY ?x", 1, 36, "'ORDR' is not a SPARQL keyword (did you mean ORDER?)"),
])
def test_a_mistyped_keyword_is_pointed_at(store, query, line, column, message):
    with pytest.raises(QuerySyntaxError) as e:
        store.query(query)
    assert (e.value.line, e.value.column) == (line, column)
    assert str(e.value).endswith(message)
