"""The progress heartbeat: where the documents in flight are, read by the parent from the run's
position board while workers read a long PDF page by page or a long text piece by piece — a log
line every LOG_EVERY_SECONDS whatever finishes, a terminal line that moves within a document,
nothing with -q — and a run whose worker dies still ending with its tables."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import pytest

from pipeline.batch import extract_to
from pipeline.engines import progress as progress_module
from pipeline.engines.position import Board, reached, reporting
from pipeline.engines.progress import Progress, describe

from .conftest import CORPUS, REPO

REFERENCE = CORPUS / "baoji-2022-14.md"
LONG_PDF_BULLETINS = 6  # about 28 pages: long enough for several heartbeats at a short interval


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory, cjk_fonts) -> Path:
    from tests.fixtures.hostile import long_pdf as render_long_pdf

    path = tmp_path_factory.mktemp("long") / "long.pdf"
    path.write_bytes(render_long_pdf(LONG_PDF_BULLETINS))
    return path


@pytest.fixture(scope="module")
def long_text(tmp_path_factory) -> Path:
    from tests.fixtures.hostile import long_text as make_long_text

    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_bytes(make_long_text(60_000))
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# fmt: off
# (stage, done, total, what a line says of the document)
DESCRIPTIONS = [
    ("waiting",   0, 0,    None),
    ("in flight", 0, 0,    None),
    ("reading",   0, 0,    "reading long.pdf"),
    ("page",      812, 1959, "reading long.pdf page 812/1959"),
    ("figures",   0, 0,    "finding figures in long.pdf"),
    ("issue",     12, 460, "finding figures in long.pdf, issue 12/460"),
    ("piece",     3, 40,   "finding figures in long.pdf, piece 3/40"),
]
# fmt: on


@pytest.mark.parametrize("stage, done, total, says", DESCRIPTIONS, ids=[d[0] for d in DESCRIPTIONS])
def test_progress_describes_each_stage(stage, done, total, says):
    assert describe("long.pdf", stage, done, total) == says


AT_PAGE = [("archive/long.pdf", "page", 812, 1959)]
SIX_READING = [(f"archive/{n}.pdf", "page", 1, 9) for n in "abcdef"]
SENT_TO_DASK = [("archive/a.pdf", "in flight", 0, 0), ("archive/b.pdf", "in flight", 0, 0)]

# fmt: off
# (mode, where the documents are, seconds at which the heartbeat ticks, the lines printed)
HEARTBEATS = [
    ("log",     AT_PAGE,      [5, 10, 15, 20.5],
     ["0/3 documents, 0 pages, 0 figures, 0 not read, 0.0 documents/s, ETA ? — reading archive/long.pdf page 812/1959"] * 2),
    ("log",     SIX_READING,  [10],
     ["0/3 documents, 0 pages, 0 figures, 0 not read, 0.0 documents/s, ETA ? — " + "; ".join(f"reading archive/{n}.pdf page 1/9" for n in "abcd") + "; 2 more"]),
    ("log",     SENT_TO_DASK, [10],
     ["0/3 documents, 0 pages, 0 figures, 0 not read, 0.0 documents/s, ETA ? — in flight: archive/a.pdf, archive/b.pdf"]),
    ("log",     [],           [10],
     ["0/3 documents, 0 pages, 0 figures, 0 not read, 0.0 documents/s, ETA ?"]),
    ("verbose", AT_PAGE,      [9, 10],
     ["… reading archive/long.pdf page 812/1959"]),
    ("verbose", [],           [10],   []),  # nothing to say between the per-document lines
    ("bar",     AT_PAGE,      [0.05, 0.1, 0.25, 0.5],  # every REDRAW_EVERY_SECONDS at most
     ["\r0/3 documents, 0 pages, 0 figures, 0 not read, 0.0 documents/s, ETA ? — reading long.pdf page 812/1959\033[K"] * 3),
    ("quiet",   AT_PAGE,      [10, 20], []),
]
# fmt: on


@pytest.mark.parametrize("mode, where, ticks, expected", HEARTBEATS, ids=[f"{h[0]}-{i}" for i, h in enumerate(HEARTBEATS)])
def test_progress_heartbeat_with_a_fake_clock(mode, where, ticks, expected):
    clock = FakeClock()
    stream = io.StringIO()
    progress = Progress(3, mode, stream, clock=clock)
    progress.where = lambda: where  # what ``following`` sets, here without its thread
    started = clock.now
    for at in ticks:
        clock.now = started + at
        progress.tick()
    output = stream.getvalue()
    lines = ["\r" + part for part in output.split("\r") if part] if mode == "bar" else output.splitlines()
    assert lines == expected


def test_progress_readme_line_is_what_a_log_gets():
    """The README's example line, from the counts and positions it shows."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = next(line.strip() for line in readme.splitlines() if line.strip().startswith("12/40 documents"))
    clock = FakeClock()
    stream = io.StringIO()
    progress = Progress(40, "log", stream, clock=clock)
    progress.where = lambda: [("archive/long.pdf", "page", 812, 1959), ("archive/report.txt", "piece", 3, 40)]
    first = clock.now + 4.3
    for number in range(12):  # 1.9 documents a second after the first, 310 pages, 4512 figures
        clock.now = first + number / 1.9  # the last one is 10 s after the start: a line is due
        progress.document(f"{number}.pdf", {"status": "ok", "pages": 0 if number else 310, "figures": 376})
    assert stream.getvalue().splitlines() == [example]  # only once a line was due


