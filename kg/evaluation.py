"""`kg eval`: how close the graph built from a set of articles comes to the facts a careful reader
takes from them (a *gold file*, see docs/gold.md).

The articles are built into a store (a fresh temporary one unless a store is given), the five saved
queries behind the fact kinds are run on it, and their rows are matched to the gold items:

    officials                       officials                        name, title, country
    officials-who-met-counterparts  officials-who-met-counterparts   name, counterpart, place, date
    dialogues                       dialogues                        dialogue, date, place, participant
    treaties                        treaties                         treaty, party, event, date
    policies                        policies                         policy, country, date

A predicted item either matches a gold item (a hit), matches none (an extra), or is a second
find of a gold item already found or of an optional one (not counted). A gold item no predicted
item matches is a miss, unless it is optional. Once an item is matched, its remaining details
(a title, a date, a place, a participant, a party, an event) are checked one by one and counted
as attributes, apart from precision and recall.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, ValidationError
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from kg.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, KgError, UsageError
from kg.ontology import KGID, shorten
from kg.store import Store

# --- the gold file --------------------------------------------------------------------------------


class GoldError(KgError):
    """A gold file that cannot be read or does not follow the format: one line naming the file."""

    exit_code = EXIT_USAGE


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as e:
        raise ValueError(f"not a regular expression ({e})") from None
    return value


def _date_prefix(value: str) -> str:
    if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(f"'{value}' is not a date prefix (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Regex = Annotated[str, AfterValidator(_regex)]
DatePrefix = Annotated[str, AfterValidator(_date_prefix)]
Name = Annotated[str, AfterValidator(_nonblank)]
Pattern = Annotated[str, AfterValidator(_nonblank), AfterValidator(_regex)]


class _Strict(BaseModel):
    # A misspelt key ("particpants") would otherwise be ignored silently and change the score.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class GoldOfficial(_Strict):
    name: Name
    country: Name  # ISO 3166 alpha-3 code (or a code the file adds under "countries")
    title: Regex = ""


class GoldMeeting(_Strict):
    a: Name
    b: Name
    place: Regex = ""
    date: DatePrefix = ""


class GoldDialogue(_Strict):
    name: Pattern
    date: DatePrefix = ""
    place: Regex = ""
    participants: list[Name] = []
    optional: StrictBool = False


class GoldTreatyEvent(_Strict):
    event: Regex = ""
    date: DatePrefix = ""


class GoldTreaty(_Strict):
    name: Pattern
    parties: list[Name] = []
    events: list[GoldTreatyEvent] = []
    optional: StrictBool = False
    also_in: Literal["policies"] | None = None


class GoldPolicy(_Strict):
    name: Pattern
    country: str = ""
    date: DatePrefix = ""
    optional: StrictBool = False


class Gold(_Strict):
    corpus: str = ""
    about: str = ""
    articles: list[Name] | None = None  # file names of the articles the facts come from
    countries: dict[str, list[str]] = {}  # more names for a country code, beyond the store's own labels
    officials: list[GoldOfficial] = []
    meetings: list[GoldMeeting] = []
    dialogues: list[GoldDialogue] = []
    treaties: list[GoldTreaty] = []
    policies: list[GoldPolicy] = []


def load_gold(path: str | Path) -> Gold:
    """The gold file at `path`, checked against the format; any fault is a GoldError naming the file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GoldError(f"{name}: not UTF-8 text") from None
    except OSError as e:
        raise GoldError(f"{name}: cannot read it ({(e.strerror or str(e)).lower()})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GoldError(f"{name}:{e.lineno}:{e.colno}: not JSON: {e.msg}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{name}: a gold file is a JSON object (with officials, meetings, dialogues, ...)")
    try:
        return Gold.model_validate(data)
    except ValidationError as e:
        raise GoldError(f"{name}: {_first_problem(e)}") from None


def _first_problem(error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "required key missing"
    more = len(problems) - 1
    more_text = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where or 'top level'}: {message[0].lower() + message[1:]}{more_text}"


# --- comparing texts, names, countries and dates --------------------------------------------------

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t",
                               "æ": "ae", "œ": "oe", "þ": "th", "ŋ": "n"})
