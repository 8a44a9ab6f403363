"""Where the subject of a sentence or clause can stand.

A reader takes 礼泉县 as the subject of 1、礼泉县完成…, of 截至6月底，礼泉县完成… and of
从经济总量看，长垣市完成…: enumerators, time phrases, connectives and topic frames may open a
sentence before its subject. Those openers are data (``rules/subject_openers.tsv``).
"""

from __future__ import annotations

import regex

from pipeline.structure.structure_rules import StructureRules

_AFTER_OPENER = regex.compile(r"[，,：:、\s]*")
_MAX_OPENERS = 3


class SubjectOpeners:
    def __init__(self, patterns: tuple[str, ...], frames: StructureRules | None = None) -> None:
        self.patterns = [regex.compile(pattern) for pattern in patterns]
        self.frames = frames  # the topic and period frames of rules/section_frames.tsv open sentences too

    def _opener(self, text: str, position: int, end: int) -> int:
        """Where the opener at ``position`` ends, or ``position`` if none opens there."""
        ends = [m.end() for pattern in self.patterns if (m := pattern.match(text, position, end))]
        if self.frames:
            ends += [f.end for kind in ("topic", "period") if (f := self.frames.frame_at(text, position, kind, end))]
        return max(ends, default=position)

    def subject_starts(self, text: str, start: int, end: int | None = None) -> list[int]:
        """Offsets where the subject may begin, nearest first: ``start`` itself, then after each
        opener in turn (1、截至6月底，眉县… gives three)."""
        end = len(text) if end is None else end
        offsets = [start]
        position = start
        for _ in range(_MAX_OPENERS):
            opener_end = self._opener(text, position, end)
            if opener_end == position:
                break
            position = _AFTER_OPENER.match(text, opener_end, end).end()
            offsets.append(position)
        return offsets
