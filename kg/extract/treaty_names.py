"""Names of agreements in a sentence: the patterns of `NAME_RULES`, tried in order on the sentence's
text (a capitalised name, a name a determiner or possessive makes specific, a modified generic name,
a short name "known as"). Regular expressions over the text, since spaCy's small model often splits
a long treaty name into several entities."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.extract.vocab import BLAND, TREATY_HEADS, TREATY_MODIFIERS, UNION_CODE, UNION_NAMES
from kg.gazetteer import fold, gazetteer

# "the Agreement on December 29": a date, not the rest of a name
_CALENDAR_WORDS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                   r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_HEADS_RE = "|".join(TREATY_HEADS)
# a party of "the Agreement between A and B on ...": "Japan", "the Foreign Service Institute of India"
_PARTY_NAME = r"(?:the[ \t]+)?[A-Z][\w-]*(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z][\w-]*)*"
_NAMED_TREATY = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w.'’]*|U\.S\.)(?:[-–—](?:[A-Z][\w.'’]*))*\s+(?:(?:of|and|on|for)\s+(?=[A-Z]))?){0,7}(?P<head>(?:" + _HEADS_RE + r")s?)"
    # "the Protocol to the X Agreement" is an agreement of its own
    r"(?P<to>[ \t]+to[ \t]+the[ \t]+[A-Z][\w-]*(?:[ \t]+(?:[A-Z][\w-]*|and|of|on))*[ \t]+(?:" + _HEADS_RE + r"))?"
    r"(?P<between>[ \t]+between[ \t]+" + _PARTY_NAME + r"[ \t]+and[ \t]+" + _PARTY_NAME + r")?"
    # "the Agreement to Establish the X", "the Protocol Amending the Y Treaty", "Arrangements relating to the Z"
    r"(?P<tail>[ \t]+(?:of|on|for|to[ \t]+[Ee]stablish|[Ee]stablishing|[Aa]mending|[Rr]elating[ \t]+to|[Cc]oncerning)[ \t]+(?:the[ \t]+)?(?!" + _CALENDAR_WORDS + r")(?:[A-Z][\w-]*)(?:[ \t]+(?:[A-Z][\w-]*|(?:and|of|on|for)(?=[ \t]+(?:the[ \t]+)?(?!" + _CALENDAR_WORDS + r")[A-Z])|the(?=[ \t]+[A-Z])|"
    r"in[ \t]+the[ \t]+(?:fields?|areas?|sphere)[ \t]+of(?=[ \t]+[A-Z])|in(?=[ \t]+(?!"
    + _CALENDAR_WORDS + r")[A-Z][a-z])))*)?)(?![\w-])"
)
# Lower-case agreements a determiner, possessive or modifier makes specific ("the accession protocol",
# "a memorandum of understanding on cooperation in green shipping", "the defence cooperation arrangement")
_FUNCTION_WORDS = r"(?:the|a|an|of|on|in|to|and|or|with|for|by|its|their|our|this|that|his|her|one|which|who)\b"
_DETERMINED_TREATY = re.compile(
    r"(?:\b(?P<det>the|a|an|its|their|our|this|that)|(?P<poss>[A-Z][\w.-]*(?:'s|’s)))\s+"
    r"(?P<name>(?P<mods>(?:(?!" + _FUNCTION_WORDS + r")[A-Za-z][\w-]*\s+){0,3}?)"
    r"(?P<head>memorandum of understanding|memorandum(?=\s+on\s)|(?i:mou)|convention|protocol|arrangement|compact|code of conduct|"
    r"plan of action|action plan|joint communiqu[eé]s?|framework agreement|agreement(?=\s+(?:on|for)\s))"
    r"(?:\s+(?:on|for)\s+(?!" + _FUNCTION_WORDS + r")[a-z][\w-]*(?:\s+(?:in|on|of|and|for)\s+(?!"
    + _FUNCTION_WORDS + r")[a-z][\w-]*|\s+(?!" + _FUNCTION_WORDS + r"|between\b|with\b|signed\b|which\b|who\b)[a-z][\w-]*){0,5})?)"
    r"(?![\w-])"
)
_LOWER_TREATY = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w.'’]*(?:[-–—][A-Z][\w.'’]*)*)\s+)+(?P<head>treaty|agreement|declaration|accord|pact|alliance|framework|partnership)"
    r"|(?:" + "|".join(TREATY_MODIFIERS) + r")(?:\s+(?:" + "|".join(TREATY_MODIFIERS) + r"))*\s+(?P<head2>treaty|agreement|alliance|partnership agreement|partnership|pact|accord))"
    r"(?!\s+(?:commitment|commitments|talks|dialogue|relationship|ties))(?![\w-])"
)
# "signed a memorandum on ...", "the negotiation of the agreement on ...": an agreement as what is signed or negotiated
_SIGN_BEFORE = re.compile(r"\b(?:sign|conclu|negotiat|adopt|ratif|initial|endors|finali[sz])\w*\s+(?:of\s+)?(?:a|an|the|their|its)?\s*$", re.I)
_SIGNED_AFTER = re.compile(r"\s+(?:(?:that|which)\s+)?(?:was\s+|were\s+|had\s+been\s+)?(?:signed|concluded|ratified|adopted)\b")
# lower-case heads that name an agreement only as what is signed or negotiated, or as someone's
_EVENT_NAMED_HEADS = ("memorandum", "code of conduct", "plan of action", "action plan", "joint communiqué", "joint communique",
                      "joint communiqués", "joint communiques", "framework agreement", "agreement")
_LISTED_NAME_PARTS = re.compile(r"(?:,[ \t]+[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*)+,?[ \t]+and[ \t]+[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*")
_IN_PLACE = re.compile(r"\s+in\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)$")
_DETERMINED_HEADS = ("memorandum", "mou", "MoU", "MOU", "convention", "protocol", "arrangement", "compact", "code of conduct",
                     "plan of action", "action plan", "communiqu", "agreement")
# The head words `_LOWER_TREATY` can match (in both of its branches).
_LOWER_HEADS = ("treaty", "agreement", "declaration", "accord", "pact", "alliance", "framework", "partnership")
_CALLED = re.compile(r"(?:called|named|known as)\s+(?:the\s+)?[“\"']?(?P<name>[A-Z][A-Za-z0-9-]{1,20})(?![A-Za-z0-9-])[”\"']?(?!\s+(?:"
                     + _HEADS_RE + r")\b)")
# "the Security Treaty between A, B and C, known as the X Treaty": one agreement under two names
_ALSO_KNOWN = re.compile(r"^\s+between\b[^.;]{0,120}?,?\s+(?:also\s+)?(?:known as|called|named)\s+(?:the\s+)?$")
# a sentence may open with the anaphor ("The treaty, signed in London, commits ...")
ANAPHOR = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur|[Ii]ts|[Tt]heir)\s+(?P<head>Treaty|Alliance|Agreement|treaty|alliance|agreement|Declaration|Partnership|"
                      r"[Mm]emorandum|MoU|[Cc]onvention|[Pp]rotocol|[Aa]rrangement|Framework|Roadmap|[Pp]act|[Aa]ccord|Charter|Consensus)\b"
                      r"(?!\s+(?:of|on)\s+[A-Z])")
_NOT_TREATY_START = {"The", "This", "That", "Our", "Its", "Their", "A", "An", "As", "In", "On", "By", "Under",
                     "Through", "Signing", "Signs", "Signed", "Sign", "Ratifies", "Adopts", "Anniversary", "Sixtieth", "Statement", "Joint", "JOINT", "STATEMENT"}


# Agreement nouns a pair of countries can make a name of ("the Chile - Peru strategic partnership",
# "the two Ghana-Norway joint communiqués", "the Fiji-Samoa travel bubble")
_PAIR_HEADS = (r"partnership agreement|partnership|agreement|treaty|alliance|pact|accord|communiqu[eé]s?|declaration|framework|"
               r"roadmap|travel bubble|plan of action|action plan|code of conduct|memorandum of understanding")
_CAPITAL_WORDS = r"(?:[A-Z][\w.'’]*|U\.S\.)(?:[ \t]+[A-Z][\w.'’]*){0,2}"
_COUNTRY_PAIR = re.compile(r"(?P<name>(?P<a>" + _CAPITAL_WORDS + r")[ \t]*[-–—/][ \t]*(?P<b>" + _CAPITAL_WORDS + r")[ \t]+"
                           r"(?:[a-z][\w-]*[ \t]+){0,3}?(?P<head>" + _PAIR_HEADS + r"))(?![\w-])")
# "described Chile as a strategic partner": a partnership of the two countries the sentence names
_PARTNER = re.compile(r"\b(?:a|an|the|its|their|our|his|her)\s+(?:(?:key|major|important|close|reliable|trusted|"
                      r"comprehensive|only|main|natural|global|longstanding|long-standing)\s+)*(?P<name>(?:comprehensive\s+)?"
                      r"strategic\s+partner)s?\b")
PARTNER_HEAD = "generic:partner"
# "the Treaty of Friendship between A and B": the name's parties
_BETWEEN = re.compile(r"[ \t]+between[ \t]+(?:the[ \t]+)?(?P<a>" + _CAPITAL_WORDS + r")[ \t]+and[ \t]+(?:the[ \t]+)?(?P<b>"
                      + _CAPITAL_WORDS + r")")


def _country_code(words: str, last: bool) -> tuple[str, int] | None:
    """The country the last (or first) words of a capitalised phrase name ("Today Japan", "U.S.",
    "Indonesian"), with how many characters of the phrase come before (after) it."""
    gz = gazetteer()
    parts = words.split()
    for k in range(len(parts)):
        piece = " ".join(parts[k:] if last else parts[:len(parts) - k])
        code = gz.country(piece) or gz.demonym(piece) or (UNION_CODE if UNION_NAMES.fullmatch(piece) else None)
        if code:
            return code, len(words) - len(piece)
    return None


def pair_parties(text: str, m: re.Match[str]) -> tuple[str, ...]:
    """The two countries of a pair's groups `a` and `b`, or () unless both are countries."""
    a, b = _country_code(m.group("a"), True), _country_code(m.group("b"), False)
    return (a[0], b[0]) if a and b and a[0] != b[0] else ()


