"""PDFs made from plain texts (``tests/fixtures/render_text_pdf.py``, the layouts of the real
texts' renderings): each reads back as the blocks the text itself gives."""

from __future__ import annotations

import pytest
import regex

from pipeline.ingest import read_bytes
from pipeline.ingest.pdf.layout import PageContent, drop_furniture
from pipeline.ingest.pdf.lines import Line
from tests.fixtures import render_pdf, render_text_pdf
from tests.fixtures.chars import CJK_FILLER, chars_of
from tests.fixtures.compare import table_cells
from tests.fixtures.source import SourceBlock, expected_cells

needs_fonts = pytest.mark.usefixtures("cjk_fonts")


# A4 with a frame exactly 36 ems of 12 pt wide: full lines end at the frame's edge.
_EXACT = render_text_pdf.TextPdfStyle("a4-exact", margins=(75.6, 75.6, 105.0, 99.0))


def _cjk(count: int) -> str:
    return (CJK_FILLER * (count // len(CJK_FILLER) + 1))[:count]


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
    lines = [Line(chars_of("Song", text, x=80), number, [(text, False)], 80, 80 + 10 * len(text), top, top + 12, 12) for top, text in texts]
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


# -- PDF text as a reader sees it: the traps of office exports -------------------------------------
# Each trap of ../shared/realpdf (SOURCES.md) drawn with the fixture renderer in sentences of our
# own: justified lines spread apart, numbers cut by a wrap, page numbers of every style, footnote
# markers set small, soft hyphens, vertical-writing fonts, a title drawn as pictures, and signs.
