"""The extractor on short texts written for each phenomenon (none taken from the seed or dev articles)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kg.articles import parse_article, read_article
from kg.dates import PartialDate
from kg.extract import DIALOGUE_NOUNS, DIALOGUE_VERBS, _line_sentences, _Sentence, _token_lemmas
from kg.facts import ArticleFacts
from kg.gazetteer import fold, gazetteer
from kg.mentions import _alternation, sentence_bounds, token_lowers


@pytest.fixture
def extract(extractor):
    def run(text: str, date: PartialDate | None = None) -> ArticleFacts:
        article = parse_article("test.txt", text.encode("utf-8"), date)
        return extractor.extract(article)

    return run


def officials(facts: ArticleFacts) -> dict[str, tuple[str | None, list[str]]]:
    return {o.name: (o.country, [p.title for p in o.posts]) for o in facts.officials.values()}


def test_title_before_name_with_country_prefix(extract):
    facts = extract("Talks\n\nU.S. Deputy Secretary of State Maria Fontaine met officials in Rome on Monday.")
    assert officials(facts)["Maria Fontaine"] == ("USA", ["deputy secretary of state"])


def test_possessive_country_and_long_title(extract):
    facts = extract("Visit\n\nCanada's Minister for Foreign Affairs and Trade Harold Vance arrived in Tokyo.")
    country, titles = officials(facts)["Harold Vance"]
    assert country == "CAN" and titles == ["minister for foreign affairs and trade"]


def test_apposition_after_name(extract):
    facts = extract("Report\n\nKessler, the German defence minister, told reporters the plan was sound.")
    assert officials(facts)["Kessler"] == ("DEU", ["defence minister"])


def test_surname_and_title_only_mentions_resolve_to_one_person(extract):
    text = ("Meeting\n\nFrench Foreign Minister Claire Dubois met Indian Foreign Minister Ravi Menon in Delhi. "
            "Minister Dubois said the talks went well. Later Menon hosted a dinner.")
    facts = extract(text)
    names = sorted(o.name for o in facts.officials.values())
    assert names == ["Claire Dubois", "Ravi Menon"]
    assert facts.officials["claire dubois"].country == "FRA"
    assert facts.officials["ravi menon"].country == "IND"


def test_list_of_officials_inherits_country(extract):
    text = ("Dialogue\n\nThe Japanese Minister of Defense Ken Ito opened talks with Brazil's Secretary of Foreign "
            "Affairs Ana Lima; Chief of Defence Force Paulo Reis; and Deputy Secretary of Defence Rita Gomes today.")
    facts = extract(text, PartialDate(2024, 5, 2))
    got = officials(facts)
    assert got["Paulo Reis"][0] == "BRA" and got["Rita Gomes"][0] == "BRA" and got["Ken Ito"][0] == "JPN"


def test_products_and_companies_are_not_officials(extract):
    facts = extract("Deal\n\nItaly chose Leonardo's AW101 Merlin helicopters. General Dynamics Land Systems will build them.")
    assert facts.officials == {}


def test_title_line_under_a_name_line(extract):
    # she travels to Norway, so she is not Norwegian: the article names her own country too
    text = ("Rt Hon Anna Berg\nMinister of Defence\n\nAnna Berg will travel to Oslo next week for talks with Norway. "
            "Sweden and Norway share a border, the Swedish government said.")
    facts = extract(text)
    assert officials(facts)["Anna Berg"] == ("SWE", ["minister of defence"])


def test_country_aliases_are_one_country(extract):
    facts = extract("Note\n\nThe US and the United States of America and U.S. officials and America.")
    assert set(facts.countries) == {"USA"} and facts.countries["USA"] == 4


def test_meeting_with_place_and_dateline_date(extract):
    text = ("Ministers meet\n\nLISBON | March 3, 2024\n\nPortuguese Defence Minister Rui Costa met Spanish Defence "
            "Minister Elena Ruiz in Lisbon today to discuss maritime patrols.")
    facts = extract(text)
    meetings = [d for d in facts.dialogues if len(d.participants) == 2]
    assert len(meetings) == 1
    d = meetings[0]
    assert {facts.officials[p].name for p in d.participants} == {"Rui Costa", "Elena Ruiz"}
    assert [p.name for p in d.places] == ["Lisbon"]
    assert d.date == PartialDate(2024, 3, 3) and d.status == "held"


def test_pronoun_subject_joins_the_news_conference(extract):
    text = ("Tour\n\nPolish Foreign Minister Jan Nowak arrived on Tuesday. He spoke in Warsaw at a joint news "
            "conference with Czech Foreign Minister Petr Horak.")
    facts = extract(text)
    conf = next(d for d in facts.dialogues if d.type == "news conference")
    assert {facts.officials[p].name for p in conf.participants} == {"Jan Nowak", "Petr Horak"}


def test_phone_call_is_a_dialogue(extract):
    text = "Readout\n\nSecretary of Defense Tom Hale spoke with Kenyan Defence Cabinet Secretary Amos Otieno today."
    facts = extract(text)
    calls = [d for d in facts.dialogues if d.type == "call"]
    assert calls and len(calls[0].participants) == 2
    assert facts.officials["tom hale"].country == "USA"


def test_planned_visit_is_marked_planned(extract):
    text = "Trip\n\nIrish Foreign Minister Sean Byrne will visit Ottawa next week to meet Canadian Foreign Minister Jean Roy."
    facts = extract(text, PartialDate(2023, 6, 1))
    assert facts.dialogues and all(d.status == "planned" for d in facts.dialogues)


def test_negated_meeting_is_not_a_dialogue(extract):
    text = "Snub\n\nItalian Foreign Minister Luca Bianchi did not meet Austrian Foreign Minister Karl Huber in Vienna."
    assert extract(text).dialogues == []


def test_treaty_event_with_actor_and_year(extract):
    text = "History\n\nMoscow suspended its arms control treaty with Finland in 1999."
    facts = extract(text)
    treaty = facts.treaties[0]
    assert treaty.parties == {"RUS", "FIN"}
    assert [(e.type, e.date, e.actor) for e in treaty.events] == [("suspended", PartialDate(1999), "RUS")]


def test_named_treaty_signed_by_two_countries(extract):
    text = "Pact\n\nChile and Peru signed the Pacific Fisheries Cooperation Agreement in May 2015."
    facts = extract(text)
    treaty = next(t for t in facts.treaties if "Fisheries" in t.label)
    assert treaty.parties == {"CHL", "PER"}
    assert treaty.events[0].type == "signed" and treaty.events[0].date == PartialDate(2015, 5)


def test_generic_agreement_without_parties_is_not_a_fact(extract):
    text = "Ties\n\nThey are strengthening their strategic partnership in many ways."
    assert extract(text).treaties == []


def test_policy_ban_with_country_and_date(extract):
    text = "Ban\n\nNorway banned cluster munitions from its territory in 2008."
    facts = extract(text)
    pol = facts.policies[0]
    assert "cluster munitions" in pol.label and pol.country == "NOR" and pol.date == PartialDate(2008)


def test_relative_dates_resolve_against_the_article_date(extract):
    text = ("Talks\n\nMay 20, 2019\n\nKorean officials said the meeting of naval chiefs held in Busan last month "
            "went well.")
    facts = extract(text)
    d = next(d for d in facts.dialogues if "naval chiefs" in d.label)
    assert d.date == PartialDate(2019, 4)


def test_page_chrome_gives_no_facts(extract):
    text = ("Headline\n\nAdvertisement\n\nDutch Defence Minister Eva Smit met Belgian Defence Minister Luc Peeters.\n"
            "Advertisement\n"
            "President Oscar Diaz of Mexico has vetoed a bill on…\n"
            "Prime Minister Ana Souza announced new tariffs on…\n")
    facts = extract(text)
    assert set(officials(facts)) == {"Eva Smit", "Luc Peeters"}


# --- what the extractor reads from spaCy in bulk agrees with spaCy's own per-token answers ---------

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def real_docs(extractor, tmp_path_factory):
    """The seed articles and real articles with other names, places and dates (benchmarks/corpusgen.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpusgen

    varied = tmp_path_factory.mktemp("varied")
    corpusgen.write_corpus(varied, 6, seed=5)
    paths = sorted(SEEDS.glob("*.txt")) + sorted(varied.glob("*.txt"))
    texts = [read_article(str(p)).text for p in paths]
    return list(zip(texts, extractor.nlp.pipe(texts)))


def test_bulk_token_reads_match_spacy(real_docs):
    for _, doc in real_docs:
        assert token_lowers(doc) == [t.text.lower() for t in doc]
        assert _token_lemmas(doc) == [t.lemma_.lower() for t in doc]
        assert sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]


