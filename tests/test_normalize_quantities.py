"""Figures as written → normalized value, unit, qualifier and range (a table of real cases)."""

import pytest

from pipeline.normalize.numerals import is_bare_multiplier, parse_number
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
    # two neighbouring digits: "two or three", a range read as one numeral
    ("一年能挣两三万块钱", "20000", "元", "", "30000"),
    ("来了七八百人", "700", "人", "", "800"),
    ("建了三四十个", "30", "个", "", "40"),
    ("建成二十三个", "23", "个", "", ""),
    # a measure word before another one
    ("已发团87个批次", "87", "批次", "", ""),
    ("经过近10个小时抢通", "10", "小时", "approx", ""),
    ("存栏182.6万头（只）", "1826000", "头（只）", "", ""),
    # full-width digits are folded by the reader; the finder sees ASCII
    ("蔬菜示范基地3个", "3", "个", "", ""),
    # concentrations: the unit kept as written, symbols folded to one spelling, spaces allowed
    ("二氧化氮月均浓度为 31 μg/m3", "31", "μg/m3", "", ""),
    ("可吸入颗粒物浓度64μg/m³", "64", "μg/m3", "", ""),
    ("臭氧浓度为142 µg/m3", "142", "μg/m3", "", ""),
    ("细颗粒物浓度 27 ug/m3", "27", "μg/m3", "", ""),
    ("二氧化硫平均浓度为 9 μg/m 3", "9", "μg/m3", "", ""),
    ("一氧化碳浓度1.2mg/m3", "1.2", "mg/m3", "", ""),
    ("一氧化碳日均浓度0.9毫克/立方米", "0.9", "毫克/立方米", "", ""),
    ("出水化学需氧量低于30mg/L", "30", "mg/L", "", ""),
    # energy: 万/亿 by the multiplier; 度 only where it cannot be degrees
    ("全年发电量3.6亿千瓦时", "360000000", "千瓦时", "", ""),
    ("节约用电12万千瓦时", "120000", "千瓦时", "", ""),
    ("屋顶光伏年发电45万度", "450000", "千瓦时", "", ""),
    ("每户每月节省用电30度电", "30", "千瓦时", "", ""),
    # foreign money keeps its currency
    ("实际利用外资1.8亿美元", "180000000", "美元", "", ""),
    ("完成对外承包工程营业额 560 万美元", "5600000", "美元", "", ""),
    ("签约外资项目合同金额3200万欧元", "32000000", "欧元", "", ""),
    # farm output and livestock
    ("粮食总产量12.6万吨", "126000", "吨", "", ""),
    ("生猪出栏8.5万头", "85000", "头", "", ""),
    ("家禽存栏32万羽", "320000", "羽", "", ""),
    ("肉羊存栏4.1万只", "41000", "只", "", ""),
    # measure words for people, transactions, rounds, buildings
    ("走访慰问236位困难党员", "236", "位", "", ""),
    ("发放创业贷款145笔", "145", "笔", "", ""),
    ("盘活闲置低效用地17宗", "17", "宗", "", ""),
    ("开展三轮集中排查", "3", "轮", "", ""),
    ("组织送戏下乡演出48场次", "48", "场次", "", ""),
    ("项目分为4标段同步施工", "4", "标段", "", ""),
    ("建成安置房12栋", "12", "栋", "", ""),
    ("拆除危旧房屋36幢", "36", "幢", "", ""),
    ("老旧小区加装电梯27部", "27", "部", "", ""),
    ("新增护理型床位420张", "420", "张", "", ""),
    ("建成高标准农田2.4万亩", "24000", "亩", "", ""),
    ("完成人工造林3600公顷", "3600", "公顷", "", ""),
    ("改造老旧小区35.6万平方米", "356000", "平方米", "", ""),
    # a unit word that starts with a multiplier is one unit (5千米 is 5 公里, not 5000 米)
    ("新建农村公路8千米", "8", "公里", "", ""),
    # a multiplier with no number is a number only with a qualifier; 十 is a number
    ("奖励资金十万元", "100000", "元", "", ""),
    ("新增医养床位逾千张", "1000", "张", "more_than", ""),
    ("召开院坝会近千场", "1000", "场", "approx", ""),
    ("服务群众千余人", "1000", "人", "more_than", ""),
    ("争取上级资金近亿元", "100000000", "元", "approx", ""),
    # a number before a noun naming people, with a multiplier: the unit is implied
    ("为2.6万高龄老人发放津贴", "26000", "人", "", ""),
    ("带动1.2万农村劳动力转移就业", "12000", "人", "", ""),
    ("惠及两千群众", "2000", "人", "", ""),
    ("吸引近3万游客", "30000", "人", "approx", ""),
    ("组织8千余名志愿者", "8000", "名", "more_than", ""),
    ("帮扶3.5千脱贫户", "3500", "户", "", ""),
    ("为逾万居民提供服务", "10000", "人", "more_than", ""),
    # per mille
    ("人口自然增长率为千分之三", "3", "‰", "", ""),
    ("出生率下降0.8个千分点", "0.8", "个千分点", "", ""),
    ("婴儿死亡率控制在3.5‰以内", "3.5", "‰", "less_than", ""),
    ("提高三个百分点", "3", "个百分点", "", ""),
    ("实现百分之百全覆盖", "100", "%", "", ""),
    # the rate of completion is the figure, not its target
    ("完成目标任务的130%", "130", "%", "", ""),
    ("完成省下达4亿元目标任务的76.5%", "76.5", "%", "", ""),
    ("完成年度目标任务800万元的112%", "112", "%", "", ""),
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
    # casualty shorthand: one figure per number, in 人
    ("一起较大道路交通事故造成3死2伤", [("3", "人"), ("2", "人")]),
    ("发生火灾一起，致一死一伤", [("1", "人"), ("1", "人")]),
    ("矿山事故1死4伤1失踪", [("1", "人"), ("4", "人"), ("1", "人")]),
    # a ranking's base and position are not counts; the value beside them is
    ("PM 2.5 平均浓度为 33 μg/m3，全市 11 个县区排名第 2", [("33", "μg/m3")]),
    ("O 3 浓度为 152μg/m3", [("152", "μg/m3")]),
    ("可吸入颗粒物(PM10)浓度66μg/m3", [("66", "μg/m3")]),
    # a pollutant's number is not glued to the figure after it
    ("O 3,183μg/m3", [("183", "μg/m3")]),
    ("PM2.5,126μg/m3", [("126", "μg/m3")]),
    ("PM 2.5 超标天数同比减少6天", [("6", "天")]),
    # the target a rate refers to is not reported; the rate and the achieved amount are
    ("完成投资1.2亿元，完成年度目标1.5亿元的80%", [("120000000", "元"), ("80", "%")]),
    ("发放贷款3亿元，完成省定2.5亿元目标任务的120%", [("300000000", "元"), ("120", "%")]),
    ("引进亿元以上项目18个、10亿元以上项目3个", [("18", "个"), ("1000000000", "元"), ("3", "个")]),
    ("为3.1万困难群众发放救助金2.4亿元", [("31000", "人"), ("240000000", "元")]),
    ("共有68位老人入住，其中失能老人12位", [("68", "位"), ("12", "位")]),
    # the value a place is ranked by is a figure (only a count of places is a ranking's base)
    ("经济总量以215.6亿元位居全市第三", [("21560000000", "元")]),
    ("以8.7%的增速位居全省第一", [("8.7", "%")]),
    ("完成投资12亿元居全市第2位", [("1200000000", "元")]),
    ("全市20个区县中，12个空气质量同比改善", [("20", "个"), ("12", "个")]),
]
# fmt: on


