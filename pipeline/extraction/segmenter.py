"""jieba's dictionary in a form that loads fast: the prefix dictionary with the user words added,
and the part-of-speech tags, in blocks that are loaded as the text needs them.

Building jieba's prefix dictionary and adding the ~3,700 user words of ``rules/`` takes most of a
second; its half a million entries take a fifth of a second even to unmarshal. A segmenter looks
up only substrings of the text it cuts, so it needs only the entries that begin with a character
pair of that text: a bulletin of 2,000 characters needs 8,000 of them, where the entries that
merely start with one of its characters number 190,000. ``PrefixDictionary`` keeps the entries in
one marshalled block per first character, each holding one block per first two characters (what
the start-up cache stores), and ``Segmenter`` loads the blocks of a text's characters and pairs
before it cuts it: its dictionary is a plain dict, as fast as jieba's own, and it cuts exactly as
jieba with the whole dictionary would. The word tags are looked up a hundred times a document,
so they load a first character's block at the first lookup. Nothing here imports spaCy.
"""

from __future__ import annotations

import marshal
import operator
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path


def _import_jieba():
    # jieba opens its bundled dictionary through pkg_resources when that module imports, and
    # with open() otherwise: the same file, but importing pkg_resources costs a tenth of a second.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(60)
    return jieba


jieba = _import_jieba()

Shards = dict[str, bytes]  # a first character (or pair) → marshal.dumps of what is kept under it


def clean_words(words: Iterable[str]) -> tuple[str, ...]:
    """User words as the segmenter takes them: stripped, empty lines and repeats dropped, in order."""
    seen: dict[str, None] = {}
    for word in words:
        word = word.strip()
        if word:
            seen.setdefault(word)
    return tuple(seen)


def read_user_words(path: str | Path | None) -> list[str]:
    """A user dictionary file of one word a line (``#`` lines are comments); [] when there is none."""
    if not path or not Path(path).exists():
        return []
    return [word for word in Path(path).read_text(encoding="utf-8").splitlines() if not word.startswith("#")]


def split_by_first_character(entries: Mapping[str, object]) -> Shards:
    groups: dict[str, dict[str, object]] = {}
    for key, value in entries.items():
        if key:
            groups.setdefault(key[0], {})[key] = value
    return {character: marshal.dumps(group) for character, group in groups.items()}


def split_by_first_pair(entries: Mapping[str, int]) -> Shards:
    """First character → marshal.dumps of {first two characters (the entry itself when it is one
    character long): marshal.dumps of those entries}."""
    groups: dict[str, dict[str, dict[str, int]]] = {}
    for key, value in entries.items():
        if key:
            groups.setdefault(key[0], {}).setdefault(key[:2], {})[key] = value
    return {character: marshal.dumps({pair: marshal.dumps(block) for pair, block in pairs.items()}) for character, pairs in groups.items()}


@dataclass(frozen=True)
class PrefixDictionary:
    """jieba's prefix dictionary (word and word-prefix → frequency) after ``user_words`` were
    added in order, and its total frequency: what ``jieba.Tokenizer`` holds as FREQ and total,
    its entries ``split_by_first_pair``."""

    user_words: tuple[str, ...]
    total: int
    shards: Shards

    @classmethod
    def build(cls, user_words: Iterable[str]) -> PrefixDictionary:
        """jieba's dictionary with the words added one by one, as ``jieba.Tokenizer.add_word``
        does (each word's frequency is suggested from the words added before it)."""
        words = clean_words(user_words)
        segmenter = jieba.Tokenizer()
        for word in words:
            segmenter.add_word(word)
        return cls(words, segmenter.total, split_by_first_pair(segmenter.FREQ))


