"""Properties over generated input: any text gives triples that pass the SHACL shapes, and any
parameter value is bound as one RDF term, never as query text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg import saved
from kg.articles import ArticleError, parse_article
from kg.errors import UsageError
from kg.mapping import to_triples
from kg.ontology import KG, KGID, KNOWLEDGE_GRAPH
from kg.pipeline import extract_articles
from kg.store import OxigraphStore
from kg.validate import validate_graph

pytestmark = pytest.mark.slow

# Words that wake the extractor's rules, mixed with arbitrary Unicode.
VOCABULARY = [
    "Foreign Minister", "Defence Secretary", "Prime Minister", "President", "met", "visited", "signed",
    "the Treaty of Wellington", "agreement", "talks", "in", "on", "New Zealand", "United States", "Japan",
    "France's", "U.S.", "Auckland", "Tokyo", "Leon Panetta", "Claire Dubois", "12 March 2024", "1986",
    "banned", "nuclear", "policy", "said", ".", ",", "\n\n", "—", "|", "said he would visit next week",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=60).map(" ".join),
)


def as_stored(term: URIRef | Literal) -> URIRef | Literal:
    """The term as a store gives it back: a literal rebuilt from its lexical form."""
    if isinstance(term, Literal):
        return Literal(str(term), lang=term.language, datatype=term.datatype)
    return term


def test_any_text_gives_triples_that_conform(extractor) -> None:
    """Generated texts through reading, extraction and mapping; the triples of each must be
    well-formed, and together (one graph per text) pass the SHACL shapes."""
    produced: list[tuple[str, Graph]] = []

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=texts)
    @example(text="MINISTER NEW ZEALAND")
    @example(text="Talks\n\nFrench Foreign Minister Claire Dubois met Japan's Prime Minister in Tokyo on 12 March "
                  "2024 and signed the Treaty of Wellington. She said France would visit next week.")
    def one(text: str) -> None:
        try:
            article = parse_article(f"generated-{len(produced)}.txt", text.encode("utf-8"))
        except ArticleError:
            assume(False)
            return
        failures: list[tuple[str, str]] = []
        results = list(extract_articles(extractor, [article], on_failure=lambda p, w: failures.append((p, w))))
        assert not failures
        [(_, facts)] = results
        written = to_triples(article, facts)
        graph = Graph()
        for s, p, o in written.triples + written.shared:
            assert isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, (URIRef, Literal))
            assert str(s).startswith(str(KGID)) and not any(c in str(s) for c in ' \n<>"{}')
            graph.add((s, p, as_stored(o)))
        for e in [e for o in facts.officials.values() for e in o.evidence]:
            assert 0 <= e.start <= e.end <= len(article.text)
            assert article.text[e.start: e.end].strip() == e.quote
        produced.append((text, graph))

    one()
    assert len(produced) >= 20, "too few generated texts were articles"
    assert any((None, RDF.type, KG.Official) in graph for _, graph in produced)
    union = Graph()
    for _, graph in produced:
        union += graph
    conforms, _ = validate_graph(union)
    if not conforms:  # name the first text whose triples do not conform
        for text, graph in produced:
            conforms, report = validate_graph(graph)
            assert conforms, f"text {text!r}:\n{report}"


@pytest.fixture(scope="module")
def country_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("params") / "store")
    yield store
    store.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40))
def test_any_parameter_value_is_one_literal(country_store: OxigraphStore, value: str) -> None:
    """A country labelled with exactly `value` is found by the saved query bound with `value`: the
    value reached the store as one literal, whatever quotes, braces or keywords it holds."""
    country, official, post = KGID["country/ZZZ"], KGID["person/p"], KGID["post/p"]
    country_store.replace_graph(KNOWLEDGE_GRAPH, [
        (country, RDF.type, KG.Country), (country, RDFS.label, Literal(value)),
        (country, KG.isoCode, Literal("ZZZ-code")),
        (official, KG.represents, country), (official, RDFS.label, Literal("Pat Doe")),
        (official, KG.holdsPost, post), (post, KG.title, Literal("envoy")),
    ])
    query = saved.get("officials-of-country")
    text = saved.bind(query, {"country": value})
    result = country_store.query(text)
    assert result.rows == [(Literal("Pat Doe"), Literal("envoy"), official, post)]
    assert len(country_store.query("SELECT * WHERE { ?s ?p ?o }").rows) == 7  # nothing else was written


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40), ptype=st.sampled_from(["iri", "date", "integer", "literal"]))
def test_any_parameter_value_becomes_a_term_or_a_usage_error(country_store: OxigraphStore, value: str,
                                                             ptype: str) -> None:
    try:
        term = saved.to_term(value, ptype, "p")
    except UsageError:
        return  # refused as a bad value of its type: never passed on as text
    assert isinstance(term, (URIRef, Literal))
    if ptype == "literal":
        assert term == Literal(value)
    elif ptype == "integer":
        assert term.datatype == XSD.integer
    probe = country_store.query(f"SELECT ?x WHERE {{ VALUES ?x {{ {term.n3()} }} }}")
    assert [row[0] for row in probe.rows] == [term]

