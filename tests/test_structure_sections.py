"""Sections as real texts have them: marked headings, and the headings web text keeps without
its bold — short lines, numbered lines, enumerations inside paragraphs, lead sentences, topic
and period frames, and a document's title."""

import pytest

from pipeline.ingest import read_bytes
from pipeline.process import process_bytes
from pipeline.rules import load_rules
from pipeline.structure.layout import build_layout


def read(text, name="case.txt"):
    document = read_bytes(text.encode("utf-8"), name)
    return document, build_layout(document, load_rules())


def layout_of(text, name="case.txt"):
    return read(text, name)[1]


def label_at(text, phrase):
    """The label of the section holding ``phrase`` ('' when none does)."""
    document, layout = read(text)
    section = layout.section_at(document.text.index(phrase))
    return section.label if section else ""


WEB_REPORT = (
    "某某县民政局 推进社会救助提质增效\n"
    "今年以来，全县聚焦困难群众基本生活，推动各项救助政策落地见效。\n"
    "城乡低保提标扩面\n"
    "全县城乡低保标准分别提高到每人每月760元和520元，新增保障对象312户。\n"
    "临时救助及时高效\n"
    "全年实施临时救助1250人次，发放资金186万元。\n"
    "相关新闻\n"
    "某某镇开展冬季送温暖活动\n"
    "近日，该镇为困难群众送去棉被200床。\n"
)

# fmt: off
CASES = [
    # (what, text, phrase, expected label of its section)
    ("short line between paragraphs", WEB_REPORT, "312户", "城乡低保提标扩面"),
    ("next short line", WEB_REPORT, "1250人次", "临时救助及时高效"),
    ("text before the first heading: the preamble", WEB_REPORT, "推动各项救助政策", "总体情况"),
    ("related news after 相关新闻 is no body", WEB_REPORT, "200床", ""),
    ("a heading line naming its year",
     "一年来，我们攻坚克难，各项事业取得新进展。\n2023年工作回顾\n全年地区生产总值增长5.2%，完成固定资产投资48亿元。\n",
     "48亿元", "2023年工作回顾"),
    ("the last line of a list is no heading",
     "全县新建驿站12个，完成全年任务。\n参加单位\n县民政局\n县财政局\n县人社局\n各单位新增床位80张，实现全覆盖。\n", "80张", ""),
    ("a date line is no heading",
     "全县新建驿站12个，完成全年任务。\n2023年5月8日\n另行新增床位80张，实现全覆盖。\n",
     "80张", ""),
    ("numbered heading", "（一）主要预期目标完成情况\n全县完成地区生产总值96.3亿元，增长6.1%。\n", "96.3亿元", "主要预期目标完成情况"),
    ("a numbered item with a long first sentence and figures is a list item",
     "（二）其他指标任务完成情况\n1.新建改建农村公路不少于120公里，完成危桥改造8座；全年建成农村公路126公里。\n2.培训新型职业农民不少于600人，已培训650人，完成目标的108.3%。\n",
     "650人", "其他指标任务完成情况"),
    ("a short numbered item is a heading", "1.强化组织领导\n成立工作专班6个，召开推进会3次。\n", "6个", "强化组织领导"),
    ("inline enumeration: each 是 opens a section",
     "县医保局三项举措提升服务。一是优化经办流程。全县取消证明材料17项。二是推进异地结算，开通定点机构46家。三是强化基金监管。追回资金83万元。\n",
     "83万元", "强化基金监管"),
    ("inline enumeration: the second one", "县医保局三项举措提升服务。一是优化经办流程。全县取消证明材料17项。二是推进异地结算，开通定点机构46家。\n", "46家", "推进异地结算"),
    ("第一，第二，inside a paragraph",
     "全县重点抓好两件事。第一，抓项目建设，新开工项目25个。第二，抓招商引资，签约项目11个。\n", "11个", "抓招商引资"),
    ("（一）（二）inside a paragraph",
     "主要做法如下。（一）建强网格队伍。配备专职网格员320名。（二）完善联动机制。化解矛盾纠纷1460件。\n", "1460件", "完善联动机制"),
    ("a list after a colon stays in its section",
     "二、存在的问题\n当前仍有一些短板：一是部分站点利用率偏低，不足30%；二是专业人员缺口约200人。\n", "200人", "存在的问题"),
    ("a lead sentence opens a paragraph as a bold lead does",
     "政府工作报告\n2023年工作回顾\n全年地区生产总值增长5.2%。\n稳字当头、精准施策，经济运行持续向好。全年规上工业增加值增长8.4%。\n",
     "8.4%", "稳字当头、精准施策"),
    ("a short label before a colon leads too",
     "2023年工作回顾\n全年地区生产总值增长5.2%。\n强化要素保障：全年争取上级资金3.6亿元，新增贷款12亿元。\n", "12亿元", "强化要素保障"),
    ("一是…；二是… in one sentence is a list, not a heading",
     "二、存在的问题\n一是部分站点利用率偏低，不足30%；二是专业人员缺口约200人。\n", "200人", "存在的问题"),
    ("a lead with a figure is prose",
     "2023年工作回顾\n全年地区生产总值增长5.2%。\n全年新增就业3200人。城镇登记失业率控制在3.5%以内。\n", "3.5%", "2023年工作回顾"),
    ("a connective opens ordinary prose, no lead",
     "2023年工作回顾\n全年地区生产总值增长5.2%。\n同时，民生保障不断加强。全年发放救助资金2300万元。\n", "2300万元", "2023年工作回顾"),
    ("topic frames in a text without headings",
     "2023年各县主要经济指标完成情况发布。各地竞相发展，较好地完成了年度任务。\n从经济总量看，甲县完成320.5亿元，位居第一。\n在一般公共预算收入方面，乙县完成12.6亿元。\n",
     "12.6亿元", "一般公共预算收入"),
    ("a topic frame opening a later sentence",
     "从经济总量看，甲县完成320.5亿元。收入增长更快。在一般公共预算收入方面，乙县完成12.6亿元。\n", "12.6亿元", "一般公共预算收入"),
    ("the first topic frame", "从经济总量看，甲县完成320.5亿元。\n在一般公共预算收入方面，乙县完成12.6亿元。\n", "320.5亿元", "经济总量"),
    ("a topic frame under a heading belongs to the heading",
     "二、存在的问题\n从检查情况看，仍有12个站点未达标。\n", "12个", "存在的问题"),
    ("reporting periods in a text without headings",
     "1月1日至6月30日，全县优良天数152天，同比增加9天。\n6月1日至6月30日，优良天数27天。\n", "152天", "1月1日至6月30日"),
    ("the next period", "1 月 1 日至 6 月 30 日，全县优良天数152天。\n6 月 1 日至 6 月 30 日，优良天数27天。\n", "27天", "6月1日至6月30日"),
    ("months as a period", "1-11月份，全市完成投资86亿元。\n", "86亿元", "1-11月份"),
    ("one title, one section",
     "某某县林业局 全面推行林长制\n\n本报讯 今年以来，全县设立各级林长560名，聘用护林员1200名。\n\n截至目前，林长巡林3600余次。\n",
     "3600余次", "全面推行林长制"),
    ("a titled text repeating one period keeps its title",
     "某某市城镇新增就业再创新高\n2023年，全市城镇新增就业5.1万人。\n2023年，城镇登记失业率为3.4%。\n", "3.4%", "某某市城镇新增就业再创新高"),
    ("an appendix line opens a section",
     "一、基本情况\n全县建成站点12个。\n附表：各乡镇站点建设进度统计表（截至2024年6月30日）\n甲镇建成站点5个。\n", "5个", "附表"),
    ("a caption-free text without title or heading has none", "全县新建驿站12个，培训护理员300人次。\n", "300人次", ""),
]
# fmt: on


