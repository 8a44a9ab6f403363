"""Scoring against gold: section accuracy on matched rows, its column and its --show lines."""

import csv

import pytest

from pipeline.cli import main
from pipeline.evaluate.score import evaluate, format_details, format_table, section_agrees

GOLD_HEADER = ["section", "county", "actor", "measure", "value", "unit", "qualifier", "evidence", "optional"]
PRED_HEADER = ["source_file", "county", "measure", "value", "unit", "qualifier", "value_text", "section", "section_title"]

# fmt: off
SECTION_CASES = [
    # gold section, predicted label, predicted heading, right?
    ("主要背景", "主要背景", "一、主要背景", True),                       # the label itself
    ("主要背景", "主要背景和做法", "一、主要背景和做法", True),            # half the gold's bigrams in the heading
    ("城乡低保提标扩面", "城乡低保提标", "（一）城乡低保提标扩面，兜牢民生底线。", True),
    ("聚焦养老服务", "聚焦养老服务全覆盖", "一是聚焦养老服务全覆盖。", True),  # Dice ≥ 0.5 with the label
    ("1月1日至6月30日", "1月1日至6月30日", "1 月 1 日至 6 月 30 日，全县优良天数", True),  # spaces do not count
    ("全面推行林长制", "全面推行林长制", "某某县林业局 全面推行林长制", True),
    ("经济总量", "工业增加值", "在工业增加值方面", False),                 # another topic
    ("设施布局", "健全服务设施网络", "1.健全服务设施网络", False),          # a subsection's heading
    ("主要背景", "", "", False),                                           # no section found
    ("固定资产投资", "经济下行压力下", "经济下行压力下，固定资产投资仍是拉动增长的重要因素。", True),
]
# fmt: on


@pytest.mark.parametrize("gold, label, title, right", SECTION_CASES)
def test_evaluate_section_agreement(gold, label, title, right):
    assert section_agrees(gold, label, title) is right


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def scored(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    _write(gold / "doc-a.csv", GOLD_HEADER, [
        ["主要背景", "甲县", "", "新建驿站", "12", "个", "", "新建驿站12个", "0"],
        ["主要做法", "甲县", "", "培训护理员", "300", "人次", "", "培训护理员300人次", "0"],
        ["", "甲县", "", "发放补贴", "5000", "元", "", "发放补贴5000元", "0"],           # no gold section: not compared
        ["主要做法", "甲县", "", "新增床位", "80", "张", "", "新增床位80张", "0"],        # missed: not compared
        ["主要做法", "甲县", "", "覆盖率", "95", "%", "", "覆盖率95%", "1"],            # optional: not compared
    ])
    _write(gold / "doc-b.csv", GOLD_HEADER, [["", "乙县", "", "建成站点", "3", "个", "", "建成站点3个", "0"]])
    predicted = tmp_path / "metrics.csv"
    _write(predicted, PRED_HEADER, [
        ["docs/doc-a.txt", "甲县", "新建驿站", "12", "个", "", "12个", "主要背景和做法", "一、主要背景和做法"],
        ["docs/doc-a.txt", "甲县", "培训护理员", "300", "人次", "", "300人次", "存在问题", "三、存在问题"],
        ["docs/doc-a.txt", "甲县", "发放补贴", "5000", "元", "", "5000元", "存在问题", "三、存在问题"],
        ["docs/doc-a.txt", "甲县", "覆盖率", "95", "%", "", "95%", "", ""],
        ["docs/doc-b.txt", "乙县", "建成站点", "3", "个", "", "3个", "总体情况", "总体情况"],
    ])
    return gold, predicted


def test_evaluate_section_accuracy_counts_matched_rows_with_a_gold_section(scored):
    per_document, total = evaluate(*scored)
    doc_a = {s.document: s for s in per_document}["doc-a"]
    assert (doc_a.tp, doc_a.fn, doc_a.section_compared, doc_a.section_right) == (3, 1, 2, 1)
    assert doc_a.section_accuracy == 0.5
    assert [gold["value"] for gold, _ in doc_a.wrong_sections] == ["300"]
    assert (total.section_compared, total.section_right) == (2, 1)


def test_evaluate_table_and_details_show_sections(scored):
    per_document, total = evaluate(*scored)
    table = format_table(per_document, total).splitlines()
    assert table[0].split()[-2:] == ["section", "neg."]
    assert table[2].split()[-2] == "0.500"                       # doc-a
    assert table[3].split()[-2] == "-"                           # doc-b: nothing to compare
    assert table[-1].endswith("section 0.500")
    assert "doc-a: SECTION gold «主要做法» got «存在问题 | 三、存在问题» for 300 人次" in format_details(per_document).splitlines()


def test_evaluate_command_prints_section_accuracy(scored, capsys):
    gold, predicted = scored
    assert main(["eval", "--gold", str(gold), "--pred", str(predicted), "--show"]) == 0
    out = capsys.readouterr().out
    assert "qualifier 1.000, section 0.500" in out and "SECTION gold «主要做法»" in out


# fmt: off
# (figure as written, its evidence, a negative of the document, a row from that negative?)
NEGATIVE_CASES = [
    ("20个", "全市20个区县排名第4，同比下降14.99%。", "全市20个区县排名第4", True),
    ("0", "1.属于国家秘密 | 商业企业: 0", "2023年1月1日起至2023年12月31日止", False),   # a table's zero
    ("1", "（一）本年新收 | 自然人: 1", "2023年1月1日起", False),
    ("3天", "重污染天数3天，比上年减少2天。", "2023年", False),                           # 3 is inside 2023
]
# fmt: on


@pytest.mark.parametrize("value_text, evidence, negative, hit", NEGATIVE_CASES)
def test_evaluate_negative_hits_are_rows_from_the_negative(tmp_path, value_text, evidence, negative, hit):
    gold, pred = tmp_path / "gold", tmp_path / "metrics.csv"
    gold.mkdir()
    _write(gold / "doc.csv", GOLD_HEADER, [])
    (gold / "doc.negatives.txt").write_text(f"{negative}    # not a figure\n", encoding="utf-8")
    _write(pred, ["source_file", "county", "measure", "value", "unit", "value_text", "evidence"], [["doc.txt", "", "", "1", "个", value_text, evidence]])
    _, total = evaluate(gold, pred)
    assert total.negative_hits == (1 if hit else 0)
