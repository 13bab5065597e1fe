"""kg export and \\export: DOT built with pydot and parsed back, pictures made by the real Graphviz,
from a real Oxigraph store holding two articles written after the ontology."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pydot
import pytest
from rdflib import Graph

from kg import cli, export, netgraph
from kg.errors import KgError, UsageError
from kg.store import ArticleGraph, OxigraphStore

PREFIXES = """
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix kgid: <https://w3id.org/kg-news/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
A1 = "https://w3id.org/kg-news/id/article/a1"
A2 = "https://w3id.org/kg-news/id/article/a2"

ARTICLE_1 = PREFIXES + """
@prefix a1: <https://w3id.org/kg-news/id/article/a1#> .
<https://w3id.org/kg-news/id/article/a1> a kg:Article ; kg:sourcePath "seeds/panetta.txt" ;
    kg:contentHash "h1" ; dct:title "Panetta in New Zealand" .
kgid:usa a kg:Country ; rdfs:label "United States" ; skos:altLabel "US" ; kg:isoCode "USA" ;
    kg:mentionedIn <https://w3id.org/kg-news/id/article/a1> .
kgid:nzl a kg:Country ; rdfs:label "New Zealand" ; kg:isoCode "NZL" ;
    kg:mentionedIn <https://w3id.org/kg-news/id/article/a1> .
kgid:leon-panetta a kg:Official ; rdfs:label "Leon Panetta" ; kg:represents kgid:usa ;
    kg:holdsPost a1:post1 ; kg:mentionedIn <https://w3id.org/kg-news/id/article/a1> .
a1:post1 a kg:Post ; rdfs:label "defence secretary of the United States" ; kg:title "defence secretary" ;
    kg:postCountry kgid:usa ; kg:organization kgid:pentagon .
kgid:pentagon a kg:Organization ; rdfs:label "Pentagon" ; kg:inCountry kgid:usa .
kgid:jonathan-coleman a kg:Official ; rdfs:label "Jonathan Coleman" ; kg:represents kgid:nzl ;
    kg:holdsPost a1:post2 ; kg:mentionedIn <https://w3id.org/kg-news/id/article/a1> .
a1:post2 a kg:Post ; rdfs:label "defence minister of New Zealand" ; kg:title "defence minister" ;
    kg:postCountry kgid:nzl .
a1:conference a kg:Dialogue ; rdfs:label "joint news conference" ; kg:dialogueType "news conference" ;
    kg:participant kgid:leon-panetta, kgid:jonathan-coleman ; kg:place kgid:auckland ;
    kg:date "2012-09-21"^^xsd:date ; kg:status "held" .
kgid:auckland a kg:Place ; rdfs:label "Auckland" ; kg:inCountry kgid:nzl .
kgid:anzus a kg:Treaty ; rdfs:label "ANZUS Treaty" ; kg:party kgid:usa, kgid:nzl ; kg:hasEvent a1:ev1 .
a1:ev1 a kg:TreatyEvent ; rdfs:label "ANZUS suspended" ; kg:eventType "suspended" ; kg:actor kgid:usa ;
    kg:date "1986"^^xsd:gYear .
a1:nuclear-free a kg:Policy ; rdfs:label "nuclear-free policy" ; kg:adoptedBy kgid:nzl ;
    kg:action "banned" ; kg:date "1985"^^xsd:gYear .
kgid:japan a kg:Country ; rdfs:label "Japan" ; kg:isoCode "JPN" .
kgid:tokyo a kg:Place ; rdfs:label "Tokyo" ; kg:inCountry kgid:japan .
a1:e1 a kg:Evidence ; rdf:subject a1:conference ; rdf:predicate kg:participant ;
    rdf:object kgid:leon-panetta ; kg:quote "He was speaking in Auckland at a joint news conference" ;
    kg:startOffset 10 ; kg:endOffset 60 ; kg:confidence 0.9 ;
    prov:wasDerivedFrom <https://w3id.org/kg-news/id/article/a1> .
"""

