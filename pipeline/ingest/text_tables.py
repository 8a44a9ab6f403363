"""Tables that plain text kept only as lines.

A statistical table copied out of a web page or a PDF reaches a text file in one of two shapes:

- **delimited rows**: ``指标 | 单位 | 数值 | 增长%`` with pipes, tabs or runs of spaces between
  the cells, one row a line;
- **one cell a line**: the header's cells, then each row's cells, each on a line of its own.

Either becomes table cells (``table_cell`` blocks) that the table reader turns into figures with
the row's indicator, the column's measure and the unit of the 单位 column or header. Nothing is
a table unless some row holds a bare number, so ``索引号 | … | 发布机构 | …`` page furniture and
prose stay what they were.
"""

from __future__ import annotations

import regex

_DELIMITER = regex.compile(r"\s*\|\s*|\t+|[ \u3000]{2,}")
_NUMBER = regex.compile(r"^[-+−－]?[0-9][0-9,]*(?:\.[0-9]+)?\s*%?$")
_SHORT_CELL = 24
_CELL_LINE = 16  # a line that is one cell of a table is short …
_SENTENCE = regex.compile(r"[，。；！？,;]")  # … and no sentence
_MIN_ROWS = 2
_MAX_COLUMNS = 8


def delimited_cells(line: str) -> list[str] | None:
    """The cells of a line that reads as a table row, or None."""
    stripped = line.strip().strip("|").strip()
    cells = [cell.strip() for cell in _DELIMITER.split(stripped)]
    if len(cells) < 2 or len(cells) > _MAX_COLUMNS or any(not cell or len(cell) > _SHORT_CELL for cell in cells):
        return None
    return cells


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def find_tables(lines: list[str]) -> list[tuple[int, int, list[list[str]]]]:
    """Tables among ``lines`` (stripped, non-blank): (first line, end line, rows of cells)."""
    tables: list[tuple[int, int, list[list[str]]]] = []
    index = 0
    while index < len(lines):
        found = _delimited_run(lines, index) or _cell_per_line_run(lines, index)
        if found:
            tables.append(found)
            index = found[1]
        else:
            index += 1
    return tables


def _delimited_run(lines: list[str], start: int) -> tuple[int, int, list[list[str]]] | None:
    rows: list[list[str]] = []
    end = start
    while end < len(lines) and (cells := delimited_cells(lines[end])) is not None:
        if rows and abs(len(cells) - len(rows[0])) > 1:
            break
        rows.append(cells)
        end += 1
    if len(rows) < _MIN_ROWS or not any(_is_number(cell) for row in rows[1:] for cell in row):
        return None
    return start, end, rows


def _cell_per_line_run(lines: list[str], start: int) -> tuple[int, int, list[list[str]]] | None:
    """A header of N short lines, then rows of N lines each: a label, then numbers (or a unit)."""
    run_end = start
    while run_end < len(lines) and len(lines[run_end]) <= _CELL_LINE and not _SENTENCE.search(lines[run_end]):
        run_end += 1
    best: tuple[int, int, list[list[str]]] | None = None
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
