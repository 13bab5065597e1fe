"""Resolution: one node per person, post and event in the knowledge graph, however many articles
report them.

Each article's graph keeps what the article said: its officials, their posts and its dialogues,
under IRIs of that article's reading (`kg.mapping`). After every change of the articles (a build,
`kg remove`, `--prune`, `kg load`), `resolve` reads a compact report of every article's officials
and dialogues, clusters the reports and makes the knowledge graph's people, posts and events what
the clusters say. The result depends only on the set of articles, never on the order they were
built in: clusters are connected components over pairs decided from the reports alone, every
choice among values is by evidence and then by a fixed order, and the knowledge graph's resolved
part is recomputed whole and written as the difference from what it holds.

People: a name is its first and last word (middle initials and suffixes do not count). Reports of
one name are one person when they give the same country, or share an office and one of the two
countries is not read from the person's title (one article's wrong country is then a conflict, not
a second person); namesakes of different countries and offices stay apart. A surname alone joins the one full-name person with that surname, country and a compatible
office; none or several, it stays apart.

Events: two reports are one event when their kinds, statuses, dates (the same day; a partial date
joins the one event it contains), places and editions are compatible and they share two
participants or their name. Reports are joined from the most precise date to the least, so a
month never bridges two days.
A mention that only refers back to an event of its own article ("the talks": no name, date or
place, no one the event lacks) follows the one compatible event there, never one of two.

Where the reports of one node disagree (an official's country, an event's day), the knowledge
graph keeps the value most reports give; `conflicts` lists each disagreement with its sentences.
Every resolved node links to the nodes of the articles' reports (`kg:reportedAs`), where their
evidence is.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib import namespace as _ns

from kg.gazetteer import fold
from kg.mentions import NAME_SUFFIXES
from kg.offices import Office, bare_office, is_bare, offices_of
from kg.ontology import KG, KGID, KNOWLEDGE_GRAPH
from kg.store import Store, Triple

RDF, RDFS, XSD = _ns.RDF, _ns.RDFS, _ns.XSD
_COUNTRY_NS = str(KGID["country/"])

# --- the articles' reports --------------------------------------------------------------------------

# `GRAPH ?g { ?g a kg:Article ... }`: article graphs only (a server also holds the knowledge graph
# as a named graph, where the article is not described as itself).
_OFFICIALS = """SELECT ?g ?o ?name ?country ?published ?rule WHERE { GRAPH ?g { ?g a kg:Article .
  ?o a kg:Official ; rdfs:label ?name . OPTIONAL { ?o kg:represents ?country
    OPTIONAL { ?ev rdf:subject ?o ; rdf:predicate kg:represents ; kg:rule ?rule } }
  OPTIONAL { ?g dct:date ?published } } }"""
# the rule that reads an official's country from their own title ("Canadian Foreign Minister ...")
_COUNTRY_OF_TITLE = "officials.country-of-title"
_POSTS = """SELECT ?g ?o ?post ?title ?country WHERE { GRAPH ?g { ?g a kg:Article .
  ?o kg:holdsPost ?post . ?post kg:title ?title . OPTIONAL { ?post kg:postCountry ?country } } }"""
_DIALOGUES = """SELECT ?g ?d ?label ?type ?status ?name ?date ?published WHERE { GRAPH ?g { ?g a kg:Article .
  ?d a kg:Dialogue ; rdfs:label ?label . OPTIONAL { ?d kg:dialogueType ?type } OPTIONAL { ?d kg:status ?status }
  OPTIONAL { ?d kg:eventName ?name } OPTIONAL { ?d kg:date ?date } OPTIONAL { ?g dct:date ?published } } }"""
_DIALOGUE_LINKS = """SELECT ?g ?d ?p ?o WHERE { GRAPH ?g { ?g a kg:Article . ?d a kg:Dialogue ; ?p ?o .
  VALUES ?p { kg:participant kg:participantCountry kg:place } } }"""
# The places named in a sentence that states the event itself (one of its participants' sentences),
# rather than elsewhere in the article ("... her visit to Irpin" after the meeting's sentence).
_STATED_PLACES = """SELECT DISTINCT ?g ?d ?place WHERE { GRAPH ?g { ?g a kg:Article .
  ?ev rdf:subject ?d ; rdf:predicate kg:place ; rdf:object ?place ; kg:quote ?quote .
  ?other rdf:subject ?d ; rdf:predicate kg:participant ; kg:quote ?quote } }"""
_PLACES = """SELECT ?place ?country ?venue WHERE { ?place a kg:Place .
  OPTIONAL { ?place kg:inCountry ?country } OPTIONAL { ?place a kg:Venue . BIND(true AS ?venue) } }"""
# What the knowledge graph holds of resolved nodes now: each has kg:reportedAs, which only this
# module writes (and which a dropped article's orphans take with the whole node).
_RESOLVED_NOW = "SELECT DISTINCT ?s ?p ?o WHERE { ?s kg:reportedAs ?r . ?s ?p ?o }"
_LOCATED_NOW = "SELECT ?s ?o WHERE { ?s kg:locatedIn ?o }"


@dataclass
class PostReport:
    iri: str
    title: str
    country: str | None


@dataclass
class OfficialReport:
    """One article's official: its node in the article's graph, name, country and posts."""

    article: str
    iri: str
    name: str
    country: str | None
    published: str | None
    posts: list[PostReport] = field(default_factory=list)
    country_from_title: bool = False  # the country is read from the official's own title

    @property
    def ref(self) -> tuple[str, str]:
        return (self.article, self.iri)


@dataclass
class DialogueReport:
    article: str
    iri: str
    label: str
    type: str
    status: str
    name: str | None
    date: str | None
    published: str | None
    participants: set[str] = field(default_factory=set)  # article-level person IRIs
    countries: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    stated_places: set[str] = field(default_factory=set)  # named in a sentence stating the event


@dataclass
class PlaceInfo:
    country: str | None
    rank: int  # 3 a venue, 2 a city or other place, 1 a country


@dataclass
class Reports:
    officials: list[OfficialReport]
    dialogues: list[DialogueReport]
    places: dict[str, PlaceInfo]


def _s(term: object) -> str | None:
    return None if term is None else str(term)


def read_reports(store: Store) -> Reports:
    """Every article's officials, posts and dialogues, as compact records."""
    officials: dict[tuple[str, str], OfficialReport] = {}
    for g, o, name, country, published, rule in store.select_all(_OFFICIALS, "?g ?o ?name ?country ?published ?rule"):
        key = (str(g), str(o))
        if key not in officials:
            officials[key] = OfficialReport(str(g), str(o), str(name), _code(country), _s(published))
        # a server may answer an OPTIONAL with a row of its own: what one row lacks, another gives
        known = officials[key]
        known.country = known.country or _code(country)
        known.published = known.published or _s(published)
        if str(rule) == _COUNTRY_OF_TITLE:
            known.country_from_title = True
    for g, o, post, title, country in store.select_all(_POSTS, "?g ?o ?post ?title ?country"):
        report = officials.get((str(g), str(o)))
        if report is not None and str(post) not in {p.iri for p in report.posts}:
            report.posts.append(PostReport(str(post), str(title), _code(country)))
    dialogues: dict[tuple[str, str], DialogueReport] = {}
    for g, d, label, kind, status, name, date, published in store.select_all(_DIALOGUES, "?g ?d ?label ?type ?status ?name ?date ?published"):
        key = (str(g), str(d))
        if key not in dialogues:
            dialogues[key] = DialogueReport(str(g), str(d), str(label), _s(kind) or "meeting", _s(status) or "held",
                                            _s(name), _s(date), _s(published))
        seen = dialogues[key]
        seen.name, seen.date = seen.name or _s(name), seen.date or _s(date)
        seen.published = seen.published or _s(published)
    for g, d, p, o in store.select_all(_DIALOGUE_LINKS, "?g ?d ?p ?o"):
        dialogue = dialogues.get((str(g), str(d)))
        if dialogue is None:
            continue
        if p == KG.participant:
            dialogue.participants.add(str(o))
        elif p == KG.participantCountry:
            code = _code(o)
            if code:
                dialogue.countries.add(code)
        else:
            dialogue.places.add(str(o))
    for g, d, place in store.select_all(_STATED_PLACES, "?g ?d ?place"):
        dialogue = dialogues.get((str(g), str(d)))
        if dialogue is not None:
            dialogue.stated_places.add(str(place))
    places: dict[str, PlaceInfo] = {}
    for place, country, venue in store.select_all(_PLACES, "?place ?country ?venue"):
        places[str(place)] = PlaceInfo(_code(country), 3 if venue is not None else 2)
    return Reports(sorted(officials.values(), key=lambda r: r.ref),
                   sorted(dialogues.values(), key=lambda r: (r.article, r.iri)), places)


