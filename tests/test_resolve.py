"""Resolution: one node per person, post and event across articles, on the articles' reports
(fast) and end to end on short readouts written for these tests (built with the real pipeline
into a real store): independent of build order, redone on removal, namesakes kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.offices import offices_of, split_title
from kg.resolve import (
    DialogueReport,
    OfficialReport,
    PlaceInfo,
    PostReport,
    Reports,
    name_key,
    resolve_events,
    resolve_people,
    resolve_posts,
)

COUNTRY = "https://w3id.org/kg-news/id/country/"
PERSON = "https://w3id.org/kg-news/id/person/"


def official(article: str, name: str, country: str | None, *titles: str, published: str | None = None,
             from_title: bool = True) -> OfficialReport:
    """One article's official; `from_title`: its country is read from its own title."""
    iri = PERSON + "-".join(name.lower().split())
    posts = [PostReport(f"{iri}--{article}{n}", t, country) for n, t in enumerate(titles)]
    return OfficialReport(f"urn:article:{article}", iri, name, country, published, posts, from_title)


def people_of(reports: list[OfficialReport]) -> dict[str, set[tuple[str, str]]]:
    """Each person's label -> the (article, name) of its reports."""
    people, _ = resolve_people(reports)
    return {p.label + (f" ({p.country})" if p.country else ""): {(m.article[-1], m.name) for m in p.members}
            for p in people}


# --- names and offices ----------------------------------------------------------------------------

def test_middle_initials_and_suffixes_do_not_split_a_name() -> None:
    assert name_key("Antony J. Blinken") == name_key("Antony Blinken") == ("antony", "blinken")
    assert name_key("Gilberto Teodoro Jr.") == name_key("Gilberto Teodoro")
    assert name_key("Zelensky") == name_key("Zelenskyy")
    assert name_key("Albanese") == ("albanese",)


def test_wordings_of_one_office_share_a_canonical_office_per_country_usage() -> None:
    def office(title: str, country: str) -> list[str]:
        return [o.iri.rsplit("/", 1)[-1] for o in offices_of(title, country)]

    # United States usage: the Secretary of Defense is the minister, however it is worded
    assert office("Secretary of Defense", "USA") == office("defense secretary", "USA") \
        == office("defence secretary", "USA") == ["secretary-of-defense"]
    # Commonwealth usage
    assert office("Defence Minister", "AUS") == office("Minister for Defence", "AUS") \
        == office("Minister of Defence", "NZL") == ["defence-minister"]
    # ... where a Secretary of Defence heads the department: another office
    assert office("Secretary of Defence", "NZL") != office("Minister of Defence", "NZL")
    assert office("Prime Minister of Australia", "AUS") == office("Prime Minister", "AUS")
    # combined offices are split; an office with "and" in its name is not
    assert split_title("Deputy Prime Minister and Minister for Defence") == ["Deputy Prime Minister",
                                                                             "Minister for Defence"]
    assert split_title("Minister of Foreign Affairs and Trade") == ["Minister of Foreign Affairs and Trade"]
    assert office("Deputy Prime Minister and Minister of Foreign Affairs", "NZL") == [
        "deputy-head-of-government", "foreign-minister"]
    assert office("Secretary", "USA") == []  # a bare title names no office by itself
    # a deputy to a known office keeps the office's canonical name, however it is worded
    assert office("Deputy Foreign Minister", "ISR") == office("Deputy Minister of Foreign Affairs", "ISR") \
        == ["deputy-foreign-minister"]
    assert office("Deputy Foreign Minister", "ISR") != office("Foreign Minister", "ISR")


