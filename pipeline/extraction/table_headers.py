"""Where a table's figures stand: the header path of every value cell.

A table is read as a grid of cells, a merged cell covering every position it spans (a reader
that knows spans says so — the PDF reader does —; for the others a header cell is taken to
cover the empty positions to its right that the header row below subdivides, and an outer row
label the empty positions below it). The grid is cut into sub-tables at caption rows (a single
label across the whole width, followed by a header row: 第二十条第（一）项 over 信息内容 | 本年制发件数).
In each sub-table:

- the **header rows** are the rows before the first that holds a value; the **row-header
  columns** the columns before the first that holds one (a 单位 column aside);
- a value cell's **column path** is the header cells above it, outermost first — a cell across
  every value column is the table's title (申请人情况) and left out when there are levels below;
- its **row path** the row-header cells of its row, left to right (三、本年度办理结果 →
  （三）不予公开 → 1.属于国家秘密), after the rows it is indented under: a statistical table
  shows parts by indenting them (其中：城镇 under 全市常住人口), a leading 其中：/# counted as
  indent (where the reader measured no indent, a 其中/# row stands alone);
- a label row that spans the table inside the body groups the rows below it.

The corner cells over the row headers (指标, 信息内容) name the columns of labels and are neither
figures nor places. Labels are returned as printed; ``clean_label`` makes measure words of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from pipeline.structure.layout import TableCell

_UNIT_HEADER = regex.compile(r"^(单位|计量单位)$")
_ORDINAL_HEADER = regex.compile(r"^(序号|编号)$")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")
# 其中：, #, 在总计中： open a part of the row above; counted as this many ems of indent.
_PART_MARK = regex.compile(r"^(?:#|＃|(?:其中|在总计中|在[^：:]{1,4}中)[：:]?)")
_ORDINAL = regex.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d))")
_NOTE = regex.compile(r"[（(][^（）()]*[，,；;。][^（）()]*[）)]")
_SPACE = regex.compile(r"\s+")
# Labels whose text starts within this many ems of each other are siblings; deeper is a part.
_SIBLING = 1.05


@dataclass
class ValueCell:
    cell: TableCell
    text: str
    row_labels: list[str]  # outermost first, as printed
    column_labels: list[str]
    unit_text: str = ""  # the 单位 column's cell in this row
    caption: str = ""  # the caption row of the sub-table
    row_cells: list[TableCell] = field(default_factory=list)
    column_cells: list[TableCell] = field(default_factory=list)


def part_mark(label: str) -> str:
    mark = _PART_MARK.match(label.strip())
    return mark.group(0) if mark else ""


def clean_label(label: str) -> str:
    """A header as a measure word: no white space, list ordinal, 其中/# mark or note in brackets."""
    text = _SPACE.sub("", label)
    text = text[len(part_mark(text)) :]
    text = _ORDINAL.sub("", text)
    return _NOTE.sub("", text).strip("：:")


class Grid:
    def __init__(self, cells: list[tuple[TableCell, str]]) -> None:
        self.text = {id(cell): text.strip() for cell, text in cells}
        self.rows = 1 + max(cell.row + max(cell.rowspan, 1) - 1 for cell, _ in cells)
        self.cols = 1 + max(cell.col + max(cell.colspan, 1) - 1 for cell, _ in cells)
        self.spans_known = any(cell.rowspan > 0 for cell, _ in cells)
        self.owner: dict[tuple[int, int], TableCell] = {}
        for cell, _ in cells:
            for r in range(cell.row, cell.row + max(cell.rowspan, 1)):
                for c in range(cell.col, cell.col + max(cell.colspan, 1)):
                    self.owner.setdefault((r, c), cell)

    def at(self, row: int, col: int) -> TableCell | None:
        return self.owner.get((row, col))

    def label(self, cell: TableCell | None) -> str:
        return self.text.get(id(cell), "") if cell is not None else ""

    def row_cells(self, row: int) -> list[TableCell]:
        seen: dict[int, TableCell] = {}
        for c in range(self.cols):
            cell = self.at(row, c)
            if cell is not None and self.label(cell):
                seen.setdefault(id(cell), cell)
        return list(seen.values())

    def covers_row(self, cell: TableCell) -> bool:
        return cell.col == 0 and cell.col + max(cell.colspan, 1) >= self.cols


def _is_caption(grid: Grid, row: int, has_value: Callable[[int], bool]) -> bool:
    """A single label across the table (or alone in its row where spans are unknown)."""
    cells = grid.row_cells(row)
    if len(cells) != 1 or has_value(row) or cells[0].row != row:
        return False
    return grid.covers_row(cells[0]) or (not grid.spans_known and grid.cols > 1 and cells[0].col == 0)


def value_cells(cells: list[tuple[TableCell, str]], is_value: Callable[[str], bool]) -> list[ValueCell]:
    """Every value cell of one table, with its header paths."""
    if not cells:
        return []
    grid = Grid(cells)
    years = _year_rows(grid, is_value)

    def valued(cell: TableCell) -> bool:
        return cell.row not in years and is_value(grid.label(cell))

    def has_value(row: int) -> bool:
        return any(valued(cell) for cell in grid.row_cells(row) if cell.row == row or grid.spans_known)

    found: list[ValueCell] = []
    segment_starts = [0] + [r for r in range(grid.rows) if _is_caption(grid, r, has_value) and (r + 1 >= grid.rows or not has_value(r + 1))]
    segment_starts = sorted(set(segment_starts))
    previous_header: list[int] = []
    for index, start in enumerate(segment_starts):
        end = segment_starts[index + 1] if index + 1 < len(segment_starts) else grid.rows
        caption = ""
        if _is_caption(grid, start, has_value) and (start + 1 >= grid.rows or not has_value(start + 1)):
            caption = grid.label(grid.at(start, 0))
            start += 1
        header = []
        row = start
        while row < end and not has_value(row):
            header.append(row)
            row += 1
        if row >= end:
            continue  # no values: a caption and a header, or notes
        if not header:
            header = previous_header
        previous_header = header
        found += _read_segment(grid, header, list(range(row, end)), caption, valued)
    return found


