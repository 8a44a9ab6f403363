"""Tables as office producers print them, read cell by cell: every value cell one row whose
measure is its header path, whose unit comes from the cell or its headers and whose county is
the document's (or its header's place).

The PDFs are drawn here with reportlab the way WPS and Word export a report's tables: white,
unstroked backgrounds behind every paragraph and cell, gray table text, headers of several rows
with merged cells, a label written one character a line in a merged cell, tables a page break
cuts (the header not repeated, a merged label going on overleaf as an empty box, a sub-table's
caption row ending one page and its table on the next, a header cell with no top border), and
the statistical 三线表 (rules over and under the header and under the last row, vertical rules
between the columns only, parts shown by indenting 其中/# rows) and booktabs tables.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.extraction.table_headers import clean_label, value_cells
from pipeline.process import process_bytes
from pipeline.structure.layout import TableCell
from tests.fixtures.render_pdf import FONT_FILES

W, H = 595.0, 842.0
LEFT, RIGHT = 72.0, 523.0
BODY = 15.0
CELL = 10.5


@dataclass
class C:
    """A cell of a drawn table: grid position, spans, text ("\\n" breaks lines), indent in ems."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    indent: float = 0.0
    vertical: bool = False
    no_top: bool = False  # its top border is not drawn (the table above ends on the page before)


class Pdf:
    def __init__(self) -> None:
        for name, path in FONT_FILES.items():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=(W, H))
        self.page = 1
        self.y = 80.0  # top of the next line, from the top edge

    def _text(self, x: float, top: float, text: str, size: float, gray: bool = False, font: str = "Ming") -> None:
        self.c.setFillColorRGB(*((0.2, 0.2, 0.2) if gray else (0, 0, 0)))
        self.c.setFont(font, size)
        self.c.drawString(x, H - top - 0.88 * size, text)

    def _white(self, x0: float, top: float, x1: float, bottom: float) -> None:
        """WPS paints every paragraph's and cell's background: white, no border."""
        self.c.setFillColorRGB(1, 1, 1)
        self.c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)

    def line(self, text: str, *, indent: bool = True, bold: bool = False, centred: bool = False) -> None:
        self._white(LEFT - 2, self.y - 4, RIGHT + 2, self.y + 1.6 * BODY - 4)
        font = "Hei" if bold else "Ming"
        width = pdfmetrics.stringWidth(text, font, BODY)
        x = (W - width) / 2 if centred else LEFT + (2 * BODY if indent else 0)
        self._text(x, self.y, text, BODY, font=font)
        self.y += 1.6 * BODY

    def new_page(self) -> None:
        self._text(W / 2 - 10, H - 50, f"- {self.page} -", 12)
        self.c.showPage()
        self.page += 1
        self.y = 80.0

    def table(self, widths: list[float], heights: list[float], cells: list[C], *, rules: str = "grid", header_rows: int = 1,
              open_top: bool = False, open_bottom: bool = False) -> None:
        xs = [LEFT + sum(widths[:i]) for i in range(len(widths) + 1)]
        ys = [self.y + sum(heights[:i]) for i in range(len(heights) + 1)]
        c = self.c
        c.setLineWidth(0.5)
        c.setStrokeColorRGB(0, 0, 0)

        def hline(x0: float, x1: float, y: float) -> None:
            c.line(x0, H - y, x1, H - y)

        def vline(x: float, y0: float, y1: float) -> None:
            c.line(x, H - y0, x, H - y1)

        for cell in cells:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            top, bottom = ys[cell.row], ys[cell.row + cell.rowspan]
            if rules == "grid":
                self._white(x0, top, x1, bottom)
                if not (cell.no_top or (open_top and cell.row == 0)):
                    hline(x0, x1, top)
                if not (open_bottom and cell.row + cell.rowspan == len(heights)):
                    hline(x0, x1, bottom)
                vline(x0, top, bottom)
                vline(x1, top, bottom)
            if cell.vertical:
                for i, char in enumerate(cell.text):
                    self._text((x0 + x1 - CELL) / 2, top + 3 + i * 1.3 * CELL, char, CELL, gray=True)
            else:
                for i, text in enumerate(cell.text.split("\n")):
                    self._text(x0 + 3 + cell.indent * CELL, top + 4 + i * 1.3 * CELL, text, CELL, gray=True)
        if rules in ("three", "booktabs"):
            c.setLineWidth(0.8)
            if not open_top:
                hline(xs[0], xs[-1], ys[0])
            if not open_top and header_rows:
                hline(xs[0], xs[-1], ys[header_rows])
            if not open_bottom:
                hline(xs[0], xs[-1], ys[-1])
            if rules == "three":
                for x in xs[1:-1]:
                    vline(x, ys[0], ys[-1])
        self.y = ys[-1] + 12

    def bytes(self) -> bytes:
        self._text(W / 2 - 10, H - 50, f"- {self.page} -", 12)
        self.c.save()
        return self.buffer.getvalue()


