"""HTML bulletins (government web pages, Word's "save as web page") with the stdlib parser.

Block elements (p, div, li, h1–h6 …) delimit blocks; ``<br>`` ends a block inside a paragraph
and the paragraph mender decides whether the next one continues it; ``<b>``, ``<strong>`` and
inline ``font-weight: bold`` mark bold; table cells become table_cell blocks; site chrome
(``<nav>``, ``<header>``, ``<footer>``) and code (``<script>``, ``<style>``) are skipped.
Source line breaks between two CJK chars are dropped rather than turned into spaces (a browser
would show a space there, which splits Chinese words).
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

import regex

from pipeline.ingest.raw import RawBlock, strip_pieces

Piece = tuple[str, bool]

_SKIPPED = {"script", "style", "nav", "header", "footer", "head", "noscript", "template", "select", "button", "iframe", "svg", "object"}
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article", "main", "aside",
    "table", "tr", "td", "th", "caption", "thead", "tbody", "tfoot", "pre", "center", "form", "fieldset",
    "address", "figure", "figcaption", "body", "html",
}  # fmt: skip
# A <header>/<footer> inside the article holds its title or signature, not the site's chrome.
_ARTICLE_PARTS = {"header", "footer"}
_ARTICLES = {"article", "main"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BOLD_TAGS = {"b", "strong"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr", "param"}

_FONT_WEIGHT = re.compile(r"font-weight\s*:\s*(bold(?:er)?|[6-9]00|normal|lighter|[1-5]00)", re.IGNORECASE)
_TEXT_INDENT = re.compile(r"text-indent\s*:\s*(-?[\d.]+)", re.IGNORECASE)
# Source white space: a run containing a line break is marked "\n", other runs " ", until the
# block is complete and its neighbours are known.
_SOURCE_SPACE = re.compile(r"[ \t\r\n\f]+")
_CJK = regex.compile(r"[\p{Han}\p{Block=CJK_Symbols_And_Punctuation}\p{Block=Halfwidth_And_Fullwidth_Forms}“”‘’…—]")
_TYPED_INDENT = re.compile(r"^[\u3000\u00a0]{2,}")

_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# GBK and GB2312 pages routinely contain characters only GB18030 (their superset) defines.
_GB_FAMILY = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "csgb2312", "gb18030"}
# Western single-byte declarations on a Chinese page are server defaults, not the truth, and
# would decode any bytes into mojibake: such a page is treated as undeclared.
_WESTERN = {"ascii", "iso8859-1", "cp1252"}


def declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return None if canonical in _WESTERN else canonical


def decode_html(data: bytes) -> str:
    """BOM, then the declared charset, then UTF-8, then GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        # A page re-saved as UTF-8 often keeps its old GBK declaration; multi-byte UTF-8 that
        # decodes cleanly is practically never legacy-encoded Chinese.
        try:
            text = data.decode("utf-8")
            if not text.isascii():
                return text
        except UnicodeDecodeError:
            pass
    for encoding in [declared or "utf-8", "utf-8"]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def _collapse(pieces: list[Piece]) -> list[Piece]:
    """Collapse source white space: dropped at the ends and between two CJK chars when it was a
    line break, a single space elsewhere."""
    out: list[Piece] = []
    pending: str | None = None  # the white space run waiting for its right neighbour
    pending_bold = False
    for text, bold in pieces:
        for ch in text:
            if ch in " \n":
                pending_bold = bold if pending is None else pending_bold and bold
                pending = "\n" if ch == "\n" or pending == "\n" else " "
                continue
            if pending is not None and out:
                left = out[-1][0][-1]
                if not (pending == "\n" and _CJK.match(left) and _CJK.match(ch)):
                    _append(out, " ", pending_bold and bold)
            pending = None
            _append(out, ch, bold)
    return out


def _append(pieces: list[Piece], text: str, bold: bool) -> None:
    if pieces and pieces[-1][1] == bold:
        pieces[-1] = (pieces[-1][0] + text, bold)
    else:
        pieces.append((text, bold))


