"""Hostile files and limits: every hostile input of the table below, built here at test time,
goes through one ``bulletin-metrics extract`` run beside good bulletins. Each gets its status
and reason code, the good files keep every row, the run finishes within a time limit (it runs
in a subprocess with a timeout, so a FIFO that blocks fails the test instead of hanging it)
and under 3 GB of memory, all processes together. A second run takes every result, refusals
included, from the cache.

The fixtures are small on disk: the file over the byte limit is sparse, the zip bomb is 1 MB
of deflate that inflates to 1 GiB (and is never inflated), the PDF over the page limit shares
one content stream between its pages.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.fixtures.hostile import (
    COMPILATION_CHARS,
    COPIES,
    FORMULA_NAME,
    LONG_PDF_BULLETINS,
    NUMBERS_EXPECTED,
    REFERENCE,
    SENTENCE_FIGURES,
    build_archive,
    compilation_text,
    without_permission_override,
)
from tests.fixtures.memory import PeakMemory

from .conftest import REPO

RUN_TIMEOUT_SECONDS = 180  # the whole run; nothing in it may block
DOCUMENT_SECONDS = 30  # any one document
PEAK_RSS_LIMIT = 3 * 10**9  # all processes of the run together


def run_extract(arguments: list[str], cwd: Path, timeout: float = RUN_TIMEOUT_SECONDS) -> tuple[subprocess.CompletedProcess, float, int]:
    """``bulletin-metrics extract …`` in a subprocess: (result, seconds, peak RSS of the tree)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", *arguments], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=without_permission_override if os.geteuid() == 0 else None,  # noqa: PLW1509 (one syscall)
                               env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True)
    memory = PeakMemory(process.pid)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        memory.stop()
        pytest.fail(f"extract did not finish within {timeout} s: something blocked")
    peak = memory.stop()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), time.monotonic() - started, peak


# -- the table --------------------------------------------------------------------------------
# (name in the archive, how it is made, status, reason code the error starts with)
# fmt: off
HOSTILE = [
    ("huge.txt",             "sparse file of 300 MiB",                      "too_large",   "too_large:file_bytes"),
    ("bomb.docx",            "document.xml inflating to 1 GiB (real)",      "too_large",   "too_large:docx_inflated"),
    ("ratio-bomb.docx",      "40 MiB of blanks, inflating 1000×",           "too_large",   "too_large:docx_ratio"),
    ("lying.docx",           "directory understating document.xml",         "corrupt",     ""),
    ("members.docx",         "20,000 members in the zip directory",         "too_large",   "too_large:docx_members"),
    ("pages.pdf",            "5,001 pages",                                 "too_large",   "too_large:pages"),
    ("pages-understated.pdf", "5,001 pages, /Count 1",                      "too_large",   "too_large:pages"),
    ("long.txt",             "20,000,016 characters",                       "too_large",   "too_large:chars"),
    ("pipe.md",              "FIFO in the folder",                          "unsupported", "unsupported:fifo"),
    ("socket.md",            "Unix socket in the folder",                   "unsupported", "unsupported:socket"),
    ("zero.md",              "symlink to /dev/zero",                        "unsupported", "unsupported:symlink_outside"),
    ("outside.md",           "symlink to a file outside the folder",        "unsupported", "unsupported:symlink_outside"),
    ("loop-a.md",            "symlink loop a → b → a",                      "unsupported", "unsupported:symlink_loop"),
    ("self.md",              "symlink to itself",                           "unsupported", "unsupported:symlink_loop"),
    ("broken.md",            "symlink to nothing",                          "unsupported", "unsupported:symlink_broken"),
    ("locked",               "folder with mode 000",                        "error",       "error:unreadable"),
    ("unreadable.md",        "file with mode 000",                          "error",       "error:unreadable"),
    ("CLI_FIFO",             "FIFO named on the command line",              "unsupported", "unsupported:fifo"),
    ("/dev/zero",            "device named on the command line",            "unsupported", "unsupported:device"),
]
# Hostile content: files that are read, in full, into bounded rows.
# (name, how it is made); what each must give is checked by test_hostile_content_* below
# fmt: off
CONTENT = [
    ("one-sentence.txt", "10,000 figures in one 200 KB sentence"),
    ("compilation.md",   "one report of 1,100,000 characters (past spaCy's max_length)"),
    ("copies.md",        "the reference bulletin 450 times: 450 issues in one file"),
    ("long.pdf",         "460 bulletins as one PDF of about 2,000 pages"),
    ("numbers.md",       "signs, 1E+308, 1 234, a 400-digit number, 2×10^16 元"),
]
# fmt: on

