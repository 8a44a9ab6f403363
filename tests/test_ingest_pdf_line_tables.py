"""Tables a text kept only as lines (pipes, tabs, runs of spaces, one cell a line), read back
from that text rendered to PDF the four ways of ``benchmarks/real_formats.py``: the PDF reader
must find the same cells as the text reader, also across a page break."""

from __future__ import annotations

import pytest

from pipeline.ingest import read_bytes
from tests.fixtures import renderings
from tests.fixtures.compare import table_cells

_TOWNS = "南河 柳林 石门 大屯 青岗 白马 龙泉 枫桥 桃园 杏坪 松溪 梅岭 竹园 荷塘 柏树 槐村 榆林 桑园 茶坪 稻香".split()


def _long_rows(count: int) -> list[tuple[str, str, str]]:
    """Rows enough to run over a page break in every rendering: a village, two numbers."""
    return [(f"{_TOWNS[i % 20]}{'东西南北中'[i // 20]}村", f"{31 + (i * 37) % 260}", f"{(i * 13) % 97 / 10:.1f}") for i in range(count)]


# Prose around the tables, as in a bulletin: lines long enough to wrap, so that the margins the
# reader measures are the page's.
_OPENING = ("今年以来，全县坚持稳中求进工作总基调，统筹推进产业发展、项目建设和民生保障各项工作，主要经济指标保持平稳增长态势，"
            "为完成全年目标任务打下了坚实基础。\n")
_CLOSING = ("下一步，全县将紧盯年度目标任务，持续抓好重点项目建设和招商引资工作，着力扩大有效投资，促进消费持续恢复，"
            "推动经济运行持续向好，确保全年各项目标任务圆满完成。\n")

# case → (text, how many tables the text reader finds in it)
LINE_TABLES = {
    "pipe-rows-with-unit-column": (
        "城南区一季度社会事业发展情况通报\n" + _OPENING +
        "附表：城南区2024年一季度社会事业主要指标\n"
        "指标 | 单位 | 数值 | 比上年同期增长%\n"
        "新增城镇就业 | 人 | 3860 | 6.4\n"
        "城乡居民养老保险参保 | 万人 | 41.7 | 2.2\n"
        "新建幼儿园 | 所 | — | —\n"
        "普惠托育机构 | 个 | 19 | 11.8\n"
        "注：新建幼儿园数据待核实后另行通报。\n" + _CLOSING, 1),
    "tab-rows-under-a-unit-line": (
        _OPENING + "全县冬小麦播种任务全面完成，各乡镇播种情况如下：\n"
        "单位：万亩\n"
        "乡镇\t播种面积\t其中：优质麦\t比上年增减\n"
        "南河镇\t6.42\t3.10\t0.35\n"
        "柳林乡\t4.87\t2.26\t-0.12\n"
        "石门镇\t5.09\t2.73\t0.21\n"
        "大屯乡\t3.76\t1.58\t0.08\n"
        "经济技术开发区\t0.94\t0.51\t0.02\n"  # LibreOffice's tab stop leaves 0.09 em after 7 ideographs
        "全县冬小麦长势总体良好，苗情好于上年。\n" + _CLOSING, 1),
    "indented-rows-aligned-with-spaces": (
        _OPENING +
        "　　表2　各街道养老服务设施建设情况\n"
        "　　街道        日间照料中心    助餐点    床位\n"
        "　　东关街道    4    9    126\n"
        "    西城街道    3    7    88\n"
        "　　北苑街道    5    11    142\n"
        "　　各街道养老服务设施实现全覆盖。\n" + _CLOSING, 1),
    "one-cell-a-line": (
        _OPENING + "2023年各县区新建农村公路\n县区\n里程（公里）\n投资（亿元）\n"
        "安平县\n126.4\n3.82\n河阳区\n98.7\n2.95\n青石县\n143.2\n4.10\n"
        "农村公路建设完成年度目标任务。\n" + _CLOSING, 1),
    "tab-rows-over-a-page-break": (
        _OPENING + "各村集体经济收入情况如下（单位：万元）：\n村\t收入\t增长%\n"
        + "".join("\t".join(row) + "\n" for row in _long_rows(70))
        + "村集体经济发展势头良好。\n" + _CLOSING, 1),
    "one-cell-a-line-over-a-page-break": (
        _OPENING + "各村新建温室大棚情况\n村\n大棚（座）\n面积（亩）\n"
        + "".join("\n".join(row) + "\n" for row in _long_rows(26))
        + "设施农业规模持续扩大。\n" + _CLOSING, 1),
    "prose-that-looks-like-rows": (
        "第 3 期\n城关镇人民政府办公室    2024年4月2日\n做好春耕备耕 夯实粮食安全根基\n"
        "城乡低保提标扩面 | 养老服务提质增效 | 就业创业稳中有进\n一、总体情况  二、主要做法  三、下一步打算\n"
        + _OPENING + "1. 粮食播种 52.3 万亩\n2. 油料播种 8.6 万亩\n全镇累计发放农资补贴 126 万元，惠及农户 3400 户。\n"
        "全镇 | 126 万元\n" + _CLOSING, 0),
}

@pytest.fixture(scope="module")
def rendered_line_tables(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """Every case of LINE_TABLES rendered the four ways at once (one soffice call). A machine
    without the fonts or LibreOffice fails here, saying which: .ci/apt-packages installs them."""
    missing = renderings.missing()
    assert missing is None, missing
    return renderings.render_texts({name: text for name, (text, _) in LINE_TABLES.items()}, tmp_path_factory.mktemp("line-tables"))


@pytest.mark.parametrize("rendering", renderings.RENDERINGS)
@pytest.mark.parametrize("case", list(LINE_TABLES))
def test_read_pdf_of_a_text_gives_its_line_tables(case: str, rendering: str, rendered_line_tables) -> None:
    text, tables = LINE_TABLES[case]
    expected = table_cells(read_bytes(text.encode(), f"{case}.txt"))
    assert len({table for table, _, _ in expected}) == tables  # the text reader's own reading
    document = read_bytes(rendered_line_tables[case, rendering], f"{case}.pdf")
    assert document.status == "ok", document.error
    assert table_cells(document) == expected
    if case.endswith("over-a-page-break"):  # the case needs a table cut by a page break
        assert len({block.page for block in document.blocks if block.kind == "table_cell"}) > 1