_GENERATION_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def plain(text: str) -> str:
    """Lower case without accents, every run of punctuation and space made one space."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_UNDECOMPOSED)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def fits(pattern: str, value: str) -> bool:
    """A gold regex found in the value as written (lower-cased) or in its plain form; no regex fits all."""
    if not pattern:
        return True
    return re.search(pattern, plain(value)) is not None or re.search(pattern, value.lower()) is not None


def date_fits(prefix: str, value: str) -> bool:
    return not prefix or value.strip().startswith(prefix)


def _name_words(name: str) -> list[str]:
    words = plain(name).split()
    while len(words) > 1 and words[-1] in _GENERATION_SUFFIXES:
        words.pop()
    return words


def same_person(predicted: str, gold: str) -> bool:
    """First and last name agree in either order (family name first or last); middle names do not
    count. A gold name of one word is a surname or given name: the predicted name's first or last."""
    have, want = _name_words(predicted), _name_words(gold)
    if not have or not want:
        return False
    if len(want) == 1:
        return want[0] in (have[0], have[-1])
    ends = {(have[0], have[-1]), (have[-1], have[0])}
    return (want[0], want[-1]) in ends or Counter(have) == Counter(want)


@dataclass(frozen=True)
class Countries:
    """Country labels as codes: the store's own labels (each kg:Country has its kg:isoCode), then
    the gold file's extra names."""

    by_label: dict[str, str]
    by_alias: dict[str, str]

    def code(self, label: str) -> str:
        label = label.strip()
        if label in self.by_label:
            return self.by_label[label]
        key = plain(label).removeprefix("the ")
        if key in self.by_alias:
            return self.by_alias[key]
        if re.fullmatch(r"[A-Z]{3}", label):
            return label
        return key

    def codes(self, labels: Iterable[str]) -> set[str]:
        return {self.code(x) for x in labels}


def _aliases(gold: Gold) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, names in gold.countries.items():
        out[code.lower()] = code
        for n in names:
            out[plain(n).removeprefix("the ")] = code
    return out


# --- what the graph holds -------------------------------------------------------------------------

# The saved query behind each fact kind and the columns the matcher reads from it.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "officials": ("officials", ("name", "title", "country")),
    "officials-who-met-counterparts": ("officials-who-met-counterparts",
                                       ("name", "country", "counterpart", "counterpartCountry", "place", "date")),
    "dialogues": ("dialogues", ("dialogue", "date", "place", "participant")),
    "treaties": ("treaties", ("treaty", "party", "event", "date")),
    "policies": ("policies", ("policy", "country", "date")),
}

Row = dict[str, str]

COUNTRY_CODES_QUERY = "SELECT DISTINCT ?label ?code WHERE { ?c a kg:Country ; rdfs:label ?label ; kg:isoCode ?code }"


@dataclass
class Predictions:
    """The rows of the saved queries, as text (the values a CSV export holds)."""

    rows: dict[str, list[Row]]
    country_codes: dict[str, str]


def read_predictions(store: Store) -> Predictions:
    from kg import saved
    from kg.results import term_csv

    rows: dict[str, list[Row]] = {}
    for kind, (query_name, columns) in KINDS.items():
        result = store.query(saved.bind(saved.get(query_name), {}))
        lacking = [c for c in columns if c not in result.vars]
        if lacking:
            raise UsageError(f"saved query '{query_name}' lacks the column(s) {', '.join(lacking)} "
                             f"that kg eval reads (it gives: {', '.join(result.vars)})")
        rows[kind] = [{v: term_csv(t) for v, t in zip(result.vars, row)} for row in result.rows]
    codes = {str(label): str(code) for label, code in store.query(COUNTRY_CODES_QUERY).rows
             if label is not None and code is not None}
    return Predictions(rows, codes)


# --- scoring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A miss, an extra or a wrong attribute, for `-v`. An extra keeps what finds its evidence."""

    what: Literal["missed", "extra", "wrong"]
    text: str
    labels: tuple[str, ...] = ()  # an extra's label(s) in the graph: one name, a pair, or an item's label


