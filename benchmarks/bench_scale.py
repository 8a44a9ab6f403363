"""Archive-scale benchmark: throughput with 1 and 2 jobs, warm-cache re-run, peak memory at
two archive sizes, and the Dask engine on a 2-worker LocalCluster, in one run.

The archive is synthetic but real: every corpus bulletin rendered by the test fixtures as
Markdown, plain text, HTML, DOCX and PDF (the PDFs in all four bold styles, rendered by
reportlab), then copied with a few changed bytes (a trailing blank line, an HTML or PDF
comment, a ZIP comment) until there are ``--documents`` distinct files. Each measurement runs
``bulletin-metrics extract`` as its own process, start-up included (from a warm start-up cache
of the benchmark's own, as any run after the first finds it); memory is the peak of the summed
resident memory of that process and all its workers. The serial tail of a run — hashing the
files and assembling the tables from the per-document cache, which no second job shortens — is
measured by a re-run after ``metrics.csv`` was removed.

    .venv/bin/python benchmarks/bench_scale.py [--documents 2000] [--multiple 5] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixtures.memory import PeakMemory

CODE = REPO  # where the measured runs import the package from (a snapshot, see main)
TARGETS = {"speedup": 1.85, "warm": 0.05, "memory": 1.2, "dask": 1.3}


def _renders() -> list[tuple[str, bytes]]:
    """(suffix, bytes) of every corpus bulletin in every format."""
    from tests.fixtures import render_pdf
    from tests.fixtures.compare import bulletin_paths
    from tests.fixtures.render_docx import render_docx
    from tests.fixtures.render_html import render_html
    from tests.fixtures.source import load_bulletin

    if render_pdf.missing_fonts():
        sys.exit(f"CJK fonts missing: {', '.join(render_pdf.missing_fonts())} (install .ci/apt-packages)")
    out: list[tuple[str, bytes]] = []
    for index, path in enumerate(bulletin_paths()):
        blocks = load_bulletin(path)
        text = path.read_bytes()
        style = list(render_pdf.STYLES.values())[index % len(render_pdf.STYLES)]
        out += [(".md", text), (".txt", text.replace(b"**", b"")), (".html", render_html(blocks, "gbk" if index % 2 else "utf-8")),
                (".docx", render_docx(blocks)), (".pdf", render_pdf.render_pdf(blocks, style))]
    return out


def _variant(suffix: str, data: bytes, copy: int) -> bytes:
    """The same document with different bytes, so no two files of the archive share content."""
    if copy == 0:
        return data
    if suffix == ".pdf":
        return data + f"%copy {copy}\n".encode()
    if suffix == ".docx":
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.comment = f"copy {copy}".encode()
        return buffer.getvalue()
    if suffix == ".html":
        return data + f"<!-- copy {copy} -->\n".encode()
    return data + b"\n" * copy


def build_archive(folder: Path, documents: int, renders: list[tuple[str, bytes]]) -> tuple[int, int]:
    """Write ``documents`` files; return (documents, PDFs)."""
    folder.mkdir(parents=True)
    pdfs = 0
    for number in range(documents):
        suffix, data = renders[number % len(renders)]
        copy = number // len(renders)
        (folder / f"{number // 500:03d}").mkdir(exist_ok=True)
        (folder / f"{number // 500:03d}" / f"doc-{number:06d}{suffix}").write_bytes(_variant(suffix, data, copy))
        pdfs += suffix == ".pdf"
    return documents, pdfs


@dataclass
class Measured:
    seconds: float
    peak_mb: float


def measure(command: list[str]) -> Measured:
    """Run a command; wall time and the peak of its process tree's summed resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=CODE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    _, errors = process.communicate()
    elapsed = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{errors.decode()}")
    return Measured(elapsed, peak / 2**20)


