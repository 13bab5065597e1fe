"""What the dialogue rules read of the words around an event: the places that are its venue (not a
topic or a body named there), its name and ordinal, whether it is the setting of another event, and
whether a word names a guest or a person. Read by `kg.extract.dialogues`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from kg.extract.context import Discourse, Sentence
from kg.mentions import PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Token


def places_in(ctx: Discourse, start: int, end: int) -> list[PlaceMention]:
    out = []
    text = ctx.text
    for p in ctx.m.places:
        if start <= p.start < end:
            before = text[max(start, p.start - 16): p.start].lower()
            after = text[p.end: p.end + 2]
            if HOSTED_BY_BEFORE.search(before):
                out.append(p)  # "the talks hosted by Cairo": where they are, whatever else the sentence says
                continue
            if p.kind == "country" and (not DESTINATION_BEFORE.search(before) or after[:1] in ("–", "-", "—")):
                continue
            if p.kind == "venue" and not re.search(r"\b(in|at|to|inside)\s+(the\s+)?(u[.\s]*s[.\s]*)?$", before):
                continue
            if TOPIC_BEFORE.search(text[max(start, p.start - 40): p.start]) or discussed_at(ctx, p.start):
                continue  # "discussed the situation in Afghanistan": a topic, not where they met
            if BODY_BEFORE.search(text[max(start, p.start - 40): p.start]):
                continue  # "the UN Interim Force in Lebanon": part of a body's name
            if among_attendees(ctx, p.start):
                continue  # "attended by Australia, Fiji and Samoa": who came, not where
            out.append(p)
    return out


# Words before a country that make it where an event is: "in Japan", "visited Japan", "a visit to Japan".
DESTINATION_BEFORE = re.compile(r"\b(?:in|visit|visited|visiting|visits|(?:visit|visits|trip|travel|travels|travelled|"
                                r"traveled|journey) to|tour of)\s+(?:the\s+)?$", re.I)


HOSTED_BY_BEFORE = re.compile(r"\b(?:hosted|convened|held)\s+(?:by|in)\s+(?:the\s+)?$", re.I)


TOPIC_BEFORE = re.compile(r"\b(?:situation|developments?|crisis|conflict|war|tensions?|peace|stability|security|"
                           r"issues?|reconstruction|elections?)\s+(?:in|on|of)\s+(?:the\s+)?$", re.I)


BODY_BEFORE = re.compile(r"\b(?:Force|Mission|Office|Organi[sz]ation|Commission|Programme|Program|Agency|Institute|"
                          r"University|Fund|Centre|Center|Operation)\s+(?:in|for|of|on)\s+(?:the\s+)?$")


TOPIC_VERBS = {"discuss", "address", "review", "exchange", "cover", "raise", "brief"}


TOPIC_PATH = {"dobj", "pobj", "prep", "conj", "appos", "compound", "amod", "nmod", "poss"}


def among_attendees(ctx: Discourse, char: int) -> bool:
    """Whether the word at `char` is in the "by" phrase of a passive verb ("chaired by X and attended by Y")."""
    tok = ctx.doc[bisect_right(ctx.token_starts, char) - 1]
    for _ in range(6):
        if tok.dep_ == "agent":
            return True
        if tok.head is tok or tok.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head
    return False


def discussed_at(ctx: Discourse, char: int) -> bool:
    """Whether the word at `char` lies in the object of a verb of discussing ("we discussed ... Afghanistan")."""
    tok = ctx.doc[bisect_right(ctx.token_starts, char) - 1]
    for _ in range(8):
        if tok.dep_ not in TOPIC_PATH or tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ == "VERB" and tok.dep_ != "prep":  # "including", "regarding": a preposition on the way up
            return tok.lemma_.lower() in TOPIC_VERBS
    return False


# Words that describe any event, not one: a name made of these only is no proper name ("Bilateral Meeting").
GENERIC_EVENT_WORDS = {"bilateral", "trilateral", "multilateral", "joint", "official", "working", "formal",
                        "informal", "virtual", "telephone", "phone", "video", "next", "first", "annual", "high-level",
                        "leaders", "ministers", "ministerial", "special", "regular", "extraordinary", "political",
                        "economic", "trade", "and"}


def named_event(sent: Sentence, tok: Token) -> str | None:
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
        # "of" and "and" between capitalised words: "Forum of Heads of State and Government Summit"
        if prev.lower_ in ("of", "and") and j - 2 >= sent.start and doc[j - 2].text[:1].isupper() \
                and doc[j - 2].pos_ in ("PROPN", "NOUN") and j < i:
            j -= 1
            continue
        # an acronym in brackets inside the name: "Joint Expeditionary Force (JEF) Leaders' Summit"
        if prev.text == ")" and j - 3 >= sent.start and doc[j - 3].text == "(" and doc[j - 2].text.isupper() \
                and 2 <= len(doc[j - 2].text) <= 8:
            j -= 3
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
    if all(w in GENERIC_EVENT_WORDS for w in words):
        # "the 47th Regular Meeting of the Conference of Heads of Government": named by the body it is of
        body_end = _body_after_of(sent, tok)
        return doc[j: body_end].text if body_end is not None and j < i else None
    return doc[j: i + 1].text


def _body_after_of(sent: Sentence, tok: Token) -> int | None:
    """The end (token index) of "of the Capitalised Body" after an event word, "of" and "and" inside it included
    ("of the Conference of Heads of State and Government"), if one follows; else None."""
    doc = tok.doc
    k = tok.i + 1
    if k >= sent.end or doc[k].lower_ != "of":
        return None
    k += 1
    if k < sent.end and doc[k].lower_ == "the":
        k += 1
    end = None
    while k < sent.end:
        w = doc[k]
        if w.text[:1].isupper() and w.pos_ in ("PROPN", "NOUN", "ADJ"):
            end = k + 1
        elif not (w.lower_ in ("of", "and", "the") and end is not None):
            break
        k += 1
    return end


ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "next", "inaugural"}


ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)")


def event_ordinal(tok: Token, named: str | None) -> str | None:
    """Which of a series an event is ("the fourth ... Dialogue", "the 58th ... Meeting"): the ordinal before
    its name or among its modifiers."""
    doc = tok.doc
    start = tok.i - len(named.split()) if named else tok.i
    for k in range(max(start - 2, 0), tok.i):
        low = doc[k].lower_
        if low in ORDINAL_WORDS or ORDINAL_NUMBER.fullmatch(low):
            return "1" if low == "inaugural" else low
    return None


def welcomes_someone(tok: Token) -> bool:
    """ "welcomed X to Rome", "welcomed the Commander ...": a guest received, not a decision welcomed."""
    if any(c.dep_ == "prep" and c.lower_ == "to" and any(o.ent_type_ == "GPE" for o in c.subtree) for c in tok.children):
        return True
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    return any(o.ent_type_ == "PERSON" or o.lemma_.lower() in GUEST_HEADS for o in objects)


def is_someone(tok: Token) -> bool:
    """A person, a country or an office one can call or speak with ("her counterpart", "him", "Japan")."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "GPE", "NORP") or tok.lower_ in ("him", "her", "them", "each", "me", "us") \
        or tok.lemma_.lower() in GUEST_HEADS or tok.lemma_.lower() in ("counterpart", "leader", "official", "premier")


