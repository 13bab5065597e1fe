"""Meetings and other dialogues on short texts written for each phenomenon: who met whom, and which
mentions are one event."""

from __future__ import annotations

import itertools

import pytest

from kg.articles import parse_article
from kg.dates import PartialDate
from kg.extract.candidates import DialogueMention
from kg.extract.dialogue_merge import _absorb, _compatible
from kg.facts import ArticleFacts, Dialogue


@pytest.fixture
def extract(extractor):
    def run(text: str, date: PartialDate | None = None) -> ArticleFacts:
        return extractor.extract(parse_article("test.txt", text.encode("utf-8"), date))

    return run


def pairs(facts: ArticleFacts) -> set[frozenset[str]]:
    """Officials of different countries who took part in one dialogue (the saved query's meetings)."""
    out = set()
    for d in facts.dialogues:
        for a, b in itertools.combinations(d.participants, 2):
            if facts.officials[a].country != facts.officials[b].country:
                out.add(frozenset((a, b)))
    return out


def by_people(facts: ArticleFacts) -> dict[frozenset[str], Dialogue]:
    return {frozenset(d.participants): d for d in facts.dialogues}


def test_discussed_with_is_talks(extract):
    facts = extract("Talks\n\nCanadian Foreign Minister Mary Brown discussed trade with Japanese Foreign Minister "
                    "Taro Sato in Ottawa on 3 May 2024.")
    assert pairs(facts) == {frozenset({"mary brown", "taro sato"})}
    assert facts.dialogues[0].type == "talks"


def test_discussed_a_topic_is_no_meeting(extract):
    facts = extract("Statement\n\nCanadian Foreign Minister Mary Brown discussed the situation in Japan on 3 May 2024.")
    assert facts.dialogues == []


def test_exchanged_views_with(extract):
    facts = extract("Talks\n\nCanadian Foreign Minister Mary Brown exchanged views with Japanese Foreign Minister "
                    "Taro Sato on regional security.")
    assert pairs(facts) == {frozenset({"mary brown", "taro sato"})}


def test_received_someone_or_received_by_someone(extract):
    facts = extract("Visit\n\nItalian Prime Minister Marco Rossi received Indian Foreign Minister Ravi Kumar in Rome "
                    "on 3 May 2024.")
    assert pairs(facts) == {frozenset({"marco rossi", "ravi kumar"})}
    facts = extract("Arrival\n\nIndian Foreign Minister Ravi Kumar was received by Italian Defence Minister Marco Rossi "
                    "at the airport on 3 May 2024.")
    assert pairs(facts) == {frozenset({"marco rossi", "ravi kumar"})}


def test_received_a_thing_is_no_meeting(extract):
    facts = extract("Aid\n\nItalian Prime Minister Marco Rossi received the report of the commission on 3 May 2024.")
    assert facts.dialogues == []


def test_called_on_a_person_not_on_a_country(extract):
    facts = extract("Visit\n\nItalian Defence Minister Marco Rossi called on Indian Prime Minister Ravi Kumar in "
                    "New Delhi on 3 May 2024.")
    assert pairs(facts) == {frozenset({"marco rossi", "ravi kumar"})}
    facts = extract("Appeal\n\nItalian Defence Minister Marco Rossi called on India to release the prisoners.")
    assert facts.dialogues == []


def test_an_audience_granted(extract):
    facts = extract("Audience\n\nKing Carlos of Spain granted an audience to Kenyan Foreign Minister Jane Wanjiru in "
                    "Madrid on 3 May 2024.")
    [d] = facts.dialogues
    assert d.participants == ["jane wanjiru"] and d.type == "meeting"
    facts = extract("Speech\n\nKenyan Foreign Minister Jane Wanjiru told an audience of students in Madrid that "
                    "trade matters.")
    assert facts.dialogues == []


