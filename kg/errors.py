"""Errors that reach the user as one line and a documented exit status."""

from __future__ import annotations

import re

# Exit statuses (documented in the README).
EXIT_OK = 0
EXIT_FAILURE = 1  # partial failure or runtime error
EXIT_USAGE = 2  # usage or query syntax error
EXIT_INTERRUPTED = 130


# Control characters other than line breaks and tabs: an article title or a server's answer that
# holds ESC sequences would otherwise retitle, clear or reprogram the user's terminal.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as escapes (`\x1b`)."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _under(text: str) -> str:
    """Blank space as wide on a terminal as `text`: tabs kept, zero-width characters skipped,
    wide (East Asian) characters doubled, so a caret lands under the right character."""
    import unicodedata

    out = []
    for c in text:
        if c == "\t":
            out.append("\t")
        elif unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        else:
            out.append("  " if unicodedata.east_asian_width(c) in ("W", "F") else " ")
    return "".join(out)


class KgError(Exception):
    """An error with a one-line message for the user and the exit status it maps to."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(KgError):
    exit_code = EXIT_USAGE


class QuerySyntaxError(KgError):
    """A malformed query; line and column are 1-based positions in the text the user wrote."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, query: str, line: int | None = None, column: int | None = None) -> None:
        self.detail, self.query, self.line, self.column = message, query, line, column
        where = f" at line {line}, column {column}" if line else ""
        super().__init__(f"query syntax error{where}: {message}")

    def caret(self) -> str:
        """The offending line of the query with a caret under the column."""
        if not self.line:
            return ""
        lines = self.query.splitlines() or [""]
        text = lines[min(self.line, len(lines)) - 1]
        col = max(1, min(self.column or 1, len(text) + 1))
        return f"{text}\n{_under(text[: col - 1])}^"


class StoreError(KgError):
    pass


class StoreLockedError(StoreError):
    pass


class UpdateRefused(KgError):
    exit_code = EXIT_USAGE


class ResultTooLarge(KgError):
    """A result with more rows (or triples) than the caller allows; never shown cut short."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the result has more than {limit:,} rows; narrow the query or page through it "
                         "with LIMIT and OFFSET")
