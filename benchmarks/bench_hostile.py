"""Hostile and oversized inputs: for each input of ``tests/fixtures/hostile.py``, one
``bulletin-metrics extract`` run of that input beside the reference bulletin (one job, no
cache), with its status, reason code, figures, wall time and the peak RSS of the run; then the
whole archive in one run with two jobs. The reference line is the reference bulletin alone.

Run: ``make bench`` (or ``python benchmarks/bench_hostile.py``). Needs the CJK fonts of
``.ci/apt-packages`` for the PDFs.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fixtures.hostile import REFERENCE, build_archive, without_permission_override
from tests.fixtures.memory import PeakMemory

TIMEOUT_SECONDS = 600


def render(path: Path, fmt: str) -> bytes:
    from tests.fixtures.source import load_bulletin

    blocks = load_bulletin(path)
    if fmt == "docx":
        from tests.fixtures.render_docx import render_docx

        return render_docx(blocks)
    from tests.fixtures.render_pdf import STYLES, render_pdf

    return render_pdf(blocks, STYLES[fmt.partition(":")[2]])


def measured_extract(paths: list[str], out: Path, cwd: Path, jobs: int) -> tuple[float, int, int]:
    """(seconds, peak RSS of the run's processes, exit status)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", *paths, "--out", str(out), "--jobs", str(jobs), "--no-cache", "-q"],
                               cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)},
                               preexec_fn=without_permission_override if os.geteuid() == 0 else None)  # noqa: PLW1509 (one syscall)
    memory = PeakMemory(process.pid)
    try:
        code = process.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        code = -9
    return time.monotonic() - started, memory.stop(), code


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with open(out / "documents.csv", encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["source_file"] == name]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        archive, outside = base / "archive", base / "outside"
        archive.mkdir()
        outside.mkdir()
        build_archive(archive, outside, render)
        fifo = base / "cli.fifo"
        os.mkfifo(fifo)
        (base / "ref").mkdir()
        reference = base / "ref" / REFERENCE.name
        reference.write_bytes(REFERENCE.read_bytes())
        try:
            # the statuses: the whole archive as a folder (symlinks judged as inside a folder)
            whole_seconds, whole_peak, whole_code = measured_extract([".", str(fifo), "/dev/zero"], base / "out-all", archive, 2)
            statuses = _statuses(base / "out-all")
            seconds, peak, _ = measured_extract([str(reference)], base / "out-ref", base, 1)
            print("status and reason from one run over the whole archive; time and peak RSS from a run of the input named")
            print("with the reference bulletin beside it (one job, no cache, start-up included)\n")
            print(f"{'input':<24} {'size':>12} {'status':<11} {'reason':<28} {'figures':>8} {'seconds':>8} {'peak RSS':>9}")
            print(f"{'reference bulletin alone':<24} {REFERENCE.stat().st_size:>12,} {'ok':<11} {'':<28} {_figures(base / 'out-ref', str(reference)):>8} "
                  f"{seconds:>8.1f} {peak / 1e6:>6.0f} MB")
            inputs = sorted(p.name for p in archive.iterdir() if p.name != "sub" and not p.name.startswith(".")) + [str(fifo), "/dev/zero"]
            for name in inputs:
                out = base / "out"
                seconds, peak, _ = measured_extract([name, str(reference)], out, archive, 1)
                status, reason, figures, issues = statuses.get(name, ("(not listed)", "", 0, 0))
                path = archive / name
                size = path.stat().st_size if path.is_file() and not path.is_symlink() and os.access(path, os.R_OK) else path.lstat().st_size
                parts = f" ({issues} issues)" if issues > 1 else ""
                print(f"{Path(name).name[:24]:<24} {size:>12,} {status:<11} {reason[:28]:<28} {figures:>8} {seconds:>8.1f} {peak / 1e6:>6.0f} MB{parts}")
                subprocess.run(["rm", "-rf", str(out)], check=True)
        finally:
            os.chmod(archive / "locked", 0o755)  # so that the temporary folder can be removed
            os.chmod(archive / "unreadable.md", 0o644)
        print(f"\nwhole archive, 2 jobs (exit {whole_code}): {whole_seconds:.1f} s, peak RSS of all processes {whole_peak / 1e6:.0f} MB")


def _statuses(out: Path) -> dict[str, tuple[str, str, int, int]]:
    """source_file → (status, reason code, figures, issues)."""
    found: dict[str, tuple[str, str, int, int]] = {}
    with open(out / "documents.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = ":".join(row["error"].split(":", 2)[:2]) if ":" in row["error"][:30] else row["error"][:28]
            _, _, figures, issues = found.get(row["source_file"], ("", "", 0, 0))
            found[row["source_file"]] = (row["status"], code, figures + int(row["figures"] or 0), issues + 1)
    return found


def _figures(out: Path, name: str) -> int:
    return sum(int(row["figures"] or 0) for row in _rows(out, name))


if __name__ == "__main__":
    main()
