"""The home region of documents without a masthead: where real bulletins name their place, and
how 全县/全市 and figures without a place of their own follow it."""

import pytest

from pipeline.process import process_bytes


def read(nlp, text, name="case.txt", region=""):
    result = process_bytes(text.encode("utf-8"), name, nlp, region)
    assert result.document.status == "ok", result.document.error
    return result


# fmt: off
# (kind, text, region's name or '', region_basis, (value, county) of every figure)
HOME_REGION = [
    ("a short form opening the title before a colon",
     "泾阳：秋播进度过半\n截至10月20日，全县完成小麦播种31.2万亩。",
     "泾阳县", "title", [("312000", "泾阳县")]),
    ("an office and its county in the title",
     "岐山县林业局 全面推行林长制\n今年以来，设立各级林长512名。",
     "岐山县", "title", [("512", "岐山县")]),
    ("province and city in the title: the city",
     "浙江省丽水市：推进山海协作结对帮扶\n2023年以来，全市新增帮扶项目86个。",
     "丽水市", "title", [("86", "丽水市")]),
    ("a newspaper named after its city",
     "据榆林日报报道 今年以来，全市新建高标准农田12.6万亩。",
     "榆林市", "dateline", [("126000", "榆林市")]),
    ("a dateline with its date",
     "天水3月18日讯（通讯员 王芳）今年一季度，全市新增城镇就业4120人。",
     "天水市", "dateline", [("4120", "天水市")]),
    ("a city's dateline over a report on one of its counties",
     "汉中3月28日讯 今年以来，城固县人社局多措并举稳就业。截至3月底，全县新增城镇就业1200人。",
     "城固县", "dateline", [("1200", "城固县")]),
    ("a source line at the end",
     "全市新建农家书屋120个，配送图书3.6万册。\n来源：庆阳日报",
     "庆阳市", "dateline", [("120", "庆阳市"), ("36000", "庆阳市")]),
    ("the first sentence's subject",
     "今年以来，扶风县扎实开展人居环境整治，累计清理垃圾3.2万吨。全县新建公厕46座。",
     "扶风县", "mention", [("32000", "扶风县"), ("46", "扶风县")]),
    ("an official's title and a congress",
     "政府工作报告\n——2024年1月10日在麟游县第十八届人民代表大会第四次会议上\n麟游县人民政府县长 王某\n各位代表：\n过去一年，全县生产总值增长5.2%。",
     "麟游县", "mention", [("5.2", "麟游县")]),
    ("a department named with its county",
     "今年一季度，宁强县民政部门兜牢民生底线，全县发放低保金1860万元。",
     "宁强县", "mention", [("18600000", "宁强县")]),
    ("a plan named after its county",
     "印发《镇安县养老服务体系建设实施方案》，今年新建互助幸福院26个。",
     "镇安县", "mention", [("26", "镇安县")]),
    ("a city named beside its counties",
     "宝鸡市推进社区治理。眉县建成驿站3个，凤县建成驿站5个，全市合计8个。",
     "宝鸡市", "mention", [("3", "眉县"), ("5", "凤县"), ("8", "宝鸡市")]),
]
# fmt: on


@pytest.mark.parametrize("kind, text, name, basis, figures", HOME_REGION, ids=[c[0] for c in HOME_REGION])
def test_region_of_a_document_without_masthead(nlp, kind, text, name, basis, figures):
    result = read(nlp, text)
    places = nlp.get_pipe("bulletin_places").gazetteer.places
    assert (places[result.row["region"]].name if result.row["region"] else "", result.row["region_basis"]) == (name, basis)
    assert [(row["value"], row["county"]) for row in result.metrics] == figures


# fmt: off
# Documents that name no home: their 全县/全市 figures keep an empty county rather than a guess.
NO_REGION = [
    ("no place at all", "今年以来，全县新建日间照料中心12个。", [("12", "")]),
    ("peer counties and no city: each its own, the total nobody's",
     "眉县完成3个，凤县完成5个，太白县完成2个。全市合计10个。", [("3", "眉县"), ("5", "凤县"), ("2", "太白县"), ("10", "")]),
    ("a place named as where people went is not home",
     "组织干部赴延安市开展培训，全县培训党员干部320人次。", [("320", "")]),
    ("a city's figure in a county's document that never names the city",
     "凤县召开专题会议。全县新建驿站3个，全市新建驿站10个。", [("3", "凤县"), ("10", "")]),
]
# fmt: on


@pytest.mark.parametrize("kind, text, figures", NO_REGION, ids=[c[0] for c in NO_REGION])
def test_region_is_never_guessed(nlp, kind, text, figures):
    assert [(row["value"], row["county"]) for row in read(nlp, text).metrics] == figures


# fmt: off
# (kind, text, --region, the region's basis): precedence of the evidence, rules/region_evidence.tsv.
PRECEDENCE = [
    ("--region before everything", "第 3 期\n\n中共宝鸡市委组织部办公室\n\n2023年5月12日\n\n## 工作动态\n\n全市新建驿站4个。", "眉县", ("眉县", "option")),
    ("the masthead's issuer before the title", "第 3 期\n\n中共宝鸡市委组织部办公室\n\n2023年5月12日\n\n## 眉县：建设幸福院\n\n全市新建驿站4个。", "", ("宝鸡市", "masthead")),
    ("the title before a dateline", "商洛：电商助农成效明显\n据西安晚报报道 全市电商交易额达18亿元。", "", ("商洛市", "title")),
    ("a dateline before the text's own mentions", "渭南5月6日讯 富平县、蒲城县分别新建驿站3个、5个。", "", ("渭南市", "dateline")),
]
# fmt: on


@pytest.mark.parametrize("kind, text, region, expected", PRECEDENCE, ids=[c[0] for c in PRECEDENCE])
def test_region_evidence_precedence(nlp, kind, text, region, expected):
    result = read(nlp, text, "case.md" if text.startswith("第") else "case.txt", region)
    places = nlp.get_pipe("bulletin_places").gazetteer.places
    assert (places[result.row["region"]].name, result.row["region_basis"]) == expected


def test_region_and_county_basis_are_recorded(nlp):
    result = read(nlp, "据榆林日报报道 今年以来，全市新建高标准农田12.6万亩。米脂县完成2.1万亩。")
    assert result.row["region"] == "610800" and result.row["region_basis"] == "dateline"
    assert [(row["county"], row["county_basis"]) for row in result.metrics] == [("榆林市", "scope"), ("米脂县", "sentence")]
