"""Attacks on the promises kg makes: outputs written whole, stdin and moved articles keeping their
identity, the read-only guard, saved-query names, one-line errors for hostile input. Each test
runs the real command in a child process where the promise is about the command line."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.ontology import KG, KGID
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None, cwd: Path | None = None,
       file_limit: int | None = None, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess:
    """Run `python -m kg ARGS`; `file_limit` caps the size of any file it writes (a disk filling up)."""

    def limit() -> None:
        if file_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    text = not isinstance(stdin, bytes)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, text=text,
        timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=cwd or ROOT,
        preexec_fn=limit,
    )


def err_of(done: subprocess.CompletedProcess) -> str:
    return done.stderr if isinstance(done.stderr, str) else done.stderr.decode("utf-8", "replace")


def one_line(done: subprocess.CompletedProcess) -> str:
    err = err_of(done)
    assert "Traceback" not in err, err
    assert err.count("\n") == 1, err
    return err


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A store of 600 labelled things in one article graph (a dump of some 40 KB)."""
    path = tmp_path / "kg"
    store = OxigraphStore(path)
    article = KGID["article/small"]
    triples = [(article, RDF.type, KG.Article)]
    triples += [(KGID[f"thing/{i}"], RDFS.label, Literal(f"thing number {i}")) for i in range(600)]
    store.replace_graph(str(article), triples)
    store.close()
    return path


# --- outputs are written whole or not at all ------------------------------------------------------