@dataclass(frozen=True, order=True)
class TreatyName:
    """A treaty-like name in a sentence, by offsets into the sentence's text; ordered by where it is."""

    start: int
    end: int
    label: str
    head: str  # the head word, lower case; "generic:<head>" when whose it is must come from the name itself
    rule: str = field(default="", compare=False)
    alias: str = field(default="", compare=False)  # another name the sentence gives it ("known as")
    parties: tuple[str, ...] = field(default=(), compare=False)  # named with it ("between A and B", "A-B ...")


# (start, end, label, head) of a name a regex match holds
_Found = tuple[int, int, str, str]


def _called_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "an agreement ... known as the Quad": a short name given to an agreement just named."""
    before = text[max(0, m.start() - 80): m.start()].lower()
    if any(h.lower() in before for h in TREATY_HEADS):
        return m.start("name"), m.end("name"), m.group("name"), "partnership"
    return None


def _determined_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "the accession protocol", "a memorandum of understanding on ...", "Japan's defence arrangement"."""
    mods = [w.lower() for w in m.group("mods").split()]
    specific = m.group("poss") or m.group("det") in ("its", "their", "our") \
        or m.group("head").lower() in ("memorandum of understanding", "mou")
    if m.group("head").lower() in _EVENT_NAMED_HEADS:
        signed = bool(_SIGN_BEFORE.search(text, max(0, m.start() - 40), m.start()))
        owned = (m.group("poss") or m.group("det") in ("its", "their", "our")) and m.group("head").lower() != "agreement"
        if not signed and not owned:  # ("their agreement on the need to act" is a view shared)
            return None  # "a memorandum on X", "a code of conduct" are agreements as what is signed or someone's
        specific = True
    # "the MoU signed in 2015": an agreement told by its event
    specific = specific or bool(_SIGNED_AFTER.match(text, m.end()))
    if not (specific or [w for w in mods if w not in BLAND]):
        return None  # "the convention" alone refers back; "the new arrangement" is no name
    return m.start("name"), m.end("name"), m.group("name"), m.group("head").lower()


