"""kg path / central / groups on a small graph in a real Oxigraph store, with answers worked out by hand.

The graph, as analysed (posts and treaty events folded, direction ignored):

    Alice Ames —trade envoy→ United States ←party, signed 1951— Pacific Pact —party→ New Zealand
    Wellington talks —participant→ Alice Ames, Bruno Berg ; —place→ Wellington —in country→ New Zealand
    Harbour meeting —participant→ Bruno Berg, Chen Cao
    Bruno Berg, Chen Cao —represents→ New Zealand
    Tokyo —in country→ Japan        (a second, separate group)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg import analysis, cli, netgraph
from kg.errors import UsageError
from kg.store import ArticleGraph, OxigraphStore

ARTICLE = "https://w3id.org/kg-news/id/article/t1"
TEXT = """
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix kgid: <https://w3id.org/kg-news/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://w3id.org/kg-news/id/article/t1#> .

<https://w3id.org/kg-news/id/article/t1> a kg:Article ; kg:sourcePath "news/t1.txt" ; kg:contentHash "c1" .
kgid:usa a kg:Country ; rdfs:label "United States" ; skos:altLabel "US" ;
    kg:mentionedIn <https://w3id.org/kg-news/id/article/t1> .
kgid:nzl a kg:Country ; rdfs:label "New Zealand" .
kgid:jpn a kg:Country ; rdfs:label "Japan" .
kgid:alice a kg:Official ; rdfs:label "Alice Ames" ; kg:represents kgid:usa ; kg:holdsPost t:post-a ;
    kg:mentionedIn <https://w3id.org/kg-news/id/article/t1> .
t:post-a a kg:Post ; kg:title "trade envoy" ; kg:postCountry kgid:usa .
kgid:bruno a kg:Official ; rdfs:label "Bruno Berg" ; kg:represents kgid:nzl .
kgid:chen a kg:Official ; rdfs:label "Chen Cao" ; kg:represents kgid:nzl .
t:m1 a kg:Dialogue ; rdfs:label "Wellington talks" ; kg:participant kgid:alice, kgid:bruno ;
    kg:place kgid:wellington .
