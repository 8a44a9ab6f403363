"""PDF reader: every corpus bulletin, rendered in every bold style, reads back like its Markdown.

Fixtures are real PDFs built at test time by ``tests/fixtures/render_pdf.py`` (reportlab with
Debian CJK TrueType fonts); see that module for what each style reproduces.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from pipeline.ingest import read_bytes
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.pdf.chars import dedupe_counting_copies
from pipeline.ingest.pdf.fonts import BoldRules, font_family, has_weight_word, typeface_class
from pipeline.ingest.pdf.layout import PAGE_NUMBER
from tests.fixtures import render_pdf
from tests.fixtures.chars import chars_of
from tests.fixtures.compare import added_spaces, bulletin_paths, headings, paragraph_texts, paragraphs, rule_count, table_cells
from tests.fixtures.source import HEADER_TEXT, SourceBlock, expected_cells, load_bulletin

BULLETINS = bulletin_paths()

needs_fonts = pytest.mark.usefixtures("cjk_fonts")


@pytest.mark.parametrize("style", list(render_pdf.STYLES))
@pytest.mark.parametrize("bulletin", BULLETINS, ids=lambda path: path.stem)
def test_read_pdf_matches_markdown(bulletin: Path, style: str, render, markdown_document) -> None:
    expected = markdown_document(bulletin)
    document = read_bytes(render(bulletin, f"pdf:{style}"), f"{bulletin.stem}.pdf")

    assert document.status == "ok", document.error
    assert paragraphs(document) == paragraphs(expected)  # text and bold runs, white space aside
    assert [added_spaces(e, g) for e, g in zip(paragraph_texts(expected), paragraph_texts(document))] == [[]] * len(paragraphs(expected))
    assert headings(document) == headings(expected)
    assert next(b.level for b in document.blocks if b.kind == "heading") == 1  # the title
    assert rule_count(document) == rule_count(expected)
    assert table_cells(document) == expected_cells(load_bulletin(bulletin))
    # Running header, its rule and the page numbers are furniture, not text.
    assert HEADER_TEXT not in document.text
    assert "— 1 —" not in document.text and "— 2 —" not in document.text
    pages = [page for block in document.blocks for page in [block.page, *(p for _, p in block.page_starts)]]
    assert document.pages > 1 and pages == sorted(pages) and pages[-1] == document.pages


@needs_fonts
def test_read_pdf_joins_paragraph_cut_after_full_stop_at_page_end() -> None:
    """A sentence that ends exactly at the foot of page 1 inside a paragraph that goes on with a
    bold county name: the mender's text rules would keep the halves apart; the layout proves
    they are one paragraph."""
    style = render_pdf.STYLES["render-mode"]
    per_line = int((render_pdf.PAGE_SIZE[0] - 2 * render_pdf.MARGIN_X) // render_pdf.BODY_SIZE)
    lines_on_page = int((render_pdf.PAGE_SIZE[1] - render_pdf.TOP - render_pdf.BOTTOM) // render_pdf.LEADING)
    first_page = per_line * lines_on_page - 2  # the first line is indented by two chars
    part = (("各项工作有序推进" * 60)[: first_page - 1] + "。", False), ("眉县", True), ("健全三级网格管理体系。", False)
    blocks, pages = read_pdf(render_pdf.render_pdf([SourceBlock("paragraph", 0, (part,))], style))

    paragraph = [block for block in blocks if block.kind == "paragraph"]
    assert pages == 2 and len(paragraph) == 1
    assert paragraph[0].text == "".join(text for text, _ in part)
    assert set(paragraph[0].pieces_pages) == {1, 2}
    assert ("眉县", True) in paragraph[0].pieces


@needs_fonts
def test_read_pdf_page_frame_is_not_a_table(markdown_document) -> None:
    """A border drawn around the text area makes a one-cell "table" for pdfplumber's finder: it
    must not swallow the page's text; the real table inside it is still found."""
    bulletin = BULLETINS[0]
    framed = render_pdf.render_pdf(load_bulletin(bulletin), render_pdf.STYLES["family-hei-on-ming"], frame=True)
    document = read_bytes(framed, "framed.pdf")
    assert paragraphs(document) == paragraphs(markdown_document(bulletin))
    assert table_cells(document) == expected_cells(load_bulletin(bulletin))


@needs_fonts
def test_read_pdf_with_empty_user_password_reads_like_plain() -> None:
    blocks = load_bulletin(BULLETINS[0])
    encrypted = render_pdf.render_encrypted_pdf(blocks, user_password="")
    plain = render_pdf.render_pdf(blocks[:6], render_pdf.STYLES["render-mode"])
    assert b"/Encrypt" in encrypted
    assert paragraphs(read_bytes(encrypted, "a.pdf")) == paragraphs(read_bytes(plain, "b.pdf"))


@needs_fonts
def test_read_pdf_restores_pdfminer_logging_level() -> None:
    logger = logging.getLogger("pdfminer")
    logger.setLevel(logging.DEBUG)
    try:
        read_pdf(render_pdf.render_pdf(load_bulletin(BULLETINS[0])[:3], render_pdf.STYLES["fake-bold"]))
        assert logger.level == logging.DEBUG
    finally:
        logger.setLevel(logging.NOTSET)


