"""Number-like text that is not a figure: dates, ordinals, names of programmes, idioms."""

import pytest

from pipeline.normalize.quantities import QuantityFinder
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def finder():
    return QuantityFinder(load_rules())


# fmt: off
NON_FIGURES = [
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
]
# fmt: on


@pytest.mark.parametrize("text", NON_FIGURES)
def test_nonfigures_give_no_figure(finder, text):
    found, _ = finder.find(text)
    assert found == [], [q.value_text for q in found]


def test_nonfigures_are_reported_with_their_reason(finder):
    _, rejected = finder.find("第 14 期")
    assert [r.reason for r in rejected] == ["an ordinal (第14期, 第一书记)"]
