"""When Enter runs the text in the shell, and how a script is cut into queries and commands.

A `;` does not end a SPARQL query (it separates predicate-object pairs), so completeness is
decided by parsing: the text runs when its brackets balance and the parser does not stop at the
end of the text. A backslash command is always one line, and an empty line runs what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SKIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|$)'
    r'|"(?:[^"\\\n]|\\.)*(?:"|$)|\'(?:[^\'\\\n]|\\.)*(?:\'|$)|<[^<>"{}|^`\\\s]*>',
    re.S,
)
_OPEN, _CLOSE = "{([", "})]"


def open_brackets(text: str) -> int:
    """How many `{`, `(` and `[` are still open, outside strings, IRIs and comments;
    an unterminated string or IRI counts as one more open bracket."""
    depth = 0
    pos = 0
    for m in _SKIP.finditer(text):
        depth += _count(text[pos : m.start()])
        token = m.group(0)
        if token[0] in "\"'" and not _terminated(token):
            depth += 1
        pos = m.end()
    depth += _count(text[pos:])
    # `<` starts a comparison as often as an IRI; only the string case is tracked above.
    return depth


def _count(chunk: str) -> int:
    return sum(chunk.count(c) for c in _OPEN) - sum(chunk.count(c) for c in _CLOSE)


def _terminated(token: str) -> bool:
    for quote in ('"""', "'''"):
        if token.startswith(quote):
            return len(token) >= 6 and token.endswith(quote) and not token.endswith("\\" + quote)
    return len(token) >= 2 and token[-1] == token[0] and not _escaped_end(token)


def _escaped_end(token: str) -> bool:
    body = token[1:-1]
    backslashes = len(body) - len(body.rstrip("\\"))
    return backslashes % 2 == 1


def is_command(text: str) -> bool:
    return text.lstrip().startswith("\\")


def is_complete(text: str) -> bool:
    """Whether Enter should run `text` rather than start a new line."""
    if not text.strip() or is_command(text):
        return True
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        return True  # Enter on an empty line runs what was typed
    return is_whole(text)


def is_whole(text: str) -> bool:
    """Brackets balance and the parser does not run out of text."""
    stripped = text.strip()
    return open_brackets(stripped) <= 0 and not stops_at_end(stripped)


def stops_at_end(text: str) -> bool:
    """True when the parser runs out of text: the query is unfinished rather than wrong."""
    from kg.store import broken_rule, is_update

    if is_update(text):
        return _update_stops_at_end(text)
    from kg.sparqlparse import parse

    if parse(text).services:
        return False  # whole; and evaluating it below would send the SERVICE requests
    import pyoxigraph as ox

    from kg.ontology import PREFIXES

    try:
        # An empty in-memory store parses the query with the same parser the real store uses.
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as e:
        if broken_rule(str(e)):
            return False  # whole, but wrong: Enter runs it and the error is shown
        return _error_offset(str(e), text) >= len(text.rstrip())
    except Exception:
        return False
    return False


def _update_stops_at_end(text: str) -> bool:
    # Updates are parsed, never executed here (LOAD would fetch from the network).
    from rdflib.plugins.sparql.parser import parseUpdate

    if text.rstrip().endswith(";"):
        return True
    try:
        parseUpdate(text)
    except Exception as e:  # pyparsing's ParseException and friends
        return "end of text" in str(e) or getattr(e, "loc", -1) >= len(text.rstrip())
    return False


def _error_offset(message: str, text: str) -> int:
    m = re.match(r"error at (\d+):(\d+)", message)
    if not m:
        return -1
    line, column = int(m.group(1)), int(m.group(2))
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


@dataclass
class Statement:
    """One query or backslash command of a script, with the line it starts on (1-based)."""

    text: str
    line: int

    @property
    def command(self) -> bool:
        return is_command(self.text)


_STARTS = re.compile(
    r"(?i)\s*(?:\\|prefix\b|base\b|select\b|ask\b|construct\b|describe\b|insert\b|delete\b|load\b"
    r"|clear\b|create\b|drop\b|copy\b|move\b|add\b|with\b)"
)


def split_script(text: str) -> Iterator[Statement]:
    """Cut piped input into queries and commands.

    A command is one line. A query ends at an empty line, or where it is whole and the next line
    starts something new (a query keyword or a command): `ORDER BY` on the following line still
    belongs to the query above it.
    """
    pending: list[str] = []
    start = 0

    def flush() -> Iterator[Statement]:
        if pending and not _only_comments("\n".join(pending)):
            yield Statement("\n".join(pending).strip("\n"), start)
        pending.clear()

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            yield from flush()
            continue
        if pending and _STARTS.match(line) and (is_command(line) or _only_comments("\n".join(pending))
                                                or is_whole("\n".join(pending))):
            yield from flush()
        if not pending:
            if is_command(line):
                yield Statement(line.strip(), number)
                continue
            start = number
        pending.append(line)
    yield from flush()


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
