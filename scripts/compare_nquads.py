"""Compare two N-Quads dumps (`kg dump --format nquads`) of the same articles, ignoring what a change
of the rule modules is expected to change: the `kg:rule` of each evidence node and the extractor
version of each article.

    python scripts/compare_nquads.py before.nq after.nq

Prints the quads only one side has and exits 0 when there are none, 1 when there are, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KG = "https://w3id.org/kg-news/ontology#"
IGNORED_PREDICATES = (f"<{KG}rule>", f"<{KG}extractorVersion>")


def comparable_quads(path: Path) -> set[str]:
    """The file's quads as normalised lines, without the ignored predicates."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        print(f"compare_nquads: cannot read {path}: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    quads = set()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(" ", 2)
        if len(parts) < 3:
            print(f"compare_nquads: {path}: not an N-Quads line: {line[:80]}", file=sys.stderr)
            raise SystemExit(2)
        if parts[1] in IGNORED_PREDICATES:
            continue
        quads.add(line)
    return quads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=20, help="how many differing quads of each side to print")
    args = parser.parse_args(argv)
    before, after = comparable_quads(args.before), comparable_quads(args.after)
    only_before, only_after = sorted(before - after), sorted(after - before)
    for sign, quads in (("-", only_before), ("+", only_after)):
        for q in quads[: args.show]:
            print(f"{sign} {q}")
    print(f"{len(before)} quads compared; {len(only_before)} only in {args.before}, {len(only_after)} only in {args.after}")
    return 1 if only_before or only_after else 0


if __name__ == "__main__":
    sys.exit(main())
