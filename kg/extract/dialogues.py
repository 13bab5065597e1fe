"""Dialogues: meetings, talks, visits, calls, news conferences and summits, one sentence at a time.

An event word ("met", "talks", "the ASEAN Regional Forum") is read by the first rule of `TRIGGERS`
that fits it; the sentence then gives the event its own date and place (those of the word's clause),
its status (held or planned), and its people (the sentence's officials, "he", the speaker of "we").
Mentions of one event across sentences are merged by `kg.extract.dialogue_merge`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.dates import DateMention
from kg.extract.candidates import DialogueMention
from kg.extract.clauses import EVENT_SETTING_VERBS, event_clause, own_clause_text
from kg.extract.context import Discourse, Sentence, pick_date
from kg.extract.rules import RuleFamily, rule
from kg.extract.vocab import DIALOGUE_NOUNS, DIALOGUE_VERBS, NEGATION, PLANNED_WORDS
from kg.facts import PlaceRef
from kg.mentions import PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Token

# the rule id of people a sentence adds to the event in focus ("The delegation included X")
ATTENDANCE = "dialogues.attendance"


# --- the trigger table ----------------------------------------------------------------------------
# Each rule reads a word that may name an event; the first rule whose words and check fit a token
# decides (its handler may still find that the word names no event here).


@dataclass(frozen=True)
class EventWord:
    """What a trigger rule reads of a word: the kind of event, and whether a noun or a verb names it."""

    kind: str
    pos: str  # "noun" or "verb"


def _is_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN")


def _is_verb(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "VERB"


def _is_proper_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "PROPN"


def _is_name_head(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    """A capitalised head of a phrase ("the ASEAN Regional Forum"), not a modifier ("Forum members")."""
    return tok.text[0].isupper() and tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.dep_ not in ("compound", "poss", "amod")


def _named_only_noun(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord:
    return EventWord(NAMED_ONLY_NOUNS[tok.text.lower()], "noun")


def _event_noun(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "the meeting", "talks", "a phone call", "a joint news conference" (not a conference of many)."""
    low = tok.text.lower()
    kind = DIALOGUE_NOUNS[low]
    if kind in ("conference", "news conference"):
        prev = tok.doc[tok.i - 1].text.lower() if tok.i > 0 else ""
        if prev not in ("news", "press"):
            return None  # a conference of many, an availability of funds
        kind = "news conference"
    if low == "call" and tok.i > 0 and tok.doc[tok.i - 1].text.lower() in ("phone", "telephone", "video"):
        kind = "call"
    return EventWord(kind, "noun")


