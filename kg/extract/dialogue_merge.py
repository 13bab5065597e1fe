"""Merging the mentions of one event: an event is named, then referred to ("the talks", "this visit"),
joined by people ("the delegation included X"), dated and placed by other sentences. The merged
events are the article's dialogues."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from kg.extract.candidates import DialogueMention, as_dialogue
from kg.extract.context import Discourse
from kg.facts import Dialogue, PlaceRef
from kg.gazetteer import gazetteer
from kg.mentions import NAME_SUFFIXES


def _event_key(d: DialogueMention) -> tuple[frozenset[str], str]:
    """Named events match across wordings: "US–New Zealand Strategic Dialogue" = "New Zealand–United States ...";
    the countries stay in the key, so that "Japan-US Meeting" and "Japan-Canada Meeting" are two meetings."""
    gz = gazetteer()
    words = re.findall(r"[A-Za-z][A-Za-z.]*", d.label)
    codes: set[str] = set()
    kept: list[str] = []
    k = 0
    while k < len(words):
        pair = gz.country(f"{words[k]} {words[k + 1]}") if k + 1 < len(words) else None
        if pair:
            codes.add(pair)
            k += 2
            continue
        single = gz.country(words[k])
        if single:
            codes.add(single)
        elif words[k].lower() not in ("the", "of"):
            kept.append(words[k].lower())
        k += 1
    return frozenset(codes), " ".join(kept)


def _same_name(a: DialogueMention, b: DialogueMention) -> bool:
    """The same event's name, with or without its countries ("the Defence Ministers' Meeting")."""
    codes_a, words_a = _event_key(a)
    codes_b, words_b = _event_key(b)
    if not (codes_a == codes_b or not codes_a or not codes_b):
        return False
    if words_a == words_b:
        return True
    # "the Forum Meeting" for "the Forum Foreign Ministers Meeting": the short name's words, in order, ending alike
    short, long_ = sorted((words_a.split(), words_b.split()), key=len)
    it = iter(long_)
    return len(short) >= 2 and short[-1] == long_[-1] and all(w in it for w in short)


def _compatible(a: DialogueMention, b: DialogueMention) -> bool:
    if a.status != b.status and not (a.headline or b.headline):
        return False  # what happened is never what is planned, even between the same people (a headline's tense may differ)
    if a.date and b.date and not (a.date.iso().startswith(b.date.iso()) or b.date.iso().startswith(a.date.iso())) \
            and not _days_apart(a, b):
        return False
    cities_a = {p.name for p in a.places if p.kind == "city"}
    cities_b = {p.name for p in b.places if p.kind == "city"}
    if cities_a and cities_b and not cities_a & cities_b:
        return False
    if a.named and b.named and not _same_name(a, b):
        return False
    if (a.type in _PRESS_TYPES) != (b.type in _PRESS_TYPES) and {a.type, b.type} & _MEETING_TYPES:
        return False  # a news conference after the talks is an event of its own
    if (a.type == "call") != (b.type == "call") and (a.places if b.type == "call" else b.places):
        return False  # talks somewhere are not the phone call that mentions them ("reviewed the round hosted by X")
    return True


_PRESS_TYPES = {"news conference", "press briefing"}
# Kinds of event in which officials talk to each other (a news conference is told apart from them).
_MEETING_TYPES = {"meeting", "talks", "call", "conversation", "dialogue", "summit", "consultations", "working lunch",
                  "dinner"}


def _other_sides(m: DialogueMention, d: DialogueMention) -> bool:
    """ "X received Y ... X paid a courtesy call to Z": each of two mentions has people the other lacks, so
    (unless the later one points back, "the meeting") they are two events that share a participant."""
    if (d.definite and not d.own_people) or len(d.participants) < 2 or len(m.participants) < 2:
        return False
    return bool(set(d.participants) - set(m.participants)) and bool(set(m.participants) - set(d.participants))


def _same_occurrence(a: DialogueMention, b: DialogueMention) -> bool:
    """Two mentions of a series' event are one meeting unless their ordinals, dates or cities differ."""
    oa, ob = a.ordinal, b.ordinal
    if oa and ob and oa != ob:
        return False
    return _compatible(a, b)


def _days_apart(a: DialogueMention, b: DialogueMention) -> bool:
    """A headline's event dated by the article's date may be the one the text dates a few days before."""
    if not (a.article_date or b.article_date):
        return False
    if not (a.date and b.date and a.date.day and b.date.day and a.date.month and b.date.month):
        return False
    gap = dt.date(a.date.year, a.date.month, a.date.day) - dt.date(b.date.year, b.date.month, b.date.day)
    return abs(gap.days) <= 3


