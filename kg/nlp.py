"""Loading the spaCy pipeline: kept here for callers of `kg.nlp`; the set-up lives in `kg.extract.nlp`."""

from kg.extract.nlp import DEFAULT_MODEL, load, model_name

__all__ = ["DEFAULT_MODEL", "load", "model_name"]
