"""Pages per second of the whole pipeline and of ``read_pdf`` against bare pdfplumber
``page.extract_text()``, in one run.

All three read the same PDFs: first every corpus bulletin rendered in every bold style by the
test fixtures (``tests/fixtures/render_pdf.py``), then, file by file, the real PDFs beside the
repository (``../shared/realpdf``: office exports, XeTeX and WPS files; see its SOURCES.md).
Run from the repository root:

    .venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--realpdf DIR]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber  # noqa: E402

from pipeline.ingest.pdf import read_pdf  # noqa: E402
from tests.fixtures.compare import bulletin_paths  # noqa: E402
from tests.fixtures.render_pdf import STYLES, missing_fonts, render_pdf  # noqa: E402
from tests.fixtures.source import load_bulletin  # noqa: E402

REALPDF = Path(__file__).resolve().parents[1].parent / "shared" / "realpdf"


def _plain_pdfplumber(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _reader(data: bytes) -> int:
    return read_pdf(data)[1]


def _pipeline(nlp) -> Callable[[bytes], int]:
    from pipeline.process import process_bytes

    def run(data: bytes) -> int:
        return process_bytes(data, "bulletin.pdf", nlp).document.pages

    return run


def _best_rate(read: Callable[[bytes], int], files: list[bytes], repeat: int) -> tuple[float, int]:
    """Best of ``repeat`` runs over all files: (pages per second, pages)."""
    best = 0.0
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = sum(read(data) for data in files)
        best = max(best, pages / (time.perf_counter() - start))
    return best, pages


def _real_pdfs_table(folder: Path, nlp, repeat: int) -> str:
    """Per real PDF and in all: pages per second of the three readers, and each reader's time
    per page against extract_text's (every rate the best of ``repeat`` runs over the file)."""
    header = f"{'real PDF':<30} {'pages':>5} {'extract_text':>12} {'read_pdf':>9} {'pipeline':>9}   read_pdf x  pipeline x"
    lines = [f"real PDFs in {folder} (pages/s, best of {repeat}):", header, "-" * len(header)]
    readers = (_plain_pdfplumber, _reader, _pipeline(nlp))
    total_pages, total_seconds = 0, [0.0, 0.0, 0.0]
    for path in sorted(folder.glob("*.pdf")):
        data = path.read_bytes()
        rates = []
        for index, read in enumerate(readers):
            rate, pages = _best_rate(read, [data], repeat)
            rates.append(rate)
            total_seconds[index] += pages / rate
        total_pages += pages
        lines.append(_rate_row(path.stem, pages, rates))
    lines.append("-" * len(header))
    lines.append(_rate_row("all", total_pages, [total_pages / seconds for seconds in total_seconds]))
    lines.append("x: time per page against extract_text's")
    return "\n".join(lines)


def _rate_row(name: str, pages: int, rates: list[float]) -> str:
    plain, ours, whole = rates
    return f"{name[:30]:<30} {pages:>5} {plain:>12.1f} {ours:>9.1f} {whole:>9.1f}   {plain / ours:>9.2f} {plain / whole:>10.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--realpdf", type=Path, default=REALPDF, help=f"folder of real PDFs (default {REALPDF})")
    args = parser.parse_args()
    if missing_fonts():
        sys.exit(f"CJK fonts missing: {', '.join(missing_fonts())} (install .ci/apt-packages)")
    files = [render_pdf(load_bulletin(path), style) for path in bulletin_paths() for style in STYLES.values()]
    plain, pages = _best_rate(_plain_pdfplumber, files, args.repeat)
    ours, _ = _best_rate(_reader, files, args.repeat)
    from pipeline.extraction.nlp import build_nlp

    nlp = build_nlp()
    whole, _ = _best_rate(_pipeline(nlp), files, args.repeat)
    print(f"{len(files)} PDFs, {pages} pages (best of {args.repeat}; pipeline start-up excluded)")
    print(f"pdfplumber extract_text: {plain:7.1f} pages/s")
    print(f"read_pdf:                {ours:7.1f} pages/s  (time per page x{plain / ours:.2f} of extract_text)")
    print(f"whole pipeline:          {whole:7.1f} pages/s  (time per page x{plain / whole:.2f} of extract_text; target ≤ 1.5)")
    print()
    if not any(args.realpdf.glob("*.pdf")):
        sys.exit(f"the real PDFs are missing: no PDF in {args.realpdf} (expected ../shared/realpdf beside the repository, or --realpdf DIR)")
    print(_real_pdfs_table(args.realpdf, nlp, args.repeat))


if __name__ == "__main__":
    main()
