"""Dates as precise as the text says them, resolved against the article's own date.

"1986" stays a year (xsd:gYear), "March 2026" a month (xsd:gYearMonth), "February 2, 2026" a day
(xsd:date). Relative expressions ("today", "last month", "sixty years ago", "in March") are
resolved against the article's date when it has one, and dropped when it has none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
ROMAN_MONTHS = {r: i for i, r in enumerate("I II III IV V VI VII VIII IX X XI XII".split(), start=1)}
# A full month name takes no full stop ("March." ends a sentence); an abbreviation may ("Sept. 3").
_MONTH = (r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "a": 1, "an": 1,
}


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def xsd(self) -> str:
        return "date" if self.day else ("gYearMonth" if self.month else "gYear")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not m:
            raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        date = cls(y, int(mo) if mo else None, int(d) if d else None)
        date.validate()
        return date

    def validate(self) -> None:
        dt.date(self.year, self.month or 1, self.day or 1)

    def shift_months(self, n: int) -> PartialDate:
        month = (self.month or 1) - 1 + n
        return PartialDate(self.year + month // 12, month % 12 + 1)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: PartialDate
    relative: bool = False
    future: bool = False


def _valid(y: int, m: int | None, d: int | None) -> PartialDate | None:
    try:
        date = PartialDate(y, m, d)
        date.validate()
        return date
    except ValueError:
        return None


# Lookaheads for the first character a pattern can start with: they say nothing new, but let the
# regex engine skip most positions of a text at once instead of trying the whole pattern there.
_CAPITAL = r"(?=[A-Z])"
_CAPITAL_OR_DIGIT = r"(?=[A-Z\d])"

_ABSOLUTE = [
    # February 2, 2026 / Feb. 2 2026 / Thursday, February 2, 2026
    re.compile(_CAPITAL + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"),
    # 2 February 2026 / Thursday 13 March 2025
    re.compile(_CAPITAL_OR_DIGIT + _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b"),
    # 2026-02-02
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    # 20 II 2018 / 20.II.2018: a Roman-numeral month, as written in Central and Eastern Europe
    re.compile(r"\b(?P<day>\d{1,2})(?:\.\s*|\s+)(?P<roman>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:\.\s*|\s+)"
               r"(?P<year>(?:19|20)\d{2})\b"),
    # February 6/2022: a wire dateline's day and year joined by a slash
    re.compile(_CAPITAL + _MONTH + r"\s+(?P<day>\d{1,2})/(?P<year>(?:19|20)\d{2})\b"),
    # March 2026
    re.compile(r"\b" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b"),
    # a year on its own, unless it names a target ("the 2040 Strategy", "2030 Agenda")
    re.compile(r"(?<![\d,.$-])\b(?P<year>(?:19|20)\d{2})\b(?![-\d%]|\s*(?:years?|people|troops|km|miles)|"
               r" (?:Strategy|Agenda|Vision|Plan|Goals?|Targets?|Roadmap|Blueprint|Outlook)\b)"),
]
_YEAR_ONLY = _ABSOLUTE[-1]
# A bare year this far after the article's own is a target or a forecast, never an event it reports.
FAR_FUTURE_YEARS = 5
# Day and month with no year: dated against the article's date. Day and month stay on one line:
# "in March.\n\n2. Minister ..." is a month and a paragraph number.
_NO_YEAR = [
    re.compile(_CAPITAL + _WEEKDAY + _MONTH + r"[ \t\u00a0]+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d{2})"),
    re.compile(_CAPITAL_OR_DIGIT + _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[ \t\u00a0]+" + _MONTH + r"(?!,?\s*(?:19|20)\d{2})"),
    re.compile(r"\b(?P<prep>in|since|until|by|from|during|this|next|last)\s+" + _MONTH + r"(?!\s*\d)"),
]
_RELATIVE = re.compile(
    r"(?=[tylenofsa\d])"  # the first letters of the words below (any case)
    r"\b(?P<rel>today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|last night|"
    r"(?:on|last|next) (?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"this (?:week|month|year)|later this (?:week|month|year)|"
    r"earlier this (?:week|month|year)|last (?:week|month|year)|next (?:week|month|year)|"
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|a hundred|a|an)\s+(?P<unit>years?|months?)\s+ago)\b",
    re.I,
)


def find_dates(text: str, anchor: PartialDate | None) -> list[DateMention]:
    """Every date in `text`, most specific first where two overlap."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(s: int, e: int, date: PartialDate | None, relative: bool = False, future: bool = False) -> None:
        if date and free(s, e):
            found.append(DateMention(s, e, date, relative, future))
            taken.append((s, e))

    for pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            g = m.groupdict()
            year = int(g["year"])
            if pattern is _YEAR_ONLY and anchor and year > anchor.year + FAR_FUTURE_YEARS:
                continue
            month = (MONTHS.get((g.get("month") or "").lower().rstrip(".")) or (int(g["mnum"]) if g.get("mnum") else None)
                     or ROMAN_MONTHS.get(g.get("roman") or ""))
            day = int(g["day"]) if g.get("day") else None
            add(m.start(), m.end(), _valid(year, month, day))
    if anchor:
        for pattern in _NO_YEAR:
            for m in pattern.finditer(text):
                month = MONTHS[m.group("month").lower().rstrip(".")]
                day = int(m.group("day")) if m.groupdict().get("day") else None
                prep = (m.groupdict().get("prep") or "").lower()
                month_year = _month_year(prep, month, anchor)
                date = _valid(month_year, month, day) if month_year else None
                add(m.start("month") if not day else m.start(), m.end(), date, True, prep == "next")
        for m in _RELATIVE.finditer(text):
            rel = m.group("rel").lower()
            if m.group("weekday") and rel.startswith("on ") and _FUTURE_BEFORE.search(text, max(0, m.start() - 100), m.start()):
                rel = "next " + rel[3:]  # "will travel on Thursday": the coming Thursday
            date, future = _relative(rel, m, anchor)
            add(m.start(), m.end(), date, True, future)
    found.sort(key=lambda d: d.start)
    return found