def test_signing_together_is_a_meeting(extract):
    facts = extract("Framework signed\n\nKenyan Defence Secretary Aden Wako together with US Secretary of Defense "
                    "Lloyd Baker signed a defence cooperation framework on Monday.", PartialDate(2024, 5, 6))
    assert pairs(facts) == {frozenset({"aden wako", "lloyd baker"})}
    facts = extract("Decree\n\nKenyan Defence Secretary Aden Wako signed a decree on Monday.", PartialDate(2024, 5, 6))
    assert facts.dialogues == []


def test_spoke_with_leaders_of_several_countries_one_at_a_time(extract):
    facts = extract("Calls\n\nOver the past week Prime Minister John Smith of Canada has spoken with President Jean "
                    "Dupont of France, Chancellor Hans Weber of Germany and President Ana Silva of Brazil.")
    assert pairs(facts) == {frozenset({"john smith", "jean dupont"}), frozenset({"john smith", "hans weber"}),
                            frozenset({"john smith", "ana silva"})}


def test_met_one_countrys_delegation_as_one_meeting(extract):
    facts = extract("Talks\n\nTurkish Foreign Minister Ali Demir met with Syrian President Omar Haddad and Syrian "
                    "Foreign Minister Sami Nasser in Damascus.")
    [d] = facts.dialogues
    assert set(d.participants) == {"ali demir", "omar haddad", "sami nasser"}


def test_trilateral_meeting_gives_every_pair(extract):
    facts = extract("Trilateral\n\nUS Secretary of State Mark Hill held a trilateral meeting with Japanese Foreign "
                    "Minister Taro Sato and South Korean Foreign Minister Kim Min-su in Tokyo on 3 May 2024.")
    assert pairs(facts) == {frozenset({"mark hill", "taro sato"}), frozenset({"mark hill", "kim min-su"}),
                            frozenset({"taro sato", "kim min-su"})}


def test_people_of_a_relative_clause_are_not_the_events(extract):
    facts = extract("Meeting\n\nAustralian Defence Minister Paul Grant met Philippine Defence Secretary Jose Cruz in "
                    "Canberra, building on the agreement that Australian Prime Minister Anne Kerr and Philippine "
                    "President Luis Reyes reached in 2023.")
    # the leaders who reached the agreement talked then: an event of their own, not a part of the meeting
    people = by_people(facts)
    assert set(people) == {frozenset({"paul grant", "jose cruz"}), frozenset({"anne kerr", "luis reyes"})}
    assert people[frozenset({"anne kerr", "luis reyes"})].date == PartialDate(2023)


def test_section_headings_name_separate_meetings(extract):
    text = ("Meetings in Singapore\n\n"
            "Japan-US Meeting\n"
            "US Defense Secretary Mark Hill praised the cooperation. He agreed with Japanese Defense Minister "
            "Kenji Ono on the realignment.\n\n"
            "Japan-France Meeting\n"
            "Minister Ono and French Defense Minister Paul Martin exchanged views on the region.\n")
    facts = extract(text)
    assert pairs(facts) == {frozenset({"mark hill", "kenji ono"}), frozenset({"kenji ono", "paul martin"})}
    people = by_people(facts)
    assert people[frozenset({"kenji ono", "paul martin"})].label.startswith("Japan-France Meeting")


def test_a_news_conference_after_the_meeting_is_its_own_event(extract):
    facts = extract("Visit to Syria, 22 December 2025\n\nTurkish Foreign Minister Ali Demir met Syrian Foreign "
                    "Minister Sami Nasser in Damascus. After the meeting, Minister Demir and Minister Nasser held a "
                    "joint press conference.", PartialDate(2025, 12, 22))
    types = sorted(d.type for d in facts.dialogues)
    assert types == ["meeting", "news conference"]
    conference = next(d for d in facts.dialogues if d.type == "news conference")
    # the headline's "Visit to Syria" places it in Syria too
    assert conference.date == PartialDate(2025, 12, 22) and "Damascus" in [p.name for p in conference.places]


def test_a_courtesy_call_and_an_audience_with_other_hosts_are_two_events(extract):
    facts = extract("Visit\n\nOn 9 July 2024 Thai Defence Minister Somchai Wong received Malaysian Defence Minister "
                    "Azlan Hamzah. Minister Azlan Hamzah also paid a courtesy call on Thai Foreign Minister Niran "
                    "Chai.")
    assert len(facts.dialogues) == 2
    assert pairs(facts) == {frozenset({"somchai wong", "azlan hamzah"}), frozenset({"azlan hamzah", "niran chai"})}


