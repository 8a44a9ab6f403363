"""The measure of a figure: what was counted, without the number (a table of genre sentences)."""

import pytest

from pipeline.evaluate.score import measure_similarity

# fmt: off
# (sentence, figure as written, expected measure): the measure must share at least half of
# its character bigrams with the expected phrase, as `bulletin-metrics eval` scores it.
CASES = [
    ("建成智慧安防小区48个。", "48个", "建成智慧安防小区"),
    ("派出6个督导组深入各县区严督实导。", "6个", "派出督导组"),
    ("组建1226人网格员队伍。", "1226人", "组建网格员队伍"),
    ("组织130名社区网格员常态化开展小区治安巡逻。", "130名", "社区网格员开展小区治安巡逻"),
    ("在13个社区试点开展老年人爱心助餐活动。", "13个", "社区试点开展老年人爱心助餐活动"),
    ("对已安装的4650个语音视频探头逐一验收。", "4650个", "验收语音视频探头"),
    ("新建市级创业孵化基地1个、市级返乡创业园区2个。", "2个", "新建市级返乡创业园区"),
    ("推出110类496项“一件事一次办”集成套餐服务。", "496项", "推出一件事一次办集成套餐服务"),
    ("开展数字技能工种培训10期400余人次。", "400余人次", "开展数字技能工种培训"),
    ("生活垃圾无害化处置率达100%。", "100%", "生活垃圾无害化处置率"),
    ("利用公益性岗位安置就业困难人员9587人。", "9587人", "安置就业困难人员"),
    ("1至4月为全市3,528户企业减免失业保险费1.36亿元。", "3,528户", "企业减免失业保险费"),
    ("今年新发展中药材2.6万亩、苹果1.2万亩。", "1.2万亩", "新发展苹果"),
    ("全市共设立河（湖）长3,872名，其中市级18名、县级214名。", "214名", "设立县级河湖长"),
    ("脱贫人口人均纯收入达到13,862元，同比增长11.3%。", "11.3%", "脱贫人口人均纯收入同比增长"),
    ("护理员持证上岗率由上年底的71%提高到85.6%。", "85.6%", "护理员持证上岗率"),
    ("吸纳退休干部、乡村教师等乡贤能人137人担任兼职网格员。", "137人", "吸纳乡贤能人"),
    ("组织1,200名党员干部下沉一线。", "1,200名", "党员干部下沉一线"),
    ("按照每户5000元的标准给予适老化改造补助。", "5000元", "给予适老化改造补助标准"),
    ("投入资金1.35亿元实施农村道路提质改造。", "1.35亿元", "投入资金实施农村道路提质改造"),
    ("44名专家常态化“进社区”开展知识讲座。", "44名", "专家进社区"),
    # Changes and shares are about the sentence's subject, not about the change before them.
    ("城镇登记失业率为3.4%，比上年降低0.2个百分点，低于省控线0.9个百分点。", "0.9个百分点", "城镇登记失业率低于省控线"),
    ("优良天数为131天，去年同期为97天。", "97天", "优良天数去年同期"),
    ("地区生产总值达到645.2亿元，比上年增长6.3%，高出全省0.5个百分点。", "0.5个百分点", "地区生产总值高出全省"),
    # The measure is the noun after 的 in 以…的 and what a beneficiary frame provides.
    ("眉县以186.5亿元的经济总量稳居全市第一。", "186.5亿元", "经济总量"),
    ("为2.6万人提供政策咨询服务。", "2.6万人", "提供政策咨询服务"),
    # Items listed right before a number are what it counts; a threshold names the noun.
    ("城区、东片区、西片区四所中心敬老院为主体。", "四所", "中心敬老院"),
    ("工业投资、财政收入、外贸出口3项指标未达到序时进度。", "3项", "指标未达到序时进度"),
    ("引进亿元以上项目31个，其中10亿元以上项目6个。", "6个", "10亿元以上项目"),
    # A link verb with an object is the predicate; a frame between subject and verb is not counted.
    ("截至目前，达到序时进度52项、占比81.2%。", "52项", "达到序时进度"),
    ("镇级河长对责任河段巡河1520次。", "1520次", "镇级河长巡河"),
    # What the paragraph tells: a topic frame, the noun it opens by counting, an earlier measure.
    ("在一般公共预算收入方面，凤县完成5.2亿元。", "5.2亿元", "一般公共预算收入"),
    ("从规模以上工业增加值看，岐山县同比增长9.8%。", "9.8%", "规模以上工业增加值同比增长"),
    ("省级重点项目8项，概算投资126.3亿元。", "126.3亿元", "省级重点项目概算投资"),
    ("全市固定资产投资增速7.2%，其中陇县是11.6%。", "11.6%", "固定资产投资增速"),
    # 分别 after a parallel list gives each figure its part of the list.
    ("刑事案件、治安案件同比分别下降12.3%、8.6%。", "8.6%", "治安案件同比下降"),
    ("第一、二、三产业增加值分别为45.2亿元、210.6亿元和188.3亿元。", "210.6亿元", "第二产业增加值"),
    ("城乡居民人均可支配收入分别增长5.1%和7.6%。", "7.6%", "农村居民人均可支配收入增长"),
    # Casualties: the word after the number says what it counts.
    ("当日发生一起交通事故，造成3死2伤。", "2伤", "受伤"),
]
# fmt: on


@pytest.mark.parametrize("sentence, figure, expected", CASES, ids=[c[1] + c[2] for c in CASES])
def test_measure_of_figure(nlp, sentence, figure, expected):
    doc = nlp(sentence)
    found = {f.quantity.value_text: f.measure for f in doc._.figures}
    assert figure in found, list(found)
    assert measure_similarity(found[figure], expected) >= 0.5, found[figure]


# fmt: off
# One figure standing for several measures: one row each, with its own measure.
SPLIT_CASES = [
    ("项目签约率和开工率分别达96%。", "96%", ["项目签约率", "项目开工率"]),
    ("城乡低保标准分别提高到每月800元。", "800元", ["城镇低保标准提高到每月", "农村低保标准提高到每月"]),
]
# fmt: on


@pytest.mark.parametrize("sentence, figure, expected", SPLIT_CASES, ids=[c[0] for c in SPLIT_CASES])
def test_measure_one_figure_for_several_measures(nlp, sentence, figure, expected):
    measures = [f.measure for f in nlp(sentence)._.figures if f.quantity.value_text == figure]
    assert len(measures) == len(expected), measures
    assert all(measure_similarity(got, want) >= 0.5 for got, want in zip(measures, expected)), measures
