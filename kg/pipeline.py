"""Articles to facts: spaCy parses, the rules read each parse; long articles go in pieces.

Failures stay with their article: a text a rule trips on is reported and the stream goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any

from kg.articles import Article, pieces
from kg.facts import ArticleFacts, Evidence


def extract_articles(
    extractor: Any,
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    on_failure: Callable[[str, str], None],
    stop: Callable[[], bool] = lambda: False,
    piece_chars: int | None = None,
) -> Iterator[tuple[Article, ArticleFacts]]:
    """(article, facts) for each article, in order, with failures reported instead of raised.

    Articles longer than `piece_chars` are parsed in paragraph-aligned pieces (spaCy's memory and
    the rules' time grow faster than the text); the pieces' facts are merged with their evidence
    offsets moved back into the whole article's text. This is what `kg.extract.Extractor.extract_many` does
    (`nlp.pipe`, then `extract_doc`), with each article's failure kept to that article.
    """
    from kg.articles import PIECE_CHARS
    from kg.extract import extract_doc

    size = piece_chars or PIECE_CHARS

    # On a stop request the input simply ends and the articles already handed to spaCy are parsed
    # and dropped: leaving `nlp.pipe` early makes it wait forever for its worker processes.
    def split() -> Iterator[tuple[str, tuple[Article, Article, int, int]]]:
        for article in articles:
            parts = pieces(article.text, size) if len(article.text) > size else [(0, article.text)]
            for i, (offset, text) in enumerate(parts):
                if stop():
                    return
                part = article if len(parts) == 1 else replace(article, text=text)
                yield text, (article, part, offset, len(parts) - 1 - i)

    partial: list[ArticleFacts] = []
    broken: str | None = None
    stopping = False
    for doc, (article, part, offset, left) in extractor.nlp.pipe(split(), as_tuples=True,
                                                                 n_process=max(1, jobs), batch_size=8):
        if stopping:
            continue
        if broken is None:
            try:
                facts = extract_doc(doc, part)
                partial.append(_shifted(facts, offset) if offset else facts)
            except (KeyboardInterrupt, MemoryError):
                raise
            except Exception as e:  # a rule tripping on one odd text: report it, keep building
                broken = f"extraction failed ({_oneline(e)})"
        if left:
            # the article in flight is dropped whole on a stop: nothing of it was written
            stopping = stop()
            continue
        if broken is not None:
            on_failure(article.source, broken)
        else:
            yield article, partial[0] if len(partial) == 1 else merge_facts(partial)
        partial, broken = [], None
        stopping = stop()


def _shifted(value: Any, offset: int) -> Any:
    """A copy of facts with every Evidence moved `offset` characters on."""
    if isinstance(value, Evidence):
        return replace(value, start=value.start + offset, end=value.end + offset)
    if isinstance(value, list):
        return [_shifted(v, offset) for v in value]
    if isinstance(value, dict):
        return {k: _shifted(v, offset) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        if type(value).__dataclass_params__.frozen:
            return value
        for f in fields(value):
            setattr(value, f.name, _shifted(getattr(value, f.name), offset))
    return value


def merge_facts(parts: list[ArticleFacts]) -> ArticleFacts:
    """One article's facts from those of its pieces: officials and treaties by key, the rest appended."""
    merged = ArticleFacts()
    for facts in parts:
        for key, off in facts.officials.items():
            mine = merged.officials.get(key)
            if mine is None:
                merged.officials[key] = off
                continue
            mine.posts.extend(off.posts)
            mine.evidence.extend(off.evidence)
            if len(off.name) > len(mine.name):
                mine.name = off.name
            if mine.country is None and off.country is not None:
                mine.country, mine.country_evidence = off.country, off.country_evidence
        merged.dialogues.extend(facts.dialogues)
        for treaty in facts.treaties:
            mine_t = next((t for t in merged.treaties if t.key == treaty.key), None)
            if mine_t is None:
                merged.treaties.append(treaty)
            else:
                mine_t.parties |= treaty.parties
                mine_t.events.extend(treaty.events)
                mine_t.evidence.extend(treaty.evidence)
        merged.policies.extend(facts.policies)
        for code, n in facts.countries.items():
            merged.countries[code] = merged.countries.get(code, 0) + n
    return merged


def _oneline(e: BaseException) -> str:
    text = " ".join(str(e).split())
    text = f"{type(e).__name__}: {text}" if text else type(e).__name__
    return text if len(text) <= 200 else text[:197] + "..."
