"""What the rules find before it becomes a fact: a fact's type with the fields that later rules
refine it by. Declared here so that every field is copied (`dataclasses.replace`) and checked;
`as_dialogue` and `as_treaty` give the plain facts of `kg.facts` once the article is read."""

from __future__ import annotations

from dataclasses import dataclass, fields

from kg.facts import Dialogue, Treaty


@dataclass
class DialogueMention(Dialogue):
    """One sentence's mention of an event, as `dialogue_merge` reads it to merge mentions into events."""

    definite: bool = False  # "the talks", "this visit", "their meeting": an event named before
    own_people: bool = False  # its people are named in its own phrase ("X's meeting with Y", "talks between X and Y")
    refers_back: bool = False  # "hosted the talks with Y": a verb whose object is an earlier event
    separate: bool = False  # "held separate talks with X": an event of its own beside the one in focus
    follows: bool = False  # "after the meeting, they held a news conference": at the time and place of that event
    also: bool = False  # "X also met Y": on the occasion of X's event told before
    attendance: bool = False  # "the delegation included X": people joining the event in focus
    title_line: bool = False  # read from the headline or the line under it
    headline: bool = False  # read from a line with no sentence's closing punctuation (a headline, a heading)
    setting: bool = False  # the occasion of another event ("on the margins of the X Meeting")
    article_date: bool = False  # dated by the article's date, for want of a date of its own
    ordinal: str | None = None  # which of a series ("fourth", "58th"; "1" for "inaugural")


@dataclass
class TreatyMention(Treaty):
    """An agreement as the treaty rules build it up over the article's sentences."""

    named_parties: bool = False  # its name or proposal names two or more parties: no others join


def as_dialogue(d: Dialogue) -> Dialogue:
    return Dialogue(**{f.name: getattr(d, f.name) for f in fields(Dialogue)})


def as_treaty(t: Treaty) -> Treaty:
    return Treaty(**{f.name: getattr(t, f.name) for f in fields(Treaty)})
