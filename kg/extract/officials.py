"""Officials: the people the mentions name, merged into one official per person, with their posts
and the country each serves.

Who is named, and with which title, is read by `kg.mentions`; here the mentions of one person
(full name, surname, title alone, "he") become one `Official`, and each official gets a country:
first from the titles ("the Japanese Minister of Defense"), then two officials under one plural
title, then the first rule of `COUNTRY_RULES` that finds one. Officials with no post or no country
are dropped: an official is someone with an office.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from kg.extract.context import Discourse, person_key
from kg.extract.official_clues import (
    countries_dealt_with,
    delegation_country,
    possessive_country_at,
    speaker_country,
    visit_host_country,
)
from kg.facts import Official, Post
from kg.gazetteer import fold, gazetteer
from kg.mentions import NAME_SUFFIXES, TITLE_MODIFIERS, PersonMention, style_country, title_excludes

# the rule id of a post read with a person's name ("Foreign Minister Ana Berg", "Berg, the foreign minister")
TITLED_NAME = "officials.titled-name"
# the rule id of an official's country voted for by the countries of their titles
COUNTRY_OF_TITLE = "officials.country-of-title"
PLURAL_TITLE_PAIR = "officials.plural-title-pair"
ARTICLE_FOCUS = "officials.article-focus"
ONLY_OFFICE_HOLDER = "officials.only-office-holder"


def resolve_officials(ctx: Discourse) -> None:
    """One official per person: `ctx.facts.officials` and `ctx.resolved` (every mention's official)."""
    by_surname = _officials_by_surname(ctx)
    for pm in ctx.m.people:
        if pm.kind in ("full", "surname") and pm.name:
            key = person_key(pm.name) if pm.kind == "full" else by_surname[fold(pm.surname)]
            off = ctx.facts.officials[key]
            ev = ctx.evidence(pm.start, pm.end, 0.9, TITLED_NAME)
            off.evidence.append(ev)
            if pm.title:
                off.posts.append(Post(pm.title, pm.country, ev))
            ctx.resolved.append((pm.start, pm.end, key))
    # title-only mentions: the official who holds that whole title ("the minister", "our Foreign Minister")
    for pm in ctx.m.people:
        if pm.kind != "title" or not pm.title:
            continue
        holder = _official_with_title(ctx, pm.title, pm.start)
        if holder is not None:
            ctx.resolved.append((pm.start, pm.end, holder))
        else:
            ctx.resolved += _two_holders(ctx, pm)
    _resolve_bare_surnames(ctx, by_surname)
    ctx.resolved.sort()


_LEADER_TITLES = {"prime minister", "president", "chancellor", "premier", "king", "queen", "emir", "amir", "sultan",
                  "taoiseach"}


def _two_holders(ctx: Discourse, pm: PersonMention) -> list[tuple[int, int, str]]:
    """ "The Prime Minister and President discussed ...": two offices no one holds together, each its holder's
    (one holder of both, "the Deputy Prime Minister and Minister for Defence", is one official)."""
    written = ctx.text[pm.start: pm.end]
    joint = re.search(r"\s+and\s+(?:the\s+)?", written)
    if joint is None or not pm.title or " and " not in pm.title:
        return []
    first_title, second_title = pm.title.split(" and ", 1)
    second_title = re.sub(r"^the\s+", "", second_title)
    # only two heads of state or government ("Deputy Prime Minister and Minister for X" is one person's offices)
    if not all(fold(t) in _LEADER_TITLES for t in (first_title, second_title)):
        return []
    first = _official_with_title(ctx, first_title, pm.start)
    second = _official_with_title(ctx, second_title, pm.start)
    if first is None or second is None or first == second:
        return []
    # each holds that very office (not one whose title merely starts so): "the Deputy Prime Minister and Minister
    # for X" is one person's two offices
    def plain(title: str) -> set[str]:  # "president of" (of Chile) is "president"
        return {re.sub(r"(?:\s+(?:of|for|the))+$", "", f) for f in _title_forms(title)}

    for key, title in ((first, first_title), (second, second_title)):
        if not any(plain(p.title) & plain(title) for p in ctx.facts.officials[key].posts):
            return []
    return [(pm.start, pm.start + joint.start(), first), (pm.start + joint.end(), pm.end, second)]


def _officials_by_surname(ctx: Discourse) -> dict[str, str]:
    """The officials of the full names and surnames, and each surname's official key."""
    facts, people = ctx.facts, ctx.m.people
    by_surname: dict[str, str] = {}
    # full names first, so that surnames and titles can refer back (or forward) to them
    for pm in people:
        if pm.kind == "full" and pm.name:
            key = person_key(pm.name)
            off = facts.officials.get(key)
            if off is None:
                off = facts.officials[key] = Official(key=key, name=pm.name)
            elif len(pm.name) > len(off.name):
                off.name = pm.name
            by_surname.setdefault(fold(pm.surname), key)
    # a double surname read as a full name: "Minister Dlamini Zuma" is "Nkosazana Dlamini Zuma" when only one
    # longer name here ends with those words
    for short_key in list(facts.officials):
        short = fold(facts.officials[short_key].name).split()
        if len(short) < 2:
            continue
        longer = [k for k, o in facts.officials.items() if k != short_key
                  and len(fold(o.name).split()) > len(short) and fold(o.name).split()[-len(short):] == short]
        if len(longer) == 1:
            del facts.officials[short_key]
            for pm in people:
                if pm.kind == "full" and pm.name and person_key(pm.name) == short_key:
                    pm.name = facts.officials[longer[0]].name
            for surname, key in list(by_surname.items()):
                if key == short_key:
                    by_surname[surname] = longer[0]
    # double surnames: "Minister Castañeda" may be "Elmer Castañeda Ruiz" (any later part of a name of
    # three or more parts), when only one full name has that part
    later_parts: dict[str, set[str]] = {}
    for key, off in facts.officials.items():
        parts = [w for w in off.name.split() if w.lower().rstrip(".") not in NAME_SUFFIXES]
        if len(parts) >= 3:
            for w in parts[1:]:
                if w[:1].isupper() and len(w.rstrip(".")) > 2:
                    later_parts.setdefault(fold(w), set()).add(key)
    for part, keys in later_parts.items():
        if len(keys) == 1 and part not in by_surname:
            by_surname[part] = next(iter(keys))
    for pm in people:
        if pm.kind == "surname" and pm.name:
            known = by_surname.get(fold(pm.surname))
            if known is None:
                known = person_key(pm.name)
                facts.officials.setdefault(known, Official(key=known, name=pm.name))
                by_surname[fold(pm.surname)] = known
            pm.name = facts.officials[known].name
    return by_surname


def _resolve_bare_surnames(ctx: Discourse, by_surname: dict[str, str]) -> None:
    """Bare surnames spaCy sees as people ("Teodoro", "Mr Peters")."""
    for ent in ctx.m.ents:
        if ent.label_ != "PERSON":
            continue
        words = [w for w in re.split(r"\s+", ent.text.strip()) if w]
        if not words:
            continue
        last = fold(words[-1]).rstrip(".")
        if last in NAME_SUFFIXES and len(words) > 1:
            last = fold(words[-2])
        key = by_surname.get(last)
        if key and not any(s <= ent.start_char < e for s, e, _ in ctx.resolved):
            ctx.resolved.append((ent.start_char, ent.end_char, key))


_TITLE_LINKS = {"of", "for", "to", "and", "on"}
# "foreign minister" = "minister for foreign affairs", "defense secretary" = "secretary of defense"
_TITLE_INVERSION = re.compile(r"^(minister|secretary)\s+(?:of|for)\s+(?:the\s+)?(.+?)(?:\s+affairs)?$")


def _title_forms(title: str) -> set[str]:
    """A title without country words, articles and possessives, in its written and inverted word orders."""
    gz = gazetteer()
    words = [w for w in fold(title).split() if w not in ("the", "our", "my", "your", "their", "his", "her", "its")
             and not w.endswith(("'s", "’s")) and not gz.country(w) and not gz.demonym(w)]
    plain = " ".join(words)
    forms = {plain}
    inverted = _TITLE_INVERSION.match(plain)
    if inverted:
        forms.add(f"{inverted.group(2)} {inverted.group(1)}")
    return forms


def title_head(title: str) -> str:
    """The noun a title names its holder by: the word before its first "of"/"for" ("secretary of state")."""
    words = fold(title).split()
    for i, w in enumerate(words):
        if w in _TITLE_LINKS and i:
            return words[i - 1]
    return words[-1] if words else ""


def _official_with_title(ctx: Discourse, title: str, at: int) -> str | None:
    """The official a title-only mention refers to: one who holds that whole title, or whose title starts with
    a bare title word ("the minister" for a "minister for defence", never for a "prime minister"). A plural
    ("the ministers") names a group, not one official. Between several, the one named last before it."""
    head = title_head(title)
    if not head or (head.endswith("s") and not head.endswith("ss")):
        return None
    forms = _title_forms(title)
    best: tuple[int, int, str] | None = None  # (score, last mention before, key)
    for off in ctx.facts.officials.values():
        score = 0
        for post in off.posts:
            if title_head(post.title).endswith("s") and not title_head(post.title).endswith("ss"):
                continue  # a group's title read as one person's ("Prime Ministers X and Y")
            for held in _title_forms(post.title):
                if held in forms:
                    score = max(score, 2)
                elif any(held.startswith(f + " ") or f" and {f}" in f" {held}" for f in forms):
                    score = max(score, 1)
        if not score:
            continue
        last = max((s for s, _, k in ctx.resolved if k == off.key and s < at), default=-1)
        if best is None or (score, last) > best[:2]:
            best = (score, last, off.key)
    return best[2] if best else None


def assign_countries(ctx: Discourse) -> None:
    """Each official's country (and each post's), in this order: the countries of their titles, two
    officials under one plural title, then the first of `COUNTRY_RULES` that finds one."""
    facts, people = ctx.facts, ctx.m.people
    mentioned = set(facts.countries)
    _continue_lists(ctx)
    for pm in people:
        if pm.country is None:
            pm.country = style_country(pm.title, mentioned)
    for off in facts.officials.values():
        for post in off.posts:
            if post.country is None:
                mention = next((p for p in people if p.title == post.title and p.name and person_key(p.name) == off.key), None)
                post.country = mention.country if mention else style_country(post.title, mentioned)
        votes = Counter(p.country for p in off.posts if p.country)
        if votes:
            off.country = votes.most_common(1)[0][0]
            evidence = next(p.evidence for p in off.posts if p.country == off.country)
            off.country_evidence = replace(evidence, rule=COUNTRY_OF_TITLE)
    # what is left: what the official's own sentences say (a delegation, "our", a pair of titles), else the
    # other side of a dialogue among the two countries the article is about; never a third country
    mentions_of: dict[str, list[PersonMention]] = {}
    for pm in people:
        if pm.name and pm.kind in ("full", "surname"):
            mentions_of.setdefault(person_key(pm.name), []).append(pm)
    _pair_countries(ctx, mentions_of)
    setting = _CountrySetting(ctx, mentions_of)
    for off in facts.officials.values():
        if off.country or not off.posts:
            continue
        excluded = countries_dealt_with(ctx, off.key)
        for p in off.posts:
            excluded |= title_excludes(p.title)
        if all(title_head(p.title) in _ENVOY_HEADS for p in off.posts):
            excluded |= _posting_countries(ctx, off, setting)
        for country_rule in COUNTRY_RULES:
            choice = country_rule.find(setting, off, excluded)
            if choice is None:
                continue
            if choice not in excluded:
                off.country = choice
                off.country_evidence = replace(off.posts[0].evidence, rule=country_rule.id)
            break
    _pair_sides(ctx)
    _drop_shared_guesses(ctx)
    for off in facts.officials.values():
        for post in off.posts:
            if post.country is None:
                post.country = off.country
    # an official is someone with an office
    for key in [k for k, o in facts.officials.items() if not o.posts or not o.country]:
        del facts.officials[key]


# an envoy serves the country that sends them, not the one they are posted to
_ENVOY_HEADS = {"ambassador", "envoy", "chargé", "charge", "consul", "commissioner", "ambassadors"}


def _posting_countries(ctx: Discourse, off: Official, setting: _CountrySetting) -> set[str]:
    """Where an envoy is: the dateline's country and the countries of the cities their sentences name
    ("Ambassador X met the Foreign Minister in Lima"); an envoy is posted abroad."""
    out = {setting.dateline.country} if setting.dateline else set()
    for start, _, key in ctx.resolved:
        if key != off.key:
            continue
        sent = ctx.sentence_at(start)
        out |= {p.country for p in ctx.m.places if sent.start_char <= p.start < sent.end_char
                and p.kind == "city" and p.country}
    return out


def _continue_lists(ctx: Discourse) -> None:
    """List continuation: "New Zealand's Secretary ... John Allen; Chief of Defence Force Rhys Jones; ..."."""
    previous: PersonMention | None = None
    for pm in ctx.m.people:
        if pm.country is None and pm.list_continuation and previous is not None and previous.country and \
                ctx.text[previous.end: pm.start].count(".") == 0 and pm.start - previous.end < 20:
            pm.country = previous.country
        if pm.name:
            previous = pm


class _CountrySetting:
    """What the country rules read besides the official: the article and the countries already taken."""

    def __init__(self, ctx: Discourse, mentions_of: dict[str, list[PersonMention]]) -> None:
        self.ctx = ctx
        self.mentions_of = mentions_of
        # the countries officials stand for before these rules run (the rules do not see each other's choices)
        self.known = {o.country for o in ctx.facts.officials.values() if o.country}
        # (a country the article names as an aggressor and no official here serves by title is what the article
        # is about, not a side whose officials it names: "Russia's war of aggression")
        aggressors = _aggressors(ctx) - self.known
        self.focus = _clear_focus({c: n for c, n in ctx.facts.countries.items() if c not in aggressors})
        self.mentioned = set(ctx.facts.countries)
        place = ctx.article.dateline_place
        self.dateline = ctx.gz.city(place) if place else None
        self.sections = _section_pairs(ctx)


# what follows a country named as the one that wages a war: "Russia's war of aggression", "the Russian invasion"
_AGGRESSION = re.compile(r"^(?:['’]s)?\s+(?:(?:\w+-)?\w+\s+){0,2}?(?:war\s+of\s+aggression|aggression|invasion|"
                         r"offensive|occupation)\b", re.I)


def _aggressors(ctx: Discourse) -> set[str]:
    """The countries the article names as waging a war of aggression, an invasion or an offensive."""
    return {c.code for c in ctx.m.countries if c.kind in ("name", "demonym", "alias")
            and _AGGRESSION.match(ctx.text[c.end: c.end + 60])}


def _clear_focus(counts: dict[str, int]) -> list[str]:
    """The one or two countries an article is clearly about: named more than once, and the second named
    more often than the third (between a second and third named as often, a guess is a coin toss)."""
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: ties keep the order first named
    focus = [c for c, n in ranked[:2] if n >= 2]
    if len(focus) == 2 and len(ranked) > 2 and ranked[2][1] >= ranked[1][1]:
        focus = focus[:1]
    return focus


@dataclass(frozen=True)
class CountryRule:
    """A way to find the country of an official no title gives one: the first that finds one decides
    (a country the official's titles exclude then leaves the official without)."""

    id: str
    find: Callable[[_CountrySetting, Official, set[str]], str | None]


def _in_own_sentences(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The delegation a sentence puts the official in, or "our" in a speaker's turn (first mention first)."""
    for pm in setting.mentions_of.get(off.key, []):
        choice = delegation_country(setting.ctx, pm) or speaker_country(setting.ctx, pm)
        if choice:
            return choice
    return None


# verbs by which a speaker states their own government's stance or acts for it ("reaffirmed Canada's support",
# "deposited Chile's instrument of ratification"); not verbs of praise or blame ("welcomed Japan's support",
# "condemned Russia's aggression"), which name another government
_OWN_STANCE_VERBS = {
    "reaffirm", "reiterate", "restate", "pledge", "convey", "express", "extend", "deposit", "present", "affirm",
    "underline", "underscore", "outline", "announce", "confirm", "offer", "renew", "submit",
}
# what those verbs take with the speaker's own country as possessor
_OWN_STANCE_NOUNS = {
    "support", "commitment", "position", "stance", "solidarity", "condolence", "readiness", "willingness",
    "determination", "intention", "resolve", "opposition", "instrument", "contribution", "offer", "invitation",
    "gratitude", "appreciation", "congratulation", "pledge", "proposal", "candidacy", "bid", "assistance",
    "aid", "desire", "interest", "sympathy", "view", "policy", "priority", "priorities",
}


def _own_stance_country(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The country whose stance the official, as the subject, restates ("Prime Minister X reaffirmed Canada's
    support for Y"): an official speaks for their own government."""
    ctx = setting.ctx
    for start, end, key in ctx.resolved:
        if key != off.key:
            continue
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.root.dep_ != "nsubj":
            continue
        verb = span.root.head
        for v in (verb, *verb.conjuncts):
            if v.lemma_ not in _OWN_STANCE_VERBS:
                continue
            for obj in v.children:
                if obj.dep_ != "dobj" or obj.lemma_.lower() not in _OWN_STANCE_NOUNS:
                    continue
                # the possessor: spaCy tags "Canada's" poss, and a two-word name ("Trinidad and Tobago's") nmod
                for owner in obj.lefts:
                    if owner.dep_ in ("poss", "nmod"):
                        code = possessive_country_at(ctx, owner.idx)
                        if code:
                            return code
    return None


def _section_pairs(ctx: Discourse) -> list[tuple[int, frozenset[str]]]:
    """(start, the two countries) of each section a heading line names a pair of countries for ("Japan-US
    Meeting", "Japan - Canada Meeting"): a readout of several bilateral meetings, one per section."""
    text = ctx.text
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    codes_of_line: dict[int, set[str]] = {}
    for c in ctx.m.countries:
        if c.kind in ("name", "alias", "demonym"):
            codes_of_line.setdefault(bisect_right(line_starts, c.start) - 1, set()).add(c.code)
    out: list[tuple[int, frozenset[str]]] = []
    for i, codes in sorted(codes_of_line.items()):
        end = line_starts[i + 1] if i + 1 < len(line_starts) else len(text)
        line = text[line_starts[i]: end].strip()
        if len(codes) == 2 and len(line) <= 80 and not line.endswith((".", ":", ",", ";")):
            out.append((line_starts[i], frozenset(codes)))
    return out


def _section_pair(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """In a readout of bilateral meetings, one per section under a heading naming the two countries, and all
    with one country in common (the host's): an official named in one section only is the guest of that
    section's meeting, one named across sections with different guests the host."""
    ctx = setting.ctx
    sections = setting.sections
    if len({pair for _, pair in sections}) < 2:
        return None
    common = frozenset.intersection(*(pair for _, pair in sections))
    if len(common) != 1:
        return None
    starts = [s for s, _ in sections]
    seen: set[frozenset[str]] = set()
    for s, _, k in ctx.resolved:
        if k == off.key:
            i = bisect_right(starts, s) - 1
            if i >= 0:
                seen.add(sections[i][1])
    if len(seen) > 1:
        choice = next(iter(common))
    elif len(seen) == 1:
        choice = next(iter(next(iter(seen)) - common))
    else:
        return None
    return choice if choice not in excluded else None


_PART_OF = re.compile(r"\b(?:(?:a\s+)?part|(?:a\s+)?members?|one)\s+of\s+$", re.I)
_HEADS_DELEGATION = re.compile(r"^['’]s\s+(?:\w+\s+)?(?:delegation|entourage|party)\b", re.I)


def _delegation_head(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The head of a delegation an official of a known country belongs to ("Minister X will be part of President
    Y's delegation"): one country's delegation."""
    ctx = setting.ctx
    for start, end, key in ctx.resolved:
        if key != off.key or not _HEADS_DELEGATION.match(ctx.text[end: end + 30]) \
                or not _PART_OF.search(ctx.text[max(0, start - 20): start]):
            continue
        sent = ctx.sentence_at(start)
        members = [k for s, _, k in ctx.resolved if sent.start_char <= s < start and k != off.key
                   and k in ctx.facts.officials and ctx.facts.officials[k].country]
        if members:
            return ctx.facts.officials[members[-1]].country
    return None


_CHAIR_COUNTRY = re.compile(r"\s+as\s+(?:the\s+)?(?:current\s+)?Chair(?:man|person)?\b")
_CHAIRED = re.compile(r"^(?:[^.;]{0,120}?)\bchair(?:ed|s|ing)\s+the\b", re.I)


def _chair_country(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The official who chaired the meeting serves the country the article names as the chair
    ("Cambodia as the Chair of ASEAN"): a rotating chair is held by a government."""
    ctx = setting.ctx
    chairs = {c.code for c in ctx.m.countries if c.kind in ("name", "alias")
              and _CHAIR_COUNTRY.match(ctx.text, c.end)}
    if len(chairs) != 1:
        return None
    for _, end, key in ctx.resolved:
        chaired = _CHAIRED.match(ctx.text[end: end + 200]) if key == off.key else None
        # the chair is the last official named before "chaired"
        if chaired and not any(end <= s < end + chaired.end() for s, _, k in ctx.resolved if k != off.key):
            return next(iter(chairs))
    return None


def _us_secretary(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """A cabinet member styled only "Secretary": the US usage."""
    if all(p.title == "secretary" for p in off.posts) and "USA" in setting.mentioned and "USA" not in setting.known:
        return "USA"
    return None


def _visit_host(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The host of a visit the sentence tells of, for the official the visitor meets there."""
    for start, _, key in setting.ctx.resolved:
        if key == off.key:
            code = visit_host_country(setting.ctx, start)
            if code and code not in excluded:
                return code
    return None


def _article_focus(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """A country the article is about that no other official here already stands for: a guess between
    counterparts of one country would more often be wrong than right; but in an article about one country
    only, that country (not when the official meets one of its officials: `countries_dealt_with`)."""
    candidates = [c for c in setting.focus if c not in excluded]
    counterpart = [c for c in candidates if c not in setting.known]
    if not setting.known or counterpart:
        return next(iter(counterpart or candidates), None)
    # an article about one country only (a visitor from an international body, a home release): its officials
    return candidates[0] if len(setting.focus) == 1 and candidates else None


def _only_office_holder(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """In an article about two countries, each with an official here, a head of state or government whose
    office only one of the two has ("Prime Minister X" where the other is a presidential republic)."""
    if len(setting.focus) != 2 or not set(setting.focus) <= setting.known:
        return None
    by_office = set().union(*(title_excludes(p.title) - {"USA"} for p in off.posts))
    candidates = [c for c in setting.focus if c not in excluded]
    if len(candidates) == 1 and any(c in by_office for c in setting.focus):
        return candidates[0]
    return None


def _country_style(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """A title only one government uses ("Secretary of Defense") in a readout that names no country twice: other governments use some of these titles too ("Secretary of State" in Poland), so not when
    the article is clearly about some country."""
    if setting.focus:
        return None
    for post in off.posts:
        code = style_country(post.title)
        if code and code not in excluded:
            return code
    return None


def _dateline_host(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The host of the event the article reports from."""
    dateline = setting.dateline
    if dateline and dateline.country in setting.mentioned and dateline.country not in excluded:
        return dateline.country
    return None


COUNTRY_RULES: tuple[CountryRule, ...] = (
    CountryRule("officials.own-sentences", _in_own_sentences),
    CountryRule("officials.own-stance", _own_stance_country),
    CountryRule("officials.delegation-head", _delegation_head),
    CountryRule("officials.chair-country", _chair_country),
    CountryRule("officials.section-pair", _section_pair),
    CountryRule("officials.us-secretary", _us_secretary),
    CountryRule("officials.visit-host", _visit_host),
    CountryRule(ARTICLE_FOCUS, _article_focus),
    CountryRule(ONLY_OFFICE_HOLDER, _only_office_holder),
    CountryRule("officials.country-style", _country_style),
    CountryRule("officials.dateline-host", _dateline_host),
)


# heads of state or government: one holder per country at a time
_SINGLE_HOLDER_HEADS = {"president", "chancellor", "premier", "king", "queen", "emperor", "sultan", "emir", "amir"}


def single_holder_office(title: str) -> str | None:
    """The office a title names when a country has one holder of it at a time ("prime minister",
    "president", "foreign minister" = "minister of foreign affairs"); None for offices of many (a deputy,
    a state secretary, a bare "minister", an ambassador)."""
    words = fold(title).replace("defense", "defence").split()
    if not words or any(w in TITLE_MODIFIERS for w in words):
        return None
    head = title_head(title)
    if head in _SINGLE_HOLDER_HEADS:
        return head
    for form in sorted(_title_forms(" ".join(words)), key=len):
        parts = form.split()
        if len(parts) >= 2 and parts[-1] in ("minister", "secretary") and form != "state secretary" \
                and not any(w in _TITLE_LINKS for w in parts):
            return form
    return None


_BETWEEN = re.compile(r"\b(?:between|(?:signed|witnessed|co-?chaired)\s+by)\s+(?:the\s+)?$", re.I)
# "A and B", "A and the Indonesian B" (a country word before a title is outside the title's mention)
_AND = re.compile(r"^,?\s+and\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,2}$")
PAIR_SIDES = "officials.pair-sides"


def _pair_sides(ctx: Discourse) -> None:
    """The two sides of "between A and B" ("the agreement reached between Prime Minister A and President B",
    "signed by A and the Indonesian Defence Minister B") in an article about two countries serve the two:
    one the title or the sentence places keeps its country and the other takes the other one; two guessed
    alike take them in the order the article first names them."""
    focus = _clear_focus(ctx.facts.countries)
    if len(focus) < 2:
        return
    first_seen = {c.code: c.start for c in reversed(ctx.m.countries)}
    order = sorted(focus, key=lambda c: first_seen.get(c, 0))
    officials = ctx.facts.officials
    mentions = [(s, e, k) for s, e, k in ctx.resolved if k in officials]
    for (s1, e1, a), (s2, _, b) in zip(mentions, mentions[1:]):
        if a == b or not _AND.match(ctx.text[e1: s2]) or not _BETWEEN.search(ctx.text[max(0, s1 - 16): s1]):
            continue
        pair = (officials[a], officials[b])
        guessed = [o.country is None or (o.country_evidence is not None and o.country_evidence.rule == ARTICLE_FOCUS)
                   for o in pair]
        if not any(guessed):
            continue
        if all(guessed):
            # the order the article names the countries in, unless an office rules it out
            choice = order if all(c not in title_excludes_of(o) for o, c in zip(pair, order)) else order[::-1]
        else:
            sure = pair[guessed.index(False)].country
            if sure not in focus:
                continue
            other = next(c for c in focus if c != sure)
            choice = [other if g else sure for g in guessed]
        for off, g, code in zip(pair, guessed, choice):
            if g and code not in title_excludes_of(off):
                off.country = code
                off.country_evidence = replace(off.posts[0].evidence, rule=PAIR_SIDES)


def title_excludes_of(off: Official) -> set[str]:
    """The countries an official's titles rule out."""
    return {x for p in off.posts for x in title_excludes(p.title)}


def _drop_shared_guesses(ctx: Discourse) -> None:
    """A country has one president, one prime minister, one foreign minister at a time: when the article-focus
    guess gives one office of a country to two officials, or to one while a title already gives it to
    another, the guess is wrong for at least one and unknown for each, so none keeps it."""
    holders: dict[tuple[str, str], list[Official]] = {}
    for off in ctx.facts.officials.values():
        if not off.country:
            continue
        offices = {single_holder_office(p.title) for p in off.posts}
        for office in offices:
            if office is not None:
                holders.setdefault((off.country, office), []).append(off)
    for group in holders.values():
        if len(group) < 2:
            continue
        for off in group:
            if off.country_evidence is not None and off.country_evidence.rule in (ARTICLE_FOCUS, ONLY_OFFICE_HOLDER):
                off.country, off.country_evidence = None, None


def _pair_countries(ctx: Discourse, mentions_of: dict[str, list[PersonMention]]) -> None:
    """Two officials under one plural title ("Prime Ministers A and B") in an article about two countries:
    one of each, in the order the article first names the countries."""
    facts = ctx.facts
    focus = ctx.main_countries[:2]
    if len(focus) < 2:
        return
    first_seen = {c.code: c.start for c in reversed(ctx.m.countries)}
    order = sorted(focus, key=lambda c: first_seen.get(c, 0))
    people = [pm for pm in ctx.m.people if pm.name and pm.kind in ("full", "surname") and pm.title]
    for a, b in zip(people, people[1:]):
        head = title_head(a.title or "")
        if not head or a.title != b.title or not re.search(rf"\b{re.escape(head)}s\b", ctx.text[a.start: a.end].lower()):
            continue
        if not re.fullmatch(r",?\s+and\s+", ctx.text[a.end: b.start]):
            continue
        first, second = facts.officials.get(person_key(a.name)), facts.officials.get(person_key(b.name))
        if first is None or second is None or first.country or second.country or first is second:
            continue
        pair = [first, second]
        holders = {o.country for o in facts.officials.values() if o.country and any(p.title == a.title for p in o.posts)}
        if holders & set(focus):
            continue  # one of the two already has an official of that title here
        for off, code in zip(pair, order):
            if code not in {x for p in off.posts for x in title_excludes(p.title)}:
                off.country = code
                off.country_evidence = replace(off.posts[0].evidence, rule=PLURAL_TITLE_PAIR)


