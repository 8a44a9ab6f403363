"""Sections: numbered headings (一、 （一） 1. 第一，) and bold lead sentences."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.model import Document

_NUMBERED = [
    (regex.compile(r"^\s*[一二三四五六七八九十]+[、．.]"), 1),
    (regex.compile(r"^\s*第[一二三四五六七八九十]+[，、是]|^\s*[一二三四五六七八九十]是"), 2),
    (regex.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]"), 2),
    (regex.compile(r"^\s*\d{1,2}[、．.](?![0-9])"), 3),
    (regex.compile(r"^\s*[（(]\d{1,2}[）)]"), 4),
]
_LEAD_END = regex.compile(r"[。！？：:；]$")
_TITLE_END = regex.compile(r"[。！？；]")
_NUMBER_PREFIX = regex.compile(r"^\s*(第[一二三四五六七八九十]+[，、是]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、．.])\s*")
_MAX_HEADING = 60


@dataclass
class Section:
    start: int
    end: int
    title: str
    label: str
    level: int
    index: int


def _heading_of(document: Document, block_index: int) -> tuple[str, int] | None:
    """The heading a block opens with, and its level, or None for an ordinary paragraph."""
    block = document.blocks[block_index]
    text = document.text[block.start : block.end]
    if block.kind == "heading":
        return text.strip(), max(1, block.level - 1)
    if block.kind != "paragraph":
        return None
    bold_lead = next((span for span in block.bold if span.start == block.start + (len(text) - len(text.lstrip()))), None)
    for pattern, level in _NUMBERED:
        if pattern.match(text):
            if bold_lead and bold_lead.end - bold_lead.start > 2:
                return document.text[bold_lead.start : bold_lead.end], level
            first = _TITLE_END.search(text)
            title = text[: first.end()] if first and first.end() <= _MAX_HEADING else text[:_MAX_HEADING]
            return title.strip(), level
    if bold_lead:
        lead = document.text[bold_lead.start : bold_lead.end]
        if _LEAD_END.search(lead) or (bold_lead.end == block.end and len(lead) >= 6):
            return lead, 1
    return None


class SectionLabeler:
    def __init__(self, themes: list[tuple[str, str]]) -> None:
        self.themes = [(regex.compile(pattern), label) for pattern, label in themes]

    def label(self, title: str) -> str:
        for pattern, label in self.themes:
            match = pattern.search(title)
            if match:
                return match.groupdict().get("label") or label
        bare = _NUMBER_PREFIX.sub("", title).strip()
        return regex.split(r"[，,。；;：:！？]", bare)[0][:20]


def find_sections(document: Document, body_start: int, body_end: int, labeler: SectionLabeler) -> list[Section]:
    sections: list[Section] = []
    for index, block in enumerate(document.blocks):
        if block.start < body_start or block.start >= body_end:
            continue
        heading = _heading_of(document, index)
        if heading is None:
            continue
        title, level = heading
        if sections:
            sections[-1].end = block.start
        sections.append(Section(block.start, body_end, title, labeler.label(title), level, len(sections) + 1))
    return sections