def _row_cells(row: int, label_cells: list[C], values: list[int | str], first: int) -> list[C]:
    return label_cells + [C(row, first + i, str(v)) for i, v in enumerate(values)]


def works_report() -> bytes:
    """A report's statistical table: a three-row header under a title across every value
    column, a note in the corner, a label written one character a line, cut by a page break
    that leaves two merged labels going on as empty boxes; prose counts 项目 in 个."""
    pdf = Pdf()
    pdf.line("眉县2023年农村公路建设工作年度报告", indent=False, bold=True, centred=True)
    pdf.line("全县新开工农村公路项目15个，完成投资3.2亿元。")
    pdf.line("一、项目办理情况", indent=False, bold=True)
    widths = [22, 78, 100] + [50] * 5
    head = [C(0, 0, "（本表第三项等于第一项加第二项）", 3, 3), C(0, 3, "建设类型", colspan=5),
            C(1, 3, "新建", colspan=2), C(1, 5, "改建", colspan=2), C(1, 7, "合计", rowspan=2),
            C(2, 3, "县道"), C(2, 4, "乡道"), C(2, 5, "县道"), C(2, 6, "乡道")]
    body = (_row_cells(3, [C(3, 0, "一、本年新开工项目数量", colspan=3)], [4, 6, 2, 3, 15], 3)
            + _row_cells(4, [C(4, 0, "二、上年结转项目数量", colspan=3)], [1, 0, 0, 2, 3], 3)
            + _row_cells(5, [C(5, 0, "三、本年完成情况", rowspan=3, vertical=True), C(5, 1, "（一）已完工", colspan=2)], [3, 4, 1, 2, 10], 3)
            + _row_cells(6, [C(6, 1, "（二）在建", rowspan=2), C(6, 2, "1.路基工程")], [1, 1, 0, 1, 3], 3)
            + _row_cells(7, [C(7, 2, "2.路面工程")], [0, 1, 1, 0, 2], 3))
    pdf.table(widths, [24, 22, 30, 22, 22, 40, 40, 40], head + body, open_bottom=True)
    pdf.new_page()
    rest = (_row_cells(0, [C(0, 0, "", rowspan=2), C(0, 1, ""), C(0, 2, "3.桥涵工程")], [1, 0, 0, 1, 2], 3)
            + _row_cells(1, [C(1, 1, "（三）停建", colspan=2)], [0, 0, 0, 1, 1], 3)
            + _row_cells(2, [C(2, 0, "四、结转下年度项目", colspan=3)], [1, 0, 0, 1, 2], 3))
    pdf.table(widths, [40, 22, 22], rest, open_top=True)
    pdf.line("二、存在的问题", indent=False, bold=True)
    pdf.line("部分项目进度偏慢，下一步将加强调度。")
    return pdf.bytes()


def captions_report() -> bytes:
    """Sub-tables under caption rows in one grid; the last caption ends page 1 and its table is
    on page 2, where the first header cell has no top border."""
    pdf = Pdf()
    pdf.line("眉县2023年政务公开工作年度报告", indent=False, bold=True, centred=True)
    pdf.line("全年主动公开政府信息326条。")
    widths = [150, 150, 151]
    cells = [C(0, 0, "（一）规范性文件", colspan=3),
             C(1, 0, "类别"), C(1, 1, "本年印发件数"), C(1, 2, "现行有效件数"),
             C(2, 0, "通知"), C(2, 1, "12"), C(2, 2, "30"),
             C(3, 0, "意见"), C(3, 1, "4"), C(3, 2, "9"),
             C(4, 0, "（二）行政审批", colspan=3)]
    pdf.y = 620
    pdf.table(widths, [26, 26, 24, 24, 26], cells, open_bottom=True)
    pdf.new_page()
    cells = [C(0, 0, "类别", no_top=True), C(0, 1, "本年审批数量", colspan=2),
             C(1, 0, "许可"), C(1, 1, "57", colspan=2),
             C(2, 0, "（三）收费", colspan=3),
             C(3, 0, "类别"), C(3, 1, "收费金额（单位：万元）", colspan=2),
             C(4, 0, "工本费"), C(4, 1, "3.5", colspan=2)]
    pdf.table(widths, [26, 24, 26, 26, 24], cells, open_top=True)
    pdf.line("以上数据截至2023年12月31日。")
    return pdf.bytes()


