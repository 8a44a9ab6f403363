"""PDF reader: every corpus bulletin, rendered in every bold style, reads back like its Markdown.

Fixtures are real PDFs built at test time by ``tests/fixtures/render_pdf.py`` (reportlab with
Debian CJK TrueType fonts); see that module for what each style reproduces.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
import regex
from reportlab.pdfgen import canvas

from pipeline.ingest import read_bytes
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.pdf.chars import Char, dedupe_counting_copies
from pipeline.ingest.pdf.fonts import BoldRules, font_family, has_weight_word, typeface_class
from pipeline.ingest.pdf.layout import PAGE_NUMBER, PageContent, drop_furniture
from pipeline.ingest.pdf.lines import Line
from tests.fixtures import render_pdf, render_text_pdf
from tests.fixtures.compare import added_spaces, bulletin_paths, headings, paragraph_texts, paragraphs, rule_count, table_cells
from tests.fixtures.source import HEADER_TEXT, SourceBlock, expected_cells, load_bulletin

BULLETINS = bulletin_paths()

needs_fonts = pytest.mark.skipif(bool(render_pdf.missing_fonts()), reason="CJK fonts missing: install .ci/apt-packages")


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


def _chars(font: str, text: str, *, stem_v: float = 0.0, x: float = 0.0) -> list[Char]:
    return [Char(ch, x + 10 * i, x + 10 * i + 10, 0, 10, 10, font, stem_v=stem_v) for i, ch in enumerate(text)]


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
    chars = _chars(body, "各县区高度重视社区建设工作" * 5) + _chars(other, text, x=1000)
    rules = BoldRules(chars)
    assert rules.body_family == font_family(body)
    assert [rules.is_bold(char) for char in chars[-len(text):] if char.text != " "] == [bold] * len(text.replace(" ", ""))


def test_pdf_fonts_heavier_unnamed_cjk_font_is_bold() -> None:
    chars = _chars("F1", "各县区高度重视社区建设工作" * 5, stem_v=70) + _chars("F2", "平安型社区", stem_v=120, x=1000)
    rules = BoldRules(chars)
    assert [rules.is_bold(char) for char in chars[-5:]] == [True] * 5
    assert not rules.is_bold(chars[0])


def test_pdf_chars_dedupe_counts_overprinted_copies() -> None:
    fake_bold = _chars("Song", "突出") + _chars("Song", "突出", x=0.3)
    neighbours = _chars("Song", "大大", x=100)  # a real doubled character, one em apart
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

_FILLER = "各镇街道持续深化网格化管理服务机制基层治理效能稳步提升群众获得感明显增强"  # CJK, no punctuation
# A4 with a frame exactly 36 ems of 12 pt wide: full lines end at the frame's edge.
_EXACT = render_text_pdf.TextPdfStyle("a4-exact", margins=(75.6, 75.6, 105.0, 99.0))


def _cjk(count: int) -> str:
    return (_FILLER * (count // len(_FILLER) + 1))[:count]


def _per_line(style: render_text_pdf.TextPdfStyle) -> tuple[int, int]:
    """CJK characters on a paragraph's first line and on each later one."""
    room = render_text_pdf.line_room(style)
    return int((room - style.indent * style.size) // style.size), int(room // style.size)


def _one_line_paragraphs(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """Most paragraphs are one indented line: the indent is not the left margin, so a paragraph
    after one whose last line is full still starts a block of its own."""
    first, other = _per_line(style)
    return ["城关镇社区治理工作简报", "第七期", "一、总体情况", _cjk(first + 2 * other - 1) + "。", "各村均已建立议事协商制度。",
            "二、主要做法", "组织网格员走访群众，收集意见建议。", "落实专人负责，做到件件有回音。"]


def _numbered_heading_after_colon(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """（1） could not go on the full line that a colon closes: a heading all the same."""
    first, other = _per_line(style)
    return [_cjk(first + other - 1) + "：", "（1）强化组织领导", "全镇成立工作专班，定期调度推进。"]


def _numbered_heading_after_caption(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """A caption fills its line exactly; the numbered heading below it is no continuation."""
    first, _ = _per_line(style)
    return [_cjk(3 * first - 1) + "。", "图为" + _cjk(first - 4) + "现场", "一、主要背景", "全市持续推进网格化服务管理，成效明显。"]


def _heading_after_full_stop(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """A paragraph ends with a full line; the short heading below it is no continuation."""
    first, other = _per_line(style)
    return [_cjk(first + other - 1) + "。", "工作成效", "截至目前，累计办结群众诉求一千余件。"]


def _unit_moves_down_whole(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """56μg/m3 did not fit: the line above it ended early, yet the paragraph goes on."""
    first, other = _per_line(style)
    return [_cjk(first + 2 * other - 1) + "。", _cjk(first - 2) + "56μg/m3，" + _cjk(20) + "。"]


def _word_whose_space_did_not_fit(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """reportlab moves a Latin word down when the space after it does not fit."""
    first, other = _per_line(style)
    prefix = _cjk(14) + "3" + _cjk(14) + "5"  # 28 ems and two half-width digits
    assert first == 34, "the case is counted for a first line of 34 ems"
    return [_cjk(first + 2 * other - 1) + "。", prefix + " 14.99%;PM 2.5年均浓度同比下降。"]


def _hard_wrapped_lines(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """A text hard-wrapped by its source: every line became an indented paragraph, and the lines
    that stop mid-sentence are mended as in the text (the indent proves nothing here)."""
    first, other = _per_line(style)
    return [_cjk(first + 2 * other - 1) + "。", "1月至6月，全县累计新建村级养老服务站", "12个，覆盖农村老年人口3.5万人，较上年",
            "增长18.6%。", "据县融媒体中心（记者张明", "通讯员李华）报道，全县养老服务持续改善。"]


def _short_lines_only(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """No line is full, so the longest lines do not show where the right margin is: short lines
    are not wrapped lines."""
    return ["联合检查组成员单位", "县应急管理局", "县住房和城乡建设局", "县市场监督管理局", "县消防救援大队", "各镇人民政府", "二〇二四年三月"]


def _bare_number_at_page_foot(style: render_text_pdf.TextPdfStyle) -> list[str]:
    """A table flattened one cell a line: a number alone at the foot of a page is a cell, not
    the page's number (that is drawn below the text, and it counts the pages)."""
    towns = ["城关镇", "槐芽镇", "齐镇", "横渠镇", "汤峪镇", "金渠镇", "营头镇", "首善街道", "青化镇", "马家镇", "常兴镇", "蔡家坡镇",
             "曹家镇", "五丈原镇", "益店镇", "落星镇", "枣林镇", "雍川镇"]
    lines = ["各镇（街道）新建驿站数量"]
    for index, town in enumerate(towns):
        lines += [town, str(12 + 3 * index)]
    return lines


# fmt: off
TEXT_CASES = [
    # (case, fixture style, text lines)
    ("one-line-paragraphs", "a4-justified", _one_line_paragraphs),
    ("one-line-paragraphs", "a4-ragged", _one_line_paragraphs),
    ("numbered-heading-after-colon", "a5-no-indent", _numbered_heading_after_colon),
    ("numbered-heading-after-caption", "a5-no-indent", _numbered_heading_after_caption),
    ("heading-after-full-stop", "a5-no-indent", _heading_after_full_stop),
    ("unit-moves-down-whole", "a4-exact", _unit_moves_down_whole),
    ("word-whose-space-did-not-fit", "a4-exact", _word_whose_space_did_not_fit),
    ("hard-wrapped-lines", "a4-justified", _hard_wrapped_lines),
    ("hard-wrapped-lines", "a4-ragged", _hard_wrapped_lines),
    ("short-lines-only", "a5-no-indent", _short_lines_only),
    ("short-lines-only", "a4-justified", _short_lines_only),
    ("bare-number-at-page-foot", "a5-no-indent", _bare_number_at_page_foot),
]
# fmt: on


def _block_texts(document) -> list[str]:
    return [regex.sub(r"\s+", "", document.block_text(block)) for block in document.blocks if document.block_text(block).strip()]


@needs_fonts
@pytest.mark.parametrize("case, style, lines", TEXT_CASES, ids=[f"{case}-{style}" for case, style, _ in TEXT_CASES])
def test_read_pdf_of_a_text_gives_the_text_blocks(case: str, style: str, lines) -> None:
    layout = _EXACT if style == _EXACT.name else render_text_pdf.STYLES[style]
    text = "\n".join(lines(layout)) + "\n"
    document = read_bytes(render_text_pdf.render_text_pdf(text, layout), f"{case}.pdf")
    assert document.status == "ok", document.error
    assert _block_texts(document) == _block_texts(read_bytes(text.encode(), f"{case}.txt"))
    if case == "bare-number-at-page-foot":  # the case needs a cell at the foot of page 1
        last_on_first_page = [block for block in document.blocks if block.page == 1][-1]
        assert document.pages > 1 and document.block_text(last_on_first_page).isdigit()


# -- tables a text kept only as lines, in the PDFs made from the text --------------------------
# A text's flattened table (tests/test_ingest_text.py: TEXT_TABLES) must come out of each PDF the
# harness makes of the text (benchmarks/real_formats.py: reportlab justified and ragged,
# LibreOffice from the .txt and from a .docx) as the same cells. reportlab draws a tab or a run of
# spaces as one space glyph, LibreOffice a tab as a gap to the next tab stop.

@needs_fonts
def test_read_pdf_numbers_ruled_and_line_tables_in_reading_order() -> None:
    """A ruled table (pdfplumber's finder) after one kept only as lines: numbered 0 and 1."""
    lines = ["指标 | 数值", "新建驿站 | 12", "培训护理员 | 300"]
    blocks = [SourceBlock("heading", 1, ((("养老服务工作简报", False),),))]
    blocks += [SourceBlock("paragraph", 0, (((line, False),),)) for line in lines]
    blocks.append(SourceBlock("table", 0, (), (("县区", "驿站（个）"), ("眉县", "7"), ("凤县", "5"))))
    document = read_bytes(render_pdf.render_pdf(blocks, render_pdf.STYLES["render-mode"]), "two-tables.pdf")
    line_table = {(0, r, c): cell for r, line in enumerate(lines) for c, cell in enumerate(line.split(" | "))}
    ruled_table = {(1, r, c): cell for (_, r, c), cell in expected_cells(blocks[-1:]).items()}
    assert table_cells(document) == line_table | ruled_table


def _page(number: int, texts: list[tuple[float, str]]) -> PageContent:
    """A page of A4 with one line of 12 pt text at each (top, text)."""
    lines = [Line(_chars("Song", text, x=80), number, [(text, False)], 80, 80 + 10 * len(text), top, top + 12, 12) for top, text in texts]
    return PageContent(number, 595, 842, lines=lines)


def test_pdf_layout_number_cells_at_page_edges_are_no_furniture() -> None:
    """A table flattened one cell a line runs over the page break: the numbers at the foot and the
    head of the pages stay — also one at the same height on two pages, and one equal to the page's
    number just above the page number — while the running header and the page numbers go."""
    body = [(200 + 20 * i, f"正文第{i}行") for i in range(20)]
    pages = [
        _page(1, [(60, "城关镇工作简报"), *body, (680, "梅岭东村"), (700, "290"), (720, "1"), (790, "1")]),
        _page(2, [(60, "城关镇工作简报"), (100, "9.1"), (120, "桃园东村"), (140, "67"), *body, (700, "15"), (790, "2")]),
    ]
    drop_furniture(pages)
    assert [line.text for line in pages[0].lines[-3:]] == ["梅岭东村", "290", "1"]
    assert [line.text for line in pages[1].lines[:3]] == ["9.1", "桃园东村", "67"]
    assert pages[1].lines[-1].text == "15"
    assert "城关镇工作简报" not in [line.text for page in pages for line in page.lines]