@pytest.mark.parametrize("what, text, phrase, label", CASES, ids=[case[0] for case in CASES])
def test_structure_section_of_a_phrase(what, text, phrase, label):
    assert label_at(text, phrase) == label


def test_structure_inline_sections_are_offset_ranges_inside_a_paragraph():
    text = "县医保局三项举措提升服务。一是优化经办流程。全县取消证明材料17项。二是推进异地结算，开通定点机构46家。\n"
    layout = layout_of(text)
    first, second = layout.sections[-2:]
    assert (first.start, second.start) == (text.index("一是"), text.index("二是"))
    assert first.end == second.start and second.end == len(text.rstrip("\n"))
    assert (first.title, second.title) == ("一是优化经办流程。", "二是推进异地结算")


def test_structure_furniture_lines_are_no_headings():
    text = "全县新建驿站12个，完成全年任务。\n打印本页\n关闭窗口\n全年培训护理员300人次，实现全覆盖。\n"
    assert [s.kind for s in layout_of(text).sections] == []


def test_structure_bold_documents_keep_plain_first_sentences_as_prose():
    text = "## 标题\n\n**一、平安建设。**\n\n全县上下高度重视。新建小区48个，安装探头300个。\n"
    layout = layout_of(text, "case.md")
    assert [s.label for s in layout.sections] == ["平安建设"]


def test_structure_title_section_opens_at_the_title_and_frames_are_no_heading_spans():
    """A section's heading span is its heading as written where the section opens: a title
    section opens at the title (above the body), so the body's first sentence is no heading and
    still leads its passage; a frame is part of its sentence and no heading span either."""
    text = "某某县林业局 全面推行林长制\n\n甲县设立各级林长560名。\n"
    document, layout = read(text)
    (section,) = layout.sections
    assert section.kind == "title" and section.start == 0 and section.end == len(document.text)
    assert layout.heading_spans == [(0, len("某某县林业局 全面推行林长制"))]
    assert layout.heading_spans[0][1] <= layout.metadata.body_start
    text = "从经济总量看，甲县完成320.5亿元。\n在一般公共预算收入方面，乙县完成12.6亿元。\n"
    assert [s.kind for s in layout_of(text).sections] == ["topic", "topic"] and layout_of(text).heading_spans == []


def test_structure_sections_reach_the_figures(nlp):
    text = "某某县民政局 推进社会救助提质增效\n今年以来，全县聚焦困难群众基本生活。\n城乡低保提标扩面\n全县新增保障对象312户。\n"
    result = process_bytes(text.encode("utf-8"), "case.txt", nlp, "")
    assert [(row["value"], row["section"], row["section_title"]) for row in result.metrics] == [("312", "城乡低保提标扩面", "城乡低保提标扩面")]
