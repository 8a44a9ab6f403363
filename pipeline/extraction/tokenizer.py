"""A jieba segmenter that owns its dictionary, so a saved pipeline carries its user words.

spaCy's built-in jieba mode uses the global ``jieba`` module: words added to it are neither
saved with the pipeline nor present in other processes. This tokenizer holds its own
``jieba.Tokenizer`` and writes its user words in ``to_disk``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import jieba
import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

jieba.setLogLevel(60)
USER_WORDS_FILE = "user_words.txt"


class JiebaTokenizer:
    def __init__(self, vocab: Vocab, user_words: Iterable[str] = ()) -> None:
        self.vocab = vocab
        self.user_words: list[str] = []
        self._segmenter = jieba.Tokenizer()
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            word = word.strip()
            if word and word not in self.user_words:
                self.user_words.append(word)
                self._segmenter.add_word(word)

    def reset(self, words: Iterable[str]) -> None:
        self.user_words = []
        self._segmenter = jieba.Tokenizer()
        self.add_words(words)

    def __call__(self, text: str) -> Doc:
        words = [word for word in self._segmenter.cut(text, HMM=True) if word]
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
        words = [w for w in Path(user_dict).read_text(encoding="utf-8").splitlines() if not w.startswith("#")] if user_dict and Path(user_dict).exists() else []
        return JiebaTokenizer(nlp.vocab, words)

    return make


@functools.lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (word → tag), read once."""
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    tags: dict[str, str] = {}
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags
