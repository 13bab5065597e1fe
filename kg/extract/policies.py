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
from kg.extract.rules import RuleFamily, rule
from kg.extract.vocab import ACQUISITION_VERBS, AGREEMENT_WORDS, BLAND, POLICY_HEADS, POLICY_VERBS
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
                if tok.doc[k].text in (",", ";") or tok.doc[k].dep_ in ("relcl", "cc"):
                    end = k
                    break
            break
    return start, end


def _country_of_span(ctx: Discourse, start: int, end: int) -> str | None:
    for c in ctx.m.countries:
        if start <= c.start < end and c.kind in ("name", "demonym", "capital", "alias"):
            return c.code
    return None


# Policy heads read only when capitalised, as part of a name ("the Arms Control Act", "the Integrated
# Review", "Operation Horizon"); lower-case they are common words
_NAMED_POLICY_HEADS = {"act", "review", "operation"}
# Plural heads of a country's measures ("new sanctions on X", "restrictive measures")
_MEASURE_HEADS = {"sanctions", "measures"}
# "X has promised to reach 2 percent": a pledge of X's country
_PLEDGE_VERBS = {"promise", "pledge", "vow"}


@dataclass
class PolicyFound:
    """What a policy rule reads: the policy's name, its country if the phrase says it, and the action."""

    label: str
    country: str | None = None
    action: str = "holds"


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
    country = _subject_country(ctx, doc[end - 1]) or _country_of_span(ctx, sent.start_char, tok.idx)
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
        found.country = _country_of_span(ctx, *span)
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
    return PolicyFound(ctx.doc[s:e].text, _country_of_span(ctx, ctx.doc[s].idx, tok.idx))


def _is_policy_noun(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    """ "policy", "strategy"; "Act", "Review" capitalised; "sanctions", "restrictive measures"."""
    low = tok.lower_
    return (low in POLICY_HEADS or (low in _NAMED_POLICY_HEADS and tok.text[0].isupper() and low != "operation")
            or (low in _MEASURE_HEADS and (low == "sanctions" or any(c.lower_ == "restrictive" for c in tok.lefts)))) \
        and tok.pos_ in ("NOUN", "PROPN") and (tok.tag_ not in ("NNS", "NNPS") or low in _MEASURE_HEADS) \
        and tok.dep_ != "compound"


def _policy_noun(ctx: Discourse, sent: Sentence, tok: Token) -> PolicyFound | None:
    """A policy noun with what makes it specific ("the Act East Policy", "its programme to replace X")."""
    doc, low = ctx.doc, tok.lower_
    s, e = _np_text(tok)
    span = doc[s:e]
    content = [x for x in span if x.i != tok.i and x.is_alpha and x.lower_ not in BLAND and x.pos_ != "DET"]
    if low in _NAMED_POLICY_HEADS:  # "the New Zealand Nuclear Free Zone, Disarmament, and Arms Control Act"
        k = s - 1
        while k >= sent.start:
            while k > sent.start and doc[k].text in (",", "and", "of"):
                k -= 1
            if not (doc[k].pos_ in ("PROPN", "ADJ", "NOUN") and doc[k].text[:1].isupper()):
                break
            s, k = k, k - 1
        span = doc[s:e]
    if e - s < 2 or not content:
        return None
    if all(_names_country(ctx, x.text) for x in content):
        return None  # "Korea's policy": whose, not which
    # "sanctions on Russia": a country after the head is the target, not the owner
    # ... and so is one a strategy is "for" ("Initiative for the denuclearisation of X")
    aimed = e > tok.i + 1 and doc[tok.i + 1].lower_ in ("for", "to")
    country = _country_of_span(ctx, span.start_char, tok.idx if low in _MEASURE_HEADS or aimed else span.end_char)
    if any(x.lower_ in ("our", "we") for x in span) and country is None:
        sp = ctx.speaker_at(tok.idx)
        country = ctx.facts.officials[sp].country if sp else None
    if country is None:
        country = _subject_country(ctx, tok)  # "India reaffirmed its Act East Policy"
    return PolicyFound(span.text, country)


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
        found.country = _country_of_span(ctx, subj[0].left_edge.idx, subj[0].idx + len(subj[0].text))
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


RULES: RuleFamily[PolicyFound] = RuleFamily("policies", [
    rule("policies.named-operation", _named_operation, words={"operation"}, applies=_is_named_operation),
    rule("policies.pledge-verb", _pledge, lemmas=_PLEDGE_VERBS, applies=_is_verb),
    rule("policies.countrys-plan", _countrys_plan, words={"plan"}, applies=_is_countrys_plan),
    rule("policies.policy-noun", _policy_noun, words=POLICY_HEADS | _NAMED_POLICY_HEADS | _MEASURE_HEADS,
         applies=_is_policy_noun),
    rule("policies.policy-change", _policy_change, words={"change"}, applies=_is_policy_change),
    rule("policies.ban-or-acquire-verb", _ban_or_acquisition, lemmas=POLICY_VERBS, applies=_is_verb),
    rule("policies.vision-of", _vision_of, words={"vision"}, applies=_has_of),
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
        if country is None and people:
            country = ctx.facts.officials[people[0]].country if people[0] in ctx.facts.officials else None
        if country is None and (low in ("rebalance", "pivot", "strategy") or low in ("act", "review")
                                and not _in_quote(ctx, tok.idx)):
            # (a country a speaker names in a quotation is seldom the policy's owner)
            country = _country_of_span(ctx, sent.start_char, sent.end_char)
        if country is None and low in _NAMED_POLICY_HEADS | _MEASURE_HEADS:
            continue  # an act, review, operation or sanctions of no known country: too vague a fact
        label = re.sub(r"^(?:the|a|an|its|their|our|his|her)\s+", "", label, flags=re.I)
        label = label.strip(" ”“\"'’,")
        if country and not _names_country(ctx, label):
            label = f"{label} ({ctx.gz.name(country)})"
        ev = ctx.sentence_evidence(sent, 0.65, policy_rule.id)
        ctx.facts.policies.append(Policy(label, country, pick_date(_policy_dates(ctx, sent, tok, dates)), found.action, ev))


def _in_quote(ctx: Discourse, pos: int) -> bool:
    """Whether `pos` is inside a quotation opened earlier in its paragraph."""
    line = ctx.text[ctx.text.rfind("\n", 0, pos) + 1: pos]
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


_POLICY_GOVERNORS = {"dobj", "pobj", "prep", "conj", "appos", "attr", "nsubjpass"}


def _governing_verb(tok: Token) -> Token | None:
    v = tok
    for _ in range(6):
        if v.dep_ not in _POLICY_GOVERNORS or v.head is v:
            break
        v = v.head
        if v.pos_ in ("VERB", "AUX"):
            return v
    return None


def _subject_country(ctx: Discourse, tok: Token) -> str | None:
    """The country that is the subject of the verb a policy is the object of ("Australia will expand X")."""
    verb = _governing_verb(tok)
    if verb is None:
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
    if subj is None:
        return None
    return _country_of_span(ctx, subj.left_edge.idx, subj.idx + len(subj.text))


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

