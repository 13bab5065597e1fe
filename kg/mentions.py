"""Mentions in one article: countries, places, dates and people with their titles.

Countries are found by name, alias, demonym, capital or government body; people through office
titles ("U.S. Deputy Secretary of State Christopher Landau", "Panetta, the US defence secretary",
a name line followed by title lines, "SECRETARY BLINKEN:" speaker labels) with spaCy's PERSON
entities for the names that stand alone. Every mention carries character offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.dates import DateMention, PartialDate, find_dates
from kg.gazetteer import (
    COUNTRY_STYLE_TITLES,
    GOVERNMENT_BODIES,
    NO_PRESIDENT,
    NO_PRIME_MINISTER,
    Gazetteer,
    fold,
    gazetteer,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# --- office titles (general knowledge of how offices are named) -------------------------------------

TITLE_MODIFIERS = {
    "deputy", "vice", "under", "assistant", "associate", "principal", "acting", "senior", "special",
    "permanent", "executive", "former", "lieutenant", "rear", "major", "parliamentary", "high",
}
TITLE_HEADS = {
    "minister", "secretary", "president", "premier", "chancellor", "ambassador", "envoy", "spokesperson",
    "spokesman", "spokeswoman", "commander", "admiral", "general", "chief", "director", "adviser", "advisor",
    "chairman", "chairwoman", "consul", "governor", "king", "queen", "emperor", "senator", "commissioner",
    "undersecretary", "secretary-general", "attaché", "attache", "counsellor", "counselor", "colonel",
    "brigadier", "vice-president", "vice-chairman", "leader", "ministers", "secretaries", "presidents",
    "head", "sultan", "emir", "amir", "taoiseach", "tánaiste", "tanaiste", "ambassadors", "member",
    "attorney", "solicitor", "marshal", "commodore",
}
# Heads that are also common words: only a title when capitalized or followed by a name.
WEAK_HEADS = {"general", "chief", "director", "commander", "leader", "governor", "king", "queen", "adviser",
              "attorney", "solicitor", "marshal", "commodore",
              "advisor", "counsellor", "counselor", "chairman", "president", "colonel", "brigadier", "head"}
TITLE_DOMAINS = {
    "defence", "defense", "foreign", "trade", "finance", "treasury", "home", "interior", "justice", "health",
    "energy", "commerce", "agriculture", "education", "economy", "environment", "climate", "security", "prime",
    "navy", "army", "intelligence", "immigration", "police", "transport", "industry", "cabinet", "state",
    "pentagon", "military", "naval", "fleet", "joint", "national", "defence-force", "affairs", "policy",
    "external",
}
# Words that may stand in the "of/for/to ..." part of a title.
COMPLEMENT_WORDS = {
    "state", "defense", "defence", "national", "foreign", "affairs", "and", "trade", "treasury", "the", "force",
    "forces", "staff", "joint", "chiefs", "of", "security", "homeland", "east", "asian", "pacific", "south",
    "north", "west", "western", "european", "europe", "eurasian", "asia", "africa", "african", "american",
    "hemisphere", "political", "economic", "arms", "control", "international", "navy", "army", "air", "marine",
    "corps", "finance", "justice", "health", "energy", "commerce", "interior", "home", "environment", "climate",
    "change", "development", "cooperation", "co-operation", "industry", "police", "immigration", "intelligence",
    "policy", "public", "diplomacy", "global", "operations", "veterans", "education", "agriculture", "labor",
    "labour", "transport", "transportation", "infrastructure", "culture", "fisheries", "oceans", "regional",
    "science", "technology", "resources", "indo-pacific", "asia-pacific", "oceania", "disarmament", "planning",
    "command", "acquisition", "sustainment", "research", "engineering", "personnel", "readiness", "logistics",
    "space", "cyber", "nuclear", "strategy", "plans", "capabilities", "budget", "management", "legislative",
    "multilateral", "relations", "treasury's", "for", "to", "external", "overseas", "commonwealth", "central",
    "middle", "near", "eastern", "southeast", "southern", "northern", "latin", "america", "americas",
    "caribbean", "emergency", "national-security", "islands", "cabinet", "prime", "minister", "office",
    "department", "armed", "military", "ministry", "administration", "tourism", "investment", "innovation",
    "communications", "employment", "housing", "heritage", "aviation", "water", "mines", "mining", "petroleum",
    "natural", "forestry", "lands", "rural", "urban", "local", "citizenship", "diaspora", "integration",
    "maritime", "ocean", "exports", "royal", "ireland", "scotland", "wales", "self-defense", "self-defence",
    "communist", "party", "committee", "country",
}
HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "dame", "hon", "rt", "rt.", "hon.", "mr.", "mrs.", "ms.", "dr.", "h.e.",
              "the", "honourable", "honorable", "excellency", "his", "her", "lord", "lady",
              # styles of other languages and services in English text: "Shri", "Prof", "Msgr.", "Datuk", "Sheikh"
              "shri", "smt", "prof", "prof.", "professor", "msgr", "msgr.", "monsignor", "datuk", "dato", "dato'",
              "datin", "tun", "pehin", "dayang", "awang", "pengiran", "sheikh", "shaikh", "samdech", "haji", "hajah",
              "archbishop", "cardinal", "bishop", "reverend", "rev", "rev.", "fr", "fr."}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Letters after a name that are not part of it: "Richard Marles MP", "Anna Berg KC".
POSTNOMINALS = {"MP", "MPs", "MLA", "MHR", "MSP", "QC", "KC", "AO", "AC", "AM", "CBE", "OBE", "MBE", "KBE", "DBE",
                "KCMG", "GCMG", "CMG", "ONZM", "CNZM", "KNZM", "DCNZM", "PC", "TD", "MK", "M.K.", "PhD", "Ph.D.", "MLC",
                "MPP", "MNA", "SC", "JP", "DSO", "MC", "GCB", "KCB", "CB", "OAM", "AFC", "CSC", "GNZM",
                "CVO", "LVO", "DSC", "DSM", "CSM", "MVO", "QSO", "ONZ", "NZM", "VC", "GC", "OM"}
# Words of a style that follow its first word ("Datuk Seri", "Dato' Paduka", "Tan Sri"): skipped only there.
_STYLE_CONTINUATIONS = {"seri", "sri", "paduka", "pahlawan", "setia", "panglima", "utama", "datu", "excellency"}
# Lower-case particles inside names ("Ahmed al-Sharaa", "Mohammed bin Salman", "Padilla de Arretureta").
NAME_PARTICLES = {"al", "el", "bin", "binti", "bint", "ibn", "de", "del", "della", "da", "das", "dos", "du", "van", "von",
                  "der", "den", "ter", "la", "le", "di", "y", "abu"}
_HONORIFIC_WORDS = {h.rstrip(".") for h in HONORIFICS}
_STYLE_WORDS = {"hon", "honourable", "honorable", "rt", "right"}
# The lower-case syllable after a hyphen in a given name ("Min-jun", "Dong-hyun"), not "-led", "-based".
_GIVEN_NAME_SYLLABLE = re.compile(r"(?!(?:led|based|era|made|run|type|like|style|class|wide|born)$)[a-z]{2,5}")
# Military and parliamentary ranks that may stand before a name in an apposition.
_RANK_WORDS = {"general", "admiral", "colonel", "brigadier", "major", "captain", "commander", "lieutenant",
               "senator", "marshal", "commodore"}
NOT_NAME_WORDS = {
    "department", "ministry", "office", "forum", "summit", "dialogue", "room", "building", "program", "programme",
    "agreement", "treaty", "administration", "government", "forces", "force", "navy", "army", "embassy",
    "council", "committee", "commission", "islands", "pacific", "asia", "house", "news", "press", "briefing",
    "good", "morning", "afternoon", "thank", "thanks", "today", "yesterday", "presenter", "by", "and", "the",
    "of", "for", "on", "in", "at", "with", "statement", "joint", "remarks", "readout", "transcript", "said",
    "says", "told", "spoke", "met", "will", "has", "had", "was", "is", "to", "before", "after", "their",
    "under", "during", "following", "from", "since", "over", "through", "within", "while", "as", "when",
    "calls", "visits", "meets", "hosts", "travels", "welcomes", "hold", "holds", "also", "alliance",
    "initiative", "policy", "strategy", "partnership", "framework", "declaration", "coast", "guard", "self",
    "defense", "defence", "state", "foreign", "affairs", "trade", "minister", "secretary", "president",
    # events and documents ("Foreign Ministers Meeting Outcomes Document"), and the verbs of headlines
    # written in capitals ("President Ana Berg Speaks with ...")
    "meeting", "meetings", "talks", "conference", "outcomes", "outcome", "document", "communique", "communiqué",
    "report", "counsel", "speaks", "receives", "signs", "discusses", "attends", "arrives", "leaves", "urges",
    "congratulates", "deposits", "praises", "commends", "condemns", "announces", "launches", "opens",
    "addresses", "chairs", "leads", "joins", "concludes", "reaffirms", "agree", "agrees", "pledges", "highlights",
    "phones", "greets", "sends", "stresses", "tells", "expresses", "reviews", "witnesses", "marks",
    "ratifies", "presents", "lays", "inaugurates", "observes", "briefs", "honours", "honors", "delivers",
}
# Words that end the names of companies and bodies, not people ("General Dynamics Land Systems").
ORG_WORDS = {
    "systems", "dynamics", "corporation", "corp", "inc", "ltd", "limited", "group", "industries", "technologies",
    "aerospace", "motors", "electric", "company", "co", "airlines", "airways", "bank", "holdings", "media",
    "labs", "laboratories", "university", "institute", "foundation", "association", "agency", "authority",
    "party", "union", "times", "post", "journal", "network", "broadcasting", "shipbuilding", "works", "electronics",
    "organization", "organisation", "organizations", "organisations", "service", "services", "secretariat", "directorate", "bureau", "commission",
    "community", "court", "tribunal", "centre", "center", "fund", "assembly", "parliament", "unit",
}
# A hyphenated given name with a lower-case second syllable, written after the family name.
_FAMILY_NAME_FIRST = re.compile(r"[A-Z][a-z]+-[a-z]{2,5}")
# Last words of the names of bodies that are no part of a state: an office after them is a private one.
_PRIVATE_BODY_WORDS = {"institute", "university", "college", "company", "corporation", "corp", "inc", "ltd", "limited",
                       "group", "foundation", "association", "times", "post", "journal", "network", "broadcasting",
                       "airlines", "airways", "motors", "industries", "technologies", "aerospace", "systems", "holdings",
                       "media", "labs", "laboratories", "shipbuilding", "electronics", "club", "society"}
# Words after capitalised ones that make them the name of a body, not of a person.
_BODY_WORDS = {"forces", "force", "ministry", "department", "office", "command", "agency", "council", "corps"}
MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
               "saturday", "sunday"}


@dataclass
class CountryMention:
    start: int
    end: int
    code: str
    kind: str  # name, demonym, capital, body, alias


@dataclass
class PersonMention:
    start: int
    end: int
    name: str  # as written, title-cased when the text was in capitals
    title: str | None = None
    country: str | None = None
    organization: str | None = None
    kind: str = "full"  # full, surname, title, speaker, pronoun
    list_continuation: bool = False  # follows another official in a list ("; Chief of ... X")

    @property
    def surname(self) -> str:
        tokens = [t for t in self.name.split() if fold(t).rstrip(".") not in {s.rstrip(".") for s in NAME_SUFFIXES}]
        if len(tokens) == 2 and _FAMILY_NAME_FIRST.fullmatch(tokens[1]):
            return tokens[0]  # "Park Min-jun": the family name comes first, the given name is hyphenated
        capitals = [t for t in tokens if len(t) > 1 and t.isupper() and t.isalpha()]
        if len(capitals) == 1 and len(tokens) > 1:
            return capitals[0]  # "TANAKA Yuki", "Eli COHEN": the family name is the one in capitals
        return tokens[-1] if tokens else self.name


@dataclass
class PlaceMention:
    start: int
    end: int
    name: str
    country: str | None
    geonameid: int | None
    kind: str  # city, country, venue


@dataclass
class Mentions:
    countries: list[CountryMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    speakers: list[tuple[int, str]] = field(default_factory=list)  # (offset, person name) speaker turns
    text: str = ""  # the Doc's text, all offsets refer to it
    lowers: list[str] = field(default_factory=list)  # each token's text in lower case
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) tokens of each sentence
    ents: Sequence[Span] = ()  # spaCy's entities


def token_strings(doc: Doc, attribute: str, lower: bool = True) -> list[str]:
    """Each token's string attribute (ORTH, LOWER, LEMMA, ...), in lower case unless `lower` is false,
    read from spaCy's array at once: going through Token objects costs far more than the lookups."""
    strings = doc.vocab.strings
    memo: dict[int, str] = {}
    out = []
    for h in doc.to_array(attribute).tolist():
        text = memo.get(h)
        if text is None:
            text = memo[h] = strings[h].lower() if lower else strings[h]
        out.append(text)
    return out