def _as_status(d: DialogueMention, status: str) -> DialogueMention:
    """The mention told with another status ("the dialogue" of a later sentence is the earlier event)."""
    return replace(d, status=status)


def _absorb(into: DialogueMention, other: DialogueMention) -> None:
    for p in other.participants:
        if p not in into.participants:
            into.participants.append(p)
    for pl in other.places:
        if pl not in into.places:
            into.places.append(pl)
    if into.article_date and other.date and not other.article_date:
        into.date, into.article_date = other.date, False
    elif other.date and (into.date is None or len(other.date.iso()) > len(into.date.iso())) \
            and not other.article_date:
        into.date = other.date
    into.countries |= other.countries
    into.evidence += other.evidence
    if not into.ordinal:
        into.ordinal = other.ordinal
    if into.headline and not other.headline:
        # a headline's tense is loose ("agree to hold talks"): the text's sentence tells what happened
        into.status, into.headline = other.status, False
    elif other.status == "planned" and not (other.headline and not into.headline):
        into.status = "planned"
    if other.named and not into.named:
        into.label, into.named, into.type = other.label, True, other.type
    elif other.named and into.named and len(_event_key(other)[1].split()) > len(_event_key(into)[1].split()):
        into.label = other.label  # the full name ("Forum Foreign Ministers Meeting"), not its short form
    elif not into.named and _TYPE_RANK.get(other.type, 0) > _TYPE_RANK.get(into.type, 0) \
            and not (other.type == "call" and "courtesy" not in other.label and into.places and not other.places):
        # a telephone call never relabels a meeting held somewhere (a courtesy call is made in person)
        into.label, into.type = other.label, other.type


# A visit holds its meetings: the meetings are what a reader cites, so a meeting's word labels the event.
_TYPE_RANK = {"visit": 0, "talks": 1, "meeting": 2, "conversation": 2, "working lunch": 4, "press briefing": 4,
              "news conference": 5, "call": 5, "dialogue": 6, "summit": 6}


def merge_dialogues(ctx: Discourse, found: list[DialogueMention]) -> list[Dialogue]:
    """The article's events: the mentions of one event (by name, by people, "the talks", "this visit")
    merged into one, labelled, with the dateline's place for the main event when the text gives none."""
    merged: list[DialogueMention] = []
    for d in found:
        if d.separate:
            # "held separate talks with X": an event of its own, at the time and place of the one in focus
            focus = next((m for m in reversed(merged) if m.status == "held"), None)
            if focus is not None and d.status == "held":
                d.date = d.date or focus.date
                d.places = d.places or list(focus.places)
            merged.append(d)
            continue
        if d.follows and d.status == "held":
            # "after the meeting, X and Y held a news conference": where and when the meeting was
            focus = next((m for m in reversed(merged) if m.status == "held" and m.type != d.type), None)
            if focus is not None:
                d.date = d.date or focus.date
                d.places = d.places or list(focus.places)
        if d.type in _PRESS_TYPES and d.status == "held" and not d.date and not d.places and not d.named:
            # "during a visit to X on Thursday ... a joint press conference with Y": at the visit, on its day
            visit = next((m for m in reversed(merged) if m.status == "held" and m.type == "visit" and m.date and m.places),
                         None)
            if visit is not None:
                d.date, d.places = visit.date, list(visit.places)
        if d.also and d.status == "held" and not (d.date and d.places):
            # "X also met Y": on the occasion (the day, the place) of X's event told before
            occasion = next((m for m in reversed(merged) if m.status == "held" and set(m.participants) & set(d.participants)
                             and (m.date or m.places)), None) \
                or next((m for m in reversed(merged) if m.status == "held" and (m.date or m.places)),
                        None)  # "during a visit to X ... there, she also met Y": someone we know no office of
            if occasion is not None:
                d.date = d.date or occasion.date
                d.places = d.places or list(occasion.places)
        if d.attendance:
            # "the delegation included ...": the latest event that happened ("will include": that is planned), if any
            target = next((m for m in reversed(merged) if m.status == d.status and _compatible(m, d)), None)
            if target is not None:
                _absorb(target, d)
            continue
        target = _earlier_mention(merged, d)
        if target is not None:
            # "the dialogue" of a later sentence is the earlier event, whatever the sentence's tense
            _absorb(target, _as_status(d, target.status) if d.definite else d)
        else:
            merged.append(d)
    _merge_into_named_events(merged)
    _speakers_of_the_briefing(ctx, merged)
    _named_sides(ctx, merged)
    _attendees_of_the_occasion(merged)
    result = _with_dateline_place(ctx, merged)
    for d in result:
        d.label = _dialogue_label(ctx, d)
    return [as_dialogue(d) for d in result]


