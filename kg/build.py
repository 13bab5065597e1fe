"""`kg build`: articles -> facts -> one named graph per article in the store.

Idempotent and incremental: an article whose bytes have not changed is skipped, a changed one
replaces its own graph (atomically), nothing else is touched. Articles stream through the
pipeline one at a time, so memory stays flat however large the corpus.

Failure is per article: a file that cannot be read or extracted is reported on one line (its path
and why) and the build goes on. New articles are written in batches of a couple of seconds' work,
each batch in one step; a changed article replaces its graph in one transaction. A build killed
at any moment keeps the batches written before it and nothing of the one in flight; running the
same command again builds the rest. Ctrl-C stops between articles and writes what was extracted.
Entity descriptions that no article mentions any more are pruned at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from kg.articles import Article, ArticleError, article_paths, display_path, read_article, source_name
from kg.dates import PartialDate
from kg.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, StoreError, UsageError
from kg.facts import ArticleFacts
from kg.mapping import article_iri, to_triples
from kg.pipeline import _oneline, extract_articles
from kg.store import ArticleGraph, Store, open_store

INDEX_QUERY = """
SELECT ?g ?hash ?version WHERE { GRAPH ?g { ?g a kg:Article ; kg:contentHash ?hash .
  OPTIONAL { ?g kg:extractorVersion ?version } } }
"""
# Builds of more articles than this show a progress bar (on a terminal only).
PROGRESS_MIN = 3


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0
    words: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False
    found: int = 0  # articles named or found under the folders given, bad ones included
    not_built: int = 0  # articles left for the next run by an interruption

    def summary(self, location: str) -> str:
        parts = [f"built {self.built} article{'s' if self.built != 1 else ''}"]
        extra = []
        if self.unchanged:
            extra.append(f"{self.unchanged} unchanged")
        if self.failed:
            extra.append(f"{len(self.failed)} failed")
        if self.interrupted:
            extra.append(f"{self.not_built} not built: interrupted")
        if extra:
            parts[0] += f" ({', '.join(extra)})"
        if self.built:
            what = ", ".join(f"{n} {k}" for k, n in self.counts.items())
            parts.append(f"{what}; {self.triples} triples")
        return "; ".join(parts) + f" into {location} in {self.seconds:.1f} s"


def _index(store: Store) -> dict[str, str]:
    from kg.facts import EXTRACTOR_VERSION

    result = store.query(INDEX_QUERY)
    # an article read by another version of the extractor counts as changed: its facts are redone
    return {str(g): str(h) for g, h, v in result.rows
            if g is not None and h is not None and str(v) == EXTRACTOR_VERSION}


class _StopRequest:
    """Ctrl-C asks the build to stop after the article in hand; a second Ctrl-C stops at once."""

    def __init__(self, notice: Callable[[str], None]) -> None:
        self.requested = False
        self._notice = notice
        self._pid = os.getpid()
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> _StopRequest:
        # Signal handlers can only be set from the main thread; elsewhere Ctrl-C is the caller's.
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def _handle(self, signum: int, frame: object) -> None:
        if os.getpid() != self._pid:
            return  # an extraction worker (forked with this handler): the parent decides
        if self.requested:
            # Extraction workers are ended first: spaCy waits for them as the interrupt unwinds.
            import multiprocessing

            for child in multiprocessing.active_children():
                child.terminate()
            raise KeyboardInterrupt
        self.requested = True
        self._notice("kg: stopping after the current article (Ctrl-C again to stop at once)")

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


def build_paths(
    location: str | None,
    paths: list[str],
    *,
    date: PartialDate | None = None,
    model: str | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = False,
    errors: list[str] | None = None,
    on_failure: Callable[[str, str], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the articles under `paths` into the store at `location`.

    `on_failure(path, reason)` is called as each article fails (the report keeps them all too);
    `notice(text)` gets status lines such as the one Ctrl-C prints. With `scheduler` (a Dask
    scheduler's address) the articles are extracted on that cluster's workers instead of here.
    """
    started = time.perf_counter()
    report = BuildReport()
    bar: _Progress | None = None

    def failed(path: str, why: str) -> None:
        report.failed.append((path, why))
        if errors is not None:
            errors.append(f"{path}: {why}")
        if on_failure is not None:
            if bar is not None:
                with bar.suspended():
                    on_failure(path, why)
            else:
                on_failure(path, why)

    def say(text: str) -> None:
        if notice is None:
            return
        if bar is not None:
            with bar.suspended():
                notice(text)
        else:
            notice(text)

    with open_store(location) as store, _StopRequest(say) as stop, ExitStack() as cluster_connection:
        index = _index(store)
        # only a store that held articles before can be left with entities no article mentions
        held_articles = bool(store.query("ASK { GRAPH ?g { ?g a kg:Article } }").boolean)
        todo = list(_pending(paths, index, force, failed, report))
        if not todo or stop.requested:
            report.interrupted = stop.requested
            report.not_built = len(todo) if stop.requested else 0
            report.seconds = time.perf_counter() - started
            return report
        if scheduler:
            from kg.cluster import ClusterExtraction

            cluster = cluster_connection.enter_context(ClusterExtraction(scheduler, model, notice=say))
        else:
            from kg.extract import Extractor

            extractor = Extractor(model)
        if stop.requested:
            report.interrupted, report.not_built = True, len(todo)
            report.seconds = time.perf_counter() - started
            return report
        bar = _Progress(len(todo)) if progress and len(todo) > PROGRESS_MIN else None
        before = len(report.failed)
        batch = _Batch(store, report, failed)
        try:
            articles = _read_all(todo, date, failed, stop)
            if scheduler:
                extracted = cluster.extract_articles(articles, on_failure=failed, stop=lambda: stop.requested)
            else:
                extracted = extract_articles(extractor, articles, jobs=jobs, on_failure=failed,
                                             stop=lambda: stop.requested)
            for article, facts in extracted:
                try:
                    graph = to_triples(article, facts)
                except Exception as e:  # one article's odd facts must not end the build
                    failed(article.source, f"cannot map its facts to RDF ({_oneline(e)})")
                    continue
                batch.add(article, facts, graph)
                if bar:
                    bar.advance()
        except KeyboardInterrupt:
            stop.requested = True
        finally:
            try:
                # what was extracted is written even when the build stops early: articles are whole
                batch.close()
            finally:
                if bar:
                    bar.stop()
                    bar = None
                report.interrupted = stop.requested
                if report.interrupted:
                    report.not_built = max(0, len(todo) - report.built - (len(report.failed) - before))
        if report.built and held_articles:
            # a changed article may have been the last to mention an entity
            store.prune_entities()
    report.seconds = time.perf_counter() - started
    return report


