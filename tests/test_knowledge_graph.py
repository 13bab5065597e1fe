"""The knowledge graph, the default graph of queries: every fact once however many articles state
it (on the embedded store and on a real Virtuoso alike), a fact leaves it only with the last
article stating it, entities are pruned when no article mentions them, FROM and FROM NAMED mean
what SPARQL says, and batches of articles are written whole."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import _virtuoso
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.articles import parse_article
from kg.build import BuildReport, _Batch, build_paths
from kg.facts import ArticleFacts
from kg.mapping import article_iri
from kg.ontology import KG, KGID, KNOWLEDGE_GRAPH
from kg.store import ArticleGraph, OxigraphStore, Store, open_store

pytestmark = pytest.mark.slow

NZL = KGID["country/NZL"]
PETERS = KGID["person/winston-peters"]

TALKS = """{title}

WELLINGTON, 3 March 2024 - New Zealand Foreign Minister {nz} met Japanese Foreign Minister {jp} in
Wellington on Monday. {nz_last} said the two countries would deepen defence co-operation.
"""


def _content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, title: str, nz: str, jp: str) -> None:
    path.write_text(TALKS.format(title=title, nz=nz, jp=jp, nz_last=nz.split()[-1]), encoding="utf-8")


def quads_of(store_path: Path, subject: URIRef) -> list[tuple[str, object, object]]:
    with OxigraphStore(store_path, read_only=True) as store:
        return [(str(g), p, o) for s, p, o, g in store.quads() if s == subject]


def count(store: Store, query: str) -> int:
    return int(store.query(query).rows[0][0])  # type: ignore[arg-type]


@pytest.fixture
def two_articles(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of two articles that both name New Zealand, built into a store."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.txt", "Talks in Wellington", "Winston Peters", "Takeshi Iwaya")
    write(corpus / "b.txt", "More talks", "Judith Collins", "Gen Nakatani")
    store = tmp_path / "store"
    report = build_paths(str(store), [str(corpus)])
    assert report.built == 2 and not report.failed
    return corpus, store


@pytest.fixture(params=["embedded", pytest.param("virtuoso", marks=pytest.mark.virtuoso)])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: an embedded folder, or a real Virtuoso server."""
    if request.param == "embedded":
        yield str(tmp_path / "store")
        return
    server = _virtuoso.shared()
    with open_store(server.sparql) as endpoint:
        for graph in endpoint.graphs():  # type: ignore[attr-defined]
            endpoint.drop_graph(graph)
    yield server.sparql


def test_entity_described_once_and_mentioned_by_each_article(two_articles: tuple[Path, Path]) -> None:
    corpus, store = two_articles

    nz = quads_of(store, NZL)
    labels = [(g, o) for g, p, o in nz if p == RDFS.label]
    assert labels == [(KNOWLEDGE_GRAPH, Literal("New Zealand"))]
    assert [(g, o) for g, p, o in nz if p == RDF.type] == [(KNOWLEDGE_GRAPH, KG.Country)]
    mentions = sorted((g, o) for g, p, o in nz if p == KG.mentionedIn)
    articles = sorted(str(article_iri(_content_hash(corpus / name))) for name in ("a.txt", "b.txt"))
    # each article's graph says it names New Zealand; the knowledge graph says so once per article
    assert mentions == sorted([(a, URIRef(a)) for a in articles] + [(KNOWLEDGE_GRAPH, URIRef(a)) for a in articles])


def test_a_changed_article_takes_away_the_entities_only_it_named(two_articles: tuple[Path, Path]) -> None:
    corpus, store = two_articles
    iwaya, collins = (KGID[f"person/{k}"] for k in ("takeshi-iwaya", "judith-collins"))
    assert quads_of(store, PETERS) and quads_of(store, iwaya)

    write(corpus / "a.txt", "Talks in Wellington", "Winston Peters", "Yoko Kamikawa")
    report = build_paths(str(store), [str(corpus)])
    assert (report.built, report.unchanged) == (1, 1)

    assert quads_of(store, iwaya) == []  # no article names him any more: description pruned
    assert (KNOWLEDGE_GRAPH, RDFS.label, Literal("Yoko Kamikawa")) in quads_of(store, KGID["person/yoko-kamikawa"])
    assert (KNOWLEDGE_GRAPH, RDFS.label, Literal("Winston Peters")) in quads_of(store, PETERS)
    assert (KNOWLEDGE_GRAPH, RDFS.label, Literal("Judith Collins")) in quads_of(store, collins)
    assert any(p == RDFS.label for _, p, _ in quads_of(store, NZL))


def test_the_default_graph_holds_each_fact_once(location: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):  # three articles stating the same facts
        write(corpus / name, f"Talks {name}", "Winston Peters", "Takeshi Iwaya")
    assert build_paths(location, [str(corpus)]).built == 3
    with open_store(location) as store:
        every = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        distinct = count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        assert every == distinct > 20
        # the facts themselves: in three article graphs, once in the default graph
        fact = f"<{PETERS}> kg:represents <{NZL}>"
        articles = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {fact} }} FILTER(?g != <{KNOWLEDGE_GRAPH}>) }}"
        assert count(store, articles) == 3
        assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {fact} }}") == 1
        rows = store.query("SELECT ?name ?title WHERE { ?o kg:represents/kg:isoCode 'NZL' ; rdfs:label ?name ; "
                           "kg:holdsPost/kg:title ?title }").rows
        assert rows == [(Literal("Winston Peters"), Literal("Foreign Minister"))]
        # provenance stays in the article graphs: each sentence behind the fact, once per article
        quotes = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?ev rdf:subject <{PETERS}> ; "
                             "rdf:predicate kg:represents ; kg:quote ?q } }").rows
        assert len(quotes) == 3 and len(set(quotes)) == 3


