"""`kg query`: one query (text, file or saved) against the store, printed in a chosen format.

Queries open the store read-only and never run SPARQL Update. With `--timeout`, a query on an
embedded store runs in a child process that is killed when the time is up (Oxigraph itself has no
query timeout); an endpoint store gets the timeout as its HTTP deadline.
"""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path
from typing import Any

from kg import saved
from kg.errors import EXIT_FAILURE, KgError, StoreError, UpdateRefused, UsageError
from kg.store import QueryResult, Store, default_location, is_update, open_store


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
            return Path(file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"cannot read {file}: not UTF-8 text") from None
        except OSError as e:
            raise UsageError(f"cannot read {file}: {(e.strerror or str(e)).lower()}") from None
    assert query is not None
    return query


def run_query(location: str | None, text: str, timeout: float | None = None) -> QueryResult:
    """Run a read-only query against the store at `location` (default: $KG_STORE or ./.kg)."""
    if is_update(text):
        raise UpdateRefused("this is a SPARQL Update, not a query: kg query only reads the store")
    if timeout is not None and not timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    location = location or default_location()
    if timeout is not None and not re.match(r"(?i)https?://", location):
        return run_with_timeout(location, text, timeout)
    with open_read_only(location) as store:
        return store.query(text, timeout=timeout)


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
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(location, text, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise KgError(f"query stopped after {timeout:g} s (--timeout {timeout:g}); "
                          "narrow it with LIMIT or more specific patterns, or allow more time")
        try:
            message = receiver.recv()
        except EOFError:
            raise KgError(f"the query process ended without an answer (exit status {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if message[0] == "ok":
        return message[1]
    _, text_, code, caret = message
    raise RemoteError(text_, code, caret)