class _Batch:
    """Articles waiting to be written: the store takes them a batch at a time (its bulk path),
    at most a couple of seconds' work, so an interrupted build loses little.

    A batch is written on a thread of its own while the next articles are extracted (the store's
    bulk loader runs without Python's lock), one batch at a time and in order; `close` waits
    for the last one. Failures found while writing are reported from the building thread.
    """

    MAX_QUADS = 50_000  # about 100 news articles; `KG_BUILD_BATCH` overrides
    MAX_SECONDS = 2.0

    def __init__(self, store: Store, report: BuildReport, failed: Callable[[str, str], None]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store, self.report, self.failed = store, report, failed
        try:
            self.max_quads = max(1, int(os.environ.get("KG_BUILD_BATCH") or self.MAX_QUADS))
        except ValueError:
            raise UsageError(f"KG_BUILD_BATCH must be a number of quads, not {os.environ['KG_BUILD_BATCH']!r}") from None
        self.items: list[tuple[Article, ArticleFacts, ArticleGraph]] = []
        self.quads = 0
        self.since = time.perf_counter()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
        self._in_flight: Any = None
        self._refused: list[tuple[str, str]] = []

    def add(self, article: Article, facts: ArticleFacts, graph: ArticleGraph) -> None:
        if not self.items:
            self.since = time.perf_counter()
        self.items.append((article, facts, graph))
        self.quads += len(graph)
        if self.quads >= self.max_quads or time.perf_counter() - self.since >= self.MAX_SECONDS:
            self.write()

    def write(self) -> None:
        """Hand the articles collected so far to the writer (after the batch before them)."""
        items, self.items, self.quads = self.items, [], 0
        self._wait()
        if items:
            self._in_flight = self._writer.submit(self._write, items)

    def close(self) -> None:
        """Write what is collected and wait until everything handed over is in the store."""
        try:
            self.write()
            self._wait()
        finally:
            self._writer.shutdown(wait=True)

    def _wait(self) -> None:
        in_flight, self._in_flight = self._in_flight, None
        try:
            if in_flight is not None:
                in_flight.result()  # a store error raised on the writer surfaces here
        finally:
            refused, self._refused = self._refused, []
            for source, why in refused:
                self.failed(source, why)

    def _write(self, items: list[tuple[Article, ArticleFacts, ArticleGraph]]) -> None:
        try:
            self._store([g for _, _, g in items], items[0][0])
        except _Refused:
            # one article's triples were refused: write them one by one to find it
            for item in items:
                try:
                    self._store([item[2]], item[0])
                except _Refused as e:
                    self._refused.append((item[0].source, f"the store refused its triples ({e})"))
                    continue
                self._count(*item)
            return
        for item in items:
            self._count(*item)

    def _store(self, graphs: list[ArticleGraph], first: Article) -> None:
        try:
            self.store.write_articles(graphs)
        except OSError as e:
            raise StoreError(f"writing {display_path(first.source)} to the store failed: {_oneline(e)}") from None
        except (ValueError, SyntaxError) as e:
            raise _Refused(_oneline(e)) from None

    def _count(self, article: Article, facts: ArticleFacts, graph: ArticleGraph) -> None:
        report = self.report
        report.built += 1
        report.triples += len(graph)
        report.words += article.words
        for name, n in (("officials", len(facts.officials)), ("dialogues", len(facts.dialogues)),
                        ("treaties", len(facts.treaties)), ("policies", len(facts.policies))):
            report.counts[name] = report.counts.get(name, 0) + n


class _Refused(Exception):
    pass


def _pending(paths: list[str], index: dict[str, str], force: bool, failed: Callable[[str, str], None],
             report: BuildReport) -> Iterator[str]:
    """Paths whose content is new or changed (read once here only to hash them)."""
    for path, error in article_paths(paths):
        report.found += 1
        if error:
            failed(path, error)
            continue
        if path == "-":
            yield path
            continue
        try:
            digest = _file_hash(path)
        except OSError as e:
            failed(path, (e.strerror or str(e)).lower())
            continue
        if not force and index.get(str(article_iri(source_name(path)))) == digest:
            report.unchanged += 1
            continue
        yield path


def _file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_all(paths: list[str], date: PartialDate | None, failed: Callable[[str, str], None],
              stop: _StopRequest) -> Iterator[Article]:
    for path in paths:
        if stop.requested:
            return
        try:
            yield read_article(path, date)
        except ArticleError as e:
            failed(path if path != "-" else "<stdin>", str(e))
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as e:  # a reader library failing on one odd file
            failed(path if path != "-" else "<stdin>", f"cannot read it ({_oneline(e)})")


# --- progress -------------------------------------------------------------------------------------


class _Progress:
    """A rich progress bar with articles/s and ETA on standard error (shown only on a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(stderr=True)
        self._p = Progress(
            TextColumn("building"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
            transient=True, console=self.console,
        )
        self._started = time.perf_counter()
        self._task = self._p.add_task("build", total=total, rate="")
        self._done = 0
        self._p.start()

    def advance(self) -> None:
        self._done += 1
        rate = self._done / max(1e-6, time.perf_counter() - self._started)
        self._p.update(self._task, advance=1, rate=f"{rate:.1f} articles/s")

    def suspended(self) -> Any:
        """A context in which plain writes to stderr land above the bar, never inside it."""
        return _Suspended(self._p)

    def stop(self) -> None:
        self._p.stop()


class _Suspended:
    def __init__(self, progress: Any) -> None:
        self._p = progress

    def __enter__(self) -> None:
        self._p.live.stop()

    def __exit__(self, *exc: object) -> None:
        sys.stderr.flush()
        self._p.live.start()


# --- the command ----------------------------------------------------------------------------------


def _error_line(path: str, why: str) -> None:
    print(f"kg: {display_path(path)}: {why}", file=sys.stderr, flush=True)


def _notice_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def build_command(args: argparse.Namespace) -> int:
    date = None
    if args.date:
        try:
            date = PartialDate.parse(args.date)
        except ValueError as e:
            raise UsageError(f"--date: {e}") from None
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    scheduler = getattr(args, "scheduler", None)
    if scheduler is None:
        scheduler = os.environ.get("KG_DASK_SCHEDULER") or None
    if scheduler and args.jobs > 1:
        raise UsageError("--jobs and --scheduler do not go together: the cluster's workers do the extraction")
    from kg.store import default_location

    location = args.store or default_location()
    report = build_paths(location, args.paths, date=date, model=args.model, jobs=args.jobs, scheduler=scheduler,
                         force=args.force,
                         progress=sys.stderr.isatty() and not args.quiet, on_failure=_error_line,
                         notice=_notice_line)
    if not args.quiet or report.interrupted:
        print(report.summary(location), flush=True)
    if report.interrupted:
        print(f"kg: interrupted; the {report.built} article{'s' if report.built != 1 else ''} built are kept "
              "(run the same command again to build the rest)", file=sys.stderr)
        return EXIT_INTERRUPTED
    if report.failed:
        n, total = len(report.failed), report.found
        print(f"kg: {n} of {total} article{'s' if total != 1 else ''} failed (listed above)", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


__all__ = ["BuildReport", "build_command", "build_paths", "EXIT_FAILURE"]
