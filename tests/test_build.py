"""kg build on bad and odd input: every good file builds, every bad one is reported on one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import cli
from kg.articles import parse_article
from kg.build import build_paths
from kg.pipeline import extract_articles
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.slow


def sources(store_path: Path) -> set[str]:
    with OxigraphStore(store_path, read_only=True) as store:
        rows = store.query("SELECT ?p WHERE { GRAPH ?g { ?g a kg:Article ; kg:sourcePath ?p } }").rows
    return {str(r[0]) for r in rows}


def test_bad_inputs_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BAD, corpus)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, corpus)
    missing = tmp_path / "missing.txt"
    store = tmp_path / "store"

    status = cli.main(["build", "--store", str(store), str(corpus), str(missing)])
    out, err = capsys.readouterr()

    assert status == 1
    expected_failures = {
        f"kg: {missing}: no such file or folder",
        f"kg: {corpus / 'empty.txt'}: empty file",
        f"kg: {corpus / 'whitespace.txt'}: only whitespace, no article text",
        f"kg: {corpus / 'binary.txt'}: binary data, not text",
        f"kg: {corpus / 'navigation-only.html'}: HTML page with no article text",
    }
    lines = err.splitlines()
    assert set(lines[:-1]) == expected_failures
    assert lines[-1] == "kg: 5 of 10 articles failed (listed above)"
    assert "\x1b[" not in err  # no progress bar (or colour) when stderr is not a terminal
    assert re.match(r"built 5 articles \(5 failed\); .* into .*store in \d+\.\d s\n$", out)
    good = {"latin1.txt", "utf16.txt", "no-entities.txt", *(p.name for p in SEEDS.glob("*.txt"))}
    assert sources(store) == {str(corpus / name) for name in good}

    # The same command again: nothing to rebuild, the same failures, the same status.
    status = cli.main(["build", "--store", str(store), str(corpus), str(missing)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.startswith("built 0 articles (5 unchanged, 5 failed)")


def test_article_with_no_entities_builds_its_article_node(tmp_path: Path) -> None:
    report = build_paths(str(tmp_path / "s"), [str(BAD / "no-entities.txt")])
    assert report.built == 1 and not report.failed
    assert all(n == 0 for n in report.counts.values())
    assert sources(tmp_path / "s") == {str(BAD / "no-entities.txt")}


def test_a_thousand_files_some_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    bad: dict[str, str] = {}
    for i in range(1000):
        path = corpus / f"a{i:04d}.txt"
        kind = i % 20
        if kind == 3:
            path.write_bytes(b"")
            bad[str(path)] = "empty file"
        elif kind == 7:
            path.write_bytes(b"\x00\x01\x02\xff" * 64)
            bad[str(path)] = "binary data, not text"
        elif kind == 11:
            path.write_text(" \n\n\t ")
            bad[str(path)] = "only whitespace, no article text"
        else:
            path.write_text(f"Note {i}\n\nMinister Lena Hart{i} spoke in Paris.\n")
    store = tmp_path / "store"

    status = cli.main(["build", "--quiet", "--store", str(store), str(corpus)])
    out, err = capsys.readouterr()

    assert status == 1 and out == ""
    reported = dict(re.match(r"kg: (.*): (.*)$", line).groups() for line in err.splitlines()[:-1])
    assert reported == bad
    assert err.splitlines()[-1] == "kg: 150 of 1000 articles failed (listed above)"
    assert len(sources(store)) == 850


def test_long_article_is_read_in_pieces_with_offsets_into_the_whole_text(extractor) -> None:
    paragraphs = []
    people = [("French", "Claire Dubois"), ("Indian", "Ravi Menon"), ("Japanese", "Kenji Sato"),
              ("German", "Anna Keller"), ("Brazilian", "Paulo Reis"), ("Kenyan", "Grace Wanjiru")]
    for n, (nationality, name) in enumerate(people):
        paragraphs.append(f"{nationality} Foreign Minister {name} spoke to reporters in the capital on day {n}. "
                          f"{name.split()[1]} said the talks on trade had gone well and would continue.")
        paragraphs.append(" ".join(f"Filler sentence {n}-{k} about the weather and the markets." for k in range(8)))
    text = "Long report\n\n" + "\n\n".join(paragraphs) + "\n"
    article = parse_article("long.txt", text.encode())
    failures: list[tuple[str, str]] = []

    [(same, facts)] = list(extract_articles(extractor, [article], on_failure=lambda p, w: failures.append((p, w)),
                                            piece_chars=700))

    assert same is article and not failures
    names = {o.name for o in facts.officials.values()}
    assert {name for _, name in people} <= names
    evidence = [e for o in facts.officials.values() for e in o.evidence]
    evidence += [p.evidence for o in facts.officials.values() for p in o.posts]
    assert len(evidence) >= len(people)
    for e in evidence:
        assert article.text[e.start: e.end].strip() == e.quote
    whole = extractor.extract(article)
    assert {o.name for o in whole.officials.values()} == names


def test_twenty_megabyte_article_is_refused_with_its_length_and_others_build(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("w") as f:
        line = 0
        while f.tell() < 20 * 1024 * 1024:
            f.write(f"Line {line}: the delegation discussed trade, fisheries and port access at length.\n")
            line += 1
    good = tmp_path / "good.txt"
    shutil.copy(next(SEEDS.glob("*.txt")), good)
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "KG_MAX_ARTICLE_CHARS")}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "--store", str(tmp_path / "s"), str(huge), str(good)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert re.search(rf"^kg: {re.escape(str(huge))}: article text is 20,\d{{3}},\d{{3}} characters, more than "
                     r"the 1,000,000 one article may have \(split it into several files, or raise "
                     r"KG_MAX_ARTICLE_CHARS\)$", err, re.M), err
    assert out.startswith("built 1 article (1 failed)")
    assert "Traceback" not in err


def test_twenty_megabyte_article_memory(tmp_path: Path) -> None:
    """Reading and refusing a 20 MB article stays far below what parsing it whole would need."""
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"".join(b"Line %d: the delegation discussed trade and port access.\n" % i
                              for i in range(360_000)))
    # The child's own peak: Linux carries ru_maxrss over exec from the process that forked it (here
    # pytest, itself several hundred MB by then), while /proc's VmHWM belongs to the new program alone.
    code = ("import re, resource, sys\nfrom kg.articles import ArticleError, read_article\n"
            "try:\n    read_article(sys.argv[1])\nexcept ArticleError as e:\n    print(e)\n"
            "try:\n    print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
            "except OSError:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, str(huge)], capture_output=True, text=True, check=True).stdout
    reason, peak_kb = out.splitlines()
    assert "more than the 1,000,000 one article may have" in reason
    assert int(peak_kb) < 400 * 1024


def test_odd_file_names_build_and_are_reported_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "odd"
    corpus.mkdir()
    undecodable = os.fsdecode(os.fsencode(str(corpus)) + b"/caf\xe9.txt")
    shutil.copy(next(SEEDS.glob("*.txt")), undecodable)
    (corpus / "bad\nname.txt").write_bytes(b"")
    store = tmp_path / "store"

    status = cli.main(["build", "--store", str(store), str(corpus)])
    _, err = capsys.readouterr()

    assert status == 1
    assert err.splitlines() == [f"kg: {corpus}/bad\\nname.txt: empty file", "kg: 1 of 2 articles failed (listed above)"]
    assert sources(store) == {f"{corpus}/caf\\xe9.txt"}