def _earlier_mention(merged: list[DialogueMention], d: DialogueMention) -> DialogueMention | None:
    """The event of `merged` that `d` mentions again, if any. A generic mention that turns out to be the
    named event `d` is merged into `d` (and taken out of `merged`) here."""
    target = None
    if d.named:
        target = next((m for m in merged if m.named and _same_name(m, d) and _same_occurrence(m, d)), None)
    if d.setting:
        return target  # the occasion of another event ("on the margins of the Summit") is that event only by name
    if target is None and d.participants:
        # the latest event with all its people, else the first with some of them
        target = next((m for m in reversed(merged) if set(d.participants) <= set(m.participants) and _compatible(m, d)
                       and not (m.named and d.named) and not m.setting), None) \
            or next((m for m in merged if set(m.participants) & set(d.participants) and _compatible(m, d)
                     and not (m.named and d.named) and not _other_sides(m, d) and not m.setting), None)
    if target is None and d.participants and not d.named:
        # a headline's event without its people ("Talks in Ottawa") is the first one the text gives people to
        target = next((m for m in merged if m.title_line and not m.participants and not m.named
                       and (m.places or (m.date and not m.article_date)) and _compatible(m, d)), None)
    if target is None and d.refers_back:
        # "X hosted the talks with Y": the talks an earlier sentence reported without its people
        target = next((m for m in reversed(merged) if not m.participants and _compatible(m, _as_status(d, m.status))), None)
    if target is None and d.definite:
        # "this visit", "the dialogue": the latest event of that kind, planned or not
        # ("X's meeting with Y" names its own people: not an event of others)
        target = next((m for m in reversed(merged) if _compatible(m, _as_status(d, m.status)) and not m.setting
                       and (m.type == d.type or d.type in ("talks", "meeting", "dialogue", "visit"))
                       and not (d.own_people and m.participants and not set(m.participants) >= set(d.participants))),
                      None)
    if target is None and not d.participants and not d.named and not d.setting:
        # ... but a summit is never a press conference or a call of the text's people
        target = next((m for m in merged if _compatible(m, d) and m.status == "held"
                       and (d.type != "summit" or m.type == "summit")), None)
    if target is None and d.named and not d.participants:
        generic = next((m for m in merged if not m.named and not m.participants and _compatible(m, d)), None)
        if generic is not None:
            _absorb(d, generic)
            merged.remove(generic)
    if target is None and d.named:
        # a generic mention earlier in the article ("high-level talks") may be this named event
        generic = next((m for m in merged if not m.named and _compatible(m, d)
                        and not set(m.participants) - set(d.participants)), None)
        if generic is not None:
            _absorb(d, generic)
            merged.remove(generic)
    return target


def _merge_into_named_events(merged: list[DialogueMention]) -> None:
    """A meeting of people who all attended a named event it fits is that event ("met ... for the X Meeting"),
    and a headline naming an event without its people names the first such meeting of the text."""
    for d in [m for m in merged if not m.named and m.participants and not m.setting]:
        target = next((m for m in merged if m.named and m.status == d.status and set(d.participants) <= set(m.participants)
                       and _compatible(m, d)), None)
        if target is None:
            # the nearest title above it: the article's, or a section's ("Japan-Canada Meeting")
            before = merged[: merged.index(d)]
            target = next((m for m in reversed(before) if m.named and m.title_line and not m.participants
                           and not m.setting and _compatible(m, d)), None)
        if target is not None:
            _absorb(target, d)
            merged.remove(d)


def _speakers_of_the_briefing(ctx: Discourse, merged: list[DialogueMention]) -> None:
    """A transcript headed as a news conference: those who speak in it took part in it."""
    briefing = next((m for m in merged if m.title_line and m.type in _PRESS_TYPES and m.status == "held"), None)
    if briefing is None:
        return
    for at, _ in ctx.speakers:
        who = ctx.speaker_at(at)
        if who is not None and who not in briefing.participants:
            briefing.participants.append(who)


_SIDED_TYPES = ("meeting", "talks", "dialogue", "consultations")


