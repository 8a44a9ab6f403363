"""Text formats: encodings, Unicode look-alikes, Markdown bold, mended paragraphs, metadata."""

import pytest

from pipeline.ingest import read_bytes
from pipeline.ingest.text_tables import find_tables
from pipeline.ingest.unicode import normalize_text
from pipeline.structure.metadata import read_metadata

# fmt: off
UNICODE = [
    ("１２３４５", "12345"), ("⽉", "月"), ("⼤", "大"), ("１．５％", "1.5%"), ("ＡＢＣ", "ABC"),
    ("全\u3000市", "全 市"), ("零\u200b宽", "零宽"), ("，。；：（）", "，。；：（）"), ("\uf900", "豈"),
]
# fmt: on


@pytest.mark.parametrize("raw, expected", UNICODE)
def test_ingest_unicode_folds_lookalikes(raw, expected):
    assert normalize_text(raw) == expected


def test_ingest_markdown_bold_runs_and_rejoined_page_cut():
    text = "## 标题\n\n**突出安民目标，建设平安型社区。**依托“雪亮工程”建设，\n\n推动“大监控+小探头”向社区延伸，建成小区48个。\n\n**眉县**健全体系。"
    document = read_bytes(text.encode("utf-8"), "a.md")
    paragraphs = [document.block_text(b) for b in document.blocks]
    assert paragraphs[1] == "突出安民目标，建设平安型社区。依托“雪亮工程”建设，推动“大监控+小探头”向社区延伸，建成小区48个。"
    assert document.blocks[1].joined_from == 2
    assert [document.text[s.start : s.end] for s in document.blocks[1].bold] == ["突出安民目标，建设平安型社区。"]
    assert [document.text[s.start : s.end] for s in document.blocks[2].bold] == ["眉县"]


def test_ingest_plain_text_hard_wraps_are_joined():
    text = "　　全市新建养老驿站12个，培训护理员300余人，\n实现城区全覆盖。\n　　二、下一步工作\n"
    document = read_bytes(text.encode("gbk"), "a.txt")
    assert [document.block_text(b) for b in document.blocks] == ["全市新建养老驿站12个，培训护理员300余人，实现城区全覆盖。", "二、下一步工作"]


# fmt: off
METADATA = [
    ("第 14 期\n\n（“四型”社区建设）\n\n中共宝鸡市委组织部办公室\n\n2022 年 10 月 20 日\n\n## 标题一\n\n正文。", ("14", "“四型”社区建设", "中共宝鸡市委组织部办公室", "2022-10-20", "标题一")),
    ("总第126期\n\n岳阳市人力资源和社会保障局办公室\n\n2023年5月8日\n\n## 标题二\n\n正文。", ("126", "", "岳阳市人力资源和社会保障局办公室", "2023-05-08", "标题二")),
    ("第三期\n\n市民政局\n\n二〇二三年三月一日\n\n标题三\n\n正文，很长的一段话。", ("3", "", "市民政局", "2023-03-01", "标题三")),
]
# fmt: on


@pytest.mark.parametrize("text, expected", METADATA)
def test_ingest_metadata(text, expected):
    meta = read_metadata(read_bytes(text.encode("utf-8"), "a.md"))
    assert (meta.issue_no, meta.series, meta.issuer, meta.issue_date, meta.title) == expected


def test_ingest_distribution_lists():
    text = "第 1 期\n\n市委办公室\n\n## 标题\n\n正文，建成3个。\n\n---\n\n呈：张三、李四\n\n送：省委办公室，部领导\n\n发：各县区委"
    meta = read_metadata(read_bytes(text.encode("utf-8"), "a.md"))
    assert meta.distribution == {"呈": ["张三", "李四"], "送": ["省委办公室", "部领导"], "发": ["各县区委"]}