# good files beside them: (name, how it is made); each must give the rows it gives alone
GOOD = [
    ("good.md",              "corpus/baoji-2022-14.md"),
    (FORMULA_NAME,           "the same bulletin (one more newline) under a formula as its name"),
    ("sub/linked-target.md", "the same (two more newlines), read through an inside symlink only"),
    ("good.docx",            "the bulletin as DOCX (python-docx)"),
    ("good.pdf",             "the bulletin as PDF (reportlab)"),
    ("three-pages.pdf",      "a PDF of 3 pages, well under the page limit"),
]
# fmt: on


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, render, cjk_fonts):
    base = tmp_path_factory.mktemp("hostile")
    archive, outside, out = base / "archive", base / "outside", base / "out"
    archive.mkdir()
    outside.mkdir()
    fifo = base / "cli.fifo"
    os.mkfifo(fifo)
    build_archive(archive, outside, render)
    # Named relative to the archive, so source_file is the bare name (a formula in the export).
    arguments = [".", str(fifo), "/dev/zero", "--out", str(out), "--jobs", "2"]
    try:
        result, seconds, peak = run_extract(arguments, cwd=archive)
        again, again_seconds, _ = run_extract(arguments, cwd=archive)
    finally:
        os.chmod(archive / "locked", 0o755)
        os.chmod(archive / "unreadable.md", 0o644)
    assert result.returncode == 0, result.stderr
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("source_file")
    metrics = pd.read_csv(out / "metrics.csv", dtype=str, keep_default_na=False)
    names = {name: (str(fifo) if name == "CLI_FIFO" else name) for name, *_ in HOSTILE}
    return {"archive": archive, "out": out, "result": result, "again": again, "seconds": seconds, "again_seconds": again_seconds,
            "peak": peak, "documents": documents, "metrics": metrics, "names": names}


@pytest.mark.parametrize("name, made, status, code", HOSTILE, ids=[h[0].strip("/").replace("/", "-") for h in HOSTILE])
def test_hostile_file_gets_status_and_reason(hostile_run, name, made, status, code):
    row = hostile_run["documents"].loc[hostile_run["names"][name]]
    assert row["status"] == status, row["error"]
    assert row["error"].startswith(code) and len(row["error"]) > len(code) + 10, row["error"]
    assert row["figures"] == "0"
    assert float(row["seconds"] or 0) < DOCUMENT_SECONDS
    if status == "too_large":  # the error names the limit, its value and the option
        limit = code.split(":")[1]
        option = "--max-" + limit.replace("_", "-")
        assert f" max_{limit} = " in row["error"] and option in row["error"], row["error"]


def test_hostile_run_keeps_every_row_of_the_good_files(hostile_run, tmp_path):
    from pipeline.batch import extract_files

    # the good files alone, in a clean folder, are the reference
    clean = tmp_path / "clean"
    clean.mkdir()
    archive = hostile_run["archive"]
    for name, _ in GOOD:
        shutil.copyfile(archive / name, clean / Path(name).name)
    alone = extract_files([clean])
    expected = {Path(d["source_file"]).name: d["figures"] for d in alone.documents}
    documents, metrics = hostile_run["documents"], hostile_run["metrics"]
    columns = ["county", "measure", "value", "unit", "char_start", "char_end"]
    for name, _ in GOOD:
        row = documents.loc[name]
        assert row["status"] == "ok", (name, row["error"])
        assert int(row["figures"]) == expected[Path(name).name] > 0 or name == "three-pages.pdf", name
        got = metrics[metrics["source_file"] == name][columns].astype(str).values.tolist()
        reference = [[str(m[c]) for c in columns] for m in alone.metrics if Path(m["source_file"]).name == Path(name).name]
        assert sorted(got) == sorted(reference), name