def test_sentences_match_spacy_spans(real_docs):
    for text, doc in real_docs:
        lowers, lemmas = token_lowers(doc), _token_lemmas(doc)
        for span in doc.sents:
            sent = _Sentence(doc, span.start, span.end, text, lowers, lemmas)
            assert (sent.start_char, sent.end_char, sent.text) == (span.start_char, span.end_char, span.text)
            assert [t.i for t in sent.tokens_with(DIALOGUE_NOUNS, DIALOGUE_VERBS)] == \
                [t.i for t in span if t.text.lower() in DIALOGUE_NOUNS or t.lemma_.lower() in DIALOGUE_VERBS]


def _line_sentences_per_token(doc):
    """The line-sentence rule applied token by token, as the component's docstring states it."""
    text = doc.text
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.text[-1:] not in ".!?:;\"”’')]…*•" and not prev.is_space and not tok.is_space:
            tok.is_sent_start = False  # inside a line, only after a sentence's end
        if prev.is_space and "\n" in prev.text:
            line_start = text.rfind("\n", 0, prev.idx) + 1
            short = prev.idx - line_start < 120
            if "\n\n" in prev.text or (tok.text[:1].isupper() and short) or tok.text[:1] in "•-*":
                tok.is_sent_start = True
        elif "\n" in prev.text and not prev.is_space:
            tok.is_sent_start = True
    return doc


def test_line_sentences_visit_only_line_breaks_but_mark_the_same_starts(extractor, real_docs):
    texts = [t for t, _ in real_docs] + ["Headline\nA short line\n\n• a bullet\n- a dash\nlower case after a break\n"]
    for text in texts:
        fast, slow = _line_sentences(extractor.nlp.make_doc(text)), _line_sentences_per_token(extractor.nlp.make_doc(text))
        assert [t.is_sent_start for t in fast] == [t.is_sent_start for t in slow]


def test_no_sentence_starts_inside_a_line_after_a_comma(extractor):
    doc = _line_sentences(extractor.nlp.make_doc("They met today, 29 January 2013, in Oslo. Then they left."))
    starts = {t.text: t.is_sent_start for t in doc}
    assert starts["29"] is False and starts["in"] is False and starts["Then"] is not False
    parsed = extractor.nlp("The commission met today, 29 January 2013, in Oslo, at the plenary level.")
    assert len(list(parsed.sents)) == 1


