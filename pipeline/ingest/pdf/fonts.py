"""Which chars of a PDF are bold, whatever way the producer made them look bold.

Four kinds of evidence: a weight word in the font name (SimHei,Bold; Times-Bold; 粗宋) or in
its descriptor; text render mode 2/6 (fill+stroke); fake bold (the glyph overprinted, counted
in ``Char.copies``); and — the usual case in Chinese official documents (GB/T 9704), where
emphasis is a change of typeface — a heading family (黑体, 楷体, 小标宋) set inside a body of
another family. A family is only emphasis relative to the document's dominant body font: a
bulletin set entirely in 黑体 is not bold throughout. Family names are a hint; when a name says
nothing, a CJK font whose stem width (StemV) is clearly heavier than the body's counts too.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import regex

from pipeline.ingest.pdf.chars import Char

_WEIGHT_WORD = re.compile(r"bold|heavy|black|medium|粗", re.IGNORECASE)
_STYLE_SUFFIX = re.compile(r"[,\-].*$")

# Typeface classes of Chinese fonts by name: pinyin, Chinese and common vendor abbreviations
# (FZ = 方正, ST = 华文). Order matters: 小标宋 and 中宋 before 宋, 仿宋 before 宋.
_CLASSES: list[tuple[str, re.Pattern[str]]] = [
    ("xbs", re.compile(r"xbs|xiaobiao|biaosong|zhongsong|标宋|中宋", re.IGNORECASE)),
    ("fangsong", re.compile(r"fangsong|simfang|fzfs|仿宋", re.IGNORECASE)),
    ("hei", re.compile(r"hei|fzht|黑|gothic|dengxian|等线", re.IGNORECASE)),
    ("kai", re.compile(r"kai|fzkt|楷", re.IGNORECASE)),
    ("song", re.compile(r"song|sun|ming|fzss|宋|明", re.IGNORECASE)),
]
EMPHASIS_CLASSES = {"xbs", "hei", "kai"}
# A CJK family whose name says nothing counts as heavier than the body from this StemV ratio.
_HEAVIER_STEM = 1.25
_HAN = regex.compile(r"\p{Han}")


def font_family(font_name: str) -> str:
    """``ABCDEF+SimHei,Bold`` → ``SimHei``; ``FZXBSJW--GB1-0`` → ``FZXBSJW``; subset prefix and
    style or subset suffixes removed, so the pieces of one typeface compare equal."""
    name = re.sub(r"^[A-Z]{6}\+", "", font_name)
    return _STYLE_SUFFIX.sub("", name) or name


def has_weight_word(font_name: str) -> bool:
    return bool(_WEIGHT_WORD.search(re.sub(r"^[A-Z]{6}\+", "", font_name)))


def typeface_class(family: str) -> str | None:
    for name, pattern in _CLASSES:
        if pattern.search(family):
            return name
    return None


class BoldRules:
    """The document's body font, and from it which fonts set emphasis."""

    def __init__(self, chars: Iterable[Char]) -> None:
        counts: Counter[str] = Counter()
        han: Counter[str] = Counter()
        stems: dict[str, list[float]] = defaultdict(list)
        for char in chars:
            if char.text.isspace():
                continue
            family = font_family(char.font)
            counts[family] += 1
            han[family] += bool(_HAN.match(char.text))
            if char.stem_v:
                stems[family].append(char.stem_v)
        self.body_family = counts.most_common(1)[0][0] if counts else ""
        body_class = typeface_class(self.body_family)
        body_stem = max(stems.get(self.body_family, [0.0]))
        self.emphasis_families = {
            family
            for family, count in counts.items()
            if family != self.body_family
            and han[family] * 2 >= count  # a Latin font for digits inside a 仿宋 body is not emphasis
            and _is_emphasis(typeface_class(family), body_class, max(stems.get(family, [0.0])), body_stem)
        }

        self._bold_fonts: dict[str, bool] = {}

    def _font_is_bold(self, font_name: str) -> bool:
        bold = self._bold_fonts.get(font_name)
        if bold is None:
            bold = has_weight_word(font_name) or font_family(font_name) in self.emphasis_families
            self._bold_fonts[font_name] = bold
        return bold

    def is_bold(self, char: Char) -> bool:
        return (
            char.copies > 1
            or char.render_mode in (2, 6)  # fill+stroke, with or without clipping
            or char.heavy
            or self._font_is_bold(char.font)
        )

    def mark(self, chars: Iterable[Char]) -> None:
        for char in chars:
            char.bold = self.is_bold(char)


def _is_emphasis(font_class: str | None, body_class: str | None, stem: float, body_stem: float) -> bool:
    if font_class is not None:
        return font_class in EMPHASIS_CLASSES and font_class != body_class
    return body_stem > 0 and stem >= _HEAVIER_STEM * body_stem
