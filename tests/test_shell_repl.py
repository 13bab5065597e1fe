"""The shell driven through prompt_toolkit's pipe input, on a real Oxigraph store; and scripts
piped into `kg shell`."""

from __future__ import annotations

import _thread
import io
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.ontology import KG, KGID
from kg.shell.metadata import load_metadata
from kg.shell.repl import Cancelled, Shell
from kg.store import ArticleGraph, OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
ENTER, ALT_ENTER, TAB, CTRL_C, CTRL_D = "\r", "\x1b\r", "\t", "\x03", "\x04"


def article_triples(article: URIRef) -> list[tuple]:
    usa, nzl, lp, jc = KGID["country/USA"], KGID["country/NZL"], KGID["person/leon-panetta"], KGID["person/jonathan-coleman"]
    talk, ev = KGID["dialogue/auckland-2012"], KGID["evidence/a1-1"]
    t = [
        (article, RDF.type, KG.Article),
        (article, DCTERMS.title, Literal("Panetta in Auckland")),
        (usa, RDF.type, KG.Country), (usa, RDFS.label, Literal("United States")), (usa, KG.isoCode, Literal("USA")),
        (nzl, RDF.type, KG.Country), (nzl, RDFS.label, Literal("New Zealand")), (nzl, KG.isoCode, Literal("NZL")),
        (lp, RDF.type, KG.Official), (lp, RDFS.label, Literal("Leon Panetta")), (lp, KG.represents, usa),
        (jc, RDF.type, KG.Official), (jc, RDFS.label, Literal("Jonathan Coleman")), (jc, KG.represents, nzl),
        (talk, RDF.type, KG.Dialogue), (talk, RDFS.label, Literal("Coleman and Panetta in Auckland")),
        (talk, KG.participant, lp), (talk, KG.participant, jc),
        (talk, KG.date, Literal("2012-09-21", datatype=XSD.date)),
        (ev, RDF.type, KG.Evidence), (ev, RDF.subject, talk), (ev, RDF.predicate, KG.participant), (ev, RDF.object, lp),
        (ev, KG.quote, Literal("Panetta met Coleman in Auckland.")), (ev, PROV.wasDerivedFrom, article),
        (ev, KG.confidence, Literal(0.9)), (article, KG.sourcePath, Literal("seeds/a1.txt")),
    ]
    t += [(x, KG.mentionedIn, article) for x in (usa, nzl, lp, jc, talk)]
    return t


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    article = KGID["article/a1"]
    triples = article_triples(article)
    store.write_articles([ArticleGraph(str(article), triples)])
    # Many rows for the long-result question.
    many = KGID["article/many"]
    things = [(KGID[f"thing/{i}"], RDFS.comment, Literal(f"thing {i}")) for i in range(1205)]
    store.write_articles([ArticleGraph(str(many), things)])
    store.close()
    return path


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)


