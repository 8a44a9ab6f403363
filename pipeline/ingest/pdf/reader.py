"""Opening a PDF, running the stages of the package over its pages, and turning pdfminer's
failures into a status a user understands."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pdfplumber
import regex
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from pipeline.engines.position import reached
from pipeline.ingest.pdf.blocks import document_blocks
from pipeline.ingest.pdf.chars import Char, HookedPage, page_chars
from pipeline.ingest.pdf.fonts import BoldRules
from pipeline.ingest.pdf.layout import PageContent, drop_furniture, measure
from pipeline.ingest.pdf.lines import group_lines
from pipeline.ingest.pdf.table_merge import join_continued
from pipeline.ingest.pdf.tables import horizontal_rules, split_tables
from pipeline.ingest.raw import RawBlock
from pipeline.model import DocumentError

# What pdfminer raises for a damaged file (PDFException derives from PSException); pdfplumber
# wraps most of it in PdfminerException, but the page tree is walked unwrapped.
_PARSE_ERRORS = (PdfminerException, MalformedPDFException, PSException)


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs a warning per odd font or object; the status is what a user needs. Only
    for the duration of a read, so an application's own logging set-up is left as it was."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdfminer_cause(error: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException: look at the original."""
    while isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], BaseException):
        error = error.args[0]
    return error


def _as_document_error(error: Exception) -> DocumentError:
    cause = _pdfminer_cause(error)
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return DocumentError("encrypted", "the PDF is password-protected; open it with the password and save an unprotected copy")
    detail = str(cause) or type(cause).__name__
    return DocumentError("corrupt", f"the PDF is damaged or truncated and cannot be parsed ({type(cause).__name__}: {detail})")


def _read_page(page: HookedPage) -> tuple[PageContent, list[Char], bool]:
    chars = page_chars(page)
    tables, body_chars = split_tables(page, chars)
    content = PageContent(page.page_number, float(page.width), float(page.height), tables=tables)
    content.rules = horizontal_rules(page, tables)
    has_images = bool(page.images)
    page.close()  # free pdfminer's layout objects: only the records above are kept
    # The body chars become lines once the document's fonts have said which of them are bold.
    return content, body_chars, has_images


# Without a ToUnicode map pdfminer decodes a CJK subset font's codes through a Latin encoding:
# the text comes out as (cid:N) placeholders and Latin-1/cp1252 letters ("˜™ÝÞ"), which a
# Chinese bulletin almost never contains (· × ÷ ° ± § are the common exceptions).
_LATIN_GARBAGE = regex.compile(r"[\u0080-\u02ff€‚ƒ„†‡‰‹Œ•™›œŸ]")
_LEGITIMATE = set("·×÷°±§é")
# Share of such glyphs above which the text layer is garbled rather than merely imperfect.
_GARBLED_SHARE = 0.3


def _is_garbled(text: str) -> bool:
    return (
        text.startswith("(cid:")
        or "\ue000" <= text[0] <= "\uf8ff"  # private use: a glyph with no Unicode meaning
        or text[0] < " "
        or (bool(_LATIN_GARBAGE.match(text)) and text not in _LEGITIMATE)
    )


def _check_text_layer(chars: list[Char], has_images: bool) -> None:
    visible = [char for char in chars if not char.text.isspace()]
    if not visible:
        if has_images:
            raise DocumentError("needs_ocr", "the PDF has no text layer (scanned pages); it needs OCR")
        return
    garbled = sum(1 for char in visible if _is_garbled(char.text))
    if garbled > _GARBLED_SHARE * len(visible):
        raise DocumentError(
            "needs_ocr",
            f"the PDF's text layer cannot be decoded ({garbled} of {len(visible)} characters are "
            "unmapped glyph codes: its fonts lack a Unicode map); it needs OCR",
        )


def _declared_pages(pdf: pdfplumber.PDF) -> int | None:
    """The page count the page tree's root declares (/Count), read without walking the tree."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except (KeyError, TypeError, AttributeError, *_PARSE_ERRORS):  # no usable page tree: pdfminer finds the pages by other means
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _check_pages(count: int | None, max_pages: int | None) -> None:
    if count is not None and max_pages is not None and count > max_pages:
        from pipeline.limits import refusal

        raise refusal("max_pages", max_pages, f"the PDF has {count} pages")


def read_pdf(data: bytes, max_pages: int | None = None) -> tuple[list[RawBlock], int]:
    """The PDF's blocks and page count; one with more than ``max_pages`` pages is refused
    (``too_large``) from its page tree, before any page is parsed."""
    with _quiet_pdfminer():
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except _PARSE_ERRORS as error:
            raise _as_document_error(error) from error
        try:
            _check_pages(_declared_pages(pdf), max_pages)
        except DocumentError:
            pdf.stream.close()  # not pdf.close(): that would walk the page tree
            raise
        with pdf:
            try:
                _check_pages(len(pdf.pages), max_pages)  # a /Count that understates the tree
                read = []
                for page in pdf.pages:
                    reached("page", page.page_number, len(pdf.pages))  # what a run's progress line shows
                    read.append(_read_page(HookedPage.of(page)))
            except _PARSE_ERRORS as error:
                raise _as_document_error(error) from error
    # Bold by font family is relative to the whole document's body font, so every page is read
    # before any line is built.
    pages = [content for content, _, _ in read]
    all_chars = [char for _, chars, _ in read for char in chars]
    all_chars += [char for page in pages for table in page.tables for cell in table.cells for char in cell.chars]
    _check_text_layer(all_chars, any(images for _, _, images in read))

    rules = BoldRules(all_chars)
    rules.mark(all_chars)
    for content, chars, _ in read:
        content.lines = group_lines(chars, content.number)
    drop_furniture(pages)
    join_continued(pages)  # after the furniture: a page number does not stand between a table's parts
    return document_blocks(pages, measure(pages)), len(pages)
