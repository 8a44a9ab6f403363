"""What a reader sees in a PDF and a naive one gets wrong: lines spread by justification,
numbers cut by a wrap, page numbers of every style, footnote markers before values, soft hyphens,
vertical writing, signed values (reportlab PDFs of ``tests/fixtures/render_pdf.py``)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pdfplumber
import pytest
import regex

from pipeline.ingest import read_bytes
from pipeline.ingest.pdf.chars import Char, dedupe_counting_copies
from pipeline.ingest.pdf.layout import PageContent, drop_furniture
from pipeline.ingest.pdf.lines import cuts_number, group_lines, join_pieces
from tests.fixtures import render_pdf
from tests.fixtures.chars import CJK_FILLER
from tests.fixtures.source import HEADER_TEXT, SourceBlock, load_bulletin

needs_fonts = pytest.mark.usefixtures("cjk_fonts")


STYLE_NAMES = list(render_pdf.STYLES)
_BODY = [
    "全县上下认真贯彻落实各项决策部署，经济运行总体平稳、稳中有进，各项重点工作取得明显成效，群众获得感持续增强。",
    "一季度以来，各镇街道持续深化网格化管理服务机制，组织网格员走访群众，收集意见建议，做到件件有回音、事事有着落。",
    "县统计局加强数据质量管理，严格执行“分级审核、先审后发”程序，落实“三审三校”制度，从严从实把好数据关、政策关。",
    "各部门围绕年度目标任务，细化分解责任清单，定期调度推进，确保各项工作有序开展，为全年目标完成打下坚实基础。",
]


def _source(text: str, bold: bool = False, kind: str = "paragraph") -> SourceBlock:
    return SourceBlock(kind, 0, (((text, bold),),))


def _styled(name: str, **options) -> render_pdf.PdfStyle:
    return dataclasses.replace(render_pdf.STYLES[name], **options)


def _texts(document) -> list[str]:
    """The text of each block, white space left out; the running header a one-page document
    cannot show to be one is left out too."""
    texts = [regex.sub(r"\s+", "", document.block_text(block)) for block in document.blocks]
    return [text for text in texts if text and text != HEADER_TEXT.replace(" ", "")]


# Chars of one line as a producer placed them: (text, gap before it in ems, size scale, rise in
# ems). A CJK char is one em wide, a Latin one half an em; the line is set in 10 pt.
def _typeset(spec: list[tuple], size: float = 10.0, x: float = 100.0) -> list[Char]:
    chars = []
    for text, gap, *more in spec:
        scale, rise = more[0] if more else 1.0, more[1] if len(more) > 1 else 0.0
        for index, ch in enumerate(text):
            x += gap * size if index == 0 else 0.0
            char_size = size * scale
            width = char_size * (0.5 if ch.isascii() else 1.0)
            baseline = 100.0 - rise * size
            chars.append(Char(ch, x, x + width, baseline - 0.88 * char_size, baseline + 0.12 * char_size, char_size, "Song", baseline=baseline))
            x += width
    return chars


# fmt: off
LINE_CASES = [
    # (case, chars, text read)
    # WPS stretched the line: every gap 0.6 em, digits and CJK alike; no word or number splits.
    ("stretched-line", [(ch, 0.6) for ch in "号，邮编：223100，电话："], "号，邮编：223100，电话："),
    ("stretched-number", [(ch, 0.45) for ch in "全年接待游客1136.5万人次"], "全年接待游客1136.5万人次"),
    # a word space in a stretched line is still a word space
    ("stretched-word-space", [(ch, 0.6) for ch in "监测站点PM"] + [("2.5", 1.2), ("浓度", 0.6)], "监测站点PM 2.5浓度"),
    # spaced headings and labels: a single CJK char on one side of a wide gap
    ("heading-spread", [("一、综", 0), ("合", 3.0)], "一、综合"),
    ("heading-spread-bold", [("二、农", 0), ("业", 3.0)], "二、农业"),
    ("label-spread", [("水", 0), ("产", 1.6), ("品", 1.6)], "水产品"),
    ("label-in-row", [("林", 0), ("业", 2.0), ("86.95", 4.0), ("4.2", 3.0)], "林业 86.95 4.2"),
    ("label-with-mark", [("#粮", 0), ("食", 2.5), ("101.9", 4.0)], "#粮食 101.9"),
    # fields and names keep their gaps: several chars on both sides, or a much wider gap
    ("header-fields", [("指标名称", 0), ("年末数（人）", 3.0), ("比重（%）", 3.0)], "指标名称 年末数（人） 比重（%）"),
    ("names-spaced", [("张", 0), ("三", 1.0), ("李", 4.0), ("四", 1.0)], "张三 李四"),
    ("issuer-and-date", [("县统计局", 0), ("2024年5月7日", 6.0)], "县统计局 2024年5月7日"),
    # footnote markers set small: bracketed or bare, on the baseline or raised
    ("marker-bracketed", [("生产总值", 0), ("[2]", 0, 0.65), ("1329.65亿元", 0)], "生产总值[2]1329.65亿元"),
    ("marker-superscript", [("生产总值", 0), ("2", 0, 0.6, 0.4), ("1329.65亿元", 0)], "生产总值[2]1329.65亿元"),
    ("marker-on-baseline", [("可支配收入", 0), ("7", 0, 0.6), ("40867元", 0)], "可支配收入[7]40867元"),
    ("marker-before-text", [("工业增加值", 0), ("3", 0, 0.6, 0.4), ("比上年增长4.7%", 0)], "工业增加值[3]比上年增长4.7%"),
    ("marker-circled", [("生产总值", 0), ("①", 0, 0.6, 0.4), ("1329.65亿元", 0)], "生产总值①1329.65亿元"),
    # an exponent after a Latin letter or a digit is no marker; a subscript neither
    ("unit-exponent", [("面积3.2万m", 0), ("2", 0, 0.6, 0.4), ("，同比", 0)], "面积3.2万m2，同比"),
    ("power-of-ten", [("约10", 0), ("3", 0, 0.6, 0.4), ("吨", 0)], "约103吨"),
    ("subscript", [("浓度", 0), ("2", 0, 0.6, -0.15), ("5微克", 0)], "浓度25微克"),
    ("small-number", [("全市PM", 0), ("2.5", 0, 0.65, -0.07), ("年平均浓度", 0)], "全市PM2.5年平均浓度"),
    # a soft hyphen drawn inside a line is a hyphen (2014­2020: a range of years)
    ("soft-hyphen", [("（2014\u00ad2020年）", 0)], "（2014-2020年）"),
]
# fmt: on


@pytest.mark.parametrize("case, spec, text", LINE_CASES, ids=[case for case, _, _ in LINE_CASES])
def test_pdf_lines_read_as_a_reader_sees_them(case: str, spec: list[tuple], text: str) -> None:
    lines = group_lines(_typeset(spec), 1)
    assert [line.text for line in lines] == [text]


def test_pdf_chars_dedupe_keeps_narrow_neighbours() -> None:
    """The two t of https are closer than a quarter em: neighbours all the same, not a copy."""
    narrow = [Char("t", 100 + 2.9 * i, 102.9 + 2.9 * i, 0, 10.5, 10.5, "Hei") for i in range(2)]
    overprinted = [Char("t", 200, 202.9, 0, 10.5, 10.5, "Hei"), Char("t", 200.3, 203.2, 0, 10.5, 10.5, "Hei")]
    kept = dedupe_counting_copies(narrow + overprinted)
    assert [(char.x0, char.copies) for char in kept] == [(100, 1), (102.9, 1), (200, 2)]


# -- a number a wrap cut (WPS, Word: Latin text may break inside a word) -------------------------

def _cut_filler(style: render_pdf.PdfStyle, number: str, line: int) -> tuple[str, int]:
    """CJK text before ``number`` so that printed line ``line`` (0-based) of the paragraph ends
    inside the number, and how many of its digits stay on that line."""
    for count in range(2, 600):
        filler = (CJK_FILLER * 20)[:count]
        lines = render_pdf.printed_lines(filler + number + "人，同比增长。", style)
        printed = lines[line] if len(lines) > line + 1 else ""
        for digits in range(1, len(number)):
            if printed.endswith(filler[-1] + number[:digits]) and number[digits - 1].isdigit() and number[digits].isdigit():
                return filler, digits
    raise AssertionError(f"no filler cuts {number} on line {line}")


_LINES_ON_PAGE = int((render_pdf.PAGE_SIZE[1] - render_pdf.TOP - render_pdf.BOTTOM) // render_pdf.LEADING)
# (number, printed line that ends inside it); the last line of page 1: the number goes on overleaf
CUT_NUMBERS = [("9587", 1), ("2428", 0), ("1136.5", 2), ("40867", _LINES_ON_PAGE - 1)]


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
@pytest.mark.parametrize("number, line", CUT_NUMBERS, ids=[f"{number}-line-{line}" for number, line in CUT_NUMBERS])
def test_read_pdf_number_cut_by_a_wrap_is_one_number(style: str, number: str, line: int) -> None:
    layout = _styled(style, break_latin=True)
    filler, digits = _cut_filler(layout, number, line)
    text = filler + number + "人，同比增长。"
    blocks = [_source(text), *(_source(body) for body in _BODY)]
    data = render_pdf.render_pdf(blocks, layout)
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the fixture does cut the number
        printed = [row for page in pdf.pages for row in (page.extract_text() or "").splitlines()]
    assert any(row.endswith(number[:digits]) for row in printed)
    document = read_bytes(data, "cut.pdf")
    assert document.status == "ok", document.error
    if line == _LINES_ON_PAGE - 1:
        assert document.pages == 2
    assert document.text.count(number + "人") == 1
    assert _texts(document) == [regex.sub(r"\s+", "", block.pieces[0][0]) for block in blocks]


def test_pdf_lines_cut_number_by_the_room_left() -> None:
    """958 | 7人: the line ended with no room for the 7 (a cut); with room for it, or with a space
    glyph at its end, the wrap fell between two words."""
    right = 400.0
    head = "就业困难人员共计安置人员"  # 12 ems, then 958 in 1.5 ems

    def ending(tail: str, room: float):
        width = 10.0 * (len(head) + 0.5 * len(tail))
        return group_lines(_typeset([(head, 0), (tail, 0)], x=right - width - room), 1)[0]

    next_line = group_lines(_typeset([("7人，同比增长", 0)]), 1)[0]
    full, short, spaced = ending("958", 2.0), ending("958", 30.0), ending("958 ", 2.0)
    assert (cuts_number(full, next_line, right), cuts_number(short, next_line, right), cuts_number(spaced, next_line, right)) == (True, False, False)
    assert "".join(t for t, _ in join_pieces(full.pieces, next_line.pieces, cut=True)).endswith("人员9587人，同比增长")
    assert "".join(t for t, _ in join_pieces(short.pieces, next_line.pieces)).endswith("人员958 7人，同比增长")


@needs_fonts
@pytest.mark.parametrize("break_latin", [False, True], ids=["words-whole", "latin-breaks"])
@pytest.mark.parametrize("style", STYLE_NAMES)
def test_reference_bulletin_pdf_gives_every_required_row(style: str, break_latin: bool, nlp) -> None:
    """The acceptance check of the brief: corpus/baoji-2022-14.md in each fixture style, and with
    numbers that a wrap may cut, gives all 28 required rows of its gold."""
    from pipeline.evaluate.score import read_csv, score_document
    from pipeline.process import process_bytes

    reference = Path(__file__).resolve().parent.parent / "corpus" / "baoji-2022-14.md"
    data = render_pdf.render_pdf(load_bulletin(reference), _styled(style, break_latin=break_latin))
    result = process_bytes(data, "baoji-2022-14.pdf", nlp)
    gold = read_csv(reference.parent / "gold" / "baoji-2022-14.csv")
    score = score_document("baoji-2022-14", gold, result.metrics, [])
    assert len([row for row in gold if row.get("optional") != "1"]) == 28
    assert (score.tp, score.fn) == (28, 0)


# -- page numbers, running headers ------------------------------------------------------------------

# fmt: off
PAGE_NUMBER_STYLES = [
    # (page number, side, split rise in pt): — 1 — and —1— centred (公文), -1- (WPS), –– 1 –– (a
    # template), a bare number; on the outer side (odd right, even left); a large number between
    # small dashes set higher, which groups into two lines ("1" and "— —") when set far enough up.
    ("— {n} —", "centre", 0.0), ("-{n}-", "centre", 0.0), ("—{n}—", "centre", 0.0), ("–– {n} ––", "centre", 0.0),
    ("— {n} —", "outside", 0.0), ("-{n}-", "outside", 0.0), ("{n}", "outside", 0.0), ("{n}", "centre", 0.0),
    ("— {n} —", "centre", 2.0), ("— {n} —", "outside", 8.0), ("-{n}-", "centre", 8.0),
]
# fmt: on
_PAGE_NUMBER_TEXT = regex.compile(r"^[\s\-–—]*(?:\d+|[\-–—])[\s\-–—]*$|[\-–—]\s*\d+\s*[\-–—]", regex.M)


@needs_fonts
@pytest.mark.parametrize("pages", [1, 3])
@pytest.mark.parametrize("number, side, split", PAGE_NUMBER_STYLES, ids=[f"{n.format(n=1)}-{s}-{r}" for n, s, r in PAGE_NUMBER_STYLES])
def test_read_pdf_drops_page_numbers_of_every_style(number: str, side: str, split: float, pages: int) -> None:
    layout = _styled("render-mode", page_number=number, page_number_side=side, page_number_split=split)
    # Paragraphs run over the page breaks, so each page number stands between two halves.
    body = [_source(text * (2 if pages > 1 else 1)) for text in (_BODY * 2)[: 5 * pages - 4]]
    blocks = [SourceBlock("heading", 1, ((("城关镇统计工作简报", False),),)), *body]
    document = read_bytes(render_pdf.render_pdf(blocks, layout), "numbers.pdf")
    assert document.status == "ok", document.error
    assert document.pages == pages
    assert not _PAGE_NUMBER_TEXT.search(document.text), document.text
    assert _texts(document)[-len(body):] == [regex.sub(r"\s+", "", block.pieces[0][0]) for block in body]
    if pages > 1:
        assert HEADER_TEXT not in document.text  # the running header, repeated on every page


def test_pdf_layout_page_number_in_pieces_on_two_baselines() -> None:
    """A 16 pt number between 9 pt dashes set higher: two lines ("3" and "— —") that read as one
    page number left to right; a one-page document has no repetition to tell it by."""
    body = _typeset([("各镇街道持续深化网格化管理服务机制。", 0)], size=16, x=90)
    chars = [Char(ch.text, ch.x0, ch.x1, ch.top + 200 + 30 * row, ch.bottom + 200 + 30 * row, ch.size, "Song") for row in range(12) for ch in body]
    chars += [Char("3", 484.3, 492.3, 786.0, 801.7, 16.0, "Times")]
    chars += [Char("—", 471.2, 480.2, 800.0, 809.0, 9.0, "Times"), Char("—", 496.3, 505.3, 800.0, 809.0, 9.0, "Times")]
    page = PageContent(3, 595, 842, lines=group_lines(chars, 3))
    assert [line.text for line in page.lines[-2:]] == ["3", "——"]
    drop_furniture([page])
    assert [line.text for line in page.lines] == ["各镇街道持续深化网格化管理服务机制。"] * 12


# -- footnote markers, soft hyphens, vertical writing, a title drawn as pictures, signs -----------

# fmt: off
FOOTNOTE_MARKERS = [
    # (case, paragraph with the marker in ^{…}, how far it is raised, text read, figures (value, unit))
    ("bracketed-on-baseline", "全年全州生产总值^{[2]}1329.65亿元，比上年增长4.0%。", 0.0,
     "全年全州生产总值[2]1329.65亿元，比上年增长4.0%。", [("132965000000", "元"), ("4", "%")]),
    ("bracketed-before-spaced-unit", "全州城镇常住居民人均可支配收入^{[7]}40867 元，比上年增长4.0%。", 0.0,
     "全州城镇常住居民人均可支配收入[7]40867元，比上年增长4.0%。", [("40867", "元"), ("4", "%")]),
    ("bare-superscript", "全年全州生产总值^{2}1329.65亿元，比上年增长4.0%。", 3.5,
     "全年全州生产总值[2]1329.65亿元，比上年增长4.0%。", [("132965000000", "元"), ("4", "%")]),
    ("bare-on-baseline", "社会消费品零售总额^{5}658.36亿元，比上年增长4.9%。", 0.0,
     "社会消费品零售总额[5]658.36亿元，比上年增长4.9%。", [("65836000000", "元"), ("4.9", "%")]),
    ("bare-before-text", "规模以上工业增加值^{3}比上年增长4.7%，其中轻工业增长16.8%。", 3.5,
     "规模以上工业增加值[3]比上年增长4.7%，其中轻工业增长16.8%。", [("4.7", "%"), ("16.8", "%")]),
    ("exponent-is-no-marker", "改造老旧小区3.2万m^{2}，惠及居民1200户。", 3.5,
     "改造老旧小区3.2万m2，惠及居民1200户。", [("1200", "户")]),
]
# fmt: on


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
@pytest.mark.parametrize("case, paragraph, rise, text, figures", FOOTNOTE_MARKERS, ids=[case[0] for case in FOOTNOTE_MARKERS])
def test_read_pdf_footnote_marker_stays_apart_from_the_figure(case: str, paragraph: str, rise: float, text: str, figures, style: str) -> None:
    from pipeline.normalize.quantities import QuantityFinder, format_decimal
    from pipeline.rules import load_rules

    blocks = [_source(paragraph), *(_source(body) for body in _BODY[:2])]
    document = read_bytes(render_pdf.render_pdf(blocks, _styled(style, marker_rise=rise)), "notes.pdf")
    assert document.status == "ok", document.error
    assert _texts(document)[0] == text
    block = next(block for block in document.blocks if regex.sub(r"\s+", "", document.block_text(block)) == text)
    found, _ = QuantityFinder(load_rules()).find(document.block_text(block))
    assert [(format_decimal(q.value), q.unit) for q in found] == figures


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
def test_read_pdf_soft_hyphen_and_no_break_space(style: str) -> None:
    """（2014­2020年）: the soft hyphen a conversion left for a dash is a range's dash; a no-break
    space at a line's end is no text."""
    blocks = [
        _source("各地要按照《社会信用体系建设规划纲要（2014\u00ad2020年）》要求，完善守信联合激励机制。"),
        _source("发改办财金规〔2019〕860号\u00a0"),
        *(_source(body) for body in _BODY[:2]),
    ]
    document = read_bytes(render_pdf.render_pdf(blocks, render_pdf.STYLES[style]), "hyphen.pdf")
    assert _texts(document)[:2] == ["各地要按照《社会信用体系建设规划纲要（2014-2020年）》要求，完善守信联合激励机制。", "发改办财金规〔2019〕860号"]
    assert "20142020" not in document.text and "\u00a0" not in document.text


