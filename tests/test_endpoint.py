"""EndpointStore against a real Virtuoso Open Source server: protocol, terms, graph replacement,
errors and credentials."""

from __future__ import annotations

from pathlib import Path

import _virtuoso
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, Namespace

from kg.endpoint import EndpointStore, guess_graph_store, with_prefixes
from kg.errors import QuerySyntaxError, StoreError, UpdateRefused, UsageError
from kg.ontology import KG, KGID, PREFIXES
from kg.store import ArticleGraph, open_store

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain namespace: pytest probes module attributes

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="session")
def virtuoso() -> _virtuoso.Virtuoso:
    return _virtuoso.shared()


@pytest.fixture
def endpoint(virtuoso: _virtuoso.Virtuoso, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> EndpointStore:
    """An empty knowledge graph on the shared server, credentials from nowhere."""
    for name in ("KG_USER", "KG_PASSWORD", "KG_UPDATE_URL", "KG_GSP_URL", "KG_HTTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    store = EndpointStore(virtuoso.sparql)
    for graph in store.graphs():
        store.drop_graph(graph)
    return store


def article(n: int) -> str:
    return str(KGID[f"article/test-{n}"])


def sample(graph: str, size: int = 3) -> list[tuple]:
    g = URIRef(graph)
    triples = [(g, RDF.type, KG.Article), (g, RDFS.label, Literal(f"article {graph}"))]
    for i in range(size):
        triples.append((KGID[f"official/o{i}"], RDFS.label, Literal(f"Official {i}", lang="en")))
    return triples


def stated(store: EndpointStore, graph: str, triples: list[tuple]) -> None:
    """An article stating `triples`: in its own graph and in the knowledge graph (queries' default)."""
    store.write_articles([ArticleGraph(graph, triples)])


def graph_of(store: EndpointStore, graph: str) -> Graph:
    out = Graph()
    for s, p, o, g in store.quads():
        if str(g) == graph:
            out.add((s, p, o))
    return out


# --- opening --------------------------------------------------------------------------------------


def test_open_store_routes_urls_to_the_endpoint(endpoint: EndpointStore, virtuoso: _virtuoso.Virtuoso) -> None:
    store = open_store(virtuoso.sparql)
    assert isinstance(store, EndpointStore)
    assert store.graph_store_url == f"{virtuoso.base}/sparql-graph-crud"


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(UsageError, match="KG_USER"):
        EndpointStore("http://user:secret@127.0.0.1:1/sparql")


@pytest.mark.parametrize(
    ("query_url", "graph_store"),
    [
        ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        ("http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
        ("http://h:3030/ds/sparql", "http://h:3030/ds/data"),
        ("http://h:3030/ds/query", "http://h:3030/ds/data"),
        ("http://h:7878/query", "http://h:7878/store"),
        ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg/rdf-graphs/service"),
        ("https://db.cluster-x.eu-west-1.neptune.amazonaws.com:8182/sparql",
         "https://db.cluster-x.eu-west-1.neptune.amazonaws.com:8182/sparql/gsp/"),
        ("http://h/other/path/endpoint", None),
    ],
)
def test_graph_store_endpoint_is_guessed_for_known_servers(query_url: str, graph_store: str | None) -> None:
    assert guess_graph_store(query_url) == graph_store


def test_prefixes_are_added_on_one_line_only_when_missing() -> None:
    text, added = with_prefixes("PREFIX kg: <http://other/>\nSELECT * WHERE { ?s kg:p ?o }")
    assert added == 1
    first, rest = text.split("\n", 1)
    assert "PREFIX rdfs:" in first and "PREFIX kg:" not in first
    assert rest.startswith("PREFIX kg: <http://other/>")
    declared_all = "".join(f"PREFIX {p}: <http://x/{p}#>\n" for p in PREFIXES)
    assert with_prefixes(declared_all + "ASK {}") == (declared_all + "ASK {}", 0)


# --- queries --------------------------------------------------------------------------------------


def test_select_ask_construct_with_project_prefixes(endpoint: EndpointStore) -> None:
    g = article(1)
    stated(endpoint, g, sample(g))
    result = endpoint.query("SELECT ?o ?label WHERE { ?o rdfs:label ?label FILTER(LANG(?label) = 'en') } ORDER BY ?o")
    assert result.kind == "select" and result.vars == ["o", "label"]
    assert result.rows[0] == (KGID["official/o0"], Literal("Official 0", lang="en"))
    assert len(result.rows) == 3
    assert endpoint.query("ASK { ?a a kg:Article }").boolean is True
    assert endpoint.query("ASK { ?a a kg:Treaty }").boolean is False
    graph = endpoint.query("CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }")
    assert graph.kind == "graph" and graph.triples == [(URIRef(g), RDF.type, KG.Article)]


def test_a_query_declaring_a_project_prefix_itself_uses_its_own(endpoint: EndpointStore) -> None:
    g = article(1)
    endpoint.replace_graph(g, sample(g))
    result = endpoint.query("PREFIX kg: <http://example.org/other#>\nASK { ?a a kg:Article }")
    assert result.boolean is False


def test_unbound_variables_are_none(endpoint: EndpointStore) -> None:
    g = article(1)
    stated(endpoint, g, sample(g, 1))
    result = endpoint.query("SELECT ?a ?missing WHERE { ?a a kg:Article OPTIONAL { ?a kg:nothing ?missing } }")
    assert result.rows == [(URIRef(g), None)]


def test_terms_come_back_as_rdflib_terms(endpoint: EndpointStore) -> None:
    g = article(2)
    x = KGID["dialogue/d1"]
    triples = [
        # Distinct days: Virtuoso keeps one value per day whatever the date type (see the README).
        (x, KG.date, Literal("1986", datatype=XSD.gYear)),
        (x, KG.date, Literal("2013-05", datatype=XSD.gYearMonth)),
        (x, KG.date, Literal("2014-07-02", datatype=XSD.date)),
        (x, KG.confidence, Literal("0.5", datatype=XSD.decimal)),
        (x, KG.startOffset, Literal("12", datatype=XSD.integer)),
        (x, KG.quote, Literal('He said "yes"\nand left. é ✓ \\ done')),
        (x, RDFS.label, Literal("Gespräch", lang="de")),
    ]
    endpoint.replace_graph(g, triples)
    result = endpoint.query(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert {row[0] for row in result.rows} == {o for _, _, o in triples}


def test_blank_nodes_stay_connected_across_batches(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore) -> None:
    g = article(3)
    chain = [BNode() for _ in range(4)]
    triples = [(URIRef(g), RDF.type, KG.Article)]
    triples += [(a, KG.next, b) for a, b in zip(chain[:-1], chain[1:], strict=True)]
    triples += [(b, RDFS.label, Literal(f"node {i}")) for i, b in enumerate(chain)]
    for graph_store in ("", None):  # SPARQL Update batches, then Graph Store Protocol uploads
        store = EndpointStore(virtuoso.sparql, graph_store_url=graph_store, batch_size=2)
        store.replace_graph(g, triples)
        expected = Graph()
        for t in triples:
            expected.add(t)
        assert isomorphic(graph_of(store, g), expected)


def test_update_text_is_refused_by_query(endpoint: EndpointStore) -> None:
    with pytest.raises(UpdateRefused):
        endpoint.query("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE {\n  ?x a kg:Official\n  FILTER(?x = ) }",
        "SELECT ?x WHERE {\n  ?x a foaf:Person }",  # Virtuoso knows foaf:, the embedded store does not
        "SELECT ?x WHERE { ?x a kg:Official",
    ],
)
def test_syntax_errors_are_the_embedded_stores_own(endpoint: EndpointStore, tmp_path: Path, query: str) -> None:
    with open_store(str(tmp_path / "embedded")) as embedded, pytest.raises(QuerySyntaxError) as expected:
        embedded.query(query)
    if "foaf:" in query:
        assert endpoint.query(query).rows == []  # the server accepts it: its own business
        return
    with pytest.raises(QuerySyntaxError) as info:
        endpoint.query(query)
    assert str(info.value) == str(expected.value)
    assert (info.value.line, info.value.column) == (expected.value.line, expected.value.column)


def test_server_only_errors_are_mapped_back_over_the_prefix_line(endpoint: EndpointStore) -> None:
    # SPARQL 1.2's HASLANG parses locally, but Virtuoso 7's compiler does not know it.
    query = "SELECT ?o\nWHERE {\n  ?s ?p ?o . FILTER(HASLANG(?o))\n}"
    with pytest.raises(QuerySyntaxError) as info:
        endpoint.query(query)
    assert (info.value.line, info.value.column) == (3, 21)
    assert "\n" not in str(info.value) and "HASLANG" in str(info.value)
    assert info.value.caret().splitlines()[1] == " " * 20 + "^"


def test_update_runs_with_prefixes(endpoint: EndpointStore) -> None:
    endpoint.update(f"INSERT DATA {{ GRAPH <{article(4)}> {{ kgid:country-nzl a kg:Country }} }}")
    assert endpoint.query("ASK { GRAPH ?g { kgid:country-nzl a kg:Country } }").boolean is True
    assert endpoint.query("ASK { kgid:country-nzl a kg:Country }").boolean is False  # not in the knowledge graph
    endpoint.update("INSERT DATA { GRAPH kgid:graph { kgid:country-nzl a kg:Country } }")
    assert endpoint.query("ASK { kgid:country-nzl a kg:Country }").boolean is True


def test_timeout_stops_a_long_query(endpoint: EndpointStore) -> None:
    # A three-way cross join over Virtuoso's own schema graph (~10^10 rows) never ends in time.
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> "
        "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }"
    )
    with pytest.raises(StoreError, match="timed out after 0.5 s"):
        endpoint.query(query, timeout=0.5)
    assert endpoint.query("ASK {}").boolean is True


# --- whole graphs ---------------------------------------------------------------------------------


def test_replace_graph_replaces_the_whole_graph(endpoint: EndpointStore) -> None:
    g = article(5)
    endpoint.replace_graph(g, sample(g, 5))
    endpoint.replace_graph(g, sample(g, 2))
    assert len(graph_of(endpoint, g)) == 4
    endpoint.replace_graph(g, [])
    assert g not in endpoint.graphs()


@pytest.mark.parametrize(
    ("graph_store", "batch_size", "bad"),
    [
        # one SPARQL Update request: DROP + INSERT, refused as a whole
        ("", 2000, Literal("not a number", datatype=XSD.integer)),
        # staging graph filled by SPARQL Update batches; the last batch is refused
        ("", 3, Literal("not a number", datatype=XSD.integer)),
        # staging graph filled through the Graph Store Protocol; the last upload is refused
        (None, 3, URIRef("https://w3id.org/kg-news/id/has space")),
    ],
    ids=["one-update", "update-batches", "graph-store"],
)
def test_a_refused_push_leaves_the_old_graph_whole(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, graph_store: str | None, batch_size: int, bad: object
) -> None:
    g = article(6)
    old = sample(g, 6)
    endpoint.replace_graph(g, old)
    store = EndpointStore(virtuoso.sparql, graph_store_url=graph_store, batch_size=batch_size)
    new = sample(g, 9) + [(KGID["official/o1"], KG.startOffset, bad)]
    with pytest.raises(StoreError, match=f"refused graph <{g}>"):
        store.replace_graph(g, new)
    expected = Graph()
    for t in old:
        expected.add(t)
    assert isomorphic(graph_of(endpoint, g), expected)
    assert list(endpoint.graphs()) == [g]  # no staging graph left behind
    staged = endpoint.query("ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:kg:staging:')) }")
    assert staged.boolean is False


def test_graphs_larger_than_one_update_go_through_staging(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore) -> None:
    g = article(7)
    big = sample(g, 1600)  # one INSERT DATA this size is more than Virtuoso compiles
    for graph_store in ("", None):
        store = EndpointStore(virtuoso.sparql, graph_store_url=graph_store)
        endpoint.replace_graph(g, sample(g, 2))
        store.replace_graph(g, big)
        assert len(graph_of(endpoint, g)) == len(big)
        assert list(endpoint.graphs()) == [g]


def test_quads_pages_past_the_servers_silent_row_cap(endpoint: EndpointStore) -> None:
    g = article(8)
    triples = sample(g, 2 * _virtuoso.MAX_ROWS + 10)
    endpoint.replace_graph(g, triples)
    # The cap is real: Virtuoso cuts a plain query short, saying so only in a response header.
    with pytest.raises(StoreError, match=f"cut the result off at {_virtuoso.MAX_ROWS} rows"):
        endpoint.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    cap = _virtuoso.MAX_ROWS
    page = endpoint.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY ?o LIMIT {cap} OFFSET {cap}")
    assert len(page.rows) == cap  # a query that asks for no more than the cap is whole
    quads = list(endpoint.quads())
    assert len(quads) == len(triples)
    assert {(s, p, o) for s, p, o, _ in quads} == set(triples)


def test_quads_skip_the_servers_own_graphs(endpoint: EndpointStore) -> None:
    g = article(9)
    endpoint.replace_graph(g, sample(g, 1))
    assert {str(q[3]) for q in endpoint.quads()} == {g}
    all_graphs = endpoint.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(all_graphs.rows) > 1  # Virtuoso keeps its schema graphs beside ours


# --- errors and credentials -----------------------------------------------------------------------


def test_404_is_one_clear_line(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore) -> None:
    with pytest.raises(StoreError, match=r"HTTP 404\): check the endpoint URL"):
        EndpointStore(f"{virtuoso.base}/no-such-endpoint").query("ASK {}")


def test_connection_refused_is_retried_then_reported(endpoint: EndpointStore) -> None:
    url = f"http://127.0.0.1:{_virtuoso.free_port()}/sparql"
    with pytest.raises(StoreError, match="cannot reach .* after 4 attempts"):
        EndpointStore(url).query("ASK {}")


def test_authenticated_endpoint_needs_credentials(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore) -> None:
    with pytest.raises(StoreError, match=r"HTTP 401\): it needs credentials"):
        EndpointStore(virtuoso.sparql_auth).query("ASK {}")


def test_credentials_from_the_environment(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_USER", _virtuoso.USER)
    monkeypatch.setenv("KG_PASSWORD", _virtuoso.PASSWORD)
    store = EndpointStore(virtuoso.sparql_auth)
    g = article(10)
    store.replace_graph(g, sample(g, 2))  # one update request
    store = EndpointStore(virtuoso.sparql_auth, batch_size=2)
    store.replace_graph(g, sample(g, 4))  # digest-authenticated Graph Store Protocol uploads
    assert store.graph_store_url == f"{virtuoso.base}/sparql-graph-crud-auth"
    assert len(graph_of(endpoint, g)) == 6
    monkeypatch.setenv("KG_PASSWORD", "wrong")
    with pytest.raises(StoreError, match=r"HTTP 401\): the credentials were refused"):
        EndpointStore(virtuoso.sparql_auth).query("ASK {}")


def test_credentials_from_netrc(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, tmp_path: Path) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login {_virtuoso.USER} password {_virtuoso.PASSWORD}\n")
    netrc.chmod(0o600)
    store = EndpointStore(virtuoso.sparql_auth)
    g = article(11)
    store.replace_graph(g, sample(g, 1))
    assert store.query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").boolean is True


def test_a_user_without_update_rights_gets_a_clear_error(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_USER", _virtuoso.READER)
    monkeypatch.setenv("KG_PASSWORD", _virtuoso.READER_PASSWORD)
    store = EndpointStore(virtuoso.sparql_auth)
    assert store.query("ASK {}").boolean is True
    with pytest.raises(StoreError, match="the user lacks the rights for it") as info:
        store.replace_graph(article(12), sample(article(12), 1))
    assert "\n" not in str(info.value)


def test_separate_update_endpoint(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_UPDATE_URL", f"{virtuoso.base}/no-update-here")
    store = EndpointStore(virtuoso.sparql)
    assert store.update_url.endswith("/no-update-here")
    with pytest.raises(StoreError, match="HTTP 404"):
        store.update(f"INSERT DATA {{ GRAPH <{article(13)}> {{ <urn:a> <urn:b> <urn:c> }} }}")


# --- through the command line ---------------------------------------------------------------------


def test_cli_errors_are_one_line_with_their_exit_status(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main

    assert main(["query", "--store", f"{virtuoso.base}/nothing-here", "ASK {}"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 404" in err
    assert main(["query", "--store", virtuoso.sparql, "SELECT ?x WHERE {\n  ?x a kg:Official ."]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("kg: query syntax error at line 2") and err[1] == "  ?x a kg:Official ."
    assert main(["query", "--store", virtuoso.sparql, "DROP ALL"]) == 2
    assert "SPARQL Update" in capsys.readouterr().err


def test_cli_query_formats(virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kg.cli import main

    g = article(14)
    stated(endpoint, g, sample(g, 2))
    assert main(["query", "--store", virtuoso.sparql, "--format", "json",
                 "SELECT ?o WHERE { ?o rdfs:label ?l FILTER(LANG(?l) = 'en') } ORDER BY ?o"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["o"]["value"] for b in data["results"]["bindings"]] == [str(KGID["official/o0"]), str(KGID["official/o1"])]


def test_a_guessed_graph_store_that_does_not_exist_falls_back_to_update(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore
) -> None:
    store = EndpointStore(virtuoso.sparql, batch_size=2)
    store.graph_store_url = f"{virtuoso.base}/no-graph-store-here"  # as a wrong guess would be
    g = article(15)
    store.replace_graph(g, sample(g, 5))
    assert store.graph_store_url is None
    assert len(graph_of(endpoint, g)) == 7


def test_a_given_graph_store_that_does_not_exist_is_an_error(
    virtuoso: _virtuoso.Virtuoso, endpoint: EndpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_GSP_URL", f"{virtuoso.base}/no-graph-store-here")
    store = EndpointStore(virtuoso.sparql, batch_size=2)
    g = article(16)
    with pytest.raises(StoreError, match="does not take Graph Store Protocol uploads .*KG_GSP_URL=none"):
        store.replace_graph(g, sample(g, 5))
    assert g not in endpoint.graphs()
