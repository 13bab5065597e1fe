"""Treaties and policies on short texts written for each phenomenon."""

from __future__ import annotations

import pytest

from kg.articles import parse_article
from kg.dates import PartialDate
from kg.facts import ArticleFacts, Treaty


@pytest.fixture
def extract(extractor):
    def run(text: str, date: PartialDate | None = None) -> ArticleFacts:
        return extractor.extract(parse_article("test.txt", text.encode("utf-8"), date))

    return run


def treaty(facts: ArticleFacts, word: str) -> Treaty:
    found = [t for t in facts.treaties if word.lower() in t.label.lower()]
    assert len(found) == 1, [t.label for t in facts.treaties]
    return found[0]


def events(t: Treaty) -> set[tuple[str, str | None]]:
    return {(e.type, e.date.iso() if e.date else None) for e in t.events}


# --- treaties -------------------------------------------------------------------------------------


def test_lower_case_agreement_after_a_pair_of_countries(extract):
    facts = extract("Ties\n\nThe ministers praised the Brazil - Kenya strategic partnership and its growth.")
    t = treaty(facts, "strategic partnership")
    assert t.label == "Brazil-Kenya strategic partnership" and t.parties == {"BRA", "KEN"}


def test_joint_communiques_of_a_pair_keep_their_two_parties(extract):
    facts = extract("Remarks\n\nGhana urged Norway to honour the three Ghana-Norway joint communiqués.")
    assert treaty(facts, "communiqu").parties == {"GHA", "NOR"}


def test_agreement_to_establish_is_one_name_and_a_ratification_names_its_party(extract):
    facts = extract("Outcomes\n\nLeaders endorsed the Agreement to Establish the Coral Reef Fund, "
                    "welcomed Fiji's ratification as host and noted pledges.")
    t = treaty(facts, "Coral Reef Fund")
    assert t.label == "Agreement to Establish the Coral Reef Fund"
    assert {e for e, _ in events(t)} == {"endorsed", "ratified"} and "FJI" in t.parties


def test_protocol_amending_a_treaty_and_opened_for_signature(extract):
    facts = extract("Ratification\n\nPeru deposited its instrument of ratification of the Protocol Amending the "
                    "Treaty of Lima on 2 June 2023. The Protocol was opened for signature in 2019.")
    t = treaty(facts, "Protocol Amending")
    assert ("ratified", "2023-06-02") in events(t) and ("opened for signature", "2019") in events(t)


def test_anniversary_of_a_signing_dates_the_signing_years_before(extract):
    facts = extract("Centenary\n\nOn 3 May 2019 the ministers marked the 50th anniversary of the signing of the "
                    "Treaty of Friendship between Chile and Peru.")
    t = treaty(facts, "Treaty of Friendship")
    assert t.parties == {"CHL", "PER"}
    assert ("signed", "1969") in events(t) and ("anniversary", "2019-05-03") in events(t)


def test_signed_framework_agreement_on_a_subject(extract):
    facts = extract("Defence\n\nThe defence ministers of Chile and Peru signed a framework agreement on mutual "
                    "cooperation in the field of logistics.")
    t = treaty(facts, "framework agreement")
    assert t.parties == {"CHL", "PER"} and "signed" in {e for e, _ in events(t)}


def test_their_agreement_on_a_view_is_no_treaty(extract):
    facts = extract("Talks\n\nChile and Peru expressed their agreement on the need for calm.")
    assert facts.treaties == []


def test_adopted_plan_of_action(extract):
    facts = extract("Plan\n\nGhana and Norway adopted a plan of action on maritime security.")
    assert treaty(facts, "plan of action").parties == {"GHA", "NOR"}


def test_partnership_agreement_reached_between_two_countries(extract):
    facts = extract("Meeting\n\nThe talks follow the strategic partnership agreement that was reached between "
                    "Chile and Peru in 2019.")
    t = treaty(facts, "partnership agreement")
    assert t.parties == {"CHL", "PER"} and ("reached", "2019") in events(t)


def test_a_heading_names_the_agreement_its_line_tells_of(extract):
    facts = extract("Outcomes\n\nThe leaders met in Suva on 4 May 2024 with Chile and Peru.\n"
                    "-\nCoastal Peace Declaration: Leaders declared the coast a zone of peace.\n",
                    PartialDate(2024, 5, 4))
    assert ("declared", "2024-05-04") in events(treaty(facts, "Coastal Peace Declaration"))


def test_the_alliance_beside_nato_is_no_agreement_of_the_countries(extract):
    facts = extract("Visit\n\nThe NATO Secretary General thanked Norway for its contribution to the Alliance "
                    "during a visit to Oslo with Denmark.")
    assert facts.treaties == []


def test_one_agreement_under_two_word_orders(extract):
    facts = extract("Visit\n\nChile signed a Trade Consultation Agreement with Peru on 4 May 2017. "
                    "The Agreement of Trade Consultation gives the two a permanent channel.")
    assert [t.label for t in facts.treaties] == ["Trade Consultation Agreement"]


def test_entered_into_effect_and_effective_between_years(extract):
    facts = extract("Trade\n\nSince the Andean Free Trade Agreement entered into effect in 1996, trade between "
                    "Chile and Peru has grown. The Coastal Framework that shall be effective between 2023-2028 "
                    "helps Chile and Peru.")
    assert ("entered into force", "1996") in events(treaty(facts, "Andean"))
    assert ("took effect", "2023") in events(treaty(facts, "Coastal Framework"))


def test_a_heading_of_action_plans_is_no_agreement(extract):
    facts = extract("Outcomes & Action Plans\n\nThe ministers of Chile and Peru met in Lima.")
    assert facts.treaties == []