# fmt: off
INVISIBLE = [
    ("（2014\u00ad2020年）", "（2014-2020年）"), ("１９\u00ad２０", "19-20"), ("信息\u00ad公开", "信息公开"),
    ("Inter\u00adnational", "International"), ("860号\u00a0关于", "860号 关于"),
]
# fmt: on


@pytest.mark.parametrize("raw, text", INVISIBLE)
def test_unicode_soft_hyphen_between_digits_is_a_dash(raw: str, text: str) -> None:
    from pipeline.ingest.unicode import normalize_text

    assert normalize_text(raw) == text


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
def test_read_pdf_vertical_writing_reads_top_to_bottom(style: str) -> None:
    """A column in a vertical-writing font (Identity-V and the other …-V encodings) beside the
    text: one block of its own, top to bottom, and the lines beside it untouched."""
    blocks = [
        SourceBlock("heading", 1, ((("政务公开工作年度报告", False),),)),
        _source(_BODY[0]),
        SourceBlock("vertical", 0, ((("本年度办理结果", False),),)),
        *(_source(body) for body in _BODY[1:]),
    ]
    document = read_bytes(render_pdf.render_pdf(blocks, render_pdf.STYLES[style]), "vertical.pdf")
    texts = _texts(document)
    assert "本年度办理结果" in texts
    assert [text for text in texts if text != "本年度办理结果"] == ["政务公开工作年度报告", *_BODY]


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
def test_read_pdf_spaced_labels_read_without_spaces(style: str) -> None:
    """一、综　　合 spread by the producer, and a table's row labels spread over their cells
    (林　　业): read as the words they are; a WPS-stretched line keeps its numbers whole."""
    blocks = [
        SourceBlock("heading", 1, ((("统计公报", False),),)),
        _source("一、综合", True, kind="spaced"),
        _source("如对本报告有疑问，请与县政府办公室联系，邮编：223100，网址：https://www.example.gov.cn/zwgk/index.html。"),
        SourceBlock("table", 0, (), (("指标", "总产值（亿元）", "增长（%）"), ("林业", "86.95", "4.2"), ("渔业", "15.49", "8.5"), ("水产品", "6.36", "5.7"))),
        *(_source(body) for body in _BODY[:2]),
    ]
    document = read_bytes(render_pdf.render_pdf(blocks, _styled(style, spread_labels=True)), "spaced.pdf")
    paragraphs = [document.block_text(block) for block in document.blocks if block.kind == "paragraph"]
    assert paragraphs[:2] == ["一、综合", "如对本报告有疑问，请与县政府办公室联系，邮编：223100，网址：https://www.example.gov.cn/zwgk/index.html。"]
    cells = [document.block_text(block) for block in document.blocks if block.kind == "table_cell"]
    assert cells[3::3] == ["林业", "渔业", "水产品"]


