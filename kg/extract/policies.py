"""Policies: a country's policies, strategies, bans, programmes, acts, sanctions, pledges and operations,
one sentence at a time. A word is read by the first rule of `RULES` that fits it; a policy whose
phrase names no country takes the sentence's first official's, or (for strategies and acts) the
sentence's country."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.dates import DateMention
from kg.extract.clauses import event_clause
from kg.extract.context import Discourse, Sentence, pick_date
from kg.extract.policy_owners import (
    CREDIT_VERBS,
    CRITICISM_VERBS,
    agent_country,
    country_of_span,
    governing_verb,
    owner_left_or_subject,
    policy_owner,
    subject_country,
    subject_of,
)
from kg.extract.rules import RuleFamily, rule
from kg.extract.vocab import (
    ACQUISITION_VERBS,
    AGREEMENT_WORDS,
    BLAND,
    COUNTERMEASURES,
    DEPLOYMENT_HEADS,
    GENERIC_POLICY_WORDS,
    POLICY_HEADS,
    POLICY_VERBS,
    POSITION_HEADS,
    SUPPORT_HEADS,
    SUPPORT_KINDS,
    UNION_CODE,
    UNION_NAMES,
)
from kg.facts import Policy
from kg.mentions import find_countries

if TYPE_CHECKING:
    from spacy.tokens import Token

def _np_text(tok: Token) -> tuple[int, int]:
    """Token range of a policy noun phrase: left modifiers and a short 'to/of/on' complement."""
    lefts = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod", "npadvmod", "poss", "nummod") and c.pos_ != "DET"]
    start = tok.i
    for c in lefts:
        start = min(start, c.left_edge.i)
    end = tok.i + 1
    for c in tok.rights:
        infinitive = c.dep_ in ("acl", "relcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        if (c.dep_ == "prep" and c.text.lower() in ("to", "of", "on", "against", "for")) or infinitive:
            # "the 2050 Strategy for the Blue Pacific Continent", "its programme to replace the patrol vessels"
            end = c.right_edge.i + 1
            # keep complements short: stop at a comma or a relative clause
            for k in range(c.i, end):
                # (an "and" between adjectives stays: "a free and open region")
                if tok.doc[k].text in (",", ";") or tok.doc[k].dep_ == "relcl" \
                        or tok.doc[k].dep_ == "cc" and tok.doc[k].head.pos_ != "ADJ":
                    end = k
                    break
            break
    return start, end


# Policy heads read only when capitalised, as part of a name ("the Arms Control Act", "the Integrated
# Review", "Operation Horizon"); lower-case they are common words
_NAMED_POLICY_HEADS = {"act", "review", "operation", "law"}
# Reviews that are ceremonies of ships or troops, not reviews of policy
_CEREMONIAL_REVIEW = re.compile(r"\b(?:Fleet|Naval|Navy|Military|Air|Troop|Armed Forces)\s+Review\b")
# Plural heads of a country's measures ("new sanctions on X", "restrictive measures", "countermeasures")
_MEASURE_HEADS = {"sanctions", "measures"} | COUNTERMEASURES
# "X has promised to reach 2 percent": a pledge of X's country
_PLEDGE_VERBS = {"promise", "pledge", "vow"}
# What a country does abroad, read only as its own ("Chile's mine-clearing activities")
# ("activities" and "operations" are as often another's aggression: "Peru's destabilising activities")
_ACTIVITY_HEADS = {"mission", "missions"}
# ... and these only when another government credits the country with them ("thanked Japan for its
# replenishment activities", "expressed gratitude for Chile's demining operations")
_CREDITED_ACTIVITY_HEADS = {"activities", "operations"}
# nouns by which a speaker credits another with what follows "for"
_CREDIT_NOUNS = {"gratitude", "appreciation", "thanks", "praise", "recognition"}


@dataclass
class PolicyFound:
    """What a policy rule reads: the policy's name, its country if the phrase says it, and the action."""

    label: str
    country: str | None = None
    action: str = "holds"
    # a commitment, measure or position of no known country is no fact (not the sentence's first official's:
    # "sanctions on Minister X" are not X's)
    needs_owner: bool = False
    # further owners of one policy several countries hold ("the mediation efforts of the two countries")
    also: tuple[str, ...] = ()


