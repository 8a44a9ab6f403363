"""Typed tables: the Python API, metrics.parquet, bulletins.duckdb and datapackage.json give every
column the same type (numbers as numbers, issue_date a date, codes as text, an empty cell NULL),
the CSV files keep their text, and the descriptor's keys hold and validate."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
import math
import os
import shutil

import duckdb
import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.audit.reviews import REVIEW_COLUMNS, record
from pipeline.audit.run import run_audit
from pipeline.batch import extract_to
from pipeline.dataset.frames import typed
from pipeline.dataset.rows import issue_date, issue_number
from pipeline.dataset.schema import DOCUMENTS, METRICS, SECTIONS, csv_options

from .conftest import CORPUS, REPO

REFERENCE = CORPUS / "baoji-2022-14.md"
TABLES = {"metrics": METRICS, "documents": DOCUMENTS, "sections": SECTIONS}

# fmt: off
# Every column not listed is text. What each kind is in pandas, Arrow (Parquet), DuckDB and Frictionless.
NOT_TEXT = {
    "metrics": {"issue_part": "integer", "issue_no": "integer", "issue_date": "date", "value": "number", "value_max": "number",
                "page": "integer", "char_start": "integer", "char_end": "integer"},
    "documents": {"pages": "integer", "figures": "integer", "seconds": "number", "issue_part": "integer", "issue_no": "integer",
                  "issue_date": "date"},
    "sections": {"section_no": "integer", "level": "integer", "char_start": "integer", "char_end": "integer", "page": "integer"},
}
KINDS = {  # kind: (pandas dtype, Arrow type, DuckDB type)
    "string":  ("string", "string", "VARCHAR"),
    "integer": ("Int64", "int64", "BIGINT"),
    "number":  ("Float64", "double", "DOUBLE"),
    "date":    ("date32[day][pyarrow]", "date32[day]", "DATE"),
}
COLUMNS = [(table, column) for table, schema in TABLES.items() for column in schema]

# (table, column): cells empty in the CSV of the archive below, which are NULL in DuckDB and Parquet and <NA> in pandas
EMPTY = [
    ("metrics", "county"), ("metrics", "county_code"), ("metrics", "county_basis"), ("metrics", "town"), ("metrics", "actor"),
    ("metrics", "qualifier"), ("metrics", "value_max"), ("metrics", "issue_no"), ("metrics", "issue_date"), ("metrics", "issuer"),
    ("documents", "doc_id"), ("documents", "sha256"), ("documents", "error"), ("documents", "issue_no"), ("documents", "issue_date"),
    ("documents", "region"), ("documents", "series"),
]
# (table, column): codes and ids, text everywhere (a CSV reader guessing types makes 610300.0 of a county code)
CODES = [("metrics", "county_code"), ("metrics", "figure_id"), ("metrics", "doc_id"), ("documents", "doc_id"),
         ("documents", "sha256"), ("documents", "region"), ("sections", "doc_id")]
# fmt: on


def _archive(folder):
    """Bulletins with and without a masthead, a region and a county for every figure; a copy of a
    file; a file of four issues; a masthead with a date no calendar has; an empty file; a FIFO."""
    folder.mkdir()
    for name in ("baoji-2022-14.md", "zibo-2023-09.md", "county-rural-labor-employment.txt"):
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(REFERENCE, folder / "copy-of-baoji.md")
    issues = [(CORPUS / f"xianyang-2024-0{n}.md").read_text(encoding="utf-8").strip("\n") for n in range(1, 5)]
    (folder / "xianyang-2024.md").write_text("\n\n".join(issues) + "\n", encoding="utf-8")
    (folder / "bad-date.md").write_text(REFERENCE.read_text(encoding="utf-8").replace("2022 年 10 月 20 日", "2022 年 2 月 30 日"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    os.mkfifo(folder / "pipe.md")
    return str(folder)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The archive extracted by the command's streaming writer into a folder, audited and
    reviewed, and through the Python API."""
    root = tmp_path_factory.mktemp("typed")
    archive = _archive(root / "archive")
    out = root / "out"
    summary = extract_to(out, [archive], jobs=1, progress="quiet")
    assert summary.documents == 8 and summary.figures > 150
    api = pipeline.extract_tables(archive)
    audited = run_audit(out)
    assert audited.flags, "the archive raises no flag: the flags resources would go untested"
    reviewed = api["metrics"]["figure_id"].iloc[0]
    record(out, reviewed, "corrected", note="=应为1280名", corrected_value="1280")
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        duck = {name: connection.sql(f'SELECT * FROM "{name}"').to_arrow_table() for name in TABLES}
        describe = {name: {row[0]: row[1] for row in connection.execute(f'DESCRIBE "{name}"').fetchall()} for name in TABLES}
        texts = connection.execute("SELECT doc_id, text FROM document_texts").fetchall()
    finally:
        connection.close()
    csv_text = {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES}
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    return {"archive": archive, "out": out, "api": api, "duck": duck, "describe": describe, "csv": csv_text, "package": package,
            "parquet": pq.read_table(out / "metrics.parquet"), "reviewed": reviewed, "texts": texts}


