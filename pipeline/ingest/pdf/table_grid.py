"""The grid of a ruled table: which rules one can see, the box that closes a table whose sides
are open, and the cells — with their spans — of what pdfplumber's finder returns.

Office exports draw more than the rules of a table, and fewer:

- WPS paints the background of every paragraph and every table cell as a white, unstroked
  rectangle. Its edges are no rules, but pdfplumber's finder takes them for some, and a page of
  body text becomes one tall "table". Only what can be seen counts: stroked lines, stroked
  rectangles and rectangles filled with a colour (a header's shading, a hairline drawn as a
  thin black box).
- A statistical table (三线表) rules its top, the foot of its header and its bottom, with
  vertical rules between the columns but none at the sides; a table cut by a page break has no
  rule where the page cut it. Each group of touching rules is closed into its bounding box, so
  that the outer cells have four sides.
- Such a table has no rules between its body rows: one ruled "row" then holds a column of
  numbers one above the other. A band in which some cell stacks two or more numbers is cut
  into one row per text line (a label's wrapped second line, closer than the rows, stays with
  its row).

Cells are then numbered on the table's own column and row boundaries, a merged cell getting a
span; its text's indent (in ems from the cell's left edge, None when the text is centred) keeps
the hierarchy a statistical table shows by indenting 其中 rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from pipeline.ingest.pdf.chars import Char
from pipeline.ingest.pdf.lines import Line, group_lines

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# pdfplumber's snap and join tolerance: rules this close are one.
TOLERANCE = 3.0
# A cell's wrapped lines follow each other at most this many ems apart; body rows are farther.
_WRAP_PITCH = 1.4
_NUMBER_LINE = regex.compile(r"^[-+−]?\d[\d,]*(?:\.\d+)?[%‰]?$")


@dataclass
class GridCell:
    """A cell of a table: its box, chars and place in the grid (row and column of its top-left
    corner, how many rows and columns it spans)."""

    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    row: int = 0
    col: int = 0
    rowspan: int = 1
    colspan: int = 1
    indent: float | None = None

    @property
    def text(self) -> str:
        return "".join(char.text for char in sorted(self.chars, key=lambda c: (round(c.top), c.x0))).strip()


def _white(colour: object) -> bool:
    if not isinstance(colour, (tuple, list)) or not colour or not all(isinstance(v, (int, float)) for v in colour):
        return False
    if len(colour) == 4:  # CMYK
        return all(v <= 0.05 for v in colour)
    return all(v >= 0.95 for v in colour)


def visible(obj: dict) -> bool:
    """A line or rectangle one can see on a white page."""
    kind = obj.get("object_type")
    if kind == "rect":
        stroked = bool(obj.get("stroke")) and not _white(obj.get("stroking_color"))
        return stroked or (bool(obj.get("fill")) and not _white(obj.get("non_stroking_color")))
    if kind in ("line", "curve"):
        return not _white(obj.get("stroking_color"))
    return True


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "doctop": top}


def closing_edges(edges: Iterable[dict]) -> list[dict]:
    """For each group of horizontal and vertical rules that touch, the four sides of its
    bounding box: the missing sides of a three-line table or of a table cut by a page break."""
    edges = [e for e in edges if e.get("orientation") in ("h", "v")]
    parent = list(range(len(edges)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [i for i, e in enumerate(edges) if e["orientation"] == "h"]
    vertical = [i for i, e in enumerate(edges) if e["orientation"] == "v"]
    for h in horizontal:
        a = edges[h]
        for v in vertical:
            b = edges[v]
            if a["x0"] - TOLERANCE <= b["x0"] <= a["x1"] + TOLERANCE and b["top"] - TOLERANCE <= a["top"] <= b["bottom"] + TOLERANCE:
                parent[root(h)] = root(v)
    groups: dict[int, list[dict]] = {}
    for i in horizontal + vertical:
        groups.setdefault(root(i), []).append(edges[i])
    closing: list[dict] = []
    for group in groups.values():
        kinds = {e["orientation"] for e in group}
        if kinds != {"h", "v"}:
            continue
        x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
        top, bottom = min(e["top"] for e in group), max(e["bottom"] for e in group)
        if x1 - x0 < 2 * TOLERANCE or bottom - top < 2 * TOLERANCE:
            continue
        closing += [_edge(x0, top, x1, top), _edge(x0, bottom, x1, bottom), _edge(x0, top, x0, bottom), _edge(x1, top, x1, bottom)]
    return closing


def _distance(char: Char, box: Box) -> float:
    """How far the char's centre lies outside the box (0 inside)."""
    x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return max(box[0] - x, 0.0, x - box[2]) + max(box[1] - y, 0.0, y - box[3])


def _boundaries(values: Iterable[float]) -> list[float]:
    """Distinct positions, those within the tolerance of each other taken as one."""
    merged: list[float] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= TOLERANCE:
            continue
        merged.append(value)
    return merged


def _index(boundaries: list[float], value: float) -> int:
    return min(range(len(boundaries)), key=lambda i: abs(boundaries[i] - value))