t:m2 a kg:Dialogue ; rdfs:label "Harbour meeting" ; kg:participant kgid:bruno, kgid:chen .
kgid:wellington a kg:Place ; rdfs:label "Wellington" ; kg:inCountry kgid:nzl .
t:pact a kg:Treaty ; rdfs:label "Pacific Pact" ; kg:party kgid:usa, kgid:nzl ; kg:hasEvent t:signed .
t:signed a kg:TreatyEvent ; kg:eventType "signed" ; kg:actor kgid:usa ; kg:date "1951-09-01"^^xsd:date .
kgid:tokyo a kg:Place ; rdfs:label "Tokyo" ; kg:inCountry kgid:jpn .
"""

# Two different entities with the same label, for the ambiguity check.
TWINS = """
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix kgid: <https://w3id.org/kg-news/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgid:georgetown-gy a kg:Place ; rdfs:label "Georgetown" .
kgid:georgetown-us a kg:Place ; rdfs:label "Georgetown" ; kg:inCountry kgid:usa .
"""


def load(store: OxigraphStore, graph: str, text: str) -> None:
    g = Graph()
    g.parse(data=text, format="turtle")
    triples = list(g)
    store.write_articles([ArticleGraph(graph, triples)])  # stated in its graph and the knowledge graph


@pytest.fixture
def store(tmp_path: Path):
    st = OxigraphStore(tmp_path / "store")
    load(st, ARTICLE, TEXT)
    yield st
    st.close()


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path, monkeypatch):
    netgraph.clear_cache()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --- path -----------------------------------------------------------------------------------------


def test_path_through_a_dialogue_with_its_facts(store):
    text = analysis.path_text(store, "Alice Ames", "Bruno Berg")
    assert text.splitlines() == [
        "Alice Ames —participant of→ Wellington talks —participant→ Bruno Berg",
        "(1 path of 2 steps; the facts:)",
        "  Wellington talks —participant→ Alice Ames   [t1.txt]",
        "  Wellington talks —participant→ Bruno Berg   [t1.txt]",
    ]


def test_path_against_a_folded_post_and_through_a_treaty_event(store):
    lines = analysis.path_text(store, "US", "alice ames").splitlines()
    assert lines[0] == "United States ←trade envoy— Alice Ames"
    assert "  Alice Ames —holds post→ trade envoy   [t1.txt]" in lines
    assert "  trade envoy —post country→ United States   [t1.txt]" in lines
    lines = analysis.path_text(store, "kgid:usa", "Pacific Pact").splitlines()
    assert lines[0] == "United States —signed 1951→ Pacific Pact"
    assert "  Pacific Pact —has event→ signed" in "\n".join(lines)


def test_all_shortest_paths_and_avoiding_a_class(store):
    lines = analysis.path_text(store, "Alice Ames", "Chen Cao", every=True).splitlines()
    assert lines[:5] == [
        "Alice Ames —trade envoy→ United States —signed 1951→ Pacific Pact —party→ New Zealand"
        " —represents of→ Chen Cao",
        "Alice Ames —participant of→ Wellington talks —participant→ Bruno Berg —participant of→ Harbour meeting"
        " —participant→ Chen Cao",
        "Alice Ames —participant of→ Wellington talks —participant→ Bruno Berg —represents→ New Zealand"
        " —represents of→ Chen Cao",
        "Alice Ames —participant of→ Wellington talks —place→ Wellington —in country→ New Zealand"
        " —represents of→ Chen Cao",
        "(4 paths of 4 steps; the facts:)",
    ]
    avoided = analysis.path_text(store, "Alice Ames", "Chen Cao", avoid=["country"], every=True).splitlines()
    assert avoided[:2] == [
        "Alice Ames —participant of→ Wellington talks —participant→ Bruno Berg —participant of→ Harbour meeting"
        " —participant→ Chen Cao",
        "(1 path of 4 steps; the facts:)",
    ]


def test_no_connection_and_same_entity(store):
    with pytest.raises(analysis.NoConnection, match="no connection between Alice Ames and Japan"):
        analysis.path_text(store, "Alice Ames", "Japan")
    with pytest.raises(analysis.NoConnection, match="without passing through Country, Dialogue$"):
        analysis.path_text(store, "Bruno Berg", "Chen Cao", avoid=["Dialogue", "Country"])
    assert "same entity" in analysis.path_text(store, "US", "United States")


# --- central --------------------------------------------------------------------------------------


def labels(store, ranked):
    view = netgraph.entity_graph(store).display
    return [(view.label(n), score) for n, score in ranked]


def test_degree_ranking_counts_connected_entities(store):
    assert labels(store, analysis.ranking(store, "degree", top=3)) == [
        ("New Zealand", 4), ("Bruno Berg", 3), ("Wellington talks", 3),
    ]
    assert labels(store, analysis.ranking(store, "degree", cls="Official")) == [
        ("Bruno Berg", 3), ("Alice Ames", 2), ("Chen Cao", 2),
    ]


def test_betweenness_ranking(store):
    ranked = labels(store, analysis.ranking(store, "betweenness", cls="kg:Official"))
    # Chen Cao is a leaf of two routes to New Zealand: nothing passes through; Bruno Berg links
    # both meetings and New Zealand; Alice Ames links Wellington talks to the United States.
    assert [name for name, _ in ranked] == ["Bruno Berg", "Alice Ames", "Chen Cao"]
    # Chen Cao lies on 1 of 2 shortest routes from Harbour meeting to New Zealand and to the
    # Pacific Pact, and on 1 of 3 to Wellington and to the United States: 5/3 routes of the
    # 10 * 9 / 2 pairs among the other entities, normalised: (5/3) / 45 = 1/27.
    assert ranked[2][1] == pytest.approx(1 / 27)
    assert ranked[0][1] > ranked[1][1] > ranked[2][1]


def test_pagerank_ranking_and_values(store):
    ranked = analysis.ranking(store, "pagerank", top=20)
    assert labels(store, ranked)[0][0] == "New Zealand"
    assert sum(score for _, score in ranked) == pytest.approx(1.0)
    # A star with k leaves has a closed form: centre (1 + a k) / (n (1 + a)).
    import networkx as nx

    star = nx.star_graph(4)
    scores = analysis.pagerank(star)
    assert scores[0] == pytest.approx((1 + 0.85 * 4) / (5 * 1.85), abs=1e-8)
    assert scores[1] == pytest.approx((1 - scores[0]) / 4, abs=1e-8)
    assert analysis.pagerank(nx.empty_graph(4)) == {i: pytest.approx(0.25) for i in range(4)}


def test_central_text_table(store):
    lines = analysis.central_text(store, "degree", "Official", 2).splitlines()
    assert lines == [
        "#  connections  entity      class",
        "1            3  Bruno Berg  Official",
        "2            2  Alice Ames  Official",
    ]
    with pytest.raises(UsageError, match="unknown class 'Minister'"):
        analysis.central_text(store, "degree", "Minister")
    assert analysis.central_text(store, "degree", "Organization") == "no Organization entities in the graph"


# --- groups ---------------------------------------------------------------------------------------


def test_groups(store):
    found = analysis.groups(store)
    view = netgraph.entity_graph(store).display
    assert [[view.label(n) for n in g] for g in found] == [
        ["Alice Ames", "Bruno Berg", "Chen Cao", "New Zealand", "United States", "Harbour meeting",
         "Wellington talks", "Pacific Pact", "Wellington"],
        ["Japan", "Tokyo"],
    ]
    text = analysis.groups_text(store, min_size=3)
    assert text.splitlines()[:3] == [
        "1 group of connected entities (9 entities)",
        "Group 1: 9 entities",
        "  Official: Alice Ames, Bruno Berg, Chen Cao",
    ]


# --- naming entities, caching ---------------------------------------------------------------------


def test_lookup_by_label_alias_prefixed_name_and_iri(store):
    eg = netgraph.entity_graph(store)
    usa = "https://w3id.org/kg-news/id/usa"
    for text in ("United States", "united states", "US", "kgid:usa", f"<{usa}>", usa):
        assert netgraph.lookup(eg, text) == usa, text
    with pytest.raises(UsageError, match=r"no entity labelled 'Alice' \(did you mean: Alice Ames\?\)"):
        netgraph.lookup(eg, "Alice")
    with pytest.raises(UsageError, match="no entity <https://example.org/x>"):
        netgraph.lookup(eg, "https://example.org/x")


def test_ambiguous_label_is_refused(store):
    load(store, "https://w3id.org/kg-news/id/article/t2", TWINS)
    eg = netgraph.entity_graph(store)
    with pytest.raises(UsageError, match="'Georgetown' names 2 entities"):
        netgraph.lookup(eg, "Georgetown")


def test_conversion_is_cached_per_store_state(store):
    first = netgraph.entity_graph(store)
    assert netgraph.entity_graph(store) is first
    analysis.groups_text(store)
    assert netgraph.entity_graph(store) is first
    load(store, "https://w3id.org/kg-news/id/article/t2", TWINS)
    second = netgraph.entity_graph(store)
    assert second is not first
    assert "https://w3id.org/kg-news/id/georgetown-us" in second.nodes
    # The same article rebuilt with other facts (same content hash) is noticed too.
    load(store, ARTICLE, TEXT.replace('rdfs:label "Tokyo"', 'rdfs:label "Tokyo" ; skos:altLabel "Tokio"'))
    third = netgraph.entity_graph(store)
    assert third is not second
    assert netgraph.lookup(third, "Tokio") == "https://w3id.org/kg-news/id/tokyo"


def test_command_line_keeps_the_conversion_on_disk(store, tmp_path):
    first = netgraph.entity_graph(store, disk=True)
    files = list((tmp_path / "cache" / "kg" / "graphs").glob("*.pickle"))
    assert len(files) == 1
    netgraph.clear_cache()
    again = netgraph.entity_graph(store, disk=True)
    assert again is not first
    assert again.nodes.keys() == first.nodes.keys() and again.facts == first.facts
    assert sorted(again.display.graph.edges(keys=True)) == sorted(first.display.graph.edges(keys=True))
    # A changed store is converted again, not read from the old file.
    load(store, "https://w3id.org/kg-news/id/article/t2", TWINS)
    netgraph.clear_cache()
    assert "https://w3id.org/kg-news/id/georgetown-us" in netgraph.entity_graph(store, disk=True).nodes
    # A damaged cache file only costs a conversion.
    files[0].write_bytes(b"not a pickle")
    netgraph.clear_cache()
    assert "https://w3id.org/kg-news/id/georgetown-us" in netgraph.entity_graph(store, disk=True).nodes


def test_evidence_and_schema_nodes_are_not_entities(store):
    load(store, "https://w3id.org/kg-news/id/article/t3", """
        @prefix kg: <https://w3id.org/kg-news/ontology#> .
        @prefix kgid: <https://w3id.org/kg-news/id/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        kgid:ev a kg:Evidence ; rdf:subject kgid:alice ; rdf:predicate kg:represents ; rdf:object kgid:usa ;
            kg:quote "Alice Ames of the US" ; prov:wasDerivedFrom <https://w3id.org/kg-news/id/article/t3> .
        kg:Official a owl:Class ; kg:note kgid:usa .
    """)
    eg = netgraph.entity_graph(store)
    assert "https://w3id.org/kg-news/id/ev" not in eg.nodes
    assert "https://w3id.org/kg-news/ontology#Official" not in eg.nodes
    assert analysis.ranking(store, "degree", top=1)[0] == ("https://w3id.org/kg-news/id/nzl", 4)


# --- shell and command line -----------------------------------------------------------------------


def test_shell_commands(store):
    assert cli.shell_path(store, ["Alice Ames", "Japan"]) == "no connection between Alice Ames and Japan"
    assert cli.shell_path(store, ["Alice Ames", "Bruno Berg"]).startswith("Alice Ames —participant of→")
    assert cli.shell_central(store, ["--class", "Official", "--top", "1"]).splitlines()[1].split() == [
        "1", "3", "Bruno", "Berg", "Official",
    ]
    assert cli.shell_groups(store, ["--min-size", "5"]).startswith("1 group")
    assert "--min-size" in cli.shell_groups(store, ["-h"])
    with pytest.raises(UsageError, match="--top must be 1 or more"):
        cli.shell_central(store, ["--top", "0"])
    with pytest.raises(UsageError, match="invalid choice: 'closeness'"):
        cli.shell_central(store, ["--measure", "closeness"])
    with pytest.raises(UsageError, match="required: B"):
        cli.shell_path(store, ["Alice Ames"])


def test_cli_exit_statuses(store, capsys):
    location = store.location
    store.close()
    assert cli.main(["path", "--store", location, "Alice Ames", "Bruno Berg"]) == 0
    assert "Wellington talks" in capsys.readouterr().out
    assert cli.main(["path", "--store", location, "Alice Ames", "Japan"]) == 1
    assert capsys.readouterr().out.strip() == "no connection between Alice Ames and Japan"
    assert cli.main(["path", "--store", location, "Nobody", "Japan"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: ") and err.count("\n") == 1
    assert cli.main(["central", "--store", location, "--measure", "pagerank", "--top", "1"]) == 0
    assert "New Zealand" in capsys.readouterr().out
    assert cli.main(["groups", "--store", location]) == 0
    assert capsys.readouterr().out.startswith("2 groups of connected entities (11 entities)")


# --- a SPARQL endpoint ----------------------------------------------------------------------------


@pytest.mark.virtuoso
def test_same_answers_from_a_sparql_endpoint(tmp_path, monkeypatch):
    import _virtuoso

    from kg.endpoint import EndpointStore

    server = _virtuoso.shared()
    for name in ("KG_USER", "KG_PASSWORD", "KG_UPDATE_URL", "KG_GSP_URL", "KG_HTTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    endpoint = EndpointStore(server.sparql)
    for graph in endpoint.graphs():
        endpoint.drop_graph(graph)
    try:
        load(endpoint, ARTICLE, TEXT)
        assert analysis.path_text(endpoint, "Alice Ames", "Bruno Berg").splitlines()[0] == (
            "Alice Ames —participant of→ Wellington talks —participant→ Bruno Berg"
        )
        assert analysis.path_text(endpoint, "kgid:usa", "Pacific Pact").splitlines()[0] == (
            "United States —signed 1951→ Pacific Pact"
        )
        assert labels(endpoint, analysis.ranking(endpoint, "degree", top=3)) == [
            ("New Zealand", 4), ("Bruno Berg", 3), ("Wellington talks", 3),
        ]
        assert analysis.groups_text(endpoint).startswith("2 groups of connected entities (11 entities)")
        out = tmp_path / "endpoint.dot"
        cli.shell_export(endpoint, [str(out), "--entity", "Alice Ames"], None, None)
        text = out.read_text()
        for label in ("Alice Ames", "Wellington talks", "United States", "trade envoy"):
            assert f'"{label}"' in text
        # A change on the server is seen by the next command.
        first = netgraph.entity_graph(endpoint)
        load(endpoint, "https://w3id.org/kg-news/id/article/t2", TWINS)
        assert netgraph.entity_graph(endpoint) is not first
    finally:
        for graph in endpoint.graphs():
            endpoint.drop_graph(graph)
