"""Chars of a page grouped into text lines, each with its bold runs and its geometry.

Spaces are only put where the PDF draws a space glyph, where a gap separates two Latin words or
numbers, or where a gap is wide enough to separate fields (单位 …… 日期 on one line). A gap
between two CJK chars or between a number and its unit is justification, not a word boundary
(PITFALLS: pdfplumber's own extraction puts spaces there). For finding tables that a text kept
only as lines, ``Line.cells_text`` reads a line the other way: every space glyph kept, and the
gap a tab leaves as a tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from pipeline.ingest.pdf.chars import Char

Piece = tuple[str, bool]

# Gaps, in ems of the font size: a word space between Latin words, a field separator anywhere.
_WORD_GAP = 0.25
_FIELD_GAP = 1.5
# 禁则: punctuation that may not end a line (it moves down with the next char) or start one
# (it pulls the char before it down too).
_NO_LINE_END = set("“‘（《〈【「『〔")
_NO_LINE_START = set("，。、；：？！”’）》〉】」』〕…—·")
# Chars whose vertical middles are this close (in ems) sit on the same line.
_SAME_LINE = 0.4
# A word processor draws a tab as a gap with no glyph in it, as wide as the next tab stop is far:
# anything from a tenth of an em up. On a line that does not fill its measure (so was not
# justified) a gap is a tab where the regular spacing is none — between two CJK chars, two Latin
# ones, a char and punctuation (a word space is drawn as a glyph, or is wider) — from _TAB_GAP
# ems on. Between an ideograph and a Latin letter or digit a word processor may add a fifth of an
# em (LibreOffice's autospace): there up to 0.05 em is none (kerning), 0.15–0.35 em is one, and a
# gap between those or beyond them is a tab's.
_TAB_GAP = 0.08
_AUTOSPACE = (0.05, 0.15, 0.35)


@dataclass(eq=False)
class Line:
    chars: list[Char]  # left to right, white space included
    page: int
    pieces: list[Piece]
    x0: float  # of the first and last visible chars
    x1: float
    top: float
    bottom: float
    size: float  # the median char size

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def all_bold(self) -> bool:
        return all(bold for text, bold in self.pieces if text.strip())

    def first_word_width(self) -> float:
        """How much room the line's first word needs on the line above: a CJK char, a whole
        Latin word or number (a word processor moves it down whole, 58μg/m3 included), and the
        punctuation that line-breaking rules (禁则) keep with it: an opening quote before it, a
        comma after it."""
        visible = [char for char in self.chars if not char.text.isspace()]
        start = 0
        while start < len(visible) - 1 and visible[start].text in _NO_LINE_END:
            start += 1
        end = start
        if _unbreakable(visible[start].text):
            while end + 1 < len(visible) and _unbreakable(visible[end + 1].text) and not _spaced(visible[end], visible[end + 1]):
                end += 1
        while end + 1 < len(visible) and visible[end + 1].text in _NO_LINE_START:
            end += 1
        if _unbreakable(visible[end].text) and end + 1 < len(visible) and _spaced(visible[end], visible[end + 1]):
            # A Latin word and the space after it: some producers (reportlab) wrap a word whose
            # trailing space does not fit.
            return visible[end + 1].x0 - visible[0].x0
        return visible[end].x1 - visible[0].x0

    def cells_text(self, justified: bool) -> str:
        """The line as ``text_tables`` reads a text's line: white space as drawn (a run of spaces
        stays a run), and a tab stop's gap as a tab. A ``justified`` line (one that fills its
        measure) may have its gaps spread, so there only a field gap counts."""
        visible = [char for char in self.chars if not char.text.isspace()]
        gaps = [b.x0 - a.x1 for a, b in zip(visible, visible[1:])]
        field_gap = _FIELD_GAP * self.size + max(0.0, median(gaps) if gaps else 0.0)
        text: list[str] = []
        previous: Char | None = None
        for char in self.chars:
            if char.text.isspace():
                text.append(" ")
            else:
                if previous is not None and not previous.text.isspace():
                    gap = char.x0 - previous.x1
                    if gap > field_gap or (not justified and _tab_stop(previous.text[-1], char.text[0], gap / char.size)):
                        text.append("\t")
                text.append(char.text)
            previous = char
        return "".join(text).strip()


def _tab_stop(left: str, right: str, gap: float) -> bool:
    """A gap of ``gap`` ems between two chars of an unjustified line is a tab's."""
    if _ideograph(left) != _ideograph(right) and (left.isalnum() and right.isalnum()):
        none, low, high = _AUTOSPACE
        return none < gap < low or gap > high
    return gap > _TAB_GAP