ARTICLE_2 = PREFIXES + r"""
@prefix a2: <https://w3id.org/kg-news/id/article/a2#> .
<https://w3id.org/kg-news/id/article/a2> a kg:Article ; kg:sourcePath "seeds/dialogue.txt" ;
    kg:contentHash "h2" ; dct:title "US-New Zealand Strategic Dialogue" .
kgid:usa a kg:Country ; rdfs:label "United States" ; kg:mentionedIn <https://w3id.org/kg-news/id/article/a2> .
kgid:nzl a kg:Country ; rdfs:label "New Zealand" ; kg:mentionedIn <https://w3id.org/kg-news/id/article/a2> .
kgid:christopher-landau a kg:Official ; rdfs:label "Christopher Landau" ; kg:represents kgid:usa ;
    kg:holdsPost a2:post1 .
a2:post1 a kg:Post ; kg:title "deputy secretary of state" ; kg:postCountry kgid:usa .
kgid:bede-corry a kg:Official ; rdfs:label "Bede Corry" ; kg:represents kgid:nzl ; kg:holdsPost a2:post2 .
a2:post2 a kg:Post ; kg:title "secretary of foreign affairs and trade" ; kg:postCountry kgid:nzl .
a2:dialogue a kg:Dialogue ; rdfs:label "Strategic Dialogue" ;
    kg:participant kgid:christopher-landau, kgid:bede-corry ; kg:participantCountry kgid:usa, kgid:nzl ;
    kg:place kgid:washington ; kg:date "2026-02-02"^^xsd:date .
kgid:washington a kg:Place ; rdfs:label "Washington" ; kg:inCountry kgid:usa .
a2:minerals a kg:Treaty ; rdfs:label "Critical Minerals Framework" ; kg:party kgid:usa, kgid:nzl ;
    kg:hasEvent a2:ev1 .
a2:ev1 a kg:TreatyEvent ; kg:eventType "proposed" ; kg:date "2026"^^xsd:gYear .
a2:odd a kg:Policy ; rdfs:label "<http://example.org/not-a-link>" ; kg:adoptedBy kgid:usa .
a2:quoted a kg:Policy ; rdfs:label "the \"policy change\" \\n; x" ; kg:adoptedBy kgid:nzl .
"""

ODD_LABEL = "<http://example.org/not-a-link>"
QUOTED_LABEL = 'the "policy change" \\n; x'  # a backslash and an n, not a line break

WHO_MET_WHOM = """
CONSTRUCT { ?a kg:metWith ?b } WHERE {
  ?d a kg:Dialogue ; kg:participant ?a, ?b . FILTER(STR(?a) < STR(?b))
}"""


@pytest.fixture
def store(tmp_path: Path):
    st = OxigraphStore(tmp_path / "store")
    for iri, text in ((A1, ARTICLE_1), (A2, ARTICLE_2)):
        g = Graph()
        g.parse(data=text, format="turtle")
        triples = list(g)
        st.write_articles([ArticleGraph(iri, triples)])
    yield st
    st.close()


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path, monkeypatch):
    netgraph.clear_cache()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def needs_graphviz() -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Graphviz 'dot' is not installed")
        pytest.skip("Graphviz 'dot' is not installed")


def draw(store, argv: list[str], last_query=None, last_result=None) -> str:
    return cli.shell_export(store, argv, last_query, last_result)


def unquote(value: str | None) -> str:
    assert value is not None
    assert value.startswith('"') and value.endswith('"'), value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value[1:-1])


def parse_dot(path: Path) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(path.read_text(encoding="utf-8"))
    assert graphs and len(graphs) == 1
    return graphs[0]


def all_nodes(dot: pydot.Dot) -> list[pydot.Node]:
    found = [n for n in dot.get_nodes() if n.get_name() not in ("node", "edge", "graph")]
    for sub in dot.get_subgraphs():
        found += [n for n in sub.get_nodes() if n.get_name() not in ("node", "edge", "graph")]
    return found


def entity_nodes(dot: pydot.Dot) -> dict[str, pydot.Node]:
    """Drawn entities by the first line of their label (the legend and literal nodes left out)."""
    out = {}
    for n in all_nodes(dot):
        if re.fullmatch(r"n\d+", n.get_name()):
            out[unquote(n.get("label")).split("\n")[0]] = n
    return out


def edges_by_label(dot: pydot.Dot) -> set[tuple[str, str, str]]:
    names = {
        n.get_name(): unquote(n.get("label")).split("\n")[0]
        for n in all_nodes(dot) if re.fullmatch(r"[nl]\d+", n.get_name())
    }
    return {
        (names[e.get_source()], unquote(e.get("label")), names[e.get_destination()]) for e in dot.get_edges()
    }


# --- DOT ------------------------------------------------------------------------------------------


