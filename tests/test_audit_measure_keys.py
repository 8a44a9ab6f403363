"""Measure keys and cumulative markers (rules/measure_synonyms.tsv, rules/measure_units.tsv)."""

from __future__ import annotations

import pytest

from pipeline.audit.measure_keys import clause_before, expected_units, is_cumulative, load_key_rules, measure_key, unit_fits
from pipeline.rules import DEFAULT_RULES_DIR, RulesError

# fmt: off
KEYS = [
    ("安装视频监控",             "安装视频监控"),
    ("新安装视频监控",           "安装视频监控"),        # 新 is a time word
    ("本月全市新安装“视频监控”", "安装视频监控"),        # scope, period and quotes go
    ("新建智慧安防小区",         "建成智慧安防小区"),    # synonym 新建 → 建成
    ("各县市区共建成智慧安防小区", "建成智慧安防小区"),
    ("化解",                     "化解矛盾纠纷"),        # canonical name of a bare verb
    ("调处化解",                 "化解矛盾纠纷"),
    ("累计投入的资金",           "投入资金"),            # particle 的
    ("",                         ""),
]
CUMULATIVE = [
    ("全市累计安装视频监控",     True),
    ("全市共配备专兼职网格员",   True),
    ("已完成改造",               True),
    ("本月全市共受理群众信访事项", False),             # a period's total
    ("在公共区域设置",           False),                 # 公共 is not 共
    ("共建共享",                 False),
    ("新建村级综治中心",         False),
]
UNITS = [
    ("招募平安志愿者", "名", True),
    ("招募平安志愿者", "元", False),
    ("落实网格员补贴资金", "元", True),
    ("落实网格员补贴资金", "个", False),
    ("视频监控在线率", "%", True),
    ("建成智慧安防小区", "元", True),                    # no rule: not checked
]
# fmt: on


@pytest.mark.parametrize("measure, key", KEYS)
def test_audit_measure_key(measure, key):
    assert measure_key(measure) == key


@pytest.mark.parametrize("before, cumulative", CUMULATIVE)
def test_audit_is_cumulative(before, cumulative):
    assert is_cumulative(clause_before(before, len(before))) is cumulative


def test_audit_clause_before_stops_at_punctuation():
    text = "全市累计安装视频监控3860路，新建智慧安防小区35个"
    assert clause_before(text, text.index("35")) == "新建智慧安防小区"


@pytest.mark.parametrize("measure, unit, fits", UNITS)
def test_audit_unit_fits_measure(measure, unit, fits):
    expected = expected_units(measure_key(measure))
    assert (expected is None or unit_fits(unit, expected[0])) is fits


def test_audit_bad_rule_names_file_and_line(tmp_path):
    for name in ("units.tsv", "measure_units.tsv"):
        (tmp_path / name).write_text((DEFAULT_RULES_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "measure_synonyms.tsv").write_text("# comment\nkind\tword\tcanonical\tnote\nprefix\t累计\t\t\nsynonm\t调处\t化解\t\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"measure_synonyms.tsv:4: column 'kind'"):
        load_key_rules(tmp_path)