def drive(store: Path, keys: str, **options) -> tuple[int, str, Shell]:
    """Type `keys` into a real shell (prompt_toolkit reading a pipe) and return what it printed."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        shell = Shell(str(store), interactive=True, out=out, err=out, pt_input=pipe, pt_output=DummyOutput(),
                      color=False, history=store.parent / "history", **options)
        pipe.send_text(keys + CTRL_D)
        status = shell.run_interactive()
    return status, out.getvalue(), shell


def test_multi_line_query_runs_when_complete(store_path):
    # Enter keeps the indentation of the line above.
    keys = "SELECT ?o ?c WHERE {" + ENTER + "  ?o a kg:Official ;" + ENTER + "kg:represents ?c }" + ENTER
    keys += "ORDER BY ?o" + ENTER  # the query above already ran: this is a new (broken) statement
    status, out, shell = drive(store_path, keys)
    assert status == 0
    assert "o                | c" in out
    assert "Jonathan Coleman | New Zealand" in out
    assert "Leon Panetta     | United States" in out
    assert "2 rows · " in out and " s" in out
    assert shell.last_query == "ORDER BY ?o"  # kept even when it fails, for \e to fix
    assert "query syntax error" in out
    history = (store_path.parent / "history").read_text()
    assert "+SELECT ?o ?c WHERE {\n+  ?o a kg:Official ;\n+  kg:represents ?c }\n" in history


def test_alt_enter_continues_a_complete_query(store_path):
    keys = "SELECT ?n WHERE { ?c kg:isoCode ?n }" + ALT_ENTER + "ORDER BY DESC(?n)" + ENTER
    _, out, shell = drive(store_path, keys)
    assert shell.last_query.endswith("\nORDER BY DESC(?n)")
    assert out.index("USA") < out.index("NZL")


def test_empty_line_runs_what_was_typed(store_path):
    keys = "SELECT ?x WHERE {" + ENTER + "  ?x kg:represents" + ENTER + ENTER + "ASK { ?s ?p ?o }" + ENTER
    status, out, shell = drive(store_path, keys)
    assert status == 0
    assert "query syntax error at line 2, column" in out
    assert out.rstrip().endswith("true")  # the shell went on


def test_errors_show_line_column_and_caret(store_path):
    keys = "SELECT ?x" + ALT_ENTER + "WHERE { ?x kg:represents ?y }" + ALT_ENTER + "LIMIT ten" + ENTER
    _, out, _ = drive(store_path, keys)
    assert "query syntax error at line 3, column 7" in out
    assert "\nLIMIT ten\n      ^\n" in out


def test_undeclared_prefix_is_named(store_path):
    _, out, _ = drive(store_path, "SELECT ?x WHERE { ?x foaf:name ?n }" + ENTER)
    assert "query syntax error at line 1, column" in out
    assert "prefix" in out and "\\prefixes" in out


def test_project_prefixes_need_no_declaration(store_path):
    _, out, _ = drive(store_path, "\\prefixes" + ENTER + "ASK { kgid:person\\/leon-panetta a kg:Official }" + ENTER)
    assert re.search(r"PREFIX kg: +<https://w3id.org/kg-news/ontology#>", out)
    assert re.search(r"PREFIX dct: +<http://purl.org/dc/terms/>", out)
    assert re.search(r"PREFIX person: +<https://w3id.org/kg-news/id/person/>", out)
    assert out.rstrip().endswith("true")


def test_ctrl_c_clears_the_line(store_path):
    _, out, shell = drive(store_path, "SELECT broken" + CTRL_C + "ASK { ?s a kg:Country }" + ENTER)
    assert "error" not in out and out.rstrip().endswith("true")
    assert shell.last_query == "ASK { ?s a kg:Country }"


def test_ctrl_c_abandons_a_running_query(store_path):
    shell = Shell(str(store_path), out=io.StringIO())
    started, release = threading.Event(), threading.Event()

    def slow() -> int:
        started.set()
        release.wait(30)
        return 1

    def interrupt() -> None:
        started.wait(30)
        _thread.interrupt_main()

    threading.Thread(target=interrupt).start()
    try:
        with pytest.raises(Cancelled):
            shell._in_worker(slow)
    finally:
        release.set()
        shell.close()


def test_ctrl_c_stops_a_running_query_for_real(store_path):
    """The query runs in a process of its own, killed on Ctrl-C: its work stops, not only the wait."""
    from kg import queryrun

    shell = Shell(str(store_path), out=io.StringIO())
    seen: list[int] = []

    def interrupt() -> None:
        deadline = time.monotonic() + 60
        while not queryrun.RUNNING and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.extend(queryrun.RUNNING)
        time.sleep(0.3)  # well into the cross product
        _thread.interrupt_main()

    threading.Thread(target=interrupt).start()
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    try:
        with pytest.raises(Cancelled):
            shell.run_query(cross)
    finally:
        shell.close()
    assert len(seen) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(seen[0], 0)  # gone, not running on
    assert not queryrun.RUNNING


def test_labels_toggle_and_readable_names(store_path):
    keys = "SELECT ?o WHERE { ?o kg:represents kgid:country\\/USA }" + ENTER + "\\labels off" + ENTER
    keys += "SELECT ?o WHERE { ?o kg:represents kgid:country\\/USA }" + ENTER
    _, out, _ = drive(store_path, keys)
    first, second = out.split("labels: off")
    assert "Leon Panetta" in first and "kgid:" not in first
    assert "person:leon-panetta" in second and "Leon Panetta" not in second


def test_formats_and_output_file(store_path, tmp_path):
    target = tmp_path / "out.csv"
    keys = "\\format csv" + ENTER + "SELECT ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n" + ENTER
    keys += f"\\o {target}" + ENTER + "SELECT ?c ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n" + ENTER + "\\o" + ENTER
    keys += "\\format json" + ENTER + "ASK { ?s ?p ?o }" + ENTER
    keys += "\\format table" + ENTER + "\\timing off" + ENTER + "SELECT ?n WHERE { ?c kg:isoCode ?n }" + ENTER
    _, out, _ = drive(store_path, keys)
    assert "n\r\nNZL\r\nUSA\r\n" in out
    assert target.read_bytes().decode() == (
        "c,n\r\nhttps://w3id.org/kg-news/id/country/NZL,NZL\r\nhttps://w3id.org/kg-news/id/country/USA,USA\r\n"
    )
    assert f"wrote 2 rows to {target}" in out
    assert '{"head": {}, "boolean": true}' in out
    assert out.rstrip().endswith("2 rows")  # timing off: no seconds


def test_output_file_stays_until_reset_keeps_whole_values_and_is_never_overwritten(store_path, tmp_path):
    target = tmp_path / "out.txt"
    long_value = "the " + "very " * 20 + "long value"
    keys = f"\\o {target}" + ENTER
    keys += f'SELECT ?v WHERE {{ VALUES ?v {{ "{long_value}" }} }}' + ENTER
    keys += "SELECT ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n" + ENTER  # still to the file
    keys += "\\o" + ENTER + "ASK { ?s ?p ?o }" + ENTER  # back to the screen
    keys += f"\\o {target}" + ENTER  # exists now: refused
    keys += "ASK { ?s kg:isoCode \"NZL\" }" + ENTER
    _, out, shell = drive(store_path, keys)
    written = target.read_text()
    assert long_value in written and "…" not in written  # a file gets the whole value
    assert "NZL" in written and "USA" in written and "true" not in written
    assert out.count(f"wrote 1 row to {target}") == 1 and f"wrote 2 rows to {target}" in out
    assert f"{target} exists (use --force to overwrite it)" in out
    assert out.rstrip().endswith("true")  # the refused \o left the results on the screen
    assert shell.output_file is None

    keys = f"\\o --force {target}" + ENTER + "SELECT ?n WHERE { ?c kg:isoCode \"USA\" BIND(\"x\" AS ?n) }" + ENTER
    drive(store_path, keys)
    assert target.read_text().splitlines()[0].strip() == "n" and "NZL" not in target.read_text()


def test_output_file_that_exists_fails_a_script_with_exit_2(store_path, tmp_path):
    target = tmp_path / "taken.csv"
    target.write_text("keep me\n")
    proc = run_script(store_path, f"\\o {target}\nASK {{ ?s ?p ?o }}\n")
    assert proc.returncode == 2
    assert f"<stdin>:1: {target} exists (use --force to overwrite it)" in proc.stderr
    assert target.read_text() == "keep me\n" and proc.stdout.strip() == "true"


def test_xml_and_graph_formats_in_the_shell(store_path):
    construct = "CONSTRUCT { ?o kg:represents ?c } WHERE { ?o kg:represents ?c }"
    keys = "\\format xml" + ENTER + "SELECT ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n" + ENTER + construct + ENTER
    keys += "\\format ntriples" + ENTER + construct + ENTER + "SELECT ?n WHERE { ?c kg:isoCode ?n } ORDER BY ?n" + ENTER
    _, out, _ = drive(store_path, keys)
    assert '<sparql xmlns="http://www.w3.org/2005/sparql-results#">' in out
    assert '<binding name="n"><literal>NZL</literal></binding>' in out
    assert "<rdf:RDF" in out and 'rdf:resource="https://w3id.org/kg-news/id/country/USA"' in out
    assert ("<https://w3id.org/kg-news/id/person/leon-panetta> <https://w3id.org/kg-news/ontology#represents> "
            "<https://w3id.org/kg-news/id/country/USA> .") in out
    assert "format: ntriples (graphs; SELECT and ASK results print as tables)" in out
    assert "\nn\n---\nNZL\nUSA\n2 rows" in out


def test_construct_prints_turtle(store_path):
    _, out, _ = drive(store_path, "CONSTRUCT { ?o kg:represents ?c } WHERE { ?o kg:represents ?c }" + ENTER)
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in out
    assert "kg:represents country:USA" in out
    assert "2 triples" in out


def test_narrow_screen_turns_the_table_vertical(store_path):
    query = "SELECT ?talk ?who ?date WHERE { ?talk kg:participant ?who ; kg:date ?date } ORDER BY ?who"
    _, out, _ = drive(store_path, query + ENTER, width=40)
    assert "-[ RECORD 1 ]" in out and "-[ RECORD 2 ]" in out
    assert "talk | Coleman and Panetta in Auckland" in out
    assert "who  | Jonathan Coleman" in out


def test_expanded_display_toggle(store_path, tmp_path):
    query = "SELECT ?talk ?who ?date WHERE { ?talk kg:participant ?who ; kg:date ?date } ORDER BY ?who"
    target = tmp_path / "records.txt"
    keys = "\\x" + ENTER + query + ENTER  # on: records even on a wide screen
    keys += f"\\o {target}" + ENTER + query + ENTER + "\\o" + ENTER  # and in a file
    keys += "\\x" + ENTER + query + ENTER  # off again: a table
    keys += "\\x maybe" + ENTER
    _, out, shell = drive(store_path, keys, width=200)
    on, off = out.split("expanded display: off")
    assert "expanded display: on" in on
    assert "-[ RECORD 1 ]" in on and "-[ RECORD 2 ]" in on and "who  | Jonathan Coleman" in on
    assert "-[ RECORD 2 ]" in target.read_text() and "who  | Leon Panetta" in target.read_text()
    assert "RECORD" not in off and re.search(r"talk +\| who +\| date", off)
    assert "\\x takes on, off or auto, not 'maybe'" in off

    # off: a table even on a screen too narrow for it (auto would turn it into records)
    _, out, _ = drive(store_path, "\\x off" + ENTER + query + ENTER + "\\x auto" + ENTER + query + ENTER, width=40)
    off, auto = out.split("expanded display: auto")
    assert "RECORD" not in off and "talk " in off and "| who" in off
    assert "-[ RECORD 1 ]" in auto


def test_long_results_ask_first(store_path):
    query = "SELECT ?s ?c WHERE { ?s rdfs:comment ?c }"
    _, out, _ = drive(store_path, query + ENTER + "n" + ENTER, terminal=True)
    assert "1,205 rows" in out
    assert "(the first 1,000 of 1,205 rows; \\o FILE writes them all)" in out
    assert out.count("| thing ") == 1000
    _, out, _ = drive(store_path, query + ENTER + "y" + ENTER, terminal=True)
    assert out.count("| thing ") == 1205


def test_updates_are_refused_without_allow_update(store_path):
    _, out, _ = drive(store_path, "INSERT DATA { kgid:x a kg:Country }" + ENTER)
    assert "SPARQL Update is refused: start the shell with --allow-update" in out


def test_destructive_updates_ask_for_confirmation(store_path):
    keys = "INSERT DATA { kgid:x a kg:Country }" + ENTER + "ASK { kgid:x a kg:Country }" + ENTER
    keys += "DELETE WHERE { kgid:x ?p ?o }" + ENTER + "n" + ENTER + "ASK { kgid:x a kg:Country }" + ENTER
    keys += "DELETE WHERE { kgid:x ?p ?o }" + ENTER + "y" + ENTER + "ASK { kgid:x a kg:Country }" + ENTER
    _, out, _ = drive(store_path, keys, allow_update=True, terminal=True)
    answers = [line for line in out.splitlines() if line in ("true", "false")]
    assert answers == ["true", "true", "false"]
    assert out.count("update done") == 2 and "not run" in out


def test_saved_queries(store_path, tmp_path):
    user = tmp_path / "config" / "kg" / "queries"
    user.mkdir(parents=True)
    (user / "officials-of.rq").write_text(
        "#+ title: Officials of a country\n"
        "#+ param: country iri -- the country\n"
        "SELECT ?o WHERE { ?o kg:represents ?_country }\n"
    )
    keys = "\\n" + ENTER
    keys += "\\n officials-of country=kgid:country\\/NZL" + ENTER
    keys += "\\n officials-of" + ENTER
    keys += "\\n officials-of 'country=x\" } ; DROP ALL ; #'" + ENTER
    keys += "ASK { ?c kg:isoCode \"USA\" }" + ENTER + "\\ns usa-known is the USA there" + ENTER
    keys += "\\np usa-known" + ENTER + "\\n usa-known" + ENTER + "\\nd usa-known" + ENTER + "\\np usa-known" + ENTER
    _, out, _ = drive(store_path, keys)
    assert "officials-of" in out and "country=<iri>" in out
    assert "Jonathan Coleman" in out and "Leon Panetta" not in out
    assert "saved query 'officials-of' needs the parameter(s): country" in out
    assert "is not an IRI" in out  # typed binding: the value never becomes query text
    assert "#+ description: is the USA there" in out and 'ASK { ?c kg:isoCode "USA" }' in out
    assert "deleted usa-known" in out
    assert "no saved query named 'usa-known'" in out


def test_help_lists_every_registered_command(store_path):
    from kg.shell.commands import unique_commands

    _, out, _ = drive(store_path, "\\?" + ENTER + "\\? \\n" + ENTER + "\\nosuch" + ENTER)
    for cmd in unique_commands():
        assert cmd.usage in out
    assert "list the saved queries, or run one with parameters" in out
    assert "unknown command \\nosuch" in out


def test_mistyped_commands_and_saved_query_names_get_did_you_mean(store_path):
    keys = "\\fromat csv" + ENTER + "\\exprot x.png" + ENTER + "\\descirbe x" + ENTER
    keys += "\\n oficials-of-contry" + ENTER + "\\np timelien" + ENTER + "\\? \\labls" + ENTER
    _, out, _ = drive(store_path, keys)
    assert "unknown command \\fromat (did you mean \\format?); \\? lists the commands" in out
    assert "unknown command \\exprot (did you mean \\export?)" in out
    assert "unknown command \\descirbe (did you mean \\describe?)" in out
    assert "no saved query named 'oficials-of-contry' (did you mean officials-of-country" in out
    assert "no saved query named 'timelien' (did you mean timeline?); \\n lists them" in out
    assert "unknown command \\labls (did you mean \\labels?)" in out


def test_algebra_and_explain(store_path):
    keys = "SELECT ?o WHERE { ?o a kg:Official FILTER(?o != kgid:x) }" + ENTER + "\\algebra" + ENTER
    keys += "\\explain" + ENTER + "\\explain ASK { ?s kg:represents ?c }" + ENTER
    _, out, _ = drive(store_path, keys)
    assert out.count("Filter(expr=(?o != kgid:x))") == 2
    assert "BGP\n        ?o a kg:Official\n" in out
    assert "AskQuery" in out and "?s kg:represents ?c" in out


def test_describe_why_and_explain_an_entity(store_path):
    keys = "\\describe Leon Panetta" + ENTER + "\\describe kgid:person\\/leon-panetta" + ENTER
    keys += "SELECT ?who WHERE { ?talk kg:participant ?who } ORDER BY ?who" + ENTER + "\\why" + ENTER
    keys += "\\explain Leon Panetta" + ENTER + "\\describe Nobody Here" + ENTER
    _, out, _ = drive(store_path, keys)
    described = out.split("Leon Panetta (person:leon-panetta)")
    assert len(described) == 3  # the title, for the label and for the prefixed name
    assert re.search(r"kg:represents +\| United States +\| out", described[1])
    assert re.search(r"kg:participant +\| Coleman and Panetta in Auckland +\| in", described[1])
    # \why: the evidence table (entity, fact, its other end, quote, article) for the last result's entities
    assert re.search(r"Leon Panetta +\| kg:participant +\| Coleman and Panetta in Auckland +\| Panetta met Coleman in Auckland\. +\| seeds/a1\.txt", out)
    assert "“Panetta met Coleman in Auckland.”  — seeds/a1.txt [0.90]" in out
    assert "no entity labelled 'Nobody Here' in the store" in out


def test_d_lists_classes_and_a_class_s_properties_with_counts(store_path):
    keys = "\\d" + ENTER + "\\d Official" + ENTER + "\\d kg:Country" + ENTER + "\\d Leon Panetta" + ENTER
    keys += "\\d Nothing" + ENTER
    _, out, _ = drive(store_path, keys, width=150)
    classes, official, country, entity = re.split(r"\nkg:Official: |\nkg:Country: |\nLeon Panetta \(", out)
    assert re.search(r"kg:Country +\| +2\n", classes) and re.search(r"kg:Official +\| +2\n", classes)
    assert official.startswith("2 instances\n")
    assert re.search(r"\nkg:represents +\| kg:Country +\| +2 \| +2\n", official)
    assert re.search(r"\nrdfs:label +\| xsd:string +\| +2 \| +2\n", official)
    assert "rdf:type" not in official
    assert re.search(r"referenced by:\n.*\n-.*\nkg:participant +\| kg:Dialogue +\| +2\n", official)
    assert re.search(r"\nkg:isoCode +\| xsd:string +\| +2 \| +2\n", country)
    assert re.search(r"\nkg:represents +\| kg:Official +\| +2$", country)
    assert "kg:represents" in entity and "United States" in entity  # not a class: \describe
    assert "no class or entity named 'Nothing' (\\d lists the classes)" in entity


def test_stats(store_path):
    _, out, _ = drive(store_path, "\\stats" + ENTER)
    assert "kg:Country  |         2" in out
    assert "kg:Official |         2" in out
    assert "Panetta in Auckland" in out


def test_metadata_from_the_store(store_path):
    store = OxigraphStore(store_path, read_only=True)
    try:
        meta = load_metadata(store)
    finally:
        store.close()
    classes = {c.name: c.count for c in meta.classes}
    assert classes["kg:Country"] == 2 and classes["kg:Official"] == 2
    assert "kg:Treaty" in classes  # from the ontology, even with no treaty in the store
    assert {p.name for p in meta.properties} >= {"kg:represents", "kg:participant", "rdfs:label"}
    people = {e.label: e for e in meta.entities}
    assert people["Leon Panetta"].name == "person:leon-panetta"
    assert people["Leon Panetta"].types == ("kg:Official",)
    assert meta.ranges.get("kg:represents") == "kg:Country"


def test_tab_completion_in_the_running_shell(store_path):
    """Completion needs the metadata loaded in the background, then a Tab on `kg:Off`."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        shell = Shell(str(store_path), interactive=True, out=out, err=out, pt_input=pipe,
                      pt_output=DummyOutput(), color=False, history=store_path.parent / "history")
        runner = threading.Thread(target=shell.run_interactive, daemon=True)
        runner.start()
        try:
            _wait(lambda: shell.prompt_session is not None and shell.metadata.entities)
            buffer = shell.prompt_session.app.current_buffer
            # Like a person: type, see the menu, press Tab.
            pipe.send_text("SELECT ?o WHERE { ?o a kg:Off")
            _wait(lambda: buffer.text.endswith("kg:Off") and offers(buffer, "kg:Official"))
            pipe.send_text(TAB)
            _wait(lambda: buffer.text.endswith("kg:Official"))
            pipe.send_text(" ; kg:represents New")
            _wait(lambda: buffer.text.endswith("New") and offers(buffer, "country:NZL"))
            pipe.send_text(TAB)
            _wait(lambda: buffer.text.endswith("country:NZL"))
            pipe.send_text(" }" + ENTER)
            _wait(lambda: "1 row" in out.getvalue())
        finally:
            pipe.send_text(CTRL_D)
            runner.join(30)
    assert "Jonathan Coleman" in out.getvalue()


