"""Passage leads: the place, town, zone or actor that opens a passage and governs what follows.

A lead stands where a sentence or a bold run starts, after any opener a reader skips
(1、, 截至6月底，, 从经济总量看，; ``rules/subject_openers.tsv``). It governs until the next
lead, the end of its paragraph or the end of its section. A scope word opening a sentence
(全市…) is a lead too: it hands the passage back to the region, or keeps it with the county
whose passage it is (全县 inside 眉县's passage). A list of places as subject (A县、B县分别…)
ends the passage before it but leads none: its figures are paired by the list itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.extraction.actors import ActorMention
from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.extraction.subjects import SubjectOpeners
from pipeline.structure.layout import Layout

_TOWN = regex.compile(r"(?:(?!等)\p{Han}){2,5}?(?:镇|乡|街道办事处|街道)(?!\p{Han}{0,2}(?:府|委|党委|政府))")
_ZONE_SUFFIX = r"(?:高新技术产业开发区|经济技术开发区|综合保税区|保税港区|保税区|经济开发区|高新区|经开区|开发区|工业园区|示范区|新区)"
# Suffixes no ordinary phrase ends in: a name with one is a zone wherever it leads (西永综合保税区).
_NOT_A_NAME = regex.compile(r"(?:含|包括|包含|在|和|及|与|的|全|各|本|该|其|等|共|均|为|对|向|由|从)")  # 含高新区 is no zone's name
_STRONG_ZONE = regex.compile(r"(?:高新技术产业开发区|经济技术开发区|综合保税区|保税港区|保税区|高新区|经开区)$")
_ZONE = regex.compile(rf"\p{{Han}}{{0,6}}?{_ZONE_SUFFIX}")
_ZONE_END = regex.compile(rf"{_ZONE_SUFFIX}$")
# A zone with a suffix of its own as a subject (宝鸡高新区…, 经开区…): for the measures.
ZONE_NAME = regex.compile(r"(?<![\p{Han}])(?:\p{Han}{2,4}?)?(?:高新技术产业开发区|经济技术开发区|综合保税区|保税港区|保税区|高新区|经开区)")
_TOWN_MAX = 10
_BARE_ZONES = {"高新区", "经开区"}
_LIST_AFTER = regex.compile(r"[、和及与]|以及")
_CLAUSE_MARK = regex.compile(r"[，,；;：:]")
# A place followed by these is not the clause's subject: 的 (眉县的社区), a list (眉县、), 籍 (湖北籍).
_NOT_SUBJECT_AFTER = set("的、和及与籍")
LEAD_LEVELS = ("county", "prefecture", "province")


@dataclass
class Lead:
    """Who opens a passage, and the span [start, scope_end) it governs."""

    start: int
    end: int
    scope_end: int
    place: PlaceMention | None = None
    town: str = ""
    actor: ActorMention | None = None
    scope: str = ""  # a scope word's meaning (市, 县, region …) when 全市/我县 opened the passage
    is_list: bool = False  # a list of places as subject: the passage before it ends, none begins
    in_clause: bool = False  # a place opening a later clause: it leads the rest of its sentence only


class LeadFinder:
    def __init__(self, gazetteer: Gazetteer, openers: SubjectOpeners, scope_words: dict[str, str]) -> None:
        self.gazetteer = gazetteer
        self.openers = openers
        self.scope_words = scope_words
        self.scope_pattern = regex.compile("|".join(regex.escape(w) for w in sorted(scope_words, key=len, reverse=True))) if scope_words else None

    def leads(self, text: str, layout: Layout, places: list[PlaceMention], actors: list[ActorMention]) -> list[Lead]:
        """Passage leads: places, towns, zones and actors opening a sentence or a bold run."""
        starts = {start for start, _ in layout.sentences} | {s.start for s in layout.bold}
        places_at = {p.start: p for p in places if p.level in LEAD_LEVELS}
        actors_at = {a.start: a for a in actors}
        heading_starts = {start for start, _ in layout.heading_spans}
        bold_starts = {s.start for s in layout.bold}
        leads: list[Lead] = []
        for start in sorted(starts):
            if start in heading_starts or not layout.body[0] <= start < layout.body[1]:
                continue
            sentence_end = layout.sentence_at(start)[1] or len(text)
            for offset in self.openers.subject_starts(text, start, max(sentence_end, start + 1)):
                lead = self._lead_at(text, layout, start, offset, places_at, actors_at, start in bold_starts, leads)
                if lead is not None:
                    if lead.place or lead.town or lead.actor or lead.scope or lead.is_list:
                        leads.append(lead)
                    break
        # Clause starts that are already a sentence's subject position (截至6月底，眉县…) are taken.
        taken = {offset for start in starts for offset in self.openers.subject_starts(text, start, (layout.sentence_at(start)[1] or start) + 1)}
        leads += self._clause_leads(text, layout, places_at, actors_at, taken)
        leads.sort(key=lambda lead: lead.start)
        self._resolve_towns(leads, layout.region)
        self._set_scopes(leads, layout)
        return leads

    def _clause_leads(self, text: str, layout: Layout, places_at: dict[int, PlaceMention], actors_at: dict[int, ActorMention],
                      taken: set[int]) -> list[Lead]:
        """Places and zones opening a later clause of a sentence (…，青冈县完成16.9万亩，比去年同期
        多完成2.4万亩): they lead the rest of that sentence, inside whatever passage holds it."""
        found = []
        for mark in _CLAUSE_MARK.finditer(text, *layout.body):
            start = mark.end()
            if start in taken:
                continue
            sentence_end = layout.sentence_at(start)[1] or len(text)
            for offset in self.openers.subject_starts(text, start, max(sentence_end, start + 1)):
                lead = self._lead_at(text, layout, start, offset, places_at, actors_at, False, found)
                if lead is None:
                    continue
                if lead.place and not lead.town and text[lead.end : lead.end + 1] not in _NOT_SUBJECT_AFTER:
                    lead.in_clause, lead.actor = True, None
                    found.append(lead)
                break
        return found

    def _lead_at(self, text: str, layout: Layout, start: int, offset: int, places_at: dict[int, PlaceMention],
                 actors_at: dict[int, ActorMention], bold: bool, leads: list[Lead]) -> Lead | None:
        """The lead at ``offset``, an empty Lead for a sentence that opens with something that
        is no lead (so later openers are not tried), or None to try the next opener."""
        place = self.most_specific(places_at.get(offset), places_at)
        if place and self._is_list_subject(text, place, places_at, layout.region):
            return Lead(start, place.end, 0, is_list=True)
        zone = self.zone_at(text, offset, layout.region, {s.end for s in layout.bold if s.start == offset})
        if zone and (place is None or zone.end > place.end):
            place = None  # 长春新区 is a zone, not 长春 followed by a word
        cursor = place.end if place else offset
        town = ""
        if zone:
            place, cursor = zone, zone.end
        else:
            town_end = self.town_end(text, cursor)
            resolvable = bool(town_end) and self.county_of_town(text[cursor:town_end], offset, layout.region) is not None
            if town_end and (place or bold or resolvable) and self._bold_or_clause(text, layout, town_end):
                town, cursor = text[cursor:town_end], town_end
        actor = actors_at.get(cursor) or actors_at.get(offset)
        if actor and place and actor.start == offset:
            place = None
        if self.scope_pattern and (word := self.scope_pattern.match(text, offset)):
            if place is None and not town and not self.same_level_as_passage(word.group(0), leads, layout, start):
                return Lead(start, word.end(), 0, scope=self.scope_words[word.group(0)])
            if place is None and not town:
                return Lead(start, offset, 0)
        if place or town or actor:
            return Lead(start, max(cursor, actor.end if actor else 0), 0, place, town, actor)
        return None

    def _is_list_subject(self, text: str, place: PlaceMention, places_at: dict[int, PlaceMention], region: str) -> bool:
        joiner = _LIST_AFTER.match(text, place.end)
        return bool(joiner) and (joiner.end() in places_at or _ZONE.match(text, joiner.end()) is not None)

    def _resolve_towns(self, leads: list[Lead], region: str) -> None:
        for index, lead in enumerate(leads):
            if lead.town and lead.place is None:
                previous = leads[index - 1] if index else None
                if previous and previous.place and previous.scope_end >= lead.start:
                    lead.place = previous.place  # a town inside a county's passage is that county's
                else:
                    lead.place = self.county_of_town(lead.town, lead.start, region)

    @staticmethod
    def _set_scopes(leads: list[Lead], layout: Layout) -> None:
        """A passage runs to the next passage lead, the end of its paragraph or section; a clause's
        lead to the next lead or the end of its sentence (the passage around it goes on after)."""
        for index, lead in enumerate(leads):
            block_end = layout.block_at(lead.start)[1]
            section = layout.section_at(lead.start)
            scope_end = min(block_end, section.end if section else block_end)
            if lead.in_clause:
                scope_end = min(scope_end, layout.sentence_at(lead.start)[1] or scope_end)
            following = next((later for later in leads[index + 1 :] if lead.in_clause or not later.in_clause), None)
            if following:
                scope_end = min(scope_end, following.start)
            lead.scope_end = scope_end

    # -- shared with the clause-level evidence -----------------------------------------------

    def same_level_as_passage(self, word: str, leads: list[Lead], layout: Layout, start: int) -> bool:
        """全县 inside 眉县's passage (or 全市 inside a county-level city's) means that place,
        not the document's region: the passage goes on."""
        passage = next((lead for lead in reversed(leads) if lead.place or lead.scope or lead.is_list), None)
        if passage is None or passage.place is None or layout.block_at(passage.start) != layout.block_at(start):
            return False
        if layout.section_at(passage.start) is not layout.section_at(start):
            return False
        means = self.scope_words.get(word, "")
        return passage.place.level == "county" and means != "region" and passage.place.name.endswith(means)

    def most_specific(self, place: PlaceMention | None, places_at: dict[int, PlaceMention]) -> PlaceMention | None:
        """晋中市榆次区: of places written one after another, the innermost is meant."""
        while place and (inner := places_at.get(place.end)) and inner.code and self.gazetteer.within(inner.code, place.code):
            place = inner
        return place

    def town_end(self, text: str, start: int) -> int:
        """End of a town name at ``start``: the longest one in the gazetteer, else the pattern."""
        towns = self.gazetteer.towns
        for end in range(min(len(text), start + _TOWN_MAX), start + 1, -1):
            if text[start:end] in towns:
                return end
        match = _TOWN.match(text, start)
        return match.end() if match else 0

    def is_town(self, name: str) -> bool:
        return name in self.gazetteer.towns or bool(_TOWN.fullmatch(name))

    def county_of_town(self, town: str, start: int, region: str) -> PlaceMention | None:
        """The county of a town named alone, when exactly one county of the region has it."""
        codes = [code for code in self.gazetteer.towns.get(town, ()) if self.gazetteer.within(code, region)]
        if len(codes) != 1:
            return None
        place = self.gazetteer.places[codes[0]]
        return PlaceMention(start, start, town, place.code, place.name, place.level)

    def zone_at(self, text: str, start: int, region: str, bold_ends: set[int], listed: bool = False) -> PlaceMention | None:
        """A development zone leading a passage (高新区, 宝鸡高新区): the zone of the region of
        that name if the gazetteer knows one, else the name as written with no code. Only a
        whole bold lead, a zone the gazetteer knows, a zone named after a place, a bare
        高新区/经开区, or any zone in a list of places counts: 城市新区建设 opens a sentence, not a
        passage."""
        match = _ZONE.match(text, start)
        if not match:
            return None
        name = match.group(0)
        prefix = name[: len(name) - len(_ZONE_END.search(name).group(0))]
        named_after_place = bool(prefix) and any(m.start == 0 and m.end == len(prefix) for m in self.gazetteer.find(prefix, region))
        # In a list of places any zone counts (昆山开发区、花桥经济开发区分别…).
        strong = bool(prefix) and _STRONG_ZONE.search(name) is not None and not _NOT_A_NAME.match(prefix)
        if not (listed or strong) and match.end() not in bold_ends and name not in self.gazetteer.zones and name not in _BARE_ZONES and not named_after_place:
            return None
        # Named as written (成都高新区), with the code of the zone the gazetteer knows by that name.
        zones = [z for z in self.gazetteer.zones.get(name, ()) if not region or self.gazetteer.within(z.prefecture_code, region)]
        return PlaceMention(start, match.end(), name, zones[0].county_code if len(zones) == 1 else "", name, "county")

    @staticmethod
    def _bold_or_clause(text: str, layout: Layout, end: int) -> bool:
        return any(span.end == end for span in layout.bold) or (end < len(text) and text[end] not in "的")
