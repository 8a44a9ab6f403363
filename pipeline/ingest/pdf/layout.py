"""Page furniture and the document's typographic geometry, measured over all pages.

Headers and footers are not a PDF concept: they are lines repeated at the same place on most
pages (the running 简报 name, the rule under it) and 公文 page numbers (— 3 —, -3-, —3—, –– 3 ––,
第3页), on whichever side of the page; a number set larger than its dashes, on a baseline of its
own, may come out as two lines (3 above — —) and is one page number all the same. The
geometry — body font size, left and right text margins, line pitch — is what tells a wrapped
line from a paragraph's last line, and a first-line indent from a continuation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from pipeline.ingest.pdf.lines import Line
from pipeline.ingest.pdf.tables import FoundTable, Rule

# — 3 —, -3-, ·3·, 3, 第3页, 第 3 页 共 9 页, 3/9, Page 3 of 9.
PAGE_NUMBER = re.compile(
    r"^[\s\-–—－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-–—－_·•]*$"
    r"|^\s*page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\s*$",
    re.IGNORECASE,
)
# A bare number is a page number only where it counts the pages: equal to the page's number, or
# off by the same amount on several pages (a bulletin numbered on from an earlier issue); and
# only as the page's outermost line once its running header and footer are set aside. A number
# alone on a line inside that may be a cell of a table flattened one cell a line.
_BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
# A line that is nothing but a number (a page number, a table's cell) is no running header
# whose numbers change from page to page: it repeats only as the same text.
_NUMBER_ONLY = re.compile(r"^[\d.,%+\-−]+$")
# Furniture lives in the outer part of the page, among the first and last few lines.
_MARGIN_ZONE = 0.25
_EDGE_LINES = 3
# A line or rule repeated on this share of the pages (at least two) is furniture.
_REPEATED_SHARE = 0.5
_HEADING_SCALE = 1.15  # a line this much larger than the body text is a heading
# Slack, in ems, for the estimate of the right margin in the wrapped-line test.
_WRAP_SLACK = 0.3
# Continuation lines start at the left margin. When most paragraphs are a single line (a list
# of short items, headings, a masthead), their indented first lines outnumber the continuation
# lines; a start this many ems left of the most common one that holds this share of the body's
# characters is then the margin.
_MAX_INDENT = 4.0
_MARGIN_SHARE = 0.1
# Lines that fill less than this share of the page's width between mirrored margins are not
# full lines; the right margin is then put this many ems inside the mirror of the left one.
_FULL_SHARE = 0.6
_MIRRORED_SLACK = 2.0


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    tables: list[FoundTable] = field(default_factory=list)


@dataclass
class Geometry:
    body_size: float
    left: float  # left text margin: where continuation lines start
    right: float  # right text margin: where full lines end
    pitch: float  # distance between the tops of consecutive lines of a paragraph
    heading_sizes: list[float]  # distinct heading sizes, largest (the title, level 1) first

    def is_indented(self, line: Line) -> bool:
        return line.x0 - self.left >= 0.8 * line.size

    def is_centred(self, line: Line) -> bool:
        """Set off from both margins by about the same amount (an indented full line is not)."""
        left_gap, right_gap = line.x0 - self.left, self.right - line.x1
        return min(left_gap, right_gap) > 1.5 * line.size and abs(left_gap - right_gap) < line.size

    def ends_early(self, line: Line) -> bool:
        """Room was left for another character at the end of ``line``: it was not wrapped."""
        return line.x1 + line.size < self.right - _WRAP_SLACK * line.size

    def wraps_into(self, previous: Line, line: Line) -> bool:
        """``previous`` ended because the next word did not fit: it is a wrapped line."""
        return previous.x1 + line.first_word_width() >= self.right - _WRAP_SLACK * previous.size

    def heading_level(self, line: Line, following: Line | None) -> int:
        """1 for the largest size, 2 for the next …; 0 for body text. A centred all-bold line of
        body size (a 小标宋/黑体 subtitle) comes after every larger size — unless it wraps into
        the line below: then it is a bold lead sentence that 禁则 pushed off the margin."""
        if line.size >= self.body_size * _HEADING_SCALE:
            return 1 + min(range(len(self.heading_sizes)), key=lambda i: abs(self.heading_sizes[i] - line.size))
        if abs(line.size - self.body_size) < 0.5 and line.all_bold and self.is_centred(line):
            if following is None or self.is_indented(following) or not self.wraps_into(line, following):
                return len(self.heading_sizes) + 1
        return 0


def _in_margin_zone(line: Line | Rule, page: PageContent) -> bool:
    return line.top < _MARGIN_ZONE * page.height or line.top > (1 - _MARGIN_ZONE) * page.height


def _edge_lines(page: PageContent) -> list[Line]:
    """The first and last few lines of the page, if they lie in its outer part."""
    count = len(page.lines)
    edges = [line for i, line in enumerate(page.lines) if i < _EDGE_LINES or i >= count - _EDGE_LINES]
    return [line for line in edges if _in_margin_zone(line, page)]


def _furniture_key(line: Line) -> str:
    """Running headers differ only in their numbers (第3页, 2023年第5期 …)."""
    text = re.sub(r"\s+", "", line.text)
    return text if _NUMBER_ONLY.match(text) else re.sub(r"\d+", "#", text)


def drop_furniture(pages: list[PageContent]) -> None:
    """Remove running headers, footers, page numbers and repeated rules, in place."""
    needed = max(2, math.ceil(_REPEATED_SHARE * len(pages)))
    seen: dict[str, list[tuple[int, float]]] = {}
    for page in pages:
        for line in _edge_lines(page):
            seen.setdefault(_furniture_key(line), []).append((page.number, line.top))

    def repeated(line: Line) -> bool:
        tops = seen.get(_furniture_key(line), [])
        return len({number for number, top in tops if abs(top - line.top) <= 0.5 * line.size + 2}) >= needed

    furniture = {id(line) for page in pages for line in _edge_lines(page) if repeated(line)}
    outermost: dict[int, list[Line]] = {}  # page → its first and last lines that are no running furniture
    for page in pages:
        rest = [line for line in page.lines if id(line) not in furniture]
        outermost[page.number] = [line for line in rest[:1] + rest[-1:] if _in_margin_zone(line, page)]

    offsets: dict[int, set[int]] = {}  # a bare number minus its page's number → the pages
    for page in pages:
        for line in outermost[page.number]:
            bare = _BARE_NUMBER.match(line.text)
            if bare:
                offsets.setdefault(int(bare.group(1)) - page.number, set()).add(page.number)

    def page_number(line: Line, page: PageContent) -> bool:
        if not PAGE_NUMBER.match(line.text):
            return False
        bare = _BARE_NUMBER.match(line.text)
        if not bare:
            return True  # — 3 —, 第3页, 3/9: no text looks like that
        offset = int(bare.group(1)) - page.number
        return line in outermost[page.number] and (offset == 0 or len(offsets.get(offset, ())) >= 2)

    rule_tops = [(page.number, rule.top) for page in pages for rule in page.rules if _in_margin_zone(rule, page)]
    for page in pages:
        dropped = furniture | {id(line) for line in _edge_lines(page) if page_number(line, page)} | _pieced_page_number(page)
        page.lines = [line for line in page.lines if id(line) not in dropped]
        page.rules = [
            rule
            for rule in page.rules
            if not (
                _in_margin_zone(rule, page)
                and len({number for number, top in rule_tops if abs(top - rule.top) <= 2}) >= needed
            )
        ]


def _pieced_page_number(page: PageContent) -> set[int]:
    """The lines of a page number whose pieces two lines hold: neighbours among the page's edge
    lines, one over the other, whose chars read left to right make a page number (— 3 —)."""
    edges = _edge_lines(page)
    pieces: set[int] = set()
    for upper, lower in zip(edges, edges[1:]):
        if lower.top - upper.bottom > max(upper.size, lower.size) or upper.x1 < lower.x0 or lower.x1 < upper.x0:
            continue
        chars = sorted((char for char in upper.chars + lower.chars if not char.text.isspace()), key=lambda char: char.x0)
        text = "".join(char.text for char in chars)
        if PAGE_NUMBER.match(text) and not _BARE_NUMBER.match(text):
            pieces |= {id(upper), id(lower)}
    return pieces


def _left_margin(body: list[Line], body_size: float) -> float:
    """Where continuation lines start: the most common line start, unless a start up to a few
    ems to its left carries a fair share of the text (the wrapped lines of the longer
    paragraphs, while one-line paragraphs set the most common start at the indent)."""
    starts: Counter[int] = Counter(round(line.x0) for line in body)
    common = starts.most_common(1)[0][0]
    chars: Counter[int] = Counter()
    for line in body:
        chars[round(line.x0)] += len(line.chars)
    total = sum(chars.values())
    # Lines starting within a quarter em of each other start at the same place.
    for start in sorted(starts):
        if start >= common - 0.8 * body_size:
            break
        if common - start > _MAX_INDENT * body_size:
            continue
        near = [other for other in starts if abs(other - start) <= 0.25 * body_size]
        if sum(starts[other] for other in near) >= 2 and sum(chars[other] for other in near) >= _MARGIN_SHARE * total:
            return float(max(near, key=lambda other: starts[other]))
    return float(common)


def measure(pages: list[PageContent]) -> Geometry:
    """The body size is the size most text is set in; the left margin is where body lines most
    often start (continuation lines), the right one where the longest tenth of them end."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.chars)
    if not sizes:
        return Geometry(body_size=10.0, left=0.0, right=0.0, pitch=12.0, heading_sizes=[])
    body_size = sizes.most_common(1)[0][0]
    body = [line for page in pages for line in page.lines if abs(line.size - body_size) < 0.5]
    left = _left_margin(body, body_size)
    ends = sorted(line.x1 for line in body)
    right = ends[int(0.9 * (len(ends) - 1))]
    # When hardly any line is full (a table flattened one cell a line, a list of names), even
    # the longest lines end far from the margin: the text column is then taken to be as wide as
    # the page less its left margin on both sides, so that short lines do not look wrapped.
    width = median(page.width for page in pages)
    if right - left < _FULL_SHARE * (width - 2 * left):
        right = width - left - _MIRRORED_SLACK * body_size
    is_body = {id(line) for line in body}
    steps = [
        b.top - a.top
        for page in pages
        for a, b in zip(page.lines, page.lines[1:])
        if id(a) in is_body and id(b) in is_body and 0 < b.top - a.top < 3 * body_size
    ]
    pitch = median(steps) if steps else 1.5 * body_size
    heading_sizes = sorted({size for size in sizes if size >= body_size * _HEADING_SCALE}, reverse=True)
    return Geometry(body_size, left, right, pitch, heading_sizes)