def offers(buffer, text: str) -> bool:
    """The completion menu is open for what was typed last and lists `text` (completion runs in the
    background: a menu computed for an earlier prefix can still be showing)."""
    state = buffer.complete_state
    return state is not None and any(c.text == text for c in state.completions)


def _wait(condition, limit: float = 30.0) -> None:
    event = threading.Event()
    for _ in range(int(limit / 0.02)):
        if condition():
            return
        event.wait(0.02)
    raise AssertionError("the shell did not get there")


# --- scripts --------------------------------------------------------------------------------------


def run_script(store: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", "shell", "--store", str(store), *args],
        input=script, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )


def test_script_runs_queries_and_commands(store_path):
    script = (
        "# two queries and a command\n"
        "SELECT ?n WHERE { ?c kg:isoCode ?n }\nORDER BY ?n\n"
        "\\format tsv\n"
        "SELECT ?c WHERE {\n  ?c a kg:Country ;\n     kg:isoCode \"USA\" }\n"
    )
    proc = run_script(store_path, script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:4] == ["n", "--+", "NZL", "USA"] or "NZL\nUSA" in proc.stdout
    assert "?c\n<https://w3id.org/kg-news/id/country/USA>\n" in proc.stdout
    assert "kg shell" not in proc.stdout  # no banner, no prompt
    assert proc.stderr == "format: tsv\n"


