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
    if not head or NUMBERED_HEADING.match(head) or _LABEL.match(head):
        return False
    first_bold = next((bold for piece, bold in following.pieces if piece.strip()), False)
    return not first_bold


def rejoin(blocks: list[RawBlock]) -> list[list[RawBlock]]:
    """Group raw blocks into paragraphs: each group is the blocks of one paragraph."""
    groups: list[list[RawBlock]] = []
    for block in blocks:
        if groups and continues(groups[-1][-1], block):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups
