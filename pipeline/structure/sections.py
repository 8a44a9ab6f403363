"""Sections: where each opens and ends (offset ranges of the text, which may start inside a
paragraph), its heading and its short label.

What opens a section, strongest first (see ``headings`` and ``inline_sections``):

1. headings: heading blocks, bold leads, numbered lines, short lines between paragraphs,
   appendix lines, and enumerations inside paragraphs (一是…。二是…);
2. lead sentences of documents that lost their bold (沉着应对、同心战疫，人民健康有效保障。);
3. in documents without headings only: topic frames (从经济总量看，) and reporting periods
   (1-11月份，) opening paragraphs.

A document without any heading has one section labelled by its title (until a frame or lead
opens another). In a document with headings the text before the first one — a bulletin's
opening paragraph under its title — is labelled as its preamble (``rules/section_frames.tsv``).
Both open at the title where it is written (above the body), so their heading is the title's
own text and the body's first sentence stays prose.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.model import Document
from pipeline.structure.headings import Heading, HeadingFinder
from pipeline.structure.lines import NUMBER_PREFIX
from pipeline.structure.inline_sections import enumerations, frames
from pipeline.structure.structure_rules import StructureRules, default_structure_rules

# Kinds that make a document one "with headings" (leads and frames do not).
_STRUCTURAL = {"heading", "bold", "numbered", "line", "appendix", "enumeration"}
# A title's leading issuer or place before a space or colon (武城县林业局 全面推行林长制).
_TITLE_OWNER = regex.compile(r"^\S{2,20}?(?:局|委|办|厅|政府|中心|市|县|区|省|镇|乡|街道)\s*[：:\s]\s*(?=\S)")
_LABEL_MAX = 20


@dataclass
class Section:
    start: int
    end: int
    title: str
    label: str
    level: int
    index: int
    kind: str = "heading"
    # End of the heading's own text when it is written where the section opens; ``start`` when
    # no heading is written there (a frame is part of its sentence; a preamble without a title).
    heading_end: int | None = None

    @property
    def heading_span(self) -> tuple[int, int] | None:
        end = self.start + len(self.title) if self.heading_end is None else self.heading_end
        return (self.start, end) if end > self.start else None


class SectionLabeler:
    def __init__(self, themes: list[tuple[str, str]]) -> None:
        self.themes = [(regex.compile(pattern), label) for pattern, label in themes]

    def label(self, title: str) -> str:
        for pattern, label in self.themes:
            match = pattern.search(title)
            if match:
                return match.groupdict().get("label") or label
        bare = NUMBER_PREFIX.sub("", title).strip()
        return regex.split(r"[，,。；;：:！？!?]", bare)[0][:_LABEL_MAX]

    def title_label(self, title: str) -> str:
        """A document title's label: its subject without the issuer or place before it."""
        subject = _TITLE_OWNER.sub("", title.strip()) or title
        first = subject.split()[0] if subject.split() else subject
        # A title over two lines (or in spaced phrases): its first line is label enough.
        return self.label(first if len(first) >= 4 else subject)


def _body_paragraphs(document: Document, body_start: int, body_end: int) -> list[tuple[int, int, int]]:
    """(block index, start, end) of the body's paragraphs and heading blocks, leading spaces skipped."""
    out = []
    for index, block in enumerate(document.blocks):
        if block.kind in ("paragraph", "heading") and body_start <= block.start < body_end:
            text = document.block_text(block)
            start = block.start + len(text) - len(text.lstrip())
            if start < block.end:
                out.append((index, start, block.end))
    return out


def find_sections(document: Document, body_start: int, body_end: int, labeler: SectionLabeler, title: str = "", rules: StructureRules | None = None,
                  title_start: int = -1) -> list[Section]:
    """``title``: the document's title, written at ``title_start`` (-1: not in the text). A
    section named by the title opens there, so that its heading is the title's own text."""
    rules = rules or default_structure_rules()
    finder = HeadingFinder(document, rules, (body_start, body_end))
    paragraphs = _body_paragraphs(document, body_start, body_end)
    headings: list[Heading] = []
    after_heading = False
    for index, start, end in paragraphs:
        heading = finder.heading(index, after_heading)
        if heading:
            headings.append(heading)
        after_heading = heading is not None and heading.end >= end and heading.kind != "lead"
        if document.blocks[index].kind == "paragraph":
            headings.extend(enumerations(document, start, end, rules))
    structural = any(h.kind in _STRUCTURAL for h in headings)
    if not structural:
        headings.extend(frames(document, [(s, e) for i, s, e in paragraphs if document.blocks[i].kind == "paragraph"], rules, bool(title)))
    first = min((h.start for h in headings), default=body_end)
    if paragraphs and paragraphs[0][1] < first:
        written = 0 <= title_start < body_start and document.text.startswith(title.split()[0], title_start) if title else False
        start, end = (title_start, title_start + len(title)) if written else (body_start, body_start)
        if not structural and title:
            headings.append(Heading(start, title, 1, end, "title", labeler.title_label(title)))
        elif structural and rules.preamble_label:
            # The opening paragraphs under the title (a bulletin's 导语), named by the rules.
            headings.append(Heading(start, title if written else "", 1, end, "preamble", rules.preamble_label))
    return _ranges(sorted(_unique(headings), key=lambda h: h.start), body_end, labeler)


def _unique(headings: list[Heading]) -> list[Heading]:
    """One heading per offset: the first found (a block's own heading before a frame there)."""
    seen: dict[int, Heading] = {}
    for heading in headings:
        seen.setdefault(heading.start, heading)
    return list(seen.values())


def _ranges(headings: list[Heading], body_end: int, labeler: SectionLabeler) -> list[Section]:
    sections: list[Section] = []
    for number, heading in enumerate(headings, start=1):
        end = headings[number].start if number < len(headings) else body_end
        label = heading.label or labeler.label(heading.title)
        sections.append(Section(heading.start, end, heading.title, label, heading.level, number, heading.kind, heading.end))
    return sections
