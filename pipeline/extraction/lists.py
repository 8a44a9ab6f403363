"""Lists of places that share out or share figures (attribution evidence "list").

- 分别 pairs in order: 眉县、凤县、太白县分别建成3个、5个、2个 → 眉县 3, 凤县 5, 太白县 2;
  a subject or a whole clause may stand between the places and 分别.
- One figure for every place of a list: 乾县、礼泉县均超过20万吨, 新乡县、辉县市均是20.1%,
  A县、B县等区县的增速均在5%以上, 榕江、从江两县各新建2所, and 分别 with a single figure
  (两县分别建成3个: each did).

The items of a list are places of the gazetteer, development zones (成都高新区、天府新区均…) and
towns (张浦镇; 洛城、化龙、稻田… or 侯镇、羊口、台头等镇…, whose 等镇 says what they are); a town
stands for its county, and names the row's town.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.extraction.leads import LeadFinder
from pipeline.extraction.places import PlaceMention
from pipeline.normalize.quantities import Quantity
from pipeline.structure.layout import Layout

# Items are joined by 、 and 和; a count of their kind may close a group (怀来、涿鹿两县和蔚县).
_JOINER = regex.compile(r"(?:[两二三四五六七八九十]+[县区市镇乡旗地])?(?:[、和及与]|以及)+")
_CLAUSE_MARKS = "，,；;：:"
# 均 as "each, all": not 人均, 平均, 年均, 均衡 …
EACH = regex.compile(r"(?<![人平户亩年月日周季场])均(?![衡等匀值价])|都(?=是|为|在|有|已|达|超|实现)|各(?=\s*[0-9一二两三四五六七八九十]|新建|建成|完成|新增|培育|实现|达到|超过|投入|组建|开展|举办|发放)")
_CLAUSE_END = "，,；;。！？\n"
# 等镇, 等乡镇, 等街道: the items before are towns, even written without their suffix (侯镇、羊口等镇).
_TOWN_KIND = regex.compile(r"等(?P<kind>镇|乡镇|乡|街道|镇街|苏木|乡镇街道)")
_LIST_TAIL = regex.compile(r"等\p{Han}{0,4}?的|等(?:乡镇|镇|乡|街道|县区|区县|县市|城市|县|区|市|地)?|[两二三四五六七八九十]+[县区市镇乡旗地]的?|的")
_ITEM = regex.compile(r"(?:(?!等)\p{Han}){2,12}")
_THOUSANDS = regex.compile(r"[0-9],[0-9]{3}")  # the comma of 1,260 is no clause break


@dataclass(frozen=True)
class Member:
    """One item of a list: the place it stands for, and the town when it is one."""

    place: PlaceMention
    town: str = ""
    end: int = 0  # where the item is written to (a town named without its 镇 ends before its name)


class ListReader:
    def __init__(self, leads: LeadFinder) -> None:
        self.leads = leads

    def members_before(self, text: str, places: list[PlaceMention], floor: int, marker: int, region: str) -> list[Member]:
        """The items joined by 、/和 nearest before ``marker`` (not before ``floor``), each a place,
        zone or town; a subject or clause may stand between the last item and the marker."""
        places_at = {p.start: p for p in places}
        # Where an item may begin: after a joiner, or where a clause opens, past its openers (其中, 1、).
        item_starts = {i + 1 for i in range(floor, marker) if _JOINER.match(text, i)}
        for clause in [floor] + [i + 1 for i in range(floor, marker) if text[i] in _CLAUSE_MARKS]:
            item_starts.add(self.leads.openers.subject_starts(text, clause, marker)[-1])
        runs: list[list[Member]] = []
        position, last_end = floor, -1
        while position < marker:
            member, end = self._member_at(text, position, marker, places_at, region, position in item_starts)
            if member is None:
                position += 1
                continue
            if not runs or not _JOINER.fullmatch(text, last_end, position):
                runs.append([])
            runs[-1].append(member)
            last_end = position = end
        for run in reversed(runs):
            kind = _TOWN_KIND.match(text, run[-1].end)
            if len(run) >= 2 and kind:
                run = [m if m.town or m.place.code else self._as_town(m, kind.group("kind"), region) for m in run]
            if len(run) >= 2 and all(m.place.code or m.town or m.place.name for m in run):
                return run
        return []  # no list of places, or a list of words (刑事警情、治安警情)

    def _member_at(self, text: str, position: int, end: int, places_at: dict[int, PlaceMention], region: str, item_start: bool) -> tuple[Member | None, int]:
        place = self.leads.most_specific(places_at.get(position), places_at)
        zone = self.leads.zone_at(text, position, region, set(), listed=item_start)
        if zone and zone.end <= end and (place is None or zone.end > place.end):
            return Member(zone, end=zone.end), zone.end
        if place and place.end <= end:
            town_end = self.leads.town_end(text, place.end)
            if town_end and town_end <= end and self.leads.is_town(text[place.end : town_end]):
                return Member(place, text[place.end : town_end], town_end), town_end  # 洋县谢村镇
            return Member(place, end=place.end), place.end
        town_end = self.leads.town_end(text, position)
        known_town = town_end and text[position:town_end] in self.leads.gazetteer.towns
        if town_end and town_end <= end and (known_town or (item_start and self.leads.is_town(text[position:town_end]))):
            county = self.leads.county_of_town(text[position:town_end], position, region)
            return Member(county or PlaceMention(position, town_end, "", "", "", "county"), text[position:town_end], town_end), town_end
        item = _ITEM.match(text, position, end)
        if item and item_start and (_JOINER.match(text, item.end()) or _TOWN_KIND.match(text, item.end())) \
                and not any(item.start() < p < item.end() for p in places_at):
            # An item the gazetteer does not know (洛城, 羊口): kept for 等镇 to say what it is.
            return Member(PlaceMention(position, item.end(), item.group(0), "", "", "county"), end=item.end()), item.end()
        return None, position

    def _as_town(self, member: Member, kind: str, region: str) -> Member:
        suffix = "镇" if kind in ("乡镇", "镇街", "乡镇街道") else kind
        name = member.place.text if member.place.text.endswith(("镇", "乡", "街道")) else member.place.text + suffix
        county = self.leads.county_of_town(name, member.place.start, region)
        home = self.leads.gazetteer.places.get(region)
        place = county or (PlaceMention(member.place.start, member.place.end, "", home.code, home.name, home.level) if home else member.place)
        return Member(place, name, member.end)

    def spans(self, text: str, places: list[PlaceMention], layout: Layout) -> list[tuple[int, int]]:
        """Where each list before a 分别 or 均 is written, with its 等镇的 (for the measures: the
        list says whose the figures are, not what they count)."""
        found = []
        for match in regex.finditer("分别|" + EACH.pattern, text):
            sentence_start, _ = layout.sentence_at(match.start())
            members = self.members_before(text, places, sentence_start, match.start(), layout.region)
            if members:
                end = members[-1].end
                tail = _LIST_TAIL.match(text, end, match.start())
                found.append((members[0].place.start, tail.end() if tail else end))
        return found

    def distributed(self, text: str, quantities: list[Quantity], places: list[PlaceMention], layout: Layout) -> dict[int, list[Member]]:
        """分别: quantity index → the member(s) it belongs to."""
        pairs: dict[int, list[Member]] = {}
        for match in regex.finditer("分别", text):
            sentence_start, _ = layout.sentence_at(match.start())
            listed = self.members_before(text, places, sentence_start, match.start(), layout.region)
            after = figures_in_clause(text, quantities, match.end())
            if len(listed) < 2 or not after:
                continue
            if len(after) >= len(listed):
                for member, index in zip(listed, after[: len(listed)]):
                    pairs[index] = [member]
            elif len(after) == 1:
                pairs[after[0]] = listed
        return pairs

    def shared(self, text: str, quantities: list[Quantity], places: list[PlaceMention], layout: Layout) -> dict[int, list[Member]]:
        """均/都 after a list: every figure after it in the clause is each member's."""
        result: dict[int, list[Member]] = {}
        for match in EACH.finditer(text):
            sentence_start, _ = layout.sentence_at(match.start())
            clause_start = match.start()
            while clause_start > sentence_start and text[clause_start - 1] not in _CLAUSE_END:
                clause_start -= 1
            listed = self.members_before(text, places, clause_start, match.start(), layout.region)
            if len(listed) < 2:
                continue
            for index in figures_in_clause(text, quantities, match.end()):
                result[index] = listed
        return result


def figures_in_clause(text: str, quantities: list[Quantity], start: int) -> list[int]:
    """The figures from ``start`` to the end of its clause; a list of figures (3个、5个和2个)
    is one clause."""
    end = start
    while end < len(text) and (text[end] not in _CLAUSE_END or _THOUSANDS.match(text, end - 1)):
        end += 1
    return [i for i, q in enumerate(quantities) if start <= q.start < end]
