"""Mending paragraphs that a page break or a hard line wrap cut in two."""

from __future__ import annotations

import regex

from pipeline.ingest.raw import RawBlock

# A block ending like this stops mid-sentence, so the next block continues it.
_OPEN_END = regex.compile(r"[\p{Han}\p{L}\p{N}，、（“‘《〈【—\-:：,(]\s*$")
# A block opening like this starts something new even after an open end.
NUMBERED_HEADING = regex.compile(
    r"^\s*(第[一二三四五六七八九十]+[，、是部分章节]|[一二三四五六七八九十]+[、．.]|"
    r"[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、．.](?!\d)|[（(]\d{1,2}[）)])"
)
# A short label and a colon open a line of its own (呈：, 送：, 附件：).
_LABEL = regex.compile(r"^\p{Han}{1,4}\s*[:：]")
# An issue line opens the next issue's masthead (a compilation's 发：… line, then 第 12 期).
_ISSUE_LINE = regex.compile(r"^\s*(?:[0-9]{4}\s*年\s*)?(?:总\s*)?第\s*[0-9〇零一二三四五六七八九十百]+\s*期\s*$")
_INNER_PUNCTUATION = regex.compile(r"[，。；、,;]")
# Blocks shorter than a printed line that end without punctuation are captions, dates or
# metadata lines, not the first half of a paragraph.
_MIN_CUT_LENGTH = 18


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def continues(previous: RawBlock, following: RawBlock) -> bool:
    """Whether ``following`` is the rest of the paragraph ``previous`` started."""
    if previous.kind != "paragraph" or following.kind != "paragraph":
        return False
    if following.indented:
        return False
    text = previous.text.rstrip()
    if not text or not _OPEN_END.search(text):
        return False
    # A line cut inside brackets ("（通讯员张三" / "李四）…") goes on in the next one.
    open_punctuation = text.endswith(("，", "、", "“", "《", "（", "：", ",")) or _unclosed(text)
    if not open_punctuation and (len(text) < _MIN_CUT_LENGTH or not _INNER_PUNCTUATION.search(text)):
        # Mastheads, titles, signatures and dates carry no inner punctuation; body text does.
        return False
    head = following.text.lstrip()
    if not head or NUMBERED_HEADING.match(head) or _LABEL.match(head) or _ISSUE_LINE.match(head):
        return False
    first_bold = next((bold for piece, bold in following.pieces if piece.strip()), False)
    return not first_bold


_MASTHEAD_LINE_MAX = 30
_MASTHEAD_REACH = 2  # lines a publication's name and its publisher stand above the issue line


def _masthead_tops(blocks: list[RawBlock]) -> set[int]:
    """Blocks that open a masthead: an issue line (第 12 期), and the short lines without inner
    punctuation right above it (组工信息, 阜阳市人力资源和社会保障局 / 情况通报). In a file of
    several issues the line before them is the last of the previous issue (发：…单位), which
    they never continue."""
    tops: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind != "paragraph" or not _ISSUE_LINE.match(block.text):
            continue
        tops.add(index)
        for above in range(index - 1, max(-1, index - 1 - _MASTHEAD_REACH), -1):
            line = blocks[above].text.strip()
            if blocks[above].kind != "paragraph" or not line or len(line) > _MASTHEAD_LINE_MAX or _INNER_PUNCTUATION.search(line) or regex.search(r"[0-9]", line):
                break
            tops.add(above)
    return tops


def rejoin(blocks: list[RawBlock]) -> list[list[RawBlock]]:
    """Group raw blocks into paragraphs: each group is the blocks of one paragraph."""
    groups: list[list[RawBlock]] = []
    tops = _masthead_tops(blocks)
    for index, block in enumerate(blocks):
        if groups and index not in tops and continues(groups[-1][-1], block):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups
