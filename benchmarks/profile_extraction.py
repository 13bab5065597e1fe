"""Where kg's extraction time goes, next to bare spaCy on the same texts, in one process.

CPU time (time.process_time) of three paths over the same corpus, run alternately, best of N:

  spacy    bare `spacy.load(model).pipe(texts, batch_size=8)`
  extract  kg's per-article path: `kg.pipeline.extract_articles` (nlp.pipe with kg's components,
           then `extract_doc`)
  build    `kg.build.build_paths` into a fresh store (reading, extraction, mapping, store writes)

and the ratios extract ÷ spacy and build ÷ spacy (the benchmark's target is spacy ÷ build ≥ 0.85
in words per second). `--profile` prints a cProfile of the kg extraction path instead.

    python benchmarks/profile_extraction.py CORPUS_DIR [--rounds 3] [--profile] [--no-build]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_seconds(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of *.txt articles")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the kg extraction path")
    parser.add_argument("--no-build", action="store_true", help="leave out the build_paths timing")
    parser.add_argument("--top", type=int, default=40, help="rows of the profile to print")
    args = parser.parse_args()

    import spacy

    from kg import nlp
    from kg.articles import read_article
    from kg.extract import Extractor
    from kg.gazetteer import gazetteer
    from kg.mentions import _country_regex
    from kg.pipeline import extract_articles

    paths = sorted(str(p) for p in args.corpus.glob("*.txt"))
    articles = [read_article(p) for p in paths]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(nlp.model_name())
    extractor = Extractor()
    gazetteer()
    _country_regex()

    def run_spacy() -> None:
        for _ in bare.pipe(texts, batch_size=8):
            pass

    def failed(source: str, why: str) -> None:
        raise RuntimeError(f"{source}: {why}")

    def run_extract() -> None:
        for _ in extract_articles(extractor, articles, on_failure=failed):
            pass

    def run_build() -> None:
        from kg.build import build_paths

        folder = Path(tempfile.mkdtemp(prefix="kg-profile-"))
        try:
            report = build_paths(str(folder / "store"), [str(args.corpus)], jobs=1)
            assert report.built and not report.failed, report.failed
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # warm up: first calls pay for lazy loading in spaCy and the gazetteer's regexes
    for a in articles[:2]:
        extractor.extract(a)
    list(bare.pipe(texts[:2]))

    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        run_extract()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
        return 0

    kinds: dict[str, Callable[[], None]] = {"spacy": run_spacy, "extract": run_extract}
    if not args.no_build:
        kinds["build"] = run_build
    best = {k: float("inf") for k in kinds}
    for r in range(args.rounds):
        for kind, run in kinds.items():
            seconds = cpu_seconds(run)
            best[kind] = min(best[kind], seconds)
            print(f"round {r + 1}: {kind:8s} {seconds:7.2f} s CPU", flush=True)
    print(f"\n{len(texts)} articles, {words} words; best of {args.rounds} (CPU seconds)")
    for kind, seconds in best.items():
        print(f"  {kind:8s} {seconds:7.2f} s  {words / seconds:8.0f} words/s  ÷ spacy {seconds / best['spacy']:.3f}"
              f"  (speed ratio {best['spacy'] / seconds:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
