"""What the paragraph around a figure adds to the measure its own clause gives.

- A topic frame opening a sentence (从经济总量看，…; 在一般公共预算收入方面，…) names what the
  paragraph's figures measure: a measure of a few characters (完成, 同比增长) gets it in front.
- A measure that says nothing (是, 均是) or only ranks the figure (位居第二名) takes the measure of
  the figure before it in the paragraph with the same kind of unit (延津县是20.9%，凤泉区是20.7%).
- A paragraph that opens by counting something (省级6项，概算投资140亿元…) is about it: its short
  money and rate measures get that noun in front.
- Parallel lists before 分别 give each figure its own measure (刑事警情、治安警情同比分别下降
  33.66%、25.82%; 第一、二、三产业增加值分别为…; 城乡居民收入分别增长…, with the pairs of
  ``rules/measure_pairs.tsv``), and one figure for two measures becomes two
  (签约和开工率分别达95% → 签约率, 开工率).
"""

from __future__ import annotations

import regex

from pipeline.extraction.lists import EACH, figures_in_clause
from pipeline.normalize.quantities import Quantity
from pipeline.structure.layout import Layout
from pipeline.structure.structure_rules import StructureRules

_EMPTY = regex.compile(r"^(?:也|仅|均|都|皆|则|已|又|还|为|是|有|达|达到|共|共有|分别|的|和|及|以及|或)*$")
_RANKING = regex.compile(r"^(?:位居|稳居|居(?=第|全|首|前)|排名|排在|排(?=第)|位列|列(?=第)|并列|再次夺冠|夺冠|名列)")
_SHORT = 4
_OPENING = 24  # characters into its paragraph the counting figure of 省级6项，… may stand
_SEPARATORS = regex.compile(r"、|和|及|与")
_MAX_ITEMS_TEXT = 40
_MARKER = regex.compile("分别|" + EACH.pattern)
_MEASURE_SUFFIX = regex.compile(r"(?:率|总额|额|量|人数|数|值)$")


