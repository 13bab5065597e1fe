"""From facts to triples: one named graph per article, in the ontology's terms.

IRIs are minted from what identifies a thing across articles (a country's ISO code, a person's
first and last name, a place's GeoNames id, a treaty's name), so the same official read in two
articles is one node. Each fact gets a kg:Evidence node with its sentence and offsets.

Two destinations: the article's own graph holds the article's description, every fact it states,
what it mentions (kg:mentionedIn) and the evidence for each fact; the knowledge graph (the default
graph of queries) gets all of that but the evidence, and what the entities *are* (class, label, ISO
code, a place's country), each triple once for the whole store however many articles state it.
The evidence (sentences and offsets) stays in the article graphs only.

Officials, their posts and dialogues are *reported*: the article's graph holds them as the article
tells them (under IRIs of this article's reading), and `kg.resolve` writes the knowledge graph's
one node per person, post and event from every article's report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib import namespace as _ns

from kg import ontology
from kg.articles import Article
from kg.dates import PartialDate
from kg.extractor_version import extractor_version
from kg.facts import ArticleFacts, Evidence, PlaceRef
from kg.gazetteer import fold, gazetteer
from kg.ontology import KGID
from kg.store import ArticleGraph, Triple

# one of an article graph's writers (both graphs, the knowledge graph only, the article's graph only)
_Writer = Callable[[URIRef, URIRef, URIRef | Literal], None]

class _Terms:
    """A namespace whose terms are made once: rdflib builds and checks a new URIRef on every
    lookup, which was a third of the mapping's time."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(str(self._namespace[name]))
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


KG, RDF, RDFS, PROV, XSD, DCTERMS = (_Terms(n) for n in (ontology.KG, _ns.RDF, _ns.RDFS, _ns.PROV, _ns.XSD,
                                                         _ns.DCTERMS))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80] or "x"


def article_iri(content_hash: str) -> URIRef:
    """The article's graph, named after its content (the SHA-256 of its bytes): the same article
    keeps its identity when its file is moved or renamed, and two articles read from standard input
    never share one. A changed file is a new article that replaces the graph of its old version."""
    return KGID[f"article/{content_hash[:16]}"]


def country_iri(code: str) -> URIRef:
    return KGID[f"country/{code}"]


def person_iri(key: str) -> URIRef:
    return KGID[f"person/{slug(key)}"]


def place_iri(place: PlaceRef) -> URIRef:
    if place.kind == "country" and place.country:
        return country_iri(place.country)
    if place.geonameid:
        return KGID[f"place/{place.geonameid}"]
    return KGID[f"place/{slug(place.name)}"]


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.iso(), datatype=XSD[date.xsd])


