"""Shared fixtures: one spaCy pipeline per test session (jieba's dictionary takes a second),
the corpus extracted once, and bulletins rendered to every input format once.

No test skips: a skip (``pytest.skip``, a ``skipif`` mark, ``importorskip``, an empty parameter
table) is reported as a failure, on every machine, CI or not. A test needing a font, a browser
or LibreOffice fails naming what is missing and how to install it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLD = CORPUS / "gold"


def _no_skip(report, nodeid: str):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{nodeid} was skipped ({reason}); tests here never skip: a missing tool must fail naming it"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _no_skip((yield), item.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):  # a module skipped as a whole (importorskip at import)
    return _no_skip((yield), collector.nodeid)


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
def libreoffice_pdfs(tmp_path_factory) -> Callable[[Path], bytes]:
    """``libreoffice_pdfs(bulletin_path)`` → the bulletin as LibreOffice prints its 公文 DOCX
    (``tests/fixtures/renderings.gongwen_pdfs``). Every corpus bulletin goes through one soffice
    call, the first time one is asked for. When LibreOffice or the fonts are missing, every
    test asking fails saying so (never a skip)."""
    from tests.fixtures import renderings
    from tests.fixtures.compare import bulletin_paths

    made: dict[str, bytes] = {}
    failure: list[str] = []

    def get(path: Path) -> bytes:
        if not made and not failure:
            try:
                made.update(renderings.gongwen_pdfs(bulletin_paths(), tmp_path_factory.mktemp("libreoffice")))
            except RuntimeError as error:
                failure.append(str(error))
        if failure:
            pytest.fail(failure[0])
        return made[path.stem]

    return get


@pytest.fixture(scope="session")
def render(libreoffice_pdfs) -> Callable[[Path, str], bytes]:
    """``render(bulletin_path, format)`` → a Markdown bulletin's bytes in that format, made once.

    Formats: ``pdf:<style>`` (see ``tests/fixtures/render_pdf.STYLES``), ``pdf:libreoffice``
    (see ``libreoffice_pdfs``), ``docx``, ``html:<encoding>``.
    """
    from tests.fixtures.source import load_bulletin

    cache: dict[tuple[Path, str], bytes] = {}

    def make(path: Path, fmt: str) -> bytes:
        if (path, fmt) not in cache:
            blocks = load_bulletin(path)
            kind, _, variant = fmt.partition(":")
            if fmt == "pdf:libreoffice":
                cache[path, fmt] = libreoffice_pdfs(path)
            elif kind == "pdf":
                from tests.fixtures import render_pdf

                missing = render_pdf.missing_fonts()
                assert not missing, f"CJK fonts missing ({', '.join(missing)}): install the Debian packages of .ci/apt-packages"
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


@pytest.fixture(scope="session")
def cjk_fonts() -> None:
    """The fonts the PDF fixtures draw with; without them a test fails saying so, never skips."""
    from tests.fixtures import render_pdf

    missing = render_pdf.missing_fonts()
    assert not missing, f"CJK fonts missing ({', '.join(missing)}): install the Debian packages of .ci/apt-packages"
