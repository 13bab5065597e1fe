"""The discourse an article's rules read and write: one object per article.

`Discourse` holds what a sentence leaves implicit and an earlier sentence (or an earlier step)
said: which official a mention names, who "he" and "I" are, the event in focus, the agreements
already named. Every field that changes while the article is read says below who writes it and
who reads it; the order is the one `kg.extract.extractor.extract_doc` runs:

1. officials (`officials.resolve_officials`, then `officials.assign_countries`) fill `facts.officials`
   and `resolved`, once for the whole article, before any sentence rule runs;
2. then, sentence by sentence, in this order: the dialogue rules, the treaty rules, the policy rules.
   The dialogue rules write `last_subject`, `focus_date` and `attendance_list`; the treaty rules read
   `focus_date` (so a signing "during the talks" of the same sentence takes that day) and write
   `treaty_aliases`, `list_events` and `treaty_heading`; the policy rules only read;
3. last, the dialogue mentions are merged into events and the treaties completed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterator
from typing import TYPE_CHECKING

from kg.articles import Article
from kg.dates import DateMention, PartialDate
from kg.extract.vocab import THIRD_PERSON
from kg.facts import ArticleFacts, Evidence, PlaceRef
from kg.gazetteer import fold, gazetteer
from kg.mentions import NAME_SUFFIXES, Mentions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from kg.extract.candidates import TreatyMention


def person_key(name: str) -> str:
    """First and last name, folded; initials and suffixes dropped ("Lloyd J. Austin III" -> "lloyd austin")."""
    tokens = [t for t in re.split(r"\s+", fold(name)) if t]
    tokens = [t for t in tokens if t.rstrip(".") not in {s.rstrip(".") for s in NAME_SUFFIXES}]
    tokens = [t for t in tokens if not re.fullmatch(r"[a-z]\.", t)]
    tokens = [re.sub(r"[^\w-]", "", t) for t in tokens]
    tokens = [t for t in tokens if t]
    if not tokens:
        return fold(name)
    return tokens[0] if len(tokens) == 1 else f"{tokens[0]} {tokens[-1]}"


class Sentence:
    """A sentence of the Doc with what the rules read of it many times, taken from spaCy once:
    its tokens (a spaCy Span makes new Token objects on every pass) and its text."""

    __slots__ = ("doc", "start", "end", "start_char", "end_char", "text", "lowers", "lemmas")

    def __init__(self, doc: Doc, start: int, end: int, doc_text: str, lowers: list[str], lemmas: list[str]) -> None:
        self.doc, self.start, self.end = doc, start, end
        last = doc[end - 1]
        # as spaCy's Span has them: from the first token to the end of the last one's text
        self.start_char, self.end_char = doc[start].idx, last.idx + len(last.text)
        self.text = doc_text[self.start_char: self.end_char]  # = span.text
        self.lowers, self.lemmas = lowers, lemmas  # of the whole Doc, by token index

    def __iter__(self) -> Iterator[Token]:
        return iter(self.doc[self.start: self.end])

    def __len__(self) -> int:
        return self.end - self.start

    def tokens_with(self, words: Container[str] = (), lemmas: Container[str] = ()) -> Iterator[Token]:
        """The tokens whose lower-case text is one of `words` or lemma (lower case) one of `lemmas`:
        the rules' trigger words, without making a Token object of every other word."""
        lowers, lemma_of, doc = self.lowers, self.lemmas, self.doc
        for i in range(self.start, self.end):
            if lowers[i] in words or lemma_of[i] in lemmas:
                yield doc[i]


# the words `Discourse.sentence_people` resolves
_PRONOUNS = THIRD_PERSON | {"i"}


