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
