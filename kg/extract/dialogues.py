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

from kg.articles import in_dateline
from kg.dates import DateMention
from kg.extract.candidates import DialogueMention
from kg.extract.clauses import EVENT_SETTING_VERBS, event_clause, own_clause_text, surely_other_spans
from kg.extract.context import Discourse, Sentence, pick_date
from kg.extract.dialogue_people import (
    hosts_of_setting,
    leave_out_those_accompanied,
    leave_out_who_extends_an_invitation,
    leave_out_who_invites,
    one_per_counterpart,
    phrase_people,
    we_speakers,
    welcoming_now,
)
from kg.extract.dialogue_words import (
    conjoined,
    event_ordinal,
    is_person,
    is_setting,
    is_someone,
    named_event,
    noun_label,
    places_in,
    welcomes_someone,
)
from kg.extract.rules import RuleFamily, rule
from kg.extract.vocab import AGREEMENT_WORDS, DIALOGUE_NOUNS, DIALOGUE_VERBS, NEGATION, PLANNED_WORDS
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


def _is_verb_with_on(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "VERB" and any(c.lower_ == "on" for c in tok.children)


def _is_proper_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "PROPN"


def _is_name_head(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    """A capitalised head of a phrase ("the ASEAN Regional Forum"), not a modifier ("Forum members") nor a body
    someone holds a post in ("the Chair of the Pacific Islands Forum")."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _ROLE_NOUNS:
        return False
    return tok.text[0].isupper() and tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.dep_ not in ("compound", "poss", "amod")


# Posts in a body: "the Chair of the X Forum" names the body, not a meeting of it.
_ROLE_NOUNS = {"chair", "chairman", "chairperson", "member", "secretariat", "secretary", "head", "director",
               "president", "leader"}


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


# What a round is a round of: "a round of talks", "the negotiation round" (not "a round of sanctions")
_ROUND_OF = {"talks", "negotiations", "negotiation", "consultations", "discussions", "dialogue", "negotiating"}


def _round_of_talks(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "the negotiation round hosted by Cairo", "a new round of talks" (not "a round of sanctions")."""
    before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    of_what = [o.lower_ for c in tok.children if c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    if before in _ROUND_OF or any(w in _ROUND_OF for w in of_what):
        return EventWord("talks", "noun")
    return None


def _event_verb(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord:
    """ "met", "visited", "travelled to", "telephoned"."""
    return EventWord(DIALOGUE_VERBS[tok.lemma_.lower()], "verb")


def _speak_with(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "spoke with her counterpart" (not "speak with one voice")."""
    if not any(is_someone(o) for c in tok.children if c.lower_ in ("with", "to") for o in c.children if o.dep_ == "pobj"):
        return None
    return _event_verb(ctx, sent, tok)


def _call_someone(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "called the Prime Minister" (not "called the exercise a model")."""
    if not any(is_someone(c) for c in tok.children if c.dep_ == "dobj"):
        return None
    return _event_verb(ctx, sent, tok)


def _discuss_with(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "discussed the matter with her counterpart", "topics discussed by X with Y" (not "discussed Japan")."""
    # spaCy often hangs "with X" on the object or the agent ("discussed [the situation with X]", "discussed by
    # [A, the Minister with B]"): any "with" below the verb in its own clause
    if not any(is_person(o) for c in tok.subtree if c.lower_ == "with" and _same_clause(c, tok) for o in conjoined(c)):
        return None
    return EventWord("talks", "verb")


def _same_clause(tok: Token, verb: Token) -> bool:
    """Whether no other verb stands between a word and the verb it hangs from."""
    node = tok.head
    for _ in range(8):
        if node.i == verb.i:
            return True
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            return False
        node = node.head
    return False


def _exchange_views(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "exchanged views with X", "X and Y exchanged views on ..." (not "exchanged instruments")."""
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in _VIEW_WORDS for c in tok.children):
        return None
    return EventWord("talks", "verb")


def _receive_someone(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "received the Defence Minister", "were received by the Permanent Secretary", "was greeted by the President"
    (not "received support", "greeted the decision")."""
    guests = [c for c in tok.children if c.dep_ == "dobj"]
    hosts = [o for c in tok.children if c.dep_ == "agent" for o in conjoined(c)]
    if not any(is_person(o) for o in guests + hosts):
        return None
    return EventWord("meeting", "verb")


def _call_on(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "called on the Prime Minister" (a visit of courtesy), not "called on Japan to act"."""
    if any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        return None
    if not any(is_person(o) for c in tok.children if c.lower_ == "on" for o in conjoined(c)):
        return _call_someone(ctx, sent, tok)  # "called her counterpart on Tuesday"
    return EventWord("call", "verb")


def _audience(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "granted an audience to X", "had an audience with Y", "received in audience" (not "an audience of students")."""
    if tok.head.lemma_.lower() in ("grant", "give", "have", "hold", "seek") and tok.dep_ == "dobj" \
            or (tok.head.lower_ == "in" and tok.head.head.lemma_.lower() == "receive") \
            or any(c.lower_ in ("with", "to") for c in tok.children):
        return EventWord("meeting", "noun")
    return None


def _signed_together(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "A and B signed the agreement", "A together with B signed", "was signed by A and B": signing together is
    meeting (not "A signed a decree")."""
    signers = [o for c in tok.children if c.dep_ == "nsubj" for o in [c, *c.conjuncts]]
    signers += [o for c in tok.children if c.dep_ == "agent" for o in conjoined(c)]
    signers += [o for c in [*tok.children, *(x for s in signers for x in s.children)]
                if c.lower_ == "with" for o in conjoined(c)]
    if sum(1 for o in signers if is_person(o) and o.pos_ == "PROPN") < 2:
        return None
    return EventWord("signing", "verb")


def _agreement_reached(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "the agreement that was reached between A and B", "A and B concluded an agreement": two leaders who
    reach an agreement have talked (not "the agreement reached between Japan and Korea")."""
    agreement = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in AGREEMENT_WORDS]
    if tok.dep_ in ("relcl", "acl") and tok.head.lemma_.lower() in AGREEMENT_WORDS:
        agreement.append(tok.head)
    if not agreement:
        return None
    sides = [o for c in tok.children if c.dep_ == "nsubj" for o in [c, *c.conjuncts]]
    sides += [o for c in tok.children if c.dep_ == "agent" or c.lower_ in ("between", "with") for o in conjoined(c)]
    if sum(1 for o in sides if is_person(o) and o.pos_ == "PROPN") < 2:
        return None
    return EventWord("talks", "verb")


def _signing_ceremony(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "the signing ceremony was witnessed by A and B" (not a ceremony of another kind)."""
    if tok.i == 0 or tok.doc[tok.i - 1].lower_ != "signing":
        return None
    return EventWord("signing", "noun")


def _host_something(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "hosted the talks", "hosted her counterpart"."""
    if not any(c.dep_ == "dobj" for c in tok.children):
        return None
    return _event_verb(ctx, sent, tok)


def _welcome_guest(ctx: Discourse, sent: Sentence, tok: Token) -> EventWord | None:
    """ "welcomed X to Rome": a meeting of host and guest (not "welcomed the invitation")."""
    if not welcomes_someone(tok):
        return None
    if welcoming_now(tok) and not any(a.tag_ == "VBD" for a in [*tok.ancestors, *(c for a in tok.ancestors for c in a.children
                                                                              if c.dep_ in ("aux", "cop"))]):
        # "It is a pleasure to welcome X": said at the event it opens (a news conference, a visit)
        return EventWord("visit", "verb")
    return _event_verb(ctx, sent, tok)  # "welcomed X to Rome", "was delighted to welcome X": the host met the guest


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
    rule("dialogues.round-of-talks-noun", _round_of_talks, words={"round", "rounds"}, applies=_is_noun),
    rule("dialogues.speak-with-verb", _speak_with, lemmas={"speak"}, applies=_is_verb),
    rule("dialogues.call-on-verb", _call_on, lemmas={"call"}, applies=_is_verb_with_on),
    rule("dialogues.call-verb", _call_someone, lemmas={"call"}, applies=_is_verb),
    rule("dialogues.discuss-with-verb", _discuss_with, lemmas={"discuss"}, applies=_is_verb),
    rule("dialogues.exchange-views-verb", _exchange_views, lemmas={"exchange"}, applies=_is_verb),
    rule("dialogues.receive-verb", _receive_someone, lemmas={"receive"}, applies=_is_verb),
    rule("dialogues.greet-verb", _receive_someone, lemmas={"greet"}, applies=_is_verb),
    rule("dialogues.audience-noun", _audience, words={"audience"}, applies=_is_noun),
    rule("dialogues.sign-together-verb", _signed_together, lemmas={"sign"}, applies=_is_verb),
    rule("dialogues.agreement-reached-verb", _agreement_reached, lemmas={"reach", "conclude"}, applies=_is_verb),
    rule("dialogues.signing-ceremony-noun", _signing_ceremony, words={"ceremony"}, applies=_is_noun),
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
    heading = ctx.is_heading(sent)
    in_section = not heading and _in_section(ctx, sent)
    if heading:
        # "Japan-Canada Meeting" over a paragraph: the paragraph tells who met
        ctx.section_event, ctx.section_body_end = bool(triggers), None
    if not triggers:
        list_item = ctx.is_list_item(sent)
        if not list_item:
            ctx.attendance_list = text.rstrip().endswith(":") and bool(_ATTENDANCE_INTRO.search(text))
        if people and not negated and (_JOINS_EVENT.search(text) or (list_item and ctx.attendance_list) or in_section):
            return [_attendance(ctx, sent, people)]
        return []
    ctx.attendance_list = False
    follows = any(_after_event(t.tok) for t in triggers if t.pos == "noun")
    speakers = we_speakers(ctx, triggers)
    people = people + [k for k in speakers if k not in people]
    setting = _SentenceSetting(ctx, sent, triggers)
    if sent.start_char <= ctx.second_line and setting.places and any(
            t.pos == "noun" and t.tok.tag_ in ("NNS", "NNPS") and t.kind != "talks" and not t.named for t in triggers):
        # "Meetings with Defence Ministers in Singapore": where the meetings the text goes on to tell were
        ctx.headline_places = [PlaceRef(p.name, p.country, p.geonameid, p.kind) for p in setting.places]
    seen_types: dict[str, list[tuple[set[int], set[str]]]] = {}
    out = []
    for n, trigger in enumerate(triggers):
        own = _own_setting(ctx, setting, n, seen_types)
        if own is None:
            continue
        d = _event_mention(ctx, sent, trigger, _people_of(ctx, sent, trigger, triggers, people), negated, *own)
        if d is not None and heading:
            d.title_line = d.headline = True  # a section's title, read as the article's title is
        if d is not None and follows and not _after_event(trigger.tok):
            d.follows = True
        if d is not None:
            out.extend(one_per_counterpart(ctx, sent, trigger, triggers, d))
    return out


def _at_the_event(verb: Token) -> bool:
    """ "X and Y also signed ... at the ceremony", "met during the talks": the verb's event is one told before.
    The preposition may hang on the verb's object (spaCy: "signed an Arrangement relating to Z at the ceremony")."""
    for prep in verb.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in ("at", "during"):
            continue
        node = prep
        while node.i != verb.i and node.dep_ in _PHRASE_DEPS:
            node = node.head
        if node.i == verb.i and any(o.dep_ == "pobj" and (o.lower_ in DIALOGUE_NOUNS or o.lower_ == "ceremony")
                                and any(x.dep_ == "det" and x.lower_ in ("the", "this", "that") for x in o.children)
                                for o in prep.children):
            return True
    return False


# the dependencies inside a verb's own phrase (its object and what hangs on it), not a clause of its own
_PHRASE_DEPS = {"prep", "pobj", "dobj", "acl"}


def _after_event(tok: Token) -> bool:
    """ "After the meeting", "following their talks": an event named as the time of another."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("after", "following") \
        and any(c.dep_ in ("det", "poss") for c in tok.children)


def _people_of(ctx: Discourse, sent: Sentence, trigger: Trigger, triggers: list[Trigger], people: list[str]) -> list[str]:
    """The sentence's people less those named only in a clause about something else ("the agreement reached
    between A and B in 2023", "following his talks with C") or in another event's phrase ("the Meeting
    recalled [the visit of X]"); those "accompanied by" the subject stay."""
    if not people:
        return people
    doc = sent.doc
    if trigger.rule == "dialogues.agreement-reached-verb":
        # those who reached it, named in the verb's own phrase ("[the agreement] reached between A and B")
        tok = trigger.tok
        within = {k for _, k in ctx.people_in(doc[tok.left_edge.i].idx, tok.right_edge.idx + len(tok.right_edge.text))}
        return [k for k in people if k in within]
    away: list[tuple[int, int]] = []
    for other in triggers:
        o = other.tok
        if other.pos != "noun" or o is trigger.tok or o.left_edge.i <= trigger.tok.i <= o.right_edge.i:
            continue
        for c in o.children:  # whose the other event is: "the visit of X", "X's visit", "talks between X and Y"
            if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("of", "by", "between")):
                away.append((doc[c.left_edge.i].idx, doc[c.right_edge.i].idx + len(doc[c.right_edge.i].text)))
    # "A led a delegation to X, and B visited Y": clauses joined by "and", each with a subject of its own
    verb = trigger.tok
    for _ in range(8):  # up to the clause's verb (spaCy makes a new Token on every read: compare indices)
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if _has_subject(verb):
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and _has_subject(verb.head):
            first = verb.head
            away.append((doc[first.left_edge.i].idx, doc[verb.left_edge.i].idx))
        for c in verb.children:
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _has_subject(c):
                away.append((doc[c.left_edge.i].idx, doc[c.right_edge.i].idx + len(doc[c.right_edge.i].text)))
    for i, left, right, _head, dep in surely_other_spans(sent):
        if left <= trigger.tok.i <= right or sent.doc[i].lemma_.lower() in _COMPANY_VERBS:
            continue
        if dep in ("relcl", "acl") and sent.doc[i].head.i == trigger.tok.i:
            continue  # the event noun's own clause ("the talks, held between A and B")
        away.append((doc[left].idx, doc[right].idx + len(doc[right].text)))
    if not away:
        return people
    mentions: dict[str, list[int]] = {}
    for at, k in ctx.people_in(sent.start_char, sent.end_char):
        mentions.setdefault(k, []).append(at)
    return [k for k in people if k not in mentions or not all(any(a <= at < b for a, b in away) for at in mentions[k])]


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


# Verbs of a clause that brings people to the event ("X, accompanied by Y, met Z").
_COMPANY_VERBS = {"accompany", "join", "lead", "head", "include", "attend", "witness", "chair", "co-chair", "host"}


def _in_section(ctx: Discourse, sent: Sentence) -> bool:
    """Whether the sentence is in the first paragraph under a heading that names an event; moves the section on."""
    if not ctx.section_event:
        return False
    end = ctx.section_body_end
    if end is not None and "\n\n" in ctx.text[end: sent.start_char]:
        ctx.section_event = False  # a blank line: the section's first paragraph is over
        return False
    ctx.section_body_end = sent.start_char + len(sent.text.rstrip())
    return True


# Words that make one event of a meeting with several delegations ("a trilateral meeting", "met together").
def _triggers(ctx: Discourse, sent: Sentence) -> list[Trigger]:
    triggers = []
    for tok, trigger_rule in TRIGGERS.matches(ctx, sent):
        word = trigger_rule.read(ctx, sent, tok)
        if word is None:
            continue
        named = named_event(sent, tok) if word.pos == "noun" and word.kind in _NAMEABLE_KINDS else None
        if named is None and tok.lower_ in NAMED_ONLY_NOUNS:
            continue  # "forum", "ministerial": events only as part of a name
        triggers.append(Trigger(tok, word.kind, word.pos, named, trigger_rule.id))
    return triggers


class _SentenceSetting:
    """The dates and places of a sentence with events, and each event word's own clause."""

    def __init__(self, ctx: Discourse, sent: Sentence, triggers: list[Trigger]) -> None:
        self.triggers = triggers
        self.places = places_in(ctx, sent.start_char, sent.end_char)
        self.dates = ctx.dates_in(sent.start_char, sent.end_char, clauses=True)  # the clauses are read below
        told = [d for d in self.dates if not in_dateline(ctx.text, d.start, d.end)]
        if told and len(told) < len(self.dates):
            self.dates = told  # "CITY, 5 March -- on Monday, 4 March, X met Y": the day the text tells
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
    if pos == "verb" and not own_places:
        # "X, who arrived in Y, was received by Z": where they arrived is where the event was
        own_places = [p for p, i in zip(places, setting.place_tokens) if _arrived_at(ctx.doc[i], tok)]
    if pos == "noun" and not own_places:
        # "the Vilnius summit": a city naming the event is where it was, whatever spaCy labels it
        for c in tok.children:
            city = ctx.gz.city(c.text) if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1 else None
            if city is not None:
                own_places = [PlaceMention(c.idx, c.idx + len(c.text), city.name, city.country, city.geonameid, "city")]
    if pos == "noun" and not own_places:
        own_places = _city_after_at(ctx, tok)
    return own_dates, own_places


def _city_after_at(ctx: Discourse, tok: Token) -> list[PlaceMention]:
    """ "the meeting at Vatican City", "to hold the meeting in June at X": a city the gazetteer knows after "in" or
    "at" on the event noun or on the verb it is the object of, when the place mentions hold none there."""
    holders = [tok] + ([tok.head] if tok.dep_ == "dobj" and tok.head.pos_ == "VERB" else [])
    for holder in holders:
        for prep in holder.children:
            if prep.lower_ not in ("in", "at"):
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or obj.pos_ != "PROPN":
                    continue
                words = [w for w in obj.subtree if w.i <= obj.i and w.dep_ in ("compound", "pobj") and w.pos_ == "PROPN"]
                if not words:
                    continue
                start, end = words[0].idx, obj.idx + len(obj.text)
                city = ctx.gz.city(ctx.text[start:end])
                if city is not None:
                    return [PlaceMention(start, end, city.name, city.country, city.geonameid, "city")]
    return []


_ARRIVAL_WORDS = {"arrive", "arrival", "land"}


def _arrived_at(place: Token, verb: Token) -> bool:
    """Whether a place is where the event verb's people arrived: "X, who arrived at Y, was received", "upon
    arriving in Y, X met", "on arrival in Y": a clause of arrival hanging on the verb or on its subject."""
    node = place
    for _ in range(6):  # up to the word of arrival, through "at [the base] in [Y]"
        if node.lemma_.lower() in _ARRIVAL_WORDS:
            break
        if node.dep_ not in ("pobj", "prep", "compound", "appos", "conj") or node.head is node:
            return False
        node = node.head
    else:
        return False
    if node.lemma_.lower() not in _ARRIVAL_WORDS:
        return False
    for _ in range(4):  # down from the verb: the arrival's clause hangs on it or on its subject
        if node.head is node:
            return False
        node = node.head
        if node.i == verb.i:
            return True
        if node.pos_ == "VERB" and node.i != verb.i:
            return False
    return False


def _event_mention(ctx: Discourse, sent: Sentence, trigger: Trigger, people: list[str], negated: bool,
                   own_dates: list[DateMention], own_places: list[PlaceMention]) -> DialogueMention | None:
    """The event an event word names, with its own date, place, status and people; None when the sentence
    denies it or says too little of it."""
    tok, kind, pos, named = trigger.tok, trigger.kind, trigger.pos, trigger.named
    # "recalled the visit of X": an earlier event brought up, not the one in focus
    recalled = pos == "noun" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _RECALL_VERBS
    definite = pos == "noun" and not recalled \
        and any(c.dep_ == "det" and c.text.lower() in ("the", "this", "that") for c in tok.children)
    possessive = pos == "noun" and any(c.dep_ == "poss" for c in tok.children)
    is_title_line = sent.start_char <= ctx.second_line
    own_words = own_clause_text(tok, pos)
    if negated and NEGATION.search(own_words):
        return None
    planned = bool(PLANNED_WORDS.search(own_words)) or (tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to"
                                                        and not welcoming_now(tok)) \
        or any(d.future for d in own_dates)
    # "to hold the next plenary meeting": the one to come
    planned = planned or (pos == "noun" and any(c.dep_ == "amod" and c.lower_ in _NEXT_WORDS for c in tok.children))
    if named is None and not people and not own_places and not own_dates and not definite and not possessive \
            and not is_title_line:
        return None
    date = pick_date(own_dates)
    # the headline's event, or one "just" held ("X and I just finished a working lunch"), is of the article's day
    dated_by_article = date is None and ctx.article.date is not None \
        and (is_title_line or (not planned and bool(_JUST_NOW.search(own_words))))
    if dated_by_article:
        date = ctx.article.date
    elif date is None and not planned and ctx.focus_date is not None and _SAME_DAY_OPENING.match(sent.text):
        date = ctx.focus_date  # "At 11 a.m., X held a meeting with Y": later on the day just told
    setting = pos == "noun" and is_setting(tok, named)
    own_people = phrase_people(ctx, sent, tok, people) if pos == "noun" else None
    d = DialogueMention(
        label=named or noun_label(tok) if pos == "noun" else (named or kind),
        type=kind,
        own_people=own_people is not None,
        participants=hosts_of_setting(ctx, tok) if setting else list(own_people if own_people is not None else people),
        places=[PlaceRef(p.name, p.country, p.geonameid, p.kind) for p in own_places],
        date=date,
        status="planned" if planned else "held",
        named=named is not None,
        evidence=[ctx.sentence_evidence(sent, 0.75 if named or people else 0.6, trigger.rule)],
        definite=((definite or possessive) and not named) or (pos == "verb" and _at_the_event(tok)),
        separate=pos == "noun" and any(c.lower_ == "separate" for c in tok.children),
        title_line=is_title_line,
        headline=is_title_line and sent.text.strip()[-1:] not in (".", "!", "?", "\"", "”"),
        setting=setting,
        article_date=dated_by_article,
        ordinal=event_ordinal(tok, named) if pos == "noun" else None,
        refers_back=pos == "verb" and any(
            c.dep_ == "dobj" and c.lower_ in DIALOGUE_NOUNS and any(x.dep_ == "det" and x.lower_ in ("the", "these", "this")
                                                                  for x in c.children) for c in tok.children),
    )
    verb = tok if pos == "verb" else tok.head
    # "X also met Y", "also held talks with Y" (not "also recalled the visit of Z": that visit is no occasion's)
    d.also = (pos == "verb" or verb.lemma_.lower() in EVENT_SETTING_VERBS) \
        and any(c.dep_ == "advmod" and c.lower_ == "also" for c in verb.children)
    d.countries = {c.code for c in ctx.m.countries if sent.start_char <= c.start < sent.end_char and c.kind != "body"}
    if d.separate:
        leave_out_those_accompanied(ctx, sent, tok, d)
    if pos == "verb" and tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "invite":
        leave_out_who_invites(ctx, tok, d)
    elif pos == "verb" and tok.dep_ == "acl" and tok.head.lemma_.lower() == "invitation":
        leave_out_who_extends_an_invitation(ctx, tok, d)
    if date is not None and not planned:
        ctx.focus_date = date
    return d


# A sentence that opens with a time of day, or "later that day", goes on with the day told before it.
_SAME_DAY_OPENING = re.compile(r"\s*(?:(?:at|by|around|from|shortly after)\s+\d{1,2}(?:[:.]\d\d)?\s*"
                               r"(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|hours\b)|later (?:that|the same) "
                               r"(?:day|morning|afternoon|evening)\b|(?:that|the same) (?:afternoon|evening)\b)", re.I)
_NEXT_WORDS = {"next", "forthcoming", "upcoming", "coming"}
_RECALL_VERBS = {"recall", "remember", "commemorate", "recollect"}
_JUST_NOW = re.compile(r"\b(?:just|earlier today|this (?:morning|afternoon|evening)|"
                       r"over the (?:course of the )?(?:last|past) (?:day|two days|few days|couple of days))\b", re.I)


# --- what the rules read of a sentence ------------------------------------------------------------


# What is exchanged in talks ("exchanged views", "exchanged opinions").
_VIEW_WORDS = {"view", "opinion", "idea", "perspective", "assessment"}


# Nouns that name an activity as often as an event ("supports dialogue on the peninsula"): an event only
# with a determiner, a name, a possessor or a time or place of its own.
_ABSTRACT_EVENT_NOUNS = {"dialogue", "discussion", "discussions", "conversation", "consultations"}


# People joining the event in focus: "The Swedish delegation included X", "Also present was Y".
_JOINS_EVENT = re.compile(r"\b(?:delegation|team)\s+(?:also\s+)?(?:included|includes|comprised|was made up of|consisted of)\b|"
                          r"\b(?:delegation|team)\s+(?:will|shall)\s+(?:also\s+)?(?:include|consist of|be (?:comprised|composed|made up) of)\b|"
                          r"\b(?:delegation|team)\s+(?:is|was|are|were)\s+(?:comprised|composed|made up) of\b|"
                          r"\b(?:delegation|team|side)s?\s+(?:is|was|are|were|will be)\s+(?:led|headed)\s+by\b|"
                          r"\b(?:was|were)\s+(?:also\s+)?accompanied\s+by\b|\b(?:also\s+)?(?:present|attending)\s+(?:was|were)\b|"
                          r"\b(?:was|were)\s+also\s+(?:present|in attendance)\b", re.I)


# A sentence that opens a list of those who attended: "Ministers attending included:", "Present were:".
_ATTENDANCE_INTRO = re.compile(r"\b(?:attending|attended|attendees|participants|present|included|includes|"
                               r"delegation|delegations|joined by)\b", re.I)


def _attendance(ctx: Discourse, sent: Sentence, people: list[str]) -> DialogueMention:
    """People a sentence adds to the event in focus; `merge_dialogues` drops it when there is none."""
    return DialogueMention(label="meeting", type="meeting", participants=list(people), places=[], date=None,
                           status="planned" if PLANNED_WORDS.search(sent.text) else "held", named=False, evidence=[ctx.sentence_evidence(sent, 0.6, ATTENDANCE)],
                           countries=set(), attendance=True)


