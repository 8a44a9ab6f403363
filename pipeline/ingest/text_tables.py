"""Tables that plain text kept only as lines.

A statistical table copied out of a web page or a PDF reaches a text file in one of two shapes:

- **delimited rows**: ``指标 | 单位 | 数值 | 增长%`` with pipes, tabs or runs of spaces between
  the cells, one row a line;
- **one cell a line**: the header's cells, then each row's cells, each on a line of its own.

Either becomes table cells (``table_cell`` blocks) that the table reader turns into figures with
the row's indicator, the column's measure and the unit of the 单位 column or header. Nothing is
a table unless some row holds a bare number, so ``索引号 | … | 发布机构 | …`` page furniture and
prose stay what they were.

The PDF reader finds the same tables among the lines of a PDF made from such a text
(``pdf/line_tables.py``). A producer may have drawn a tab or a run of spaces as one space glyph
(reportlab does), so there ``single_spaces`` lets one space separate cells too — a weaker sign,
since prose has single spaces (第 14 期, 做强草畜产业 激活富民引擎): a table split at single
spaces needs the same number of cells in every row and a header without a bare number other
than a year.
"""

from __future__ import annotations

import regex

_DELIMITER = regex.compile(r"\s*\|\s*|\t+|[ \u3000]{2,}")
_SINGLE_SPACE = regex.compile(r"[ \u3000]")
_NUMBER = regex.compile(r"^[-+−－]?[0-9][0-9,]*(?:\.[0-9]+)?\s*%?$")
_YEAR = regex.compile(r"^(?:19|20)[0-9]{2}$")  # a column header such as 2023 is no figure
_SHORT_CELL = 24
_CELL_LINE = 16  # a line that is one cell of a table is short …
_SENTENCE = regex.compile(r"[，。；！？,;]")  # … and no sentence
_MIN_ROWS = 2
_MAX_COLUMNS = 8

Table = tuple[int, int, list[list[str]]]  # first line, end line, rows of cells


def _split(line: str, single_spaces: bool) -> tuple[list[str], bool] | None:
    """The cells of a line that reads as a table row, and whether single spaces split it."""
    stripped = line.strip().strip("|").strip()
    cells = [cell.strip() for cell in _DELIMITER.split(stripped)]
    weak = single_spaces and len(cells) == 1
    if weak:
        cells = _SINGLE_SPACE.split(stripped)
    if len(cells) < 2 or len(cells) > _MAX_COLUMNS or any(not cell or len(cell) > _SHORT_CELL for cell in cells):
        return None
    return cells, weak


def delimited_cells(line: str) -> list[str] | None:
    """The cells of a line that reads as a table row, or None."""
    split = _split(line, False)
    return split[0] if split else None


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def find_tables(lines: list[str], single_spaces: bool = False) -> list[Table]:
    """Tables among ``lines`` (stripped, non-blank): (first line, end line, rows of cells)."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        found = _delimited_run(lines, index, single_spaces) or _cell_per_line_run(lines, index)
        if found:
            tables.append(found)
            index = found[1]
        else:
            index += 1
    return tables


def line_cells(table: Table) -> list[list[tuple[int, int, str]]]:
    """For each line of a table that ``find_tables`` found, the (row, column, text) of the cells
    it holds: a whole row, or one cell."""
    start, end, rows = table
    if end - start == len(rows):  # one row a line
        return [[(r, c, cell) for c, cell in enumerate(row)] for r, row in enumerate(rows)]
    width = len(rows[0])
    return [[(i // width, i % width, rows[i // width][i % width])] for i in range(end - start)]


def _delimited_run(lines: list[str], start: int, single_spaces: bool) -> Table | None:
    rows: list[list[str]] = []
    weak = False
    end = start
    while end < len(lines) and (split := _split(lines[end], single_spaces)) is not None:
        cells, weak_row = split
        if rows and abs(len(cells) - len(rows[0])) > (0 if weak or weak_row else 1):
            break
        rows.append(cells)
        weak = weak or weak_row
        end += 1
    if len(rows) < _MIN_ROWS or not any(_is_number(cell) for row in rows[1:] for cell in row):
        return None
    if weak and any(_is_number(cell) and not _YEAR.match(cell) for cell in rows[0]):
        return None  # 第 14 期, 表 1 主要农产品产量: a line with a figure in it, no header
    return start, end, rows


def _cell_per_line_run(lines: list[str], start: int) -> Table | None:
    """A header of N short lines, then rows of N lines each: a label, then numbers (or a unit)."""
    run_end = start
    while run_end < len(lines) and len(lines[run_end]) <= _CELL_LINE and not _SENTENCE.search(lines[run_end]):
        run_end += 1
    best: Table | None = None
    for width in range(2, _MAX_COLUMNS + 1):
        header = lines[start : start + width]
        if len(header) < width or any(_is_number(cell) for cell in header):
            continue
        rows = [header]
        position = start + width
        while position + width <= run_end:
            row = lines[position : position + width]
            if _is_number(row[0]) or not any(_is_number(cell) for cell in row[1:]):
                break
            if rows[1:] and [_is_number(c) for c in row[1:]] != [_is_number(c) for c in rows[1][1:]]:
                break  # the numbers must stand in the same columns in every row
            rows.append(row)
            position += width
        if len(rows) - 1 >= _MIN_ROWS and (best is None or position - start > best[1] - best[0]):
            best = (start, position, rows)
    return best