def _code(term: object) -> str | None:
    text = _s(term)
    if text and text.startswith(_COUNTRY_NS):
        return text[len(_COUNTRY_NS):]
    return None


# --- people -----------------------------------------------------------------------------------------

def name_key(name: str) -> tuple[str, ...]:
    """First and last word of a name, without middle initials and suffixes ("Antony J. Blinken" and
    "Antony Blinken" are both ("antony", "blinken")); a name of one word is a surname alone."""
    # doubled letters are one: transliterations differ there ("Zelenskyy", "Zelensky")
    words = [re.sub(r"(\w)\1", r"\1", w) for w in re.sub(r"[^\w\s'-]+", " ", fold(name)).split() if w not in NAME_SUFFIXES]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    if not words:
        return ()
    return (words[0], words[-1]) if len(words) > 1 else (words[0],)


def _offices(report: OfficialReport) -> list[tuple[Office, PostReport]]:
    """The offices an article gives an official. A bare "Secretary" is the full office the article
    gives the same person, so it adds none; alone it is not a post."""
    found: list[tuple[Office, PostReport]] = []
    for post in report.posts:
        if is_bare(post.title):
            continue
        for office in offices_of(post.title, post.country or report.country):
            found.append((office, post))
    return found


@dataclass
class Person:
    iri: str
    label: str
    members: list[OfficialReport]
    country: str | None
    countries: Counter[str]


