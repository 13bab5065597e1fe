"""Saved queries (typed parameters, headers) and the W3C result formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import saved
from kg.errors import UsageError
from kg.results import write
from kg.store import OxigraphStore, QueryResult

CONTRACT = {
    "officials": ["name", "title", "country"],
    "officials-who-met-counterparts": ["name", "country", "counterpart", "counterpartCountry", "place", "date"],
    "dialogues": ["dialogue", "date", "place", "participant"],
    "treaties": ["treaty", "party", "event", "date"],
    "policies": ["policy", "country", "date"],
}


def test_the_five_saved_queries_have_their_columns_in_order_then_the_entities_they_name(seeds_store):
    store = OxigraphStore(seeds_store, read_only=True)
    try:
        for name, columns in CONTRACT.items():
            query = saved.get(name)
            assert query.title and query.description
            result = store.query(query.text)
            assert result.vars[:len(columns)] == columns
            n = len(columns)
            assert len(result.vars) > n, f"{name} names no entities"
            assert result.rows and all(isinstance(v, Literal) for row in result.rows for v in row[:n])
            # after the contract columns: the entities they name, and the dates a post was first and last seen
            extra = [i for i, var in enumerate(result.vars) if i >= n and var not in ("firstSeen", "lastSeen")]
            assert all(row[i] is None or isinstance(row[i], URIRef) for row in result.rows for i in extra)
            assert any(isinstance(row[n], URIRef) for row in result.rows)
    finally:
        store.close()


def test_parameters_are_bound_as_typed_terms():
    q = saved.get("officials-of-country")
    text = saved.bind(q, {"country": 'x" } ; DROP ALL ; #'})
    assert 'VALUES ?_country { "x\\" } ; DROP ALL ; #" }' in text
    assert saved.to_term("2024-03", "date") == Literal("2024-03-01", datatype=XSD.date)  # its first day
    assert saved.to_term("kgid:country/NZL", "iri") == URIRef("https://w3id.org/kg-news/id/country/NZL")
    with pytest.raises(UsageError, match="not an IRI"):
        saved.to_term("a b", "iri")


@pytest.mark.parametrize("value", ["2021-13-45", "2021-02-29", "21", "2021-1", "yesterday", "2021-03-05T10:00"])
def test_a_bad_date_parameter_is_one_line_and_exit_2_before_anything_runs(value, seeds_store, capsys):
    from kg.cli import main

    code = main(["query", "--store", str(seeds_store), "--saved", "timeline", "--param", f"since={value}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"kg: parameter since: '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD, a day that exists)\n"


def test_a_partial_date_parameter_stands_for_the_days_it_denotes(seeds_store, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    saved.save("dialogues-since", "#+ param: since date\n#+ param: until date optional\n"
               "SELECT ?what ?d WHERE { ?x a kg:Dialogue ; rdfs:label ?what ; kg:date ?d . "
               "FILTER(DATATYPE(?d) = xsd:date && ?d >= ?_since) "
               "FILTER(!BOUND(?_until) || ?d <= ?_until_end) }")
    query = saved.get("dialogues-since")
    assert [(p.name, p.type, p.optional) for p in query.params] == [("since", "date", False), ("until", "date", True)]
    store = OxigraphStore(seeds_store, read_only=True)
    try:
        def dialogues(**values: str) -> list[str]:
            return sorted(str(row[1]) for row in store.query(saved.bind(query, values)).rows)

        assert dialogues(since="2021") == ["2026-02-02"]  # an xsd:date value, found by a year
        assert dialogues(since="2026-02") == ["2026-02-02"]
        assert dialogues(since="2026-02-03") == []
        assert dialogues(since="2020", until="2026-02") == ["2026-02-02"]  # until: the month's last day
        assert dialogues(since="2020", until="2026-01") == []
        timeline = saved.get("timeline")
        whole = [str(r[0]) for r in store.query(saved.bind(timeline, {})).rows]
        assert whole == ["1985", "1986", "2026-02-02", "2026-03"]
        assert [str(r[0]) for r in store.query(saved.bind(timeline, {"since": "2026-03-15"})).rows] == ["2026-03"]
        assert [str(r[0]) for r in store.query(saved.bind(timeline, {"until": "1986-06"})).rows] == ["1985", "1986"]
    finally:
        store.close()


def test_a_saved_query_declares_its_question_mark_underscore_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    saved.save("of-country", "SELECT ?o WHERE { ?o kg:represents ?_country ; rdfs:label ?l "
               "FILTER(?l != '?_quoted') }  # ?_commented", "officials of a country")
    query = saved.get("of-country")
    assert [(p.name, p.type, p.optional) for p in query.params] == [("country", "literal", False)]
    with pytest.raises(UsageError, match="needs the parameter"):
        saved.bind(query, {})


def test_hostile_parameter_changes_nothing(seeds_store):
    store = OxigraphStore(seeds_store, read_only=True)
    try:
        before = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        text = saved.bind(saved.get("officials-of-country"), {"country": 'x" } ; DROP ALL ; #'})
        assert store.query(text).rows == []
        assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before
        nz = store.query(saved.bind(saved.get("officials-of-country"), {"country": "NZL"}))
        assert {str(r[0]) for r in nz.rows} == {"Jonathan Coleman", "Bede Corry"}
    finally:
        store.close()


def test_missing_and_unknown_parameters_are_named():
    q = saved.get("officials-of-country")
    with pytest.raises(UsageError, match="needs the parameter"):
        saved.bind(q, {})
    with pytest.raises(UsageError, match="has no parameter colour"):
        saved.bind(q, {"country": "NZL", "colour": "red"})


def test_user_saved_query_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    saved.save("mine", "SELECT ?s WHERE { ?s a kg:Country }", "all countries")
    assert saved.get("mine").description == "all countries" and not saved.get("mine").builtin
    saved.delete("mine")
    with pytest.raises(UsageError):
        saved.get("mine")
    with pytest.raises(UsageError, match="built-in"):
        saved.delete("officials")


RESULT = QueryResult(
    "select",
    vars=["b", "a"],
    rows=[(URIRef("http://x/1"), Literal('say "hi",\nthere')), (None, Literal("2024", datatype=XSD.gYear))],
)


def test_w3c_csv_tsv_json_keep_projection_order():
    buf = io.StringIO()
    write(RESULT, buf, "csv")
    assert buf.getvalue().startswith("b,a\r\n")
    assert list(csv.reader(io.StringIO(buf.getvalue())))[1] == ["http://x/1", 'say "hi",\nthere']
    buf = io.StringIO()
    write(RESULT, buf, "tsv")
    lines = buf.getvalue().splitlines()
    assert lines[0] == "?b\t?a"
    assert lines[1] == '<http://x/1>\t"say \\"hi\\",\\nthere"'
    assert lines[2] == '\t"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    buf = io.StringIO()
    write(RESULT, buf, "json")
    doc = json.loads(buf.getvalue())
    assert doc["head"]["vars"] == ["b", "a"]
    assert doc["results"]["bindings"][1] == {"a": {"type": "literal", "value": "2024",
                                                   "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}}


def test_treaties_lists_parties_and_events_apart_and_keeps_a_bare_treaty(tmp_path):
    from rdflib.namespace import RDF, RDFS

    from kg.ontology import KG, KGID, KNOWLEDGE_GRAPH

    pact, bare, event = KGID["treaty/pact"], KGID["treaty/bare"], KGID["treaty-event/pact--signed--2001"]
    usa, nzl = KGID["country/USA"], KGID["country/NZL"]
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graph(KNOWLEDGE_GRAPH, [
            (pact, RDF.type, KG.Treaty), (pact, RDFS.label, Literal("Pact")),
            (bare, RDF.type, KG.Treaty), (bare, RDFS.label, Literal("Bare Accord")),
            (usa, RDFS.label, Literal("United States")), (nzl, RDFS.label, Literal("New Zealand")),
            (event, KG.eventType, Literal("signed")), (event, KG.date, Literal("2001", datatype=XSD.gYear)),
            (pact, KG.party, usa), (pact, KG.party, nzl), (pact, KG.hasEvent, event),
        ])
        rows = [tuple(str(v) for v in row[:4]) for row in store.query(saved.get("treaties").text).rows]
    # two parties and one event: three rows, not parties x events
    assert rows == [
        ("Bare Accord", "", "", ""),
        ("Pact", "", "signed", "2001"),
        ("Pact", "New Zealand", "", ""),
        ("Pact", "United States", "", ""),
    ]


def _kg_query(capsys, store, query: str, fmt: str) -> tuple[int, str, str]:
    from kg.cli import main

    capsys.readouterr()
    code = main(["query", "--store", str(store), query, "--format", fmt])
    out, err = capsys.readouterr()
    return code, out, err


def test_sparql_xml_results_parse_to_the_same_terms_as_json(seeds_store, capsys):
    from rdflib.query import Result

    query = "SELECT ?o ?name ?title WHERE { ?o a kg:Official ; rdfs:label ?name . OPTIONAL { ?o kg:holdsPost/kg:title ?title } } ORDER BY ?name"
    code, xml_text, err = _kg_query(capsys, seeds_store, query, "xml")
    assert code == 0, err
    code, json_text, _ = _kg_query(capsys, seeds_store, query, "json")
    from_xml = Result.parse(io.BytesIO(xml_text.encode()), format="xml")
    from_json = Result.parse(io.BytesIO(json_text.encode()), format="json")
    assert [str(v) for v in from_xml.vars] == ["o", "name", "title"]
    assert list(from_xml.bindings) == list(from_json.bindings) and len(from_xml.bindings) >= 4
    code, ask_text, _ = _kg_query(capsys, seeds_store, "ASK { ?o a kg:Official }", "xml")
    assert code == 0 and Result.parse(io.BytesIO(ask_text.encode()), format="xml").askAnswer is True


@pytest.mark.parametrize(("fmt", "parser"), [("ntriples", "nt"), ("rdfxml", "xml"), ("xml", "xml"),
                                             ("jsonld", "json-ld"), ("turtle", "turtle")])
def test_construct_results_in_ntriples_rdfxml_jsonld(seeds_store, capsys, fmt, parser):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    query = "CONSTRUCT { ?o kg:represents ?c ; rdfs:label ?n } WHERE { ?o kg:represents ?c ; rdfs:label ?n }"
    code, text, err = _kg_query(capsys, seeds_store, query, fmt)
    assert code == 0, err
    _, reference, _ = _kg_query(capsys, seeds_store, query, "table")  # Turtle
    got = Graph().parse(data=text, format=parser)
    assert len(got) >= 8 and isomorphic(got, Graph().parse(data=reference, format="turtle"))


def test_a_graph_format_for_a_select_is_refused_before_it_runs(seeds_store, capsys):
    code, out, err = _kg_query(capsys, seeds_store, "SELECT ?s WHERE { ?s ?p ?o }", "ntriples")
    assert code == 2 and out == ""
    assert err == ("kg: format ntriples is for the graphs of CONSTRUCT and DESCRIBE; a SELECT result prints as "
                   "table, csv, tsv, json, xml\n")


def test_a_mistyped_saved_query_name_gets_the_closest_names(seeds_store, capsys, tmp_path):
    from kg.cli import main

    code = main(["query", "--store", str(seeds_store), "--saved", "officals"])
    assert code == 2
    assert capsys.readouterr().err == "kg: no saved query named 'officals' (did you mean officials?); kg saved lists them\n"
    code = main(["export", "--store", str(seeds_store), "--saved", "oficials-of-contry", "-o", str(tmp_path / "x.dot")])
    err = capsys.readouterr().err
    assert code == 2 and "(did you mean officials-of-country" in err and not (tmp_path / "x.dot").exists()
    code = main(["query", "--store", str(seeds_store), "--saved", "zzzz"])
    err = capsys.readouterr().err
    assert code == 2 and "(saved queries: " in err and "officials-who-met-counterparts" in err
