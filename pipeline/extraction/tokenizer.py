"""A jieba segmenter that owns its dictionary, so a saved pipeline carries its user words.

spaCy's built-in jieba mode uses the global ``jieba`` module: words added to it are neither
saved with the pipeline nor present in other processes. This tokenizer holds its own
segmenter (``pipeline.extraction.segmenter``) and writes its user words in ``to_disk``. The
segmenter's dictionary is made at the first text cut, or taken ready-made from the start-up
cache with ``use_dictionary``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from pipeline.extraction.segmenter import PrefixDictionary, Segmenter, read_user_words, word_tags

__all__ = ["JiebaTokenizer", "create_jieba_tokenizer", "word_tags"]

USER_WORDS_FILE = "user_words.txt"


class JiebaTokenizer:
    def __init__(self, vocab: Vocab, user_words: Iterable[str] = ()) -> None:
        self.vocab = vocab
        self.reset(user_words)

    @property
    def user_words(self) -> list[str]:
        return self._segmenter.user_words

    def add_words(self, words: Iterable[str]) -> None:
        self._segmenter.add_words(words)

    def reset(self, words: Iterable[str]) -> None:
        self._segmenter = Segmenter(words)

    def use_dictionary(self, dictionary: PrefixDictionary) -> bool:
        """Segment with ``dictionary`` (jieba's, with exactly this tokenizer's user words added)
        instead of building it at the first text; False, and nothing changed, when it was made
        from other words."""
        if dictionary.user_words != tuple(self.user_words):
            return False
        self._segmenter = Segmenter(self.user_words, dictionary)
        return True

    def __call__(self, text: str) -> Doc:
        words = [word for word in self._segmenter.cut(text) if word]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_disk(self, path: str | Path, **_: object) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / USER_WORDS_FILE).write_text("\n".join(self.user_words) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, **_: object) -> JiebaTokenizer:
        self.reset(Path(path, USER_WORDS_FILE).read_text(encoding="utf-8").splitlines())
        return self

    def to_bytes(self, **_: object) -> bytes:
        return "\n".join(self.user_words).encode("utf-8")

    def from_bytes(self, data: bytes, **_: object) -> JiebaTokenizer:
        self.reset(data.decode("utf-8").splitlines())
        return self


@spacy.registry.tokenizers("bulletin_metrics.JiebaTokenizer.v1")
def create_jieba_tokenizer(user_dict: str | None = None):
    """``user_dict``: a file of one word a line (generated from rules/); optional, since a
    saved pipeline brings its own words."""

    def make(nlp) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, read_user_words(user_dict))

    return make