def test_progress_quiet_starts_no_thread():
    before = {thread.name for thread in threading.enumerate()}
    with Progress(1, "quiet", io.StringIO()).following(list):
        assert "bulletin-progress" not in {thread.name for thread in threading.enumerate()} - before


def test_progress_board_reads_what_a_document_reached():
    board = Board(2)
    first, second = board.take(7), board.take(9)
    with reporting(board.buffer, first):
        reached("page", 3, 9)
    assert [(p.index, p.stage, p.done, p.total) for p in board.read()] == [(7, "page", 3, 9), (9, "waiting", 0, 0)]
    board.release(first)
    reached("page", 4, 9)  # outside a run: nowhere to write, nothing breaks
    assert [(p.index, p.stage) for p in board.read()] == [(9, "waiting")]
    board.release(second)
    board.close()


LINE_AT_PAGE = re.compile(r"reading \S*long\.pdf page (\d+)/(\d+)")
LINE_AT_PIECE = re.compile(r"finding figures in \S*long\.txt, piece (\d+)/(\d+)")
LINE_IN_FLIGHT = re.compile(r"in flight: .*long\.pdf")

# fmt: off
# (engine, jobs, what the heartbeat can say of the long PDF while it is read)
RUNS = [
    ("local", 1, "page"),       # read in this process
    ("local", 2, "page"),       # in worker processes, through shared memory
    ("dask",  2, "in flight"),  # a Dask worker cannot write to the board: the documents sent
]
# fmt: on


@pytest.mark.parametrize("engine, jobs, says", RUNS, ids=[f"{r[0]}-{r[1]}" for r in RUNS])
def test_progress_log_names_the_page_being_read(engine, jobs, says, long_pdf, long_text, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.05)
    summary = extract_to(tmp_path / "out", [long_pdf, long_text], engine=engine, jobs=jobs, use_cache=False, progress="log")
    assert summary.processed == 2 and not summary.failed
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1].startswith("2/2 documents") and "done in" in lines[-1]
    if says == "in flight":
        assert any(LINE_IN_FLIGHT.search(line) for line in lines), lines
        return
    pages = [(int(m[1]), int(m[2])) for line in lines if (m := LINE_AT_PAGE.search(line))]
    assert pages, lines
    total = pages[0][1]
    assert any(done < total for done, _ in pages), "a line while the PDF was still being read"
    assert [done for done, _ in pages] == sorted(done for done, _ in pages)
    assert any(LINE_AT_PIECE.search(line) for line in lines), "the long text's pieces are followed too"


def test_progress_terminal_line_moves_within_a_document(long_pdf, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "REDRAW_EVERY_SECONDS", 0.02)
    extract_to(tmp_path / "out", [long_pdf], jobs=1, use_cache=False, progress="bar")
    redraws = capsys.readouterr().err.split("\r")
    pages = [int(m[1]) for redraw in redraws if (m := re.search(r"reading long\.pdf page (\d+)/", redraw))]
    assert len(set(pages)) >= 2, redraws  # the same document, further on
    assert redraws[-1].startswith("1/1 documents") and redraws[-1].endswith("\n")


def test_progress_quiet_run_prints_nothing(long_pdf, tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.01)
    assert main(["extract", str(long_pdf), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-cache", "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_progress_survives_a_dead_worker(long_pdf, tmp_path, monkeypatch):
    """The workers killed while the long PDF is read: its row says so, the others are kept, and
    the heartbeat goes on to the end of the run."""
    import psutil

    from pipeline.engines.cache import Cache, version
    from pipeline.engines.run import Archive, RunOptions

    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.05)
    stream = io.StringIO()
    files = [REFERENCE, long_pdf]  # the reference finishes first: the pool is known to have started
    archive = Archive(files, Cache(tmp_path / "cache", version(None)), RunOptions(jobs=2))
    progress = Progress(len(files), "log", stream)
    killed = threading.Event()

    def kill_when_reading() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed.is_set():
            at = [int(m[1]) for m in LINE_AT_PAGE.finditer(stream.getvalue())]
            if at and at[-1] >= 3 and progress.done >= 1:
                for child in psutil.Process().children(recursive=True):
                    if "spawn_main" in " ".join(child.cmdline()):
                        child.kill()
                killed.set()
            time.sleep(0.02)

    killer = threading.Thread(target=kill_when_reading, daemon=True)
    killer.start()
    archive.run(progress)
    progress.close()
    killer.join()
    assert killed.is_set(), stream.getvalue()
    rows = {Path(entry.source_file).name: archive.record(entry)["row"] for entry in archive.entries}
    assert rows[REFERENCE.name]["status"] == "ok"
    assert rows["long.pdf"]["status"] == "error" and "worker reading it stopped" in rows["long.pdf"]["error"]
    assert stream.getvalue().splitlines()[-1].startswith("2/2 documents")
