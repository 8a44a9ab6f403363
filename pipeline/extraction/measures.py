"""The measure of a figure: the predicate and object that say what was counted.

建成智慧安防小区48个 → 建成智慧安防小区 (object before the figure);
派出6个督导组深入各县区 → 派出督导组 (verb before, object after);
组织130名网格员开展巡逻 → 网格员开展巡逻 (a pivot verb: its object is the real subject);
在13个社区试点开展助餐活动 → 社区试点开展助餐活动 (a prepositional frame is not a measure).
"""

from __future__ import annotations

import regex

from pipeline.rules import Rules

_CLAUSE_MARKS = "，,。；;：:！？!?\n（）()"
_QUOTED = regex.compile(r"[“\"‘「『《]([^”\"’」』》\n]{1,30})[”\"’」』》]")
_NOISE = regex.compile(r"[“”‘’\"'《》〈〉「」『』、\s·—\-+]+")
_NUMERAL = regex.compile(r"[0-9〇零一二两三四五六七八九十百千万亿]")
_HAN = regex.compile(r"[\p{Han}A-Za-z0-9]")
_TRAILING = ("达到", "共计", "合计", "累计", "总计", "分别", "达", "为", "共", "约", "近", "超过", "的")


class MeasureBuilder:
    def __init__(self, rules: Rules, tags: dict[str, str]) -> None:
        self.tags = tags
        self.pivots = rules.words_with_role("pivot")
        self.prepositions = rules.words_with_role("preposition")
        self.drops = rules.words_with_role("drop")
        self.verbs = rules.words_with_role("verb")
        self.predicates = rules.words_with_role("predicate") | self.pivots
        self.comparisons = rules.words_with_role("comparison")

    def is_verb(self, word: str) -> bool:
        return word in self.verbs or word in self.predicates or self.tags.get(word, "") in ("v", "vd")

    def is_adverb(self, word: str) -> bool:
        return word in self.drops or self.tags.get(word, "") in ("d", "ad", "u", "uj", "ul")

    @staticmethod
    def words(text: str, tokens: list[tuple[int, int]], start: int, end: int) -> list[str]:
        """The words of ``text[start:end]``; a quoted name with a numeral in it (“一件事一次办”)
        counts as one word, so its numerals and verbs do not cut the phrase."""
        quoted = [(m.start(), m.end(), m.group(1)) for m in _QUOTED.finditer(text, start, end) if _NUMERAL.search(m.group(1))]
        words = []
        for token_start, token_end in tokens:
            if token_end <= start or token_start >= end:
                continue
            inside = next((q for q in quoted if q[0] <= token_start < q[1]), None)
            if inside:
                if inside[0] == token_start or not words or words[-1] != inside[2]:
                    if not words or words[-1] != inside[2]:
                        words.append(inside[2])
                continue
            word = _NOISE.sub("", text[max(token_start, start) : min(token_end, end)])
            if word and _HAN.search(word):
                words.append(word)
        return words

    def clean_left(self, words: list[str]) -> list[str]:
        while words and words[0] in self.drops:
            words = words[1:]
        if words and words[0] in self.prepositions:
            verb_at = next((i for i, w in enumerate(words[1:], start=1) if self.is_verb(w)), None)
            words = words[verb_at:] if verb_at is not None else []
        while words and words[0] in self.drops:
            words = words[1:]
        while words and (words[-1] in self.drops or words[-1] in self.prepositions):
            words = words[:-1]
        return words

    def _noun_phrase(self, words: list[str]) -> int:
        """How many leading words form the noun phrase after a figure."""
        index = 0
        while index < len(words):
            word = words[index]
            if self.is_verb(word):
                # A word jieba calls a verb but that ends the phrase is a noun here (探头).
                following = words[index + 1] if index + 1 < len(words) else None
                lexical = word in self.verbs or word in self.predicates
                if index == 0 or lexical or (following is not None and self.tags.get(following) != "d"):
                    break
            elif index and self.is_adverb(word):
                break
            index += 1
        return index

    def right_phrase(self, words: list[str]) -> tuple[list[str], list[str]]:
        """The noun phrase right after the figure, and the verb phrase that follows it."""
        size = self._noun_phrase(words)
        noun, rest = words[:size], words[size:]
        while rest and self.is_adverb(rest[0]) and not self.is_verb(rest[0]):
            rest = rest[1:]
        verb: list[str] = []
        if rest and noun:
            # What the counted things did, up to the next light verb (开展, 进行) that opens a
            # further predicate; jieba's dictionary sometimes tags a verb-object word as a noun
            # (进社区), so the phrase does not have to open with a tagged verb.
            verb.append(rest[0])
            for word in rest[1:]:
                if word in self.predicates or (not self.is_verb(rest[0]) and len(verb) >= 2):
                    break
                verb.append(word)
        return noun, verb

    def leading_verb(self, text: str, tokens: list[tuple[int, int]], start: int, end: int) -> str:
        left = self.clean_left(self.words(text, tokens, start, end))
        return left[0] if left and self.is_verb(left[0]) else ""

    def build(self, text: str, tokens: list[tuple[int, int]], left: tuple[int, int], right: tuple[int, int], previous: str = "", inherited_verb: str = "", compared: str = "") -> str:
        """``left`` is the text before the figure in its clause (after any lead or earlier
        figure), ``right`` the text after it up to the clause's end or the next figure.
        ``previous`` is the measure of an earlier figure of the same list, ``inherited_verb``
        the verb that governs the list (新建A 1个、B 2个); ``compared`` the measure of the figure
        before it in the sentence, which a change or share (同比增长11.3%) is about."""
        before = self.clean_left(self.words(text, tokens, *left))
        if compared and before and any(before[0].startswith(word) for word in self.comparisons):
            before = [_trim(compared), *before]
        noun, verb = self.right_phrase(self.words(text, tokens, *right))
        if inherited_verb and before and before[0] not in self.verbs and before[0] not in self.predicates:
            before = [inherited_verb, *before]
        if not noun:
            words = before
            if not words:
                return _trim(previous)
        elif not before or before[-1] in self.pivots or before[-1] in self.prepositions:
            words = noun + verb
        else:
            words = before + noun
        return _trim("".join(words))


def _trim(measure: str) -> str:
    changed = True
    while changed and measure:
        changed = False
        for suffix in _TRAILING:
            if measure.endswith(suffix) and len(measure) > len(suffix) + 1:
                measure = measure[: -len(suffix)]
                changed = True
    return measure


_SHORT_ASIDE = regex.compile(r"[（(][^（）()0-9，。；\n]{1,8}[）)]")


def clause_bounds(text: str, offset: int, floor: int, ceiling: int) -> tuple[int, int]:
    """The clause around ``offset``. A short aside in brackets without figures, as in
    河（湖）长 or 镇（街道）, is part of the phrase, not a clause break."""
    asides = [(m.start(), m.end()) for m in _SHORT_ASIDE.finditer(text, max(floor, offset - 80), min(ceiling, offset + 80))]

    def in_aside(position: int) -> bool:
        return any(start <= position < end for start, end in asides)

    start = offset
    while start > floor and (text[start - 1] not in _CLAUSE_MARKS or in_aside(start - 1)):
        start -= 1
    end = offset
    while end < ceiling and (text[end] not in _CLAUSE_MARKS or in_aside(end)):
        end += 1
    return start, end