class _UnionFind:
    """Connected components of decided pairs (networkx), in a fixed order of their members."""

    def __init__(self, nodes: Iterable[object]) -> None:
        import networkx as nx  # only when resolving

        self.graph: nx.Graph[object] = nx.Graph()
        self.graph.add_nodes_from(nodes)

    def join(self, a: object, b: object) -> None:
        self.graph.add_edge(a, b)

    def components(self) -> list[list[object]]:
        import networkx as nx

        return sorted((sorted(c, key=str) for c in nx.connected_components(self.graph)), key=lambda c: str(c[0]))


def _same_person(a: OfficialReport, b: OfficialReport, offices: dict[tuple[str, str], set[str]]) -> bool:
    """Two reports of one name are one person with the same country; with two countries, only when
    they give the same office and one of the countries is not read from the person's own title
    (a country the context suggests may be wrong; two titles naming two countries are namesakes)."""
    if a.country == b.country or a.country is None or b.country is None:
        return True
    if a.country_from_title and b.country_from_title:
        return False
    return bool(offices[a.ref] & offices[b.ref])


def resolve_people(officials: list[OfficialReport]) -> tuple[list[Person], dict[tuple[str, str], Person]]:
    """People from the officials' reports, and each report's person."""
    offices = {r.ref: {o.iri for o, _ in _offices(r)} for r in officials}
    keys = {r.ref: name_key(r.name) for r in officials}
    by_key: dict[tuple[str, ...], list[OfficialReport]] = defaultdict(list)
    for r in officials:
        if keys[r.ref]:
            by_key[keys[r.ref]].append(r)
    union = _UnionFind(r.ref for r in officials)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if _same_person(a, b, offices):
                    union.join(a.ref, b.ref)
    # full-name people first: a surname joins the one that fits it
    full: list[list[OfficialReport]] = []
    by_ref = {r.ref: r for r in officials}
    for component in union.components():
        members = [by_ref[ref] for ref in component]  # type: ignore[index]
        if len(keys[members[0].ref]) == 2:
            full.append(members)
    by_word: dict[str, list[int]] = defaultdict(list)
    for n, members in enumerate(full):
        first, last = keys[members[0].ref]
        by_word[first].append(n)
        if last != first:
            by_word[last].append(n)
    for r in officials:
        key = keys[r.ref]
        if len(key) != 1:
            continue
        fitting = [n for n in by_word.get(key[0], []) if _fits(r, full[n], offices)]
        if len(fitting) == 1:  # never a guess between two
            union.join(r.ref, full[fitting[0]][0].ref)
    people: list[Person] = []
    of_report: dict[tuple[str, str], Person] = {}
    for component in union.components():
        members = [by_ref[ref] for ref in component]  # type: ignore[index]
        person = _person(members, keys)
        people.append(person)
        for m in members:
            of_report[m.ref] = person
    _distinct_iris(people)
    return people, of_report


def _distinct_iris(people: list[Person]) -> None:
    """Namesakes kept apart get IRIs of their own: the name's, then the country's code, then a number."""
    claims: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        claims[person.iri].append(person)
    taken = set(claims)
    for iri, claimants in claims.items():
        if len(claimants) < 2:
            continue
        for n, person in enumerate(sorted(claimants, key=lambda p: min(m.ref for m in p.members)), 1):
            candidate = f"{iri}-{person.country.lower()}" if person.country else f"{iri}-{n}"
            while candidate in taken:
                candidate = f"{candidate}-{n}"
            taken.add(candidate)
            person.iri = candidate


def _fits(surname: OfficialReport, members: list[OfficialReport], offices: dict[tuple[str, str], set[str]]) -> bool:
    countries = {m.country for m in members if m.country}
    if surname.country and countries and surname.country not in countries:
        return False
    held = set().union(*(offices[m.ref] for m in members))
    own = offices[surname.ref]
    return not own or not held or bool(own & held)


