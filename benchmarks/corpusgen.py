"""A large article corpus for benchmarks, made from the seed articles.

Each generated article is a seed article with its people, partner country, cities, months and
years swapped for others drawn from a seeded generator, so the extractor sees real news prose
with varied names, dates and places (and the graph grows as it would over a real corpus).
Articles are written one at a time: the corpus is never held in memory.

    python benchmarks/corpusgen.py --articles 2000 --out corpus/
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PEOPLE = ["Leon Panetta", "Jonathan Coleman", "Christopher Landau", "Bede Corry"]
FIRST = ["Maria", "Aiko", "Wei", "Priya", "Omar", "Elena", "James", "Sofia", "Kenji", "Amara", "Lucas",
         "Ingrid", "Tomas", "Fatima", "Hiroshi", "Grace", "Mateo", "Anna", "David", "Leila", "Samuel", "Ravi",
         "Chloe", "Ivan", "Nadia", "Peter", "Carlos", "Olga", "Ahmed", "Laura", "Kwame", "Erik", "Zainab"]
LAST = ["Tanaka", "Chen", "Sharma", "Haddad", "Petrova", "Walker", "Rossi", "Sato", "Okafor", "Silva",
        "Lindqvist", "Novak", "Rahman", "Yamamoto", "Mensah", "Garcia", "Kowalski", "Cohen", "Nguyen",
        "Muller", "Dubois", "Singh", "Brown", "Costa", "Hughes", "Moreno", "Fischer", "Jensen", "Lopez",
        "Wright", "Adeyemi", "Bianchi", "Andersen", "Reyes", "Morgan", "Santos", "Osei"]
# Partner countries with a city that stands in for Auckland.
PARTNERS = [("Australia", "Sydney"), ("Japan", "Osaka"), ("India", "Mumbai"), ("Philippines", "Cebu"),
            ("Canada", "Toronto"), ("United Kingdom", "Manchester"), ("France", "Marseille"),
            ("Germany", "Munich"), ("South Korea", "Busan"), ("Indonesia", "Surabaya"), ("Fiji", "Nadi"),
            ("Norway", "Bergen"), ("Brazil", "Sao Paulo"), ("Italy", "Milan"), ("Poland", "Krakow"),
            ("New Zealand", "Auckland")]
OTHER_CITIES = ["Tokyo", "Beijing", "Seoul", "Manila", "Jakarta", "Hanoi", "Singapore", "Bangkok", "Canberra",
                "New Delhi", "London", "Paris", "Berlin", "Ottawa", "Brussels", "Geneva"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def seed_texts(folder: Path = SEEDS) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"corpusgen: no seed articles (*.txt) in {folder}")
    return texts


def vary(text: str, rng: random.Random) -> str:
    """One seed article with a new cast, partner country, cities, months and years."""
    swaps: dict[str, str] = {}
    used: set[str] = set()
    for person in PEOPLE:
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used:
                break
        used.add(name)
        swaps[person] = name
        swaps[person.split()[-1]] = name.split()[-1]  # "Panetta said" after the first mention
    country, city = rng.choice(PARTNERS)
    swaps["New Zealand"] = country
    swaps["Auckland"] = city
    others = rng.sample(OTHER_CITIES, 3)
    swaps["Tokyo"], swaps["Beijing"], swaps["Honolulu"] = others
    shift = rng.randint(-12, 0)
    month = dict(zip(MONTHS, rng.sample(MONTHS, len(MONTHS))))
    pattern = re.compile(
        "|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True))
        + r"|\b(?:19[5-9]\d|20[0-2]\d)\b|\b(?:" + "|".join(MONTHS) + r")\b"
    )

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in swaps:
            return swaps[word]
        if word in month:
            return month[word]
        return str(int(word) + shift)

    return pattern.sub(sub, text)


def articles(n: int, seed: int = 11, folder: Path = SEEDS) -> Iterator[str]:
    rng = random.Random(seed)
    texts = seed_texts(folder)
    for i in range(n):
        yield vary(texts[i % len(texts)], rng)


def write_corpus(out: Path, n: int, seed: int = 11) -> int:
    """Write `n` articles into `out` (created); returns the number of words written."""
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    for i, text in enumerate(articles(n, seed)):
        (out / f"article-{i:06d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, required=True, help="folder to write the articles into")
    args = ap.parse_args(argv)
    words = write_corpus(args.out, args.articles, args.seed)
    print(f"{args.out}: {args.articles} articles, {words} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
