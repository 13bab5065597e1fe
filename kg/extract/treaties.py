"""Treaties: agreements, alliances, declarations, partnerships and memoranda, with their parties and
their events (signed, ratified, entered into force, ...), one sentence at a time.

Names are found by the rules of `kg.extract.treaty_names` ("the Treaty of Friendship", "a memorandum
of understanding on ...", "their defence treaty"), by anaphors ("the Treaty", "this Agreement") and by
joint proposals; event words by the first rule of `EVENT_RULES` that fits them. An event word governs
the agreements named after it (up to the next event word), or else the nearest one before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kg.dates import PartialDate
from kg.extract.candidates import TreatyMention, as_treaty
from kg.extract.context import Discourse, Sentence, nearest_date, pick_date
from kg.extract.rules import RuleFamily, rule
from kg.extract.treaty_names import (
    ANAPHOR,
    PARTNER_HEAD,
    TreatyName,
    join_also_known,
    treaty_key,
    treaty_spans,
)
from kg.extract.vocab import (
    AGREEMENT_WORDS,
    ANNIVERSARY_YEARS,
    EXCHANGED_DOCUMENTS,
    ORDINAL_WORDS,
    TREATY_EVENTS,
    TREATY_PHRASE_EVENTS,
    UNION_CODE,
    UNION_NAMES,
)
from kg.facts import Evidence, TreatyEvent
from kg.gazetteer import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

ANAPHOR_RULE = "treaties.anaphor"
PROPOSAL_RULE = "treaties.joint-proposal"
# the event a sentence ending in ":" gives each item of the list under it
LIST_ITEM_RULE = "treaties.list-item-event"
# "the 1786 Treaty of ...": signed that year
YEAR_BEFORE_NAME_RULE = "treaties.year-before-name"


# --- the event-word table -------------------------------------------------------------------------


def _event_key(tok: Token) -> str | None:
    """The word of `TREATY_EVENTS` a token is: its lemma, else its text."""
    lemma, low = tok.lemma_.lower(), tok.text.lower()
    return lemma if lemma in TREATY_EVENTS else (low if low in TREATY_EVENTS else None)


def _event_word_of(*keys: str) -> Callable[[Discourse, Sentence, Token], bool]:
    """The check of a rule for the event words `keys` (any event word when none)."""

    def applies(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
        key = _event_key(tok)
        # (a capitalised word naming another thing is part of a name: "the Implementation Agency")
        return key is not None and (not keys or key in keys) and tok.pos_ in ("VERB", "NOUN", "ADJ", "PROPN") \
            and not (tok.dep_ == "compound" and tok.text[:1].isupper() and tok.i > sent.start)
    return applies


def _event_type(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "signed", "ratification", "withdrew from": the event the word names."""
    key = _event_key(tok)
    return TREATY_EVENTS[key] if key else None


def _phrase_event(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "entered into force", "took effect", "in force since", "opened for signature": a lemma and the words
    that must follow it."""
    for words, event in TREATY_PHRASE_EVENTS.get(sent.lemmas[tok.i], ()):
        if tuple(sent.lowers[tok.i + 1: tok.i + 1 + len(words)]) == words and tok.i + len(words) < sent.end:
            return event
    return None


def _is_phrase_event(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return _phrase_event(ctx, sent, tok) is not None


def _exchanged_documents(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "exchanged the MoUs" is a signing; "exchanged views" or "the instruments of ratification" is not."""
    if not any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in EXCHANGED_DOCUMENTS for c in (*tok.children, tok.head)):
        return None
    return _event_type(ctx, sent, tok)