def test_a_visit_labelled_by_its_meeting(extract):
    facts = extract("Visit\n\nFinnish Prime Minister Anna Virta visited Kyiv on 26 May 2022. She met Ukrainian "
                    "President Petro Bondar in Kyiv.")
    [d] = facts.dialogues
    assert d.type == "meeting" and set(d.participants) == {"anna virta", "petro bondar"}


def test_delegation_that_will_be_comprised_of(extract):
    facts = extract("Ministers to meet\n\nMexican Foreign Secretary Luis Mora will meet US Secretary of State John "
                    "Hill in Boston on 30 January 2015. The Mexican delegation will be comprised of Secretary Mora and "
                    "Undersecretary Ana Ruiz.", PartialDate(2015, 1, 28))
    assert frozenset({"ana ruiz", "john hill"}) in pairs(facts)


def test_a_meeting_just_held_is_of_the_articles_day(extract):
    facts = extract("Transcript\n\nSECRETARY HILL: Good afternoon. US Secretary of Defense John Hill and New Zealand "
                    "Defence Minister Tom Reid just finished a working lunch. We also recalled the meeting of army "
                    "chiefs in Auckland in September 2013.", PartialDate(2013, 10, 28))
    lunch = next(d for d in facts.dialogues if d.type == "working lunch")
    assert lunch.date == PartialDate(2013, 10, 28)


def test_a_visit_recalled_is_not_the_meeting_and_its_visitor_did_not_attend(extract):
    facts = extract("Chair's statement\n\nThe Special Foreign Ministers' Meeting was held in Jakarta on 27 October "
                    "2022, chaired by Cambodian Foreign Minister Chan Vuthy. The Meeting also recalled the visit of "
                    "Thai Prime Minister Somchai Wong to Myanmar.", PartialDate(2022, 10, 27))
    meeting = next(d for d in facts.dialogues if d.type == "meeting")
    visit = next(d for d in facts.dialogues if d.type == "visit")
    assert "somchai wong" not in meeting.participants and visit.participants == ["somchai wong"]


def test_the_speakers_of_a_news_conference_transcript_took_part(extract):
    facts = extract("Press Availability With Peruvian Foreign Minister Hugo Salas\n\n"
                    "SECRETARY HILL: Good afternoon. US Secretary of State Mark Hill is pleased to be joined by "
                    "Foreign Minister Hugo Salas of Peru.", PartialDate(2016, 8, 1))
    conference = next(d for d in facts.dialogues if d.type == "news conference")
    assert set(conference.participants) == {"hugo salas", "mark hill"}


def test_we_took_part_in_a_named_dialogue(extract):
    facts = extract("Transcript\n\nSECRETARY HILL: Good afternoon. US Secretary of State Mark Hill spoke first. And we "
                    "have been delighted to be engaged in the sixth session of the Peru-US High-Level Dialogue.")
    dialogue = next(d for d in facts.dialogues if d.named)
    assert dialogue.participants == ["mark hill"]


def test_also_met_is_on_the_occasion_told_before(extract):
    facts = extract("Visit\n\nEstonian Defence Minister Karl Tamm visited Copenhagen on 19 May 2022 and held a joint "
                    "press conference with Danish Prime Minister Mette Lund. Minister Tamm also met with Danish Foreign "
                    "Minister Jens Berg.", PartialDate(2022, 5, 19))
    meeting = next(d for d in facts.dialogues if d.type == "meeting")
    assert meeting.date == PartialDate(2022, 5, 19) and [p.name for p in meeting.places] == ["Copenhagen"]


def test_a_headlines_place_for_the_meetings_it_announces(extract):
    facts = extract("Meetings with Defence Ministers in Singapore\n\n"
                    "Japan-Canada Meeting\n"
                    "Japanese Defence Minister Kenji Ono and Canadian Defence Minister Paul Grant exchanged views.\n")
    [d] = facts.dialogues
    assert [p.name for p in d.places] == ["Singapore"]


