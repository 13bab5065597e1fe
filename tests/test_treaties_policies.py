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
    assert t.label == "Brazil–Kenya strategic partnership" and t.parties == {"BRA", "KEN"}


def test_one_pair_named_in_either_order_is_one_agreement(extract):
    facts = extract("Ties\n\nThe Kenya-Brazil strategic partnership grew. Leaders praised the Brazil - Kenya "
                    "strategic partnership.")
    assert [t.label for t in facts.treaties] == ["Brazil–Kenya strategic partnership"]


def test_joint_communiques_of_a_pair_keep_their_two_parties(extract):
    facts = extract("Remarks\n\nGhana urged Norway to honour the three Ghana-Norway joint communiqués.")
    assert treaty(facts, "communiqu").parties == {"GHA", "NOR"}


def test_agreement_to_establish_is_one_name_and_a_ratification_names_its_party(extract):
    facts = extract("Outcomes\n\nThe ministers endorsed the Agreement to Establish the Coral Reef Fund on Monday. "
                    "Fiji announced its ratification of the Agreement.")
    t = treaty(facts, "Coral Reef Fund")
    assert t.label == "Agreement to Establish the Coral Reef Fund"
    assert {"endorsed", "ratified"} <= {e for e, _ in events(t)} and "FJI" in t.parties


def test_protocol_amending_a_treaty_and_opened_for_signature(extract):
    facts = extract("Ratification\n\nPeru ratified the Protocol Amending the Treaty of Lima on 2 June 2023. "
                    "The Protocol was opened for signature in 2019.")
    t = treaty(facts, "Protocol Amending")
    assert ("ratified", "2023-06-02") in events(t) and ("opened for signature", "2019") in events(t)


def test_anniversary_of_a_signing_dates_the_signing_years_before(extract):
    facts = extract("Centenary\n\nOn 3 May 2019 the ministers marked the 50th anniversary of the signing of the "
                    "Treaty of Friendship between Chile and Peru.")
    t = treaty(facts, "Treaty of Friendship")
    assert t.parties == {"CHL", "PER"}
    assert ("signed", "1969") in events(t) and ("anniversary", "2019-05-03") in events(t)


def test_signed_framework_agreement_on_a_subject(extract):
    facts = extract("Defence\n\nChile and Peru signed a framework agreement on naval training in Lima.")
    t = treaty(facts, "framework agreement")
    assert t.parties == {"CHL", "PER"} and "signed" in {e for e, _ in events(t)}


def test_their_agreement_on_a_view_is_no_treaty(extract):
    facts = extract("Talks\n\nChile and Peru expressed their agreement on the need for calm.")
    assert facts.treaties == []


def test_adopted_plan_of_action(extract):
    facts = extract("Plan\n\nGhana and Norway adopted a plan of action on maritime security.")
    assert treaty(facts, "plan of action").parties == {"GHA", "NOR"}


def test_partnership_agreement_reached_between_two_countries(extract):
    facts = extract("Meeting\n\nIt builds on a strategic partnership agreement that was reached by Chile and "
                    "Peru in 2019.")
    t = treaty(facts, "partnership agreement")
    assert t.parties == {"CHL", "PER"} and ("reached", "2019") in events(t)


def test_a_heading_names_the_agreement_its_line_tells_of(extract):
    facts = extract("Outcomes\n\nThe leaders met in Suva on 4 May 2024 with Chile and Peru.\n"
                    "-\nCoastal Peace Declaration: Leaders declared the coast a zone of peace.\n",
                    PartialDate(2024, 5, 4))
    assert ("declared", "2024-05-04") in events(treaty(facts, "Coastal Peace Declaration"))


def test_the_alliance_beside_nato_is_no_agreement_of_the_countries(extract):
    facts = extract("Visit\n\nAt NATO, officials from Norway and Denmark said the Alliance must stay united.")
    assert facts.treaties == []