def _most(counts: Counter[str]) -> str | None:
    """The value with most evidence; a tie goes to the first in order."""
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _person(members: list[OfficialReport], keys: dict[tuple[str, str], tuple[str, ...]]) -> Person:
    full = [m for m in members if len(keys[m.ref]) == 2] or members
    iri = _most(Counter(m.iri for m in full))
    labels = Counter(m.name for m in full)
    label = min(labels, key=lambda v: (-labels[v], -len(v), v))
    countries = Counter(m.country for m in members if m.country)
    assert iri is not None
    return Person(iri, label, members, _most(countries), countries)


# --- posts ------------------------------------------------------------------------------------------


@dataclass
class ResolvedPost:
    iri: str
    title: str
    office: Office
    country: str | None
    members: set[str]
    dates: set[str]


def resolve_posts(person: Person) -> list[ResolvedPost]:
    """One post per office the person holds (for the person's country), titled as the text most
    often writes it. A bare "Secretary" or "the minister" is the one full office of that kind the
    article gives the person (else the one any article gives): it adds its report and its article's
    date to that post, never a post of its own. With none or two such offices it says nothing more;
    only when no article gives the person any full office is the bare title the post ("Minister
    Ishiba": the person is a minister of their country, which is all the text says)."""
    by_office: dict[str, list[tuple[Office, PostReport, OfficialReport]]] = defaultdict(list)
    bare: list[tuple[PostReport, OfficialReport]] = []
    for m in person.members:
        for office, post in _offices(m):
            by_office[office.iri].append((office, post, m))
        bare += [(post, m) for post in m.posts if is_bare(post.title)]
    referred: dict[str, list[tuple[PostReport, OfficialReport]]] = defaultdict(list)
    if by_office:
        for post, m in bare:
            office_iri = _office_of_bare(post.title, m, by_office)
            if office_iri is not None:
                referred[office_iri].append((post, m))
    else:
        for post, m in bare:
            office = bare_office(post.title)
            by_office[office.iri].append((office, post, m))
    posts: list[ResolvedPost] = []
    person_slug = person.iri.rsplit("/", 1)[-1]
    for office_iri in sorted(by_office):
        held = by_office[office_iri]
        country = person.country or _most(Counter(p.country for _, p, _ in held if p.country))
        wordings = Counter(o.wording for o, _, _ in held)
        # the text's capitalisation first ("Secretary of State" over "secretary of state")
        title = min(wordings, key=lambda w: (-wordings[w], w == w.lower() or w == w.upper(), -len(w), w))
        slug = office_iri.rsplit("/", 1)[-1]
        # dots, which no article's post IRI holds: the resolved post is never an article's node
        iri = str(KGID[f"post/{person_slug}.{slug}.{country or 'x'}"])
        reports = [(p, m) for _, p, m in held] + referred[office_iri]
        dates = {m.published for _, m in reports if m.published}
        posts.append(ResolvedPost(iri, title, held[0][0], country, {p.iri for p, _ in reports}, dates))
    return posts


def _office_of_bare(title: str, report: OfficialReport,
                    by_office: dict[str, list[tuple[Office, PostReport, OfficialReport]]]) -> str | None:
    """The one office of the person a bare title names: of its kind ("Secretary" a secretary's
    office), given by the same article first, then by any; None when there are none or two."""
    head = _normal_words(title)[-1:]
    fitting = {iri: held for iri, held in by_office.items()
               if any(set(head) <= set(_normal_words(o.wording)) for o, _, _ in held)}
    for scope in ([iri for iri, held in fitting.items() if any(m.ref == report.ref for _, _, m in held)],
                  list(fitting)):
        if len(scope) == 1:
            return scope[0]
        if scope:
            return None  # two offices of that kind: never a guess
    return None


def _normal_words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", fold(text)).split()


# --- events -----------------------------------------------------------------------------------------

_KIND_GROUPS = {"talks": "meeting", "dialogue": "meeting", "meeting": "meeting"}
_EDITION = re.compile(r"\b(?:(?:19|20)\d\d|\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth"
                      r"|ninth|tenth|eleventh|twelfth|inaugural)\b")


@dataclass
class Event:
    iri: str
    members: list[DialogueReport]
    date: str | None
    dates: Counter[str]
    place: str | None
    participants: set[str]


def _edition(report: DialogueReport) -> frozenset[str]:
    return _edition_of(report.name or "", report.date or "")


@lru_cache(maxsize=65536)
def _edition_of(name: str, date: str) -> frozenset[str]:
    text = fold(name)
    if name and date:  # the label's year is the date's, added by the extractor
        text = text.replace(date[:4], " ")
    return frozenset(_EDITION.findall(text))


def _name(report: DialogueReport) -> str | None:
    return _name_of(report.name) if report.name else None


