"""The benchmark input generators: real mapping output, varied corpora, same input for the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.ontology import KG

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import corpusgen  # noqa: E402
import graphgen  # noqa: E402


def test_graph_generator_gives_article_graphs_in_the_ontology():
    graphs = list(graphgen.article_graphs(3000))
    assert sum(len(g) for g in graphs) >= 3000
    assert len({g.iri for g in graphs}) == len(graphs)
    types = {o for g in graphs for s, p, o in g.triples + g.shared if p == RDF.type}
    assert {KG.Article, KG.Official, KG.Post, KG.Dialogue, KG.Evidence, KG.Country, KG.Policy} <= types
    for g in graphs:
        assert (URIRef(g.iri), RDF.type, KG.Article) in g.triples
    # Officials recur across articles, as they do in the news: each article mentions them.
    mentions = [s for g in graphs for s, p, o in g.triples if p == KG.mentionedIn and (s, RDF.type, KG.Official)
                in g.triples]
    assert len(set(mentions)) < len(mentions)
    assert [len(g) for g in graphgen.article_graphs(3000)] == [len(g) for g in graphs]


def test_graph_file_holds_the_knowledge_graph_once_as_the_default_graph(tmp_path):
    import pyoxigraph as ox

    path = tmp_path / "g.nq"
    articles, count = graphgen.write_nquads(path, 3000)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count == len(set(lines)) >= 3000
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    in_default = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert in_default > 100 and len(store) - in_default > 100  # the knowledge graph and the articles


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