def conjoined(prep: Token) -> list[Token]:
    """The objects of a preposition with those joined to them ("with X, Y and Z")."""
    out = []
    for o in prep.children:
        if o.dep_ == "pobj":
            out.append(o)
            out.extend(c for c in o.conjuncts)
    return out


def is_person(tok: Token) -> bool:
    """A person or an office one meets ("her counterpart", "the Prime Minister", "him"), not a country."""
    if tok.ent_type_ in ("GPE", "NORP", "ORG", "DATE", "LOC") and tok.ent_type_ != "PERSON":
        return tok.lemma_.lower() in GUEST_HEADS
    return tok.ent_type_ == "PERSON" or tok.lower_ in ("him", "her", "them") or tok.pos_ == "PROPN" \
        or tok.lemma_.lower() in GUEST_HEADS or tok.lemma_.lower() in ("counterpart", "leader", "official", "premier")


# Heads of a welcomed object that is a person ("welcomed the Commander of ...").
GUEST_HEADS = {"commander", "chief", "minister", "secretary", "president", "ambassador", "delegation", "general",
                "admiral", "counterpart", "envoy", "prime", "king", "queen", "chancellor"}


def noun_label(tok: Token) -> str:
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


# "It is a pleasure to welcome X": words that make an infinitive something done as it is said.
SETTING_NOUNS = {"margins", "margin", "sidelines", "sideline", "fringes", "fringe"}


def is_setting(tok: Token, named: str | None) -> bool:
    """An event named as the occasion of another ("on the margins of the 58th ... Meeting"): the sentence's
    people met beside it (an event of its own; `dialogue_merge` lets them attend it too)."""
    doc = tok.doc
    k = tok.i - 1
    if named:  # the token before the name
        while k >= 0 and doc[k].idx >= tok.idx + len(tok.text) - len(named):
            k -= 1
    while k >= 0 and (doc[k].pos_ in ("DET", "ADJ", "NUM") or doc[k].ent_type_ == "ORDINAL"
                      or (doc[k].dep_ == "compound" and doc[k].head.i == tok.i)):  # "the AU summit"
        k -= 1
    if k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in SETTING_NOUNS:
        return True
    # "in connection with [Mr X hosting] the Y Summit", "in conjunction with the Z Meeting"
    node = tok
    for _ in range(5):
        if node.dep_ not in ("pobj", "dobj", "pcomp", "prep") or node.head is node:
            return False
        node = node.head
        if node.lower_ in OCCASION_NOUNS:
            return True
    return False


# "in connection with", "in conjunction with", "on the occasion of": the event is the occasion of another.
OCCASION_NOUNS = {"connection", "conjunction", "occasion"}