def snapshot(work: Path) -> Path:
    """A copy of the package and rules to run: an edit to the working tree during the
    benchmark would change the cache version and make the warm run a cold one."""
    root = work / "code"
    shutil.copytree(REPO / "pipeline", root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", root / "rules")
    return root


def extract(archive: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", str(archive), "--out", str(out), "--quiet", *options]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="documents in the 1× archive (default 2000)")
    parser.add_argument("--multiple", type=int, default=5, help="size of the large archive, in 1× archives (default 5)")
    parser.add_argument("--workdir", type=Path, help="where archives and outputs go (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.workdir))
    try:
        global CODE
        CODE = snapshot(work)
        os.environ["BULLETIN_METRICS_CACHE"] = str(work / "startup-cache")  # inherited by every measured run
        subprocess.run([sys.executable, "-c", "from pipeline.startup_cache import startup; startup()"], cwd=CODE, check=True)
        began = time.perf_counter()
        renders = _renders()
        small, pdfs = build_archive(work / "archive-1x", args.documents, renders)
        large, _ = build_archive(work / "archive-nx", args.documents * args.multiple, renders)
        print(f"archives built in {time.perf_counter() - began:.0f} s: {small} documents ({pdfs} PDFs) and {large} documents", flush=True)

        one = measure(extract(work / "archive-1x", work / "out-1", "--jobs", "1", "--no-cache"))
        print(f"1 job:  {one.seconds:.1f} s", flush=True)
        two = measure(extract(work / "archive-1x", work / "out-2", "--jobs", "2"))
        print(f"2 jobs: {two.seconds:.1f} s (cold cache)", flush=True)
        warm = measure(extract(work / "archive-1x", work / "out-2", "--jobs", "2"))
        print(f"2 jobs: {warm.seconds:.1f} s (warm cache)", flush=True)
        (work / "out-2" / "metrics.csv").unlink()
        tables = measure(extract(work / "archive-1x", work / "out-2", "--jobs", "2"))
        print(f"tables from the cache: {tables.seconds:.1f} s", flush=True)
        big = measure(extract(work / "archive-nx", work / "out-nx", "--jobs", "2", "--no-cache"))
        print(f"{args.multiple}x archive, 2 jobs: {big.seconds:.1f} s", flush=True)
        dask = measure(extract(work / "archive-1x", work / "out-dask", "--jobs", "2", "--engine", "dask", "--no-cache"))
        print(f"dask, 2 workers: {dask.seconds:.1f} s", flush=True)

        import pandas as pd

        documents = pd.read_csv(work / "out-1" / "documents.csv")
        pages = int(documents["pages"].sum())
        figures = int(documents["figures"].sum())
        same = all((work / "out-1" / n).read_bytes() == (work / d / n).read_bytes() for d in ("out-2", "out-dask") for n in ("metrics.csv", "sections.csv"))
        speedup = one.seconds / two.seconds
        warm_fraction = warm.seconds / two.seconds
        memory_ratio = big.peak_mb / two.peak_mb
        dask_ratio = dask.seconds / two.seconds

        def verdict(ok: bool) -> str:
            return "met" if ok else "NOT met"

        print()
        print(f"load average at the end (other processes compete for the cores): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"1× archive: {small} documents ({pdfs} PDFs), {pages} pages, {figures} figures; {args.multiple}× archive: {large} documents")
        print(f"{'measurement':44} {'figure':>22}  target")
        print(f"{'1 job':44} {small / one.seconds:8.1f} docs/s {pages / one.seconds:6.1f} pages/s")
        print(f"{'2 jobs':44} {small / two.seconds:8.1f} docs/s {pages / two.seconds:6.1f} pages/s")
        print(f"{'speedup with 2 jobs':44} {speedup:21.2f}×  ≥ {TARGETS['speedup']}: {verdict(speedup >= TARGETS['speedup'])}")
        print(f"{'warm re-run / cold run (2 jobs)':44} {warm.seconds:8.2f} s = {warm_fraction:6.1%}  ≤ {TARGETS['warm']:.0%}: {verdict(warm_fraction <= TARGETS['warm'])}")
        print(f"{'serial tail: tables from the cache':44} {tables.seconds:8.2f} s = {tables.seconds / two.seconds:6.1%} of the 2-job run")
        print(f"{'peak memory, 1× archive (2 jobs)':44} {two.peak_mb:19.0f} MB")
        print(f"{f'peak memory, {args.multiple}× archive (2 jobs)':44} {big.peak_mb:19.0f} MB  ({memory_ratio:.2f}× of 1×; ≤ {TARGETS['memory']}: {verdict(memory_ratio <= TARGETS['memory'])})")
        print(f"{'Dask, 2-worker LocalCluster':44} {small / dask.seconds:8.1f} docs/s {dask_ratio:5.2f}× local time  ≤ {TARGETS['dask']}: {verdict(dask_ratio <= TARGETS['dask'])}")
        print(f"{'metrics.csv identical across engines and jobs':44} {same!s:>22}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
