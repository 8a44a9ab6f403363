"""The review workflow: verdicts by command and by CSV, kept in DuckDB and reviews.csv, and
surviving a re-run of extract into the same folder."""

from __future__ import annotations

import csv

import duckdb
import pytest

from pipeline.cli import main

from .conftest import CORPUS

BULLETIN = CORPUS / "xianyang-2024-03.md"


@pytest.fixture()
def out(tmp_path):
    assert main(["extract", str(BULLETIN), "--out", str(tmp_path), "-q"]) == 0
    return tmp_path


def _ids(out):
    with open(out / "metrics.csv", encoding="utf-8") as handle:
        return {row["value_text"]: row["figure_id"] for row in csv.DictReader(handle)}


def _reviews(out):
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        return {row[0]: row[1:] for row in connection.execute("SELECT figure_id, status, note, corrected_value FROM reviews").fetchall()}
    finally:
        connection.close()


# fmt: off
VERDICTS = [
    (["--status", "verified"],                                       ("verified", "", None)),
    (["--status", "disputed", "--note", "与上期重复"],               ("disputed", "与上期重复", None)),
    (["--status", "corrected", "--value", "1280", "--note", "应为1280名"], ("corrected", "应为1280名", 1280.0)),
]
REFUSED = [
    (["--status", "corrected"],                      "needs the corrected value"),
    (["--status", "verified", "--value", "3"],       "goes with status 'corrected'"),
    (["--status", "corrected", "--value", "abc"],    "must be a number"),
]
# fmt: on


@pytest.mark.parametrize("options, stored", VERDICTS)
def test_audit_review_command_records_verdict(out, options, stored):
    figure_id = _ids(out)["1280元"]
    assert main(["review", figure_id, *options, "--out", str(out)]) == 0
    assert _reviews(out)[figure_id] == stored


@pytest.mark.parametrize("options, message", REFUSED)
def test_audit_review_command_refuses_bad_verdict(out, options, message, capsys):
    assert main(["review", _ids(out)["1280元"], *options, "--out", str(out)]) == 1
    assert message in capsys.readouterr().err


def test_audit_review_unknown_figure(out, capsys):
    assert main(["review", "0000000000000000", "--status", "verified", "--out", str(out)]) == 1
    assert "no figure" in capsys.readouterr().err


