"""Actors: the departments, offices and working groups a figure is reported for.

An actor opens a passage (a bold lead such as **平安型社区建设专项组**) or a sentence
(市人社局联合…). Its name is a run of words ending in a suffix from ``rules/actors.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.rules import Rules

_MAX_ACTOR = 16


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    name: str
    kind: str


class ActorFinder:
    def __init__(self, rules: Rules, tags: dict[str, str]) -> None:
        self.suffixes = rules.actor_suffixes
        self.suffix_pattern = regex.compile(f"(?:{'|'.join(sorted(map(regex.escape, self.suffixes), key=len, reverse=True))})$")
        self.tags = tags
        self.verbs = rules.words_with_role("verb") | rules.words_with_role("pivot")

    def kind_of(self, name: str) -> str | None:
        match = self.suffix_pattern.search(name)
        if not match or len(name) < 3 or len(name) > _MAX_ACTOR:
            return None
        kind = self.suffixes[match.group(0)]
        return None if kind == "none" else kind  # 干部 ends like 组织部 but names people

    def at(self, text: str, start: int, tokens: list[tuple[int, int]]) -> ActorMention | None:
        """The actor naming the subject of a sentence that starts at ``start``, if any.

        ``tokens`` are the segmenter's (start, end) pairs from ``start`` on: the name grows
        token by token until a verb, conjunction or preposition, and is cut back to the last
        point where it ends in an actor suffix.
        """
        best = None
        for token_start, token_end in tokens:
            if token_end - start > _MAX_ACTOR:
                break
            word = text[token_start:token_end]
            if not regex.fullmatch(r"\p{Han}+", word):
                break
            tag = self.tags.get(word)
            # A name is nouns (or words the dictionary does not know, 人社局); 深化 or 到 ends it.
            if (tag is not None and not tag.startswith("n")) or word in self.verbs:
                break
            name = text[start:token_end]
            kind = self.kind_of(name)
            if kind:
                best = ActorMention(start, token_end, name, kind)
        return best
