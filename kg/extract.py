"""From mentions to facts: officials with their posts, dialogues, treaties and policies.

Rules over spaCy's parse, one sentence at a time, with the article's context for what a sentence
leaves implicit: who "he", "I" and "the minister" are, which country an official serves, and which
earlier event "the dialogue" or "this Treaty" refers to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from typing import Any

from kg.articles import Article
from kg.dates import DateMention, PartialDate
from kg.facts import ArticleFacts, Dialogue, Evidence, Official, PlaceRef, Policy, Post, Treaty, TreatyEvent
from kg.gazetteer import fold, gazetteer
from kg.mentions import (
    NAME_SUFFIXES,
    Mentions,
    PersonMention,
    PlaceMention,
    find_mentions,
    style_country,
    title_excludes,
    token_strings,
)

# --- vocabularies of events (general English) -----------------------------------------------------

DIALOGUE_NOUNS = {
    "meeting": "meeting", "talks": "talks", "talk": "talks", "visit": "visit", "trip": "visit", "tour": "visit",
    "summit": "summit", "conference": "conference", "briefing": "press briefing", "lunch": "working lunch",
    "dinner": "dinner", "call": "call", "conversation": "conversation", "dialogue": "dialogue",
    "discussions": "talks", "discussion": "talks", "consultations": "consultations", "meetings": "meeting",
    "availability": "news conference",
}
DIALOGUE_VERBS = {"meet": "meeting", "visit": "visit", "host": "meeting", "speak": "call", "call": "call",
                  "travel": "visit", "telephone": "call", "phone": "call", "welcome": "visit"}
PLANNED_WORDS = re.compile(r"\b(will|shall|to be held|upcoming|next (week|month|year)|later this|is to|are to|"
                           r"plans? to|scheduled|would|agreed? to hold|at an early date|invit(?:e|es|ed|ing)\b[^;]{0,60}?\bto|"
                           r"look(?:s|ed|ing)? forward to|(?:is|are) expected to|intends? to)\b", re.I)
NEGATION = re.compile(r"\b(did not|didn't|not meet|never|no plans?|cancel(?:led|ed)?|postponed)\b", re.I)

TREATY_HEADS = ("Memorandum of Understanding", "MoU", "MOU", "Treaty", "Agreement", "Accord", "Pact", "Alliance", "Declaration", "Framework", "Partnership",
                "Convention", "Guidelines", "Roadmap", "Protocol", "Charter", "Compact", "Arrangement")
TREATY_MODIFIERS = ("defence", "defense", "security", "mutual", "trade", "free trade", "nuclear", "strategic",
                    "trilateral", "tripartite", "bilateral", "comprehensive", "enhanced", "peace", "arms control", "military",
                    "economic", "comprehensive strategic", "enhanced strategic")
TREATY_EVENTS = {
    "sign": "signed", "signing": "signed", "ratify": "ratified", "ratification": "ratified",
    "suspend": "suspended", "suspension": "suspended", "withdraw": "withdrew from", "withdrawal": "withdrew from",
    "propose": "proposed", "proposal": "proposed", "negotiate": "negotiated", "negotiation": "negotiated",
    "conclude": "concluded", "invoke": "invoked", "announce": "announced", "creation": "announced",
    "create": "announced", "launch": "launched", "establish": "established", "celebrate": "celebrated",
    "anniversary": "anniversary", "adopt": "adopted", "renew": "renewed", "terminate": "terminated",
    "finalize": "concluded", "finalise": "concluded", "commemorate": "celebrated", "elevate": "elevated",
    "upgrade": "upgraded", "exchange": "signed", "amend": "amended", "amendment": "amended", "revise": "revised",
    "replace": "replaced", "reaffirm": "reaffirmed", "endorse": "endorsed", "join": "joined",
    "raise": "raised",  # only "raised ... to a partnership" (see `_treaty_events`)
}
# "exchanged the MoUs" is a signing; "exchanged views" or "the instruments of ratification" is not
_EXCHANGED_DOCUMENTS = {"mou", "mous", "memorandum", "memoranda", "memorandums", "agreement", "agreements"}
# Events of more than one word: a lemma and the words that must follow it ("entered into force", "took effect").
TREATY_PHRASE_EVENTS = {"enter": (("into", "force"), "entered into force"), "entry": (("into", "force"), "entered into force"),
                        "take": (("effect",), "took effect"), "come": (("into", "force"), "entered into force"),
                        # "in force since 1 March 2020": entered into force then (only with "since")
                        "in": (("force", "since"), "entered into force")}
POLICY_HEADS = {"policy", "ban", "strategy", "position", "programme", "program", "initiative", "rebalance",
                "pivot", "doctrine", "outlook"}
POLICY_VERBS = {"ban": "banned", "acquire": "adopted", "procure": "adopted", "select": "adopted",
                "adopt": "adopted", "introduce": "introduced", "announce": "announced"}
ACQUISITION_VERBS = {"acquire": "acquisition", "procure": "procurement", "select": "selection"}

FIRST_PERSON = {"i", "we", "our", "my", "us"}
# Modifiers that say nothing of what a policy is ("the first initiative", "a new strategy").
_BLAND = {"first", "second", "third", "new", "major", "key", "important", "latest", "next", "current", "this",
          "that", "its", "their", "our", "his", "her", "same", "other", "such", "overall", "whole", "broader"}
THIRD_PERSON = {"he", "she"}


def person_key(name: str) -> str:
    """First and last name, folded; initials and suffixes dropped ("Lloyd J. Austin III" -> "lloyd austin")."""
    tokens = [t for t in re.split(r"\s+", fold(name)) if t]
    tokens = [t for t in tokens if t.rstrip(".") not in {s.rstrip(".") for s in NAME_SUFFIXES}]
    tokens = [t for t in tokens if not re.fullmatch(r"[a-z]\.", t)]
    tokens = [re.sub(r"[^\w-]", "", t) for t in tokens]
    tokens = [t for t in tokens if t]
    if not tokens:
        return fold(name)
    return tokens[0] if len(tokens) == 1 else f"{tokens[0]} {tokens[-1]}"


class Extractor:
    """Loads the spaCy pipeline once and turns articles into facts."""

    def __init__(self, model: str | None = None) -> None:
        from kg import nlp

        self.nlp = nlp.load(model)
        _install_infixes(self.nlp)
        _install_line_sentences(self.nlp)

    def extract(self, article: Article) -> ArticleFacts:
        return extract_doc(self.nlp(article.text), article)

    def extract_many(self, articles: Iterable[Article], n_process: int = 1, batch_size: int = 8) -> Iterator[tuple[Article, ArticleFacts]]:
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
            yield article, extract_doc(doc, article)


def _line_sentences(doc: Any) -> Any:
    """Headlines, datelines and paragraphs are sentences of their own: a sentence starts after a blank
    line, or after a line break when the next line starts with a capital and the line before is short."""
    text = doc.text
    newline = text.find("\n")
    if newline < 0:
        return doc
    # only tokens after one that holds a line break can change: find those through the text
    # instead of looking at every token
    starts = doc.to_array("IDX").tolist()
    last = len(doc) - 1
    i = 0
    while newline >= 0:
        i = bisect_right(starts, newline, lo=i) - 1  # the token that holds this line break
        if i >= last:
            break
        prev, tok = doc[i], doc[i + 1]
        if prev.is_space:
            line_start = text.rfind("\n", 0, prev.idx) + 1
            short = prev.idx - line_start < 120
            if "\n\n" in prev.text or (tok.text[:1].isupper() and short) or tok.text[:1] in "•-*":
                tok.is_sent_start = True
        else:
            tok.is_sent_start = True
        newline = text.find("\n", starts[i + 1])
    return doc


def _install_line_sentences(nlp: Any) -> None:
    from spacy.language import Language

    if "kg_line_sentences" not in Language.factories:
        Language.component("kg_line_sentences", func=_line_sentences)
    if "kg_line_sentences" not in nlp.pipe_names:
        nlp.add_pipe("kg_line_sentences", before="parser" if "parser" in nlp.pipe_names else None)


def _install_infixes(nlp: Any) -> None:
    """Split "U.S.–New Zealand" and "U.S.-Philippines" into their countries."""
    from spacy.util import compile_infix_regex

    if getattr(nlp, "_kg_infixes", False):
        return
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Z]\.)[-–—](?=[A-Za-z])", r"(?<=[a-z])[–—](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp._kg_infixes = True


# --- the article ----------------------------------------------------------------------------------


class _Context:
    """What the article says around a sentence: resolved people, speakers, the main countries."""

    def __init__(self, doc: Any, article: Article, mentions: Mentions, sentences: list[_Sentence]) -> None:
        self.doc, self.article, self.m = doc, article, mentions
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.text = mentions.text  # spaCy rebuilds Doc.text on every read: read it once
        lead = len(self.text) - len(self.text.lstrip())
        first_break = self.text.find("\n", lead)
        rest = self.text[first_break:] if first_break >= 0 else ""
        # where the second line of the article starts: it and the headline count as the title lines
        self.second_line = len(self.text) if first_break < 0 else first_break + len(rest) - len(rest.lstrip())
        self.gz = gazetteer()
        self.facts = ArticleFacts()
        for c in mentions.countries:
            self.facts.countries[c.code] = self.facts.countries.get(c.code, 0) + 1
        self.main_countries = [c for c, _ in Counter(self.facts.countries).most_common()]
        self.token_starts: list[int] = doc.to_array("IDX").tolist()  # each token's first character
        self.resolved: list[tuple[int, int, str]] = []  # (start, end, official key) for every mention
        self.last_subject: str | None = None
        self.focus_date: PartialDate | None = None  # the date of the latest event reported as held
        self.treaty_aliases: dict[str, Treaty] = {}  # another name's key -> the agreement it names
        self.list_events: list[tuple[str, PartialDate | None]] = []  # events a sentence ending in ":" gives its list
        self.attendance_list = False  # the list being read names who attended ("Ministers attending included:")

    def evidence(self, start: int, end: int, confidence: float = 0.8) -> Evidence:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:  # the sentence of its first token (as `span.sent` has it)
            sent = self.sentences[bisect_right(self.sentence_starts, span.start) - 1]
            return self.sentence_evidence(sent, confidence)
        return Evidence(start, end, self.text[start:end], confidence)

    def sentence_evidence(self, sent: Any, confidence: float = 0.8) -> Evidence:
        text = sent.text
        lead = len(text) - len(text.lstrip())
        return Evidence(sent.start_char + lead, sent.start_char + len(text.rstrip()), text.strip(), confidence)


def _same_length(doc: Any, text: str) -> bool:
    if not len(doc):
        return not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text)


class _Sentence:
    """A sentence of the Doc with what the rules read of it many times, taken from spaCy once:
    its tokens (a spaCy Span makes new Token objects on every pass) and its text."""

    __slots__ = ("doc", "start", "end", "start_char", "end_char", "text", "lowers", "lemmas")

    def __init__(self, doc: Any, start: int, end: int, doc_text: str, lowers: list[str], lemmas: list[str]) -> None:
        self.doc, self.start, self.end = doc, start, end
        last = doc[end - 1]
        # as spaCy's Span has them: from the first token to the end of the last one's text
        self.start_char, self.end_char = doc[start].idx, last.idx + len(last.text)
        self.text = doc_text[self.start_char: self.end_char]  # = span.text
        self.lowers, self.lemmas = lowers, lemmas  # of the whole Doc, by token index

    def __iter__(self) -> Iterator[Any]:
        return iter(self.doc[self.start: self.end])

    def __len__(self) -> int:
        return self.end - self.start

    def tokens_with(self, words: Container[str] = (), lemmas: Container[str] = ()) -> Iterator[Any]:
        """The tokens whose lower-case text is one of `words` or lemma (lower case) one of `lemmas`:
        the rules' trigger words, without making a Token object of every other word."""
        lowers, lemma_of, doc = self.lowers, self.lemmas, self.doc
        for i in range(self.start, self.end):
            if lowers[i] in words or lemma_of[i] in lemmas:
                yield doc[i]


