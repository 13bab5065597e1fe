"""Worker processes that hold the store open read-only and run jobs for the server.

Oxigraph cannot stop a query once started, so each query runs in a worker process that the pool
kills when the query's time is up (a fresh worker takes its place). Workers never hold the
store's write lock: a `kg build` can write while the server answers. A read-only store is a
snapshot, so before each job a worker looks at the store folder's files (0.2 ms) and reopens the
snapshot when a build has written to it: new articles are seen by the next request after they
are committed.

A job is a function `module:function` of `kg` taking the store and keyword arguments and returning
something picklable (bytes, text, plain data); errors come back as `KgError`s with their class,
message and query position.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import queue
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from kg.errors import KgError, StoreError

# Files of a RocksDB folder that change without a change of data (its own log, our pid file).
_NOT_DATA = re.compile(r"^(LOG|LOCK|kg\.pid)")


class QueryTimeout(KgError):
    def __init__(self, seconds: float, job: str = "") -> None:
        if "drawing" in job:
            super().__init__(f"the drawing took more than {seconds:g} s: draw a smaller neighbourhood")
        else:
            super().__init__(f"the query took more than {seconds:g} s (the server's per-query limit, "
                             "kg serve --timeout): narrow it with LIMIT or more specific patterns")


class ServerBusy(KgError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"every query worker stayed busy for {seconds:g} s: try again later")


@dataclass
class RemoteFailure:
    """An error raised in a worker, rebuilt in the server with its class name and position."""

    kind: str
    message: str
    line: int | None = None
    column: int | None = None
    caret: str = ""


class JobError(KgError):
    def __init__(self, failure: RemoteFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure

    @property
    def kind(self) -> str:
        return self.failure.kind


def folder_state(location: str) -> tuple[tuple[str, int, int], ...] | None:
    """The data files of an embedded store, with sizes and times; None for an endpoint URL."""
    if re.match(r"(?i)https?://", location):
        return None
    try:
        return tuple(sorted((e.name, *_size_time(e)) for e in os.scandir(location) if not _NOT_DATA.match(e.name)))
    except OSError:
        return ()


def _size_time(entry: os.DirEntry[str]) -> tuple[int, int]:
    try:
        st = entry.stat()
    except OSError:  # removed by a compaction between listing and stat
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


class _Snapshot:
    """The worker's read-only store, reopened when the folder's data files change."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.store: Any = None
        self.state: object = None

    def get(self) -> Any:
        from kg.queryrun import open_read_only

        state = folder_state(self.location)
        if self.store is None or state != self.state:
            old = self.store
            self.store = open_read_only(self.location)
            self.state = state
            if old is not None:
                old.close()
        return self.store


def warm_up(store: Any) -> None:
    """The first job of every worker: the modules a query needs, and one query."""
    import kg.results  # noqa: F401
    import kg.server  # noqa: F401

    store.query("ASK {}")


def _worker_main(location: str, conn: Any) -> None:
    snapshot = _Snapshot(location)
    jobs: dict[str, Any] = {}
    while True:
        try:
            name, kwargs = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            job = jobs.get(name)
            if job is None:
                module, _, func = name.partition(":")
                if not module.startswith("kg."):
                    raise KgError(f"unknown job {name}")
                job = jobs[name] = getattr(importlib.import_module(module), func)
            answer: tuple[str, Any] = ("ok", job(snapshot.get(), **kwargs))
        except KgError as e:
            caret = getattr(e, "caret", None)
            answer = ("error", RemoteFailure(type(e).__name__, str(e), getattr(e, "line", None),
                                             getattr(e, "column", None), caret() if caret else ""))
        except Exception as e:  # noqa: BLE001 - anything else still reaches the client as one line
            answer = ("error", RemoteFailure("InternalError", f"{type(e).__name__}: {e}"))
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, context: Any, location: str) -> None:
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(target=_worker_main, args=(location, child_conn), daemon=True,
                                       name="kg-serve-worker")
        self.process.start()
        child_conn.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; `call` runs a job on an idle one within a deadline."""

    WARM_UP = "kg.querypool:warm_up"
    START_TIMEOUT = 120.0

    def __init__(self, location: str, size: int = 2) -> None:
        self.location = location
        self.size = max(1, size)
        self._context = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [_Worker(self._context, self.location) for _ in range(self.size)]
        try:
            for worker in starting:
                self._ready(worker)
        except BaseException:
            for worker in starting:
                worker.stop()
            raise
        for worker in starting:
            self._all.add(worker)
            self._idle.put(worker)

    def _ready(self, worker: _Worker) -> None:
        """Wait for a new worker to import what it needs and open the store, so that no request
        pays for it; raises the worker's error (a store that cannot be opened) as it is."""
        try:
            worker.conn.send((self.WARM_UP, {}))
            if not worker.conn.poll(self.START_TIMEOUT):
                raise StoreError(f"a query worker did not start within {self.START_TIMEOUT:g} s")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            raise StoreError(f"a query worker ended while starting (exit status {worker.process.exitcode})") from None
        if status != "ok":
            raise JobError(payload)

    def _add(self) -> None:
        while True:
            worker = _Worker(self._context, self.location)
            try:
                self._ready(worker)
                break
            except (KgError, OSError, EOFError):
                worker.stop()
                if self._closed:
                    return
                time.sleep(1)  # the store may be between states: try again without spinning
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background (starting one takes about a second)."""
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        if not self._closed:
            threading.Thread(target=self._add, name="kg-serve-respawn", daemon=True).start()

    def call(self, job: str, timeout: float, **kwargs: Any) -> Any:
        """Run `job` in a worker; raise `QueryTimeout` (and replace the worker) after `timeout` s."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(timeout) from None
        try:
            worker.conn.send((job, kwargs))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                raise QueryTimeout(timeout, job)
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                code = worker.process.exitcode
                self._replace(worker)
                worker = None
                raise StoreError(f"the query worker ended without an answer (exit status {code})") from None
            raise
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "ok":
            return payload
        raise JobError(payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