def communique() -> bytes:
    """三线表: units in the headers, parts indented under their total (#, 其中：), no rules
    between the body rows, the first table going on overleaf without its header."""
    pdf = Pdf()
    pdf.line("眉县2023年国民经济和社会发展统计公报", indent=False, bold=True, centred=True)
    pdf.line("年末全县户籍人口30.5万人。")
    pdf.line("表1 2023年末户籍人口及其构成", indent=False, bold=True, centred=True)
    widths = [200, 130, 121]
    head = [C(0, 0, "指标"), C(0, 1, "年末数（人）"), C(0, 2, "比重（%）")]
    rows = [("全县户籍人口", 0, "305000", "100.0"), ("#城镇", 1, "120500", "39.5"), ("乡村", 1.5, "184500", "60.5")]
    body = [cell for r, (label, indent, a, b) in enumerate(rows, 1) for cell in (C(r, 0, label, indent=indent), C(r, 1, a), C(r, 2, b))]
    pdf.y = 680
    pdf.table(widths, [24] + [20] * 3, head + body, rules="three", open_bottom=True)
    pdf.new_page()
    rows = [("#男性", 1, "156000", "51.1"), ("女性", 1.5, "149000", "48.9")]
    body = [cell for r, (label, indent, a, b) in enumerate(rows) for cell in (C(r, 0, label, indent=indent), C(r, 1, a), C(r, 2, b))]
    pdf.table(widths, [20] * 2, body, rules="three", header_rows=0, open_top=True)
    pdf.line("表2 2023年农业总产值及其增长速度", indent=False, bold=True, centred=True)
    head = [C(0, 0, "指标名称"), C(0, 1, "绝对数（亿元）"), C(0, 2, "比上年增长（%）")]
    rows = [("农业总产值", 0, "25.6", "3.2"), ("其中：种植业", 1, "15.1", "-1.5"), ("林业", 4, "2.3", "4.0"),
            ("农业专业及\n辅助性活动", 4, "1.2", "5.0"), ("渔业", 4, "0.9", "2.1")]  # a label wrapped in its row
    body = [cell for r, (label, indent, a, b) in enumerate(rows, 1) for cell in (C(r, 0, label, indent=indent), C(r, 1, a), C(r, 2, b))]
    pdf.table(widths, [24] + [20] * 3 + [32, 20], head + body, rules="three")
    pdf.line("全年粮食产量保持稳定。")
    return pdf.bytes()


def repeated_header() -> bytes:
    """A ruled grid going on overleaf under its header row printed again."""
    pdf = Pdf()
    pdf.line("眉县2023年农村饮水工程建设情况通报", indent=False, bold=True, centred=True)
    pdf.line("全县农村饮水工程建设进展顺利。")
    widths = [151, 150, 150]
    head = [C(0, 0, "镇别"), C(0, 1, "新建水厂（座）"), C(0, 2, "受益人口（万人）")]
    pdf.y = 700
    pdf.table(widths, [24, 22, 22], head + [C(1, 0, "甲镇"), C(1, 1, "3"), C(1, 2, "1.2"), C(2, 0, "乙镇"), C(2, 1, "2"), C(2, 2, "0.8")])
    pdf.new_page()
    pdf.table(widths, [24, 22], head + [C(1, 0, "丙镇"), C(1, 1, "1"), C(1, 2, "0.5")])
    pdf.line("各镇要加快工程进度。")
    return pdf.bytes()


