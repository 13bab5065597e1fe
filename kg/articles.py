"""Reading articles: files, folders and standard input; text, Markdown and HTML.

An `Article` holds the text the extractor reads (page chrome removed), its title, the date it
was published (from its dateline, HTML metadata or `--date`) and the place of its dateline. All
character offsets in the graph refer to `Article.text`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from kg.dates import PartialDate, find_dates, find_numeric_dates, numeric_order, written_day_months

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MAX_BYTES = 50 * 1024 * 1024
# The longest article text a build accepts. Extraction runs at roughly 15,000 characters a second
# on one core, so this is about a minute; a bigger file is almost never one news article.
MAX_CHARS = 1_000_000
# Long articles are read in pieces of about this many characters, cut at paragraph breaks: spaCy's
# memory and the rules' time both grow faster than linearly with the length of one text.
PIECE_CHARS = 20_000
# An HTML page counts as an article only if some paragraph of its text has this many words.
MIN_HTML_WORDS = 8


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


def max_chars() -> int:
    """The article length limit: `$KG_MAX_ARTICLE_CHARS`, else MAX_CHARS."""
    value = os.environ.get("KG_MAX_ARTICLE_CHARS", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else MAX_CHARS


def source_name(path: str) -> str:
    """The path as stored in the graph: undecodable bytes of a file name become backslash escapes
    (a name from `os.fsdecode` may hold lone surrogates, which no RDF store accepts)."""
    if path == "-":
        return "<stdin>"
    return os.fsencode(path).decode("utf-8", "backslashreplace") if _has_surrogates(path) else path


def display_path(path: str) -> str:
    """The path on one line of a message: control characters (a newline in a file name) escaped."""
    name = source_name(path)
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "".join(c if ord(c) >= 32 and ord(c) != 127 else repr(c)[1:-1] for c in name)
    return name


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) covering `text` exactly, each piece at most `size` characters, cut after a
    blank line where possible, else after a line break, a sentence end, or a space."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for pattern in ("\n\n", "\n", ". ", " "):
            at = window.rfind(pattern, size // 4)
            if at != -1:
                cut = at + len(pattern)
                break
        cut = cut or size
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


# --- finding files --------------------------------------------------------------------------------


# A folder's notes about its articles, not articles: README.md, SOURCES.md, NOTES.txt, LICENSE...
NOTES = re.compile(r"(?i)(readme|sources?|notes?|changelog|changes|licen[cs]e|copying|contributing|authors|todo)"
                   r"([._-].*)?")
IGNORE_FILE = ".kgignore"


def article_paths(paths: list[str], exclude: Sequence[str] = (),
                  skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, str | None]]:
    """(path, error) for every article under the given files and folders, in a stable order.

    Folders are walked recursively for .txt/.md/.html files, leaving out hidden files, notes files
    (README, SOURCES, ...), and what `exclude` or the folder's `.kgignore` name (gitignore patterns,
    relative to the folder). A named file is read whatever its name or suffix, unless `exclude`
    names it. What is left out is added to `skipped` as (path, why)."""
    given_spec = pathspec.GitIgnoreSpec.from_lines(exclude)
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        p = Path(given)
        if p.is_dir():
            yield from _folder_articles(p, given_spec, skipped)
        elif given_spec.match_file(p.as_posix()) or given_spec.match_file(p.name):
            if skipped is not None:
                skipped.append((str(p), "--exclude"))
        elif p.is_file():
            yield str(p), None
        elif p.is_symlink() and not p.exists():
            yield str(p), _broken_link(p)
        elif p.exists():
            yield str(p), f"not a regular file ({_kind(p)})"
        else:
            yield str(p), "no such file or folder"


def _ignore_spec(folder: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _folder_articles(root: Path, given_spec: pathspec.GitIgnoreSpec,
                     skipped: list[tuple[str, str]] | None) -> Iterator[tuple[str, str | None]]:
    """The articles under a folder. Links are followed only to files inside the folder (a link to
    /etc/shadow is reported, never read); links to folders are not followed (no loops, no
    escape). Looping or broken links, FIFOs and devices, and sub-folders that cannot be read are
    reported rather than skipped in silence. Hidden files and folders are skipped; notes files and
    what `given_spec` or the folder's `.kgignore` name are left out (added to `skipped`)."""
    real_root = os.path.realpath(root)
    ignored = _ignore_spec(root)
    found: list[tuple[str, str | None]] = []
    left_out: list[tuple[str, str]] = []

    def unreadable(error: OSError) -> None:
        found.append((str(error.filename), f"cannot read this folder: {(error.strerror or str(error)).lower()}"))

    for folder, subfolders, files in os.walk(root, onerror=unreadable, followlinks=False):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in files + [d for d in subfolders if os.path.islink(os.path.join(folder, d))]:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            why = ("--exclude" if given_spec.match_file(rel)
                   else IGNORE_FILE if ignored.match_file(rel)
                   else "notes" if NOTES.fullmatch(name) else None)
            if why:
                if path.suffix.lower() in SUFFIXES:
                    left_out.append((str(path), why))
                continue
            if path.is_symlink():
                problem = _link_problem(path, real_root)
                if problem is not None:
                    found.append((str(path), problem))
                    continue
                if path.is_dir():
                    continue  # a link to a folder inside the tree: its files are walked there
            if path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_file():
                found.append((str(path), None))
            else:
                found.append((str(path), f"not a regular file ({_kind(path)})"))
    if skipped is not None:
        skipped.extend(sorted(left_out, key=lambda item: Path(item[0]).parts))
    yield from sorted(found, key=lambda item: Path(item[0]).parts)