def test_a_possessive_meeting_names_its_own_people(extract):
    facts = extract("Review\n\nPrime Minister Anne Kerr of Australia said Japanese Prime Minister Kenji Ono's recent "
                    "meeting with Indian Prime Minister Ravi Kumar had strengthened the partnership.")
    assert pairs(facts) == {frozenset({"kenji ono", "ravi kumar"})}


def test_talks_between_two_ministers(extract):
    facts = extract("Talks\n\nTalks between Canadian Foreign Minister Mary Brown and Japanese Foreign Minister Taro "
                    "Sato were held in Ottawa on 3 May 2024.")
    assert pairs(facts) == {frozenset({"mary brown", "taro sato"})}


def test_his_earlier_meeting_is_not_todays_call(extract):
    facts = extract("Readout\n\nOn 3 May 2024 US Secretary of State Mark Hill spoke with Indian External Affairs "
                    "Minister Ravi Kumar. Secretary Hill recalled his meeting with Japanese Foreign Minister Kenji Ono.")
    assert frozenset({"ravi kumar", "kenji ono"}) not in pairs(facts)
    assert frozenset({"mark hill", "kenji ono"}) in pairs(facts)


def test_met_several_at_a_meeting_of_ministers_is_one_meeting(extract):
    facts = extract("Ministers meet\n\nAt the meeting of North American Foreign Ministers in Boston on 30 January "
                    "2015, Mexican Foreign Secretary Luis Mora met with US Secretary of State John Hill and with "
                    "Canadian Foreign Minister Paul Grant.")
    assert pairs(facts) == {frozenset({"luis mora", "john hill"}), frozenset({"luis mora", "paul grant"}),
                            frozenset({"john hill", "paul grant"})}


def test_delegations_led_by_officials_join_the_dialogue(extract):
    facts = extract("Joint Statement\n\nThe fifth Japan-Canada Strategic Dialogue was held in Tokyo on 3 May 2024. "
                    "The Japanese delegation was led by Vice Minister Kenji Ono of Japan, and the Canadian delegation "
                    "by Deputy Minister Paul Grant of Canada.")
    assert pairs(facts) == {frozenset({"kenji ono", "paul grant"})}


def test_a_two_plus_two_gives_every_pair_of_different_countries(extract):
    facts = extract("Joint Statement\n\nJapanese Foreign Minister Kenji Ono, Japanese Defense Minister Taro Sato, US "
                    "Secretary of State Mark Hill and US Secretary of Defense Lloyd Baker held a 2+2 meeting in "
                    "Washington on 3 May 2024.")
    assert len(pairs(facts)) == 4


def test_a_news_agencys_dateline_is_not_where_a_visit_abroad_was(extract):
    facts = extract("Defence ties\n\nKUALA LUMPUR, July 9 -- Malaysian Defence Minister Azlan Hamzah, on an "
                    "official visit to Thailand, met Thai Defence Minister Somchai Wong.", PartialDate(2024, 7, 9))
    assert all("Kuala Lumpur" not in [p.name for p in d.places] for d in facts.dialogues)


def test_an_event_held_in_connection_with_a_summit_is_not_the_summit(extract):
    facts = extract("Leaders to meet\n\nSwedish Prime Minister Ulf Berg will meet British Prime Minister Tom Hale in "
                    "Visby. The meeting will take place in connection with Mr Berg hosting the Nordic Leaders' Summit.")
    meeting = next(d for d in facts.dialogues if d.type == "meeting")
    summit = next(d for d in facts.dialogues if d.type == "summit")
    assert set(meeting.participants) == {"ulf berg", "tom hale"} and summit.participants == ["ulf berg"]


def test_the_chair_of_a_forum_names_a_body_not_a_meeting(extract):
    facts = extract("Outcomes\n\nThe Chair of the Pacific Islands Forum, Cook Islands Prime Minister Mark Tane, "
                    "welcomed the report.")
    assert facts.dialogues == []