class MeasureContext:
    def __init__(self, comparison_words: set[str], verbs: set[str], pairs: dict[str, tuple[str, ...]], frames: StructureRules | None) -> None:
        self.comparisons = sorted(comparison_words | verbs, key=len, reverse=True)
        self.pairs = pairs
        self.frames = frames

    def refine(self, text: str, quantities: list[Quantity], measures: list[str], layout: Layout, subject_ends: list[int]) -> tuple[list[str], dict[int, list[str]]]:
        """The measures improved by their paragraph, and the figures that carry several
        (index → one measure per row). ``subject_ends`` is where each figure's clause, past the
        places and time phrases that open it, starts."""
        refined = list(measures)
        for index, quantity in enumerate(quantities):
            if quantity.sense:
                # 造成2死5伤: what the number counts is said by the word after it (死亡, 受伤).
                refined[index] = measures[index] + quantity.sense
            block = layout.block_at(quantity.start)
            topic = self._topic(text, layout, block[0], quantity.start)
            measure = refined[index]
            if _EMPTY.match(measure) or _RANKING.match(measure):
                # The nearest exact figure of the same kind before it (a threshold, 20%以上, is no model).
                earlier = next((refined[i] for i in range(index - 1, -1, -1) if quantities[i].start >= block[0] and not quantities[i].qualifier
                                and quantities[i].unit_class == quantity.unit_class and not _EMPTY.match(refined[i])), "")
                refined[index] = earlier or topic or ("" if _RANKING.match(measure) else measure)
                continue
            if topic and topic not in measure:
                refined[index] = topic + measure
            elif len(measure) <= _SHORT and quantity.unit_class in ("money", "percent"):
                subject = self._counted(quantities, refined, index, block, layout.sentence_at(quantity.start)[0])
                if subject and subject not in measure:
                    refined[index] = subject + measure
        splits = self._parallel(text, quantities, refined, layout, subject_ends)
        for index, parts in splits.items():
            refined[index] = parts[0]
        return refined, {i: parts for i, parts in splits.items() if len(parts) > 1 and len(set(parts)) > 1}

    def _topic(self, text: str, layout: Layout, block_start: int, offset: int) -> str:
        """The topic of the last frame opening a sentence of the paragraph before ``offset``
        (the topic frames of ``rules/section_frames.tsv``)."""
        found = ""
        for start, _ in layout.sentences:
            if block_start <= start < offset and self.frames and (frame := self.frames.frame_at(text, start, "topic", offset)):
                found = frame.label if len(frame.label) >= 2 else found  # 分区来看: 区 names no measure
        return found

    @staticmethod
    def _counted(quantities: list[Quantity], measures: list[str], index: int, block: tuple[int, int], sentence_start: int) -> str:
        """What the money or rate is of: the thing counted just before it in its sentence
        (新签约项目8个，总投资36亿元), else the one the paragraph opens by counting (省级6项，…)."""
        counts = [i for i in range(index) if quantities[i].start >= block[0] and quantities[i].unit_class == "count"]
        in_sentence = [i for i in counts if quantities[i].start >= sentence_start]
        if in_sentence:
            chosen = in_sentence[-1]
        elif counts and counts[0] == next(i for i in range(index) if quantities[i].start >= block[0]) and quantities[counts[0]].start - block[0] <= _OPENING:
            chosen = counts[0]
        else:
            return ""
        return measures[chosen] if len(measures[chosen]) <= 12 else ""

    def _parallel(self, text: str, quantities: list[Quantity], measures: list[str], layout: Layout, subject_ends: list[int]) -> dict[int, list[str]]:
        """分别 (or 均 with one figure) after a parallel list: each figure its item, or one figure
        every item. A second 分别 in the sentence with nothing before it in its clause takes the
        same items (…收入分别达到52460元和27830元，分别增长5.2%和6.8%)."""
        splits: dict[int, list[str]] = {}
        items: list[str] = []
        items_sentence = -1
        for match in _MARKER.finditer(text):
            sentence_start, _ = layout.sentence_at(match.start())
            after = figures_in_clause(text, quantities, match.end())
            if not after:
                continue
            clause_start = max(subject_ends[after[0]], sentence_start)
            phrase = text[clause_start : match.start()]
            if phrase.strip(" ，,"):
                earlier = any(clause_start <= q.start < match.start() for q in quantities)
                items = [] if earlier else self._items(phrase)
                items_sentence = sentence_start
            elif items_sentence != sentence_start:
                items = []
            if not items or (match.group(0) != "分别" and len(after) != 1):
                continue
            verb = text[match.end() : quantities[after[0]].number_start]
            verb = regex.sub(r"^(?:达到|达|为|是|在)|[为是达到在]+$", "", verb).strip()
            named = [item + verb for item in items]
            if len(after) == len(named):
                for index, measure in zip(after, named):
                    splits[index] = [measure]
            elif len(after) == 1:
                splits[after[0]] = named
        return splits

    def _items(self, phrase: str) -> list[str]:
        """The parallel measures a phrase before 分别 lists, each completed with the parts the
        list shares (第一、二、三产业增加值 → 第一产业增加值, 第二产业增加值, 第三产业增加值)."""
        phrase = phrase.strip(" ，,")
        if not phrase or len(phrase) > _MAX_ITEMS_TEXT or "等" in phrase:
            return []  # examples before 等 (周市、千灯等镇的…) share the figure, they do not split it
        for word, parts in self.pairs.items():
            if word in phrase:
                return [phrase.replace(word, part, 1) for part in parts]
        items = _SEPARATORS.split(phrase)
        if len(items) < 2 or any(not item for item in items):
            return []
        last = items[-1]
        if len(items) > 2:
            cut = max(len(item) for item in items[1:-1])  # the middle items show an item's length
        else:
            # 刑事警情、治安警情同比: the shared part starts at a comparison or verb; else the
            # items are as long as the first (签约和开工率 → 签约 | 开工 + 率).
            cut = next((last.find(w) for w in self.comparisons if 0 < last.find(w)), len(items[0]))
            if not 0 < cut < len(last) and (suffix := _MEASURE_SUFFIX.search(last)):
                cut = suffix.start()  # 签约和开工率: the items share 率
        if not 0 < cut <= len(last):
            return []
        shared_tail, items[-1] = last[cut:], last[:cut]
        size = max(len(item) for item in items[1:])
        first = items[0][: -len(shared_tail)] if shared_tail and items[0].endswith(shared_tail) else items[0]  # 签约率和开工率
        extra = len(first) - size
        lead = ""
        if 0 < extra <= 2:
            lead, items[0] = first[:extra], first[extra:]  # 第一、二、三 share 第
        elif extra > 0:
            # What opens the clause (2020年实现全市) is not an item; a noun with 的 before the
            # items is theirs (签约项目的开工率、投产率).
            shared = first.rfind("的", 0, extra + 1)
            lead = first[: shared + 1] if shared >= 0 else ""
            items[0] = first[extra:]
        return [lead + item + shared_tail for item in items]