def _event_verb(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord:
    """ "met", "visited", "travelled to", "telephoned"."""
    return EventWord(DIALOGUE_VERBS[tok.lemma_.lower()], "verb")


def _speak_with(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "spoke with her counterpart" (not "speak with one voice")."""
    if not any(_is_someone(o) for c in tok.children if c.lower_ in ("with", "to") for o in c.children if o.dep_ == "pobj"):
        return None
    return _event_verb(ctx, sent, tok)


def _call_someone(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "called the Prime Minister" (not "called the exercise a model")."""
    if not any(_is_someone(c) for c in tok.children if c.dep_ == "dobj"):
        return None
    return _event_verb(ctx, sent, tok)


def _host_something(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "hosted the talks", "hosted her counterpart"."""
    if not any(c.dep_ == "dobj" for c in tok.children):
        return None
    return _event_verb(ctx, sent, tok)


def _welcome_guest(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "welcomed X to Rome" (not "welcomed the invitation")."""
    if not _welcomes_someone(tok):
        return None
    return _event_verb(ctx, sent, tok)


def _verb_tagged_as_name(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord:
    """ "X Visits Y" in a headline, which spaCy reads as part of a name."""
    low = tok.text.lower()
    return EventWord(DIALOGUE_VERBS.get(low[:-1], "meeting"), "verb")


# Nouns that are an event only in an event's proper name ("ASEAN Regional Forum", "2+2 Ministerial").
NAMED_ONLY_NOUNS = {"forum": "forum", "ministerial": "meeting"}
# The kinds of event that have proper names.
_NAMEABLE_KINDS = {"dialogue", "summit", "talks", "meeting", "consultations", "forum"}

TRIGGERS: RuleFamily[EventWord] = RuleFamily("dialogues", [
    rule("dialogues.named-only-noun", _named_only_noun, words=NAMED_ONLY_NOUNS, applies=_is_name_head),
    rule("dialogues.event-noun", _event_noun, words=DIALOGUE_NOUNS, applies=_is_noun),
    rule("dialogues.speak-with-verb", _speak_with, lemmas={"speak"}, applies=_is_verb),
    rule("dialogues.call-verb", _call_someone, lemmas={"call"}, applies=_is_verb),
    rule("dialogues.host-verb", _host_something, lemmas={"host"}, applies=_is_verb),
    rule("dialogues.welcome-verb", _welcome_guest, lemmas={"welcome"}, applies=_is_verb),
    rule("dialogues.meet-verb", _event_verb, lemmas={"meet"}, applies=_is_verb),
    rule("dialogues.visit-verb", _event_verb, lemmas={"visit", "travel"}, applies=_is_verb),
    rule("dialogues.phone-verb", _event_verb, lemmas={"telephone", "phone"}, applies=_is_verb),
    rule("dialogues.verb-read-as-name", _verb_tagged_as_name, words={"calls", "visits", "meets", "hosts"},
         applies=_is_proper_noun),
])


# --- a sentence -----------------------------------------------------------------------------------


@dataclass
class Trigger:
    """A word of the sentence that names an event, with the rule that read it."""

    tok: Token
    kind: str
    pos: str  # "noun" or "verb"
    named: str | None  # the event's proper name, when the word ends one
    rule: str


def sentence_dialogues(ctx: Discourse, sent: Sentence) -> list[DialogueMention]:
    """The mentions of events in one sentence (merged into events by `dialogue_merge`). Reads and moves on
    `ctx.last_subject`; sets `ctx.focus_date` to the date of each event told as held, and `ctx.attendance_list`."""
    text = sent.text
    people = ctx.sentence_people(sent)
    negated = bool(NEGATION.search(text))
    triggers = _triggers(ctx, sent)
    if not triggers:
        list_item = ctx.is_list_item(sent)
        if not list_item:
            ctx.attendance_list = text.rstrip().endswith(":") and bool(_ATTENDANCE_INTRO.search(text))
        if people and not negated and (_JOINS_EVENT.search(text) or (list_item and ctx.attendance_list)):
            return [_attendance(ctx, sent, people)]
        return []
    ctx.attendance_list = False
    speakers = _we_speakers(ctx, triggers)
    people = people + [k for k in speakers if k not in people]
    setting = _SentenceSetting(ctx, sent, triggers)
    seen_types: dict[str, list[tuple[set[int], set[str]]]] = {}
    out = []
    for n, trigger in enumerate(triggers):
        own = _own_setting(ctx, setting, n, seen_types)
        if own is None:
            continue
        d = _event_mention(ctx, sent, trigger, people, negated, *own)
        if d is not None:
            out.append(d)
    return out


def _triggers(ctx: Discourse, sent: Sentence) -> list[Trigger]:
    triggers = []
    for tok, trigger_rule in TRIGGERS.matches(ctx, sent):
        word = trigger_rule.read(ctx, sent, tok)
        if word is None:
            continue
        named = _named_event(sent, tok) if word.pos == "noun" and word.kind in _NAMEABLE_KINDS else None
        if named is None and tok.lower_ in NAMED_ONLY_NOUNS:
            continue  # "forum", "ministerial": events only as part of a name
        triggers.append(Trigger(tok, word.kind, word.pos, named, trigger_rule.id))
    return triggers


class _SentenceSetting:
    """The dates and places of a sentence with events, and each event word's own clause."""

    def __init__(self, ctx: Discourse, sent: Sentence, triggers: list[Trigger]) -> None:
        self.triggers = triggers
        self.places = _places_in(ctx, sent.start_char, sent.end_char)
        self.dates = ctx.dates_in(sent.start_char, sent.end_char)
        starts = ctx.token_starts
        self.date_tokens = [bisect_right(starts, d.start) - 1 for d in self.dates]
        self.place_tokens = [bisect_right(starts, p.start) - 1 for p in self.places]
        self.clauses = [event_clause(sent, t.tok, t.pos) for t in triggers] if self.dates or self.places else []


def _own_setting(ctx: Discourse, setting: _SentenceSetting, n: int, seen_types: dict[str, list[tuple[set[int], set[str]]]]
                 ) -> tuple[list[DateMention], list[PlaceMention]] | None:
    """The dates and places of the n-th event word's own event; None when it names no event of its own."""
    trigger = setting.triggers[n]
    tok, kind, pos, named = trigger.tok, trigger.kind, trigger.pos, trigger.named
    plural = pos == "noun" and tok.tag_ in ("NNS", "NNPS") and kind not in ("talks",)
    possessive = pos == "noun" and any(c.dep_ == "poss" for c in tok.children)
    if plural and not named and not (tok.head.lemma_ == "hold"):
        return None
    dates, places, clauses = setting.dates, setting.places, setting.clauses
    own_dates: list[DateMention] = []
    own_places: list[PlaceMention] = []
    if clauses:
        # a date or place of the trigger's own clause; else one no other trigger's clause holds,
        # outside clauses that surely speak of something else
        inside, surely_other = clauses[n]
        own_dates = [d for d, i in zip(dates, setting.date_tokens) if i in inside]
        own_places = [p for p, i in zip(places, setting.place_tokens) if i in inside]
    # a second event of a kind is another event only with a time or place of its own ("the Vilnius
    # summit in 2023 ... and the Washington summit, which opens next week")
    setting_of = ({d.start for d in own_dates}, {p.name for p in own_places})
    if kind in seen_types and not named and not any(not (setting_of[0] & ds or setting_of[1] & ps)
                                                    and (setting_of[0] or setting_of[1])
                                                    for ds, ps in seen_types[kind]):
        return None
    seen_types.setdefault(kind, []).append(setting_of)
    if pos == "noun" and named is None and tok.lower_ in _ABSTRACT_EVENT_NOUNS and not possessive \
            and not any(c.dep_ in ("det", "nummod") for c in tok.children) and not own_dates and not own_places:
        return None
    if clauses and not (own_dates and own_places):
        elsewhere = set().union(*(c[0] for k, c in enumerate(clauses) if k != n))
        own_dates = own_dates or [d for d, i in zip(dates, setting.date_tokens) if i not in surely_other and i not in elsewhere]
        own_places = own_places or [p for p, i in zip(places, setting.place_tokens)
                                    if i not in surely_other and i not in elsewhere]
    if pos == "noun" and not own_places:
        # "the Vilnius summit": a city naming the event is where it was, whatever spaCy labels it
        for c in tok.children:
            city = ctx.gz.city(c.text) if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1 else None
            if city is not None:
                own_places = [PlaceMention(c.idx, c.idx + len(c.text), city.name, city.country, city.geonameid, "city")]
    return own_dates, own_places


def _event_mention(ctx: Discourse, sent: Sentence, trigger: Trigger, people: list[str], negated: bool,
                   own_dates: list[DateMention], own_places: list[PlaceMention]) -> DialogueMention | None:
    """The event an event word names, with its own date, place, status and people; None when the sentence
    denies it or says too little of it."""
    tok, kind, pos, named = trigger.tok, trigger.kind, trigger.pos, trigger.named
    definite = pos == "noun" and any(c.dep_ == "det" and c.text.lower() in ("the", "this", "that") for c in tok.children)
    possessive = pos == "noun" and any(c.dep_ == "poss" for c in tok.children)
    is_title_line = sent.start_char <= ctx.second_line
    own_words = own_clause_text(tok, pos)
    if negated and NEGATION.search(own_words):
        return None
    planned = bool(PLANNED_WORDS.search(own_words)) or (tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to"
                                                        and not _welcoming_now(tok)) \
        or any(d.future for d in own_dates)
    if named is None and not people and not own_places and not own_dates and not definite and not possessive \
            and not is_title_line:
        return None
    date = pick_date(own_dates)
    dated_by_article = date is None and is_title_line and ctx.article.date is not None
    if dated_by_article:
        date = ctx.article.date
    setting = pos == "noun" and _is_setting(tok, named)
    d = DialogueMention(
        label=named or _noun_label(tok) if pos == "noun" else (named or kind),
        type=kind,
        participants=[] if setting else list(people),
        places=[PlaceRef(p.name, p.country, p.geonameid, p.kind) for p in own_places],
        date=date,
        status="planned" if planned else "held",
        named=named is not None,
        evidence=[ctx.sentence_evidence(sent, 0.75 if named or people else 0.6, trigger.rule)],
        definite=(definite or possessive) and not named,
        separate=pos == "noun" and any(c.lower_ == "separate" for c in tok.children),
        title_line=is_title_line,
        setting=setting,
        article_date=dated_by_article,
        ordinal=_event_ordinal(tok, named) if pos == "noun" else None,
        refers_back=pos == "verb" and any(
            c.dep_ == "dobj" and c.lower_ in DIALOGUE_NOUNS and any(x.dep_ == "det" and x.lower_ in ("the", "these", "this")
                                                                  for x in c.children) for c in tok.children),
    )
    d.countries = {c.code for c in ctx.m.countries if sent.start_char <= c.start < sent.end_char and c.kind != "body"}
    if d.separate:
        _leave_out_those_accompanied(ctx, sent, tok, d)
    if pos == "verb" and tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "invite":
        _leave_out_who_invites(ctx, tok, d)
    if date is not None and not planned:
        ctx.focus_date = date
    return d


def _leave_out_those_accompanied(ctx: Discourse, sent: Sentence, tok: Token, d: DialogueMention) -> None:
    """ "accompanied the Secretary and held separate talks with Y": the one accompanied is not in them."""
    other_objects = [(o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text)) for v in sent.tokens_with((), ("accompany",))
                     if v is not tok.head for o in v.children if o.dep_ == "dobj"]
    away = {k for at, k in ctx.people_in(sent.start_char, sent.end_char) if any(a <= at < b for a, b in other_objects)}
    d.participants = [k for k in d.participants if k not in away]


def _leave_out_who_invites(ctx: Discourse, tok: Token, d: DialogueMention) -> None:
    """ "X invited Y to visit Z": the one inviting does not go."""
    hosts = {k for c in tok.head.children if c.dep_ == "nsubj"
             for _, k in ctx.people_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))}
    guests = [k for c in tok.head.children if c.dep_ == "dobj"
              for _, k in ctx.people_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))]
    d.participants = [k for k in d.participants if k not in hosts] + [k for k in guests if k not in d.participants]