def booktabs() -> bytes:
    """Rules across only (booktabs): a 序号 column and amounts with thousands separators."""
    pdf = Pdf()
    pdf.line("某单位2024年经费使用情况", indent=False, bold=True, centred=True)
    pdf.line("现将本年度经费使用情况报告如下。")
    widths = [50, 130, 140, 131]
    cells = [C(0, 0, "序号"), C(0, 1, "项目"), C(0, 2, "预算金额（元）"), C(0, 3, "备注")]
    for r, (name, amount, note) in enumerate([("设备购置", "12,000.00", "已完成"), ("人员培训", "8,500.50", "进行中"), ("会议费", "3,000.00", "已结算")], 1):
        cells += [C(r, 0, str(r)), C(r, 1, name), C(r, 2, amount), C(r, 3, note)]
    pdf.table(widths, [24, 20, 20, 20], cells, rules="booktabs")
    pdf.line("经费使用符合规定。")
    return pdf.bytes()


def _rows(data: bytes, nlp) -> list[dict]:
    result = process_bytes(data, "report.pdf", nlp)
    assert result.document.status == "ok", result.document.error
    return result.metrics


def _table_rows(rows: list[dict]) -> set[tuple[str, Decimal, str, str]]:
    return {(r["county"], Decimal(r["value"]), r["unit"], r["measure"]) for r in rows if " | " in r["evidence"]}


COLUMNS = ["新建 县道", "新建 乡道", "改建 县道", "改建 乡道", "合计"]
WORKS = {
    "本年新开工项目数量": [4, 6, 2, 3, 15],
    "上年结转项目数量": [1, 0, 0, 2, 3],
    "本年完成情况 已完工": [3, 4, 1, 2, 10],
    "本年完成情况 在建 路基工程": [1, 1, 0, 1, 3],
    "本年完成情况 在建 路面工程": [0, 1, 1, 0, 2],
    "本年完成情况 在建 桥涵工程": [1, 0, 0, 1, 2],
    "本年完成情况 停建": [0, 0, 0, 1, 1],
    "结转下年度项目": [1, 0, 0, 1, 2],
}

CASES = {
    "merged headers, vertical label, cut by a page break": (works_report, {
        ("眉县", Decimal(v), "个", f"{row} {column}") for row, values in WORKS.items() for column, v in zip(COLUMNS, values)}),
    "caption rows, a caption ending the page, 件数 and 数量, 单位：万元": (captions_report, {
        ("眉县", Decimal(12), "件", "通知 本年印发件数"), ("眉县", Decimal(30), "件", "通知 现行有效件数"),
        ("眉县", Decimal(4), "件", "意见 本年印发件数"), ("眉县", Decimal(9), "件", "意见 现行有效件数"),
        ("眉县", Decimal(57), "件", "许可 本年审批数量"), ("眉县", Decimal(35000), "元", "工本费 收费金额")}),
    "三线表 with indented parts, continued overleaf": (communique, {
        ("眉县", Decimal(305000), "人", "户籍人口 年末数"), ("眉县", Decimal(100), "%", "户籍人口 比重"),
        ("眉县", Decimal(120500), "人", "户籍人口 城镇 年末数"), ("眉县", Decimal("39.5"), "%", "户籍人口 城镇 比重"),
        ("眉县", Decimal(184500), "人", "户籍人口 乡村 年末数"), ("眉县", Decimal("60.5"), "%", "户籍人口 乡村 比重"),
        ("眉县", Decimal(156000), "人", "户籍人口 男性 年末数"), ("眉县", Decimal("51.1"), "%", "户籍人口 男性 比重"),
        ("眉县", Decimal(149000), "人", "户籍人口 女性 年末数"), ("眉县", Decimal("48.9"), "%", "户籍人口 女性 比重"),
        ("眉县", Decimal(2560000000), "元", "农业总产值"), ("眉县", Decimal("3.2"), "%", "农业总产值 比上年增长"),
        ("眉县", Decimal(1510000000), "元", "农业总产值 种植业"), ("眉县", Decimal("-1.5"), "%", "农业总产值 种植业 比上年增长"),
        ("眉县", Decimal(230000000), "元", "农业总产值 林业"), ("眉县", Decimal(4), "%", "农业总产值 林业 比上年增长"),
        ("眉县", Decimal(120000000), "元", "农业总产值 农业专业及辅助性活动"), ("眉县", Decimal(5), "%", "农业总产值 农业专业及辅助性活动 比上年增长"),
        ("眉县", Decimal(90000000), "元", "农业总产值 渔业"), ("眉县", Decimal("2.1"), "%", "农业总产值 渔业 比上年增长")}),
    "continued overleaf under its header again": (repeated_header, {
        ("眉县", Decimal(3), "座", "甲镇 新建水厂"), ("眉县", Decimal(12000), "人", "甲镇 受益人口"),
        ("眉县", Decimal(2), "座", "乙镇 新建水厂"), ("眉县", Decimal(8000), "人", "乙镇 受益人口"),
        ("眉县", Decimal(1), "座", "丙镇 新建水厂"), ("眉县", Decimal(5000), "人", "丙镇 受益人口")}),
    "booktabs rules, 序号 column": (booktabs, {
        ("", Decimal(12000), "元", "设备购置 预算金额"), ("", Decimal("8500.5"), "元", "人员培训 预算金额"), ("", Decimal(3000), "元", "会议费 预算金额")}),
}