def test_qualified_wordings_of_an_office_are_the_office() -> None:
    def office(title: str, country: str) -> list[str]:
        return [o.iri.rsplit("/", 1)[-1] for o in offices_of(title, country)]

    # "of <the post's own country>" anywhere after the office, and the qualifiers that change nothing
    assert office("Secretary of Defense of the Philippines", "PHL") == office("Secretary of National Defense", "PHL") \
        == ["secretary-of-defense"]
    assert office("Minister of Foreign Affairs of the People's Republic of China", "CHN") == ["foreign-minister"]
    assert office("Federal Minister of Defence", "DEU") == office("Minister of National Defence", "CAN") \
        == ["defence-minister"]
    assert office("Union Minister of External Affairs", "IND") == office("Federal Foreign Minister", "DEU") \
        == office("Minister for Foreign Affairs", "AUS") == ["foreign-minister"]
    assert office("Union Home Minister", "IND") == office("Minister of Home Affairs", "IND") \
        == office("Home Secretary", "GBR") == office("Federal Minister of the Interior", "DEU") == ["interior-minister"]
    assert office("Minister for Europe and Foreign Affairs", "FRA") == ["foreign-minister"]
    assert office("Secretary of the Interior", "USA") != ["interior-minister"]
    # a minister's further portfolios name the office first
    assert office("Minister of Foreign Affairs and Trade", "NZL") == office("Minister for Foreign Affairs, Trade", "IRL") \
        == office("Minister of Foreign and Regional Affairs", "TTO") == ["foreign-minister"]
    assert office("Minister of State for Foreign Affairs", "GBR") != ["foreign-minister"]
    # a secretary is the minister in some countries' usage only
    assert office("Foreign Secretary", "GBR") == office("Secretary of Foreign Affairs", "MEX") == ["foreign-minister"]
    assert office("Foreign Secretary", "IND") != ["foreign-minister"]
    assert office("Secretary of Foreign Affairs and Trade", "NZL") != ["foreign-minister"]
    assert office("Defence Secretary", "GBR") == ["defence-minister"]
    assert office("Defence Secretary", "AUS") == office("Secretary of Defence", "AUS") != ["defence-minister"]
    assert office("National Security Adviser", "USA") == ["national-security-adviser"]


# --- people ---------------------------------------------------------------------------------------

def test_a_surname_joins_the_one_full_name_official_of_its_country_and_office() -> None:
    found = people_of([
        official("a", "Anna Berg", "NOR", "Foreign Minister"),
        official("b", "Berg", "NOR", "Minister of Foreign Affairs"),
    ])
    assert found == {"Anna Berg (NOR)": {("a", "Anna Berg"), ("b", "Berg")}}


def test_a_surname_never_guesses_between_two_full_name_officials() -> None:
    found = people_of([
        official("a", "Anna Berg", "NOR", "Foreign Minister"),
        official("b", "Olav Berg", "NOR", "Foreign Minister"),
        official("c", "Berg", "NOR", "Foreign Minister"),
    ])
    assert set(found) == {"Anna Berg (NOR)", "Olav Berg (NOR)", "Berg (NOR)"}


def test_a_surname_of_another_country_or_office_stays_apart() -> None:
    found = people_of([
        official("a", "Anna Berg", "NOR", "Foreign Minister"),
        official("b", "Berg", "SWE", "Foreign Minister"),
        official("c", "Berg", "NOR", "Minister of Defence"),
    ])
    assert found["Anna Berg (NOR)"] == {("a", "Anna Berg")}
    assert len(found) == 3


def test_namesakes_of_different_countries_and_offices_stay_apart() -> None:
    people, _ = resolve_people([
        official("a", "John Smith", "CAN", "Minister of National Defence"),
        official("b", "John Smith", "NZL", "Minister of Foreign Affairs"),
    ])
    assert sorted(p.iri.rsplit("/", 1)[-1] for p in people) == ["john-smith-can", "john-smith-nzl"]
    found = people_of([
        official("a", "John Smith", "CAN", "Minister of National Defence"),
        official("b", "John Smith", "NZL", "Minister of Foreign Affairs"),
        official("c", "John A. Smith", "CAN", "Defence Minister"),
    ])
    # the fuller of two names given as often is the label
    assert found == {"John A. Smith (CAN)": {("a", "John Smith"), ("c", "John A. Smith")},
                     "John Smith (NZL)": {("b", "John Smith")}}


def test_namesakes_whose_titles_name_two_countries_stay_apart_even_in_one_office() -> None:
    people, _ = resolve_people([
        official("a", "John Smith", "CAN", "Foreign Minister"),
        official("b", "John Smith", "AUS", "Foreign Minister"),
    ])
    assert sorted(p.country or "" for p in people) == ["AUS", "CAN"]