@lru_cache(maxsize=65536)
def _name_of(name: str) -> str | None:
    return " ".join(re.sub(r"\b(?:the|(?:19|20)\d\d)\b", " ", re.sub(r"[^\w\s]", " ", fold(name))).split()) or None


def _dates_fit(a: str | None, b: str | None) -> bool:
    """The same day, or a partial date containing the other (no date fits any)."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _near_days(a: str | None, b: str | None) -> bool:
    """Two days at most one day apart: two reports of one named event told from two time zones."""
    from datetime import date

    if not a or not b or len(a) != 10 or len(b) != 10:
        return False
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1
    except ValueError:
        return False


class _Events:
    def __init__(self, reports: Reports, of_report: dict[tuple[str, str], Person]) -> None:
        self.places = reports.places
        self.people: dict[tuple[str, str], set[str]] = {}
        for d in reports.dialogues:
            self.people[(d.article, d.iri)] = {of_report[(d.article, p)].iri for p in d.participants
                                               if (d.article, p) in of_report}

    def who(self, d: DialogueReport) -> set[str]:
        return self.people[(d.article, d.iri)]

    def _where(self, d: DialogueReport) -> tuple[set[str], set[str]]:
        """(countries, cities and venues) of a report's places."""
        countries: set[str] = set()
        specific: set[str] = set()
        for p in d.places:
            code = _code(p)
            if code:
                countries.add(code)
                continue
            info = self.places.get(p)
            if info and info.country:
                countries.add(info.country)
            if info and info.rank == 2:
                specific.add(p)
        return countries, specific

    def compatible(self, a: DialogueReport, b: DialogueReport, *, named_near: bool = False) -> bool:
        if _KIND_GROUPS.get(a.type, a.type) != _KIND_GROUPS.get(b.type, b.type) or a.status != b.status:
            return False
        if not _dates_fit(a.date, b.date) and not (named_near and _near_days(a.date, b.date)):
            return False
        ea, eb = _edition(a), _edition(b)
        if ea and eb and ea != eb:
            return False
        (ca, sa), (cb, sb) = self._where(a), self._where(b)
        if ca and cb and not ca & cb:
            return False
        return not (sa and sb and not sa & sb)

    def linked(self, a: DialogueReport, b: DialogueReport) -> bool:
        """Evidence that two reports tell one event: two people in common, or the event's name."""
        if a.article == b.article and not (_name(a) and _name(a) == _name(b)):
            return False  # within an article the extractor has joined what the text joins
        named = _name(a) is not None and _name(a) == _name(b)
        if named:
            return self.compatible(a, b, named_near=True)
        return len(self.who(a) & self.who(b)) >= 2 and self.compatible(a, b)


def _precision(d: DialogueReport) -> int:
    return len(d.date) if d.date else 0


def resolve_events(reports: Reports, of_report: dict[tuple[str, str], Person]) -> list[Event]:
    """Events from the dialogues' reports: most precise dates first, so that a month joins the one
    day it contains and never bridges two. Only reports that share a participant or a name are
    compared (an index, not every pair)."""
    events = _Events(reports, of_report)
    dialogues = reports.dialogues
    # "the talks" with nothing of their own: they follow the one event of their article they refer to
    referring = _referring(dialogues, events)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(dialogues):
        if i in referring:
            continue
        for person in events.who(d):
            by_key[person].append(i)
        if _name(d):
            by_key["name:" + (_name(d) or "")].append(i)

    def candidates(i: int) -> set[int]:
        d = dialogues[i]
        keys = [*events.who(d), *(["name:" + (_name(d) or "")] if _name(d) else [])]
        return {j for k in keys for j in by_key[k] if j != i}

    cluster_of: dict[int, int] = {}
    clusters: list[list[int]] = []
    levels = sorted({_precision(d) for d in dialogues}, reverse=True)
    for level in levels:
        batch = [i for i, d in enumerate(dialogues) if _precision(d) == level and i not in referring]
        # each report of this level joins the one earlier cluster it fits, decided against the
        # clusters of the levels before (not of its peers): independent of any order
        joined: dict[int, list[int]] = defaultdict(list)
        rest: list[int] = []
        for i in batch:
            d = dialogues[i]
            near = sorted({cluster_of[j] for j in candidates(i) if j in cluster_of and events.linked(d, dialogues[j])})
            fitting = [n for n in near if all(_fits_with(events, d, dialogues[m]) for m in clusters[n])]
            if len(fitting) == 1:
                joined[fitting[0]].append(i)
            else:
                rest.append(i)
        for n, members in joined.items():
            clusters[n].extend(members)
            for i in members:
                cluster_of[i] = n
        # the rest of this level: joined pair by pair in a fixed order; two reports of one
        # article are never joined through a third
        in_rest = set(rest)
        parent = {i: i for i in rest}
        articles = {i: {dialogues[i].article} for i in rest}

        pairs = sorted({(min(i, j), max(i, j)) for i in rest for j in candidates(i) if j in in_rest})
        for i, j in pairs:
            a, b = _root(parent, i), _root(parent, j)
            if a == b or not events.linked(dialogues[i], dialogues[j]):
                continue
            if articles[a] & articles[b] and not (_name(dialogues[i]) and _name(dialogues[i]) == _name(dialogues[j])):
                continue
            parent[b] = a
            articles[a] |= articles.pop(b)
        groups: dict[int, list[int]] = defaultdict(list)
        for i in rest:
            groups[_root(parent, i)].append(i)
        for members in sorted(groups.values()):
            for i in members:
                cluster_of[i] = len(clusters)
            clusters.append(members)
    for i, target in sorted(referring.items()):
        clusters[cluster_of[target]].append(i)
    return [_event([dialogues[i] for i in c], events) for c in clusters]


