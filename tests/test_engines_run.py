"""Engines: the same tables from every engine, a cache that reads only what changed, a run
killed with kill -9 that resumes to the same outputs, and the review table kept across runs."""

from __future__ import annotations

import filecmp
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.batch import extract_to
from pipeline.engines.progress import Progress

from .conftest import CORPUS, REPO

SAME_BYTES = ("metrics.csv", "sections.csv", "metrics.parquet", "datapackage.json")


def assert_same_outputs(expected: Path, got: Path) -> None:
    for name in SAME_BYTES:
        assert filecmp.cmp(expected / name, got / name, shallow=False), name
    ours = pd.read_csv(expected / "documents.csv", dtype=str, keep_default_na=False).drop(columns=["seconds"])
    theirs = pd.read_csv(got / "documents.csv", dtype=str, keep_default_na=False).drop(columns=["seconds"])
    pd.testing.assert_frame_equal(ours, theirs)


# fmt: off
# (engine, jobs): every way of running gives the bytes of the in-memory reference run
ENGINES = [
    ("local", 1),
    ("local", 2),   # a process pool of two workers
    ("dask", 2),    # a real LocalCluster: two worker processes
]
# fmt: on


@pytest.mark.parametrize("engine, jobs", ENGINES, ids=[f"{e}-{j}" for e, j in ENGINES])
def test_engines_give_the_reference_tables(corpus_outputs, tmp_path, engine, jobs):
    summary = extract_to(tmp_path, [CORPUS], engine=engine, jobs=jobs, progress="quiet")
    assert summary.processed == summary.documents > 10 and not summary.failed
    assert_same_outputs(corpus_outputs, tmp_path)
    connection = duckdb.connect(str(tmp_path / "bulletins.duckdb"), read_only=True)
    try:
        count = connection.execute("SELECT count(*) FROM metrics").fetchone()[0]
    finally:
        connection.close()
    assert count == summary.figures == len(pd.read_csv(tmp_path / "metrics.csv"))


