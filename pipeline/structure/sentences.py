"""Sentence and clause boundaries in Chinese official prose."""

from __future__ import annotations

import regex

_SENTENCE_END = regex.compile(r"[。！？!?；;]+[”’」』）)]*|\n")
_CLAUSE_END = regex.compile(r"[，,：:。！？!?；;\n]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute spans, terminators included."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[position : match.end()].strip():
            spans.append((position, match.end()))
        position = match.end()
    if position < end and text[position:end].strip():
        spans.append((position, end))
    return spans


def clause_start(text: str, offset: int, floor: int) -> int:
    """Where the clause holding ``offset`` begins (not before ``floor``)."""
    for position in range(offset - 1, floor - 1, -1):
        if _CLAUSE_END.match(text, position):
            return position + 1
    return floor


def clause_end(text: str, offset: int, ceiling: int) -> int:
    match = _CLAUSE_END.search(text, offset, ceiling)
    return match.start() if match else ceiling