def _is_named_operation(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    doc = ctx.doc
    return tok.text[0].isupper() and tok.i + 1 < sent.end and doc[tok.i + 1].pos_ == "PROPN" \
        and doc[tok.i + 1].text[0].isupper()


def _named_operation(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """A named military operation ("Operation Southern Shield"): its country's initiative."""
    doc = ctx.doc
    end = tok.i + 1
    while end < sent.end and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
        end += 1
    country = subject_country(ctx, doc[end - 1]) or country_of_span(ctx, sent.start_char, tok.idx)
    return PolicyFound(doc[tok.i: end].text, country)


def _is_verb(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "VERB"


def _pledge(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "X has promised to reach 2 percent": a pledge of X's country (or of the country of X, an official)."""
    doc = ctx.doc
    goal = next((c for c in tok.children if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
    if goal is None:
        return None
    end = goal.right_edge.i + 1
    for k in range(goal.i, end):
        if doc[k].text in (",", ";") or doc[k].dep_ in ("relcl", "cc"):
            end = k
            break
    if any(doc[k].lower_ in AGREEMENT_WORDS for k in range(goal.i, end)):
        return None  # a pledge to ratify or sign an agreement is the agreement's story
    found = PolicyFound("pledge to " + doc[goal.i: end].text, action="announced")
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if subj:
        span = (subj[0].left_edge.idx, subj[0].idx + len(subj[0].text))
        found.country = country_of_span(ctx, *span)
        who = [k for _, k in ctx.people_in(*span) if k in ctx.facts.officials]
        if found.country is None and who:  # "Sánchez has promised ...": the official's country
            found.country = ctx.facts.officials[who[0]].country
    return found


def _is_countrys_plan(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "NOUN" and tok.dep_ != "compound" and any(
        c.dep_ == "poss" and _names_country(ctx, c.text) for c in tok.children)


def _countrys_plan(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Morocco's autonomy plan for Western Sahara": a country's own plan."""
    s, e = _np_text(tok)
    return PolicyFound(ctx.doc[s:e].text, country_of_span(ctx, ctx.doc[s].idx, tok.idx))


def _is_policy_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    """ "policy", "strategy"; "Act", "Review" capitalised; "sanctions", "restrictive measures"."""
    low = tok.lower_
    return (low in POLICY_HEADS or (low in _NAMED_POLICY_HEADS and tok.text[0].isupper() and low != "operation")
            or (low in _MEASURE_HEADS and (low != "measures" or any(c.lower_ == "restrictive" for c in tok.lefts)))) \
        and tok.pos_ in ("NOUN", "PROPN") and (tok.tag_ not in ("NNS", "NNPS") or low in _MEASURE_HEADS) \
        and tok.dep_ != "compound"


def _policy_noun(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """A policy noun with what makes it specific ("the Act East Policy", "its programme to replace X")."""
    doc, low = ctx.doc, tok.lower_
    s, e = _np_text(tok)
    span = doc[s:e]
    content = [x for x in span if x.i != tok.i and x.is_alpha and x.lower_ not in BLAND and x.pos_ not in ("DET", "CCONJ")]
    if low in _NAMED_POLICY_HEADS:  # "the New Zealand Nuclear Free Zone, Disarmament, and Arms Control Act"
        k = s - 1
        while k >= sent.start:
            while k > sent.start and doc[k].text in (",", "and", "of", "-"):
                k -= 1
            if not (doc[k].pos_ in ("PROPN", "ADJ", "NOUN") and doc[k].text[:1].isupper()):
                break
            s, k = k, k - 1
        span = doc[s:e]
        if low == "review" and _CEREMONIAL_REVIEW.search(span.text):
            return None  # "the International Fleet Review": a ceremony, not a policy review
    if (e - s < 2 or not content) and low not in COUNTERMEASURES:
        return None
    if content and all(_names_country(ctx, x.text) for x in content):
        return None  # "Korea's policy": whose, not which
    if tok.text[:1].isupper() and any(doc[k].lower_ in ("of", "for") and doc[k - 1].text[:1].isupper()
                                      and doc[k - 1].pos_ in ("NOUN", "PROPN") for k in range(max(s - 1, sent.start + 1), tok.i)):
        return None  # part of an office's or a body's name: "Director of Defence Policy"
    if content and all(x.lower_ in GENERIC_POLICY_WORDS for x in content if x.i < tok.i) and not any(x.i > tok.i for x in content):
        return None  # "international foreign policy": a field, not a policy
    if low == "position" and re.match(r"\s*(?:in|on)\s+the\s+(?:\w+\s+)?(?:arena|stage|scene|world)\b", ctx.text[tok.idx + len(tok.text):]):
        return None  # a standing ("Ghana's position on the world stage"), not a stance
    # a country after the head is what the policy is about, not its owner ("sanctions on Russia",
    # "a Review of our relations with X", "the Initiative for the denuclearisation of X")
    country = country_of_span(ctx, span.start_char, tok.idx)
    if country is not None and _in_hyphenated_word(ctx, span.start_char, tok.idx):
        country = None  # "its one-China policy": what the policy is about, not whose
    if low in ("programme", "program") and tok.text[:1].isupper():
        # a named programme of no country in its name is an organisation's ("the X Development Programme")
        return PolicyFound(span.text, country) if country else None
    if country is None and not any(c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") for c in tok.lefts):
        # (not when another owner is named: "the UN's development programme", "the bloc's policy")
        country = policy_owner(ctx, sent, tok)  # "India reaffirmed its Act East Policy"
    return PolicyFound(span.text, country, needs_owner=low in _MEASURE_HEADS)


def _in_hyphenated_word(ctx: Discourse, start: int, end: int) -> bool:
    """Whether the first country named between `start` and `end` ends a hyphenated word ("one-China",
    "anti-Russia"; not "U.S.-led")."""
    for c in ctx.m.countries:
        if start <= c.start < end:
            return ctx.text[c.start - 1: c.start] == "-"
    return False


def _is_policy_change(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return any(c.lower_ == "policy" and c.dep_ == "compound" for c in tok.lefts)


def _policy_change(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "a policy change"."""
    return PolicyFound("policy change", action="announced")


def _ban_or_acquisition(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "X banned Y" (a ban on Y), "X will acquire Y" (the acquisition of Y): the subject's country."""
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if not objs:
        return None
    obj = objs[0]
    s = min([c.left_edge.i for c in obj.lefts if c.dep_ != "det"] + [obj.i])
    obj_text = ctx.doc[s: obj.i + 1].text
    lemma = tok.lemma_.lower()
    if lemma == "ban":
        label = f"ban on {obj_text}"
    elif lemma in ACQUISITION_VERBS:
        label = f"{ACQUISITION_VERBS[lemma]} of {obj_text}"
    else:
        return None
    found = PolicyFound(label, action=POLICY_VERBS[lemma])
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        found.country = country_of_span(ctx, subj[0].left_edge.idx, subj[0].idx + len(subj[0].text))
    if found.country is None:
        before = [c for c in ctx.m.countries if sent.start_char <= c.start < tok.idx and c.kind != "body"]
        found.country = before[-1].code if before else None
    return found


def _has_of(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return any(c.text.lower() == "of" for c in tok.rights)


def _vision_of(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "the vision of a Free and Open Indo-Pacific"."""
    prep = next(c for c in tok.rights if c.text.lower() == "of")
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs or objs[0].pos_ != "PROPN":
        return None
    label = ctx.doc[prep.i + 1: objs[0].i + 1].text
    return PolicyFound(re.sub(r"^(a|an|the)\s+", "", label))


# "a contribution to the talks": to a conversation, not to a force, a mission or a fund
_TO_A_DIALOGUE = re.compile(r"\s+to\s+(?:the\s+|these\s+|this\s+)?(?:\w+\s+)?(?:negotiations?|talks|discussions?|dialogue|"
                            r"meetings?|debate|process|success|conference)\b")


# --- commitments, measures, positions, bids ------------------------------------------------------


# Adjectives of the order a government says it seeks ("a free and open Indo-Pacific", "a stable and
# prosperous region"): two or more of them make a stated position
VALUE_ADJECTIVES = {"free", "open", "inclusive", "peaceful", "stable", "prosperous", "secure", "resilient", "rules-based",
                    "democratic", "sovereign", "independent", "united", "whole", "connected", "transparent"}


def _values_of(tok: Token) -> list[Token]:
    adjectives = [c for c in tok.lefts if c.dep_ == "amod"]
    return [a for first in adjectives for a in first.subtree if a.lower_ in VALUE_ADJECTIVES]


def _is_value_vision(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound" and len(_values_of(tok)) >= 2


def _value_vision(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Chile seeks a free and open Indo-Pacific": a position on the order of a region (of a country)."""
    doc = ctx.doc
    s = min(a.i for a in _values_of(tok))
    label = doc[s: tok.i + 1].text
    if tok.lower_ in ("region", "order") and tok.i - 1 > s and doc[tok.i - 1].pos_ == "PROPN":
        label = doc[s: tok.i].text  # "a free and open Indo-Pacific region"
    return PolicyFound(label, owner_left_or_subject(ctx, sent, tok, s), needs_owner=True)


def _is_commitment(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "NOUN" and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.rights) \
        and any(c.dep_ == "poss" for c in tok.lefts)


def _commitment(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Ghana's commitment to strengthening regional trade": a country's own commitment (not one to
    an agreement, which is the agreement's story)."""
    doc = ctx.doc
    s, e = _np_text(tok)
    if any(doc[k].lower_ in AGREEMENT_WORDS for k in range(s, e)):
        return None
    owner = owner_left_or_subject(ctx, sent, tok, s)
    return PolicyFound(doc[s:e].text, owner, needs_owner=True, also=_joint_owners(ctx, tok, owner))


def _joint_owners(ctx: Discourse, tok: Token, owner: str | None) -> tuple[str, ...]:
    """The other countries of "their commitment" when the subject is officials of several ("The Prime Minister
    and President discussed their commitment to X")."""
    if owner is None or not any(c.dep_ == "poss" and c.lower_ == "their" for c in tok.lefts):
        return ()
    subj = subject_of(tok)
    if subj is None:
        return ()
    end = subj.right_edge.idx + len(subj.right_edge.text)
    officials = ctx.facts.officials
    codes = [officials[k].country for _, k in ctx.people_in(subj.left_edge.idx, end)]
    return tuple(dict.fromkeys(c for c in codes if c and c != owner))


def _is_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound"


def _support(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """A country's commitment: "Chile's firm support for the sovereignty of X", "Norway will widen
    its military and humanitarian support", "defence aid" (not "the valuable support" of no kind)."""
    doc = ctx.doc
    s, e = _np_text(tok)
    kinds = any(doc[k].lower_ in SUPPORT_KINDS for k in range(s, tok.i))
    aimed = any(c.dep_ == "prep" and c.lower_ in ("for", "to") for c in tok.rights)
    if not kinds and not aimed:
        return None
    if any(doc[k].lower_ in AGREEMENT_WORDS for k in range(s, e)):
        return None  # support for an agreement is the agreement's story
    return PolicyFound(doc[s:e].text, owner_left_or_subject(ctx, sent, tok, s), needs_owner=True)


def _deployment(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """A country's forces sent or moved: "Dutch naval deployments", "Norway's contribution to the
    battlegroup", "the realignment of US forces", "Chile's mine-clearing activities in the X"."""
    doc = ctx.doc
    s, e = _np_text(tok)
    country = country_of_span(ctx, doc[s].idx, tok.idx)
    if country is None and tok.lower_ in DEPLOYMENT_HEADS:
        # "the realignment of US forces", "the deployment of Chilean frigates": whose forces
        end = tok.idx + len(tok.text)
        forces = re.match(r"\s+of\s+(?:the\s+)?(?:\w+\s+)?[\w.]+\s", ctx.text[end:])
        country = country_of_span(ctx, tok.idx, end + forces.end()) if forces else None
        verb = governing_verb(tok)
        if country is None and not (verb is not None and verb.lemma_.lower() in CRITICISM_VERBS):
            # "the ministry announced the deployment of two destroyers" (not "X condemned the deployment")
            country = policy_owner(ctx, sent, tok)
    if country is None:
        return None
    if tok.lower_.startswith("contribution") and re.match(_TO_A_DIALOGUE, ctx.text[tok.idx + len(tok.text):]):
        return None  # "his contribution to the negotiations": a person's part in talks, not a country's forces
    if tok.lower_ in _ACTIVITY_HEADS | _CREDITED_ACTIVITY_HEADS and not any(c.dep_ == "poss" for c in tok.lefts):
        return None  # "military activities" only as a country's own ("Chile's mine-clearing activities")
    if tok.lower_ in _CREDITED_ACTIVITY_HEADS and not _credited(tok):
        return None
    if e - s < 2:
        return None
    return PolicyFound(doc[s:e].text, country, needs_owner=True)


def _credited(tok: Token) -> bool:
    """Whether a phrase is what a speaker praises or thanks another for ("lauded the resumption of Japan's
    activities", "expressed gratitude for Japan's activities"), through the nouns and prepositions above it."""
    node = tok
    for _ in range(6):
        head = node.head
        if head is node:
            return False
        if head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in _CREDIT_NOUNS:
            return True
        if head.pos_ == "VERB":
            return head.lemma_.lower() in CREDIT_VERBS
        node = head
    return False


# efforts of a kind a government makes abroad ("Egypt's mediation efforts", "the peace efforts of X and Y")
_EFFORT_KINDS = {"mediation", "diplomatic", "peace", "peacekeeping", "peacebuilding", "humanitarian", "reconstruction",
                 "relief", "stabilisation", "stabilization", "demining", "mine-clearing", "de-escalation"}


def _is_efforts(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "NOUN" and tok.dep_ != "compound" and any(
        c.dep_ in ("compound", "amod") and c.lower_ in _EFFORT_KINDS for c in tok.lefts)


def _efforts(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Egypt's mediation efforts", "the mediation efforts exerted by the two countries": the efforts of the
    countries named as theirs, or of the two countries whose officials the article names."""
    doc = ctx.doc
    start = min([c.left_edge.i for c in tok.lefts if c.dep_ in ("compound", "amod", "poss")] + [tok.i])
    label = doc[start: tok.i + 1].text
    own = country_of_span(ctx, doc[start].idx, tok.idx)
    owners: list[str] = [own] if own else []
    if not owners:
        # the agent of "made / exerted / led by X", or "of X"
        agent = [o for c in tok.subtree if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "of" and c.head.i == tok.i
                 for o in c.children if o.dep_ == "pobj"]
        owners = []
        for o in agent:
            end = o.right_edge.idx + len(o.right_edge.text)
            named = [c.code for c in ctx.m.countries if o.left_edge.idx <= c.start < end
                     and c.kind in ("name", "demonym", "alias")]
            if named:
                owners = list(dict.fromkeys(named))
            elif o.lower_ == "countries" and any(c.lower_ in ("two", "both") for c in o.lefts):
                sides = {off.country for off in ctx.facts.officials.values() if off.country}
                owners = sorted(sides) if len(sides) == 2 else []
        subject_owner = policy_owner(ctx, sent, tok) if not owners else None
        owners = owners or ([subject_owner] if subject_owner else [])
    if not owners:
        return None
    return PolicyFound(re.sub(r"^(?:the|a|an)\s+", "", label), owners[0], needs_owner=True, also=tuple(owners[1:]))


_COUNTRY_PAIR_DASH = re.compile(r"^\s*[-–—/]\s*$")


def _joint_project(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "the Thailand-China high-speed railway project": a project two countries named as a pair hold together."""
    doc = ctx.doc
    s, e = _np_text(tok)
    named = [c for c in ctx.m.countries if doc[s].idx <= c.start < tok.idx and c.kind in ("name", "alias")]
    pair = next(((a, b) for a, b in zip(named, named[1:])
                 if a.code != b.code and _COUNTRY_PAIR_DASH.match(ctx.text[a.end: b.start])), None)
    if pair is None:
        return None
    label = re.sub(r"^(?:the|a|an)\s+", "", doc[s:e].text)
    return PolicyFound(label, pair[0].code, action="announced", needs_owner=True, also=(pair[1].code,))


# a government's programme for its own country ("the reconstruction of our state", "the modernisation of our
# armed forces"): read only with "our", since "the reconstruction of X" is as often another's help to X
_HOME_PROGRAMMES = {"reconstruction", "rebuilding", "recovery", "modernisation", "modernization"}


def _is_home_programme(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "NOUN" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            o.dep_ == "pobj" and any(x.dep_ == "poss" and x.lower_ == "our" for x in o.lefts) for o in c.children)
        for c in tok.rights)


def _home_programme(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "The President of X informed Y about planning the reconstruction of our state": the speaker's, else the
    country of the sentence's subject (an official or a country)."""
    doc = ctx.doc
    s, e = _np_text(tok)
    sp = ctx.speaker_at(tok.idx)
    owner = ctx.facts.officials[sp].country if sp else None
    if owner is None:
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
        if subj is not None:  # "The President of X": the country in the subject's own words first
            owner = country_of_span(ctx, subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text)) \
                or agent_country(ctx, subj)
    label = re.sub(r"\bour\b", "its", re.sub(r"^(?:the|a|an)\s+", "", doc[s:e].text))
    return PolicyFound(label, owner, needs_owner=True)


def _has_prep(tok: Token, word: str) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == word for c in tok.rights)


def _is_stance_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    """ "its solidarity with X", "its call for a ceasefire" (not a phone call: only with "for" and an owner)."""
    if tok.pos_ != "NOUN" or tok.dep_ == "compound":
        return False
    if tok.lower_ == "solidarity":  # (the parse may hang "with" on the verb: read the next word)
        return tok.i + 1 < sent.end and ctx.doc[tok.i + 1].lower_ == "with"
    return _has_prep(tok, "for") and not any(c.lower_ in ("phone", "telephone", "video") for c in tok.lefts)


def _stance_noun(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Japan expressed its solidarity with the people of X", "Chile reiterated its call for an immediate
    ceasefire": a position of the country whose it is."""
    doc = ctx.doc
    s, e = _np_text(tok)
    s = max(s, tok.i)  # "its" and adjectives say whose, not which
    if tok.lower_ == "solidarity":  # "solidarity with X" (a complement `_np_text` does not take)
        prep = doc[tok.i + 1]
        e = max((t.right_edge.i for t in prep.children), default=prep.i) + 1
        for k in range(prep.i, e):
            if doc[k].text in (",", ";") or doc[k].dep_ in ("relcl", "cc"):
                e = k
                break
    label = doc[s:e].text
    if e - s < 3:
        return None
    return PolicyFound(label, owner_left_or_subject(ctx, sent, tok, s), needs_owner=True)


def _is_committed_to(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.dep_ in ("acomp", "amod", "xcomp", "ROOT", "conj") and _has_prep(tok, "to") \
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.head.children if tok.dep_ == "acomp")


def _committed_to(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "The EU remains committed to supporting X's sovereignty": the subject's commitment."""
    doc = ctx.doc
    prep = next(c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "to")
    end = prep.right_edge.i + 1
    for k in range(prep.i, end):
        if doc[k].text in (",", ";") or doc[k].dep_ == "relcl":
            end = k
            break
    if any(doc[k].lower_ in AGREEMENT_WORDS for k in range(prep.i, end)) or end - prep.i < 2:
        return None  # committed to an agreement: the agreement's story
    if not any(doc[k].pos_ in ("NOUN", "PROPN") for k in range(prep.i, end)):
        return None  # "committed to working at this": to nothing named
    if any(doc[k].lower_ in POLICY_HEADS | SUPPORT_HEADS for k in range(prep.i, end)):
        return None  # "committed to its one-China policy": the policy itself is the fact
    subj = next(c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    owner = agent_country(ctx, subj)
    return PolicyFound("commitment " + doc[prep.i: end].text, owner, needs_owner=True)


def _is_membership_bid(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    low = tok.lower_
    if tok.pos_ != "NOUN" or tok.dep_ == "compound":
        return False
    if low in ("bid", "bids", "candidacy"):
        return True
    if low in ("membership", "accession"):
        return any(c.dep_ == "poss" for c in tok.lefts) and any(c.dep_ == "prep" and c.lower_ in ("in", "of", "to") for c in tok.rights)
    return any(c.lower_ in ("membership", "accession") for c in tok.lefts)  # "membership requests"


def _membership_bid(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Chile's bid to host the conference", "Norway and Peru submitted their membership requests",
    "X's future membership in the Union": a country's bid."""
    s, e = _np_text(tok)
    if tok.lower_ in ("bid", "bids") and not (any(c.dep_ == "poss" for c in tok.lefts) or e > tok.i + 1):
        return None  # a bid of nothing ("a bid")
    return PolicyFound(ctx.doc[s:e].text, owner_left_or_subject(ctx, sent, tok, s), action="announced", needs_owner=True)


def _is_recognition(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "VERB" and any(c.dep_ == "dobj" for c in tok.children)


def _recognition(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Peru intends to recognise the State of X": recognition of a state (not "recognise the aspirations")."""
    obj = next(c for c in tok.children if c.dep_ == "dobj")
    phrase = ctx.doc[obj.left_edge.i: obj.right_edge.i + 1]
    if not (obj.lower_ in ("state", "independence", "sovereignty", "government") or _names_country(ctx, obj.text)):
        return None
    label = "recognition of " + re.sub(r"^(?:the|a|an)\s+", "", phrase.text)
    return PolicyFound(label, policy_owner(ctx, sent, obj), action="announced", needs_owner=True)


def _opposition(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Ghana opposes unilateral changes to the status quo by force": a position."""
    obj = next(c for c in tok.children if c.dep_ == "dobj")
    end = obj.right_edge.i + 1
    for k in range(obj.i, end):
        if ctx.doc[k].text in (",", ";"):
            end = k
            break
        if ctx.doc[k].dep_ == "relcl":  # "sanctions that have no basis": the clause is no part of the name
            end = min(end, ctx.doc[k].left_edge.i)
    label = "opposition to " + re.sub(r"^(?:the|a|an|any)\s+", "", ctx.doc[obj.left_edge.i: end].text)
    verb, subj = tok, None
    for _ in range(3):  # "the ministers agreed to strongly oppose ...": the subject of the verb it depends on
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None or verb.dep_ not in ("xcomp", "conj") or verb.head is verb:
            break
        verb = verb.head
    return PolicyFound(label, agent_country(ctx, subj) if subj is not None else None, needs_owner=True)


def _is_position_word(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    if tok.pos_ != "NOUN" or tok.dep_ == "compound":
        return False
    if tok.lower_ == "solution":  # "a two-state solution": a solution a hyphenated word names
        return any(c.dep_ in ("compound", "amod", "nmod") and any(x.text == "-" for x in c.subtree) for c in tok.lefts)
    return any(c.lower_ == "core" for c in tok.lefts) and any(c.dep_ == "poss" for c in tok.lefts)


def _position(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "a two-state solution" (of the speaker's or subject's country), "Peru's core interests"."""
    doc = ctx.doc
    s = min([c.left_edge.i for c in tok.lefts if c.dep_ != "det"] + [tok.i])
    country = country_of_span(ctx, doc[s].idx, tok.idx) if tok.lower_ != "solution" else None
    if country is None:
        country = policy_owner(ctx, sent, tok)
        if country is None:
            sp = ctx.speaker_at(tok.idx)
            country = ctx.facts.officials[sp].country if sp else None
    return PolicyFound(doc[s: tok.i + 1].text, country, needs_owner=True)


def _is_arms_sales(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return tok.pos_ == "NOUN" and any(c.lower_ in ("arms", "weapons") for c in tok.lefts)


def _arms_sales(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "Russian arms sales to X", "the announcement of large arms sales" by a country."""
    doc = ctx.doc
    s, e = _np_text(tok)
    country = country_of_span(ctx, doc[s].idx, tok.idx)
    if country is None and tok.dep_ == "pobj" and tok.head.lower_ == "of":
        noun = tok.head.head  # "the Russian announcement of arms sales"
        country = country_of_span(ctx, noun.left_edge.idx, noun.idx)
    return PolicyFound(doc[s:e].text, country or policy_owner(ctx, sent, tok), needs_owner=True)


def _is_country_proposed(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    doc = ctx.doc
    return tok.i - 2 >= sent.start and doc[tok.i - 1].text in ("-", "–") and tok.head.pos_ == "NOUN" \
        and _names_country(ctx, doc[tok.i - 2].text)


def _country_proposed(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "the Chilean-proposed conference on fisheries": that country's initiative."""
    doc = ctx.doc
    noun = tok.head
    _, e = _np_text(noun)
    start = tok.i + 1 if noun.i > tok.i else noun.i
    return PolicyFound(doc[start:e].text, country_of_span(ctx, doc[tok.i - 2].idx, tok.idx), action="announced",
                       needs_owner=True)


# what a government designates when it imposes sanctions: people and bodies, not an area or a date
_DESIGNATED = {"persons", "individuals", "entities", "officials", "companies", "firms", "banks", "people", "vessels",
               "organisations", "organizations", "oligarchs", "members"}


def _sanction_verb(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "The Treasury sanctioned X", "OFAC designated three officials": sanctions of the subject's government (a
    country, the EU, or a body of one, such as a treasury department)."""
    doc = ctx.doc
    # (the parse may leave a name after a parenthesis unattached: "designated, pursuant to X, Ana Berg")
    obj = next((c for c in tok.children if c.dep_ == "dobj" or c.dep_ == "dep" and c.ent_type_ == "PERSON"), None)
    if obj is None:
        return None
    if tok.lemma_.lower() == "designate":
        people = {k for _, k in ctx.people_in(obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text))}
        if not (obj.ent_type_ == "PERSON" or people or obj.lower_ in _DESIGNATED):
            return None  # "designated the area a zone": no sanction
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    start, end = subj.left_edge.idx, subj.idx + len(subj.text)
    country = agent_country(ctx, subj) or next(
        (c.code for c in ctx.m.countries if start <= c.start < end and c.kind == "body"), None)
    end_tok = obj.right_edge.i + 1
    for k in range(obj.i, end_tok):  # the target's name, without an apposition or relative clause after it
        if doc[k].text in (",", ";", ":") or doc[k].dep_ == "relcl":
            end_tok = k
            break
    target = re.sub(r"^(?:the|a|an)\s+(?:following\s+)?", "", doc[obj.left_edge.i: end_tok].text)
    return PolicyFound(f"sanctions on {target}", country, action="announced", needs_owner=True)


# what a condemnation condemns, after the verb: up to the clause's end (the parse of a long subject listing
# countries is often wrong, so this reads the words)
_CONDEMNED = re.compile(r"\s+(?:(?:in\s+the\s+strongest\s+(?:possible\s+)?terms|strongly|firmly|unequivocally)\s+)?"
                        r"((?:the|a|an|any|all)\s+[^,;:.]{3,120}|[A-Z][^,;:.]{3,120})")


CONDEMNATION = "policies.condemnation"


def _is_active_condemnation(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    before = ctx.text[max(sent.start_char, tok.idx - 12): tok.idx].lower()
    return tok.lower_ in ("condemn", "condemns", "condemned") and not re.search(r"\b(?:was|were|been|be|is|are)\s+$", before)


def _condemnation(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """ "The Foreign Ministers of A, B and C condemn in the strongest terms the use of X": a position of the
    countries (or the official, or the speaker) that condemn, read from the words before the verb."""
    after = _CONDEMNED.match(ctx.text, tok.idx + len(tok.text), sent.end_char)
    if after is None:
        return None
    target = re.sub(r"^(?:the|a|an)\s+", "", after.group(1)).strip()
    target = re.split(r"\s+(?:and\s+(?:called|urged|demanded)|which|that|who)\b", target)[0]
    if len(target.split()) > 8:  # a name for the position, not the whole clause: its purpose goes
        target = re.split(r"\s+(?:in\s+order\s+)?to\s+(?=[a-z])", target)[0]
    target = " ".join(target.split()[:14])
    subject_part = (sent.start_char, tok.idx)
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None) if tok.pos_ == "VERB" else None
    if subj is not None:  # a sound parse: the subject's own words ("Responding to X's attack, Y condemned ...")
        subject_part = (subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
    owners = list(dict.fromkeys(c.code for c in ctx.m.countries if subject_part[0] <= c.start < subject_part[1]
                                and c.kind in ("name", "demonym", "alias")))
    if not owners and UNION_NAMES.search(ctx.text, *subject_part):
        owners = [UNION_CODE]
    who = [k for _, k in ctx.people_in(*subject_part) if k in ctx.facts.officials]
    if not owners and who and ctx.facts.officials[who[0]].country:
        owners = [str(ctx.facts.officials[who[0]].country)]
    if not owners and re.search(r"\b(?:we|I)\s+(?:\w+\s+)?$", ctx.text[max(sent.start_char, tok.idx - 20): tok.idx]):
        sp = ctx.speaker_at(tok.idx)
        spoken = ctx.facts.officials[sp].country if sp else None
        owners = [spoken] if spoken else []
    if not owners:
        return None
    return PolicyFound(f"condemnation of {target}", owners[0], needs_owner=True, also=tuple(owners[1:]))


RULES: RuleFamily[PolicyFound] = RuleFamily("policies", [
    rule("policies.named-operation", _named_operation, words={"operation"}, applies=_is_named_operation),
    rule("policies.pledge-verb", _pledge, lemmas=_PLEDGE_VERBS, applies=_is_verb),
    rule("policies.countrys-plan", _countrys_plan, words={"plan"}, applies=_is_countrys_plan),
    rule("policies.policy-noun", _policy_noun, words=POLICY_HEADS | _NAMED_POLICY_HEADS | _MEASURE_HEADS,
         applies=_is_policy_noun),
    rule("policies.policy-change", _policy_change, words={"change"}, applies=_is_policy_change),
    rule("policies.ban-or-acquire-verb", _ban_or_acquisition, lemmas=POLICY_VERBS, applies=_is_verb),
    rule("policies.sanction-verb", _sanction_verb, lemmas={"sanction", "designate"}, applies=_is_verb),
    rule("policies.vision-of", _vision_of, words={"vision"}, applies=_has_of),
    rule("policies.support-or-aid", _support, words=SUPPORT_HEADS, applies=_is_noun),
    rule("policies.commitment-to", _commitment, words={"commitment", "opposition"}, applies=_is_commitment),
    rule("policies.deployment", _deployment, words=DEPLOYMENT_HEADS | _ACTIVITY_HEADS | _CREDITED_ACTIVITY_HEADS,
         applies=_is_noun),
    rule("policies.efforts", _efforts, words={"efforts", "effort"}, applies=_is_efforts),
    rule("policies.joint-project", _joint_project, words={"project", "projects"}, applies=_is_noun),
    rule("policies.home-programme", _home_programme, words=_HOME_PROGRAMMES, applies=_is_home_programme),
    rule("policies.stance-noun", _stance_noun, words={"solidarity", "call", "calls"}, applies=_is_stance_noun),
    rule("policies.committed-to", _committed_to, words={"committed"}, applies=_is_committed_to),
    rule("policies.membership-or-bid", _membership_bid, words={"bid", "bids", "candidacy", "membership", "accession",
                                                                "request", "requests", "application", "applications"},
         applies=_is_membership_bid),
    rule("policies.recognition-verb", _recognition, lemmas={"recognise", "recognize"}, applies=_is_recognition),
    rule("policies.opposition-verb", _opposition, lemmas={"oppose"}, applies=_is_recognition),
    rule(CONDEMNATION, _condemnation, words={"condemn", "condemns", "condemned"},
         applies=_is_active_condemnation),
    rule("policies.position-words", _position, words=POSITION_HEADS, applies=_is_position_word),
    rule("policies.arms-sales", _arms_sales, words={"sales", "sale", "transfers"}, applies=_is_arms_sales),
    # (regions a government seeks an order for; a continent "as part of a peaceful Europe" is rhetoric)
    rule("policies.value-vision", _value_vision, words={"indo-pacific", "region", "order", "peninsula", "pacific"},
         applies=_is_value_vision),
    rule("policies.country-proposed", _country_proposed, words={"proposed", "initiated", "sponsored"},
         applies=_is_country_proposed),
])


def sentence_policies(ctx: Discourse, sent: Sentence) -> None:
    """The policies a sentence names, each with its country (the phrase's, else the sentence's first
    official's) and date. Only reads the discourse."""
    dates = ctx.dates_in(sent.start_char, sent.end_char, clauses=True)
    people = [k for _, k in ctx.people_in(sent.start_char, sent.end_char)]
    for tok, policy_rule in RULES.matches(ctx, sent):
        found = policy_rule.read(ctx, sent, tok)
        if found is None or not found.label:
            continue
        low, label, country = tok.lower_, found.label, found.country
        if found.needs_owner:
            if country is None:
                continue  # a commitment or measure of no known country: too vague a fact
        elif country is None and people:
            country = ctx.facts.officials[people[0]].country if people[0] in ctx.facts.officials else None
        if country is None and (low in ("rebalance", "pivot", "strategy") or low in ("act", "review")
                                and not _in_quote(ctx, tok.idx)):
            # (a country a speaker names in a quotation is seldom the policy's owner; nor is one the
            # policy is about: "a Review of our relations with X")
            right = tok.right_edge.idx + len(tok.right_edge.text)
            country = country_of_span(ctx, sent.start_char, tok.idx) or country_of_span(ctx, right, sent.end_char)
        if country is None and low in _NAMED_POLICY_HEADS | _MEASURE_HEADS:
            continue  # an act, review, operation or sanctions of no known country: too vague a fact
        label = label.split("\n")[0]  # a headline's phrase ends with its line
        label = re.sub(r"\s+as well$", "", label)  # "X as well as Y": the parse may leave "as well" in X

        label = re.sub(r"^(?:the|a|an|its|their|our|his|her)\s+", "", label, flags=re.I)
        label = label.strip(" ”“\"'’,")
        if label.count("“") > label.count("”"):
            label += "”"  # (the strip above took the closing quote of a quotation inside the phrase)
        ev = ctx.sentence_evidence(sent, 0.65, policy_rule.id)
        date = pick_date(_policy_dates(ctx, sent, tok, dates))
        if date is None and (low in _MEASURE_HEADS and _taken_now(tok) or policy_rule.id == CONDEMNATION):
            # "Ghana has decided to impose countermeasures", "A and B condemn X": on the day of the report
            date = ctx.article.date
        # one policy of one or more countries: named after its owners when its words name none ("mediation
        # efforts (Egypt and United States)"; a position of many is one node under its own words)
        holders: list[str | None] = [c for c in (country, *found.also) if c] or [None]
        if holders[0] and len(holders) <= 2 and not _names_country(ctx, label) \
                and not (holders == [UNION_CODE] and UNION_NAMES.search(label)):
            label = f"{label} ({' and '.join(ctx.gz.name(c) for c in holders if c)})"
        for owner in holders:
            ctx.facts.policies.append(Policy(label, owner, date, found.action, ev))


def _taken_now(tok: Token) -> bool:
    """Whether the verb a measure is the object of tells it as the report's news ("has decided to take",
    "imposed"), not as a plan or a threat ("would have consequences, including sanctions")."""
    verb = governing_verb(tok)
    while verb is not None and verb.dep_ == "xcomp" and verb.head is not verb:
        verb = verb.head
    if verb is None:
        return False
    auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("will", "would", "shall", "could", "may", "might", "should", "must", "to", "had") for a in auxes):
        return False
    return verb.tag_ in ("VBD", "VBZ", "VBP") or (verb.tag_ == "VBN" and bool(auxes))


def _in_quote(ctx: Discourse, pos: int) -> bool:
    """Whether `pos` is inside a quotation opened earlier in its paragraph."""
    line = ctx.text[ctx.text.rfind("\n", 0, pos) + 1: pos]
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


# a date that bounds a target or a span of time, not when the policy was made ("by 2045", "since 1959")
_NOT_POLICY_DATE = re.compile(r"\b(?:by|since|until|till|before|through)\s+(?:the\s+end\s+of\s+)?$", re.I)


def _policy_dates(ctx: Discourse, sent: Sentence, tok: Token, dates: list[DateMention]) -> list[DateMention]:
    """Dates of the policy's own phrase or clause, without deadlines and spans ("by 2045", "since 1959")."""
    if not dates:
        return []
    starts = ctx.token_starts
    own = [d for d in dates if not _NOT_POLICY_DATE.search(ctx.text[max(sent.start_char, d.start - 20): d.start])]
    if tok.pos_ in ("NOUN", "PROPN"):
        inside, surely_other = event_clause(sent, tok, "noun")
        free = [d for d in own if (bisect_right(starts, d.start) - 1) not in surely_other]
        own = [d for d in free if (bisect_right(starts, d.start) - 1) in inside] or free
    return own


def _names_country(ctx: Discourse, text: str) -> bool:
    return any(c.kind in ("name", "demonym", "alias") for c in find_countries(text))

