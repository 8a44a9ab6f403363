"""What a format reader hands to the assembler: blocks of text pieces marked bold or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawBlock:
    """A paragraph, heading, rule or table cell as one reader saw it, before assembly.

    ``pieces`` are consecutive (text, is_bold) runs. ``kind`` is ``paragraph``, ``heading``,
    ``rule`` or ``table_cell``; ``level`` is the heading level (1 = title). ``table`` carries
    ``{"table": i, "row": r, "col": c}`` for table cells. ``indented`` says the block opened
    with a first-line indent (a new paragraph for sure), ``None`` when the format cannot tell.
    """

    pieces: list[tuple[str, bool]]
    page: int = 1
    kind: str = "paragraph"
    level: int = 0
    table: dict[str, Any] | None = None
    indented: bool | None = None
    pieces_pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def strip_pieces(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Drop white space at both ends of a block's pieces (a typed indent included)."""
    pieces = [piece for piece in pieces if piece[0]]
    while pieces and not pieces[0][0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return pieces
