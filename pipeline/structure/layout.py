"""Everything the extractors need to know about a document besides its words."""

from __future__ import annotations

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

    def in_table(self, offset: int) -> bool:
        return any(cell.start <= offset < cell.end for cell in self.cells)

    def section_at(self, offset: int) -> Section | None:
        found = None
        for section in self.sections:
            if section.start <= offset < section.end:
                found = section
        return found

    def block_at(self, offset: int) -> tuple[int, int]:
        for start, end in self.blocks:
            if start <= offset <= end:
                return start, end
        return (0, 0)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return (offset, offset)


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