def test_one_article_giving_the_wrong_country_is_a_conflict_not_a_second_person() -> None:
    people, _ = resolve_people([
        official("a", "Ken Ito", "JPN", "Prime Minister"),
        official("b", "Ito", "JPN", "Prime Minister"),
        official("c", "Ken Ito", "AUS", "Prime Minister", from_title=False),  # a country the context suggested
    ])
    assert len(people) == 1
    assert people[0].country == "JPN" and people[0].countries == {"JPN": 2, "AUS": 1}


def test_posts_are_one_per_office_titled_as_the_text_writes_them_with_first_and_last_dates() -> None:
    people, _ = resolve_people([
        official("a", "Ana Lopes", "USA", "Secretary of State", published="2024-01-05"),
        official("b", "Ana Lopes", "USA", "secretary of state", "Secretary", published="2024-03-01"),
        official("c", "Ana Lopes", "USA", "Secretary of State", published="2023-11-20"),
    ])
    (person,) = people
    (post,) = resolve_posts(person)
    assert post.title == "Secretary of State"
    assert (min(post.dates), max(post.dates)) == ("2023-11-20", "2024-03-01")


def _posts(*reports: OfficialReport) -> list[tuple[str, str, str, str, int]]:
    """(title, office, first date, last date, reports) of each post of the one person reported."""
    people, _ = resolve_people(list(reports))
    (person,) = people
    return sorted((p.title, p.office.iri.rsplit("/", 1)[-1] if p.office.known else "", min(p.dates, default=""),
             max(p.dates, default=""), len(p.members)) for p in resolve_posts(person))


def test_a_bare_title_is_the_one_full_office_of_its_kind_never_a_post_of_its_own() -> None:
    # another article's bare "Secretary" is the Secretary of State: its date and report go to that post
    assert _posts(official("a", "Ana Lopes", "USA", "Secretary of State", published="2024-01-05"),
                  official("b", "Ana Lopes", "USA", "Secretary", published="2024-03-01")) == [
        ("Secretary of State", "secretary-of-state", "2024-01-05", "2024-03-01", 2)]
    # the office the same article gives comes first
    assert _posts(official("a", "Ana Lopes", "NOR", "Foreign Minister", "the minister", published="2024-01-05"),
                  official("b", "Ana Lopes", "NOR", "Minister of Defence", published="2024-03-01")) == [
        ("Foreign Minister", "foreign-minister", "2024-01-05", "2024-01-05", 2),
        ("Minister of Defence", "defence-minister", "2024-03-01", "2024-03-01", 1)]
    # two offices of its kind elsewhere, or none: it says nothing more (no guess, no post "Minister")
    assert _posts(official("a", "Ana Lopes", "NOR", "Foreign Minister", published="2024-01-05"),
                  official("b", "Ana Lopes", "NOR", "Minister of Defence", published="2024-02-01"),
                  official("c", "Ana Lopes", "NOR", "Minister", published="2024-03-01")) == [
        ("Foreign Minister", "foreign-minister", "2024-01-05", "2024-01-05", 1),
        ("Minister of Defence", "defence-minister", "2024-02-01", "2024-02-01", 1)]
    assert _posts(official("a", "Ana Lopes", "NOR", "Prime Minister", published="2024-01-05"),
                  official("b", "Ana Lopes", "NOR", "Secretary", published="2024-03-01")) == [
        ("Prime Minister", "head-of-government", "2024-01-05", "2024-01-05", 1)]
    # when it is all the articles say, the person is still an official: a minister of their country
    # (the text gives the rank, not the ministry), a post with no canonical office
    assert _posts(official("a", "Ishida", "JPN", "Minister", published="2024-01-05"),
                  official("b", "Ishida", "JPN", "Minister", published="2024-02-05")) == [
        ("Minister", "", "2024-01-05", "2024-02-05", 2)]


# --- events ---------------------------------------------------------------------------------------