def _country_pair_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "the Chile - Peru strategic partnership": an agreement noun after a pair of countries."""
    first = _country_code(m.group("a"), True)
    parties = pair_parties(text, m)
    if not parties or first is None:
        return None
    start = m.start("name") + first[1]  # "Today Chile-Peru ...": the name starts at the country
    # named as a generic name with its parties is ("Chile–Peru strategic partnership"), so that
    # "the Peru - Chile strategic partnership" and "the Chile-Peru ..." are one agreement
    gz = gazetteer()
    rest = text[m.end("b"): m.end("name")].strip()
    label = "–".join(gz.name(c) for c in sorted(parties)) + " " + rest
    return start, m.end("name"), label, m.group("head").lower()


def _partner_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "X as a strategic partner": the partnership (its two parties must be named in the sentence)."""
    return m.start("name"), m.end("name"), m.group("name").lower() + "ship", PARTNER_HEAD


def _capitalised_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "the Treaty of Friendship, Good Neighbourliness and Cooperation", "the Quadrilateral Security Agreement"."""
    s, e = m.start("name"), m.end("name")
    label = m.group("name")
    if m.group("between") and not m.group("tail") and m.group("head") not in ("Memorandum of Understanding", "MoU", "MOU"):
        # "the Treaty between A and B" is named by what comes before "between"
        e = m.start("between")
        label = text[s:e]
    if m.group("tail"):
        # "the Treaty of Friendship, Good Neighbourliness and Cooperation": a listed name goes on
        more = _LISTED_NAME_PARTS.match(text, e)
        if more:
            e = more.end()
            label = text[s:e]
        # "signed a Treaty of Friendship in Madrid": a known place after "in" is where, not the name
        cut = _IN_PLACE.search(label)
        if cut and (gazetteer().city(cut.group(1)) or gazetteer().country(cut.group(1))):
            e = s + cut.start()
            label = text[s:e]
    return _trimmed(text, m, s, e, label)


def _modified_name(text: str, m: re.Match[str]) -> _Found | None:
    """ "the Mutual Defense Treaty", "their defence treaty" (generic: its parties must be named)."""
    return _trimmed(text, m, m.start("name"), m.end("name"), m.group("name"))


def _trimmed(text: str, m: re.Match[str], s: int, e: int, label: str) -> _Found | None:
    """The name without the words before it that are not part of it ("Signing the", "Joint")."""
    words = label.split()
    while words and ((words[0] in _NOT_TREATY_START and not (words[0] in ("Statement", "STATEMENT") and len(words) > 1
                                                             and words[1] == "of"))  # "Statement of Partnership"
                     or words[0].lower() in ("the", "a", "an", "its", "their", "our")):
        s += len(words[0]) + 1
        words = words[1:]
    if not words:
        return None
    label = " ".join(words)
    head = (m.group("head") if "head" in m.groupdict() and m.group("head") else None) or m.groupdict().get("head2") or ""
    if len(words) == 1 or label.lower().rstrip("s") == head.lower().rstrip("s"):
        return None  # a bare "Alliance" is an anaphor, handled apart; "Action Plans" a heading
    if words[0] in ("of", "and", "on", "for"):
        return None
    if m.groupdict().get("head2") and not re.match(r"\s+(?:between|with)\s+(?:the\s+)?[A-Z]", text[e:]):
        head = "generic:" + head  # whose it is must come from the name itself
    return s, e, label, head.lower()


@dataclass(frozen=True)
class NameRule:
    """A pattern of treaty names. `heads`: words every match holds (most sentences need no regex search),
    None to search every sentence; `exclusive`: a match overlapping a name found before is dropped."""

    id: str
    regex: re.Pattern[str]
    read: Callable[[str, re.Match[str]], _Found | None]
    heads: tuple[str, ...] | None
    exclusive: bool = True


NAME_RULES: tuple[NameRule, ...] = (
    NameRule("treaties.called-name", _CALLED, _called_name, None, exclusive=False),
    NameRule("treaties.capitalised-name", _NAMED_TREATY, _capitalised_name, TREATY_HEADS),
    NameRule("treaties.country-pair-name", _COUNTRY_PAIR, _country_pair_name, ("-", "–", "—", "/")),
    NameRule("treaties.determined-name", _DETERMINED_TREATY, _determined_name, _DETERMINED_HEADS),
    NameRule("treaties.modified-name", _LOWER_TREATY, _modified_name, _LOWER_HEADS),
    NameRule("treaties.strategic-partner", _PARTNER, _partner_name, ("partner",)),
)
ALSO_KNOWN_AS = "treaties.also-known-as"


def treaty_spans(text: str) -> list[TreatyName]:
    """Each treaty-like name in a sentence, in order; the first rule to find a stretch of text keeps it."""
    spans: list[TreatyName] = []
    for name_rule in NAME_RULES:
        if name_rule.heads is not None and not any(h in text for h in name_rule.heads):
            continue
        for m in name_rule.regex.finditer(text):
            found = name_rule.read(text, m)
            if found is None:
                continue
            s, e, label, head = found
            if name_rule.exclusive and not all(e <= n.start or s >= n.end for n in spans):
                continue
            parties: tuple[str, ...] = ()
            if name_rule.regex is _COUNTRY_PAIR:
                parties = pair_parties(text, m)
            elif between := _BETWEEN.match(text, e):
                parties = pair_parties(text, between)
            spans.append(TreatyName(s, e, label, head, name_rule.id, parties=parties))
    spans.sort()
    return spans


def treaty_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(re.sub(r"\s+", " ", label.strip()))).strip("-")


def join_also_known(text: str, spans: list[TreatyName]) -> list[TreatyName]:
    """ "the Security Treaty between A and B, known as the X Treaty": one span from the first name to the
    second, named by the second, with the first as its alias."""
    out: list[TreatyName] = []
    k = 0
    while k < len(spans):
        first = spans[k]
        if k + 1 < len(spans) and _ALSO_KNOWN.match(text[first.end: spans[k + 1].start]):
            second = spans[k + 1]
            out.append(TreatyName(first.start, second.end, second.label, second.head, ALSO_KNOWN_AS, alias=first.label))
            k += 2
            continue
        out.append(first)
        k += 1
    return out
