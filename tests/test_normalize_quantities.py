"""Figures as written → normalized value, unit, qualifier and range (a table of real cases)."""

import pytest

from pipeline.normalize.numerals import parse_number
from pipeline.normalize.quantities import QuantityFinder, format_decimal
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def finder():
    return QuantityFinder(load_rules())


# fmt: off
# (text, value, unit, qualifier, value_max): the one figure expected in the text
CASES = [
    # Arabic numerals and measure words (from the genre)
    ("安装视频监控3149路", "3149", "路", "", ""),
    ("组建1226人网格员队伍", "1226", "人", "", ""),
    ("组织130名社区网格员", "130", "名", "", ""),
    ("梳理政务服务事项114项", "114", "项", "", ""),
    ("布设景观花卉造型35处", "35", "处", "", ""),
    ("安置就业困难人员 9587 人", "9587", "人", "", ""),
    ("开展培训 10 期", "10", "期", "", ""),
    ("检查生产经营单位2.36万家次", "23600", "家次", "", ""),
    ("抽检柴油货车3,860辆次", "3860", "辆次", "", ""),
    ("储备设备460台套", "460", "台套", "", ""),
    ("包车外出务工15批次", "15", "批次", "", ""),
    ("新建道路12.5公里", "12.5", "公里", "", ""),
    ("改造面积3.2万平方米", "32000", "平方米", "", ""),
    ("新发展苹果1.2万亩", "12000", "亩", "", ""),
    ("清运垃圾860吨", "860", "吨", "", ""),
    ("增殖放流鱼苗350万尾", "3500000", "尾", "", ""),
    ("平均降雨量186.4毫米", "186.4", "毫米", "", ""),
    ("细颗粒物平均浓度29微克/立方米", "29", "微克/立方米", "", ""),
    ("养老床位1,260张", "1260", "张", "", ""),
    ("服务老人12,560人次", "12560", "人次", "", ""),
    # multipliers and money
    ("布控视频“小探头”1.4万个", "14000", "个", "", ""),
    ("落实工资待遇18.4万元", "184000", "元", "", ""),
    ("下拨补助资金 960 万元", "9600000", "元", "", ""),
    ("完成投资2.35亿元", "235000000", "元", "", ""),
    ("争取资金16.4亿元", "1640000000", "元", "", ""),
    ("发放补贴5千元", "5000", "元", "", ""),
    ("带动就业3.4万户", "34000", "户", "", ""),
    ("识别监测对象6.12万人", "61200", "人", "", ""),
    ("投入资金 1,200 万元", "12000000", "元", "", ""),
    ("发放贷款0.8亿元", "80000000", "元", "", ""),
    # Chinese numerals
    ("建成三个示范点", "3", "个", "", ""),
    ("开展培训十二场", "12", "场", "", ""),
    ("帮扶一百零五户", "105", "户", "", ""),
    ("组建志愿服务队二十三支", "23", "支", "", ""),
    ("举办培训班六期", "6", "期", "", ""),
    ("覆盖两千户", "2000", "户", "", ""),
    ("新增床位三千五百张", "3500", "张", "", ""),
    ("筹集资金三十万元", "300000", "元", "", ""),
    ("参训率达八成", "8", "成", "", ""),
    # qualifiers
    ("开展数字技能工种培训 10 期 400 余人次", "10", "期", "", ""),
    ("调解邻里纠纷210余起", "210", "起", "more_than", ""),
    ("培训两千余人", "2000", "人", "more_than", ""),
    ("吸纳就业100多人", "100", "人", "more_than", ""),
    ("累计投入3000余万元", "30000000", "元", "more_than", ""),
    ("服务1.2万余人次", "12000", "人次", "more_than", ""),
    ("超过5000户", "5000", "户", "more_than", ""),
    ("逾300家企业", "300", "家", "more_than", ""),
    ("近3000人", "3000", "人", "approx", ""),
    ("近四百人", "400", "人", "approx", ""),
    ("约460台", "460", "台", "approx", ""),
    ("储备物资约2万件", "20000", "件", "approx", ""),
    ("培训500人左右", "500", "人", "approx", ""),
    ("收入达到5万元以上", "50000", "元", "at_least", ""),
    ("不少于30场", "30", "场", "at_least", ""),
    ("不足10人", "10", "人", "less_than", ""),
    ("控制在5%以内", "5", "%", "less_than", ""),
    # percentages
    ("无害化处置率达100%", "100", "%", "", ""),
    ("覆盖率达到96.5%", "96.5", "%", "", ""),
    ("同比下降13.9%", "13.9", "%", "", ""),
    ("提高2.3个百分点", "2.3", "个百分点", "", ""),
    ("达到百分之九十", "90", "%", "", ""),
    # ranges
    ("每个网格3至5个", "3", "个", "", "5"),
    ("学员控制在30至50人", "30", "人", "", "50"),
    ("每餐价格8—12元", "8", "元", "", "12"),
    ("补助1万元至2万元", "10000", "元", "", "20000"),
    ("每组10-15人", "10", "人", "", "15"),
    ("占比60%～70%", "60", "%", "", "70"),
    # full-width digits are folded by the reader; the finder sees ASCII
    ("蔬菜示范基地3个", "3", "个", "", ""),
]
# fmt: on


@pytest.mark.parametrize("text, value, unit, qualifier, value_max", CASES)
def test_quantities_normalize(finder, text, value, unit, qualifier, value_max):
    found, _ = finder.find(text)
    assert found, f"no figure in {text!r}"
    quantity = found[0]
    assert (format_decimal(quantity.value), quantity.unit, quantity.qualifier, format_decimal(quantity.value_max)) == (value, unit, qualifier, value_max)


# fmt: off
COMPOUNDS = [
    ("推出110类496项“一件事一次办”集成套餐服务", [("110", "类"), ("496", "项")]),
    ("开展数字技能工种培训 10 期 400 余人次", [("10", "期"), ("400", "人次")]),
    ("淘汰燃煤锅炉46台共计85蒸吨", [("46", "台"), ("85", "蒸吨")]),
    ("识别监测对象1.86万户6.12万人", [("18600", "户"), ("61200", "人")]),
    ("新建基地 1 个、园区 1 个", [("1", "个"), ("1", "个")]),
]
# fmt: on


@pytest.mark.parametrize("text, expected", COMPOUNDS)
def test_quantities_compound_figures_give_one_row_each(finder, text, expected):
    found, _ = finder.find(text)
    assert [(format_decimal(q.value), q.unit) for q in found] == expected


# fmt: off
NUMERALS = [
    ("三", "3"), ("十", "10"), ("十二", "12"), ("二十", "20"), ("两千", "2000"), ("一百零五", "105"),
    ("〇", "0"), ("一〇五", "105"), ("三万五千", "35000"), ("一亿二千万", "120000000"), ("两百", "200"),
    ("一千零一十", "1010"), ("1.4万", "14000"), ("12,560", "12560"), ("3千", "3000"), ("0.5", "0.5"),
]
# fmt: on


@pytest.mark.parametrize("text, expected", NUMERALS)
def test_numerals_parse(text, expected):
    assert format_decimal(parse_number(text)) == expected
