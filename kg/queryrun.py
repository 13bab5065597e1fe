"""`kg query`: one query (text, file or saved) against the store, printed in a chosen format.

Queries open the store read-only and never run SPARQL Update. With `--timeout`, a query on an
embedded store runs in a child process that is killed when the time is up (Oxigraph itself has no
query timeout); an endpoint store gets the timeout as its HTTP deadline.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import time
from pathlib import Path
from typing import Any

from kg import saved
from kg.errors import EXIT_FAILURE, EXIT_OK, KgError, StoreError, UpdateRefused, UsageError
from kg.results import write
from kg.store import QueryResult, Store, default_location, is_update, open_store


def query_text(args: argparse.Namespace) -> str:
    """The query the user asked for, with saved-query parameters bound as RDF terms."""
    given = [x for x in (args.query, args.file, args.saved) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of QUERY, --file F.rq or --saved NAME")
    if args.saved:
        return saved.bind(saved.get(args.saved), saved.parse_assignments(args.param))
    if args.param:
        raise UsageError("--param goes with --saved")
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"cannot read {args.file}: not UTF-8 text") from None
        except OSError as e:
            raise UsageError(f"cannot read {args.file}: {(e.strerror or str(e)).lower()}") from None
    return args.query


def query_command(args: argparse.Namespace) -> int:
    text = query_text(args)
    if is_update(text):
        raise UpdateRefused("this is a SPARQL Update, not a query: kg query only reads the store")
    timeout = args.timeout
    if timeout is not None and not timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    location = args.store or default_location()
    if timeout is not None and not re.match(r"(?i)https?://", location):
        result = run_with_timeout(location, text, timeout)
    else:
        with open_read_only(location) as store:
            result = store.query(text, timeout=timeout)
    write(result, sys.stdout, args.format)
    return EXIT_OK


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
    return run_in_child(location, text, multiprocessing.get_context("fork" if "fork" in methods else "spawn"),
                        timeout=timeout)


def shell_context() -> Any:
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


def run_in_child(location: str, text: str, context: Any, timeout: float | None = None) -> QueryResult:
    """Run a read-only query on an embedded store in a child process that is killed when the time
    is up or when the caller is interrupted (Ctrl-C): the work really stops, which a thread
    cannot do (Oxigraph has no way to cancel a running query)."""
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(location, text, sender), daemon=True)
    child.start()
    sender.close()
    RUNNING.add(child.pid)  # type: ignore[arg-type]
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
        RUNNING.discard(child.pid)  # type: ignore[arg-type]
        receiver.close()
    if message[0] == "ok":
        return message[1]
    _, text_, code, caret = message
    raise RemoteError(text_, code, caret)