def _token_lemmas(doc: Any) -> list[str]:
    """Each token's lemma in lower case (`tok.lemma_.lower()`)."""
    return token_strings(doc, "LEMMA")


def extract_doc(doc: Any, article: Article) -> ArticleFacts:
    # the Doc was made from the article's text (spaCy keeps every character): no need to rebuild it
    text = article.text if _same_length(doc, article.text) else doc.text
    mentions = find_mentions(doc, article.date, text)
    lemmas = _token_lemmas(doc)
    sentences = [_Sentence(doc, s, e, text, mentions.lowers, lemmas) for s, e in mentions.sentences]
    ctx = _Context(doc, article, mentions, sentences)
    _resolve_officials(ctx)
    _assign_countries(ctx)
    dialogues: list[Dialogue] = []
    for sent in sentences:
        _sentence_dialogues(ctx, sent, dialogues)
        _sentence_treaties(ctx, sent)
        _sentence_policies(ctx, sent)
    ctx.facts.dialogues = _merge_dialogues(ctx, dialogues)
    _fill_dialogue_countries(ctx)
    _finish_treaties(ctx)
    return ctx.facts


# --- officials ------------------------------------------------------------------------------------


def _resolve_officials(ctx: _Context) -> None:
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
    for pm in people:
        if pm.kind in ("full", "surname") and pm.name:
            key = person_key(pm.name) if pm.kind == "full" else by_surname[fold(pm.surname)]
            off = facts.officials[key]
            ev = ctx.evidence(pm.start, pm.end, 0.9)
            off.evidence.append(ev)
            if pm.title:
                off.posts.append(Post(pm.title, pm.country, ev))
            ctx.resolved.append((pm.start, pm.end, key))
    # title-only mentions: the official who holds that whole title ("the minister", "our Foreign Minister")
    for pm in people:
        if pm.kind != "title" or not pm.title:
            continue
        key = _official_with_title(ctx, pm.title, pm.start)
        if key is not None:
            ctx.resolved.append((pm.start, pm.end, key))
    # bare surnames spaCy sees as people ("Teodoro", "Mr Peters")
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
    ctx.resolved.sort()


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


def _title_head(title: str) -> str:
    """The noun a title names its holder by: the word before its first "of"/"for" ("secretary of state")."""
    words = fold(title).split()
    for i, w in enumerate(words):
        if w in _TITLE_LINKS and i:
            return words[i - 1]
    return words[-1] if words else ""


def _official_with_title(ctx: _Context, title: str, at: int) -> str | None:
    """The official a title-only mention refers to: one who holds that whole title, or whose title starts with
    a bare title word ("the minister" for a "minister for defence", never for a "prime minister"). A plural
    ("the ministers") names a group, not one official. Between several, the one named last before it."""
    head = _title_head(title)
    if not head or (head.endswith("s") and not head.endswith("ss")):
        return None
    forms = _title_forms(title)
    best: tuple[int, int, str] | None = None  # (score, last mention before, key)
    for off in ctx.facts.officials.values():
        score = 0
        for post in off.posts:
            if _title_head(post.title).endswith("s") and not _title_head(post.title).endswith("ss"):
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


def _assign_countries(ctx: _Context) -> None:
    facts, people = ctx.facts, ctx.m.people
    # list continuation: "New Zealand's Secretary ... John Allen; Chief of Defence Force Rhys Jones; ..."
    previous: PersonMention | None = None
    for pm in people:
        if pm.country is None and pm.list_continuation and previous is not None and previous.country and \
                ctx.text[previous.end: pm.start].count(".") == 0 and pm.start - previous.end < 20:
            pm.country = previous.country
        if pm.name:
            previous = pm
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
            off.country_evidence = next(p.evidence for p in off.posts if p.country == off.country)
    # what is left: what the official's own sentences say (a delegation, "our", a pair of titles), else the
    # other side of a dialogue among the two countries the article is about; never a third country
    mentions_of: dict[str, list[PersonMention]] = {}
    for pm in people:
        if pm.name and pm.kind in ("full", "surname"):
            mentions_of.setdefault(person_key(pm.name), []).append(pm)
    _pair_countries(ctx, mentions_of)
    known = {o.country for o in facts.officials.values() if o.country}
    focus = ctx.main_countries[:2]
    mentioned = set(ctx.facts.countries)
    dateline = ctx.gz.city(ctx.article.dateline_place) if ctx.article.dateline_place else None
    for off in facts.officials.values():
        if off.country or not off.posts:
            continue
        excluded: set[str] = set()
        for p in off.posts:
            excluded |= title_excludes(p.title)
        choice = None
        for pm in mentions_of.get(off.key, []):
            choice = _delegation_country(ctx, pm) or _speaker_country(ctx, pm)
            if choice:
                break
        if choice is None and all(p.title == "secretary" for p in off.posts) and "USA" in mentioned \
                and "USA" not in known:
            choice = "USA"  # a cabinet member styled only "Secretary": the US usage
        if choice is None:
            candidates = [c for c in focus if c not in excluded]
            counterpart = [c for c in candidates if c not in known]
            # a country the article is about that no other official here already stands for:
            # a guess between counterparts of one country would more often be wrong than right
            choice = (counterpart or [None])[0] if known else (candidates or [None])[0]
        if choice is None and dateline and dateline.country in mentioned and dateline.country not in excluded:
            choice = dateline.country  # the host of the event the article reports from
        if choice and choice not in excluded:
            off.country = choice
            off.country_evidence = off.posts[0].evidence
    for off in facts.officials.values():
        for post in off.posts:
            if post.country is None:
                post.country = off.country
    # an official is someone with an office
    for key in [k for k, o in facts.officials.items() if not o.posts or not o.country]:
        del facts.officials[key]


_DELEGATION = re.compile(r"^(?:'s|’s)?\s+(?:delegation|side|team|contingent)\b", re.I)
_OUR_AFTER = re.compile(r"^,?\s*(?:our|my)\b", re.I)
_OUR_BEFORE = re.compile(r"\b(?:our|my)\s+$", re.I)


def _sentence_at(ctx: _Context, char: int) -> Any:
    k = bisect_right(ctx.sentence_starts, bisect_right(ctx.token_starts, char) - 1) - 1
    return ctx.sentences[max(k, 0)]


def _delegation_country(ctx: _Context, pm: PersonMention) -> str | None:
    """The country of the delegation or side the sentence puts an official in before naming them
    ("The Indian delegation was led by X and included Foreign Secretary Y")."""
    sent = _sentence_at(ctx, pm.start)
    found = None
    for c in ctx.m.countries:
        if sent.start_char <= c.start < pm.start and c.kind in ("name", "demonym", "alias") \
                and _DELEGATION.match(ctx.text[c.end: c.end + 24]):
            found = c.code
    return found


def _speaker_country(ctx: _Context, pm: PersonMention) -> str | None:
    """ "General X, our chief of defence staff" in a speaker's turn: the speaker's country."""
    if not (_OUR_AFTER.match(ctx.text[pm.end: pm.end + 8]) or _OUR_BEFORE.search(ctx.text[max(0, pm.start - 6): pm.start])):
        return None
    speaker = _speaker_at(ctx, pm.start)
    return ctx.facts.officials[speaker].country if speaker else None


def _pair_countries(ctx: _Context, mentions_of: dict[str, list[PersonMention]]) -> None:
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
        head = _title_head(a.title or "")
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
                off.country_evidence = off.posts[0].evidence


def _people_in(ctx: _Context, start: int, end: int) -> list[tuple[int, str]]:
    return [(s, k) for s, e, k in ctx.resolved if start <= s < end and k in ctx.facts.officials]


def _speaker_at(ctx: _Context, offset: int) -> str | None:
    name = None
    for pos, who in ctx.m.speakers:
        if pos <= offset:
            name = who
    if name is None:
        return None
    key = person_key(name)
    if key in ctx.facts.officials:
        return key
    # a speaker label with a surname only ("SECRETARY BLINKEN")
    surname = fold(name.split()[-1])
    return next((k for k in ctx.facts.officials if k.split()[-1] == surname), None)


def _sentence_people(ctx: _Context, sent: Any) -> list[str]:
    """Officials a sentence speaks of, including "he" (the last subject) and "I"/"we" (the speaker)."""
    found = [k for _, k in _people_in(ctx, sent.start_char, sent.end_char)]
    for tok in sent.tokens_with(_PRONOUNS):
        low = tok.text.lower()
        if low in THIRD_PERSON and tok.dep_ in ("nsubj", "nsubjpass") and ctx.last_subject:
            found.append(ctx.last_subject)
        elif low in ("i",) and tok.dep_ in ("nsubj", "conj"):
            sp = _speaker_at(ctx, tok.idx)
            if sp:
                found.append(sp)
    unique = list(dict.fromkeys(found))
    subjects = [k for s, k in _people_in(ctx, sent.start_char, sent.end_char)]
    if subjects:
        ctx.last_subject = subjects[0]
    return unique


_PRONOUNS = THIRD_PERSON | {"i"}  # the words `_sentence_people` resolves

# --- dialogues ------------------------------------------------------------------------------------


def _places_in(ctx: _Context, start: int, end: int) -> list[PlaceMention]:
    out = []
    text = ctx.text
    for p in ctx.m.places:
        if start <= p.start < end:
            before = text[max(start, p.start - 16): p.start].lower()
            after = text[p.end: p.end + 2]
            if p.kind == "country" and (not re.search(r"\b(in|visit|visited|visiting|visits|travel to|trip to)\s+(the\s+)?$", before)
                                        or after[:1] in ("–", "-", "—")):
                continue
            if p.kind == "venue" and not re.search(r"\b(in|at|to|inside)\s+(the\s+)?(u[.\s]*s[.\s]*)?$", before):
                continue
            if _TOPIC_BEFORE.search(text[max(start, p.start - 40): p.start]) or _discussed(ctx, p.start):
                continue  # "discussed the situation in Afghanistan": a topic, not where they met
            out.append(p)
    return out


