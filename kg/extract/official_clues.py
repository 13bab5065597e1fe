"""What the words around an official say of the country they serve: a possessive country before a
word, the countries an article says one goes to or meets, the country of a delegation one is part of,
and the "our" of one speaking. Read by the country rules of `kg.extract.officials`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Discourse
from kg.mentions import PersonMention

if TYPE_CHECKING:
    from spacy.tokens import Token


def possessive_country_at(ctx: Discourse, offset: int) -> str | None:
    """The country named at a character offset in the possessive ("Canada's")."""
    for c in ctx.m.countries:
        if c.start <= offset < c.end and c.kind in ("name", "alias") and ctx.text[c.end: c.end + 2] in ("'s", "’s"):
            return c.code
    return None


def country_at(ctx: Discourse, offset: int, kinds: tuple[str, ...] = ("name", "alias")) -> str | None:
    """The country named (by its name or an alias, or a kind of `kinds`) at a character offset."""
    for c in ctx.m.countries:
        if c.start <= offset < c.end and c.kind in kinds:
            return c.code
    return None


# the words by which an official, as the subject, goes to a country or deals with it: "travelled to Ukraine",
# "arrived in Kyiv", "visited Chile", "signed an agreement with Malta" (a meeting "in Riga" may be at home)
GOING_TO = {"travel": "to", "fly": "to", "go": "to", "come": "to", "head": "to", "arrive": "in", "visit": "",
             "sign": "with", "conclude": "with", "agree": "with", "negotiate": "with", "talk": "with",
             "speak": "with"}


MEETING_VERBS = {"meet", "receive", "host", "welcome", "call"}


def countries_dealt_with(ctx: Discourse, key: str) -> set[str]:
    """The countries an official, as the subject, travels to or deals with: not theirs."""
    out: set[str] = set()
    for start, end, k in ctx.resolved:
        if k != key:
            continue
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        # the one met: whoever met them ("X met Y", "X held talks with Y", "X's meeting with Y") serves another
        # government
        host = _meeting_host(ctx, span.root)
        if host is not None:
            other = next((k2 for s2, e2, k2 in ctx.resolved if s2 <= host.idx < e2 and k2 != key), None)
            other_country = ctx.facts.officials[other].country if other else None
            if other_country:
                out.add(other_country)
        # the visitor of "the visit to Chile of X", "X's visit to Chile", "the visit of X to Chile", and the
        # guest of "welcomed X to Canberra"
        visited = _visit_destination(ctx, start, end) or _welcomed_to(ctx, span.root)
        if visited:
            out.add(visited)
        # the subject, or one who goes with it ("X, together with Y, met ...", "X and Y met ...")
        subject = span.root
        while subject.dep_ in ("conj", "appos", "pobj", "prep", "advmod") and subject.head != subject:
            subject = subject.head
        if subject.dep_ != "nsubj":
            continue
        verb = subject.head
        for v in (verb, *verb.conjuncts):
            prep = GOING_TO.get(v.lemma_)
            if prep is None:
                continue
            if prep:  # "to Ukraine" on the verb, or on its object ("signed an agreement with Malta")
                objects = [o for t in v.subtree if t.dep_ == "prep" and t.lower_ == prep and v in (t.head, t.head.head)
                           for o in t.children if o.dep_ == "pobj"]
            else:
                objects = [t for t in v.children if t.dep_ == "dobj"]
            for obj in objects:
                code = country_at(ctx, obj.idx, kinds=("name", "alias", "capital"))
                if code:
                    out.add(code)
        # the countries of the officials they meet: counterparts serve other governments
        for v in (verb, *verb.conjuncts):
            if v.lemma_ not in MEETING_VERBS:
                continue
            met = [o for t in v.children if t.dep_ == "prep" and t.lower_ == "with" for o in t.children if o.dep_ == "pobj"]
            met += [t for t in v.children if t.dep_ == "dobj"]
            for person in [p for o in met for p in (o, *o.conjuncts)]:
                other = next((k2 for s2, e2, k2 in ctx.resolved if s2 <= person.idx < e2 and k2 != key), None)
                other_country = ctx.facts.officials[other].country if other else None
                if other_country:
                    out.add(other_country)
    # "A and the Chilean Foreign Minister B": the country word sets B apart from A
    mentions = [(s, e, k) for s, e, k in ctx.resolved if k in ctx.facts.officials]
    for (_, e1, a), (s2, _, b) in zip(mentions, mentions[1:]):
        b_country = ctx.facts.officials[b].country
        if a != key or b == key or not b_country:
            continue
        joint = AND_COUNTRY.match(ctx.text[e1: s2])
        if joint and country_at(ctx, e1 + joint.start(1), kinds=("name", "alias", "demonym")) == b_country:
            out.add(b_country)
    return out


# nouns of a meeting that one holds "with" another ("held talks with", "a meeting with")
MEETING_NOUNS = {"talks", "meeting", "meetings", "call", "conversation", "discussions", "consultations", "bilateral"}


def _meeting_host(ctx: Discourse, person: Token) -> Token | None:
    """The subject (or possessor) of the meeting whose other side `person` is: "X met Y", "X received Y",
    "X held talks with Y", "X's meeting with Y" (Y is `person`)."""
    node = person
    while node.dep_ in ("conj", "appos") and node.head is not node:
        node = node.head
    verb: Token | None = None
    if node.dep_ == "dobj" and node.head.lemma_ in MEETING_VERBS:
        verb = node.head
    elif node.dep_ == "pobj" and node.head.lower_ == "with":
        head = node.head.head
        if head.pos_ == "VERB" and head.lemma_ in MEETING_VERBS | {"speak", "talk", "confer"}:
            verb = head
        elif head.lower_ in MEETING_NOUNS:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner
            if head.dep_ == "dobj" and head.head.pos_ == "VERB":
                verb = head.head
    if verb is None:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


# a visit's destination around its visitor: "the visit to Chile of X" (before), "X's visit to Chile" and
# "the visit of X to Chile" (after)
VISIT_TO_BEFORE = re.compile(r"\b(?:visit|trip|tour)\s+to\s+(?:the\s+)?(\S[^,.;]{1,40}?)\s+(?:of|by)\s+(?:the\s+)?$", re.I)
VISIT_TO_AFTER = re.compile(r"^(?:['’]s\s+(?:\w+\s+){0,2}(?:visit|trip|tour))?\s+to\s+(?:the\s+)?(\S)", re.I)
VISIT_OF = re.compile(r"\b(?:visit|trip|tour)\s+of\s+(?:the\s+)?$", re.I)


def _visit_destination(ctx: Discourse, start: int, end: int) -> str | None:
    """The country (or capital's country) an official's mention is the visitor to."""
    base = max(0, start - 80)
    before = VISIT_TO_BEFORE.search(ctx.text[base: start])
    if before:
        return country_at(ctx, base + before.start(1), kinds=("name", "alias", "capital"))
    after = VISIT_TO_AFTER.match(ctx.text[end: end + 60])
    if after and (after.group(0).startswith(("'", "’")) or VISIT_OF.search(ctx.text[max(0, start - 30): start])):
        return country_at(ctx, end + after.start(1), kinds=("name", "alias", "capital"))
    return None


def _welcomed_to(ctx: Discourse, person: Token) -> str | None:
    """The country (or capital's country) a guest is welcomed or invited to: "welcomed X to Canberra"."""
    node = person
    while node.dep_ in ("appos", "conj") and node.head is not node:
        node = node.head
    verb = node.head
    if node.dep_ != "dobj" or verb.lemma_ not in ("welcome", "invite", "receive"):
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "to":
            for place in prep.children:
                code = country_at(ctx, place.idx, kinds=("name", "alias", "capital"))
                if code:
                    return code
    return None


# a visit to a country in the sentence, and an official met "with" during it: the host's
VISIT_TO = re.compile(r"\b(?:visit|trip|tour)\b[^.;]{0,60}?\bto\s+(?:the\s+)?(?=[A-Z])")
MET_WITH_BEFORE = re.compile(r"\b(?:with|met|meets|received\s+by|called\s+on)\s+(?:the\s+)?$")


def visit_host_country(ctx: Discourse, start: int) -> str | None:
    """The country visited in the sentence of an official's mention who is met there ("the visit of the
    President of X to Chile began with a meeting with President Y": Y is Chile's)."""
    if not MET_WITH_BEFORE.search(ctx.text[max(0, start - 30): start]):
        return None
    sent = ctx.sentence_at(start)
    for visit in VISIT_TO.finditer(ctx.text, sent.start_char, start):
        code = country_at(ctx, visit.end(), kinds=("name", "alias", "capital"))
        if code:
            return code
    return None


AND_COUNTRY = re.compile(r"^,?\s+and\s+(?:the\s+)?(\S.*?)\s*$")


DELEGATION = re.compile(r"^(?:'s|’s)?\s+(?:delegation|side|team|contingent)\b", re.I)


# what puts the person named after a delegation in it: "led by", "included", "comprised of", a colon;
# without it the delegation only acts on them ("the Chilean delegation thanked Minister X")
DELEGATION_MEMBERS = re.compile(
    r"\b(?:led|headed|chaired|represented|accompanied)\s+by\b|\binclud(?:ed|es|ing)\b|\bcompris(?:ed|es|ing)\b"
    r"|\b(?:consist(?:ed|s|ing)?|composed|made\s+up)\s+of\b|\bmembers?\b|:", re.I)


OUR_AFTER = re.compile(r"^,?\s*(?:our|my)\b", re.I)


OUR_BEFORE = re.compile(r"\b(?:our|my)\s+$", re.I)


def delegation_country(ctx: Discourse, pm: PersonMention) -> str | None:
    """The country of the delegation or side the sentence puts an official in before naming them
    ("The Indian delegation was led by X and included Foreign Secretary Y"); a delegation that only acts
    on the official ("the Indian delegation thanked Y") says nothing of theirs."""
    sent = ctx.sentence_at(pm.start)
    found = None
    for c in ctx.m.countries:
        if not (sent.start_char <= c.start < pm.start and c.kind in ("name", "demonym", "alias")):
            continue
        side = DELEGATION.match(ctx.text[c.end: c.end + 24])
        if side and DELEGATION_MEMBERS.search(ctx.text[c.end + side.end(): pm.start]):
            found = c.code
    return found


def speaker_country(ctx: Discourse, pm: PersonMention) -> str | None:
    """ "General X, our chief of defence staff" in a speaker's turn: the speaker's country."""
    if not (OUR_AFTER.match(ctx.text[pm.end: pm.end + 8]) or OUR_BEFORE.search(ctx.text[max(0, pm.start - 6): pm.start])):
        return None
    speaker = ctx.speaker_at(pm.start)
    return ctx.facts.officials[speaker].country if speaker else None