def _year_rows(grid: Grid, is_value: Callable[[str], bool]) -> set[int]:
    """Rows whose numbers are all years (2022 | 2023 over the columns), above rows of values:
    header rows, not figures."""
    rows: set[int] = set()
    for row in range(grid.rows - 1):
        numbers = [_SPACE.sub("", grid.label(cell)) for cell in grid.row_cells(row) if cell.row == row and is_value(grid.label(cell))]
        if len(numbers) >= 2 and all(_YEAR.match(number) for number in numbers):
            rows.add(row)
    return rows


def _read_segment(grid: Grid, header: list[int], body: list[int], caption: str, valued: Callable[[TableCell], bool]) -> list[ValueCell]:
    def headed(pattern: regex.Pattern[str]) -> list[int]:
        return [c for c in range(grid.cols) if any(pattern.match(_SPACE.sub("", grid.label(grid.at(r, c)))) for r in header)]

    unit_col = next(iter(headed(_UNIT_HEADER)), None)
    ordinal_cols = set(headed(_ORDINAL_HEADER))  # 序号: row numbers, neither figures nor labels

    def value_at(r: int, c: int) -> bool:
        cell = grid.at(r, c)
        return cell is not None and cell.col == c and valued(cell)

    label_cols = 0
    while label_cols < grid.cols and (label_cols == unit_col or label_cols in ordinal_cols or not any(value_at(r, label_cols) for r in body)):
        label_cols += 1
    label_cols = min(label_cols, grid.cols - 1)
    row_header_cols = [c for c in range(label_cols) if c != unit_col and c not in ordinal_cols]
    column_paths = {c: _column_path(grid, header, c, label_cols) for c in range(label_cols, grid.cols)}
    parents = _indent_parents(grid, body, row_header_cols)
    found: list[ValueCell] = []
    group: list[TableCell] = []
    seen: set[int] = set()
    for r in body:
        row_cells = grid.row_cells(r)
        if len(row_cells) == 1 and grid.covers_row(row_cells[0]) and not valued(row_cells[0]):
            group = row_cells  # a label across the body: the rows below are its parts
            continue
        labels = _row_path(grid, r, row_header_cols)
        path = group + parents.get(r, []) + labels
        for c in range(label_cols, grid.cols):
            cell = grid.at(r, c)
            if c == unit_col or c in ordinal_cols or cell is None or id(cell) in seen or cell.col != c:
                continue
            text = grid.label(cell)
            if not valued(cell):
                continue
            seen.add(id(cell))
            unit = grid.label(grid.at(r, unit_col)) if unit_col is not None else ""
            columns = column_paths[c]
            found.append(ValueCell(cell, text, [grid.label(x) for x in path], [grid.label(x) for x in columns], unit, caption, path, columns))
    return found


def _column_path(grid: Grid, header: list[int], col: int, label_cols: int) -> list[TableCell]:
    path: list[TableCell] = []
    for r in header:
        cell = grid.at(r, col)
        if cell is None and not grid.spans_known:
            cell = _left_group(grid, r, col, label_cols, header)
        if cell is None or not grid.label(cell) or (path and path[-1] is cell) or cell.col < label_cols:
            continue
        path.append(cell)
    if len(path) > 1:  # a title over every value column (申请人情况) is no level of its own
        path = [cell for cell in path if not (cell.col <= label_cols and cell.col + max(cell.colspan, 1) >= grid.cols)] or path
    return path


def _left_group(grid: Grid, row: int, col: int, label_cols: int, header: list[int]) -> TableCell | None:
    """Where spans are unknown: the header cell to the left that the row below subdivides."""
    below = [r for r in header if r > row]
    if not below or grid.at(below[0], col) is None:
        return None
    for c in range(col - 1, label_cols - 1, -1):
        cell = grid.at(row, c)
        if cell is not None:
            return cell
    return None


def _row_path(grid: Grid, row: int, cols: list[int]) -> list[TableCell]:
    path: list[TableCell] = []
    for index, c in enumerate(cols):
        cell = grid.at(row, c)
        if cell is None and not grid.spans_known and index < len(cols) - 1:
            cell = next((grid.at(r, c) for r in range(row - 1, -1, -1) if grid.at(r, c) is not None), None)
        if cell is not None and grid.label(cell) and not (path and path[-1] is cell):
            path.append(cell)
    return path


def _indent_parents(grid: Grid, body: list[int], cols: list[int]) -> dict[int, list[TableCell]]:
    """For a single column of row labels, the labels each row is indented under."""
    if len(cols) != 1:
        return {}
    stack: list[tuple[float, TableCell]] = []
    parents: dict[int, list[TableCell]] = {}
    for r in body:
        cell = grid.at(r, cols[0])
        if cell is None or cell.row != r or not grid.label(cell):
            continue
        label = grid.label(cell)
        mark = part_mark(label)
        if cell.indent is None:
            return {}  # no geometry: a text's table does not show what a 其中/# row is part of
        indent = cell.indent + (0.5 if mark in ("#", "＃") else len(mark))
        while stack and stack[-1][0] >= indent - _SIBLING:
            stack.pop()
        if stack:
            parents[r] = [c for _, c in stack]
        stack.append((indent, cell))
    return parents
