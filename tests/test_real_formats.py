"""The real development texts (../shared/realdev) rendered to PDF the ways their owners would —
reportlab (justified and ragged) and LibreOffice (the .txt itself, and a .docx of it) — give
the figures of the text: each PDF set's overall F1 is within 0.03 of the text's, in one run of
the same pipeline. The text's own F1 is asserted elsewhere; this test owns only the gap.

The harness is ``benchmarks/real_formats.py`` (one soffice call for all files; run it as a
script for the per-document table). The folder is required: CI has it beside the repository,
and without it the test fails rather than passing unseen.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures import render_text_pdf

REPO = Path(__file__).resolve().parents[1]
REALDEV = Path(__file__).parents[1].parent / "shared" / "realdev"
MAX_GAP = 0.03


def _harness():
    spec = importlib.util.spec_from_file_location("real_formats", REPO / "benchmarks" / "real_formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _missing() -> str | None:
    if not ((REALDEV / "docs").is_dir() and (REALDEV / "gold").is_dir()):
        return f"the real development set is missing: expected {REALDEV}/docs and {REALDEV}/gold beside the repository"
    if render_text_pdf.missing_fonts():
        return f"CJK fonts missing: {', '.join(render_text_pdf.missing_fonts())} (install .ci/apt-packages)"
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "LibreOffice (soffice) is not installed (Debian package libreoffice-writer)"
    return None


@pytest.fixture(scope="module")
def comparison():
    """The harness run once for every rendering; what is missing for it fails each test (never a
    skip: an absent set would otherwise pass unnoticed)."""
    missing = _missing()
    if missing:
        return None, missing
    harness = _harness()
    started = time.perf_counter()
    result = harness.run(REALDEV / "docs", REALDEV / "gold")
    seconds = time.perf_counter() - started
    print(f"\n{harness.format_table(result, show_breaks=True)}\nreal_formats harness: {seconds:.1f} s")
    return (harness, result), None


@pytest.mark.parametrize("rendering", ["reportlab-justified", "reportlab-ragged", "libreoffice-txt", "libreoffice-docx"])
def test_real_texts_rendered_to_pdf_keep_their_figures(comparison, rendering: str) -> None:
    run, missing = comparison
    if missing:
        pytest.fail(missing)
    harness, result = run
    assert not result.failed.get(rendering), result.failed.get(rendering)
    assert len(result.f1[rendering]) == len(result.documents)
    below = {document: round(result.f1[rendering][document] - result.f1[harness.TEXT][document], 3)
             for document in result.documents if result.f1[rendering][document] < result.f1[harness.TEXT][document]}
    assert abs(result.gap(rendering)) <= MAX_GAP, (
        f"{rendering}: F1 {result.overall[rendering]:.3f} against the text's {result.overall[harness.TEXT]:.3f}; "
        f"documents below the text: {below}")