def _referring(dialogues: list[DialogueReport], events: _Events) -> dict[int, int]:
    """Reports that only refer back to an event of their article ("the dialogue", "the talks" in
    another paragraph: no name, date or place of their own, and no one the event lacks), each with
    the one event it refers to: a report of the same article with a name, a date or a place, of a
    compatible kind and status, whose participants include the referring report's. With two such
    events, or none, the report stays an event of its own: never a guess between two."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(dialogues):
        by_article[d.article].append(i)
    found: dict[int, int] = {}
    for members in by_article.values():
        if len(members) < 2:
            continue
        for i in members:
            d = dialogues[i]
            if _anchored(d):
                continue
            targets = [j for j in members if j != i and _anchored(dialogues[j])
                       and events.compatible(d, dialogues[j]) and events.who(d) <= events.who(dialogues[j])]
            if len(targets) == 1:
                found[i] = targets[0]
    return found


def _anchored(d: DialogueReport) -> bool:
    """A report that says which event it is: by its name, date or place."""
    return bool(d.name or d.date or d.places)


def _root(parent: dict[int, int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _fits_with(events: _Events, d: DialogueReport, m: DialogueReport) -> bool:
    same_name = _name(d) is not None and _name(d) == _name(m)
    return events.compatible(d, m, named_near=same_name) and (m.article != d.article or same_name)


def _event(members: list[DialogueReport], events: _Events) -> Event:
    members = sorted(members, key=lambda d: d.iri)
    dates = Counter(d.date for d in members if d.date)
    best = max((len(d) for d in dates), default=0)
    day_counts = Counter({d: n for d, n in dates.items() if len(d) == best})
    date = _most(day_counts)
    ranks: dict[str, int] = {}
    for d in members:
        for p in d.places:
            ranks[p] = 1 if _code(p) else events.places.get(p, PlaceInfo(None, 2)).rank
    # the places of the sentences that state the event first, then the most specific of them
    stated = {p for d in members for p in d.stated_places}
    pool = {p: r for p, r in ranks.items() if p in stated} or ranks
    top = max(pool.values(), default=0)
    place_counts = Counter(p for d in members for p in d.places if p in pool and pool[p] == top)
    people: set[str] = set().union(*(events.who(d) for d in members))
    return Event(members[0].iri, members, date, dates, _most(place_counts), people)


# --- the knowledge graph's resolved part -------------------------------------------------------------


@dataclass
class Resolution:
    people: list[Person]
    events: list[Event]
    posts: dict[str, list[ResolvedPost]]  # person IRI -> posts
    reports: Reports


def compute(store: Store) -> Resolution:
    reports = read_reports(store)
    people, of_report = resolve_people(reports.officials)
    events = resolve_events(reports, of_report)
    return Resolution(people, events, {p.iri: resolve_posts(p) for p in people}, reports)


def _date_literal(text: str) -> Literal:
    datatype = XSD.date if len(text) == 10 else XSD.gYearMonth if len(text) == 7 else XSD.gYear
    return Literal(text, datatype=datatype)


def triples(resolution: Resolution) -> set[Triple]:
    """The knowledge graph's people, posts and events."""
    out: set[Triple] = set()
    add = out.add
    iri = URIRef
    for person in resolution.people:
        p = iri(person.iri)
        add((p, RDF.type, KG.Official))
        add((p, RDFS.label, Literal(person.label)))
        if person.country:
            add((p, KG.represents, iri(_COUNTRY_NS + person.country)))
        for m in person.members:
            add((p, KG.reportedAs, iri(m.iri)))
            add((p, KG.mentionedIn, iri(m.article)))
        for post in resolution.posts[person.iri]:
            q = iri(post.iri)
            add((p, KG.holdsPost, q))
            add((q, RDF.type, KG.Post))
            add((q, RDFS.label, Literal(f"{post.title} ({person.label})")))
            add((q, KG.title, Literal(post.title)))
            if post.office.known:
                add((q, KG.office, iri(post.office.iri)))
            if post.country:
                add((q, KG.postCountry, iri(_COUNTRY_NS + post.country)))
            for member in post.members:
                add((q, KG.reportedAs, iri(member)))
            for m in person.members:
                add((q, KG.mentionedIn, iri(m.article)))
            for seen in post.dates:
                add((q, KG.date, _date_literal(seen)))
            if post.dates:
                add((q, KG.firstSeen, _date_literal(min(post.dates))))
                add((q, KG.lastSeen, _date_literal(max(post.dates))))
    for event in resolution.events:
        e = iri(event.iri)
        labels = Counter(r.name for r in event.members if r.name) or Counter(r.label for r in event.members)
        kinds = Counter(r.type for r in event.members)
        add((e, RDF.type, KG.Dialogue))
        add((e, RDFS.label, Literal(_most(labels) or "")))
        add((e, KG.dialogueType, Literal(_most(kinds) or "meeting")))
        add((e, KG.status, Literal(event.members[0].status)))
        for d in event.members:
            add((e, KG.reportedAs, iri(d.iri)))
            add((e, KG.mentionedIn, iri(d.article)))
            for c in d.countries:
                add((e, KG.participantCountry, iri(_COUNTRY_NS + c)))
        for name in {d.name for d in event.members if d.name}:
            add((e, KG.eventName, Literal(name)))
        for person_iri in event.participants:
            add((e, KG.participant, iri(person_iri)))
        if event.place:
            add((e, KG.place, iri(event.place)))
        if event.date:
            add((e, KG.date, _date_literal(event.date)))
    return out


