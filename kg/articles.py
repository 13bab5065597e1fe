"""Reading articles: files, folders and standard input; text, Markdown and HTML.

An `Article` holds the text the extractor reads (page chrome removed), its title, the date it
was published (from its dateline, HTML metadata or `--date`) and the place of its dateline. All
character offsets in the graph refer to `Article.text`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.dates import PartialDate, find_dates

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MAX_BYTES = 50 * 1024 * 1024


class ArticleError(Exception):
    """An article that cannot be read; the message says why in a few words."""


@dataclass
class Article:
    source: str
    text: str
    title: str
    date: PartialDate | None
    dateline_place: str | None
    content_hash: str
    author: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


# --- finding files --------------------------------------------------------------------------------


def article_paths(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """(path, error) for every article under the given files and folders, in a stable order.
    Folders are walked recursively for .txt/.md/.html files; a named file is read whatever its suffix."""
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not any(
                    part.startswith(".") for part in f.relative_to(p).parts
                ):
                    yield str(f), None
        elif p.is_file():
            yield str(p), None
        elif p.exists():
            yield str(p), "not a regular file"
        else:
            yield str(p), "no such file or folder"


# --- decoding -------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252/Latin-1.
    Binary data and PDFs are refused."""
    if data.startswith(b"%PDF"):
        raise ArticleError("a PDF file, not text")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError("invalid UTF-16 text") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    sample = data[:8192]
    if b"\x00" in sample:
        raise ArticleError("binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.01 * max(1, len(text[:8192])):
        raise ArticleError("binary data, not text")
    return text


def looks_like_html(text: str, suffix: str) -> bool:
    if suffix in (".html", ".htm"):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


# --- page chrome ----------------------------------------------------------------------------------

_CHROME = re.compile(
    r"^(advertisement|advertisements|sponsored( content)?|skip to (main )?content|share( this)?( article)?|"
    r"read more|related( stories| articles)?|subscribe|sign up|follow us.*|print|email)$",
    re.I,
)
_TEASER_END = re.compile(r"(…|\.\.\.)\s*$")


def strip_chrome(raw: str) -> str:
    """Remove page chrome: advertisement and share lines, repeated headlines, and related-story
    teasers (one-line headlines that trail off with an ellipsis)."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        stripped = line.strip().replace("\u00a0", " ").strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if _CHROME.match(stripped):
            continue
        if _TEASER_END.search(stripped) and len(stripped) < 300:
            continue
        key = " ".join(stripped.lower().split())
        if key in seen and len(key) > 20:
            continue  # a repeated headline or block
        seen.add(key)
        kept.append(stripped)
    return "\n".join(kept).strip() + "\n"


# --- header: title, date, dateline ----------------------------------------------------------------


def _title(text: str) -> str:
    first = text.split("\n", 1)[0].strip()
    return first[:300]


def _header_lines(text: str, count: int = 8) -> list[str]:
    return [line for line in text.split("\n")[:count] if line.strip()]


def header_date(text: str) -> PartialDate | None:
    """The article's own date: a full date on a short line near the top (a dateline)."""
    for line in _header_lines(text):
        if len(line) > 160:
            continue
        for d in find_dates(line, None):
            if d.date.day and d.date.year:
                return d.date
    return None


_DATELINE_PLACE = re.compile(r"^([A-Z][A-Za-z.' -]{2,40}?(?:,\s*[A-Z][A-Za-z. ]{1,20})?)\s*(?:\||—|–|-{1,2}|$)")


def dateline_place(text: str) -> str | None:
    """A place on a short header line ('Washington, D.C. | February 2, 2026', 'WELLINGTON —')."""
    from kg.gazetteer import gazetteer

    gz = gazetteer()
    for line in _header_lines(text)[1:]:
        if len(line) > 80:
            continue
        m = _DATELINE_PLACE.match(line.strip())
        if not m:
            continue
        candidate = m.group(1).strip().rstrip(",")
        head = candidate.split(",")[0].strip()
        if gz.city(candidate) or gz.city(head.title() if head.isupper() else head):
            return candidate.title() if candidate.isupper() else candidate
    return None


# --- reading --------------------------------------------------------------------------------------


def parse_article(source: str, data: bytes, default_date: PartialDate | None = None) -> Article:
    if len(data) > MAX_BYTES:
        raise ArticleError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    raw = decode(data)
    title = author = None
    html_date: PartialDate | None = None
    if looks_like_html(raw, Path(source).suffix.lower()):
        raw, title, author, html_date = _from_html(raw)
    text = strip_chrome(raw)
    if not text.strip():
        raise ArticleError("no article text")
    if title and not text.startswith(title):
        text = title + "\n\n" + text
    date = header_date(text) or html_date or default_date
    return Article(
        source=source,
        text=text,
        title=title or _title(text),
        date=date,
        dateline_place=dateline_place(text),
        content_hash=hashlib.sha256(data).hexdigest(),
        author=author,
    )


def _from_html(html: str) -> tuple[str, str | None, str | None, PartialDate | None]:
    import json

    import trafilatura

    extracted = trafilatura.extract(
        html, output_format="json", with_metadata=True, include_comments=False, include_tables=False
    )
    if not extracted:
        raise ArticleError("HTML page with no article text")
    meta = json.loads(extracted)
    body = meta.get("text") or ""
    date = None
    if meta.get("date"):
        found = find_dates(meta["date"], None)
        date = found[0].date if found else None
    return body, meta.get("title"), meta.get("author"), date


def read_article(path: str, default_date: PartialDate | None = None) -> Article:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            return parse_article("<stdin>", data, default_date)
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ArticleError(e.strerror or str(e)) from None
    return parse_article(path, data, default_date)
