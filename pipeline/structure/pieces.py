"""Long documents in pieces: where a document's text is cut so that each piece goes through the
spaCy pipeline on its own (``pipeline/process.py``).

A document of up to ``WHOLE_CHARS`` characters is one piece. A longer one — a compilation (汇编),
a 2,000-page PDF, a text past spaCy's ``max_length`` — is cut into pieces of about
``PIECE_CHARS``, only where nothing the extractors read runs across the cut: at the start of a
paragraph (or heading) whose previous paragraph ends a sentence (。！？；), never inside a table;
a section's start is preferred. Everything the extractors read there is paragraph-, sentence- or
section-local (passages end with their paragraph), and what is not — the home region, the
context in which short place names are read, the place a section's heading names, the table
cells and the measure words the text uses for them — is decided once for the whole text
(``pipeline/process.py``), so the pieces give exactly the figures of the whole.

A paragraph longer than ``MAX_PIECE_CHARS`` (a text of 10,000 figures in one sentence) is the
exception: it is cut every ``FORCED_PIECE_CHARS`` characters after a sentence end, a clause mark
or, failing both, between two characters that are not digits. The figures there keep their
values, offsets and places, but a measure read across such a cut may differ from the whole
sentence's; in exchange the cost stays linear in the size of the text.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from pipeline.model import Document
from pipeline.structure.layout import Layout

WHOLE_CHARS = 8_000
PIECE_CHARS = 3_000
MAX_PIECE_CHARS = 16_000
FORCED_PIECE_CHARS = 2_000
_SENTENCE_ENDS = "。！？!?；;"
_CLOSERS = "”’」』）)】》"
_CLAUSE_MARKS = "，,、：:"


def _ends_sentence(text: str, position: int) -> bool:
    """Whether the text before ``position`` (past spaces and newlines) ends a sentence."""
    index = position - 1
    while index >= 0 and text[index].isspace():
        index -= 1
        if position - index > 64:
            return False
    if index >= 0 and text[index] in _CLOSERS:
        index -= 1
    return index >= 0 and text[index] in _SENTENCE_ENDS


def _table_spans(layout: Layout) -> list[tuple[int, int]]:
    tables: dict[int, list[int]] = defaultdict(lambda: [1 << 62, -1])
    for cell in layout.cells:
        span = tables[cell.table]
        span[0], span[1] = min(span[0], cell.start), max(span[1], cell.end)
    return sorted((start, end) for start, end in tables.values())


def cut_points(document: Document, layout: Layout) -> tuple[list[int], set[int]]:
    """Offsets where a piece may start, sorted, and those of them where a section starts."""
    text = document.text
    tables = _table_spans(layout)
    table_starts = [start for start, _ in tables]
    section_starts = {s.start for s in layout.sections}
    points: list[int] = []
    strong: set[int] = set()
    for block in document.blocks:
        position = block.start
        if position <= 0 or position >= len(text) or text[position - 1] != "\n" or block.kind not in ("paragraph", "heading"):
            continue
        at = bisect.bisect_right(table_starts, position) - 1
        if at >= 0 and tables[at][0] < position < tables[at][1]:
            continue  # inside a table
        if not _ends_sentence(text, position):
            continue
        points.append(position)
        stripped = position + len(text[position : block.end]) - len(text[position : block.end].lstrip())
        if stripped in section_starts or position in section_starts:
            strong.add(position)
    points = sorted(set(points))
    return points, strong


def _forced_cut(text: str, start: int, limit: int) -> int:
    """A cut inside one long paragraph, at most ``limit``: after a sentence end, else after a
    clause mark (not a thousands comma), else between two characters that are not digits."""
    floor = start + (limit - start) // 2
    for marks in (_SENTENCE_ENDS, _CLAUSE_MARKS):
        for position in range(limit, floor, -1):
            if text[position - 1] in marks and not (text[position - 1] == "," and text[position - 2 : position - 1].isdigit() and text[position : position + 1].isdigit()):
                return position
    position = limit
    while position > floor and (text[position - 1].isdigit() or text[position].isdigit() or text[position - 1] in ".,"):
        position -= 1
    return position if position > floor else limit


def piece_ranges(document: Document, layout: Layout, target: int = PIECE_CHARS, whole: int = WHOLE_CHARS,
                 longest: int = MAX_PIECE_CHARS, forced: int = FORCED_PIECE_CHARS) -> list[tuple[int, int]]:
    """The pieces of ``document`` as [start, end) ranges covering its text, in order."""
    text = document.text
    length = len(text)
    if length <= whole:
        return [(0, length)]
    points, strong = cut_points(document, layout)
    pieces: list[tuple[int, int]] = []
    start = 0
    inside_paragraph = False  # the last cut was forced, inside a paragraph
    while length - start > target:
        low = bisect.bisect_right(points, start)
        cut = None
        if inside_paragraph:
            # Go on cutting the long paragraph until it ends.
            cut = points[low] if low < len(points) and points[low] - start <= forced else None
        else:
            near = bisect.bisect_left(points, start + target // 2, low)
            far = bisect.bisect_right(points, start + target, low)
            beyond = bisect.bisect_right(points, start + longest, low)
            window = points[near:far]
            cut = next((p for p in reversed(window) if p in strong), None) or (window[-1] if window else None)
            if cut is None and far < beyond:
                cut = points[far]  # the paragraph runs past the target: end the piece with it
            if cut is None and low < near:
                cut = points[near - 1]  # a long paragraph follows: let it start a piece of its own
            if cut is None and far == len(points) and length - start <= longest:
                break  # the paragraph runs to the end of the text: the last piece
        inside_paragraph = cut is None
        if cut is None:
            cut = _forced_cut(text, start, min(length - 1, start + forced))
        if cut <= start or cut >= length:
            break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, length))
    return pieces