def _located(resolution: Resolution) -> set[Triple]:
    """A venue linked to the city an event's reports give with it."""
    out: set[Triple] = set()
    places = resolution.reports.places
    for event in resolution.events:
        if event.place is None or places.get(event.place, PlaceInfo(None, 0)).rank != 3:
            continue
        venue = places[event.place]
        cities = sorted({p for d in event.members for p in d.places
                         if places.get(p, PlaceInfo(None, 0)).rank == 2 and places[p].country == venue.country})
        if len(cities) == 1:
            out.add((URIRef(event.place), KG.locatedIn, URIRef(cities[0])))
    return out


@dataclass
class ResolveReport:
    people: int
    events: int
    added: int
    removed: int
    seconds: float


# Which articles (and which reading of them) the knowledge graph's resolved part was made from: a
# digest the knowledge graph keeps, so that a build stopped before it resolved is caught up by the next.
_READINGS = "SELECT ?g ?version WHERE { GRAPH ?g { ?g a kg:Article ; kg:extractorVersion ?version } }"
_STAMP = f"SELECT ?digest WHERE {{ <{KNOWLEDGE_GRAPH}> <{KG.resolvedFrom}> ?digest }}"


def _readings_digest(store: Store) -> str:
    import hashlib

    readings = sorted({f"{g} {'' if v is None else v}" for g, v in store.select_all(_READINGS, "?g ?version")})
    return hashlib.sha256("\n".join(readings).encode()).hexdigest() if readings else ""  # "": no article


def _stamps(store: Store) -> list[Literal]:
    return [d for (d,) in store.query(_STAMP).rows if isinstance(d, Literal)]


def is_resolved(store: Store) -> bool:
    """Whether the knowledge graph's people, posts and events were resolved from the articles the
    store holds now (a build stopped between writing articles and resolving them leaves it behind)."""
    digest = _readings_digest(store)
    return [str(d) for d in _stamps(store)] == ([digest] if digest else [])


def resolve_if_needed(store: Store) -> ResolveReport | None:
    """Resolve unless the knowledge graph is resolved from the articles the store holds now."""
    return None if is_resolved(store) else resolve(store)


def resolve(store: Store) -> ResolveReport:
    """Make the knowledge graph's people, posts and events what every article's reports say."""
    started = time.perf_counter()
    digest = _readings_digest(store)
    resolution = compute(store)
    wanted = triples(resolution) | _located(resolution)
    held: set[Triple] = {(s, p, o) for s, p, o in store.select_all(_RESOLVED_NOW, "?s ?p ?o")
                         if s is not None and p is not None and o is not None}
    held |= {(s, KG.locatedIn, o) for s, o in store.select_all(_LOCATED_NOW, "?s ?o") if s is not None and o is not None}
    order = lambda t: tuple(map(str, t))  # noqa: E731 - a fixed order of writes
    gone = sorted(held - wanted, key=order)
    new = sorted(wanted - held, key=order)
    if gone:
        store.delete_triples(KNOWLEDGE_GRAPH, gone)
    if new:
        store.merge_graph(KNOWLEDGE_GRAPH, new)
    # last: a resolution stopped before this point is done again by the next build
    stamps = _stamps(store)
    if [str(d) for d in stamps] != ([digest] if digest else []):
        graph = URIRef(KNOWLEDGE_GRAPH)
        if stamps:
            store.delete_triples(KNOWLEDGE_GRAPH, [(graph, KG.resolvedFrom, d) for d in stamps])
        if digest:
            store.merge_graph(KNOWLEDGE_GRAPH, [(graph, KG.resolvedFrom, Literal(digest))])
    return ResolveReport(len(resolution.people), len(resolution.events), len(new), len(gone),
                         time.perf_counter() - started)