@dataclass
class Tally:
    kind: str
    hits: int = 0
    extras: int = 0
    misses: int = 0
    attributes_right: int = 0
    attributes_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    def attribute(self, right: bool, what: str) -> None:
        self.attributes_checked += 1
        self.attributes_right += right
        if not right:
            self.findings.append(Finding("wrong", what))

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.extras) if self.hits + self.extras else 0.0

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Tally) -> Tally:
        self.hits += other.hits
        self.extras += other.extras
        self.misses += other.misses
        self.attributes_right += other.attributes_right
        self.attributes_checked += other.attributes_checked
        return self


def _groups(rows: Sequence[Row], key: Callable[[Row], object]) -> dict[object, list[Row]]:
    """Rows grouped by a key, in the order the key first appears; rows without one are dropped."""
    out: dict[object, list[Row]] = {}
    for row in rows:
        k = key(row)
        if k:
            out.setdefault(k, []).append(row)
    return out


def score_officials(rows: Sequence[Row], gold: Sequence[GoldOfficial], countries: Countries) -> Tally:
    """One predicted official per name; it is a hit when its name is a gold official's and one of
    the countries it is reported with is that official's."""
    tally = Tally("officials")
    found: set[int] = set()
    for name, group in _groups(rows, lambda r: r.get("name", "").strip()).items():
        assert isinstance(name, str)
        index = next((i for i, g in enumerate(gold) if same_person(name, g.name)), None)
        reported = countries.codes(r.get("country", "") for r in group)
        if index is None or index in found or gold[index].country not in reported:
            why = ("not in gold" if index is None else "found twice" if index in found
                   else f"serving {', '.join(sorted(reported)) or 'no country'}, not {gold[index].country}")
            tally.extras += 1
            tally.findings.append(Finding("extra", f"official {name} ({why})", (name,)))
            continue
        found.add(index)
        tally.hits += 1
        titles = [r.get("title", "") for r in group]
        tally.attribute(any(fits(gold[index].title, t) for t in titles), f"title of {name}: {titles}")
    for i, g in enumerate(gold):
        if i not in found:
            tally.misses += 1
            tally.findings.append(Finding("missed", f"official {g.name} ({g.country})"))
    return tally


def score_meetings(rows: Sequence[Row], gold: Sequence[GoldMeeting]) -> Tally:
    """One predicted meeting per unordered pair of names; a hit when both people are a gold pair's."""
    tally = Tally("officials-who-met-counterparts")
    found: set[int] = set()

    def pair(row: Row) -> frozenset[str] | None:
        a, b = row.get("name", "").strip(), row.get("counterpart", "").strip()
        return frozenset((a, b)) if a and b else None

    for key, group in _groups(rows, pair).items():
        assert isinstance(key, frozenset)
        names = sorted(key)
        index = None
        if len(names) == 2:
            x, y = names
            index = next((i for i, g in enumerate(gold)
                          if (same_person(x, g.a) and same_person(y, g.b))
                          or (same_person(y, g.a) and same_person(x, g.b))), None)
        if index is None or index in found:
            tally.extras += 1
            tally.findings.append(Finding("extra", f"meeting {' & '.join(names)}", tuple(names)))
            continue
        found.add(index)
        tally.hits += 1
        g = gold[index]
        if g.place:
            places = [r.get("place", "") for r in group]
            tally.attribute(any(fits(g.place, p) for p in places), f"place of {' & '.join(names)}: {places}")
        if g.date:
            dates = [r.get("date", "") for r in group]
            tally.attribute(any(date_fits(g.date, d) for d in dates), f"date of {' & '.join(names)}: {dates}")
    for i, g in enumerate(gold):
        if i not in found:
            tally.misses += 1
            tally.findings.append(Finding("missed", f"meeting {g.a} & {g.b}"))
    return tally


@dataclass(frozen=True)
class _Target:
    """A gold dialogue, treaty or policy, as the matcher sees it."""

    name: str
    optional: bool = False
    place: str = ""
    date: str = ""
    participants: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    events: tuple[GoldTreatyEvent, ...] = ()
    country: str = ""
    either: bool = False  # a treaty that may as well be reported as a policy (counted in treaties)