def test_a_planned_visit_of_nobody_to_a_country_is_no_event(extract):
    facts = extract("Talks\n\nThai Foreign Minister Somchai Wong met Chinese Foreign Minister Li Wei in Beijing on 6 "
                    "December 2023. An invitation was extended to visit China at a mutually convenient time.")
    assert [d.type for d in facts.dialogues] == ["meeting"]


def test_a_named_meetings_short_name_is_the_same_meeting(extract):
    facts = extract("FORUM MEETING OUTCOMES\n\nThe Forum Foreign Ministers Meeting was convened in Suva on 9 August "
                    "2024, chaired by Cook Islands Prime Minister Mark Tane.", PartialDate(2024, 8, 14))
    [d] = facts.dialogues
    assert d.label.startswith("Forum Foreign Ministers Meeting") and d.participants == ["mark tane"]


def test_each_clause_joined_by_and_has_its_own_people(extract):
    facts = extract("Remarks\n\nIn 2022, Palauan President Tom Remengesau led a delegation to Taiwan, and that same year "
                    "Taiwanese Vice President Lin Chen visited Palau.")
    visit = next(d for d in facts.dialogues if d.type == "visit")
    assert visit.participants == ["lin chen"]


def test_a_side_a_meetings_name_gives_is_the_official_of_the_series(extract):
    facts = extract("Bilateral Meetings\n\nItaly-Peru Meeting\n\nItalian Defence Minister Marco Rossi met Peruvian "
                    "Defence Minister Juan Soto on 1 June 2024.\n\nItaly-Chile Meeting\n\nMinister Rossi exchanged views "
                    "with Chilean Defence Minister Ana Vera.\n\nItaly-Kenya Meeting\n\nKenyan Defence Minister Paul "
                    "Otieno expressed gratitude for Italy's support.")
    kenya = next(d for d in facts.dialogues if d.label.startswith("Italy-Kenya"))
    assert set(kenya.participants) == {"marco rossi", "paul otieno"}
    assert frozenset({"marco rossi", "paul otieno"}) in pairs(facts)


def test_a_meetings_side_is_not_guessed_among_equals(extract):
    facts = extract("Bilateral Meetings\n\nItaly-Kenya Meeting\n\nKenyan Defence Minister Paul Otieno expressed "
                    "gratitude for Italy's support. Italian Defence Minister Marco Rossi and Italian Foreign Minister "
                    "Lia Conti attended a dinner.")
    kenya = next(d for d in facts.dialogues if d.label.startswith("Italy-Kenya"))
    assert kenya.participants == ["paul otieno"]


def test_two_who_met_on_the_sidelines_of_a_named_meeting_attended_it(extract):
    facts = extract("Talks\n\nOn 6 May 2024, Italian Foreign Minister Marco Rossi met with Peruvian Foreign Minister "
                    "Juan Soto in Lima on the sidelines of the 9th Andes Cooperation Foreign Ministers' Meeting.")
    forum = next(d for d in facts.dialogues if d.named)
    assert set(forum.participants) == {"marco rossi", "juan soto"}


def test_a_headlines_loose_tense_yields_to_the_sentence():
    # "Ministers agree to hold talks" over a text telling the talks as held: the event happened
    headline = DialogueMention(label="talks", type="talks", status="planned", headline=True)
    told = DialogueMention(label="meeting", type="meeting", participants=["a b", "c d"], status="held")
    _absorb(headline, told)
    assert headline.status == "held"
    later = DialogueMention(label="visit", type="visit", participants=["a b"], status="planned")
    assert not _compatible(headline, later)  # the planned visit is another event now


def test_who_extends_an_invitation_to_visit_does_not_go(extract):
    facts = extract("Talks\n\nItalian Foreign Minister Marco Rossi met Peruvian Foreign Minister Juan Soto in Lima on "
                    "6 May 2024. Mr Soto extended an invitation to Mr Rossi to visit Peru at a convenient time.")
    visit = next(d for d in facts.dialogues if d.type == "visit")
    assert visit.participants == ["marco rossi"] and visit.status == "planned"


