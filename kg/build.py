"""`kg build`: articles -> facts -> one named graph per article in the store.

Idempotent and incremental: an article whose bytes have not changed is skipped, a changed one
replaces its own graph (atomically), nothing else is touched. Articles stream through the
pipeline one at a time, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.articles import Article, ArticleError, article_paths, read_article
from kg.dates import PartialDate
from kg.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError
from kg.mapping import article_iri, to_triples
from kg.store import Store, open_store

INDEX_QUERY = """
SELECT ?g ?hash WHERE { GRAPH ?g { ?g a kg:Article ; kg:contentHash ?hash } }
"""


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

    def summary(self, location: str) -> str:
        parts = [f"built {self.built} article{'s' if self.built != 1 else ''}"]
        extra = []
        if self.unchanged:
            extra.append(f"{self.unchanged} unchanged")
        if self.failed:
            extra.append(f"{len(self.failed)} failed")
        if extra:
            parts[0] += f" ({', '.join(extra)})"
        if self.built:
            what = ", ".join(f"{n} {k}" for k, n in self.counts.items())
            parts.append(f"{what}; {self.triples} triples")
        return "; ".join(parts) + f" into {location} in {self.seconds:.1f} s"


def _index(store: Store) -> dict[str, str]:
    result = store.query(INDEX_QUERY)
    return {str(g): str(h) for g, h in result.rows if g is not None and h is not None}


def build_paths(
    location: str | None,
    paths: list[str],
    *,
    date: PartialDate | None = None,
    model: str | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = False,
    errors: list[str] | None = None,
) -> BuildReport:
    """Build the articles under `paths` into the store at `location`."""
    started = time.perf_counter()
    report = BuildReport()
    with open_store(location) as store:
        index = _index(store)
        todo = list(_pending(paths, index, date, force, report))
        if not todo:
            report.seconds = time.perf_counter() - started
            return report
        from kg.extract import Extractor

        extractor = Extractor(model)
        bar = _progress(len(todo)) if progress and len(todo) > 3 else None
        try:
            for article, facts in extractor.extract_many(_read_all(todo, date, report), n_process=max(1, jobs)):
                graph, triples = to_triples(article, facts)
                store.replace_graph(str(graph), triples)
                report.built += 1
                report.triples += len(triples)
                report.words += article.words
                for name, n in (("officials", len(facts.officials)), ("dialogues", len(facts.dialogues)),
                                ("treaties", len(facts.treaties)), ("policies", len(facts.policies))):
                    report.counts[name] = report.counts.get(name, 0) + n
                if bar:
                    bar.advance()
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            if bar:
                bar.stop()
    report.seconds = time.perf_counter() - started
    return report


def _pending(paths: list[str], index: dict[str, str], date: PartialDate | None, force: bool,
             report: BuildReport) -> Iterator[str]:
    """Paths whose content is new or changed (read once here only to hash them)."""
    import hashlib

    for path, error in article_paths(paths):
        if error:
            report.failed.append((path, error))
            continue
        if path == "-":
            yield path
            continue
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except OSError as e:
            report.failed.append((path, e.strerror or str(e)))
            continue
        if not force and index.get(str(article_iri(path))) == digest:
            report.unchanged += 1
            continue
        yield path


def _read_all(paths: list[str], date: PartialDate | None, report: BuildReport) -> Iterator[Article]:
    for path in paths:
        try:
            yield read_article(path, date)
        except ArticleError as e:
            report.failed.append((path if path != "-" else "<stdin>", str(e)))


class _progress:
    """A rich progress bar with articles/s and ETA, only on a terminal."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._p = Progress(
            TextColumn("building"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
            transient=True, console=None,
        )
        self._started = time.perf_counter()
        self._task = self._p.add_task("build", total=total, rate="")
        self._done = 0
        self._p.start()

    def advance(self) -> None:
        self._done += 1
        rate = self._done / max(1e-6, time.perf_counter() - self._started)
        self._p.update(self._task, advance=1, rate=f"{rate:.1f} articles/s")

    def stop(self) -> None:
        self._p.stop()


def build_command(args: argparse.Namespace) -> int:
    date = None
    if args.date:
        try:
            date = PartialDate.parse(args.date)
        except ValueError as e:
            raise UsageError(f"--date: {e}") from None
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    location = args.store
    report = build_paths(location, args.paths, date=date, model=args.model, jobs=args.jobs, force=args.force,
                         progress=sys.stderr.isatty() and not args.quiet)
    for path, why in report.failed:
        print(f"kg: {path}: {why}", file=sys.stderr)
    if not args.quiet:
        from kg.store import default_location

        print(report.summary(location or default_location()))
    if report.interrupted:
        print("kg: interrupted; the articles built so far are kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    if report.failed:
        print(f"kg: {len(report.failed)} article{'s' if len(report.failed) != 1 else ''} failed", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
