"""Random SPARQL-ish text, random RDF and random bytes thrown at `kg query`, `kg load` and
`kg build`: every input ends in an exit status (0, 1 or 2) and at most one-line errors, never a
traceback."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg import cli
from kg.ontology import KG, KGID
from kg.store import OxigraphStore

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPARQL_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", "$x", ".", ";", ",",
    "a", "kg:Official", "rdfs:label", "<http://x/a>", "<http://x/a b>", '"text"', "'t'", '"""long"""', "12", "-3.5e2",
    "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "BIND", "AS", "VALUES", "UNDEF", "LIMIT", "OFFSET",
    "ORDER BY", "GROUP BY", "COUNT(*)", "DISTINCT", "PREFIX", "BASE", "foo:", "a\u00b7b:", ":", "_:b", "#", "\n",
    "INSERT", "DELETE", "DATA", "DROP", "CLEAR", "COPY", "MOVE", "ADD", "LOAD", "ALL", "TO", "SILENT", "@en",
    "^^xsd:integer", "STR(", "REGEX(", "EXISTS", "NOT", "IN", "*", "|", "/", "^", "+", "!", "=", "<", ">", "&&",
]
sparqlish = st.lists(st.one_of(st.sampled_from(SPARQL_TOKENS), st.text(max_size=4)), max_size=30).map(" ".join)

iris = st.sampled_from(["<http://x/a>", "<http://x/b>", "<urn:kg:g>", "<http://x/a b>", "<bad>", "<>", "<http://x/\u00e9>"])
literals = st.one_of(
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    st.sampled_from(['"x"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"\\uD800"', '"a"^^<bad iri>']),
)
terms = st.one_of(iris, literals, st.sampled_from(["_:b1", "_:b2", "<http://x/p>"]))
rdf_lines = st.lists(
    st.tuples(terms, st.one_of(iris, st.just("<http://x/p>")), terms, st.one_of(iris, st.just(""), st.just("_:g"))),
    max_size=8,
).map(lambda quads: "".join(f"{s} {p} {o} {g} .\n" for s, p, o, g in quads))
rdf_text = st.one_of(rdf_lines, st.text(max_size=200), sparqlish)


@pytest.fixture(scope="module")
def tiny_store() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as folder:
        path = Path(folder) / "kg"
        article = KGID["article/fuzz"]
        with OxigraphStore(path) as store:
            store.replace_graph(str(article), [(article, RDF.type, KG.Article),
                                               (KGID["person/a"], RDFS.label, Literal("A")),
                                               (KGID["person/a"], KG.mentionedIn, article)])
        yield path


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    out = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = cli.main(list(argv))
        except SystemExit as e:  # argparse's own usage errors
            code = int(e.code or 0)
    return code, err.getvalue()


def assert_clean(code: int, err: str) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err, err
    for line in err.splitlines():
        assert line.startswith(("kg:", "usage:", "  ", "kg ", "<stdin>")) or "^" in line or line.strip() == "" \
            or not line.startswith("Traceback"), err


@FUZZ
@given(text=sparqlish)
@example(text='SELECT * WHERE { ?s ?p "\udcff" }')  # bytes that were not UTF-8 on the command line
@example(text="PREFIX a\u00b7b: <http://x/> INSERT DATA { <http://x/s> <http://x/p> 1 }")
@example(text="SELECT * WHERE { " + "(" * 3000 + " }")
def test_kg_query_never_tracebacks(tiny_store: Path, text: str) -> None:
    code, err = run("query", "--store", str(tiny_store), "--format", "csv", "--", text)
    assert_clean(code, err)


@FUZZ
@given(text=rdf_text, suffix=st.sampled_from([".nq", ".trig", ".ttl", ".nt", ".jsonld"]))
@example(text="_:s <http://x/p> <http://x/o> _:g .\n", suffix=".nq")  # a blank node naming a graph
@example(text='<http://x/a> <http://x/p> "\\uD800" <http://x/g> .\n', suffix=".nq")  # a lone surrogate
@example(text="<http://x/a> <http://x/p> <http://x/o> .\n", suffix=".nt")
def test_kg_load_never_tracebacks(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as folder:
        rdf = Path(folder) / f"x{suffix}"
        rdf.write_text(text, encoding="utf-8", errors="surrogatepass")
        code, err = run("load", "--store", str(Path(folder) / "kg"), "--graph", "http://x/g", str(rdf))
        assert_clean(code, err)
        if code == 0:  # what was loaded reads back
            code, err = run("query", "--store", str(Path(folder) / "kg"), "--format", "csv", "ASK { ?s ?p ?o }")
            assert code == 0, err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=600),
                      st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.lists(st.sampled_from(["Minister", "Ana Berg", " met ", "in Oslo", ".", ",", "\n",
                                                "\u201c", "\x1b[2J", "\u200b", "(", "2024"]),
                               max_size=60).map(lambda w: "".join(w).encode())))
def test_kg_build_never_tracebacks(extractor, data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as folder:
        article = Path(folder) / "news" / "a.txt"
        article.parent.mkdir()
        article.write_bytes(data)
        code, err = run("build", "--quiet", "--store", str(Path(folder) / "kg"), str(article.parent))
        assert_clean(code, err)