_TOPIC_BEFORE = re.compile(r"\b(?:situation|developments?|crisis|conflict|war|tensions?|peace|stability|security|"
                           r"issues?|reconstruction|elections?)\s+(?:in|on|of)\s+(?:the\s+)?$", re.I)
_TOPIC_VERBS = {"discuss", "address", "review", "exchange", "cover", "raise", "brief"}
_TOPIC_PATH = {"dobj", "pobj", "prep", "conj", "appos", "compound", "amod", "nmod", "poss"}


def _discussed(ctx: _Context, char: int) -> bool:
    """Whether the word at `char` lies in the object of a verb of discussing ("we discussed ... Afghanistan")."""
    tok = ctx.doc[bisect_right(ctx.token_starts, char) - 1]
    for _ in range(8):
        if tok.dep_ not in _TOPIC_PATH or tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ == "VERB":
            return tok.lemma_.lower() in _TOPIC_VERBS
    return False


def _dates_in(ctx: _Context, start: int, end: int, clauses: bool = False) -> list[DateMention]:
    """Dates in a span, except (unless `clauses`) those of a "since ..." or "until ..." clause."""
    text = ctx.text
    out = []
    for d in ctx.m.dates:
        if start <= d.start < end:
            clause = text[max(start, d.start - 160): d.start]
            if not clauses and re.search(r"\b(since|until|before|after)\b[^,;]*$", clause, re.I):
                continue
            out.append(d)
    return out


# Words that describe any event, not one: a name made of these only is no proper name ("Bilateral Meeting").
_GENERIC_EVENT_WORDS = {"bilateral", "trilateral", "multilateral", "joint", "official", "working", "formal",
                        "informal", "virtual", "telephone", "phone", "video", "next", "first", "annual", "high-level",
                        "leaders", "ministers", "ministerial", "special", "regular", "extraordinary"}


def _named_event(sent: Any, tok: Any) -> str | None:
    """The proper name of an event ("New Zealand–United States Strategic Dialogue", "ASEAN Foreign Ministers'
    Meeting"), if the trigger is one."""
    if not tok.text[0].isupper():
        return None
    doc = tok.doc
    i = tok.i
    j = i
    while j - 1 >= sent.start:
        prev = doc[j - 1]
        if prev.text in ("–", "-", "—") or (prev.text[:1].isupper() and prev.pos_ in ("PROPN", "ADJ", "NOUN", "NUM")) \
                or prev.like_num:
            j -= 1
            continue
        # a plural possessive inside the name: "Defence Ministers' Meeting"
        if prev.text in ("'", "’") and j - 2 >= sent.start and doc[j - 2].text[:1].isupper() and doc[j - 2].text.endswith("s"):
            j -= 1
            continue
        break
    while j < i and (doc[j].text in ("–", "-", "—", "'", "’") or doc[j].like_num):
        j += 1
    if j == i:
        return None
    words = [w.lower_ for w in doc[j: i] if w.is_alpha or "-" in w.text]
    if all(w in _GENERIC_EVENT_WORDS for w in words):
        return None
    return doc[j: i + 1].text


_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "next", "inaugural"}
_ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)")


def _event_ordinal(tok: Any, named: str | None) -> str | None:
    """Which of a series an event is ("the fourth ... Dialogue", "the 58th ... Meeting"): the ordinal before
    its name or among its modifiers."""
    doc = tok.doc
    start = tok.i - len(named.split()) if named else tok.i
    for k in range(max(start - 2, 0), tok.i):
        low = doc[k].lower_
        if low in _ORDINAL_WORDS or _ORDINAL_NUMBER.fullmatch(low):
            return "1" if low == "inaugural" else low
    return None


# Nouns that are an event only in an event's proper name ("ASEAN Regional Forum", "2+2 Ministerial").
NAMED_ONLY_NOUNS = {"forum": "forum", "ministerial": "meeting"}
# The kinds of event that have proper names.
_NAMEABLE_KINDS = {"dialogue", "summit", "talks", "meeting", "consultations", "forum"}
# Lower-case words `_trigger_type` may take for a trigger (besides lemmas in DIALOGUE_VERBS).
_TRIGGER_WORDS = set(DIALOGUE_NOUNS) | set(NAMED_ONLY_NOUNS) | {"calls", "visits", "meets", "hosts"}


def _trigger_type(tok: Any) -> tuple[str, str] | None:
    low = tok.text.lower()
    lemma = tok.lemma_.lower()
    if low in NAMED_ONLY_NOUNS and tok.text[0].isupper() and tok.pos_ in ("NOUN", "PROPN", "ADJ") \
            and tok.dep_ not in ("compound", "poss", "amod"):
        return NAMED_ONLY_NOUNS[low], "noun"
    if tok.pos_ in ("NOUN", "PROPN") and low in DIALOGUE_NOUNS:
        kind = DIALOGUE_NOUNS[low]
        if kind in ("conference", "news conference"):
            prev = tok.doc[tok.i - 1].text.lower() if tok.i > 0 else ""
            if prev not in ("news", "press"):
                return None  # a conference of many, an availability of funds
            kind = "news conference"
        if low == "call" and tok.i > 0 and tok.doc[tok.i - 1].text.lower() in ("phone", "telephone", "video"):
            kind = "call"
        return kind, "noun"
    if tok.pos_ == "VERB" and lemma in DIALOGUE_VERBS:
        if lemma == "speak" and not any(_is_someone(o) for c in tok.children if c.lower_ in ("with", "to")
                                        for o in c.children if o.dep_ == "pobj"):
            return None  # "speak with one voice"
        if lemma == "call" and not any(_is_someone(c) for c in tok.children if c.dep_ == "dobj"):
            return None  # "called the exercise a model"
        if lemma == "host" and not any(c.dep_ == "dobj" for c in tok.children):
            return None
        if lemma == "welcome" and not _welcomes_someone(tok):
            return None  # "welcomed the invitation"
        return DIALOGUE_VERBS[lemma], "verb"
    if tok.pos_ in ("PROPN",) and low in ("calls", "visits", "meets", "hosts"):
        return DIALOGUE_VERBS.get(low[:-1], "meeting"), "verb"
    return None


def _welcomes_someone(tok: Any) -> bool:
    """ "welcomed X to Rome", "welcomed the Commander ...": a guest received, not a decision welcomed."""
    if any(c.dep_ == "prep" and c.lower_ == "to" and any(o.ent_type_ == "GPE" for o in c.subtree) for c in tok.children):
        return True
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    return any(o.ent_type_ == "PERSON" or o.lemma_.lower() in _GUEST_HEADS for o in objects)


