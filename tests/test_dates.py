"""Dates in text resolved against the article's date: relative months, paragraph numbers, target years."""

from __future__ import annotations

import pytest

from kg.articles import parse_article
from kg.dates import PartialDate, find_dates, find_numeric_dates, numeric_order, written_day_months

JULY_2025 = PartialDate(2025, 7, 11)


def dates(text: str, anchor: PartialDate | None = JULY_2025) -> list[tuple[str, str]]:
    return [(text[d.start:d.end], d.date.iso()) for d in find_dates(text, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The leaders adopted the plan in Hanoi last September.", "2024-09"),
        ("They first met last March.", "2025-03"),
        ("The exercise was held last July.", "2024-07"),  # the article's own month is not "last"
        ("The ministers will meet again next March.", "2026-03"),
        ("The ministers will meet again next September.", "2025-09"),
        ("The accord was signed in March.", "2025-03"),
        ("The accord will be reviewed in September.", "2025-09"),  # a bare month keeps the article's year
    ],
)
def test_month_without_a_year_is_placed_around_the_article_month(text: str, expected: str) -> None:
    assert [iso for _, iso in dates(text)] == [expected]


def test_next_month_is_marked_future_and_last_month_is_not() -> None:
    found = find_dates("They met last October and will meet next March.", JULY_2025)
    assert [(d.date.iso(), d.future) for d in found] == [("2024-10", False), ("2026-03", True)]


def test_last_month_name_needs_the_article_month() -> None:
    assert dates("They met last September.", PartialDate(2025)) == []


@pytest.mark.parametrize(
    "text",
    [
        "It was their second meeting, after talks in Manila in March.\n\n2. Minister Reyes noted the progress.",
        "It was their second meeting, after talks in Manila in March.\n2. Minister Reyes noted the progress.",
        "They spoke in May.\n\n3 ministers attended the dinner.",
    ],
)
def test_paragraph_number_after_a_month_is_not_its_day(text: str) -> None:
    assert [iso for _, iso in dates(text)] in (["2025-03"], ["2025-05"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks on March 2 went well.", ("March 2", "2025-03-02")),
        ("The talks on Sept. 3 went well.", ("Sept. 3", "2025-09-03")),
        ("The talks on 4 June went well.", ("4 June", "2025-06-04")),
        ("They leave on Sunday, November 9, for Seoul.", ("Sunday, November 9", "2025-11-09")),
    ],
)
def test_day_and_month_on_one_line_still_read(text: str, expected: tuple[str, str]) -> None:
    assert dates(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Leaders endorsed the Coral Sea Council's 2050 Strategy for Ocean Resilience.",
        "Both sides support the 2030 Agenda for Sustainable Development.",
        "The region's 2045 Vision sets out its aims.",
    ],
)
def test_year_that_names_a_target_is_no_date(text: str) -> None:
    assert dates(text) == []
    assert dates(text, None) == []


def test_year_before_a_longer_name_is_still_a_date() -> None:
    assert dates("The ministers discussed the 2022 National Defense Strategy.") == [("2022", "2022")]


def test_bare_year_far_after_the_article_is_no_event_date() -> None:
    assert dates("Emissions should reach net zero by 2040.", PartialDate(2024, 9, 26)) == []
    assert dates("Rotations will begin from 2027.", PartialDate(2024, 9, 26)) == [("2027", "2027")]
    # without the article's date nothing says how far ahead the year is
    assert dates("Emissions should reach net zero by 2040.", None) == [("2040", "2040")]


@pytest.fixture
def extract(extractor):
    def run(text: str):
        return extractor.extract(parse_article("test.txt", text.encode("utf-8")))

    return run


def test_last_month_name_dates_a_reported_meeting(extract) -> None:
    text = ("Readout of the Ministers' Call\n\nJuly 11, 2025\n\n"
            "Indian External Affairs Minister Arjun Rao spoke with Brazilian Foreign Minister Lucia Prado by phone. "
            "The two ministers last met in Nairobi last September.")
    facts = extract(text)
    visit = next(d for d in facts.dialogues if any(p.name == "Nairobi" for p in d.places))
    assert visit.date == PartialDate(2024, 9)