def test_a_name_comma_title_label_opens_a_speakers_turn(extract):
    facts = extract("Transcript\n\nCanadian Prime Minister John Smith\n\nJOHN SMITH, PRIME MINISTER:\nThank you. Last "
                    "week I discussed this with President Jean Dupont of France.")
    assert pairs(facts) == {frozenset({"john smith", "jean dupont"})}


def test_two_holders_of_one_office_in_a_list_are_two_sides(extract):
    # even when both are given one country (one of them wrongly), a country has one prime minister
    facts = extract("Calls\n\nCanadian Foreign Minister Mary Brown has spoken with French Prime Minister Ana Silva and "
                    "French Prime Minister Jean Dupont.")
    assert sorted(sorted(d.participants) for d in facts.dialogues) == [["ana silva", "mary brown"],
                                                                      ["jean dupont", "mary brown"]]


def test_signed_at_the_ceremony_is_that_ceremony(extract):
    facts = extract("Signing\n\nThe agreement was signed by Italian Defence Minister Marco Rossi and Peruvian Defence "
                    "Minister Juan Soto in Lima. The army chiefs, Italian General Luca Neri and Peruvian General Ana "
                    "Vera, also signed an arrangement relating to training areas at the ceremony.")
    [signing] = [d for d in facts.dialogues if d.type == "signing"]
    assert {"marco rossi", "juan soto"} <= set(signing.participants)
    assert frozenset({"marco rossi", "ana vera"}) in pairs(facts)


def test_a_visit_to_a_country_is_placed_there_but_not_a_visit_talked_about(extract):
    facts = extract("Visit\n\nIndian Foreign Minister Ravi Kumar began an official visit to Norway on 3 May 2024.")
    assert [p.name for d in facts.dialogues for p in d.places] == ["Norway"]
    facts = extract("Talks\n\nCanadian Foreign Minister Mary Brown exchanged views with Japanese Foreign Minister Taro "
                    "Sato on defence exchanges, including the visit to Norway by army chiefs.")
    assert pairs(facts) == {frozenset({"mary brown", "taro sato"})}
    assert all(p.name != "Norway" for d in facts.dialogues for p in d.places)


def test_where_the_guests_arrived_is_where_they_were_received(extract):
    facts = extract("Visit\n\nIndian Foreign Minister Ravi Kumar, who arrived at the airport in Oslo, was received by "
                    "Norwegian Foreign Minister Kari Olsen.")
    meeting = by_people(facts)[frozenset({"ravi kumar", "kari olsen"})]
    assert [p.name for p in meeting.places] == ["Oslo"]


def test_welcoming_a_guest_is_meeting_them(extract):
    facts = extract("Visit\n\nNorwegian Foreign Minister Kari Olsen welcomed Indian Foreign Minister Ravi Kumar to Oslo "
                    "on 3 May 2024.")
    meeting = by_people(facts)[frozenset({"kari olsen", "ravi kumar"})]
    assert meeting.type == "meeting" and [p.name for p in meeting.places] == ["Oslo"]


def test_also_met_during_a_visit_is_at_the_visits_time_and_place(extract):
    facts = extract("Report\n\nAnna Berg of the Red Cross thanked Norway for its support during a visit to Oslo on 3 May "
                    "2024.\n\nAddressing a press conference alongside Prime Minister Eva Lund, Mrs Berg praised Norway.\n\n"
                    "There, Mrs Berg also met with the Minister of Foreign Affairs, Kari Olsen, and the Minister of "
                    "Defence, Lars Dahl.", PartialDate(2024, 5, 3))
    meeting = by_people(facts)[frozenset({"kari olsen", "lars dahl"})]
    assert meeting.date == PartialDate(2024, 5, 3) and [p.name for p in meeting.places] == ["Oslo"]


def test_one_we_know_no_office_of_meets_a_countrys_officials_together(extract):
    facts = extract("Report\n\nAnna Berg of the Red Cross met with the Norwegian Minister of Foreign Affairs, Kari "
                    "Olsen, and the Norwegian Minister of Defence, Lars Dahl.")
    assert frozenset({"kari olsen", "lars dahl"}) in by_people(facts)


