"""The HTML report: self-contained, and in headless Chromium it loads without console errors,
draws its charts and tables, and a screenshot is kept; an archive of 50,000 figures opens on its
first page, pages, sorts, filters by document and links each figure to its source file."""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.cli import main

from .conftest import CORPUS, REPO

SERIES = [str(CORPUS / f"xianyang-2024-0{n}.md") for n in range(1, 5)]
REAL_PDF = REPO.parent / "shared" / "realpdf" / "hongze-zfxxgk-2024.pdf"
ARCHIVE_FIGURES = 50_000
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000  # generous: nothing may hang, and no test measures speed


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-out")
    assert main(["extract", *SERIES, "--out", str(out), "-q"]) == 0
    figure_id = next(line.split(",")[0] for line in (out / "metrics.csv").read_text(encoding="utf-8").splitlines() if ",1280元," in line)
    assert main(["review", figure_id, "--status", "disputed", "--note", "单位存疑", "--out", str(out)]) == 0
    assert main(["audit", str(out), "--report", str(out / "report.html"), "-q"]) == 0
    return out / "report.html"


def test_audit_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert "单位存疑" in html and "xianyang-2024-04.md" in html


# fmt: off
ISSUERS = [
    ([],                                   ""),
    (["甲办"],                              "甲办"),
    (["甲办", "乙办", "甲办"],               "甲办 and 乙办"),
    (["甲办", "乙办", "丙办", "丁办"],        "丁办, 丙办, 乙办 and 甲办"),
    (["甲办"] * 3 + ["乙办"] * 2 + ["丙办", "丁办", "戊办", "己办"], "甲办, 乙办, 丁办 and 3 more issuers"),
]
# fmt: on


@pytest.mark.parametrize("issuers, line", ISSUERS, ids=[str(len(i)) for i, _ in ISSUERS])
def test_audit_report_names_its_issuers(issuers, line):
    from pipeline.audit.report import issuers_line

    named, ranked = issuers_line([{"issuer": name} for name in issuers] + [{"issuer": ""}])
    assert named == line
    assert sum(n for _, n in ranked) == len(issuers)


def _browser():
    chromium = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        chromium = None
    if not chromium:
        pytest.fail("headless Chromium test needs Debian's chromium (.ci/apt-packages) and playwright (pip install -e '.[test]')")
    return chromium


def _open(playwright, report: Path, errors: list[str]):
    browser = playwright.chromium.launch(executable_path=_browser(), args=ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(re.compile(r"^(?!file:).*"), lambda route: (errors.append(f"network: {route.request.url}"), route.abort()))
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready='1']")
    return browser, page


def test_audit_report_in_headless_chromium(report, capsys):
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    screenshot = report.parent / "report.png"
    with open(report.parent / "metrics.csv", encoding="utf-8", newline="") as handle:
        total = sum(1 for _ in csv.DictReader(handle))
    with sync_playwright() as playwright:
        browser, page = _open(playwright, report, errors)
        try:
            bars = page.locator("#chart-county svg rect").count()
            series = page.locator("#series svg polyline").count()
            flagged_points = page.locator("#series circle.flagged").count()
            flag_rows = page.locator("#flags tbody tr").count()
            figure_rows = page.locator("#figures tbody tr").count()
            marks = page.locator("#figures tbody mark").count()
            page.select_option("#flag-severity", "error")
            error_rows = page.locator("#flags tbody tr").count()
            page.select_option("#unit", "路")
            sums = page.locator("#chart-county svg rect").count()
            page.select_option("#flag-severity", "")
            page.locator("#flags tbody a", has_text="1280元").first.click()  # a flag's figure: shown, wherever it is
            target = page.locator("#figures tbody tr.target").get_attribute("id")
            page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    with capsys.disabled():
        print(f"\n[audit report] screenshot: {screenshot}")
    assert errors == []
    assert bars >= 5 and series >= 10 and flagged_points >= 3 and sums >= 2
    assert flag_rows >= 10 and 0 < error_rows < flag_rows
    assert total >= 90 and figure_rows == marks == min(total, 100)
    assert target and target.startswith("fig-")
    assert screenshot.stat().st_size > 10_000


