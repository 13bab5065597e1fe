"""End to end on the seed articles: `kg build` then the saved queries, through the real CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def rows(store: Path, name: str) -> list[dict[str, str]]:
    out = kg("query", "--store", str(store), "--saved", name, "--format", "csv")
    assert out.returncode == 0, out.stderr
    return list(csv.DictReader(io.StringIO(out.stdout)))


def test_officials_with_titles_and_countries(seeds_store):
    got = {(r["name"], r["country"]) for r in rows(seeds_store, "officials")}
    assert got == {
        ("Leon Panetta", "United States"),
        ("Jonathan Coleman", "New Zealand"),
        ("Christopher Landau", "United States"),
        ("Bede Corry", "New Zealand"),
    }
    titles = {r["name"]: r["title"] for r in rows(seeds_store, "officials")}
    assert titles["Christopher Landau"] == "Deputy Secretary of State"  # as the text writes it
    assert "Foreign Affairs" in titles["Bede Corry"]


def test_counterparts_met_where_and_when(seeds_store):
    met = {(r["name"], r["counterpart"], r["place"], r["date"]) for r in rows(seeds_store, "officials-who-met-counterparts")}
    assert ("Christopher Landau", "Bede Corry", "Washington, D.C.", "2026-02-02") in met
    assert ("Leon Panetta", "Jonathan Coleman", "Auckland", "") in met
    assert all({a, b} in ({"Christopher Landau", "Bede Corry"}, {"Leon Panetta", "Jonathan Coleman"}) for a, b, _, _ in met)


def test_dialogues_treaties_policies(seeds_store):
    dialogues = rows(seeds_store, "dialogues")
    strategic = [r for r in dialogues if "Strategic Dialogue" in r["dialogue"]]
    assert {r["participant"] for r in strategic} == {"Christopher Landau", "Bede Corry"}
    assert {r["date"] for r in strategic} == {"2026-02-02"}
    space = [r for r in dialogues if "Space Dialogue" in r["dialogue"]]
    assert space and space[0]["date"] == "2026-03"

    treaties = rows(seeds_store, "treaties")
    suspended = [r for r in treaties if r["event"] == "suspended"]
    assert {r["date"] for r in suspended} == {"1986"}
    defence = {r["treaty"] for r in suspended}
    assert {r["party"] for r in treaties if r["treaty"] in defence and r["party"]} == {"United States", "New Zealand"}
    assert any("Critical Minerals" in r["treaty"] and r["event"] == "proposed" for r in treaties)

    policies = rows(seeds_store, "policies")
    assert any("nuclear" in r["policy"] and r["country"] == "New Zealand" and r["date"] == "1985" for r in policies)


def test_page_chrome_is_not_in_the_graph(seeds_store):
    out = kg("query", "--store", str(seeds_store), "--format", "csv",
             "SELECT ?l WHERE { ?x rdfs:label ?l FILTER(REGEX(?l, 'Trump|Yoon|Aleppo|Syria|ABC News|Advertisement')) }")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == ["l"]


def test_every_fact_has_evidence_with_offsets_into_the_article(seeds_store):
    store = OxigraphStore(seeds_store, read_only=True)
    result = store.query(
        "SELECT ?quote ?start ?end ?src WHERE { GRAPH ?a { ?e a kg:Evidence ; kg:quote ?quote ; "
        "kg:startOffset ?start ; kg:endOffset ?end ; prov:wasDerivedFrom ?a . ?a kg:sourcePath ?src } }"
    )
    store.close()
    assert len(result.rows) > 20
    from kg.articles import read_article

    texts = {}
    for quote, start, end, src in result.rows:
        text = texts.setdefault(str(src), read_article(str(ROOT / str(src)) if not Path(str(src)).is_absolute() else str(src)).text)
        assert text[int(start): int(end)] == str(quote)


def test_validate_conforms_and_rebuild_is_idempotent(seeds_store, tmp_path):
    out = kg("validate", "--store", str(seeds_store))
    assert out.returncode == 0 and out.stdout.startswith("conforms"), out.stdout + out.stderr

    store = tmp_path / "s"
    first = kg("build", "--store", str(store), "seeds")
    assert first.returncode == 0, first.stderr
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    n1 = kg("query", "--store", str(store), "--format", "csv", count).stdout
    again = kg("build", "--store", str(store), "seeds")
    assert "built 0 articles (2 unchanged)" in again.stdout
    forced = kg("build", "--store", str(store), "--force", "seeds")
    assert forced.returncode == 0
    assert kg("query", "--store", str(store), "--format", "csv", count).stdout == n1


def test_changed_article_replaces_only_its_own_facts(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks\n\nGreek Foreign Minister Nikos Dendias met Turkish Foreign Minister Mevlut Cavusoglu in Athens.\n")
    (folder / "b.txt").write_text("Call\n\nSwedish Defence Minister Pal Jonson spoke with Finnish Defence Minister Antti Hakkanen.\n")
    store = str(tmp_path / "s")
    assert kg("build", "--store", store, str(folder)).returncode == 0
    (folder / "a.txt").write_text("Talks\n\nGreek Foreign Minister Nikos Dendias met Egyptian Foreign Minister Sameh Shoukry in Athens.\n")
    assert kg("build", "--store", store, str(folder)).returncode == 0
    names = {r["name"] for r in rows(Path(store), "officials")}
    assert names == {"Nikos Dendias", "Sameh Shoukry", "Pal Jonson", "Antti Hakkanen"}


def test_explain_shows_facts_with_sentences(seeds_store):
    out = kg("explain", "--store", str(seeds_store), "Leon Panetta")
    assert out.returncode == 0, out.stderr
    assert "kg:represents → United States" in out.stdout
    assert "He was speaking in Auckland at a joint news conference" in out.stdout
    assert "seeds/000_bc32d23b7621fa1b.txt" in out.stdout
    missing = kg("explain", "--store", str(seeds_store), "Nobody At All")
    assert missing.returncode == 2 and "no entity labelled" in missing.stderr
