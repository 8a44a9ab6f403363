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
]
# fmt: on


@pytest.mark.parametrize("sentence, figure, expected", CASES, ids=[c[1] + c[2] for c in CASES])
def test_measure_of_figure(nlp, sentence, figure, expected):
    doc = nlp(sentence)
    found = {f.quantity.value_text: f.measure for f in doc._.figures}
    assert figure in found, list(found)
    assert measure_similarity(found[figure], expected) >= 0.5, found[figure]
