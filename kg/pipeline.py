"""Articles to facts: spaCy parses, the rules read each parse; long articles go in pieces.

Failures stay with their article: a text a rule trips on is reported and the stream goes on.
With several jobs, worker processes do all of an article's work (parse, rules, merging of pieces)
and send back only its facts: the main process just hands out articles and keeps their order.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import fields, is_dataclass, replace
from typing import Any

from kg.articles import Article, pieces
from kg.errors import KgError
from kg.facts import ArticleFacts, Evidence

# A chunk of articles goes to one worker at a time: enough text for spaCy's batching (a few news
# articles parse as fast per word as more), small enough that the workers finish at about the same
# time and a stop drops little work.
CHUNK_ARTICLES = 8
CHUNK_CHARS = 10_000
# Chunks handed out and not yet read back, per worker: the input streams, never held whole.
CHUNKS_AHEAD = 2
# How often a wait for a worker looks at the stop request.
STOP_POLL_SECONDS = 0.1


class ExtractionWorkerError(KgError):
    """An extraction worker process ended without giving back its articles (killed, crashed)."""


def extract_articles(
    extractor: Any,
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    on_failure: Callable[[str, str], None],
    stop: Callable[[], bool] = lambda: False,
    piece_chars: int | None = None,
) -> Iterator[tuple[Article, ArticleFacts]]:
    """(article, facts) for each article, in order, with failures reported instead of raised.

    Articles longer than `piece_chars` are parsed in paragraph-aligned pieces (spaCy's memory and
    the rules' time grow faster than the text); the pieces' facts are merged with their evidence
    offsets moved back into the whole article's text. This is what `kg.extract.Extractor.extract_many` does
    (`nlp.pipe`, then `extract_doc`), with each article's failure kept to that article.

    With `jobs` > 1 the articles are read by that many worker processes; a stop request ends the
    input and drops the articles in the workers' hands, and a worker that dies raises
    ExtractionWorkerError.
    """
    from kg.articles import PIECE_CHARS

    size = piece_chars or PIECE_CHARS
    if jobs > 1:
        yield from _extract_in_workers(extractor, articles, jobs, on_failure, stop, size, _start_method())
    else:
        yield from _extract_here(extractor, articles, on_failure, stop, size)


def _extract_here(extractor: Any, articles: Iterable[Article], on_failure: Callable[[str, str], None],
                  stop: Callable[[], bool], size: int) -> Iterator[tuple[Article, ArticleFacts]]:
    """All the work in this process, article after article."""
    from kg.extract import extract_doc

    # On a stop request the input simply ends and the articles already handed to spaCy are parsed
    # and dropped.
    def split() -> Iterator[tuple[str, tuple[Article, Article, int, int]]]:
        for article in articles:
            parts = pieces(article.text, size) if len(article.text) > size else [(0, article.text)]
            for i, (offset, text) in enumerate(parts):
                if stop():
                    return
                part = article if len(parts) == 1 else replace(article, text=text)
                yield text, (article, part, offset, len(parts) - 1 - i)

    partial: list[ArticleFacts] = []
    broken: str | None = None
    stopping = False
    for doc, (article, part, offset, left) in extractor.nlp.pipe(split(), as_tuples=True, batch_size=8):
        if stopping:
            continue
        if broken is None:
            try:
                facts = extract_doc(doc, part)
                partial.append(_shifted(facts, offset) if offset else facts)
            except (KeyboardInterrupt, MemoryError):
                raise
            except Exception as e:  # a rule tripping on one odd text: report it, keep building
                broken = f"extraction failed ({_oneline(e)})"
        if left:
            # the article in flight is dropped whole on a stop: nothing of it was written
            stopping = stop()
            continue
        if broken is not None:
            on_failure(article.source, broken)
        else:
            yield article, partial[0] if len(partial) == 1 else merge_facts(partial)
        partial, broken = [], None
        stopping = stop()


# --- worker processes -----------------------------------------------------------------------------


def _start_method() -> str:
    # fork shares the pipeline already loaded here; elsewhere fork is unsafe or missing.
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _extract_in_workers(
    extractor: Any,
    articles: Iterable[Article],
    jobs: int,
    on_failure: Callable[[str, str], None],
    stop: Callable[[], bool],
    size: int,
    start_method: str,
) -> Iterator[tuple[Article, ArticleFacts]]:
    """`_extract_here` spread over `jobs` worker processes, chunks of articles at a time, in order."""
    import multiprocessing

    # A forked worker inherits the loaded pipeline; a spawned one loads it again from where it came.
    pipeline: Any = extractor.nlp if start_method == "fork" else _pipeline_location(extractor.nlp)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(start_method),
                               initializer=_start_worker, initargs=(pipeline,))
    in_flight: deque[tuple[list[Article], Future[list[ArticleFacts | str]]]] = deque()
    chunks = article_chunks(articles, stop)
    workers: list[Any] = []  # the worker processes, known once chunks have started them
    finished = False
    try:
        while True:
            while len(in_flight) < CHUNKS_AHEAD * jobs:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                with _ctrl_c_held():  # a worker starting now must not take Ctrl-C for itself
                    in_flight.append((chunk, pool.submit(_chunk_facts, chunk, size)))
                # (a spawning pool starts its workers one by one, as work comes)
                workers = list((getattr(pool, "_processes", None) or {}).values()) or workers
            if not in_flight:
                break
            chunk, future = in_flight.popleft()
            # Waits in short steps: a stop request is honoured while the workers are busy.
            while not wait([future], timeout=STOP_POLL_SECONDS, return_when=FIRST_COMPLETED).done:
                if stop():
                    return
            for article, result in zip(chunk, future.result()):
                if stop():
                    return  # the articles not yet given out are dropped whole
                if isinstance(result, str):
                    on_failure(article.source, result)
                else:
                    yield article, result
        finished = True
    except BrokenProcessPool:  # from a chunk's result, or from handing out the next chunk
        raise ExtractionWorkerError(_worker_death(workers)) from None
    finally:
        _close_pool(pool, workers, finished)


def article_chunks(articles: Iterable[Article], stop: Callable[[], bool]) -> Iterator[list[Article]]:
    """The articles in chunks of a few (`CHUNK_ARTICLES`, `CHUNK_CHARS`), one worker's task at a time."""
    chunk: list[Article] = []
    chars = 0
    for article in articles:
        if stop():
            return
        chunk.append(article)
        chars += len(article.text)
        if len(chunk) >= CHUNK_ARTICLES or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk and not stop():
        yield chunk


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """SIGINT held back (not lost) while the pool may be starting processes: they begin with it held
    and ignore it before they let it through."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _close_pool(pool: ProcessPoolExecutor, workers: list[Any], finished: bool) -> None:
    """Workers that ran out of work exit; otherwise (a stop, an error, the reader gone) they are ended:
    waiting for them to finish articles nobody will read could take minutes."""
    if finished:
        pool.shutdown(wait=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(timeout=5)
    # The pool's manager thread closes its wake-up pipe as it ends; if it is still ending when the
    # interpreter exits, the exit hook can write to the closed pipe ("Bad file descriptor").
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=5)


def _worker_death(workers: list[Any]) -> str:
    """How the worker processes ended, in words, for the error that ends the stream."""
    ends: list[str] = []
    for worker in workers:
        worker.join(timeout=1)  # the pool ends the others itself once one has died
        code = worker.exitcode
        if code is not None and code < 0:
            try:
                end = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                end = f"killed by signal {-code}"
        elif code:
            end = f"exit status {code}"
        else:
            continue
        if end not in ends:
            ends.append(end)
    if len(ends) > 1 and "killed by SIGTERM" in ends:
        ends.remove("killed by SIGTERM")  # the pool ends the other workers itself once one has died
    how = f" ({', '.join(ends)})" if ends else ""
    return f"an extraction worker process stopped unexpectedly{how}"


def _pipeline_location(nlp: Any) -> str | None:
    """What `kg.nlp.load` needs to load the same pipeline in a spawned process."""
    path = getattr(nlp, "path", None)
    return str(path) if path is not None else None


# The worker's pipeline: set once per worker process by _start_worker.
_worker_nlp: Any = None


def _start_worker(pipeline: Any) -> None:
    """Runs first in each worker: the pipeline, and no Ctrl-C (the main process decides on stopping)."""
    global _worker_nlp
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent()
    if isinstance(pipeline, str) or pipeline is None:
        from kg.extract import Extractor

        pipeline = Extractor(pipeline).nlp
    _worker_nlp = pipeline


def _end_with_parent() -> None:
    """On Linux a worker is killed when the main process dies (a `kill -9` of the build): otherwise
    it would wait for work forever, holding a copy of the pipeline in memory."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _chunk_facts(chunk: list[Article], size: int) -> list[ArticleFacts | str]:
    """In a worker process: the facts of each article of `chunk`, or why it failed."""
    return chunk_facts(_worker_nlp, chunk, size)


def chunk_facts(nlp: Any, chunk: list[Article], size: int) -> list[ArticleFacts | str]:
    """The facts of each article of `chunk`, or why it failed, parsed with the pipeline `nlp`
    (articles longer than `size` characters in pieces). What a worker does with each task."""
    from kg.extract import extract_doc

    def split() -> Iterator[tuple[str, tuple[int, Article, int]]]:
        for n, article in enumerate(chunk):
            parts = pieces(article.text, size) if len(article.text) > size else [(0, article.text)]
            for offset, text in parts:
                yield text, (n, article if len(parts) == 1 else replace(article, text=text), offset)

    found: list[list[ArticleFacts]] = [[] for _ in chunk]
    failed: dict[int, str] = {}
    for doc, (n, part, offset) in nlp.pipe(split(), as_tuples=True, batch_size=8):
        if n in failed:
            continue
        try:
            facts = extract_doc(doc, part)
            found[n].append(_shifted(facts, offset) if offset else facts)
        except MemoryError:
            raise
        except Exception as e:  # a rule tripping on one odd text: report it, keep building
            failed[n] = f"extraction failed ({_oneline(e)})"
    return [failed[n] if n in failed else parts[0] if len(parts) == 1 else merge_facts(parts)
            for n, parts in enumerate(found)]


def _shifted(value: Any, offset: int) -> Any:
    """A copy of facts with every Evidence moved `offset` characters on."""
    if isinstance(value, Evidence):
        return replace(value, start=value.start + offset, end=value.end + offset)
    if isinstance(value, list):
        return [_shifted(v, offset) for v in value]
    if isinstance(value, dict):
        return {k: _shifted(v, offset) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        # dataclasses sets __dataclass_params__ on every dataclass; typeshed's protocol leaves it out
        if type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return value
        for f in fields(value):
            setattr(value, f.name, _shifted(getattr(value, f.name), offset))
    return value


def merge_facts(parts: list[ArticleFacts]) -> ArticleFacts:
    """One article's facts from those of its pieces: officials and treaties by key, the rest appended."""
    merged = ArticleFacts()
    for facts in parts:
        for key, off in facts.officials.items():
            mine = merged.officials.get(key)
            if mine is None:
                merged.officials[key] = off
                continue
            mine.posts.extend(off.posts)
            mine.evidence.extend(off.evidence)
            if len(off.name) > len(mine.name):
                mine.name = off.name
            if mine.country is None and off.country is not None:
                mine.country, mine.country_evidence = off.country, off.country_evidence
        merged.dialogues.extend(facts.dialogues)
        for treaty in facts.treaties:
            mine_t = next((t for t in merged.treaties if t.key == treaty.key), None)
            if mine_t is None:
                merged.treaties.append(treaty)
            else:
                mine_t.parties |= treaty.parties
                mine_t.events.extend(treaty.events)
                mine_t.evidence.extend(treaty.evidence)
        merged.policies.extend(facts.policies)
        for code, n in facts.countries.items():
            merged.countries[code] = merged.countries.get(code, 0) + n
    return merged


def _oneline(e: BaseException) -> str:
    text = " ".join(str(e).split())
    text = f"{type(e).__name__}: {text}" if text else type(e).__name__
    return text if len(text) <= 200 else text[:197] + "..."
