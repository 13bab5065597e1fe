"""Who takes part in an event a sentence tells of: the people of its own phrase ("X's meeting with Y"),
one event per counterpart listed after "with", the speaker of "we" in a transcript, and who stays home
("X invited Y to visit", "X extended an invitation to Y to visit")."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.candidates import DialogueMention
from kg.extract.clauses import EVENT_SETTING_VERBS
from kg.extract.context import Discourse, Sentence
from kg.extract.vocab import DIALOGUE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.dialogues import Trigger

_JOINT_WORDS = re.compile(r"\b(?:trilateral|quadrilateral|multilateral|2\s?\+\s?2|ministerial|jointly|together|joint|"
                          r"all three|all four|the three|the four)\b", re.I)


def one_per_counterpart(ctx: Discourse, sent: Sentence, trigger: Trigger, triggers: list[Trigger],
                         d: DialogueMention) -> list[DialogueMention]:
    """ "X spoke with the leaders A, B and C": officials of different countries listed after "with" are as many
    talks of X, each with one of them (not talks of A with B); one country's officials are one delegation."""
    if trigger.pos != "verb" or d.refers_back or _JOINT_WORDS.search(sent.text):
        return [d]  # "hosted the talks with A and B": one event
    if any(t.pos == "noun" and (t.named or any(c.lemma_.lower() in ("minister", "leader") for c in t.tok.subtree))
           for t in triggers):
        return [d]  # "at the meeting of Foreign Ministers, X met A and B": the meeting of the three
    heads = [trigger.tok] + [c for c in trigger.tok.children if c.dep_ in ("dobj", "nsubjpass")
                             and c.lower_ not in DIALOGUE_NOUNS]
    words = ("with", "on") if trigger.rule == "dialogues.call-on-verb" else ("with",)
    preps = [c for h in heads for c in h.children if c.lower_ in words and c.i > trigger.tok.i]
    preps += [p for c in preps for p in c.conjuncts if p.dep_ == "conj" and p not in preps]  # "with X and with Y"
    if not preps:
        return [d]
    # the officials named from "with" to the end of the verb's phrase, by country (spaCy may hang the second
    # of a list of names on the verb), leaving out clauses of their own
    verb = trigger.tok
    start = min(c.idx for c in preps)
    end = verb.right_edge.idx + len(verb.right_edge.text)
    away = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)) for c in verb.children
            if c.dep_ in ("advcl", "ccomp", "xcomp", "parataxis", "conj") and c.pos_ in ("VERB", "AUX")]
    by_country: dict[str | None, list[str]] = {}
    for at, k in ctx.people_in(start, end):
        if k in d.participants and not any(a <= at < b for a, b in away):
            side = by_country.setdefault(ctx.facts.officials[k].country, [])
            if k not in side:
                side.append(k)
    listed = {k for side in by_country.values() for k in side}
    others = [k for k in d.participants if k not in listed]
    for country, side in list(by_country.items()):
        titles = [t for k in side for t in {p.title.lower() for p in ctx.facts.officials[k].posts}]
        if len(titles) != len(set(titles)):
            # "Prime Minister A, Prime Minister B": a country has one holder of an office, so they are two sides
            del by_country[country]
            by_country.update({f"{country}#{k}": [k] for k in side})
    # without the one who spoke with them, those listed did not meet each other; one we know no office of
    # ("Mr X met A and B") met each country's officials together
    met_by_someone = any(c.dep_ in ("nsubj", "nsubjpass") and c.ent_type_ == "PERSON" for c in verb.children)
    sides = list(by_country.values()) if others or met_by_someone else [[k] for side in by_country.values() for k in side]
    if len(sides) < 2:
        return [d]
    out = []
    for side in sides:
        one = replace(d, participants=others + side, evidence=list(d.evidence), countries=set(d.countries),
                      places=list(d.places))
        out.append(one)
    return out


def hosts_of_setting(ctx: Discourse, tok: Token) -> list[str]:
    """Who hosts or chairs an event named as the occasion of another ("in connection with X hosting the Summit")."""
    verb = tok.head
    if tok.dep_ != "dobj" or verb.lemma_.lower() not in ("host", "chair", "co-chair", "convene"):
        return []
    doc = tok.doc
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "poss")]
    if not subjects and verb.dep_ == "pcomp":  # "with [Mr X] hosting ...": spaCy hangs X on the preposition
        subjects = [c for c in verb.head.children if c.dep_ == "pobj"]
    return [k for c in subjects for _, k in ctx.people_in(doc[c.left_edge.i].idx, c.right_edge.idx + len(c.right_edge.text))]


def phrase_people(ctx: Discourse, sent: Sentence, tok: Token, people: list[str]) -> list[str] | None:
    """The people an event noun's own phrase names when it names whose event it is: "X's recent meeting with Y",
    "talks between X and Y", "his meeting with Y" ("his": the clause's subject). None when it does not (then
    the sentence's people are the event's: "X held talks with Y")."""
    poss = [c for c in tok.children if c.dep_ == "poss"]
    between = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"]
    if not poss and not between:
        return None
    doc = tok.doc
    start, end = doc[tok.left_edge.i].idx, doc[tok.right_edge.i].idx + len(doc[tok.right_edge.i].text)
    found = [k for at, k in ctx.people_in(start, end) if k in people]
    if any(p.lower_ in ("his", "her") for p in poss):
        # the one the clause is about: the subject of the verb the phrase hangs from, else "he" of the text
        verb = tok.head
        for _ in range(8):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        subject = [k for c in verb.children if c.dep_ == "nsubj"
                   for at, k in ctx.people_in(doc[c.left_edge.i].idx, c.right_edge.idx + len(c.right_edge.text))]
        found = subject[:1] + found if subject else ([ctx.last_subject] if ctx.last_subject else []) + found
    if not found:
        return None
    return list(dict.fromkeys(found))


