"""The audit's checks on a series of four issues of one bulletin (corpus/xianyang-2024-0*.md)
with planted inconsistencies of every kind: each must be flagged by its check, and the clean
figures must (almost all) go unflagged."""

from __future__ import annotations

import csv
from collections import Counter

import duckdb
import pytest

from .conftest import CORPUS, GOLD

SERIES = [CORPUS / f"xianyang-2024-0{n}.md" for n in range(1, 5)]

# fmt: off
# Planted inconsistencies: (bulletin, figure as written, check that must flag it). Every figure
# involved in one is listed (the earlier issue's figure too), so that "clean" means untouched.
PLANTED = [
    ("xianyang-2024-02", "4120路", "cumulative_decrease"),      # 累计安装视频监控 4120 路 in issue 2 …
    ("xianyang-2024-03", "3950路", "cumulative_decrease"),      # … 累计 3950 路 in issue 3
    ("xianyang-2024-03", "56个",   "county_sum_exceeds_city"),  # the city's 新建智慧安防小区 56 个 …
    ("xianyang-2024-03", "31个",   "county_sum_exceeds_city"),  # … 秦都区 31 个
    ("xianyang-2024-03", "29个",   "county_sum_exceeds_city"),  # … + 渭城区 29 个 = 60
    ("xianyang-2024-02", "836件",  "parts_exceed_total"),       # 共受理 836 件，其中 …
    ("xianyang-2024-02", "214件",  "parts_exceed_total"),       # … 214 + 387 + 298 = 899
    ("xianyang-2024-02", "387件",  "parts_exceed_total"),
    ("xianyang-2024-02", "298件",  "parts_exceed_total"),
    ("xianyang-2024-04", "103%",   "percent_over_100"),         # 视频监控在线率达到 103%
    ("xianyang-2024-04", "103%",   "outlier"),                  # (and far from 98.6 … 99.1)
    ("xianyang-2024-03", "1320件", "rate_mismatch"),            # 排查 1320, 化解 1195 = 90.5% …
    ("xianyang-2024-03", "1195件", "rate_mismatch"),
    ("xianyang-2024-03", "98.5%",  "rate_mismatch"),            # … 化解率 98.5%
    ("xianyang-2024-03", "1280元", "unit_mismatch"),            # 新招募平安志愿者 1280 元
    ("xianyang-2024-01", "16个",   "re_reported"),              # 渭城区新建村级综治中心 16 个 in issue 1 …
    ("xianyang-2024-03", "16个",   "re_reported"),              # … and again as new in issue 3
    ("xianyang-2024-04", "3260处", "outlier"),                  # 三原县排查安全隐患 312, 298, 335, 3260
    ("xianyang-2024-04", "86个",   "unresolved_county"),        # **新城区**: several places have the name
    ("xianyang-2024-02", "两次",   "low_confidence"),           # Chinese numeral
    ("xianyang-2024-02", "3至5名", "low_confidence"),           # a range
]
# fmt: on


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    from pipeline.audit.run import run_audit
    from pipeline.batch import extract_files
    from pipeline.dataset.writers import write_outputs

    out = tmp_path_factory.mktemp("series-out")
    batch = extract_files(SERIES)
    write_outputs(out, batch.metrics, batch.documents, batch.sections)
    return out, run_audit(out)


def _figure(result, stem: str, value_text: str):
    matches = [f for f in result.output.figures if f["source_file"].endswith(f"{stem}.md") and f["value_text"] == value_text]
    assert len(matches) == 1, (stem, value_text, len(matches))
    return matches[0]


def test_audit_series_has_four_issues_with_gold():
    assert all(path.exists() and (GOLD / f"{path.stem}.csv").exists() for path in SERIES)


@pytest.mark.parametrize("stem, value_text, check", PLANTED, ids=[f"{c}-{s[-2:]}-{v}" for s, v, c in PLANTED])
def test_audit_planted_inconsistency_is_flagged(audited, stem, value_text, check):
    _, result = audited
    figure = _figure(result, stem, value_text)
    checks = {flag["check"] for flag in result.flags if figure.id in flag["figure_ids"].split(";")}
    assert check in checks, (figure["evidence"], checks)


def test_audit_clean_figures_are_not_flagged(audited, capsys):
    _, result = audited
    planted = {_figure(result, stem, value_text).id for stem, value_text, _ in PLANTED}
    flagged = {figure_id for flag in result.flags for figure_id in flag["figure_ids"].split(";")}
    clean = [f for f in result.output.figures if f.id not in planted]
    wrongly = [f"{f['source_file']} {f['value_text']} {f['measure']}" for f in clean if f.id in flagged]
    assert len(clean) >= 70
    assert len(wrongly) <= 0.05 * len(clean), wrongly
    counts = Counter(flag["check"] for flag in result.flags)
    with capsys.disabled():
        print(f"\n[audit] flags on the series ({len(result.output.figures)} figures): " + ", ".join(f"{c}={n}" for c, n in sorted(counts.items())))
        print(f"[audit] clean figures flagged: {len(wrongly)} of {len(clean)}")


def test_audit_flags_table_in_csv_and_duckdb(audited):
    out, result = audited
    with open(out / "flags.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["flag_id", "check", "severity", "message", "figure_ids", "doc_ids"]
    assert len(rows) == len(result.flags) and len({r["flag_id"] for r in rows}) == len(rows)
    assert all(r["severity"] in ("error", "warning", "info") and r["message"] and r["doc_ids"] for r in rows)
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        assert connection.execute("SELECT count(*) FROM flags").fetchone()[0] == len(rows)
        keys = dict(connection.execute("SELECT m.value_text || '@' || m.issue_no, a.measure_key FROM audit_figures a JOIN metrics m USING (figure_id)").fetchall())
    finally:
        connection.close()
    # 安装视频监控 (issue 1, city) and 新安装视频监控 (issue 2, 秦都区) are one measure
    assert keys["3860路@1"] == keys["120路@2"] == "安装视频监控"


def test_audit_flag_ids_are_stable(audited):
    from pipeline.audit.run import run_audit

    out, result = audited
    again = run_audit(out)
    assert [f["flag_id"] for f in again.flags] == [f["flag_id"] for f in result.flags]