def test_one_agreement_under_two_word_orders(extract):
    facts = extract("Visit\n\nChile signed a Trade Consultation Agreement with Peru on 4 May 2017. "
                    "The Agreement of Trade Consultation sets up yearly talks.")
    assert [t.label for t in facts.treaties] == ["Trade Consultation Agreement"]


def test_entered_into_effect_and_effective_between_years(extract):
    facts = extract("Trade\n\nTrade grew after the Andean Free Trade Agreement entered into effect in 1996. "
                    "The Coastal Framework will be effective between 2023-2028 for Chile and Peru.")
    assert ("entered into force", "1996") in events(treaty(facts, "Andean"))
    assert ("took effect", "2023") in events(treaty(facts, "Coastal Framework"))


def test_a_heading_of_action_plans_is_no_agreement(extract):
    facts = extract("Reports & Action Plans\n\nThe ministers of Chile and Peru met in Lima.")
    assert facts.treaties == []


def test_the_eu_is_a_party_as_itself(extract):
    facts = extract("Summit\n\nThe EU and Japan signed a strategic partnership agreement in Tokyo on 4 May 2024.")
    t = treaty(facts, "strategic partnership agreement")
    assert t.parties == {"EUU", "JPN"} and t.label.startswith("European Union–Japan")


# --- policies -------------------------------------------------------------------------------------


def owners(facts: ArticleFacts) -> dict[str, str | None]:
    return {p.label: p.country for p in facts.policies}


def owner_of(facts: ArticleFacts, words: str) -> str | None:
    found = [c for label, c in owners(facts).items() if words in label]
    assert len(found) == 1, owners(facts)
    return found[0]


def test_support_of_a_kind_is_the_subjects_commitment(extract):
    facts = extract("Visit\n\nNorway will keep up and widen its military and humanitarian support to Moldova.")
    assert owner_of(facts, "military and humanitarian support") == "NOR"


def test_a_countrys_support_for_something(extract):
    facts = extract("Call\n\nThe president restated Chile's firm support for the sovereignty of Peru.")
    assert owner_of(facts, "support for the sovereignty") == "CHL"


def test_support_of_no_kind_and_no_aim_is_no_policy(extract):
    facts = extract("Call\n\nChile thanked Peru for the valuable support provided by its people.")
    assert facts.policies == []


def test_the_eu_imposes_measures(extract):
    facts = extract("Moldova: EU extends restrictive measures\n\nSince 2021 the EU has adopted three packages of "
                    "sanctions on the officials involved.")
    assert set(owners(facts).values()) == {"EUU"} and len(facts.policies) == 2


def test_countermeasures_taken_now_are_dated_by_the_report(extract):
    facts = extract("Remarks\n\nGhana has imposed countermeasures on three Norwegian firms.",
                    PartialDate(2025, 3, 4))
    policy = next(p for p in facts.policies if "countermeasures" in p.label)
    assert policy.country == "GHA" and policy.date == PartialDate(2025, 3, 4)


def test_the_target_of_sanctions_is_not_their_owner(extract):
    facts = extract("Release\n\nSanctions were imposed on Chilean Foreign Minister Ana Soto on Monday.")
    assert facts.policies == []


def test_deployments_and_the_realignment_of_a_countrys_forces(extract):
    facts = extract("Talks\n\nThe minister praised Danish naval deployments in the Baltic. They discussed the "
                    "realignment of US forces in Japan.")
    assert owner_of(facts, "naval deployments") == "DNK" and owner_of(facts, "realignment") == "USA"


def test_bids_and_membership_requests(extract):
    facts = extract("Outcomes\n\nLeaders endorsed Chile's bid to host the 2030 summit. Norway and Peru submitted "
                    "their membership requests.")
    assert owner_of(facts, "bid to host") == "CHL" and owner_of(facts, "membership requests") == "NOR"


def test_recognising_a_state_and_a_two_state_solution(extract):
    facts = extract("Statement\n\nPeru intends to recognise the State of Palestine this year. Peru supports a "
                    "two-state solution.")
    assert owner_of(facts, "recognition of State of Palestine") == "PER"
    assert owner_of(facts, "two-state solution") == "PER"


