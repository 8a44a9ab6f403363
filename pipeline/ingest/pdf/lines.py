"""Chars of a page grouped into text lines, each with its bold runs and its geometry.

Spaces are only put where the PDF draws a space glyph, where a gap separates two Latin words or
numbers, or where a gap is wide enough to separate fields (单位 …… 日期 on one line). A gap
between two CJK chars or between a number and its unit is justification, not a word boundary
(PITFALLS: pdfplumber's own extraction puts spaces there): gaps are measured against the
line's own spread, so a line that WPS stretched (号 ， 邮 编 ： 223100) keeps its words and
numbers whole, and a label spread over its width (一、综　　合, 林　　业, 水 产 品: a
single CJK char on one side of the gap) reads as one word. A footnote marker set small after
the text it annotates (生产总值[2]1329.65亿元, or a bare superscript 2) stays a marker of its
own: a bare one is bracketed, so it never runs into the figure after it. Chars of a
vertical-writing font are read as columns, top to bottom, right to left. For finding tables
that a text kept only as lines, ``Line.cells_text`` reads a line the other way: every space
glyph kept, and the gap a tab leaves as a tab.
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
# Letter spacing: gaps on both sides of a single CJK char in a run of such gaps; one this many
# times as wide as the narrowest of its run (plus half an em) still separates words (张 三　李 四).
_LETTER_SPACING_RATIO = 1.5
# A footnote marker printed without brackets: at most this many digits, set at most this share
# of the line's size, on or above its baseline (below it, a subscript), after text that is no
# Latin word, number or point (m², 10³ and PM₂.₅ are exponents and subscripts).
_MARKER_DIGITS = 3
_MARKER_SCALE = 0.8
_SOFT_HYPHEN = "\u00ad"


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
    vertical: bool = False  # a column of a vertical-writing font, its chars top to bottom

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
    """Cluster chars into lines, top to bottom; a vertical-writing font's chars into columns,
    each read where it starts."""
    vertical = [char for char in chars if char.vertical]
    if vertical:
        chars = [char for char in chars if not char.vertical]
    rows: list[list[Char]] = []
    middle = 0.0
    for char in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if rows and abs(char.middle - middle) <= _SAME_LINE * max(char.size, rows[-1][0].size):
            rows[-1].append(char)
        else:
            rows.append([char])
            middle = char.middle
    lines = [line for line in (_make_line(sorted(row, key=lambda c: c.x0), page) for row in rows) if line is not None]
    if not vertical:
        return lines
    merged: list[Line] = []
    columns = _columns(vertical, page)  # top to bottom, right to left
    for line in lines:
        while columns and columns[0].top < line.middle:
            merged.append(columns.pop(0))
        merged.append(line)
    return merged + columns


def _columns(chars: list[Char], page: int) -> list[Line]:
    """Vertical-writing chars as columns: chars under one another, top to bottom; a column
    that starts level with the one to its right and stands next to it goes on from it (columns
    are read right to left)."""
    stacks: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: -(c.x0 + c.x1) / 2):
        if stacks and (stacks[-1][-1].x0 + stacks[-1][-1].x1) / 2 - (char.x0 + char.x1) / 2 <= 0.4 * char.size:
            stacks[-1].append(char)
        else:
            stacks.append([char])
    columns: list[list[Char]] = []
    for stack in stacks:
        stack.sort(key=lambda c: c.top)
        columns.append([stack[0]])
        for char in stack[1:]:
            if char.top - columns[-1][-1].bottom <= char.size:
                columns[-1].append(char)
            else:
                columns.append([char])
    runs: list[list[list[Char]]] = []
    for column in columns:
        if not any(not char.text.isspace() for char in column):
            continue
        previous = runs[-1][-1] if runs else None
        level = previous is not None and abs(column[0].top - previous[0].top) <= column[0].size
        if level and previous[0].x0 - column[0].x1 <= column[0].size:
            runs[-1].append(column)
        else:
            runs.append([column])
    lines = []
    for run in runs:
        run_chars = [char for column in run for char in column]
        visible = [char for char in run_chars if not char.text.isspace()]
        pieces: list[Piece] = []
        for char in visible:
            _append(pieces, char.text, char.bold)
        lines.append(Line(
            chars=run_chars, page=page, pieces=pieces,
            x0=min(char.x0 for char in visible), x1=max(char.x1 for char in visible),
            top=min(char.top for char in visible), bottom=max(char.bottom for char in visible),
            size=median(char.size for char in visible), vertical=True,
        ))
    return sorted(lines, key=lambda line: (line.top, -line.x1))


def _make_line(chars: list[Char], page: int) -> Line | None:
    visible = [char for char in chars if not char.text.isspace()]
    if not visible:
        return None
    size = median(char.size for char in visible)
    spaced = _spaced_before(chars, size)
    markers = _markers(visible, size)
    pieces: list[Piece] = []
    last = visible[-1]
    for index, char in enumerate(chars):
        if char.text.isspace():
            continue
        if index in spaced and pieces:
            _append(pieces, " ", chars[spaced[index]].bold and char.bold)
        text = char.text
        if text == _SOFT_HYPHEN and char is not last:
            text = "-"  # drawn inside a line it is a hyphen; at the end of one, a word goes on
        bracket = markers.get(id(char), "")
        if bracket in ("open", "both"):
            _append(pieces, "[", char.bold)
        _append(pieces, text, char.bold)
        if bracket in ("close", "both"):
            _append(pieces, "]", char.bold)
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


def _ideograph_char(char: Char) -> bool:
    return len(char.text) == 1 and _ideograph(char.text)


def _spaced_before(chars: list[Char], size: float) -> dict[int, int]:
    """Index of each visible char that a space separates from the visible char before it → the
    index of that char. A space glyph, a gap wider than a field's, or one between two Latin
    words wider than a word space, each measured beyond the spread that justification put into
    every gap of the line; but no gap of a letter-spaced run of CJK chars."""
    positions = [index for index, char in enumerate(chars) if not char.text.isspace()]
    gaps = [chars[b].x0 - chars[a].x1 for a, b in zip(positions, positions[1:])]
    spread = max(0.0, median(gaps)) if gaps else 0.0
    field_gap, word_gap = _FIELD_GAP * size + spread, _WORD_GAP * size + spread
    spaced: dict[int, int] = {}
    for a, b, gap in zip(positions, positions[1:], gaps):
        left, right = chars[a], chars[b]
        latin = left.text[-1].isascii() and right.text[0].isascii()
        if b > a + 1 or gap > field_gap or (latin and gap > word_gap):
            spaced[b] = a
    if spaced:
        _drop_letter_spacing(chars, positions, spaced, size)
    return spaced


def _drop_letter_spacing(chars: list[Char], positions: list[int], spaced: dict[int, int], size: float) -> None:
    """Remove, in place, the spaces of a label spread over its width: gaps between two CJK
    chars where the char on one side stands alone between gaps (一、综　　合, 水 产 品), unless
    the gap is much wider than the narrowest of its run (a word boundary: 张 三　　李 四)."""
    gaps = sorted(spaced)
    order = {index: k for k, index in enumerate(positions)}
    bounds = [0, *(order[gap] for gap in gaps), len(positions)]
    runs: list[list[int]] = [[]]
    for k, gap in enumerate(gaps):
        alone = bounds[k + 1] - bounds[k] == 1 or bounds[k + 2] - bounds[k + 1] == 1
        if alone and _ideograph_char(chars[spaced[gap]]) and _ideograph_char(chars[gap]):
            runs[-1].append(gap)
        elif runs[-1]:
            runs.append([])
    for run in runs:
        widths = {gap: chars[gap].x0 - chars[spaced[gap]].x1 for gap in run}
        narrowest = min(widths.values(), default=0.0)
        for gap, width in widths.items():
            if width <= _LETTER_SPACING_RATIO * narrowest + 0.5 * size:
                del spaced[gap]


def _small_number_char(char: Char, size: float) -> bool:
    return (_ascii_digit(char.text) or char.text in ".,") and char.size <= _MARKER_SCALE * size


def _markers(visible: list[Char], size: float) -> dict[int, str]:
    """Footnote markers set small after text: the id of the first and of the last char of each
    bare one (printed without brackets) → "open", "close" or "both": where it gets brackets,
    so that 生产总值²1329.65亿元 reads 生产总值[2]1329.65亿元, not 21329.65 (a marker printed
    in brackets, circled or starred needs none). A small number (PM₂.₅), one after a Latin
    letter, a digit or a point (m², 10³), or one set below the baseline is no marker."""
    if all(char.size > _MARKER_SCALE * size for char in visible):
        return {}
    normal = [char.baseline for char in visible if char.size > _MARKER_SCALE * size and char.baseline]
    baseline = median(normal) if normal else 0.0
    brackets: dict[int, str] = {}
    index = 1
    while index < len(visible):
        start = index
        while index < len(visible) and _small_number_char(visible[index], size):
            index += 1
        if index == start:
            index += 1
            continue
        run, before = visible[start:index], visible[start - 1]
        lowered = baseline and run[0].baseline and run[0].baseline > baseline + 0.1 * size
        if (
            len(run) <= _MARKER_DIGITS
            and before.size > _MARKER_SCALE * size
            and not (before.text[-1].isascii() and (before.text[-1].isalnum() or before.text[-1] in "./"))
            and not lowered
            and all(_ascii_digit(char.text) for char in run)
        ):
            brackets[id(run[0])] = "open"
            brackets[id(run[-1])] = "close" if len(run) > 1 else "both"
    return brackets


def _append(pieces: list[Piece], text: str, bold: bool) -> None:
    if pieces and pieces[-1][1] == bold:
        pieces[-1] = (pieces[-1][0] + text, bold)
    else:
        pieces.append((text, bold))


def join_pieces(left: list[Piece], right: list[Piece], *, cut: bool = False) -> list[Piece]:
    """Pieces of two wrapped lines as one run of text: CJK joins directly, a Latin word or
    number that the wrap parted from the next one gets its space back — unless the wrap
    ``cut`` a number in two (``cuts_number``)."""
    if not left:
        return list(right)
    if not right:
        return list(left)
    joined = list(left)
    tail, head = left[-1][0], right[0][0]
    if not cut and tail and head and tail[-1].isascii() and tail[-1].isalnum() and head[0].isascii() and head[0].isalnum():
        _append(joined, " ", left[-1][1] and right[0][1])
    for text, bold in right:
        _append(joined, text, bold)
    return joined


def cuts_number(previous: Line, line: Line, right: float) -> bool:
    """The wrap from ``previous`` to ``line`` fell inside a number (958 | 7人 is 9587人): WPS
    and Word break a run of digits at the margin when Latin text may wrap inside a word
    (允许西文在单词中间换行). Then the room ``previous`` left — its gap to the ``right`` margin
    plus what justification spread between its chars — is narrower than the digit that went
    down; a wrap at a space leaves room for it (the whole word after the space did not fit)
    or a space glyph at the end of the line."""
    if previous.vertical or line.vertical or not previous.chars or previous.chars[-1].text.isspace():
        return False
    tail = previous.chars[-1]
    head = next((char for char in line.chars if not char.text.isspace()), None)
    if head is None or not (_ascii_digit(tail.text[-1]) and _ascii_digit(head.text[0])):
        return False
    spread = sum(max(0.0, b.x0 - a.x1) for a, b in zip(previous.chars, previous.chars[1:]))
    return right - previous.x1 + spread < (head.x1 - head.x0) + 0.1 * head.size


def _ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"
