"""The same figures from a real text and from that text rendered to PDF.

Takes a folder of plain-text bulletins (default ``../shared/realdev/docs``, gold beside it in
``../gold``) and renders each text the ways a document owner would turn it into a PDF:

- ``reportlab-justified`` / ``reportlab-ragged``: reportlab's platypus on A4 in a CJK TrueType
  font, every text line a paragraph wrapped to the page width (CJK wraps at any character),
  justified or ragged right, a first-line indent of two characters and a page number footer;
- ``libreoffice-txt``: ``soffice --headless --convert-to pdf`` of the text itself (Writer's
  text import: a monospaced font, no indent, no footer);
- ``libreoffice-docx``: the text as a .docx made with python-docx (宋体, justified, first-line
  indent, a PAGE field in the footer), converted by the same soffice call.

Then it runs the pipeline on the texts and on every PDF set in one run, scores each against the
gold with ``pipeline.evaluate.score.evaluate`` and prints per document and overall F1, and each
PDF set's difference from the text. The texts are read where they are; everything the harness
writes goes to a temporary folder. Run from the repository root:

    .venv/bin/python benchmarks/real_formats.py [DOCS] [--gold DIR] [--keep DIR] [--only NAME ...]
                                                [--show-breaks] [--stress]

Beside F1 it counts the paragraph breaks of the text's blocks that a PDF lost (two paragraphs
read as one) or added (one read as two); ``--show-breaks`` lists them. ``--stress`` adds a grid
of reportlab layouts (sizes, margins, no indent, A5 pages with many page breaks).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SHARED_REALDEV = REPO.parent / "shared" / "realdev"
TEXT = "text"
RENDERINGS = ("reportlab-justified", "reportlab-ragged", "libreoffice-txt", "libreoffice-docx")

# The reportlab renderings: styles of tests/fixtures/render_text_pdf.py (A4, a CJK TrueType
# font, first-line indent, page number footer), one justified in 宋体-like AR PL UMing at 12 pt,
# one ragged in WenQuanYi Zen Hei at 10.5 pt.
REPORTLAB = {"reportlab-justified": "a4-justified", "reportlab-ragged": "a4-ragged"}


def stress_styles():
    """More reportlab layouts for ``--stress``: fonts, sizes, margins, indent or none, A4 or A5."""
    from reportlab.lib.pagesizes import A4, A5
    from reportlab.lib.units import cm

    from tests.fixtures.render_text_pdf import TextPdfStyle

    styles = {}
    for font in ("Ming", "Hei"):
        for size in (10.5, 14, 16):
            for indent in (2.0, 0.0):
                for page, margin in ((A4, 2.0), (A5, 2.0), (A5, 3.2)):
                    name = f"rl-{font}-{size:g}pt-{'indent' if indent else 'flush'}-{'A4' if page == A4 else 'A5'}-{margin:g}cm"
                    styles[name] = TextPdfStyle(name, font=font, size=size, justified=size != 14, indent=indent, page=page,
                                                margins=(margin * cm,) * 4, leading=1.5)
    return styles


# -- LibreOffice -----------------------------------------------------------------------------


def make_docx(text: str) -> bytes:
    """The text as a Word document: A4, 宋体 小四, justified, first-line indent, page numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from tests.fixtures.render_docx import add_page_number
    from tests.fixtures.render_text_pdf import text_lines

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.6), Cm(3.7), Cm(3.5)
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    normal.paragraph_format.first_line_indent = Pt(24)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5
    for line in text_lines(text):
        document.add_paragraph(line)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    add_page_number(footer)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice_to_pdf(inputs: list[Path], out_dir: Path, profile: Path, timeout: float = 600) -> None:
    """One soffice call converts every input; a profile of its own keeps it from colliding with
    a LibreOffice the user (or another test run) has open."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, inputs)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": str(profile)})
    missing = [path.name for path in inputs if not (out_dir / f"{path.stem}.pdf").exists()]
    if completed.returncode or missing:
        raise RuntimeError(f"soffice failed (exit {completed.returncode}; no PDF for {missing}): {completed.stderr.strip()[-500:]}")


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Comparison:
    """F1 of every rendering, per document and overall; ``text`` is the reference."""

    documents: list[str]
    f1: dict[str, dict[str, float]] = field(default_factory=dict)  # rendering → document → F1
    overall: dict[str, float] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)  # rendering → files not read
    seconds: dict[str, float] = field(default_factory=dict)  # stage → seconds
    folders: dict[str, Path] = field(default_factory=dict)  # rendering → the files scored
    # rendering → document → paragraph breaks of the text lost in the PDF, and breaks added
    breaks: dict[str, dict[str, tuple[list[str], list[str]]]] = field(default_factory=dict)

    def gap(self, rendering: str) -> float:
        return self.overall[rendering] - self.overall[TEXT]


def render_all(texts: list[Path], work: Path, renderings: tuple[str, ...] = RENDERINGS) -> dict[str, Path]:
    """Every text rendered each way into ``work/<rendering>/<stem>.pdf``."""
    folders = {}
    for name in renderings:
        folders[name] = work / name
        folders[name].mkdir(parents=True, exist_ok=True)
    from tests.fixtures.render_text_pdf import STYLES, render_text_pdf

    extra = stress_styles() if any(name.startswith("rl-") for name in renderings) else {}
    for name in renderings:
        style = STYLES[REPORTLAB[name]] if name in REPORTLAB else extra.get(name)
        if style is not None:
            for path in texts:
                (folders[name] / f"{path.stem}.pdf").write_bytes(render_text_pdf(path.read_text(encoding="utf-8"), style))
    office = [name for name in renderings if name.startswith("libreoffice-")]
    if office:
        inputs: list[Path] = []
        if "libreoffice-txt" in office:
            inputs += texts  # read where they are: soffice only reads them
        if "libreoffice-docx" in office:
            sources = work / "docx-sources"
            sources.mkdir(exist_ok=True)
            for path in texts:
                # NAME.docx-source.docx → NAME.docx-source.pdf: no clash with NAME.pdf from the text.
                docx = sources / f"{path.stem}.docx-source.docx"
                docx.write_bytes(make_docx(path.read_text(encoding="utf-8")))
                inputs.append(docx)
        out = work / "soffice-out"
        out.mkdir(exist_ok=True)
        soffice_to_pdf(inputs, out, work / "soffice-profile")
        for path in texts:
            if "libreoffice-txt" in office:
                (out / f"{path.stem}.pdf").rename(folders["libreoffice-txt"] / f"{path.stem}.pdf")
            if "libreoffice-docx" in office:
                (out / f"{path.stem}.docx-source.pdf").rename(folders["libreoffice-docx"] / f"{path.stem}.pdf")
    return folders


_SPACE = re.compile(r"\s+")


def paragraph_breaks(text_document, pdf_document) -> tuple[list[str], list[str]]:
    """Where the PDF's blocks end differently from the text's: the text's block ends the PDF
    lost (two paragraphs merged) and the ends it added (one split), each shown as «before|after».
    White space is ignored; the texts are aligned so that a lost or changed glyph does not
    shift every later break."""

    def ends(document) -> tuple[str, list[int]]:
        joined, positions = "", []
        for block in document.blocks:
            piece = _SPACE.sub("", document.block_text(block))
            if piece:
                joined += piece
                positions.append(len(joined))
        return joined, positions[:-1]

    a, a_ends = ends(text_document)
    b, b_ends = ends(pdf_document)
    to_b: dict[int, int] = {}
    for i, j, size in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(size + 1):
            to_b.setdefault(i + k, j + k)
    b_set, mapped = set(b_ends), {to_b.get(x) for x in a_ends}
    lost = [f"{a[max(0, x - 10):x]}|{a[x:x + 10]}" for x in a_ends if to_b.get(x) not in b_set]
    added = [f"{b[max(0, y - 10):y]}|{b[y:y + 10]}" for y in b_ends if y not in mapped]
    return lost, added


def _compare_blocks(files: dict[str, list[Path]], comparison: Comparison) -> None:
    from pipeline.ingest import read_document

    texts = {path.stem: read_document(path) for path in files[TEXT]}
    for name, paths in files.items():
        if name == TEXT:
            continue
        comparison.breaks[name] = {}
        for path in paths:
            document = read_document(path)
            if document.status == "ok" and path.stem in texts:
                comparison.breaks[name][path.stem] = paragraph_breaks(texts[path.stem], document)


def _write_metrics(rows: list[dict], path: Path) -> None:
    columns = sorted({key for row in rows for key in row}) or ["source_file"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def run(docs: str | Path | None = None, gold: str | Path | None = None, *, work_dir: str | Path | None = None,
        renderings: tuple[str, ...] = RENDERINGS, only: list[str] | None = None) -> Comparison:
    """Render, extract and score; ``work_dir`` keeps the PDFs and metrics (else a temp dir)."""
    from pipeline.batch import extract_files
    from pipeline.evaluate.score import evaluate

    docs = Path(docs) if docs else SHARED_REALDEV / "docs"
    gold = Path(gold) if gold else docs.parent / "gold"
    texts = sorted(path for path in docs.glob("*.txt") if not path.name.endswith(".negatives.txt"))
    if only:
        texts = [path for path in texts if any(part in path.name for part in only)]
    if not texts:
        raise FileNotFoundError(f"no .txt bulletins in {docs}")
    if not gold.is_dir():
        raise FileNotFoundError(f"no gold folder at {gold}")
    comparison = Comparison([path.stem for path in texts])
    with tempfile.TemporaryDirectory(prefix="real-formats-") as scratch:
        work = Path(work_dir) if work_dir else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        folders = {TEXT: docs, **render_all(texts, work, renderings)}
        comparison.seconds["render"] = time.perf_counter() - started
        comparison.folders = folders if work_dir else {}

        started = time.perf_counter()
        files = {name: ([*texts] if name == TEXT else sorted(folder.glob("*.pdf"))) for name, folder in folders.items()}
        batch = extract_files([path for paths in files.values() for path in paths])  # one pipeline for all
        comparison.seconds["extract"] = time.perf_counter() - started

        _compare_blocks(files, comparison)
        rendering_of = {str(path): name for name, paths in files.items() for path in paths}
        for document in batch.documents:
            if document["status"] != "ok":
                comparison.failed.setdefault(rendering_of[document["source_file"]], []).append(
                    f"{Path(document['source_file']).name}: {document['status']} {document['error']}")
        kept = {path.stem for path in texts}
        for name in folders:
            rows = [row for row in batch.metrics if rendering_of.get(row["source_file"]) == name]
            predicted = work / f"metrics-{name}.csv"
            _write_metrics(rows, predicted)
            scores, _ = evaluate(gold, predicted)
            scores = [score for score in scores if score.document in kept]
            comparison.f1[name] = {score.document: score.f1 for score in scores}
            total = type(scores[0])("overall")
            for score in scores:
                total.add(score)
            comparison.overall[name] = total.f1
    return comparison


def _short(name: str) -> str:
    return {"reportlab-justified": "rl-just", "reportlab-ragged": "rl-rag", "libreoffice-txt": "lo-txt", "libreoffice-docx": "lo-docx"}.get(name, name)


def _summary(comparison: Comparison) -> list[str]:
    """One row per rendering (for many renderings): overall F1, gap, documents below the text."""
    header = f"{'rendering':<34} {'F1':>6} {'Δ':>7}  {'breaks lost/added':>17}  documents below the text"
    lines = [header, "-" * len(header), f"{TEXT:<34} {comparison.overall[TEXT]:>6.3f}"]
    for name in comparison.f1:
        if name == TEXT:
            continue
        below = [f"{document[:2]} {comparison.f1[name][document] - comparison.f1[TEXT][document]:+.3f}"
                 for document in comparison.documents
                 if comparison.f1[name].get(document, 0.0) < comparison.f1[TEXT].get(document, 0.0) - 1e-9]
        documents = comparison.breaks.get(name, {})
        lost, added = (sum(len(pair[i]) for pair in documents.values()) for i in (0, 1))
        lines.append(f"{name:<34} {comparison.overall[name]:>6.3f} {comparison.gap(name):>+7.3f}  {lost:>8}/{added:<8}  {', '.join(below)}")
    return lines


def format_table(comparison: Comparison, show_breaks: bool = False) -> str:
    names = list(comparison.f1)
    pdfs = [name for name in names if name != TEXT]
    if len(pdfs) > 6:
        lines = _summary(comparison)
        lines.append(", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in comparison.seconds.items()))
        return "\n".join(lines)
    header = f"{'document':<40} {'text':>6}" + "".join(f" {_short(n):>8} {'Δ':>6}" for n in pdfs)
    lines = [header, "-" * len(header)]
    for document in [*comparison.documents, "overall"]:
        if document == "overall":
            lines.append("-" * len(header))
            values = comparison.overall
        else:
            values = {name: comparison.f1[name].get(document, 0.0) for name in names}
        row = f"{document[:40]:<40} {values[TEXT]:>6.3f}"
        for name in pdfs:
            delta = values[name] - values[TEXT]
            row += f" {values[name]:>8.3f} {delta:>+6.3f}" + ("*" if delta < -1e-9 else " ")
        lines.append(row.rstrip())
    lines.append("* below the text.  " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in comparison.seconds.items()))
    for name, problems in comparison.failed.items():
        lines.append(f"not read ({name}): " + "; ".join(problems))
    lines.append("")
    lines.append("paragraph breaks against the text's blocks (lost: paragraphs merged, added: a paragraph split):")
    for name, documents in comparison.breaks.items():
        lost = sum(len(pair[0]) for pair in documents.values())
        added = sum(len(pair[1]) for pair in documents.values())
        lines.append(f"  {name:<20} lost {lost:>3}, added {added:>3}")
        if show_breaks:
            for document, (lost_at, added_at) in documents.items():
                lines.extend(f"      {document[:2]} lost  «{at}»" for at in lost_at)
                lines.extend(f"      {document[:2]} added «{at}»" for at in added_at)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default=str(SHARED_REALDEV / "docs"), help="folder of .txt bulletins")
    parser.add_argument("--gold", help="gold folder (default: DOCS/../gold)")
    parser.add_argument("--keep", help="write the PDFs and metrics here instead of a temp dir (to inspect them)")
    parser.add_argument("--only", nargs="*", help="only the files whose names contain one of these")
    parser.add_argument("--renderings", nargs="*", default=list(RENDERINGS), help=f"some of {', '.join(RENDERINGS)} or of the --stress layouts")
    parser.add_argument("--stress", action="store_true", help=f"render with {len(stress_styles())} more reportlab layouts too (sizes, margins, no indent, A5)")
    parser.add_argument("--show-breaks", action="store_true", help="list each paragraph break a PDF lost or added")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    unknown = set(args.renderings) - set(RENDERINGS) - set(stress_styles())
    if unknown:
        parser.error(f"unknown renderings: {', '.join(sorted(unknown))}")
    renderings = tuple(args.renderings) + (tuple(stress_styles()) if args.stress else ())
    comparison = run(args.docs, args.gold, work_dir=args.keep, renderings=renderings, only=args.only)
    print(format_table(comparison, args.show_breaks))
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
