"""Errors that reach the user as one line and a documented exit status."""

from __future__ import annotations

# Exit statuses (documented in the README).
EXIT_OK = 0
EXIT_FAILURE = 1  # partial failure or runtime error
EXIT_USAGE = 2  # usage or query syntax error
EXIT_INTERRUPTED = 130


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
        return f"{text}\n{' ' * (col - 1)}^"


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
