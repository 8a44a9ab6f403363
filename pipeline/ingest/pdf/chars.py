"""The characters of a PDF page as flat records, with the evidence of bold pdfplumber leaves out.

pdfplumber's char dicts lack the text render mode (Tr 2 = fill+stroke, the usual synthetic bold)
and the font descriptor's stem width, and its ``dedupe_chars`` throws away the overprinted copies
that are the only trace of fake bold. Here a page subclass hooks the layout device so every char
carries its render mode and font weight hints, and the de-duplication counts copies before it
drops them. Each char also carries whether its font writes vertically (Identity-V and the
other …-V CMaps: its chars stack into columns) and its baseline with the text rise, which tells
a superscript footnote marker from its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pdfminer.layout import LTChar
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# Bit 19 of the font descriptor's Flags: ForceBold (PDF 32000-1, table 123).
_FORCE_BOLD = 1 << 18


@dataclass(slots=True)
class Char:
    """One glyph on a page; coordinates in points from the top-left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str  # font name without the subset prefix
    render_mode: int = 0
    stem_v: float = 0.0  # the descriptor's StemV: a stroke-weight hint, 0 when unknown
    heavy: bool = False  # the descriptor says bold (FontWeight >= 600 or ForceBold)
    copies: int = 1  # how many times the glyph was drawn at (nearly) the same place
    bold: bool = False  # decided later, once the document's body font is known
    vertical: bool = False  # from a vertical-writing font (Identity-V, …-V CMaps): a column, top to bottom
    baseline: float = 0.0  # from the top, like ``top``; 0 when unknown

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _font_hints(font: PDFFont) -> tuple[float, bool]:
    descriptor = getattr(font, "descriptor", None) or {}
    try:
        stem_v = float(resolve1(descriptor.get("StemV", 0)) or 0)
        weight = float(resolve1(descriptor.get("FontWeight", 0)) or 0)
    except (TypeError, ValueError):
        stem_v, weight = 0.0, 0.0
    flags = getattr(font, "flags", 0) or 0
    return stem_v, weight >= 600 or bool(flags & _FORCE_BOLD)


class _RenderModeAggregator(PDFPageAggregatorWithMarkedContent):
    """Copies the text state's render mode and the font's weight hints onto each LTChar."""

    _render_mode = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fonts: dict[PDFFont, tuple[float, bool, bool]] = {}  # font → stem_v, heavy, vertical

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        # render_char is not given the text state, so remember Tr for the chars of this string.
        self._render_mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance = super().render_char(*args, **kwargs)
        item = self.cur_item._objs[-1] if self.cur_item._objs else None
        if isinstance(item, LTChar):
            item.render_mode = self._render_mode  # type: ignore[attr-defined]
            font = args[1] if len(args) > 1 else kwargs["font"]
            hints = self._fonts.get(font)
            if hints is None:
                hints = self._fonts[font] = (*_font_hints(font), font.is_vertical())
            item.stem_v, item.heavy, item.vertical = hints  # type: ignore[attr-defined]
            # The baseline in page space, text rise (Ts: how superscripts are set) included.
            rise = args[4] if len(args) > 4 else kwargs.get("rise", 0)
            item.baseline_y = item.matrix[5] + rise * item.matrix[3]  # type: ignore[attr-defined]
        return advance


class HookedPage(Page):
    """A pdfplumber page whose char dicts also carry ``render_mode``, ``stem_v``, ``heavy``,
    ``vertical`` and ``baseline_y``.

    A subclass rather than a patch of pdfplumber, so other users of pdfplumber in the same
    process are not affected.
    """

    @classmethod
    def of(cls, page: Page) -> HookedPage:
        return cls(page.pdf, page.page_obj, page.page_number, page.initial_doctop)

    @property
    def layout(self):  # type: ignore[override]
        if hasattr(self, "_layout"):
            return self._layout
        device = _RenderModeAggregator(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        interpreter = PDFPageInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as error:  # pdfminer raises many types for a bad page; pdfplumber wraps them too
            raise PdfminerException(error) from error
        self._layout = device.get_result()
        return self._layout

    def process_object(self, obj: Any) -> dict[str, Any]:
        attrs = super().process_object(obj)
        if isinstance(obj, LTChar):
            attrs["render_mode"] = getattr(obj, "render_mode", 0)
            attrs["stem_v"] = getattr(obj, "stem_v", 0.0)
            attrs["heavy"] = getattr(obj, "heavy", False)
            attrs["vertical"] = getattr(obj, "vertical", False)
            attrs["baseline_y"] = getattr(obj, "baseline_y", None)
        return attrs


def page_chars(page: Page) -> list[Char]:
    """The page's upright chars as records, overprinted copies counted and dropped."""
    chars = [
        Char(
            text=c["text"],
            x0=float(c["x0"]),
            x1=float(c["x1"]),
            top=float(c["top"]),
            bottom=float(c["bottom"]),
            size=round(float(c["size"]), 2),
            font=_SUBSET_PREFIX.sub("", str(c.get("fontname", ""))),
            render_mode=int(c.get("render_mode", 0)),
            stem_v=float(c.get("stem_v", 0.0)),
            heavy=bool(c.get("heavy", False)),
            vertical=bool(c.get("vertical", False)),
            baseline=_baseline(c),
        )
        for c in page.chars
        if c.get("upright", True) and c["text"]
    ]
    return dedupe_counting_copies(chars)


def _baseline(char: dict[str, Any]) -> float:
    """The char's baseline, from the top of the page like ``top``: where a superscript stands
    out from its line (raised by a text rise or a matrix of its own) whatever its size."""
    baseline_y = char.get("baseline_y")
    if baseline_y is None:
        return float(char["bottom"])
    return float(char["top"]) + float(char["y1"]) - float(baseline_y)


def dedupe_counting_copies(chars: list[Char]) -> list[Char]:
    """Keep the first of the copies of a glyph drawn at (nearly) the same place, counting them.

    Fake bold offsets the copies by a fraction of a point; two real neighbouring glyphs are a
    glyph's width apart — half an em for most, less for a narrow Latin letter (the two t of
    https) — so a quarter em, or half the glyph's width if that is less, separates the cases.
    Chars are bucketed on a grid of that size, so the search stays linear.
    """
    kept: list[Char] = []
    grid: dict[tuple[str, int, int], list[Char]] = {}
    for char in chars:
        tolerance = max(min(0.25 * char.size, 0.5 * (char.x1 - char.x0)), 0.5)
        cell = (int(char.x0 // tolerance), int(char.top // tolerance))
        original = _find_copy(grid, char, cell, tolerance)
        if original is not None:
            original.copies += 1
            continue
        kept.append(char)
        grid.setdefault((char.text, *cell), []).append(char)
    return kept


def _find_copy(grid: dict[tuple[str, int, int], list[Char]], char: Char, cell: tuple[int, int], tolerance: float) -> Char | None:
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for other in grid.get((char.text, cell[0] + dx, cell[1] + dy), ()):
                if abs(other.x0 - char.x0) < tolerance and abs(other.top - char.top) < tolerance and abs(other.size - char.size) < 0.5:
                    return other
    return None