def _link_problem(path: Path, real_root: str) -> str | None:
    """Why a link inside an article folder is not followed, or None if it may be."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a link that loops back on itself"
        return _broken_link(path)
    if os.path.commonpath([real_root, target]) != real_root:
        return f"a link to {target}, outside the folder (not followed)"
    return None


def _broken_link(path: Path) -> str:
    try:
        return f"a link to {os.readlink(path)}, which does not exist"
    except OSError:
        return "a broken link"


def _kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "cannot be read"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


# --- decoding -------------------------------------------------------------------------------------


_BINARY_SIGNATURES = {
    b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x1f\x8b": "a gzip file", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"\x7fELF": "a program", b"\xd0\xcf\x11\xe0": "an old Word/Excel file",
}


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, UTF-16 without one,
    else Windows-1252 (Latin-1 for the bytes it leaves undefined). Binary data is refused."""
    for magic, what in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise ArticleError(f"{what}, not text")
    # UTF-32's little-endian BOM begins with UTF-16's, so it is tried first.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError:
                raise ArticleError(f"invalid {codec.upper()} text") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    sample = data[:8192]
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16 is None:
            raise ArticleError("binary data, not text")
        try:
            return _check_text(data.decode(utf16))
        except UnicodeDecodeError:
            raise ArticleError("binary data, not text") from None
    # UTF-8, with any stretch that is not UTF-8 read as Windows-1252 (Latin-1 for the bytes it
    # leaves undefined): a pasted cp1252 quote inside a UTF-8 file spoils only itself, and a file
    # that is Windows-1252 throughout reads the same as decoding it whole.
    return _check_text(data.decode("utf-8", errors=_CP1252_REPAIR))


