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

import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from kg.articles import Article, ArticleError, article_paths, display_path, read_article, source_name
from kg.dates import PartialDate
from kg.errors import StoreError, UsageError
from kg.facts import ArticleFacts
from kg.mapping import article_iri, to_triples
from kg.ontology import LEGACY_ENTITIES_GRAPH
from kg.pipeline import _oneline, extract_articles
from kg.resolve import resolve, resolve_if_needed
from kg.store import ArticleGraph, Store, open_store

INDEX_QUERY = """
SELECT ?g ?hash ?version ?path WHERE { GRAPH ?g { ?g a kg:Article ; kg:contentHash ?hash .
  OPTIONAL { ?g kg:extractorVersion ?version } OPTIONAL { ?g kg:sourcePath ?path } } }
"""
SOURCES_QUERY = "SELECT ?g ?path WHERE { GRAPH ?g { ?g a kg:Article ; kg:sourcePath ?path } }"
STDIN = "<stdin>"
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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # files left out, and why
    removed: list[str] = field(default_factory=list)  # articles dropped because their files are gone

    moved: int = 0  # unchanged articles found under a new path (their source path is updated)
    resolve_seconds: float = 0.0  # of `seconds`, the time taken to resolve people and events

    def summary(self, location: str) -> str:
        parts = [f"built {self.built} article{'s' if self.built != 1 else ''}"]
        extra = []
        if self.unchanged:
            extra.append(f"{self.unchanged} unchanged")
        if self.moved:
            extra.append(f"{self.moved} moved")
        if self.failed:
            extra.append(f"{len(self.failed)} failed")
        if self.interrupted:
            extra.append(f"{self.not_built} not built: interrupted")
        if extra:
            parts[0] += f" ({', '.join(extra)})"
        if self.built:
            what = ", ".join(f"{n} {k if n != 1 else _SINGULAR.get(k, k)}" for k, n in self.counts.items())
            parts.append(f"{what}; {self.triples} triples")
        if self.removed:
            parts.append(f"removed {len(self.removed)} whose files are gone ({removed_names(self.removed)})")
        if self.skipped:
            shown = ", ".join(f"{os.path.basename(p)} ({why})" for p, why in self.skipped[:4])
            more = f" and {len(self.skipped) - 4} more" if len(self.skipped) > 4 else ""
            parts.append(f"left out {shown}{more}")
        return "; ".join(parts) + f" into {location} in {self.seconds:.1f} s"


def removed_names(paths: list[str], most: int = 4) -> str:
    names = [os.path.basename(p) or p for p in paths]
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


@dataclass
class _Indexed:
    """An article graph the store holds."""

    iri: str
    current: bool  # read by this version of the extractor
    source: str


_SINGULAR = {"officials": "official", "dialogues": "dialogue", "treaties": "treaty", "policies": "policy"}


