"""Tables kept only as lines, in a PDF made from a text that kept them so.

A text's flattened table (``text_tables``) comes out of a word processor or reportlab as one
short line a row, or one a cell, each a paragraph of its own — with no ruling lines for
pdfplumber's table finder. The lines are read as ``text_tables`` reads a text's lines, with the
same detection: each block (a text line became one) gives its text with the cells' delimiters
as the producer drew them (``Line.cells_text``: pipes, runs of spaces, a tab stop's gap; a single
space where reportlab collapsed a tab or a run of spaces), and the blocks of a table found among
them become its cells. Runs are cut at what is not a line of text (a rule, a ruled table), not at
page breaks: a table may go on overleaf, as its text did.
"""

from __future__ import annotations

from pipeline.ingest.pdf.layout import Geometry
from pipeline.ingest.pdf.lines import Line
from pipeline.ingest.text_tables import delimited_cells, find_tables, line_cells

Cell = tuple[int, int, str]  # row, column, text


def _line_text(line: Line, geometry: Geometry) -> str:
    return line.cells_text(justified=not geometry.ends_early(line))


def _row_width(line: Line, geometry: Geometry) -> int:
    """How many cells the line splits into at pipes or tabs; 0 for a line that is no such row."""
    text = _line_text(line, geometry)
    cells = delimited_cells(text) if "|" in text or "\t" in text else None
    return len(cells) if cells else 0


def starts_row(previous: Line, line: Line, geometry: Geometry) -> bool:
    """``line`` is a row of its own, not the rest of ``previous``: it splits into cells at pipes
    or tabs and ``previous`` does not, or both do into as many cells — two rows of one table,
    whatever the margins say (in a short document they may make a row look wrapped). A long
    row that wrapped splits into parts of other widths."""
    width = _row_width(line, geometry)
    return width > 0 and _row_width(previous, geometry) in (0, width)


def _block_text(lines: list[Line], geometry: Geometry) -> str:
    texts = [_line_text(line, geometry) for line in lines]
    joined = texts[0]
    for text in texts[1:]:  # a wrapped line goes on directly, a Latin word cut by the wrap with a space
        latin = joined[-1:].isascii() and joined[-1:].isalnum() and text[:1].isascii() and text[:1].isalnum()
        joined += (" " if latin else "") + text
    return joined


def line_tables(blocks: list[list[Line] | None], geometry: Geometry) -> list[dict[int, list[Cell]]]:
    """The tables among ``blocks`` (each the lines of one block of text, or None for anything
    else), each as the cells that every block of it holds, by the block's index."""
    tables: list[dict[int, list[Cell]]] = []
    run: list[int] = []

    def close_run() -> None:
        texts = [_block_text(blocks[index], geometry) for index in run]  # type: ignore[arg-type]
        for table in find_tables(texts, single_spaces=True):
            start = table[0]
            tables.append({run[start + offset]: cells for offset, cells in enumerate(line_cells(table))})
        run.clear()

    for index, lines in enumerate(blocks):
        if lines:
            run.append(index)
        else:
            close_run()
    close_run()
    return tables