# --- what the rules read of a sentence ------------------------------------------------------------


def _places_in(ctx: Discourse, start: int, end: int) -> list[PlaceMention]:
    out = []
    text = ctx.text
    for p in ctx.m.places:
        if start <= p.start < end:
            before = text[max(start, p.start - 16): p.start].lower()
            after = text[p.end: p.end + 2]
            if p.kind == "country" and (not re.search(r"\b(in|visit|visited|visiting|visits|travel to|trip to)\s+(the\s+)?$", before)
                                        or after[:1] in ("–", "-", "—")):
                continue
            if p.kind == "venue" and not re.search(r"\b(in|at|to|inside)\s+(the\s+)?(u[.\s]*s[.\s]*)?$", before):
                continue
            if _TOPIC_BEFORE.search(text[max(start, p.start - 40): p.start]) or _discussed(ctx, p.start):
                continue  # "discussed the situation in Afghanistan": a topic, not where they met
            out.append(p)
    return out


_TOPIC_BEFORE = re.compile(r"\b(?:situation|developments?|crisis|conflict|war|tensions?|peace|stability|security|"
                           r"issues?|reconstruction|elections?)\s+(?:in|on|of)\s+(?:the\s+)?$", re.I)
_TOPIC_VERBS = {"discuss", "address", "review", "exchange", "cover", "raise", "brief"}
_TOPIC_PATH = {"dobj", "pobj", "prep", "conj", "appos", "compound", "amod", "nmod", "poss"}


