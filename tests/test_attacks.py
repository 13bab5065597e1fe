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
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.ontology import KG, KGID
from kg.store import ArticleGraph, OxigraphStore

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
    store.write_articles([ArticleGraph(str(article), facts=triples)])  # its graph and the knowledge graph
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


EVIDENCE = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a kg:Evidence } }"


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


# --- SERVICE, timeouts, Ctrl-C ----------------------------------------------------------------------


class TricklingServer:
    """A real HTTP server that accepts requests and answers one byte a second, or never."""

    def __init__(self, trickle: bool) -> None:
        import socket
        import threading

        self.requests = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.trickle = trickle
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import threading
        import time

        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.requests += 1

            def answer(conn=conn) -> None:
                try:
                    conn.recv(65536)
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n"
                    conn.sendall(head)
                    while self.trickle:
                        conn.sendall(b" ")
                        time.sleep(1)
                    time.sleep(120)
                except OSError:
                    pass

            threading.Thread(target=answer, daemon=True).start()


def test_service_is_refused_unless_allowed(small_store: Path) -> None:
    server = TricklingServer(trickle=False)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.port}/sparql> {{ ?s ?p ?o }} }}"
    done = kg("query", "--store", str(small_store), query)
    assert done.returncode == 2 and "--allow-service" in one_line(done)
    done = kg("shell", "--store", str(small_store), stdin=query + "\n")
    assert done.returncode == 2 and "--allow-service" in done.stderr
    assert server.requests == 0


def test_timeout_bounds_the_whole_answer_of_a_trickling_server() -> None:
    import time

    server = TricklingServer(trickle=True)
    started = time.monotonic()
    done = kg("query", "--store", f"http://127.0.0.1:{server.port}/sparql", "--timeout", "3", "ASK { ?s ?p ?o }")
    assert time.monotonic() - started < 15
    assert done.returncode == 1 and "3 s" in one_line(done)


