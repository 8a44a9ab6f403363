"""Titles and top matter of texts without a bulletin masthead: web-page furniture, datelines,
titles over two lines or with a colon, and page furniture that ends the article."""

import pytest

from pipeline.ingest import read_bytes
from pipeline.process import process_bytes
from pipeline.rules import load_rules
from pipeline.structure.metadata import read_metadata

WEB_PAGE = (
    "• 无障碍浏览\n"
    "您现在所在的位置：网站首页 > 政务公开 > 某某县人民政府办公室 > 部门动态信息 > 本级动态 > 民政工作\n"
    "索引号：11500000MB1234567X/2023-00018 组配分类：工作动态\n"
    "发布机构：某某县民政局 主题分类：民政\n"
    "名称：某某县2023年社会救助工作情况 文号：\n"
    "发布日期：2023-12-05\n"
    "某某县2023年社会救助工作情况\n"
    "发布时间：2023-12-05 10:30 来源：某某县民政局 浏览次数：1024 字体：[大 中 小]\n"
    "\n"
    "今年以来，全县累计发放救助资金3260万元，惠及困难群众1.2万人。\n"
)
PIPE_ROWS = (
    "索 引 号 | 000123456/2022-0456 | 公文种类 | 其他 | 发布机构 | 某某县政府 |\n"
    "发布日期 | 2022-06-18 | 主题词 | 新建停车位320个 改造小区15个 |\n"
    "全县今年新建停车位320个，改造老旧小区15个，惠及居民2400户。\n"
)

# fmt: off
CASES = [
    # (what, text, (title, issuer, issue_date), the body's first characters)
    ("web page: labels, chrome, title", WEB_PAGE, ("某某县2023年社会救助工作情况", "某某县民政局", "2023-12-05"), "今年以来"),
    ("pipe-separated metadata rows", PIPE_ROWS, ("", "某某县政府", "2022-06-18"), "全县今年"),
    ("a title over two lines",
     "我县城镇新增就业再创新高\n城镇登记失业率持续降低\n今年以来，全县坚持就业优先战略，各项目标任务超前完成。\n",
     ("我县城镇新增就业再创新高 城镇登记失业率持续降低", "", ""), "今年以来"),
    ("a title with a colon",
     "某某省某某市：实施“网格+”治理 推进基层治理现代化\n\n2021年以来，某某市深入推进网格化治理，取得明显成效。\n",
     ("某某省某某市：实施“网格+”治理 推进基层治理现代化", "", ""), "2021年以来"),
    ("a title above a newspaper's source line",
     "某某县水务局 全面落实河长制\n\n某某日报 2019-05-20 08:30\n\n某某讯（记者 张三）今年以来，某某县设立各级河长300余人。\n",
     ("某某县水务局 全面落实河长制", "", "2019-05-20"), "某某讯"),
    ("a speech: title, date line, speaker, salutation",
     "政府工作报告\n2023年1月10日在某某县第十八届人民代表大会第三次会议上\n某某县人民政府县长 张三\n各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n",
     ("政府工作报告", "", "2023-01-10"), "各位代表：现在"),
    ("a newspaper as 来源 is no issuer",
     "某某镇开展冬季送温暖活动\n来源：某某日报 发布时间：2023-01-05\n近日，该镇为困难群众送去棉被200床。\n",
     ("某某镇开展冬季送温暖活动", "", "2023-01-05"), "近日"),
    ("a dateline cut inside brackets is no title",
     "某某网讯（通讯员 张三\n李四）近日，某某县新增城镇就业岗位1826个。\n",
     ("", "", ""), "某某网讯"),
    ("a text that starts with prose has no title", "全县新建驿站12个，培训护理员300人次。\n", ("", "", ""), "全县新建"),
]
# fmt: on


@pytest.mark.parametrize("what, text, expected, body", CASES, ids=[case[0] for case in CASES])
def test_structure_metadata_of_texts_without_masthead(what, text, expected, body):
    document = read_bytes(text.encode("utf-8"), "page.txt")
    meta = read_metadata(document, load_rules().structure)
    assert (meta.title, meta.issuer, meta.issue_date) == expected
    assert document.text[meta.body_start :].startswith(body)


def test_structure_metadata_furniture_ends_the_body():
    text = "全县新建驿站12个，培训护理员300人次。\n责任编辑：李四\n相关新闻\n某某镇新建驿站5个，实现全覆盖。\n"
    document = read_bytes(text.encode("utf-8"), "page.txt")
    meta = read_metadata(document)
    assert document.text[meta.body_start : meta.body_end].strip() == "全县新建驿站12个，培训护理员300人次。"


def test_structure_metadata_furniture_under_a_title_heading_is_top_matter():
    html = (
        '<html><head><meta charset="utf-8"></head><body><div>您现在所在的位置：首页 &gt; 工作动态</div>'
        "<h1>某某县林业局 全面推行林长制</h1><p>发布时间：2023-04-02 来源：某某县林业局</p>"
        "<p>今年以来，某某县设立各级林长560名。</p><p>相关新闻</p><p>某某镇栽植苗木2万株。</p></body></html>"
    )
    document = read_bytes(html.encode("utf-8"), "page.html")
    meta = read_metadata(document)
    assert (meta.title, meta.issuer, meta.issue_date) == ("某某县林业局 全面推行林长制", "某某县林业局", "2023-04-02")
    assert document.text[meta.body_start : meta.body_end].strip() == "今年以来，某某县设立各级林长560名。"
    assert document.text.startswith(meta.title, meta.title_start)


def test_structure_metadata_numbers_in_furniture_are_no_figures(nlp):
    result = process_bytes(PIPE_ROWS.encode("utf-8"), "page.txt", nlp, "")
    assert [row["value"] for row in result.metrics] == ["320", "15", "2400"]
    assert {row["issuer"] for row in result.metrics} == {"某某县政府"}


def test_structure_metadata_masthead_title_still_below_the_masthead():
    text = "第 5 期\n\n某某市民政局办公室\n\n2023年5月12日\n\n某某市推进居家养老服务提质增效\n\n今年以来，全市新建站点48个。\n"
    meta = read_metadata(read_bytes(text.encode("utf-8"), "a.txt"))
    assert (meta.issue_no, meta.issuer, meta.issue_date, meta.title) == ("5", "某某市民政局办公室", "2023-05-12", "某某市推进居家养老服务提质增效")

