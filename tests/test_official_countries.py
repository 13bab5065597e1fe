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