def _is_someone(tok: Any) -> bool:
    """A person, a country or an office one can call or speak with ("her counterpart", "him", "Japan")."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "GPE", "NORP") or tok.lower_ in ("him", "her", "them", "each", "me", "us") \
        or tok.lemma_.lower() in _GUEST_HEADS or tok.lemma_.lower() in ("counterpart", "leader", "official", "premier")


# Heads of a welcomed object that is a person ("welcomed the Commander of ...").
_GUEST_HEADS = {"commander", "chief", "minister", "secretary", "president", "ambassador", "delegation", "general",
                "admiral", "counterpart", "envoy", "prime", "king", "queen", "chancellor"}


def _noun_label(tok: Any) -> str:
    """The trigger with its modifiers ("joint news conference", "meeting of Pacific army chiefs")."""
    left = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") and c.pos_ != "DET"
            and c.text.lower() not in ("successful", "productive", "positive", "first", "second", "very", "high", "level")]
    start = min([c.i for c in left] + [tok.i])
    if start < tok.i and tok.doc[start].text.lower() in ("high", "-"):
        start = tok.i
    # keep contiguous words only
    while start < tok.i and tok.doc[start].is_punct:
        start += 1
    words = tok.doc[start: tok.i + 1].text
    for c in tok.rights:
        if c.dep_ == "prep" and c.text.lower() == "of":
            obj = [x for x in c.children if x.dep_ == "pobj"]
            if obj:
                o = obj[0]
                span = [x for x in o.lefts if x.dep_ in ("compound", "amod")] + [o]
                words += " of " + " ".join(x.text for x in sorted(span, key=lambda x: x.i))
    return words


# Nouns that name an activity as often as an event ("supports dialogue on the peninsula"): an event only
# with a determiner, a name, a possessor or a time or place of its own.
_ABSTRACT_EVENT_NOUNS = {"dialogue", "discussion", "discussions", "conversation", "consultations"}


def _sentence_dialogues(ctx: _Context, sent: Any, out: list[Dialogue]) -> None:
    text = sent.text
    people = _sentence_people(ctx, sent)
    negated = bool(NEGATION.search(text))
    triggers = []
    for tok in sent.tokens_with(_TRIGGER_WORDS, DIALOGUE_VERBS):
        trig = _trigger_type(tok)
        if not trig:
            continue
        kind, pos = trig
        named = _named_event(sent, tok) if pos == "noun" and kind in _NAMEABLE_KINDS else None
        if named is None and tok.lower_ in NAMED_ONLY_NOUNS:
            continue  # "forum", "ministerial": events only as part of a name
        triggers.append((tok, kind, pos, named))
    if not triggers:
        list_item = _is_list_item(ctx, sent)
        if not list_item:
            ctx.attendance_list = text.rstrip().endswith(":") and bool(_ATTENDANCE_INTRO.search(text))
        if people and not negated and (_JOINS_EVENT.search(text) or (list_item and ctx.attendance_list)):
            out.append(_attendance(ctx, sent, people))
        return
    ctx.attendance_list = False
    speakers = _we_speakers(ctx, triggers)
    people = people + [k for k in speakers if k not in people]
    places = _places_in(ctx, sent.start_char, sent.end_char)
    dates = _dates_in(ctx, sent.start_char, sent.end_char)
    starts = ctx.token_starts
    date_tokens = [bisect_right(starts, d.start) - 1 for d in dates]
    place_tokens = [bisect_right(starts, p.start) - 1 for p in places]
    clauses = [_event_clause(sent, tok, pos) for tok, _, pos, _ in triggers] if dates or places else []
    seen_types: dict[str, list[tuple[set[int], set[str]]]] = {}
    for n, (tok, kind, pos, named) in enumerate(triggers):
        plural = pos == "noun" and tok.tag_ in ("NNS", "NNPS") and kind not in ("talks",)
        definite = pos == "noun" and any(c.dep_ == "det" and c.text.lower() in ("the", "this", "that") for c in tok.children)
        possessive = pos == "noun" and any(c.dep_ == "poss" for c in tok.children)
        if plural and not named and not (tok.head.lemma_ == "hold"):
            continue
        own_dates, own_places = [], []
        if clauses:
            # a date or place of the trigger's own clause; else one no other trigger's clause holds,
            # outside clauses that surely speak of something else
            inside, surely_other = clauses[n]
            own_dates = [d for d, i in zip(dates, date_tokens) if i in inside]
            own_places = [p for p, i in zip(places, place_tokens) if i in inside]
        # a second event of a kind is another event only with a time or place of its own ("the Vilnius
        # summit in 2023 ... and the Washington summit, which opens next week")
        setting_of = ({d.start for d in own_dates}, {p.name for p in own_places})
        if kind in seen_types and not named and not any(not (setting_of[0] & ds or setting_of[1] & ps)
                                                        and (setting_of[0] or setting_of[1])
                                                        for ds, ps in seen_types[kind]):
            continue
        seen_types.setdefault(kind, []).append(setting_of)
        if pos == "noun" and named is None and tok.lower_ in _ABSTRACT_EVENT_NOUNS and not possessive \
                and not any(c.dep_ in ("det", "nummod") for c in tok.children) and not own_dates and not own_places:
            continue
        if clauses and not (own_dates and own_places):
            elsewhere = set().union(*(c[0] for k, c in enumerate(clauses) if k != n))
            own_dates = own_dates or [d for d, i in zip(dates, date_tokens) if i not in surely_other and i not in elsewhere]
            own_places = own_places or [p for p, i in zip(places, place_tokens) if i not in surely_other and i not in elsewhere]
        if pos == "noun" and not own_places:
            # "the Vilnius summit": a city naming the event is where it was, whatever spaCy labels it
            for c in tok.children:
                city = ctx.gz.city(c.text) if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tok.i - 1 else None
                if city is not None:
                    own_places = [PlaceMention(c.idx, c.idx + len(c.text), city.name, city.country, city.geonameid, "city")]
        is_title_line = sent.start_char <= ctx.second_line
        own_words = _own_clause_text(tok, pos)
        if negated and NEGATION.search(own_words):
            continue
        planned = bool(PLANNED_WORDS.search(own_words)) or (tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to"
                                                       and not _welcoming_now(tok)) \
            or any(d.future for d in own_dates)
        if named is None and not people and not own_places and not own_dates and not definite and not possessive \
                and not is_title_line:
            continue
        date = _pick_date(own_dates)
        dated_by_article = date is None and is_title_line and ctx.article.date is not None
        if dated_by_article:
            date = ctx.article.date
        setting = pos == "noun" and _is_setting(tok, named)
        d = Dialogue(
            label=named or _noun_label(tok) if pos == "noun" else (named or kind),
            type=kind,
            participants=[] if setting else list(people),
            places=[PlaceRef(p.name, p.country, p.geonameid, p.kind) for p in own_places],
            date=date,
            status="planned" if planned else "held",
            named=named is not None,
            evidence=[ctx.sentence_evidence(sent, 0.75 if named or people else 0.6)],
        )
        d.countries = {c.code for c in ctx.m.countries if sent.start_char <= c.start < sent.end_char and c.kind != "body"}
        d._separate = pos == "noun" and any(c.lower_ == "separate" for c in tok.children)  # type: ignore[attr-defined]
        if d._separate:  # type: ignore[attr-defined]
            # "accompanied the Secretary and held separate talks with Y": the one accompanied is not in them
            other_objects = [(o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text)) for v in sent.tokens_with((), ("accompany",))
                             if v is not tok.head for o in v.children if o.dep_ == "dobj"]
            away = {k for at, k in _people_in(ctx, sent.start_char, sent.end_char) if any(a <= at < b for a, b in other_objects)}
            d.participants = [k for k in d.participants if k not in away]
        if pos == "verb" and tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "invite":
            # "X invited Y to visit Z": the one inviting does not go
            hosts = {k for c in tok.head.children if c.dep_ == "nsubj"
                     for _, k in _people_in(ctx, c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))}
            guests = [k for c in tok.head.children if c.dep_ == "dobj"
                      for _, k in _people_in(ctx, c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))]
            d.participants = [k for k in d.participants if k not in hosts] + [k for k in guests if k not in d.participants]
        d._definite = (definite or possessive) and not named  # type: ignore[attr-defined]
        d._title = is_title_line  # type: ignore[attr-defined]
        d._setting = setting  # type: ignore[attr-defined]
        d._article_date = dated_by_article  # type: ignore[attr-defined]
        d._ordinal = _event_ordinal(tok, named) if pos == "noun" else None  # type: ignore[attr-defined]
        if date is not None and not planned:
            ctx.focus_date = date
        d._refers_back = pos == "verb" and any(  # type: ignore[attr-defined]
            c.dep_ == "dobj" and c.lower_ in DIALOGUE_NOUNS and any(x.dep_ == "det" and x.lower_ in ("the", "these", "this")
                                                                  for x in c.children) for c in tok.children)
        out.append(d)


# Clauses below a trigger's own clause that say nothing of its tense or negation.
_CLAUSE_CHILDREN = {"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis", "xcomp"}


def _own_clause_text(tok: Any, pos: str) -> str:
    """The words that say whether this trigger's event is planned or denied: its own clause (the noun's own
    phrase with its relative clause, the verb it belongs to, that verb's auxiliaries and adverbs) and the verbs
    it is the infinitive of ("is expected to [meet]", "plans to [visit]", "invited X to [visit]"), never the
    other clauses of its sentence ("X will hold ..., she said after [meeting] Y")."""
    keep: set[int] = set()
    if pos == "noun":
        keep.update(range(tok.left_edge.i, tok.right_edge.i + 1))
    node = tok
    for _ in range(8):
        keep.add(node.i)
        for c in node.children:
            if c.left_edge.i <= tok.i <= c.right_edge.i:
                continue
            if c.dep_ in _CLAUSE_CHILDREN or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            if node.i != tok.i and c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.pos_ in ("VERB", "AUX"):
                continue
            keep.update(range(c.left_edge.i, c.right_edge.i + 1))
        head = node.head
        if head is node:
            break
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.pos_ in ("VERB", "AUX") and not (node.dep_ == "xcomp" or (node.dep_ in ("acl", "advcl") and infinitive)
                                               or (node.dep_ == "pcomp" and head.lower_ == "to")):
            break  # the verb's own clause ends here
        if node.dep_ == "pcomp":
            keep.add(head.i)
            node = head.head if head.head is not head else head
            continue
        node = head
    words = _words(tok.doc)
    return " ".join(words[i] for i in sorted(keep))


def _words(doc: Any) -> list[str]:
    """Every token's text, read once per Doc (indexing the Doc makes a Token object each time)."""
    words = doc.user_data.get("kg_words")
    if words is None:
        words = doc.user_data["kg_words"] = token_strings(doc, "ORTH", lower=False)
    return words


def _surely_other_spans(sent: Any) -> list[tuple[int, int, int, int, str]]:
    """(token, left edge, right edge, head, dependency) of each clause in a sentence that `_surely_other`
    picks, found once per sentence for all its triggers."""
    key = ("kg_surely_other", sent.start)
    spans = sent.doc.user_data.get(key)
    if spans is None:
        spans = sent.doc.user_data[key] = [(t.i, t.left_edge.i, t.right_edge.i, t.head.i, t.dep_)
                                           for t in sent if _surely_other(t)]
    return spans


# People joining the event in focus: "The Swedish delegation included X", "Also present was Y".
_JOINS_EVENT = re.compile(r"\b(?:delegation|team)\s+(?:also\s+)?(?:included|includes|comprised|was made up of|consisted of)\b|"
                          r"\b(?:was|were)\s+(?:also\s+)?accompanied\s+by\b|\b(?:also\s+)?(?:present|attending)\s+(?:was|were)\b|"
                          r"\b(?:was|were)\s+also\s+(?:present|in attendance)\b", re.I)


# A sentence that opens a list of those who attended: "Ministers attending included:", "Present were:".
_ATTENDANCE_INTRO = re.compile(r"\b(?:attending|attended|attendees|participants|present|included|includes|"
                               r"delegation|delegations|joined by)\b", re.I)


def _is_list_item(ctx: _Context, sent: Any) -> bool:
    """A line opening with a bullet (spaCy may leave the bullet in a sentence of its own)."""
    base = sent.start_char
    return (ctx.text[ctx.text.rfind("\n", 0, base) + 1: base] + sent.text).lstrip()[:1] in ("-", "•", "*", "–")


def _attendance(ctx: _Context, sent: Any, people: list[str]) -> Dialogue:
    """People a sentence adds to the event in focus; `_merge_dialogues` drops it when there is none."""
    d = Dialogue(label="meeting", type="meeting", participants=list(people), places=[], date=None, status="held",
                 named=False, evidence=[ctx.sentence_evidence(sent, 0.6)])
    d.countries = set()
    d._attendance = True  # type: ignore[attr-defined]
    return d


# "It is a pleasure to welcome X": words that make an infinitive something done as it is said.
_NOW_WORDS = {"pleasure", "privilege", "honour", "honor", "delighted", "glad", "happy", "pleased", "proud"}


def _welcoming_now(tok: Any) -> bool:
    head = tok.head
    return head is not tok and (head.lower_ in _NOW_WORDS
                                or any(c.dep_ in ("attr", "acomp") and c.lower_ in _NOW_WORDS for c in head.children))


def _we_speakers(ctx: _Context, triggers: list[tuple[Any, str, str, str | None]]) -> list[str]:
    """ "we held the ... Meeting" in a turn of a transcript: the speaker, and the other speaker when the
    transcript has just two officials speaking (the two sides speaking as one)."""
    if not ctx.m.speakers:
        return []
    for tok, _, pos, _ in triggers:
        # the event is what "we" did: "we met", "we held the Meeting" (not "we discussed the summit")
        verb = tok if pos == "verb" else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
        if verb is None or (pos == "noun" and verb.lemma_.lower() not in _EVENT_SETTING_VERBS):
            continue
        subjects = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
        if subjects == ["i"] or (not subjects and _welcoming_now(verb)):
            speaker = _speaker_at(ctx, tok.idx)  # "It is a pleasure to welcome X": the speaker hosts
            return [speaker] if speaker else []
        if subjects != ["we"]:
            continue
        speaker = _speaker_at(ctx, tok.idx)
        if speaker is None:
            return []
        found = [speaker]
        others = {k for k in (_speaker_at(ctx, pos_) for pos_, _ in ctx.m.speakers) if k}
        if len(others) == 2:
            found += [k for k in others if k != speaker]
        return found
    return []