def dialogue(article: str, n: int, date: str | None, *people: str, kind: str = "meeting", status: str = "held",
             name: str | None = None, places: tuple[str, ...] = ()) -> DialogueReport:
    return DialogueReport(f"urn:article:{article}", f"urn:article:{article}-d{n}", name or kind, kind, status, name,
                          date, None, {PERSON + p for p in people}, set(), set(places))


def events_of(officials: list[OfficialReport], dialogues: list[DialogueReport],
              places: dict[str, PlaceInfo] | None = None) -> list[set[str]]:
    _, of_report = resolve_people(officials)
    events = resolve_events(Reports(officials, dialogues, places or {}), of_report)
    return sorted(({d.iri.rsplit(":", 1)[-1] for d in e.members} for e in events), key=sorted)


def _pair(article: str) -> list[OfficialReport]:
    return [official(article, "Anna Berg", "NOR", "Foreign Minister"), official(article, "Ken Ito", "JPN", "Foreign Minister")]


def test_two_readouts_of_one_meeting_are_one_event() -> None:
    officials = _pair("a") + _pair("b")
    found = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"),
                                  dialogue("b", 1, "2024-05-02", "anna-berg", "ken-ito", kind="talks")])
    assert found == [{"a-d1", "b-d1"}]


def test_other_days_held_and_planned_and_other_editions_stay_apart() -> None:
    officials = _pair("a") + _pair("b") + _pair("c") + _pair("d")
    found = events_of(officials, [
        dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"),
        dialogue("b", 1, "2024-05-09", "anna-berg", "ken-ito"),
        dialogue("c", 1, "2024-05-02", "anna-berg", "ken-ito", status="planned"),
        dialogue("d", 1, None, "anna-berg", kind="dialogue", name="5th Strategic Dialogue"),
        dialogue("a", 2, None, "anna-berg", kind="dialogue", name="6th Strategic Dialogue"),
    ])
    assert len(found) == 5


def test_a_month_joins_the_one_day_it_contains_and_never_bridges_two() -> None:
    officials = _pair("a") + _pair("b") + _pair("c") + _pair("d")
    one_day = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"),
                                    dialogue("b", 1, "2024-05", "anna-berg", "ken-ito")])
    assert one_day == [{"a-d1", "b-d1"}]
    two_days = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"),
                                     dialogue("c", 1, "2024-05-20", "anna-berg", "ken-ito"),
                                     dialogue("b", 1, "2024-05", "anna-berg", "ken-ito")])
    assert two_days == [{"a-d1"}, {"b-d1"}, {"c-d1"}]


def test_places_in_different_countries_keep_events_apart() -> None:
    officials = _pair("a") + _pair("b")
    oslo, tokyo = "https://w3id.org/kg-news/id/place/1", "https://w3id.org/kg-news/id/place/2"
    places = {oslo: PlaceInfo("NOR", 2), tokyo: PlaceInfo("JPN", 2)}
    found = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito", places=(oslo,)),
                                  dialogue("b", 1, "2024-05-02", "anna-berg", "ken-ito", places=(tokyo,))], places)
    assert len(found) == 2
    same = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito", places=(oslo,)),
                                 dialogue("b", 1, "2024-05-02", "anna-berg", "ken-ito", places=(COUNTRY + "NOR",))],
                     places)
    assert same == [{"a-d1", "b-d1"}]


def test_the_same_named_event_is_one_whatever_its_people() -> None:
    officials = _pair("a") + _pair("b")
    found = events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", kind="dialogue",
                                           name="the Nordic-Japan Strategic Dialogue"),
                                  dialogue("b", 1, "2024-05-03", "ken-ito", kind="dialogue",
                                           name="Nordic-Japan Strategic Dialogue")])
    assert found == [{"a-d1", "b-d1"}]  # a day apart: one event, its date a conflict