def _blank_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _bad_files() -> list[tuple[str, str, bytes]]:
    blocks = load_bulletin(BULLETINS[0])
    good = render_pdf.render_pdf(blocks[:8], render_pdf.STYLES["render-mode"])
    return [
        # (name, expected status, bytes)
        ("password-protected.pdf", "encrypted", render_pdf.render_encrypted_pdf(blocks, user_password="secret")),
        ("truncated.pdf", "corrupt", render_pdf.truncate(good, 0.6)),
        ("truncated-near-end.pdf", "corrupt", render_pdf.truncate(good, 0.97)),
        ("really-text.pdf", "corrupt", "这是一份文本文件，不是PDF。\n".encode()),
        ("scanned.pdf", "needs_ocr", render_pdf.render_scanned_pdf(["关于推进社区建设的情况通报", "各县区："])),
        ("no-unicode-map.pdf", "needs_ocr", good.replace(b"/ToUnicode", b"/NoUnicode")),  # same length: xref stays valid
        ("blank-page.pdf", "empty", _blank_pdf()),
        ("zero-bytes.pdf", "empty", b""),
        ("picture.pdf", "needs_ocr", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    ]


@needs_fonts
def test_read_bytes_flags_bad_pdfs() -> None:
    for name, status, data in _bad_files():
        document = read_bytes(data, name)
        assert (name, document.status) == (name, status), document.error
        assert document.error.strip(), name
        assert not document.blocks, name


# fmt: off
FONT_NAMES = [
    # (font name as in the PDF, family, weight word?, typeface class)
    ("ABCDEF+SimHei", "SimHei", False, "hei"),
    ("SimHei,Bold", "SimHei", True, "hei"),
    ("AAAAAA+UMingCN-0", "UMingCN", False, "song"),
    ("FZXBSJW--GB1-0", "FZXBSJW", False, "xbs"),
    ("BCDEFG+FangSong_GB2312", "FangSong_GB2312", False, "fangsong"),
    ("SimFang,Regular", "SimFang", False, "fangsong"),
    ("KaiTi_GB2312", "KaiTi_GB2312", False, "kai"),
    ("STZhongsong", "STZhongsong", False, "xbs"),
    ("TimesNewRomanPS-BoldMT", "TimesNewRomanPS", True, None),
    ("SourceHanSansCN-Medium", "SourceHanSansCN", True, None),
    ("NotoSerifCJKsc-Black", "NotoSerifCJKsc", True, None),
    ("方正粗宋简体", "方正粗宋简体", True, "song"),
]
# fmt: on


@pytest.mark.parametrize("name, family, weight, face", FONT_NAMES)
def test_pdf_fonts_name_parts(name: str, family: str, weight: bool, face: str | None) -> None:
    assert (font_family(name), has_weight_word(name), typeface_class(font_family(name))) == (family, weight, face)


# fmt: off
BODY_AND_EMPHASIS = [
    # (body font, emphasis-candidate font, candidate text, bold?)
    ("FangSong_GB2312", "SimHei", "突出安民目标", True),            # 黑体 on a 仿宋 body
    ("FangSong_GB2312", "KaiTi_GB2312", "突出安民目标", True),      # 楷体 on a 仿宋 body
    ("SimHei", "KaiTi_GB2312", "突出安民目标", True),               # 楷体 on a 黑体 body
    ("SimHei", "FZHTK--GBK1-0", "平安型社区", False),               # another 黑体 on a 黑体 body
    ("FangSong_GB2312", "TimesNewRomanPSMT", "2022 18.4", False),  # Latin digits font in a 仿宋 body
    ("FangSong_GB2312", "SimSun", "平安型社区", False),             # 宋体 fallback glyphs
]
# fmt: on


@pytest.mark.parametrize("body, other, text, bold", BODY_AND_EMPHASIS)
def test_pdf_fonts_emphasis_is_relative_to_body_font(body: str, other: str, text: str, bold: bool) -> None:
    chars = chars_of(body, "各县区高度重视社区建设工作" * 5) + chars_of(other, text, x=1000)
    rules = BoldRules(chars)
    assert rules.body_family == font_family(body)
    assert [rules.is_bold(char) for char in chars[-len(text):] if char.text != " "] == [bold] * len(text.replace(" ", ""))


def test_pdf_fonts_heavier_unnamed_cjk_font_is_bold() -> None:
    chars = chars_of("F1", "各县区高度重视社区建设工作" * 5, stem_v=70) + chars_of("F2", "平安型社区", stem_v=120, x=1000)
    rules = BoldRules(chars)
    assert [rules.is_bold(char) for char in chars[-5:]] == [True] * 5
    assert not rules.is_bold(chars[0])


def test_pdf_chars_dedupe_counts_overprinted_copies() -> None:
    fake_bold = chars_of("Song", "突出") + chars_of("Song", "突出", x=0.3)
    neighbours = chars_of("Song", "大大", x=100)  # a real doubled character, one em apart
    kept = dedupe_counting_copies(fake_bold + neighbours)
    assert [(char.text, char.copies) for char in kept] == [("突", 2), ("出", 2), ("大", 1), ("大", 1)]


# fmt: off
PAGE_NUMBERS = [
    ("— 3 —", True), ("-3-", True), ("- 12 -", True), ("·3·", True), ("3", True), ("第3页", True),
    ("第 3 页 共 9 页", True), ("3/9", True), ("Page 3 of 9", True),
    ("2022年10月20日", False), ("第14期", False), ("3个", False), ("一、总体情况", False),
]
# fmt: on


@pytest.mark.parametrize("text, is_page_number", PAGE_NUMBERS)
def test_pdf_layout_page_number_pattern(text: str, is_page_number: bool) -> None:
    assert bool(PAGE_NUMBER.match(text)) is is_page_number


# -- a plain text rendered line by line ------------------------------------------------------------
# A bulletin's owner turns its text into a PDF by making every line a paragraph (reportlab, see
# tests/fixtures/render_text_pdf.py): the PDF must read back as the blocks the text itself gives.
# Each case puts its difficulty exactly at the end of a printed line, so the line lengths are
# counted from the style: a "full" line is one with no room left for the next character.