def test_the_date_of_an_event_named_after_after_is_that_events(extract):
    facts = extract("Statement\n\nAfter the Nordic Foreign Ministers' annual meeting in Oslo on 9 September, the "
                    "ministers released a joint statement.", PartialDate(2020, 9, 11))
    meeting = next(d for d in facts.dialogues if "meeting" in d.label)
    assert meeting.date == PartialDate(2020, 9, 9)


def test_leaders_who_reached_an_agreement_talked(extract):
    facts = extract("Briefing\n\nThe defence pact builds on the partnership agreement that was reached between Prime "
                    "Minister Ola Dahl of Norway and President Ana Silva of Chile in 2023.")
    talks = by_people(facts)[frozenset({"ola dahl", "ana silva"})]
    assert talks.date == PartialDate(2023)
    facts = extract("Briefing\n\nThe partnership agreement reached between Norway and Chile in 2023 took effect.")
    assert facts.dialogues == []


def test_a_welcome_said_as_it_is_given_is_the_event_it_opens(extract):
    facts = extract("Transcript\n\nNORWEGIAN DEFENCE MINISTER, OLA DAHL: It's my honour to be able to welcome Chilean "
                    "Defence Minister Pablo Rojas for his first visit to Norway.")
    assert [d.status for d in facts.dialogues] == ["held"]


def test_a_release_date_on_a_line_of_its_own_below_page_furniture_dates_today(extract):
    furniture = "\n\n".join(["Release details", "Release type", "Related ministers", "Media contact", "Release content"])
    facts = extract(f"Transcript\n\n{furniture}\n\n12 November 2024\n\nNorwegian Defence Minister Ola Dahl met Chilean "
                    "Defence Minister Pablo Rojas in Oslo today.")
    meeting = by_people(facts)[frozenset({"ola dahl", "pablo rojas"})]
    assert meeting.date == PartialDate(2024, 11, 12)


def test_an_abbreviated_title_ends_no_sentence(extract):
    facts = extract("Communique\n\nThe meeting was headed by Mr. Ola Dahl, Norwegian Deputy Foreign Minister, and by "
                    "Msgr. Paolo Conti, Italian Under-Secretary for Foreign Affairs.")
    assert pairs(facts) == {frozenset({"ola dahl", "paolo conti"})}



def test_a_round_of_talks_hosted_by_a_city_is_its_own_event_beside_a_call(extract):
    facts = extract("Call\n\nPresident Anna Berg of Norway received a phone call from Canadian Prime Minister John Hale. "
                    "The two leaders reviewed the negotiation round currently hosted by Geneva.")
    places = {d.type: [p.name for p in d.places] for d in facts.dialogues}
    assert places.get("talks") == ["Geneva"]
    assert "Geneva" not in places.get("call", [])


def test_a_round_of_sanctions_is_no_event(extract):
    facts = extract("Sanctions\n\nThe government in Oslo announced a new round of sanctions in Geneva on Tuesday.")
    assert not [d for d in facts.dialogues if d.type == "talks"]


def test_a_greeting_on_the_day_the_text_tells_below_a_long_header_at_the_datelines_city(extract):
    header = "Release\n\nNo. 12/34\n\nMINISTER VISITS OSLO\n\n5 March 2019\n\nPress Release\nNo. 12/34\n\n"
    facts = extract(header + "20190305 OSLO, 5 March -- At 10 a.m. on Monday, 4 March, Canadian Foreign Minister "
                    "Mary Brown arrived at the palace where she was greeted by Norwegian Prime Minister Erik Lund.")
    assert pairs(facts) == {frozenset({"mary brown", "erik lund"})}
    meeting = facts.dialogues[0]
    assert meeting.date == PartialDate(2019, 3, 4)
    assert [p.name for p in meeting.places] == ["Oslo"]


def test_greeting_a_decision_is_no_meeting(extract):
    facts = extract("Statement\n\nCanadian Foreign Minister Mary Brown greeted the decision of the council on Monday.")
    assert not facts.dialogues


