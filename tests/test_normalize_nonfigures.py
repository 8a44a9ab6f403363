"""Number-like text that is not a figure: dates, ordinals, names of programmes, idioms."""

import pytest

from pipeline.normalize.quantities import QuantityFinder
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def finder():
    return QuantityFinder(load_rules())


# fmt: off
NON_FIGURES = [
    "排名后三位的县要报送整改措施",
    "重点林区实行24小时驻守",
    "请拨打24小时防汛值班电话",
    "（共印40份）",
    "多亏干部敲门把我们一家五口叫醒",
    "可拨打12333人社服务热线咨询",
    "联系电话：0731-8822110",
    "9 月份以来，各县区高度重视",
    "2022 年 10 月 20 日",
    "二〇二三年十月二十日",
    "第 14 期",
    "总第126期",
    "选派驻村第一书记",
    "第三季度各项任务进展顺利",
    "认真学习党的二十大精神",
    "对标“五三三五”建设内容",
    "统一编制印发《陈仓区“15分钟政务服务圈”服务指南》",
    "在城区安装“15分钟政务服务圈”宣传栏",
    "提供“24小时不打烊”在线政务服务",
    "推进全国城市一刻钟便民生活圈试点建设",
    "推出“一件事一次办”集成套餐",
    "落实“三会一课”制度",
    "指定社区“两委”成员进入物业企业",
    "进一步健全工作机制",
    "一批重点项目落地见效",
    "印发《关于加强十条措施的通知》",
    "实现三个“一”目标",
    "每千名老年人拥有养老床位",
    "走进千家万户宣传政策",
    "新建5G基站",
    "1至8月累计",
    "截至10月底",
    "会议于9:30召开",
    # a multiplier standing alone names a class, not an amount
    "重点推进亿元以上项目建设",
    "培育千万元级龙头企业",
    "打造百万元级示范村",
    "涌现出一批万元户",
    "超亿元项目加快推进",
    "举办万人以上大型活动须报备",
    "开展千人计划引才",
    "百万群众齐参与",
    # rankings: the base and the position
    "全县12个乡镇排名第3",
    "在全省16个市州中位列第5",
    "在全市 9 个县区中综合排名第 1",
    "在全省105个县（市、区）中排名第12",
    "在全市11个县区中，我县排名第4",
    "增速居全市第2位",
    "位居全省首位",
    "进入全省前5位",
    "排名全市前十名",
    "两项指标并列第三名",
    "位居第一名",
    "全省排名并列第45",
    # numerals inside words and names
    "推进二次供水设施改造",
    "开启二次创业新征程",
    "发放一次性补贴",
    "坚持两轮驱动",
    "优化三次产业结构",
    "牢固树立四个意识",
    "做到两个维护",
    "招募三支一扶人员",
    "实现两位数增长",
    "推进五位一体总体布局",
    # pollutants and their averaging periods, however the text spaces them
    "PM2.5",
    "PM 2.5 浓度同比下降",
    "PM 10 浓度",
    "PM 2. 5 天数",
    "O 3 浓度",
    "NO2年均浓度",
    "臭氧日最大8小时平均浓度",
    "24小时平均浓度",
    # degrees are not electricity
    "整治25度以上坡耕地",
    "最高气温38度",
    # a year or an age before a noun naming people is no count
    "2020老人",
    "八十老人",
    "十八洞村居民",
    "九死一生",
    # scientific notation is no figure (nor its exponent one)
    "投入资金1E+308元",
    "折合资金3.2e5元",
    "折合3.2E-5吨",
    "折合资金2.1×10^5元",
    "相当于6.02×10²³个分子",
    # digits a space apart that are not groups of three: one number or two?
    "服务群众12 34人",
    "共有2023 12人参加",
    # beyond any real count or amount (rules/figure_bounds.tsv)
    "服务群众" + "9" * 400 + "人",
    "增长1" + "0" * 20 + "%",
    "完成投资200000000亿元",
    "新建道路3至2" + "0" * 20 + "公里",
]
# fmt: on


@pytest.mark.parametrize("text", NON_FIGURES)
def test_nonfigures_give_no_figure(finder, text):
    found, _ = finder.find(text)
    assert found == [], [q.value_text for q in found]


def test_nonfigures_are_reported_with_their_reason(finder):
    _, rejected = finder.find("第 14 期")
    assert [r.reason for r in rejected] == ["an ordinal (第14期, 第一书记)"]


# fmt: off
REASONS = [
    ("亿元以上项目", "亿元以上", "a multiplier with no number"),
    ("全市20个区县排名第4", "20个", "the number of places a ranking is out of"),
    ("完成2亿元目标任务的81%", "2亿元", "the target a completion rate is a share of"),
    ("完成年度目标1000万元的95%", "1000万元", "the target a completion rate is a share of"),
    ("居全省前3位", "3位", "a ranking or a period"),
    ("投入资金1E+308元", "308元", "a number in scientific notation"),
    ("折合资金3.2e5元", "5元", "a number in scientific notation"),
    ("服务群众12 34人", "34人", "digits in groups a space apart that are not groups of three"),
    ("服务群众" + "9" * 40 + "人", "9" * 40 + "人", "a value beyond any real count or amount"),
    ("完成投资200000000亿元", "200000000亿元", "a value beyond any real count or amount"),
]
# fmt: on


@pytest.mark.parametrize("text, number, reason", REASONS)
def test_nonfigures_new_kinds_give_their_reason(finder, text, number, reason):
    _, rejected = finder.find(text)
    assert any(r.text == number and r.reason.startswith(reason) for r in rejected), [(r.text, r.reason) for r in rejected]