def test_hostile_run_is_bounded_in_time_and_memory(hostile_run):
    assert hostile_run["seconds"] < RUN_TIMEOUT_SECONDS
    assert 0 < hostile_run["peak"] < PEAK_RSS_LIMIT, f"peak RSS {hostile_run['peak'] / 1e9:.2f} GB"
    print(f"\nhostile run: {hostile_run['seconds']:.1f} s, peak RSS of all processes {hostile_run['peak'] / 1e6:.0f} MB; "
          f"cached re-run {hostile_run['again_seconds']:.1f} s")


def test_hostile_run_lists_every_input_and_nothing_outside(hostile_run):
    documents = hostile_run["documents"]
    expected = set(hostile_run["names"].values()) | {name for name, _ in GOOD + CONTENT} | {"loop-b.md"}
    assert set(documents.index) == expected  # not locked/inner.md (its folder cannot be listed), nor .hidden/target.md
    assert documents.loc["loop-b.md", "error"].startswith("unsupported:symlink_loop")
    connection = duckdb.connect(str(hostile_run["out"] / "bulletins.duckdb"), read_only=True)
    try:
        texts = "".join(text for (text,) in connection.execute("SELECT text FROM document_texts").fetchall())
    finally:
        connection.close()
    assert "9999亿元" not in texts  # the file outside the folder was never read


def test_hostile_rerun_takes_everything_from_the_cache(hostile_run):
    again = hostile_run["again"]
    assert again.returncode == 0, again.stderr
    read = sum(1 for name, *_ in HOSTILE if name in ("bomb.docx", "ratio-bomb.docx", "lying.docx", "members.docx", "pages.pdf", "pages-understated.pdf", "long.txt"))
    # every file that was read, refused by a limit or not, comes from the cache
    assert f"({len(GOOD) + len(CONTENT) + read} unchanged, from the cache)" in again.stdout, again.stdout
    assert hostile_run["again_seconds"] < hostile_run["seconds"]


def test_hostile_formula_name_is_neutralized_in_the_review_export(hostile_run, tmp_path):
    from pipeline.cli import main

    exported = tmp_path / "to-check.csv"
    assert main(["review", "--export", str(exported), "--out", str(hostile_run["out"])]) == 0
    with open(exported, encoding="utf-8", newline="") as handle:
        cells = [row["source_file"] for row in csv.DictReader(handle)]
    assert "'" + FORMULA_NAME in cells and FORMULA_NAME not in cells
    assert FORMULA_NAME in set(hostile_run["metrics"]["source_file"])  # the data table keeps the name as it is


