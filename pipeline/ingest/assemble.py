"""Turning a reader's raw blocks into the one ``Document`` every later stage reads."""

from __future__ import annotations

import hashlib

from pipeline.ingest.raw import RawBlock
from pipeline.ingest.unicode import normalize_text
from pipeline.model import Block, Document, Span
from pipeline.structure.paragraphs import rejoin

Piece = tuple[str, bool, int]  # text, bold, page


def _needs_space(left: str, right: str) -> bool:
    """A wrapped Latin word needs its space back; CJK characters never do."""
    return bool(left and right) and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum()


def _strip_end(pieces: list[Piece]) -> None:
    while pieces and not pieces[-1][0].rstrip():
        pieces.pop()
    if pieces:
        pieces[-1] = (pieces[-1][0].rstrip(), *pieces[-1][1:])


def _strip_start(pieces: list[Piece]) -> list[Piece]:
    pieces = [piece for piece in pieces if piece[0]]
    while pieces and not pieces[0][0].strip():
        pieces.pop(0)
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(), *pieces[0][1:])
    return pieces


def _bold_spans(pieces: list[Piece], start: int) -> list[Span]:
    """Absolute bold spans, neighbouring runs merged, white space trimmed off their ends."""
    spans: list[Span] = []
    offset = start
    for text, bold, _ in pieces:
        if bold and text.strip():
            lead = len(text) - len(text.lstrip())
            span = Span(offset + lead, offset + len(text.rstrip()))
            if spans and spans[-1].end == offset:
                spans[-1] = Span(spans[-1].start, span.end)
            else:
                spans.append(span)
        offset += len(text)
    return spans


def assemble(raw_blocks: list[RawBlock], *, source_file: str, fmt: str, sha256: str, pages: int) -> Document:
    texts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for group in rejoin(raw_blocks):
        pieces: list[Piece] = []
        for index, raw in enumerate(group):
            # A reader that joined a page-cut paragraph itself gives each piece's page.
            piece_pages = raw.pieces_pages or [raw.page] * len(raw.pieces)
            normalized = [(normalize_text(t).replace("\n", " "), b, p) for (t, b), p in zip(raw.pieces, piece_pages)]
            if index > 0:
                _strip_end(pieces)
                normalized = _strip_start(normalized)
                joined = "".join(t for t, _, _ in pieces)
                if normalized and _needs_space(joined, normalized[0][0]):
                    normalized.insert(0, (" ", False, normalized[0][2]))
            pieces.extend(normalized)
        page_marks: list[tuple[int, int]] = []
        position = offset
        for text, _, page in pieces:
            if text and (not page_marks or page != page_marks[-1][1]):
                page_marks.append((position, page))
            position += len(text)
        text = "".join(t for t, _, _ in pieces)
        first = group[0]
        blocks.append(
            Block(
                start=offset,
                end=offset + len(text),
                page=page_marks[0][1] if page_marks else first.page,
                kind=first.kind,
                level=first.level,
                bold=_bold_spans(pieces, offset),
                joined_from=len(group),
                table=first.table,
                page_starts=page_marks[1:],
            )
        )
        texts.append(text)
        offset += len(text) + 1
    return Document(source_file=source_file, format=fmt, sha256=sha256, text="\n".join(texts), blocks=blocks, pages=pages)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
