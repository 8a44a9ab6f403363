"""Place names from the gazetteer in ``rules/places.tsv``, resolved by the document's region.

Names are matched on the text rather than on tokens, because jieba does not always cut a
place name out as one word. Full names (眉县, 陈仓区) and former names (凤翔县) always count;
short forms (陈仓, 富平) only for places inside the document's region, where bulletins use
them, because elsewhere they are ordinary words (平安, 安定, 向阳 are also district names).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pipeline.rules import Place, Rules

# A short form followed by one of these is part of another name (太白 in 太白镇, 宝鸡 in 宝鸡路).
_NOT_AFTER_SHORT = set("镇乡村街路山河湖湾桥站港寺园庄")


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    code: str
    name: str
    level: str

    @property
    def resolved(self) -> bool:
        return bool(self.code)


class Gazetteer:
    def __init__(self, rules: Rules) -> None:
        self.places = rules.places
        self.towns = rules.towns
        self.zones = rules.zones
        self.needs_parent = rules.place_words_needing_parent
        self.names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for place in self.places.values():
            self.names[place.name].append((place.code, "full"))
            for former in place.former:
                self.names[former.split("@")[0]].append((place.code, "former"))
            for short in place.short:
                if len(short) >= 2:
                    self.names[short].append((place.code, "short"))
        self.longest = max((len(name) for name in self.names), default=0)
        self.heads = {name[:2] for name in self.names}

    def ancestors(self, code: str) -> list[str]:
        chain = []
        while code and code in self.places:
            chain.append(code)
            code = self.places[code].parent_code
        return chain

    def within(self, code: str, region: str) -> bool:
        """Whether ``code`` lies in ``region`` or is one of its ancestors."""
        return bool(region) and (region in self.ancestors(code) or code in self.ancestors(region))

    def lookup_region(self, text: str) -> str:
        """The most specific place a short text such as an issuer's name names, or ''."""
        mentions = [m for m in self.find(text, "") if m.resolved]
        if not mentions:
            return ""
        levels = {"county": 0, "prefecture": 1, "province": 2}
        return min(mentions, key=lambda m: (levels[m.level], m.start)).code

    def dominant_region(self, mentions: list[PlaceMention]) -> str:
        """The prefecture that most resolved full-name mentions belong to."""
        counts: dict[str, int] = defaultdict(int)
        for mention in mentions:
            chain = self.ancestors(mention.code)
            prefecture = next((c for c in chain if self.places[c].level == "prefecture"), "")
            if prefecture:
                counts[prefecture] += 1
        return max(sorted(counts), key=lambda code: counts[code]) if counts else ""

    def _choose(self, text: str, start: int, end: int, region: str) -> PlaceMention | None:
        word = text[start:end]
        candidates = self.names.get(word)
        if not candidates:
            return None
        if word in self.needs_parent:
            codes = [code for code, _ in candidates if (parent := self.places[self.places[code].parent_code]) and text[:start].endswith((parent.name, *parent.short))]
            candidates = [(code, "full") for code in codes]
        kept = []
        for code, kind in candidates:
            if kind == "short":
                if not self.within(code, region) or (end < len(text) and text[end] in _NOT_AFTER_SHORT):
                    continue
            kept.append((code, kind))
        if not kept:
            return None
        codes = sorted({code for code, _ in kept})
        if len(codes) > 1 and region:
            local = [code for code in codes if self.within(code, region)]
            codes = local or codes
        if len(codes) == 1:
            place: Place = self.places[codes[0]]
            return PlaceMention(start, end, word, place.code, place.name, place.level)
        levels = {self.places[code].level for code in codes}
        return PlaceMention(start, end, word, "", word, levels.pop() if len(levels) == 1 else "county")

    def find(self, text: str, region: str) -> list[PlaceMention]:
        """Longest non-overlapping mentions, left to right."""
        mentions: list[PlaceMention] = []
        position = 0
        length = len(text)
        while position < length:
            found = None
            if text[position : position + 2] not in self.heads:
                position += 1
                continue
            for size in range(min(self.longest, length - position), 1, -1):
                found = self._choose(text, position, position + size, region)
                if found:
                    break
            if found:
                mentions.append(found)
                position = found.end
            else:
                position += 1
        return mentions
