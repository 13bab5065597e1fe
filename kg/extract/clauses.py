"""Clauses around a trigger word, read from spaCy's dependency parse: which words belong to an event's
own clause (its tense, its negation, its date and place) and which clauses surely speak of something
else. Shared by the dialogue and policy rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.nlp import doc_words

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.context import Sentence

# Clauses below a trigger's own clause that say nothing of its tense or negation.
# Verbs of what an event brings about: their "would" speaks of the outcome, not of the event to come
_OUTCOME_VERBS = {"lead", "contribute", "bring", "produce", "yield", "result", "pave", "help", "deliver", "mark"}
_CLAUSE_CHILDREN = {"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis", "xcomp"}


def own_clause_text(tok: Token, pos: str) -> str:
    """The words that say whether this trigger's event is planned or denied: its own clause (the noun's own
    phrase with its relative clause, the verb it belongs to, that verb's auxiliaries and adverbs) and the verbs
    it is the infinitive of ("is expected to [meet]", "plans to [visit]", "invited X to [visit]"), never the
    other clauses of its sentence ("X will hold ..., she said after [meeting] Y")."""
    keep: set[int] = set()
    if pos == "noun":
        keep.update(range(tok.left_edge.i, tok.right_edge.i + 1))
    node = tok
    for _ in range(8):
        keep.add(node.i)
        for c in node.children:
            if c.left_edge.i <= tok.i <= c.right_edge.i:
                continue
            if c.dep_ in _CLAUSE_CHILDREN or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            if node.i != tok.i and c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.pos_ in ("VERB", "AUX"):
                continue
            if c.dep_ == "aux" and c.lower_ == "would" and node.lemma_.lower() in _OUTCOME_VERBS:
                continue  # "hoped the summit would lead to results": what it brings is hoped, not the summit
            keep.update(range(c.left_edge.i, c.right_edge.i + 1))
        head = node.head
        if head is node:
            break
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.pos_ in ("VERB", "AUX") and not (node.dep_ == "xcomp" or (node.dep_ in ("acl", "advcl") and infinitive)
                                               or (node.dep_ == "pcomp" and head.lower_ == "to")):
            break  # the verb's own clause ends here
        if node.dep_ == "pcomp":
            keep.add(head.i)
            node = head.head if head.head is not head else head
            continue
        node = head
    words = doc_words(tok.doc)
    return " ".join(words[i] for i in sorted(keep))


def surely_other_spans(sent: Sentence) -> list[tuple[int, int, int, int, str]]:
    """(token, left edge, right edge, head, dependency) of each clause in a sentence that `_surely_other`
    picks, found once per sentence for all its triggers."""
    key = f"kg_surely_other:{sent.start}"
    spans = sent.doc.user_data.get(key)
    if spans is None:
        spans = sent.doc.user_data[key] = [(t.i, t.left_edge.i, t.right_edge.i, t.head.i, t.dep_)
                                           for t in sent if _surely_other(t)]
    return spans


# Clauses inside an event's clause that speak of something else: relative and participial clauses
# ("the Agreement, signed in July"), purpose and other adverbial clauses ("to discuss ..."), clauses of
# their own joined by "and", and other events placed in time against it ("following X's confirmation").
_OTHER_CLAUSES = {"relcl", "acl", "advcl", "xcomp", "ccomp", "csubj", "parataxis"}
_TIME_RELATIONS = {"following", "after", "since", "before", "until", "ahead", "prior", "amid", "during"}
# Verbs of a clause that says when or where the event itself is ("the meeting, to be held in Tokyo").
EVENT_SETTING_VERBS = {"hold", "have", "take", "schedule", "plan", "set", "convene", "host", "place", "organize", "organise"}
_GOVERNING_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "prep", "appos", "conj", "nmod"}


def event_clause(sent: Sentence, tok: Token, pos: str) -> tuple[set[int], set[int]]:
    """The tokens of an event trigger's clause (the clause of the verb it is the subject or object of) minus
    clauses that speak of something else, and those of the clauses that surely do (relative, participial and
    adverbial clauses, time relations)."""
    anchor = tok
    if pos == "noun":
        # climb to the clause's verb: "held [a meeting]", "[The call] was made", "met ... for [the X Meeting]"
        for _ in range(6):
            if anchor.dep_ not in _GOVERNING_DEPS or anchor.head is anchor:
                break
            anchor = anchor.head
            if anchor.pos_ in ("VERB", "AUX"):
                break
    inside: set[int] = set()
    other: set[int] = set()
    surely_other: set[int] = set()
    stack = [anchor]
    while stack:
        t = stack.pop()
        inside.add(t.i)
        for c in t.children:
            if c.left_edge.i <= tok.i <= c.right_edge.i:
                stack.append(c)  # the way down to the trigger itself
                continue
            # a relative clause of the event noun itself says when and where it was ("which they co-chaired in X")
            clause = c.dep_ in _OTHER_CLAUSES and c.lemma_.lower() not in EVENT_SETTING_VERBS \
                and not (t.i == tok.i and pos == "noun" and c.dep_ in ("relcl", "acl"))
            if clause or _surely_other(c) or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                other.update(range(c.left_edge.i, c.right_edge.i + 1))
            else:
                stack.append(c)
    for _, left, right, head, dep in surely_other_spans(sent):  # anywhere in the sentence
        if not left <= tok.i <= right and not (head == tok.i and pos == "noun" and dep in ("relcl", "acl")):
            surely_other.update(range(left, right + 1))
    return inside - other, surely_other


def _surely_other(c: Token) -> bool:
    """A relative, participial or adverbial clause, or a time relation to something else ("following X")."""
    if c.dep_ == "prep":
        return c.lower_ in _TIME_RELATIONS
    return c.dep_ in ("relcl", "acl", "advcl") and c.lemma_.lower() not in EVENT_SETTING_VERBS