@pytest.mark.usefixtures("cjk_fonts")
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_pdf_table_cells_are_figures(case, nlp):
    make, expected = CASES[case]
    rows = _rows(make(), nlp)
    cells = [r for r in rows if " | " in r["evidence"]]
    assert _table_rows(rows) == expected
    assert len(cells) == len(expected)  # no cell twice, no header cell, no 序号


@pytest.mark.usefixtures("cjk_fonts")
def test_white_backgrounds_make_no_table_of_the_prose(nlp):
    rows = _rows(works_report(), nlp)
    prose = {(r["value"], r["unit"]): r for r in rows if " | " not in r["evidence"]}
    assert prose[("15", "个")]["measure"] == "新开工农村公路项目" and prose[("320000000", "元")]["page"] == 1
    assert {r["page"] for r in rows if r["measure"].startswith("结转下年度项目")} == {2}


@pytest.mark.usefixtures("cjk_fonts")
def test_pdf_table_cells_keep_their_spans_across_the_page_break():
    from pipeline.ingest.pdf import read_pdf

    blocks, _ = read_pdf(works_report())
    cells = {b.text: b.table for b in blocks if b.kind == "table_cell"}
    assert cells["三、本年完成情况"]["rowspan"] == 5 and cells["（二）在建"]["rowspan"] == 3
    assert cells["建设类型"]["colspan"] == 5 and cells["合计"]["rowspan"] == 2
    assert len({b.table["table"] for b in blocks if b.kind == "table_cell"}) == 1
    assert cells["四、结转下年度项目"]["row"] == 10

    blocks, _ = read_pdf(repeated_header())  # the header printed again overleaf is read once
    cells = [b for b in blocks if b.kind == "table_cell"]
    assert len({b.table["table"] for b in cells}) == 1 and [b.text for b in cells].count("镇别") == 1
    assert {b.text: b.table["row"] for b in cells}["丙镇"] == 3


MARKDOWN = "# 眉县农业农村局工作简报\n\n{body}\n"
MARKDOWN_CASES = {
    "a 单位 column gives the unit of columns without their own": (
        "| 指标 | 单位 | 产量 | 比上年增长（%） |\n|---|---|---|---|\n| 粮食 | 万吨 | 12.5 | 1.8 |\n| #玉米 | 万吨 | 8.1 | -0.6 |\n",
        {("眉县", Decimal(125000), "吨", "粮食 产量"), ("眉县", Decimal("1.8"), "%", "粮食 比上年增长"),
         ("眉县", Decimal(81000), "吨", "玉米 产量"), ("眉县", Decimal("-0.6"), "%", "玉米 比上年增长")}),
    "a unit line above the table, places down the side": (
        "单位：万元\n\n| 县区 | 投入资金 |\n|---|---|\n| 凤县 | 86.5 |\n| 合计 | 120 |\n",
        {("凤县", Decimal(865000), "元", "投入资金"), ("眉县", Decimal(1200000), "元", "投入资金")}),
    "years over the columns are headers": (
        "| 指标 | 2022 | 2023 |\n|---|---|---|\n| 粮食产量（万吨） | 12.1 | 12.5 |\n",
        {("眉县", Decimal(121000), "吨", "粮食产量 2022"), ("眉县", Decimal(125000), "吨", "粮食产量 2023")}),
    "places across the top": (
        "| 指标 | 眉县 | 凤县 |\n|---|---|---|\n| 新建驿站（个） | 7 | 5 |\n",
        {("眉县", Decimal(7), "个", "新建驿站"), ("凤县", Decimal(5), "个", "新建驿站")}),
}