def test_whole_graph_dot_parses_back_with_labels_and_classes(store, tmp_path):
    out = tmp_path / "all.dot"
    message = draw(store, [str(out), "--all"])
    assert message.startswith(f"wrote {out}: 18 nodes")
    dot = parse_dot(out)
    nodes = entity_nodes(dot)
    assert set(nodes) == {
        "United States", "New Zealand", "Japan", "Leon Panetta", "Jonathan Coleman", "Christopher Landau",
        "Bede Corry", "joint news conference", "Strategic Dialogue", "Auckland", "Washington", "Tokyo",
        "ANZUS Treaty", "Critical Minerals Framework", "nuclear-free policy", "Pentagon", ODD_LABEL, QUOTED_LABEL,
    }
    # Node names are synthetic; the IRI is the tooltip and link, never the text.
    assert unquote(nodes["Leon Panetta"].get("URL")) == "https://w3id.org/kg-news/id/leon-panetta"
    assert unquote(nodes["Leon Panetta"].get("tooltip")) == "https://w3id.org/kg-news/id/leon-panetta"
    for n in all_nodes(dot):
        assert re.fullmatch(r"n\d+|legend", n.get_name())
        if n.get_name() != "legend":
            assert "://" not in unquote(n.get("label")) or unquote(n.get("label")) == ODD_LABEL
    # The class is the colour and the shape.
    assert unquote(nodes["Leon Panetta"].get("fillcolor")) == export.STYLES["Official"][2]
    assert nodes["Leon Panetta"].get("shape") == "box"
    assert unquote(nodes["United States"].get("fillcolor")) == export.STYLES["Country"][2]
    assert nodes["joint news conference"].get("shape") == "hexagon"
    assert unquote(nodes["ANZUS Treaty"].get("fillcolor")) == export.STYLES["Treaty"][2]
    assert unquote(nodes["nuclear-free policy"].get("fillcolor")) == export.STYLES["Policy"][2]
    assert unquote(nodes["Auckland"].get("fillcolor")) == export.STYLES["Place"][2]
    assert unquote(nodes["Pentagon"].get("fillcolor")) == export.STYLES["Organization"][2]
    # The legend names the classes drawn, and only those.
    legend = next(n for n in all_nodes(dot) if n.get_name() == "legend").get("label")
    for kind in ("Country", "Official", "Dialogue", "Treaty", "Policy", "Place", "Organization"):
        assert f">{kind}<" in legend
    assert ">Post<" not in legend


def test_edges_are_short_property_names_without_typing_or_provenance(store, tmp_path):
    out = tmp_path / "all.dot"
    draw(store, [str(out), "--all"])
    edges = edges_by_label(parse_dot(out))
    assert ("joint news conference", "participant", "Leon Panetta") in edges
    assert ("Auckland", "in country", "New Zealand") in edges
    assert ("Strategic Dialogue", "participant country", "United States") in edges
    # Posts and treaty events are folded into edge labels.
    assert ("Leon Panetta", "defence secretary", "United States") in edges
    assert ("United States", "suspended 1986", "ANZUS Treaty") in edges
    labels = {label for _, label, _ in edges}
    assert not labels & {"type", "mentioned in", "was derived from", "holds post", "represents"}
    text = out.read_text()
    assert "Evidence" not in text and "speaking in Auckland" not in text
    assert "panetta.txt" not in text  # articles are provenance, not nodes
    # Literals are hidden by default: no ISO codes.
    assert '"USA"' not in text and "NZL" not in text


def test_labels_that_look_like_html_or_hold_quotes_stay_plain_text(store, tmp_path):
    out = tmp_path / "odd.dot"
    draw(store, [str(out), "--all"])
    text = out.read_text()
    assert 'label="<http://example.org/not-a-link>"' in text
    nodes = entity_nodes(parse_dot(out))
    assert ODD_LABEL in nodes and QUOTED_LABEL in nodes


def test_literals_option_draws_values(store, tmp_path):
    out = tmp_path / "lit.dot"
    draw(store, [str(out), "--entity", "Japan", "--literals"])
    dot = parse_dot(out)
    literal_nodes = {unquote(n.get("label")) for n in all_nodes(dot) if re.fullmatch(r"l\d+", n.get_name())}
    assert literal_nodes == {"JPN"}
    assert ("Japan", "iso code", "JPN") in edges_by_label(dot)


def test_no_fold_draws_posts_and_treaty_events_as_nodes(store, tmp_path):
    out = tmp_path / "nofold.dot"
    draw(store, [str(out), "--entity", "ANZUS Treaty", "--depth", "2", "--no-fold"])
    dot = parse_dot(out)
    nodes = entity_nodes(dot)
    assert "ANZUS suspended" in nodes
    assert nodes["ANZUS suspended"].get("shape") == export.STYLES["TreatyEvent"][0]
    edges = edges_by_label(dot)
    assert ("ANZUS Treaty", "has event", "ANZUS suspended") in edges
    assert ("ANZUS suspended", "actor", "United States") in edges