def _archive(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_engines_cache_reads_only_what_changed(tmp_path):
    names = sorted(p.name for p in CORPUS.glob("*.md"))[:4]
    archive = _archive(tmp_path / "archive", names[:3])
    rules_a = tmp_path / "rules-a"
    shutil.copytree(REPO / "rules", rules_a)
    out = tmp_path / "out"

    def run(rules: Path) -> int:
        return extract_to(out, [archive], rules_dir=str(rules), jobs=1, progress="quiet").processed

    # fmt: off
    assert run(rules_a) == 3                       # cold: every file
    first = (out / "metrics.csv").read_bytes()
    assert run(rules_a) == 0                       # unchanged archive: nothing
    assert (out / "metrics.csv").read_bytes() == first
    shutil.copy(CORPUS / names[3], archive / names[3])
    assert run(rules_a) == 1                       # an added file: that file
    rules_b = tmp_path / "rules-b"
    shutil.copytree(rules_a, rules_b)
    with open(rules_b / "units.tsv", "a", encoding="utf-8") as handle:
        handle.write("# a changed rule file\n")
    assert run(rules_b) == 4                       # a changed rule: everything
    # fmt: on
    versions = [p for p in (out / ".cache").iterdir() if p.is_dir()]
    assert len(versions) == 1, "entries of the old rules are pruned"


def test_engines_unchanged_archive_rewrites_nothing(tmp_path):
    archive = _archive(tmp_path / "archive", ["baoji-2022-14.md", "zibo-2023-09.md"])
    out = tmp_path / "out"
    first = extract_to(out, [archive], jobs=1, progress="quiet")
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    again = extract_to(out, [archive], jobs=1, progress="quiet")
    assert (again.processed, again.figures, again.failed) == (0, first.figures, first.failed)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == stamps
    (out / "metrics.csv").unlink()  # a table gone: written again, from the cache
    third = extract_to(out, [archive], jobs=1, progress="quiet")
    assert third.processed == 0 and (out / "metrics.csv").exists()


def test_engines_no_cache_leaves_no_cache(tmp_path):
    archive = _archive(tmp_path / "archive", ["baoji-2022-14.md"])
    summary = extract_to(tmp_path / "out", [archive], jobs=1, use_cache=False, progress="quiet")
    assert summary.processed == 1 and summary.figures == len(pd.read_csv(tmp_path / "out" / "metrics.csv")) > 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(SAME_BYTES + ("documents.csv", "bulletins.duckdb"))


def test_engines_kill_9_then_resume_gives_the_uninterrupted_outputs(tmp_path):
    # Enough distinct documents that the run is still busy when it is killed: each corpus
    # bulletin several times, each copy with different bytes (trailing blank lines).
    archive = tmp_path / "archive"
    archive.mkdir()
    sources = sorted(CORPUS.glob("*.md"))
    total = 0
    for copy in range(12):
        for source in sources:
            (archive / f"{copy:02d}-{source.name}").write_bytes(source.read_bytes() + b"\n" * copy)
            total += 1
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    command = [sys.executable, "-m", "pipeline", "extract", str(archive), "--out", str(killed), "--jobs", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cache = killed / ".cache"
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        done = len(list(cache.glob("*/*/*.json"))) if cache.exists() else 0
        if done >= 10:
            break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
    assert 10 <= done < total, "the run must be killed in the middle"
    assert not (killed / "metrics.csv").exists()

    resumed = extract_to(killed, [archive], jobs=1, progress="quiet")
    assert resumed.documents == total and resumed.processed < total - 5
    extract_to(whole, [archive], jobs=1, use_cache=False, progress="quiet")
    assert_same_outputs(whole, killed)
    metrics = pd.read_csv(killed / "metrics.csv", dtype=str)
    assert metrics["figure_id"].is_unique


def test_engines_rewrite_keeps_the_reviews_table(tmp_path):
    archive = _archive(tmp_path / "archive", ["baoji-2022-14.md"])
    out = tmp_path / "out"
    figures = extract_to(out, [archive], jobs=1, progress="quiet").figures
    connection = duckdb.connect(str(out / "bulletins.duckdb"))
    try:
        figure = connection.execute("SELECT figure_id FROM metrics LIMIT 1").fetchone()[0]
        connection.execute("CREATE TABLE reviews (figure_id VARCHAR PRIMARY KEY, verdict VARCHAR NOT NULL, note VARCHAR DEFAULT '')")
        connection.execute("INSERT INTO reviews VALUES (?, 'confirmed', '核实无误')", [figure])
    finally:
        connection.close()
    (out / ".metrics.csv.stale.tmp").write_text("left by a killed run")
    extract_to(out, [archive], jobs=1, progress="quiet")
    connection = duckdb.connect(str(out / "bulletins.duckdb"), read_only=True)
    try:
        assert connection.execute("SELECT figure_id, verdict, note FROM reviews").fetchall() == [(figure, "confirmed", "核实无误")]
        assert connection.execute("SELECT count(*) FROM metrics").fetchone()[0] == figures
        with pytest.raises(duckdb.Error):  # the definition came across, not only the rows
            connection.execute("INSERT INTO reviews (figure_id) VALUES ('x')")
    finally:
        connection.close()
    assert not (out / ".metrics.csv.stale.tmp").exists()


def test_engines_same_content_twice_lists_its_figures_once(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("a.md", "b.md"):
        shutil.copy(CORPUS / "baoji-2022-14.md", archive / name)
    summary = extract_to(tmp_path / "out", [archive], jobs=1, progress="quiet")
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False).set_index("source_file")
    assert summary.figures == int(documents.loc[str(archive / "a.md"), "figures"]) > 0
    assert documents.loc[str(archive / "b.md"), "figures"] == "0"
    assert documents.loc[str(archive / "b.md"), "error"] == f"same content as {archive / 'a.md'}; its figures are listed there"


# fmt: off
# (mode, what is printed for two documents)
PROGRESS = [
    ("quiet",   []),
    ("verbose", ["[1/2] a.md: ok, 1 pages, 3 figures, 0.10 s", "[2/2] b.md: corrupt (damaged), 0 pages, 0 figures, 0.00 s", "2/2 documents"]),
    ("log",     ["2/2 documents, 1 pages, 3 figures, 1 not read"]),
    ("bar",     ["2/2 documents, 1 pages, 3 figures, 1 not read"]),  # the last redraw of the line
]
# fmt: on


@pytest.mark.parametrize("mode, expected", PROGRESS, ids=[p[0] for p in PROGRESS])
def test_engines_progress_modes(mode, expected):
    stream = io.StringIO()
    progress = Progress(2, mode, stream)
    progress.document("a.md", {"status": "ok", "error": "", "pages": 1, "figures": 3, "seconds": 0.1})
    progress.document("b.md", {"status": "corrupt", "error": "damaged", "pages": 0, "figures": 0, "seconds": 0.0})
    progress.close()
    output = stream.getvalue()
    lines = output.split("\r")[-1:] if mode == "bar" else output.splitlines()
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected):
        assert line.startswith(start), (line, start)


def test_engines_cli_reports_the_cache(tmp_path, capsys):
    from pipeline.cli import main

    reference = str(CORPUS / "baoji-2022-14.md")
    assert main(["extract", reference, "--out", str(tmp_path), "--jobs", "1", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["extract", reference, "--out", str(tmp_path), "--jobs", "1"]) == 0
    figures = len(pd.read_csv(tmp_path / "metrics.csv"))
    assert f"1 documents, {figures} figures, 0 not read → {tmp_path} (1 unchanged, from the cache)" in capsys.readouterr().out


def test_engines_help_does_not_import_dask():
    code = "import sys; from pipeline.cli import main\ntry:\n main(['extract', '--help'])\nexcept SystemExit: pass\nprint(any(m.split('.')[0] in ('dask', 'distributed', 'spacy', 'pandas') for m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert output.strip().endswith("False")


def test_engines_refused_inputs_keep_a_rerun_from_rewriting(tmp_path):
    # a FIFO and a link out of the folder are rows of their own, the same on every run: an
    # unchanged archive holding them still costs hashing, not rewriting
    archive = _archive(tmp_path / "archive", ["baoji-2022-14.md"])
    os.mkfifo(archive / "pipe.md")
    os.symlink(CORPUS / "zibo-2023-09.md", archive / "outside.md")
    out = tmp_path / "out"
    first = extract_to(out, [archive], jobs=1, progress="quiet")
    assert (first.processed, first.refused) == (1, 2)
    assert sorted(f["status"] + " " + f["error"].split(":")[1] for f in first.failed) == ["unsupported fifo", "unsupported symlink_outside"]
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    again = extract_to(out, [archive], jobs=1, progress="quiet")
    assert (again.processed, again.figures, again.failed) == (0, first.figures, first.failed)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == stamps


def test_engines_a_file_over_the_byte_limit_is_never_read(tmp_path):
    archive = _archive(tmp_path / "archive", ["baoji-2022-14.md"])
    with open(archive / "huge.md", "wb") as handle:
        handle.truncate(1 << 40)  # 1 TiB, sparse
    summary = extract_to(tmp_path / "out", [archive], jobs=1, progress="quiet")
    (failed,) = summary.failed
    assert failed["status"] == "too_large" and failed["error"].startswith(f"too_large:file_bytes: the file has {1 << 40} bytes")
    assert summary.figures > 0