def test_script_exit_status_on_a_syntax_error(store_path):
    proc = run_script(store_path, "ASK { ?s ?p ?o }\n\nSELECT ?x WHERE {\n  ?x ?p ?o .\n  ) }\n\nASK { ?s a kg:Country }\n")
    assert proc.returncode == 2
    assert proc.stdout == "true\ntrue\n"
    assert proc.stderr.startswith("<stdin>:5: query syntax error at line 3, column")
    assert "\n  ) }\n" in proc.stderr


def test_script_exit_status_on_a_failed_query(store_path):
    proc = run_script(store_path, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n",
                      "--allow-service")
    assert proc.returncode == 1
    assert proc.stderr.startswith("<stdin>:1: query failed:")
    assert "Traceback" not in proc.stderr


def test_script_updates_need_allow_update(store_path):
    proc = run_script(store_path, "INSERT DATA { kgid:y a kg:Country }\n")
    assert proc.returncode == 2 and "--allow-update" in proc.stderr
    proc = run_script(store_path, "INSERT DATA { kgid:y a kg:Country }\nASK { kgid:y a kg:Country }\n", "--allow-update")
    assert proc.returncode == 0 and proc.stdout == "true\n"


def test_missing_store_is_one_clear_line(tmp_path):
    proc = run_script(tmp_path / "nothing-here", "ASK { ?s ?p ?o }\n")
    assert proc.returncode == 1
    assert proc.stderr.startswith("kg: no store at ") and proc.stderr.count("\n") == 1


