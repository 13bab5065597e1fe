"""Tables for people: cut to the screen, measured in terminal columns, vertical when too wide."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.shell.formatting import Painter, cut, footer, result_lines, table_lines, width_of
from kg.store import QueryResult


def test_width_counts_terminal_columns():
    assert width_of("Panetta") == 7
    assert width_of("日本") == 4  # wide characters take two columns
    assert width_of("e\u0301") == 1  # a combining accent takes none


def test_cut_with_an_ellipsis_never_splits_a_wide_character():
    assert cut("United States", 20) == "United States"
    assert cut("United States", 8) == "United …" and width_of(cut("United States", 8)) == 8
    assert cut("日本語の名前", 6) == "日本…"  # 5 columns: a sixth would split 語
    assert width_of(cut("日本語の名前", 6)) <= 6


def test_columns_line_up_with_wide_characters():
    lines = table_lines(["name", "country"], [["日本語の名前", "Japan"], ["Leon Panetta", "United States"]])
    assert lines[0] == "name         | country"
    assert lines[2] == "日本語の名前 | Japan"
    assert lines[3] == "Leon Panetta | United States"
    assert {width_of(x.split("|")[0]) for x in (lines[0], lines[2], lines[3])} == {13}


def test_long_values_are_cut_to_the_screen():
    lines = table_lines(["a", "note"], [["x", "word " * 40]], width=50)
    assert max(width_of(x) for x in lines) <= 50
    assert lines[2].endswith("…")


def test_too_wide_turns_vertical():
    headers = ["official", "country", "post"]
    rows = [["Leon Panetta", "United States", "Secretary of Defense"], ["Bede Corry", "New Zealand", "Secretary"]]
    lines = table_lines(headers, rows, width=30)
    assert lines[0].startswith("-[ RECORD 1 ]")
    assert "official | Leon Panetta" in lines
    assert "post     | Secretary of Defen…" in lines
    assert lines[4].startswith("-[ RECORD 2 ]")
    assert max(width_of(x) for x in lines) <= 30


def test_numbers_align_right_and_unbound_cells_are_empty():
    result = QueryResult(
        "select", vars=["who", "n"],
        rows=[(URIRef("https://w3id.org/kg-news/id/person/x"), Literal(7)), (None, Literal(1234, datatype=XSD.integer))],
    )
    lines = result_lines(result, width=None, labels={"https://w3id.org/kg-news/id/person/x": "Someone"})
    assert lines[2] == "Someone |    7"
    assert lines[3] == "        | 1234"


def test_iris_without_labels_read_as_prefixed_names():
    result = QueryResult("select", vars=["c"], rows=[(URIRef("https://w3id.org/kg-news/id/country/NZL"),)])
    assert result_lines(result, width=None)[2] == "country:NZL"


def test_line_breaks_in_literals_stay_on_one_line():
    result = QueryResult("select", vars=["q"], rows=[(Literal("one\ntwo\tthree"),)])
    assert result_lines(result, width=None)[2] == "one two three"


def test_ask_and_footer():
    assert result_lines(QueryResult("ask", boolean=False), width=80) == ["false"]
    assert footer(1, 0.0123) == "1 row · 0.012 s"
    assert footer(2345, None) == "2,345 rows"
    assert footer(4, 0.5, "triple") == "4 triples · 0.500 s"


def test_colour_only_when_enabled():
    assert Painter(True).header("x") == "\x1b[1mx\x1b[0m"
    assert Painter(False).header("x") == "x"
    plain = table_lines(["a"], [["1"]], painter=Painter(False))
    assert "\x1b" not in "".join(plain)