# Clauses inside an event's clause that speak of something else: relative and participial clauses
# ("the Agreement, signed in July"), purpose and other adverbial clauses ("to discuss ..."), clauses of
# their own joined by "and", and other events placed in time against it ("following X's confirmation").
_OTHER_CLAUSES = {"relcl", "acl", "advcl", "xcomp", "ccomp", "csubj", "parataxis"}
_TIME_RELATIONS = {"following", "after", "since", "before", "until", "ahead", "prior", "amid", "during"}
# Verbs of a clause that says when or where the event itself is ("the meeting, to be held in Tokyo").
_EVENT_SETTING_VERBS = {"hold", "take", "schedule", "plan", "set", "convene", "host", "place", "organize", "organise"}
_GOVERNING_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "prep", "appos", "conj", "nmod"}


def _event_clause(sent: Any, tok: Any, pos: str) -> tuple[set[int], set[int]]:
    """The tokens of an event trigger's clause (the clause of the verb it is the subject or object of) minus
    clauses that speak of something else, and those of the clauses that surely do (relative, participial and
    adverbial clauses, time relations)."""
    anchor = tok
    if pos == "noun":
        # climb to the clause's verb: "held [a meeting]", "[The call] was made", "met ... for [the X Meeting]"
        for _ in range(6):
            if anchor.dep_ not in _GOVERNING_DEPS or anchor.head is anchor:
                break
            anchor = anchor.head
            if anchor.pos_ in ("VERB", "AUX"):
                break
    inside: set[int] = set()
    other: set[int] = set()
    surely_other: set[int] = set()
    stack = [anchor]
    while stack:
        t = stack.pop()
        inside.add(t.i)
        for c in t.children:
            if c.left_edge.i <= tok.i <= c.right_edge.i:
                stack.append(c)  # the way down to the trigger itself
                continue
            # a relative clause of the event noun itself says when and where it was ("which they co-chaired in X")
            clause = c.dep_ in _OTHER_CLAUSES and c.lemma_.lower() not in _EVENT_SETTING_VERBS \
                and not (t.i == tok.i and pos == "noun" and c.dep_ in ("relcl", "acl"))
            if clause or _surely_other(c) or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                other.update(range(c.left_edge.i, c.right_edge.i + 1))
            else:
                stack.append(c)
    for _, left, right, head, dep in _surely_other_spans(sent):  # anywhere in the sentence
        if not left <= tok.i <= right and not (head == tok.i and pos == "noun" and dep in ("relcl", "acl")):
            surely_other.update(range(left, right + 1))
    return inside - other, surely_other


def _surely_other(c: Any) -> bool:
    """A relative, participial or adverbial clause, or a time relation to something else ("following X")."""
    if c.dep_ == "prep":
        return c.lower_ in _TIME_RELATIONS
    return c.dep_ in ("relcl", "acl", "advcl") and c.lemma_.lower() not in _EVENT_SETTING_VERBS


_SETTING_NOUNS = {"margins", "margin", "sidelines", "sideline", "fringes", "fringe"}


def _is_setting(tok: Any, named: str | None) -> bool:
    """An event named as the occasion of another ("on the margins of the 58th ... Meeting"): the sentence's
    people met beside it, not necessarily at it."""
    doc = tok.doc
    k = tok.i - 1
    if named:  # the token before the name
        while k >= 0 and doc[k].idx >= tok.idx + len(tok.text) - len(named):
            k -= 1
    while k >= 0 and (doc[k].pos_ in ("DET", "ADJ", "NUM") or doc[k].ent_type_ == "ORDINAL"):
        k -= 1
    return k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in _SETTING_NOUNS


def _pick_date(dates: list[DateMention]) -> PartialDate | None:
    if not dates:
        return None
    return max(dates, key=lambda d: (d.date.day is not None, d.date.month is not None, not d.relative)).date


def _event_key(d: Dialogue) -> str:
    """Named events match across wordings: "US–New Zealand Strategic Dialogue" = "New Zealand–United States ..."."""
    gz = gazetteer()
    words = re.findall(r"[A-Za-z][A-Za-z.]*", d.label)
    kept = [w.lower() for w in words if not gz.country(w) and w.lower() not in ("new", "zealand", "united", "states", "the", "of")]
    return " ".join(kept)


def _compatible(a: Dialogue, b: Dialogue) -> bool:
    if a.status != b.status:
        return False  # what happened is never what is planned, even between the same people
    if a.date and b.date and not (a.date.iso().startswith(b.date.iso()) or b.date.iso().startswith(a.date.iso())) \
            and not _days_apart(a, b):
        return False
    cities_a = {p.name for p in a.places if p.kind == "city"}
    cities_b = {p.name for p in b.places if p.kind == "city"}
    if cities_a and cities_b and not cities_a & cities_b:
        return False
    if a.named and b.named and _event_key(a) != _event_key(b):
        return False
    return True


def _same_occurrence(a: Dialogue, b: Dialogue) -> bool:
    """Two mentions of a series' event are one meeting unless their ordinals, dates or cities differ."""
    oa, ob = getattr(a, "_ordinal", None), getattr(b, "_ordinal", None)
    if oa and ob and oa != ob:
        return False
    return _compatible(a, b)


def _days_apart(a: Dialogue, b: Dialogue) -> bool:
    """A headline's event dated by the article's date may be the one the text dates a few days before."""
    if not (getattr(a, "_article_date", False) or getattr(b, "_article_date", False)):
        return False
    if not (a.date and b.date and a.date.day and b.date.day and a.date.month and b.date.month):
        return False
    import datetime as dt

    gap = dt.date(a.date.year, a.date.month, a.date.day) - dt.date(b.date.year, b.date.month, b.date.day)
    return abs(gap.days) <= 3


def _as_status(d: Dialogue, status: str) -> Dialogue:
    from dataclasses import replace

    return replace(d, status=status)


def _absorb(into: Dialogue, other: Dialogue) -> None:
    for p in other.participants:
        if p not in into.participants:
            into.participants.append(p)
    for pl in other.places:
        if pl not in into.places:
            into.places.append(pl)
    if getattr(into, "_article_date", False) and other.date and not getattr(other, "_article_date", False):
        into.date, into._article_date = other.date, False  # type: ignore[attr-defined]
    elif other.date and (into.date is None or len(other.date.iso()) > len(into.date.iso())) \
            and not getattr(other, "_article_date", False):
        into.date = other.date
    into.countries |= other.countries
    into.evidence += other.evidence
    if not getattr(into, "_ordinal", None):
        into._ordinal = getattr(other, "_ordinal", None)  # type: ignore[attr-defined]
    if other.status == "planned":
        into.status = "planned"
    if other.named and not into.named:
        into.label, into.named, into.type = other.label, True, other.type
    elif not into.named and _TYPE_RANK.get(other.type, 0) > _TYPE_RANK.get(into.type, 0) \
            and not (other.type == "call" and "courtesy" not in other.label and into.places and not other.places):
        # a telephone call never relabels a meeting held somewhere (a courtesy call is made in person)
        into.label, into.type = other.label, other.type


_TYPE_RANK = {"talks": 1, "meeting": 2, "conversation": 2, "visit": 3, "working lunch": 4, "press briefing": 4,
              "news conference": 5, "call": 5, "dialogue": 6, "summit": 6}


def _merge_dialogues(ctx: _Context, found: list[Dialogue]) -> list[Dialogue]:
    merged: list[Dialogue] = []
    for d in found:
        target = None
        if getattr(d, "_separate", False):
            # "held separate talks with X": an event of its own, at the time and place of the one in focus
            focus = next((m for m in reversed(merged) if m.status == "held"), None)
            if focus is not None and d.status == "held":
                d.date = d.date or focus.date
                d.places = d.places or list(focus.places)
            merged.append(d)
            continue
        if getattr(d, "_attendance", False):
            # "the delegation included ...": the latest event that happened, if any
            target = next((m for m in reversed(merged) if m.status == "held" and _compatible(m, d)), None)
            if target is not None:
                _absorb(target, d)
            continue
        if d.named:
            target = next((m for m in merged if m.named and _event_key(m) == _event_key(d) and _same_occurrence(m, d)), None)
        if target is None and d.participants:
            target = next((m for m in merged if set(m.participants) & set(d.participants) and _compatible(m, d)
                           and not (m.named and d.named)), None)
        if target is None and getattr(d, "_refers_back", False):
            # "X hosted the talks with Y": the talks an earlier sentence reported without its people
            target = next((m for m in reversed(merged) if not m.participants and _compatible(m, _as_status(d, m.status))), None)
        if target is None and getattr(d, "_definite", False):
            # "this visit", "the dialogue": the latest event of that kind, planned or not
            target = next((m for m in reversed(merged) if _compatible(m, _as_status(d, m.status)) and (m.type == d.type or d.type in ("talks", "meeting", "dialogue", "visit"))), None)
        if target is None and not d.participants and not d.named:
            # ... but a summit is never a press conference or a call of the text's people
            target = next((m for m in merged if _compatible(m, d) and m.status == "held"
                           and (d.type != "summit" or m.type == "summit")), None)
        if target is None and d.named and not d.participants:
            target = next((m for m in merged if not m.named and not m.participants and _compatible(m, d)), None)
            if target is not None:
                _absorb(d, target)
                merged.remove(target)
                target = None
        if target is None and d.named:
            # a generic mention earlier in the article ("high-level talks") may be this named event
            target = next((m for m in merged if not m.named and _compatible(m, d) and not set(m.participants) - set(d.participants)), None)
            if target is not None:
                _absorb(d, target)
                merged.remove(target)
                target = None
        if target is not None:
            # "the dialogue" of a later sentence is the earlier event, whatever the sentence's tense
            _absorb(target, _as_status(d, target.status) if getattr(d, "_definite", False) else d)
        else:
            merged.append(d)
    # a meeting of people who all attended a named event it fits is that event ("met ... for the X Meeting")
    # and a headline naming an event without its people names the first such meeting of the text
    for d in [m for m in merged if not m.named and m.participants]:
        target = next((m for m in merged if m.named and m.status == d.status and set(d.participants) <= set(m.participants)
                       and _compatible(m, d)), None)
        if target is None:
            target = next((m for m in merged if m.named and getattr(m, "_title", False) and not m.participants
                           and not getattr(m, "_setting", False) and m.status == d.status and _compatible(m, d)), None)
        if target is not None:
            _absorb(target, d)
            merged.remove(d)
    # the place of the dateline for the article's main event when the text gives none
    dateline = ctx.article.dateline_place
    result = []
    for d in merged:
        if not d.participants and not d.named and not d.places:
            continue
        if not d.places and dateline and not result and d.status == "held":
            city = ctx.gz.city(dateline)
            if city:
                d.places.append(PlaceRef("Washington, D.C." if city.name == "Washington" and city.country == "USA" else city.name,
                                         city.country, city.geonameid, "city"))
        result.append(d)
    for d in result:
        d.label = _dialogue_label(ctx, d)
    return result


def _dialogue_label(ctx: _Context, d: Dialogue) -> str:
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


def _fill_dialogue_countries(ctx: _Context) -> None:
    for d in ctx.facts.dialogues:
        d.participants = [p for p in d.participants if p in ctx.facts.officials]
        for p in d.participants:
            c = ctx.facts.officials[p].country
            if c:
                d.countries.add(c)