def test_a_mention_referring_back_joins_the_one_event_of_its_article_it_fits() -> None:
    officials = _pair("a") + _pair("b")
    oslo = "https://w3id.org/kg-news/id/place/1"
    places = {oslo: PlaceInfo("NOR", 2)}
    named = dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito", kind="dialogue", name="Nordic-Japan Strategic Dialogue",
                     places=(oslo,))
    # "the dialogue" in another paragraph: nothing of its own, or people the event has
    assert events_of(officials, [named, dialogue("a", 2, None, kind="dialogue")], places) == [{"a-d1", "a-d2"}]
    assert events_of(officials, [named, dialogue("a", 2, None, "ken-ito", kind="talks")], places) == [{"a-d1", "a-d2"}]
    # "the meeting" after a meeting with a date but no name
    assert events_of(officials, [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"), dialogue("a", 2, None)]) \
        == [{"a-d1", "a-d2"}]
    # ... and follows it into the event another article reports
    other = dialogue("b", 1, "2024-05-02", "anna-berg", "ken-ito", kind="dialogue", name="Nordic-Japan Strategic Dialogue")
    assert events_of(officials, [named, dialogue("a", 2, None, kind="dialogue"), other], places) \
        == [{"a-d1", "a-d2", "b-d1"}]


def test_a_mention_referring_back_never_guesses_between_two_events_and_keeps_apart_from_what_does_not_fit() -> None:
    officials = _pair("a") + [official("a", "Ola Vik", "NOR", "Defence Minister")]
    named = dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito", kind="dialogue", name="Nordic-Japan Strategic Dialogue")
    second = dialogue("a", 3, "2024-05-03", "anna-berg", "ken-ito")
    assert len(events_of(officials, [named, second, dialogue("a", 2, None, kind="talks")])) == 3
    # someone the event lacks, another status, another kind, another article: its own event
    assert len(events_of(officials, [named, dialogue("a", 2, None, "ola-vik", kind="talks")])) == 2
    assert len(events_of(officials, [named, dialogue("a", 2, None, kind="talks", status="planned")])) == 2
    assert len(events_of(officials, [named, dialogue("a", 2, None, kind="summit")])) == 2
    assert len(events_of(officials + _pair("b"), [named, dialogue("b", 2, None, kind="talks")])) == 2
    # two mentions that refer to nothing with a name, date or place stay what they are
    assert len(events_of(officials, [dialogue("a", 1, None, "anna-berg"), dialogue("a", 2, None, "anna-berg")])) == 2


@pytest.mark.parametrize("order", [0, 1])
def test_the_result_does_not_depend_on_the_order_of_the_reports(order: int) -> None:
    officials = _pair("a") + _pair("b") + [official("c", "Berg", "NOR", "Foreign Minister"),
                                           official("c", "Ken Ito", "JPN", "Foreign Minister")]
    reports = [dialogue("a", 1, "2024-05-02", "anna-berg", "ken-ito"), dialogue("b", 1, "2024-05", "anna-berg", "ken-ito"),
               dialogue("c", 1, "2024-05-02", "berg", "ken-ito")]
    if order:
        officials, reports = officials[::-1], reports[::-1]
    assert events_of(officials, reports) == [{"a-d1", "b-d1", "c-d1"}]
    assert people_of(officials)["Anna Berg (NOR)"] == {("a", "Anna Berg"), ("b", "Anna Berg"), ("c", "Berg")}


# --- end to end: readouts written for these tests, built into a real store --------------------------

SIDE_A = """Prime Minister meets Japanese counterpart

CANBERRA, 4 March 2025 - Australian Prime Minister Tom Harlow met Japanese Prime Minister Kenji Arata
in Canberra on 4 March 2025. The two leaders discussed defence co-operation and trade.
"""

SIDE_B = """Japan-Australia summit meeting

CANBERRA, 4 March 2025 - Japanese Prime Minister Kenji Arata held talks with
Australian Prime Minister Harlow today. Arata said the two countries would deepen their security ties.
"""

NAMESAKE = """Canada and Norway discuss Arctic security

OTTAWA, 10 June 2025 - Canadian Minister of National Defence John Smith met Norway's Defence
Minister Ola Vik in Ottawa on 10 June 2025 to discuss Arctic security.
"""

OTHER_NAMESAKE = """New Zealand and Chile hold talks

WELLINGTON, 12 June 2025 - New Zealand Foreign Minister John Smith met Chilean Foreign Minister
Rosa Diaz in Wellington on 12 June 2025.
"""


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in (("a.txt", SIDE_A), ("b.txt", SIDE_B), ("c.txt", NAMESAKE), ("d.txt", OTHER_NAMESAKE)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _nquads(store_path: Path) -> set[tuple[str, str, str, str]]:
    from kg.store import OxigraphStore

    with OxigraphStore(store_path, read_only=True) as store:
        return {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in store.quads()}


def _rows(store_path: Path, name: str) -> list[dict[str, str]]:
    from kg import saved
    from kg.store import open_store

    with open_store(str(store_path), read_only=True) as store:
        result = store.query(saved.bind(saved.get(name), {}))
        return [{k: str(v) if v is not None else "" for k, v in row.items()} for row in result.dicts()]


@pytest.mark.slow
def test_two_sides_of_one_meeting_make_one_person_and_one_event(tmp_path: Path) -> None:
    from kg.build import build_paths

    corpus = _corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    assert build_paths(str(store), [str(corpus)]).built == 4
    officials = _rows(store, "officials")
    names = [name for name, _ in sorted({(r["name"], r["official"]) for r in officials})]
    assert names.count("John Smith") == 2 and names.count("Tom Harlow") == 1 and names.count("Kenji Arata") == 1
    assert "Harlow" not in names, officials
    harlow = [r for r in officials if r["name"] == "Tom Harlow"]
    assert [(r["title"], r["country"], r["firstSeen"], r["lastSeen"]) for r in harlow] == [
        ("Prime Minister", "Australia", "2025-03-04", "2025-03-04")]
    smiths = sorted((r["country"], r["official"]) for r in officials if r["name"] == "John Smith")
    assert [c for c, _ in smiths] == ["Canada", "New Zealand"] and smiths[0][1] != smiths[1][1]
    met = _rows(store, "officials-who-met-counterparts")
    pairs = [(r["name"], r["counterpart"], r["date"]) for r in met if "Harlow" in r["name"] + r["counterpart"]]
    assert sorted(pairs) == [("Kenji Arata", "Tom Harlow", "2025-03-04"), ("Tom Harlow", "Kenji Arata", "2025-03-04")]
    assert len({r["dialogue"] for r in met if r["name"] == "Tom Harlow"}) == 1


@pytest.mark.slow
def test_build_order_and_removal_give_the_same_graph(tmp_path: Path) -> None:
    from kg.build import build_paths, remove_paths

    corpus = _corpus(tmp_path / "corpus")
    files = sorted(str(p) for p in corpus.iterdir())
    forward, backward, partial = tmp_path / "forward", tmp_path / "backward", tmp_path / "partial"
    for f in files:
        build_paths(str(forward), [f])
    for f in reversed(files):
        build_paths(str(backward), [f])
    assert _nquads(forward) == _nquads(backward)
    # removing the article that gave the full name undoes the merge it took part in
    build_paths(str(partial), [f for f in files if not f.endswith("a.txt")])
    remove_paths(str(forward), [files[0]])
    assert _nquads(forward) == _nquads(partial)
    assert "Harlow" in {r["name"] for r in _rows(forward, "officials")}


@pytest.mark.slow
def test_kg_load_resolves_the_loaded_articles_with_the_stores_own(tmp_path: Path) -> None:
    from kg.build import build_paths
    from kg.transfer import load_file, serialize_store

    corpus = _corpus(tmp_path / "corpus")
    files = sorted(str(p) for p in corpus.iterdir())
    both, mine, theirs = tmp_path / "both", tmp_path / "mine", tmp_path / "theirs"
    build_paths(str(both), files[:2])
    build_paths(str(mine), files[:1])
    build_paths(str(theirs), files[1:2])
    dump = tmp_path / "theirs.trig"
    dump.write_bytes(serialize_store(str(theirs), "trig")[0])
    loaded = load_file(str(mine), str(dump))
    assert loaded.resolved is not None and loaded.resolved.people == 2
    # one person and one event, as if both articles were built into one store
    assert _rows(mine, "officials") == _rows(both, "officials")
    assert _rows(mine, "officials-who-met-counterparts") == _rows(both, "officials-who-met-counterparts")
    assert "Harlow" not in {r["name"] for r in _rows(mine, "officials")}
    # the whole dump of a store into an empty one is resolved already: nothing to redo
    copy = tmp_path / "copy"
    whole = tmp_path / "both.trig"
    whole.write_bytes(serialize_store(str(both), "trig")[0])
    assert load_file(str(copy), str(whole)).resolved is None
    assert _nquads(copy) == _nquads(both)


@pytest.mark.slow
@pytest.mark.virtuoso
def test_a_sparql_server_resolves_as_the_embedded_store_does(tmp_path: Path) -> None:
    import _virtuoso

    from kg.build import build_paths, remove_paths
    from kg.store import open_store

    corpus = _corpus(tmp_path / "corpus")
    server = _virtuoso.shared()
    with open_store(server.sparql) as endpoint:
        for graph in endpoint.graphs():  # type: ignore[attr-defined]
            endpoint.drop_graph(graph)
    embedded = tmp_path / "store"
    for location in (str(embedded), server.sparql):
        assert build_paths(location, [str(corpus)]).built == 4

    def resolved(location: str) -> list[tuple[str, ...]]:
        with open_store(location) as store:
            rows = store.query("SELECT ?name ?title ?country ?first ?last WHERE { ?o a kg:Official ; rdfs:label ?name ; "
                               "kg:represents/rdfs:label ?country ; kg:holdsPost ?p . ?p kg:title ?title "
                               "OPTIONAL { ?p kg:firstSeen ?first } OPTIONAL { ?p kg:lastSeen ?last } }").rows
            events = store.query("SELECT ?d (COUNT(?p) AS ?n) WHERE { ?d a kg:Dialogue ; kg:participant ?p } "
                                 "GROUP BY ?d").rows
        return sorted(tuple(str(v) for v in row) for row in rows) + sorted((str(n),) for _, n in events)

    assert resolved(server.sparql) == resolved(str(embedded))
    assert ("Tom Harlow", "Prime Minister", "Australia", "2025-03-04", "2025-03-04") in resolved(server.sparql)
    for location in (str(embedded), server.sparql):
        remove_paths(location, [str(corpus / "a.txt")])
    assert resolved(server.sparql) == resolved(str(embedded))


# --- conflicts: articles that disagree, mapped to triples by kg's own mapping into a real store ---------

def _article(source: str, text: str, officials: list[tuple[str, str, str, str]],
             meeting: tuple[str, list[str]] | None = None) -> tuple[object, object]:
    """An article whose facts are given: (name, country, title, sentence) per official, and a
    meeting (its day, its participants' names)."""
    from kg.articles import parse_article
    from kg.dates import PartialDate
    from kg.facts import ArticleFacts, Dialogue, Evidence, Official, Post

    article = parse_article(source, text.encode())
    facts = ArticleFacts()
    for name, country, title, sentence in officials:
        start = text.index(sentence)
        ev = Evidence(start, start + len(sentence), sentence, 0.9, "officials.titled-name")
        key = name.lower()
        facts.officials[key] = Official(key, name, country, [Post(title, country, ev)], [ev], ev)
        facts.countries[country] = 1
    if meeting:
        day, names = meeting
        sentence = text.splitlines()[-1]
        ev = Evidence(text.index(sentence), len(text), sentence, 0.75, "dialogues.meet-verb")
        facts.dialogues.append(Dialogue("Arctic Dialogue", "dialogue", [n.lower() for n in names],
                                        {facts.officials[n.lower()].country or "" for n in names},
                                        [], PartialDate.parse(day), named=True, evidence=[ev]))
    return article, facts


def test_conflicts_list_both_sides_with_their_sentences_and_the_graph_keeps_the_majority(tmp_path: Path) -> None:
    from kg.mapping import to_triples
    from kg.resolve import conflicts, conflicts_text, resolve
    from kg.store import open_store

    said = [
        _article("a.txt", "Ana Lind of Norway spoke.\nThe Arctic Dialogue met on 3 May 2024.",
                 [("Ana Lind", "NOR", "Foreign Minister", "Ana Lind of Norway spoke."),
                  ("Ken Ito", "JPN", "Foreign Minister", "Ana Lind of Norway spoke.")],
                 ("2024-05-03", ["Ana Lind", "Ken Ito"])),
        _article("b.txt", "Foreign Minister Ana Lind of Norway met Ito.\nThe Arctic Dialogue met on 3 May 2024.",
                 [("Ana Lind", "NOR", "Foreign Minister", "Foreign Minister Ana Lind of Norway met Ito."),
                  ("Ken Ito", "JPN", "Foreign Minister", "Foreign Minister Ana Lind of Norway met Ito.")],
                 ("2024-05-03", ["Ana Lind", "Ken Ito"])),
        _article("c.txt", "Swedish Foreign Minister Ana Lind met Ito.\nThe Arctic Dialogue met on 4 May 2024.",
                 [("Ana Lind", "SWE", "Foreign Minister", "Swedish Foreign Minister Ana Lind met Ito."),
                  ("Ken Ito", "JPN", "Foreign Minister", "Swedish Foreign Minister Ana Lind met Ito.")],
                 ("2024-05-04", ["Ana Lind", "Ken Ito"])),
    ]
    with open_store(str(tmp_path / "store")) as store:
        store.write_articles([to_triples(a, f) for a, f in said])  # type: ignore[arg-type]
        resolve(store)
        countries = store.query("SELECT ?c WHERE { ?o rdfs:label 'Ana Lind' ; kg:represents ?c }").rows
        days = store.query("SELECT ?d WHERE { ?e a kg:Dialogue ; kg:date ?d }").rows
        found = {c.kind: c for c in conflicts(store)}
        text = conflicts_text(store)
    assert [str(c) for (c,) in countries] == ["https://w3id.org/kg-news/id/country/NOR"]  # two reports to one
    assert [str(d) for (d,) in days] == ["2024-05-03"]  # one event, the day two reports give
    country = found["country"]
    assert (country.kept, [(s.value, s.reports) for s in country.sides]) == ("NOR", [("NOR", 2), ("SWE", 1)])
    assert country.sides[1].sentences == [("Swedish Foreign Minister Ana Lind met Ito.", "c.txt")]
    date = found["date"]
    assert (date.kept, [(s.value, s.reports) for s in date.sides]) == ("2024-05-03", [("2024-05-03", 2), ("2024-05-04", 1)])
    assert "The Arctic Dialogue met on 4 May 2024." in text and "Sweden (1 report)" in text


@pytest.mark.slow
def test_kg_conflicts_and_the_shell_command_print_the_disagreements(seeds_store: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    cli = subprocess.run([sys.executable, "-m", "kg", "conflicts", "--store", str(seeds_store)], capture_output=True,
                         text=True, cwd=root, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("no conflicts: the articles agree")
    shell = subprocess.run([sys.executable, "-m", "kg", "shell", "--store", str(seeds_store)], input="\\conflicts\n",
                           capture_output=True, text=True, cwd=root, timeout=300)
    assert shell.returncode == 0, shell.stderr
    assert "no conflicts: the articles agree" in shell.stdout


@pytest.mark.slow
def test_a_build_stopped_before_it_resolved_is_caught_up_by_the_next(tmp_path: Path) -> None:
    from kg.build import build_paths
    from kg.ontology import KNOWLEDGE_GRAPH
    from kg.resolve import is_resolved
    from kg.store import open_store

    corpus = _corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    build_paths(str(store), [str(corpus)])
    before = _nquads(store)
    with open_store(str(store)) as db:
        assert is_resolved(db)
        # as a build killed after writing its articles and before resolving them leaves it
        resolved = [(s, p, o) for s, p, o, g in db.quads() if str(g) == KNOWLEDGE_GRAPH
                    and str(p).endswith("#resolvedFrom")]
        people = db.query("SELECT ?s ?p ?o WHERE { ?s kg:reportedAs ?r . ?s ?p ?o }").rows
        db.delete_triples(KNOWLEDGE_GRAPH, resolved + [(s, p, o) for s, p, o in people])  # type: ignore[misc]
        assert not is_resolved(db)
    assert _rows(store, "officials") == []
    report = build_paths(str(store), [str(corpus)])
    assert (report.built, report.unchanged) == (0, 4) and report.resolve_seconds > 0
    assert _nquads(store) == before
