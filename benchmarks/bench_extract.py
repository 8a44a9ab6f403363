"""Timing of the text pipeline: start-up, per-document time on the reference bulletin (median
of 50 runs after start-up), the whole corpus, and ``bulletin-metrics --help``.

Run: ``make bench`` (or ``python benchmarks/bench_extract.py``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "corpus" / "baoji-2022-14.md"


def main() -> None:
    started = time.perf_counter()
    from pipeline.extraction.nlp import build_nlp
    from pipeline.process import process_bytes

    nlp = build_nlp()
    startup = time.perf_counter() - started
    data = REFERENCE.read_bytes()
    process_bytes(data, REFERENCE.name, nlp)
    runs = []
    for _ in range(50):
        began = time.perf_counter()
        process_bytes(data, REFERENCE.name, nlp)
        runs.append(time.perf_counter() - began)

    from pipeline.ingest.collect import collect_files

    files = collect_files([REPO / "corpus"])
    began = time.perf_counter()
    figures = sum(len(process_bytes(f.read_bytes(), str(f), nlp).metrics) for f in files)
    corpus = time.perf_counter() - began

    helps = []
    for _ in range(5):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "--help"], check=True, capture_output=True)
        helps.append(time.perf_counter() - began)

    print(f"pipeline start-up (build_nlp):            {startup:.2f} s")
    print(f"reference bulletin, median of 50 runs:    {statistics.median(runs) * 1000:.1f} ms (min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f})")
    print(f"corpus ({len(files)} documents, {figures} figures):  {corpus:.2f} s after start-up, {corpus / len(files) * 1000:.1f} ms per document")
    print(f"`bulletin-metrics --help` (median of 5):  {statistics.median(helps) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