# -- hostile content: read in full, into bounded rows ------------------------------------------
def _content(hostile_run, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = hostile_run["documents"].loc[[name]]
    assert set(documents["status"]) == {"ok"}, documents["error"].tolist()
    metrics = hostile_run["metrics"]
    return documents, metrics[metrics["source_file"] == name]


def _reference_rows(hostile_run) -> pd.DataFrame:
    metrics = hostile_run["metrics"]
    return metrics[metrics["source_file"] == "good.md"]


def test_hostile_content_one_sentence_has_bounded_evidence(hostile_run):
    from pipeline.dataset.rows import EVIDENCE_CHARS

    _, rows = _content(hostile_run, "one-sentence.txt")
    assert len(rows) == SENTENCE_FIGURES and set(rows["county"]) == {"眉县"}
    assert rows["evidence"].str.len().max() <= EVIDENCE_CHARS
    assert all(text in evidence for text, evidence in zip(rows["value_text"], rows["evidence"]))
    size = (hostile_run["out"] / "metrics.csv").stat().st_size
    inputs = sum((hostile_run["archive"] / name).stat().st_size for name, _ in CONTENT + GOOD)
    assert size < 12 * inputs, f"metrics.csv of {size / 1e6:.0f} MB for {inputs / 1e6:.0f} MB of input"


def test_hostile_content_compilation_gives_the_figures_of_every_copy(hostile_run):
    _, copies = compilation_text(COMPILATION_CHARS)
    documents, rows = _content(hostile_run, "compilation.md")
    reference = _reference_rows(hostile_run)
    assert len(documents) == 1 and len(rows) == copies * len(reference) > 0
    columns = ["county", "measure", "value", "unit", "section"]
    per_copy = sorted(map(tuple, reference[columns].values.tolist()))
    counted = pd.Series(list(map(tuple, rows[columns].values.tolist()))).value_counts()
    assert sorted(counted.index) == sorted(set(per_copy)) and set(counted) <= {copies * per_copy.count(k) for k in per_copy}


def test_hostile_content_copies_are_one_document_per_issue(hostile_run):
    documents, rows = _content(hostile_run, "copies.md")
    reference = _reference_rows(hostile_run)
    assert sorted(documents["issue_part"].astype(int)) == list(range(1, COPIES + 1))
    assert set(documents["issue_no"]) == {"14"} and set(documents["figures"].astype(int)) == {len(reference)}
    assert len(rows) == COPIES * len(reference) and rows["figure_id"].is_unique


def test_hostile_content_long_pdf_gives_its_figures(hostile_run):
    documents, rows = _content(hostile_run, "long.pdf")
    first = documents.iloc[0]
    assert len(documents) == LONG_PDF_BULLETINS and rows["page"].astype(int).max() > 1900
    assert len(rows) > 10 * LONG_PDF_BULLETINS and (documents["figures"].astype(int) > 0).all()
    assert first["issue_no"] == "14" and first["issuer"] == "中共宝鸡市委组织部办公室"


def test_hostile_content_numbers_keep_signs_and_never_become_inf(hostile_run):
    import math

    import pyarrow.parquet as pq

    _, rows = _content(hostile_run, "numbers.md")
    assert list(zip(rows["value"], rows["unit"])) == NUMBERS_EXPECTED
    values = pq.read_table(hostile_run["out"] / "metrics.parquet", columns=["value", "value_max"]).to_pydict()
    assert all(math.isfinite(v) for column in values.values() for v in column if v is not None)
    connection = duckdb.connect(str(hostile_run["out"] / "bulletins.duckdb"), read_only=True)
    try:
        (bad,) = connection.execute("SELECT count(*) FROM metrics WHERE isinf(value) OR isnan(value) OR isinf(value_max) OR isnan(value_max)").fetchone()
    finally:
        connection.close()
    assert bad == 0


def test_hostile_content_audit_report_embeds_valid_json(hostile_run, tmp_path):
    import json
    import re

    from pipeline.audit.run import run_audit

    out = tmp_path / "out"
    shutil.copytree(hostile_run["out"], out)
    run_audit(out, report=out / "report.html")
    html = (out / "report.html").read_text(encoding="utf-8")
    (payload,) = re.findall(r'<script id="audit-data" type="application/json">(.*?)</script>', html, flags=re.DOTALL)

    def not_json(constant: str):
        raise AssertionError(f"{constant} in the report's JSON: a browser's JSON.parse rejects it")

    data = json.loads(payload, parse_constant=not_json)
    assert len(data["figures"]) == len(hostile_run["metrics"])


# -- the command line's own errors ---------------------------------------------------------------
def test_hostile_missing_input_is_exit_2_and_one_line(tmp_path):
    result, _, _ = run_extract([str(tmp_path / "no-such-folder"), str(REFERENCE), "--out", str(tmp_path / "out")], cwd=REPO, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: no such file or folder: {tmp_path / 'no-such-folder'}"]
    assert not (tmp_path / "out").exists()


# fmt: off
UNWRITABLE = [
    ("read-only folder",  lambda base: (base.joinpath("ro").mkdir(mode=0o555), base / "ro" / "out")[1], "Permission denied"),
    ("under a file",      lambda base: (base.joinpath("file").write_text("x"), base / "file" / "out")[1], "Not a directory"),
    ("a file",            lambda base: (base.joinpath("file").write_text("x"), base / "file")[1],         "not a folder"),
]
# fmt: on


@pytest.mark.parametrize("case, make, reason", UNWRITABLE, ids=[u[0] for u in UNWRITABLE])
def test_hostile_unwritable_out_is_exit_1_and_one_line(tmp_path, case, make, reason):
    out = make(tmp_path)
    result, _, _ = run_extract([str(REFERENCE), "--out", str(out)], cwd=REPO, timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write to the output folder") and reason in lines[0], result.stderr
    assert "Traceback" not in result.stderr