def test_core_interests_arms_sales_and_opposition(extract):
    facts = extract("Remarks\n\nThe strait lies among China's core interests. Beijing condemned U.S. arms "
                    "sales to the island. Japan opposes unilateral changes to the status quo by force.")
    assert owner_of(facts, "core interests") == "CHN" and owner_of(facts, "arms sales") == "USA"
    assert owner_of(facts, "opposition to unilateral changes") == "JPN"


def test_a_country_proposed_initiative_and_a_commitment(extract):
    facts = extract("Talks\n\nThey discussed the Chilean-proposed conference on fisheries. Ghana's commitment to "
                    "strengthening regional trade was noted.")
    assert owner_of(facts, "conference on fisheries") == "CHL"
    assert owner_of(facts, "commitment to strengthening regional trade") == "GHA"


def test_titles_organisations_fields_and_standing_are_no_policies(extract):
    facts = extract("Visit\n\nChile's minister was received by Peru's Acting Director of Defence Policy, Ana Soto, "
                    "and by an officer of the United Nations Development Programme (UNDP). They discussed matters "
                    "of international foreign policy. Chile's position on the international arena is growing.")
    assert facts.policies == []


def test_what_someone_is_thanked_for_is_not_the_thankers(extract):
    facts = extract("Call\n\nPresident Ana Soto of Peru thanked Chile for its military support and its new "
                    "sanctions on the regime.")
    assert all(c != "PER" for c in owners(facts).values()), owners(facts)


def test_a_possessor_the_parse_leaves_out_still_owns_the_support(extract):
    facts = extract("Call\n\nThe envoy restated the UK's steady military, economic and political support.")
    assert set(owners(facts).values()) == {"GBR"}


def test_a_free_and_open_region_as_a_position(extract):
    facts = extract("Talks\n\nOfficials said Japan will work with partners toward a free and open Indo-Pacific "
                    "region.")
    assert owner_of(facts, "free and open Indo-Pacific") == "JPN"


def test_a_deployment_announced_by_a_countrys_ministry_not_one_condemned(extract):
    facts = extract("Navy\n\nThe Japanese Defence Ministry announced the deployment of two destroyers to the region. "
                    "Peru condemned the deployment of missiles near its coast.")
    # Peru's is the condemnation (a position), not the deployment it condemns
    deployments = {label: c for label, c in owners(facts).items() if not label.startswith("condemnation")}
    assert list(deployments.values()) == ["JPN"] and "deployment of two destroyers" in next(iter(deployments))
    assert owner_of(facts, "condemnation of deployment of missiles") == "PER"


def test_a_country_as_a_strategic_partner_of_another(extract):
    facts = extract("Visit\n\nThe Peruvian minister described Chile as a strategic partner. Ecuador is a "
                    "partner too.")
    assert treaty(facts, "strategic partnership").parties == {"CHL", "PER"}


def test_a_strategic_partner_among_three_countries_is_no_agreement(extract):
    facts = extract("Visit\n\nThe ministers of Peru and Ecuador called Chile a strategic partner.")
    assert facts.treaties == []


def test_an_mou_told_by_its_signing_is_the_two_countries(extract):
    facts = extract("Visit\n\nPeru and Chile reviewed work under the MoU signed in October 2010.")
    t = treaty(facts, "MoU")
    assert t.label == "Chile–Peru MoU" and ("signed", "2010-10") in events(t)


def test_a_country_inside_a_hyphenated_word_is_not_the_owner(extract):
    facts = extract("Remarks\n\nThe United States remains committed to its one-China policy.")
    assert owner_of(facts, "one-China policy") == "USA"


def test_a_countrys_assistance_scheme_and_an_organisations_programme(extract):
    facts = extract("Aid\n\nJapan will expand its security assistance scheme. Peru funds the UN's development "
                    "programme.")
    assert owner_of(facts, "security assistance scheme") == "JPN"
    assert owner_of(facts, "development programme") is None