def token_lowers(doc: Doc) -> list[str]:
    """Each token's text in lower case (`tok.text.lower()`)."""
    return token_strings(doc, "LOWER")


# --- countries ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_regex() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]]]:
    gz = gazetteer()
    table: dict[str, tuple[str, str]] = {}
    for name, code in gz.country_names.items():
        table.setdefault(name, (code, "name"))
    for name, code in gz.demonyms.items():
        table.setdefault(name, (code, "demonym"))
    for name, code in gz.capitals.items():
        table.setdefault(name, (code, "capital"))
    for name, code in GOVERNMENT_BODIES.items():
        table.setdefault(fold(name), (code, "body"))
    # Short capitalised aliases ("US", "UK", "PRC") are matched case-sensitively: "us" is a pronoun.
    from kg.gazetteer import EXTRA_COUNTRY_NAMES

    abbreviations = {n for names in EXTRA_COUNTRY_NAMES.values() for n in names if n.replace(".", "").isupper()}
    exact = sorted({fold(n) for n in abbreviations}, key=len, reverse=True)
    loose = sorted({n for n in table if n not in exact} | {n for n in gz.accented_spellings if fold(n) in table},
                   key=len, reverse=True)
    exact_re = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(abbreviations, key=len, reverse=True)) + r")(?![\w])")
    loose_re = re.compile(r"(?<![\w])(" + _alternation(loose) + r")(?![\w])", re.I)
    return exact_re, loose_re, table


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words`, the longest first where several match at one place (as a
    plain alternation sorted longest first does), written as a trie: "new(?: zealand)?|..." is
    tried character by character instead of name by name, which is many times faster on long texts."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        # a longer word first, this word when the longer ones fail (a greedy "?")
        return body + "?" if "" in node else body

    return pattern(trie)


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("–", "-").replace("—", "-")


_REGION_BEFORE_AMERICA = re.compile(r"(?i:north|south|latin|central|middle)[\s-]+$")


def find_countries(text: str) -> list[CountryMention]:
    exact_re, loose_re, table = _country_regex()
    plain = _plain(text)
    found: list[CountryMention] = []
    taken: list[tuple[int, int]] = []  # a pass's own matches never overlap: check only the earlier pass's
    for regex in (loose_re, exact_re):
        first_pass = sorted(taken)
        for m in regex.finditer(plain):
            s, e = m.start(1), m.end(1)
            k = bisect_left(first_pass, (e,))  # the spans of the first pass that start before this one ends
            if k and first_pass[k - 1][1] > s:
                continue  # inside a name the first pass found ("US" in "US Virgin Islands")
            key = fold(m.group(1))
            if key == "america" and _REGION_BEFORE_AMERICA.search(plain, max(0, s - 10), s) or \
                    key == "ireland" and plain[max(0, s - 9): s].lower() == "northern ":
                continue  # "North America", "Latin America", "Northern Ireland": regions, not those countries
            if key not in table:
                key = key.rstrip(".")
            if key not in table:
                continue
            code, kind = table[key]
            # "U.S." at a sentence end keeps its dot; "the US" needs the capitals
            found.append(CountryMention(s, e, code, kind))
            taken.append((s, e))
    found.sort(key=lambda c: c.start)
    return found


# --- people ---------------------------------------------------------------------------------------


_HONORIFIC_ALTERNATION = (r"(?:Rt\.?|Hon\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|The|Honourable|Honorable|H\.\s?E\.?|HE|"
                          r"His|Her|Excellency|Shri|Smt\.?|Prof\.?|Professor|Msgr\.?|Monsignor|Archbishop|Cardinal|Bishop|Rev\.?|Reverend|"
                          r"Fr\.?|Senator|Datuk|Dato'?|Datin|"
                          r"Tun|Tan\s+Sri|Pehin|Dayang|Awang|Pengiran|Sheikh|Shaikh|Samdech|Haji|Hajah)"
                          r"(?:\s+(?:Seri|Sri|Paduka|Pahlawan|Setia|Panglima|Utama))*")
_HONORIFIC_PREFIX = re.compile(r"^(?:" + _HONORIFIC_ALTERNATION + r"\s+)+")
# Honorifics right before a name spaCy tagged without them (or with only their last word).
_STYLES_BEFORE = re.compile(r"(?<![\w'’])(?:" + _HONORIFIC_ALTERNATION + r"[.'’]?\s+)+$")
# Post-nominal letters written after a name, with or without a comma ("Hilary Benn MP", "Daniel Roe, M.K.").
_POSTNOMINAL_TAIL = re.compile(r"(?:,?\s+(?:" + "|".join(re.escape(p) for p in sorted(POSTNOMINALS, key=len, reverse=True))
                               + r")(?![\w.]))+\s*$")


# Post-nominal letters between a name and the comma before its title ("Eli Roe, M.K., Deputy Minister").
_POSTNOMINAL_GAP = re.compile(r"(?:,?\s*(?:" + "|".join(re.escape(p) for p in sorted(POSTNOMINALS, key=len, reverse=True))
                              + r")(?![\w.]))+")


def clean_name(name: str) -> str:
    """A person's name without honorifics and post-nominals ("Rt Hon Anna Berg MP" -> "Anna Berg")."""
    return _POSTNOMINAL_TAIL.sub("", _HONORIFIC_PREFIX.sub("", name.strip())).strip()


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper()


def _lower(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")


RANKS = {"gen.": "general", "adm.": "admiral", "lt.": "lieutenant", "col.": "colonel", "maj.": "major",
         "brig.": "brigadier", "capt.": "captain", "cmdr.": "commander", "sgt.": "sergeant", "vice adm.": "vice admiral"}
# Ranks and offices written in capitals for short, before a name ("MG Ana Berg", "PM Berg").
RANK_ABBREVIATIONS = {"MG": "major general", "BG": "brigadier general", "LG": "lieutenant general", "LTG": "lieutenant general",
                      "ACM": "air chief marshal", "AVM": "air vice marshal", "RADM": "rear admiral", "VADM": "vice admiral",
                      "ADM": "admiral", "GEN": "general", "COL": "colonel", "MGen": "major general", "BGen": "brigadier general",
                      "LGen": "lieutenant general", "RAdm": "rear admiral", "VAdm": "vice admiral", "PM": "prime minister"}
_COMPLEMENT_GLUE = {"and", "of", "the", "for", "to"}
# Heads that follow another head to make one office: "Secretary General", "Attorney General".
SECOND_HEADS = {"general", "chief", "minister", "delegate", "counsel", "secretary", "marshal"}


def _country_words(doc: Doc, k: int, end_limit: int, gz: Gazetteer) -> int:
    """How many tokens from k name a country ("Japan", "the United Kingdom"), 0 if none."""
    for n in (6, 5, 4, 3, 2, 1):
        if k + n <= end_limit:
            span = doc[k: k + n].text
            if gz.country(span) and not doc[k + n - 1].is_punct and not doc[k + n - 1].is_space:
                return n
    return 0


def _country_or_demonym_before(doc: Doc, i: int, gz: Gazetteer) -> bool:
    """True when a country's name or adjective stands right before token i ("Nigerian president")."""
    k = i - 1
    if k >= 0 and doc[k].text in ("'s", "’s"):
        k -= 1
    if k < 0 or not _is_cap(doc[k]):
        return False
    return any(gz.demonym(doc[s: k + 1].text) or gz.country(doc[s: k + 1].text) for s in (k, k - 1) if s >= 0)


def _title_at(doc: Doc, i: int, end_limit: int, gz: Gazetteer | None = None) -> tuple[int, str] | None:
    """If a title starts at token i, (index after the title, title text in lower case)."""
    gz = gz or gazetteer()
    j = i
    words: list[str] = []
    saw_head = False
    weak_lower = False
    while j < end_limit:
        tok = doc[j]
        low = _lower(tok)
        if tok.is_space or "\n" in tok.text:
            break
        if low in RANKS or tok.text in RANK_ABBREVIATIONS:
            words.append(RANKS.get(low) or RANK_ABBREVIATIONS[tok.text])
            j += 1
            saw_head = True
            break
        if low == "air" and not words and j + 1 < end_limit and _lower(doc[j + 1]) in ("chief", "vice", "marshal", "commodore") \
                and _is_cap(tok):
            words.append(low)  # "Air Chief Marshal", "Air Vice-Marshal", "Air Commodore"
            j += 1
            continue
        if low in TITLE_MODIFIERS or low in TITLE_DOMAINS:
            words.append(low)
            j += 1
            if low in TITLE_MODIFIERS and j + 1 < end_limit and doc[j].text in ("-", "‐") and not doc[j - 1].whitespace_ \
                    and _lower(doc[j + 1]) in TITLE_HEADS:
                j += 1  # "Major-General", "Vice-Admiral"
            continue
        if low == "prime" and j + 1 < end_limit and _lower(doc[j + 1]) == "minister":
            words += ["prime", "minister"]
            j += 2
            saw_head = True
        elif low in TITLE_HEADS or (low.endswith("-") and low[:-1] in TITLE_HEADS and j + 1 < end_limit
                                    and _lower(doc[j + 1]) in SECOND_HEADS):
            if low in WEAK_HEADS and not _is_cap(tok) and not words and not _country_or_demonym_before(doc, i, gz):
                weak_lower = True  # "chairman of the Joint Chiefs": a title only with its complement
            if low == "member":
                weak_lower = True  # "Member of the Politburo", not "Member States"
            if low.endswith("-"):  # "Secretary- General", a hyphen left at a line's end
                words.append(low + _lower(doc[j + 1]))
                j += 2
                saw_head = True
            else:
                words.append(low)
                j += 1
                saw_head = True
            # "Secretary General", "Secretary-General", "Attorney General"
            if j + 1 < end_limit and doc[j].text in ("-", "–") and _lower(doc[j + 1]) in SECOND_HEADS:
                words[-1] += "-" + _lower(doc[j + 1])
                j += 2
            elif j < end_limit and _lower(doc[j]) in SECOND_HEADS and _lower(doc[j]) != low and _is_cap(doc[j]) == _is_cap(tok):
                words.append(_lower(doc[j]))
                j += 1
            # "President-elect": the office to be taken up
            if j + 1 < end_limit and doc[j].text in ("-", "‐") and _lower(doc[j + 1]) == "elect" and not doc[j - 1].whitespace_:
                words[-1] += "-elect"
                j += 2
        else:
            break
        # complements: of/for/to [the] WORDS, or a country ("Ambassador to Japan")
        took_complement = False
        while j < end_limit and _lower(doc[j]) in ("of", "for", "to") and j + 1 < end_limit:
            k = j + 1
            comp: list[str] = [_lower(doc[j])]
            n_country = _country_words(doc, k, end_limit, gz) if comp[0] == "to" else 0
            if n_country:
                comp += [_lower(t) for t in doc[k: k + n_country]]
                k += n_country
            while k < end_limit and not doc[k].is_space:
                low = _lower(doc[k])
                if comp[-1] in ("for", "of") and k + 1 < end_limit and doc[k + 1].text in ("'s", "’s") \
                        and k + 2 < end_limit and _lower(doc[k + 2]) in COMPLEMENT_WORDS and gz.country(doc[k].text):
                    comp.append(low + "'s")  # "spokesman for Spain's defence ministry"
                    k += 2
                    continue
                n_named = _country_words(doc, k, end_limit, gz) if comp[-1] in ("of", "the") and comp[0] != "to" else 0
                if n_named and (comp[-1] == "of" or _lower(doc[k + n_named - 1]) != low or n_named > 1
                                or (k + 1 < end_limit and _lower(doc[k + 1]) in COMPLEMENT_WORDS)):
                    # "of Peru", "of the Republic of Poland", "of the Republic of Fiji Military Forces"
                    comp += [_lower(t) for t in doc[k: k + n_named]]
                    k += n_named
                    continue
                if low in COMPLEMENT_WORDS:
                    comp.append(low)
                    k += 1
                    continue
                # a country's adjective or short name inside a body's name: "of the Australian Defence
                # Force", "of the ROK Joint Chiefs of Staff" (only before more complement words)
                if comp[-1] == "the" and k + 1 < end_limit and _lower(doc[k + 1]) in COMPLEMENT_WORDS \
                        and _lower(doc[k + 1]) not in _COMPLEMENT_GLUE and (gz.demonym(doc[k].text) or gz.country(doc[k].text)):
                    comp.append(low)
                    k += 1
                    continue
                # a list of portfolios: "of Foreign Affairs, International Cooperation and External Trade"
                if doc[k].text == "," and len(comp) > 1:
                    run = _portfolio_run(doc, k + 1, end_limit)
                    if run:
                        comp[-1] += ","
                        comp += [_lower(t) for t in doc[k + 1: run]]
                        k = run
                        continue
                # a portfolio word of its own between capitalised ones: "for Foreign and Diaspora Affairs"
                if comp[-1] == "and" and _is_cap(doc[k]) and doc[k].is_alpha and k + 1 < end_limit \
                        and _lower(doc[k + 1]) in COMPLEMENT_WORDS and _lower(doc[k + 1]) not in _COMPLEMENT_GLUE:
                    comp.append(low)
                    k += 1
                    continue
                break
            while comp and comp[-1] in ("and", "of", "the", "for", "to"):
                comp.pop()
                k -= 1
            if len(comp) <= 1:
                break
            words += comp
            j = k
            took_complement = True
        if weak_lower and not took_complement:
            return None
        # conjoined titles: "Deputy Prime Minister and Foreign Minister"
        if j + 1 < end_limit and _lower(doc[j]) == "and":
            nxt = _title_at(doc, j + 1, end_limit, gz)
            if nxt:
                return nxt[0], " ".join(words) + " and " + nxt[1]
        break
    if not saw_head:
        return None
    return j, re.sub(r" (['’]s)\b", r"\1", " ".join(words))  # "people's republic"


def _portfolio_run(doc: Doc, k: int, end_limit: int) -> int | None:
    """The end of capitalised portfolio words from token k that close a list with "and"
    ("International Cooperation and External Trade"), or None."""
    j, saw_and = k, False
    while j < end_limit and (_lower(doc[j]) == "and" or (_is_cap(doc[j]) and _lower(doc[j]) in COMPLEMENT_WORDS)):
        saw_and = saw_and or _lower(doc[j]) == "and"
        j += 1
    return j if saw_and and j - k >= 3 and _lower(doc[j - 1]) != "and" else None


def _name_at(doc: Doc, i: int, end_limit: int, caps: bool, gz: Gazetteer,
             ents: Sequence[Span] = (), possessive_ok: bool = False) -> tuple[int, str] | None:
    """A person's name starting at token i: capitalised words, initials and a suffix. `ents` are
    spaCy's entities, which tell a person's possessive ("John Howard's") from a company's;
    `possessive_ok` says a full name's possessive is a person's anyway (after "President")."""
    j = _after_honorifics(doc, i, end_limit)
    if j < end_limit and doc[j].text in ("I", "II", "III", "IV") and j + 1 < end_limit and _is_cap(doc[j + 1]):
        j += 1  # the number of an office ("Defence Minister II"): no name starts with it
        j = _after_honorifics(doc, j, end_limit)
    start = j
    parts: list[str] = []
    while j < end_limit and len(parts) < 7:
        tok = doc[j]
        t = tok.text
        low = t.lower()
        if tok.is_space and "\n" not in t and parts and j + 1 < end_limit and doc[j + 1].text[:1].isupper():
            j += 1  # a doubled space inside a name
            continue
        if tok.is_space or "\n" in t:
            break
        if parts and low in NAME_PARTICLES and j + 1 < end_limit and not caps and not doc[j + 1].is_space and (
                doc[j + 1].text[:1].isupper() or (doc[j + 1].text in ("-", "‐") and j + 2 < end_limit
                                                   and doc[j + 2].text[:1].isupper())):
            parts.append(t)  # "Mohammed bin Salman", "Padilla de Arretureta"
            j += 1
            continue
        if parts and re.fullmatch(r"(?:al|el)[-‐][A-Z][\w'’]+", t):
            parts.append(t)  # "Ahmed al-Sharaa" in one token
            j += 1
            continue
        if low in NAME_SUFFIXES and parts:
            parts.append(t if not caps else t.title())
            j += 1
            continue
        if re.fullmatch(r"(?:[A-Z]\.){1,3}", t) and not gz.country(t) and (parts or (j + 1 < end_limit and doc[j + 1].text[:1].isupper())):
            parts.append(t)
            j += 1
            continue
        if parts and t in ("-", "‐") and not doc[j - 1].whitespace_ and j + 1 < end_limit and (
                doc[j + 1].text[:1].isupper() or _GIVEN_NAME_SYLLABLE.fullmatch(doc[j + 1].text)):
            parts[-1] += "-" + doc[j + 1].text  # "Smith-Jones", and "Dong-hyun" in Korean given names
            j += 2
            continue
        if t in POSTNOMINALS and parts:
            break  # "Richard Marles MP"
        if t == "," and parts and j + 1 < end_limit and doc[j + 1].text.lower() in NAME_SUFFIXES and len(parts) > 1:
            parts.append(doc[j + 1].text)  # "Ana Berg, Jr."
            j += 2
            continue
        if not t[0].isupper() or not re.fullmatch(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*", t):
            break
        if t == "To" and not parts and _name_starting_with_to(doc, j, end_limit, gz):
            parts.append(t)  # "President To Lam": a family name that is also an English word (not "To Meet Leaders")
            j += 1
            continue
        if low in NOT_NAME_WORDS or low in MONTH_WORDS or low in TITLE_HEADS or low in TITLE_MODIFIERS:
            break
        if gz.country(t) or gz.demonym(t) or low in COMPLEMENT_WORDS:
            break
        if caps and not t.isupper():
            break
        parts.append(t.title() if caps and t.isupper() else t)
        j += 1
    if j < end_limit and doc[j].text in ("'s", "’s") and not _person_entity(doc, start, j, ents) and not possessive_ok:
        return None  # "Lockheed Martin's": an owner, not a person after a title ("John Howard's" is)
    if j + 1 < end_limit and doc[j].text == "of" and doc[j + 1].text[:1].isupper() and not (
            len(parts) >= 2 and _country_words(doc, j + 1, end_limit, gz)):
        return None  # "General Security of Information Agreement": a name of a thing ("Ana Berg of Norway" is not)
    while parts and (fold(parts[-1]) in NAME_SUFFIXES or re.fullmatch(r"(?:[A-Z]\.){1,3}", parts[-1])) and len(parts) > 1 \
            and fold(parts[-1]) not in NAME_SUFFIXES:
        parts.pop()
        j -= 1
    core = [p for p in parts if not re.fullmatch(r"(?:[A-Z]\.){1,3}", p) and fold(p) not in NAME_SUFFIXES]
    if not core:
        return None
    following = doc[j].text.lower() if j < len(doc) else ""
    if any(fold(p) in ORG_WORDS for p in parts) or following in ORG_WORDS or following in _BODY_WORDS:
        return None  # "General Dynamics Land Systems", "National Armed Forces"
    if j == start:
        return None
    return j, " ".join(parts)


def _name_starting_with_to(doc: Doc, j: int, end_limit: int, gz: Gazetteer) -> bool:
    """True when "To" at token j opens a name: one to three capitalised proper nouns follow that are no
    country or common word, then a lower-case word, "(" or "," (a headline's "To Meet Leaders" has none)."""
    k = j + 1
    while k < end_limit and k - j <= 3 and _is_cap(doc[k]) and doc[k].pos_ == "PROPN" and doc[k].is_alpha:
        low = doc[k].text.lower()
        if low in NOT_NAME_WORDS or low in MONTH_WORDS or low in TITLE_HEADS or gz.country(doc[k].text) \
                or gz.demonym(doc[k].text):
            return False
        k += 1
    if k == j + 1 or k >= end_limit:
        return False
    nxt = doc[k].text
    return nxt in ("(", ",") or (nxt[:1].islower() and doc[k].is_alpha)


def _after_honorifics(doc: Doc, i: int, end_limit: int) -> int:
    """The token after the honorifics and styles that open a name at token i ("Mr", "the Rt Hon", "H.E.",
    "Shri", "Datuk Seri", "Tan Sri"), i itself when there are none."""
    j = i
    while j < end_limit:
        low = _lower(doc[j]).rstrip(".")
        if low == "tan" and j + 1 < end_limit and _lower(doc[j + 1]) == "sri":
            j += 2  # "Tan Sri" (but "Tan" alone is a family name)
        elif low in _HONORIFIC_WORDS and (_is_cap(doc[j]) or (j + 1 < end_limit and _lower(doc[j + 1]).rstrip(".") in _STYLE_WORDS)):
            j += 1  # "Mr", "Dr", "the Hon", "the Rt Hon", "H.E."
        elif doc[j].text == "HE" and j + 1 < end_limit and doc[j + 1].text[:1].isupper():
            j += 1  # "HE" for "His Excellency" ("he" is a pronoun)
        elif j > i and low in _STYLE_CONTINUATIONS and _is_cap(doc[j]):
            j += 1  # "Datuk Seri", "Dato' Paduka", "His Excellency"
        else:
            break
        if j < end_limit and doc[j].text in (".", "'", "’") and not doc[j - 1].whitespace_:
            j += 1  # "Hon." split in two, "Dato'"
    return j


def _name_after_rank(doc: Doc, name: tuple[int, str], end_limit: int, caps: bool, gz: Gazetteer,
                     ents: Sequence[Span]) -> tuple[int, str]:
    """Where a rank follows what was read as a name, the name is after the rank and what came before
    was a style ("Minister Pehin Datu Ana Major-General (rtd) Omar Ali" names Omar Ali)."""
    k = name[0]
    rank = _title_at(doc, k, end_limit, gz) if k < end_limit and _is_cap(doc[k]) else None
    if not rank or rank[1].split()[-1].split("-")[-1] not in _RANK_WORDS:
        return name
    k = rank[0]
    if k + 2 < end_limit and doc[k].text == "(" and doc[k + 2].text == ")":
        k += 3  # "(rtd)", "(U)"
    later = _name_at(doc, k, min(len(doc), k + 8), caps, gz, ents)
    return later or name


_MINISTRY_WORDS = {"ministry", "department", "office"}


def _ministry_after(doc: Doc, j: int, n: int) -> int:
    """Past ", Ministry of Defence" after a title at token j (the body the office is in), else j."""
    if not (j + 3 < n and doc[j].text == "," and _lower(doc[j + 1]) in _MINISTRY_WORDS and _is_cap(doc[j + 1])
            and _lower(doc[j + 2]) in ("of", "for")):
        return j
    k = j + 3
    while k < n and _lower(doc[k]) in COMPLEMENT_WORDS and (_is_cap(doc[k]) or _lower(doc[k]) in _COMPLEMENT_GLUE):
        k += 1
    while k > j + 3 and _lower(doc[k - 1]) in _COMPLEMENT_GLUE:
        k -= 1
    return k if k > j + 3 else j


def _listed_country(doc: Doc, j: int, n: int, gz: Gazetteer) -> str | None:
    """The country set off by a comma after an office in a list of delegates, ending its item
    ("Minister for Defence, Republic of Fiji;"), else None."""
    if not (j + 1 < n and doc[j].text == ","):
        return None
    words = _country_words(doc, j + 1, min(n, j + 8), gz)
    end = j + 1 + words
    if not words or (end < n and doc[end].text not in (";", ".", ",", ")") and "\n" not in doc[end].text):
        return None
    return gz.country(doc[j + 1: end].text)


def _of_country(doc: Doc, i: int, end_limit: int, gz: Gazetteer) -> tuple[int, str | None]:
    """An "of Norway" at token i after a name: (token after it, the country), else (i, None)."""
    if i + 1 < end_limit and doc[i].text == "of":
        n_country = _country_words(doc, i + 1, end_limit, gz)
        if n_country:
            return i + 1 + n_country, gz.country(doc[i + 1: i + 1 + n_country].text)
    return i, None


def _person_entity(doc: Doc, start: int, end: int, ents: Sequence[Span]) -> bool:
    """True when tokens start..end lie inside one of spaCy's PERSON entities."""
    return any(e.label_ == "PERSON" and e.start <= start and end <= e.end for e in ents)


def _apposed_name(doc: Doc, i: int, end_limit: int, caps: bool, gz: Gazetteer,
                  ents: Sequence[Span], head: str = "") -> tuple[int, str] | None:
    """A full name set off by commas after a title ending before token i: "Japan's Minister of
    Defense, Kenji Morimoto," / "Minister for Defence, the Hon Richard Marles MP" / "the Commander of
    the Defence Force, Major General Ana Kora" / "the Sultan of Brunei, Sultan Omar Ali". A rank, the
    title's own head word (`head`) or an honorific before the name is skipped."""
    if i + 1 >= end_limit or doc[i].text != ",":
        return None
    k = i + 1
    rank = _title_at(doc, k, end_limit, gz)
    if rank and (rank[1].split()[-1].split("-")[-1] in _RANK_WORDS or rank[1] == head):
        k = rank[0]
    name = _name_at(doc, k, end_limit, caps, gz, ents)
    if name is None:
        return None
    end, text = name
    core = [p for p in text.split() if not re.fullmatch(r"[A-Z]\.", p) and fold(p) not in NAME_SUFFIXES]
    if len(core) < 2 or gz.country(text) or gz.city(text):
        return None
    while end < end_limit and doc[end].text in POSTNOMINALS:
        end += 1
    # the apposition ends at a comma, the sentence's or line's end or the verb ("..., Anna Berg, said")
    if end < end_limit and doc[end].text not in (",", ".", ";", ":", "(", ")", "and") and "\n" not in doc[end].text \
            and doc[end].pos_ not in ("VERB", "AUX") and doc[end].ent_type_ not in ("DATE", "TIME"):
        return None
    return name


def _country_before(doc: Doc, i: int, countries: list[CountryMention], bodies_ok: bool = True) -> str | None:
    """A country (or government body) that ends right before token i, allowing "'s" and "the"."""
    k = i - 1
    if k >= 0 and doc[k].text in ("'s", "’s", "'", "’"):
        k -= 1
    if k < 0 or doc[k].is_punct or doc[k].is_space:
        return None
    end = doc[k].idx + len(doc[k].text)
    # the mentions are in text order and do not overlap: their ends are sorted too
    for c in countries[bisect_left(countries, doc[k].idx, key=lambda c: c.end):]:
        if c.end > end:
            break
        if c.kind == "body" and not bodies_ok:
            continue
        return c.code
    return None


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token indices of the Doc's sentences, as `doc.sents` has them, read from spaCy's
    sentence-start array instead of making a Span of each sentence."""
    if not len(doc) or "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]
    flags = doc.to_array("SENT_START").tolist()
    starts = [0] + [i for i in range(1, len(flags)) if flags[i] == 1]
    return list(zip(starts, starts[1:] + [len(flags)]))


def _sentence_ends(bounds: list[tuple[int, int]]) -> list[int]:
    """For each token, the index of the token after its sentence (what `doc[i].sent.end` says)."""
    ends: list[int] = []
    for start, end in bounds:
        ends.extend([end] * (end - start))
    return ends


# Heads of titles only a person holds: a name's possessive after them is the person's ("President Ana Berg's visit").
_PERSON_ONLY_HEADS = {"president", "minister", "premier", "chancellor", "secretary", "ambassador", "king", "queen",
                      "sultan", "emir", "senator", "envoy", "taoiseach", "president-elect"}
_RANK_ABBREVIATIONS_LOWER = {a.lower() for a in RANK_ABBREVIATIONS}
# Words a title can start with: `_title_at` gives up at once on any other first word.
_TITLE_FIRST_WORDS = frozenset(RANKS) | TITLE_MODIFIERS | TITLE_DOMAINS | TITLE_HEADS | {"air"}


def find_people(doc: Doc, countries: list[CountryMention], gz: Gazetteer, text: str | None = None,
                lowers: list[str] | None = None, sentences: list[tuple[int, int]] | None = None,
                ents: Sequence[Span] | None = None) -> tuple[list[PersonMention], list[tuple[int, str]]]:
    """Officials by their titles, and the speaker turns of a transcript. `text`, `lowers`,
    `sentences` and `ents` are `doc.text`, `token_lowers(doc)`, `sentence_bounds(doc)` and
    `doc.ents` when the caller has them already."""
    people: list[PersonMention] = []
    text = doc.text if text is None else text
    ents = doc.ents if ents is None else ents
    lowers = token_lowers(doc) if lowers is None else lowers
    n = len(doc)
    # most tokens cannot start a title: look at the token objects only where one may
    # (no first word of a title has an apostrophe, so `_lower`'s quote folding changes nothing here)
    candidates = [i for i, low in enumerate(lowers) if low in _TITLE_FIRST_WORDS
                  or (low.endswith("-") and low[:-1] in TITLE_HEADS)  # "Secretary- General"
                  or (low.upper() in RANK_ABBREVIATIONS or low in _RANK_ABBREVIATIONS_LOWER) and doc[i].text in RANK_ABBREVIATIONS]
    sentence_ends = _sentence_ends(sentence_bounds(doc) if sentences is None else sentences) if candidates else []
    resume = 0  # tokens before this are part of a mention already found
    international: set[str] = set()  # people named with the office of an international body
    # tokens right after a PERSON entity (where a list's "Ana Berg, Minister of X" has its comma)
    person_ends = {e.end for e in ents if e.label_ == "PERSON" and not _POSTNOMINAL_GAP.fullmatch(e.text)} \
        if candidates else set()
    for i in candidates:
        if i < resume:
            continue
        title = _title_at(doc, i, n, gz)
        if title is None:
            continue
        limit = sentence_ends[i]
        after, title_text = title
        first_and = next((k for k in range(i + 1, min(after, i + 4)) if lowers[k] == "and"), None)
        if i > 0 and lowers[i - 1] == "the" and first_and is not None and _is_bare_title(lowers, i, first_and):
            # "The Secretary and Foreign Minister Ana Berg": two people, the first one named before
            first = "".join(doc[i:first_and].text.split()).lower() if "-" in doc[i:first_and].text else " ".join(
                lowers[i:first_and])
            people.append(PersonMention(doc[i].idx, doc[first_and - 1].idx + len(doc[first_and - 1].text), "", first,
                                        None, organization="international" if _international_title(first) else None,
                                        kind="title"))
            title = _title_at(doc, first_and + 1, n, gz)
            if title is None:
                continue
            i = first_and + 1
            after, title_text = title
        before = text[max(0, doc[i].idx - 60): doc[i].idx]
        if i > 0 and lowers[i - 1] in _PRIVATE_BODY_WORDS and _is_cap(doc[i - 1]):
            # "Lowy Institute Executive Director X", "Acme Corporation President X": no office of a state
            skip = _name_at(doc, after, min(n, after + 6), False, gz)
            resume = skip[0] if skip else after
            continue
        if _INTERNATIONAL_BEFORE.search(before) or (
                _international_title(title_text, " ".join(lowers[after: after + 4]))
                and not _country_before(doc, i, countries)):
            # "NATO Secretary General X", "UN Secretary-General X", "Assistant Secretary-General X": serves no country
            skip = _name_at(doc, after, min(n, after + 6), False, gz) or _apposed_name(
                doc, after, min(n, after + 10), False, gz, ents, title_text.split()[0])
            if skip:
                international.add(_name_key(skip[1]))
            resume = skip[0] if skip else after
            if not skip:
                people.append(PersonMention(doc[i].idx, doc[after - 1].idx + len(doc[after - 1].text), "",
                                            title_text, None, organization="international", kind="title"))
            continue
        caps = all(t.text.isupper() or not t.is_alpha for t in doc[i:after]) and not all(
            t.text in RANK_ABBREVIATIONS for t in doc[i:after])  # "MG Ana Berg" is no line in capitals
        name_limit = max(limit, min(n, after + 6))
        # (spaCy may end a sentence at "Hon." inside "Minister for X, Hon. Ana Berg,")
        # in a list "Ana Berg, Minister of X, Tom Ray, Minister of Y", a title after a name and a comma is
        # that name's apposition, not the next one's
        name = _name_at(doc, after, name_limit, caps, gz, ents, title_text.split()[-1] in _PERSON_ONLY_HEADS) or (
            None if i - 1 in person_ends and doc[i - 1].text == "," else _apposed_name(
                doc, after, max(limit, min(n, after + 10)), caps, gz, ents, title_text.split()[0]))
        if name:
            name = _name_after_rank(doc, name, max(limit, min(n, name[0] + 12)), caps, gz, ents)
        else:
            # "Commander of the Air Force Brigadier-General (U) Omar Ali": the holder's rank, then the name;
            # "Permanent Secretary, Ministry of Defence Major-General Omar Ali": the ministry, rank and name
            k = _ministry_after(doc, after, n)
            past_ministry = k > after
            if past_ministry:
                title_text += ", " + " ".join(lowers[after + 1: k])
                after = k
            while k < n and doc[k].is_space and "\n" not in doc[k].text:
                k += 1
            if k < n and _is_cap(doc[k]):
                name = _name_after_rank(doc, (k, ""), max(limit, min(n, k + 12)), caps, gz, ents) or None
                name = name if name and name[1] else None
                if name is None and past_ministry:
                    name = _name_at(doc, k, max(limit, min(n, k + 8)), caps, gz, ents)
        if name and _singular_title(title_text) != title_text and " " not in name[1] and lowers[name[0]: name[0] + 1] != ["and"]:
            name = None  # a plural title before one word is a group ("Foreign Ministers Meet in Oslo")
        country = _country_before(doc, i, countries) or _country_in_title(doc, i, after, countries)
        k = i
        # "Indian External Affairs Minister": capitalised words of the office between country and title
        # "Singapore Armed Forces (SAF) MG Ana Berg": a force named with its country, then the holder's rank
        while country is None and k > 0 and i - k < 7 and (doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha
                                                           or doc[k - 1].text in ("(", ")")):
            k -= 1
            country = _country_before(doc, k, countries)
            if i - k >= 3 and title_text.split()[-1] not in _RANK_WORDS:
                break
        if country is None:
            cm = _COUNTERPART_BEFORE.search(before)
            if cm:
                country = gz.country(cm.group(1)) or gz.demonym(cm.group(1))
        title_lower = title_text
        start_char = doc[i].idx
        if country is None:
            prev = _country_before(doc, i, countries)
            country = prev
        if country is None and not name:
            country = _listed_country(doc, after, n, gz)  # "Ana Berg, Minister of Trade, Kingdom of Norway;"
        if name:
            end_tok, name_text = name
            after_name, of_country = _of_country(doc, end_tok, n, gz)  # "Foreign Minister Ana Berg of Norway"
            country = country or of_country
            end_char = doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
            kind = "full" if len([p for p in name_text.split() if not re.fullmatch(r"[A-Z]\.", p)]) > 1 else "surname"
            pm = PersonMention(start_char, end_char, name_text, _singular_title(title_lower), country, kind=kind)
            pm.list_continuation = _in_list(doc, i)
            people.append(pm)
            resume = end_tok
            # "Prime Ministers Ana Berg and Ravi Menon": a plural title names two people
            if title_lower != pm.title and after_name + 1 < n and doc[after_name].text == "and":
                second = _name_at(doc, after_name + 1, max(limit, min(n, after_name + 7)), caps, gz, ents)
                if second:
                    end2 = doc[second[0] - 1].idx + len(doc[second[0] - 1].text)
                    people.append(PersonMention(doc[after_name + 1].idx, end2, second[1], pm.title,
                                                _of_country(doc, second[0], n, gz)[1],
                                                kind="full" if len(second[1].split()) > 1 else "surname"))
                    resume = second[0]
            continue
        if _singular_title(title_lower) != title_lower:
            # "the Ambassadors of X in Y and Z, Ana Berg and Tom Ray, respectively": a plural office, then its holders
            pair = _apposed_pair(doc, after, limit, caps, gz, ents)
            if pair:
                # "the Foreign Ministers of Japan and India, A and B": one of each, in that order
                named = list(dict.fromkeys(c.code for c in countries if start_char <= c.start < doc[pair[0][0]].idx
                                           and c.kind in ("name", "alias", "demonym")))
                sides = named if len(named) == 2 else [country, country]
                title_one = _singular_title(title_lower)
                if len(named) == 2:
                    title_one = re.sub(r"\s+(?:of|for)\s+(?:the\s+)?\S.*$", "", title_one) or title_one
                for (s_tok, e_tok, holder), side in zip(pair, sides):
                    people.append(PersonMention(doc[s_tok].idx, doc[e_tok - 1].idx + len(doc[e_tok - 1].text), holder,
                                                title_one, side, kind="full"))
                resume = pair[-1][1]
                continue
        # a title with no name: apposition to a name before it ("Panetta, the US defence secretary"),
        # a title line under a name line, or a title-only mention for coreference ("the minister")
        people.append(PersonMention(start_char, doc[after - 1].idx + len(doc[after - 1].text), "", title_lower,
                                    country, kind="title"))
        resume = after
    people.extend(_counterparts(doc, text, people, gz, ents))
    people.sort(key=lambda p: p.start)
    _attach_appositions(doc, people, countries, gz, text, ents)
    # someone who holds an international body's office here serves no country, whatever else they are called
    for pm in people:
        if pm.organization == "international" and pm.name:
            international.add(_name_key(pm.name))
    people = [pm for pm in people if not (pm.name and _name_key(pm.name) in international)
              and pm.organization != "international"]
    _given_names_to_full(people)
    # a release's header block, one short line per name or office: the lines serve one government
    for a, b in zip(people, people[1:]):
        # (a line that only ends with a name, such as a headline, is no line of such a block)
        if re.fullmatch(r"[ \t]*\n[ \t]*", text[a.end: b.start]) and b.end - b.start < 80 and a.end - a.start < 80 \
                and not text[text.rfind("\n", 0, a.start) + 1: a.start].strip():
            b.list_continuation = True
    speakers = _speakers(text, people)
    return people, speakers


# The offices of international bodies: a secretary-general that no country's word qualifies, an adviser to
# one, an office "of" a body of states ("Special Envoy of the United Nations").
_INTERNATIONAL_BODIES = (r"united nations|un|u\.n\.|nato|asean|african union|european union|european commission|"
                         r"caricom|caribbean community|pacific community|pacific islands forum|commonwealth|osce|oecd|"
                         r"opec|wto|who|iaea|imf|world bank|interpol|arab league|league of arab states|ecowas|sadc|"
                         r"organization of american states|oas|economic commission")
_INTERNATIONAL_TITLE = re.compile(r"^(?:(?:deputy|assistant|under|vice)[- ]?)*secretary[- ]general(?: for .+)?$|"
                                  r"\bto the secretary[- ]general\b")
_INTERNATIONAL_OF = re.compile(r"\bof (?:the )?(?:" + _INTERNATIONAL_BODIES + r")\b")


def _apposed_pair(doc: Doc, after: int, limit: int, caps: bool, gz: Gazetteer,
                  ents: Sequence[Span]) -> list[tuple[int, int, str]] | None:
    """Two full names set off by a comma a few words after a plural title ("Ambassadors of X in Y and Z,
    Ana Berg and Tom Ray"): [(first token, end token, name)] of each, else None."""
    k = after
    while k < min(limit, after + 10) and doc[k].text != "," and doc[k].pos_ not in ("VERB", "AUX"):
        k += 1
    if k >= limit or doc[k].text != ",":
        return None
    first = _name_at(doc, k + 1, limit, caps, gz, ents)
    if not first or len(first[1].split()) < 2 or first[0] >= limit or doc[first[0]].text != "and":
        return None
    second = _name_at(doc, first[0] + 1, limit, caps, gz, ents)
    if not second or len(second[1].split()) < 2:
        return None
    return [(k + 1, first[0], first[1]), (first[0] + 1, second[0], second[1])]


def _given_names_to_full(people: list[PersonMention]) -> None:
    """A one-word name that is the first word of one full name here and the last word of none is that
    person, called by the given name as some countries do ("Prime Minister Abiy Ahmed ... PM Abiy")."""
    full = {p.name for p in people if p.kind == "full" and len(p.name.split()) > 1}
    last_words = {fold(n.split()[-1]) for n in full}
    owners: dict[str, set[str]] = {}
    for name in full:
        owners.setdefault(fold(name.split()[0]), set()).add(name)
    for pm in people:
        if pm.kind != "surname" or " " in pm.name or fold(pm.name) in last_words:
            continue
        names = owners.get(fold(pm.name), set())
        if len(names) == 1:
            pm.name, pm.kind = next(iter(names)), "full"


def _international_title(title: str, following: str = "") -> bool:
    """True for an office of an international body, not of a country ("assistant secretary-general",
    "special adviser to the secretary-general", "executive secretary of the economic commission").
    `following` is the words after the title, which may finish the body's name."""
    return bool(_INTERNATIONAL_TITLE.search(title) or _INTERNATIONAL_OF.search(f"{title} {following}"))


def _is_bare_title(lowers: list[str], i: int, k: int) -> bool:
    """True when the words i..k (before an "and") are a title's head alone, as in "the Secretary and
    Foreign Minister X" or "the Secretary- General and President X", not "the Deputy Prime Minister and"."""
    words = "".join(lowers[i:k])
    return words in TITLE_HEADS or words.replace("-", "") in {"secretarygeneral"} or (
        k - i == 1 and lowers[i] in TITLE_HEADS)


def _name_key(name: str) -> str:
    """First and last word of a name, folded: the same person however much of the name is written."""
    words = [w for w in fold(clean_name(name)).split() if w.rstrip(".") not in {s.rstrip(".") for s in NAME_SUFFIXES}]
    return f"{words[0]} {words[-1]}" if len(words) > 1 else (words[0] if words else "")


_PLURAL_HEADS = {"ministers": "minister", "secretaries": "secretary", "presidents": "president", "ambassadors": "ambassador"}


def _singular_title(title: str) -> str:
    """"prime ministers" -> "prime minister", "ambassadors of x" -> "ambassador of x": the office of each
    person a plural title names."""
    words = title.split()
    for k, word in enumerate(words):
        if word in _PLURAL_HEADS and (k == len(words) - 1 or words[k + 1] in ("of", "for", "to")):
            words[k] = _PLURAL_HEADS[word]
            break
    return " ".join(words)


def _country_in_title(doc: Doc, i: int, end: int, countries: list[CountryMention]) -> str | None:
    """A country named inside an office's of/for part ("Chief of the Australian Defence Force"); not
    in its to part, which names the host ("Ambassador to Japan")."""
    for k in range(i + 1, end):
        if doc[k].text == "to":
            end = k
            break
    start_char, end_char = doc[i].idx, doc[end - 1].idx + len(doc[end - 1].text)
    for c in countries[bisect_left(countries, start_char, key=lambda c: c.start):]:
        if c.start >= end_char:
            break
        if c.end <= end_char and c.kind in ("name", "demonym", "alias", "body"):
            return c.code
    return None


_INTERNATIONAL_BEFORE = re.compile(
    r"\b(NATO|UN|U\.N\.|United Nations|EU|E\.U\.|European Union|European Commission|ASEAN|African Union|OSCE|"
    r"WHO|IAEA|IMF|World Bank|WTO|OPEC|OECD|Interpol|ICC|Pacific Islands Forum|Commonwealth|Arab League|G7|G20|"
    r"CARICOM|ECOWAS|SADC|OAS|APEC|SCO|PIF|AU|Caribbean Community|Pacific Community)"
    r"(?:['’]s)?\s*(?:(?:deputy|vice|assistant|under|special)\s+)?(?:foreign\s+policy\s+)?$",
    re.I,
)
# "his Ghanaian counterpart, Kwame Mensah" / "her Chilean counterpart Ana Soto"
_COUNTERPART_NAMED = re.compile(r"\b([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)\s+counterpart,?\s+(?=[A-Z])")


def _counterparts(doc: Doc, text: str, people: list[PersonMention], gz: Gazetteer,
                  ents: Sequence[Span]) -> list[PersonMention]:
    """People named as someone's counterpart: they hold the same office for the country named
    ("Foreign Minister Ana Soto met her Ghanaian counterpart, Kwame Mensah")."""
    found: list[PersonMention] = []
    if "counterpart" not in text:
        return found
    for m in _COUNTERPART_NAMED.finditer(text):
        country = gz.demonym(m.group(1)) or gz.country(m.group(1))
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand") if country else None
        if span is None or span.start_char != m.end() or any(p.start <= m.end() < p.end for p in people):
            continue
        i = span.start
        name = _name_at(doc, i, min(len(doc), i + 6), False, gz, ents)
        if not name or len(name[1].split()) < 2:
            continue
        # the office is the one held by the person whose counterpart this is, named shortly before
        holder = next((p for p in reversed(people) if p.end <= m.start() and m.start() - p.end < 200
                       and p.title), None)  # "The Minister for X spoke with his Ukrainian counterpart, Y"
        if holder is None:
            continue
        end_char = doc[name[0] - 1].idx + len(doc[name[0] - 1].text)
        found.append(PersonMention(m.start(), end_char, name[1], _counterpart_title(holder.title or ""), country,
                                   kind="full"))
    return found


# Portfolios by the words that name them in any government's wording of a minister's or secretary's office.
_PORTFOLIOS = (("foreign", ("foreign", "external affairs")), ("defence", ("defence", "defense")),
               ("trade", ("trade",)), ("finance", ("finance", "treasury")), ("interior", ("interior", "home affairs")))


def _counterpart_title(title: str) -> str:
    """The office a counterpart holds in the general wording: the counterpart of India's "external affairs
    minister" or France's "minister for europe and foreign affairs" is a foreign minister."""
    head = title.split()[0] if title else ""
    if head not in ("minister", "secretary") and not title.endswith(("minister", "secretary")) or "prime" in title:
        return title
    if title == "secretary of state":
        return "foreign minister"  # the US style of the office
    for portfolio, words in _PORTFOLIOS:
        if any(w in title for w in words):
            return f"{portfolio} minister"
    return title


_COUNTERPART_BEFORE = re.compile(r"\b([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)\s+counterparts?,?\s*$")


def _in_list(doc: Doc, i: int) -> bool:
    """True when the title at token i follows a list separator after another official."""
    k = i - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k >= 0 and doc[k].text == "and":
        k -= 1
    return k >= 0 and doc[k].text in (";", ",")


def _attach_appositions(doc: Doc, people: list[PersonMention], countries: list[CountryMention], gz: Gazetteer,
                        text: str, ents: Sequence[Span] | None) -> None:
    """Give a name to title-only mentions that stand in apposition to a PERSON entity."""
    if not any(pm.kind == "title" for pm in people):
        persons = []
    else:
        persons = [e for e in (doc.ents if ents is None else ents) if e.label_ == "PERSON"
                   and not _POSTNOMINAL_GAP.fullmatch(e.text)]  # "M.K." read as a person
    for index, pm in enumerate(people):
        if pm.kind != "title":
            continue
        # "NAME, the US defence secretary" / "NAME\nDeputy Prime Minister"
        # every pattern below spans well under 400 characters: search only that much before the title
        lo = max(0, pm.start - 400)
        near = persons[bisect_left(persons, lo, key=lambda e: e.end_char): bisect_left(persons, pm.start + 1,
                                                                                     key=lambda e: e.end_char)]
        m = _NAME_THEN_TITLE.search(text, lo, pm.start)
        if not m:
            # "Ana Berg is the Minister of Defence": a name, then "is the" right before the title
            copula = _COPULA_BEFORE_TITLE.search(text, lo, pm.start)
            if copula and not _copula_country_gap(copula.group(1), gz):
                copula = None
            named = [e.text for e in near if copula and e.end_char == copula.start()]
            if copula and not named:
                # a surname spaCy did not tag, of a person named before ("Senator Ana Berg ... Berg is the ...")
                word = re.search(r"[A-Z][\w'’-]+$", text[max(0, copula.start() - 40): copula.start()])
                if word and any(p.name and p.end <= copula.start() and p.name.split()[-1] == word.group(0)
                                for p in people[:index]):
                    named = [word.group(0)]
            if named and not any(w.lower() in NOT_NAME_WORDS for w in named[-1].split()) \
                    and not gz.country(named[-1]):
                name = clean_name(re.sub(r"^\W+", "", named[-1]))  # spaCy may keep a list's bullet
                if len(name.split()) == 1:
                    # the surname of a full name tagged before ("Shri Ana Berg ... Berg is the ...")
                    before_copula = copula.start() if copula else pm.start
                    earlier = [e.text for e in persons if e.end_char <= before_copula - len(name) - 1
                               and len(e.text.split()) > 1 and e.text.split()[-1] == name]
                    name = clean_name(earlier[-1]) if earlier else name
                pm.name, pm.kind = name, "full" if len(name.split()) > 1 else "surname"
            continue
        window_start = m.start(1)
        cand = [e for e in near if e.end_char <= pm.start and e.end_char >= window_start - 1
                and _POSTNOMINAL_GAP.sub("", text[e.end_char: pm.start]).strip(" ,\n").lower() in ("", "the", "a")
                or (e.end_char <= pm.start and _apposition_gap(text[e.end_char: pm.start])
                    and _country_span(text[e.end_char: pm.start], countries, e.end_char, pm.start))]
        if not cand:
            # a full name spaCy did not tag, right before the comma: "The Honourable Ana Berg, Minister of X,"
            nm = _NAME_BEFORE_COMMA.search(text, lo, pm.start) if _singular_title(pm.title or "") == pm.title else None
            bare = clean_name(nm.group(1)) if nm and (not nm.group(2) or gz.country(nm.group(2))) else ""
            if len(bare.split()) >= 2 and all(w[0].isupper() for w in bare.split()) and not gz.country(bare) \
                    and not any(w.lower() in NOT_NAME_WORDS | MONTH_WORDS | TITLE_HEADS for w in bare.split()):
                pm.name, pm.kind = bare, "full"
                continue
            # the surname of a person named before, which spaCy did not tag: "Holt, the US Secretary of X"
            lone = _SURNAME_BEFORE_COMMA.search(text, lo, pm.start)
            if lone and _copula_country_gap(lone.group(2), gz):
                earlier = [p.name for p in people[:index] if p.name and p.end <= lone.start(1)
                           and p.name.split()[-1] == lone.group(1)]
                if earlier:
                    pm.name, pm.kind = earlier[-1], "full" if len(earlier[-1].split()) > 1 else "surname"
                    continue
        if not cand:
            # a name line above a title line ("Rt Hon Winston Peters\nDeputy Prime Minister")
            before = text[lo: pm.start].rstrip(" ")
            lines = before.split("\n")
            if before.endswith("\n") and (len(lines) >= 3 or (lo == 0 and len(lines) >= 2)):
                prev_line = lines[-2].strip()
                line_name = clean_name(prev_line)  # "The Hon Ana Berg MP" above "Prime Minister of X"
                if re.fullmatch(r"(?:[A-Z][\w'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]+|[A-Z]\.)){1,4}", line_name) and \
                        not gz.country(line_name) and not any(w.lower() in NOT_NAME_WORDS for w in line_name.split()):
                    pm.name = line_name
                    pm.kind = "full"
            continue
        e = cand[-1]
        styles = _STYLES_BEFORE.search(text, max(0, e.start_char - 40), e.start_char)
        name = clean_name((styles.group(0) if styles else "") + e.text)  # "Dato' Sri" before a tagged "Sri Ana Roe"
        if any(w.lower() in NOT_NAME_WORDS for w in name.split()) or gz.country(name) or gz.capital(name):
            continue  # "the Holy See, ..." is a state, not a person
        pm.name = name
        pm.kind = "full" if len(name.split()) > 1 else "surname"
        if pm.country is None:
            for c in countries:
                if e.end_char <= c.start < pm.start:
                    pm.country = c.code
        if pm.country is None:
            # the next item of a list of people of one side: "met with A, President of X, B, Minister of
            # Defence of X, and C, Head of Intelligence" (C is of X too)
            previous = next((p for p in reversed(people[max(0, index - 8): index]) if p.end <= e.start_char and p.name),
                            None)
            if previous is not None and previous.country and _LIST_GAP.fullmatch(text[previous.end: e.start_char]):
                pm.country = previous.country
    # a title line under another title line of a named person ("...\nDeputy Prime Minister\nMinister of X")
    for a, b in zip(people, people[1:]):
        if b.kind == "title" and a.name and a.kind == "full" and text[a.end: b.start].strip() == "" and "\n" in text[a.end: b.start]:
            b.name, b.kind = a.name, "full"
    # an office, then another office with its name set off by commas: "the Tánaiste, Minister for X, Ana Berg"
    for a, b in zip(people, people[1:]):
        if a.kind == "title" and not a.name and b.name and b.title and re.fullmatch(r",\s*", text[a.end: b.start]) \
                and "," in text[b.start: b.end] and not a.organization:
            a.name, a.kind = b.name, b.kind
            a.country = a.country or b.country
    # a chain of offices after a name: "Wang Wei, Member of the Politburo, Director of the Office of X, and
    # Minister of Foreign Affairs of Y" (each office after the first is an untitled mention of its own)
    for a, b in zip(people, people[1:]):
        if b.kind == "title" and a.name and a.title and text[a.start: a.end].lower().startswith(
                a.title.split()[0]) and _TITLE_CHAIN_GAP.fullmatch(text[a.end: b.start]) and not b.name:
            b.name, b.kind = a.name, a.kind


# A name's "is the" before its title: "Ana Berg is the Minister of Defence", "Berg is currently the ..."
# (or "was appointed", "has been named", "became"; a country's word may stand before the title: "is the US
# Ambassador to X", "is Australia's Minister for Y", which `_copula_country_gap` checks)
_COPULA_BEFORE_TITLE = re.compile(
    r"\s+(?:is|serves\s+as|(?:was|has\s+been|had\s+been)\s+(?:appointed|named)(?:\s+as)?|became)\s+"
    r"(?:currently\s+)?(?:(?:the|a|an)\s+(?:new\s+|current\s+)?)?((?:[A-Z][\w.'’-]*\s+){0,3})$")


# a capitalised word opening a sentence or clause, then a comma and "the" and a country's words before a title
_SURNAME_BEFORE_COMMA = re.compile(r"(?:^|[.;]\s+|\n)([A-Z][\w'’-]+),\s*(?:the\s+)?((?:[A-Z][\w.'’-]*\s+){0,3})$")


def _copula_country_gap(gap: str, gz: Gazetteer) -> bool:
    """What stands between a copula and a title is nothing or a country's words ("the US", "Australia's")."""
    words = re.sub(r"['’]s$", "", gap.strip())
    return not words or bool(gz.country(words) or gz.demonym(words))


# What may stand between a name and its title apposition: "Berg, the Norwegian" but not a list's
# "Berg, and Norway's" or "Berg and Norway's", where the title belongs to the next person.
_APPOSITION_GAP = re.compile(r",?\s*(?:the\s+|a\s+)?(?:[^\W\d_][\w.'’-]*\s*){0,4}")
_APPOSITION_GAP_WORD = re.compile(r"[^\W\d_][\w.'’-]*")


# A name, then a comma and a few words (or a line break) right before a title.
_NAME_THEN_TITLE = re.compile(r"([^\W\d_][\w.'’ -]{1,60}?)(,\s*(?:[\w.]{1,12},\s*)?(?:the\s+|a\s+)?(?:[\w.'’ -]{0,30}?)|\s*\n\s*)$")
# Two to four capitalised words that open a sentence or follow an honorific, then a comma.
_NAME_WORD = r"[^\W\d_][^\W\d_'’-]*(?:(?:-|['’](?!s\b))[^\W\d_][^\W\d_'’-]*)*"  # "Jean-Yves", "Mata'afa"
_NAME_BEFORE_COMMA = re.compile(
    r"(?:^|[.!?]\s+|\n|\s[-–—]\s+|\b(?:[Tt]he\s+)?(?:" + _HONORIFIC_ALTERNATION + r"\.?\s+)+)"
    r"(" + _NAME_WORD + r"(?:[ \t]+(?:(?:[A-Z]\.){1,3}|" + _NAME_WORD + r"|(?:" + "|".join(sorted(NAME_PARTICLES)) + r")(?=[ \t]+[A-Z]))){1,5})"
    r"(?:,?\s+(?:Jr|Sr)\.?)?(?:,?\s+(?:" + "|".join(re.escape(p) for p in sorted(POSTNOMINALS, key=len, reverse=True))
    + r")(?![\w.]))*,\s*"
    r"(?:the\s+|([^\W\d_][\w.]*(?:\s+[^\W\d_][\w.]*){0,2})['’]s\s+)?$")


# What may stand between one office of a person and the next in a chain: the rest of the first office's
# name in capitals, then a comma (and "and" before the last).
_TITLE_CHAIN_GAP = re.compile(r"(?:[ \t]*(?:[A-Z][\w'’.-]*|of|the|and|for|on)(?![\w'’]))*[ \t]*,[ \t]*(?:and[ \t]+)?")
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?")


def _apposition_gap(between: str) -> bool:
    """True when what stands between a name and a title after it is only a comma, an article and
    capitalised words ("Berg, the Norwegian", "Berg, Norway's"); not a verb ("Berg, has welcomed the
    Norwegian") or a list's "and" ("Berg, and Norway's"), where the title belongs to someone else."""
    if len(between) > 60 or not _APPOSITION_GAP.fullmatch(between):
        return False
    words = _APPOSITION_GAP_WORD.findall(re.sub(r"^,?\s*(?:the|a)\s+", "", between))
    return all(w[0].isupper() or w in _TENURE_WORDS for w in words)


# Words of tenure that may stand between an apposition's article and its title ("Ana Berg, the new German Minister").
_TENURE_WORDS = {"new", "newly", "incoming", "current", "outgoing", "recently", "appointed", "elected", "serving"}


def _country_span(between: str, countries: list[CountryMention], s: int, e: int) -> bool:
    return any(s <= c.start and c.end <= e for c in countries)


_SPEAKER = re.compile(r"^\s*([A-Z][A-Z .'’-]{2,80}?):", re.M)
_PRESENTER = re.compile(r"^\s*(?:Presenter|Speaker|By)\s*:\s*(.+)$", re.M)


def _speakers(text: str, people: list[PersonMention]) -> list[tuple[int, str]]:
    """Speaker turns of a transcript: "SECRETARY BLINKEN:" labels and a "Presenter:" line."""
    turns: list[tuple[int, str]] = []
    for m in list(_SPEAKER.finditer(text)) + list(_PRESENTER.finditer(text)):
        for pm in people:
            if m.start(1) <= pm.start < m.end(1) and pm.name:
                turns.append((m.start(), pm.name))
                break
    turns.sort()
    return turns


# --- places ---------------------------------------------------------------------------------------


def find_places(doc: Doc, countries: list[CountryMention], gz: Gazetteer, prefer: set[str],
                text: str | None = None, ents: Sequence[Span] | None = None) -> list[PlaceMention]:
    """Cities, countries and venues among spaCy's entities. `text` and `ents` are `doc.text` and
    `doc.ents` if the caller has them (spaCy makes both anew on every read)."""
    doc_text = doc.text if text is None else text
    places: list[PlaceMention] = []
    for ent in doc.ents if ents is None else ents:
        if ent.label_ not in ("GPE", "LOC", "FAC", "ORG"):
            continue
        text = ent.text.strip()
        text = re.sub(r"^(?i:the)\s+", "", text)
        if ent.label_ in ("GPE", "LOC"):
            if (code := gz.country(text)) and not gz.capital(text):
                places.append(PlaceMention(ent.start_char, ent.end_char, gz.name(code), code, None, "country"))
                continue
            full = text
            nxt = doc_text[ent.end_char: ent.end_char + 8]
            m = re.match(r",?\s*(D\.?C\.?)\b", nxt)
            if m:
                full = text + ", D.C."
            city = gz.city(full, prefer)
            if city:
                name = "Washington, D.C." if city.name == "Washington" and city.country == "USA" else city.name
                places.append(PlaceMention(ent.start_char, ent.end_char, name, city.country, city.geonameid, "city"))
            elif (country := _country_after(doc_text, ent.end_char, gz)) and not gz.demonym(text):
                # a town the gazetteer lacks, placed by the country after it: "Rarotonga, Cook Islands"
                places.append(PlaceMention(ent.start_char, ent.end_char, text, country, None, "city"))
        elif ent.label_ == "FAC" and (facility_city := gz.city(text, prefer)) and not gz.country(text):
            # spaCy calls some cities facilities ("back in Port Moresby")
            places.append(PlaceMention(ent.start_char, ent.end_char, facility_city.name, facility_city.country,
                                       facility_city.geonameid, "city"))
        else:
            body = gz.government_body(text)
            if body and ent.label_ in ("FAC", "ORG") and fold(text).split()[-1] in ("pentagon", "department", "house", "state", "room"):
                places.append(PlaceMention(ent.start_char, ent.end_char, text, body, None, "venue"))
    # a city spaCy took for a person or a body, where only a place can stand: "will visit Yokosuka", "in Accra"
    for ent in doc.ents if ents is None else ents:
        if ent.label_ in ("PERSON", "ORG") and _PLACE_BEFORE.search(doc_text[max(0, ent.start_char - 12): ent.start_char]) \
                and not any(p.start == ent.start_char for p in places):
            city = gz.city(ent.text.strip(), prefer)
            if city and not gz.country(ent.text.strip()):
                places.append(PlaceMention(ent.start_char, ent.end_char, city.name, city.country, city.geonameid, "city"))
    # venues spaCy may label oddly: "the Pentagon", "the State Department"
    for m in _VENUES.finditer(doc_text):
        if not any(p.start <= m.start(1) < p.end for p in places):
            places.append(PlaceMention(m.start(1), m.end(1), m.group(1), gz.government_body(m.group(1)), None, "venue"))
    places.sort(key=lambda p: p.start)
    return places


_COUNTRY_AFTER = re.compile(r",\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def _country_after(text: str, end: int, gz: Gazetteer) -> str | None:
    """The country named right after a place and a comma ("..., Cook Islands"), else None."""
    m = _COUNTRY_AFTER.match(text, end)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        code = gz.country(" ".join(words[:n]))
        if code:
            return code
    return None


_PLACE_BEFORE = re.compile(r"\b(?:in|visit|visited|visiting|to|from)\s+$")
_VENUES = re.compile(r"\b(?:the\s+)?(Pentagon|State Department|Department of State|White House|Kremlin)\b")


# --- all of it ------------------------------------------------------------------------------------


def find_mentions(doc: Doc, anchor: PartialDate | None, text: str | None = None) -> Mentions:
    """Everything the rules build on. `text` is the text the Doc was made from, if the caller has
    it: spaCy rebuilds `doc.text` from the tokens on every read."""
    gz = gazetteer()
    text = doc.text if text is None else text
    countries = find_countries(text)
    freq: dict[str, int] = {}
    for c in countries:
        freq[c.code] = freq.get(c.code, 0) + 1
    lowers = token_lowers(doc)
    sentences = sentence_bounds(doc)
    ents = doc.ents
    people, speakers = find_people(doc, countries, gz, text, lowers, sentences, ents)
    # "Lima" in "Ana Lima" is a surname, not Peru's capital
    names = [(p.start, p.end) for p in people if p.kind != "title"]
    names += [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
    names.sort()
    # a name is far shorter than 200 characters: only the names starting that little before a country can hold it
    countries = [c for c in countries if not any(
        s <= c.start < e and c.kind in ("capital", "name") and not _starts_title(text[s:c.start])
        for s, e in names[bisect_left(names, (c.start - 200,)): bisect_left(names, (c.start + 1,))])]
    places = find_places(doc, countries, gz, set(freq), text, ents)
    dates = find_dates(text, anchor)
    return Mentions(countries, people, places, dates, speakers, text, lowers, sentences, ents)


def _starts_title(text: str) -> bool:
    """True when a name span begins with a title or country ("U.S. Secretary ..."), not with the name."""
    return bool(text.strip()) and not text.strip()[0].isupper() or any(w.lower() in TITLE_HEADS | TITLE_MODIFIERS for w in text.split())


def style_country(title: str | None, mentioned: set[str] | None = None) -> str | None:
    """The country an office's wording belongs to, when only one government uses it. With `mentioned`
    (the countries an article names), only one of those: other governments have a "Secretary of State"
    too, and an article about one of them does not name the United States."""
    if not title:
        return None
    t = title.replace("defence", "defense")
    code: str | None = None
    for prefix in sorted(COUNTRY_STYLE_TITLES, key=len, reverse=True):
        if t.startswith(prefix) or t == prefix:
            code = COUNTRY_STYLE_TITLES[prefix] or None
            break
    else:
        if "pentagon" in t:
            code = "USA"
    if code and mentioned is not None and code not in mentioned:
        return None
    return code


# the bare titles of a head of state and government and their deputies (not "President of the Senate")
_PRESIDENT_TITLES = {"president", "vice president", "vice-president"}
_PRIME_MINISTER_TITLES = {"prime minister", "deputy prime minister"}


def title_excludes(title: str | None) -> set[str]:
    """Countries a title rules out: the US government has no ministers; an envoy "to India" does not
    serve India."""
    excluded: set[str] = set()
    if title and re.search(r"\bminister\b", title):
        excluded.add("USA")
    # a head of state or government a country does not have ("President X" in an article about Japan)
    if title in _PRESIDENT_TITLES:
        excluded |= NO_PRESIDENT
    elif title in _PRIME_MINISTER_TITLES:
        excluded |= NO_PRIME_MINISTER
    host = re.search(r"\bto (?:the )?(.+)$", title or "")
    if host and (host_country := gazetteer().country(host.group(1))):
        excluded.add(host_country)
    return excluded
