"""Figures in tables: a numeric cell is a figure whose place comes from one header and whose
measure from the other.

Bulletins often end with a county × indicator table::

    县区  | 新建驿站（个） | 投入资金（万元）
    眉县  | 12            | 86.5
    合计  | 20            | 126.5

The row header 眉县 gives the county, the column header the measure (新建驿站) and the unit
in brackets (个; 万元 → 元 × 10000). A table with places across the top is read the other way
round. A row or column of totals (合计, 全市) belongs to the document's region. A cell that
carries its own unit (12个, 96.5%) keeps it; a 单位 column gives the unit of its row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import regex

from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.normalize.quantities import Quantity, QuantityFinder
from pipeline.structure.layout import TableCell

_NUMBER = regex.compile(r"^\s*[-+]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?\s*$")
_BRACKET_UNIT = regex.compile(r"[（(](?:单位[:：]\s*)?([^（）()]{1,8})[）)]\s*$|(%)$")
# A unit line above a table (单位：万吨) gives the unit of every bare number in it.
_UNIT_LINE = regex.compile(r"(?:^|\n)\s*[（(]?单位\s*[:：]\s*([^\s，,。；（）()]{1,8}(?:[（(][^（）()]{1,4}[）)])?)[）)]?\s*$")
_UNIT_LINE_REACH = 60
_TOTAL = regex.compile(r"^(合计|总计|小计|全市|全县|全区|全省|总数|共计)$")
_ZONE_HEADER = regex.compile(r"\p{Han}{1,8}(?:高新技术产业开发区|经济技术开发区|综合保税区|保税港区|保税区|经济开发区|高新区|经开区|开发区|工业园区|新区)")
_UNIT_HEADER = regex.compile(r"^(单位|计量单位)$")
_GENERIC_HEADER = regex.compile(r"^(数量|数值|数据|完成数|完成情况|指标|指标名称|项目|名称|产品名称|县区|县（市、区）|地区|单位名称|序号|绝对数|总量|本年|本期|本月|全年|累计|合计)$")


@dataclass
class TableFigure:
    quantity: Quantity
    measure: str
    place: PlaceMention | None
    is_total: bool
    row_header: str
    column_header: str


class TableReader:
    def __init__(self, finder: QuantityFinder, gazetteer: Gazetteer) -> None:
        self.finder = finder
        self.gazetteer = gazetteer

    def _place(self, text: str, region: str) -> PlaceMention | None:
        """The place a header names: a division of the gazetteer, or a development zone (重庆高新区)."""
        header = text.strip()
        mentions = self.gazetteer.find(header, region)
        if mentions and mentions[0].start == 0 and mentions[0].end >= len(header) - 1:
            return mentions[0]
        zone = _ZONE_HEADER.fullmatch(header)
        if zone:
            known = [z for z in self.gazetteer.zones.get(header, ()) if not region or self.gazetteer.within(z.prefecture_code, region)]
            return PlaceMention(0, len(header), header, known[0].county_code if len(known) == 1 else "", header, "county")
        return None

    def read(self, text: str, cells: list[TableCell], region: str) -> list[TableFigure]:
        tables: dict[int, dict[tuple[int, int], TableCell]] = defaultdict(dict)
        for cell in cells:
            tables[cell.table][(cell.row, cell.col)] = cell
        figures: list[TableFigure] = []
        for grid in tables.values():
            first = min(cell.start for cell in grid.values())
            unit_line = _UNIT_LINE.search(text, max(0, first - _UNIT_LINE_REACH), first)
            figures.extend(self._read_table(text, grid, region, unit_line.group(1) if unit_line else ""))
        return figures

    def _read_table(self, text: str, grid: dict[tuple[int, int], TableCell], region: str, table_unit: str) -> list[TableFigure]:
        def content(row: int, col: int) -> str:
            cell = grid.get((row, col))
            return text[cell.start : cell.end].strip() if cell else ""

        rows = 1 + max(r for r, _ in grid)
        cols = 1 + max(c for _, c in grid)
        unit_col = next((c for c in range(cols) if _UNIT_HEADER.match(content(0, c))), None)
        places_down = sum(1 for r in range(1, rows) if self._place(content(r, 0), region))
        places_across = sum(1 for c in range(1, cols) if self._place(content(0, c), region))
        transposed = places_across > places_down
        figures = []
        for (row, col), cell in sorted(grid.items()):
            if row == 0 or col == 0 or col == unit_col:
                continue
            value_text = content(row, col)
            row_header, column_header = content(row, 0), content(0, col)
            place_header, measure_header = (column_header, row_header) if transposed else (row_header, column_header)
            unit_header = content(row, unit_col) if unit_col is not None else ""
            quantity = self._quantity(text, cell, value_text, measure_header, unit_header or table_unit)
            if quantity is None:
                continue
            place = self._place(place_header, region)
            measure = _BRACKET_UNIT.sub("", measure_header).strip()
            indicator = _BRACKET_UNIT.sub("", place_header).strip()
            if _GENERIC_HEADER.match(measure):
                measure = indicator if not place else ""
            elif not place and indicator and not _TOTAL.match(indicator):
                measure = indicator + measure  # 粮食 | 比上年增长% → 粮食比上年增长
            figures.append(TableFigure(quantity, measure, place, bool(_TOTAL.match(place_header)), row_header, column_header))
        return figures

    def _quantity(self, text: str, cell: TableCell, value_text: str, header: str, unit_header: str) -> Quantity | None:
        found, _ = self.finder.find(value_text)
        if found and found[0].number_start == 0:
            quantity = found[0]
        elif _NUMBER.match(value_text):
            bracket = _BRACKET_UNIT.search(header)
            unit = (bracket.group(1) or bracket.group(2)) if bracket else unit_header  # the column's own unit first
            found, _ = self.finder.find(value_text.strip() + unit) if unit else ([], [])
            if found and found[0].number_start == 0:
                quantity = found[0]
            else:
                from decimal import Decimal

                quantity = Quantity(0, len(value_text.strip()), 0, Decimal(value_text.replace(",", "").strip()), unit, "count")
        else:
            return None
        # Offsets into the document: the whole cell, the figure as written in it.
        lead = len(text[cell.start : cell.end]) - len(text[cell.start : cell.end].lstrip())
        quantity.start = quantity.number_start = cell.start + lead
        quantity.end = cell.start + lead + len(value_text)
        quantity.value_text = value_text
        return quantity
