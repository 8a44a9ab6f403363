"""Ruled tables of a PDF page (pdfplumber's table finder on the rules one can see, each group of
rules closed into a box: ``table_grid``), their cells' chars taken out of the running text, and
the page's horizontal rules.

A table's cells carry their spans and indents; ``table_merge`` joins a table that a page break
cut to its part on the page before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfplumber.page import Page

from pipeline.ingest.pdf.chars import Char
from pipeline.ingest.pdf.rule_tables import rule_stacks, stack_boxes
from pipeline.ingest.pdf.table_grid import (
    Box,
    GridCell,
    closing_edges,
    column_boundaries,
    grid_cells,
    visible,
)

# Slack, in points, when deciding whether a char or a rule lies inside a table's box.
_SLACK = 2.0


@dataclass
class FoundTable:
    box: Box
    cells: list[GridCell] = field(default_factory=list)
    key: tuple = ()  # which table of the document the cells belong to (a continuation shares it)
    partial: bool = False  # one row of boxes: a table only if a page break cut it off the rest

    @property
    def top(self) -> float:
        return self.box[1]

    @property
    def bottom(self) -> float:
        return self.box[3]

    @property
    def rows(self) -> int:
        return max((cell.row + cell.rowspan for cell in self.cells), default=0)

    @property
    def columns(self) -> list[float]:
        return column_boundaries(self.cells)


@dataclass
class Rule:
    """A horizontal line drawn across (part of) the page: a candidate 分隔线."""

    x0: float
    x1: float
    top: float


def _inside(char: Char, box: Box) -> bool:
    x = (char.x0 + char.x1) / 2
    y = (char.top + char.bottom) / 2
    return box[0] - _SLACK <= x <= box[2] + _SLACK and box[1] - _SLACK <= y <= box[3] + _SLACK


def _overlaps(boxes: list[Box], box: Box) -> bool:
    return any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in boxes)


def _is_frame(obj: dict, page: Page) -> bool:
    """A rectangle around most of the page: a template's border, not a table's."""
    return obj["object_type"] == "rect" and obj["width"] > 0.5 * page.width and obj["height"] > 0.5 * page.height


def split_tables(page: Page, chars: list[Char]) -> tuple[list[FoundTable], list[Char]]:
    """The page's tables with their cells' chars, and the chars outside every table."""
    if not (page.lines or page.rects or page.curves):
        return [], chars  # the finder needs ruling lines; skip its cost on pages without any
    ruled: Page = page.filter(lambda obj: visible(obj) and not _is_frame(obj, page))
    edges = ruled.edges
    if not edges:
        return [], chars
    closing = closing_edges(edges)
    settings = {"explicit_vertical_lines": [e for e in closing if e["x0"] == e["x1"]],
                "explicit_horizontal_lines": [e for e in closing if e["top"] == e["bottom"]]}
    tables: list[FoundTable] = []
    for table in ruled.find_tables(settings):
        box: Box = tuple(table.bbox)  # type: ignore[assignment]
        inside = [char for char in chars if _inside(char, box)]
        cells = grid_cells([tuple(cell) for cell in table.cells], inside, page.page_number)  # type: ignore[misc]
        found = FoundTable(box=box, cells=cells, key=("ruled", page.page_number, len(tables)))
        # One column of boxes is framed text (a box around 编者按, a border cut by a rule), not
        # a table of figures; so is one row, unless the rest of its table is overleaf (a header
        # row at the foot of the page: ``table_merge`` decides, and gives back the text if not).
        if len(found.columns) < 3:
            continue
        found.partial = found.rows < 2
        tables.append(found)
    for stack in rule_stacks(edges):
        boxes = stack_boxes(stack, chars)
        if not boxes or any(_overlaps(boxes, table.box) for table in tables):
            continue
        box: Box = (boxes[0][0], boxes[0][1], boxes[-1][2], boxes[-1][3])
        cells = grid_cells(boxes, [char for char in chars if _inside(char, box)], page.page_number)
        found = FoundTable(box=box, cells=cells, key=("ruled", page.page_number, len(tables)))
        # Only a band that stacks numbers makes rules across the page a table (not a 版记).
        if found.rows > len(stack[2]) - 1 and len(found.columns) >= 3:
            tables.append(found)
    if not tables:
        return [], chars
    outside = [char for char in chars if not any(_inside(char, table.box) for table in tables)]
    return tables, outside


def horizontal_rules(page: Page, tables: list[FoundTable]) -> list[Rule]:
    """Horizontal lines and hairline rectangles outside the tables (their borders are not rules)."""
    rules: list[Rule] = []
    for obj in list(page.lines) + list(page.rects):
        if abs(obj["bottom"] - obj["top"]) > 1.5 or obj["x1"] - obj["x0"] < 20 or not visible(obj):
            continue
        top = float(obj["top"])
        in_table = any(t.box[1] - _SLACK <= top <= t.box[3] + _SLACK and obj["x0"] >= t.box[0] - _SLACK for t in tables)
        if not in_table:
            rules.append(Rule(float(obj["x0"]), float(obj["x1"]), top))
    return rules