# a future tense earlier in the same sentence ("Whitfield will travel to X on Thursday"), but not one
# reported before the weekday's own clause ("X will hold ..., she said on Tuesday")
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|is to|are to|is scheduled to|plans? to|is due to)\b"
                            r"(?:(?!\b(?:said|says|told|added|announced|stated)\b)[^.!?\n])*$", re.I)


def _month_year(prep: str, month: int, anchor: PartialDate) -> int | None:
    """The year of a month named without one: "last September" is the latest September before the
    article's month, "next March" the first March after it; any other month is of the article's year."""
    if prep not in ("last", "next"):
        return anchor.year
    if not anchor.month:
        return None  # "last September" in an article dated only by its year could be either year
    if prep == "last":
        return anchor.year if month < anchor.month else anchor.year - 1
    return anchor.year if month > anchor.month else anchor.year + 1


_DAY_PARTS = {"morning", "afternoon", "evening"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(prep: str, name: str, a: PartialDate) -> tuple[PartialDate | None, bool]:
    """ "on Tuesday" in a report is the latest Tuesday on or before its date ("last Tuesday" before it),
    "next Tuesday" the first after it."""
    if not (a.month and a.day):
        return None, False
    anchor = dt.date(a.year, a.month, a.day)
    back = (anchor.weekday() - _WEEKDAYS.index(name)) % 7
    if prep == "next":
        day = anchor + dt.timedelta(days=(7 - back) if back else 7)
    else:
        day = anchor - dt.timedelta(days=back or (7 if prep == "last" else 0))
    return PartialDate(day.year, day.month, day.day), prep == "next"


def _relative(rel: str, m: re.Match[str], a: PartialDate) -> tuple[PartialDate | None, bool]:
    if m.group("unit"):
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 0)
        if m.group("unit").startswith("year"):
            return _valid(a.year - count, None, None), False
        return (a.shift_months(-count) if a.month else None), False
    if rel in ("today", "tonight") or rel.startswith("this ") and rel.split()[-1] in _DAY_PARTS:
        return (a if a.day else None), False
    if m.group("weekday"):
        return _weekday(rel.split()[0], m.group("weekday").lower(), a)
    if rel == "last night":
        rel = "yesterday"
    if rel in ("yesterday", "tomorrow"):
        if not a.day:
            return None, False
        day = dt.date(a.year, a.month or 1, a.day) + dt.timedelta(days=-1 if rel == "yesterday" else 1)
        return PartialDate(day.year, day.month, day.day), rel == "tomorrow"
    unit = rel.split()[-1]
    offset = -1 if rel.startswith("last") else (1 if rel.startswith("next") else 0)
    future = offset > 0 or rel.startswith("later")
    if unit == "year":
        return PartialDate(a.year + offset), future
    if not a.month:
        return None, future
    if unit == "month":
        return a.shift_months(offset), future
    # weeks: the month is as precise as we can be
    if a.day:
        day = dt.date(a.year, a.month, a.day) + dt.timedelta(weeks=offset)
        return PartialDate(day.year, day.month), future
    return PartialDate(a.year, a.month), future


# --- numeric dates --------------------------------------------------------------------------------

# 09/07/2024, 11.09.2020, 7-10-2021: day and month in an order the numbers alone do not always say.
_NUMERIC = re.compile(r"(?<![\d/.-])(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d{2})(?![\d/.-]\d)")
# Day and month written out, with or without a year ("July 9", "9 July 2024"): they say which
# reading of a numeric date nearby is meant.
_WRITTEN_DAY_MONTH = [
    re.compile(_CAPITAL + _WEEKDAY + _MONTH + r"[ \t\u00a0]+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"),
    re.compile(_CAPITAL_OR_DIGIT + _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[ \t\u00a0]+" + _MONTH),
]


def numeric_order(text: str) -> bool | None:
    """True if the text writes numeric dates month first (a US habit: 07/25/2024), False if day
    first (25/07/2024), None if none of its numeric dates has a part above 12 to tell."""
    month_first = day_first = False
    for m in _NUMERIC.finditer(text):
        first, second = int(m.group("first")), int(m.group("second"))
        month_first |= first <= 12 < second
        day_first |= second <= 12 < first
    return None if month_first == day_first else month_first


def written_day_months(text: str) -> set[tuple[int, int]]:
    """(month, day) of every day and month written with a month name in the text."""
    found = set()
    for pattern in _WRITTEN_DAY_MONTH:
        for m in pattern.finditer(text):
            found.add((MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day"))))
    return found


def find_numeric_dates(text: str, month_first: bool = False,
                       known: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> list[DateMention]:
    """Numeric dates in `text`. A date whose parts are both 12 or less is read month first when
    `month_first` says the article writes dates that way, else day first (most of the world does),
    unless one reading matches a day and month written out in `known`."""
    found = []
    for m in _NUMERIC.finditer(text):
        first, second, year = int(m.group("first")), int(m.group("second")), int(m.group("year"))
        day_first_date, month_first_date = _valid(year, second, first), _valid(year, first, second)
        if day_first_date and month_first_date and first != second:
            agrees = [d for d in (day_first_date, month_first_date) if (d.month, d.day) in known]
            read: PartialDate | None = agrees[0] if len(agrees) == 1 else (month_first_date if month_first else day_first_date)
        else:
            read = day_first_date or month_first_date
        if read:
            found.append(DateMention(m.start(), m.end(), read))
    return found