def test_what_a_country_opposes_is_not_its_own_measure(extract):
    facts = extract("Remarks\n\nGhana strongly opposes one-sided sanctions which lack any legal basis.")
    assert list(owners(facts).values()) == ["GHA"] and facts.policies[0].label.startswith("opposition to")


def test_a_threat_of_sanctions_is_the_tellers(extract):
    facts = extract("Call\n\nGhana restated its position and warned that any attack would bring severe costs, "
                    "including joint sanctions.")
    assert owner_of(facts, "joint sanctions") == "GHA"


def test_an_elliptic_for_sentence_continues_the_thanks(extract):
    facts = extract("Call\n\nThe president thanked the people of Norway for their help. In particular, for "
                    "three rounds of military aid.")
    assert owner_of(facts, "military aid") == "NOR"


def test_aid_a_minister_says_must_be_given_is_no_ones_commitment(extract):
    facts = extract("Statement\n\nForeign Minister Ana Soto of Peru has stressed that more food aid should be "
                    "delivered to the people of Chile.")
    assert facts.policies == []


def test_effective_and_declared_only_as_events(extract):
    facts = extract("Talks\n\nChile and Peru declared their support for the Andean Treaty and praised effective "
                    "cooperation under the Andean Treaty.")
    assert events(treaty(facts, "Andean Treaty")) == set()


def test_a_fleet_review_is_an_event_not_a_policy(extract):
    facts = extract("Navy\n\nThe Chilean Navy hosted the International Fleet Review in Valparaiso. Chile "
                    "published its Defence Strategic Review in May 2024.")
    assert [p.label for p in facts.policies] == ["Defence Strategic Review (Chile)"]


def test_a_numbered_list_of_agreements_signed(extract):
    facts = extract("Visit\n\nA Joint Declaration on Principles for Trade and Partnership between Ghana and Norway "
                    "was signed on 23 July 2003. The following agreements were also signed:\n"
                    "  1. MOU on Easier Travel Procedures;\n  2. Protocol on Fisheries Standards.\n",
                    PartialDate(2003, 7, 23))
    assert treaty(facts, "Declaration on Principles for Trade and Partnership").parties == {"GHA", "NOR"}
    for name in ("MOU on Easier Travel Procedures", "Protocol on Fisheries Standards"):
        assert ("signed", "2003-07-23") in events(treaty(facts, name))


def test_measures_announced_by_one_country_and_welcomed_by_another(extract):
    facts = extract("Call\n\nChile welcomed Peru's announcement of new sanctions against the regime and praised the "
                    "stability of the Taiwan Strait and their opposition to any attempt to change it.")
    assert owner_of(facts, "new sanctions") == "PER"
    assert all(c != "TWN" for c in owners(facts).values())


def test_the_eu_named_through_an_article_completes_an_agreements_parties(extract):
    facts = extract("Declaration\n\nThe EU and Chile held talks. The EU and Chile agreed to meet again. "
                    "Officials signed an agreement on disaster relief cooperation.")
    assert treaty(facts, "agreement on disaster relief").parties == {"CHL", "EUU"}


def test_people_designated_by_a_government_body_are_its_sanctions(extract):
    facts = extract("Treasury acts\n\nToday, the Department of the Treasury designated Ana Berg, a minister of "
                    "Ruritania. The United States sanctioned two banks in March. The council designated the area a "
                    "protected zone.")
    assert owner_of(facts, "sanctions on Ana Berg") == "USA"
    assert owner_of(facts, "sanctions on two banks") == "USA"
    assert not any("zone" in label or "area" in label for label in owners(facts))


def test_activities_another_government_credits_a_country_with_are_its_own(extract):
    facts = extract("Talks in Tokyo\n\nMinister Ken Kato of Japan lauded the resumption of Australia's refuelling "
                    "operations in the Pacific and expressed gratitude for Australia's surveillance activities. "
                    "He condemned Ruritania's destabilising activities.")
    assert owner_of(facts, "refuelling operations") == "AUS"
    assert owner_of(facts, "surveillance activities") == "AUS"
    assert not any("destabilising" in label for label in owners(facts))


