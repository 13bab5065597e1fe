"""The benchmark input generators: real mapping output, varied corpora, same input for the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib.namespace import RDF

from kg.ontology import KG

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import corpusgen  # noqa: E402
import graphgen  # noqa: E402


def test_graph_generator_gives_article_graphs_in_the_ontology():
    graphs = list(graphgen.article_graphs(3000))
    assert sum(len(ts) for _, ts in graphs) >= 3000
    assert len({g for g, _ in graphs}) == len(graphs)
    types = {o for _, ts in graphs for s, p, o in ts if p == RDF.type}
    assert {KG.Article, KG.Official, KG.Post, KG.Dialogue, KG.Evidence, KG.Country, KG.Policy} <= types
    for g, ts in graphs:
        assert (g, RDF.type, KG.Article) in ts
    # Officials recur across articles, as they do in the news.
    mentions = [s for _, ts in graphs for s, p, o in ts if p == RDF.type and o == KG.Official]
    assert len(set(mentions)) < len(mentions)
    assert [len(ts) for _, ts in graphgen.article_graphs(3000)] == [len(ts) for _, ts in graphs]


def test_corpus_generator_varies_people_places_and_dates(tmp_path):
    words = corpusgen.write_corpus(tmp_path, 4, seed=3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    assert len(texts) == 4 and words > 1000
    seeds = corpusgen.seed_texts()
    assert texts[0] != seeds[0] and texts[2] != texts[0]
    assert "Leon Panetta" not in texts[0] and "Christopher Landau" not in texts[1]
    assert abs(len(texts[0].split()) - len(seeds[0].split())) < 30
    assert texts == [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    again = tmp_path / "again"
    corpusgen.write_corpus(again, 4, seed=3)
    assert [p.read_text(encoding="utf-8") for p in sorted(again.glob("*.txt"))] == texts