def test_country_trie_regex_matches_like_a_longest_first_alternation(real_docs):
    names = ["new zealand", "new", "niger", "nigeria", "guinea", "guinea-bissau", "papua new guinea", "u.s."]
    plain = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w])", re.I)
    trie = re.compile(r"(?<![\w])(" + _alternation(names) + r")(?![\w])", re.I)
    for text in [t for t, _ in real_docs] + ["Nigeria and Niger; Papua New Guinea, Guinea-Bissau and New Zealand. NEW ZEALANDER, U.S.-made"]:
        assert [m.span(1) for m in trie.finditer(text)] == [m.span(1) for m in plain.finditer(text)]


def test_fold_and_remembered_country_lookups():
    assert fold("  New   Zealand’s ") == "new zealand's"
    assert fold("Élysée") == "elysee"
    gz = gazetteer()
    for _ in range(2):
        assert gz.country("the Philippines") == "PHL"
        assert gz.country("New Zealand's") == "NZL"
        assert gz.country("Zealand") is None


# --- title-only mentions, event names, event boundaries, treaties and policies on varied wordings ---


def _participant_names(facts: ArticleFacts, d) -> set[str]:
    return {facts.officials[p].name for p in d.participants if p in facts.officials}


def test_title_only_mention_needs_the_whole_title(extract):
    text = ("Remarks\n\nIcelandic Prime Minister Clara Voss spoke in Reykjavik on Monday. "
            "Last year our Foreign Minister held talks with Spanish Defence Minister Pablo Ortega in Madrid.")
    facts = extract(text, PartialDate(2024, 5, 6))
    talks = next(d for d in facts.dialogues if d.type == "talks")
    assert _participant_names(facts, talks) == {"Pablo Ortega"}


def test_bare_title_is_not_a_longer_title(extract):
    text = ("Review\n\nIcelandic Prime Minister Clara Voss spoke in Reykjavik on Monday. "
            "The Minister held talks with Spanish Foreign Minister Pablo Ortega in Madrid on Tuesday.")
    facts = extract(text, PartialDate(2024, 5, 6))
    talks = next(d for d in facts.dialogues if d.type == "talks")
    assert "Clara Voss" not in _participant_names(facts, talks)


def test_event_name_with_plural_possessive(extract):
    text = ("Ministers meet\n\nChilean Defence Minister Rosa Vidal and Peruvian Defence Minister Luis Paz met in Lima "
            "on Monday for the third Pacific Alliance Defence Ministers' Meeting.")
    facts = extract(text, PartialDate(2024, 4, 3))
    named = [d for d in facts.dialogues if d.named]
    assert len(named) == 1 and "Pacific Alliance Defence Ministers' Meeting" in named[0].label
    assert _participant_names(facts, named[0]) == {"Rosa Vidal", "Luis Paz"}


def test_named_consultations_are_an_event(extract):
    text = ("Statement\n\nThe ministers welcomed plans for the annual Chile-Peru Ministerial Consultations to be held "
            "in Lima later this month.")
    facts = extract(text, PartialDate(2024, 4, 3))
    d = next(d for d in facts.dialogues if "Ministerial Consultations" in d.label)
    assert d.named and d.status == "planned" and [p.name for p in d.places] == ["Lima"]


def test_events_of_a_series_with_different_ordinals_stay_apart(extract):
    text = ("Dialogue\n\nSpanish Foreign Minister Ines Mora and Mexican Foreign Minister Raul Soto held the fourth "
            "Spain-Mexico Strategic Dialogue in Madrid on March 3, 2024.\n\n"
            "Minister Soto invited Minister Mora to Mexico City for the fifth Spain-Mexico Strategic Dialogue in 2025.")
    facts = extract(text, PartialDate(2024, 3, 3))
    named = sorted((d for d in facts.dialogues if d.named), key=lambda d: d.date.iso())
    assert [(d.date.iso(), [p.name for p in d.places]) for d in named] == [("2024-03-03", ["Madrid"]), ("2025", ["Mexico City"])]


def test_meeting_on_the_margins_of_a_named_event_is_its_own(extract):
    text = ("Readout\n\nBrazilian Foreign Minister Ana Reis held a bilateral meeting with Turkish Foreign Minister "
            "Emre Kaya in Rome on July 10, 2025, on the margins of the G20 Foreign Ministers' Meeting.")
    facts = extract(text, PartialDate(2025, 7, 11))
    bilateral = next(d for d in facts.dialogues if not d.named)
    named = next(d for d in facts.dialogues if d.named)
    assert _participant_names(facts, bilateral) == {"Ana Reis", "Emre Kaya"}
    # the two who met on its margins attended it: the named event has them, and no one else
    assert "G20 Foreign Ministers' Meeting" in named.label and _participant_names(facts, named) == {"Ana Reis", "Emre Kaya"}


def test_held_call_and_planned_visit_stay_apart(extract):
    text = ("Readout\n\nOn March 4, 2025, Danish Defence Minister Karen Holm held a telephone talk with Dutch Defence "
            "Minister Pieter Smit. The two ministers agreed to hold a meeting at an early date, and Minister Holm "
            "invited Minister Smit to visit Denmark.")
    facts = extract(text, PartialDate(2025, 3, 4))
    held = [d for d in facts.dialogues if d.status == "held"]
    planned = [d for d in facts.dialogues if d.status == "planned"]
    assert len(held) == 1 and held[0].date == PartialDate(2025, 3, 4)
    assert _participant_names(facts, held[0]) == {"Karen Holm", "Pieter Smit"}
    assert planned and all(d.date != PartialDate(2025, 3, 4) for d in planned)