def _discussed(ctx: Discourse, char: int) -> bool:
    """Whether the word at `char` lies in the object of a verb of discussing ("we discussed ... Afghanistan")."""
    tok = ctx.doc[bisect_right(ctx.token_starts, char) - 1]
    for _ in range(8):
        if tok.dep_ not in _TOPIC_PATH or tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ == "VERB":
            return tok.lemma_.lower() in _TOPIC_VERBS
    return False


# Words that describe any event, not one: a name made of these only is no proper name ("Bilateral Meeting").
_GENERIC_EVENT_WORDS = {"bilateral", "trilateral", "multilateral", "joint", "official", "working", "formal",
                        "informal", "virtual", "telephone", "phone", "video", "next", "first", "annual", "high-level",
                        "leaders", "ministers", "ministerial", "special", "regular", "extraordinary"}


def _named_event(sent: Sentence, tok: Token) -> str | None:
    """The proper name of an event ("New Zealand–United States Strategic Dialogue", "ASEAN Foreign Ministers'
    Meeting"), if the trigger is one."""
    if not tok.text[0].isupper():
        return None
    doc = tok.doc
    i = tok.i
    j = i
    while j - 1 >= sent.start:
        prev = doc[j - 1]
        if prev.text in ("–", "-", "—") or (prev.text[:1].isupper() and prev.pos_ in ("PROPN", "ADJ", "NOUN", "NUM")) \
                or prev.like_num:
            j -= 1
            continue
        # a plural possessive inside the name: "Defence Ministers' Meeting"
        if prev.text in ("'", "’") and j - 2 >= sent.start and doc[j - 2].text[:1].isupper() and doc[j - 2].text.endswith("s"):
            j -= 1
            continue
        break
    while j < i and (doc[j].text in ("–", "-", "—", "'", "’") or doc[j].like_num):
        j += 1
    if j == i:
        return None
    words = [w.lower_ for w in doc[j: i] if w.is_alpha or "-" in w.text]
    if all(w in _GENERIC_EVENT_WORDS for w in words):
        return None
    return doc[j: i + 1].text


