"""A figure comes out the same whichever format carried it: every corpus bulletin rendered as
PDF (each bold style of our reportlab fixture, and a 公文 DOCX printed by LibreOffice), DOCX and
HTML gives the metric rows of its Markdown source, and a PDF row's page is the page its figure
is printed on."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
import regex

from pipeline.ingest.unicode import normalize_text
from pipeline.process import process_bytes
from tests.fixtures import render_pdf
from tests.fixtures.compare import bulletin_paths
from tests.fixtures.render_markdown import render_markdown
from tests.fixtures.source import HEADER_TEXT, TABLE, load_bulletin

BULLETINS = bulletin_paths()
# "libreoffice": a real office producer (conftest's libreoffice_pdfs), one soffice call a session.
PDF_STYLES = [*render_pdf.STYLES, "libreoffice"]
VARIANTS = [f"pdf:{style}" for style in PDF_STYLES] + ["docx", "html:utf-8", "html:gbk"]
KEY = ("county", "value", "unit", "measure", "section")


def rows(result) -> Counter:
    return Counter(tuple(row[k] for k in KEY) for row in result.metrics)


@pytest.fixture(scope="module")
def markdown_rows(nlp):
    cache = {}

    def get(bulletin: Path):
        if bulletin not in cache:
            cache[bulletin] = process_bytes(render_markdown(load_bulletin(bulletin)), f"{bulletin.stem}.md", nlp)
        return cache[bulletin]

    return get


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("bulletin", BULLETINS, ids=lambda path: path.stem)
def test_formats_give_the_markdown_rows(bulletin, variant, render, nlp, markdown_rows):
    expected = markdown_rows(bulletin)
    extension = variant.split(":")[0]
    result = process_bytes(render(bulletin, variant), f"{bulletin.stem}.{extension}", nlp)
    assert result.document.status == "ok", result.document.error
    missing = rows(expected) - rows(result)
    extra = rows(result) - rows(expected)
    assert not missing and not extra, f"missing {list(missing)[:5]}, extra {list(extra)[:5]}"
    fixture_cells = {f"{row[0]} | {TABLE[0][c]}: {row[c]}" for row in TABLE[1:] for c in range(1, len(row))}
    table_rows = [r for r in result.metrics if r["evidence"] in fixture_cells]
    assert len(table_rows) == len(fixture_cells) and {r["county"] for r in table_rows} >= {"眉县", "凤县"}


@pytest.mark.parametrize("style", PDF_STYLES)
@pytest.mark.parametrize("bulletin", BULLETINS, ids=lambda path: path.stem)
def test_formats_pdf_rows_carry_the_page_they_are_printed_on(bulletin, style, render, nlp):
    data = render(bulletin, f"pdf:{style}")
    result = process_bytes(data, f"{bulletin.stem}.pdf", nlp)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [regex.sub(r"\s+", "", normalize_text(page.dedupe_chars().extract_text() or "")) for page in pdf.pages]
    pages = [regex.sub(rf"{HEADER_TEXT.replace(' ', '')}|—\d+—", "", page) for page in pages] + [""]
    assert max(int(r["page"]) for r in result.metrics) > 1
    for row in result.metrics:
        # The figure starts on its page (its unit may run over onto the next one).
        printed = regex.sub(r"\s+", "", row["value_text"])
        page = int(row["page"])
        at = (pages[page - 1] + pages[page]).find(printed)
        assert 0 <= at < len(pages[page - 1]), (row["value_text"], page)