@pytest.mark.parametrize("case", MARKDOWN_CASES, ids=list(MARKDOWN_CASES))
def test_text_table_cells_are_figures(case, nlp):
    body, expected = MARKDOWN_CASES[case]
    rows = process_bytes(MARKDOWN.format(body=body).encode(), "brief.md", nlp).metrics
    assert _table_rows(rows) == expected


HTML = ("<html><head><meta charset='utf-8'></head><body><h1>眉县农业农村局工作简报</h1><p>全县高标准农田建设进展顺利。</p>"
        "<table><tr><td>县区</td><td colspan='2'>面积（亩）</td></tr><tr><td></td><td>计划</td><td>完成</td></tr>"
        "<tr><td>凤县</td><td>800</td><td>650</td></tr><tr><td>合计</td><td>1500</td><td>1200</td></tr></table></body></html>")


def test_html_header_over_the_columns_below_it(nlp):
    rows = process_bytes(HTML.encode(), "brief.html", nlp).metrics
    assert _table_rows(rows) == {("凤县", Decimal(800), "亩", "面积 计划"), ("凤县", Decimal(650), "亩", "面积 完成"),
                                 ("眉县", Decimal(1500), "亩", "面积 计划"), ("眉县", Decimal(1200), "亩", "面积 完成")}


def _cell(row: int, col: int, rowspan: int = 1, colspan: int = 1, indent: float | None = None) -> TableCell:
    return TableCell(0, 0, 0, row, col, 1, rowspan, colspan, indent)


HEADER_CASES = {
    "a title across the value columns is no level; the corner is no label": (
        [(_cell(0, 0, 2, 1), "项目"), (_cell(0, 1, 1, 2), "申报情况"), (_cell(1, 1), "个人"), (_cell(1, 2), "法人"),
         (_cell(2, 0), "（一）受理"), (_cell(2, 1), "3"), (_cell(2, 2), "4")],
        [(["（一）受理"], ["个人"], "3"), (["（一）受理"], ["法人"], "4")]),
    "merged row labels cover the rows they span": (
        [(_cell(0, 0, 1, 2), "类别"), (_cell(0, 2), "数量"),
         (_cell(1, 0, 2, 1), "审批"), (_cell(1, 1), "许可"), (_cell(1, 2), "5"), (_cell(2, 1), "备案"), (_cell(2, 2), "6")],
        [(["审批", "许可"], ["数量"], "5"), (["审批", "备案"], ["数量"], "6")]),
    "indented parts sit under their total": (
        [(_cell(0, 0), "指标"), (_cell(0, 1), "数值"), (_cell(1, 0, indent=0.5), "总量"), (_cell(1, 1), "9"),
         (_cell(2, 0, indent=1.5), "#甲"), (_cell(2, 1), "5"), (_cell(3, 0, indent=2.0), "乙"), (_cell(3, 1), "4")],
        [(["总量"], ["数值"], "9"), (["总量", "#甲"], ["数值"], "5"), (["总量", "乙"], ["数值"], "4")]),
    "spans unknown: a header over the empty places to its right that the row below divides": (
        [(TableCell(0, 0, 0, 0, 0, 1), "县区"), (TableCell(0, 0, 0, 0, 1, 1), "面积"),
         (TableCell(0, 0, 0, 1, 1, 1), "计划"), (TableCell(0, 0, 0, 1, 2, 1), "完成"),
         (TableCell(0, 0, 0, 2, 0, 1), "眉县"), (TableCell(0, 0, 0, 2, 1, 1), "8"), (TableCell(0, 0, 0, 2, 2, 1), "6")],
        [(["眉县"], ["面积", "计划"], "8"), (["眉县"], ["面积", "完成"], "6")]),
}


@pytest.mark.parametrize("case", HEADER_CASES, ids=list(HEADER_CASES))
def test_header_paths(case):
    cells, expected = HEADER_CASES[case]
    found = value_cells(cells, lambda text: text.isdigit())
    assert [(v.row_labels, v.column_labels, v.text) for v in found] == expected


@pytest.mark.parametrize("label, word", [
    ("（三）不予公开", "不予公开"), ("1.属于国家秘密", "属于国家秘密"), ("#城镇", "城镇"), ("其中：男性", "男性"),
    ("（二）部分公开（区分处理的，只计一种情形）", "部分公开"), ("0-15岁（含不满16周岁）", "0-15岁（含不满16周岁）"),
    ("四、结转 下年度", "结转下年度"),
])
def test_clean_label(label, word):
    assert clean_label(label) == word
