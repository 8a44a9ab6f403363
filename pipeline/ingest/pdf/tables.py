"""Ruled tables of a PDF page (pdfplumber's table finder), their cells' chars taken out of the
running text, and the page's horizontal rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfplumber.page import Page

from pipeline.ingest.pdf.chars import Char

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# Slack, in points, when deciding whether a char or a rule lies inside a table's box.
_SLACK = 2.0


@dataclass
class TableCell:
    row: int
    col: int
    chars: list[Char]


@dataclass
class FoundTable:
    box: Box
    cells: list[TableCell] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.box[1]


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


def _is_frame(obj: dict, page: Page) -> bool:
    """A rectangle around most of the page: a template's border, not a table's."""
    return obj["object_type"] == "rect" and obj["width"] > 0.5 * page.width and obj["height"] > 0.5 * page.height


def split_tables(page: Page, chars: list[Char]) -> tuple[list[FoundTable], list[Char]]:
    """The page's tables with their cells' chars, and the chars outside every table."""
    if not (page.lines or page.rects or page.curves):
        return [], chars  # the finder needs ruling lines; skip its cost on pages without any
    ruled: Page = page
    if any(_is_frame(rect, page) for rect in page.rects):
        ruled = page.filter(lambda obj: not _is_frame(obj, page))
    tables: list[FoundTable] = []
    for table in ruled.find_tables():
        # One row or one column of boxes is framed text (a box around 编者按, a border cut by a
        # rule), not a table of figures.
        if len(table.rows) < 2 or len(table.columns) < 2:
            continue
        found = FoundTable(box=tuple(table.bbox))  # type: ignore[arg-type]
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if cell is not None:  # None: covered by a merged cell
                    found.cells.append(TableCell(r, c, [char for char in chars if _inside(char, cell)]))
        tables.append(found)
    if not tables:
        return [], chars
    outside = [char for char in chars if not any(_inside(char, table.box) for table in tables)]
    return tables, outside


def horizontal_rules(page: Page, tables: list[FoundTable]) -> list[Rule]:
    """Horizontal lines and hairline rectangles outside the tables (their borders are not rules)."""
    rules: list[Rule] = []
    for obj in list(page.lines) + list(page.rects):
        if abs(obj["bottom"] - obj["top"]) > 1.5 or obj["x1"] - obj["x0"] < 20:
            continue
        top = float(obj["top"])
        in_table = any(t.box[1] - _SLACK <= top <= t.box[3] + _SLACK and obj["x0"] >= t.box[0] - _SLACK for t in tables)
        if not in_table:
            rules.append(Rule(float(obj["x0"]), float(obj["x1"]), top))
    return rules
