"""The extractor: an article's Doc through the officials, then sentence by sentence through the rule
families, then the events merged. The order is the one `kg.extract.context` documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.articles import Article
from kg.extract import dialogues, officials, policies, treaties
from kg.extract.context import Discourse, Sentence
from kg.extract.dialogue_merge import fill_dialogue_countries, merge_dialogues
from kg.extract.nlp import pipeline, same_length, token_lemmas
from kg.facts import ArticleFacts
from kg.mentions import find_mentions

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.extract.candidates import DialogueMention


class Extractor:
    """Loads the spaCy pipeline once and turns articles into facts."""

    def __init__(self, model: str | None = None) -> None:
        self.nlp = pipeline(model)

    def extract(self, article: Article) -> ArticleFacts:
        return extract_doc(self.nlp(article.text), article)

    def extract_many(self, articles: Iterable[Article], n_process: int = 1,
                     batch_size: int = 8) -> Iterator[tuple[Article, ArticleFacts]]:
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
            yield article, extract_doc(doc, article)


def extract_doc(doc: Doc, article: Article) -> ArticleFacts:
    """The facts of one article, from its parsed text."""
    # the Doc was made from the article's text (spaCy keeps every character): no need to rebuild it
    text = article.text if same_length(doc, article.text) else doc.text
    mentions = find_mentions(doc, article.date, text)
    lemmas = token_lemmas(doc)
    sentences = [Sentence(doc, s, e, text, mentions.lowers, lemmas) for s, e in mentions.sentences]
    ctx = Discourse(doc, article, mentions, sentences)
    officials.resolve_officials(ctx)
    officials.assign_countries(ctx)
    found: list[DialogueMention] = []
    for sent in sentences:
        # in this order: the treaty rules read the `focus_date` the dialogue rules set
        found += dialogues.sentence_dialogues(ctx, sent)
        treaties.sentence_treaties(ctx, sent)
        policies.sentence_policies(ctx, sent)
    ctx.facts.dialogues = merge_dialogues(ctx, found)
    fill_dialogue_countries(ctx)
    treaties.finish_treaties(ctx)
    return ctx.facts
