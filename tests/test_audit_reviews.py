"""The review workflow: verdicts by command and by CSV, kept in DuckDB and reviews.csv, and
surviving a re-run of extract into the same folder; the import of an edited export in every
encoding a spreadsheet saves, changing only what was changed, and refusing a bad line with
``FILE:LINE: reason``."""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import pytest

from pipeline.cli import main

from .conftest import CORPUS

BULLETIN = CORPUS / "xianyang-2024-03.md"
OLD_DATE = "2020-01-02T03:04:05Z"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("extracted")
    assert main(["extract", str(BULLETIN), "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture()
def out(extracted, tmp_path):
    """A fresh copy of the extracted folder for each test."""
    return shutil.copytree(extracted, tmp_path / "out")


def _ids(out):
    with open(out / "metrics.csv", encoding="utf-8") as handle:
        return {row["value_text"]: row["figure_id"] for row in csv.DictReader(handle)}


def _reviews(out):
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        return {row[0]: row[1:] for row in connection.execute("SELECT figure_id, status, note, corrected_value, corrected_unit FROM reviews").fetchall()}
    finally:
        connection.close()


def _dates(out):
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        return dict(connection.execute("SELECT figure_id, reviewed_at FROM reviews").fetchall())
    finally:
        connection.close()


def _age(out):
    """Date every verdict long ago, so that a verdict recorded again shows in its date."""
    connection = duckdb.connect(str(out / "bulletins.duckdb"))
    try:
        connection.execute("UPDATE reviews SET reviewed_at = ?", [OLD_DATE])
    finally:
        connection.close()


# fmt: off
VERDICTS = [
    (["--status", "verified"],                                            ("verified", "", None, "")),
    (["--status", "disputed", "--note", "与上期重复"],                     ("disputed", "与上期重复", None, "")),
    (["--status", "corrected", "--value", "1280", "--note", "应为1280名"], ("corrected", "应为1280名", 1280.0, "")),
    (["--status", "corrected", "--unit", "名", "--note", "单位应为名"],     ("corrected", "单位应为名", None, "名")),
    (["--status", "corrected", "--value", "1,280.0", "--unit", " 名 "],   ("corrected", "", 1280.0, "名")),
]
REFUSED = [
    (["--status", "corrected"],                      "needs the corrected value (--value) or the corrected unit (--unit)"),
    (["--status", "verified", "--value", "3"],       "goes with status 'corrected'"),
    (["--status", "disputed", "--unit", "名"],       "goes with status 'corrected'"),
    (["--status", "corrected", "--value", "abc"],    "must be a number"),
    (["--status", "corrected", "--value", "inf"],    "must be a number"),
    (["--status", "corrected", "--value", "1e999"],  "must be a finite number"),
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


def test_audit_review_same_verdict_again_keeps_its_date_and_clear_removes_it(out, capsys):
    figure_id = _ids(out)["1280元"]
    assert main(["review", figure_id, "--status", "corrected", "--value", "1280", "--out", str(out)]) == 0
    _age(out)
    assert main(["review", figure_id, "--status", "corrected", "--value", "1280.0", "--out", str(out)]) == 0
    assert "unchanged" in capsys.readouterr().out and _dates(out) == {figure_id: OLD_DATE}
    assert main(["review", figure_id, "--status", "corrected", "--value", "1281", "--out", str(out)]) == 0
    assert _dates(out)[figure_id] != OLD_DATE
    assert main(["review", figure_id, "--clear", "--out", str(out)]) == 0
    assert _reviews(out) == {} and figure_id not in (out / "reviews.csv").read_text(encoding="utf-8")
    assert main(["review", figure_id, "--clear", "--out", str(out)]) == 0
    assert "had no verdict" in capsys.readouterr().out


# -- the import of an edited export ------------------------------------------------------------
# Verdicts recorded before the export: (value_text, options).
BEFORE = [("1280元", ["--status", "corrected", "--value", "1280", "--note", "单位应为名"]),
          ("802件", ["--status", "verified"])]


def _set(**cells):
    def edit(rows, ids, value_text):
        rows[ids[value_text]].update(cells)
    return edit


def _drop_column(column):
    def edit(rows, ids, value_text):
        for row in rows.values():
            del row[column]
    return edit


def _duplicate(rows, ids, value_text):
    row = dict(rows[ids[value_text]])
    rows["copy"] = row


def _unknown(rows, ids, value_text):
    rows[ids[value_text]]["figure_id"] = "ffffffffffffffff"


# (case, edit, the row it edits, encoding the sheet is saved in,
#  expected: {value_text: (status, note, corrected_value, corrected_unit, date kept)} of every verdict after the import)
# fmt: off
IMPORTS = [
    ("unchanged export",          None,                                               "1280元", "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True)}),
    ("1280.0 is 1280",            _set(corrected_value="1280.0"),                     "1280元", "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True)}),
    ("1,280 is 1280",             _set(corrected_value="1,280", note=" 单位应为名 "),  "1280元", "utf-8",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True)}),
    ("empty status removes",      _set(status=""),                                    "1280元", "utf-8-sig",
     {"802件": ("verified", "", None, "", True)}),
    ("status cleared with note",  _set(status="", note="再核"),                        "802件",  "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True)}),
    ("unit corrected",            _set(corrected_unit="名"),                          "1280元", "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "名", False), "802件": ("verified", "", None, "", True)}),
    ("unit alone",                _set(status="corrected", corrected_unit="人"),       "56个",   "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True),
      "56个": ("corrected", "", None, "人", False)}),
    ("UTF-8 without BOM",         _set(status="disputed", note="累计数低于上期"),       "3950路", "utf-8",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True),
      "3950路": ("disputed", "累计数低于上期", None, "", False)}),
    ("GBK from Excel",            _set(status="disputed", note="累计数低于上期"),       "3950路", "gbk",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True),
      "3950路": ("disputed", "累计数低于上期", None, "", False)}),
    ("GB18030 beyond GBK",        _set(status="disputed", note="𠮷祥村数据存疑"),      "3950路", "gb18030",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True),
      "3950路": ("disputed", "𠮷祥村数据存疑", None, "", False)}),
    ("capitalized status",        _set(status="Verified "),                           "3950路", "utf-8-sig",
     {"1280元": ("corrected", "单位应为名", 1280.0, "", True), "802件": ("verified", "", None, "", True),
      "3950路": ("verified", "", None, "", False)}),
]
# (case, edit, the row it edits, encoding, the line's reason)
BAD_LINES = [
    ("bad status",                _set(status="checked"),                             "56个",   "utf-8-sig", "status must be one of verified, disputed, corrected, not 'checked'"),
    ("unknown figure id",         _unknown,                                           "56个",   "gbk",       "unknown figure id 'ffffffffffffffff'"),
    ("unparsable value",          _set(status="corrected", corrected_value="60个"),    "56个",   "utf-8",     "corrected value must be a number, not '60个'"),
    ("value not a finite number", _set(status="corrected", corrected_value="NaN"),     "56个",   "utf-8-sig", "corrected value must be a number, not 'NaN'"),
    ("corrected without value",   _set(status="corrected"),                           "56个",   "utf-8-sig", "status 'corrected' needs the corrected value"),
    ("note without a status",     _set(note="应为60个"),                               "56个",   "gb18030",   "a note or correction needs a status"),
    ("figure twice",              _duplicate,                                         "56个",   "utf-8-sig", "is on line"),
    ("missing status column",     _drop_column("status"),                             None,     "utf-8-sig", "missing column status"),
    ("missing figure_id column",  _drop_column("figure_id"),                          None,     "gbk",       "missing column figure_id"),
]
# fmt: on