def _dialogue_target(g: GoldDialogue) -> _Target:
    return _Target(g.name, g.optional, place=g.place, date=g.date, participants=tuple(g.participants))


def _treaty_target(g: GoldTreaty, either: bool = False) -> _Target:
    return _Target(g.name, g.optional, parties=tuple(g.parties), events=tuple(g.events), either=either)


def _policy_target(g: GoldPolicy) -> _Target:
    return _Target(g.name, g.optional, date=g.date, country=g.country)


@dataclass
class _NamedScore:
    tally: Tally
    found: set[int]


class _NamedKind:
    """Dialogues, treaties and policies: a predicted item is the set of rows with one label."""

    def __init__(self, kind: str, label: str, countries: Countries) -> None:
        self.kind, self.label, self.countries = kind, label, countries
        self.singular = kind[:-3] + "y" if kind.endswith("ies") else kind[:-1]

    def tied(self, t: _Target, rows: list[Row]) -> bool:
        """Beyond its label, what a predicted item must share with a gold one: a policy its
        country, a dialogue its place or one of its people (when the gold item gives them)."""
        if self.kind == "policies" and t.country:
            return t.country in self.countries.codes(r.get("country", "") for r in rows)
        if self.kind == "dialogues" and (t.place or t.participants):
            return (bool(t.place) and any(fits(t.place, r.get("place", "")) for r in rows)) or any(
                same_person(r.get("participant", ""), p) for r in rows for p in t.participants)
        return True

    def closeness(self, t: _Target, rows: list[Row]) -> int:
        """How many of a gold item's place, date, people and parties the predicted item shares."""
        n = int(bool(t.place) and any(fits(t.place, r.get("place", "")) for r in rows))
        n += int(bool(t.date) and any(date_fits(t.date, r.get("date", "")) for r in rows))
        n += sum(any(same_person(r.get("participant", ""), p) for r in rows) for p in t.participants)
        parties = self.countries.codes(r.get("party", "") for r in rows)
        return n + sum(p in parties for p in t.parties)

    def score(self, rows: Sequence[Row], targets: Sequence[_Target]) -> _NamedScore:
        tally = Tally(self.kind)
        found: set[int] = set()
        for label, group in _groups(rows, lambda r: r.get(self.label, "").strip()).items():
            assert isinstance(label, str)
            named = [i for i, t in enumerate(targets) if fits(t.name, label)]
            open_ = [i for i in named if i not in found and self.tied(targets[i], group)]
            if not open_:
                # Only the first gold item the label names decides whether this is an extra: a
                # second find of it, or of an optional item, is neither a hit nor an error.
                if named and (named[0] in found or targets[named[0]].optional):
                    continue
                tally.extras += 1
                tally.findings.append(Finding("extra", f"{self.singular} {label}", (label,)))
                continue
            # Of the gold items it could be, a required one first, then the one it shares most with.
            index = max(open_, key=lambda i: (not targets[i].optional, self.closeness(targets[i], group)))
            found.add(index)
            if targets[index].optional:
                continue
            tally.hits += 1
            self.attributes(tally, targets[index], label, group)
        for i, t in enumerate(targets):
            if i not in found and not t.optional and not t.either:
                tally.misses += 1
                tally.findings.append(Finding("missed", f"{self.singular} /{t.name}/"))
        return _NamedScore(tally, found)

    def attributes(self, tally: Tally, t: _Target, label: str, rows: list[Row]) -> None:
        def values(column: str) -> list[str]:
            return sorted({r.get(column, "") for r in rows})

        if t.date:
            tally.attribute(any(date_fits(t.date, d) for d in values("date")), f"date of {label}: {values('date')}")
        if t.place:
            tally.attribute(any(fits(t.place, p) for p in values("place")), f"place of {label}: {values('place')}")
        for person in t.participants:
            tally.attribute(any(same_person(p, person) for p in values("participant")),
                            f"participant {person} of {label}")
        if self.kind == "treaties":
            parties = self.countries.codes(values("party"))
            for code in t.parties:
                tally.attribute(code in parties, f"party {code} of {label}: {sorted(parties)}")
            for ev in t.events:
                tally.attribute(
                    any(fits(ev.event, r.get("event", "")) and date_fits(ev.date, r.get("date", "")) for r in rows),
                    f"event /{ev.event}/ {ev.date} of {label}: "
                    f"{sorted({(r.get('event', ''), r.get('date', '')) for r in rows})}")