def test_a_fact_stated_by_two_articles_leaves_with_the_last_of_them(location: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.txt", "Talks", "Winston Peters", "Takeshi Iwaya")
    write(corpus / "b.txt", "Talks again", "Winston Peters", "Gen Nakatani")
    assert build_paths(location, [str(corpus)]).built == 2
    fact = f"ASK {{ <{PETERS}> kg:represents <{NZL}> }}"
    iwaya = "ASK { ?o rdfs:label 'Takeshi Iwaya' ; kg:represents ?c }"

    # a.txt changes: Iwaya's facts leave, Peters's stay (b.txt states them too)
    write(corpus / "a.txt", "Talks", "Judith Collins", "Yoko Kamikawa")
    report = build_paths(location, [str(corpus)])
    assert (report.built, report.unchanged) == (1, 1)
    with open_store(location) as store:
        assert store.query(fact).boolean is True
        assert store.query(iwaya).boolean is False
        assert store.query("ASK { ?o rdfs:label 'Yoko Kamikawa' ; kg:represents ?c }").boolean is True
        # b.txt goes: the last article stating Peters's facts
        store.drop_graph(str(article_iri(_content_hash(corpus / "b.txt"))))
        assert store.query(fact).boolean is False
        # his description goes in the same request: no article mentions him any more
        assert store.query(f"ASK {{ <{PETERS}> ?p ?o }}").boolean is False
        store.prune_entities()  # the prune that follows a build finds nothing more to take
        assert store.query("ASK { ?o rdfs:label 'Judith Collins' ; kg:represents ?c }").boolean is True


def test_from_and_from_named_choose_the_dataset(location: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.txt", "Talks", "Winston Peters", "Takeshi Iwaya")
    write(corpus / "b.txt", "Talks again", "Judith Collins", "Gen Nakatani")
    assert build_paths(location, [str(corpus)]).built == 2
    a, b = (str(article_iri(_content_hash(corpus / name))) for name in ("a.txt", "b.txt"))
    with open_store(location) as store:
        in_a = count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} }}")
        assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{a}> WHERE {{ ?s ?p ?o }}") == in_a
        assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") != in_a
        # from a: Collins is not there; FROM a and b: both
        assert store.query(f"ASK FROM <{a}> {{ ?o rdfs:label 'Judith Collins' }}").boolean is False
        assert store.query(f"ASK FROM <{a}> FROM <{b}> {{ ?o kg:mentionedIn <{b}> }}").boolean is True
        named = store.query(f"SELECT DISTINCT ?g FROM NAMED <{b}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}").rows
        assert named == [(URIRef(b),)]
        # the words "from" in a string, an IRI or a comment name no dataset
        assert store.query(f"ASK {{ <{PETERS}> rdfs:label ?l FILTER(?l != 'from <{a}>') }} # FROM <{a}>").boolean


def test_a_batch_with_one_refused_article_writes_the_others(tmp_path: Path) -> None:
    def graph(name: str, iri: str) -> ArticleGraph:
        return ArticleGraph(iri, evidence=[(URIRef(iri), RDF.type, KG.Article)],
                            descriptions=[(KGID[f"person/{name}"], RDFS.label, Literal(name))])

    good = [graph("a", str(KGID["article/a"])), graph("c", str(KGID["article/c"]))]
    bad = graph("b", "https://w3id.org/kg-news/id/article/with space")
    failures: list[tuple[str, str]] = []
    report = BuildReport()
    with OxigraphStore(tmp_path / "store") as store:
        batch = _Batch(store, report, lambda path, why: failures.append((path, why)))
        for g, source in ((good[0], "a.txt"), (bad, "b.txt"), (good[1], "c.txt")):
            batch.add(parse_article(source, b"Some article text."), ArticleFacts(), g)
        batch.close()
        graphs = {str(g) for *_, g in store.quads()}
    assert report.built == 2
    assert [path for path, _ in failures] == ["b.txt"]
    assert failures[0][1].startswith("the store refused its triples")
    assert graphs == {good[0].iri, good[1].iri, KNOWLEDGE_GRAPH}


def test_a_store_in_the_layout_before_the_knowledge_graph_is_rebuilt(two_articles: tuple[Path, Path]) -> None:
    from kg.ontology import LEGACY_ENTITIES_GRAPH

    corpus, store = two_articles
    everything = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    with OxigraphStore(store) as db:
        fresh = sorted(map(repr, db.query(everything).rows))
        # the old layout: descriptions in their own named graph, the facts in the article graphs
        # only, and a version of the extractor from then
        db.update(f"DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH <{LEGACY_ENTITIES_GRAPH}> {{ ?s ?p ?o }} }} "
                  "WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ; "
                  "DELETE WHERE { ?s ?p ?o } ; "
                  'DELETE { GRAPH ?g { ?g kg:extractorVersion ?v } } INSERT { GRAPH ?g { ?g kg:extractorVersion "3" } } '
                  "WHERE { GRAPH ?g { ?g kg:extractorVersion ?v } }")
        assert db.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 0
    report = build_paths(str(store), [str(corpus)])
    assert report.built == 2
    with OxigraphStore(store, read_only=True) as db:
        assert db.query(f"ASK {{ GRAPH <{LEGACY_ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}").boolean is False
        assert sorted(map(repr, db.query(everything).rows)) == fresh


def test_the_graph_layout_is_part_of_the_extractor_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.resources import files

    from kg import extractor_version

    now = extractor_version.compute(files("kg"))
    monkeypatch.setattr(extractor_version, "GRAPH_LAYOUT", extractor_version.GRAPH_LAYOUT + "-next")
    assert extractor_version.compute(files("kg")) != now
