"""Extraction in worker processes (`--jobs` > 1): the same facts in the same order as in one
process, failures kept to their article, and a stop, an early exit or a dead worker never hangs."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from kg.articles import PIECE_CHARS, Article, read_article
from kg.facts import ArticleFacts
from kg.pipeline import ExtractionWorkerError, _extract_in_workers, extract_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpusgen  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real articles with other names, places and dates (benchmarks/corpusgen.py)."""
    folder = tmp_path_factory.mktemp("varied")
    corpusgen.write_corpus(folder, 6, seed=11)
    return folder


def read_folder(folder: Path) -> list[Article]:
    articles = [read_article(str(p)) for p in sorted(folder.glob("*.txt"))]
    assert articles, f"no articles in {folder}"
    return articles


def many_articles(varied: Path, copies: int) -> list[Article]:
    """The seed and varied articles over and over, each copy under its own name."""
    base = read_folder(SEEDS) + read_folder(varied)
    return [replace(a, source=f"{a.source}#{n}") for n in range(copies) for a in base]


def run(extractor, articles: Iterable[Article], jobs: int, stop: Callable[[], bool] = lambda: False,
        piece_chars: int | None = None) -> tuple[list[tuple[Article, ArticleFacts]], list[tuple[str, str]]]:
    failures: list[tuple[str, str]] = []
    out = list(extract_articles(extractor, articles, jobs=jobs, on_failure=lambda p, w: failures.append((p, w)),
                                stop=stop, piece_chars=piece_chars))
    return out, failures


def wait_for_no_workers(limit: float = 10) -> None:
    deadline = time.monotonic() + limit
    while multiprocessing.active_children():
        assert time.monotonic() < deadline, f"workers still running: {multiprocessing.active_children()}"
        time.sleep(0.05)


@pytest.mark.parametrize("which", ["seeds", "varied"])
@pytest.mark.parametrize("piece_chars", [None, 900], ids=["whole", "in-pieces"])
def test_two_jobs_give_the_same_facts_in_the_same_order_as_one(extractor, varied: Path, which: str,
                                                               piece_chars: int | None) -> None:
    articles = read_folder(SEEDS if which == "seeds" else varied)
    one, one_failed = run(extractor, articles, 1, piece_chars=piece_chars)
    two, two_failed = run(extractor, articles, 2, piece_chars=piece_chars)

    assert not one_failed and not two_failed
    assert [a for a, _ in two] == articles and all(a is b for (a, _), b in zip(two, articles))
    assert [f for _, f in two] == [f for _, f in one]
    assert sum(len(f.officials) + len(f.dialogues) for _, f in two) > 0
    if piece_chars:  # the pieces' evidence points into the whole article's text
        for article, facts in two:
            for official in facts.officials.values():
                for e in official.evidence:
                    assert article.text[e.start:e.end].strip() == e.quote
    wait_for_no_workers()


def test_pipeline_loaded_again_in_spawned_workers_gives_the_same_facts(extractor) -> None:
    """The start method used where fork is not: each worker loads the pipeline itself."""
    articles = read_folder(SEEDS)
    one, _ = run(extractor, articles, 1)
    failures: list[tuple[str, str]] = []
    spawned = list(_extract_in_workers(extractor, articles, 2, lambda p, w: failures.append((p, w)),
                                       lambda: False, PIECE_CHARS, "spawn"))
    assert not failures
    assert [(a.source, f) for a, f in spawned] == [(a.source, f) for a, f in one]
    wait_for_no_workers()


def test_failing_article_is_reported_once_and_the_others_go_on(extractor, varied: Path) -> None:
    articles = many_articles(varied, 2)
    bad = 3
    # A date no reader gives makes the rules trip on every piece of this (long enough) article.
    articles[bad] = replace(articles[bad], date="not a date")
    assert len(articles[bad].text) > 2 * 900

    built, failures = run(extractor, articles, 2, piece_chars=900)

    assert [(source, why.split("(")[0]) for source, why in failures] == [(articles[bad].source, "extraction failed ")]
    assert failures[0][1].startswith("extraction failed (AttributeError: ") and "\n" not in failures[0][1]
    assert [a.source for a, _ in built] == [a.source for i, a in enumerate(articles) if i != bad]
    wait_for_no_workers()


def test_stop_request_while_the_workers_are_busy_ends_the_stream_promptly(extractor, varied: Path) -> None:
    articles = many_articles(varied, 12)
    requested = threading.Event()
    stopped_at: list[float] = []
    got: list[Article] = []
    for article, _ in extract_articles(extractor, articles, jobs=2, on_failure=lambda p, w: None,
                                       stop=requested.is_set):
        got.append(article)
        if len(got) == 1:  # as Ctrl-C does: the request comes while the stream waits on the workers
            threading.Timer(0.2, lambda: (stopped_at.append(time.monotonic()), requested.set())).start()
    ended = time.monotonic()

    assert stopped_at, "the stream ended before the stop request"
    assert ended - stopped_at[0] < 3
    assert 1 <= len(got) < len(articles)
    assert [a.source for a in got] == [a.source for a in articles[:len(got)]]
    wait_for_no_workers(5)


def test_stop_between_articles_gives_no_further_article(extractor, varied: Path) -> None:
    articles = many_articles(varied, 4)
    got: list[Article] = []
    started = time.monotonic()
    built, _ = run(extractor, (a for a in articles if not got.append(a)), 2, stop=lambda: len(got) >= 5)
    # the stop ends the input: not every article was even read
    assert len(got) < len(articles)
    assert [a.source for a, _ in built] == [a.source for a in articles[:len(built)]]
    assert time.monotonic() - started < 60
    wait_for_no_workers(5)


def test_leaving_the_stream_early_ends_the_workers(extractor, varied: Path) -> None:
    stream = extract_articles(extractor, many_articles(varied, 12), jobs=2, on_failure=lambda p, w: None)
    first, _ = next(stream)
    assert multiprocessing.active_children()
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 5
    assert first.source.endswith("#0")
    wait_for_no_workers(5)


def test_killed_worker_is_an_error_not_a_hang(extractor, varied: Path) -> None:
    deadline = time.monotonic() + 120  # a hang shows as a stop, which the test then fails on
    stream = extract_articles(extractor, many_articles(varied, 12), jobs=2, on_failure=lambda p, w: None,
                              stop=lambda: time.monotonic() > deadline)
    next(stream)
    os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
    # The pool ends the other worker itself (SIGTERM) as soon as one dies; now and then that end is
    # the only one seen by the time the error is worded.
    with pytest.raises(ExtractionWorkerError, match=r"^an extraction worker process stopped unexpectedly "
                                                    r"\(killed by SIG(KILL|TERM)\)$"):
        for _ in stream:
            pass
    assert time.monotonic() < deadline
    wait_for_no_workers(5)


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker processes from /proc")
def test_kg_build_with_a_killed_worker_says_so_and_exits(tmp_path: Path, varied: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for article in many_articles(varied, 15):
        path, copy = article.source.split("#")
        # each copy its own bytes: identical files are one article, and the workers must still be busy
        (corpus / f"{copy}-{Path(path).name}").write_text(f"{article.text}\n\n(copy {copy})\n")
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "KG_MAX_ARTICLE_CHARS")}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "--jobs", "2", "--store", str(tmp_path / "s"),
                             str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while len(workers := children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 1
    assert err == "kg: an extraction worker process stopped unexpectedly (killed by SIGKILL)\n"
    assert out == ""