def test_paragraph_numbers_do_not_give_a_meeting_a_day(extract) -> None:
    text = ("Outcome of the Foreign Ministers' Meeting\n\nJuly 11, 2025\n\n"
            "1. Foreign Minister Arjun Rao of India held talks with Brazilian Foreign Minister Lucia Prado in "
            "Nairobi in March.\n\n2. Minister Rao thanked Minister Prado for her hospitality.")
    facts = extract(text)
    talks = next(d for d in facts.dialogues if any(p.name == "Nairobi" for p in d.places))
    assert talks.date == PartialDate(2025, 3)


# --- parts of the day and weekdays against the article's date ------------------------------------------


def _relative_dates(text: str, anchor: PartialDate) -> list[tuple[str, str, bool]]:
    return [(text[d.start:d.end], d.date.iso(), d.future) for d in find_dates(text, anchor)]


def test_parts_of_the_day_and_last_night():
    anchor = PartialDate(2024, 5, 8)
    assert _relative_dates("This morning we met; last night they dined.", anchor) == [
        ("This morning", "2024-05-08", False), ("last night", "2024-05-07", False)]


def test_weekdays_are_the_latest_on_or_before_the_article_date():
    anchor = PartialDate(2024, 5, 8)  # a Wednesday
    assert _relative_dates("They met on Monday and spoke on Wednesday.", anchor) == [
        ("on Monday", "2024-05-06", False), ("on Wednesday", "2024-05-08", False)]
    assert _relative_dates("last Wednesday, next Wednesday", anchor) == [
        ("last Wednesday", "2024-05-01", False), ("next Wednesday", "2024-05-15", True)]


def test_weekday_with_a_full_date_keeps_the_full_date():
    assert _relative_dates("on Tuesday, May 7, 2024", PartialDate(2024, 5, 20)) == [
        ("Tuesday, May 7, 2024", "2024-05-07", False)]


def test_weekday_needs_a_day_precise_article_date():
    assert find_dates("They met on Monday.", PartialDate(2024, 5)) == []


def test_a_weekday_after_a_future_tense_is_the_coming_one():
    anchor = PartialDate(2025, 9, 3)  # a Wednesday
    planned = find_dates("He will travel to Copenhagen on Thursday to meet her.", anchor)
    assert [(d.date, d.future) for d in planned] == [(PartialDate(2025, 9, 4), True)]
    held = find_dates("He will speak later. He met her on Thursday.", anchor)
    assert [d.date for d in held] == [PartialDate(2025, 8, 28)]


def test_a_weekday_after_a_reported_future_is_the_past_one():
    anchor = PartialDate(2025, 9, 3)  # a Wednesday
    found = find_dates("The navies will train together, the minister said on Tuesday after meeting her.", anchor)
    assert [(d.date, d.future) for d in found] == [(PartialDate(2025, 9, 2), False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Warsaw, 20 II 2018", [("20 II 2018", "2018-02-20")]),
    ("Warsaw, 5.XI.2019", [("5.XI.2019", "2019-11-05")]),
    ("ADDIS ABABA February 6/2022 /Agency/", [("February 6/2022", "2022-02-06")]),
    ("World War II 1945", [("1945", "1945")]),  # a Roman numeral with no day before it is no month
])
def test_roman_numeral_months_and_slashed_years(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text, None) == expected


def test_numeric_dates_are_day_first_unless_told_or_unambiguous() -> None:
    def iso(text: str, month_first: bool = False, known: frozenset[tuple[int, int]] = frozenset()) -> list[str]:
        return [d.date.iso() for d in find_numeric_dates(text, month_first, known)]

    assert iso("on 09/07/2024") == ["2024-07-09"]
    assert iso("on 09/07/2024", month_first=True) == ["2024-09-07"]
    assert iso("on 07/25/2024") == ["2024-07-25"]  # 25 can only be the day
    assert iso("on 09/07/2024", month_first=True, known=frozenset({(7, 9)})) == ["2024-07-09"]
    assert iso("on 31/31/2024, resolution 2024/117, 1.2.3") == []


def test_numeric_order_of_a_text() -> None:
    assert numeric_order("signed on 12/25/2021") is True
    assert numeric_order("signed on 25/12/2021") is False
    assert numeric_order("signed on 03/04/2021") is None
    assert written_day_months("KUALA LUMPUR, July 9 (Agency) and on 3 March") == {(7, 9), (3, 3)}