class _BulletinParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self.pieces: list[Piece] = []
        self.skip: list[str] = []  # open elements whose content is ignored
        self.open: list[tuple[str, bool | None]] = []  # open elements and the weight they set
        self.heading = 0
        self.indent_next: bool | None = None  # what the next block's ``indented`` will be
        self.tables: list[dict[str, int]] = []  # open tables: index, row, col
        self.table_count = 0
        self.preformatted = 0

    @property
    def bold(self) -> bool:
        weight = False
        for _, explicit in self.open:
            if explicit is not None:
                weight = explicit
        return weight

    def flush(self) -> None:
        typed_indent = bool(_TYPED_INDENT.match("".join(t for t, _ in self.pieces).lstrip(" \n\t\r")))
        pieces = strip_pieces(_collapse(self.pieces))
        self.pieces = []
        if not pieces:
            return
        cell = self.tables[-1] if self.tables and self.tables[-1]["col"] >= 0 else None
        if cell is not None:
            position = {"table": cell["index"], "row": cell["row"], "col": cell["col"]}
            self.blocks.append(RawBlock(pieces, kind="table_cell", table=position))
        elif self.heading:
            self.blocks.append(RawBlock(pieces, kind="heading", level=self.heading))
        else:
            self.blocks.append(RawBlock(pieces, indented=True if typed_indent else self.indent_next))
        self.indent_next = None

    # -- events ----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self.skip:
            self.skip.clear()  # a page that never closed its <head>
        if tag in _SKIPPED and not (tag in _ARTICLE_PARTS and self._inside(_ARTICLES)):
            self.skip.append(tag)
            return
        if self.skip:
            return
        style = next((value or "" for name, value in attrs if name == "style"), "")
        if tag == "br":
            self.flush()
            self.indent_next = False  # the line after a <br> starts at the margin
        elif tag == "hr":
            self.flush()
            self.blocks.append(RawBlock([("", False)], kind="rule"))
        elif tag in _HEADINGS:
            self.flush()
            self.heading = _HEADINGS[tag]
        elif tag in _BLOCKS:
            self.flush()
            if tag == "p":
                self._close("p")  # <p> cannot nest: an unclosed one ends here
            self._open_table_part(tag, attrs)
            indent = _TEXT_INDENT.search(style)
            self.indent_next = float(indent.group(1)) > 0 if indent else None
            if tag == "pre":
                self.preformatted += 1
        if tag not in _VOID:
            weight = _FONT_WEIGHT.search(style)
            explicit: bool | None = True if tag in _BOLD_TAGS else None
            if weight:
                value = weight.group(1).lower()
                explicit = value in ("bold", "bolder") or value[0] in "6789"
            self.open.append((tag, explicit))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in _HEADINGS:
            self.flush()
            self.heading = 0
        elif tag in _BLOCKS:
            self.flush()
            self._close_table_part(tag)
            if tag == "pre" and self.preformatted:
                self.preformatted -= 1
        self._close(tag)

    def _inside(self, tags: set[str]) -> bool:
        return any(open_tag in tags for open_tag, _ in self.open)

    def _close(self, tag: str) -> None:
        """Close ``tag`` and whatever was left open inside it, as browsers do for bad nesting."""
        if any(open_tag == tag for open_tag, _ in self.open):
            while self.open and self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.preformatted:
            for index, line in enumerate(data.split("\n")):
                if index:
                    self.flush()
                self.pieces.append((line, self.bold))
            return
        self.pieces.append((_SOURCE_SPACE.sub(lambda m: "\n" if "\n" in m.group() else " ", data), self.bold))

    # -- tables ----------------------------------------------------------------------------
    def _open_table_part(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"index": self.table_count, "row": -1, "col": -1, "next_col": 0})
            self.table_count += 1
        elif self.tables and tag == "tr":
            table = self.tables[-1]
            table.update(row=table["row"] + 1, col=-1, next_col=0)
        elif self.tables and tag in ("td", "th"):
            table = self.tables[-1]
            span = next((value for name, value in attrs if name == "colspan"), "1") or "1"
            table["row"] = max(table["row"], 0)
            table["col"] = table["next_col"]
            table["next_col"] += int(span) if span.isdigit() and int(span) > 0 else 1

    def _close_table_part(self, tag: str) -> None:
        if tag == "table" and self.tables:
            self.tables.pop()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1]["col"] = -1


def read_html(data: bytes) -> tuple[list[RawBlock], int]:
    parser = _BulletinParser()
    parser.feed(decode_html(data))
    parser.close()
    parser.flush()
    return parser.blocks, 1
