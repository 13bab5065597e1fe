"""Rules as data: each rule has an id, the words that trigger it, a check on the trigger token, and
the handler that reads what it found. A family is an ordered table of rules; the first rule whose
trigger words hold a token and whose check passes decides what that token is (its handler may still
find nothing, and then no later rule is tried).

To add a rule, write its handler next to the family's others and add a `Rule(...)` line to the
family's table (`dialogues.TRIGGERS`, `treaties.EVENT_RULES`, `policies.RULES`, `officials.COUNTRY_RULES`):
its id, "family.what-it-reads", is written with every fact it produces (`kg:rule` on the evidence) and
shown by `kg explain`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.context import Discourse, Sentence

Found = TypeVar("Found")


def any_token(ctx: Discourse, sent: Sentence, tok: Token) -> bool:
    return True


@dataclass(frozen=True)
class Rule(Generic[Found]):
    """One rule of a family: `read` is called on a token whose lower-case text is in `words` or whose
    lemma is in `lemmas`, when `applies` says so."""

    id: str  # "family.what-it-reads": written with each fact the rule produces
    read: Callable[[Discourse, Sentence, Token], Found | None]
    words: frozenset[str] = frozenset()
    lemmas: frozenset[str] = frozenset()
    applies: Callable[[Discourse, Sentence, Token], bool] = any_token


def rule(rule_id: str, read: Callable[[Discourse, Sentence, Token], Found | None], *, words: Iterable[str] = (),
         lemmas: Iterable[str] = (), applies: Callable[[Discourse, Sentence, Token], bool] = any_token) -> Rule[Found]:
    """A `Rule`, with its trigger words given as any collection of strings (a dict's keys, a set)."""
    return Rule(rule_id, read, frozenset(words), frozenset(lemmas), applies)


class RuleFamily(Generic[Found]):
    """An ordered table of rules with unique ids, all named "<family>.<rule>"."""

    def __init__(self, name: str, rules: list[Rule[Found]]) -> None:
        ids = [r.id for r in rules]
        for rule_id in ids:
            if not rule_id.startswith(name + "."):
                raise ValueError(f"rule id {rule_id!r} does not start with its family's name {name!r}")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate rule ids in {name}: {sorted(i for i in ids if ids.count(i) > 1)}")
        self.name = name
        self.rules = tuple(rules)
        # the words that can start any rule: the sentence is searched for these only
        self.words = frozenset().union(*(r.words for r in rules))
        self.lemmas = frozenset().union(*(r.lemmas for r in rules))

    def __iter__(self) -> Iterator[Rule[Found]]:
        return iter(self.rules)

    def rule_for(self, ctx: Discourse, sent: Sentence, tok: Token) -> Rule[Found] | None:
        """The first rule that this token triggers and whose check passes."""
        low, lemma = sent.lowers[tok.i], sent.lemmas[tok.i]
        for r in self.rules:
            if (low in r.words or lemma in r.lemmas) and r.applies(ctx, sent, tok):
                return r
        return None

    def matches(self, ctx: Discourse, sent: Sentence) -> Iterator[tuple[Token, Rule[Found]]]:
        """Each token of the sentence (in order) with the rule that decides it."""
        for tok in sent.tokens_with(self.words, self.lemmas):
            r = self.rule_for(ctx, sent, tok)
            if r is not None:
                yield tok, r
