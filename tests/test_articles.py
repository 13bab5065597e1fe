"""Reading articles: decoding, refusals with their reasons, chrome stripping, pieces, path display."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kg.articles import (
    ArticleError,
    article_paths,
    decode,
    display_path,
    parse_article,
    pieces,
    read_article,
    source_name,
    strip_chrome,
)
from kg.dates import PartialDate

BAD = Path(__file__).parent / "data" / "bad"
TEXT = "Talks in Delhi\n\nFrench Foreign Minister Claire Dubois met Indian Foreign Minister Ravi Menon in Delhi.\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("whitespace.txt", "only whitespace, no article text"),
        ("binary.txt", "binary data, not text"),
        ("navigation-only.html", "HTML page with no article text"),
    ],
)
def test_bad_fixtures_are_refused_with_their_reason(name: str, reason: str) -> None:
    with pytest.raises(ArticleError) as caught:
        read_article(str(BAD / name))
    assert str(caught.value) == reason


def test_latin1_file_is_read_as_latin1() -> None:
    article = read_article(str(BAD / "latin1.txt"))
    assert article.title == "Café talks in Montréal"
    assert "Montréal on Tuesday" in article.text


def test_utf16_with_bom_is_read() -> None:
    article = read_article(str(BAD / "utf16.txt"))
    assert article.text == TEXT


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    assert decode(data) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec: str) -> None:
    assert decode(TEXT.encode(codec)) == TEXT


def test_windows_1252_quotes_and_latin1_only_bytes() -> None:
    assert decode(b"\x93Kia ora\x94 \x96 caf\xe9") == "\u201cKia ora\u201d \u2013 café"
    # 0x81 is undefined in Windows-1252: the whole text is read as Latin-1 instead of failing
    assert decode(b"a\x81b\xe9") == "a\x81bé"


@pytest.mark.parametrize(
    ("data", "what"),
    [(b"%PDF-1.7\n...", "a PDF file"), (b"PK\x03\x04rest", "a ZIP archive"), (b"\x89PNG\r\n\x1a\n", "a PNG image")],
)
def test_known_binary_formats_are_named(data: bytes, what: str) -> None:
    with pytest.raises(ArticleError, match=what):
        decode(data)


def test_zero_bytes_without_the_shape_of_utf16_text_are_binary() -> None:
    with pytest.raises(ArticleError, match="binary"):
        decode(b"\x00\xff" * 100)


def test_text_full_of_control_characters_is_binary() -> None:
    with pytest.raises(ArticleError, match="binary"):
        decode(b"abc\x01\x02\x03\x04def\x05\x06" * 20)


def test_missing_and_odd_paths_in_article_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text(TEXT)
    found = list(article_paths([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert found == [(str(tmp_path / "a.txt"), None), (str(tmp_path / "nope.txt"), "no such file or folder")]


def test_unreadable_file_and_folder_reasons(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="a folder, not a file"):
        read_article(str(tmp_path))
    with pytest.raises(ArticleError, match="no such file"):
        read_article(str(tmp_path / "gone.txt"))


def test_article_longer_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_ARTICLE_CHARS", "1000")
    body = "".join(f"Line {i} of a long report about trade.\n" for i in range(100))
    with pytest.raises(ArticleError, match=r"is 3,790 characters, more than the 1,000 one article may have"):
        parse_article("long.txt", body.encode())


def test_pieces_cover_the_text_exactly_and_cut_at_paragraphs() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * (i % 7 + 20) for i in range(200)]
    text = "\n\n".join(paragraphs)
    parts = pieces(text, 1000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 1000 for _, p in parts)
    assert all(text[offset: offset + len(p)] == p for offset, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])


def test_pieces_of_text_without_breaks_are_still_bounded() -> None:
    text = "x" * 2500
    parts = pieces(text, 1000)
    assert [len(p) for _, p in parts] == [1000, 1000, 500]


def test_strip_chrome_drops_ads_and_teasers_keeps_text() -> None:
    raw = "Headline\nAdvertisement\nBody sentence one.\nShare this article\nAnother story trails off…\nEnd.\n"
    assert strip_chrome(raw) == "Headline\nBody sentence one.\nEnd.\n"


def test_paths_with_newlines_and_undecodable_bytes_display_on_one_line() -> None:
    assert display_path("news/a\nb.txt") == "news/a\\nb.txt"
    odd = "news/caf\udce9.txt"  # os.fsdecode(b"news/caf\xe9.txt")
    assert source_name(odd) == "news/caf\\xe9.txt"
    assert "\n" not in display_path(odd + "\n")


# --- the article's own date and the place of its dateline -----------------------------------------

BODY = (" Vietnam's Minister of Foreign Affairs and Chile's Minister of Foreign Affairs held talks on trade, "
        "fisheries and maritime security, and agreed to meet again before the end of the year.\n")


@pytest.mark.parametrize(
    ("dateline", "date", "place"),
    [
        ("HANOI, March 12, 2024 -", "2024-03-12", "Hanoi"),
        ("OTTAWA, Sept. 3, 2024 —", "2024-09-03", "Ottawa"),
        ("SEOUL (Jan. 5, 2025) –", "2025-01-05", "Seoul"),
        ("PARIS, Thursday, 26 September 2024 -", "2024-09-26", "Paris"),
        ("Nairobi, Kenya, 4 June 2025:", "2025-06-04", "Nairobi"),
    ],
)
def test_dateline_opening_the_first_paragraph(dateline: str, date: str, place: str) -> None:
    article = parse_article("a.txt", f"Ministers Hold Talks\n\n{dateline}{BODY}".encode())
    assert len(article.text.split("\n")[2]) > 160  # a body paragraph, not a short header line
    assert article.date is not None and article.date.iso() == date
    assert article.dateline_place == place


@pytest.mark.parametrize(
    ("header", "date", "place"),
    [
        ("PARIS, Thursday, 26 September 2024", "2024-09-26", "Paris"),
        ("Naval Base Headquarters, Auckland\nTuesday, 3 June 2025", "2025-06-03", "Auckland"),
        ("June 3, 2025\nMinistry of Foreign Affairs, Jakarta", "2025-06-03", "Jakarta"),
        ("June 3, 2025 - Vancouver, British Columbia - Global Affairs Canada / Trade", "2025-06-03", "Vancouver"),
        ("Office of the Spokesperson\nWashington, D.C.\nJune 3, 2025", "2025-06-03", "Washington, D.C."),
        ("SYDNEY (AP) —", None, "Sydney"),
    ],
)
def test_place_among_the_parts_of_a_header_line(header: str, date: str | None, place: str) -> None:
    article = parse_article("a.txt", f"Ministers Hold Talks\n\n{header}\n\nThe ministers met.\n".encode())
    assert (article.date.iso() if article.date else None) == date
    assert article.dateline_place == place


@pytest.mark.parametrize(
    "header",
    [
        "Media Note\nOffice of the Spokesperson",
        "Ministry of Foreign Affairs, Mexico",  # the country, not a town of that name
        "Remarks by the Minister, Jane Austin",
    ],
)
def test_header_lines_without_a_city_give_no_place(header: str) -> None:
    assert parse_article("a.txt", f"Ministers Hold Talks\n\n{header}\n\nThe ministers met.\n".encode()).dateline_place is None


def test_date_inside_a_long_paragraph_is_not_the_article_date() -> None:
    text = "Ministers Hold Talks\n\nThe ministers, who first met in Hanoi on March 12, 2024 - a year ago -" + BODY
    article = parse_article("a.txt", text.encode())
    assert article.date is None and article.dateline_place is None


def test_dateline_place_and_date_reach_the_main_event(extractor) -> None:
    text = ("Vietnam and Chile Deepen Ties\n\nHANOI, March 12, 2024 - Vietnamese Foreign Minister Tran Van Minh held talks "
            "with Chilean Foreign Minister Rosa Fuentes on Tuesday on trade, fisheries and maritime security, the "
            "first such talks between the two countries' foreign ministers in more than a decade.\n")
    facts = extractor.extract(parse_article("a.txt", text.encode()))
    talks = next(d for d in facts.dialogues if d.participants)
    assert [p.name for p in talks.places] == ["Hanoi"]
    assert talks.date is not None and talks.date.iso().startswith("2024-03")


# --- wire datelines with a date and an agency ------------------------------------------------------------


@pytest.mark.parametrize("opening, place, date", [
    ("NAIROBI, June 5 (Agency) - The ministers met.", "Nairobi", None),
    ("LIMA, Peru, May 3 (Reuters) - The ministers met.", "Lima", None),
    ("LIMA, May 3, 2024 (Reuters) - The ministers met.", "Lima", PartialDate(2024, 5, 3)),
])
def test_wire_dateline_with_day_and_agency(opening: str, place: str, date: PartialDate | None) -> None:
    article = parse_article("wire.txt", f"Ministers Meet\n\n{opening}".encode(), None)
    assert (article.dateline_place, article.date) == (place, date)


# --- labelled, numeric and Roman-numeral header dates, and the day the opening calls today --------------


@pytest.mark.parametrize(("header", "date"), [
    ("Published : 09/07/2024 08:43 PM", "2024-07-09"),  # both parts 12 or less: day first
    ("News story | Date: 11/09/2020", "2020-09-11"),
    ("Posted on 3 March 2025", "2025-03-03"),
    ("Updated 25.03.2025", "2025-03-25"),
    ("Published: 9 July 2024 | Updated: 10 July 2024", "2024-07-09"),  # the first date is the article's
    ("20 II 2018", "2018-02-20"),
    ("07/10/2021 | 04:38am EDT", "2021-07-10"),  # a US time zone: month first
    ("Date: 03/04/2022\nPARIS, April 3 -", "2022-04-03"),  # the written date says which reading
])
def test_labelled_numeric_and_roman_header_dates(header: str, date: str) -> None:
    article = parse_article("a.txt", f"Ministers Hold Talks\n\n{header}\n\nThe ministers met.\n".encode())
    assert article.date is not None and article.date.iso() == date


def test_ambiguous_numeric_date_follows_the_order_of_the_articles_other_numeric_dates() -> None:
    text = ("Ministers Hold Talks\n\nDate: 03/04/2022\n\nThe ministers met. The accord signed on 12/25/2021 "
            "comes into force soon.\n")
    assert parse_article("a.txt", text.encode()).date == PartialDate(2022, 3, 4)


def test_header_number_that_is_no_date_gives_no_date() -> None:
    text = "Ministers Hold Talks\n\nResolution 45/13\nPress release 2024/117\n\nThe ministers met.\n"
    assert parse_article("a.txt", text.encode()).date is None


@pytest.mark.parametrize(("opening", "date"), [
    ("The commission met today, 29 January 2013, in Geneva", "2013-01-29"),
    ("The ministers met this evening [Wednesday 26 February 2025] in Dublin", "2025-02-26"),
    ("The minister will tomorrow, Thursday 2 November 2006, hold talks in Beijing", "2006-11-01"),
    ("ADDIS ABABA February 6/2022 /Agency/ The ministers met", "2022-02-06"),
])
def test_date_the_opening_paragraph_gives_to_today(opening: str, date: str) -> None:
    article = parse_article("a.txt", f"Ministers Hold Talks\n\n{opening}{BODY}".encode())
    assert article.date is not None and article.date.iso() == date


def test_today_without_a_date_after_it_gives_no_date() -> None:
    text = "Ministers Hold Talks\n\nThe ministers met today, and on 29 January 2013 they will meet again" + BODY
    assert parse_article("a.txt", text.encode()).date is None