def test_date_of_a_participial_clause_is_not_the_meeting_date(extract):
    text = ("Travel\n\nNovember 6, 2025\n\nIn Lisbon, Greek Defence Minister Nikos Pappas will meet with Portugal's "
            "Minister of Defence, Rui Costa, to discuss the Greece-Portugal Defence Agreement, signed in July.")
    facts = extract(text)
    meeting = next(d for d in facts.dialogues if "Rui Costa" in _participant_names(facts, d))
    assert meeting.date != PartialDate(2025, 7) and [p.name for p in meeting.places] == ["Lisbon"]


def test_date_of_an_earlier_event_the_call_follows_is_not_its_date(extract):
    text = ("Readout\n\nFebruary 4, 2025\n\nThe call was made at the request of Minister Holm following Secretary "
            "Smit's confirmation by the Senate last month. Danish Defence Minister Karen Holm spoke with U.S. "
            "Secretary of Defense Anton Smit today.")
    facts = extract(text)
    assert [d.date for d in facts.dialogues if d.type == "call"] == [PartialDate(2025, 2, 4)]


def test_dialogue_as_an_activity_is_no_event(extract):
    text = ("Readout\n\nIndonesian Foreign Minister Dewi Rahma met Thai Foreign Minister Somchai Boon in Bangkok on "
            "July 3, 2025. Foreign Minister Rahma said Indonesia supports dialogue on the Korean Peninsula.")
    facts = extract(text)
    assert [d.type for d in facts.dialogues] == ["meeting"]


def test_entry_into_force_and_elevation_are_treaty_events(extract):
    text = ("Review\n\nThe ministers reviewed the Comprehensive Strategic Partnership, which Prime Ministers Ana Lopes "
            "and Jorge Vidal elevated in June 2020, and welcomed the entry into force of the Chile-Peru Free Trade "
            "Agreement on December 29, 2022. The Chile-Peru Customs Protocol took effect on March 1, 2023.")
    facts = extract(text, PartialDate(2024, 3, 1))
    events = {t.label: [(e.type, e.date) for e in t.events] for t in facts.treaties}
    assert events["Comprehensive Strategic Partnership"] == [("elevated", PartialDate(2020, 6))]
    assert events["Chile-Peru Free Trade Agreement"] == [("entered into force", PartialDate(2022, 12, 29))]
    assert events["Chile-Peru Customs Protocol"] == [("took effect", PartialDate(2023, 3, 1))]


# --- countries of officials from their own sentences; treaty parties and names; policies; dialogues ---


def test_delegation_gives_its_members_a_country(extract):
    text = ("Talks in Oslo\n\nFinnish Foreign Minister Aino Virtanen met Chilean Foreign Minister Pablo Rojas in Oslo. "
            "The Chilean delegation was led by Minister Rojas and included Vice Minister Carla Soto. "
            "The Finnish side included State Secretary Mikko Laine.")
    facts = extract(text)
    assert officials(facts)["Carla Soto"][0] == "CHL"
    assert officials(facts)["Mikko Laine"][0] == "FIN"


def test_our_in_a_speaker_turn_is_the_speakers_country(extract):
    text = ("Joint press conference\n\nSpanish Defence Minister Elena Ruiz met Polish Defence Minister Jan Nowak in Madrid.\n\n"
            "MINISTER RUIZ: Thank you. General Tomas Vidal, our chief of defence staff, briefed us on the exercise.\n\n"
            "MINISTER NOWAK: Thank you, Minister.")
    facts = extract(text)
    assert officials(facts)["Tomas Vidal"][0] == "ESP"


def test_bare_secretary_in_a_readout_is_not_a_third_country(extract):
    text = ("Secretary Ward's Call with Greek Foreign Minister Nikos Pappas\n\n"
            "Secretary Alan Ward spoke today with Greek Foreign Minister Nikos Pappas about Cyprus, Cyprus and Cyprus. "
            "Secretary Ward reiterated U.S. support for Greece.")
    facts = extract(text)
    assert officials(facts)["Alan Ward"][0] == "USA"


def test_two_leaders_under_one_plural_title_serve_the_two_countries(extract):
    text = ("Dialogue\n\nChilean Foreign Minister Pablo Rojas met Finnish Foreign Minister Aino Virtanen in Helsinki. "
            "They reviewed the partnership that Presidents Luis Mora and Sanna Koski launched in 2020. "
            "Chile and Finland also discussed Japan.")
    facts = extract(text)
    assert officials(facts)["Luis Mora"][0] == "CHL"
    assert officials(facts)["Sanna Koski"][0] == "FIN"


def _treaties(facts: ArticleFacts) -> dict[str, set[str]]:
    return {t.label: t.parties for t in facts.treaties}


def test_a_country_named_as_a_place_is_no_treaty_party(extract):
    facts = extract("Treaty\n\nAfter talks in Peru failed, Chile and Argentina signed the Southern Cone Treaty in 1990.")
    assert _treaties(facts)["Southern Cone Treaty"] == {"CHL", "ARG"}


def test_memorandum_of_understanding_is_an_agreement(extract):
    facts = extract("MoU\n\nChile and Finland signed a memorandum of understanding on cooperation in mining on Monday.")
    labels = [t.label for t in facts.treaties]
    assert len(labels) == 1 and "memorandum of understanding on cooperation in mining" in labels[0]
    assert facts.treaties[0].parties == {"CHL", "FIN"}
    assert [e.type for e in facts.treaties[0].events] == ["signed"]


def test_treaty_known_by_a_second_name_is_one_treaty(extract):
    text = ("Anniversary\n\nIn 1960 Chile and Finland signed the Friendship Treaty between Chile and Finland, known as "
            "the Pampa Treaty. The Friendship Treaty entered into force in 1961.")
    facts = extract(text)
    assert [t.label for t in facts.treaties] == ["Pampa Treaty"]
    assert {e.type for e in facts.treaties[0].events} == {"signed", "entered into force"}


