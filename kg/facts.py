"""What the extractor finds in one article, before it becomes RDF: the middle of
text -> mentions -> facts -> triples."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.dates import PartialDate


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, by character offsets into `Article.text`."""

    start: int
    end: int
    quote: str
    confidence: float = 0.8
    rule: str = ""  # the id of the extraction rule that read the fact ("dialogues.meet-verb")


@dataclass
class Post:
    title: str
    country: str | None
    evidence: Evidence
    organization: str | None = None


@dataclass
class Official:
    key: str  # stable across articles: folded first and last name
    name: str
    country: str | None = None
    posts: list[Post] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    country_evidence: Evidence | None = None


@dataclass(frozen=True)
class PlaceRef:
    name: str
    country: str | None
    geonameid: int | None = None
    kind: str = "city"  # city, country, venue


@dataclass
class Dialogue:
    label: str
    type: str
    participants: list[str] = field(default_factory=list)  # Official keys
    countries: set[str] = field(default_factory=set)
    places: list[PlaceRef] = field(default_factory=list)
    date: PartialDate | None = None
    status: str = "held"
    named: bool = False
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class TreatyEvent:
    type: str
    date: PartialDate | None
    actor: str | None
    evidence: Evidence


@dataclass
class Treaty:
    key: str
    label: str
    parties: set[str] = field(default_factory=set)
    events: list[TreatyEvent] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Policy:
    label: str
    country: str | None
    date: PartialDate | None
    action: str
    evidence: Evidence


@dataclass
class ArticleFacts:
    officials: dict[str, Official] = field(default_factory=dict)
    dialogues: list[Dialogue] = field(default_factory=list)
    treaties: list[Treaty] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    countries: dict[str, int] = field(default_factory=dict)  # code -> mentions
