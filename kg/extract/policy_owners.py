"""Whose policy a sentence states: the country of a span, of the subject or agent of the verb that
governs a policy word, of the one credited or criticised. Read by the rules of `kg.extract.policies`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Discourse, Sentence
from kg.extract.vocab import (
    FIRST_PERSON,
    SUPPORT_KINDS,
    UNION_CODE,
    UNION_NAMES,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


def country_of_span(ctx: Discourse, start: int, end: int) -> str | None:
    """The first country named between `start` and `end`, else the European Union if named there
    (it makes policies as one: "the EU extends restrictive measures")."""
    for c in ctx.m.countries:
        if start <= c.start < end and c.kind in ("name", "demonym", "capital", "alias"):
            return c.code
    return UNION_CODE if UNION_NAMES.search(ctx.text, start, end) else None


def subject_of(tok: Token) -> Token | None:
    """The subject of the verb a policy is the object of, through the verbs it depends on ("Ghana has
    decided to impose countermeasures", "Norway will keep up and widen its support")."""
    verb = governing_verb(tok)
    for _ in range(4):
        if verb is None:
            return None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
        if subj is not None:
            return subj
        if any(c.i == tok.i and c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return None  # "X said that aid must be provided": the phrase is what its clause is about
        if verb.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "acomp") or verb.head is verb:
            return None
        verb = verb.head
    return None


def subject_country(ctx: Discourse, tok: Token) -> str | None:
    """The country that is the subject of the verb a policy is the object of ("Australia will expand X")."""
    subj = subject_of(tok)
    if subj is None:
        return None
    return country_of_span(ctx, subj.left_edge.idx, subj.idx + len(subj.text))


# Verbs that speak of another's deeds to criticise them ("condemned the deployment of missiles")
CRITICISM_VERBS = {"condemn", "criticise", "criticize", "denounce", "protest", "oppose", "deplore", "decry", "reject"}


# Verbs that credit someone else with what follows "for" ("thanked Y for its support")
CREDIT_VERBS = {"thank", "praise", "commend", "applaud", "appreciate", "congratulate", "laud", "acknowledge", "welcome"}


def thanked_for(tok: Token) -> bool:
    """Whether a phrase is what a verb of thanks or praise credits someone with ("thanked Y for X, alongside
    Z", "praised the aid"): never the subject's own."""
    node = tok
    for _ in range(6):
        head = node.head
        if head is node:
            return False
        if head.pos_ == "VERB":
            return head.lemma_.lower() in CREDIT_VERBS
        node = head
    return False


def agent_country(ctx: Discourse, subj: Token) -> str | None:
    """The country a subject acts for: a country or the EU it names, an official, "I"/"we" the speaker,
    or "the Council" of an article about the EU."""
    start, end = subj.left_edge.idx, subj.idx + len(subj.text)
    country = country_of_span(ctx, start, end)
    if country:
        return country
    who = [k for _, k in ctx.people_in(start, end)]
    if who:
        return ctx.facts.officials[who[0]].country
    if subj.lower_ in FIRST_PERSON:
        sp = ctx.speaker_at(subj.idx)
        return ctx.facts.officials[sp].country if sp else None
    if subj.lower_ == "council" and not any(c.dep_ in ("compound", "amod") for c in subj.children) \
            and UNION_NAMES.search(ctx.text):
        return UNION_CODE  # "the Council" of an article about the EU is the EU's
    return None


# A sentence continuing the one before without a verb of its own ("In particular, for ...")
ELLIPTIC_FOR = re.compile(r"\s*(?:In particular|Particularly|Notably|Especially|Above all),?\s+for\b")


def credited_before(ctx: Discourse, sent: Sentence) -> str | None:
    """The country the sentence before `sent` thanks or praises ("thanked the people of Norway for")."""
    k = ctx.sentence_starts.index(sent.start) if sent.start in ctx.sentence_starts else 0
    if k == 0:
        return None
    for tok in ctx.sentences[k - 1]:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in CREDIT_VERBS:
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return country_of_span(ctx, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text))
    return None


