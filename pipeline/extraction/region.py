"""The document's home region: the place that 全县/我市 and figures without a place of their own
belong to.

Real bulletins name their place once, and not always in a masthead: in the title (武功：…), a
dateline or source line (永州3月28日讯, 据兰州晚报报道), or the text itself (今年以来，武功县…;
略阳县人民政府县长; 《禄丰市…方案》). The kinds of evidence are tried in the order of
``rules/region_evidence.tsv``; the first that names a place decides and is recorded as the
region's basis. A document that names no place has no region: its 全市 figures keep an empty
county rather than a guess.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import regex

from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.extraction.subjects import SubjectOpeners
from pipeline.extraction.extraction_rules import AttributionRules
from pipeline.structure.layout import Layout
from pipeline.structure.structure_rules import StructureRules

_LEVEL_DEPTH = {"province": 0, "prefecture": 1, "county": 2}
# The share of the mentions a place and the places inside it must have for the text to be about
# it: 道县 three times beside one 永州市 is; one county among ten peers, or a city's one county
# beside five mentions of the city itself, is not.
_MENTION_SHARE = 0.6
_DATELINE_REACH = 200
# A place named as where someone went or came from is not the text's own (赴延安市学习, 来自四川省).
_OFFICE = regex.compile(r"(?:人民政府|政府|党委|县委|市委|区委|旗委|州委|人大|政协|人社|民政|财政|统计|发改|住建|农业农村|教育|卫健|应急)")
_ELSEWHERE = regex.compile(r"(?:赴|到|去|往|前往|来自|远赴|援助|援建|对口|支援|帮扶|与|同|和|向)$")  # characters at each end of the text where datelines and source lines stand


@dataclass(frozen=True)
class HomeRegion:
    code: str = ""
    basis: str = ""  # option | masthead | title | dateline | mention, or '' when none
    named: frozenset[str] = frozenset()  # codes of every place the document names


class RegionFinder:
    def __init__(self, gazetteer: Gazetteer, rules: AttributionRules, frames: StructureRules | None = None) -> None:
        self.gazetteer = gazetteer
        self.order = rules.region_order
        self.datelines = [regex.compile(pattern, regex.MULTILINE) for pattern in rules.datelines]
        self.scope_words = rules.scope_words
        self.openers = SubjectOpeners(rules.subject_openers, frames)

    def home(self, text: str, layout: Layout, mentions: list[PlaceMention]) -> HomeRegion:
        """``mentions`` are the full-name places found with no region yet (short forms need one)."""
        evidence = {
            "option": lambda: self._named(layout.region_hint),
            "masthead": lambda: self._named(layout.metadata.issuer) or self._named(layout.metadata.publication),
            "title": lambda: self._title(layout.metadata.title),
            "dateline": lambda: self._dateline(text),
            "mention": lambda: self._mention(text, layout, mentions),
        }
        named = {m.code for m in mentions if m.resolved}
        for basis in self.order:
            code = evidence[basis]()
            if code:
                named.add(code)
                if basis == "dateline":
                    # A newspaper is datelined by its city; the report may be about one county in it,
                    # or about the province around it (新华网合肥…电 over a province-wide report).
                    code = self._narrowed(text, code, named)
                    code = self._widened(text, code, mentions)
                return HomeRegion(code, basis, frozenset(named))
        return HomeRegion(named=frozenset(named))

    def scope_place(self, home: HomeRegion, means: str) -> str:
        """The place a scope word means (``means`` from scope_words.tsv): the region, or its
        nearest enclosing place with that ending if the document names it (全市 in a 县's
        document is its prefecture); '' when the document never names the place meant."""
        if not home.code or means == "region":
            return home.code
        for code in self.gazetteer.ancestors(home.code):
            if self.gazetteer.places[code].name.endswith(means):
                return code if code == home.code or code in home.named else ""
        return home.code  # 全县 in a city's document without a county passage: the city's

    # -- the kinds of evidence -------------------------------------------------------------

    def _named(self, text: str) -> str:
        return self.gazetteer.lookup_region(text) if text else ""

    def _innermost(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Of places written one after another (广东省云浮市), only the innermost."""
        kept = []
        for mention in mentions:
            if kept and kept[-1].end == mention.start and self.gazetteer.within(mention.code, kept[-1].code):
                kept[-1] = mention
            else:
                kept.append(mention)
        return kept

    def _title(self, title: str) -> str:
        """The one place a title names (several different ones say nothing about the home)."""
        if not title:
            return ""
        mentions = self._innermost([m for m in self.gazetteer.named_in(title) if m.form != "short" or _opens_title(title, m)])
        codes = {m.code for m in mentions}
        return codes.pop() if len(codes) == 1 else ""

    def _dateline(self, text: str) -> str:
        for piece in (text[:_DATELINE_REACH], text[-_DATELINE_REACH:]):
            for pattern in self.datelines:
                for match in pattern.finditer(piece):
                    places = self.gazetteer.named_in(match.group("place"))
                    if places:
                        return places[-1].code
        return ""

    def _narrowed(self, text: str, code: str, named: set[str]) -> str:
        """A prefecture narrowed to the one county in it the text names, when the text speaks of
        全县/我县 and the prefecture has no such ending (永州…讯 / 道县… / 全县新增… → 道县)."""
        chain = [self.gazetteer.places[c].name for c in self.gazetteer.ancestors(code)]
        for word, means in self.scope_words.items():
            if means == "region" or word not in text or any(name.endswith(means) for name in chain):
                continue
            inside = {c for c in named if c != code and self.gazetteer.within(c, code) and self.gazetteer.places[c].name.endswith(means)}
            if len(inside) == 1:
                return inside.pop()
        return code

    def _widened(self, text: str, code: str, mentions: list[PlaceMention]) -> str:
        """The province the text names in full and speaks of (全省), when it never speaks of
        the dateline's city (全市)."""
        provinces = {m.code for m in mentions if m.resolved and m.level == "province" and m.code in self.gazetteer.ancestors(code)}
        speaks_of = {means for word, means in self.scope_words.items() if word in text}
        return provinces.pop() if len(provinces) == 1 and "省" in speaks_of and "市" not in speaks_of else code

    def _mention(self, text: str, layout: Layout, mentions: list[PlaceMention]) -> str:
        """The most specific named place that most mentions name, itself or a place inside it.
        The subject of the first body sentence counts twice (今年以来，武功县扎实开展…)."""
        full = self._innermost([m for m in mentions if m.resolved and m.form != "short" and not _ELSEWHERE.search(text, max(0, m.start - 3), m.start)])
        if not full:
            return ""
        first = self._first_subject(text, layout, full)
        weights: dict[str, int] = defaultdict(int)
        for mention in full:
            # The first sentence's subject and a place naming its own office (略阳县人民政府县长,
            # 道县人社部门) speak of the text's own place.
            weights[mention.code] += 2 if mention is first or _OFFICE.match(text, mention.end) else 1
        total = sum(weights.values())
        best, best_key = "", None
        for candidate in weights:
            support = sum(w for code, w in weights.items() if candidate in self.gazetteer.ancestors(code))
            if support < _MENTION_SHARE * total:
                continue
            key = (_LEVEL_DEPTH[self.gazetteer.places[candidate].level], weights[candidate])
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        return best

    def _first_subject(self, text: str, layout: Layout, mentions: list[PlaceMention]) -> PlaceMention | None:
        body_start = layout.body[0]
        first = next(((s, e) for s, e in layout.sentences if s >= body_start and text[s:e].strip()), None)
        if first is None:
            return None
        starts = set(self.openers.subject_starts(text, first[0] + len(text[first[0] : first[1]]) - len(text[first[0] : first[1]].lstrip()), first[1]))
        return next((m for m in mentions if m.start in starts), None)


def _opens_title(title: str, mention: PlaceMention) -> bool:
    """A short form counts in a title only as its opening word before a colon or space
    (武功：三夏生产进度过半), where it cannot be part of another word."""
    return mention.start == len(title) - len(title.lstrip()) and title[mention.end : mention.end + 1] in ("：", ":", " ", "\u3000")