# --- treaties -------------------------------------------------------------------------------------

# "the Agreement on December 29": a date, not the rest of a name
_CALENDAR_WORDS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                   r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_HEADS_RE = "|".join(TREATY_HEADS)
# a party of "the Agreement between A and B on ...": "Japan", "the Foreign Service Institute of India"
_PARTY_NAME = r"(?:the[ \t]+)?[A-Z][\w-]*(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z][\w-]*)*"
_NAMED_TREATY = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w.'’]*|U\.S\.)(?:[-–—](?:[A-Z][\w.'’]*))*\s+(?:(?:of|and|on|for)\s+(?=[A-Z]))?){0,7}(?P<head>" + _HEADS_RE + r")"
    # "the Protocol to the X Agreement" is an agreement of its own
    r"(?P<to>[ \t]+to[ \t]+the[ \t]+[A-Z][\w-]*(?:[ \t]+(?:[A-Z][\w-]*|and|of|on))*[ \t]+(?:" + _HEADS_RE + r"))?"
    r"(?P<between>[ \t]+between[ \t]+" + _PARTY_NAME + r"[ \t]+and[ \t]+" + _PARTY_NAME + r")?"
    r"(?P<tail>[ \t]+(?:of|on|for)[ \t]+(?:the[ \t]+)?(?!" + _CALENDAR_WORDS + r")(?:[A-Z][\w-]*)(?:[ \t]+(?:[A-Z][\w-]*|(?:and|of|on)(?=[ \t]+(?:the[ \t]+)?[A-Z])|the(?=[ \t]+[A-Z])|"
    r"in[ \t]+the[ \t]+(?:fields?|areas?|sphere)[ \t]+of(?=[ \t]+[A-Z])|in(?=[ \t]+(?!"
    + _CALENDAR_WORDS + r")[A-Z][a-z])))*)?)(?![\w-])"
)
# Lower-case agreements a determiner, possessive or modifier makes specific ("the accession protocol",
# "a memorandum of understanding on cooperation in green shipping", "the defence cooperation arrangement")
_FUNCTION_WORDS = r"(?:the|a|an|of|on|in|to|and|or|with|for|by|its|their|our|this|that|his|her)\b"
_DETERMINED_TREATY = re.compile(
    r"(?:\b(?P<det>the|a|an|its|their|our|this|that)|(?P<poss>[A-Z][\w.-]*(?:'s|’s)))\s+"
    r"(?P<name>(?P<mods>(?:(?!" + _FUNCTION_WORDS + r")[A-Za-z][\w-]*\s+){0,3}?)"
    r"(?P<head>memorandum of understanding|memorandum(?=\s+on\s)|mou|convention|protocol|arrangement|compact)"
    r"(?:\s+(?:on|for)\s+(?!" + _FUNCTION_WORDS + r")[a-z][\w-]*(?:\s+(?:in|on|of|and|for)\s+(?!"
    + _FUNCTION_WORDS + r")[a-z][\w-]*|\s+(?!" + _FUNCTION_WORDS + r"|between\b|with\b|signed\b|which\b|who\b)[a-z][\w-]*){0,5})?)"
    r"(?![\w-])"
)
_LOWER_TREATY = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w.'’]*(?:[-–—][A-Z][\w.'’]*)*)\s+)+(?P<head>treaty|agreement|declaration|accord|pact|alliance|framework|partnership)"
    r"|(?:" + "|".join(TREATY_MODIFIERS) + r")(?:\s+(?:" + "|".join(TREATY_MODIFIERS) + r"))*\s+(?P<head2>treaty|agreement|alliance|partnership|pact|accord))"
    r"(?!\s+(?:commitment|commitments|talks|dialogue|relationship|ties))(?![\w-])"
)
_SIGN_BEFORE = re.compile(r"\bsign(?:ed|s|ing)?\s+(?:a|an|the|their|its)?\s*$", re.I)
_LISTED_NAME_PARTS = re.compile(r"(?:,[ \t]+[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*)+,?[ \t]+and[ \t]+[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*")
_IN_PLACE = re.compile(r"\s+in\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)$")
_DETERMINED_HEADS = ("memorandum", "mou", "convention", "protocol", "arrangement", "compact")
# The head words `_LOWER_TREATY` can match (in both of its branches).
_LOWER_HEADS = ("treaty", "agreement", "declaration", "accord", "pact", "alliance", "framework", "partnership")
_CALLED = re.compile(r"(?:called|named|known as)\s+(?:the\s+)?[“\"']?(?P<name>[A-Z][A-Za-z0-9-]{1,20})(?![A-Za-z0-9-])[”\"']?(?!\s+(?:"
                     + _HEADS_RE + r")\b)")
# "the Security Treaty between A, B and C, known as the X Treaty": one agreement under two names
_ALSO_KNOWN = re.compile(r"^\s+between\b[^.;]{0,120}?,?\s+(?:also\s+)?(?:known as|called|named)\s+(?:the\s+)?$")
# a sentence may open with the anaphor ("The treaty, signed in London, commits ...")
_ANAPHOR = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur|[Ii]ts|[Tt]heir)\s+(?P<head>Treaty|Alliance|Agreement|treaty|alliance|agreement|Declaration|Partnership|"
                      r"[Mm]emorandum|MoU|[Cc]onvention|[Pp]rotocol|[Aa]rrangement)\b(?!\s+(?:of|on)\s+[A-Z])")
_NOT_TREATY_START = {"The", "This", "That", "Our", "Its", "Their", "A", "An", "As", "In", "On", "By", "Under",
                     "Through", "Signing", "Signs", "Signed", "Sign", "Ratifies", "Adopts", "Anniversary", "Sixtieth", "Statement", "Joint", "JOINT", "STATEMENT"}