def test_treaty_name_goes_on_after_in(extract):
    facts = extract("Signing\n\nChile and Finland signed the Agreement for Cooperation in Polar Research in May 2020.")
    assert [t.label for t in facts.treaties] == ["Agreement for Cooperation in Polar Research"]


def test_determined_lower_case_protocol_and_tripartite_treaty(extract):
    facts = extract("Talks\n\nChile welcomed Finland's ratification of the accession protocol. Peru, Chile and Bolivia "
                    "pledged to ratify a tripartite border security treaty signed last year.")
    labels = _treaties(facts)
    protocol = next(p for label, p in labels.items() if "accession protocol" in label)
    assert protocol == {"CHL", "FIN"}
    treaty = next(p for label, p in labels.items() if "security treaty" in label)
    assert treaty == {"PER", "CHL", "BOL"}


def _policies(facts: ArticleFacts) -> dict[str, tuple[str | None, str | None]]:
    return {p.label: (p.country, p.date.iso() if p.date else None) for p in facts.policies}


def test_policy_country_is_the_subject_of_its_verb(extract):
    facts = extract("Talks\n\nChile met Finland and Peru. Chile reaffirmed its Look West Policy in the talks.")
    assert [c for label, (c, _) in _policies(facts).items() if "Look West Policy" in label] == ["CHL"]


def test_policy_deadline_is_not_its_date(extract):
    facts = extract("Plans\n\nFinland will reach the targets of its Arctic Strategy by 2045.")
    assert [d for label, (_, d) in _policies(facts).items() if "Arctic Strategy" in label] == [None]


# --- dialogues: references back, attendance, transcripts ------------------------------------------------


def _dialogue_people(facts: ArticleFacts) -> list[set[str]]:
    return [{facts.officials[k].name for k in d.participants} for d in facts.dialogues]


def test_hosted_the_talks_gives_people_to_an_earlier_meeting(extract):
    facts = extract("Talks\n\nThe foreign ministers of Chile, Peru and Bolivia met in Lima on Monday. "
                    "Chilean Foreign Minister Rosa Ibarra hosted the talks with Peruvian Foreign Minister Hugo Salas "
                    "and Ana Morales, Bolivia's foreign minister.", PartialDate(2024, 5, 8))
    assert len(facts.dialogues) == 1
    assert _dialogue_people(facts) == [{"Rosa Ibarra", "Hugo Salas", "Ana Morales"}]
    assert [p.name for p in facts.dialogues[0].places] == ["Lima"]


def test_delegation_members_join_the_event_in_focus(extract):
    facts = extract("Visit\n\nChilean Defence Minister Rosa Ibarra held talks with Peruvian Defence Minister Hugo Salas "
                    "in Lima on Monday. The Chilean delegation included General Pablo Rojas, Commander of the "
                    "Chilean Army.")
    assert len(facts.dialogues) == 1
    assert "Pablo Rojas" in _dialogue_people(facts)[0]


def test_delegation_without_an_event_makes_none(extract):
    facts = extract("Plans\n\nThe Chilean delegation included General Pablo Rojas, Commander of the Chilean Army.")
    assert facts.dialogues == []


def test_press_availability_and_welcome_to_a_city(extract):
    facts = extract("Joint Press Availability with Chilean Foreign Minister Rosa Ibarra and Peruvian Foreign Minister "
                    "Hugo Salas\n\nLima, Peru\nMay 8, 2024\n\nMINISTER SALAS: It is a pleasure to welcome Minister "
                    "Ibarra to Lima. We discussed trade.\n\nMINISTER IBARRA: Thank you, Hugo.")
    held = [d for d in facts.dialogues if d.status == "held"]
    assert len(held) == 1 and held[0].type == "news conference"
    assert _dialogue_people(facts)[:1] == [{"Rosa Ibarra", "Hugo Salas"}]
    assert [p.name for p in held[0].places] == ["Lima"]


def test_welcoming_a_decision_is_no_event(extract):
    facts = extract("Talks\n\nChilean Foreign Minister Rosa Ibarra welcomed the decision to reopen the border.")
    assert facts.dialogues == []


def test_we_held_the_meeting_takes_both_speakers_of_a_transcript(extract):
    facts = extract("Joint Remarks\n\nLima, Peru\nMay 8, 2024\n\nMINISTER SALAS: Good morning. Today we held the "
                    "Andean Defence Ministers' Meeting. I thank Minister Ibarra.\n\nMINISTER IBARRA: Thank you. "
                    "We agreed on patrols.\n\nPeruvian Defence Minister Hugo Salas and Chilean Defence Minister "
                    "Rosa Ibarra spoke to reporters.")
    named = [d for d in facts.dialogues if "Andean" in d.label]
    assert len(named) == 1
    assert {facts.officials[k].name for k in named[0].participants} >= {"Hugo Salas", "Rosa Ibarra"}


def test_a_summit_discussed_is_not_the_press_conference(extract):
    facts = extract("Joint Press Conference with Chilean Foreign Minister Rosa Ibarra and Peruvian Foreign Minister "
                    "Hugo Salas\n\nLima, Peru\nMay 8, 2024\n\nMINISTER SALAS: Thank you. We also discussed the APEC "
                    "summit in Bangkok.")
    conference = next(d for d in facts.dialogues if d.type == "news conference")
    assert "summit" not in conference.label.lower()


# --- treaty events told as the report's news --------------------------------------------------------------


def _events(facts: ArticleFacts, word: str) -> list[tuple[str, str | None]]:
    treaty = next(t for t in facts.treaties if word in t.label)
    return [(e.type, e.date.iso() if e.date else None) for e in treaty.events]