class _Graph:
    def __init__(self, article: Article) -> None:
        self.facts: list[Triple] = []  # in the article's graph and the knowledge graph
        self.evidence_triples: list[Triple] = []  # in the article's graph
        self.descriptions: list[Triple] = []  # in the knowledge graph
        self.reported: list[Triple] = []  # in the article's graph; kg.resolve writes the knowledge graph's
        self.article = article
        self.graph = article_iri(article.content_hash)
        self._n = 0
        self._typed: set[URIRef] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """What the article states or names: in its graph and in the knowledge graph."""
        self.facts.append((s, p, o))

    def provenance(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """The evidence for a fact (its sentence, offsets, confidence): the article's graph only."""
        self.evidence_triples.append((s, p, o))

    def describe(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """What an entity is: in the knowledge graph only, the same for every article."""
        self.descriptions.append((s, p, o))

    def entity(self, iri: URIRef, cls: URIRef, label: str) -> bool:
        """Describe a shared entity once per article; True the first time."""
        return self._first_mention(iri, cls, label, write=self.describe, mention=self.add)

    def report(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """What the article says of an official, a post or a dialogue: its own graph only."""
        self.reported.append((s, p, o))

    def reported_entity(self, iri: URIRef, cls: URIRef, label: str) -> bool:
        """An official, post or dialogue as this article reports it; True the first time."""
        return self._first_mention(iri, cls, label, write=self.report, mention=self.report)

    def _first_mention(self, iri: URIRef, cls: URIRef, label: str, *, write: _Writer, mention: _Writer) -> bool:
        """Its class and label, and that this article mentions it: once per article."""
        if iri in self._typed:
            return False
        self._typed.add(iri)
        write(iri, RDF.type, cls)
        write(iri, RDFS.label, Literal(label))
        mention(iri, KG.mentionedIn, self.graph)
        return True

    def reported_fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, ev: Evidence | None) -> None:
        self.report(s, p, o)
        if ev is not None:
            self.evidence(s, p, o, ev)

    def evidence(self, s: URIRef, p: URIRef, o: URIRef | Literal, ev: Evidence) -> None:
        self._n += 1
        node = KGID[f"evidence/{self.graph.split('/')[-1]}-{self._n}"]
        self.provenance(node, RDF.type, KG.Evidence)
        self.provenance(node, RDF.subject, s)
        self.provenance(node, RDF.predicate, p)
        self.provenance(node, RDF.object, o)
        self.provenance(node, KG.quote, Literal(ev.quote))
        self.provenance(node, KG.startOffset, Literal(ev.start))
        self.provenance(node, KG.endOffset, Literal(ev.end))
        self.provenance(node, KG.confidence, Literal(Decimal(f"{ev.confidence:.2f}"), datatype=XSD.decimal))
        if ev.rule:  # the extraction rule that read the fact: where to look when it is wrong
            self.provenance(node, KG.rule, Literal(ev.rule))
        self.provenance(node, PROV.wasDerivedFrom, self.graph)

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, ev: Evidence | None) -> None:
        self.add(s, p, o)
        if ev is not None:
            self.evidence(s, p, o, ev)

    def country(self, code: str) -> URIRef:
        iri = country_iri(code)
        if self.entity(iri, KG.Country, gazetteer().name(code)):
            self.describe(iri, KG.isoCode, Literal(code))
        return iri

    def place(self, place: PlaceRef) -> URIRef:
        if place.kind == "country" and place.country:
            return self.country(place.country)
        iri = place_iri(place)
        if self.entity(iri, KG.Place, place.name):
            if place.kind == "venue":  # the most specific place an event can have
                self.describe(iri, RDF.type, KG.Venue)
            if place.country:
                self.describe(iri, KG.inCountry, self.country(place.country))
        return iri


def to_triples(article: Article, facts: ArticleFacts) -> ArticleGraph:
    """The article's named graph and its share of the knowledge graph."""
    g = _Graph(article)
    a = g.graph
    g.add(a, RDF.type, KG.Article)
    g.add(a, RDFS.label, Literal(article.title or os.path.basename(article.source)))
    g.add(a, DCTERMS.title, Literal(article.title))
    g.add(a, KG.sourcePath, Literal(article.source))
    g.add(a, DCTERMS.source, Literal(article.source))
    g.add(a, KG.contentHash, Literal(article.content_hash))
    g.add(a, KG.extractorVersion, Literal(extractor_version()))
    if article.date:
        g.add(a, DCTERMS.date, date_literal(article.date))
    if article.author:
        g.add(a, DCTERMS.creator, Literal(article.author))

    for code in facts.countries:
        g.country(code)

    for off in facts.officials.values():
        p = person_iri(off.key)
        g.reported_entity(p, KG.Official, off.name)
        if off.country:
            g.reported_fact(p, KG.represents, g.country(off.country), off.country_evidence)
        seen_posts: set[URIRef] = set()
        for post in off.posts:
            country = post.country or off.country
            piri = KGID[f"post/{slug(off.key)}--{slug(post.title)}--{country or 'x'}"]
            if piri in seen_posts:
                continue
            seen_posts.add(piri)
            title = as_written(post.title, post.evidence.quote)
            g.reported_fact(p, KG.holdsPost, piri, post.evidence)
            g.reported_entity(piri, KG.Post, f"{title} ({off.name})")
            g.report(piri, KG.title, Literal(title))
            if country:
                g.report(piri, KG.postCountry, g.country(country))
            if article.date:  # when this article saw the post held
                g.report(piri, KG.date, date_literal(article.date))

    for n, d in enumerate(facts.dialogues, 1):
        iri = KGID[f"dialogue/{a.split('/')[-1]}-{n}"]
        g.reported_entity(iri, KG.Dialogue, d.label)
        ev = d.evidence[0] if d.evidence else None
        g.report(iri, KG.dialogueType, Literal(d.type))
        g.report(iri, KG.status, Literal(d.status))
        if d.named:  # the event's own name: two reports of one named event share it
            g.report(iri, KG.eventName, Literal(d.label))
        for k in d.participants:
            if k in facts.officials:
                g.report(iri, KG.participant, person_iri(k))
                for e in d.evidence[:3]:  # the sentences that together make the event
                    g.evidence(iri, KG.participant, person_iri(k), e)
        for c in sorted(d.countries):
            g.report(iri, KG.participantCountry, g.country(c))
        for pl in d.places:
            g.reported_fact(iri, KG.place, g.place(pl), _evidence_naming(d.evidence, pl.name) or ev)
        if d.date:
            g.reported_fact(iri, KG.date, date_literal(d.date), ev)

    for t in facts.treaties:
        iri = KGID[f"treaty/{t.key}"]
        g.entity(iri, KG.Treaty, t.label)
        ev = t.evidence[0] if t.evidence else None
        for c in sorted(t.parties):
            g.fact(iri, KG.party, g.country(c), ev)
        for event in t.events:
            date = event.date
            eiri = KGID[f"treaty-event/{t.key}--{slug(event.type)}--{date.iso() if date else 'undated'}"]
            g.fact(iri, KG.hasEvent, eiri, event.evidence)
            if g.entity(eiri, KG.TreatyEvent, f"{t.label} {event.type}" + (f" {date.iso()}" if date else "")):
                g.describe(eiri, KG.eventType, Literal(event.type))
                if date:
                    g.describe(eiri, KG.date, date_literal(date))
            if event.actor:
                g.add(eiri, KG.actor, g.country(event.actor))

    for pol in facts.policies:
        iri = KGID[f"policy/{slug(pol.label)}"]
        g.entity(iri, KG.Policy, pol.label)
        g.add(iri, KG.action, Literal(pol.action))
        if pol.country:
            g.fact(iri, KG.adoptedBy, g.country(pol.country), pol.evidence)
        else:
            g.evidence(iri, RDF.type, KG.Policy, pol.evidence)
        if pol.date:
            g.fact(iri, KG.date, date_literal(pol.date), pol.evidence)
    return ArticleGraph(str(a), g.facts, g.evidence_triples, g.descriptions, reported=g.reported)


def as_written(title: str, quote: str) -> str:
    """A title in the capitalisation of the sentence it was read from ("Secretary of State"): the
    mentions read titles in lower case. Words may be split by other spaces, hyphens or line breaks;
    a title the sentence does not hold word for word stays as it is."""
    words = title.split()
    if not words or not quote:
        return title
    pattern = r"(?<!\w)" + r"[\s\-]+".join(re.escape(w) for w in words)
    found = re.search(pattern, quote, flags=re.IGNORECASE)
    return " ".join(found.group(0).split()) if found else title


def _evidence_naming(evidence: list[Evidence], name: str) -> Evidence | None:
    return next((e for e in evidence if name and name in e.quote), None)