def _is_number(line: Line) -> bool:
    return bool(_NUMBER_LINE.match(line.text.replace(" ", "")))


def _split_band(cells: list[GridCell], page: int) -> list[GridCell]:
    """Cut the cells of one band (a ruled row) into one row per text line when some cell
    stacks two or more numbers: a table without rules between its body rows."""
    lines = {id(cell): group_lines(cell.chars, page) for cell in cells}
    if not any(sum(1 for line in lines[id(cell)] if _is_number(line)) >= 2 for cell in cells):
        return cells
    owner = {id(line): id(cell) for cell in cells for line in lines[id(cell)]}
    every = sorted((line for cell in cells for line in lines[id(cell)]), key=lambda line: line.middle)
    clusters: list[list[Line]] = []
    for line in every:
        if clusters and line.middle - clusters[-1][-1].middle <= 0.5 * max(line.size, clusters[-1][-1].size):
            clusters[-1].append(line)
        else:
            clusters.append([line])
    merged: list[list[Line]] = []
    for cluster in clusters:
        # Text lines with no number right under a row of numbers (a line's pitch, closer than
        # the rows), in cells that row has text in: its labels wrapped, not a row of their own.
        if merged and any(_is_number(l) for l in merged[-1]) and not any(_is_number(l) for l in cluster) \
                and {owner[id(l)] for l in cluster} <= {owner[id(l)] for l in merged[-1]} \
                and cluster[0].middle - max(l.middle for l in merged[-1]) <= _WRAP_PITCH * cluster[0].size:
            merged[-1].extend(cluster)
        else:
            merged.append(cluster)
    clusters = merged
    top, bottom = cells[0].top, cells[0].bottom
    cuts = [top] + [(max(l.bottom for l in a) + min(l.top for l in b)) / 2 for a, b in zip(clusters, clusters[1:])] + [bottom]
    pieces: list[GridCell] = []
    for cell in cells:
        for y0, y1 in zip(cuts, cuts[1:]):
            chars = [char for char in cell.chars if y0 <= char.middle < y1]
            pieces.append(GridCell(cell.x0, y0, cell.x1, y1, chars))
    return pieces


def _gaps(cell: GridCell, page: int) -> tuple[float, float] | None:
    """How far, in ems, the cell's text stands in from its left and its right edge."""
    lines = group_lines(cell.chars, page)
    if not lines:
        return None
    size = lines[0].size
    return max(0.0, lines[0].x0 - cell.x0) / size, max(0.0, cell.x1 - max(line.x1 for line in lines)) / size


def _set_indents(cells: list[GridCell], page: int) -> None:
    """A cell's indent is its text's left gap, unless its column centres its text (every cell
    about as far from both edges): then the gaps say nothing and the indent is None."""
    gaps = {id(cell): _gaps(cell, page) for cell in cells}
    columns: dict[tuple[int, int], list[GridCell]] = {}
    for cell in cells:
        if gaps[id(cell)] is not None:
            columns.setdefault((cell.col, cell.colspan), []).append(cell)
    for column in columns.values():
        centred = all(abs(gaps[id(c)][0] - gaps[id(c)][1]) < 1.0 for c in column) and any(gaps[id(c)][0] > 0.75 for c in column)  # type: ignore[index]
        for cell in column:
            cell.indent = None if centred else round(gaps[id(cell)][0], 1)  # type: ignore[index]


def grid_cells(boxes: list[Box], chars: list[Char], page: int) -> list[GridCell]:
    """The cells of a table found as ``boxes``, with their chars, cut into rows where the body
    has no rules, and numbered on the table's boundaries."""
    cells = [GridCell(*box) for box in boxes]
    for char in chars:  # each char in one cell: the one holding its centre, else the nearest
        min(cells, key=lambda cell: _distance(char, (cell.x0, cell.top, cell.x1, cell.bottom))).chars.append(char)
    ys = _boundaries(v for cell in cells for v in (cell.top, cell.bottom))
    bands: dict[int, list[GridCell]] = {}
    rest: list[GridCell] = []
    for cell in cells:
        top, bottom = _index(ys, cell.top), _index(ys, cell.bottom)
        (bands.setdefault(top, []) if bottom == top + 1 else rest).append(cell)
    cells = rest + [piece for band in bands.values() for piece in _split_band(band, page)]
    xs = _boundaries(v for cell in cells for v in (cell.x0, cell.x1))
    ys = _boundaries(v for cell in cells for v in (cell.top, cell.bottom))
    for cell in cells:
        cell.col, cell.row = _index(xs, cell.x0), _index(ys, cell.top)
        cell.colspan = max(1, _index(xs, cell.x1) - cell.col)
        cell.rowspan = max(1, _index(ys, cell.bottom) - cell.row)
    _set_indents(cells, page)
    return sorted(cells, key=lambda cell: (cell.row, cell.col))


def column_boundaries(cells: list[GridCell]) -> list[float]:
    return _boundaries(v for cell in cells for v in (cell.x0, cell.x1))