def test_signing_without_a_date_takes_the_date_of_the_event_in_focus(extract):
    facts = extract("Summit\n\nOn 14 May 2024, the President of Chile held a summit with the Prime Minister of Peru in "
                    "Lima. Following the summit, the two leaders witnessed the signing of a memorandum of "
                    "understanding on fisheries between Chile and Peru.", PartialDate(2024, 5, 20))
    assert _events(facts, "fisheries") == [("signed", "2024-05-14")]


def test_signing_without_a_date_or_event_takes_the_article_date_but_background_does_not(extract):
    facts = extract("Talks\n\nChile and Peru signed the Lima Accord. Chile had signed the Santiago Treaty.",
                    PartialDate(2024, 5, 8))
    assert _events(facts, "Lima Accord") == [("signed", "2024-05-08")]
    assert _events(facts, "Santiago Treaty") == [("signed", None)]


def test_a_span_start_is_no_date_of_an_adoption(extract):
    facts = extract("Summit\n\nThe two leaders welcomed the growth of relations since 1959 and adopted the Joint "
                    "Declaration on a Blue Partnership between Chile and Peru.", PartialDate(2024, 5, 8))
    assert _events(facts, "Blue Partnership") == [("adopted", "2024-05-08")]


# --- treaty names and anaphors ---------------------------------------------------------------------------


def test_a_sentence_may_open_with_the_anaphor(extract):
    facts = extract("Treaty\n\nChile and Peru announced that the Andes Defence Treaty has entered into force. "
                    "The treaty, signed in Lima in January, commits both nations to joint patrols.",
                    PartialDate(2024, 9, 3))
    events = _events(facts, "Andes Defence Treaty")
    assert ("signed", "2024-01") in events
    assert ("entered into force", "2024-09-03") in events


def test_agreement_between_two_parties_on_a_subject_is_one_name(extract):
    facts = extract("Talks\n\nThe ministers welcomed the signing of the Agreement between Chile and Peru on the "
                    "Transfer of Defence Equipment and Technology in Lima.", PartialDate(2024, 5, 8))
    treaty = next(t for t in facts.treaties if "Transfer of Defence Equipment" in t.label)
    assert treaty.label.startswith("Agreement between Chile and Peru")
    assert treaty.parties == {"CHL", "PER"}


def test_a_protocol_to_an_agreement_is_its_own_agreement(extract):
    facts = extract("Statement\n\nToday the ministers of Chile and Peru signed the Protocol to the Chile-Peru "
                    "Free Trade Agreement.", PartialDate(2024, 5, 8))
    protocol = next(t for t in facts.treaties if t.label.startswith("Protocol to"))
    assert ("signed", "2024-05-08") in [(e.type, e.date.iso() if e.date else None) for e in protocol.events]
    assert not [t for t in facts.treaties if t.label == "Chile-Peru Free Trade Agreement"]


def test_mou_names_run_through_the_field_of_and_between_institutions(extract):
    facts = extract("Visit\n\nChile and Peru signed a MoU on Cooperation in the field of Critical Minerals and a "
                    "MoU between the Diplomatic Academy of Chile and the Foreign Service Institute of Peru.",
                    PartialDate(2024, 5, 8))
    labels = {t.label for t in facts.treaties}
    assert "MoU on Cooperation in the field of Critical Minerals" in labels
    assert "MoU between the Diplomatic Academy of Chile and the Foreign Service Institute of Peru" in labels


def test_exchanged_memoranda_are_signed_but_exchanged_views_are_not(extract):
    facts = extract("Visit\n\nChile and Peru exchanged the MoU on Fisheries Cooperation. The ministers exchanged "
                    "views on the Lima Accord.", PartialDate(2024, 5, 8))
    assert _events(facts, "Fisheries") == [("signed", "2024-05-08")]
    assert _events(facts, "Lima Accord") == []


def test_in_force_since_a_date_is_the_entry_into_force(extract):
    facts = extract("Statement\n\nThe Chile-Peru Partnership Agreement, signed in 2015 and in force since 1 March 2020, "
                    "guides relations. The Lima Accord remains in force.", PartialDate(2024, 5, 8))
    assert ("entered into force", "2020-03-01") in _events(facts, "Partnership Agreement")
    assert _events(facts, "Lima Accord") == []


def test_items_of_a_list_take_the_event_of_the_sentence_introducing_it(extract):
    facts = extract("Visit\n\nChile and Peru held talks in Lima. The two sides exchanged the following MoUs:\n"
                    "- MoU on Fisheries Cooperation;\n- MoU on Cooperation in the field of Mining.\n\n"
                    "The Lima Accord was mentioned.", PartialDate(2024, 5, 8))
    assert [e[0] for e in _events(facts, "Fisheries")] == ["signed"]
    assert [e[0] for e in _events(facts, "Mining")] == ["signed"]
    assert _events(facts, "Lima Accord") == []


# --- surnames across name forms ---------------------------------------------------------------------------


def test_a_later_part_of_a_double_surname_names_the_person(extract):
    facts = extract("Visit\n\nChilean Foreign Minister Elena Vargas Rojas met Peruvian Foreign Minister Hugo Salas in "
                    "Lima. Minister Vargas said the talks were useful.", PartialDate(2024, 5, 8))
    names = {o.name for o in facts.officials.values()}
    assert "Elena Vargas Rojas" in names
    assert "Vargas" not in names


# --- named policies: acts, reviews, operations, sanctions ---------------------------------------------------


def _policy_owners(facts: ArticleFacts) -> dict[str, str | None]:
    return {p.label: p.country for p in facts.policies}