@dataclass
class Scorecard:
    corpus: str
    articles: int
    tallies: list[Tally]

    @property
    def overall(self) -> Tally:
        total = Tally("overall")
        for t in self.tallies:
            total += t
        return total


def score(gold: Gold, predictions: Predictions, articles: int = 0) -> Scorecard:
    """Match the predicted rows to the gold items, kind by kind."""
    countries = Countries(predictions.country_codes, _aliases(gold))
    rows = predictions.rows
    officials = score_officials(rows["officials"], gold.officials, countries)
    meetings = score_meetings(rows["officials-who-met-counterparts"], gold.meetings)
    dialogues = _NamedKind("dialogues", "dialogue", countries).score(
        rows["dialogues"], [_dialogue_target(g) for g in gold.dialogues])
    treaties = _NamedKind("treaties", "treaty", countries).score(
        rows["treaties"], [_treaty_target(g) for g in gold.treaties])
    # A required treaty marked also_in policies may be found either way; it is scored once, as a
    # treaty: found as a policy only, it is a hit of the treaties; found both ways, the policy is
    # not counted again.
    either = [g for g in gold.treaties if g.also_in == "policies" and not g.optional]
    policy_targets = [_policy_target(g) for g in gold.policies] + [_treaty_target(g, either=True) for g in either]
    policies = _NamedKind("policies", "policy", countries).score(rows["policies"], policy_targets)
    first_either = len(gold.policies)
    treaty_index = {id(g): i for i, g in enumerate(gold.treaties)}
    for n, g in enumerate(either):
        as_treaty = treaty_index[id(g)] in treaties.found
        as_policy = first_either + n in policies.found
        if as_policy and not as_treaty:
            treaties.tally.misses -= 1
            treaties.tally.findings.remove(Finding("missed", f"treaty /{g.name}/"))
        elif as_policy and as_treaty:
            policies.tally.hits -= 1
    tallies = [officials, meetings, dialogues.tally, treaties.tally, policies.tally]
    return Scorecard(gold.corpus, articles, tallies)


# --- the rule behind an extra ---------------------------------------------------------------------

_CLASS_OF = {"officials": "kg:Official", "dialogues": "kg:Dialogue", "treaties": "kg:Treaty",
             "policies": "kg:Policy"}

# Evidence rows: what the fact says (predicate, object), the rule, the sentence and where it is.
# The statements about ?x in the article graphs, each with its rule, sentence, file and offset.
_EVIDENCE_BLOCK = """
  GRAPH ?article {{
    ?ev a kg:Evidence ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?o ; kg:quote ?quote ;
        prov:wasDerivedFrom ?article .
    OPTIONAL {{ ?ev kg:rule ?rule }}
    OPTIONAL {{ ?ev kg:startOffset ?start }}
    OPTIONAL {{ ?article kg:sourcePath ?source }}
  }}
"""

# The evidence is in the article graphs; the default graph (the knowledge graph) has the entities.
_EVIDENCE_OF_ENTITY = """
SELECT DISTINCT ?p ?o ?rule ?quote ?source ?start WHERE {{
  VALUES ?label {{ {label} }}
  ?x a {cls} ; rdfs:label ?label .
""" + _EVIDENCE_BLOCK + """}} ORDER BY ?source ?start
"""

# The dialogue that makes two officials counterparts: the evidence for each of them taking part.
_EVIDENCE_OF_MEETING = """
SELECT DISTINCT ?p ?o ?rule ?quote ?source ?start WHERE {{
  VALUES (?la ?lb) {{ ({a} {b}) }}
  ?a a kg:Official ; rdfs:label ?la . ?b a kg:Official ; rdfs:label ?lb .
  ?x a kg:Dialogue ; kg:participant ?a, ?b .
""" + _EVIDENCE_BLOCK + """  FILTER(?p = kg:participant && ?o IN (?a, ?b))
}} ORDER BY ?source ?start
"""