def _cp1252_stretch(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(_cp1252_char(b) for b in bad), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # the five bytes cp1252 leaves undefined, read as Latin-1


_CP1252_REPAIR = "kg-cp1252-repair"
codecs.register_error(_CP1252_REPAIR, _cp1252_stretch)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM has a zero byte in every other position (for Latin script)."""
    even, odd = sample[0::2], sample[1::2]
    # ...and, being text, has spaces or line breaks among its other bytes.
    if len(sample) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le" if b" " in even or b"\n" in even else None
    if len(sample) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be" if b" " in odd or b"\n" in odd else None
    return None


def _check_text(text: str) -> str:
    head = text[:8192]
    controls = sum(1 for c in head if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\x00")
    if controls > 0.01 * max(1, len(head)):
        raise ArticleError("binary data, not text")
    return text.replace("\x00", "")


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
    """The article's own date: a full date on a short line near the top ("Published: 9 July 2024",
    "Date: 11/09/2020", "20 II 2018"), or in the dateline that opens a longer line ("HANOI, March 12,
    2024 - ...")."""
    lines = _header_lines(text)
    month_first = _writes_month_first(text, lines)
    known = written_day_months("\n".join(lines))
    for line in lines:
        if len(line) > 160:
            opening = _dateline(line)
            if opening:
                return opening[1]
            continue
        full = [d for d in find_dates(line, None) if d.date.day and d.date.year]
        full += find_numeric_dates(line, month_first, known)
        if full:
            return min(full, key=lambda d: d.start).date
    # a release's date on a line of its own below a block of page furniture ("Release content\n\n12 November 2024")
    for line in _header_lines(text, _DATE_LINE_SEARCH)[len(lines):]:
        stripped = line.strip()
        dates = [d for d in find_dates(stripped, None) if d.date.day and d.date.year]
        if len(stripped) <= 40 and len(dates) == 1 and dates[0].end - dates[0].start >= len(stripped) - 12:
            return dates[0].date
    return None


# How many lines from the top a date standing alone on its line is taken as the article's.
_DATE_LINE_SEARCH = 30


# A time zone of the United States on a header line ("07/10/2021 | 04:38am EDT"): the page writes
# numeric dates month first.
_US_TIME_ZONE = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s+(?:E|C|M|P)[SD]?T\b", re.I)


def _writes_month_first(text: str, lines: list[str]) -> bool:
    """Whether ambiguous numeric dates (09/07/2024) are month first: yes if the article's other numeric
    dates are ("07/25/2024"), or a header line gives a US time zone; otherwise day first, as most of
    the world writes them."""
    order = numeric_order(text)
    if order is not None:
        return order
    return any(_US_TIME_ZONE.search(line) for line in lines if len(line) <= 160)


# How far into the text "today, <date>" is looked for: the opening paragraphs.
_TODAY_CHARS = 3000
# "today, 29 January 2013", "this evening [Wednesday 26 February 2025]", "will tomorrow, Thursday 2
# November 2006": the text names the day it calls today (or tomorrow, or yesterday).
_SAID_DAY = re.compile(r"\b(?P<day>today|tonight|this (?:morning|afternoon|evening)|tomorrow|yesterday)\s*[,(\[]\s*", re.I)
_SAID_DAY_OFFSET = {"tomorrow": -1, "yesterday": 1}


def date_of_today(text: str) -> PartialDate | None:
    """The date the opening paragraphs give to the day they call today ("met today, 29 January 2013"):
    a second best to a header date, as the day of the main event is usually the day of the report."""
    for m in _SAID_DAY.finditer(text[:_TODAY_CHARS]):
        after = text[m.end(): m.end() + 60]
        dates = [d for d in find_dates(after, None) if d.start == 0 and d.date.day]
        if dates:
            named = dates[0].date
            day = dt.date(named.year, named.month or 1, named.day or 1)
            day += dt.timedelta(days=_SAID_DAY_OFFSET.get(m.group("day").lower(), 0))
            return PartialDate(day.year, day.month, day.day)
    return None


_DATELINE_PLACE = re.compile(r"^([A-Z][A-Za-z.' -]{2,40}?(?:,\s*[A-Z][A-Za-z. ]{1,20})?)\s*(?:\||—|–|-{1,2}|$)")
# What comes before the date of a dateline: a place, maybe its region, and a separator
# ("HANOI, ", "SEOUL (", "Washington, D.C. | ", "PARIS, " before "Thursday, 26 September 2024").
_DATELINE_HEAD = re.compile(r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z. ]{1,20}?)?)\s*(?:[,(|—–-]\s*)?$")
# ... and what follows it: the end of the line, or a dash, bar, colon or slash ("/ENA/") before the text.
_DATELINE_TAIL = re.compile(r"^\s*\)?\s*(?:\([^()]{1,30}\)\s*)?(?:[—–|:/-]|$)")
# A wire-style dateline with no date: "WELLINGTON — ...", "WASHINGTON (AP) - ...".
# (also "NAIROBI, June 5 (Reuters) -", "MEXICO CITY, 5 March --": a day without a year says nothing of the year, but the place stands)
_CAPITALS_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z.' -]{2,40}?(?:,\s*[A-Z][A-Za-z. ]{1,20}?)?)"
                                r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?))?\s*(?:\([^()]{1,30}\)\s*)?(?:—|–|-{1,2})(?:\s|$)")
