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