@pytest.mark.parametrize("text, expected", COMPOUNDS)
def test_quantities_compound_figures_give_one_row_each(finder, text, expected):
    found, _ = finder.find(text)
    assert [(format_decimal(q.value), q.unit) for q in found] == expected


def test_quantities_casualties_say_what_they_count(finder):
    found, _ = finder.find("造成2死5伤")
    assert [(format_decimal(q.value), q.unit, q.sense, q.value_text) for q in found] == [("2", "人", "死亡", "2死"), ("5", "人", "受伤", "5伤")]


def test_quantities_implied_unit_spans_only_the_number(finder):
    text = "为3.38万高龄老人发放"
    (quantity,) = finder.find(text)[0]
    assert text[quantity.start : quantity.end] == quantity.value_text == "3.38万"


# fmt: off
NUMERALS = [
    ("三", "3"), ("十", "10"), ("十二", "12"), ("二十", "20"), ("两千", "2000"), ("一百零五", "105"),
    ("〇", "0"), ("一〇五", "105"), ("三万五千", "35000"), ("一亿二千万", "120000000"), ("两百", "200"),
    ("一千零一十", "1010"), ("1.4万", "14000"), ("12,560", "12560"), ("3千", "3000"), ("0.5", "0.5"),
]
# fmt: on


@pytest.mark.parametrize("text, bare", [("亿", True), ("千万", True), ("百", True), ("万", True), ("十", False), ("十万", False), ("一亿", False), ("3千", False), ("两百", False)])
def test_numerals_bare_multiplier(text, bare):
    assert is_bare_multiplier(text) is bare


@pytest.mark.parametrize("text, expected", NUMERALS)
def test_numerals_parse(text, expected):
    assert format_decimal(parse_number(text)) == expected
