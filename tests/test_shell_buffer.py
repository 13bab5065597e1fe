"""When Enter runs the text, and how scripts are cut into statements."""

from __future__ import annotations

import pytest

from kg.errors import QuerySyntaxError
from kg.shell.buffer import is_complete, open_brackets, split_script


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE {\n  ?s ?p ?o\n}",
        "ASK { ?s a kg:Country }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
        "\\q",
        "\\format csv",
        "\\n officials country=kgid:usa",
        "",
        "   ",
        # Wrong but whole: it runs, and the error comes back with its position.
        "SELECT * WHERE { ?s foo:bar ?o }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT ten",
        "INSERT DATA { <x:a> <x:b> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        # An empty last line runs whatever was typed.
        "SELECT * WHERE {\n",
        "SELECT * WHERE {\n   ",
    ],
)
def test_complete(text):
    assert is_complete(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE {",
        "SELECT * WHERE { ?s ?p ?o ;",  # a `;` continues the pattern, it does not end the query
        "SELECT * WHERE { ?s ?p ?o ;\n  ?q ?r ;",
        "SELECT * WHERE { ?s ?p ?o } LIMIT",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY",
        "SELECT ?x",
        'SELECT * WHERE { ?s ?p "an open } string',
        "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, \"x\")",
        "PREFIX ex: <http://example.org/>",
        "INSERT DATA { <x:a> <x:b> 1 } ;",
        "DELETE { ?s ?p ?o } WHERE {",
    ],
)
def test_incomplete(text):
    assert not is_complete(text)


def test_brackets_in_strings_iris_and_comments_do_not_count():
    assert open_brackets('SELECT * { ?s ?p "}" }') == 0
    assert open_brackets("SELECT * { ?s ?p ?o # }\n") == 1
    assert open_brackets("SELECT * { ?s <http://x/(a> ?o }") == 0
    assert open_brackets('SELECT * { ?s ?p """a\n}""" }') == 0
    assert open_brackets('SELECT * { ?s ?p "a') == 2  # the open string counts as one more


def test_script_is_cut_into_statements():
    script = "\n".join(
        [
            "# officials by country",
            "\\format csv",
            "SELECT ?o WHERE { ?o a kg:Official }",
            "ORDER BY ?o",
            "SELECT ?c WHERE {",
            "  ?c a kg:Country ;",
            "     rdfs:label ?l }",
            "ASK { ?s ?p ?o }",
            "\\timing off",
            "PREFIX ex: <http://example.org/>",
            "SELECT * { { SELECT ?x",
            "  WHERE { ?x ?p ?o } } }",
            "",
            "SELECT *",
        ]
    )
    got = [(s.text, s.line) for s in split_script(script)]
    assert got == [
        ("\\format csv", 2),
        ("SELECT ?o WHERE { ?o a kg:Official }\nORDER BY ?o", 3),
        ("SELECT ?c WHERE {\n  ?c a kg:Country ;\n     rdfs:label ?l }", 5),
        ("ASK { ?s ?p ?o }", 8),
        ("\\timing off", 9),
        ("PREFIX ex: <http://example.org/>\nSELECT * { { SELECT ?x\n  WHERE { ?x ?p ?o } } }", 10),
        ("SELECT *", 14),
    ]


def test_blank_line_ends_a_broken_query():
    got = [s.text for s in split_script("SELECT * WHERE { ?s ?p\n\nASK { ?s ?p ?o }\n")]
    assert got == ["SELECT * WHERE { ?s ?p", "ASK { ?s ?p ?o }"]


def test_a_whole_query_that_breaks_a_rule_runs_on_enter_and_says_which():
    from kg.store import check_syntax

    ungrouped = "SELECT ?x ?y WHERE { ?x ?p ?y } GROUP BY ?x"
    assert is_complete(ungrouped)  # Enter runs it (to show the error), not a new line
    assert not is_complete("SELECT ?x WHERE { ?x ?p ?y } ORDER BY")  # unfinished: a new line
    with pytest.raises(QuerySyntaxError) as e:
        check_syntax(ungrouped)
    assert "the SELECT contains a variable that is unbound (with GROUP BY, select only grouped" in str(e.value)
    assert "expected one of" not in str(e.value)
