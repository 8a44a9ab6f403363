"""Place names from the gazetteer in ``rules/places.tsv``, resolved by the document's region.

Names are matched on the text rather than on tokens, because jieba does not always cut a
place name out as one word. Full names (眉县, 陈仓区) and former names (凤翔县) always count;
short forms (陈仓, 富平) only for places inside the document's region, where bulletins use
them, because elsewhere they are ordinary words (平安, 安定, 向阳 are also district names).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import regex

from pipeline.rules import Place, Rules

# A short form followed by one of these is part of another name (太白 in 太白镇, 宝鸡 in 宝鸡路).
_NOT_AFTER_SHORT = set("镇乡村街路山河湖湾桥站港寺园庄籍")
_AFTER_SCOPE_COUNTIES = set("域（(市区、")


# The peoples an autonomous prefecture, county or banner is named after (黔东南苗族侗族自治州):
# its customary name drops them and 自治 (黔东南州, 江华县, 湘西州).
_PEOPLES = regex.compile(
    "(?:" + "|".join(sorted("""蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡
    纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京
    塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(), key=len, reverse=True)) + ")族?"
)
_AUTONOMOUS = regex.compile(r"^(?P<stem>\p{Han}{2,6}?)(?P<peoples>(?:" + _PEOPLES.pattern + r")+)自治(?P<kind>州|县|旗)$")


def _without_ethnic_names(name: str) -> str:
    match = _AUTONOMOUS.match(name)
    return match.group("stem") + match.group("kind") if match else ""


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    code: str
    name: str
    level: str
    form: str = "full"  # full | former | short: how the text wrote it

    @property
    def resolved(self) -> bool:
        return bool(self.code)


@dataclass(frozen=True)
class NameIndex:
    """Every name a place goes by → (code, form) of the places so named; the longest name's
    length, and the first two characters of every name (where a scan may find one)."""

    names: dict[str, list[tuple[str, str]]]
    longest: int
    heads: frozenset[str]

    @classmethod
    def of(cls, places: dict[str, Place]) -> NameIndex:
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for place in places.values():
            names[place.name].append((place.code, "full"))
            for former in place.former:
                names[former.split("@")[0]].append((place.code, "former"))
            for short in place.short:
                if len(short) >= 2:
                    names[short].append((place.code, "short"))
        for place in places.values():
            customary = _without_ethnic_names(place.name)
            if customary and all(code == place.code for code, _ in names.get(customary, ())):
                names[customary] = [(place.code, "full")]  # 黔东南州, 江华县: said everywhere, like the full name
        return cls(dict(names), max((len(name) for name in names), default=0), frozenset(name[:2] for name in names))


# One index per rules object: the pipeline's components each hold a gazetteer of the same rules.
_INDEXES: dict[int, tuple[Rules, NameIndex]] = {}


def name_index(rules: Rules) -> NameIndex:
    """The index of ``rules``' places, made once per rules object (or taken from the start-up cache)."""
    found = _INDEXES.get(id(rules))
    if found is not None and found[0] is rules:
        return found[1]
    return remember_index(rules, NameIndex.of(rules.places))


def remember_index(rules: Rules, index: NameIndex) -> NameIndex:
    while len(_INDEXES) >= 8:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[id(rules)] = (rules, index)
    return index


class Gazetteer:
    def __init__(self, rules: Rules) -> None:
        self.places = rules.places
        self.towns = rules.towns
        self.zones = rules.zones
        self.needs_parent = rules.place_words_needing_parent
        self.scope_words = set(rules.attribution.scope_words) if rules.attribution else set()
        index = name_index(rules)
        self.names, self.longest, self.heads = index.names, index.longest, index.heads

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

    def prefecture_of(self, code: str) -> str:
        """The prefecture a place lies in (itself if it is one; a province stays a province)."""
        chain = self.ancestors(code)
        return next((c for c in chain if self.places[c].level == "prefecture"), chain[0] if chain else "")

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
        if len(word) > 2 and word[:2] in self.scope_words and text[end : end + 1] in _AFTER_SCOPE_COUNTIES:
            return None  # 全州县（市）, 全州县域: the prefecture's counties, not 全州县
        if word in self.needs_parent:
            codes = [code for code, _ in candidates if (parent := self.places[self.places[code].parent_code]) and text[:start].endswith((parent.name, *parent.short))]
            candidates = [(code, "full") for code in codes]
        kept = []
        for code, kind in candidates:
            if kind == "short":
                # A province's short form (江苏、浙江) is the province anywhere; others only inside the region.
                inside = self.within(code, region) or self.places[code].level == "province"
                if not inside or (end < len(text) and text[end] in _NOT_AFTER_SHORT):
                    continue
            kept.append((code, kind))
        if not kept:
            return None
        codes = sorted({code for code, _ in kept})
        if len(codes) > 1 and region:
            local = [code for code in codes if self.within(code, region)]
            codes = local or codes
        if len(codes) > 1:
            # 黄山 is 黄山市 and its 黄山区: the district is named after the city, the word is the city's.
            outer = [code for code in codes if all(code in self.ancestors(other) for other in codes)]
            codes = outer or codes
        if len(codes) == 1:
            place: Place = self.places[codes[0]]
            form = next(kind for code, kind in kept if code == place.code)
            return PlaceMention(start, end, word, place.code, place.name, place.level, form)
        levels = {self.places[code].level for code in codes}
        return PlaceMention(start, end, word, "", word, levels.pop() if len(levels) == 1 else "county")

    def named_in(self, text: str) -> list[PlaceMention]:
        """Places named in a short piece of text (a dateline, a newspaper's name) by their full
        name or by a short form only one place has (永州 in 永州3月28日讯, 兰州 in 兰州晚报)."""
        mentions = [m for m in self.find(text, "") if m.resolved]
        taken = [(m.start, m.end) for m in mentions]
        for size in range(min(self.longest, len(text)), 1, -1):
            for start in range(len(text) - size + 1):
                word = text[start : start + size]
                codes = {code for code, kind in self.names.get(word, ()) if kind == "short"}
                if len(codes) == 1 and not any(s < start + size and start < e for s, e in taken):
                    place = self.places[codes.pop()]
                    mentions.append(PlaceMention(start, start + size, word, place.code, place.name, place.level, "short"))
                    taken.append((start, start + size))
        return sorted(mentions, key=lambda m: m.start)

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