def _prepare(out, tmp_path, edit, value_text, encoding):
    """Record BEFORE, export, age the verdicts, edit the export as a reviewer would and save it
    in ``encoding``; returns the file and the line each figure's row starts on."""
    ids = _ids(out)
    for text, options in BEFORE:
        assert main(["review", ids[text], *options, "--out", str(out)]) == 0
    exported = tmp_path / "to-check.csv"
    assert main(["review", "--export", str(exported), "--out", str(out)]) == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    _age(out)
    with open(exported, encoding="utf-8-sig", newline="") as handle:
        rows = {row["figure_id"]: row for row in csv.DictReader(handle)}
    if edit:
        edit(rows, ids, value_text)
    columns = list(next(iter(rows.values())))
    text, lines = io.StringIO(), {}
    writer = csv.DictWriter(text, columns, lineterminator="\r\n")
    writer.writeheader()
    for key, row in rows.items():
        lines.setdefault(row.get("figure_id", key), []).append(text.getvalue().count("\n") + 1)
        writer.writerow(row)
    edited = tmp_path / f"edited-{encoding}.csv"
    edited.write_bytes(text.getvalue().encode(encoding))
    return edited, lines


@pytest.mark.parametrize("case, edit, value_text, encoding, expected", IMPORTS, ids=[c[0] for c in IMPORTS])
def test_audit_review_import(out, tmp_path, case, edit, value_text, encoding, expected, capsys):
    edited, _ = _prepare(out, tmp_path, edit, value_text, encoding)
    reviews_csv = (out / "reviews.csv").read_bytes()
    assert main(["review", "--import", str(edited), "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    ids = _ids(out)
    reviews, dates = _reviews(out), _dates(out)
    assert {v: (*reviews[i], dates[i] == OLD_DATE) for v, i in ids.items() if i in reviews} == expected
    if all(kept for *_, kept in expected.values()) and len(expected) == len(BEFORE):
        assert (out / "reviews.csv").read_bytes() == reviews_csv  # nothing changed, nothing rewritten


@pytest.mark.parametrize("case, edit, value_text, encoding, reason", BAD_LINES, ids=[c[0] for c in BAD_LINES])
def test_audit_review_import_names_the_bad_line(out, tmp_path, case, edit, value_text, encoding, reason, capsys):
    edited, lines = _prepare(out, tmp_path, edit, value_text, encoding)
    before = _reviews(out), _dates(out)
    capsys.readouterr()
    assert main(["review", "--import", str(edited), "--out", str(out)]) == 1
    figure_id = "ffffffffffffffff" if edit is _unknown else _ids(out).get(value_text)
    line = lines[figure_id][-1] if value_text else 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith(f"error: {edited}:{line}: ") and reason in error, error
    assert (_reviews(out), _dates(out)) == before  # nothing recorded


def test_audit_review_import_of_a_file_in_no_known_encoding(out, tmp_path, capsys):
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"figure_id,status,note\n" + _ids(out)["56个"].encode() + b",verified,caf\xe9\n")
    assert main(["review", "--import", str(bad), "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == f"error: {bad}:2: not UTF-8, GBK/GB18030 or UTF-16 text (byte 0xe9); save the sheet as CSV UTF-8"


def test_audit_review_import_of_unicode_text_from_excel(out, tmp_path):
    """Excel's "Unicode text": UTF-16 with its BOM, tab-separated."""
    figure_id = _ids(out)["56个"]
    sheet = tmp_path / "unicode.txt"
    sheet.write_bytes(f"figure_id\tstatus\tnote\r\n{figure_id}\tdisputed\t县区合计60个\r\n".encode("utf-16"))
    assert main(["review", "--import", str(sheet), "--out", str(out)]) == 0
    assert _reviews(out) == {figure_id: ("disputed", "县区合计60个", None, "")}


def test_audit_reviews_table_of_an_earlier_version_is_read_and_upgraded(out):
    """A reviews table written before corrected_unit existed, carried across by extract."""
    figure_id = _ids(out)["1280元"]
    connection = duckdb.connect(str(out / "bulletins.duckdb"))
    try:
        connection.execute("CREATE TABLE reviews (figure_id VARCHAR PRIMARY KEY, status VARCHAR, note VARCHAR, corrected_value DOUBLE, reviewed_at VARCHAR)")
        connection.execute("INSERT INTO reviews VALUES (?, 'corrected', '应为1280名', 1280.0, '2024-05-06T07:08:09+00:00')", [figure_id])
    finally:
        connection.close()
    from pipeline.audit.reviews import load_reviews

    assert load_reviews(out)[figure_id] == {"figure_id": figure_id, "status": "corrected", "note": "应为1280名", "corrected_value": "1280",
                                            "corrected_unit": "", "reviewed_at": "2024-05-06T07:08:09Z"}
    assert main(["audit", str(out), "-q"]) == 0
    assert _reviews(out) == {figure_id: ("corrected", "应为1280名", 1280.0, "")}
    assert "corrected_unit" in (out / "reviews.csv").read_text(encoding="utf-8").splitlines()[0]


def test_audit_reviews_survive_rerun_and_show_in_report(out):
    figure_id = _ids(out)["1280元"]
    assert main(["review", figure_id, "--status", "corrected", "--value", "1280", "--unit", "名", "--note", "单位应为名", "--out", str(out)]) == 0
    # extract again into the same folder: the database is rewritten, the figure id is the same
    assert main(["extract", str(BULLETIN), "--out", str(out), "-q"]) == 0
    assert _ids(out)["1280元"] == figure_id
    assert main(["audit", str(out), "--report", str(out / "report.html"), "-q"]) == 0
    assert _reviews(out)[figure_id] == ("corrected", "单位应为名", 1280.0, "名")
    assert (out / "reviews.csv").read_text(encoding="utf-8").count(figure_id) == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "单位应为名" in html and '"status":"corrected"' in html and '"corrected_unit":"名"' in html


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
    from pipeline.audit.review_sheet import EXPORT_COLUMNS, export_csv, import_csv
    from pipeline.audit.reviews import load_reviews, record

    columns = ["figure_id", "source_file", "issue_no", "county", "measure", "value", "unit", "value_text", "evidence", "page"]
    figures = [dict(zip(columns, ["f1", "=cmd|' /C calc'!A0.md", "3", "@眉县", "+HYPERLINK(\"http://x\")", "-5", "%", "-5%", "=1+1 下降-5%", "1"])),
               dict(zip(columns, ["f2", "good.md", "3", "眉县", "新建驿站", "12", "个", "12个", "眉县新建驿站12个。", "1"]))]
    with open(tmp_path / "metrics.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(figures)
    data_before = (tmp_path / "metrics.csv").read_bytes()
    record(tmp_path, "f1", "disputed", "=HYPERLINK(\"http://evil\",\"看这里\")")
    record(tmp_path, "f2", "corrected", "", "-12", "=1+1")
    exported = tmp_path / "to-check.csv"
    assert export_csv(tmp_path, exported) == 2
    with open(exported, encoding="utf-8-sig", newline="") as handle:
        rows = {row["figure_id"]: row for row in csv.DictReader(handle)}
    assert list(rows["f1"]) == EXPORT_COLUMNS
    assert rows["f1"]["source_file"] == "'=cmd|' /C calc'!A0.md"
    assert (rows["f1"]["county"], rows["f1"]["measure"], rows["f1"]["evidence"]) == ("'@眉县", "'+HYPERLINK(\"http://x\")", "'=1+1 下降-5%")
    assert (rows["f1"]["value"], rows["f1"]["value_text"]) == ("-5", "'-5%")  # the value stays a number
    assert rows["f1"]["note"] == "'=HYPERLINK(\"http://evil\",\"看这里\")"
    assert (rows["f2"]["corrected_value"], rows["f2"]["corrected_unit"]) == ("-12", "'=1+1")
    assert rows["f2"]["evidence"] == "眉县新建驿站12个。"
    # reviews.csv, opened by reviewers too, is escaped; the verdicts read back as entered
    assert "'=HYPERLINK" in (tmp_path / "reviews.csv").read_text(encoding="utf-8")
    assert load_reviews(tmp_path)["f1"]["note"] == "=HYPERLINK(\"http://evil\",\"看这里\")"
    assert load_reviews(tmp_path)["f2"]["corrected_unit"] == "=1+1"
    # importing the export unchanged records nothing new and keeps the note as entered
    summary = import_csv(tmp_path, exported)
    assert (summary.recorded, summary.removed, summary.unchanged) == (0, 0, 2)
    assert load_reviews(tmp_path)["f1"]["note"] == "=HYPERLINK(\"http://evil\",\"看这里\")"
    assert (tmp_path / "metrics.csv").read_bytes() == data_before  # the data table as it was
