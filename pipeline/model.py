"""Plain records passed between the stages; every one is serializable and carries offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) into the document text."""

    start: int
    end: int

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self.start <= offset < self.end


@dataclass
class Block:
    """One paragraph-like unit of a document as the reader found it.

    ``start``/``end`` index ``Document.text``; ``bold`` holds the bold runs as absolute spans;
    ``kind`` is ``paragraph``, ``heading``, ``rule`` (a horizontal rule) or ``table_cell``.
    ``joined_from`` counts the physical pieces (lines, page halves) the paragraph was re-joined
    from, so a user can see where a cut was mended.
    """

    start: int
    end: int
    page: int = 1
    kind: str = "paragraph"
    level: int = 0
    bold: list[Span] = field(default_factory=list)
    joined_from: int = 1
    table: dict[str, Any] | None = None
    page_starts: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """The page an offset inside this block lies on (a re-joined block can span two)."""
        page = self.page
        for start, later_page in self.page_starts:
            if offset >= start:
                page = later_page
        return page


@dataclass
class Document:
    """The reader's output, the same whatever the format.

    ``text`` is the normalized text: blocks joined with a newline, after the position-keeping
    Unicode normalization. Every offset in the pipeline indexes this string.
    """

    source_file: str
    format: str
    sha256: str
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    pages: int = 0
    status: str = "ok"
    error: str = ""

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def page_at(self, offset: int) -> int:
        for block in self.blocks:
            if block.start <= offset <= block.end:
                return block.page_at(offset)
        return self.blocks[-1].page if self.blocks else 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class DocumentError(Exception):
    """A file that cannot be read; ``status`` is the documents-table status it earns."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
