"""A large benchmark graph with the shapes `kg build` produces.

Synthetic facts (officials with posts, dialogues with participants and places, treaties with
events, policies, each with its evidence) go through the real `kg.mapping.to_triples`, so the
graph has exactly the extractor's vocabulary, IRIs and per-article named graphs. Everything is
drawn from a seeded generator: the same arguments give the same graph.

    python benchmarks/graphgen.py --triples 1000000 --out graph.nq
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.articles import Article
from kg.dates import PartialDate
from kg.facts import ArticleFacts, Dialogue, Evidence, Official, PlaceRef, Policy, Post, Treaty, TreatyEvent
from kg.mapping import to_triples
from kg.store import ArticleGraph

COUNTRIES = [
    "USA", "NZL", "AUS", "JPN", "CHN", "KOR", "PRK", "IND", "PAK", "GBR", "FRA", "DEU", "ITA", "ESP", "CAN",
    "MEX", "BRA", "ARG", "CHL", "RUS", "UKR", "POL", "TUR", "ISR", "EGY", "SAU", "ARE", "IRN", "IRQ", "SYR",
    "IDN", "MYS", "SGP", "PHL", "VNM", "THA", "FJI", "PNG", "TON", "WSM", "NOR", "SWE", "FIN", "DNK", "NLD",
    "BEL", "GRC", "ZAF", "NGA", "KEN",
]
FIRST = ["Leon", "Jonathan", "Christopher", "Bede", "Maria", "Aiko", "Wei", "Priya", "Omar", "Elena", "James",
         "Sofia", "Kenji", "Amara", "Lucas", "Ingrid", "Tomas", "Fatima", "Hiroshi", "Grace", "Mateo", "Anna",
         "David", "Leila", "Samuel", "Yuki", "Ravi", "Chloe", "Ivan", "Nadia", "Peter", "Mei", "Carlos", "Olga",
         "Ahmed", "Laura", "Kwame", "Hana", "Erik", "Zainab"]
LAST = ["Panetta", "Coleman", "Landau", "Corry", "Tanaka", "Chen", "Sharma", "Haddad", "Petrova", "Walker",
        "Rossi", "Sato", "Okafor", "Silva", "Lindqvist", "Novak", "Rahman", "Yamamoto", "Mensah", "Garcia",
        "Kowalski", "Cohen", "Nguyen", "Muller", "Dubois", "Kim", "Singh", "Brown", "Ivanova", "Costa", "Park",
        "Hughes", "Moreno", "Fischer", "Ali", "Jensen", "Lopez", "Wright", "Suzuki", "Adeyemi", "Bianchi",
        "Andersen", "Kaya", "Tan", "Reyes", "Morgan", "Santos", "Berg", "Ito", "Osei"]
TITLES = ["defence minister", "foreign minister", "defence secretary", "secretary of state",
          "deputy secretary of state", "prime minister", "president", "ambassador", "national security adviser",
          "minister of trade", "chief of defence force", "secretary of foreign affairs and trade"]
DIALOGUE_TYPES = ["meeting", "talks", "visit", "summit", "call", "conference", "dialogue", "press briefing"]
CITIES = ["Auckland", "Wellington", "Washington", "Tokyo", "Beijing", "Canberra", "Seoul", "Delhi", "London",
          "Paris", "Berlin", "Honolulu", "Singapore", "Jakarta", "Manila", "Hanoi", "Suva", "Ottawa", "Brussels",
          "Geneva", "Vienna", "Oslo", "Ankara", "Cairo", "Riyadh", "Doha", "Nairobi", "Pretoria", "Lima",
          "Brasilia"]
TREATY_HEADS = ["Treaty", "Agreement", "Accord", "Pact", "Declaration", "Framework", "Partnership", "Convention"]
TREATY_KINDS = ["Defence", "Security", "Free Trade", "Strategic", "Critical Minerals", "Space", "Nuclear",
                "Maritime", "Cyber", "Climate"]
EVENTS = ["signed", "ratified", "suspended", "proposed", "negotiated", "announced", "renewed", "withdrew from"]
POLICY_WORDS = ["nuclear-free", "export control", "maritime security", "defence procurement", "climate",
                "cyber", "space", "critical minerals", "visa", "sanctions", "arms control", "pacific reset"]
POLICY_HEADS = ["policy", "ban", "strategy", "position", "programme", "initiative", "doctrine"]
ACTIONS = ["adopted", "announced", "banned", "introduced"]
WORDS = ("the two countries agreed to deepen cooperation on defence trade and security in the region while "
         "officials said talks would continue next month amid growing concern over stability and supply "
         "chains for critical technologies and maritime patrols").split()


class Universe:
    """The pools articles draw from: a fixed cast, so entities recur across articles as in real news."""

    def __init__(self, rng: random.Random, officials: int, treaties: int, policies: int) -> None:
        self.officials: list[tuple[str, str, str, str]] = []  # key, name, country, title
        seen: set[str] = set()
        while len(self.officials) < officials:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            middle = rng.choice(LAST) if len(seen) >= len(FIRST) * len(LAST) // 2 else ""
            name = " ".join(p for p in (first, middle, last) if p)
            key = f"{first} {middle} {last}".lower().replace("  ", " ")
            if key in seen:
                continue
            seen.add(key)
            self.officials.append((key, name, rng.choice(COUNTRIES), rng.choice(TITLES)))
        self.places = [PlaceRef(city, COUNTRIES[i % len(COUNTRIES)], 9_000_000 + i)
                       for i, city in enumerate(CITIES)]
        self.treaties = []
        for i in range(treaties):
            label = f"{rng.choice(COUNTRIES)}-{rng.choice(COUNTRIES)} {rng.choice(TREATY_KINDS)} " \
                    f"{rng.choice(TREATY_HEADS)} {i}"
            self.treaties.append((f"t{i}", label))
        self.policies = [f"{rng.choice(POLICY_WORDS)} {rng.choice(POLICY_HEADS)} {i}" for i in range(policies)]


def _sentence(rng: random.Random, *names: str) -> str:
    words = rng.sample(WORDS, 14)
    words[3:3] = list(names)
    return " ".join(words).capitalize() + "."


def _date(rng: random.Random) -> PartialDate:
    year = rng.randint(1985, 2026)
    kind = rng.random()
    if kind < 0.7:
        return PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    return PartialDate(year, rng.randint(1, 12)) if kind < 0.9 else PartialDate(year)


def article_facts(rng: random.Random, u: Universe, n: int) -> tuple[Article, ArticleFacts]:
    """One synthetic article and what the extractor would find in it."""
    offset = 0

    def ev(*names: str) -> Evidence:
        nonlocal offset
        quote = _sentence(rng, *names)
        start, offset = offset, offset + len(quote) + 1
        return Evidence(start, start + len(quote), quote, round(rng.uniform(0.5, 0.95), 2))

    date = _date(rng)
    source = f"<bench:article-{n:07d}>"
    article = Article(source, "", f"Benchmark article {n}", date, None,
                      hashlib.sha256(source.encode()).hexdigest())
    facts = ArticleFacts()
    cast = rng.sample(u.officials, rng.randint(3, 6))
    for key, name, country, title in cast:
        facts.countries[country] = facts.countries.get(country, 0) + 1
        posts = [Post(title, country, ev(name))]
        if rng.random() < 0.25:
            posts.append(Post(rng.choice(TITLES), country, ev(name)))
        facts.officials[key] = Official(key, name, country, posts, [ev(name)], ev(name, country))
    for c in rng.sample(COUNTRIES, 3):
        facts.countries[c] = facts.countries.get(c, 0) + 1
    for _ in range(rng.randint(1, 4)):
        people = rng.sample(cast, min(len(cast), rng.randint(2, 3)))
        place = rng.choice(u.places)
        facts.dialogues.append(Dialogue(
            label=f"{rng.choice(DIALOGUE_TYPES)} in {place.name}", type=rng.choice(DIALOGUE_TYPES),
            participants=[p[0] for p in people], countries={p[2] for p in people},
            places=[place] if rng.random() < 0.8 else [], date=_date(rng) if rng.random() < 0.7 else None,
            status="held" if rng.random() < 0.85 else "planned", evidence=[ev(*(p[1] for p in people))]))
    for key, label in rng.sample(u.treaties, rng.randint(0, 2)):
        t = Treaty(key, label, set(rng.sample(COUNTRIES, 2)), evidence=[ev(label)])
        for _ in range(rng.randint(1, 2)):
            t.events.append(TreatyEvent(rng.choice(EVENTS), _date(rng) if rng.random() < 0.8 else None,
                                        rng.choice(sorted(t.parties)), ev(label)))
        facts.treaties.append(t)
    for label in rng.sample(u.policies, rng.randint(1, 4)):
        facts.policies.append(Policy(label, rng.choice(COUNTRIES) if rng.random() < 0.9 else None,
                                     _date(rng) if rng.random() < 0.6 else None, rng.choice(ACTIONS), ev(label)))
    return article, facts


def article_graphs(triples: int, seed: int = 7) -> Iterator[ArticleGraph]:
    """What each synthetic article writes, until about `triples` triples are produced (entity
    descriptions counted once). The cast grows with the graph (about one official per 250 triples)."""
    rng = random.Random(seed)
    scale = max(1, triples // 1000)
    u = Universe(rng, officials=max(20, scale * 4), treaties=max(5, scale // 2), policies=max(10, scale * 2))
    made, n = 0, 0
    described: set[object] = set()
    while made < triples:
        graph = to_triples(*article_facts(rng, u, n))
        new = [t for t in graph.shared if t not in described]
        described.update(new)
        made += len(graph.triples) + len(new)
        n += 1
        yield graph


def write_nquads(path: Path, triples: int, seed: int = 7) -> tuple[int, int]:
    """Write the graph as N-Quads, as an embedded store holds it (the knowledge graph as the default
    graph, each article in its named graph); returns (articles, triples)."""
    articles = count = 0
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "w", encoding="utf-8") as out:
        described: set[object] = set()
        for graph in article_graphs(triples, seed):
            g = f"<{graph.iri}>"
            new = [t for t in graph.shared if t not in described]
            described.update(new)
            out.write("".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in new))
            out.write("".join(f"{s.n3()} {p.n3()} {o.n3()} {g} .\n" for s, p, o in graph.triples))
            articles += 1
            count += len(graph.triples) + len(new)
    tmp.replace(path)
    return articles, count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about how many triples (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    args = ap.parse_args(argv)
    articles, count = write_nquads(args.out, args.triples, args.seed)
    print(f"{args.out}: {count} triples in {articles} article graphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
