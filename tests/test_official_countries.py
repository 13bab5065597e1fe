"""The country each official serves: short invented texts, one per phenomenon."""

from __future__ import annotations

import pytest

from kg.articles import parse_article
from kg.facts import ArticleFacts


@pytest.fixture
def extract(extractor):
    def run(text: str) -> ArticleFacts:
        return extractor.extract(parse_article("test.txt", text.encode("utf-8")))

    return run


def countries(facts: ArticleFacts) -> dict[str, str | None]:
    return {o.name: o.country for o in facts.officials.values()}


def test_secretary_of_state_of_another_government_is_not_american(extract):
    text = ("Defence talks in Warsaw\n\n"
            "Polish Minister of National Defence Adam Kowal met Greek Minister of Defence Nikos Pappas in Warsaw. "
            "Secretary of State Piotr Zielinski also attended the talks between Poland and Greece.")
    assert countries(extract(text)).get("Piotr Zielinski") != "USA"


def test_a_delegation_that_thanks_an_official_does_not_give_them_its_country(extract):
    text = ("Talks concluded\n\n"
            "Danish Foreign Minister Lars Holm met Chilean Foreign Minister Pablo Rojas in Santiago. "
            "The Danish delegation thanked Deputy Foreign Minister Carla Soto for her work.")
    assert countries(extract(text)).get("Carla Soto") != "DNK"


def test_a_delegation_led_by_an_official_gives_them_its_country(extract):
    text = ("Talks concluded\n\n"
            "Danish Foreign Minister Lars Holm met Chilean Foreign Minister Pablo Rojas in Santiago. "
            "The Chilean delegation was led by Minister Rojas and comprised of Deputy Foreign Minister Carla Soto.")
    assert countries(extract(text))["Carla Soto"] == "CHL"


def test_an_official_restating_a_countrys_support_serves_it(extract):
    text = ("Call with Ukraine\n\n"
            "Prime Minister Arne Solberg spoke with the President of Ukraine, Taras Koval, about Russia. "
            "They discussed Russia's buildup near Ukraine and Russia's threats. "
            "Prime Minister Solberg reaffirmed Norway's steadfast support for Ukraine.")
    assert countries(extract(text))["Arne Solberg"] == "NOR"


def test_an_official_praising_a_countrys_support_does_not_serve_it(extract):
    text = ("Talks in Kyiv\n\n"
            "Foreign Minister Taras Koval met Norwegian Foreign Minister Arne Solberg in Kyiv, Ukraine. "
            "Minister Koval welcomed Norway's steadfast support for Ukraine.")
    assert countries(extract(text)).get("Taras Koval") != "NOR"


def test_a_country_named_once_is_no_guess_for_an_official(extract):
    text = ("Alliance chief visits Copenhagen\n\n"
            "Secretary General Tom Baker thanked Denmark for its troops in Estonia. "
            "Addressing the press beside the Prime Minister of Denmark, Mette Lund, he praised Denmark. "
            "In Copenhagen, Mr. Baker also met with the Minister of Defence, Mr. Ole Berg.")
    assert countries(extract(text)).get("Ole Berg") != "EST"


def test_two_leaders_one_guess_would_make_holders_of_one_office_get_none(extract):
    text = ("Recognition of Palestine\n\n"
            "Swedish Prime Minister Anna Berg said Sweden will recognise the State of Palestine. "
            "She has discussed this with Prime Minister Tom Hardy and Prime Minister Raj Kumar. "
            "Sweden supports a State of Palestine beside Israel, and Palestine deserves peace.")
    found = countries(extract(text))
    assert found["Anna Berg"] == "SWE"
    assert found.get("Tom Hardy") != "PSE" and found.get("Raj Kumar") != "PSE"


def test_an_official_signing_with_a_country_is_not_of_it(extract):
    text = ("Consultation agreement\n\n"
            "Foreign Minister Lena Holm signed an agreement with Peru today in Santiago. "
            "Peru and Chile will consult each year, Chile said. Peru welcomed the agreement.")
    assert countries(extract(text)).get("Lena Holm") == "CHL"


def test_the_two_sides_of_between_serve_the_two_countries(extract):
    text = ("Norway-Chile Defence Ministers' Meeting\n\n"
            "Norwegian Defence Minister Ola Dahl welcomed Chilean Defence Minister Pablo Rojas to Oslo. "
            "The talks build on the partnership agreed between Prime Minister Erna Lie and President Luis Mora "
            "in 2023. Chile and Norway share values, and Norway thanked Chile.")
    found = countries(extract(text))
    assert (found.get("Erna Lie"), found.get("Luis Mora")) == ("NOR", "CHL")


