"""From mentions to facts: officials with their posts, dialogues, treaties and policies.

Rules over spaCy's parse, one sentence at a time, with the article's discourse for what a sentence
leaves implicit: who "he", "I" and "the minister" are, which country an official serves, and which
earlier event "the dialogue" or "this Treaty" refers to.

    nlp.py          spaCy set-up: loading, tokenizer infixes, line-aware sentence starts
    vocab.py        word lists the rule families share
    context.py      the discourse (`Discourse`) and its order of writes; `Sentence`
    rules.py        `Rule` and `RuleFamily`: rules as data with ids
    candidates.py   what rules find before it becomes a fact (`DialogueMention`, `TreatyMention`)
    clauses.py      an event word's own clause in the dependency parse
    officials.py    officials and their countries (`COUNTRY_RULES`); official_clues.py what the
                    words around an official say of their country
    dialogues.py    events in a sentence (`TRIGGERS`); dialogue_words.py the words around an event
                    (venue, name, ordinal, setting); dialogue_people.py who takes part in each;
                    dialogue_merge.py merges their mentions
    treaties.py     agreements and their events (`EVENT_RULES`); treaty_names.py their names (`NAME_RULES`)
    policies.py     policies (`RULES`); policy_owners.py whose policy a sentence states
    extractor.py    `Extractor` and `extract_doc`: the order the steps run in
"""

from kg.extract import dialogues, officials, policies, treaties, treaty_names
from kg.extract.context import Sentence, person_key
from kg.extract.extractor import Extractor, extract_doc
from kg.extract.nlp import line_sentences, token_lemmas
from kg.extract.vocab import DIALOGUE_NOUNS, DIALOGUE_VERBS


def rule_ids() -> list[str]:
    """Every rule id a fact's evidence can name (`kg:rule`), family by family, in each family's order."""
    return [
        officials.TITLED_NAME, officials.COUNTRY_OF_TITLE, officials.PLURAL_TITLE_PAIR, officials.PAIR_SIDES,
        *(r.id for r in officials.COUNTRY_RULES),
        *(r.id for r in dialogues.TRIGGERS), dialogues.ATTENDANCE,
        *(r.id for r in treaty_names.NAME_RULES), treaty_names.ALSO_KNOWN_AS, treaties.ANAPHOR_RULE,
        treaties.PROPOSAL_RULE, *(r.id for r in treaties.EVENT_RULES), treaties.LIST_ITEM_RULE,
        treaties.YEAR_BEFORE_NAME_RULE,
        *(r.id for r in policies.RULES),
    ]


# the names tests and older callers import
_Sentence = Sentence
_line_sentences = line_sentences
_token_lemmas = token_lemmas

__all__ = ["DIALOGUE_NOUNS", "DIALOGUE_VERBS", "Extractor", "Sentence", "extract_doc", "line_sentences", "person_key",
           "rule_ids", "token_lemmas"]