def test_dump_on_a_full_disk_keeps_the_previous_dump(small_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.trig"
    done = kg("dump", "--store", str(small_store), "-o", str(out))
    assert done.returncode == 0, done.stderr
    previous = out.read_bytes()
    assert len(previous) > 20_000
    # a second dump is refused without --force, and leaves the file alone
    done = kg("dump", "--store", str(small_store), "-o", str(out))
    assert done.returncode == 2 and "exists (use --force" in one_line(done)
    # with --force, a disk that fills up after 10 KB: the old dump stays whole, nothing else is left
    done = kg("dump", "--store", str(small_store), "-o", str(out), "--force", file_limit=10_000)
    assert done.returncode == 1 and f"cannot write {out}" in one_line(done)
    assert out.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg", "kg.trig"]


def test_export_on_a_full_disk_leaves_no_partial_drawing(small_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.dot"
    done = kg("export", "--store", str(small_store), "--all", "--max-nodes", "1000", "-o", str(out),
              file_limit=2_000)
    assert done.returncode == 1 and f"cannot write {out}" in one_line(done)
    assert not out.exists() and list(tmp_path.iterdir()) == [small_store]
    # the rerun is not told the file exists
    done = kg("export", "--store", str(small_store), "--all", "--max-nodes", "1000", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("digraph")


@pytest.mark.parametrize("command", [["query", "SELECT * WHERE { ?s ?p ?o }"], ["dump"]])
def test_standard_output_on_a_full_device_is_one_line(small_store: Path, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = kg(command[0], "--store", str(small_store), *command[1:], stdout=full)
    assert done.returncode == 1
    assert "no space left on device" in one_line(done)


# --- the read-only guard on the embedded store -----------------------------------------------------


@pytest.mark.parametrize("prefix", ["a\u00b7b", "p\u0300", "p\u203fq"])
def test_kg_query_refuses_updates_behind_any_prefix_name(small_store: Path, prefix: str) -> None:
    for attack in (f"PREFIX {prefix}: <http://x/> INSERT DATA {{ <http://x/a> <http://x/b> 1 }}",
                   f"PREFIX {prefix}: <http://x/> DROP ALL"):
        done = kg("query", "--store", str(small_store), attack)
        assert done.returncode == 2 and "SPARQL Update" in one_line(done)
    done = kg("query", "--store", str(small_store), "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert done.stdout.splitlines() == ["n", "601"]


# --- article identity: standard input, moved folders ----------------------------------------------

TALKS = """{title}

WELLINGTON, 3 March 2024 - New Zealand Foreign Minister {nz} met Japanese Foreign Minister {jp} in
Wellington on Monday. The two ministers said their countries would deepen defence co-operation.
"""


def article_sources(store: Path) -> list[str]:
    with OxigraphStore(store, read_only=True) as s:
        rows = s.query("SELECT ?p WHERE { GRAPH ?g { ?g a kg:Article ; kg:sourcePath ?p } } ORDER BY ?p").rows
    return [str(p) for (p,) in rows]


def count(store: Path, query: str) -> int:
    with OxigraphStore(store, read_only=True) as s:
        return int(s.query(query).rows[0][0])


EVIDENCE = "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Evidence }"


def test_two_articles_from_standard_input_are_both_kept(tmp_path: Path) -> None:
    import io

    from kg.build import build_paths

    store = tmp_path / "kg"
    first = TALKS.format(title="Talks in Wellington", nz="Winston Peters", jp="Takeshi Iwaya")
    second = TALKS.format(title="More talks", nz="Judith Collins", jp="Yoko Kamikawa")
    for text in (first, second, first):
        sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()))
        try:
            report = build_paths(str(store), ["-"])
        finally:
            sys.stdin = sys.__stdin__
        assert not report.failed
    assert article_sources(store) == ["<stdin>", "<stdin>"]
    assert count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a kg:Official }") == 4
    # under a --name, a second text replaces the first
    for text in (first, second):
        sys.stdin = io.TextIOWrapper(io.BytesIO(text.replace("Monday", "Tuesday").encode()))
        try:
            build_paths(str(store), ["-"], name="wire/latest.txt")
        finally:
            sys.stdin = sys.__stdin__
    assert article_sources(store) == ["<stdin>", "<stdin>", "wire/latest.txt"]


def test_a_moved_folder_keeps_every_article_once_with_its_new_path(tmp_path: Path) -> None:
    from kg.build import build_paths

    old, new, store = tmp_path / "news", tmp_path / "archive" / "2024", tmp_path / "kg"
    old.mkdir()
    (old / "a.txt").write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Takeshi Iwaya"))
    (old / "b.txt").write_text(TALKS.format(title="More talks", nz="Judith Collins", jp="Yoko Kamikawa"))
    assert build_paths(str(store), [str(old)]).built == 2
    evidence = count(store, EVIDENCE)
    new.parent.mkdir()
    old.rename(new)
    (new / "b.txt").rename(new / "renamed.txt")

    report = build_paths(str(store), [str(new)])

    assert (report.built, report.unchanged, report.moved) == (0, 2, 2)
    assert article_sources(store) == [str(new / "a.txt"), str(new / "renamed.txt")]
    assert count(store, EVIDENCE) == evidence
    # a file changed in place replaces its own earlier version, and nothing else
    (new / "a.txt").write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Gen Nakatani"))
    report = build_paths(str(store), [str(new)])
    assert (report.built, report.unchanged) == (1, 1)
    assert article_sources(store) == [str(new / "a.txt"), str(new / "renamed.txt")]
    assert count(store, 'SELECT (COUNT(*) AS ?n) WHERE { ?o rdfs:label "Takeshi Iwaya" }') == 0


# --- the shell: saved-query names, \load, COPY/MOVE/ADD, \i ---------------------------------------


@pytest.fixture
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "config"


def test_deleting_a_saved_query_never_reaches_outside_the_folder(small_store: Path, private_config: Path,
                                                                 tmp_path: Path) -> None:
    from test_shell_repl import ENTER, drive

    victim = tmp_path / "victim.rq"
    victim.write_text("ASK {}\n")
    (private_config / "kg" / "queries").mkdir(parents=True)
    relative = os.path.relpath(tmp_path / "victim", private_config / "kg" / "queries")
    _, out, _ = drive(small_store, f"\\nd {relative}" + ENTER + f"\\nd {tmp_path / 'victim'}" + ENTER)
    assert victim.exists()
    assert out.count("is not a valid query name") == 2


def test_load_is_refused_in_a_read_only_shell(small_store: Path, private_config: Path) -> None:
    from test_shell_repl import ENTER, drive

    status, out, _ = drive(small_store, f"\\load {ROOT / 'seeds'}" + ENTER)
    assert "--allow-update" in out and "built" not in out
    assert count(small_store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }") == 1


@pytest.mark.parametrize("update", [
    "COPY <urn:kg:nothing> TO <https://w3id.org/kg-news/id/article/small>",
    "MOVE <urn:kg:nothing> TO <https://w3id.org/kg-news/id/article/small>",
    "ADD <urn:kg:nothing> TO <https://w3id.org/kg-news/id/article/small>",
])
def test_copy_move_and_add_ask_before_they_run(small_store: Path, private_config: Path, update: str) -> None:
    from test_shell_repl import ENTER, drive

    _, out, _ = drive(small_store, update + ENTER + "n" + ENTER, allow_update=True, terminal=True)
    assert "not run" in out and "update done" not in out
    assert count(small_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 601


def test_include_of_itself_or_of_an_endless_file_is_one_error(small_store: Path, tmp_path: Path) -> None:
    script = tmp_path / "loop.kgs"
    script.write_text(f"ASK {{ ?s ?p ?o }}\n\\i {script}\n")
    done = kg("shell", "--store", str(small_store), stdin=f"\\i {script}\n\\i /dev/zero\nASK {{}}\n")
    assert done.returncode == 2
    assert done.stdout == "true\ntrue\n"
    assert "includes itself" in done.stderr and "longer than" in done.stderr
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr


def test_kg_query_of_an_endless_file_is_one_line(small_store: Path) -> None:
    done = kg("query", "--store", str(small_store), "-f", "/dev/zero")
    assert done.returncode == 2 and "longer than" in one_line(done)


def test_a_query_argument_that_is_not_utf8_is_one_line(small_store: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(small_store), b"ASK { \xff }"],
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 2 and "not UTF-8" in one_line(done)


# --- saved-query parameters -------------------------------------------------------------------------


def test_parameters_bind_past_a_where_in_a_comment_and_survive_quotes(small_store: Path, private_config: Path) -> None:
    folder = private_config / "kg" / "queries"
    folder.mkdir(parents=True)
    (folder / "thing.rq").write_text(
        "#+ title: A thing by label\n#+ param: label literal -- its label\n"
        "# looks in WHERE { the labels }\n"
        "SELECT ?t WHERE { ?t rdfs:label ?l . FILTER(STR(?l) = ?_label) }\n"
    )
    env = {"XDG_CONFIG_HOME": str(private_config)}
    done = kg("query", "--store", str(small_store), "--saved", "thing", "-p", "label=thing number 7",
              "--format", "csv", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["t", "https://w3id.org/kg-news/id/thing/7"]
    for value in ('x\n"', 'x\n\\"', '"""', "x\\"):
        done = kg("query", "--store", str(small_store), "--saved", "thing", "-p", f"label={value}",
                  "--format", "csv", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["t"]