# --- conflicts --------------------------------------------------------------------------------------


@dataclass
class Side:
    """One value the reports give, with how many reports give it and their sentences."""

    value: str
    label: str
    reports: int
    sentences: list[tuple[str, str]]  # (sentence, article's source path)


@dataclass
class Conflict:
    kind: str  # "country" of an official, "date" of an event
    entity: str
    label: str
    kept: str  # the value the knowledge graph keeps: the one most reports give
    sides: list[Side]


_SENTENCES = """SELECT ?subject ?value ?quote ?source WHERE {{ VALUES ?subject {{ {subjects} }}
  GRAPH ?g {{ ?ev rdf:subject ?subject ; rdf:predicate {predicate} ; rdf:object ?value ; kg:quote ?quote .
  OPTIONAL {{ ?g kg:sourcePath ?source }} }} }} ORDER BY ?source ?quote"""
_COUNTRY_LABELS = "SELECT ?c ?label WHERE { ?c a kg:Country ; rdfs:label ?label }"


def conflicts(store: Store) -> list[Conflict]:
    """Each disagreement between articles: an official's country, an event's date, with the
    sentences on every side. The knowledge graph keeps the value most reports give."""
    resolution = compute(store)
    names = {str(c): str(label) for c, label in store.query(_COUNTRY_LABELS).rows}
    found: list[Conflict] = []
    for person in resolution.people:
        if len(person.countries) < 2 or person.country is None:
            continue
        said = _sentences(store, [m.iri for m in person.members], KG.represents)
        sides = [Side(code, names.get(_COUNTRY_NS + code, code), n, said.get(_COUNTRY_NS + code, []))
                 for code, n in sorted(person.countries.items(), key=lambda kv: (-kv[1], kv[0]))]
        found.append(Conflict("country", person.iri, person.label, person.country, sides))
    for event in resolution.events:
        # a partial date that contains the kept one agrees with it
        differing = {d for d in event.dates if event.date is None or not event.date.startswith(d)}
        if not differing or event.date is None:
            continue
        said = _sentences(store, [d.iri for d in event.members], KG.date)
        by_value: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for value, sentences in said.items():
            by_value[value] += sentences
        values = sorted(event.dates.items(), key=lambda kv: (-kv[1], kv[0]))
        label = next((d.name for d in event.members if d.name), event.members[0].label)
        found.append(Conflict("date", event.iri, label, event.date,
                              [Side(v, v, n, by_value.get(v, [])) for v, n in values]))
    return found


def _sentences(store: Store, subjects: list[str], predicate: URIRef) -> dict[str, list[tuple[str, str]]]:
    query = _SENTENCES.format(subjects=" ".join(f"<{s}>" for s in sorted(set(subjects))), predicate=f"<{predicate}>")
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _, value, quote, source in store.query(query).rows:
        entry = (str(quote), "" if source is None else str(source))
        if entry not in out[str(value)]:
            out[str(value)].append(entry)
    return out


def conflicts_text(store: Store) -> str:
    """`kg conflicts` and `\\conflicts`: each disagreement, the kept value first."""
    from kg.ontology import shorten

    found = conflicts(store)
    if not found:
        return "no conflicts: the articles agree on every official's country and every event's date"
    lines: list[str] = []
    for c in found:
        what = "official" if c.kind == "country" else "event"
        lines.append(f"{what} {c.label} ({shorten(c.entity)}): {c.kind}")
        for side in c.sides:
            kept = "kept, " if side.value == c.kept else ""
            lines.append(f"  {side.label} ({kept}{side.reports} report{'s' if side.reports != 1 else ''})")
            for quote, source in side.sentences[:3]:
                where = f" — {source.rsplit('/', 1)[-1]}" if source else ""
                lines.append(f"    \"{' '.join(quote.split())}\"{where}")
    return "\n".join(lines)


__all__ = ["Conflict", "Side", "conflicts", "conflicts_text", "is_resolved", "resolve_if_needed", "Event", "Person", "Resolution", "ResolveReport", "compute", "name_key", "read_reports", "resolve",
           "resolve_events", "resolve_people", "resolve_posts", "triples"]