def test_between_a_placed_official_and_another_gives_the_other_side(extract):
    text = ("Chile and Norway\n\n"
            "The agreement was signed by Minister Ana Vik and the Chilean Foreign Minister Pablo Rojas. "
            "Chile and Norway will cooperate on the oceans, Norwegian Prime Minister Erna Lie said.")
    assert countries(extract(text)).get("Ana Vik") == "NOR"


def test_sections_of_bilateral_meetings_give_guest_and_host(extract):
    text = ("Meetings in Geneva\n\n"
            "Norway - Chile Meeting\n"
            "Minister Ola Dahl welcomed Minister Pablo Rojas. Minister Rojas praised the cooperation.\n\n"
            "Norway - Peru Meeting\n"
            "Minister Ola Dahl met Peruvian Minister of Defence Ana Torres on fisheries.\n")
    found = countries(extract(text))
    assert (found.get("Ola Dahl"), found.get("Pablo Rojas"), found.get("Ana Torres")) == ("NOR", "CHL", "PER")


def test_officials_a_visitor_from_an_international_body_meets_are_the_hosts(extract):
    text = ("Secretary-General visits Lima\n\n"
            "President Luis Mora of Peru received the Secretary-General. Peru thanked the United Nations. "
            "The Secretary-General then held a meeting with Foreign Minister Ana Torres.")
    assert countries(extract(text)).get("Ana Torres") == "PER"


def test_an_official_meeting_officials_of_the_one_country_named_is_not_of_it(extract):
    text = ("Visit to Peru\n\n"
            "Foreign Minister Ola Dahl, together with Defence Minister Kari Lund, met with Luis Mora, "
            "President of Peru, in Lima. Peru and its partners discussed fisheries.")
    found = countries(extract(text))
    assert found.get("Ola Dahl") != "PER" and found.get("Kari Lund") != "PER"


def test_a_country_word_before_the_second_of_two_leaders_sets_them_apart(extract):
    text = ("Summit\n\n"
            "President Ola Dahl and North Korean leader Kim Song Il met at the border. "
            "North Korea hopes for peace.")
    assert countries(extract(text)).get("Ola Dahl") != "PRK"


def test_a_name_then_is_the_title_names_an_official(extract):
    text = ("Sanctions on officials of Peru\n\n"
            "The ministry designated two officials of the Government of Peru.\n\n"
            "  • Ana Lopez is the Minister of Defence of Peru.\n")
    assert countries(extract(text)) == {"Ana Lopez": "PER"}


def test_a_double_surname_with_a_title_is_the_person_of_the_longer_name(extract):
    text = ("Talks in Lima\n\n"
            "Chilean Foreign Minister Ana Maria Soto Ruiz met Peruvian Foreign Minister Luis Mora in Lima. "
            "Minister Soto Ruiz thanked Minister Mora.")
    found = extract(text).officials
    assert [(o.name, o.country, len(o.posts)) for o in found.values() if "Soto" in o.name] == \
        [("Ana Maria Soto Ruiz", "CHL", 2)]


def test_the_head_of_a_delegation_an_official_belongs_to_serves_the_same_country(extract):
    text = ("Visit to Beijing\n\n"
            "Chilean Foreign Minister Ana Soto will hold talks with her Chinese counterpart Li Wei in Beijing. "
            "Minister Soto is in China where she will be part of President Luis Mora's delegation to the summit. "
            "China and Chile will sign trade deals, China said.")
    assert countries(extract(text)).get("Luis Mora") == "CHL"


def test_the_official_who_chaired_serves_the_country_named_as_chair(extract):
    text = ("Statement of the Chair\n\n"
            "Deputy Prime Minister Ana Vik chaired the Special Ministers' Meeting on Peru. "
            "A representative from Peru was invited. The Ministers supported the efforts of Norway as the Chair "
            "of the group. Peru did not respond, and the crisis in Peru continues, Peru's neighbours said.")
    assert countries(extract(text)).get("Ana Vik") == "NOR"


def test_a_head_of_government_is_not_guessed_for_a_country_without_that_office(extract):
    # Mexico has no prime minister, Australia no president: the host and the guest
    text = ("Leaders meet in Canberra\n\n"
            "Prime Minister Mark Hall welcomed President Ana Ruiz to Canberra on 3 May. "
            "Australia and Mexico agreed to expand trade. Mexico will open a consulate in Sydney.")
    assert countries(extract(text)) == {"Mark Hall": "AUS", "Ana Ruiz": "MEX"}


def test_a_prime_minister_of_an_article_about_a_presidential_republic_is_left_without_it(extract):
    text = ("Talks in Mexico City\n\n"
            "President Ana Ruiz of Mexico met Prime Minister Mark Hall. The Prime Minister said Australia values Mexico.")
    assert countries(extract(text)).get("Mark Hall") != "MEX"


