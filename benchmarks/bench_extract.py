"""Timing of the text pipeline: start-up, per-document time on the reference bulletin (median
of 50 runs after start-up), the whole corpus, and the commands as a user starts them.

Start-up is measured in new processes, each the median of ``RUNS``: ``python -c "import
spacy"`` (the floor every command stands on), building the pipeline after ``import spacy`` from
a warm start-up cache and from an empty one, a cold one-file ``extract`` (new process, warm
start-up cache, no output cache) and its ratio to ``import spacy``, ``inspect`` and ``--help``.
The start-up cache lives in a temporary folder of the benchmark (``BULLETIN_METRICS_CACHE``).

Run: ``make bench`` (or ``python benchmarks/bench_extract.py``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "corpus" / "baoji-2022-14.md"
RUNS = 5
TARGETS = {"warm_build": 0.5, "extract_ratio": 2.0}

# Prints the seconds from after `import spacy` until the pipeline is built.
BUILD = """
import time, spacy
began = time.perf_counter()
from pipeline.extraction.nlp import build_nlp
build_nlp()
print(time.perf_counter() - began)
"""


def wall(command: list[str], environment: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=environment)
    return time.perf_counter() - began


def reported(command: list[str], environment: dict[str, str]) -> float:
    """The seconds the command prints on its last line."""
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO, env=environment)
    return float(done.stdout.split()[-1])


def median(measure, runs: int = RUNS) -> float:
    return statistics.median(measure() for _ in range(runs))


def startup_figures(work: Path) -> dict[str, float]:
    warm_cache, out = work / "startup-cache", work / "out"
    environment = {**os.environ, "BULLETIN_METRICS_CACHE": str(warm_cache)}
    python = [sys.executable]
    extract = [*python, "-m", "pipeline", "extract", str(REFERENCE), "--out", str(out), "--no-cache", "-q"]
    subprocess.run(extract, check=True, cwd=REPO, env=environment)  # fills the start-up cache

    def cold_build() -> float:
        empty = Path(tempfile.mkdtemp(prefix="empty-", dir=work))
        return reported([*python, "-c", BUILD], {**os.environ, "BULLETIN_METRICS_CACHE": str(empty)})

    figures = {}
    # the two the ratio compares are measured in alternation, so a passing load hits both alike
    spacy_runs, extract_runs = [], []
    for _ in range(RUNS):
        spacy_runs.append(wall([*python, "-c", "import spacy"], environment))
        extract_runs.append(wall(extract, environment))
    figures["import_spacy"] = statistics.median(spacy_runs)
    figures["extract"] = statistics.median(extract_runs)
    figures["warm_build"] = median(lambda: reported([*python, "-c", BUILD], environment))
    figures["cold_build"] = median(cold_build, runs=3)
    figures["inspect"] = median(lambda: wall([*python, "-m", "pipeline", "inspect", str(REFERENCE)], environment))
    figures["help"] = median(lambda: wall([*python, "-m", "pipeline", "--help"], environment))
    return figures


def pipeline_figures() -> dict[str, float]:
    from pipeline.extraction.nlp import build_nlp
    from pipeline.ingest.collect import collect_files
    from pipeline.process import process_bytes

    nlp = build_nlp()
    data = REFERENCE.read_bytes()
    process_bytes(data, REFERENCE.name, nlp)
    runs = []
    for _ in range(50):
        began = time.perf_counter()
        process_bytes(data, REFERENCE.name, nlp)
        runs.append(time.perf_counter() - began)
    files = collect_files([REPO / "corpus"])
    passes = []
    for _ in range(2):  # the first pass also loads the dictionary blocks its text needs
        began = time.perf_counter()
        figures = sum(len(process_bytes(f.read_bytes(), str(f), nlp).metrics) for f in files)
        passes.append(time.perf_counter() - began)
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "documents": len(files), "figures": figures, "corpus": passes}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as folder:
        start = startup_figures(Path(folder))
        os.environ["BULLETIN_METRICS_CACHE"] = str(Path(folder) / "startup-cache")
        run = pipeline_figures()
    ratio = start["extract"] / start["import_spacy"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(f"load average (other processes compete for the cores): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"python -c 'import spacy' (median of {RUNS}):          {start['import_spacy']:.2f} s")
    print(f"pipeline build, warm start-up cache (after import spacy): {start['warm_build']:.2f} s  (≤ {TARGETS['warm_build']} s: {verdict(start['warm_build'] <= TARGETS['warm_build'])})")
    print(f"pipeline build, empty start-up cache:               {start['cold_build']:.2f} s")
    print(f"extract one file, new process (warm start-up cache): {start['extract']:.2f} s = {ratio:.2f}× import spacy  (≤ {TARGETS['extract_ratio']}×: {verdict(ratio <= TARGETS['extract_ratio'])})")
    print(f"inspect one file, new process:                      {start['inspect']:.2f} s")
    print(f"`bulletin-metrics --help`:                          {start['help'] * 1000:.0f} ms")
    print(f"reference bulletin, median of 50 runs:              {run['median'] * 1000:.1f} ms (min {run['min'] * 1000:.1f}, max {run['max'] * 1000:.1f})")
    first, second = run["corpus"]
    print(f"corpus ({run['documents']} documents, {run['figures']} figures):            {first:.2f} s after start-up, {first / run['documents'] * 1000:.1f} ms per document; "
          f"again {second:.2f} s, {second / run['documents'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