# fmt: off
# Tables a text file kept only as lines: (text, expected rows of cells, or [] for no table).
TEXT_TABLES = [
    ("tab-separated rows", "表1 主要农产品产量\n指标\t产量\t比上年增长%\n粮食\t52.3\t1.2\n油料\t8.6\t-2.1\n",
     [["指标", "产量", "比上年增长%"], ["粮食", "52.3", "1.2"], ["油料", "8.6", "-2.1"]]),
    ("pipe rows without a Markdown rule line", "指标 | 单位 | 数值\n地区生产总值 | 亿元 | 1329.65\n一般公共预算收入 | 亿元 | 86.4\n",
     [["指标", "单位", "数值"], ["地区生产总值", "亿元", "1329.65"], ["一般公共预算收入", "亿元", "86.4"]]),
    ("rows aligned with runs of spaces", "县区    新建驿站    投入资金\n眉县    12    86.5\n凤县    8    40\n",
     [["县区", "新建驿站", "投入资金"], ["眉县", "12", "86.5"], ["凤县", "8", "40"]]),
    ("one cell a line", "产品名称\n单位\n产量\n发电量\n亿千瓦时\n86.2\n水泥\n万吨\n312.5\n",
     [["产品名称", "单位", "产量"], ["发电量", "亿千瓦时", "86.2"], ["水泥", "万吨", "312.5"]]),
    ("page furniture in pipes is no table", "索 引 号 | 0012/2021-09 | 发布机构 | 某县政府 |\n发布日期 | 2021-10-26 | 主题词 | 老旧小区 |\n", []),
    ("short lines without numbers are no table", "城乡低保提标扩面\n养老服务提质增效\n就业创业稳中有进\n", []),
    ("prose with a figure is no table", "全市新建养老驿站12个，培训护理员300余人。\n全县发放补贴86万元。\n", []),
]
# fmt: on


@pytest.mark.parametrize("name, text, expected", TEXT_TABLES, ids=[c[0] for c in TEXT_TABLES])
def test_ingest_plain_text_tables(name, text, expected):
    document = read_bytes(text.encode("utf-8"), "a.txt")
    rows: dict[int, list[str]] = {}
    for block in document.blocks:
        if block.kind == "table_cell":
            rows.setdefault(block.table["row"], []).append(document.block_text(block))
    assert [rows[r] for r in sorted(rows)] == expected


# fmt: off
# The same detection with single spaces as delimiters too, as the PDF reader runs it (a producer
# such as reportlab draws a tab or a run of spaces as one space glyph): (lines, expected rows of
# cells, or [] for no table). A plain text never splits at single spaces.
SINGLE_SPACE_TABLES = [
    ("rows split at single spaces", ["乡镇 播种面积 比上年增减", "南河镇 6.42 0.35", "柳林乡 4.87 -0.12"],
     [["乡镇", "播种面积", "比上年增减"], ["南河镇", "6.42", "0.35"], ["柳林乡", "4.87", "-0.12"]]),
    ("years may head the columns", ["地区 2022 2023", "东关街道 12 15", "西城街道 8 11"],
     [["地区", "2022", "2023"], ["东关街道", "12", "15"], ["西城街道", "8", "11"]]),
    ("a caption with a number heads no table", ["表 1 主要农产品产量", "指标 产量 增长", "粮食 52.3 1.2"],
     [["指标", "产量", "增长"], ["粮食", "52.3", "1.2"]]),
    ("a masthead is no table", ["简 报", "第 14 期", "城关镇人民政府办公室"], []),
    ("rows split at single spaces have as many cells as the header", ["指标 数值", "新建驿站 12 个", "培训护理员 300 人"], []),
    ("lines that each hold a figure are no table", ["1. 粮食播种 52.3 万亩", "2. 油料播种 8.6 万亩"], []),
    ("pipes still split as in a text", ["指标 | 单位 | 数值", "城镇 新增就业 | 人 | 3860"],
     [["指标", "单位", "数值"], ["城镇 新增就业", "人", "3860"]]),
]
# fmt: on


@pytest.mark.parametrize("name, lines, expected", SINGLE_SPACE_TABLES, ids=[c[0] for c in SINGLE_SPACE_TABLES])
def test_text_tables_single_spaces(name, lines, expected):
    assert [rows for _, _, rows in find_tables(lines, single_spaces=True)] == ([expected] if expected else [])
    if not any("|" in line for line in lines):
        assert find_tables(lines) == []  # in a text's own lines single spaces split nothing