def test_ctrl_c_stops_a_query_waiting_on_a_server_at_once() -> None:
    import time

    server = TricklingServer(trickle=False)
    child = subprocess.Popen([sys.executable, "-m", "kg", "query", "--store", f"http://127.0.0.1:{server.port}/sparql",
                              "ASK { ?s ?p ?o }"], stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while server.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    child.send_signal(signal.SIGINT)
    try:
        _, err = child.communicate(timeout=5)
    finally:
        child.kill()
    assert child.returncode == 130 and "interrupted" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1"])
def test_absurd_timeouts_are_one_line(small_store: Path, value: str) -> None:
    done = kg("query", "--store", str(small_store), "--timeout", value, "ASK {}")
    assert done.returncode == 2 and "--timeout" in one_line(done)


# --- crashes: a traceback where a one-line error belongs ---------------------------------------------


class FixedAnswerServer:
    """A real HTTP server that answers every request with 200 and the same body."""

    def __init__(self, body: bytes, content_type: str = "application/sparql-results+json", status: int = 200) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.parametrize("body", [
    b"[]", b"null", b'"text"', b'{"head": {"vars": ["x"]}, "results": {"bindings": ["a", "b"]}}',
    b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": "plain"}]}}', b'{"head": null}',
    b"[" * 200_000 + b"]" * 200_000,
])
def test_an_endpoint_answering_json_of_the_wrong_shape_is_one_line(body: bytes) -> None:
    server = FixedAnswerServer(body)
    done = kg("query", "--store", server.url, "SELECT ?x WHERE { ?x ?p ?o }")
    assert done.returncode == 1 and "the server sent" in one_line(done)


@pytest.mark.parametrize(("args", "env"), [
    (["explain", "<http://x> } ; DROP ALL ; #>"], {}),
    (["query", "--store", "http://127.0.0.1:9/sparql", "ASK {}"], {"KG_HTTP_TIMEOUT": "nan"}),
    (["query", "--store", "http://127.0.0.1:9/sparql", "ASK {}"], {"KG_HTTP_TIMEOUT": "-1"}),
    (["query", "--store", "http://127.0.0.1:9/sparql", "ASK {}"], {"KG_HTTP_TIMEOUT": "inf"}),
    (["query", "--store", "http://[::1", "ASK {}"], {}),
])
def test_hostile_arguments_are_one_line(small_store: Path, args: list[str], env: dict[str, str]) -> None:
    if args[0] == "explain":
        args = [args[0], "--store", str(small_store), *args[1:]]
    done = kg(*args, env=env)
    assert done.returncode == 2, done.stderr
    one_line(done)


def test_describe_of_a_malformed_iri_does_not_end_a_script(small_store: Path) -> None:
    done = kg("shell", "--store", str(small_store), stdin="\\describe <http://x> } ; DROP ALL ; #>\nASK {}\n")
    assert done.returncode == 2 and done.stdout == "true\n"
    assert "is not an IRI" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("damage", ["current", "sst"])
def test_a_damaged_store_is_one_line_for_every_writer(small_store: Path, tmp_path: Path, damage: str) -> None:
    if damage == "current":
        (small_store / "CURRENT").write_text("garbage\n")
    else:
        for table in small_store.glob("*.sst"):
            data = table.read_bytes()
            table.write_bytes(data[: len(data) // 2])
    article = tmp_path / "a.txt"
    article.write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Takeshi Iwaya"))
    rdf = tmp_path / "x.nq"
    rdf.write_text("<http://x/a> <http://x/p> <http://x/o> <http://x/g> .\n")
    for args, stdin in ((["build", "--store", str(small_store), str(article)], None),
                        (["load", "--store", str(small_store), str(rdf)], None),
                        (["shell", "--allow-update", "--store", str(small_store)], "ASK {}\n"),
                        (["query", "--store", str(small_store), "SELECT * WHERE { ?s ?p ?o }"], None)):
        done = kg(*args, stdin=stdin)
        assert done.returncode != 0, (args, done.stdout)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.strip().count("\n") == 0, (args, done.stderr)


@pytest.mark.parametrize(("content", "args"), [
    ("<http://x/a b> <http://x/p> <http://x/o> <http://x/g> .\n", []),
    ("_:b <http://x/p> <http://x/o> _:g .\n", []),
    ('<http://x/a> <http://x/p> "\\uD800" <http://x/g> .\n', []),
    ("<http://x/a> <http://x/p> <http://x/o> .\n", ["--graph", "http://x> y"]),
])
def test_hostile_rdf_is_refused_whole_in_one_line(tmp_path: Path, content: str, args: list[str]) -> None:
    rdf = tmp_path / ("x.nt" if args else "x.nq")
    rdf.write_text(content)
    done = kg("load", "--store", str(tmp_path / "kg"), str(rdf), *args)
    assert done.returncode == 2
    one_line(done)


def test_a_graph_store_url_answering_404_is_taken_as_no_graph_store() -> None:
    from kg.endpoint import _http_error, _NoGraphStore

    error = _http_error(404, "http://h/ds/data?graph=x", "graph upload", "", False)
    assert isinstance(error, _NoGraphStore)  # a guessed one falls back to SPARQL Update
    assert "nothing at" in str(_http_error(404, "http://h/sparql", "query", "", False))


def test_a_stray_windows_1252_stretch_spoils_only_itself() -> None:
    from kg.articles import decode

    data = "Défense minister Zoë Ångström said".encode() + b" \x93we agree\x94 " + "in Genève.".encode()
    assert decode(data) == "Défense minister Zoë Ångström said “we agree” in Genève."
    assert decode("Genève".encode("cp1252")) == "Genève"  # Windows-1252 throughout reads as before


# --- article folders: links, FIFOs -------------------------------------------------------------------


def test_links_out_of_the_folder_loops_and_fifos_are_reported_never_read(tmp_path: Path) -> None:
    from kg.articles import article_paths

    news = tmp_path / "news"
    (news / "sub").mkdir(parents=True)
    (news / "a.txt").write_text("An article.\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (news / "shadow.txt").symlink_to(secret)
    (news / "outside").symlink_to(tmp_path)  # a folder link out of the tree
    (news / "sub" / "again.txt").symlink_to(news / "a.txt")  # inside the tree: fine
    (news / "loop.txt").symlink_to(news / "loop.txt")
    (news / "gone.txt").symlink_to(news / "nothing.txt")
    os.mkfifo(news / "pipe.txt")

    found = dict(article_paths([str(news)]))

    assert found[str(news / "a.txt")] is None and found[str(news / "sub" / "again.txt")] is None
    assert "outside the folder" in found[str(news / "shadow.txt")]
    assert "outside the folder" in found[str(news / "outside")]
    assert "loops" in found[str(news / "loop.txt")]
    assert "does not exist" in found[str(news / "gone.txt")]
    assert "FIFO" in found[str(news / "pipe.txt")]
    assert not any(str(secret) == p for p in found)


def test_an_unreadable_sub_folder_is_reported(tmp_path: Path) -> None:
    import json
    import shutil
    import tempfile

    from kg.articles import article_paths

    base = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    news = base / "news"
    try:
        (news / "locked").mkdir(parents=True)
        (news / "a.txt").write_text("Minister Lena Hart spoke in Paris.\n")
        (news / "locked" / "b.txt").write_text("Minister Ana Berg spoke in Oslo.\n")
        for p in (base, news):
            p.chmod(0o755)
        (news / "locked").chmod(0o000)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child lists the folder as an unprivileged user (root reads every folder)
            try:
                os.close(read)
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                os.write(write, json.dumps(list(article_paths([str(news)]))).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as answer:
            found = dict(json.loads(answer.read() or "[]"))
        os.waitpid(pid, 0)
        assert found[str(news / "a.txt")] is None
        assert "cannot read this folder: permission denied" in found[str(news / "locked")]
    finally:
        (news / "locked").chmod(0o755)
        shutil.rmtree(base)


# --- hangs: punctuation runs ---------------------------------------------------------------------------


@pytest.mark.parametrize("run", [",", ", ", "\u201c", "=", "*", "(", ".,;:!?"])
def test_long_punctuation_runs_cost_little_and_keep_offsets(extractor, run: str) -> None:
    import time

    from kg.articles import parse_article
    from kg.pipeline import extract_articles

    head = ("WELLINGTON, 3 March 2024 - New Zealand Foreign Minister Winston Peters met Japanese Foreign "
            "Minister Takeshi Iwaya in Wellington on Monday.\n\n")
    tail = "\n\nThe talks went well, said Peters.\n"
    from kg.articles import calm_punctuation_runs

    text = head + run * (20_000 // len(run)) + tail
    assert len(calm_punctuation_runs(text)) == len(text)  # every position kept: offsets stay true
    article = parse_article("junk.txt", text.encode())
    assert article.text.endswith(tail)
    started = time.perf_counter()
    [(_, facts)] = list(extract_articles(extractor, [article], on_failure=lambda p, w: pytest.fail(w)))
    assert time.perf_counter() - started < 5  # was 74 s for 20,000 commas
    assert {o.name for o in facts.officials.values()} == {"Winston Peters", "Takeshi Iwaya"}


# --- a build killed between steps leaves a valid store -------------------------------------------------


def _article_naming(article: URIRef, people: list[str]) -> tuple[list[tuple], list[tuple]]:
    own = [(article, RDF.type, KG.Article)]
    described = []
    for name in people:
        person = KGID[f"person/{name.lower()}"]
        own.append((person, KG.mentionedIn, article))
        described += [(person, RDF.type, KG.Official), (person, RDFS.label, Literal(name))]
    return own, described


# Entities described in the knowledge graph that no article mentions, and facts of the knowledge
# graph that no article states any more.
ORPHANS = ("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c FILTER(?c != kg:Article) "
           "FILTER NOT EXISTS { GRAPH ?g { ?e kg:mentionedIn ?a } } }")
STALE = ("SELECT (COUNT(*) AS ?n) WHERE { ?e kg:mentionedIn ?a "
         "FILTER NOT EXISTS { GRAPH ?g { ?e kg:mentionedIn ?a } } }")


def test_a_replaced_or_dropped_article_takes_its_orphans_in_the_same_step(tmp_path: Path) -> None:
    from kg.build import _drop_replaced, _Plan
    from kg.store import ArticleGraph

    path = tmp_path / "kg"
    a, b = KGID["article/a"], KGID["article/b"]
    with OxigraphStore(path) as store:
        for article, people in ((a, ["Ana", "Ben", "Cleo"]), (b, ["Cleo"])):
            own, described = _article_naming(article, people)
            store.write_articles([ArticleGraph(str(article), own, descriptions=described)])
        # a changed version of a no longer names Ben; no prune runs after it (as if killed there)
        own, described = _article_naming(a, ["Ana"])
        store.write_articles([ArticleGraph(str(a), own, descriptions=described)])
    assert count(path, ORPHANS) == count(path, STALE) == 0
    assert count(path, 'SELECT (COUNT(*) AS ?n) WHERE { ?e rdfs:label "Ben" }') == 0
    assert count(path, 'SELECT (COUNT(*) AS ?n) WHERE { ?e rdfs:label "Cleo" }') == 1  # b still names her
    # a changed file is a new article: its earlier version goes in the same step as it is written
    a2 = KGID["article/a2"]
    with OxigraphStore(path) as store:
        own, described = _article_naming(a2, ["Dan"])
        store.write_articles([ArticleGraph(str(a2), own, descriptions=described, replaces=[str(a)])])
    assert count(path, ORPHANS) == count(path, STALE) == 0
    assert count(path, 'SELECT (COUNT(*) AS ?n) WHERE { ?e rdfs:label "Ana" }') == 0
    assert count(path, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} }}") == 0
    # and an earlier version found by a later build goes with what only it named
    with OxigraphStore(path) as store:
        _drop_replaced(store, _Plan(replaced={"b.txt": [str(b)]}, unchanged_sources={"b.txt"}))
    assert count(path, ORPHANS) == count(path, STALE) == 0
    assert count(path, 'SELECT (COUNT(*) AS ?n) WHERE { ?e rdfs:label "Cleo" }') == 0


def test_refresh_lets_a_read_only_shell_see_articles_built_since_it_opened(small_store: Path,
                                                                           private_config: Path) -> None:
    import io

    from kg.shell.repl import Shell

    out = io.StringIO()
    shell = Shell(str(small_store), interactive=False, out=out, err=out, color=False, fmt="csv")
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a kg:Article } }"
        shell.execute(query)
        with OxigraphStore(small_store) as writer:  # a build while the shell is open
            later = KGID["article/later"]
            writer.replace_graph(str(later), [(later, RDF.type, KG.Article)])
        shell.execute("\\refresh")
        shell.execute(query)
    finally:
        shell.close()
    counts = [line for line in out.getvalue().splitlines() if line.isdigit()]
    assert counts == ["1", "2"]


def test_drawings_see_a_label_changed_in_place(small_store: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import netgraph

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    thing = str(KGID["thing/5"])

    def label_now() -> str:
        netgraph.clear_cache()  # as a new command would start
        with OxigraphStore(small_store, read_only=True) as store:
            return netgraph.entity_graph(store, disk=True).nodes[thing].label

    assert label_now() == "thing number 5"
    with OxigraphStore(small_store) as writer:  # same size, same article hash: only the text changes
        # in the article's graph and in the knowledge graph (the default graph) alike
        writer.update(f'DELETE DATA {{ GRAPH <{KGID["article/small"]}> {{ <{thing}> rdfs:label "thing number 5" }} '
                      f'<{thing}> rdfs:label "thing number 5" }} ;'
                      f'INSERT DATA {{ GRAPH <{KGID["article/small"]}> {{ <{thing}> rdfs:label "thing number X" }} '
                      f'<{thing}> rdfs:label "thing number X" }}')
    assert label_now() == "thing number X"


def test_svg_exports_are_well_formed_and_show_labels_literally(tmp_path: Path) -> None:
    import shutil
    import xml.etree.ElementTree as ET

    if shutil.which("dot") is None:
        pytest.fail("Graphviz is not installed (scripts/system-deps.sh)")
    store = tmp_path / "kg"
    article = KGID["article/odd"]
    odd, other = KGID["person/odd"], KGID["country/NZL"]
    title = "A &lt; B &#x1F; C & D \x1f E"
    with OxigraphStore(store) as s:
        s.write_articles([ArticleGraph(
            str(article),
            facts=[(article, RDF.type, KG.Article), (odd, KG.represents, other),
                   (odd, KG.mentionedIn, article), (other, KG.mentionedIn, article)],
            descriptions=[(odd, RDF.type, KG.Official), (odd, RDFS.label, Literal(title)),
                          (other, RDF.type, KG.Country), (other, RDFS.label, Literal("NZ"))])])
    out = tmp_path / "odd.svg"
    done = kg("export", "--store", str(store), "--all", "-o", str(out))
    assert done.returncode == 0, done.stderr
    root = ET.parse(out).getroot()  # well-formed XML, or this raises
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("A &lt; B &#x1F; C & D" in t for t in texts), texts


# --- terminal escapes ------------------------------------------------------------------------------


def test_escape_sequences_from_titles_and_servers_never_reach_the_terminal(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    article = KGID["article/esc"]
    with OxigraphStore(store) as s:
        s.write_articles([ArticleGraph(str(article), facts=[
            (article, RDF.type, KG.Article), (article, RDFS.label, Literal("\x1b]0;owned\x07\x1b[2JTitle"))])])
    done = kg("query", "--store", str(store), "SELECT ?t WHERE { ?a a kg:Article ; rdfs:label ?t }")
    assert done.returncode == 0 and "\x1b" not in done.stdout and "\\x1b]0;owned" in done.stdout
    done = kg("shell", "--store", str(store), stdin="SELECT ?t WHERE { ?a a kg:Article ; rdfs:label ?t }\n")
    assert "\x1b" not in done.stdout
    server = FixedAnswerServer(b"Error \x1b[2J\x1b]0;owned\x07 in your query", content_type="text/plain", status=400)
    done = kg("query", "--store", server.url, "SELECT * WHERE { ?s ?p ?o }")
    assert done.returncode == 2 and "\x1b" not in done.stderr and "owned" in done.stderr


# --- error positions -------------------------------------------------------------------------------


def test_an_undeclared_prefix_after_a_semicolon_is_named_where_it_is(small_store: Path) -> None:
    done = kg("query", "--store", str(small_store), "SELECT * WHERE { ?s a kg:X ;\n  foo:bar ?o }")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "kg: query syntax error at line 2, column 3: undeclared prefix 'foo:' (declare it with PREFIX, or see \\prefixes)",
        "  foo:bar ?o }", "  ^"]


def test_the_caret_stays_under_its_character_after_tabs_and_zero_width_characters() -> None:
    from kg.errors import QuerySyntaxError

    assert QuerySyntaxError("x", "\t\t?s ?p ?o ) }", 1, 12).caret().splitlines()[1] == "\t\t" + " " * 9 + "^"
    assert QuerySyntaxError("x", "\u200b\u200b?s ?p ) }", 1, 9).caret().splitlines()[1] == " " * 6 + "^"
    assert QuerySyntaxError("x", "\u4e2d\u6587 ) }", 1, 4).caret().splitlines()[1] == " " * 5 + "^"


def test_ctrl_c_stops_a_long_query_on_the_embedded_store_at_once(small_store: Path) -> None:
    import time

    values = " ".join(str(i) for i in range(40))
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{k} {{ {values} }}" for k in range(6)) + " }"
    child = subprocess.Popen([sys.executable, "-m", "kg", "query", "--store", str(small_store), heavy],
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(3)  # started, and deep in the store's native code
    assert child.poll() is None
    started = time.monotonic()
    child.send_signal(signal.SIGINT)
    try:
        _, err = child.communicate(timeout=10)
    finally:
        child.kill()
    assert time.monotonic() - started < 3
    assert child.returncode == 130 and "interrupted" in err and "Traceback" not in err


# --- build: --jobs, the summary ----------------------------------------------------------------------


def test_jobs_are_capped_at_the_cores(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TALKS.format(title="Talks", nz="Winston Peters", jp="Takeshi Iwaya"))
    done = kg("build", "--store", str(tmp_path / "kg"), "--jobs", "1000", str(article))
    assert done.returncode == 0, done.stderr
    cores = len(os.sched_getaffinity(0))
    assert done.stderr == f"kg: --jobs 1000 is more than the {cores} cores here: using {cores}\n"
    assert done.stdout.startswith("built 1 article;")


def test_the_build_summary_speaks_of_one_in_the_singular() -> None:
    from kg.build import BuildReport

    report = BuildReport(built=1, triples=10, seconds=1.0,
                         counts={"officials": 1, "dialogues": 2, "treaties": 1, "policies": 1})
    assert report.summary(".kg") == ("built 1 article; 1 official, 2 dialogues, 1 treaty, 1 policy; "
                                     "10 triples into .kg in 1.0 s")


def test_the_readme_build_line_is_what_kg_build_seeds_prints(tmp_path: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    promised = re.search(r"\$ kg build seeds\n    (built .*)\n", readme)
    assert promised, "the README shows a sample `kg build seeds` line"
    done = kg("build", "seeds", env={"KG_STORE": ".kg"}, cwd=_copy_seeds(tmp_path))
    assert done.returncode == 0, done.stderr
    seconds = re.compile(r"in \d+\.\d s$")
    assert seconds.sub("in N s", done.stdout.strip()) == seconds.sub("in N s", promised.group(1))


def _copy_seeds(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_every_test_the_readme_names_for_a_promise_exists() -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### What is promised"):]
    section = section[: section.index("\n## ")]
    current, named = "", 0
    for m in re.finditer(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`::(\w+)`", section):
        current = m.group(1) or current
        name = m.group(2) or m.group(3)
        if name:
            named += 1
            assert f"def {name}(" in (ROOT / current).read_text(), f"{current}::{name}"
    assert named >= 20