def test_a_meeting_at_a_later_hour_is_on_the_day_just_told(extract):
    facts = extract("Visit\n\nOn Monday, 4 March 2019, Canadian Foreign Minister Mary Brown met Norwegian Prime Minister "
                    "Erik Lund in Oslo.\n\nAt 11 a.m., Brown held a meeting with Norwegian Defence Minister Ola Dahl.")
    meeting = by_people(facts)[frozenset({"mary brown", "ola dahl"})]
    assert meeting.date == PartialDate(2019, 3, 4)


def test_a_summit_hoped_to_lead_to_results_took_place_but_one_to_come_stays_planned(extract):
    held = extract("Statement\n\nCanadian Prime Minister John Hale and Norwegian Prime Minister Erik Lund hoped that their "
                   "summit would lead to good results, in a conversation in Oslo on 4 March 2019.")
    assert {d.status for d in held.dialogues} == {"held"}
    planned = extract("Statement\n\nCanadian Prime Minister John Hale and Norwegian Prime Minister Erik Lund hoped that the "
                      "upcoming summit in Oslo would lead to good results.")
    assert {d.status for d in planned.dialogues} == {"planned"}


def test_an_acronym_in_brackets_stays_inside_the_events_name(extract):
    facts = extract("Summit\n\nNorwegian Prime Minister Erik Lund hosted the Northern Maritime Group (NMG) Leaders’ Summit "
                    "in Oslo on 4 March 2019.")
    assert [d.label for d in facts.dialogues if d.named] == ["Northern Maritime Group (NMG) Leaders’ Summit 2019"]


def test_the_next_plenary_to_hold_at_a_city_is_a_planned_meeting_there(extract):
    facts = extract("Communiqué\n\nThe joint commission of Norway and Canada met today, 4 March 2019, in Oslo. The Parties "
                    "also agreed to hold the next Plenary meeting in June 2019 at Geneva.")
    planned = [d for d in facts.dialogues if d.status == "planned"]
    assert [(d.date, [p.name for p in d.places]) for d in planned] == [(PartialDate(2019, 6), ["Geneva"])]


def test_a_press_conference_after_a_visit_is_at_the_visit_on_its_day(extract):
    facts = extract("Visit\n\nThe council's envoy thanked Norway during a visit to Oslo on Thursday (4 March 2019)."
                    "\n\nAddressing a press conference alongside Norwegian Prime Minister Erik Lund, the envoy praised "
                    "the partnership.")
    press = [d for d in facts.dialogues if d.type == "news conference"]
    assert [(d.date, [p.name for p in d.places]) for d in press] == [(PartialDate(2019, 3, 4), ["Oslo"])]


def test_a_dialogue_held_over_the_last_day_is_of_the_articles_date(extract):
    facts = extract("Remarks\n\nSecretary of State John Hale\nOttawa\nMarch 4, 2019\n\nSECRETARY HALE: I am delighted to be "
                    "joined by Foreign Minister Erik Lund of Norway. It has been a pleasure over the course of the last "
                    "day and a half to take part in the third session of the Canada-Norway Strategic Dialogue.")
    dialogue = next(d for d in facts.dialogues if d.named)
    assert dialogue.date == PartialDate(2019, 3, 4)


def test_a_meeting_named_by_the_body_it_is_of_keeps_of_and_and_in_its_name(extract):
    facts = extract("Communiqué\n\nThe ministers signed the protocol in the margins of the 12th Regular Meeting of the "
                    "Conference of Heads of State and Government of the Northern Community in St. John's, Antigua.")
    assert [d.label for d in facts.dialogues if d.named] == [
        "Regular Meeting of the Conference of Heads of State and Government of the Northern Community"]


def test_of_and_and_between_capitalised_words_stay_inside_a_summits_name(extract):
    facts = extract("Summit\n\nNorwegian Prime Minister Erik Lund attended the Nordic Council of Heads of State and "
                    "Government Summit in Oslo on 4 March 2019.")
    assert [d.label for d in facts.dialogues if d.named] == [
        "Nordic Council of Heads of State and Government Summit 2019"]