# Separators between the parts of a header line ("June 3, 2025 - Vancouver, British Columbia - Global Affairs").
_HEADER_PARTS = re.compile(r"\s+[-–—/|]\s+|\s*[—–|]\s*|,\s*")
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+[A-Z]|[.!?]$")


def _dateline(line: str) -> tuple[str, PartialDate] | None:
    """(place text, date) of a dateline that opens the line, else None."""
    opening = line[:120]
    dates = [d for d in find_dates(opening, None) if d.date.day]
    if not dates:
        return None
    first = dates[0]
    head = _DATELINE_HEAD.match(opening[: first.start])
    if not head or not _DATELINE_TAIL.match(opening[first.end:]):
        return None
    place = head.group("place").strip()
    # a proper dateline names a place: in capitals, or one the gazetteer knows
    if not (place.isupper() or _city_in(place)):
        return None
    return place, first.date


# What stands before a dateline's date on its line (a place in capitals, a number) and what follows it (a dash)
_DATELINE_LEAD = re.compile(r"^[\dA-Z][\dA-Z.,'’ ()/-]{0,60}$")
_DATELINE_DASH = re.compile(r"^\s*(?:\([^()]{1,30}\)\s*)?(?:--|[—–/|:-])")


def in_dateline(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] is a dateline's ("MEXICO CITY, 5 March -- At 9 a.m. on 4 March"):
    the day the article was written, not the day of what it tells."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_DATELINE_LEAD.match(text[line_start:start])) and bool(_DATELINE_DASH.match(text[end:end + 12]))


def _city_in(text: str) -> str | None:
    """The city a place text names: all of it ("Washington, D.C."), else the first comma-separated
    part that is a city ("Naval Base Headquarters, Auckland", "Vancouver, British Columbia")."""
    from kg.gazetteer import fold, gazetteer

    gz = gazetteer()
    text = text.strip().strip(",").strip()
    for candidate in [text] + ([p.strip() for p in text.split(",")] if "," in text else []):
        words = candidate.split()
        if not words or len(words) > 4 or not all(w[0].isupper() for w in words):
            continue
        name = candidate.title() if candidate.isupper() else candidate
        country = gz.country(name)
        if country and fold(gz.countries[country].capital) != fold(name):
            continue  # "Mexico" is the country, not a town of that name; "Singapore" is both
        if gz.city(name):
            return name
    return None


# A wire service's filing number before the dateline ("19960305 MEXICO CITY, 5 March --")
_FILING_STAMP = re.compile(r"^\d{6,8}\s+(?=[A-Z])")


