"""Markdown and plain-text bulletins.

Markdown: ``**bold**``/``__bold__`` runs, ``#`` headings, ``---`` rules, pipe tables (each cell a
``table_cell`` block), paragraphs separated by blank lines (their wrapped lines joined). Plain text has no markup: every non-blank line is a
block and the paragraph mender decides which lines continue each other; tables kept only as lines
(delimited rows, or one cell a line) become table cells (``text_tables.py``).
"""

from __future__ import annotations

import regex

from pipeline.ingest.raw import RawBlock
from pipeline.ingest.text_tables import find_tables

_HEADING = regex.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = regex.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_BOLD = regex.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_INDENT = regex.compile(r"^(\u3000|\s{2,}|\t)")
_FORM_FEED = "\f"
_TABLE_ROW = regex.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _bold_pieces(line: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _BOLD.finditer(line):
        if match.start() > position:
            pieces.append((line[position : match.start()], False))
        pieces.append((match.group(1) or match.group(2), True))
        position = match.end()
    if position < len(line):
        pieces.append((line[position:], False))
    return pieces


def read_markdown(text: str) -> tuple[list[RawBlock], int]:
    blocks: list[RawBlock] = []
    paragraph: list[str] = []
    page = 1

    def flush() -> None:
        if paragraph:
            joined = "".join(line.strip() if i else line.rstrip() for i, line in enumerate(paragraph))
            blocks.append(RawBlock(_bold_pieces(joined.strip()), page=page, indented=None))
            paragraph.clear()

    table_index = -1
    table_row = -1
    for line in text.splitlines():
        if _FORM_FEED in line:
            flush()
            page += line.count(_FORM_FEED)
            line = line.replace(_FORM_FEED, "")
        row = _TABLE_ROW.match(line)
        if row:
            flush()
            if _TABLE_RULE.match(line):
                continue
            if table_row < 0:
                table_index += 1
            table_row += 1
            for column, cell in enumerate(row.group(1).split("|")):
                position = {"table": table_index, "row": table_row, "col": column}
                blocks.append(RawBlock(_bold_pieces(cell.strip()) or [("", False)], page=page, kind="table_cell", table=position))
            continue
        table_row = -1
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(RawBlock(_bold_pieces(heading.group(2)), page=page, kind="heading", level=len(heading.group(1))))
        elif _RULE.match(line):
            flush()
            blocks.append(RawBlock([("", False)], page=page, kind="rule"))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line)
    flush()
    return [b for b in blocks if b.kind in ("rule", "table_cell") or b.text.strip()], page


def read_plain_text(text: str) -> tuple[list[RawBlock], int]:
    lines: list[tuple[str, int]] = []  # non-blank lines with their page
    page = 1
    for line in text.splitlines():
        if _FORM_FEED in line:
            page += line.count(_FORM_FEED)
            line = line.replace(_FORM_FEED, "")
        if line.strip():
            lines.append((line, page))
    tables = {start: (end, rows) for start, end, rows in find_tables([line.strip() for line, _ in lines])}
    blocks: list[RawBlock] = []
    index = table_index = 0
    while index < len(lines):
        line, line_page = lines[index]
        if index in tables:
            end, rows = tables[index]
            for row_number, row in enumerate(rows):
                for column, cell in enumerate(row):
                    position = {"table": table_index, "row": row_number, "col": column}
                    blocks.append(RawBlock([(cell, False)], page=line_page, kind="table_cell", table=position))
            table_index += 1
            index = end
            continue
        blocks.append(RawBlock([(line.strip(), False)], page=line_page, indented=bool(_INDENT.match(line))))
        index += 1
    return blocks, page