# -- an archive of 50,000 figures --------------------------------------------------------------
def _copy_id(copy: int, identifier: str) -> str:
    return hashlib.sha256(f"{copy}:{identifier}".encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    """An output folder of over 50,000 figures: the corpus and a real PDF extracted once, their
    rows copied into as many issues of an archive as it takes (each copy with its own files,
    ids and paths), written by the dataset writers and audited by the command."""
    if not REAL_PDF.exists():
        pytest.fail(f"{REAL_PDF} is missing: the real PDFs of ../shared/realpdf must be beside the checkout")
    from pipeline.batch import extract_files
    from pipeline.dataset.writers import write_outputs

    base = extract_files([CORPUS, REAL_PDF])
    copies = math.ceil(ARCHIVE_FIGURES / len(base.metrics))
    root = tmp_path_factory.mktemp("archive")
    metrics, documents, sections = [], [], []
    originals = {Path(d["source_file"]).name: Path(d["source_file"]) for d in base.documents}
    for copy in range(copies):
        folder = root / "bulletins" / f"{copy + 1:03d}"
        folder.mkdir(parents=True)
        for name, original in originals.items():
            shutil.copyfile(original, folder / name)
        place = {d["source_file"]: str(folder / Path(d["source_file"]).name) for d in base.documents}
        documents += [{**d, "source_file": place[d["source_file"]], "doc_id": _copy_id(copy, d["doc_id"])} for d in base.documents]
        metrics += [{**m, "source_file": place[m["source_file"]], "doc_id": _copy_id(copy, m["doc_id"]), "figure_id": _copy_id(copy, m["figure_id"])}
                    for m in base.metrics]
        sections += [{**s, "doc_id": _copy_id(copy, s["doc_id"])} for s in base.sections]
    out = root / "out"
    write_outputs(out, metrics, documents, sections)
    assert main(["audit", str(out), "--report", str(out / "report.html"), "-q"]) == 0
    with open(out / "metrics.csv", encoding="utf-8", newline="") as handle:
        written = {row["figure_id"]: row for row in csv.DictReader(handle)}  # in the order of metrics.csv
    pdf_file = next(m["source_file"] for m in written.values() if m["source_file"].endswith(".pdf") and int(m["page"]) > 1)
    return {"report": out / "report.html", "metrics": written, "pdf_file": pdf_file}


def _row_ids(page) -> list[str]:
    return [row_id.removeprefix("fig-") for row_id in page.eval_on_selector_all("#figures tbody tr", "rows => rows.map(r => r.id)")]


def test_audit_report_of_an_archive_pages_sorts_filters_and_links(archive):
    from playwright.sync_api import expect, sync_playwright

    metrics = archive["metrics"]
    assert len(metrics) >= ARCHIVE_FIGURES
    values = sorted(float(m["value"]) for m in metrics.values())
    pdf_file = archive["pdf_file"]
    pdf_ids = {i for i, m in metrics.items() if m["source_file"] == pdf_file}
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser, page = _open(playwright, archive["report"], errors)
        try:
            rows = page.locator("#figures tbody tr")
            expect(rows).to_have_count(100, timeout=TIMEOUT_MS)  # the first page, not 50,000 rows
            expect(page.locator("#fig-count")).to_have_text(f"{len(metrics):,} of {len(metrics):,}", timeout=TIMEOUT_MS)
            first_page = _row_ids(page)
            pager = page.locator("#figures-pager-top")
            pager.locator("button.next").click()
            expect(pager).to_contain_text("rows 101–200", timeout=TIMEOUT_MS)
            second_page = _row_ids(page)

            value_header = page.locator("#figures thead th", has_text="value")
            value_header.locator("button").click()
            expect(value_header).to_have_attribute("aria-sort", "ascending", timeout=TIMEOUT_MS)
            ascending = _row_ids(page)
            value_header.locator("button").click()
            expect(value_header).to_have_attribute("aria-sort", "descending", timeout=TIMEOUT_MS)
            descending = _row_ids(page)

            page.select_option("#fig-doc", label=f"{pdf_file} ({len(pdf_ids):,})")
            expect(page.locator("#fig-count")).to_have_text(f"{len(pdf_ids):,} of {len(metrics):,}", timeout=TIMEOUT_MS)
            filtered = _row_ids(page)
            links = page.eval_on_selector_all("#figures tbody a.source", "links => links.map(a => [a.closest('tr').id, a.href])")
        finally:
            browser.close()
    assert errors == []
    assert len(first_page) == len(second_page) == 100 and not set(first_page) & set(second_page)
    assert first_page == list(metrics)[:100]  # metrics.csv order until a column is sorted
    ascending_values = [float(metrics[i]["value"]) for i in ascending]
    descending_values = [float(metrics[i]["value"]) for i in descending]
    assert ascending_values == values[:100] and descending_values == values[::-1][:100]
    assert filtered and set(filtered) <= pdf_ids and len(filtered) == min(100, len(pdf_ids))
    assert len(links) == len(filtered)
    for row_id, href in links:
        figure = metrics[row_id.removeprefix("fig-")]
        url = urlsplit(href)
        assert url.scheme == "file" and url.fragment == f"page={figure['page']}"
        assert Path(unquote(url.path)) == Path(pdf_file) and Path(pdf_file).exists()
    assert any(int(metrics[r.removeprefix("fig-")]["page"]) > 1 for r, _ in links)