def _agreement_object(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "reaffirmed the Treaty", "joined the Agreement", "was replaced", "the agreement that was reached",
    "the Consensus endorsed by the leaders": not "reaffirming closer cooperation", "joined the talks",
    "joined NATO" or "reached a decision"."""
    # a participle after the name it describes ("the Declaration endorsed by ...")
    participle = tok.dep_ == "acl" and tok.tag_ == "VBN"
    if not participle and not any(c.dep_ in ("dobj", "nsubjpass", "auxpass") and (c.dep_ == "auxpass" or c.lower_ in AGREEMENT_WORDS)
                                  for c in tok.children):
        return None
    return _event_type(ctx, sent, tok)


def _declared_object(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "the leaders declared the region a zone of peace": a declaration made; not "declared that ..."."""
    # "declared X a Y" (the parse may read "the coast a zone" as a verbless clause) or "declared the Treaty":
    # not "declared their support for the Treaty"
    if not any(c.dep_ in ("nsubjpass", "oprd") or c.dep_ == "ccomp" and c.pos_ in ("NOUN", "PROPN")
               or c.dep_ == "dobj" and c.lower_ in AGREEMENT_WORDS for c in tok.children):
        return None
    return _event_type(ctx, sent, tok)


def _raised_to(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "raised ... to a partnership" (not "raised concerns")."""
    if not any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
        return None
    return _event_type(ctx, sent, tok)


def _in_effect(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "the Framework shall be effective between 2024-2029", "effective from 1 May": not "effective cooperation"."""
    if tok.dep_ not in ("acomp", "oprd") and not any(c.dep_ == "prep" and c.lower_ in ("from", "between", "as", "on")
                                                       for c in tok.children):
        return None
    return _event_type(ctx, sent, tok)


def _announced_creation(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """ "announced the creation of", "created a partnership": in a sentence about an agreement."""
    if not any(x in ("creation", "partnership", "alliance", "agreement", "treaty") for x in sent.lowers[sent.start: sent.end]):
        return None
    return _event_type(ctx, sent, tok)


EVENT_RULES: RuleFamily[str] = RuleFamily("treaties", [
    rule("treaties.phrase-event", _phrase_event, lemmas=TREATY_PHRASE_EVENTS, applies=_is_phrase_event),
    rule("treaties.exchange-documents", _exchanged_documents, words=TREATY_EVENTS, lemmas=TREATY_EVENTS,
         applies=_event_word_of("exchange")),
    rule("treaties.agreement-object-verb", _agreement_object, words=TREATY_EVENTS, lemmas=TREATY_EVENTS,
         applies=_event_word_of("reaffirm", "endorse", "join", "replace", "reach")),
    rule("treaties.declared-object", _declared_object, words=TREATY_EVENTS, lemmas=TREATY_EVENTS,
         applies=_event_word_of("declare")),
    rule("treaties.in-effect", _in_effect, words=TREATY_EVENTS, lemmas=TREATY_EVENTS, applies=_event_word_of("effective")),
    rule("treaties.raised-to", _raised_to, words=TREATY_EVENTS, lemmas=TREATY_EVENTS, applies=_event_word_of("raise")),
    rule("treaties.announced-creation", _announced_creation, words=TREATY_EVENTS, lemmas=TREATY_EVENTS,
         applies=_event_word_of("announce", "create")),
    rule("treaties.event-word", _event_type, words=TREATY_EVENTS, lemmas=TREATY_EVENTS, applies=_event_word_of()),
])


@dataclass(frozen=True)
class EventWord:
    """A treaty event word of a sentence."""

    offset: int  # in the sentence's text
    type: str
    tok: Token
    rule: str


def _event_words(ctx: Discourse, sent: Sentence) -> list[EventWord]:
    out = []
    for tok, event_rule in EVENT_RULES.matches(ctx, sent):
        ev_type = event_rule.read(ctx, sent, tok)
        if ev_type is not None:
            out.append(EventWord(tok.idx - sent.start_char, ev_type, tok, event_rule.id))
    return out


# --- a sentence -----------------------------------------------------------------------------------


def sentence_treaties(ctx: Discourse, sent: Sentence) -> None:
    """The agreements a sentence names or refers to, with their parties and events. Reads `ctx.focus_date`
    (set by the dialogue rules of this and earlier sentences); keeps `ctx.list_events` and `ctx.treaty_aliases`."""
    text = sent.text
    spans = treaty_spans(text)
    anaphors = [m for m in ANAPHOR.finditer(text) if not any(n.start <= m.start("head") < n.end for n in spans)]
    found: list[tuple[TreatyMention, int]] = []
    _proposals(ctx, sent, found)
    list_item = ctx.is_list_item(sent) or _is_numbered_item(ctx, sent)
    if not list_item and any(sent.lowers[i].isalpha() for i in range(sent.start, sent.end)):
        ctx.list_events = []  # (a list's "1." the parse may cut off as a sentence does not end it)
    heading, ctx.treaty_heading = ctx.treaty_heading, []
    if heading and not spans and not anaphors and not found and "\n" not in ctx.text[heading_end(ctx, sent): sent.start_char]:
        # "X Declaration: Leaders declared ...": the rest of the line is about the agreement it opens with
        found += [(t, -1) for t in heading]
    if not spans and not anaphors and not found:
        if _OPENS_LIST.search(text):  # "The two sides exchanged the following MoUs:" then a list of them
            ctx.list_events = [(w.type, ctx.focus_date or ctx.article.date if _reported_now(w.tok, w.type) else None)
                               for w in _event_words(ctx, sent)]
        return
    s = _SentenceTreaties(ctx, sent, found)
    # an event word inside a name is part of it ("the Agreement to Establish X", "the Protocol Amending Y")
    s.events = [w for w in s.events if not any(n.start <= w.offset < n.end for n in spans)]
    made_in = s.read_names(join_also_known(text, spans))
    s.read_anaphors(anaphors)
    for treaty, _ in found:
        if not treaty.named_parties:
            treaty.parties |= s.parties
    if list_item and not s.events:  # an item of a list the sentence before introduced tells its event
        ev = s.evidence(LIST_ITEM_RULE)
        for ev_type, date in ctx.list_events:
            for treaty in {id(t): t for t, _ in found}.values():
                if not any(x.type == ev_type for x in treaty.events):
                    treaty.events.append(TreatyEvent(ev_type, date, None, ev))
    for word in s.events:
        s.add_event(word)
    if text.rstrip().endswith(":") and found and not s.events:
        ctx.treaty_heading = list({id(t): t for t, _ in found}.values())
    for treaty, year in made_in:
        undated = next((x for x in treaty.events if x.type == "signed" and x.date is None
                        and (x.evidence.start, x.evidence.end) == (s.base_evidence.start, s.base_evidence.end)), None)
        if undated is not None:
            undated.date = year
        elif not any(x.type == "signed" and x.date is not None for x in treaty.events):
            treaty.events.append(TreatyEvent("signed", year, None, s.evidence(YEAR_BEFORE_NAME_RULE)))


# a sentence that ends by opening a list (the parse may keep the first item's "1." or bullet in it)
_OPENS_LIST = re.compile(r":\s*(?:\(?(?:\d{1,2}|[a-z])[.)]|[-•*–])?\s*$")
_NUMBERED_ITEM = re.compile(r"\s*\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)](?:\s|$)")


def _is_numbered_item(ctx: Discourse, sent: Sentence) -> bool:
    """A line opening with "1." or "(a)": an item of a numbered list."""
    line_start = ctx.text.rfind("\n", 0, sent.start_char) + 1
    return bool(_NUMBERED_ITEM.match(ctx.text[line_start: sent.start_char] + sent.text))


def heading_end(ctx: Discourse, sent: Sentence) -> int:
    """Where the sentence before `sent` ends."""
    k = ctx.sentences.index(sent) if sent in ctx.sentences else 0
    return ctx.sentences[k - 1].end_char if k > 0 else sent.start_char


class _SentenceTreaties:
    """One sentence's agreements (`found`: each with its offset in the sentence) as they are read."""

    def __init__(self, ctx: Discourse, sent: Sentence, found: list[tuple[TreatyMention, int]]) -> None:
        self.ctx, self.sent, self.found = ctx, sent, found
        self.text, self.base = sent.text, sent.start_char
        base = self.base
        self.countries = [c for c in ctx.m.countries if base <= c.start < sent.end_char]
        self.dates = ctx.dates_in(base, sent.end_char, clauses=True)
        self.events = _event_words(ctx, sent)
        self.base_evidence = ctx.sentence_evidence(sent, 0.7, "")
        # parties are countries acting in the sentence: named (not by a capital) and not as a place ("talks in X")
        # (nor a currency: "US$20 million")
        self.parties = {c.code for c in self.countries if c.kind in ("name", "demonym", "alias")
                        and not _AS_PLACE.search(ctx.text[max(base, c.start - 12): c.start])
                        and ctx.text[c.end: c.end + 1] != "$"}
        # the European Union is a party as itself ("the EU and Japan signed"), not where things happen ("in the EU")
        # nor as its members ("EU member states")
        for union in UNION_NAMES.finditer(ctx.text, base, sent.end_char):
            if not _AS_PLACE.search(ctx.text[max(base, union.start() - 12): union.start()]) \
                    and not re.match(r"\s+member", ctx.text[union.end(): union.end() + 8]):
                self.parties.add(UNION_CODE)
        if not self.parties:
            # "Madrid and Santiago raised their relationship to ...": two capitals acting for their countries
            acting_capitals = {c.code for c in self.countries if c.kind == "capital"
                               and not _AS_PLACE.search(ctx.text[max(base, c.start - 12): c.start])}
            if len(acting_capitals) >= 2:
                self.parties = acting_capitals

    def evidence(self, rule_id: str) -> Evidence:
        return replace(self.base_evidence, rule=rule_id)

    def read_names(self, spans: list[TreatyName]) -> list[tuple[TreatyMention, PartialDate]]:
        """The agreements the sentence names; returns those named after a year ("the 1786 Treaty of ...")."""
        ctx, base, text = self.ctx, self.base, self.text
        made_in: list[tuple[TreatyMention, PartialDate]] = []
        for span in spans:
            s, e, label, head = span.start, span.end, span.label, span.head
            in_name = list(span.parties) or [c.code for c in self.countries if base + s <= c.start < base + e] \
                + ([UNION_CODE] if UNION_NAMES.search(text, s, e) else [])
            if base < ctx.second_line and "\n" in ctx.text[base: ctx.second_line] \
                    and " ".join(label.split()[-2:]) not in ctx.text[self.sent.end_char:]:
                continue  # a headline's "Praises X Partnership" is an agreement only if the text names it
            if head == PARTNER_HEAD and len(self.parties) != 2:
                continue  # "X as a strategic partner" of a country the sentence names: two of them, no more
            if head.startswith("generic:") and head != PARTNER_HEAD and not in_name and not (self.parties and self.events):
                continue  # "their strategic partnership": no parties named, not a fact about an agreement
            treaty = _get_treaty(ctx, label, in_name)
            if span.parties and not treaty.named_parties:  # "the Treaty of Friendship between A and B"
                treaty.parties = set(span.parties)
                treaty.named_parties = True
            if span.alias:  # "the X between A and B, known as the Y": X is another name of Y
                ctx.treaty_aliases[treaty_key(span.alias)] = treaty
            treaty.evidence.append(self.evidence(span.rule))
            self.found.append((treaty, s))
            year = _YEAR_BEFORE_NAME.search(text, max(0, s - 12), s)
            if year:
                made_in.append((treaty, PartialDate(int(year.group(1)))))
                self.dates = [d for d in self.dates if d.start != base + year.start(1)]
        return made_in

    def read_anaphors(self, anaphors: list[re.Match[str]]) -> None:
        """ "the Treaty", "this Agreement": the latest agreement of that kind named before."""
        ctx, found = self.ctx, self.found
        for m in anaphors:
            head = m.group("head").lower()
            later = {id(t) for t, p in found if p > m.start()}  # named after the anaphor: not what it refers to
            prior = next((t for t in reversed(ctx.facts.treaties) if id(t) not in later and (
                head in t.label.lower() or head == "treaty" and "alliance" not in t.label.lower())), None)
            if prior is None and m.group("head")[0].isupper() and head in ("alliance", "treaty", "partnership") \
                    and not (head == "alliance" and _NAMED_ALLIANCE.search(ctx.text)):
                # (beside a named alliance, "the Alliance" is that organisation, not an agreement of the article's countries)
                parties = [c for c in ctx.main_countries[:2]]
                label = "–".join(ctx.gz.name(c) for c in parties) + f" {head}" if parties else head
                prior = _get_treaty(ctx, label, parties)
            if prior is not None:
                assert isinstance(prior, TreatyMention)
                prior.evidence.append(self.evidence(ANAPHOR_RULE))
                found.append((prior, m.start()))

    def add_event(self, word: EventWord) -> None:
        """The event of one event word, added to the agreements it governs, with its date and actor."""
        targets, relative = self._governed(word)
        actor = next((c.code for c in reversed(self.countries) if c.start - self.base < word.offset
                      and c.kind in ("name", "capital")), None)
        date = self._event_date(word, relative)
        ev = self.evidence(word.rule)
        for treaty in targets:
            if not any(x.type == word.type and x.date == date for x in treaty.events):
                treaty.events.append(TreatyEvent(word.type, date, actor, ev))

    def _governed(self, word: EventWord) -> tuple[list[TreatyMention], bool]:
        """The agreements an event word governs, and whether it is a relative or participial clause."""
        found, events = self.found, self.events
        ev_pos, ev_type, ev_tok = word.offset, word.type, word.tok
        # an event word governs the agreements named after it (up to the next event word),
        # or else the nearest one before it ("the declaration was signed")
        # chains name one agreement: "celebrate the anniversary of the signing of this Treaty"
        first_after = min([p for _, p in found if p >= ev_pos], default=None)
        targets: list[TreatyMention] = []
        # a relative or participial clause is about the agreement it follows ("the Partnership, which they elevated"),
        # unless it has an agreement of its own ("in which they reaffirmed the X")
        relative = ev_tok.pos_ == "VERB" and ev_tok.dep_ in ("relcl", "acl") \
            and not any(c.dep_ == "dobj" and c.lower_ in AGREEMENT_WORDS for c in ev_tok.children)
        if first_after is not None and not relative and not any(
                ev_pos < w.offset < first_after and any(q < w.offset for _, q in found if q > ev_pos) for w in events):
            next_ev = min([w.offset for w in events if w.offset > first_after], default=len(self.text))
            targets = [t for t, p in found if first_after <= p < next_ev]
        passive = ev_tok.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in ev_tok.children)
        if passive and any(c.dep_ == "nsubjpass" and c.i < ev_tok.i for c in ev_tok.children) and ev_type != "replaced":
            targets = []  # "The treaty was amended in 2011 ... a partnership": what was amended is the subject
        if not targets or (passive and ev_type == "replaced"):
            # "the Pact ... was replaced in 1988 by an Agreement": the one replaced comes before
            before = [(p, t) for t, p in found if p < ev_pos]
            targets += [max(before, key=lambda x: x[0])[1]] if before else []
        return targets, relative

    def _event_date(self, word: EventWord, relative: bool) -> PartialDate | None:
        """A date of the event word's own phrase, else the nearest one no other event word's phrase holds
        (not one of an event word's phrase inside this one: "the Pact, signed in 1960, was replaced in 1999")."""
        ctx, base, dates = self.ctx, self.base, self.dates
        ev_tok = word.tok
        anniversary = _anniversary_of(ev_tok)
        if anniversary is not None:
            # "marked the centenary of the signing of X" (on a day of 2019): signed in 1919, not that day
            years = _anniversary_years(anniversary)
            of_word = next((w for w in self.events if w.tok.i == anniversary.i), None)
            when = self._event_date(of_word, False) if of_word is not None and years else None
            return PartialDate(when.year - years) if when is not None and years else None
        others = [w.tok for w in self.events]
        inner = [o for o in others if o is not ev_tok and ev_tok.left_edge.i <= o.i <= ev_tok.right_edge.i]
        own = [d for d in dates if _in_phrase(ev_tok, d.start) and not any(_in_phrase(o, d.start) for o in inner)]
        free = [d for d in dates if not any(o is not ev_tok and _in_phrase(o, d.start) for o in others)]
        # "welcomed the growth since 1959 and adopted the Declaration": a span's start is no event's date
        free = [d for d in free if not _SPAN_START.search(ctx.text[max(base, d.start - 120): d.start])]
        if not own and word.type in ("took effect", "entered into force"):
            # "shall be effective between 2024-2029": a span of years starts with the entry into force
            phrase = ctx.text[ev_tok.idx: ev_tok.right_edge.idx + len(ev_tok.right_edge.text)]
            year = re.search(r"\b(?:from|between)\s+((?:19|20)\d\d)\s*(?:[-–]|to|and)\s*(?:19|20)\d\d\b", phrase)
            if year:
                return PartialDate(int(year.group(1)))
        if ev_tok.lower_ == "in":  # "in force since <date>": the date after "since" is the entry's
            since_end = ev_tok.idx + len(ctx.text[ev_tok.idx:].split("since", 1)[0]) + len("since")
            own = [d for d in dates if since_end <= d.start <= since_end + 2]
        if not own and not free and not relative and _reported_now(ev_tok, word.type):
            # "During the dialogue, the ministers signed X": the day of the event in focus, else the article's
            return ctx.focus_date or ctx.article.date
        return nearest_date(own or free or dates, base + word.offset)


_ANNIVERSARY_WORDS = {k for k, v in TREATY_EVENTS.items() if v == "anniversary"}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _anniversary_of(tok: Token) -> Token | None:
    """The anniversary word an event word is "of" ("the centenary of signing the Treaty"), if any."""
    if tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _ANNIVERSARY_WORDS:
        return tok.head.head
    return None


def _anniversary_years(tok: Token) -> int | None:
    """How many years an anniversary counts: "centenary" 100, "the 40th anniversary" 40, "seventy-fifth" 75."""
    low = tok.lower_
    if low in ANNIVERSARY_YEARS:
        return ANNIVERSARY_YEARS[low]
    for c in tok.lefts:
        word = c.lower_
        number = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
        if number:
            return int(number.group(1))
        if word in ORDINAL_WORDS:
            return ORDINAL_WORDS[word]
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in ORDINAL_WORDS:
            return _TENS[tens] + ORDINAL_WORDS[unit]
    return None


def _proposals(ctx: Discourse, sent: Sentence, found: list[tuple[TreatyMention, int]]) -> None:
    """A joint proposal of two or more countries "to create/establish X" is an agreement in the making."""
    for tok in sent.tokens_with(("proposal", "plan", "initiative")):
        if tok.lower_ not in ("proposal", "plan", "initiative") or tok.tag_ in ("NNS", "NNPS"):
            continue
        s, e = tok.left_edge.idx, tok.idx + len(tok.text)
        owners = {c.code for c in ctx.m.countries if s <= c.start < e and c.kind != "body"}
        if len(owners) < 2:
            continue
        verbs = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.lemma_ in ("create", "establish", "set", "form", "build")]
        objs = [o for v in verbs for o in v.children if o.dep_ == "dobj"]
        if not objs:
            continue
        obj = objs[0]
        span = ctx.doc[obj.left_edge.i: obj.right_edge.i + 1]
        label = re.sub(r"^(?:the|a|an)\s+", "", span.text)
        treaty = _get_treaty(ctx, label, sorted(owners))
        treaty.named_parties = True
        treaty.evidence.append(ctx.sentence_evidence(sent, 0.6, PROPOSAL_RULE))
        date = pick_date(ctx.dates_in(sent.start_char, sent.end_char))
        treaty.events.append(TreatyEvent("proposed", date, None, ctx.sentence_evidence(sent, 0.6, PROPOSAL_RULE)))


def _get_treaty(ctx: Discourse, label: str, in_name: list[str]) -> TreatyMention:
    label = re.sub(r"\s+", " ", label.strip())
    key = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
    if key in ctx.treaty_aliases:
        return ctx.treaty_aliases[key]
    for t in ctx.facts.treaties:
        if t.key == key:
            assert isinstance(t, TreatyMention)
            return t
    t = TreatyMention(key=key, label=label)
    if in_name:
        t.parties |= set(in_name)
        t.named_parties = len(set(in_name)) >= 2
    ctx.facts.treaties.append(t)
    return t


# a year just before an agreement's name ("its 2002 Treaty of Friendship", "the 1786 Treaty of Peace")
_YEAR_BEFORE_NAME = re.compile(r"\b(1[5-9]\d\d|20\d\d)\s+$")
_SPAN_START = re.compile(r"\b(?:since|until|till)\b[^,;]*$", re.I)
# Events a report tells as its news: dated by the event in focus when the sentence gives no date.
_NEWS_EVENTS = {"signed", "adopted", "concluded", "elevated", "raised", "upgraded", "launched", "announced", "established",
                "entered into force", "declared", "reached", "endorsed"}


def _reported_now(tok: Token, ev_type: str) -> bool:
    """A verb telling the event as the report's news ("signed", "have adopted", "was signed"), not as
    background ("had signed") or a plan ("will sign", "agreed to sign")."""
    if ev_type not in _NEWS_EVENTS:
        return False
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj":
        tok = tok.head  # "witnessed the signing of X"
    if tok.pos_ != "VERB":
        return False
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("had", "will", "would", "shall", "to", "could", "may", "might", "should", "must") for a in auxes):
        return False
    return tok.tag_ in ("VBD", "VBZ", "VBP") or (tok.tag_ == "VBN" and bool(auxes))