def _named_sides(ctx: Discourse, merged: list[DialogueMention]) -> None:
    """A meeting its name gives two sides ("A-B Defence Ministers' Meeting", one of a minister's series of
    "A-B Meeting" readouts) with nobody of one side: that side's official who takes part in the most
    of the article's other events (the visitor welcomed, the minister of the series), if only one does."""
    for d in merged:
        if not d.named or d.type not in _SIDED_TYPES or not d.participants:
            continue
        sides = _event_key(d)[0]
        present = {ctx.facts.officials[k].country for k in d.participants if k in ctx.facts.officials}
        missing = sides - present
        if len(sides) != 2 or len(missing) != 1:
            continue
        side = next(iter(missing))
        counts = {k: sum(k in m.participants for m in merged if m is not d)
                  for k, o in ctx.facts.officials.items() if o.country == side}
        ranked = sorted(((n, k) for k, n in counts.items() if n), reverse=True)
        if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            d.participants.append(ranked[0][1])


def _attendees_of_the_occasion(merged: list[DialogueMention]) -> None:
    """ "X met Y on the sidelines of the Z Meeting": both attended Z. Only when one meeting of the text is
    told beside Z: two bilaterals on its margins would pair the guests of one with those of the other."""
    for d in merged:
        if not d.setting or d.participants or not d.named or d.type == "visit":
            continue
        spans = {(e.start, e.end) for e in d.evidence}
        beside = [m for m in merged if m is not d and not m.setting and m.status == "held" and m.type in _MEETING_TYPES
                  and spans & {(e.start, e.end) for e in m.evidence}]
        if len(beside) == 1:
            d.participants = list(beside[0].participants)


def _with_dateline_place(ctx: Discourse, merged: list[DialogueMention]) -> list[DialogueMention]:
    """The events worth a fact (people, a name or a place), the first held one placed at the dateline's
    city when the text gives no place."""
    dateline = ctx.article.dateline_place
    result: list[DialogueMention] = []
    for d in merged:
        if not d.participants and not d.named and (not d.places or (
                d.status == "planned" and all(p.kind == "country" for p in d.places))):
            continue  # "to visit China at a convenient time": nobody, no time, no more than a country
        if not d.places and d.date and d.date.day and d.status == "held":
            # the same people on the same day: where their other event was ("a working lunch" before the briefing)
            same_day = next((m for m in merged if m is not d and m.places and m.date == d.date and m.status == "held"
                             and set(m.participants) & set(d.participants)), None)
            if same_day is not None:
                d.places = list(same_day.places)
        if not d.places and ctx.headline_places and d.status == "held" and d.type != "visit":
            d.places = list(ctx.headline_places)
        if not d.places and dateline and not result and d.status == "held":
            city = ctx.gz.city(dateline)
            if city and _abroad(ctx, city.country):
                city = None  # "KUALA LUMPUR (agency) -- ... on an official visit to Brunei": where it was written
            if city:
                d.places.append(PlaceRef("Washington, D.C." if city.name == "Washington" and city.country == "USA" else city.name,
                                         city.country, city.geonameid, "city"))
        result.append(d)
    return result


_TRAVEL_TO = re.compile(r"\b(?:visit|visits|visited|visiting|trip|travel(?:led|ed|s)?|arrived|arrives|tour)\s+"
                        r"(?:to|in)\s+(?:the\s+)?$", re.I)


def _abroad(ctx: Discourse, home: str | None) -> bool:
    """Whether the text tells of a visit to a country other than the dateline's."""
    text = ctx.text
    return any(c.code != home and _TRAVEL_TO.search(text[max(0, c.start - 30): c.start]) for c in ctx.m.countries)


def _dialogue_label(ctx: Discourse, d: Dialogue) -> str:
    base = re.sub(r"\s+", " ", d.label).strip()
    if d.named:
        if d.date and d.date.iso()[:4] not in base:
            base = f"{base} {d.date.iso()[:4]}"
        return base
    base = base[0].lower() + base[1:] if base[:2] != base[:2].upper() else base
    names = [ctx.facts.officials[k].name.split()[-1] if ctx.facts.officials[k].name.split()[-1].lower().rstrip(".") not in NAME_SUFFIXES
             else ctx.facts.officials[k].name.split()[-2] for k in d.participants if k in ctx.facts.officials]
    label = base
    if names:
        label += " of " + " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    cities = [p.name for p in d.places]
    if cities:
        label += " in " + " and ".join(cities[:2])
    if d.date:
        label += f", {d.date.iso()}"
    return label


def fill_dialogue_countries(ctx: Discourse) -> None:
    for d in ctx.facts.dialogues:
        d.participants = [p for p in d.participants if p in ctx.facts.officials]
        for p in d.participants:
            c = ctx.facts.officials[p].country
            if c:
                d.countries.add(c)