def _ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _unbreakable(text: str) -> bool:
    """Latin, Greek and other alphabetic scripts, digits and their signs: a line may not break
    inside a run of them (CJK and full-width forms break anywhere)."""
    return bool(text) and text[0] < "\u2e80" and text[0] not in _NO_LINE_START and text[0] not in _NO_LINE_END


def _spaced(left: Char, right: Char) -> bool:
    return right.x0 - left.x1 > _WORD_GAP * right.size


def group_lines(chars: list[Char], page: int) -> list[Line]:
    """Cluster chars into lines, top to bottom."""
    rows: list[list[Char]] = []
    middle = 0.0
    for char in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if rows and abs(char.middle - middle) <= _SAME_LINE * max(char.size, rows[-1][0].size):
            rows[-1].append(char)
        else:
            rows.append([char])
            middle = char.middle
    lines = [_make_line(sorted(row, key=lambda c: c.x0), page) for row in rows]
    return [line for line in lines if line is not None]


def _make_line(chars: list[Char], page: int) -> Line | None:
    visible = [char for char in chars if not char.text.isspace()]
    if not visible:
        return None
    size = median(char.size for char in visible)
    # Justification spreads every gap of a line alike; a field gap stands out from the rest.
    gaps = [b.x0 - a.x1 for a, b in zip(visible, visible[1:])]
    field_gap = _FIELD_GAP * size + max(0.0, median(gaps) if gaps else 0.0)
    pieces: list[Piece] = []
    previous: Char | None = None
    for char in chars:
        if previous is not None and not char.text.isspace() and not previous.text.isspace():
            gap = char.x0 - previous.x1
            latin = previous.text[-1].isascii() and char.text[0].isascii()
            if gap > field_gap or (latin and gap > _WORD_GAP * size):
                _append(pieces, " ", previous.bold and char.bold)
        text = " " if char.text.isspace() else char.text
        if not (text == " " and (not pieces or pieces[-1][0].endswith(" "))):
            _append(pieces, text, char.bold)
        previous = char
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return Line(
        chars=chars,
        page=page,
        pieces=pieces,
        x0=visible[0].x0,
        x1=max(char.x1 for char in visible),
        top=min(char.top for char in visible),
        bottom=max(char.bottom for char in visible),
        size=size,
    )


def _append(pieces: list[Piece], text: str, bold: bool) -> None:
    if pieces and pieces[-1][1] == bold:
        pieces[-1] = (pieces[-1][0] + text, bold)
    else:
        pieces.append((text, bold))


def join_pieces(left: list[Piece], right: list[Piece]) -> list[Piece]:
    """Pieces of two wrapped lines as one run of text: CJK joins directly, a Latin word or
    number cut by the wrap gets its space back."""
    if not left:
        return list(right)
    if not right:
        return list(left)
    joined = list(left)
    tail, head = left[-1][0], right[0][0]
    if tail and head and tail[-1].isascii() and tail[-1].isalnum() and head[0].isascii() and head[0].isalnum():
        _append(joined, " ", left[-1][1] and right[0][1])
    for text, bold in right:
        _append(joined, text, bold)
    return joined