class Segmenter:
    """A ``jieba.Tokenizer`` over a ``PrefixDictionary``, or (without one) over jieba's own
    dictionary with the user words added at first use. ``cut`` gives jieba's words either way."""

    def __init__(self, user_words: Iterable[str] = (), dictionary: PrefixDictionary | None = None) -> None:
        self.user_words = list(clean_words(user_words))
        if dictionary is not None and dictionary.user_words != tuple(self.user_words):
            raise ValueError("the prefix dictionary was built from other user words")
        self._dictionary = dictionary
        self._jieba: object | None = None
        self._characters: Shards = {}  # first character → its pairs' blocks, not yet opened
        self._pairs: Shards = {}  # first two characters → block of entries, not yet loaded
        self._loading = threading.Lock()  # threads sharing a pipeline (a Dask worker's) load a block once, wholly

    @property
    def tokenizer(self):
        """The ``jieba.Tokenizer``, made at first use (jieba's own dictionary takes a second)."""
        if self._jieba is None:
            with self._loading:
                if self._jieba is None:
                    segmenter = jieba.Tokenizer()
                    if self._dictionary is not None:
                        segmenter.FREQ, segmenter.total, segmenter.initialized = {}, self._dictionary.total, True
                        self._characters = dict(self._dictionary.shards)
                    else:
                        for word in self.user_words:
                            segmenter.add_word(word)
                    self._jieba = segmenter
        return self._jieba

    def cover(self, text: str) -> None:
        """Load the dictionary entries that begin with a character or a character pair of
        ``text``: every entry cutting it looks up (jieba looks up only substrings of the text)."""
        tokenizer = self.tokenizer
        if not self._characters and not self._pairs:
            return
        characters = set(text)
        wanted = characters.union(map(operator.add, text, text[1:]))  # and every pair of neighbours
        with self._loading:  # keys() & set looks the text's few up in the dict (set & dict would walk the dict)
            for character in self._characters.keys() & characters:
                self._pairs.update(marshal.loads(self._characters.pop(character)))
            for pair in self._pairs.keys() & wanted:
                tokenizer.FREQ.update(marshal.loads(self._pairs.pop(pair)))

    def cut(self, text: str) -> Iterator[str]:
        self.cover(text)
        return self.tokenizer.cut(text, HMM=True)

    def add_words(self, words: Iterable[str]) -> None:
        """More user words, after those the segmenter was made with."""
        tokenizer = self.tokenizer
        for word in clean_words(words):
            if word not in self.user_words:
                self.user_words.append(word)
                self.cover(word)  # jieba suggests its frequency by cutting it, then sets its prefixes
                tokenizer.add_word(word)


class LazyEntries(dict):
    """A dict of ``Shards`` (by first character) whose entries are loaded at the first lookup of
    their first character: ``get``, ``in`` and ``[]`` see every entry, iteration only those loaded."""

    def __init__(self, shards: Shards) -> None:
        super().__init__()
        self._unloaded = dict(shards)
        self._loading = threading.Lock()

    def _load(self, key: object) -> None:
        if isinstance(key, str) and key and key[0] in self._unloaded:
            with self._loading:  # a block is taken off the list only once its entries are in
                block = self._unloaded.get(key[0])
                if block is not None:
                    self.update(marshal.loads(block))
                    del self._unloaded[key[0]]

    def get(self, key, default=None):
        self._load(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._load(key)
        return super().__contains__(key)

    def __missing__(self, key):
        self._load(key)
        if super().__contains__(key):
            return super().__getitem__(key)
        raise KeyError(key)


def read_word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (word → tag), from its dict.txt."""
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    tags: dict[str, str] = {}
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


_word_tags: dict[str, str] | None = None  # the process's table: read from dict.txt, or the start-up cache's


def word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (word → tag), read once per process."""
    global _word_tags
    if _word_tags is None:
        _word_tags = read_word_tags()
    return _word_tags


def adopt_word_tags(shards: Shards) -> None:
    """Take the tags from ``split_by_first_character(read_word_tags())`` (the start-up cache
    keeps them so), unless the process has its table already."""
    global _word_tags
    if _word_tags is None:
        _word_tags = LazyEntries(shards)
