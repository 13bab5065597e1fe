"""The shared entities graph: each entity described once however many articles name it, pruned
when no article mentions it any more, and batches of articles written whole."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.articles import parse_article
from kg.build import BuildReport, _Batch, build_paths
from kg.facts import ArticleFacts
from kg.mapping import article_iri
from kg.ontology import ENTITIES_GRAPH, KG, KGID
from kg.store import ArticleGraph, OxigraphStore

pytestmark = pytest.mark.slow

NZL = KGID["country/NZL"]

TALKS = """{title}

WELLINGTON, 3 March 2024 - New Zealand Foreign Minister {nz} met Japanese Foreign Minister {jp} in
Wellington on Monday. {nz_last} said the two countries would deepen defence co-operation.
"""


def write(path: Path, title: str, nz: str, jp: str) -> None:
    path.write_text(TALKS.format(title=title, nz=nz, jp=jp, nz_last=nz.split()[-1]), encoding="utf-8")


def quads_of(store_path: Path, subject: URIRef) -> list[tuple[str, object, object]]:
    with OxigraphStore(store_path, read_only=True) as store:
        return [(str(g), p, o) for s, p, o, g in store.quads() if s == subject]


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


def test_entity_described_once_and_mentioned_by_each_article(two_articles: tuple[Path, Path]) -> None:
    corpus, store = two_articles

    nz = quads_of(store, NZL)
    labels = [(g, o) for g, p, o in nz if p == RDFS.label]
    assert labels == [(ENTITIES_GRAPH, Literal("New Zealand"))]
    assert [(g, o) for g, p, o in nz if p == RDF.type] == [(ENTITIES_GRAPH, KG.Country)]
    mentions = {(g, o) for g, p, o in nz if p == KG.mentionedIn}
    articles = {str(article_iri(hashlib.sha256((corpus / name).read_bytes()).hexdigest())) for name in ("a.txt", "b.txt")}
    assert mentions == {(a, URIRef(a)) for a in articles}


def test_a_changed_article_takes_away_the_entities_only_it_named(two_articles: tuple[Path, Path]) -> None:
    corpus, store = two_articles
    peters, iwaya, collins = (KGID[f"person/{k}"] for k in ("winston-peters", "takeshi-iwaya", "judith-collins"))
    assert quads_of(store, peters) and quads_of(store, iwaya)

    write(corpus / "a.txt", "Talks in Wellington", "Winston Peters", "Yoko Kamikawa")
    report = build_paths(str(store), [str(corpus)])
    assert (report.built, report.unchanged) == (1, 1)

    assert quads_of(store, iwaya) == []  # no article names him any more: description pruned
    assert (ENTITIES_GRAPH, RDFS.label, Literal("Yoko Kamikawa")) in quads_of(store, KGID["person/yoko-kamikawa"])
    assert (ENTITIES_GRAPH, RDFS.label, Literal("Winston Peters")) in quads_of(store, peters)
    assert (ENTITIES_GRAPH, RDFS.label, Literal("Judith Collins")) in quads_of(store, collins)
    assert any(p == RDFS.label for _, p, _ in quads_of(store, NZL))


def test_a_batch_with_one_refused_article_writes_the_others(tmp_path: Path) -> None:
    def graph(name: str, iri: str) -> ArticleGraph:
        return ArticleGraph(iri, [(URIRef(iri), RDF.type, KG.Article)],
                            [(KGID[f"person/{name}"], RDFS.label, Literal(name))])

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
    assert graphs == {good[0].iri, good[1].iri, ENTITIES_GRAPH}
