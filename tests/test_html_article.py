"""An HTML page of an article builds to the same facts as its text."""

from __future__ import annotations

import html
from pathlib import Path

from kg.build import build_paths
from kg.store import OxigraphStore

SEED = Path(__file__).resolve().parent.parent / "seeds" / "004_fa2435607af1378d.txt"
FACTS = """SELECT DISTINCT ?name ?title ?country WHERE { ?o a kg:Official ; rdfs:label ?name ;
  kg:holdsPost ?p . ?p kg:title ?title ; kg:postCountry/kg:isoCode ?country } ORDER BY ?name"""
MEETINGS = """SELECT DISTINCT ?a ?b ?date WHERE { ?d kg:participant ?x, ?y ; kg:date ?date .
  ?x rdfs:label ?a . ?y rdfs:label ?b FILTER(STR(?a) < STR(?b)) } ORDER BY ?a ?b"""


def news_page(text: str) -> str:
    """The article as a news site would serve it: navigation, headline, paragraphs, footer."""
    lines = [line for line in text.splitlines() if line.strip() and line.strip() != "Advertisement"]
    title, body = lines[0], lines[1:]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!doctype html><html><head><title>{html.escape(title)}</title>
<meta property="og:title" content="{html.escape(title)}"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/defence">Defence</a></nav>
<article><h1>{html.escape(title)}</h1>{paragraphs}</article>
<footer>Copyright News Company. All rights reserved. Privacy policy.</footer></body></html>"""


def facts(store_dir: Path) -> tuple[list, list]:
    store = OxigraphStore(store_dir, read_only=True)
    try:
        return store.query(FACTS).rows, store.query(MEETINGS).rows
    finally:
        store.close()


def test_html_page_gives_the_same_facts_as_the_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(news_page(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    assert not build_paths(str(tmp_path / "text"), [str(SEED)]).failed
    assert not build_paths(str(tmp_path / "html"), [str(page)]).failed
    text_facts, html_facts = facts(tmp_path / "text"), facts(tmp_path / "html")
    assert text_facts[0] and text_facts == html_facts