# At most this many statements of an extra are shown, each with its first sentence.
MAX_EVIDENCE_SHOWN = 3


@dataclass(frozen=True)
class Provenance:
    """One statement behind an extra: the rule(s) that made it (none recorded by older builds),
    the first sentence it was read from and that sentence's article."""

    statement: str  # the predicate and object, e.g. "kg:represents kgid:country/MLT"
    rules: tuple[str, ...]
    quote: str
    source: str


def _short(term: object) -> str:
    """An object as a reader finds it: an instance by its path (country/MLT), a literal as text."""
    text = str(term)
    if not isinstance(term, URIRef):
        return text
    return text[len(str(KGID)):] if text.startswith(str(KGID)) else shorten(text)


def provenance(store: Store, kind: str, finding: Finding) -> list[Provenance]:
    """The evidence behind an extra: for each statement of its fact, its rule and first sentence."""
    literals = [RdfLiteral(x).n3() for x in finding.labels]
    if kind == "officials-who-met-counterparts" and len(literals) == 2:
        query = _EVIDENCE_OF_MEETING.format(a=literals[0], b=literals[1])
    elif kind in _CLASS_OF and literals:
        query = _EVIDENCE_OF_ENTITY.format(label=literals[0], cls=_CLASS_OF[kind])
    else:
        return []
    statements: dict[str, list[tuple[str | None, str, str]]] = {}
    for p, o, rule, quote, source, _ in store.query(query).rows:
        said = f"{shorten(str(p))} {_short(o)}"
        statements.setdefault(said, []).append(
            (None if rule is None else str(rule), str(quote), "" if source is None else Path(str(source)).name))
    shown: list[Provenance] = []
    for said, seen in statements.items():
        _, first_quote, first_source = seen[0]
        rules = tuple(dict.fromkeys(r for r, q, src in seen if r is not None and (q, src) == (first_quote, first_source)))
        shown.append(Provenance(said, rules, first_quote, first_source))
    return shown[:MAX_EVIDENCE_SHOWN]


# --- running it -----------------------------------------------------------------------------------


def gold_article_paths(gold: Gold, gold_name: str, paths: Sequence[str]) -> list[str]:
    """The articles to build: those the gold file lists, found among the files under `paths`
    (by file name, or by path relative to a folder given); every file when it lists none."""
    from kg.articles import article_paths

    files: list[str] = []
    for path, error in article_paths(list(paths)):
        if path == "-":
            raise UsageError("kg eval reads articles from files, not from standard input")
        if error is not None:
            raise UsageError(f"{path}: {error}")
        files.append(path)
    if gold.articles is None:
        return files
    chosen: list[str] = []
    for wanted in gold.articles:
        tail = "/" + wanted.removeprefix("./")
        match = next((f for f in files if f == wanted or ("/" + f.replace("\\", "/")).endswith(tail)), None)
        if match is None:
            raise UsageError(f"{gold_name} lists the article {wanted}, which is not among "
                             f"{', '.join(paths)}")
        chosen.append(match)
    return chosen


@dataclass
class Evaluation:
    scorecard: Scorecard
    failed: list[tuple[str, str]]
    provenance: dict[Finding, list[Provenance]]
    other_articles: int  # articles in a given store beyond the ones scored


_ARTICLES_QUERY = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a kg:Article } }"


