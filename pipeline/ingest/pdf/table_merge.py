"""Tables a page break cut in two, joined back into one.

A table goes on overleaf when it is the last thing on its page and a table is the first thing
on the next, and the two share their columns: the same outer sides, and every column boundary
of one among the other's (a sub-table of fewer columns goes on under a caption row, or the
other way round). The part overleaf takes the first part's key and row numbers after its rows,
both parts numbered on the union of their column boundaries. Header rows the continuation
repeats are dropped; a merged cell cut by the break (the vertical 三、本年度办理结果 label)
shows as an empty cell at the top of the next page, and the label's cell is extended over it.
"""

from __future__ import annotations

import regex

from pipeline.ingest.pdf.layout import PAGE_NUMBER, PageContent
from pipeline.ingest.pdf.lines import group_lines
from pipeline.ingest.pdf.table_grid import TOLERANCE, GridCell
from pipeline.ingest.pdf.tables import FoundTable

# A line with no letter or digit (a stray dash of a page number) does not stand between the parts.
_WORDLESS = regex.compile(r"^[\p{P}\p{S}\s]*$")


def _matters(text: str) -> bool:
    return not (_WORDLESS.match(text) or PAGE_NUMBER.match(text))


def _union(a: list[float], b: list[float]) -> list[float] | None:
    """The column boundaries of both parts, if they are one table's."""
    if len(a) < 2 or len(b) < 2 or abs(a[0] - b[0]) > TOLERANCE or abs(a[-1] - b[-1]) > TOLERANCE:
        return None

    def within(xs: list[float], ys: list[float]) -> bool:
        return all(any(abs(x - y) <= TOLERANCE for y in ys) for x in xs)

    if not (within(a, b) or within(b, a)):
        return None
    merged: list[float] = []
    for x in sorted(a + b):
        if not merged or x - merged[-1] > TOLERANCE:
            merged.append(x)
    return merged


def _renumber(cells: list[GridCell], xs: list[float]) -> None:
    def index(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    for cell in cells:
        cell.col = index(cell.x0)
        cell.colspan = max(1, index(cell.x1) - cell.col)


def _row(table: FoundTable, row: int) -> list[tuple[int, int, str]]:
    return sorted((cell.col, cell.colspan, cell.text) for cell in table.cells if cell.row == row)


def _repeated_header(before: FoundTable, after: FoundTable) -> int:
    """How many of ``after``'s first rows repeat ``before``'s first rows."""
    count = 0
    while count < min(before.rows, after.rows) - 1:
        row = _row(after, _top(after) + count)
        if not row or row != _row(before, _top(before) + count) or any(_numeric(text) for _, _, text in row):
            break
        count += 1
    return count


def _top(table: FoundTable) -> int:
    return min((cell.row for cell in table.cells), default=0)


def _numeric(text: str) -> bool:
    return bool(regex.fullmatch(r"[-+−]?[\d,.]+[%‰]?", text.replace(" ", "")))


def _join(before: FoundTable, after: FoundTable, xs: list[float]) -> None:
    _renumber(before.cells, xs)
    _renumber(after.cells, xs)
    top = _top(after)
    repeated = _repeated_header(before, after)
    after.cells = [cell for cell in after.cells if cell.row >= top + repeated]
    start = top + repeated
    offset = before.rows - start
    bottom = before.rows
    open_cells = {(cell.col, cell.colspan): cell for cell in before.cells if cell.row + cell.rowspan == bottom and cell.text}
    kept: list[GridCell] = []
    for cell in after.cells:
        above = open_cells.get((cell.col, cell.colspan))
        if cell.row == start and not cell.text and above is not None and not _numeric(above.text):
            above.rowspan += cell.rowspan  # a merged label cut by the page break goes on
            continue
        cell.row += offset
        kept.append(cell)
    after.cells = kept
    after.key = before.key


def join_continued(pages: list[PageContent]) -> None:
    """Join, in place, each table cut by a page break to its part on the page before. A row of
    boxes that is no part of a table goes back to the page's lines."""
    _join_pages(pages)
    for page in pages:
        for table in [table for table in page.tables if table.partial]:
            page.tables.remove(table)
            page.lines = sorted(page.lines + group_lines([char for cell in table.cells for char in cell.chars], page.number), key=lambda line: line.top)


def _join_pages(pages: list[PageContent]) -> None:
    for before_page, after_page in zip(pages, pages[1:]):
        if not before_page.tables or not after_page.tables:
            continue
        before = max(before_page.tables, key=lambda table: table.bottom)
        after = min(after_page.tables, key=lambda table: table.top)
        if any(line.top > before.bottom and _matters(line.text) for line in before_page.lines):
            continue  # the page goes on after its table: a note, the next paragraph
        if any(line.bottom < after.top and _matters(line.text) for line in after_page.lines):
            continue
        xs = _union(before.columns, after.columns)
        if xs is not None and not (before.partial and after.partial):
            _join(before, after, xs)
            before.partial = after.partial = False