@needs_fonts
@pytest.mark.parametrize("style", STYLE_NAMES)
def test_read_pdf_title_drawn_as_pictures(style: str, nlp) -> None:
    """The title is a picture: the text starts with the issuer and the date, which are still
    the masthead; the figures (a signed one among them) keep their values."""
    from pipeline.process import process_bytes

    blocks = [
        SourceBlock("heading", 1, ((("湘西州2023年国民经济和社会发展统计公报", False),),)),
        _source("湘西州统计局"),
        _source("2024年4月30日"),
        _source("2023年，全州经济运行稳中有进，全年全州生产总值812.35亿元，比上年增长4.1%。"),
        _source("年末全州常住人口243.56万人，人口自然增长率-0.57‰，城镇化率为50.2%。"),
        *(_source(body) for body in _BODY[:2]),
    ]
    result = process_bytes(render_pdf.render_pdf(blocks, _styled(style, title_image=True)), "title.pdf", nlp)
    assert result.document.status == "ok", result.document.error
    assert _texts(result.document)[:2] == ["湘西州统计局", "2024年4月30日"]
    assert {(row["issuer"], row["issue_date"], row["county"]) for row in result.metrics} == {("湘西州统计局", "2024-04-30", "湘西土家族苗族自治州")}
    assert [(row["value"], row["unit"]) for row in result.metrics] == [
        ("81235000000", "元"), ("4.1", "%"), ("2435600", "人"), ("-0.57", "‰"), ("50.2", "%"),
    ]