# --- choosing what to draw ------------------------------------------------------------------------


def test_neighbourhood_holds_only_nodes_within_the_depth(store, tmp_path):
    one, two, hubs = tmp_path / "d1.dot", tmp_path / "d2.dot", tmp_path / "hubs.dot"
    draw(store, [str(one), "--entity", "Leon Panetta", "--depth", "1"])
    message = draw(store, [str(two), "--entity", "kgid:leon-panetta", "--depth", "2"])
    draw(store, [str(hubs), "--entity", "kgid:leon-panetta", "--depth", "2", "--through-hubs"])
    assert set(entity_nodes(parse_dot(one))) == {"Leon Panetta", "joint news conference", "United States", "Pentagon"}
    # A country is a leaf: the neighbourhood does not go on through it to everything else it holds.
    assert set(entity_nodes(parse_dot(two))) == {
        "Leon Panetta", "joint news conference", "United States", "Pentagon",  # depth 1
        "Jonathan Coleman", "Auckland",  # depth 2, through the conference
    }
    assert message.endswith("; not drawn through United States (--through-hubs goes on through them)")
    assert set(entity_nodes(parse_dot(hubs))) == {
        "Leon Panetta", "joint news conference", "United States", "Pentagon",  # depth 1
        "Jonathan Coleman", "Auckland", "ANZUS Treaty", "Critical Minerals Framework", "Strategic Dialogue",
        "Washington", "Christopher Landau", ODD_LABEL,  # depth 2
    }
    # Title says what it is.
    assert "Leon Panetta: neighbourhood, depth 2" in two.read_text()


def test_a_neighbourhood_starting_at_a_country_goes_out_from_it(store, tmp_path):
    out = tmp_path / "nz.dot"
    draw(store, [str(out), "--entity", "New Zealand", "--depth", "2"])
    drawn = set(entity_nodes(parse_dot(out)))
    assert {"New Zealand", "Jonathan Coleman", "Auckland", "ANZUS Treaty", "joint news conference"} <= drawn
    assert "Pentagon" not in drawn and ODD_LABEL not in drawn  # reached only through the United States, a hub


def test_construct_result_is_drawn_with_labels_and_classes_from_the_store(store, tmp_path):
    out = tmp_path / "met.dot"
    draw(store, [str(out), "--query", WHO_MET_WHOM])
    dot = parse_dot(out)
    nodes = entity_nodes(dot)
    assert set(nodes) == {"Leon Panetta", "Jonathan Coleman", "Christopher Landau", "Bede Corry"}
    assert all(unquote(n.get("fillcolor")) == export.STYLES["Official"][2] for n in nodes.values())
    assert edges_by_label(dot) == {
        ("Jonathan Coleman", "met with", "Leon Panetta"),
        ("Bede Corry", "met with", "Christopher Landau"),
    }


def test_select_result_draws_its_entities_and_the_edges_among_them(store, tmp_path):
    out = tmp_path / "sel.dot"
    query = "SELECT ?o ?c WHERE { ?o a kg:Official ; kg:represents ?c }"
    draw(store, [str(out), "--query", query])
    dot = parse_dot(out)
    assert set(entity_nodes(dot)) == {
        "Leon Panetta", "Jonathan Coleman", "Christopher Landau", "Bede Corry", "United States", "New Zealand",
    }
    assert ("Bede Corry", "secretary of foreign affairs and trade", "New Zealand") in edges_by_label(dot)


def test_saved_query_with_a_parameter(store, tmp_path, monkeypatch):
    from kg import saved

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = saved.user_dir()
    folder.mkdir(parents=True)
    (folder / "parties.rq").write_text(
        "#+ title: Parties of a treaty\n#+ param: treaty iri -- the treaty\n"
        "SELECT ?t ?c WHERE { ?t kg:party ?c . FILTER(?t = ?_treaty) }\n"
    )
    out = tmp_path / "saved.dot"
    draw(store, [str(out), "--saved", "parties", "--param", "treaty=kgid:anzus"])
    assert set(entity_nodes(parse_dot(out))) == {"ANZUS Treaty", "United States", "New Zealand"}
    with pytest.raises(UsageError, match="needs the parameter"):
        draw(store, [str(tmp_path / "x.dot"), "--saved", "parties"])