def test_the_two_witnesses_of_a_signing_are_its_two_sides(extract):
    # only one of the two countries has a prime minister: he is its, and the other witness the other's
    text = ("Defence agreement signed\n\n"
            "Indonesia and Singapore signed a Defence Cooperation Agreement today. It was signed by the Minister "
            "for Defence Tan Wei Ming and the Indonesian Defence Minister Budi Santoso. The signing was witnessed "
            "by Prime Minister Lim Boon Keng and President Agus Wirawan. Singapore and Indonesia are neighbours.")
    found = countries(extract(text))
    assert found["Lim Boon Keng"] == "SGP"
    assert found["Agus Wirawan"] == "IDN"


def test_the_one_met_does_not_serve_the_country_of_the_one_who_met_them(extract):
    text = ("Talks in Lima\n\n"
            "Foreign Minister Raul Diaz of Peru met Ambassador Mary Kent in Lima on 3 May. "
            "The United States and Peru discussed trade. Peru values the talks.")
    assert countries(extract(text)).get("Mary Kent") != "PER"


def test_the_one_talks_are_held_with_does_not_serve_the_hosts_country(extract):
    text = ("Talks in Lima\n\n"
            "Foreign Minister Raul Diaz of Peru held talks with Deputy Minister Mary Kent in Lima on 3 May. "
            "Peru values the talks.")
    assert countries(extract(text)).get("Mary Kent") != "PER"


def test_the_country_waging_the_war_is_no_guess_for_a_visiting_official(extract):
    text = ("Foreign Minister travels to Kyiv\n\n"
            "Foreign Minister Hans Weber travelled to Ukraine. Austria will continue its support for Ukraine. "
            "Russia's war of aggression goes on, and the Russian offensive near Kharkiv was halted. "
            "Ukraine is defending itself against Russia. Austria's support matters. "
            "Foreign Minister Weber met Ukrainian Foreign Minister Petro Bondar in Kyiv.")
    assert countries(extract(text))["Hans Weber"] == "AUT"


def test_the_one_a_visitor_meets_serves_the_country_visited(extract):
    text = ("State visit\n\n"
            "The state visit of President Ana Ruiz to Malta began with a meeting with President Paul Vella. "
            "Chile and Malta signed an agreement. Chile values Malta.")
    assert countries(extract(text)) == {"Ana Ruiz": "CHL", "Paul Vella": "MLT"}


def test_the_visitor_named_after_the_visit_does_not_serve_the_country_visited(extract):
    text = ("Agreement signed\n\n"
            "The Foreign Minister, Jorge Soto, signed the agreement during the official visit to Chile of the "
            "President of the country, Paul Vella. Chile and Malta are friends. Malta values Chile.")
    assert countries(extract(text)).get("Paul Vella") != "CHL"


def test_an_ambassador_is_not_guessed_for_the_country_where_they_meet(extract):
    text = ("Talks in Lima\n\n"
            "Ambassador Mary Kent met Deputy Minister Ana Torres in Lima on 3 May. Peru and Chile discussed trade. "
            "Peru values the talks. Chile agreed.")
    found = countries(extract(text))
    assert found.get("Mary Kent") != "PER"


def test_a_headline_ending_with_a_name_is_no_header_block_for_the_next_line(extract):
    text = ("Readout of Secretary Holt's Call with Philippine Secretary of National Defense Carlos Reyes\n"
            "Secretary of Defense Jane Holt spoke today with Philippine Secretary of National Defense Carlos Reyes. "
            "Secretary Holt reaffirmed the United States' ironclad commitment to the Philippines.")
    assert countries(extract(text)) == {"Carlos Reyes": "PHL", "Jane Holt": "USA"}


def test_a_guest_welcomed_to_a_capital_does_not_serve_its_country(extract):
    text = ("Joint Press Conference\nCanberra, 3 May 2024\n"
            "MINISTER DUNN: Thank you. It is a pleasure to welcome my friend, Foreign Minister Retno Sari, to Canberra. "
            "Australia values the visit.")
    assert countries(extract(text)).get("Retno Sari") != "AUS"


def test_a_deputy_prime_minister_and_minister_is_one_persons_offices(extract):
    text = ("Talks\n\nDeputy Prime Minister Ana Berg of Norway met Defence Minister Tom Ray of Chile in Oslo. "
            "The Deputy Prime Minister and Minister for Defence reaffirmed Norway's support for Chile.")
    facts = extract(text)
    assert countries(facts) == {"Ana Berg": "NOR", "Tom Ray": "CHL"}
    assert all(p.country == "NOR" for p in facts.policies if "support" in p.label)
