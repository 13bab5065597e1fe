"""Extraction on a Dask cluster: `kg build --scheduler tcp://HOST:8786`.

The machine running `kg build` reads and hashes the articles (unchanged ones are skipped before
any of this), sends them to the cluster's workers in chunks of a few articles, and writes the facts
that come back to the store exactly as a local build does. Each worker loads the spaCy pipeline
once, when it joins (a worker plugin), not per task.

Work in flight is bounded: a couple of chunks per worker thread are handed out at a time and the
next ones only as results come back, so memory on this machine and on the workers stays flat
however many articles there are. Results are taken in the order they finish.

Faults are the scheduler's business: the tasks of a worker that dies are run again on another
(a task is a pure function of its articles, so a rerun gives the same facts), and each chunk's
result is read once, so every article reaches the store once. Ctrl-C cancels what is in flight;
what was already extracted is written, and the same command builds the rest.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from types import TracebackType
from typing import Any, cast

from distributed import Client, WorkerPlugin, as_completed, get_worker

from kg.articles import Article
from kg.errors import KgError
from kg.facts import ArticleFacts
from kg.pipeline import _oneline, article_chunks, chunk_facts

DEFAULT_PORT = 8786  # Dask's, for an address given without one
# An address that answers nothing is reported after this long, not after Dask's default 30 s.
CONNECT_SECONDS = 5
# Chunks handed out and not yet read back, per worker thread: enough that a worker never waits
# for the next chunk while its last result travels back.
CHUNKS_AHEAD = 2
# How often a wait for results looks at the stop request, and how often the workers are counted.
STOP_POLL_SECONDS = 0.1
WORKERS_POLL_SECONDS = 2.0
# A cluster with no worker for this long is mentioned once (the build waits for workers to join).
NO_WORKERS_NOTICE_SECONDS = 5.0


class ClusterError(KgError):
    """The cluster could not be reached, or lost work it could not do again."""


class SpacyPipeline(WorkerPlugin):
    """Loads kg's spaCy pipeline once on each worker, when the worker starts or joins."""

    idempotent = True  # a second build on the same workers keeps the pipeline they hold

    def __init__(self, model: str) -> None:
        self.model = model
        self.nlp: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "nlp": None}  # the pipeline is loaded where it runs

    async def setup(self, worker: Any) -> None:
        _raise_trim_threshold()
        # Loading takes a second or two: off the worker's event loop, which keeps its heartbeats.
        self.nlp = await asyncio.to_thread(_load_pipeline, self.model)


# Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536, which also fixes glibc's
# mmap threshold at 128 KiB: every larger array of a parse is then mapped and unmapped anew, and
# freed memory is handed back after nearly every parse, which cost a worker about a tenth more CPU
# per word than a worker started without it. A worker keeps its pipeline for its whole life, so
# it keeps freed memory up to these sizes, as glibc's own adaptive thresholds would.
TRIM_THRESHOLD_BYTES = 64 << 20
MMAP_THRESHOLD_BYTES = 16 << 20


def _raise_trim_threshold() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, TRIM_THRESHOLD_BYTES)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, MMAP_THRESHOLD_BYTES)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc (musl has no such knob): nothing to change
        pass


def plugin_name(model: str) -> str:
    return f"kg-spacy-{model}"


def _load_pipeline(model: str) -> Any:
    from kg.extract import Extractor

    return Extractor(model).nlp


# One pipeline serves a worker's threads one task at a time (spaCy holds Python's lock anyway;
# workers are meant to run with one thread each and as many processes as cores).
_pipeline_lock = threading.Lock()


def extract_chunk(chunk: list[Article], size: int, model: str) -> list[ArticleFacts | str]:
    """A task, on a worker: the facts of each article of `chunk`, or why it failed."""
    # registered under that name by the client (`SpacyPipeline`)
    plugin = cast("SpacyPipeline | None", get_worker().plugins.get(plugin_name(model)))
    with _pipeline_lock:
        nlp = getattr(plugin, "nlp", None)
        if nlp is None:  # the plugin failed on this worker: load here (an error then names the cause)
            nlp = _load_pipeline(model)
            if plugin is not None:
                plugin.nlp = nlp
        return chunk_facts(nlp, chunk, size)