def test_shell_default_is_the_last_result(store, tmp_path):
    construct = store.query(WHO_MET_WHOM)
    out = tmp_path / "last.dot"
    message = draw(store, [str(out)], WHO_MET_WHOM, construct)
    assert message == f"wrote {out}: 4 nodes, 2 edges"
    select_q = "SELECT ?p WHERE { ?p a kg:Place }"
    out2 = tmp_path / "last2.dot"
    draw(store, [str(out2)], select_q, None)  # only the text of the last query is known
    assert set(entity_nodes(parse_dot(out2))) == {"Auckland", "Washington", "Tokyo"}
    with pytest.raises(UsageError, match="nothing to draw yet"):
        draw(store, [str(tmp_path / "none.dot")], None, None)
    with pytest.raises(UsageError, match="ASK"):
        draw(store, [str(tmp_path / "ask.dot")], "ASK {}", store.query("ASK { ?s ?p ?o }"))


def test_by_article_clusters(store, tmp_path):
    out = tmp_path / "art.dot"
    draw(store, [str(out), "--all", "--by-article"])
    dot = parse_dot(out)
    captions = {unquote(s.get("label")): s for s in dot.get_subgraphs()}
    assert set(captions) == {"Panetta in New Zealand\npanetta.txt", "US-New Zealand Strategic Dialogue\ndialogue.txt"}
    clusters = {caption.split("\n")[-1]: sub for caption, sub in captions.items()}
    inside = {
        name: {unquote(n.get("label")).split("\n")[0] for n in sub.get_nodes() if n.get("label")}
        for name, sub in clusters.items()
    }
    assert "Leon Panetta" in inside["panetta.txt"] and "Bede Corry" in inside["dialogue.txt"]
    # Entities reported by both articles stay outside, between the boxes.
    outside = {unquote(n.get("label")) for n in dot.get_nodes() if re.fullmatch(r"n\d+", n.get_name())}
    assert {"United States", "New Zealand"} <= outside


def test_graphs_over_the_cap_are_refused(store, tmp_path):
    out = tmp_path / "big.png"
    with pytest.raises(UsageError) as err:
        draw(store, [str(out), "--all", "--max-nodes", "10"])
    assert "18 nodes, more than the limit of 10" in str(err.value)
    assert "--entity" in str(err.value) and "--max-nodes 18" in str(err.value)
    assert not out.exists()
    draw(store, [str(tmp_path / "big.dot"), "--all", "--max-nodes", "18"])


def test_unknown_entity_is_a_usage_error(store, tmp_path):
    with pytest.raises(UsageError, match="no entity labelled 'Nobody Known'"):
        draw(store, [str(tmp_path / "x.dot"), "--entity", "Nobody Known"])
    with pytest.raises(UsageError, match="no entity <https://w3id.org/kg-news/id/nobody> in the graph"):
        draw(store, [str(tmp_path / "x.dot"), "--entity", "kgid:nobody"])
    with pytest.raises(UsageError, match="no entity <https://w3id.org/kg-news/id/article/a1> in the graph"):
        draw(store, [str(tmp_path / "x.dot"), "--entity", A1])


# --- real Graphviz --------------------------------------------------------------------------------


def test_svg_has_the_labels_and_links(store, tmp_path):
    needs_graphviz()
    out = tmp_path / "all.svg"
    draw(store, [str(out), "--all"])
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    texts = set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for label in ("Leon Panetta", "Jonathan Coleman", "United States", "joint news conference",
                  "&lt;http://example.org/not&#45;a&#45;link&gt;", "Legend", "Official", "suspended 1986"):
        assert label in texts, label
    assert 'xlink:href="https://w3id.org/kg-news/id/leon-panetta"' in svg
    assert "https://w3id.org/kg-news/id/leon-panetta" not in texts


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_png_and_pdf(store, tmp_path, suffix, magic):
    needs_graphviz()
    out = tmp_path / f"panetta{suffix}"
    draw(store, [str(out), "--entity", "Leon Panetta", "--depth", "2"])
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize("engine", export.ENGINES)
def test_every_engine_draws(store, tmp_path, engine):
    needs_graphviz()
    out = tmp_path / f"{engine}.svg"
    draw(store, [str(out), "--all", "--engine", engine, "--rankdir", "TB"])
    assert ">Leon Panetta</text>" in out.read_text()