def leave_out_those_accompanied(ctx: Discourse, sent: Sentence, tok: Token, d: DialogueMention) -> None:
    """ "accompanied the Secretary and held separate talks with Y": the one accompanied is not in them."""
    other_objects = [(o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text)) for v in sent.tokens_with((), ("accompany",))
                     if v is not tok.head for o in v.children if o.dep_ == "dobj"]
    away = {k for at, k in ctx.people_in(sent.start_char, sent.end_char) if any(a <= at < b for a, b in other_objects)}
    d.participants = [k for k in d.participants if k not in away]


def leave_out_who_invites(ctx: Discourse, tok: Token, d: DialogueMention) -> None:
    """ "X invited Y to visit Z": the one inviting does not go."""
    hosts = {k for c in tok.head.children if c.dep_ == "nsubj"
             for _, k in ctx.people_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))}
    guests = [k for c in tok.head.children if c.dep_ == "dobj"
              for _, k in ctx.people_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))]
    d.participants = [k for k in d.participants if k not in hosts] + [k for k in guests if k not in d.participants]


def leave_out_who_extends_an_invitation(ctx: Discourse, tok: Token, d: DialogueMention) -> None:
    """ "X extended an invitation to Y to visit Z": the one inviting does not go; Y does."""
    invitation = tok.head

    def people(node: Token) -> list[str]:
        return [k for _, k in ctx.people_in(node.left_edge.idx, node.right_edge.idx + len(node.right_edge.text))]

    hosts = {k for c in invitation.head.children if c.dep_ == "nsubj" for k in people(c)} \
        if invitation.dep_ == "dobj" else set()
    guests = [k for c in invitation.children if c.dep_ == "prep" and c.lower_ == "to"
              for p in c.children if p.dep_ == "pobj" for k in people(p)]
    d.participants = [k for k in d.participants if k not in hosts] + [k for k in guests if k not in d.participants]


_NOW_WORDS = {"pleasure", "privilege", "honour", "honor", "delighted", "glad", "happy", "pleased", "proud"}


def welcoming_now(tok: Token) -> bool:
    """ "It is a pleasure to welcome X", "it's my honour to be able to welcome X": a welcome said as it is given."""
    node = tok
    for _ in range(3):  # up through "to be able to [welcome]"
        head = node.head
        if head is node:
            return False
        if head.lower_ in _NOW_WORDS or any(c.dep_ in ("attr", "acomp") and c.lower_ in _NOW_WORDS for c in head.children):
            return True
        if node.dep_ not in ("xcomp", "acomp", "relcl", "acl"):
            return False
        node = head
    return False


def we_speakers(ctx: Discourse, triggers: list[Trigger]) -> list[str]:
    """ "we held the ... Meeting" in a turn of a transcript: the speaker, and the other speaker when the
    transcript has just two officials speaking (the two sides speaking as one)."""
    if not ctx.speakers:
        return []
    for trigger in triggers:
        tok, pos = trigger.tok, trigger.pos
        # the event is what "we" did: "we met", "we held the Meeting" (not "we discussed the summit")
        verb = tok if pos == "verb" else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
        if verb is None or (pos == "noun" and verb.lemma_.lower() not in EVENT_SETTING_VERBS):
            verb = _we_took_part(tok) if pos == "noun" else None
            if verb is None:
                continue
        subjects = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
        if subjects == ["i"] or (not subjects and welcoming_now(verb)):
            speaker = ctx.speaker_at(tok.idx)  # "It is a pleasure to welcome X": the speaker hosts
            return [speaker] if speaker else []
        if subjects != ["we"]:
            continue
        speaker = ctx.speaker_at(tok.idx)
        if speaker is None:
            return []
        found = [speaker]
        others = {k for k in (ctx.speaker_at(pos_) for pos_, _ in ctx.speakers) if k}
        if len(others) == 2:
            found += [k for k in others if k != speaker]
        return found
    return []


# Verbs of taking part in an event ("we were engaged in the session of the X Dialogue").
_TAKE_PART_VERBS = {"engage", "participate", "attend", "join", "open", "conclude", "convene", "chair", "co-chair"}


def _we_took_part(tok: Token) -> Token | None:
    """The clause whose subject took part in the event a noun names: up the parse from "the X Dialogue" through
    "in the session of" to "[we have been delighted to be] engaged", and on to the clause holding the subject."""
    node, took_part = tok, False
    for _ in range(8):
        if node.dep_ not in ("pobj", "prep", "dobj", "xcomp", "acomp", "nsubjpass", "attr") or node.head is node:
            break
        node = node.head
        took_part = took_part or node.lemma_.lower() in _TAKE_PART_VERBS
        if took_part and node.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in node.children):
            return node
    return None
