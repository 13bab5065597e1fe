"""Results as people read them in a terminal: an aligned table that fits the screen (cells cut
with an ellipsis, measured in terminal columns so CJK and emoji line up), or one record per block
when even that is too wide."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import URIRef
from wcwidth import wcswidth, wcwidth

from kg.results import display
from kg.shell.metadata import readable_name
from kg.store import QueryResult, Term

MAX_CELL = 60  # columns; longer values are cut with an ellipsis
MIN_CELL = 8
SHRINK_FLOOR = 16  # a column is cut down to this before the table turns vertical
ELLIPSIS = "…"
_NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger")


def width_of(text: str) -> int:
    w = wcswidth(text)
    if w >= 0:
        return w
    return sum(max(wcwidth(c), 0) for c in text)  # control characters count as nothing


def cut(text: str, width: int) -> str:
    """`text` shortened to at most `width` terminal columns, ending with an ellipsis if cut."""
    if width_of(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - width_of(text))
    return gap + text if right else text + gap


def cell_text(term: Term | None, labels: dict[str, str] | None) -> str:
    if isinstance(term, URIRef) and not (labels and str(term) in labels):
        return readable_name(str(term))
    text = display(term, labels)
    return " ".join(text.split()) if ("\n" in text or "\t" in text or "\r" in text) else text


def is_numeric(term: Term | None) -> bool:
    dt = getattr(term, "datatype", None)
    return dt is not None and str(dt).rsplit("#", 1)[-1] in _NUMERIC


class Painter:
    """ANSI colours for our own output, or none (NO_COLOR, --no-color, not a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def header(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def error(self, text: str) -> str:
        return self._wrap("31", text)

    def ok(self, text: str) -> str:
        return self._wrap("32", text)


def table_lines(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None = None,
    right: Sequence[Sequence[bool]] | None = None,
    painter: Painter | None = None,
    max_cell: int | None = MAX_CELL,
    expanded: str = "auto",
) -> list[str]:
    """An aligned table, or records one under another (`expanded`: "on" always, "auto" when the
    table cannot fit `width` columns, "off" never). `max_cell=None` never cuts a value (files
    written by `\\o`)."""
    paint = painter or Painter(False)
    if expanded == "on":
        return vertical_lines(headers, rows, width=width, painter=paint)
    n = len(headers)
    natural = [width_of(h) for h in headers]
    for row in rows:
        for i, c in enumerate(row):
            natural[i] = max(natural[i], width_of(c))
    widths = natural if max_cell is None else [
        min(w, max(max_cell, width_of(h))) for w, h in zip(natural, headers, strict=False)
    ]
    if width is not None:
        fitted = _fit(widths, headers, width, MIN_CELL if expanded == "off" else SHRINK_FLOOR)
        if fitted is None and expanded == "off":
            # never records: columns as narrow as they go; the lines wrap on the screen
            fitted = [min(w, max(MIN_CELL, width_of(h))) for w, h in zip(widths, headers, strict=False)]
        if fitted is None:
            return vertical_lines(headers, rows, width=width, painter=paint)
        widths = fitted
    lines = [" | ".join(paint.header(pad(cut(h, w), w)) for h, w in zip(headers, widths, strict=False)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for r, row in enumerate(rows):
        cells = []
        for i in range(n):
            align = bool(right and right[r][i])
            cells.append(pad(cut(row[i], widths[i]), widths[i], align))
        lines.append(" | ".join(cells).rstrip())
    return lines


def _fit(widths: list[int], headers: Sequence[str], width: int, floor: int = SHRINK_FLOOR) -> list[int] | None:
    """Narrow the widest columns until the table fits, or None when that would cut a column
    below `floor` columns (or its own width, if narrower)."""
    floors = [min(w, max(floor, width_of(h))) for w, h in zip(widths, headers, strict=False)]
    widths = list(widths)
    total = lambda: sum(widths) + 3 * (len(widths) - 1)  # noqa: E731
    while total() > width:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= floors[i]:
            return None
        widths[i] -= 1
    return widths


def vertical_lines(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None, painter: Painter | None = None
) -> list[str]:
    """One block per row (`-[ RECORD 1 ]-`): for results too wide for the screen, or all of them
    with `\\x on`. Without a `width` (a file) values are never cut."""
    paint = painter or Painter(False)
    name_w = max((width_of(h) for h in headers), default=0)
    value_w = None if width is None else max(MIN_CELL, width - name_w - 3)
    rule = name_w + 3 + 20 if width is None else min(width, name_w + 3 + 20)
    lines = []
    for r, row in enumerate(rows, 1):
        title = f"-[ RECORD {r} ]"
        lines.append(paint.dim(title + "-" * max(0, rule - len(title))))
        for h, c in zip(headers, row, strict=False):
            value = c if value_w is None else cut(c, value_w)
            lines.append(f"{paint.header(pad(h, name_w))} | {value}".rstrip())
    return lines


def result_lines(
    result: QueryResult,
    *,
    width: int | None,
    labels: dict[str, str] | None = None,
    painter: Painter | None = None,
    limit: int | None = None,
    max_cell: int | None = MAX_CELL,
    expanded: str = "auto",
) -> list[str]:
    """A SELECT or ASK result as table lines (graphs are printed as Turtle elsewhere)."""
    if result.kind == "ask":
        return ["true" if result.boolean else "false"]
    rows = result.rows if limit is None else result.rows[:limit]
    cells = [[cell_text(t, labels) for t in row] for row in rows]
    right = [[is_numeric(t) for t in row] for row in rows]
    return table_lines(result.vars, cells, width=width, right=right, painter=painter, max_cell=max_cell,
                       expanded=expanded)


def footer(count: int, elapsed: float | None, noun: str = "row") -> str:
    plural = noun if count == 1 else noun + "s"
    text = f"{count:,} {plural}"
    if elapsed is not None:
        text += f" · {elapsed:.3f} s"
    return text