_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "next", "inaugural"}
_ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)")


def _event_ordinal(tok: Token, named: str | None) -> str | None:
    """Which of a series an event is ("the fourth ... Dialogue", "the 58th ... Meeting"): the ordinal before
    its name or among its modifiers."""
    doc = tok.doc
    start = tok.i - len(named.split()) if named else tok.i
    for k in range(max(start - 2, 0), tok.i):
        low = doc[k].lower_
        if low in _ORDINAL_WORDS or _ORDINAL_NUMBER.fullmatch(low):
            return "1" if low == "inaugural" else low
    return None


def _welcomes_someone(tok: Token) -> bool:
    """ "welcomed X to Rome", "welcomed the Commander ...": a guest received, not a decision welcomed."""
    if any(c.dep_ == "prep" and c.lower_ == "to" and any(o.ent_type_ == "GPE" for o in c.subtree) for c in tok.children):
        return True
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    return any(o.ent_type_ == "PERSON" or o.lemma_.lower() in _GUEST_HEADS for o in objects)


def _is_someone(tok: Token) -> bool:
    """A person, a country or an office one can call or speak with ("her counterpart", "him", "Japan")."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "GPE", "NORP") or tok.lower_ in ("him", "her", "them", "each", "me", "us") \
        or tok.lemma_.lower() in _GUEST_HEADS or tok.lemma_.lower() in ("counterpart", "leader", "official", "premier")


# Heads of a welcomed object that is a person ("welcomed the Commander of ...").
_GUEST_HEADS = {"commander", "chief", "minister", "secretary", "president", "ambassador", "delegation", "general",
                "admiral", "counterpart", "envoy", "prime", "king", "queen", "chancellor"}


def _noun_label(tok: Token) -> str:
    """The trigger with its modifiers ("joint news conference", "meeting of Pacific army chiefs")."""
    left = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") and c.pos_ != "DET"
            and c.text.lower() not in ("successful", "productive", "positive", "first", "second", "very", "high", "level")]
    start = min([c.i for c in left] + [tok.i])
    if start < tok.i and tok.doc[start].text.lower() in ("high", "-"):
        start = tok.i
    # keep contiguous words only
    while start < tok.i and tok.doc[start].is_punct:
        start += 1
    words = tok.doc[start: tok.i + 1].text
    for c in tok.rights:
        if c.dep_ == "prep" and c.text.lower() == "of":
            obj = [x for x in c.children if x.dep_ == "pobj"]
            if obj:
                o = obj[0]
                span = [x for x in o.lefts if x.dep_ in ("compound", "amod")] + [o]
                words += " of " + " ".join(x.text for x in sorted(span, key=lambda x: x.i))
    return words


# Nouns that name an activity as often as an event ("supports dialogue on the peninsula"): an event only
# with a determiner, a name, a possessor or a time or place of its own.
_ABSTRACT_EVENT_NOUNS = {"dialogue", "discussion", "discussions", "conversation", "consultations"}


# People joining the event in focus: "The Swedish delegation included X", "Also present was Y".
_JOINS_EVENT = re.compile(r"\b(?:delegation|team)\s+(?:also\s+)?(?:included|includes|comprised|was made up of|consisted of)\b|"
                          r"\b(?:was|were)\s+(?:also\s+)?accompanied\s+by\b|\b(?:also\s+)?(?:present|attending)\s+(?:was|were)\b|"
                          r"\b(?:was|were)\s+also\s+(?:present|in attendance)\b", re.I)


# A sentence that opens a list of those who attended: "Ministers attending included:", "Present were:".
_ATTENDANCE_INTRO = re.compile(r"\b(?:attending|attended|attendees|participants|present|included|includes|"
                               r"delegation|delegations|joined by)\b", re.I)


def _attendance(ctx: Discourse, sent: Sentence, people: list[str]) -> DialogueMention:
    """People a sentence adds to the event in focus; `merge_dialogues` drops it when there is none."""
    return DialogueMention(label="meeting", type="meeting", participants=list(people), places=[], date=None,
                           status="held", named=False, evidence=[ctx.sentence_evidence(sent, 0.6, ATTENDANCE)],
                           countries=set(), attendance=True)

# "It is a pleasure to welcome X": words that make an infinitive something done as it is said.
_NOW_WORDS = {"pleasure", "privilege", "honour", "honor", "delighted", "glad", "happy", "pleased", "proud"}


def _welcoming_now(tok: Token) -> bool:
    head = tok.head
    return head is not tok and (head.lower_ in _NOW_WORDS
                                or any(c.dep_ in ("attr", "acomp") and c.lower_ in _NOW_WORDS for c in head.children))


def _we_speakers(ctx: Discourse, triggers: list[Trigger]) -> list[str]:
    """ "we held the ... Meeting" in a turn of a transcript: the speaker, and the other speaker when the
    transcript has just two officials speaking (the two sides speaking as one)."""
    if not ctx.m.speakers:
        return []
    for trigger in triggers:
        tok, pos = trigger.tok, trigger.pos
        # the event is what "we" did: "we met", "we held the Meeting" (not "we discussed the summit")
        verb = tok if pos == "verb" else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
        if verb is None or (pos == "noun" and verb.lemma_.lower() not in EVENT_SETTING_VERBS):
            continue
        subjects = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
        if subjects == ["i"] or (not subjects and _welcoming_now(verb)):
            speaker = ctx.speaker_at(tok.idx)  # "It is a pleasure to welcome X": the speaker hosts
            return [speaker] if speaker else []
        if subjects != ["we"]:
            continue
        speaker = ctx.speaker_at(tok.idx)
        if speaker is None:
            return []
        found = [speaker]
        others = {k for k in (ctx.speaker_at(pos_) for pos_, _ in ctx.m.speakers) if k}
        if len(others) == 2:
            found += [k for k in others if k != speaker]
        return found
    return []


_SETTING_NOUNS = {"margins", "margin", "sidelines", "sideline", "fringes", "fringe"}


def _is_setting(tok: Token, named: str | None) -> bool:
    """An event named as the occasion of another ("on the margins of the 58th ... Meeting"): the sentence's
    people met beside it, not necessarily at it."""
    doc = tok.doc
    k = tok.i - 1
    if named:  # the token before the name
        while k >= 0 and doc[k].idx >= tok.idx + len(tok.text) - len(named):
            k -= 1
    while k >= 0 and (doc[k].pos_ in ("DET", "ADJ", "NUM") or doc[k].ent_type_ == "ORDINAL"):
        k -= 1
    return k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in _SETTING_NOUNS


