"""Sections that open inside prose rather than at a heading line.

- **Inline enumerations**: 一是…。二是…。 (also 第一，…第二，… and （一）…（二）…) starting
  sentences in the middle of a paragraph each open a section at that sentence, titled by its
  lead sentence. Only after a full stop: after ：or ； they list items of one sentence
  (存在一些短板：一是…；二是…). A style counts when the paragraph holds two of it in order.
- **Frames**, in documents without headings: a topic frame opening a paragraph or a sentence
  (从经济总量看，… / 在一般公共预算收入方面，…) opens a section labelled by the topic, and a
  reporting period opening a paragraph (1月1日至7月27日，… / 1-11月份，…) one labelled by the
  period. The patterns are data (``rules/section_frames.tsv``).
"""

from __future__ import annotations

import regex

from pipeline.model import Document
from pipeline.normalize.numerals import parse_number
from pipeline.structure.headings import Heading, numbered_title
from pipeline.structure.structure_rules import StructureRules

_ENUMERATORS = [
    regex.compile(r"([一二三四五六七八九十]{1,3})是"),
    regex.compile(r"第([一二三四五六七八九十]{1,3})[，,、]"),
    regex.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]"),
]
_LEVEL = 2
_SENTENCE_END = regex.compile(r"[。！？；;!?]")
_FULL_STOP = regex.compile(r"[。！？!?][”’」』）)]*\s*")
_CLAUSE_END = regex.compile(r"[，,：:。；;！？!?]")
_FRAME_TITLE_MAX = 24
_DIGIT = regex.compile(r"[0-9]")


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where a sentence begins inside ``text[start:end]`` after a full stop."""
    return [m.end() for m in _FULL_STOP.finditer(text, start, end) if m.end() < end]


def enumerations(document: Document, start: int, end: int, rules: StructureRules) -> list[Heading]:
    """Sections opened by enumerators that start sentences inside the paragraph [start, end)."""
    text = document.text
    starts = [start, *sentence_starts(text, start, end)]
    found: list[Heading] = []
    for pattern in _ENUMERATORS:
        hits = [(offset, m) for offset in starts if (m := pattern.match(text, offset, end))]
        numbers = [int(parse_number(m.group(1))) for _, m in hits]
        if len(hits) < 2 or numbers != sorted(set(numbers)):
            continue
        for offset, _ in hits:
            if offset == start:
                continue  # the paragraph's own numbered heading
            sentence_end = _SENTENCE_END.search(text, offset, end)
            title = numbered_title(text[offset : sentence_end.end() if sentence_end else end], rules)
            if title:
                found.append(Heading(offset, title, _LEVEL, offset + len(title), "enumeration"))
    return found


def _tidy(text: str) -> str:
    """Spaces of hard-wrapped lines out of a title: 1 月 1 日 → 1月1日."""
    return regex.sub(r"\s+(?=[\p{Han}\p{N}，,])|(?<=[\p{Han}\p{N}，,])\s+", "", text).strip()


def _period_title(text: str, start: int, frame_end: int, end: int) -> str:
    """A period says when, not what: its title runs on through the clause after it, up to the
    clause's first figure (2021年，我县重点工程项目共30项 → 2021年，我县重点工程项目共)."""
    boundary = _CLAUSE_END.search(text, frame_end, end)
    if boundary is None:
        return _tidy(text[start:frame_end])
    following = _CLAUSE_END.search(text, boundary.end(), end)
    stop = following.start() if following else end
    figure = _DIGIT.search(text, boundary.end(), stop)
    stop = figure.start() if figure else stop
    return _tidy(text[start : min(stop, boundary.end() + _FRAME_TITLE_MAX)]).rstrip("，,")


def frames(document: Document, paragraphs: list[tuple[int, int]], rules: StructureRules, titled: bool) -> list[Heading]:
    """Topic and period frames of a document without headings. In a titled document the title
    already names the whole; a period then opens sections only when periods differ."""
    text = document.text
    topics: list[Heading] = []
    periods: list[Heading] = []
    for start, end in paragraphs:
        period = rules.frame_at(text, start, "period", end)
        if period:
            periods.append(Heading(start, _period_title(text, start, period.end, end), 1, start, "period", period.label))
            continue
        for offset in [start, *sentence_starts(text, start, end)]:
            topic = rules.frame_at(text, offset, "topic", end)
            if topic:
                topics.append(Heading(offset, _tidy(text[offset : topic.end]), 1, offset, "topic", topic.label))
    if titled and len({p.label for p in periods}) < 2:
        periods = []
    return topics + periods
