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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from kg.extract.context import Discourse, person_key
from kg.facts import Official, Post
from kg.gazetteer import fold, gazetteer
from kg.mentions import NAME_SUFFIXES, PersonMention, style_country, title_excludes

# the rule id of a post read with a person's name ("Foreign Minister Ana Berg", "Berg, the foreign minister")
TITLED_NAME = "officials.titled-name"
# the rule id of an official's country voted for by the countries of their titles
COUNTRY_OF_TITLE = "officials.country-of-title"
PLURAL_TITLE_PAIR = "officials.plural-title-pair"


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
        key = _official_with_title(ctx, pm.title, pm.start)
        if key is not None:
            ctx.resolved.append((pm.start, pm.end, key))
    _resolve_bare_surnames(ctx, by_surname)
    ctx.resolved.sort()


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
            key = by_surname.get(fold(pm.surname))
            if key is None:
                key = person_key(pm.name)
                facts.officials.setdefault(key, Official(key=key, name=pm.name))
                by_surname[fold(pm.surname)] = key
            pm.name = facts.officials[key].name
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
    _continue_lists(ctx)
    for pm in people:
        if pm.country is None:
            pm.country = style_country(pm.title)
    for off in facts.officials.values():
        for post in off.posts:
            if post.country is None:
                mention = next((p for p in people if p.title == post.title and p.name and person_key(p.name) == off.key), None)
                post.country = mention.country if mention else style_country(post.title)
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
        excluded: set[str] = set()
        for p in off.posts:
            excluded |= title_excludes(p.title)
        for country_rule in COUNTRY_RULES:
            choice = country_rule.find(setting, off, excluded)
            if choice is None:
                continue
            if choice not in excluded:
                off.country = choice
                off.country_evidence = replace(off.posts[0].evidence, rule=country_rule.id)
            break
    for off in facts.officials.values():
        for post in off.posts:
            if post.country is None:
                post.country = off.country
    # an official is someone with an office
    for key in [k for k, o in facts.officials.items() if not o.posts or not o.country]:
        del facts.officials[key]


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
        self.focus = ctx.main_countries[:2]
        self.mentioned = set(ctx.facts.countries)
        place = ctx.article.dateline_place
        self.dateline = ctx.gz.city(place) if place else None


@dataclass(frozen=True)
class CountryRule:
    """A way to find the country of an official no title gives one: the first that finds one decides
    (a country the official's titles exclude then leaves the official without)."""

    id: str
    find: Callable[[_CountrySetting, Official, set[str]], str | None]


def _in_own_sentences(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The delegation a sentence puts the official in, or "our" in a speaker's turn (first mention first)."""
    for pm in setting.mentions_of.get(off.key, []):
        choice = _delegation_country(setting.ctx, pm) or _speaker_country(setting.ctx, pm)
        if choice:
            return choice
    return None


def _us_secretary(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """A cabinet member styled only "Secretary": the US usage."""
    if all(p.title == "secretary" for p in off.posts) and "USA" in setting.mentioned and "USA" not in setting.known:
        return "USA"
    return None


def _article_focus(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """A country the article is about that no other official here already stands for: a guess between
    counterparts of one country would more often be wrong than right."""
    candidates = [c for c in setting.focus if c not in excluded]
    counterpart = [c for c in candidates if c not in setting.known]
    return (counterpart or [None])[0] if setting.known else (candidates or [None])[0]


def _dateline_host(setting: _CountrySetting, off: Official, excluded: set[str]) -> str | None:
    """The host of the event the article reports from."""
    dateline = setting.dateline
    if dateline and dateline.country in setting.mentioned and dateline.country not in excluded:
        return dateline.country
    return None


COUNTRY_RULES: tuple[CountryRule, ...] = (
    CountryRule("officials.own-sentences", _in_own_sentences),
    CountryRule("officials.us-secretary", _us_secretary),
    CountryRule("officials.article-focus", _article_focus),
    CountryRule("officials.dateline-host", _dateline_host),
)


_DELEGATION = re.compile(r"^(?:'s|’s)?\s+(?:delegation|side|team|contingent)\b", re.I)
_OUR_AFTER = re.compile(r"^,?\s*(?:our|my)\b", re.I)
_OUR_BEFORE = re.compile(r"\b(?:our|my)\s+$", re.I)



def _delegation_country(ctx: Discourse, pm: PersonMention) -> str | None:
    """The country of the delegation or side the sentence puts an official in before naming them
    ("The Indian delegation was led by X and included Foreign Secretary Y")."""
    sent = ctx.sentence_at(pm.start)
    found = None
    for c in ctx.m.countries:
        if sent.start_char <= c.start < pm.start and c.kind in ("name", "demonym", "alias") \
                and _DELEGATION.match(ctx.text[c.end: c.end + 24]):
            found = c.code
    return found


def _speaker_country(ctx: Discourse, pm: PersonMention) -> str | None:
    """ "General X, our chief of defence staff" in a speaker's turn: the speaker's country."""
    if not (_OUR_AFTER.match(ctx.text[pm.end: pm.end + 8]) or _OUR_BEFORE.search(ctx.text[max(0, pm.start - 6): pm.start])):
        return None
    speaker = ctx.speaker_at(pm.start)
    return ctx.facts.officials[speaker].country if speaker else None


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
        pair = [facts.officials.get(person_key(a.name)), facts.officials.get(person_key(b.name))]
        if any(o is None or o.country for o in pair) or pair[0] is pair[1]:
            continue
        holders = {o.country for o in facts.officials.values() if o.country and any(p.title == a.title for p in o.posts)}
        if holders & set(focus):
            continue  # one of the two already has an official of that title here
        for off, code in zip(pair, order):
            if code not in {x for p in off.posts for x in title_excludes(p.title)}:
                off.country = code
                off.country_evidence = replace(off.posts[0].evidence, rule=PLURAL_TITLE_PAIR)