def test_efforts_of_a_kind_made_by_the_two_countries_are_each_ones(extract):
    facts = extract("Call\n\nPresident Omar Nabil of Egypt received a call from US President Tom Hale. The call came "
                    "as part of the mediation efforts made by the two countries in the region. "
                    "Qatar's humanitarian efforts were also discussed.")
    assert {(p.label, p.country) for p in facts.policies if "efforts" in p.label} == {
        ("mediation efforts (Egypt and United States)", "EGY"), ("mediation efforts (Egypt and United States)", "USA"),
        ("Qatar's humanitarian efforts", "QAT")}


def test_countries_that_condemn_an_act_hold_that_position_on_the_day_of_the_statement(extract):
    facts = extract("Joint statement\n\nThe Foreign Ministers of Chile, Peru and Ecuador condemn in the strongest "
                    "terms the use of force against peaceful protesters in Ruritania. The minister was condemned "
                    "by the opposition.", PartialDate(2021, 5, 3))
    found = [p for p in facts.policies if p.label.startswith("condemnation of use of force")]
    assert {p.country for p in found} == {"CHL", "PER", "ECU"}
    assert all(p.date == PartialDate(2021, 5, 3) for p in found)
    assert not any("opposition" in p.label for p in facts.policies)


def test_two_offices_named_together_are_their_two_holders(extract):
    facts = extract("Call\n\nToday, Prime Minister Ana Berg of Norway spoke with the President of Chile, Luis Rojas. "
                    "The Prime Minister and President discussed their commitment to the protection of coral reefs.")
    found = [p for p in facts.policies if "protection of coral reefs" in p.label]
    assert {p.country for p in found} == {"NOR", "CHL"}


def test_a_project_a_pair_of_countries_names_is_both_countries(extract):
    facts = extract("Talks\n\nThe ministers discussed the Peru-Chile coastal highway project and a project of the "
                    "region. Chile values the talks.")
    found = [p for p in facts.policies if "coastal highway project" in p.label]
    assert {p.country for p in found} == {"PER", "CHL"}
    assert not any("of the region" in p.label for p in facts.policies)


def test_a_programme_for_our_country_is_the_subjects_countrys(extract):
    facts = extract("Call\n\nThe President of Chile informed the Prime Minister of Norway about planning the "
                    "reconstruction of our ports after the earthquake. Norway will support the reconstruction of Chile.")
    assert owner_of(facts, "reconstruction of its ports") == "CHL"
    assert not any("reconstruction of Chile" in label for label in owners(facts))


def test_solidarity_a_call_for_and_being_committed_to_are_the_subjects_positions(extract):
    facts = extract("Statement\n\nJapan expressed its solidarity with the people of Ruritania. Chile reiterated its "
                    "call for an immediate ceasefire. The EU remains committed to supporting Ruritania's sovereignty. "
                    "Peru is committed to working at this. Norway received a phone call for help.")
    assert owner_of(facts, "solidarity with the people of Ruritania") == "JPN"
    assert owner_of(facts, "call for an immediate ceasefire") == "CHL"
    assert owner_of(facts, "commitment to supporting Ruritania's sovereignty") == "EUU"
    assert not any("working at this" in label or "help" in label for label in owners(facts))


def test_the_eu_condemning_an_act_holds_that_position(extract):
    facts = extract("Statement\n\nThe EU condemns Russia's illegal annexation of Crimea.")
    assert owner_of(facts, "condemnation of Russia's illegal annexation") == "EUU"


def test_a_country_named_before_the_subject_does_not_condemn(extract):
    facts = extract("Statement\n\nResponding to Russia's missile tests, Chile condemned the launches.")
    assert {p.country for p in facts.policies if p.label.startswith("condemnation")} == {"CHL"}