def _silence_dask_logs() -> dict[str, int]:
    """Turn off the loggers of Dask's client and its event loop; returns their levels before."""
    names = ["distributed", "tornado"] + [name for name in logging.root.manager.loggerDict
                                          if name.startswith(("distributed.", "tornado."))]
    levels = {}
    for name in names:
        log = logging.getLogger(name)
        levels[name] = log.level
        log.setLevel(logging.CRITICAL + 1)
    return levels


def _restore_logs(levels: dict[str, int]) -> None:
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _connect(address: str) -> Client:
    _probe(address)
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except BaseException as e:
        _abandon_client(e)
        if not isinstance(e, Exception):
            raise
        if isinstance(e, OSError | TimeoutError):
            why = " ".join(str(e).split()) or type(e).__name__
        elif isinstance(e, ValueError | TypeError):
            why = f"not a scheduler address: {_oneline(e)}"
        else:  # something else answers on that port
            why = f"no Dask scheduler answered there: {_oneline(e)}"
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({why})") from None


def _probe(address: str) -> None:
    """Fail at once when nothing listens at a TCP address (Dask itself retries until its timeout),
    and after `CONNECT_SECONDS` when what listens stays silent (Dask would wait for ever): a Dask
    scheduler speaks first, sending its handshake as it accepts a connection."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location, DEFAULT_PORT)
    except (ValueError, TypeError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} (not a scheduler address: "
                           f"{_oneline(e)})") from None
    if scheme != "tcp":
        return  # TLS and other transports: Dask's own connection reports
    try:
        with socket.create_connection((host, port), timeout=CONNECT_SECONDS) as probe:
            if not probe.recv(1):
                raise ConnectionResetError("closed the connection at once: not a Dask scheduler")
    except ConnectionRefusedError:
        why = "connection refused: no scheduler listens there"
    except TimeoutError:
        why = f"no answer in {CONNECT_SECONDS} s: is it a Dask scheduler?"
    except socket.gaierror as e:
        why = f"unknown host: {e.strerror or e}"
    except OSError as e:
        why = (e.strerror or str(e)).lower()
    else:
        return
    raise ClusterError(f"cannot reach the Dask scheduler at {address} ({why})")


def _abandon_client(error: BaseException) -> None:
    """Mark a client whose constructor failed as closed and stop its event loop: otherwise it tries
    to close itself as the interpreter exits, waits ten seconds and prints a traceback."""
    tb = error.__traceback__
    while tb is not None:
        half_made = tb.tb_frame.f_locals.get("self")
        if isinstance(half_made, Client):
            half_made.status = "closed"
            runner = getattr(half_made, "_loop_runner", None)
            if runner is not None:
                runner.stop()
            return
        tb = tb.tb_next


class ClusterExtraction:
    """A connection to a Dask scheduler that extracts articles on its workers.

        with ClusterExtraction("tcp://10.0.0.5:8786", model=None, notice=print) as cluster:
            for article, facts in cluster.extract_articles(articles, on_failure=...):
                ...
    """

    def __init__(self, address: str, model: str | None = None,
                 notice: Callable[[str], None] = lambda text: None) -> None:
        from kg import nlp

        self.address = address
        self.model = nlp.model_name(model)  # the name as this machine resolves it, for every worker
        self.notice = notice
        self.client: Client | None = None
        self._threads = 0
        self._counted = 0.0
        self._log_levels: dict[str, int] = {}

    def __enter__(self) -> ClusterExtraction:
        # Dask's client logs its connection troubles with tracebacks; kg reports them on one line.
        self._log_levels = _silence_dask_logs()
        try:
            self.client = _connect(self.address)
        except BaseException:
            _restore_logs(self._log_levels)
            raise
        try:
            self.client.register_plugin(SpacyPipeline(self.model), name=plugin_name(self.model))
        except (OSError, TimeoutError, CancelledError):
            self.close()
            raise ClusterError(f"lost the connection to the Dask scheduler at {self.address}") from None
        except Exception as e:  # raised on a worker and carried back: kg or the pipeline missing there
            self.close()
            raise ClusterError(f"a Dask worker of {self.address} cannot load kg's spaCy pipeline "
                               f"'{self.model}' ({_oneline(e)}); install kg on every worker") from None
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        client, self.client = self.client, None
        try:
            if client is not None:
                client.close(timeout=CONNECT_SECONDS)
        except Exception:  # noqa: BLE001 - a scheduler already gone: nothing left to close
            pass
        finally:
            _restore_logs(self._log_levels)

    def extract_articles(
        self,
        articles: Iterable[Article],
        *,
        on_failure: Callable[[str, str], None],
        stop: Callable[[], bool] = lambda: False,
        piece_chars: int | None = None,
    ) -> Iterator[tuple[Article, ArticleFacts]]:
        """(article, facts) for each article as its chunk comes back, failures reported instead.

        What `kg.pipeline.extract_articles` gives, in the order the workers finish. A stop request
        ends the stream within a fraction of a second and cancels the chunks in flight.
        """
        from kg.articles import PIECE_CHARS

        client = self.client
        if client is None:
            raise RuntimeError("ClusterExtraction used outside its with block")
        size = piece_chars or PIECE_CHARS
        build = uuid.uuid4().hex[:12]  # task keys of this build: never the same as another build's
        chunks = article_chunks(articles, stop)
        finished = as_completed(loop=client.loop)
        in_flight: dict[str, tuple[list[Article], Any]] = {}
        handed_out = 0
        try:
            while True:
                window = max(1, CHUNKS_AHEAD * self._worker_threads())
                while len(in_flight) < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    key = f"kg-extract-{build}-{handed_out}"
                    future = client.submit(extract_chunk, chunk, size, self.model, key=key, pure=False)
                    in_flight[key] = (chunk, future)
                    finished.add(future)
                    handed_out += 1
                if not in_flight:
                    return
                for future in self._next_finished(finished, stop):
                    chunk, _ = in_flight.pop(future.key)
                    results = self._results(future)
                    for article, result in zip(chunk, results):
                        if isinstance(result, str):
                            on_failure(article.source, result)
                        else:
                            yield article, result
                    if stop():
                        return  # the chunks not yet read back are dropped whole
                if stop():
                    return
        finally:
            if in_flight:
                try:
                    client.cancel([future for _, future in in_flight.values()])
                except Exception:  # noqa: BLE001 - the connection may be what failed
                    pass

    def _next_finished(self, finished: as_completed, stop: Callable[[], bool]) -> list[Any]:
        """The chunks finished so far, waiting for one in short steps (a stop request is honoured);
        empty on a stop."""
        waited = time.monotonic()
        told = False
        while True:
            with finished.thread_condition:
                if not finished.has_ready():
                    finished.thread_condition.wait(timeout=STOP_POLL_SECONDS)
            ready = finished.next_batch(block=False)
            if ready:
                return ready
            if stop():
                return []
            if self.client is None or self.client.status not in ("running", "connecting"):
                raise ClusterError(f"lost the connection to the Dask scheduler at {self.address}")
            if not told and time.monotonic() - waited > NO_WORKERS_NOTICE_SECONDS and not self._worker_threads():
                self.notice(f"kg: no Dask worker is connected to {self.address}; waiting for one "
                            "(Ctrl-C to stop)")
                told = True

    def _results(self, future: Any) -> list[ArticleFacts | str]:
        try:
            return future.result()
        except MemoryError:
            raise
        except CancelledError:  # cancelled by the client itself: its connection to the scheduler broke
            raise ClusterError(f"lost the connection to the Dask scheduler at {self.address}") from None
        except Exception as e:  # the cluster gave up on the chunk (its workers kept dying), or lost it
            if "deserialization of the task graph" in str(e):  # Dask's words for a scheduler without kg
                raise ClusterError(f"the Dask scheduler at {self.address} cannot read kg's tasks: install kg "
                                   "(the same version) where the scheduler runs too") from None
            raise ClusterError(f"the Dask cluster at {self.address} could not extract a chunk of articles "
                               f"({_oneline(e)})") from None

    def _worker_threads(self) -> int:
        """Threads of the workers connected now (counted every couple of seconds)."""
        now = time.monotonic()
        if self.client is not None and (not self._threads or now - self._counted > WORKERS_POLL_SECONDS):
            try:
                self._threads = sum(self.client.nthreads().values())
            except (OSError, TimeoutError) as e:
                raise ClusterError(f"lost the connection to the Dask scheduler at {self.address} "
                                   f"({_oneline(e)})") from None
            self._counted = now
        return self._threads


__all__ = ["ClusterError", "ClusterExtraction", "SpacyPipeline", "extract_chunk"]
