"""Who a figure belongs to: county (or town, city, province) and actor.

In order of precedence:
1. 分别 lists: 眉县、凤县、太白县分别建成3个、5个、2个 pairs places and figures one to one.
2. A place opening the figure's list item or clause: 其中眉县3个、凤县5个; （眉县3个）.
3. The passage the figure lies in: a bold or sentence-opening place governs until the next
   one, the end of its paragraph or its section.
4. The document's region (the issuer's, or ``--region``); none if neither is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.extraction.actors import ActorMention
from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.normalize.quantities import Quantity
from pipeline.structure.layout import Layout

_TOWN = regex.compile(r"\p{Han}{2,5}?(?:镇|乡|街道办事处|街道)(?!\p{Han}{0,2}(?:府|委|党委|政府))")
_ZONE = regex.compile(r"\p{Han}{0,6}?(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区|工业园区|新区)")
_TOWN_MAX = 10
_BARE_ZONES = {"高新区", "经开区"}
_ITEM_MARKS = "，,、；;：:（(。！？\n"
_CLAUSE_MARKS = "，,；;：:。！？\n"
_LEAD_PREFIX = regex.compile(r"(?:其中|同时|此外|另外|目前|截至目前|今年以来)?[，,]?")
_LIST_JOINERS = regex.compile(r"^[、，,和及与]*$")
_REGION_WORDS = regex.compile(r"(全市|我市|全县|我县|全区|我区|全省|我省|全州|全盟)")


@dataclass
class Lead:
    """A place, town or actor that opens a passage, with the span it governs."""

    start: int
    end: int
    scope_end: int
    place: PlaceMention | None = None
    town: str = ""
    actor: ActorMention | None = None


@dataclass
class Attribution:
    county: str = ""
    county_code: str = ""
    town: str = ""
    actor: str = ""
    lead_end: int = 0


class Attributor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def region_place(self, region: str) -> tuple[str, str]:
        place = self.gazetteer.places.get(region)
        return (place.name, place.code) if place else ("", "")

    def leads(self, text: str, layout: Layout, places: list[PlaceMention], actors: list[ActorMention]) -> list[Lead]:
        """Passage leads: places and actors at the start of a bold run or of a sentence."""
        starts = {start for start, _ in layout.sentences} | {s.start for s in layout.bold}
        places_at = {p.start: p for p in places if p.level in ("county", "prefecture", "province")}
        actors_at = {a.start: a for a in actors}
        heading_starts = {start for start, _ in layout.heading_spans}
        bold_starts = {s.start for s in layout.bold}
        leads: list[Lead] = []
        for start in sorted(starts):
            if start in heading_starts or not layout.body[0] <= start < layout.body[1]:
                continue
            offset = start + len(_LEAD_PREFIX.match(text, start).group(0))
            place = self._most_specific(places_at.get(offset), places_at)
            zone = self._zone_at(text, offset, layout.region, {s.end for s in layout.bold if s.start == offset})
            if zone and (place is None or zone.end > place.end):
                place = None  # 长春新区 is a zone, not 长春 followed by a word
            cursor = place.end if place else offset
            town = ""
            if zone:
                place, cursor = zone, zone.end
            else:
                town_end = self._town_end(text, cursor)
                if town_end and (place or start in bold_starts) and self._bold_or_clause(text, layout, town_end):
                    town, cursor = text[cursor:town_end], town_end
            actor = actors_at.get(cursor) or actors_at.get(offset)
            if actor and place and actor.start == offset:
                place = None
            if region := _REGION_WORDS.match(text, offset):
                if not self._same_level_as_passage(region.group(0), leads, layout, start):
                    leads.append(Lead(start, region.end(), 0))
                continue
            if place or town or actor:
                end = max(cursor, actor.end if actor else 0)
                leads.append(Lead(start, end, 0, place, town, actor))
        for index, lead in enumerate(leads):
            previous = leads[index - 1] if index else None
            if lead.town and lead.place is None:
                if previous and previous.place and previous.scope_end >= lead.start:
                    # A town inside a county's passage belongs to that county.
                    lead.place = previous.place
                else:
                    lead.place = self._county_of_town(lead.town, lead.start, layout.region)
            block_end = layout.block_at(lead.start)[1]
            section = layout.section_at(lead.start)
            scope_end = min(block_end, section.end if section else block_end)
            if index + 1 < len(leads):
                scope_end = min(scope_end, leads[index + 1].start)
            lead.scope_end = scope_end
        return leads

    @staticmethod
    def _same_level_as_passage(word: str, leads: list[Lead], layout: Layout, start: int) -> bool:
        """全县 inside 眉县's passage (or 全市 inside a county-level city's) means that place,
        not the document's region: the passage goes on."""
        passage = next((lead for lead in reversed(leads) if lead.place), None)
        if passage is None or layout.block_at(passage.start) != layout.block_at(start) or layout.section_at(passage.start) is not layout.section_at(start):
            return False
        return passage.place.level == "county" and passage.place.name.endswith(word[-1])

    def _most_specific(self, place: PlaceMention | None, places_at: dict[int, PlaceMention]) -> PlaceMention | None:
        """晋中市榆次区: of places written one after another, the innermost is meant."""
        while place and (inner := places_at.get(place.end)) and inner.code and self.gazetteer.within(inner.code, place.code):
            place = inner
        return place

    def _town_end(self, text: str, start: int) -> int:
        """End of a town name at ``start``: the longest one in the gazetteer, else the pattern."""
        towns = self.gazetteer.towns
        for end in range(min(len(text), start + _TOWN_MAX), start + 1, -1):
            if text[start:end] in towns:
                return end
        match = _TOWN.match(text, start)
        return match.end() if match else 0

    def _county_of_town(self, town: str, start: int, region: str) -> PlaceMention | None:
        """The county of a town named alone, when exactly one county of the region has it."""
        codes = [code for code in self.gazetteer.towns.get(town, ()) if self.gazetteer.within(code, region)]
        if len(codes) != 1:
            return None
        place = self.gazetteer.places[codes[0]]
        return PlaceMention(start, start, town, place.code, place.name, place.level)

    def _zone_at(self, text: str, start: int, region: str, bold_ends: set[int]) -> PlaceMention | None:
        """A development zone leading a passage (高新区, 宝鸡高新区): the zone of the region of
        that name if the gazetteer knows one, else the name as written with no code. Only a
        whole bold lead, a zone the gazetteer knows, or a bare 高新区/经开区 counts: 城市新区建设
        opens a sentence, not a passage."""
        match = _ZONE.match(text, start)
        if not match:
            return None
        name = match.group(0)
        prefix = name[: len(name) - len(regex.search(r"(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区|工业园区|新区)$", name).group(0))]
        named_after_place = bool(prefix) and any(m.start == 0 and m.end == len(prefix) for m in self.gazetteer.find(prefix, region))
        if match.end() not in bold_ends and name not in self.gazetteer.zones and name not in _BARE_ZONES and not named_after_place:
            return None
        zones = [z for z in self.gazetteer.zones.get(name, ()) if not region or self.gazetteer.within(z.prefecture_code, region)]
        if len(zones) == 1:
            return PlaceMention(start, match.end(), name, zones[0].county_code, zones[0].name, "county")
        return PlaceMention(start, match.end(), name, "", name, "county")

    @staticmethod
    def _bold_or_clause(text: str, layout: Layout, end: int) -> bool:
        return any(span.end == end for span in layout.bold) or (end < len(text) and text[end] not in "的")

    def attribute(self, text: str, layout: Layout, quantities: list[Quantity], places: list[PlaceMention], leads: list[Lead]) -> list[Attribution]:
        default = self.region_place(layout.region)
        results = []
        distributed = self._distributed(text, quantities, places, layout)
        for index, quantity in enumerate(quantities):
            lead = next((l for l in reversed(leads) if l.start <= quantity.start < l.scope_end), None)
            result = Attribution(*default)
            if lead:
                result.lead_end = lead.end
                if lead.place:
                    result.county, result.county_code = lead.place.name, lead.place.code
                result.town = lead.town
                result.actor = lead.actor.name if lead.actor else ""
            item_place = distributed.get(index) or self._item_place(text, quantity, places, quantities, index, layout.region)
            if item_place is None and self._clause_says_region(text, quantity, layout, leads):
                # 临泉县…分别新认定18个、15个，全市累计认定超过600个: the clause is the city's.
                result = Attribution(*default)
            if item_place:
                result.county, result.county_code = item_place.name, item_place.code
                if lead and lead.place is not item_place:
                    result.town = ""
            results.append(result)
        return results

    def _clause_says_region(self, text: str, quantity: Quantity, layout: Layout, leads: list[Lead]) -> bool:
        start = quantity.start
        sentence_start = layout.sentence_at(quantity.start)[0]
        while start > sentence_start and text[start - 1] not in _CLAUSE_MARKS:
            start -= 1
        word = _REGION_WORDS.match(text, start)
        if not word or start == sentence_start:
            return False
        return not self._same_level_as_passage(word.group(0), [l for l in leads if l.start <= start], layout, start)

    def _item_place(self, text: str, quantity: Quantity, places: list[PlaceMention], quantities: list[Quantity], index: int, region: str) -> PlaceMention | None:
        """A place that opens the list item or clause holding the figure (其中眉县3个)."""
        start = quantity.start
        floor = quantities[index - 1].end if index else 0
        while start > floor and (text[start - 1] not in _ITEM_MARKS or (text[start - 1] == "," and text[start - 2 : start - 1].isdigit())):
            start -= 1
        if start > floor and text[start - 1] == "、":
            previous_item = start - 1
            while previous_item > 0 and text[previous_item - 1] not in _ITEM_MARKS:
                previous_item -= 1
            if not any(previous_item <= q.end < start for q in quantities[:index]):
                return None  # 在新城区、回民区、土左旗沿山地带完成…: places listed as where, not items with figures
        start += len(_LEAD_PREFIX.match(text, start).group(0))
        places_at = {p.start: p for p in places if p.level in ("county", "prefecture") and p.end <= quantity.start}
        place = self._most_specific(places_at.get(start), places_at)
        zone = self._zone_at(text, start, region, set())  # 经开区5家, 长春新区…128公里
        if zone and zone.end <= quantity.start and (place is None or zone.end > place.end):
            return zone
        return place

    @staticmethod
    def _distributed(text: str, quantities: list[Quantity], places: list[PlaceMention], layout: Layout) -> dict[int, PlaceMention]:
        """分别: the places listed before it, paired in order with the figures after it."""
        pairs: dict[int, PlaceMention] = {}
        for match in regex.finditer("分别", text):
            sentence_start, sentence_end = layout.sentence_at(match.start())
            listed: list[PlaceMention] = []
            # The places joined by 、/和 nearest before 分别 in its sentence; a subject or a whole
            # clause may stand between them and 分别 (吕梁市、忻州市社区工作者年人均收入分别达到…).
            for place in reversed([p for p in places if sentence_start <= p.start and p.end <= match.start()]):
                if listed and not _LIST_JOINERS.match(text[place.end : listed[0].start]):
                    break
                listed.insert(0, place)
            after = [i for i, q in enumerate(quantities) if match.end() <= q.start < sentence_end]
            if len(listed) > 1 and len(after) >= len(listed):
                for place, quantity_index in zip(listed, after[: len(listed)]):
                    pairs[quantity_index] = place
        return pairs
