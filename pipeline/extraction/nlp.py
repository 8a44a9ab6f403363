"""Building, saving and loading the project's spaCy pipeline."""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.extraction.components as components  # noqa: F401  (registers the factories)
import pipeline.extraction.tokenizer  # noqa: F401  (registers the tokenizer)
from pipeline.rules import rules_folder
from pipeline.startup_cache import startup
from pipeline.userdict import USER_DICT


def build_nlp(rules_dir: str | Path | None = None) -> Language:
    """``spacy.blank("zh")`` with the jieba tokenizer, its user words from ``rules/``, and the
    bulletin components; the rules and jieba's dictionary come from the start-up cache
    (``pipeline.startup_cache``) when it has them."""
    directory = rules_folder(rules_dir)
    found = startup(directory)
    config = {"nlp": {"tokenizer": {"@tokenizers": "bulletin_metrics.JiebaTokenizer.v1", "user_dict": str(directory / USER_DICT)}}}
    nlp = spacy.blank("zh", config=config)
    if found.dictionary is not None:
        nlp.tokenizer.use_dictionary(found.dictionary)
    for name in components.PIPE_NAMES:
        nlp.add_pipe(name, config={"rules_dir": str(rules_dir) if rules_dir else None})
    return nlp


@functools.lru_cache(maxsize=2)
def shared_nlp(rules_dir: str | None = None) -> Language:
    """One pipeline per process and rules folder."""
    return build_nlp(rules_dir)
