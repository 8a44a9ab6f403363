"""Lines, rules and tables of each page → RawBlocks in reading order.

Within a page a line continues the paragraph above when that line was wrapped (the next word
did not fit) and this one starts at the left margin; a first-line indent, a centred line, a
change of size or an unusual gap starts a new block. Across a page break the reader emits the
two halves as separate blocks and leaves the mending to ``pipeline.structure.paragraphs`` (which
records where the page changed) — except when the layout proves a continuation that the mender's
text rules would refuse (a sentence ending exactly at the foot of the page, a half that opens
with a bold run): then the halves are joined here, with ``pieces_pages`` saying which page each
piece is on. The lines of a block join directly, a Latin word parted from the next by the wrap
getting its space back — except where the wrap, or the page break, cut a number (958 | 7人:
``lines.cuts_number``), which is one number again; such a page-cut half is joined here too,
since the mender would put the space back.

A first-line indent starts a new block, but the blocks are handed on without the ``indented``
mark that would forbid the mender to join them: a producer that made every line of a
hard-wrapped text a paragraph indents each of them, and the text rules that mend the plain text
then mend its PDF the same way (a sentence cut at the end of a line goes on in the next).

Blocks that hold a table a text kept only as lines (``line_tables``) become its cells. Tables
are numbered in reading order, ruled ones and those of lines alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce

import regex

from pipeline.ingest.pdf.layout import Geometry, PageContent
from pipeline.ingest.pdf.line_tables import line_tables, starts_row
from pipeline.ingest.pdf.lines import Line, cuts_number, group_lines, join_pieces
from pipeline.ingest.raw import RawBlock
from pipeline.structure.paragraphs import NUMBERED_HEADING, continues

# A line that ends a sentence or a clause and a line that opens with a heading number (一、
# （二） 3.) are two blocks even when the number did not fit on the line above: an enumeration
# running on inside a paragraph has no such break before it. A Chinese-numeral heading (一、,
# （二）) opens a block after any line but one cut at an opening mark or a comma (a caption
# that happened to fill its line, then 一、主要做法).
_CLOSED_END = set("。；：！？:;!?")
_CHINESE_NUMBERED = regex.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_GOES_ON = set("，、“‘《〈（(【「『—,")
# A paragraph ends on one of these; a short line without them after a sentence's end is a
# heading or caption of its own, whatever room the line above had left.
_SENTENCE_END = set("。！？!?")
_PARAGRAPH_END = set("。；：！？”’）)」』】》…!?;:.")
_INNER_PUNCTUATION = set("，。；、：,;")

# A gap between lines this many pitches tall separates paragraphs even without an indent.
_PARAGRAPH_GAP = 1.45


@dataclass
class _Block:
    kind: str
    level: int
    lines: list[Line] = field(default_factory=list)
    raw: list[RawBlock] = field(default_factory=list)  # ready-made blocks: a rule, table cells
    table: tuple | None = None  # which table the cells belong to, until tables are numbered

    def to_raw(self, page: int, right: float) -> list[RawBlock]:
        """``right``: the text's right margin, where a wrap may have cut a number."""
        if self.raw:
            return self.raw
        pieces: list = []
        for previous, line in zip([None, *self.lines], self.lines):
            pieces = join_pieces(pieces, line.pieces, cut=previous is not None and cuts_number(previous, line, right))
        return [RawBlock(pieces, page=page, kind=self.kind, level=self.level)]


def _continues_block(block: _Block, line: Line, following: Line | None, kind: str, level: int, geometry: Geometry) -> bool:
    if not block.lines or block.kind != kind or block.level != level:
        return False
    previous = block.lines[-1]
    if abs(line.size - previous.size) > 0.5:
        return False
    gap_limit = (2.2 * line.size) if kind == "heading" else _PARAGRAPH_GAP * geometry.pitch
    if line.top - previous.top > gap_limit:
        return False
    if kind == "heading":
        return True  # a title wrapped over several centred lines
    if starts_row(previous, line, geometry):
        return False
    if not _runs_on(previous, line, geometry):
        return False
    return not (previous.text.rstrip()[-1:] in _SENTENCE_END and _stands_alone(line, following, geometry))


def _runs_on(previous: Line, line: Line, geometry: Geometry) -> bool:
    """``line`` carries on the text of ``previous``: the word it opens with did not fit above,
    and it is neither indented nor a numbered heading."""
    if geometry.is_indented(line) or not geometry.wraps_into(previous, line):
        return False
    end = previous.text.rstrip()[-1:]
    return not ((end in _CLOSED_END and NUMBERED_HEADING.match(line.text)) or (end not in _GOES_ON and _CHINESE_NUMBERED.match(line.text)))


def _stands_alone(line: Line, following: Line | None, geometry: Geometry) -> bool:
    """A line that would be its paragraph's last and ends it without punctuation, holding no
    punctuation at all: a heading or caption after a paragraph whose last line was full."""
    text = line.text.rstrip()
    if not text or text[-1] in _PARAGRAPH_END or any(char in _INNER_PUNCTUATION for char in text):
        return False
    if following is None:  # the page's last line: it may go on overleaf unless it ends early
        return geometry.ends_early(line)
    return not _runs_on(line, following, geometry)


