"""Worker processes that hold the store open read-only and run jobs for the server.

Oxigraph cannot stop a query once started, so each query runs in a worker process that the pool
kills when the query's time is up (a fresh worker takes its place). Workers never hold the
store's write lock: a `kg build` can write while the server answers. A read-only store is a
snapshot, so before each job a worker looks at the store folder's files (0.2 ms) and reopens the
snapshot when a build has written to it: new articles are seen by the next request after they
are committed.

A job is a function `module:function` of `kg` taking the store and keyword arguments and returning
something picklable (bytes, text, plain data); errors come back as `KgError`s with their class,
message, query position and HTTP status, if they have one.

The server awaits workers on its event loop: a worker's pipe is watched by the loop itself, so a
request costs no hand-over to a thread (which, at a thousand small queries a second, cost more than
the queries). Only an answer larger than a pipe's buffer is read on a thread.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib
import multiprocessing
import os
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
    status: int | None = None  # the HTTP status the error carries (kg.server's HTTPProblem)


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


# Answers larger than this go as a header and then raw bytes, so that the server reads them on a
# thread instead of blocking its event loop while the worker writes them through the pipe.
INLINE_BYTES = 32_768


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
                                             getattr(e, "column", None), caret() if caret else "",
                                             getattr(e, "status", None)))
        except Exception as e:  # noqa: BLE001 - anything else still reaches the client as one line
            answer = ("error", RemoteFailure("InternalError", f"{type(e).__name__}: {e}"))
        try:
            value = answer[1]
            if isinstance(value, bytes) and len(value) > INLINE_BYTES:
                conn.send(("bytes", len(value)))
                conn.send_bytes(value)
            else:
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
    """A fixed number of worker processes; `call` runs a job on an idle one within a deadline.

    `call` is awaited on an asyncio event loop; workers that start in the background (after one
    was killed) join from their thread through the loop of the request waiting for them.
    """

    WARM_UP = "kg.querypool:warm_up"
    START_TIMEOUT = 120.0

    def __init__(self, location: str, size: int = 2) -> None:
        self.location = location
        self.size = max(1, size)
        self._context = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        self._idle: collections.deque[_Worker] = collections.deque()
        # requests waiting for a worker, first come first served, each with its event loop
        self._waiting: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = \
            collections.deque()
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
        self._all.update(starting)
        self._idle.extend(starting)

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

    # --- idle workers and waiting requests (any thread) -----------------------------------------

    def _release(self, worker: _Worker) -> None:
        """A worker is free: hand it to the first request still waiting, or keep it idle."""
        with self._lock:
            if self._closed:
                waiter = None
            else:
                waiter = self._waiting.popleft() if self._waiting else None
                if waiter is None:
                    self._idle.append(worker)
                    return
        if waiter is None:
            worker.stop()
            return
        loop, future = waiter
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._hand_over(future, worker)
            return
        try:
            loop.call_soon_threadsafe(self._hand_over, future, worker)
        except RuntimeError:  # that request's loop has closed
            self._release(worker)

    def _hand_over(self, future: asyncio.Future[_Worker], worker: _Worker) -> None:
        if future.done():  # the request gave up meanwhile: the next one gets the worker
            self._release(worker)
        else:
            future.set_result(worker)

    async def _acquire(self, timeout: float) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            future: asyncio.Future[_Worker] = loop.create_future()
            self._waiting.append((loop, future))
        timer = loop.call_later(timeout, _fail, future, ServerBusy(timeout))
        try:
            return await future
        except BaseException:
            # Cancelled after a worker was handed over: it goes to the next request.
            if future.done() and not future.cancelled() and future.exception() is None:
                self._release(future.result())
            raise
        finally:
            timer.cancel()
            with self._lock, contextlib.suppress(ValueError):
                self._waiting.remove((loop, future))

    # --- replacing workers ----------------------------------------------------------------------

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
        self._release(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another, both on a thread (starting one takes about a second)."""
        with self._lock:
            self._all.discard(worker)

        def replace() -> None:
            worker.stop()
            if not self._closed:
                self._add()

        threading.Thread(target=replace, name="kg-serve-respawn", daemon=True).start()

    # --- jobs -----------------------------------------------------------------------------------

    async def call(self, job: str, timeout: float, **kwargs: Any) -> Any:
        """Run `job` in a worker; raise `QueryTimeout` (and replace the worker) after `timeout` s,
        `ServerBusy` if no worker was free within them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(timeout)
        answered = False
        try:
            worker.conn.send((job, kwargs))  # an idle worker is reading: this never waits long
            readable: asyncio.Future[bool] = loop.create_future()
            fd = worker.conn.fileno()
            loop.add_reader(fd, _settle, readable, True)
            timer = loop.call_at(deadline, _settle, readable, False)
            try:
                if not await readable:
                    raise QueryTimeout(timeout, job)
            finally:
                timer.cancel()
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop leaves a watched descriptor non-blocking
            status, payload = worker.conn.recv()
            if status == "bytes":  # a large answer: read off the event loop
                payload = await asyncio.to_thread(worker.conn.recv_bytes)
                status = "ok"
            answered = True
        except (EOFError, OSError) as e:
            code = worker.process.exitcode
            raise StoreError(f"the query worker ended without an answer (exit status {code})") from e
        finally:
            # A worker whose answer was not read whole (time out, cancelled request, broken pipe)
            # is never handed out again.
            if answered:
                self._release(worker)
            else:
                self._replace(worker)
        if status == "ok":
            return payload
        raise JobError(payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            waiting = list(self._waiting)
            self._waiting.clear()
        for worker in workers:
            worker.stop()
        for loop, future in waiting:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_fail, future, StoreError("the server is stopping"))


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    if not future.done():
        future.set_result(value)
