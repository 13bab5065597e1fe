"""Rules as data: every fact's evidence names the rule that read it, from the extractor to the store
and `kg explain`; rule tables refuse ids that would make a fact's rule ambiguous."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Literal

from kg.articles import parse_article
from kg.extract import dialogues, officials, rule_ids
from kg.extract.candidates import DialogueMention
from kg.extract.rules import RuleFamily, rule
from kg.mapping import KG, to_triples

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def extract(extractor):
    def run(text: str):
        article = parse_article("test.txt", text.encode("utf-8"), None)
        return article, extractor.extract(article)

    return run


def test_officials_and_meeting_name_their_rules(extract) -> None:
    _, facts = extract("Talks\n\nFrench Foreign Minister Claire Dubois met Indian Foreign Minister Ravi Menon "
                       "in Delhi on 3 May 2024.")
    dubois = facts.officials["claire dubois"]
    assert [p.evidence.rule for p in dubois.posts] == ["officials.titled-name"]
    assert dubois.country_evidence is not None and dubois.country_evidence.rule == "officials.country-of-title"
    [meeting] = facts.dialogues
    assert [e.rule for e in meeting.evidence] == ["dialogues.meet-verb"]


def test_treaty_name_and_event_rules_differ(extract) -> None:
    _, facts = extract("Treaty\n\nJapan and India signed the Treaty of Friendship and Cooperation in Tokyo on 4 June 2021.")
    [treaty] = facts.treaties
    assert [e.rule for e in treaty.evidence] == ["treaties.capitalised-name"]
    assert [(x.type, x.evidence.rule) for x in treaty.events] == [("signed", "treaties.event-word")]


def test_policy_rules(extract) -> None:
    _, facts = extract("Ban\n\nAustralia banned cluster munitions in 2019. Chile announced a new policy change.")
    assert {p.label: p.evidence.rule for p in facts.policies} == {
        "ban on cluster munitions (Australia)": "policies.ban-or-acquire-verb",
        "policy change": "policies.policy-change",
    }


def test_every_evidence_node_carries_its_rule(extract) -> None:
    article, facts = extract("Visit\n\nCanada's Minister of Defence Harold Vance visited Tokyo on 2 March 2024 and "
                             "met Japanese Defense Minister Ken Ito. The two signed the Tokyo Defence Agreement.")
    graph = to_triples(article, facts)
    evidence = {s for s, p, o in graph.triples if p == KG.quote}
    rules = {s: o for s, p, o in graph.triples if p == KG.rule}
    assert evidence and set(rules) == evidence
    assert {str(r) for r in rules.values()} <= set(rule_ids())
    assert Literal("dialogues.visit-verb") in rules.values() and Literal("treaties.capitalised-name") in rules.values()


def test_rule_ids_are_unique_within_and_across_families() -> None:
    ids = rule_ids()
    assert len(ids) == len(set(ids)) and all(i.split(".")[0] in ("officials", "dialogues", "treaties", "policies") for i in ids)
    assert {r.id for r in dialogues.TRIGGERS} | {r.id for r in officials.COUNTRY_RULES} <= set(ids)
    with pytest.raises(ValueError, match="duplicate rule ids"):
        RuleFamily("policies", [rule("policies.x", lambda c, s, t: None), rule("policies.x", lambda c, s, t: None)])
    with pytest.raises(ValueError, match="does not start with"):
        RuleFamily("policies", [rule("treaties.x", lambda c, s, t: None)])


def test_refined_fields_survive_a_copy() -> None:
    mention = DialogueMention(label="the talks", type="talks", definite=True, ordinal="fourth", article_date=True)
    copy = replace(mention, status="planned")
    assert (copy.status, copy.definite, copy.ordinal, copy.article_date) == ("planned", True, "fourth", True)


def test_explain_shows_the_rule(seeds_store) -> None:
    from kg.describe import explain_text
    from kg.store import open_store

    with open_store(str(seeds_store), read_only=True) as store:
        text = explain_text(store, "Leon Panetta")
    assert "rule officials.titled-name" in text
    assert "rule dialogues." in text


def test_compare_script_ignores_only_rules_and_version(tmp_path: Path) -> None:
    kg = "https://w3id.org/kg-news/ontology#"
    g = "<https://w3id.org/kg-news/id/article/a>"
    base = f'<https://w3id.org/kg-news/id/e1> <{kg}quote> "Talks were held." {g} .\n'
    before = tmp_path / "before.nq"
    before.write_text(base + f'{g} <{kg}extractorVersion> "3" {g} .\n', encoding="utf-8")
    same = tmp_path / "same.nq"
    same.write_text(base + f'{g} <{kg}extractorVersion> "4" {g} .\n'
                    f'<https://w3id.org/kg-news/id/e1> <{kg}rule> "dialogues.event-noun" {g} .\n', encoding="utf-8")
    other = tmp_path / "other.nq"
    other.write_text(base.replace("Talks were", "Talks are"), encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "compare_nquads.py")]
    assert subprocess.run([*script, str(before), str(same)], capture_output=True).returncode == 0
    differs = subprocess.run([*script, str(before), str(other)], capture_output=True, text=True)
    assert differs.returncode == 1 and "Talks are held" in differs.stdout
    missing = subprocess.run([*script, str(before), str(tmp_path / "none.nq")], capture_output=True, text=True)
    assert missing.returncode == 2 and "none.nq" in missing.stderr and "Traceback" not in missing.stderr
