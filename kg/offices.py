"""Canonical offices: the wordings of one office as one concept, per country usage.

The concepts and their wordings are SKOS data (`ontology/offices.ttl`): general usage, offices and
never people. A title is first split into the offices it combines ("Deputy Prime Minister and
Minister for Defence" is two); each part is then looked up among the wordings of the concepts
used in the post's country, then among those of general usage. A wording no concept lists is an
office of its own, known by its wording with the usual variants made one ("defense" is
"defence", "Minister of Trade" is "trade minister").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import fold

OFFICE_NS = "https://w3id.org/kg-news/id/office/"
_USED_IN = "https://w3id.org/kg-news/ontology#usedIn"

# Words that make what follows "and" an office of its own ("... and Minister for Defence"); without
# one it continues the office before it ("Minister of Foreign Affairs and Trade").
_OFFICE_HEADS = frozenset({"minister", "secretary", "president", "premier", "chancellor", "treasurer", "leader",
                           "chief", "commander", "governor", "adviser", "advisor", "ambassador", "envoy",
                           "spokesperson", "director", "chairman", "chairwoman", "chair", "attorney", "head"})
# A title that names no office by itself: it is the office the article gives the same person.
BARE_TITLES = frozenset({"secretary", "minister", "the minister", "the secretary", "cabinet secretary"})


@dataclass(frozen=True)
class Office:
    """One office a title names: its IRI (a SKOS concept, or one made from the wording) and the
    part of the title that names it, as written."""

    iri: str
    wording: str
    known: bool  # a concept of the table, not a wording of its own


def _normal(text: str) -> str:
    text = fold(text).replace("defense", "defence").replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9, ]+", " ", text).split())


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(general wording -> concept, (country code, wording) -> concept)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from kg.ontology import data_dir

    graph = Graph()
    with (data_dir("ontology") / "offices.ttl").open("rb") as f:
        graph.parse(f, format="turtle")
    general: dict[str, str] = {}
    national: dict[tuple[str, str], str] = {}
    for concept in sorted(set(graph.subjects(SKOS.inScheme, None)), key=str):
        countries = [str(c).rsplit("/", 1)[-1] for c in graph.objects(concept, URIRef(_USED_IN))]
        # wordings of another concept, in these countries' usage: they name that concept
        same = sorted(graph.objects(concept, SKOS.exactMatch), key=str)
        iri = str(same[0]) if countries and same else str(concept)
        for label in sorted({*graph.objects(concept, SKOS.prefLabel), *graph.objects(concept, SKOS.altLabel)}, key=str):
            wording = _normal(str(label))
            if countries:
                for code in countries:
                    national[(code, wording)] = iri
            else:
                general.setdefault(wording, iri)
    return general, national


def _own_office(wording: str) -> str:
    """An office no concept lists, known by its wording: "minister of X" and "X minister" are one."""
    m = re.fullmatch(r"(.*?)\b(minister|secretary) (?:of|for) (?:the )?(.+)", wording)
    if m:
        wording = f"{m.group(1)}{m.group(3)} {m.group(2)}"
    return OFFICE_NS + (re.sub(r"[^a-z0-9]+", "-", wording).strip("-") or "office")


def split_title(title: str) -> list[str]:
    """The offices a title combines, as written: "Deputy Prime Minister and Minister for Defence" is
    two; "Minister of Foreign Affairs and Trade" one."""
    parts = re.split(r"\s*(?:,\s*and|,|\band\b|&)\s+", title.strip())
    offices: list[str] = []
    for part in parts:
        if offices and not _OFFICE_HEADS & set(_normal(part).replace(",", " ").split()):
            offices[-1] = f"{offices[-1]} and {part}" if re.search(r"\band\s+" + re.escape(part), title) \
                else f"{offices[-1]}, {part}"
        elif part.strip():
            offices.append(part.strip())
    return offices


def _without_country(wording: str) -> str:
    """"prime minister of australia" is the prime minister, "secretary of defence of the philippines"
    the secretary of defence (the post's country says whose): the first "of" followed by nothing but
    a country's name."""
    from kg.gazetteer import gazetteer

    for m in re.finditer(r" of (?:the )?", wording):
        rest = wording[m.end():]
        # _normal made "people's" "people s"; the gazetteer knows the name with its apostrophe
        if re.fullmatch(r"[a-z ,'-]+", rest) and gazetteer().country(re.sub(r"\b(\w+) s\b", r"\1's", rest)):
            return wording[:m.start()]
    return wording


# Words that qualify an office without changing it: "Minister of National Defence" is the defence
# minister, "Federal Foreign Minister" the foreign minister, "Union Home Minister" the home minister.
_QUALIFIERS = re.compile(r"\b(?:national|federal|union)\b ?")
# A minister's portfolio names the office first and may add others: "Minister of Foreign Affairs and
# Trade", "Minister for Foreign Affairs and International Cooperation", "Minister of Foreign and
# X Affairs" are the foreign minister. (A secretary of such a ministry may head its civil service
# instead, so only a minister's title is read this way.)
_MINISTER_OF = re.compile(r"(minister (?:of|for) )(?:the )?(\w+)(?: and [\w ]+| ,[\w ,]+)? (affairs)\b.*|"
                          r"(minister (?:of|for) )(?:the )?([\w ]+?)(?: and |, ).*")


def _plain(wording: str) -> str:
    """The wording without qualifiers ("federal foreign minister" is "foreign minister")."""
    return " ".join(_QUALIFIERS.sub("", wording).split()) or wording


def _readings(wording: str) -> list[str]:
    """The wording, then the same office without qualifiers, then a minister's first portfolio."""
    found = [wording, _plain(wording)]
    for text in list(found):
        m = _MINISTER_OF.fullmatch(text)
        if m and m.group(1):
            found.append(f"{m.group(1)}{m.group(2)} {m.group(3)}")
        elif m:
            found.append(f"{m.group(4)}{m.group(5)}")
    return list(dict.fromkeys(found))


def offices_of(title: str, country: str | None) -> list[Office]:
    """The canonical offices a title names, for a post of `country` (ISO code)."""
    general, national = _table()
    found: list[Office] = []
    for part in split_title(title):
        wording = _without_country(_normal(part))
        if wording in BARE_TITLES:
            continue
        readings = _readings(wording)
        concept = next((c for w in readings if (c := national.get((country or "", w)) or general.get(w))), None)
        if concept:
            office = Office(concept, part, True)
        elif (deputy := next((d for w in readings if (d := _deputy_office(w, country))), None)) is not None:
            office = Office(deputy, part, False)
        else:
            office = Office(_own_office(_plain(wording)), part, False)
        if office.iri not in {o.iri for o in found}:
            found.append(office)
    return found


# Ranks below an office that keep its name: "Deputy Foreign Minister" and "Deputy Minister of Foreign
# Affairs" are one office, the deputy of the foreign minister.
_DEPUTY_RANKS = ("deputy", "vice", "assistant", "under", "junior", "parliamentary")


def _deputy_office(wording: str, country: str | None) -> str | None:
    """The office of a deputy to an office the table knows ("deputy foreign minister"), or None."""
    general, national = _table()
    rank, _, rest = wording.partition(" ")
    if rank not in _DEPUTY_RANKS or not rest:
        return None
    concept = national.get((country or "", rest)) or general.get(rest)
    return None if concept is None else f"{OFFICE_NS}{rank}-{concept.rsplit('/', 1)[-1]}"


def is_bare(title: str) -> bool:
    """A title that names no office by itself ("Secretary", "the minister")."""
    return _normal(title) in BARE_TITLES


def bare_office(title: str) -> Office:
    """The office of a bare title, for an official no article gives a full office."""
    wording = _normal(title).removeprefix("the ")
    return Office(_own_office(wording), title, False)