def policy_owner(ctx: Discourse, sent: Sentence, tok: Token) -> str | None:
    """Whose a policy phrase is when its own words do not say: the country of the noun it is a conjunct
    of ("Chile's support ... and the strategy of X"), of the subject of its verb (a country, the EU, an
    official, "I"/"we" the speaker), or of the speaker of "our"."""
    if tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "poss" for c in tok.lefts):
        # (only a possessor: "the Panama Canal and their opposition" is no Panamanian opposition)
        owner = next((c for c in tok.head.lefts if c.dep_ == "poss"), None)
        country = country_of_span(ctx, owner.left_edge.idx, owner.idx + len(owner.text)) if owner is not None else None
        if country:
            return country
    verb = governing_verb(tok)
    if verb is not None and verb.lemma_.lower() in CRITICISM_VERBS:
        return None  # "Ghana opposes one-sided sanctions": what a subject opposes is another's
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        # "welcomed Peru's announcement of new sanctions": the announcer's
        noun = tok.head.head
        owner = next((c for c in noun.lefts if c.dep_ in ("poss", "compound", "amod")
                      and country_of_span(ctx, c.left_edge.idx, c.idx + len(c.text))), None)
        if owner is not None:
            return country_of_span(ctx, owner.left_edge.idx, owner.idx + len(owner.text))
    subj = subject_of(tok)
    if subj is not None and thanked_for(tok):
        # "X thanked Y for its support": the support is Y's
        verb = subj.head
        subj = next((c for c in verb.children if c.dep_ == "dobj" and not any(t.i == tok.i for t in c.subtree)), None)
        if subj is None:
            return None
    if subj is not None:
        country = agent_country(ctx, subj)
        said = subj.head
        if country is None and said.dep_ == "ccomp" and said.head is not said:
            # "X warned that any attack would bring costs, including sanctions": X's threat
            teller_verb = said.head
            while teller_verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in teller_verb.children):
                teller_verb = teller_verb.head  # "X reaffirmed ... and emphasized that ..."
            teller = next((c for c in teller_verb.children if c.dep_ == "nsubj"), None)
            country = agent_country(ctx, teller) if teller is not None else None
        if country:
            return country
    elif ELLIPTIC_FOR.match(sent.text):
        # "X thanked Y for its help. In particular, for three rounds of aid ...": Y's
        return credited_before(ctx, sent)
    if any(x.lower_ in ("our", "we") for x in tok.subtree) or any(x.lower_ == "our" for x in tok.lefts):
        sp = ctx.speaker_at(tok.idx)
        return ctx.facts.officials[sp].country if sp else None
    return None


def owner_left_or_subject(ctx: Discourse, sent: Sentence, tok: Token, s: int) -> str | None:
    """The country among a phrase's words before its head, else `policy_owner`; none when the phrase says it
    is another's ("the regime's support for X")."""
    doc = ctx.doc
    country = country_of_span(ctx, doc[s].idx, tok.idx)
    if country is None and any(c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") for c in tok.lefts):
        return None
    if country is None:
        # (the parse may leave the possessor out of the phrase: "the regime's support for X", "Norway's
        # steady military, economic and political support")
        k = s - 1
        while k > sent.start and (doc[k].text in (",", "and", "or") or doc[k].pos_ == "ADJ" or doc[k].lower_ in SUPPORT_KINDS):
            k -= 1
        if k - 1 >= sent.start and doc[k].lower_ in ("'s", "’s"):
            return country_of_span(ctx, doc[k - 1].idx, doc[k].idx)
    return country or policy_owner(ctx, sent, tok)


POLICY_GOVERNORS = {"dobj", "pobj", "prep", "conj", "appos", "attr", "nsubjpass", "acomp"}


def governing_verb(tok: Token) -> Token | None:
    """The verb a policy phrase is the object of, through prepositions and conjuncts (and through a
    participle used as a preposition: "consequences, including sanctions")."""
    v = tok
    for _ in range(6):
        if v.dep_ not in POLICY_GOVERNORS or v.head is v:
            break
        v = v.head
        if v.pos_ in ("VERB", "AUX") and v.dep_ != "prep":
            return v
    return None
