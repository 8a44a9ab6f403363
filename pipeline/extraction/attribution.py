"""Who a figure belongs to: county (or town, city, province) and actor.

Each kind of evidence a reader uses proposes a place for a figure, or nothing; the proposal of
the best-ranked kind in ``rules/attribution_evidence.tsv`` wins and names the row's
``county_basis``:

- list: 分别 pairs places and figures in order; 均 gives one figure to every place listed
  (one row per place);
- clause: a place opening the figure's clause or list item (其中眉县3个; （眉县3个）), or standing
  as its subject after a modifier (排在首位的眉县达20%);
- scope: a scope word in the clause (全市累计…; 县（市、区）…), meaning the region, its
  enclosing city, or the county whose passage it is;
- sentence / passage: the lead of the passage (``leads.py``) in the figure's sentence, or
  earlier in its paragraph;
- heading: a place opening the section's heading;
- region: the document's home region (``region.py``), ``region:<its basis>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.extraction.leads import LEAD_LEVELS, Lead, LeadFinder
from pipeline.extraction.lists import ListReader
from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.extraction.region import HomeRegion, RegionFinder
from pipeline.extraction.subjects import SubjectOpeners
from pipeline.normalize.quantities import Quantity
from pipeline.extraction.extraction_rules import AttributionRules
from pipeline.structure.layout import Layout
from pipeline.structure.structure_rules import StructureRules

_ITEM_MARKS = "，,、；;：:（(。！？\n"
_CLAUSE_MARKS = "，,；;：:。！？\n"
# A scope word after these compares with the region or ranks in it (高于全市平均水平, 居全市第二),
# it does not put the figure there.
_ENUMERATOR_INSIDE = regex.compile(r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[）)]")
_POSSESSOR_GAP = regex.compile(r"(?:共|共有|有|全部)?")
_COUNTED = regex.compile(r"[0-9一二三四五六七八九十]\s*个$")
_NOT_SCOPE_AFTER = regex.compile(r"(?:高于|低于|超过|超出|快于|慢于|领先|比|较|占|居|位居|位列|排名|排在|列)$")


@dataclass
class Attribution:
    county: str = ""
    county_code: str = ""
    town: str = ""
    actor: str = ""
    basis: str = ""
    lead_end: int = 0


@dataclass(frozen=True)
class _Proposal:
    name: str
    code: str


class Attributor:
    def __init__(self, gazetteer: Gazetteer, rules: AttributionRules, frames: StructureRules | None = None) -> None:
        self.gazetteer = gazetteer
        self.order = rules.county_order
        self.openers = SubjectOpeners(rules.subject_openers, frames)
        self.regions = RegionFinder(gazetteer, rules, frames)
        self.lead_finder = LeadFinder(gazetteer, self.openers, rules.scope_words)
        self.lists = ListReader(self.lead_finder)
        self.scope_words = rules.scope_words
        self.scope_pattern = self.lead_finder.scope_pattern  # 全市, 我县, 各县区 … (rules/scope_words.tsv)

    def region_place(self, region: str) -> tuple[str, str]:
        place = self.gazetteer.places.get(region)
        return (place.name, place.code) if place else ("", "")

    def leads(self, text: str, layout: Layout, places: list[PlaceMention], actors: list) -> list[Lead]:
        return self.lead_finder.leads(text, layout, places, actors)

    def attribute(self, text: str, layout: Layout, quantities: list[Quantity], places: list[PlaceMention], leads: list[Lead],
                  home: HomeRegion) -> list[list[Attribution]]:
        """For every quantity, its attributions: one, or one per place of a list sharing it."""
        lists = {**self.lists.shared(text, quantities, places, layout), **self.lists.distributed(text, quantities, places, layout)}
        headings = self._heading_places(text, layout, places)
        results = []
        for index, quantity in enumerate(quantities):
            lead = next((l for l in reversed(leads) if l.start <= quantity.start < l.scope_end), None)
            proposals = self._proposals(text, layout, quantities, index, places, lead, home, headings)
            basis = next((b for b in self.order if b in proposals), "")
            chosen = proposals.get(basis)
            attribution = Attribution(chosen.name if chosen else "", chosen.code if chosen else "", basis=self._basis_name(basis, home))
            if lead:
                attribution.lead_end = lead.end
                attribution.actor = lead.actor.name if lead.actor else ""
                overridden = basis in ("list", "clause", "scope") and not (lead.place and chosen == _Proposal(lead.place.name, lead.place.code))
                attribution.town = "" if overridden else lead.town
            listed = lists.get(index)
            if listed and self.order.index("list") < self.order.index(basis or "region"):
                home_place = self.region_place(home.code)
                results.append([Attribution(*((m.place.name, m.place.code) if m.place.name else home_place), m.town, attribution.actor, "list", attribution.lead_end)
                                for m in listed])
            else:
                results.append([attribution])
        return results

    def _proposals(self, text: str, layout: Layout, quantities: list[Quantity], index: int, places: list[PlaceMention], lead: Lead | None,
                   home: HomeRegion, headings: dict[int, _Proposal]) -> dict[str, _Proposal]:
        """What each kind of evidence (but the lists) says of the figure's place."""
        quantity = quantities[index]
        proposals: dict[str, _Proposal] = {}
        clause = self._clause_place(text, quantity, places, quantities, index, layout.region)
        if clause:
            # A place opening the sentence itself is the sentence's subject, not only the clause's.
            opens_sentence = clause.start in self.openers.subject_starts(text, layout.sentence_at(quantity.start)[0], quantity.start)
            proposals["sentence" if opens_sentence else "clause"] = _Proposal(clause.name, clause.code)
        scope = self._clause_scope(text, quantity, layout)
        if scope is not None:
            proposals["scope"] = self._scope_proposal(scope, home, lead)
        if lead and lead.place:
            kind = "sentence" if lead.start >= layout.sentence_at(quantity.start)[0] else "passage"
            proposals.setdefault(kind, _Proposal(lead.place.name, lead.place.code))
        elif lead and lead.scope and "scope" not in proposals:
            proposals["scope"] = self._scope_proposal(lead.scope, home, None)  # 全市… opened the passage
        section = layout.section_at(quantity.start)
        if section and section.index in headings:
            proposals["heading"] = headings[section.index]
        if home.code:
            proposals["region"] = _Proposal(*self.region_place(home.code))
        return proposals

    @staticmethod
    def _basis_name(basis: str, home: HomeRegion) -> str:
        return f"region:{home.basis}" if basis == "region" else basis

    def _scope_proposal(self, means: str, home: HomeRegion, lead: Lead | None) -> _Proposal:
        if lead and lead.place and lead.place.level == "county" and means not in ("region", "") and lead.place.name.endswith(means):
            return _Proposal(lead.place.name, lead.place.code)  # 全县 inside 眉县's passage
        return _Proposal(*self.region_place(self.regions.scope_place(home, means)))

    def _clause_scope(self, text: str, quantity: Quantity, layout: Layout) -> str | None:
        """The meaning of a scope word before the figure in its clause (全市…, 各县区…), or None.
        At the sentence's start it is the passage's lead instead, unless a clause follows."""
        if self.scope_pattern is None:
            return None
        sentence_start = layout.sentence_at(quantity.start)[0]
        start = quantity.start
        while start > sentence_start and text[start - 1] not in _CLAUSE_MARKS:
            start -= 1
        subject_starts = set(self.openers.subject_starts(text, start, quantity.start))
        for word in self.scope_pattern.finditer(text, start, quantity.start):
            before = text[max(start, word.start() - 3) : word.start()]
            # Only as the clause's subject (全市…; …的县（市、区）有2个; 7个县（市、区）的…), never as
            # an object (承接各地…) or a comparison (高于全市平均水平).
            possessor = _POSSESSOR_GAP.fullmatch(text, word.end(), quantity.start) is not None  # 全省21个地级市
            subject = word.start() in subject_starts or before.endswith("的") or _COUNTED.search(before) or possessor
            if not subject or (_NOT_SCOPE_AFTER.search(before) and not possessor):
                continue
            if word.start() in set(self.openers.subject_starts(text, sentence_start, word.start() + 1)):
                return None  # it leads the sentence: the lead says it
            return self.scope_words[word.group(0)]
        return None

    def _clause_place(self, text: str, quantity: Quantity, places: list[PlaceMention], quantities: list[Quantity], index: int,
                      region: str) -> PlaceMention | None:
        """A place that opens the list item or clause holding the figure (其中眉县3个), or stands as
        its subject after a modifier (排在第一名的长垣市增速…)."""
        start = quantity.start
        floor = quantities[index - 1].end if index else 0
        while start > floor and (text[start - 1] not in _ITEM_MARKS or (text[start - 1] == "," and text[start - 2 : start - 1].isdigit())):
            start -= 1
        if start > floor and text[start - 1] in "（(" and _ENUMERATOR_INSIDE.match(text, start):
            start -= 1  # （二）凤翔区…: the bracket opens an enumerator, not an aside
        if start > floor and text[start - 1] == "、":
            previous_item = start - 1
            while previous_item > 0 and text[previous_item - 1] not in _ITEM_MARKS:
                previous_item -= 1
            if not any(previous_item <= q.end < start for q in quantities[:index]):
                return None  # 在新城区、回民区、土左旗沿山地带完成…: places listed as where, not items with figures
        places_at = {p.start: p for p in places if p.level in ("county", "prefecture", "province") and p.end <= quantity.start}
        possessor = next((p for p in places_at.values() if start <= p.start and _POSSESSOR_GAP.fullmatch(text, p.end, quantity.start)), None)
        if possessor:
            return possessor  # 广东省21个地级市: the place right before a count has it
        for offset in self.openers.subject_starts(text, start, quantity.start):
            place = self.lead_finder.most_specific(places_at.get(offset), places_at)
            zone = self.lead_finder.zone_at(text, offset, region, set())  # 经开区5家, 长春新区…128公里
            if zone and zone.end <= quantity.start and (place is None or zone.end > place.end):
                return zone
            if place and not self._listed(text, place, places_at):
                return place
        for place in places_at.values():
            if start > place.start or self._listed(text, place, places_at):
                continue
            # 排在第一名的长垣市增速也仅为0.1%: a place after 的 is the clause's subject.
            if text[place.start - 1] == "的":
                return self.lead_finder.most_specific(place, places_at)
        return None

    @staticmethod
    def _listed(text: str, place: PlaceMention, places_at: dict[int, PlaceMention]) -> bool:
        """A place followed by 、 and another place is one of a list, not the subject alone."""
        return text[place.end : place.end + 1] in ("、", "和", "及", "与") and (place.end + 1) in places_at

    def _heading_places(self, text: str, layout: Layout, places: list[PlaceMention]) -> dict[int, _Proposal]:
        """Sections whose heading opens with a place (（三）眉县：…): that place, by section."""
        places_at = {p.start: p for p in places if p.level in LEAD_LEVELS}
        found: dict[int, _Proposal] = {}
        for section in layout.sections:
            if section.heading_span is None:
                continue  # a section opened by a frame or a title elsewhere has no heading of its own here
            for offset in self.openers.subject_starts(text, *section.heading_span):
                place = self.lead_finder.most_specific(places_at.get(offset), places_at)
                if place and not self._listed(text, place, places_at):
                    found[section.index] = _Proposal(place.name, place.code)
                    break
        return found