def evaluate(gold_path: str, paths: Sequence[str], *, store: str | None = None, jobs: int = 1,
             model: str | None = None, explain_extras: bool = False,
             on_failure: Callable[[str, str], None] | None = None) -> Evaluation:
    """Build the gold file's articles found under `paths` (into `store`, else a temporary store)
    and score the graph. With a store and no paths, the store is scored as it is."""
    from kg.build import build_paths
    from kg.store import open_store

    gold = load_gold(gold_path)
    if not paths and not store:
        raise UsageError("give the articles to build and score, or --store S to score a store as it is")
    articles = gold_article_paths(gold, gold_path, paths) if paths else []
    if paths and not articles:
        raise UsageError(f"no articles to score under {', '.join(paths)}")
    failed: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as scratch:
        location = store or str(Path(scratch) / "store")
        if articles:
            failed = build_paths(location, articles, jobs=jobs, model=model, on_failure=on_failure).failed
        with open_store(location, read_only=True) as db:
            stored = db.query(_ARTICLES_QUERY).rows
            in_store = int(str(stored[0][0])) if stored and stored[0][0] is not None else 0
            card = score(gold, read_predictions(db), len(articles) if articles else in_store)
            explained: dict[Finding, list[Provenance]] = {}
            if explain_extras:
                for tally in card.tallies:
                    for f in tally.findings:
                        if f.what == "extra":
                            explained[f] = provenance(db, tally.kind, f)
    others = max(0, in_store - (len(articles) - len(failed))) if articles else 0
    return Evaluation(card, failed, explained, others)


def format_scorecard(card: Scorecard) -> str:
    head = f"{'kind':32s} {'P':>5s} {'R':>5s} {'F1':>5s} {'hits':>5s} {'extra':>5s} {'miss':>5s}  attributes"
    lines = [head]
    for t in [*card.tallies, card.overall]:
        attrs = (f"{t.attributes_right}/{t.attributes_checked} ({t.attributes_right / t.attributes_checked:.0%})"
                 if t.attributes_checked else "-")
        lines.append(f"{t.kind:32s} {t.precision:5.2f} {t.recall:5.2f} {t.f1:5.2f} "
                     f"{t.hits:5d} {t.extras:5d} {t.misses:5d}  {attrs}")
    total = card.overall
    name = card.corpus or "corpus"
    lines.append(f"{name}: F1 {total.f1:.2f} (P {total.precision:.2f}, R {total.recall:.2f}), "
                 f"attributes {total.attributes_right}/{total.attributes_checked}, {card.articles} articles")
    return "\n".join(lines)


def format_findings(evaluation: Evaluation) -> str:
    lines: list[str] = []
    for tally in evaluation.scorecard.tallies:
        if not tally.findings:
            continue
        lines.append(f"{tally.kind}:")
        for f in tally.findings:
            lines.append(f"  {f.what} {f.text}")
            if f.what != "extra" or f not in evaluation.provenance:
                continue
            shown = evaluation.provenance[f]
            if not shown:
                lines.append("      (no evidence recorded)")
            for why in shown:
                rule = f"rule {', '.join(why.rules)}" if why.rules else "rule not recorded"
                quote = why.quote if len(why.quote) <= 100 else why.quote[:97] + "..."
                lines.append(f"      {why.statement}: {rule}; {why.source}: \"{quote}\"")
    return "\n".join(lines)


def run_eval(gold_path: str, paths: Sequence[str], *, store: str | None = None, jobs: int = 1,
             model: str | None = None, verbose: bool = False, min_f1: float = 0.0) -> int:
    """`kg eval`: print the scores (and with `verbose` each miss, extra and wrong attribute).
    Exit 0; 1 when articles failed to build or F1 is below `min_f1`; 2 for a bad gold file."""
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")

    def failed(path: str, why: str) -> None:
        from kg.articles import display_path

        print(f"kg: {display_path(path)}: {why}", file=sys.stderr, flush=True)

    result = evaluate(gold_path, paths, store=store, jobs=jobs, model=model, explain_extras=verbose,
                      on_failure=failed)
    if verbose:
        findings = format_findings(result)
        if findings:
            print(findings)
    print(format_scorecard(result.scorecard))
    if result.other_articles:
        print(f"kg: note: the store also holds {result.other_articles} other article(s), whose facts were "
              "scored too", file=sys.stderr)
    if result.failed:
        print(f"kg: {len(result.failed)} article(s) failed to build (listed above) and count as missing",
              file=sys.stderr)
        return EXIT_FAILURE
    if result.scorecard.overall.f1 < min_f1:
        print(f"kg: F1 {result.scorecard.overall.f1:.2f} is below --min-f1 {min_f1:.2f}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