def test_missing_graphviz_is_a_clear_error_and_dot_still_works(store, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "x.png"
    with pytest.raises(KgError, match=r"Graphviz is not installed: no 'dot' program .*\.dot file") as err:
        draw(store, [str(out), "--all"])
    assert "\n" not in str(err.value)
    assert not out.exists()
    draw(store, [str(tmp_path / "x.dot"), "--all"])
    assert (tmp_path / "x.dot").read_text().startswith("digraph kg {")


# --- files ----------------------------------------------------------------------------------------


def test_existing_file_is_kept_without_force(store, tmp_path):
    out = tmp_path / "keep.dot"
    out.write_text("mine")
    with pytest.raises(UsageError, match="exists .*--force"):
        draw(store, [str(out), "--all"])
    assert out.read_text() == "mine"
    draw(store, [str(out), "--all", "--force"])
    assert out.read_text().startswith("digraph kg {")


def test_file_names_are_never_given_to_a_shell(store, tmp_path):
    needs_graphviz()
    folder = tmp_path / "with space"
    folder.mkdir()
    names = ["a b.svg", "it's \"quoted\".svg", ";rm -rf ~.svg", "$(touch pwned).png"]
    for name in names:
        draw(store, [str(folder / name), "--entity", "Japan"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert not (Path.cwd() / "pwned").exists()


def test_unwritable_places_give_one_line_errors(store, tmp_path):
    with pytest.raises(KgError, match="there is no folder") as err:
        draw(store, [str(tmp_path / "missing" / "x.dot"), "--all"])
    assert "\n" not in str(err.value)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(KgError, match="cannot write"):
        draw(store, [str(blocker / "x.dot"), "--all"])
    (tmp_path / "folder.dot").mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        draw(store, [str(tmp_path / "folder.dot"), "--all"])
    with pytest.raises(UsageError, match=r"unknown output type '\.jpg'"):
        draw(store, [str(tmp_path / "x.jpg"), "--all"])


def test_shell_options_errors_and_help(store, tmp_path):
    with pytest.raises(UsageError, match="invalid choice"):
        draw(store, [str(tmp_path / "x.dot"), "--all", "--engine", "twopi"])
    with pytest.raises(UsageError, match="only one of"):
        draw(store, [str(tmp_path / "x.dot"), "--all", "--entity", "Japan"])
    assert "--by-article" in draw(store, ["--help"])


# --- the command line -----------------------------------------------------------------------------


def test_cli_export(store, tmp_path, capsys):
    location = store.location
    store.close()
    out = tmp_path / "cli.dot"
    assert cli.main(["export", "--store", location, "--entity", "Japan", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}: 2 nodes, 1 edge"
    assert cli.main(["export", "--store", location, "--entity", "Japan", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: ") and "--force" in err and err.count("\n") == 1
    assert cli.main(["export", "--store", location, "-o", str(tmp_path / "y.dot")]) == 2
    assert "--all" in capsys.readouterr().err


# --- the seed articles ----------------------------------------------------------------------------


def test_seed_articles_draw_legibly(seeds_store, tmp_path):
    """The graph built from seeds/: whole, around Leon Panetta, and who met whom."""
    needs_graphviz()
    store = OxigraphStore(seeds_store, read_only=True)
    try:
        whole = tmp_path / "seeds.dot"
        draw(store, [str(whole), "--all"])
        nodes = entity_nodes(parse_dot(whole))
        assert {"Leon Panetta", "Jonathan Coleman", "New Zealand", "United States"} <= set(nodes)
        assert len(nodes) <= export.DEFAULT_MAX_NODES
        for text in nodes:
            assert not re.match(r"<?https?://", text), text
        around = tmp_path / "panetta.svg"
        draw(store, [str(around), "--entity", "Leon Panetta", "--depth", "2"])
        svg = around.read_text(encoding="utf-8")
        assert ">Leon Panetta</text>" in svg and ">Legend</text>" in svg
        met = tmp_path / "met.dot"
        draw(store, [str(met), "--query", WHO_MET_WHOM])
        pairs = {frozenset((a, b)) for a, _, b in edges_by_label(parse_dot(met))}
        assert frozenset(("Leon Panetta", "Jonathan Coleman")) in pairs
    finally:
        store.close()


# --- large drawings: hubs, boxes per country, labels on their edges -------------------------------


def news_like_store(path: Path) -> OxigraphStore:
    """Eight articles' facts, through kg's own mapping, shaped as defence news is: two countries
    most officials, meetings, treaties and policies belong to, and two others (about a hundred entities)."""
    from kg.articles import Article
    from kg.dates import PartialDate
    from kg.facts import (
        ArticleFacts,
        Dialogue,
        Evidence,
        Official,
        PlaceRef,
        Policy,
        Post,
        Treaty,
        TreatyEvent,
    )
    from kg.mapping import to_triples
    from kg.resolve import resolve

    evidence = Evidence(0, 10, "A sentence.", 0.8, "test.rule")
    people = {code: [(f"{code.lower()}-official-{i}", f"{name} Official {chr(65 + i)}") for i in range(n)]
              for code, name, n in (("USA", "American", 12), ("NZL", "Kiwi", 12), ("AUS", "Aussie", 3),
                                    ("JPN", "Japanese", 3))}
    cities = [PlaceRef("Washington", "USA", 4140963), PlaceRef("Wellington", "NZL", 2179537),
              PlaceRef("Auckland", "NZL", 2193733), PlaceRef("Canberra", "AUS", 2172517),
              PlaceRef("Tokyo", "JPN", 1850147), PlaceRef("Honolulu", "USA", 5856195)]
    store = OxigraphStore(path)
    graphs = []
    for a in range(8):
        facts = ArticleFacts()
        for code, cast in people.items():
            facts.countries[code] = 2
            for key, name in cast[a % 3::3] if len(cast) > 3 else cast[a % 3:a % 3 + 1]:
                facts.officials[key] = Official(key, name, code, [Post(f"minister {a % 4}", code, evidence)],
                                                [evidence], evidence)
        keys = {code: [k for k in facts.officials if k.startswith(code.lower())] for code in people}
        for d in range(4):
            met = [keys["USA"][d % len(keys["USA"])], keys["NZL"][(d + 1) % len(keys["NZL"])]]
            countries = {"USA", "NZL"}
            if d == 3:
                met.append(keys["AUS" if a % 2 else "JPN"][0])
                countries.add("AUS" if a % 2 else "JPN")
            facts.dialogues.append(Dialogue(f"talks {a}-{d}", "talks", met, countries, [cities[(a + d) % 6]],
                                            PartialDate(2020 + a, d + 1, 1), evidence=[evidence]))
        for code in ("USA", "NZL"):
            facts.policies.append(Policy(f"{code} policy {a}", code, None, "adopted", evidence))
        for t in (a, a + 8):
            parties = {"USA", "NZL"} | ({"AUS"} if t % 3 == 0 else {"JPN"} if t % 3 == 1 else set())
            treaty = Treaty(f"treaty-{t}", f"Partnership {t}", parties, evidence=[evidence])
            treaty.events.append(TreatyEvent("signed", PartialDate(2000 + t), sorted(parties)[t % 2], evidence))
            facts.treaties.append(treaty)
        article = Article(f"news/{a}.txt", "", f"Article {a}", PartialDate(2020 + a, 1, 1), None, f"hash{a}")
        graphs.append(to_triples(article, facts))
    store.write_articles(graphs)
    resolve(store)  # the knowledge graph's people, posts and events, as a build makes them
    return store


def label_gaps(dot_text: str, engine: str) -> list[tuple[float, str]]:
    """For every edge label, how far (points) the box of its text lies from its edge's line, as
    the real Graphviz lays them out (`-Tjson`: the edge's Bézier curves, the label's text lines)."""
    import json
    import math
    import subprocess

    laid = json.loads(subprocess.run([engine, "-Tjson"], input=dot_text.encode(), capture_output=True,
                                     check=True, timeout=300).stdout)
    gaps = []
    for edge in laid.get("edges", []):
        texts = [op for op in edge.get("_ldraw_", []) if op["op"] == "T"]
        if not texts:
            continue
        left = min(op["pt"][0] - {"c": op["width"] / 2, "l": 0, "r": op["width"]}[op["align"]] for op in texts)
        right = max(op["pt"][0] + {"c": op["width"] / 2, "l": op["width"], "r": 0}[op["align"]] for op in texts)
        bottom, top = min(op["pt"][1] for op in texts) - 3, max(op["pt"][1] for op in texts) + 9
        points = [p for op in edge.get("_draw_", []) if op["op"] in ("b", "B") for p in op["points"]]
        line = []
        for i in range(0, len(points) - 3, 3):
            p0, p1, p2, p3 = points[i:i + 4]
            for k in range(41):
                t = k / 40
                line.append(tuple((1 - t) ** 3 * p0[j] + 3 * (1 - t) ** 2 * t * p1[j] + 3 * (1 - t) * t * t * p2[j]
                                  + t ** 3 * p3[j] for j in (0, 1)))
        gap = min(math.hypot(max(left - x, 0, x - right), max(bottom - y, 0, y - top)) for x, y in line)
        gaps.append((gap, edge.get("xlabel") or edge.get("label") or ""))
    return gaps


@pytest.fixture
def news(tmp_path):
    st = news_like_store(tmp_path / "news")
    yield st
    st.close()


@pytest.mark.parametrize(("argv", "engine"), [
    (["--all"], "fdp"),  # large: boxes per country, laid out by fdp
    (["--all", "--by-article"], "fdp"),
    (["--entity", "American Official A", "--depth", "2", "--through-hubs"], "dot"),
    (["--saved", "officials-who-met-counterparts"], "dot"),
])
def test_edge_labels_stay_beside_their_edges(news, tmp_path, argv, engine):
    needs_graphviz()
    out = tmp_path / "drawing.dot"
    draw(news, [str(out), *argv])
    gaps = label_gaps(out.read_text(encoding="utf-8"), engine)
    assert len(gaps) > 20
    far = sorted(gaps, reverse=True)[:3]
    assert far[0][0] <= 16, f"labels far from their edges: {far}"  # points: under two lines of 9-point text


def test_a_large_drawing_is_laid_out_in_boxes_per_country(news, tmp_path):
    needs_graphviz()
    out = tmp_path / "all.dot"
    message = draw(news, [str(out), "--all"])
    nodes = int(re.search(r": (\d+) nodes", message).group(1))
    assert nodes > export.LARGE_DRAWING and message.endswith("in 4 boxes per country")
    assert re.search(r"\blayout=fdp\b", out.read_text(encoding="utf-8"))  # the DOT file says how to lay it out
    dot = parse_dot(out)
    boxes = {unquote(sub.get("label")): {unquote(n.get("label")).split("\n")[0] for n in sub.get_nodes()
                                         if n.get("label")} for sub in dot.get_subgraphs()}
    assert set(boxes) == {"United States", "New Zealand", "Australia", "Japan"}
    assert {"American Official A", "United States", "Washington", "USA policy 0"} <= boxes["United States"]
    assert "Kiwi Official B" in boxes["New Zealand"] and "Japanese Official A" in boxes["Japan"]
    assert not any(name.startswith(("talks", "Partnership")) for box in boxes.values() for name in box)
    # The real layout (fdp, which packs the boxes side by side) puts every official inside its box.
    laid = __import__("json").loads(__import__("subprocess").run(
        ["fdp", "-Tjson"], input=out.read_bytes(), capture_output=True, check=True, timeout=300).stdout)
    objects = laid["objects"]
    box_of = {o["label"]: [float(v) for v in o["bb"].split(",")] for o in objects if "bb" in o and "nodes" in o}
    by_id = {o["_gvid"]: o for o in objects if "pos" in o}
    for o in objects:
        if "bb" not in o or "nodes" not in o:
            continue
        x0, y0, x1, y1 = box_of[o["label"]]
        for gvid in o["nodes"]:
            x, y = (float(v) for v in by_id[gvid]["pos"].split(","))
            assert x0 <= x <= x1 and y0 <= y <= y1, (by_id[gvid]["label"], o["label"])
    bb = [float(v) for v in laid["bb"].split(",")]
    assert bb[3] / bb[2] < 2.5  # not one tall column
    svg = tmp_path / "all.svg"
    draw(news, [str(svg), "--all"])
    assert ">United States</text>" in svg.read_text(encoding="utf-8")


def test_a_neighbourhood_in_news_stays_small_without_hubs(news, tmp_path):
    out, through = tmp_path / "n.dot", tmp_path / "t.dot"
    draw(news, [str(out), "--entity", "American Official A", "--depth", "2"])
    draw(news, [str(through), "--entity", "American Official A", "--depth", "2", "--through-hubs"])
    small, large = set(entity_nodes(parse_dot(out))), set(entity_nodes(parse_dot(through)))
    assert "United States" in small and "American Official B" not in small  # the country is a leaf
    assert len(small) < 15 < len(large)


def test_a_drawing_over_the_limit_names_the_limit_and_how_to_narrow_it(news, tmp_path):
    with pytest.raises(UsageError) as err:
        draw(news, [str(tmp_path / "x.svg"), "--all", "--max-nodes", "60"])
    text = str(err.value)
    assert re.match(r"the drawing would have \d+ nodes, more than the limit of 60: narrow it", text)
    assert "--entity NAME --depth 1" in text and "--saved" in text and "--max-nodes" in text