def test_an_act_is_a_policy_of_its_country_with_its_whole_name(extract):
    facts = extract("Statement\n\nOn 8 June 1987, the Chilean Coastal Protection, Fisheries, and Marine Reserves Act "
                    "received the Royal Assent.", PartialDate(2007, 6, 8))
    policies = _policy_owners(facts)
    assert any("Coastal Protection, Fisheries, and Marine Reserves Act" in label and country == "CHL"
               for label, country in policies.items())


def test_a_named_operation_is_its_country_initiative(extract):
    facts = extract("Visit\n\nAustralia launched Operation Southern Shield to patrol the Coral Sea.", PartialDate(2024, 5, 8))
    assert _policy_owners(facts).get("Operation Southern (Australia)") is None
    assert any(label.startswith("Operation Southern") and country == "AUS" for label, country in _policy_owners(facts).items())


def test_sanctions_belong_to_who_imposes_them_not_their_target(extract):
    facts = extract("Statement\n\nJapan announced new sanctions on Russia over the war.", PartialDate(2024, 5, 8))
    owners = [country for label, country in _policy_owners(facts).items() if "sanctions" in label]
    assert owners == ["JPN"]


def test_a_possessive_country_alone_names_no_policy(extract):
    facts = extract("Talks\n\nThe minister explained Chile's policy in detail.", PartialDate(2024, 5, 8))
    assert not [label for label in _policy_owners(facts) if label.startswith("Chile's policy")]


# --- discussion topics are not meeting places -------------------------------------------------------------


def test_a_place_in_the_discussed_topics_is_not_where_they_met(extract):
    facts = extract("Talks\n\nChilean Foreign Minister Elena Vargas met Peruvian Foreign Minister Hugo Salas and "
                    "discussed regional security and the situation in Bolivia.", PartialDate(2024, 5, 8))
    meeting = next(d for d in facts.dialogues if d.participants)
    assert "Bolivia" not in [p.name for p in meeting.places]


def test_a_meeting_in_a_country_keeps_its_place(extract):
    facts = extract("Talks\n\nChilean Foreign Minister Elena Vargas met Peruvian Foreign Minister Hugo Salas in "
                    "Bolivia.", PartialDate(2024, 5, 8))
    meeting = next(d for d in facts.dialogues if d.participants)
    assert "Bolivia" in [p.name for p in meeting.places]


def test_separate_talks_are_their_own_dialogue_at_the_same_time_and_place(extract):
    facts = extract("Visit\n\nChilean Defence Minister Elena Vargas met Peruvian Defence Minister Hugo Salas in Lima on "
                    "Tuesday. The Chilean Chief of Defence, General Pablo Ruiz, accompanied the Minister and held "
                    "separate talks with General Mario Soto, Peru's Chief of Defence.", PartialDate(2025, 9, 3))
    names = [sorted(facts.officials[k].name for k in d.participants) for d in facts.dialogues]
    assert ["Mario Soto", "Pablo Ruiz"] in names
    separate = next(d for d in facts.dialogues if sorted(facts.officials[k].name for k in d.participants) == ["Mario Soto", "Pablo Ruiz"])
    assert [p.name for p in separate.places] == ["Lima"]
    assert separate.date == PartialDate(2025, 9, 2)


# --- tense, negation and kinds of events clause by clause -----------------------------------------------


def test_a_future_in_another_clause_does_not_plan_a_past_meeting(extract):
    facts = extract("Exercise\n\nPortugal and Peru will hold their first joint naval exercise, Ana Costa, Portugal's "
                    "defence minister, said on Tuesday after meeting her Peruvian counterpart in Lima.",
                    PartialDate(2024, 3, 13))
    meeting = next(d for d in facts.dialogues if [p.name for p in d.places] == ["Lima"])
    assert meeting.status == "held"


def test_a_negation_in_another_clause_keeps_the_event(extract):
    facts = extract("Call\n\nThe ministry did not say whether the two ministers discussed trade, and their joint "
                    "commission last met in Nairobi in 2021.", PartialDate(2024, 3, 13))
    assert any([p.name for p in d.places] == ["Nairobi"] for d in facts.dialogues)
    facts = extract("Call\n\nThe two ministers did not meet in Nairobi in 2021.", PartialDate(2024, 3, 13))
    assert not facts.dialogues


def test_calling_a_thing_or_speaking_with_one_voice_is_no_call(extract):
    facts = extract("Talks\n\nChilean Defence Minister Elena Vargas met Peruvian Defence Minister Hugo Salas in Lima on "
                    "Tuesday. Vargas called the exercise \"a model of cooperation\". Salas said the region must speak "
                    "with one voice.", PartialDate(2025, 9, 3))
    assert [d.type for d in facts.dialogues] == ["meeting"]
    facts = extract("Call\n\nChilean Foreign Minister Elena Vargas called her Peruvian counterpart Hugo Salas on Tuesday.",
                    PartialDate(2025, 9, 3))
    assert [d.type for d in facts.dialogues] == ["call"]


def test_two_summits_of_one_sentence_with_places_of_their_own(extract):
    facts = extract("Analysis\n\nThe Vilnius summit in July 2023 was dominated by the war, and the Lisbon summit, "
                    "which opens next week, is expected to focus on trade.", PartialDate(2024, 7, 3))
    found = sorted((d.status, [p.name for p in d.places]) for d in facts.dialogues)
    assert found == [("held", ["Vilnius"]), ("planned", ["Lisbon"])]


