"""Crashes, signals, concurrent processes and hostile queries, with real `kg` processes.

A build killed with SIGKILL leaves a store that opens and holds whole articles only; Ctrl-C stops
between articles with status 130; a second build on the same store is told who holds the lock; a
query during a build sees whole articles; bad queries get one line, a caret and status 2.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pexpect
import pytest

from kg.build import build_paths
from kg.errors import StoreError
from kg.ontology import KG, KNOWLEDGE_GRAPH
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

ARTICLES = 60
NATIONS = ["French", "Indian", "Japanese", "German", "Brazilian", "Kenyan", "Canadian", "Chilean"]
CITIES = ["Paris", "Delhi", "Tokyo", "Berlin", "Nairobi", "Ottawa", "Santiago", "Canberra"]
COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def kg_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "KG_MAX_ARTICLE_CHARS", "NO_COLOR")}
    # one article per write, so that a build of this small corpus can be stopped between writes
    return {**env, "KG_BUILD_BATCH": "1"}


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout,
                          env=kg_env())


def start(*args: str, new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=kg_env(), start_new_session=new_session)


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        nation, city = NATIONS[i % len(NATIONS)], CITIES[(i * 3) % len(CITIES)]
        text = (f"Talks number {i} in {city}\n\n"
                f"{nation} Foreign Minister Lena Hart{i} met Defence Secretary Omar Vale{i} in {city} on "
                f"{(i % 27) + 1} March 2024. Hart{i} said the two countries would deepen defence co-operation. "
                f"Vale{i} told reporters the talks had been constructive and that a new trade agreement was near.\n")
        (folder / f"article{i:03d}.txt").write_text(text)


def graphs(store_path: Path, read_only: bool = True) -> dict[str, set[tuple]]:
    by_graph: dict[str, set[tuple]] = defaultdict(set)
    with OxigraphStore(store_path, read_only=read_only) as store:
        for s, p, o, g in store.quads():
            by_graph[str(g)].add((s, p, o))
    return dict(by_graph)


def articles(found: dict[str, set[tuple]]) -> dict[str, set[tuple]]:
    return {g: t for g, t in found.items() if g != KNOWLEDGE_GRAPH}


def resolved_part(knowledge: set[tuple]) -> set[tuple]:
    """What resolution writes: the people, posts and events (nodes with kg:reportedAs), venues'
    cities and the digest of the articles it resolved."""
    nodes = {t[0] for t in knowledge if t[1] == KG.reportedAs}
    return {t for t in knowledge if t[0] in nodes or t[1] in (KG.locatedIn, KG.resolvedFrom)}


def assert_resolved(store_path: Path) -> None:
    """The people, posts and events are resolved from the articles the store holds: resolving
    again changes nothing."""
    from kg.resolve import is_resolved, resolve

    with OxigraphStore(store_path) as store:
        assert is_resolved(store)
        again = resolve(store)
    assert (again.added, again.removed) == (0, 0)


def assert_whole(found: dict[str, set[tuple]], expected: dict[str, set[tuple]], *, pruned: bool = False) -> None:
    """Every article graph found is complete, and the knowledge graph holds their facts and
    describes every entity those articles mention as a complete build does (and, once pruned,
    nothing else). People, posts and events depend on which articles are in the store: resolution's
    part is checked by `assert_resolved`."""
    described = found.get(KNOWLEDGE_GRAPH, set())
    described = described - resolved_part(described)
    full = expected[KNOWLEDGE_GRAPH] - resolved_part(expected[KNOWLEDGE_GRAPH])
    assert described <= full
    stated = set().union(*(t for g, t in articles(expected).items()))
    mentioned: set[object] = set()
    facts: set[tuple] = set()
    for graph, triples in articles(found).items():
        assert triples == expected[graph], f"{graph} is not whole"
        mentioned |= {s for s, p, _ in triples if p == KG.mentionedIn}
        facts |= triples & full
    needed = facts | {t for t in full - stated if t[0] in mentioned}
    assert needed <= described, "an article's facts or entities are not in the knowledge graph"
    if pruned:
        assert described == needed


def article_count(store_path: Path) -> int | None:
    """Articles committed so far, read the way `kg query` reads during a build (None: not yet readable)."""
    if not (store_path / "CURRENT").exists():
        return None
    try:
        with OxigraphStore(store_path, read_only=True) as store:
            return len(store.query("SELECT ?g WHERE { GRAPH ?g { ?g a kg:Article } }").rows)
    except (StoreError, RuntimeError):  # RocksDB while the build is still creating the store
        return None


def wait_for_articles(store_path: Path, n: int, proc: subprocess.Popen[str], limit: float = 180) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        count = article_count(store_path)
        if count is not None and count >= n:
            return count
        assert proc.poll() is None, f"the build ended before {n} articles were committed: {proc.communicate()}"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} articles after {limit} s")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "corpus"
    write_corpus(folder, ARTICLES)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[tuple]]]:
    """The store a complete build of the corpus gives, and its graphs."""
    path = tmp_path_factory.mktemp("reference") / "store"
    report = build_paths(str(path), [str(corpus)])
    assert report.built == ARTICLES and not report.failed
    return path, graphs(path)


# --- crashes and signals --------------------------------------------------------------------------


def test_kill_9_mid_build_keeps_whole_articles_and_a_rerun_completes(corpus: Path, reference, tmp_path: Path) -> None:
    _, expected = reference
    store = tmp_path / "store"
    proc = start("build", "--store", str(store), str(corpus))
    seen_before_kill = wait_for_articles(store, 3, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    after = graphs(store, read_only=False)  # opens for writing: the lock died with the process
    assert seen_before_kill <= len(articles(after)) < ARTICLES
    assert_whole(after, expected)

    again = kg("build", "--store", str(store), str(corpus))
    assert again.returncode == 0, again.stderr
    kept = len(articles(after))
    assert again.stdout.startswith(f"built {ARTICLES - kept} articles ({kept} unchanged)")
    assert graphs(store) == expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_between_articles_with_status_130(corpus: Path, reference, tmp_path: Path, jobs: str) -> None:
    """SIGINT to the whole process group, as a terminal sends it: with --jobs 2 the extraction
    workers get it too, and the build must still stop (not wait for them forever)."""
    _, expected = reference
    store = tmp_path / "store"
    proc = start("build", "--jobs", jobs, "--store", str(store), str(corpus), new_session=True)
    wait_for_articles(store, 3, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, err
    m = re.match(r"built (\d+) articles \((\d+) not built: interrupted\); .* in \d+\.\d s\n$", out)
    assert m, out
    built, left = int(m.group(1)), int(m.group(2))
    assert built + left == ARTICLES and left > 0
    assert err.splitlines() == [
        "kg: stopping after the current article (Ctrl-C again to stop at once)",
        f"kg: interrupted; the {built} articles built are kept (run the same command again to build the rest)",
    ]
    kept = graphs(store)
    assert len(articles(kept)) == built
    assert_whole(kept, expected, pruned=True)
    assert_resolved(store)


# --- two processes on one store -------------------------------------------------------------------


def test_second_build_is_told_who_holds_the_lock_and_queries_see_whole_articles(
    corpus: Path, reference, tmp_path: Path
) -> None:
    _, expected = reference
    expected_counts = {g: len(t) for g, t in expected.items()}
    store = tmp_path / "store"
    proc = start("build", "--store", str(store), str(corpus))
    wait_for_articles(store, 1, proc)

    second = kg("build", "--store", str(store), str(corpus))
    assert second.returncode == 1
    assert second.stderr == f"kg: store {store} is locked by process {proc.pid}\n"
    assert second.stdout == ""

    seen: list[int] = []
    during = 0  # queries that ended while the build was still running
    runaways = 0
    while proc.poll() is None and len(seen) < 6:
        # Always bounded: on rare occasions a read-only snapshot opened while the build writes
        # sends this query into a loop inside the store engine (seen once in several runs: 16 GB
        # and still counting). It is a known defect, allowed once here, and never a wrong answer.
        result = kg("query", "--store", str(store), "--format", "tsv", COUNT_QUERY, "--timeout", "30")
        if result.returncode == 1 and "query stopped after" in result.stderr and runaways == 0:
            runaways += 1
            continue
        assert result.returncode == 0, result.stderr
        rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
        counts = {g.strip("<>"): int(n.split("^^")[0].strip('"')) for g, n in rows}
        assert all(expected_counts[g] == n for g, n in counts.items() if g != KNOWLEDGE_GRAPH), \
            "a query saw part of an article"
        assert counts.get(KNOWLEDGE_GRAPH, 0) <= expected_counts[KNOWLEDGE_GRAPH]
        seen.append(len(counts))
        during += proc.poll() is None
    assert during >= 1 and seen == sorted(seen) and seen[0] >= 1
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert graphs(store) == expected


# --- queries --------------------------------------------------------------------------------------


def test_malformed_query_gives_line_column_and_caret(reference) -> None:
    store, _ = reference
    result = kg("query", "--store", str(store), "SELECT ?x\nWHERE { ?x a kg:Country ")
    assert result.returncode == 2
    first, line, caret = result.stderr.splitlines()
    assert re.match(r"kg: query syntax error at line 2, column 25: ", first)
    assert line == "WHERE { ?x a kg:Country "
    assert caret == " " * 24 + "^"


def test_undeclared_prefix_is_named(reference) -> None:
    store, _ = reference
    result = kg("query", "--store", str(store), "SELECT ?x WHERE { ?x a foaf:Person }")
    assert result.returncode == 2
    assert result.stderr.startswith("kg: query syntax error at line 1, column 24: undeclared prefix 'foaf:'")


def test_timeout_stops_a_runaway_query(reference) -> None:
    store, _ = reference
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    result = kg("query", "--store", str(store), "--timeout", "0.5", runaway, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("kg: query stopped after 0.5 s (--timeout 0.5)")
    assert result.stdout == ""


def test_query_with_timeout_answers_and_reports_errors_like_without(reference) -> None:
    store, _ = reference
    ok = kg("query", "--store", str(store), "--timeout", "30", "--format", "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }")
    assert ok.returncode == 0 and ok.stdout.splitlines() == ["n", str(ARTICLES)]
    bad = kg("query", "--store", str(store), "--timeout", "30", "SELECT ?x WHERE { ?x a }")
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[0].startswith("kg: query syntax error at line 1, column 25:")
    assert bad.stderr.splitlines()[2] == " " * 24 + "^"


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    "# a comment first\nDELETE WHERE { ?s ?p ?o }",
])
def test_sparql_update_is_refused_and_changes_nothing(reference, update: str) -> None:
    store, expected = reference
    for extra in ([], ["--timeout", "10"]):
        result = kg("query", "--store", str(store), *extra, update)
        assert result.returncode == 2
        assert result.stderr == "kg: this is a SPARQL Update, not a query: kg query only reads the store\n"
    assert graphs(store) == expected


def test_hostile_saved_query_parameter_is_one_literal(seeds_store: Path) -> None:
    store = seeds_store
    expected = graphs(store)
    hostile = 'country=x" } ; DROP ALL ; #'
    result = kg("query", "--store", str(store), "--saved", "officials-of-country", "--param", hostile)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("(0 rows)")
    assert graphs(store) == expected
    friendly = kg("query", "--store", str(store), "--saved", "officials-of-country", "--param",
                  "country=New Zealand", "--format", "csv")
    assert friendly.returncode == 0 and "Jonathan Coleman" in friendly.stdout


@pytest.mark.parametrize(("args", "status", "message"), [
    (["query"], 2, "kg: give exactly one of QUERY, --file F.rq or --saved NAME"),
    (["query", "--timeout", "0", "ASK {}"], 2, "kg: --timeout must be a number of seconds above 0"),
    (["query", "--file", "/nonexistent/q.rq"], 2, "kg: cannot read /nonexistent/q.rq: no such file or directory"),
    (["query", "--saved", "no-such-query"], 2, "kg: no saved query named 'no-such-query'"),
    (["query", "--saved", "officials-of-country"], 2, "kg: saved query 'officials-of-country' needs the parameter"),
    (["query", "--param", "a=b", "ASK {}"], 2, "kg: --param goes with --saved"),
    (["build", "--date", "someday", "x.txt"], 2, "kg: --date:"),
    (["build", "--jobs", "0", "x.txt"], 2, "kg: --jobs must be at least 1"),
])
def test_usage_errors_are_one_line_with_status_2(reference, args: list[str], status: int, message: str) -> None:
    store, _ = reference
    result = kg(args[0], "--store", str(store), *args[1:])
    assert result.returncode == status
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_query_on_a_missing_store_is_a_runtime_error(tmp_path: Path) -> None:
    result = kg("query", "--store", str(tmp_path / "none"), "ASK {}")
    assert result.returncode == 1
    assert result.stderr.startswith(f"kg: no store at {tmp_path / 'none'}")


# --- the progress bar -----------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_keeps_error_lines_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 8)
    (corpus / "article002.txt").write_bytes(b"")
    (corpus / "article005.txt").write_bytes(b"\x00\xff" * 100)
    store = tmp_path / "store"
    child = pexpect.spawn(sys.executable, ["-m", "kg", "build", "--store", str(store), str(corpus)],
                          env={**kg_env(), "TERM": "xterm", "COLUMNS": "100"}, dimensions=(24, 100), timeout=180)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before.decode("utf-8", "replace")

    assert child.exitstatus == 1
    assert "building" in output and "\x1b[" in output  # the bar was drawn
    assert f"kg: {corpus / 'article002.txt'}: empty file\r\n" in output
    assert f"kg: {corpus / 'article005.txt'}: binary data, not text\r\n" in output
    assert "built 6 articles (2 failed)" in output
    assert "kg: 2 of 8 articles failed (listed above)\r\n" in output