def test_edit_puts_the_edited_query_at_the_prompt(store_path, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/kg:Country/kg:Official/' \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    keys = "SELECT ?x WHERE { ?x a kg:Country }" + ENTER + "\\e" + ENTER + ENTER
    _, out, shell = drive(store_path, keys)
    assert shell.last_query == "SELECT ?x WHERE { ?x a kg:Official }"
    assert "Leon Panetta" in out


def test_path_and_central_come_from_the_analysis_module(store_path):
    keys = '\\path "Leon Panetta" "New Zealand"' + ENTER + "\\central --class Country" + ENTER
    _, out, _ = drive(store_path, keys)
    assert "Leon Panetta" in out and "New Zealand" in out
    assert "is not available" not in out and "Error" not in out


@pytest.mark.slow
def test_load_builds_articles_and_refreshes_completion(tmp_path):
    store = tmp_path / "fresh"
    OxigraphStore(store).close()  # an empty store to start from
    keys = f"\\load {ROOT / 'seeds'}" + ENTER + "SELECT (COUNT(*) AS ?n) WHERE { ?o a kg:Official }" + ENTER
    status, out, shell = drive(store, keys, allow_update=True)
    assert status == 0
    assert "built 2 articles" in out
    shell.refresher.wait()
    assert any(e.label == "Leon Panetta" for e in shell.metadata.entities)
    assert re.search(r"\nn\n-+\n *[1-9]\d*\n1 row", out)  # officials were built into the store