def _index(store: Store) -> dict[str, _Indexed]:
    from kg.extractor_version import extractor_version

    current = extractor_version()
    result = store.query(INDEX_QUERY)
    # an article read by another version of the extractor counts as changed: its facts are redone
    return {str(g): _Indexed(str(g), str(v) == current, str(p) if p is not None else "")
            for g, h, v, p in result.rows if g is not None and h is not None}


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
    name: str | None = None,
    exclude: list[str] | None = None,
    prune: bool = False,
) -> BuildReport:
    """Build the articles under `paths` into the store at `location`.

    `name` is the source path recorded for an article read from standard input (`-`): a later
    article under the same name replaces it. Without one, each distinct text read from standard
    input is an article of its own. `exclude`: gitignore patterns of files to leave out (as a
    folder's `.kgignore` does); `prune`: drop the articles built from files under `paths` that are
    no longer there.

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
        legacy = f"ASK {{ GRAPH <{LEGACY_ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"
        if not any(k.current for k in index.values()) and store.query(legacy).boolean:
            # A store from before the knowledge graph: its articles are all redone (their version
            # is older), and the entity descriptions now live in the knowledge graph.
            store.drop_graph(LEGACY_ENTITIES_GRAPH)
        # only a store that held articles before can be left with entities no article mentions
        held_articles = bool(index)
        plan = _plan(paths, index, force, failed, report, exclude or [])
        todo = plan.todo
        _relocate(store, plan.relocate)
        report.moved = len(plan.relocate)
        if prune:
            report.removed = _remove(store, _built_from(store, paths, keep=plan.sources))
        if not todo or stop.requested:
            dropped_now = _drop_replaced(store, plan)
            if dropped_now and not stop.requested:
                store.prune_entities()
            if not stop.requested:
                _resolve(store, report)
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

        def failed_with_copies(path: str, why: str) -> None:
            failed(path, why)
            for copy in plan.copies.pop(source_name(path), []):
                failed(copy, why)

        batch = _Batch(store, report, failed_with_copies)
        try:
            articles = _read_all(todo, date, failed_with_copies, stop, name)
            if scheduler:
                extracted = cluster.extract_articles(articles, on_failure=failed_with_copies,
                                                     stop=lambda: stop.requested)
            else:
                extracted = extract_articles(extractor, articles, jobs=jobs, on_failure=failed_with_copies,
                                             stop=lambda: stop.requested)
            for article, facts in extracted:
                try:
                    graph = to_triples(article, facts)
                except Exception as e:  # one article's odd facts must not end the build
                    failed_with_copies(article.source, f"cannot map its facts to RDF ({_oneline(e)})")
                    continue
                # the earlier version of a changed file goes in the same step as the new one
                graph.replaces = _earlier_versions(article.source, graph.iri, plan, index, name)
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
        report.unchanged += sum(len(c) for source, c in plan.copies.items() if source in batch.built_sources)
        dropped = _drop_replaced(store, plan)
        if (report.built or dropped) and held_articles:
            # a changed article may have been the last to mention an entity
            store.prune_entities()
        _resolve(store, report)
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
        self.built_sources: dict[str, str] = {}  # source path -> the graph built for it

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
        self.built_sources[article.source] = graph.iri
        report.triples += len(graph)
        report.words += article.words
        for name, n in (("officials", len(facts.officials)), ("dialogues", len(facts.dialogues)),
                        ("treaties", len(facts.treaties)), ("policies", len(facts.policies))):
            report.counts[name] = report.counts.get(name, 0) + n


class _Refused(Exception):
    pass


def _built_from(store: Store, paths: list[str], keep: Collection[str] = ()) -> dict[str, str]:
    """The articles in the store built from these files or from files under these folders
    (article graph -> its source path), but for those whose source path is in `keep`."""
    wanted = [os.path.abspath(p) for p in paths if p != "-"]
    kept = {os.path.abspath(k) for k in keep}
    found: dict[str, str] = {}
    for graph, source in store.query(SOURCES_QUERY).rows:
        where = os.path.abspath(str(source))
        if where not in kept and any(where == w or where.startswith(w.rstrip(os.sep) + os.sep) for w in wanted):
            found[str(graph)] = str(source)
    return found


def _remove(store: Store, articles: dict[str, str]) -> list[str]:
    """Drop these article graphs (their facts leave the knowledge graph unless another article
    states them), then what no article names any more. Returns their source paths."""
    for graph in articles:
        store.drop_graph(graph)
    if articles:
        store.prune_entities()
    return sorted(articles.values())


def remove_paths(location: str | None, paths: list[str]) -> tuple[list[str], list[str]]:
    """`kg remove`: drop the articles built from these files, or from files under these folders,
    whether or not the files still exist. Returns (removed source paths, paths that named none)."""
    with open_store(location) as store:
        built = _built_from(store, paths)
        unmatched = [p for p in paths if not any(
            os.path.abspath(s) == os.path.abspath(p) or os.path.abspath(s).startswith(os.path.abspath(p) + os.sep)
            for s in built.values())]
        removed = _remove(store, built)
        resolve_if_needed(store)  # the merges the removed articles took part in are redone
        return removed, unmatched


def _resolve(store: Store, report: BuildReport) -> None:
    """One node per person, post and event, from every article's reports: redone whenever the
    articles differ from those the knowledge graph was last resolved from (also after a build
    stopped before it could resolve)."""
    # an article written again with the same text leaves the digest as it was, but writing it took
    # its share of the resolved nodes out of the knowledge graph: resolve after every write
    done = resolve(store) if report.built else resolve_if_needed(store)
    if done is not None:
        report.resolve_seconds = done.seconds


@dataclass
class _Plan:
    todo: list[str] = field(default_factory=list)  # paths to build
    relocate: list[tuple[str, str]] = field(default_factory=list)  # (article graph, its new source path)
    # source path -> graphs of its earlier versions, dropped once the path is built or found unchanged
    replaced: dict[str, list[str]] = field(default_factory=dict)
    unchanged_sources: set[str] = field(default_factory=set)
    # source path of a file to build -> later files with the same bytes (one article; they share its fate)
    copies: dict[str, list[str]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)  # the source path of every file found, changed or not


def _plan(paths: list[str], index: dict[str, _Indexed], force: bool, failed: Callable[[str, str], None],
          report: BuildReport, exclude: list[str] | None = None) -> _Plan:
    """What to build, which unchanged articles moved, and which graphs hold earlier versions.

    An article is known by its content, so a moved or renamed file is found unchanged (its source
    path is updated), and a file whose content changed is a new article whose old graph goes once
    the new one is written. Two files with the same bytes are one article.
    """
    plan = _Plan()
    found: list[tuple[str, str, str]] = []  # (path, source, content hash)
    for path, error in article_paths(paths, exclude or (), report.skipped):
        report.found += 1
        if path != "-":
            plan.sources.add(source_name(path))
        if error:
            failed(path, error)
            continue
        if path == "-":
            plan.todo.append(path)
            continue
        try:
            found.append((path, source_name(path), _file_hash(path)))
        except OSError as e:
            failed(path, (e.strerror or str(e)).lower())
    article_at = {source: str(article_iri(digest)) for _, source, digest in found}
    taken: dict[str, str] = {}  # article graph -> the first source path found with its bytes
    for path, source, digest in found:
        iri = str(article_iri(digest))
        known = index.get(iri)
        fresh = known is None or not known.current or force
        if iri in taken and fresh:
            plan.copies.setdefault(taken[iri], []).append(path)
            continue
        if iri in taken or not fresh:
            report.unchanged += 1
            plan.unchanged_sources.add(source)
            if known is not None and iri not in taken and known.source != source \
                    and article_at.get(known.source) != iri:  # moved, not copied
                plan.relocate.append((iri, source))
        else:
            plan.todo.append(path)
        taken.setdefault(iri, source)
    by_source: dict[str, list[str]] = {}
    for known in index.values():
        by_source.setdefault(known.source, []).append(known.iri)
    current = set(article_at.values())
    for source, iri in article_at.items():
        earlier = [g for g in by_source.get(source, []) if g != iri and g not in current]
        if earlier:
            plan.replaced[source] = earlier
    return plan


def _relocate(store: Store, moves: list[tuple[str, str]]) -> None:
    """Point moved articles at their new source path (their facts stay as they are)."""
    from rdflib import Literal

    from kg.store import term_text

    operations = []
    for iri, source in moves:
        new = term_text(Literal(source))
        operations.append(
            f"DELETE {{ GRAPH <{iri}> {{ <{iri}> kg:sourcePath ?p ; dct:source ?s }} }}\n"
            f"INSERT {{ GRAPH <{iri}> {{ <{iri}> kg:sourcePath {new} ; dct:source {new} }} }}\n"
            f"WHERE {{ GRAPH <{iri}> {{ <{iri}> kg:sourcePath ?p OPTIONAL {{ <{iri}> dct:source ?s }} }} }}"
        )
    for start in range(0, len(operations), _MOVES_PER_REQUEST):  # a moved folder: few requests
        store.update(" ;\n".join(operations[start : start + _MOVES_PER_REQUEST]))


_MOVES_PER_REQUEST = 100


def _earlier_versions(source: str, iri: str, plan: _Plan, index: dict[str, _Indexed], name: str | None) -> list[str]:
    if source in plan.replaced:
        return [g for g in plan.replaced[source] if g != iri]
    if name and source == name:  # standard input under a --name: known only once read
        return [k.iri for k in index.values() if k.source == name and k.iri != iri]
    return []


def _drop_replaced(store: Store, plan: _Plan) -> int:
    """Drop the graphs of earlier versions of files found unchanged (left by a build stopped
    before it could drop them). The earlier versions of files built now went as they were written;
    a file that failed keeps its earlier version."""
    dropped = 0
    for source, graphs in plan.replaced.items():
        if source in plan.unchanged_sources:
            for graph in graphs:
                # one request: the graph, its facts and the descriptions only it needed go together
                store.drop_graph(graph)
                dropped += 1
    return dropped


def _file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_all(paths: list[str], date: PartialDate | None, failed: Callable[[str, str], None],
              stop: _StopRequest, name: str | None = None) -> Iterator[Article]:
    for path in paths:
        if stop.requested:
            return
        shown = path if path != "-" else (name or STDIN)
        try:
            yield read_article(path, date, name=name)
        except ArticleError as e:
            failed(shown, str(e))
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as e:  # a reader library failing on one odd file
            failed(shown, f"cannot read it ({_oneline(e)})")


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


__all__ = ["BuildReport", "build_paths", "remove_paths", "removed_names"]
