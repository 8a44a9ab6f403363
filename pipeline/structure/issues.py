"""Several issues in one file: a compilation (汇编) of a year's issues, or issues pasted one after
another, each under a masthead of its own (第N期, the issuing office, the date).

A masthead is an **issue line** — a short line holding 第N期 (2024年第5期, 总第126期) and no
sentence punctuation — with a date on it or on one of the few masthead lines right below it
(before any prose). The publication's name and its publisher written above the issue line
(组工信息, 阜阳市人力资源和社会保障局 / 情况通报) belong to it too. A file is split only where it
holds two such mastheads or more with prose between them, so a single bulletin — whatever
mentions of 第2期 its text makes — stays one document. Text before the first masthead (a
compilation's cover or foreword) is a part of its own when it holds prose, else part of the
first issue.

Each part is then read as a document of its own (``sub_document``): its own masthead, title,
sections, home region and figures; offsets are mapped back to the file's text, so ``doc_id``,
``char_start``/``char_end`` and ``figure_id`` stay those of the file.
"""

from __future__ import annotations

import bisect
import dataclasses

import regex

from pipeline.model import Document, Span
from pipeline.structure.lines import is_numbered
from pipeline.structure.metadata import _DISTRIBUTION, _ISSUE, _PUBLICATION, _SERIES, Metadata, _find_date, _is_office, _is_prose, _read_masthead_line
from pipeline.structure.structure_rules import StructureRules, default_structure_rules

_ISSUE_LINE_MAX = 40
_SENTENCE = regex.compile(r"[，。；！？,;!?]")
_SPACES = regex.compile(r"\s+")
_YEAR = regex.compile(r"[0-9]{4}年|[〇零一二三四五六七八九]{4}年")
# Masthead lines below the issue line in which its date must stand (issuer, series, date).
_DATE_REACH = 5
# Lines above the issue line that may be its publication's name and publisher.
_PUBLISHER_REACH = 3
_PUBLISHER_MAX = 30


def _line(document: Document, index: int) -> str:
    return _SPACES.sub("", document.block_text(document.blocks[index]))


def _is_line(document: Document, index: int) -> bool:
    return document.blocks[index].kind in ("paragraph", "heading")


def _issue_line(document: Document, index: int) -> bool:
    """第 14 期, 2024年第5期, 总第126期, 第6期 with its date or publisher: the issue number and
    nothing but masthead parts (第二期培训班 names a course)."""
    if not _is_line(document, index):
        return False
    line = _line(document, index)
    if not 0 < len(line) <= _ISSUE_LINE_MAX or _ISSUE.search(line) is None or _SENTENCE.search(line):
        return False
    rest = _ISSUE.sub("", line)
    date = _find_date(rest)
    rest = _YEAR.sub("", rest.replace(date.group(0), "") if date else rest)
    return not rest or _is_office(rest) or _PUBLICATION.search(rest) is not None or _SERIES.match(rest) is not None


def _dated(document: Document, index: int) -> bool:
    """The issue line at ``index`` or a masthead line right below it holds a date."""
    blocks = document.blocks
    if _find_date(_line(document, index)):
        return True
    for later in range(index + 1, min(len(blocks), index + 1 + _DATE_REACH)):
        if not _is_line(document, later) or blocks[later].kind == "heading":
            return False  # the title: the masthead has ended
        line = _line(document, later)
        if _is_prose(line) or is_numbered(line) or _ISSUE.search(line):
            return False
        if _find_date(line):
            return _read_masthead_line(Metadata(), line)
    return False


def _masthead_start(document: Document, index: int, floor: int, rules: StructureRules) -> int:
    """Where the masthead of the issue line ``index`` begins: its publication's name (情况通报,
    组 工 信 息) and, above that, its publisher may stand over it; nothing before ``floor``."""
    start = index
    below_is_publication = False
    for above in range(index - 1, max(floor, index - 1 - _PUBLISHER_REACH), -1):
        if not _is_line(document, above):
            break
        line = _line(document, above)
        if not line or len(line) > _PUBLISHER_MAX or _is_prose(line) or regex.search(r"[0-9]", line) or _DISTRIBUTION.match(line) \
                or rules.line_role(line) == "end":
            break
        publication = _PUBLICATION.search(line) is not None
        if not (publication or (below_is_publication and _is_office(line))):
            break
        start, below_is_publication = above, publication
    return start


def issue_starts(document: Document, rules: StructureRules | None = None) -> list[int]:
    """Block indices where the file's issues (and a front matter with prose) begin; ``[0]`` for
    a file of one issue."""
    rules = rules or default_structure_rules()
    blocks = document.blocks
    mastheads: list[int] = []
    prose_since = False  # prose seen since the last masthead kept
    prose_before_first = False
    for index, block in enumerate(blocks):
        if _issue_line(document, index) and _dated(document, index) and (not mastheads or prose_since):
            mastheads.append(index)
            prose_since = False
            continue
        if block.kind == "paragraph" and _is_prose(_line(document, index)):
            prose_since = True
            if not mastheads:
                prose_before_first = True
    if len(mastheads) < 2:
        return [0]
    starts: list[int] = []
    floor = 0
    for index in mastheads:
        start = _masthead_start(document, index, floor, rules)
        starts.append(start)
        floor = index + 1
    if starts[0] > 0 and not prose_before_first:
        starts[0] = 0  # a cover without prose: part of the first issue
    elif starts[0] > 0:
        starts.insert(0, 0)
    return starts


def issue_ranges(document: Document, rules: StructureRules | None = None) -> list[tuple[int, int]]:
    """The character ranges of the file's issues, in order, covering its whole text."""
    starts = issue_starts(document, rules)
    if len(starts) == 1:
        return [(0, len(document.text))]
    offsets = [document.blocks[index].start for index in starts]
    offsets[0] = 0
    return list(zip(offsets, offsets[1:] + [len(document.text)]))


def sub_document(document: Document, start: int, end: int) -> Document:
    """The part ``text[start:end]`` of a document as a document of its own, offsets counted from
    ``start``: its blocks (those starting inside it), their bold runs and page breaks."""
    if start == 0 and end >= len(document.text):
        return document
    blocks = document.blocks
    first = bisect.bisect_left([b.start for b in blocks], start) if _sorted(blocks) else 0
    part = []
    for block in blocks[first:]:
        if block.start >= end:
            if _sorted(blocks):
                break
            continue
        if block.start < start:
            continue
        part.append(dataclasses.replace(
            block, start=block.start - start, end=min(block.end, end) - start,
            bold=[Span(s.start - start, s.end - start) for s in block.bold],
            page_starts=[(offset - start, page) for offset, page in block.page_starts]))
    pages = {b.page for b in part} | {page for b in part for _, page in b.page_starts}
    return Document(source_file=document.source_file, format=document.format, sha256=document.sha256, text=document.text[start:end],
                    blocks=part, pages=(max(pages) - min(pages) + 1) if pages else 0, status=document.status, error=document.error)


def _sorted(blocks: list) -> bool:
    return all(a.start <= b.start for a, b in zip(blocks, blocks[1:]))
