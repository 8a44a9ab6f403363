"""Figures in tables: every value cell is a figure whose measure is its header path, whose unit
comes from the cell or its headers and whose place from a header that names one.

Bulletins often end with a county × indicator table::

    县区  | 新建驿站（个） | 投入资金（万元）
    眉县  | 12            | 86.5
    合计  | 20            | 126.5

The row header 眉县 gives the county, the column header the measure (新建驿站) and the unit
in brackets (个; 万元 → 元 × 10000). A table with places across the top is read the other way
round. A row or column of totals (合计, 全市) belongs to the document's region, and so does a
figure whose headers name no place. Statistical and reporting tables nest their headers
(``table_headers``): the measure is the row path and then the column path, list ordinals and
其中/# marks dropped (本年度办理结果 不予公开 属于国家秘密 法人或其他组织 商业企业).

The unit is the first of: the cell's own (12个, 96.5%); a unit in brackets or a trailing % in
the column's headers, leaf first (年末数（万人）, 比上年增长%), or a measure word before 数
(本年制发件数 → 件); the 单位 column; the same in the row's headers; the sub-table's caption; a 单位：万吨 line
above the table; the measure word the document's text counts the header's noun in (受理政府信息公开
申请21件 → 本年新收政府信息公开申请数量 in 件). A count unit that several rows of a column name
holds for the column's other rows, and a 数量 column without one takes the one count unit the
rest of its table uses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.extraction.table_headers import ValueCell, clean_label, value_cells
from pipeline.normalize.quantities import Quantity, QuantityFinder
from pipeline.structure.layout import TableCell

_NUMBER = regex.compile(r"^[-+−]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?$")
_BRACKET = regex.compile(r"[（(](?:单位\s*[:：]\s*)?([^（）()]{1,8})[）)]\s*$")
_UNIT_WORDS = regex.compile(r"单位\s*[:：]\s*([^\s，,。；;（）()]{1,8})")
_PERCENT = regex.compile(r"[%％‰]\s*$")
# A unit line above a table (单位：万吨) gives the unit of every bare number in it.
_UNIT_LINE = regex.compile(r"(?:^|\n)\s*[（(]?单位\s*[:：]\s*([^\s，,。；（）()]{1,8}(?:[（(][^（）()]{1,4}[）)])?)[）)]?\s*$")
_UNIT_LINE_REACH = 60
_TOTAL = regex.compile(r"^(合计|总计|小计|全市|全县|全区|全省|全州|总数|共计)$")
_SCOPE = regex.compile(r"^全[市州县区省国盟旗](?=\p{Han}{2})")
_ZONE_HEADER = regex.compile(r"\p{Han}{1,8}(?:高新技术产业开发区|经济技术开发区|综合保税区|保税港区|保税区|经济开发区|高新区|经开区|开发区|工业园区|新区)")
_GENERIC_HEADER = regex.compile(r"^(数量|数值|数据|完成数|完成情况|指标|指标名称|项目|名称|产品名称|县区|县（市、区）|地区|单位名称|序号|绝对数|总量|本年|本期|本月|全年|累计)$")
_COUNT_STEM = regex.compile(r"(?:数量|总数|数)$")


@dataclass
class TableFigure:
    quantity: Quantity
    measure: str
    place: PlaceMention | None
    is_total: bool
    row_header: str
    column_header: str


@dataclass
class _Read:
    value: ValueCell
    unit: str = ""
    source: str = ""  # own, column, row, caption, line, text, spread


def _compact(text: str) -> str:
    return regex.sub(r"\s+", "", text)


class TableReader:
    def __init__(self, finder: QuantityFinder, gazetteer: Gazetteer) -> None:
        self.finder = finder
        self.gazetteer = gazetteer
        self._units: dict[str, str | None] = {}
        self.count_words = {name for name, unit in finder.rules.units.items() if unit.unit_class == "count" and len(name) == 1} - {"分", "倍"}

    # -- places --------------------------------------------------------------------------
    def _place(self, text: str, region: str) -> PlaceMention | None:
        """The place a header names: a division of the gazetteer, or a development zone (重庆高新区)."""
        header = _compact(text)
        if not header:
            return None
        mentions = self.gazetteer.find(header, region)
        if mentions and mentions[0].start == 0 and mentions[0].end >= len(header) - 1:
            return mentions[0]
        zone = _ZONE_HEADER.fullmatch(header)
        if zone:
            known = [z for z in self.gazetteer.zones.get(header, ()) if not region or self.gazetteer.within(z.prefecture_code, region)]
            return PlaceMention(0, len(header), header, known[0].county_code if len(known) == 1 else "", header, "county")
        return None

    # -- units ---------------------------------------------------------------------------
    def _unit(self, candidate: str) -> str | None:
        """``candidate`` as a unit the finder knows (万人, 亿元, %), else None."""
        candidate = candidate.strip()
        if candidate not in self._units:
            found, _ = self.finder.find("1" + candidate) if candidate else ([], [])
            self._units[candidate] = candidate if found and found[0].number_start == 0 and found[0].end == len(candidate) + 1 else None
        return self._units[candidate]

    def _label_unit(self, label: str) -> str:
        text = _compact(label)
        if percent := _PERCENT.search(text):
            return "‰" if percent.group(0) == "‰" else "%"
        for pattern in (_BRACKET, _UNIT_WORDS):
            match = pattern.search(text)
            if match and (unit := self._unit(match.group(1))):
                return unit
        stem = regex.sub(r"[（(][^（）()]*[）)]$", "", text)
        word = regex.search(r"(\p{Han})数$", stem)
        return word.group(1) if word and word.group(1) in self.count_words else ""

    def _learned_unit(self, labels: list[str], counted: list[tuple[str, str]]) -> str:
        """The measure word the document's text counts a header's noun in."""
        best, unit = 1, ""
        for label in labels:
            label = clean_label(label)
            stem = _COUNT_STEM.sub("", label)
            if stem == label:
                continue  # only a header that counts something (申请数量) says what it counts
            for measure, measure_unit in counted:
                common = 0
                while common < min(len(stem), len(measure)) and stem[-1 - common] == measure[-1 - common]:
                    common += 1
                if common > best:
                    best, unit = common, measure_unit
        return unit

    def _is_value(self, text: str) -> bool:
        body = _compact(text).lstrip("-+−")
        if not body:
            return False
        if _NUMBER.match(body):
            return True
        found, _ = self.finder.find(body)
        return bool(found) and found[0].number_start == 0 and found[0].end == len(body)

    # -- reading -------------------------------------------------------------------------
    def read(self, text: str, cells: list[TableCell], region: str, counted: list[tuple[str, str]] | None = None) -> list[TableFigure]:
        """The figures of every table among ``cells``; ``counted`` are the (measure, unit) of
        the document's counted figures, whose measure words a header without a unit may use."""
        tables: dict[int, list[TableCell]] = defaultdict(list)
        for cell in cells:
            tables[cell.table].append(cell)
        figures: list[TableFigure] = []
        for grid in tables.values():
            first = min(cell.start for cell in grid)
            unit_line = _UNIT_LINE.search(text, max(0, first - _UNIT_LINE_REACH), first)
            figures.extend(self._read_table(text, grid, region, unit_line.group(1) if unit_line else "", counted or []))
        return figures

    def _read_table(self, text: str, cells: list[TableCell], region: str, table_unit: str, counted: list[tuple[str, str]]) -> list[TableFigure]:
        values = value_cells([(cell, text[cell.start : cell.end]) for cell in cells], self._is_value)
        reads = [self._resolve(value, table_unit, counted) for value in values]
        self._spread(reads)
        figures = []
        for read in reads:
            value = read.value
            quantity = self._quantity(text, value, read.unit)
            if quantity is None:
                continue
            figures.append(self._figure(value, quantity, region))
        return figures

    def _resolve(self, value: ValueCell, table_unit: str, counted: list[tuple[str, str]]) -> _Read:
        body = _compact(value.text).lstrip("-+−")
        if not _NUMBER.match(body):
            return _Read(value, "", "own")
        for label in reversed(value.column_labels):  # the column's own unit first
            if unit := self._label_unit(label):
                return _Read(value, unit, "column")
        written = _compact(value.unit_text)
        if written and written not in ("—", "-", "/"):
            return _Read(value, self._unit(written) or written, "column")
        for source, labels in (("row", value.row_labels), ("caption", [value.caption])):
            for label in reversed(labels):
                if unit := self._label_unit(label):
                    return _Read(value, unit, source)
        if table_unit:
            return _Read(value, self._unit(table_unit) or table_unit, "line")
        if unit := self._learned_unit(value.row_labels + value.column_labels, counted):
            return _Read(value, unit, "text")
        return _Read(value, "", "")

    def _count(self, unit: str) -> bool:
        found, _ = self.finder.find("1" + unit) if unit else ([], [])
        return bool(found) and found[0].unit_class == "count"

    def _spread(self, reads: list[_Read]) -> None:
        """A count unit several rows of a column name holds for its other rows; a 数量 column
        without a unit takes the one count unit the rest of the table uses."""
        columns: dict[tuple, list[_Read]] = defaultdict(list)
        for read in reads:
            columns[tuple(id(cell) for cell in read.value.column_cells)].append(read)
        for column in columns.values():
            named = [read for read in column if read.source in ("row", "text")]
            units = {read.unit for read in column if read.unit}
            if len(named) >= 2 and len(units) == 1 and self._count(unit := next(iter(units))):
                for read in column:
                    if not read.unit and read.source == "" and _integer(read.value.text):
                        read.unit, read.source = unit, "spread"
        counts = {read.unit for read in reads if read.unit and read.source != "own" and self._count(read.unit)}
        if len(counts) == 1:
            unit = next(iter(counts))
            for read in reads:
                leaf = _compact(read.value.column_labels[-1]) if read.value.column_labels else ""
                if not read.unit and read.source == "" and leaf.endswith("数量") and _integer(read.value.text):
                    read.unit, read.source = unit, "spread"

    def _quantity(self, text: str, value: ValueCell, unit: str) -> Quantity | None:
        cell = value.cell
        written = _compact(value.text)
        negative = written[:1] in "-−" and len(written) > 1
        body = written.lstrip("-+−")
        found, _ = self.finder.find(body + (unit if _NUMBER.match(body) else ""))
        whole = len(body) + (len(unit) if _NUMBER.match(body) else 0)
        if found and found[0].number_start == 0 and found[0].end == whole:
            quantity = found[0]
        elif _NUMBER.match(body):
            try:
                number = Decimal(body.replace(",", ""))
            except InvalidOperation:
                return None
            quantity = Quantity(0, len(body), 0, number, unit, "count")
        else:
            return None
        if negative:
            quantity.value = -quantity.value
        # Offsets into the document: the whole cell, the figure as written in it.
        raw = text[cell.start : cell.end]
        lead = len(raw) - len(raw.lstrip())
        quantity.start = quantity.number_start = cell.start + lead
        quantity.end = cell.start + len(raw.rstrip())
        quantity.value_text = raw.strip()
        return quantity

    def _figure(self, value: ValueCell, quantity: Quantity, region: str) -> TableFigure:
        place, is_total = None, False
        row_parts: list[str] = []
        for label in value.row_labels:
            found = self._place(label, region) if place is None else None
            if found:
                place = found
            elif _TOTAL.match(_compact(label)):
                is_total = True
            else:
                row_parts.append(label)
        column_parts: list[str] = []
        for label in value.column_labels:
            found = self._place(label, region) if place is None and not is_total else None
            if found:
                place = found
            elif _TOTAL.match(_compact(label)) and not row_parts and place is None:
                is_total = True
            else:
                column_parts.append(label)
        rows = [self._measure_word(label) for label in row_parts]
        columns = [self._measure_word(label) for label in column_parts]
        if len(columns) == 1 and _GENERIC_HEADER.match(columns[0]) and (rows or place is not None):
            columns = []  # 数值, 数量 under a header that says what was counted add nothing
        measure = " ".join(part for part in rows + columns if part)
        row_header = _compact(value.row_labels[-1]) if value.row_labels else " ".join(_compact(x) for x in value.column_labels[:-1])
        column_header = _compact(value.column_labels[-1]) if value.column_labels else ""
        return TableFigure(quantity, measure, place, is_total, row_header, column_header)

    def _measure_word(self, label: str) -> str:
        """A header as part of a measure: no unit in brackets or trailing %, no 全市 before it."""
        text = clean_label(label)
        bracket = regex.search(r"[（(]([^（）()]{1,12})[）)]$", text)
        if bracket and (bracket.group(1).startswith("单位") or self._unit(bracket.group(1))):
            text = text[: bracket.start()]
        return _SCOPE.sub("", _PERCENT.sub("", text))


def _integer(text: str) -> bool:
    return bool(regex.fullmatch(r"[0-9]+", _compact(text)))