def _table_blocks(page: PageContent) -> list[tuple[float, _Block]]:
    items = []
    for offset, table in enumerate(page.tables):
        cells: list[RawBlock] = []
        for cell in table.cells:
            lines = group_lines(cell.chars, page.number)
            pieces = reduce(join_pieces, (line.pieces for line in lines), [])
            if "".join(text for text, _ in pieces).strip():
                position = {"table": -1, "row": cell.row, "col": cell.col, "rowspan": cell.rowspan, "colspan": cell.colspan, "indent": cell.indent}
                cells.append(RawBlock(pieces, page=page.number, kind="table_cell", table=position))
        if cells:
            items.append((table.top, _Block("table", 0, raw=cells, table=table.key or ("ruled", page.number, offset))))
    return items


def page_blocks(page: PageContent, geometry: Geometry) -> list[_Block]:
    """The page's blocks top to bottom (one column: a multi-column page is read row-wise)."""
    events: list[tuple[float, Line | _Block]] = [(line.top, line) for line in page.lines]
    minimum_rule = 0.5 * (geometry.right - geometry.left)
    for rule in page.rules:
        if rule.x1 - rule.x0 >= minimum_rule:
            events.append((rule.top, _Block("rule", 0, raw=[RawBlock([("", False)], page=page.number, kind="rule")])))
    events.extend(_table_blocks(page))
    events.sort(key=lambda event: event[0])

    blocks: list[_Block] = []
    for index, (_, item) in enumerate(events):
        if isinstance(item, _Block):
            blocks.append(item)
            continue
        following = events[index + 1][1] if index + 1 < len(events) else None
        level = geometry.heading_level(item, following if isinstance(following, Line) else None)
        kind = "heading" if level else "paragraph"
        next_line = following if isinstance(following, Line) else None
        if blocks and _continues_block(blocks[-1], item, next_line, kind, level, geometry):
            blocks[-1].lines.append(item)
        else:
            blocks.append(_Block(kind, level, [item]))
    return blocks


def _join_across_pages(left: RawBlock, right: RawBlock, *, cut: bool = False) -> RawBlock:
    left_pages = left.pieces_pages or [left.page] * len(left.pieces)
    right_pages = right.pieces_pages or [right.page] * len(right.pieces)
    pieces, pages = list(left.pieces), list(left_pages)
    joined = join_pieces(left.pieces[-1:], right.pieces[:1], cut=cut)
    if len(joined) > 1 and joined[1][0] == " ":  # a Latin word cut by the page break
        pieces.append(joined[1])
        pages.append(left_pages[-1])
    pieces += right.pieces
    pages += right_pages
    return RawBlock(pieces, page=left.page, kind=left.kind, level=left.level, indented=left.indented, pieces_pages=pages)


def _cells_of_line_tables(pages: list[PageContent], page_lists: list[list[_Block]], geometry: Geometry) -> None:
    """Replace, in place, the blocks of every table kept only as lines with its cells."""
    places = [(p, i) for p, blocks in enumerate(page_lists) for i in range(len(blocks))]
    texts = [block.lines if block.kind in ("paragraph", "heading") else None for blocks in page_lists for block in blocks]
    for number, table in enumerate(line_tables(texts, geometry)):
        for index, cells in table.items():
            p, i = places[index]
            bold = all(line.all_bold for line in page_lists[p][i].lines)
            raw = [RawBlock([(text, bold)], page=pages[p].number, kind="table_cell", table={"table": -1, "row": row, "col": col})
                   for row, col, text in cells]
            page_lists[p][i] = _Block("table", 0, raw=raw, table=("lines", number))


def document_blocks(pages: list[PageContent], geometry: Geometry) -> list[RawBlock]:
    result: list[RawBlock] = []
    previous_last: _Block | None = None
    page_lists = [page_blocks(page, geometry) for page in pages]
    _cells_of_line_tables(pages, page_lists, geometry)
    numbers: dict[tuple, int] = {}  # a table's key → its number in reading order
    for page, blocks in zip(pages, page_lists):
        for index, block in enumerate(blocks):
            raws = block.to_raw(page.number, geometry.right)
            if block.table is not None:
                number = numbers.setdefault(block.table, len(numbers))
                for raw in raws:
                    raw.table["table"] = number  # type: ignore[index]
            if index == 0 and previous_last is not None and _proven_continuation(previous_last, block, geometry):
                # The mender would not join them, or would put a space into a number the page cut.
                cut = cuts_number(previous_last.lines[-1], block.lines[0], geometry.right)
                if cut or not continues(result[-1], raws[0]):
                    result[-1] = _join_across_pages(result[-1], raws[0], cut=cut)
                    raws = raws[1:]
            result.extend(raws)
        previous_last = blocks[-1] if blocks else None
    return result


def _proven_continuation(before: _Block, after: _Block, geometry: Geometry) -> bool:
    """The page ended on a wrapped line of a paragraph and the next page goes on at the margin."""
    if before.kind != "paragraph" or after.kind != "paragraph" or not before.lines or not after.lines:
        return False
    first = after.lines[0]
    return not geometry.is_indented(first) and geometry.wraps_into(before.lines[-1], first)