class Discourse:
    """What the article says around a sentence (see the module's docstring for the order of writes).

    Read-only after construction: `doc`, `article`, `m` (the mentions), `sentences`, `text`,
    `second_line`, `main_countries` (by number of mentions), `token_starts`.

    Written as the article is read:
    - `facts`: the article's facts; officials by `officials`, treaties and policies by their sentence
      rules, dialogues at the end (`dialogue_merge`).
    - `resolved`: (start, end, official key) of every mention of an official; by `officials.resolve_officials`,
      read by every sentence rule (`people_in`).
    - `last_subject`: the official "he"/"she" refers to; by `sentence_people` (the dialogue rules call it
      first for each sentence), read by `sentence_people` of the next sentences.
    - `focus_date`: the date of the latest event reported as held; by the dialogue rules, read by the
      treaty rules of the same and later sentences ("the ministers signed X" dated by the meeting).
    - `attendance_list`: the list being read names who attended ("Ministers attending included:");
      by and for the dialogue rules.
    - `section_event`, `section_body_end`: a heading line names an event ("Japan-Canada Meeting") and the
      paragraph under it, read so far up to `section_body_end`, tells who took part; by and for the dialogue rules.
    - `headline_places`: the places of a headline's events in the plural ("Meetings with Defence Ministers in
      Singapore"), where the text's meetings are when it gives no place; by and for the dialogue rules.
    - `treaty_aliases`, `list_events`: another name's key -> the agreement it names, and the events a
      sentence ending in ":" gives the items of its list; by and for the treaty rules.
    - `treaty_heading`: the agreements a line's opening "Name:" names, which the rest of the line tells
      of ("X Declaration: Leaders declared ..."); by and for the treaty rules.
    """

    def __init__(self, doc: Doc, article: Article, mentions: Mentions, sentences: list[Sentence]) -> None:
        self.doc, self.article, self.m = doc, article, mentions
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.text = mentions.text  # spaCy rebuilds Doc.text on every read: read it once
        lead = len(self.text) - len(self.text.lstrip())
        first_break = self.text.find("\n", lead)
        rest = self.text[first_break:] if first_break >= 0 else ""
        # where the second line of the article starts: it and the headline count as the title lines
        self.second_line = len(self.text) if first_break < 0 else first_break + len(rest) - len(rest.lstrip())
        self.gz = gazetteer()
        self.facts = ArticleFacts()
        self.speakers = _speaker_turns(self.text, mentions.speakers)
        for c in mentions.countries:
            self.facts.countries[c.code] = self.facts.countries.get(c.code, 0) + 1
        self.main_countries = [c for c, _ in Counter(self.facts.countries).most_common()]
        self.token_starts: list[int] = doc.to_array("IDX").tolist()  # each token's first character
        self.resolved: list[tuple[int, int, str]] = []
        self.last_subject: str | None = None
        self.focus_date: PartialDate | None = None
        self.attendance_list = False
        self.section_event = False
        self.headline_places: list[PlaceRef] = []
        self.section_body_end: int | None = None
        self.treaty_aliases: dict[str, TreatyMention] = {}
        self.list_events: list[tuple[str, PartialDate | None]] = []
        self.treaty_heading: list[TreatyMention] = []

    # --- evidence -----------------------------------------------------------------------------------

    def evidence(self, start: int, end: int, confidence: float, rule: str) -> Evidence:
        """The sentence holding the characters `start`..`end`, as the evidence of a fact `rule` read."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:  # the sentence of its first token (as `span.sent` has it)
            sent = self.sentences[bisect_right(self.sentence_starts, span.start) - 1]
            return self.sentence_evidence(sent, confidence, rule)
        return Evidence(start, end, self.text[start:end], confidence, rule)

    def sentence_evidence(self, sent: Sentence, confidence: float, rule: str) -> Evidence:
        text = sent.text
        lead = len(text) - len(text.lstrip())
        return Evidence(sent.start_char + lead, sent.start_char + len(text.rstrip()), text.strip(), confidence, rule)

    # --- where things are ---------------------------------------------------------------------------

    def sentence_at(self, char: int) -> Sentence:
        k = bisect_right(self.sentence_starts, bisect_right(self.token_starts, char) - 1) - 1
        return self.sentences[max(k, 0)]

    def is_list_item(self, sent: Sentence) -> bool:
        """A line opening with a bullet (spaCy may leave the bullet in a sentence of its own)."""
        base = sent.start_char
        return (self.text[self.text.rfind("\n", 0, base) + 1: base] + sent.text).lstrip()[:1] in ("-", "•", "*", "–")

    def is_heading(self, sent: Sentence) -> bool:
        """A short line of its own with no closing punctuation, below the title lines ("Japan-Canada Meeting")."""
        text = self.text
        body = sent.text.strip()
        start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
        end = start + len(body)
        line_end = text.find("\n", end)
        return bool(body) and start >= self.second_line and body[-1] not in ".!?:;,\"”'’)" and len(body.split()) <= 12 \
            and text[text.rfind("\n", 0, start) + 1: start].strip() == "" \
            and text[end: len(text) if line_end < 0 else line_end].strip() == ""

    def dates_in(self, start: int, end: int, clauses: bool = False) -> list[DateMention]:
        """Dates in a span, except (unless `clauses`) those of a "since ..." or "until ..." clause."""
        text = self.text
        out = []
        for d in self.m.dates:
            if start <= d.start < end:
                clause = text[max(start, d.start - 160): d.start]
                if not clauses and re.search(r"\b(since|until|before|after)\b[^,;]*$", clause, re.I):
                    continue
                out.append(d)
        return out

    # --- who is spoken of ---------------------------------------------------------------------------

    def people_in(self, start: int, end: int) -> list[tuple[int, str]]:
        """(offset, official key) of the officials mentioned between `start` and `end`."""
        return [(s, k) for s, e, k in self.resolved if start <= s < end and k in self.facts.officials]

    def speaker_at(self, offset: int) -> str | None:
        """The official speaking at `offset` of a transcript, if any."""
        name = None
        for pos, who in self.speakers:
            if pos <= offset:
                name = who
        if name is None:
            return None
        # "NAME, TITLE:" or "TITLE, NAME:": whichever part names an official
        for part in reversed(name.split(",")) if "," in name else (name,):
            key = person_key(part.strip())
            if key in self.facts.officials:
                return key
            # a speaker label with a surname only ("SECRETARY BLINKEN")
            surname = fold(part.split()[-1]) if part.split() else ""
            found = next((k for k in self.facts.officials if k.split()[-1] == surname), None)
            if found:
                return found
        return None

    def sentence_people(self, sent: Sentence) -> list[str]:
        """Officials a sentence speaks of, including "he" (the last subject) and "I"/"we" (the speaker).
        Moves `last_subject` on to the sentence's first official: call it once per sentence, in order."""
        # a name the sentence split cuts ("Defence | Cabinet Secretary X") belongs to the sentence holding its end
        found = [k for st, e, k in self.resolved if st < sent.end_char and e > sent.start_char and k in self.facts.officials]
        for tok in sent.tokens_with(_PRONOUNS):
            low = tok.text.lower()
            if low in THIRD_PERSON and tok.dep_ in ("nsubj", "nsubjpass") and self.last_subject:
                found.append(self.last_subject)
            elif low in ("i",) and tok.dep_ in ("nsubj", "conj"):
                sp = self.speaker_at(tok.idx)
                if sp:
                    found.append(sp)
        unique = list(dict.fromkeys(found))
        subject = self._main_subject(sent)
        if subject is not None:
            self.last_subject = subject or None
        return unique

    def _main_subject(self, sent: Sentence) -> str | None:
        """The official the sentence's main clause is about ("he" of the next sentences): the official named as
        its subject; "" when its subject is someone else named ("Abiy said ...": not an official we know);
        else the first official named; None when it names nobody."""
        named = [(s, e, k) for s, e, k in self.resolved if sent.start_char <= s < sent.end_char and k in self.facts.officials]
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
                at = tok.idx
                who = next((k for s, e, k in named if s <= at < e), None)
                if who is not None:
                    return who
                if tok.ent_type_ == "PERSON":
                    return ""
        return named[0][2] if named else None


# "NAME, TITLE:" opening a transcript's turn, in capitals ("JANE ROE, PRIME MINISTER:")
_COMMA_TURN = re.compile(r"^[ \t]*([A-Z][A-Z.'’ -]{2,60},[ \t]*[A-Z][A-Z.'’ -]{2,80}):", re.M)


def _speaker_turns(text: str, labelled: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The turns of a transcript: the speakers `kg.mentions` read, and "NAME, TITLE:" labels, whose
    part naming an official `Discourse.speaker_at` finds."""
    known = {pos for pos, _ in labelled}
    extra = [(m.start(), m.group(1)) for m in _COMMA_TURN.finditer(text) if m.start() not in known]
    return sorted(labelled + extra)


def pick_date(dates: list[DateMention]) -> PartialDate | None:
    """The most precise of the dates (a day before a month before a year; absolute before relative)."""
    if not dates:
        return None
    return max(dates, key=lambda d: (d.date.day is not None, d.date.month is not None, not d.relative)).date


def nearest_date(dates: list[DateMention], pos: int) -> PartialDate | None:
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - pos)).date
