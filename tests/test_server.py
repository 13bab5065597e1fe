"""`kg serve` as SPARQL clients see it: SPARQLWrapper, rdflib's SPARQLStore, kg's own endpoint
store, and plain HTTP for the protocol's corners and the errors."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import httpx
import pytest
from _serve import serving
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg import saved
from kg.endpoint import EndpointStore
from kg.ontology import KNOWLEDGE_GRAPH
from kg.store import open_store

OFFICIALS = "SELECT ?name WHERE { ?o a kg:Official ; rdfs:label ?name } ORDER BY ?name"
SEED_OFFICIALS = ["Bede Corry", "Christopher Landau", "Jonathan Coleman", "Leon Panetta"]
# A cross product of every triple of the knowledge graph with itself four times: far longer than
# the test's timeout.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PARAMS = {"meetings-of": {"name": "Leon Panetta"}, "officials-of-country": {"country": "New Zealand"}}
PANETTA = "https://w3id.org/kg-news/id/person/leon-panetta"


@pytest.fixture(scope="module")
def base(seeds_store: Path) -> str:
    with serving(seeds_store, "--timeout", "3", "--max-rows", "500", "--workers", "2") as url:
        yield url


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=30)


# --- real clients ---------------------------------------------------------------------------------


def test_sparqlwrapper_reads_json_xml_csv_and_turtle(base: str) -> None:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery("PREFIX kg: <https://w3id.org/kg-news/ontology#>\n"
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + OFFICIALS)
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == SEED_OFFICIALS

    sparql.setReturnFormat(XML)
    document = sparql.queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == SEED_OFFICIALS

    sparql.setReturnFormat(CSV)
    table = list(csv.reader(io.StringIO(sparql.queryAndConvert().decode("utf-8"))))
    assert table == [["name"]] + [[n] for n in SEED_OFFICIALS]

    sparql.setQuery(f"CONSTRUCT {{ <{PANETTA}> ?p ?o }} WHERE {{ <{PANETTA}> ?p ?o }}")
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.queryAndConvert(), format="turtle")
    assert (URIRef(PANETTA), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in graph


def test_sparqlwrapper_gets_a_bad_query_as_400_with_its_position(base: str) -> None:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery("SELECT ?s WHERE {\n  ?s a }")
    sparql.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="line 2, column 9"):
        sparql.query()


def test_rdflib_sparqlstore_queries_the_server(base: str) -> None:
    graph = Graph(store=SPARQLStore(base + "/sparql", returnFormat="json"))
    names = [str(r[0]) for r in graph.query(
        "PREFIX kg: <https://w3id.org/kg-news/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + OFFICIALS)]
    assert names == SEED_OFFICIALS
    assert graph.query(f"ASK {{ <{PANETTA}> ?p ?o }}").askAnswer is True


def test_kg_endpoint_store_gets_the_same_rows_for_every_saved_query(base: str, seeds_store: Path) -> None:
    remote = EndpointStore(base + "/sparql", graph_store_url="none")
    with open_store(str(seeds_store), read_only=True) as local:
        for name, query in saved.all_queries().items():
            text = saved.bind(query, PARAMS.get(name, {}))
            expected, got = local.query(text), remote.query(text)
            assert got.vars == expected.vars, name
            assert sorted(map(repr, got.rows)) == sorted(map(repr, expected.rows)), name
            assert expected.rows or name in PARAMS, name


# --- the protocol ---------------------------------------------------------------------------------


def test_the_default_graph_is_the_knowledge_graph_unless_the_request_names_a_dataset(base: str,
                                                                                      seeds_store: Path) -> None:
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    facts = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with open_store(str(seeds_store), read_only=True) as local:
        articles = sorted(str(r[0]) for r in local.query(graphs).rows)
        in_knowledge_graph = int(local.query(facts).rows[0][0])
        in_first = int(local.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{articles[0]}> {{ ?s ?p ?o }} }}").rows[0][0])
    assert len(articles) == 2

    def ask(query: str, **dataset: str | list[str]) -> list[str]:
        with client(base) as http:
            answer = http.post("/sparql", data={"query": query, **dataset})
        assert answer.status_code == 200, answer.text
        return [next(iter(b.values()))["value"] for b in answer.json()["results"]["bindings"]]

    assert ask(facts) == [str(in_knowledge_graph)]
    assert sorted(ask(graphs)) == articles
    assert ask(facts, **{"default-graph-uri": articles[0]}) == [str(in_first)]
    assert ask(graphs, **{"named-graph-uri": articles[1]}) == [articles[1]]
    assert ask(facts, **{"default-graph-uri": str(KNOWLEDGE_GRAPH)}) == [str(in_knowledge_graph)]


def test_get_post_form_and_direct_body_give_the_same_answer(base: str) -> None:
    with client(base) as http:
        by_get = http.get("/sparql", params={"query": OFFICIALS})
        by_form = http.post("/query", data={"query": OFFICIALS})
        direct = http.post("/sparql", content=OFFICIALS, headers={"Content-Type": "application/sparql-query"})
    for answer in (by_get, by_form, direct):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/sparql-results+json"
        assert [b["name"]["value"] for b in answer.json()["results"]["bindings"]] == SEED_OFFICIALS


@pytest.mark.parametrize(("accept", "media", "marker"), [
    ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
    ("text/csv", "text/csv", "name\r\nBede Corry"),
    ("text/tab-separated-values", "text/tab-separated-values", '?name\n"Bede Corry"'),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "name"),
    ("*/*", "application/sparql-results+json", '{"head":{"vars":["name"]}'),
])
def test_results_come_in_the_format_the_accept_header_asks_for(base: str, accept: str, media: str, marker: str) -> None:
    with client(base) as http:
        answer = http.get("/sparql", params={"query": OFFICIALS}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert marker in answer.text


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_graphs_come_in_turtle_ntriples_jsonld_and_rdfxml(base: str, accept: str, rdflib_format: str) -> None:
    query = f"CONSTRUCT {{ <{PANETTA}> ?p ?o }} WHERE {{ <{PANETTA}> ?p ?o }}"
    with client(base) as http:
        answer = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.text, format=rdflib_format)
    assert len(graph) >= 4 and set(graph.subjects()) == {URIRef(PANETTA)}


def test_unknown_format_is_406_and_unknown_body_type_is_415(base: str) -> None:
    with client(base) as http:
        by_accept = http.get("/sparql", params={"query": OFFICIALS}, headers={"Accept": "image/png"})
        by_name = http.get("/sparql", params={"query": OFFICIALS, "format": "yaml"})
        graph_as_csv = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                                headers={"Accept": "text/csv"})
        body = http.post("/sparql", content=OFFICIALS, headers={"Content-Type": "text/plain"})
    assert by_accept.status_code == 406 and "text/csv" in by_accept.text
    assert by_name.status_code == 406 and "unknown format 'yaml'" in by_name.text
    assert graph_as_csv.status_code == 406 and "text/turtle" in graph_as_csv.text
    assert body.status_code == 415 and "application/sparql-query" in body.text


def test_a_malformed_query_is_400_with_line_column_and_caret(base: str) -> None:
    with client(base) as http:
        answer = http.post("/sparql", data={"query": "SELECT ?s WHERE {\n  ?s kg:label ?x .\n  FILTER(?x = }"})
    assert answer.status_code == 400
    first, line, caret = answer.text.splitlines()[:3]
    assert first.startswith("query syntax error at line 3, column 16:")
    assert line == "  FILTER(?x = }" and caret == " " * 15 + "^"


def test_a_result_over_the_cap_is_413_and_never_cut_short(base: str, seeds_store: Path) -> None:
    every = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"  # the seeds' article graphs: 546 triples
    with client(base) as http:
        answer = http.get("/sparql", params={"query": every})
        capped = http.get("/sparql", params={"query": every + " LIMIT 500"})
    assert answer.status_code == 413 and "more than 500 rows" in answer.text
    assert capped.status_code == 200 and len(capped.json()["results"]["bindings"]) == 500
    # the knowledge graph of the seeds (218 triples) through the Graph Store Protocol
    with serving(seeds_store, "--max-rows", "200", "--workers", "1") as url, client(url) as http:
        graph = http.get("/store", params={"default": ""})
    assert graph.status_code == 413


def test_an_answer_of_megabytes_arrives_whole(base: str, seeds_store: Path) -> None:
    # Each row carries a 10 kB literal: 4 MB of JSON, far more than a pipe holds, so the server
    # reads the worker's answer while the worker is still writing it.
    filler = "evidence " * 1200
    query = f'SELECT ?s (CONCAT(STR(?s), "{filler}") AS ?long) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 400'
    with client(base) as http:
        answers = [http.post("/sparql", data={"query": query}) for _ in range(3)]
        csv_answer = http.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    with open_store(str(seeds_store), read_only=True) as local:
        expected = [str(row[0]) + filler for row in local.query(query).rows]
    for answer in answers:
        assert answer.status_code == 200 and len(answer.content) > 4_000_000
        assert [b["long"]["value"] for b in answer.json()["results"]["bindings"]] == expected
    assert [r[1] for r in csv.reader(io.StringIO(csv_answer.text))][1:] == expected


def test_form_bodies_are_read_as_urllib_reads_them() -> None:
    import random
    import urllib.parse

    from kg.server import form_fields

    cases = ["query=a%zzb&x", "a=%", "q=a+b%2B%5C%5Cx41", "q=%C3%A9t%C3%A9", "q=\\x41%41&q=2", "&&a=&=b",
             "q=%ff%fe", "q=%e9", "a%3Db=c=d", urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a <x:y#z> } # é"})]
    chooser = random.Random(7)
    cases += ["".join(chooser.choice("ab%+=&\\x0fF9é") for _ in range(chooser.randint(0, 14))) for _ in range(5000)]
    for case in cases:
        assert form_fields(case.encode()) == urllib.parse.parse_qs(case, keep_blank_values=True), case


def test_queries_from_browsers_and_from_other_clients_get_the_same_answers(base: str) -> None:
    # A request without Origin takes the server's short path; one with Origin goes through CORS;
    # one with a header given twice is left to the whole application too.
    browser = {"Origin": "https://notebook.example"}
    with client(base) as http:
        for query in (OFFICIALS, "SELECT ?s WHERE {\n  ?s a }", "CONSTRUCT WHERE { ?s a kg:Official }", "DROP ALL"):
            for accept in ("application/sparql-results+json", "text/csv", "text/turtle, */*;q=0.1"):
                plain = http.post("/sparql", data={"query": query}, headers={"Accept": accept})
                repeated = http.post("/sparql", data={"query": query},
                                     headers=[("Accept", accept), ("X-Note", "a"), ("X-Note", "b")])
                cors = http.post("/sparql", data={"query": query}, headers={"Accept": accept, **browser})
                for other in (repeated, cors):
                    assert (other.status_code, other.headers["content-type"], other.text) == \
                           (plain.status_code, plain.headers["content-type"], plain.text), (query, accept)
                    assert other.headers.get("vary") == plain.headers.get("vary")
                assert "access-control-allow-origin" not in plain.headers
                assert cors.headers["access-control-allow-origin"] == "*"


def test_a_runaway_query_is_stopped_at_the_timeout_and_the_server_goes_on(base: str) -> None:
    with client(base) as http:
        answer = http.get("/sparql", params={"query": ENDLESS})
        assert answer.status_code == 503
        assert "more than 3 s" in answer.text
        assert answer.elapsed.total_seconds() < 6
        after = http.get("/sparql", params={"query": OFFICIALS})
    assert after.status_code == 200


def test_updates_and_federation_are_refused_when_read_only(base: str) -> None:
    with client(base) as http:
        update = http.post("/update", data={"update": "DROP ALL"})
        as_query = http.post("/sparql", data={"query": "CLEAR ALL"})
        update_body = http.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
        service = http.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"})
        # the grammar decides, not the words: SERVICE hidden in EXISTS is refused, the word in a string is not
        nested = http.get("/sparql", params={"query": "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } }"})
        worded = http.get("/sparql", params={"query": 'SELECT ("SERVICE <http://x/>" AS ?service) WHERE {}'})
        still = http.get("/sparql", params={"query": OFFICIALS})
    for answer in (update, as_query, update_body):
        assert answer.status_code == 403 and "read-only" in answer.text
    assert service.status_code == 403 and "SERVICE" in service.text
    assert nested.status_code == 403 and "SERVICE" in nested.text
    assert worded.status_code == 200 and worded.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")
    assert len(still.json()["results"]["bindings"]) == 4


def test_graph_store_protocol_reads_one_graph_or_the_union(base: str, seeds_store: Path) -> None:
    with open_store(str(seeds_store), read_only=True) as local:
        article = str(local.query("SELECT ?a WHERE { ?a a kg:Article } LIMIT 1").rows[0][0])
        size = len(local.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}"))
    with client(base) as http:
        one = http.get("/store", params={"graph": article}, headers={"Accept": "application/n-triples"})
        head = http.head("/store", params={"graph": article})
        missing = http.get("/store", params={"graph": "https://example.org/none"})
        unnamed = http.get("/store")
        put = http.put("/store", params={"graph": article}, content="")
    assert one.status_code == 200 and len(Graph().parse(data=one.text, format="nt")) == size
    assert head.status_code == 200 and head.text == ""
    assert missing.status_code == 404
    assert unnamed.status_code == 400
    assert put.status_code == 405 and put.headers["allow"] == "GET, HEAD"


def test_on_loopback_only_requests_naming_this_machine_are_answered(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    with client(base) as http:
        rebound = http.get("/sparql", params={"query": "ASK {}"}, headers={"Host": f"attacker.example:{port}"})
        local = http.get("/sparql", params={"query": "ASK {}"}, headers={"Host": f"localhost:{port}"})
    assert rebound.status_code == 400
    assert local.status_code == 200


def test_service_description_and_cors(base: str) -> None:
    with client(base) as http:
        description = http.get("/sparql", headers={"Accept": "text/turtle"})
        preflight = http.options("/sparql", headers={
            "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type"})
        simple = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://notebook.example"})
    graph = Graph().parse(data=description.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(base + "/sparql")) in graph
    # the default graph is the knowledge graph (each fact once), not the union of the graphs
    assert (None, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) not in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in graph
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
    assert simple.headers["access-control-allow-origin"] == "*"


# --- updates with a token ---------------------------------------------------------------------------

TOKEN = "test-token-0123456789abcdef"


def test_updates_need_the_bearer_token(seeds_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeds_store, store)
    added = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> rdfs:label \"A\" } }"
    check = "SELECT ?l WHERE { GRAPH ?g { <https://example.org/a> rdfs:label ?l } }"
    with serving(store, "--allow-update", "--workers", "1", env={"KG_SERVE_TOKEN": TOKEN}) as url, client(url) as http:
        none = http.post("/update", data={"update": added})
        wrong = http.post("/update", data={"update": added}, headers={"Authorization": "Bearer nope"})
        right = http.post("/update", data={"update": added}, headers={"Authorization": f"Bearer {TOKEN}"})
        seen = http.get("/sparql", params={"query": check}).json()["results"]["bindings"]
        bad = http.post("/update", content="INSERT DATA { <a> }", headers={
            "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"})
    assert none.status_code == 401 and none.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 401 and "wrong" in wrong.text
    assert right.status_code == 204
    assert [b["l"]["value"] for b in seen] == ["A"]
    assert bad.status_code == 400 and "syntax error" in bad.text


def test_allow_update_without_a_token_does_not_start(seeds_store: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    monkeypatch.delenv("KG_SERVE_TOKEN", raising=False)
    code = main(["serve", "--store", str(seeds_store), "--allow-update", "--port", "0"])
    assert code == 2
    assert "KG_SERVE_TOKEN" in capsys.readouterr().err


def test_a_missing_store_or_a_taken_port_is_one_line(tmp_path: Path, seeds_store: Path, base: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["serve", "--store", str(tmp_path / "none")]) == 1
    assert "no store at" in capsys.readouterr().err
    port = base.rsplit(":", 1)[1]
    assert main(["serve", "--store", str(seeds_store), "--port", port]) == 1
    assert f"cannot listen on 127.0.0.1:{port}: address already in use" in capsys.readouterr().err


# --- the workbench over plain HTTP -------------------------------------------------------------------


def test_workbench_pages_completion_data_and_drawings(base: str) -> None:
    with client(base) as http:
        home = http.get("/")
        result = http.get("/", params={"query": OFFICIALS})
        saved_page = http.get("/saved/meetings-of", params={"name": "Leon Panetta"})
        missing_param = http.get("/saved/meetings-of")
        entity = http.get("/entity", params={"name": "Leon Panetta"})
        unknown = http.get("/entity", params={"name": "Nobody Atall"})
        vocabulary = http.get("/api/completions").json()
        svg = http.get("/draw.svg", params={"iri": PANETTA, "depth": "2"})
        png = http.get("/draw.png", params={"query": OFFICIALS.replace("?name", "?o ?name", 1), "download": "1"})
        deep = http.get("/draw.svg", params={"iri": PANETTA, "depth": "9"})
        update = http.get("/", params={"query": "DROP ALL"})
    assert home.status_code == 200 and 'id="query"' in home.text
    assert result.status_code == 200 and all(n in result.text for n in SEED_OFFICIALS)
    assert saved_page.status_code == 200 and "Meetings of an official" in saved_page.text
    assert missing_param.status_code == 400 and "needs the parameter(s): name" in missing_param.text
    assert entity.status_code == 200 and "the first Pentagon chief to visit" in entity.text
    assert '<small class="rule">rule ' in entity.text  # the extraction rule behind each sentence, as kg explain
    assert 'data-src="/draw.svg?depth=1&amp;iri=' in entity.text
    assert unknown.status_code == 404 and "no entity labelled" in unknown.text
    assert {"kg:Official", "kg:Country"} <= {c["name"] for c in vocabulary["classes"]}
    assert "kg:participant" in {p["name"] for p in vocabulary["properties"]}
    assert any(e["label"] == "Leon Panetta" for e in vocabulary["entities"])
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml" and "Leon Panetta" in svg.text
    assert 'xlink:href="/entity?iri=https%3A%2F%2Fw3id.org%2Fkg-news%2Fid%2Fcountry%2FUSA"' in svg.text
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["content-disposition"] == 'attachment; filename="drawing.png"'
    assert deep.status_code == 400 and "depth" in deep.text
    assert update.status_code == 403
