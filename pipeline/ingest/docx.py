"""DOCX bulletins with python-docx: body paragraphs and tables in document order.

python-docx's ``Document.paragraphs`` and ``.tables`` are two separate lists, so the body XML is
walked instead, keeping a table between the paragraphs around it. Bold is resolved the way Word
shows it: the run's own ``w:b``, else its character style, else the paragraph style (Heading
styles are bold through it), else the document defaults — each style followed up its
``basedOn`` chain. Headers and footers live in other parts and are never read. Pages are only
known where the file says so: Word's ``lastRenderedPageBreak`` marks when present, else
explicit page breaks (``w:br w:type="page"``, pageBreakBefore, section breaks).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from pipeline.ingest.raw import RawBlock, strip_pieces
from pipeline.limits import RATIO_FLOOR_BYTES, Limits
from pipeline.model import DocumentError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Piece = tuple[str, bool]
_FALSE = {"0", "false", "off", "none"}
# Containers whose runs are paragraph text. w:del and w:moveFrom hold deleted text and are
# skipped; drawings (text boxes) are not descended into — their text is stored twice (the
# mc:Choice and the mc:Fallback) and sits outside the reading order.
_RUN_CONTAINERS = {
    f"{W}{name}" for name in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "dir", "bdo")
}
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
# Two or more leading (full-width) spaces: an indent typed by hand instead of set by format.
_TYPED_INDENT = re.compile(r"^[\u3000\u00a0 \t]{2,}")
# What python-docx and the zip/XML layers raise for a damaged package.
_DAMAGED = (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, zlib.error, EOFError)


def _on(element: etree._Element | None) -> bool | None:
    """The value of a toggle property such as ``<w:b/>`` or ``<w:b w:val="0"/>``; None if absent."""
    if element is None:
        return None
    return element.get(f"{W}val", "true").lower() not in _FALSE


def _first_line_indent(ind: etree._Element | None) -> bool | None:
    if ind is None:
        return None
    for attribute in ("firstLineChars", "firstLine", "hanging"):
        value = ind.get(f"{W}{attribute}")
        if value is not None:
            try:
                return attribute != "hanging" and float(value) > 0
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    bold: bool | None
    outline_level: int | None
    first_line_indent: bool | None
    name: str


class _Styles:
    """The styles part reduced to what the reader needs; inheritance is resolved on lookup."""

    def __init__(self, root: etree._Element) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            based_on = style.find(f"{W}basedOn")
            name = style.find(f"{W}name")
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            self._styles[style_id] = _Style(
                based_on=based_on.get(f"{W}val") if based_on is not None else None,
                bold=_on(style.find(f"{W}rPr/{W}b")),
                outline_level=_int(outline.get(f"{W}val")) if outline is not None else None,
                first_line_indent=_first_line_indent(style.find(f"{W}pPr/{W}ind")),
                name=(name.get(f"{W}val", "") if name is not None else "").strip(),
            )
            if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
                self.default_paragraph = style_id
        self.default_bold = _on(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}b"))

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:  # basedOn may loop
            seen.add(style_id)
            yield self._styles[style_id]
            style_id = self._styles[style_id].based_on

    def bold(self, style_id: str | None) -> bool | None:
        return next((style.bold for style in self.chain(style_id) if style.bold is not None), None)

    def first_line_indent(self, style_id: str | None) -> bool:
        return bool(next((s.first_line_indent for s in self.chain(style_id) if s.first_line_indent is not None), False))

    def heading_level(self, style_id: str | None) -> int:
        """From the outline level (what Word's navigation pane uses), else the style's name."""
        for style in self.chain(style_id):
            if style.outline_level is not None:
                return style.outline_level + 1 if style.outline_level < 9 else 0
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if style.name.lower() in _TITLE_NAMES:
                return 1
        return 0


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _BodyReader:
    """Walks the body XML once, emitting blocks for paragraphs and table cells."""

    def __init__(self, styles: _Styles, rendered_breaks: bool) -> None:
        self.styles = styles
        # Word's rendered page breaks, when present, already include the explicit ones:
        # counting both would count explicit breaks twice.
        self.rendered_breaks = rendered_breaks
        self.blocks: list[RawBlock] = []
        self.page = 1
        self.tables = 0

    def read(self, container: etree._Element) -> None:
        for child in container:
            if child.tag == f"{W}p":
                self._paragraph(child)
            elif child.tag == f"{W}tbl":
                self._table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.read(child)

    # -- inline content ------------------------------------------------------------------
    def _inline(self, element: etree._Element, paragraph_bold: bool | None) -> Iterator[Piece | str]:
        """The paragraph's text as pieces, with "line" and "page" markers at breaks."""
        for child in element:
            if child.tag == f"{W}r":
                yield from self._run(child, paragraph_bold)
            elif child.tag in _RUN_CONTAINERS:
                yield from self._inline(child, paragraph_bold)

    def _run(self, run: etree._Element, paragraph_bold: bool | None) -> Iterator[Piece | str]:
        r_pr = run.find(f"{W}rPr")
        bold = _on(r_pr.find(f"{W}b")) if r_pr is not None else None
        if bold is None and r_pr is not None:
            style = r_pr.find(f"{W}rStyle")
            bold = self.styles.bold(style.get(f"{W}val")) if style is not None else None
        if bold is None:
            bold = paragraph_bold if paragraph_bold is not None else bool(self.styles.default_bold)
        for child in run:
            tag = child.tag
            if tag == f"{W}t":
                yield (child.text or "", bold)
            elif tag in (f"{W}tab", f"{W}ptab"):
                yield (" ", bold)
            elif tag == f"{W}noBreakHyphen":
                yield ("-", bold)
            elif tag == f"{W}br" and child.get(f"{W}type") == "page":
                yield "line" if self.rendered_breaks else "page"
            elif tag in (f"{W}br", f"{W}cr"):
                yield "line"
            elif tag == f"{W}lastRenderedPageBreak" and self.rendered_breaks:
                yield "page"

    # -- paragraphs ----------------------------------------------------------------------
    def _paragraph(self, p: etree._Element) -> None:
        p_pr = p.find(f"{W}pPr")
        style_element = p_pr.find(f"{W}pStyle") if p_pr is not None else None
        style_id = style_element.get(f"{W}val") if style_element is not None else self.styles.default_paragraph
        if not self.rendered_breaks and p_pr is not None and _on(p_pr.find(f"{W}pageBreakBefore")):
            self.page += 1
        level = self.styles.heading_level(style_id)
        outline = p_pr.find(f"{W}outlineLvl") if p_pr is not None else None
        if outline is not None:
            direct = _int(outline.get(f"{W}val"))
            level = direct + 1 if direct is not None and direct < 9 else 0
        indent = _first_line_indent(p_pr.find(f"{W}ind")) if p_pr is not None else None
        if indent is None:
            indent = self.styles.first_line_indent(style_id)

        pieces: list[Piece] = []
        first = True
        for item in [*self._inline(p, self.styles.bold(style_id)), "end"]:
            if isinstance(item, tuple):
                pieces.append(item)
                continue
            typed_indent = bool(_TYPED_INDENT.match("".join(text for text, _ in pieces)))
            stripped = strip_pieces(pieces)
            if stripped:
                # A line break inside a paragraph yields a block of its own that starts at the
                # margin: the paragraph mender decides whether it continues the line above.
                indented = (indent or typed_indent) if first else typed_indent
                kind = "heading" if level else "paragraph"
                self.blocks.append(RawBlock(stripped, page=self.page, kind=kind, level=level, indented=None if level else indented))
                first = False
            pieces = []
            if item == "page":
                self.page += 1
        if not self.rendered_breaks and p_pr is not None and _starts_new_page_after(p_pr):
            self.page += 1

    # -- tables --------------------------------------------------------------------------
    def _table(self, table: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        for row_index, row in enumerate(table.iterchildren(f"{W}tr")):
            column = 0
            for cell in row.iterchildren(f"{W}tc"):
                tc_pr = cell.find(f"{W}tcPr")
                span = _int(tc_pr.find(f"{W}gridSpan").get(f"{W}val")) if tc_pr is not None and tc_pr.find(f"{W}gridSpan") is not None else 1
                merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                continued = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                pieces = strip_pieces(self._cell_pieces(cell))
                if pieces and not continued:  # a vertically merged cell's text is in its first row
                    position = {"table": index, "row": row_index, "col": column}
                    self.blocks.append(RawBlock(pieces, page=self.page, kind="table_cell", table=position))
                column += span or 1

    def _cell_pieces(self, cell: etree._Element) -> list[Piece]:
        """A cell's paragraphs (and any nested table's) as one text, a newline between them."""
        pieces: list[Piece] = []
        for p in cell.iter(f"{W}p"):
            if pieces:
                pieces.append(("\n", False))
            p_style = p.find(f"{W}pPr/{W}pStyle")
            paragraph_bold = self.styles.bold(p_style.get(f"{W}val") if p_style is not None else self.styles.default_paragraph)
            for item in self._inline(p, paragraph_bold):
                if isinstance(item, tuple):
                    pieces.append(item)
                elif item == "page":
                    self.page += 1
                else:
                    pieces.append(("\n", False))
        return pieces


def _starts_new_page_after(p_pr: etree._Element) -> bool:
    """A section break stored in this paragraph; every type but "continuous" starts a page."""
    section = p_pr.find(f"{W}sectPr")
    if section is None:
        return False
    kind = section.find(f"{W}type")
    return kind is None or kind.get(f"{W}val", "nextPage") != "continuous"


_CHUNK = 1 << 20


def check_container(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb before python-docx inflates it: the members' total inflated size and
    its ratio to the compressed size, from the zip directory alone (``too_large``); then each
    member is inflated a chunk at a time and dropped, so a directory that understates a
    member's size (``zipfile`` would inflate all of it at once before noticing) is found
    with a megabyte in memory (``corrupt``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            inflated = sum(member.file_size for member in members)
            compressed = sum(member.compress_size for member in members)
            if inflated > limits.max_docx_inflated:
                raise limits.refuse("max_docx_inflated", f"the DOCX's members inflate to {inflated} bytes")
            ratio = inflated / max(compressed, 1)
            if inflated > RATIO_FLOOR_BYTES and ratio > limits.max_docx_ratio:
                raise limits.refuse("max_docx_ratio", f"the DOCX's members inflate {round(ratio)} times their compressed size "
                                                      f"({compressed} → {inflated} bytes): a zip bomb")
            for member in members:
                with archive.open(member) as stream:
                    while stream.read(_CHUNK):
                        pass
    except DocumentError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError, zlib.error) as error:  # RuntimeError: an encrypted member
        raise DocumentError("corrupt", f"the DOCX is damaged and cannot be read ({type(error).__name__}: {error})") from error


def read_docx(data: bytes, limits: Limits | None = None) -> tuple[list[RawBlock], int]:
    if limits is None:
        from pipeline.limits import current

        limits = current()
    check_container(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = _Styles(document.styles.element)
    except ValueError as error:
        if "content type" in str(error):  # python-docx: the main part is not a document (.dotx, .docm)
            raise DocumentError("unsupported", f"a Word file of a kind that cannot be read: {error}") from error
        raise DocumentError("corrupt", f"the DOCX is damaged and cannot be read ({error})") from error
    except _DAMAGED as error:
        raise DocumentError("corrupt", f"the DOCX is damaged and cannot be read ({type(error).__name__}: {error})") from error
    rendered = next(body.iter(f"{W}lastRenderedPageBreak"), None) is not None
    reader = _BodyReader(styles, rendered_breaks=rendered)
    reader.read(body)
    return reader.blocks, reader.page
