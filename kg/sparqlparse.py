"""What a SPARQL text is — a query or an update, which operations, which SERVICE calls — decided by
rdflib's SPARQL 1.1 grammar, never by searching the text.

The read-only promise rests on this: a text goes to a store's query interface only if the grammar
reads it as a query. (Some servers, Virtuoso among them, run an update sent as a query.) The
grammar only parses: nothing is evaluated, so SERVICE and LOAD never reach the network here.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

# The longest query text read from a file, standard input or a saved query: well above any query
# a person writes, far below what would exhaust memory (`kg query -f /dev/zero`).
MAX_QUERY_CHARS = 500_000

# The grammar is recursive descent: long triple lists and nested brackets go deep. It runs on a
# thread with a large stack and a raised recursion limit so valid large queries parse.
_PARSER_STACK = 512 * 1024 * 1024
_PARSER_RECURSION = 60_000
_parser_lock = threading.Lock()

# Update operations that remove or overwrite data (COPY and MOVE replace the target graph; ADD
# writes into it): they ask for confirmation in the shell.
DESTRUCTIVE = frozenset({"drop", "clear", "delete", "copy", "move", "add"})


@dataclass(frozen=True)
class Parsed:
    """The grammar's reading of a text."""

    kind: Literal["query", "update"] | None  # None: neither a query nor an update
    form: str = ""  # select, construct, describe or ask (queries)
    operations: tuple[str, ...] = ()  # insert, delete, load, clear, create, drop, copy, move, add
    services: tuple[str, ...] = field(default=())  # the IRIs (or ?variables) of SERVICE calls
    prefixes: tuple[str, ...] = ()  # the prefixes the text declares
    limit: int | None = None  # the query's own outermost LIMIT
    # whether `LIMIT n OFFSET m` may be appended to the text: no outer LIMIT, OFFSET or trailing VALUES
    open_ended: bool = False
    error: str = ""  # why the text is neither, in one line
    offset: int = -1  # where the grammar stopped, as a character offset into the text


def parse(text: str) -> Parsed:
    """The grammar's reading of `text` (cached: the shell asks several times about one text)."""
    if len(text) > MAX_QUERY_CHARS:
        return Parsed(None, error=f"the query is longer than {MAX_QUERY_CHARS:,} characters")
    return _parse_cached(text)


@lru_cache(maxsize=32)
def _parse_cached(text: str) -> Parsed:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = _parse(text)
        except RecursionError:
            box["value"] = Parsed(None, error="the query is nested too deeply to read")
        except BaseException as e:  # noqa: BLE001 - the caller gets one line, never a traceback
            box["value"] = Parsed(None, error=f"the query cannot be read ({type(e).__name__})")

    with _parser_lock:
        previous_stack = threading.stack_size()
        previous_limit = sys.getrecursionlimit()
        worker: threading.Thread | None = None
        try:
            threading.stack_size(_PARSER_STACK)
            worker = threading.Thread(target=run, name="kg-sparql-parse", daemon=True)
            sys.setrecursionlimit(max(previous_limit, _PARSER_RECURSION))
            worker.start()
        except (RuntimeError, ValueError, MemoryError):
            # no room for a large stack (a tight memory limit): parse here, with the usual depth
            sys.setrecursionlimit(previous_limit)
            worker = None
        finally:
            threading.stack_size(previous_stack)
        try:
            if worker is not None:
                worker.join()
            else:
                run()
        finally:
            sys.setrecursionlimit(previous_limit)
    return box["value"]


def _parse(text: str) -> Parsed:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        return Parsed(None, error="empty query", offset=0)
    try:
        tree = parseQuery(text)
    except ParseException as as_query:
        query_error = as_query
    else:
        body = tree[1]
        form = body.name.removesuffix("Query").lower()
        services, prefixes = _walk(tree)
        open_ended = "limitoffset" not in body and "valuesClause" not in body
        return Parsed("query", form=form, services=services, prefixes=prefixes, limit=_limit(body),
                      open_ended=open_ended)
    try:
        update = parseUpdate(text)
    except ParseException as as_update:
        # Report the reading that got further: that is where the text most likely goes wrong.
        worst = max((query_error, as_update), key=lambda e: e.loc)
        return Parsed(None, error=_message(worst), offset=worst.loc)
    # (rdflib's CompValue.get returns the key itself for a missing key: test membership instead.)
    operations = tuple(_operation(op) for op in (update["request"] if "request" in update else []))
    if not operations:
        return Parsed(None, error=_message(query_error), offset=query_error.loc)
    services, prefixes = _walk(update)
    return Parsed("update", operations=operations, services=services, prefixes=prefixes)


def _limit(body: Any) -> int | None:
    modifiers = body["limitoffset"] if "limitoffset" in body else None
    if modifiers is None or "limit" not in modifiers:
        return None
    try:
        return int(modifiers["limit"])
    except (TypeError, ValueError):
        return None


def _operation(op: Any) -> str:
    name = getattr(op, "name", "")
    if name == "Modify":
        return "delete" if "delete" in op else "insert"
    if name in ("DeleteData", "DeleteWhere"):
        return "delete"
    if name == "InsertData":
        return "insert"
    return name.lower()


def _walk(node: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """SERVICE targets anywhere in the parse tree (in sub-queries, EXISTS and updates too) and
    the declared prefixes."""
    services: list[str] = []
    prefixes: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if name == "ServiceGraphPattern":
            target = item["term"] if "term" in item else ""
            services.append(f"?{target}" if type(target).__name__ == "Variable" else str(target))
        elif name == "PrefixDecl":
            prefixes.append(str(item["prefix"]) if "prefix" in item else "")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return tuple(reversed(services)), tuple(reversed(prefixes))


def _message(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:197] + "..."


def is_update(text: str) -> bool:
    return parse(text).kind == "update"


def is_destructive(text: str) -> bool:
    """Whether an update removes or overwrites data anywhere in the request."""
    return any(op in DESTRUCTIVE for op in parse(text).operations)
