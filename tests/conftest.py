"""Shared fixtures: one spaCy pipeline per test session (jieba's dictionary takes a second),
the corpus extracted once, and bulletins rendered to every input format once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLD = CORPUS / "gold"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.extraction.nlp import shared_nlp

    return shared_nlp()


@pytest.fixture(scope="session")
def corpus_outputs(tmp_path_factory):
    """The corpus extracted once into a real output folder (CSV, Parquet, DuckDB)."""
    from pipeline.batch import extract_files
    from pipeline.dataset.writers import write_outputs

    out = tmp_path_factory.mktemp("corpus-out")
    batch = extract_files([CORPUS])
    write_outputs(out, batch.metrics, batch.documents, batch.sections)
    return out


@pytest.fixture(scope="session")
def render() -> Callable[[Path, str], bytes]:
    """``render(bulletin_path, format)`` → a Markdown bulletin's bytes in that format, made once.

    Formats: ``pdf:<style>`` (see ``tests/fixtures/render_pdf.STYLES``), ``docx``,
    ``html:<encoding>``.
    """
    from tests.fixtures.source import load_bulletin

    cache: dict[tuple[Path, str], bytes] = {}

    def make(path: Path, fmt: str) -> bytes:
        if (path, fmt) not in cache:
            blocks = load_bulletin(path)
            kind, _, variant = fmt.partition(":")
            if kind == "pdf":
                from tests.fixtures import render_pdf

                if render_pdf.missing_fonts():
                    pytest.skip(f"CJK fonts missing ({', '.join(render_pdf.missing_fonts())}): install .ci/apt-packages")
                cache[path, fmt] = render_pdf.render_pdf(blocks, render_pdf.STYLES[variant])
            elif kind == "docx":
                from tests.fixtures.render_docx import render_docx

                cache[path, fmt] = render_docx(blocks)
            elif kind == "html":
                from tests.fixtures.render_html import render_html

                cache[path, fmt] = render_html(blocks, variant or "utf-8")
            else:
                raise ValueError(f"unknown fixture format {fmt!r}")
        return cache[path, fmt]

    return make


@pytest.fixture(scope="session")
def markdown_document():
    """``markdown_document(path)`` → the Document read from a Markdown bulletin: what every other
    format of the same bulletin must read back as."""
    from pipeline.ingest import read_bytes

    cache = {}

    def read(path: Path):
        if path not in cache:
            cache[path] = read_bytes(path.read_bytes(), path.name)
        return cache[path]

    return read