def test_a_year_before_an_agreement_name_is_its_signing(extract):
    facts = extract("Treaty\n\nPeru announced on Monday it was suspending its 2004 Treaty of Friendship with Bolivia.",
                    PartialDate(2024, 3, 13))
    events = {t.label: [(e.type, e.date) for e in t.events] for t in facts.treaties}
    assert ("signed", PartialDate(2004)) in events["Treaty of Friendship"]
    assert ("suspended", PartialDate(2004)) not in events["Treaty of Friendship"]
    facts = extract("Treaty\n\nThe 2019 Roadmap for Maritime Cooperation, signed in Lima, remains in place.", PartialDate(2024, 3, 13))
    events = {t.label: [(e.type, e.date) for e in t.events] for t in facts.treaties}
    assert ("signed", PartialDate(2019)) in events["Roadmap for Maritime Cooperation"]


def test_amended_replaced_and_raised_to_a_partnership_by_two_capitals(extract):
    facts = extract("Ties\n\nPeru and Ecuador signed a Treaty of Friendship in 1995. The treaty was amended in 2009, and "
                    "Lima and Quito raised their relationship to a strategic partnership in 2016. The Pact of Quito, "
                    "signed in 1960, was replaced in 1999 by an Agreement on Border Cooperation.", PartialDate(2024, 3, 13))
    events = {t.label: [(e.type, e.date) for e in t.events] for t in facts.treaties}
    assert events["Treaty of Friendship"] == [("signed", PartialDate(1995)), ("amended", PartialDate(2009))]
    partnership = next(t for t in facts.treaties if "strategic partnership" in t.label)
    assert partnership.parties == {"PER", "ECU"}
    assert [(e.type, e.date) for e in partnership.events] == [("raised", PartialDate(2016))]
    assert ("replaced", PartialDate(1999)) in events["Pact of Quito"]


def test_reaffirming_cooperation_or_joining_an_alliance_is_no_treaty_event(extract):
    facts = extract("Ties\n\nPeru joined the talks in 1990 and reaffirmed closer cooperation, decades after the "
                    "Treaty of Lima was signed in 1929.", PartialDate(2024, 3, 13))
    events = {t.label: [e.type for e in t.events] for t in facts.treaties}
    assert events["Treaty of Lima"] == ["signed"]


def test_treaty_names_with_listed_parts_a_statement_of_and_a_place_after_in(extract):
    facts = extract("Ties\n\nPeru and Ecuador signed a Treaty of Friendship and Cooperation in Lima in 1995. Bolivia "
                    "suspended its Treaty of Friendship, Good Neighbourliness and Cooperation with Chile. Peru and "
                    "Ecuador also discussed the Statement of Partnership that they signed in 2021.", PartialDate(2024, 3, 13))
    labels = {t.label for t in facts.treaties}
    assert {"Treaty of Friendship and Cooperation", "Treaty of Friendship, Good Neighbourliness and Cooperation",
            "Statement of Partnership"} <= labels


def test_a_memorandum_signed_and_a_headline_partnership_the_text_never_names(extract):
    facts = extract("Minister Praises Andes Partnership\n\nPeru and Ecuador plan to sign a memorandum on fisheries "
                    "research before the end of the year.", PartialDate(2024, 3, 13))
    labels = [t.label for t in facts.treaties]
    assert any("memorandum" in label for label in labels)
    assert not any("Andes" in label for label in labels)


def test_plans_pledges_and_strategies_for_something_as_policies(extract):
    facts = extract("Policy\n\nEcuador backed Peru's autonomy plan for the border region. Chile has promised to reach "
                    "2 percent of its output on defence by 2030. Bolivia adopted the 2040 Strategy for the Andean "
                    "Highlands.", PartialDate(2024, 3, 13))
    owners = {p.label: p.country for p in facts.policies}
    assert owners.get("Peru's autonomy plan for the border region") == "PER"
    assert any(label.startswith("pledge to reach 2 percent") and c == "CHL" for label, c in owners.items())
    assert any(label.startswith("2040 Strategy for the Andean Highlands") for label in owners)


def test_the_one_inviting_is_not_on_the_visit(extract):
    facts = extract("Call\n\nPeruvian Foreign Minister Hugo Salas spoke with Chilean Foreign Minister Elena Vargas on "
                    "Tuesday. Hugo Salas also invited Elena Vargas to visit Peru in 2025.", PartialDate(2024, 9, 5))
    visit = next(d for d in facts.dialogues if d.type == "visit")
    assert [facts.officials[k].name for k in visit.participants] == ["Elena Vargas"]


# --- a bulleted list of those who attended -------------------------------------------------------


def test_bulleted_list_of_attending_ministers_joins_the_meeting(extract):
    text = ("Outcomes\n\n14 August 2025\n\nForeign Minister Anna Kerr of Norway welcomed the outcomes of the "
            "Nordic Foreign Ministers Meeting, held in Oslo on Wednesday.\n\nMinisters attending included:\n"
            "• Sweden's Minister for Foreign Affairs, Lars Eklund\n"
            "• Finland's Minister for Foreign Affairs, Mikko Laine\n\nThe ministers discussed Arctic security.")
    facts = extract(text)
    held = [d for d in facts.dialogues if "oslo" in d.label.lower() or any(p.name == "Oslo" for p in d.places)]
    assert held and {"lars eklund", "mikko laine", "anna kerr"} <= set(held[0].participants)


def test_bulleted_list_after_another_intro_adds_no_one(extract):
    text = ("Outcomes\n\n14 August 2025\n\nForeign Minister Anna Kerr of Norway met reporters in Oslo on "
            "Wednesday.\n\nThe ministers' statement thanked these governments:\n"
            "• Sweden's Minister for Foreign Affairs, Lars Eklund\n\nNothing else was said.")
    facts = extract(text)
    assert all("lars eklund" not in d.participants for d in facts.dialogues)