def test_audit_review_export_edit_import(out, tmp_path_factory):
    exported = tmp_path_factory.mktemp("csv") / "reviews-to-fill.csv"
    assert main(["review", "--export", str(exported), "--out", str(out)]) == 0
    rows = list(csv.DictReader(open(exported, encoding="utf-8")))
    ids = _ids(out)
    for row in rows:
        if row["figure_id"] == ids["3950路"]:
            row.update(status="disputed", note="累计数低于上期")
        if row["figure_id"] == ids["56个"]:
            row.update(status="corrected", corrected_value="60", note="县区合计60个")
    with open(exported, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert main(["review", "--import", str(exported), "--out", str(out)]) == 0
    reviews = _reviews(out)
    assert reviews[ids["3950路"]] == ("disputed", "累计数低于上期", None)
    assert reviews[ids["56个"]] == ("corrected", "县区合计60个", 60.0)


def test_audit_review_import_names_bad_line(out, tmp_path_factory):
    bad = tmp_path_factory.mktemp("csv") / "bad.csv"
    bad.write_text(f"figure_id,status,note,corrected_value\n{_ids(out)['56个']},checked,,\n", encoding="utf-8")
    from pipeline.audit.reviews import ReviewError, import_csv

    with pytest.raises(ReviewError, match=r"bad.csv:2: status must be one of"):
        import_csv(out, bad)


def test_audit_reviews_survive_rerun_and_show_in_report(out):
    figure_id = _ids(out)["1280元"]
    assert main(["review", figure_id, "--status", "corrected", "--value", "1280", "--note", "单位应为名", "--out", str(out)]) == 0
    # extract again into the same folder: the database is rewritten, the figure id is the same
    assert main(["extract", str(BULLETIN), "--out", str(out), "-q"]) == 0
    assert _ids(out)["1280元"] == figure_id
    assert main(["audit", str(out), "--report", str(out / "report.html"), "-q"]) == 0
    assert _reviews(out)[figure_id] == ("corrected", "单位应为名", 1280.0)
    assert (out / "reviews.csv").read_text(encoding="utf-8").count(figure_id) == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "单位应为名" in html and '"status":"corrected"' in html


# Cells a spreadsheet would run, as the data holds them and as the review export writes them
# (OWASP: a leading ' makes them text; plain numbers stay numbers; a leading ' is doubled so
# that an import gives back exactly the data).
# fmt: off
FORMULA_CELLS = [
    ("=cmd|' /C calc'!A0",           "'=cmd|' /C calc'!A0"),
    ('+HYPERLINK("http://x","y")',   '\'+HYPERLINK("http://x","y")'),
    ("@SUM(A1:A9)",                  "'@SUM(A1:A9)"),
    ("-2+3+cmd|' /C calc'!A0",       "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1+1",                       "'\t=1+1"),
    ("\r=1+1",                       "'\r=1+1"),
    ("-5%",                          "'-5%"),
    ("'quoted",                      "''quoted"),
    ("-5",                           "-5"),          # a negative value stays a number
    ("-3.5",                         "-3.5"),
    ("+12",                          "+12"),
    ("-1.5e+3",                      "-1.5e+3"),
    ("同比下降-5%",                   "同比下降-5%"),
    ("",                             ""),
]
# fmt: on


@pytest.mark.parametrize("data, cell", FORMULA_CELLS, ids=[repr(c[0])[1:12] for c in FORMULA_CELLS])
def test_audit_spreadsheet_cell_is_safe_and_reads_back(data, cell):
    from pipeline.audit.spreadsheet import read_cell, safe_cell

    assert safe_cell(data) == cell
    assert read_cell(cell) == data
    if cell.startswith("'") and cell[1:2] != "'":
        assert read_cell(cell[1:]) == data  # a spreadsheet that dropped the quote on saving


def test_audit_review_export_neutralizes_formulas_not_the_data(tmp_path):
    from pipeline.audit.reviews import EXPORT_COLUMNS, export_csv, import_csv, load_reviews, record

    columns = ["figure_id", "source_file", "issue_no", "county", "measure", "value", "unit", "value_text", "evidence", "page"]
    figures = [dict(zip(columns, ["f1", "=cmd|' /C calc'!A0.md", "3", "@眉县", "+HYPERLINK(\"http://x\")", "-5", "%", "-5%", "=1+1 下降-5%", "1"])),
               dict(zip(columns, ["f2", "good.md", "3", "眉县", "新建驿站", "12", "个", "12个", "眉县新建驿站12个。", "1"]))]
    with open(tmp_path / "metrics.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(figures)
    data_before = (tmp_path / "metrics.csv").read_bytes()
    record(tmp_path, "f1", "disputed", "=HYPERLINK(\"http://evil\",\"看这里\")")
    exported = tmp_path / "to-check.csv"
    assert export_csv(tmp_path, exported) == 2
    with open(exported, encoding="utf-8", newline="") as handle:
        rows = {row["figure_id"]: row for row in csv.DictReader(handle)}
    assert list(rows["f1"]) == EXPORT_COLUMNS
    assert rows["f1"]["source_file"] == "'=cmd|' /C calc'!A0.md"
    assert (rows["f1"]["county"], rows["f1"]["measure"], rows["f1"]["evidence"]) == ("'@眉县", "'+HYPERLINK(\"http://x\")", "'=1+1 下降-5%")
    assert (rows["f1"]["value"], rows["f1"]["value_text"]) == ("-5", "'-5%")  # the value stays a number
    assert rows["f1"]["note"] == "'=HYPERLINK(\"http://evil\",\"看这里\")"
    assert rows["f2"]["evidence"] == "眉县新建驿站12个。"
    # reviews.csv, opened by reviewers too, is escaped; the verdicts read back as entered
    assert "'=HYPERLINK" in (tmp_path / "reviews.csv").read_text(encoding="utf-8")
    assert load_reviews(tmp_path)["f1"]["note"] == "=HYPERLINK(\"http://evil\",\"看这里\")"
    # importing the export unchanged records nothing new and keeps the note as entered
    assert import_csv(tmp_path, exported) == (0, [])
    assert load_reviews(tmp_path)["f1"]["note"] == "=HYPERLINK(\"http://evil\",\"看这里\")"
    assert (tmp_path / "metrics.csv").read_bytes() == data_before  # the data table as it was