# words that join the parts of a name, not what it is about
_NAME_GLUE = {"the", "of", "on", "for", "and", "a", "an", "to", "in"}
# an alliance named as an organisation ("NATO", "the North Atlantic Treaty Organization")
_NAMED_ALLIANCE = re.compile(r"\bNATO\b|\bNorth Atlantic\b|\b(?!The\b|This\b|That\b|Our\b|Its\b|Their\b)[A-Z]\w+ Alliance\b")
_AS_PLACE = re.compile(r"\b(?:in|at|to|from|into|across|near|throughout|around|towards?|visit(?:ed|ing|s)?)\s+(?:the\s+)?$", re.I)


def _in_phrase(tok: Token, char: int) -> bool:
    return tok.left_edge.idx <= char < tok.right_edge.idx + len(tok.right_edge.text)


def finish_treaties(ctx: Discourse) -> None:
    """Once every sentence is read: names cut short joined to the longer name, parties completed from the
    article's countries, generic names prefixed with their parties."""
    # a name cut short (a headline split into two sentences) is the longer name it starts
    for t in list(ctx.facts.treaties):
        longer = next((o for o in ctx.facts.treaties if o is not t and t.label[:1].isupper()
                       and o.label.startswith(t.label + " ") and " of " in t.label), None)
        if longer is not None:
            longer.parties |= t.parties
            longer.events += [e for e in t.events if not any(x.type == e.type and x.date == e.date for x in longer.events)]
            longer.evidence += t.evidence
            ctx.facts.treaties.remove(t)
    # the article's main actors, the EU among them by how often it is named
    counts = dict(ctx.facts.countries)
    union_mentions = len(UNION_NAMES.findall(ctx.text))
    if union_mentions >= 2:
        counts[UNION_CODE] = union_mentions
    main_actors = sorted(counts, key=lambda c: -counts[c])
    for t in ctx.facts.treaties:
        want = 3 if re.search(r"(?i)trilateral|tripartite|three", " ".join(e.quote for e in t.evidence)) else 2
        for c in main_actors:
            if len(t.parties) >= want or t.named_parties:
                break
            t.parties.add(c)
        # a generic name gets its parties so that two countries' "defence treaty" stay apart
        if t.label[:1].islower() or t.label.lower() in ("mou", "mous"):  # (a bare "MoU" too)
            names = "–".join(ctx.gz.name(c) for c in sorted(t.parties))
            t.label = f"{names} {t.label}" if names else t.label
            t.key = re.sub(r"[^a-z0-9]+", "-", fold(t.label)).strip("-")
    # "the Trade Consultation Agreement" and "the Agreement of Trade Consultation": one agreement (and
    # "the Chile-Peru strategic partnership" and "Peru as a strategic partner" of Chile)
    by_words: dict[frozenset[str], TreatyMention] = {}
    for t in list(ctx.facts.treaties):
        assert isinstance(t, TreatyMention)
        words = frozenset(w for w in re.findall(r"[a-z0-9]+", fold(t.label)) if w not in _NAME_GLUE)
        first = by_words.setdefault(words, t)
        if first is not t and len(words) >= 2:
            first.parties |= t.parties
            first.named_parties = first.named_parties or t.named_parties
            first.events += [e for e in t.events if not any(x.type == e.type and x.date == e.date for x in first.events)]
            first.evidence += t.evidence
            ctx.facts.treaties.remove(t)
    for t in ctx.facts.treaties:
        # "signed" undated beside "signed" on a day: one event, told twice
        t.events = [e for e in t.events if e.date is not None
                    or not any(x.type == e.type and x.date is not None for x in t.events)]
    ctx.facts.treaties = [as_treaty(t) for t in ctx.facts.treaties]