def _fields(package, table):
    resource = next(r for r in package["resources"] if r["name"] == table)
    return {field["name"]: field for field in resource["schema"]["fields"]}


def _kind(table, column):
    return NOT_TEXT[table].get(column, "string")


@pytest.mark.parametrize("table", TABLES)
def test_dataset_types_every_form_has_the_same_columns(run, table):
    with open(run["out"] / f"{table}.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(TABLES[table]) == list(run["api"][table].columns) == run["duck"][table].column_names
    assert list(_fields(run["package"], table)) == header and all(f["description"] for f in _fields(run["package"], table).values())
    if table == "metrics":
        assert run["parquet"].column_names == header


@pytest.mark.parametrize("table, column", COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_dataset_types_column_has_one_type_everywhere(run, table, column):
    kind = _kind(table, column)
    pandas_dtype, arrow_type, duckdb_type = KINDS[kind]
    assert str(run["api"][table][column].dtype) == pandas_dtype
    assert run["describe"][table][column] == duckdb_type
    assert _fields(run["package"], table)[column]["type"] == kind
    if table == "metrics":
        assert str(run["parquet"].schema.field(column).type) == arrow_type


def test_dataset_types_api_metrics_are_the_parquet_file(run):
    """pandas reads metrics.parquet back with the API's dtypes and values, row for row."""
    pd.testing.assert_frame_equal(run["api"]["metrics"], pd.read_parquet(run["out"] / "metrics.parquet"))


@pytest.mark.parametrize("table", TABLES)
def test_dataset_types_api_tables_are_the_database_tables(run, table):
    api = pa.Table.from_pandas(run["api"][table], preserve_index=False).to_pylist()
    stored = run["duck"][table].to_pylist()
    if table == "documents":  # the time each file took differs between two runs
        api, stored = ([{k: v for k, v in row.items() if k != "seconds"} for row in rows] for rows in (api, stored))
    assert api == stored


def test_dataset_types_document_texts_hold_each_text_once(run):
    """A row per doc_id with a text: the copy of a file shares its row, an empty or unopened file has none."""
    documents = run["csv"]["documents"]
    with_text = set(documents.loc[documents["status"] == "ok", "doc_id"])
    assert [doc_id for doc_id, _ in run["texts"]] == sorted(with_text)
    assert all(text for _, text in run["texts"]) and len(with_text) < (documents["status"] == "ok").sum()


def test_dataset_types_value_sum_is_a_number(run):
    metrics = run["api"]["metrics"]
    exact = math.fsum(float(v) for v in run["csv"]["metrics"]["value"] if v)
    total = metrics.value.sum()
    assert isinstance(total, float) and total == pytest.approx(exact, rel=1e-12)
    by_county = metrics.groupby("county").value.sum()  # the README's example
    written = run["csv"]["metrics"]
    meixian = math.fsum(float(v) for v in written.loc[written["county"] == "眉县", "value"] if v)
    assert by_county["眉县"] == pytest.approx(meixian, rel=1e-12) and meixian > 184000
    assert by_county.dtype == "Float64" and "" not in by_county.index


def test_dataset_types_issue_date_is_a_date_in_every_form(run):
    api = run["api"]["metrics"].set_index("source_file")
    reference = f"{run['archive']}/baoji-2022-14.md"
    expected = dt.date(2022, 10, 20)
    assert set(api.loc[reference, "issue_date"]) == {expected}
    parquet = run["parquet"].to_pandas().set_index("source_file")
    assert set(parquet.loc[reference, "issue_date"]) == {expected}
    duck = {(row["source_file"], row["issue_date"]) for row in run["duck"]["metrics"].to_pylist()}
    assert (reference, expected) in duck
    assert set(run["csv"]["metrics"].set_index("source_file").loc[reference, "issue_date"]) == {"2022-10-20"}


def test_dataset_types_a_date_no_calendar_has_is_empty(run):
    """2022年2月30日 in a masthead: no issue_date, in the CSV as in every typed form."""
    bad = f"{run['archive']}/bad-date.md"
    documents = run["csv"]["documents"].set_index("source_file")
    assert (documents.loc[bad, "issue_date"], documents.loc[bad, "issue_no"]) == ("", "14")
    api = run["api"]["documents"].set_index("source_file")
    assert pd.isna(api.loc[bad, "issue_date"]) and api.loc[bad, "issue_no"] == 14


@pytest.mark.parametrize("table, column", EMPTY, ids=[f"{t}.{c}" for t, c in EMPTY])
def test_dataset_types_empty_cell_is_null(run, table, column):
    empty = int((run["csv"][table][column] == "").sum())
    assert empty > 0, f"no empty {column} in the archive: the case is not tested"
    assert int(run["api"][table][column].isna().sum()) == empty
    assert run["duck"][table].column(column).null_count == empty
    if _kind(table, column) == "string":
        assert "" not in run["duck"][table].column(column).to_pylist()
    if table == "metrics":
        assert run["parquet"].column(column).null_count == empty


@pytest.mark.parametrize("table, column", CODES, ids=[f"{t}.{c}" for t, c in CODES])
def test_dataset_types_codes_stay_text(run, table, column):
    """'610300' stays '610300' in every form, a CSV read with the descriptor's types included."""
    written = [cell or None for cell in run["csv"][table][column]]
    types = {"string": "string", "integer": "Int64", "number": "Float64", "date": "date32[day][pyarrow]"}
    dtypes = {name: types[field["type"]] for name, field in _fields(run["package"], table).items()}
    read = pd.read_csv(run["out"] / f"{table}.csv", dtype=dtypes, keep_default_na=False, na_values=[""])
    forms = {
        "csv with the descriptor's types": read[column],
        "csv with csv_options": pd.read_csv(run["out"] / f"{table}.csv", **csv_options(TABLES[table]))[column],
        "api": run["api"][table][column],
        "duckdb": pd.Series(run["duck"][table].column(column).to_pylist()),
    }
    if table == "metrics":
        forms["parquet"] = pd.Series(run["parquet"].column(column).to_pylist())
    for form, values in forms.items():
        assert [None if pd.isna(v) else v for v in values] == written, form
    if column == "county_code":
        assert "610300" in written


def test_dataset_types_csv_read_with_the_contract_is_the_parquet_file(run):
    read = pd.read_csv(run["out"] / "metrics.csv", **csv_options(METRICS))
    pd.testing.assert_frame_equal(read, pd.read_parquet(run["out"] / "metrics.parquet"))


def test_dataset_types_readme_examples_run(run):
    """The Python API section's lines on typed tables, run on the archive's tables."""
    block = (REPO / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith(("metrics.groupby", "metrics[", "from pipeline.dataset", "metrics = pd."))]
    assert len(lines) == 4, lines
    namespace = {"datetime": dt, "pd": pd, "metrics": run["api"]["metrics"]}
    for line in lines:
        exec(line.replace('"outputs/', f'"{run["out"]}/'), namespace)  # noqa: S102 - the README's own lines
    pd.testing.assert_frame_equal(namespace["metrics"], run["api"]["metrics"])


def test_dataset_types_datapackage_validates(run):
    report = frictionless.validate(run["out"] / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    assert {task.name: task.stats["rows"] > 0 for task in report.tasks} == dict.fromkeys(
        ["metrics", "documents", "sections", "flags", "flag_figures", "reviews"], True)


# fmt: off
# resource: (primary key, [(fields, referenced resource, its fields)])
KEYS = {
    "metrics":      ("figure_id", [(["source_file", "issue_part"], "documents", ["source_file", "issue_part"])]),
    "documents":    (["source_file", "issue_part"], []),
    "sections":     (["doc_id", "section_no"], []),
    "flags":        ("flag_id", []),
    "flag_figures": (["flag_id", "figure_id"], [("flag_id", "flags", "flag_id"), ("figure_id", "metrics", "figure_id")]),
    "reviews":      ("figure_id", [("figure_id", "metrics", "figure_id")]),
}
# fmt: on


@pytest.mark.parametrize("resource", KEYS)
def test_dataset_types_datapackage_keys(run, resource):
    schema = next(r for r in run["package"]["resources"] if r["name"] == resource)["schema"]
    key, foreign = KEYS[resource]
    assert schema["primaryKey"] == key
    got = [(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"]) for fk in schema.get("foreignKeys", [])]
    assert got == foreign


def test_dataset_types_keys_hold_in_the_files(run):
    """What the descriptor declares, and what it cannot (sections by doc_id), read from the files."""
    tables = {name: pd.read_csv(run["out"] / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in ("metrics", "documents", "sections", "flags", "flag_figures", "reviews")}
    documents = tables["documents"]
    assert not documents.duplicated(["source_file", "issue_part"]).any()
    assert documents["doc_id"].duplicated().any()  # a file's issues and a copy share the doc_id: no key of documents
    keyed = documents.set_index(["source_file", "issue_part"])["doc_id"]
    metrics = tables["metrics"]
    assert (keyed.loc[list(zip(metrics["source_file"], metrics["issue_part"]))].to_numpy() == metrics["doc_id"].to_numpy()).all()
    assert set(tables["sections"]["doc_id"]) <= set(documents["doc_id"])
    flags = {row["flag_id"]: row["figure_ids"].split(";") for row in tables["flags"].to_dict("records")}
    pairs = {(flag, figure) for flag, figures in flags.items() for figure in figures}
    assert set(zip(tables["flag_figures"]["flag_id"], tables["flag_figures"]["figure_id"])) == pairs
    assert len(tables["flag_figures"]) == len(pairs) and set(tables["flag_figures"]["figure_id"]) <= set(metrics["figure_id"])
    assert tables["reviews"]["figure_id"].tolist() == [run["reviewed"]]


def test_dataset_types_reviews_resource_has_the_columns_reviews_are_written_with(run):
    assert list(_fields(run["package"], "reviews")) == REVIEW_COLUMNS
    with open(run["out"] / "reviews.csv", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == REVIEW_COLUMNS


# fmt: off
# (what is broken, file, change to a row of it, the error frictionless reports)
BROKEN = [
    ("figure of no document", "metrics.csv", lambda row: {**row, "source_file": "nowhere.md"}, "foreign-key"),
    ("document listed twice", "documents.csv", None, "primary-key"),
    ("flag of an unknown figure", "flag_figures.csv", lambda row: {**row, "figure_id": "0000000000000000"}, "foreign-key"),
    ("verdict on an unknown figure", "reviews.csv", lambda row: {**row, "figure_id": "0000000000000000"}, "foreign-key"),
    ("a value that is no number", "metrics.csv", lambda row: {**row, "value": "many"}, "type-error"),
    ("an issue number that is no integer", "metrics.csv", lambda row: {**row, "issue_no": "14a"}, "type-error"),
    ("a date no calendar has", "documents.csv", lambda row: {**row, "issue_date": "2022-02-30"}, "type-error"),
    ("nothing broken", "metrics.csv", lambda row: row, None),
]
# fmt: on


@pytest.mark.parametrize("what, name, change, error", BROKEN, ids=[b[0] for b in BROKEN])
def test_dataset_types_datapackage_finds_broken_files(run, tmp_path, what, name, change, error):
    """The validation is real: each broken file is reported, and only that."""
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    with open(out / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if change is not None:
        rows[0] = change(rows[0])
    else:
        rows.append(rows[0])
    with open(out / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = frictionless.validate(out / "datapackage.json")
    found = {e.type for task in report.tasks for e in task.errors}
    assert found == ({error} if error else set()), report.flatten(["resourceName", "rowNumber", "message"])[:3]


def test_dataset_types_datapackage_lists_the_tables_present(tmp_path):
    out = tmp_path / "out"
    extract_to(out, [str(REFERENCE)], jobs=1, progress="quiet")

    def listed():
        return [r["name"] for r in json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]]

    assert listed() == ["metrics", "documents", "sections"]
    run_audit(out)
    assert listed() == ["metrics", "documents", "sections", "flags", "flag_figures"]
    first = (out / "datapackage.json").read_bytes(), (out / "flag_figures.csv").read_bytes()
    run_audit(out)
    assert ((out / "datapackage.json").read_bytes(), (out / "flag_figures.csv").read_bytes()) == first
    figure = pd.read_csv(out / "metrics.csv", dtype=str)["figure_id"].iloc[0]
    record(out, figure, "verified")
    assert listed() == ["metrics", "documents", "sections", "flags", "flag_figures", "reviews"]
    extract_to(out, [str(REFERENCE)], jobs=1, progress="quiet", use_cache=False)  # a re-run keeps describing them
    assert listed() == ["metrics", "documents", "sections", "flags", "flag_figures", "reviews"]
    assert frictionless.validate(out / "datapackage.json").valid


def test_dataset_types_rerun_gives_identical_files(run, tmp_path):
    again = tmp_path / "again"
    extract_to(again, [run["archive"]], jobs=1, progress="quiet", use_cache=False)
    run_audit(again)
    record(again, run["reviewed"], "corrected", note="=应为1280名", corrected_value="1280")
    for name in ("metrics.csv", "sections.csv", "metrics.parquet", "flags.csv", "flag_figures.csv", "datapackage.json"):
        assert filecmp.cmp(run["out"] / name, again / name, shallow=False), name
    ours, theirs = (pd.read_csv(folder / "documents.csv", dtype=str, keep_default_na=False).drop(columns=["seconds"]) for folder in (run["out"], again))
    pd.testing.assert_frame_equal(ours, theirs)


# fmt: off
# (kind, cell as a row holds it, the typed value: None for <NA>)
CELLS = [
    ("string",  "610300",      "610300"),
    ("string",  "",            None),
    ("string",  None,          None),
    ("string",  "NA",          "NA"),         # a name, not a missing value
    ("integer", 14,            14),
    ("integer", "14",          14),
    ("integer", "",            None),
    ("integer", "1.5",         None),         # no integer
    ("integer", "9" * 30,      None),         # beyond int64
    ("number",  "184000",      184000.0),
    ("number",  "-2.1",        -2.1),
    ("number",  "1e400",       None),         # beyond a double: never inf
    ("number",  "nan",         None),
    ("number",  "",            None),
    ("date",    "2022-10-20",  dt.date(2022, 10, 20)),
    ("date",    "2022-02-30",  None),         # no such day
    ("date",    "20221020",    None),         # only the ISO form the rows write
    ("date",    "",            None),
]
# fmt: on


@pytest.mark.parametrize("kind, cell, expected", CELLS)
def test_dataset_types_typed_cell(kind, cell, expected):
    data = typed(pd.DataFrame({"column": [cell, "2022-10-20" if kind == "date" else "7"]}, dtype=object), {"column": (kind, "")})
    assert str(data["column"].dtype) == KINDS[kind][0]
    value = data["column"].iloc[0]
    assert (pd.isna(value) if expected is None else value == expected and not pd.isna(value)), value


@pytest.mark.parametrize("kind, cell, expected", CELLS)
def test_dataset_types_written_cell_is_the_api_cell(kind, cell, expected):
    """The writers convert rows to Arrow without pandas (arrow_rows); the API through pandas
    (typed): the same cell gives the same value and dtype both ways."""
    from pipeline.dataset.arrow_rows import arrow_rows

    schema = {"column": (kind, "")}
    rows = [{"column": cell}, {"column": "2022-10-20" if kind == "date" else "7"}]
    written = arrow_rows(rows, schema).to_pandas()
    pd.testing.assert_frame_equal(written, typed(pd.DataFrame(rows, dtype=object), schema))


# fmt: off
# (masthead text, issue_no written, issue_date written)
MASTHEADS = [
    ("14",    "2022-10-20", "14",  "2022-10-20"),
    ("",      "",           "",    ""),
    ("十十",  "2022-02-30", "",    ""),  # a numeral that did not parse; a day no calendar has
    ("126",   "2024-02-29", "126", "2024-02-29"),
    ("３",    "2023-02-29", "",    ""),  # not ASCII digits; 2023 is no leap year
]
# fmt: on


@pytest.mark.parametrize("number, date, number_written, date_written", MASTHEADS)
def test_dataset_types_rows_write_only_whole_issue_numbers_and_real_dates(number, date, number_written, date_written):
    assert (issue_number(number), issue_date(date)) == (number_written, date_written)


def test_dataset_types_extract_writes_without_importing_pandas(tmp_path):
    """pandas costs a fifth of a second to import, as long as reading a bulletin: the command
    line's extract never imports it (the Python API, which returns DataFrames, does)."""
    import subprocess
    import sys

    script = ("import sys; from pipeline.cli import main; "
              f"code = main(['extract', {str(REPO / 'corpus' / 'baoji-2022-14.md')!r}, '--out', {str(tmp_path / 'out')!r}, '--no-cache', '-q']); "
              "print(code, 'pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.split() == ["0", "False"], result.stderr
    assert pd.read_parquet(tmp_path / "out" / "metrics.parquet")["value"].dtype == "Float64"
