"""What a folder build reads: articles, not the folder's notes (README.md, SOURCES.md), nor what
--exclude or .kgignore name; the summary says what was left out; and articles whose files are gone
leave the store with `kg build --prune` or `kg remove`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.articles import article_paths
from kg.build import build_paths, remove_paths
from kg.cli import main
from kg.store import open_store

TALKS = """Talks in {city}

{city_caps}, 3 March 2024 - New Zealand Foreign Minister {nz} met Japanese Foreign Minister {jp} in
{city} on Monday.
"""


def write(path: Path, nz: str, jp: str, city: str = "Wellington") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TALKS.format(city=city, city_caps=city.upper(), nz=nz, jp=jp), encoding="utf-8")


def test_notes_hidden_excluded_and_kgignored_files_are_left_out(tmp_path: Path) -> None:
    for name in ("a.txt", "README.md", "SOURCES.md", "notes.txt", "LICENSE.txt", "drafts/b.txt", "old/c.html",
                 ".hidden/d.txt", "sub/e.md", "readme-first-article.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text", encoding="utf-8")
    (tmp_path / ".kgignore").write_text("# drafts are not ready\ndrafts/\n", encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    found = [Path(p).relative_to(tmp_path).as_posix()
             for p, _ in article_paths([str(tmp_path)], ["old/*.html"], skipped)]
    assert found == ["a.txt", "sub/e.md"]
    assert {Path(p).relative_to(tmp_path).as_posix(): why for p, why in skipped} == {
        "README.md": "notes", "SOURCES.md": "notes", "notes.txt": "notes", "LICENSE.txt": "notes",
        "readme-first-article.txt": "notes", "drafts/b.txt": ".kgignore", "old/c.html": "--exclude",
    }
    # a notes file named on its own is read: the user asked for it
    assert [p for p, _ in article_paths([str(tmp_path / "SOURCES.md")])] == [str(tmp_path / "SOURCES.md")]
    assert list(article_paths([str(tmp_path / "a.txt")], ["a.txt"])) == []


@pytest.mark.slow
def test_prune_and_remove_drop_the_articles_whose_files_are_gone(tmp_path: Path, capsys) -> None:
    corpus, store = tmp_path / "news", str(tmp_path / "store")
    write(corpus / "a.txt", "Winston Peters", "Takeshi Iwaya")
    write(corpus / "b.txt", "Winston Peters", "Gen Nakatani", "Auckland")
    write(corpus / "c.txt", "Judith Collins", "Yoko Kamikawa", "Christchurch")
    (corpus / "SOURCES.md").write_text("# Sources\n\nForeign Minister Ana Berg met Defence Minister Bo Lind.\n")
    report = build_paths(store, [str(corpus)])
    assert report.built == 3 and report.skipped == [(str(corpus / "SOURCES.md"), "notes")]
    assert "left out SOURCES.md (notes)" in report.summary(store)

    def officials() -> set[str]:
        with open_store(store) as s:
            return {str(r[0]) for r in s.query("SELECT ?n WHERE { ?o a kg:Official ; rdfs:label ?n }").rows}

    assert officials() == {"Winston Peters", "Takeshi Iwaya", "Gen Nakatani", "Judith Collins", "Yoko Kamikawa"}
    (corpus / "a.txt").unlink()
    report = build_paths(store, [str(corpus)])  # without --prune the article stays
    assert report.removed == [] and "Takeshi Iwaya" in officials()
    report = build_paths(store, [str(corpus)], prune=True)
    assert report.removed == [str(corpus / "a.txt")]
    assert "removed 1 whose files are gone (a.txt)" in report.summary(store)
    assert officials() == {"Winston Peters", "Gen Nakatani", "Judith Collins", "Yoko Kamikawa"}  # Peters: b.txt

    removed, unmatched = remove_paths(store, [str(corpus / "c.txt"), str(tmp_path / "never.txt")])
    assert removed == [str(corpus / "c.txt")] and unmatched == [str(tmp_path / "never.txt")]
    assert officials() == {"Winston Peters", "Gen Nakatani"}
    capsys.readouterr()
    assert main(["remove", "--store", store, str(corpus)]) == 0
    assert capsys.readouterr().out.startswith("removed 1 article from")
    assert officials() == set()
    assert main(["remove", "--store", store, str(corpus / "b.txt")]) == 1
    assert "no article in" in capsys.readouterr().err