def dateline_place(text: str) -> str | None:
    """A place on a short header line ('Washington, D.C. | February 2, 2026', 'WELLINGTON —'), in the
    dateline that opens the body ('HANOI, March 12, 2024 - ...'), or, failing those, the city
    among the parts of a header line ('Ministry of Foreign Affairs, Jakarta')."""
    lines = [_FILING_STAMP.sub("", line.strip()) for line in _header_lines(text)[1:]]
    for line in lines:
        m = _DATELINE_PLACE.match(line) if len(line) <= 80 else None
        if m:
            city = _city_in(m.group(1))
            if city:
                return city
        opening = _dateline(line)
        city = _city_in(opening[0]) if opening else None
        m = _CAPITALS_DATELINE.match(line) if not city else None
        city = city or (_city_in(m.group("place")) if m else None)
        if city:
            return city
    for line in lines:
        line = line.strip()
        if len(line) > 120 or _SENTENCE_END.search(line):
            continue
        for d in reversed(find_dates(line, None)):
            line = line[: d.start] + "," + line[d.end:]
        for part in _HEADER_PARTS.split(line):
            city = _city_in(part.strip(" -–—/|"))
            if city:
                return city
    for line in text.split("\n")[8:16]:
        # a dateline below a long header (a release's numbers, title and date lines)
        m = _CAPITALS_DATELINE.match(_FILING_STAMP.sub("", line.strip()))
        city = _city_in(m.group("place")) if m else None
        if city:
            return city
    return None


# --- reading --------------------------------------------------------------------------------------


def parse_article(source: str, data: bytes, default_date: PartialDate | None = None) -> Article:
    """An article from the bytes of a file; ArticleError says in a few words why there is none."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data:
        raise ArticleError("empty file")
    raw = decode(data)
    if not raw.strip():
        raise ArticleError("only whitespace, no article text")
    title = author = None
    html_date: PartialDate | None = None
    if looks_like_html(raw, Path(source).suffix.lower()):
        raw, title, author, html_date = _from_html(raw)
    text = strip_chrome(raw)
    if not text.strip():
        raise ArticleError("no article text")
    limit = max_chars()
    if len(text) > limit:
        raise ArticleError(
            f"article text is {len(text):,} characters, more than the {limit:,} one article may have "
            "(split it into several files, or raise KG_MAX_ARTICLE_CHARS)"
        )
    if title and not text.startswith(title):
        text = title + "\n\n" + text
    text = calm_punctuation_runs(text)
    date = header_date(text) or html_date or date_of_today(text) or default_date
    return Article(
        source=source,
        text=text,
        title=title or _title(text),
        date=date,
        dateline_place=dateline_place(text),
        content_hash=hashlib.sha256(data).hexdigest(),
        author=author,
    )


# Eight or more punctuation marks in a row (spaces between them or not): no sentence needs them,
# and spaCy's tokenizer and parser take time that grows with the square of such a run (20,000
# commas: over a minute).
_PUNCTUATION_RUN = re.compile(r"(?:[^\w\s]\s*){8,}")


def calm_punctuation_runs(text: str) -> str:
    """Blank out long runs of punctuation after their first three marks, keeping line breaks and
    every character's position (evidence offsets stay true)."""

    def calm(m: re.Match[str]) -> str:
        run = m.group(0)
        kept = 0
        out = []
        for c in run:
            if c.isspace():
                out.append(c if c in "\n\r" else " ")
            elif kept < 3:
                out.append(c)
                kept += 1
            else:
                out.append(" ")
        return "".join(out)

    return _PUNCTUATION_RUN.sub(calm, text)


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
    # Menus and footers come back as short lines; an article has at least one real paragraph.
    if not any(len(line.split()) >= MIN_HTML_WORDS for line in body.splitlines()):
        raise ArticleError("HTML page with no article text")
    date = None
    if meta.get("date"):
        found = find_dates(meta["date"], None)
        date = found[0].date if found else None
    return body, meta.get("title"), meta.get("author"), date


def read_article(path: str, default_date: PartialDate | None = None, *, name: str | None = None) -> Article:
    """The article in a file (`-` for standard input, recorded under `name` if given); ArticleError
    says why there is none."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
            return parse_article(name or "<stdin>", data, default_date)
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                raise ArticleError(f"{size / (1024 * 1024):.0f} MB, larger than {MAX_BYTES // (1024 * 1024)} MB")
            data = f.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise ArticleError("a folder, not a file") from None
    except OSError as e:
        raise ArticleError((e.strerror or str(e)).lower()) from None
    return parse_article(source_name(path), data, default_date)
