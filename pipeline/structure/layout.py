"""Everything the extractors need to know about a document besides its words."""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field

from pipeline.model import Document, Span
from pipeline.rules import Rules
from pipeline.structure.metadata import Metadata, read_metadata
from pipeline.structure.sections import Section, SectionLabeler, find_sections
from pipeline.structure.sentences import sentence_spans


@dataclass(frozen=True)
class TableCell:
    start: int
    end: int
    table: int
    row: int
    col: int
    page: int
    rowspan: int = 0  # rows and columns a merged cell covers; 0 where the reader does not say
    colspan: int = 0
    indent: float | None = None  # ems its text stands in from the cell's edge (PDF), None if unknown


class _Ranges:
    """Sorted, non-overlapping [start, end) ranges, looked up by bisection (a lookup per figure
    over every sentence of a long document would make the document's cost grow with its square).
    ``ok`` is False for ranges that are not sorted or overlap: the callers then scan as before."""

    def __init__(self, ranges: list[tuple[int, int]], touching: bool = True) -> None:
        self.starts = [start for start, _ in ranges]
        self.ends = [end for _, end in ranges]
        pairs = zip(self.ends, self.starts[1:])
        self.ok = all(end <= start for end, start in pairs) if touching else all(end < start for end, start in pairs)

    def last_starting_at_or_before(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


@dataclass
class Layout:
    metadata: Metadata
    sections: list[Section]
    bold: list[Span]
    blocks: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    region: str = ""  # code of the home region (pipeline/extraction/region.py)
    region_basis: str = ""  # how it was found: option, masthead, title, dateline, mention
    region_hint: str = ""
    body: tuple[int, int] = (0, 0)
    heading_spans: list[tuple[int, int]] = field(default_factory=list)
    cells: list[TableCell] = field(default_factory=list)
    # Set on the layout of one piece of a long document (``window``): what the pieces share,
    # decided once for the whole text (see pipeline/process.py).
    context: PieceContext | None = field(default=None, repr=False, compare=False)
    _indexes: dict = field(default_factory=dict, repr=False, compare=False)

    def _index(self, name: str, ranges: list, key) -> _Ranges:
        cached = self._indexes.get(name)
        if cached is None or cached[0] is not ranges or cached[1] != len(ranges):
            cached = (ranges, len(ranges), _Ranges([key(r) for r in ranges]))
            self._indexes[name] = cached
        return cached[2]

    def in_table(self, offset: int) -> bool:
        if not self.cells:
            return False
        cells = self._cells_by_start()
        index = self._index("cells", cells, lambda c: (c.start, c.end))
        if not index.ok:
            return any(cell.start <= offset < cell.end for cell in cells)
        at = index.last_starting_at_or_before(offset)
        return at >= 0 and offset < index.ends[at]

    def _cells_by_start(self) -> list[TableCell]:
        cached = self._indexes.get("cells-sorted")
        if cached is None or cached[0] is not self.cells or cached[1] != len(self.cells):
            cached = (self.cells, len(self.cells), sorted(self.cells, key=lambda c: (c.start, c.end)))
            self._indexes["cells-sorted"] = cached
        return cached[2]

    def _overlapping(self, name: str, ranges: list, key, start: int, end: int) -> list:
        """The items of ``ranges`` (sorted by position) that overlap [start, end)."""
        index = self._index(name, ranges, key)
        if index.ok:
            return ranges[bisect.bisect_right(index.ends, start) : bisect.bisect_left(index.starts, end)]
        return [r for r in ranges if key(r)[0] < end and key(r)[1] > start]

    def section_at(self, offset: int) -> Section | None:
        index = self._index("sections", self.sections, lambda s: (s.start, s.end))
        if index.ok:
            at = index.last_starting_at_or_before(offset)
            return self.sections[at] if at >= 0 and offset < index.ends[at] else None
        found = None
        for section in self.sections:
            if section.start <= offset < section.end:
                found = section
        return found

    def block_at(self, offset: int) -> tuple[int, int]:
        index = self._index("blocks", self.blocks, lambda b: b)
        if index.ok:
            at = index.last_starting_at_or_before(offset)
            while at > 0 and index.ends[at - 1] >= offset:  # a block ending where the next starts: the first
                at -= 1
            return self.blocks[at] if at >= 0 and offset <= index.ends[at] else (0, 0)
        for start, end in self.blocks:
            if start <= offset <= end:
                return start, end
        return (0, 0)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        index = self._index("sentences", self.sentences, lambda s: s)
        if index.ok:
            at = index.last_starting_at_or_before(offset)
            return self.sentences[at] if at >= 0 and offset < index.ends[at] else (offset, offset)
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return (offset, offset)

    def window(self, start: int, end: int, context: PieceContext) -> Layout:
        """The layout of ``text[start:end]`` (one piece of a long document), offsets counted from
        ``start``. Ranges are cut to the piece; a section that opened before it keeps its index
        (its heading's place comes with ``context``) but no heading of its own here."""
        length = end - start

        def inside(a: int, b: int) -> tuple[int, int]:
            return max(a, start) - start, min(b, end) - start

        sections = []
        for section in self._overlapping("sections", self.sections, lambda s: (s.start, s.end), start, end):
            if section.start >= start:
                heading_end = None if section.heading_end is None else section.heading_end - start
                sections.append(dataclasses.replace(section, start=section.start - start, end=min(section.end, end) - start, heading_end=heading_end))
            else:
                sections.append(dataclasses.replace(section, start=0, end=min(section.end, end) - start, heading_end=0))
        meta = self.metadata
        metadata = dataclasses.replace(
            meta, body_start=min(max(meta.body_start - start, 0), length), body_end=min(max(meta.body_end - start, 0), length),
            title_start=meta.title_start - start if start <= meta.title_start < end else -1)
        bold = self._overlapping("bold", self.bold, lambda s: (s.start, s.end), start, end)
        headings = self._overlapping("headings", self.heading_spans, lambda s: s, start, end)
        cells = self._overlapping("cells", self._cells_by_start(), lambda c: (c.start, c.end), start, end) if self.cells else []
        return Layout(
            metadata,
            sections,
            [Span(s.start - start, s.end - start) for s in bold if s.start >= start and s.end <= end],
            [inside(a, b) for a, b in self._overlapping("blocks", self.blocks, lambda b: b, start, end)],
            [inside(a, b) for a, b in self._overlapping("sentences", self.sentences, lambda s: s, start, end)],
            region=self.region,
            region_basis=self.region_basis,
            region_hint=self.region_hint,
            body=inside(*self.body) if self.body[1] > start and self.body[0] < end else (0, 0),
            heading_spans=[(a - start, b - start) for a, b in headings if a >= start and b <= end],
            cells=[dataclasses.replace(c, start=c.start - start, end=c.end - start) for c in cells if c.start >= start and c.end <= end],
            context=context,
        )


@dataclass
class PieceContext:
    """What the pieces of one long document share: its home region and the context prefecture
    its short place names are read in (``home``, ``place_context``), the places that open the
    headings of sections begun in an earlier piece (by section index), and whether table cells
    are read after the last piece, from the whole text (``tables_later``)."""

    home: object = None  # pipeline.extraction.region.HomeRegion
    place_context: str = ""
    headings: dict = field(default_factory=dict)
    tables_later: bool = True


def plain_layout(text: str) -> Layout:
    """A layout for bare text (``nlp("…")`` in someone else's pipeline): all body, no bold."""
    return Layout(Metadata(body_end=len(text)), [], [], [(0, len(text))], sentence_spans(text), body=(0, len(text)))


def build_layout(document: Document, rules: Rules, region_hint: str = "") -> Layout:
    """``region_hint`` names the archive's place (``--region``) for bulletins that do not."""
    metadata = read_metadata(document, rules.structure)
    body = (metadata.body_start, metadata.body_end)
    sections = find_sections(document, *body, SectionLabeler(rules.section_themes), metadata.title, rules.structure, metadata.title_start)
    blocks = [(b.start, b.end) for b in document.blocks if b.kind in ("paragraph", "table_cell")]
    sentences = [s for b in document.blocks for s in sentence_spans(document.text, b.start, b.end)]
    headings = [s.heading_span for s in sections if s.heading_span]  # headings written where their section opens
    bold = [span for b in document.blocks for span in b.bold]
    cells = [
        TableCell(b.start, b.end, b.table["table"], b.table["row"], b.table["col"], b.page,
                  b.table.get("rowspan", 0), b.table.get("colspan", 0), b.table.get("indent"))
        for b in document.blocks
        if b.kind == "table_cell" and b.table is not None and metadata.body_start <= b.start < metadata.body_end
    ]
    return Layout(metadata, sections, bold, blocks, sentences, region_hint=region_hint, body=body, heading_spans=headings, cells=cells)
