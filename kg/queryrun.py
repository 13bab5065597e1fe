"""`kg query`: one query (text, file or saved) against the store, printed in a chosen format.

Queries open the store read-only and never run SPARQL Update. With `--timeout`, a query on an
embedded store runs in a child process that is killed when the time is up (Oxigraph itself has no
query timeout); an endpoint store gets the timeout as its HTTP deadline.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from kg import saved
from kg.errors import EXIT_FAILURE, EXIT_INTERRUPTED, KgError, StoreError, UpdateRefused, UsageError
from kg.sparqlparse import MAX_QUERY_CHARS, parse
from kg.store import UPDATE_REFUSED, QueryResult, Store, default_location, open_store

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext

    # where a query's child process comes from
    ProcessContext = ForkContext | ForkServerContext | SpawnContext

T = TypeVar("T")


def query_text(query: str | None, *, file: str | None = None, saved_name: str | None = None,
               params: list[str] | None = None) -> str:
    """The query the user asked for (its text, a file or a saved query's name), with saved-query
    parameters (`name=value`) bound as RDF terms."""
    given = [x for x in (query, file, saved_name) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of QUERY, --file F.rq or --saved NAME")
    if saved_name:
        return saved.bind(saved.get(saved_name), saved.parse_assignments(params or []))
    if params:
        raise UsageError("--param goes with --saved")
    if file:
        try:
            with open(file, encoding="utf-8") as f:
                text = f.read(MAX_QUERY_CHARS + 1)  # never read a device that does not end
        except UnicodeDecodeError:
            raise UsageError(f"cannot read {file}: not UTF-8 text") from None
        except OSError as e:
            raise UsageError(f"cannot read {file}: {(e.strerror or str(e)).lower()}") from None
    else:
        assert query is not None
        text = query
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"{file or 'the query'} is longer than {MAX_QUERY_CHARS:,} characters")
    if any("\ud800" <= c <= "\udfff" for c in text):
        # bytes that are not UTF-8 on the command line arrive as lone surrogates
        raise UsageError("the query holds bytes that are not UTF-8 text")
    return text


# The longest --timeout taken (about eleven days): beyond it a number is a mistake, not a wish.
MAX_TIMEOUT = 1e6


def run_query(location: str | None, text: str, timeout: float | None = None, *,
              allow_service: bool = False) -> QueryResult:
    """Run a read-only query against the store at `location` (default: $KG_STORE or ./.kg).
    SERVICE calls are refused unless `allow_service`; Ctrl-C ends the process at once (exit 130)."""
    if timeout is not None and not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise UsageError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}")
    location = location or default_location()
    remote = bool(re.match(r"(?i)https?://", location))
    if remote or may_call_service(text):
        # The grammar decides (a server may run an update sent as a query). The embedded store's
        # query interface parses with the query grammar only, so it needs this only for SERVICE.
        parsed = parse(text)
        if parsed.kind == "update":
            raise UpdateRefused(REFUSED)
        check_services(parsed.services, allow_service)
    try:
        if timeout is not None and not remote:
            return run_with_timeout(location, text, timeout)
        with open_read_only(location) as store:
            return run_in_thread(lambda: store.query(text, timeout=timeout), timeout)
    except KgError as e:
        if str(e) == UPDATE_REFUSED:  # the store's wording names the shell; this is kg query
            raise UpdateRefused(REFUSED) from None
        raise


REFUSED = "this is a SPARQL Update, not a query: kg query only reads the store"


def may_call_service(text: str) -> bool:
    """Whether the text could hold a SERVICE call: the word, or a \\u escape that could spell it.
    A cheap filter before the grammar (whose import costs a few tenths of a second), never the
    decision itself."""
    return bool(re.search(r"(?i)service|\\u", text))


def check_services(services: tuple[str, ...], allowed: bool) -> None:
    """SERVICE makes the store send requests to other servers: only when the user allows it."""
    if services and not allowed:
        raise UsageError(f"the query calls SERVICE {services[0]}: kg sends no request to another server "
                         "unless allowed (--allow-service)")


def run_in_thread(work: Callable[[], T], timeout: float | None) -> T:
    """Run `work` on a thread while this one waits: Ctrl-C ends the command at once (exit 130)
    even while the store is busy in native code or waiting on a server, and `timeout` bounds the
    whole query, however slowly an answer trickles in."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, name="kg-query", daemon=True).start()
    try:
        # a little grace: the store's own deadline, when it has one, gives the better message
        finished = done.wait(None if timeout is None else timeout + 1.0)
    except KeyboardInterrupt:
        # The store may be deep in native code: leave without waiting for it.
        print("kg: interrupted", file=sys.stderr, flush=True)
        os._exit(EXIT_INTERRUPTED)
    if not finished:
        raise KgError(f"query stopped after {timeout:g} s (--timeout {timeout:g}); "
                      "narrow it with LIMIT or more specific patterns, or allow more time")
    if "error" in box:
        raise box["error"]
    return box["value"]


def open_read_only(location: str) -> Store:
    """The store opened for reading. RocksDB raises RuntimeError ("Column family not found") when
    the folder is caught half-created by a build that has just started."""
    try:
        return open_store(location, read_only=True)
    except RuntimeError as e:
        raise StoreError(f"cannot open the store at {location} ({e}); "
                         "a build may be creating it: try again in a moment") from None


# --- a query that can be stopped ------------------------------------------------------------------


class RemoteError(KgError):
    """An error raised by the query in the child process, carried back with its exit status and caret."""

    def __init__(self, message: str, exit_code: int, caret_text: str) -> None:
        super().__init__(message, exit_code)
        self._caret = caret_text

    def caret(self) -> str:
        return self._caret


RUNNING: set[int] = set()  # process ids of the queries running now


def _child(location: str, text: str, conn: Any) -> None:
    try:
        with open_read_only(location) as store:
            result = store.query(text)
        conn.send(("ok", result))
    except KgError as e:
        caret = getattr(e, "caret", None)
        conn.send(("error", str(e), e.exit_code, caret() if caret else ""))
    except BaseException as e:  # anything else still reaches the user as one line
        conn.send(("error", f"query failed: {type(e).__name__}: {e}", EXIT_FAILURE, ""))
    finally:
        conn.close()


def run_with_timeout(location: str, text: str, timeout: float) -> QueryResult:
    """Run a read-only query in a child process; kill it and raise KgError after `timeout` seconds."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else multiprocessing.get_context("spawn")
    return run_in_child(location, text, context, timeout=timeout)


def shell_context() -> ProcessContext:
    """Processes for the shell's queries come from a fork server: a clean single-threaded process
    with kg's store code loaded (the shell has threads of its own, which a plain fork would copy
    in whatever state they are), so each query starts in milliseconds. Started ahead of the first
    query."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg.queryrun"])
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return context


def run_in_child(location: str, text: str, context: ProcessContext, timeout: float | None = None) -> QueryResult:
    """Run a read-only query on an embedded store in a child process that is killed when the time
    is up or when the caller is interrupted (Ctrl-C): the work really stops, which a thread
    cannot do (Oxigraph has no way to cancel a running query)."""
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(location, text, sender), daemon=True)
    child.start()
    sender.close()
    pid = child.pid  # set by start()
    if pid is not None:
        RUNNING.add(pid)
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        # Short waits, so a KeyboardInterrupt reaches this thread while the child works.
        while not receiver.poll(0.05):
            if deadline is not None and time.monotonic() > deadline:
                raise KgError(f"query stopped after {timeout:g} s (--timeout {timeout:g}); "
                              "narrow it with LIMIT or more specific patterns, or allow more time")
            if not child.is_alive() and not receiver.poll(0):
                break
        try:
            message = receiver.recv()
        except EOFError:
            raise KgError(f"the query process ended without an answer (exit status {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        if pid is not None:
            RUNNING.discard(pid)
        receiver.close()
    if message[0] == "ok":
        return message[1]
    _, text_, code, caret = message
    raise RemoteError(text_, code, caret)