def _treaty_spans(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, head) for each treaty-like name in a sentence."""
    spans: list[tuple[int, int, str, str]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b, _, _ in spans)

    for m in _CALLED.finditer(text):
        before = text[max(0, m.start() - 80): m.start()].lower()
        if any(h.lower() in before for h in TREATY_HEADS):
            spans.append((m.start("name"), m.end("name"), m.group("name"), "partnership"))
    for regex, heads in ((_NAMED_TREATY, TREATY_HEADS), (_DETERMINED_TREATY, _DETERMINED_HEADS), (_LOWER_TREATY, _LOWER_HEADS)):
        if not any(h in text for h in heads):
            continue  # every match holds one of these words: most sentences need no regex search
        for m in regex.finditer(text):
            s, e = m.start("name"), m.end("name")
            label = m.group("name")
            if regex is _DETERMINED_TREATY:
                mods = [w.lower() for w in m.group("mods").split()]
                specific = m.group("poss") or m.group("det") in ("its", "their", "our") \
                    or m.group("head").lower() in ("memorandum of understanding", "mou")
                if m.group("head").lower() == "memorandum":
                    if not _SIGN_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                        continue  # "a memorandum on X" is an agreement only as what is signed
                    specific = True
                if not (specific or [w for w in mods if w not in _BLAND]):
                    continue  # "the convention" alone refers back; "the new arrangement" is no name
                if free(s, e):
                    spans.append((s, e, label, m.group("head").lower()))
                continue
            if regex is _NAMED_TREATY and m.group("between") and not m.group("tail") and m.group("head") not in (
                    "Memorandum of Understanding", "MoU", "MOU"):
                # "the Treaty between A and B" is named by what comes before "between"
                e = m.start("between")
                label = text[s:e]
            if regex is _NAMED_TREATY and m.group("tail"):
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
            words = label.split()
            while words and ((words[0] in _NOT_TREATY_START and not (words[0] in ("Statement", "STATEMENT") and len(words) > 1
                                                                     and words[1] == "of"))  # "Statement of Partnership"
                             or words[0].lower() in ("the", "a", "an", "its", "their", "our")):
                s += len(words[0]) + 1
                words = words[1:]
            if not words:
                continue
            label = " ".join(words)
            head = (m.group("head") if "head" in m.groupdict() and m.group("head") else None) or m.groupdict().get("head2") or ""
            if len(words) == 1:
                continue  # a bare "Alliance" is an anaphor, handled apart
            if words[0] in ("of", "and", "on", "for"):
                continue
            if m.groupdict().get("head2") and not re.match(r"\s+(?:between|with)\s+(?:the\s+)?[A-Z]", text[e:]):
                head = "generic:" + head  # whose it is must come from the name itself
            if free(s, e):
                spans.append((s, e, label, head.lower()))
    spans.sort()
    return spans


def _sentence_treaties(ctx: _Context, sent: Any) -> None:
    text = sent.text
    base = sent.start_char
    spans = _treaty_spans(text)
    anaphors = [m for m in _ANAPHOR.finditer(text) if not any(s <= m.start("head") < e for s, e, _, _ in spans)]
    found: list[tuple[Treaty, int]] = []
    _proposals(ctx, sent, found)
    list_item = _is_list_item(ctx, sent)
    if not list_item:
        ctx.list_events = []
    if not spans and not anaphors and not found:
        if text.rstrip().endswith(":"):  # "The two sides exchanged the following MoUs:" then a list of them
            ctx.list_events = [(ev_type, ctx.focus_date or ctx.article.date if _reported_now(tok, ev_type) else None)
                               for _, ev_type, tok in _treaty_events(sent)]
        return
    countries = [c for c in ctx.m.countries if base <= c.start < sent.end_char]
    dates = _dates_in(ctx, base, sent.end_char, clauses=True)
    events = _treaty_events(sent)
    ev = ctx.sentence_evidence(sent, 0.7)
    # parties are countries acting in the sentence: named (not by a capital) and not as a place ("talks in X")
    sentence_parties = {c.code for c in countries if c.kind in ("name", "demonym", "alias")
                        and not _AS_PLACE.search(ctx.text[max(base, c.start - 12): c.start])}
    if not sentence_parties:
        # "Madrid and Santiago raised their relationship to ...": two capitals acting for their countries
        acting_capitals = {c.code for c in countries if c.kind == "capital"
                           and not _AS_PLACE.search(ctx.text[max(base, c.start - 12): c.start])}
        if len(acting_capitals) >= 2:
            sentence_parties = acting_capitals
    spans = _join_also_known(text, spans)
    made_in: list[tuple[Treaty, PartialDate]] = []  # "the 1786 Treaty of ...": the year it was made
    for s, e, label, head in spans:
        in_name = [c.code for c in countries if base + s <= c.start < base + e]
        if base < ctx.second_line and "\n" in ctx.text[base: ctx.second_line] \
                and " ".join(label.split()[-2:]) not in ctx.text[sent.end_char:]:
            continue  # a headline's "Praises X Partnership" is an agreement only if the text names it
        if head.startswith("generic:") and not in_name and not (sentence_parties and events):
            continue  # "their strategic partnership": no parties named, not a fact about an agreement
        first_name, _, label = label.rpartition("\x00")
        if first_name:  # "the X between A and B, known as the Y": the parties are those between
            in_name = [c.code for c in countries if base + s <= c.start < base + e]
        treaty = _get_treaty(ctx, label, in_name)
        if first_name:
            ctx.treaty_aliases[_treaty_key(first_name)] = treaty
        treaty.evidence.append(ev)
        found.append((treaty, s))
        year = _YEAR_BEFORE_NAME.search(text, max(0, s - 12), s)
        if year:
            made_in.append((treaty, PartialDate(int(year.group(1)))))
            dates = [d for d in dates if d.start != base + year.start(1)]
    for m in anaphors:
        head = m.group("head").lower()
        later = {id(t) for t, p in found if p > m.start()}  # named after the anaphor: not what it refers to
        prior = next((t for t in reversed(ctx.facts.treaties) if id(t) not in later and (head in t.label.lower() or head == "treaty"
                      and "alliance" not in t.label.lower())), None)
        if prior is None and m.group("head")[0].isupper() and head in ("alliance", "treaty", "partnership"):
            parties = [c for c in ctx.main_countries[:2]]
            label = "–".join(ctx.gz.name(c) for c in parties) + f" {head}" if parties else head
            prior = _get_treaty(ctx, label, parties)
        if prior is not None:
            prior.evidence.append(ev)
            found.append((prior, m.start()))
    for treaty, _ in found:
        if not getattr(treaty, "_named_parties", False):
            treaty.parties |= sentence_parties
    if list_item and not events:  # an item of a list the sentence before introduced tells its event
        for ev_type, date in ctx.list_events:
            for treaty in {id(t): t for t, _ in found}.values():
                if not any(x.type == ev_type for x in treaty.events):
                    treaty.events.append(TreatyEvent(ev_type, date, None, ev))
    for ev_pos, ev_type, ev_tok in events:
        # an event word governs the agreements named after it (up to the next event word),
        # or else the nearest one before it ("the declaration was signed")
        # chains name one agreement: "celebrate the anniversary of the signing of this Treaty"
        first_after = min([p for _, p in found if p >= ev_pos], default=None)
        targets = []
        # a relative or participial clause is about the agreement it follows ("the Partnership, which they elevated")
        relative = ev_tok.pos_ == "VERB" and ev_tok.dep_ in ("relcl", "acl") \
            and not any(c.dep_ == "dobj" and c.lower_ in _AGREEMENT_WORDS for c in ev_tok.children)  # "in which they reaffirmed the X"
        if first_after is not None and not relative and not any(
                ev_pos < p2 < first_after and any(q < p2 for _, q in found if q > ev_pos) for p2, _, _ in events):
            next_ev = min([p for p, _, _ in events if p > first_after], default=len(text))
            targets = [t for t, p in found if first_after <= p < next_ev]
        passive = ev_tok.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in ev_tok.children)
        if passive and any(c.dep_ == "nsubjpass" and c.i < ev_tok.i for c in ev_tok.children) and ev_type != "replaced":
            targets = []  # "The treaty was amended in 2011 ... a partnership": what was amended is the subject
        if not targets or (passive and ev_type == "replaced"):
            # "the Pact ... was replaced in 1988 by an Agreement": the one replaced comes before
            before = [(p, t) for t, p in found if p < ev_pos]
            targets += [max(before, key=lambda x: x[0])[1]] if before else []
        actor = next((c.code for c in reversed(countries) if c.start - base < ev_pos and c.kind in ("name", "capital")), None)
        # a date of the event word's own phrase, else the nearest one no other event word's phrase holds
        # (not one of an event word's phrase inside this one: "the Pact, signed in 1960, was replaced in 1999")
        inner = [o for _, _, o in events if o is not ev_tok and ev_tok.left_edge.i <= o.i <= ev_tok.right_edge.i]
        own = [d for d in dates if _in_phrase(ev_tok, d.start) and not any(_in_phrase(o, d.start) for o in inner)]
        free = [d for d in dates if not any(o is not ev_tok and _in_phrase(o, d.start) for _, _, o in events)]
        # "welcomed the growth since 1959 and adopted the Declaration": a span's start is no event's date
        free = [d for d in free if not _SPAN_START.search(ctx.text[max(base, d.start - 120): d.start])]
        if ev_tok.lower_ == "in":  # "in force since <date>": the date after "since" is the entry's
            since_end = ev_tok.idx + len(ctx.text[ev_tok.idx:].split("since", 1)[0]) + len("since")
            own = [d for d in dates if since_end <= d.start <= since_end + 2]
        if not own and not free and not relative and _reported_now(ev_tok, ev_type):
            # "During the dialogue, the ministers signed X": the day of the event in focus, else the article's
            date = ctx.focus_date or ctx.article.date
        else:
            date = _nearest_date(own or free or dates, base + ev_pos)
        for treaty in targets:
            if not any(x.type == ev_type and x.date == date for x in treaty.events):
                treaty.events.append(TreatyEvent(ev_type, date, actor, ev))
    for treaty, year in made_in:
        undated = next((x for x in treaty.events if x.type == "signed" and x.date is None and x.evidence is ev), None)
        if undated is not None:
            undated.date = year
        elif not any(x.type == "signed" and x.date is not None for x in treaty.events):
            treaty.events.append(TreatyEvent("signed", year, None, ev))


# a year just before an agreement's name ("its 2002 Treaty of Friendship", "the 1786 Treaty of Peace")
_YEAR_BEFORE_NAME = re.compile(r"\b(1[5-9]\d\d|20\d\d)\s+$")
_SPAN_START = re.compile(r"\b(?:since|until|till)\b[^,;]*$", re.I)
# Events a report tells as its news: dated by the event in focus when the sentence gives no date.
_NEWS_EVENTS = {"signed", "adopted", "concluded", "elevated", "raised", "upgraded", "launched", "announced", "established",
                "entered into force"}


def _reported_now(tok: Any, ev_type: str) -> bool:
    """A verb telling the event as the report's news ("signed", "have adopted", "was signed"), not as
    background ("had signed") or a plan ("will sign", "agreed to sign")."""
    if ev_type not in _NEWS_EVENTS:
        return False
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj":
        tok = tok.head  # "witnessed the signing of X"
    if tok.pos_ != "VERB":
        return False
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("had", "will", "would", "shall", "to", "could", "may", "might", "should", "must") for a in auxes):
        return False
    return tok.tag_ in ("VBD", "VBZ", "VBP") or (tok.tag_ == "VBN" and bool(auxes))


_AS_PLACE = re.compile(r"\b(?:in|at|to|from|into|across|near|throughout|around|towards?|visit(?:ed|ing|s)?)\s+(?:the\s+)?$", re.I)


def _in_phrase(tok: Any, char: int) -> bool:
    return tok.left_edge.idx <= char < tok.right_edge.idx + len(tok.right_edge.text)


def _proposals(ctx: _Context, sent: Any, found: list[tuple[Treaty, int]]) -> None:
    """A joint proposal of two or more countries "to create/establish X" is an agreement in the making."""
    for tok in sent.tokens_with(("proposal", "plan", "initiative")):
        if tok.lower_ not in ("proposal", "plan", "initiative") or tok.tag_ in ("NNS", "NNPS"):
            continue
        s, e = tok.left_edge.idx, tok.idx + len(tok.text)
        owners = {c.code for c in ctx.m.countries if s <= c.start < e and c.kind != "body"}
        if len(owners) < 2:
            continue
        verbs = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.lemma_ in ("create", "establish", "set", "form", "build")]
        objs = [o for v in verbs for o in v.children if o.dep_ == "dobj"]
        if not objs:
            continue
        obj = objs[0]
        span = ctx.doc[obj.left_edge.i: obj.right_edge.i + 1]
        label = re.sub(r"^(?:the|a|an)\s+", "", span.text)
        treaty = _get_treaty(ctx, label, sorted(owners))
        treaty._named_parties = True  # type: ignore[attr-defined]
        treaty.evidence.append(ctx.sentence_evidence(sent, 0.6))
        date = _pick_date(_dates_in(ctx, sent.start_char, sent.end_char))
        treaty.events.append(TreatyEvent("proposed", date, None, ctx.sentence_evidence(sent, 0.6)))


def _nearest_date(dates: list[DateMention], pos: int) -> PartialDate | None:
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - pos)).date


_AGREEMENT_WORDS = {h.lower() for h in TREATY_HEADS} | {"treaty", "agreement", "accord", "pact", "memorandum", "roadmap",
                                                       "partnership", "alliance", "declaration", "framework", "charter"}


def _treaty_events(sent: Any) -> list[tuple[int, str, Any]]:
    """(offset in the sentence, event type, trigger token) of each treaty event word."""
    out = []
    lowers = sent.lowers
    for tok in sent.tokens_with((), TREATY_PHRASE_EVENTS):
        words, event = TREATY_PHRASE_EVENTS[tok.lemma_.lower()]
        if tuple(lowers[tok.i + 1: tok.i + 1 + len(words)]) == words and tok.i + len(words) < sent.end:
            out.append((tok.idx - sent.start_char, event, tok))
    for tok in sent.tokens_with(TREATY_EVENTS, TREATY_EVENTS):
        lemma = tok.lemma_.lower()
        low = tok.text.lower()
        key = lemma if lemma in TREATY_EVENTS else (low if low in TREATY_EVENTS else None)
        if key is None:
            continue
        if tok.pos_ not in ("VERB", "NOUN", "ADJ", "PROPN"):
            continue
        if key == "exchange" and not any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in _EXCHANGED_DOCUMENTS
                                         for c in (*tok.children, tok.head)):
            continue
        if key in ("reaffirm", "endorse", "join", "replace") and not any(
                c.dep_ in ("dobj", "nsubjpass", "auxpass") and (c.dep_ == "auxpass" or c.lower_ in _AGREEMENT_WORDS)
                for c in tok.children):
            continue  # "reaffirming closer cooperation", "joined the talks", "joined NATO": not an agreement
        if key == "raise" and not any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
            continue  # "raised concerns"
        if key in ("announce", "create") and not any(x in ("creation", "partnership", "alliance", "agreement", "treaty")
                                                     for x in sent.lowers[sent.start: sent.end]):
            continue
        out.append((tok.idx - sent.start_char, TREATY_EVENTS[key], tok))
    out.sort(key=lambda x: x[0])
    return out


def _treaty_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(re.sub(r"\s+", " ", label.strip()))).strip("-")


def _join_also_known(text: str, spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """"the Security Treaty between A and B, known as the X Treaty": one span from the first name to the
    second, labelled "first NUL second" (the second is the name; the first an alias)."""
    out: list[tuple[int, int, str, str]] = []
    k = 0
    while k < len(spans):
        s, e, label, head = spans[k]
        if k + 1 < len(spans) and _ALSO_KNOWN.match(text[e: spans[k + 1][0]]):
            s2, e2, label2, head2 = spans[k + 1]
            out.append((s, e2, f"{label}\x00{label2}", head2))
            k += 2
            continue
        out.append(spans[k])
        k += 1
    return out


def _get_treaty(ctx: _Context, label: str, in_name: list[str]) -> Treaty:
    label = re.sub(r"\s+", " ", label.strip())
    key = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
    if key in ctx.treaty_aliases:
        return ctx.treaty_aliases[key]
    for t in ctx.facts.treaties:
        if t.key == key:
            return t
    t = Treaty(key=key, label=label)
    if in_name:
        t.parties |= set(in_name)
        t._named_parties = len(set(in_name)) >= 2  # type: ignore[attr-defined]
    ctx.facts.treaties.append(t)
    return t


def _finish_treaties(ctx: _Context) -> None:
    # a name cut short (a headline split into two sentences) is the longer name it starts
    for t in list(ctx.facts.treaties):
        longer = next((o for o in ctx.facts.treaties if o is not t and t.label[:1].isupper()
                       and o.label.startswith(t.label + " ") and " of " in t.label), None)
        if longer is not None:
            longer.parties |= t.parties
            longer.events += [e for e in t.events if not any(x.type == e.type and x.date == e.date for x in longer.events)]
            longer.evidence += t.evidence
            ctx.facts.treaties.remove(t)
    for t in ctx.facts.treaties:
        want = 3 if re.search(r"(?i)trilateral|tripartite|three", " ".join(e.quote for e in t.evidence)) else 2
        for c in ctx.main_countries:
            if len(t.parties) >= want:
                break
            t.parties.add(c)
        # a generic name gets its parties so that two countries' "defence treaty" stay apart
        if t.label[:1].islower():
            names = "–".join(ctx.gz.name(c) for c in sorted(t.parties))
            t.label = f"{names} {t.label}" if names else t.label
            t.key = re.sub(r"[^a-z0-9]+", "-", fold(t.label)).strip("-")


# --- policies -------------------------------------------------------------------------------------


def _np_text(tok: Any) -> tuple[int, int]:
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


def _country_of_span(ctx: _Context, start: int, end: int) -> str | None:
    for c in ctx.m.countries:
        if start <= c.start < end and c.kind in ("name", "demonym", "capital", "alias"):
            return c.code
    return None


# Policy heads read only when capitalised, as part of a name ("the Arms Control Act", "the Integrated
# Review", "Operation Horizon"); lower-case they are common words
_NAMED_POLICY_HEADS = {"act", "review", "operation"}
# Plural heads of a country's measures ("new sanctions on X", "restrictive measures")
_MEASURE_HEADS = {"sanctions", "measures"}
# Lower-case words `_sentence_policies` may start from (besides lemmas in POLICY_VERBS).
_POLICY_WORDS = POLICY_HEADS | _NAMED_POLICY_HEADS | _MEASURE_HEADS | {"change", "vision", "plan"}
# "X has promised to reach 2 percent": a pledge of X's country
_PLEDGE_VERBS = {"promise", "pledge", "vow"}
_POLICY_LEMMAS = set(POLICY_VERBS) | _PLEDGE_VERBS


def _sentence_policies(ctx: _Context, sent: Any) -> None:
    doc = ctx.doc
    dates = _dates_in(ctx, sent.start_char, sent.end_char, clauses=True)
    ev = ctx.sentence_evidence(sent, 0.65)
    people = [k for _, k in _people_in(ctx, sent.start_char, sent.end_char)]
    for tok in sent.tokens_with(_POLICY_WORDS, _POLICY_LEMMAS):
        low = tok.lower_
        label = None
        action = "holds"
        country = None
        if low == "operation" and tok.text[0].isupper() and tok.i + 1 < sent.end and doc[tok.i + 1].pos_ == "PROPN" \
                and doc[tok.i + 1].text[0].isupper():
            end = tok.i + 1  # a named military operation ("Operation Southern Shield"): its country's initiative
            while end < sent.end and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
                end += 1
            label = doc[tok.i: end].text
            country = _subject_country(ctx, doc[end - 1]) or _country_of_span(ctx, sent.start_char, tok.idx)
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in _PLEDGE_VERBS:
            goal = next((c for c in tok.children if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
            if goal is None:
                continue
            end = goal.right_edge.i + 1
            for k in range(goal.i, end):
                if doc[k].text in (",", ";") or doc[k].dep_ in ("relcl", "cc"):
                    end = k
                    break
            if any(doc[k].lower_ in _AGREEMENT_WORDS for k in range(goal.i, end)):
                continue  # a pledge to ratify or sign an agreement is the agreement's story
            label = "pledge to " + doc[goal.i: end].text
            action = "announced"
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if subj:
                span = (subj[0].left_edge.idx, subj[0].idx + len(subj[0].text))
                country = _country_of_span(ctx, *span)
                who = [k for _, k in _people_in(ctx, *span) if k in ctx.facts.officials]
                if country is None and who:  # "Sánchez has promised ...": the official's country
                    country = ctx.facts.officials[who[0]].country
        elif low == "plan" and tok.pos_ == "NOUN" and tok.dep_ != "compound" and any(
                c.dep_ == "poss" and _names_country(ctx, c.text) for c in tok.children):
            s, e = _np_text(tok)  # "Morocco's autonomy plan for Western Sahara": a country's own plan
            label = doc[s:e].text
            country = _country_of_span(ctx, doc[s].idx, tok.idx)
        elif (low in POLICY_HEADS or (low in _NAMED_POLICY_HEADS and tok.text[0].isupper() and low != "operation")
              or (low in _MEASURE_HEADS and (low == "sanctions" or any(c.lower_ == "restrictive" for c in tok.lefts)))) \
                and tok.pos_ in ("NOUN", "PROPN") and (tok.tag_ not in ("NNS", "NNPS") or low in _MEASURE_HEADS) \
                and tok.dep_ != "compound":
            s, e = _np_text(tok)
            span = doc[s:e]
            content = [x for x in span if x.i != tok.i and x.is_alpha and x.lower_ not in _BLAND and x.pos_ != "DET"]
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
                continue
            if all(_names_country(ctx, x.text) for x in content):
                continue  # "Korea's policy": whose, not which
            label = span.text
            # "sanctions on Russia": a country after the head is the target, not the owner
            # ... and so is one a strategy is "for" ("Initiative for the denuclearisation of X")
            aimed = e > tok.i + 1 and doc[tok.i + 1].lower_ in ("for", "to")
            country = _country_of_span(ctx, span.start_char, tok.idx if low in _MEASURE_HEADS or aimed else span.end_char)
            if any(x.lower_ in ("our", "we") for x in span) and country is None:
                sp = _speaker_at(ctx, tok.idx)
                country = ctx.facts.officials[sp].country if sp else None
            if country is None:
                country = _subject_country(ctx, tok)  # "India reaffirmed its Act East Policy"
        elif low == "change" and any(c.lower_ == "policy" and c.dep_ == "compound" for c in tok.lefts):
            label = "policy change"
            action = "announced"
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in POLICY_VERBS:
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if not objs:
                continue
            obj = objs[0]
            s = min([c.left_edge.i for c in obj.lefts if c.dep_ != "det"] + [obj.i])
            obj_text = doc[s: obj.i + 1].text
            lemma = tok.lemma_.lower()
            if lemma == "ban":
                label = f"ban on {obj_text}"
            elif lemma in ACQUISITION_VERBS:
                label = f"{ACQUISITION_VERBS[lemma]} of {obj_text}"
            else:
                continue
            action = POLICY_VERBS[lemma]
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                country = _country_of_span(ctx, subj[0].left_edge.idx, subj[0].idx + len(subj[0].text))
            if country is None:
                before = [c for c in ctx.m.countries if sent.start_char <= c.start < tok.idx and c.kind != "body"]
                country = before[-1].code if before else None
        elif low == "vision" and any(c.text.lower() == "of" for c in tok.rights):
            prep = next(c for c in tok.rights if c.text.lower() == "of")
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            if not objs or objs[0].pos_ != "PROPN":
                continue
            s, e = prep.i + 1, objs[0].i + 1
            label = doc[s:e].text
            label = re.sub(r"^(a|an|the)\s+", "", label)
        if not label:
            continue
        if country is None and people:
            country = ctx.facts.officials[people[0]].country if people[0] in ctx.facts.officials else None
        if country is None and (tok.lower_ in ("rebalance", "pivot", "strategy") or tok.lower_ in (
                "act", "review") and not _in_quote(ctx, tok.idx)):
            # (a country a speaker names in a quotation is seldom the policy's owner)
            country = _country_of_span(ctx, sent.start_char, sent.end_char)
        if country is None and low in _NAMED_POLICY_HEADS | _MEASURE_HEADS:
            continue  # an act, review, operation or sanctions of no known country: too vague a fact
        label = re.sub(r"^(?:the|a|an|its|their|our|his|her)\s+", "", label, flags=re.I)
        label = label.strip(" ”“\"'’,")
        if country and not _names_country(ctx, label):
            label = f"{label} ({ctx.gz.name(country)})"
        ctx.facts.policies.append(Policy(label, country, _pick_date(_policy_dates(ctx, sent, tok, dates)), action, ev))


def _in_quote(ctx: _Context, pos: int) -> bool:
    """Whether `pos` is inside a quotation opened earlier in its paragraph."""
    line = ctx.text[ctx.text.rfind("\n", 0, pos) + 1: pos]
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


_POLICY_GOVERNORS = {"dobj", "pobj", "prep", "conj", "appos", "attr", "nsubjpass"}


def _governing_verb(tok: Any) -> Any:
    v = tok
    for _ in range(6):
        if v.dep_ not in _POLICY_GOVERNORS or v.head is v:
            break
        v = v.head
        if v.pos_ in ("VERB", "AUX"):
            return v
    return None


def _subject_country(ctx: _Context, tok: Any) -> str | None:
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


def _policy_dates(ctx: _Context, sent: Any, tok: Any, dates: list[DateMention]) -> list[DateMention]:
    """Dates of the policy's own phrase or clause, without deadlines and spans ("by 2045", "since 1959")."""
    if not dates:
        return []
    starts = ctx.token_starts
    own = [d for d in dates if not _NOT_POLICY_DATE.search(ctx.text[max(sent.start_char, d.start - 20): d.start])]
    if tok.pos_ in ("NOUN", "PROPN"):
        inside, surely_other = _event_clause(sent, tok, "noun")
        free = [d for d in own if (bisect_right(starts, d.start) - 1) not in surely_other]
        own = [d for d in free if (bisect_right(starts, d.start) - 1) in inside] or free
    return own


def _names_country(ctx: _Context, text: str) -> bool:
    from kg.mentions import find_countries

    return any(c.kind in ("name", "demonym", "alias") for c in find_countries(text))
