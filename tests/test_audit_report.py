"""The HTML report: self-contained, and in headless Chromium it loads without console errors,
draws its charts and tables, and a screenshot is kept."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

from .conftest import CORPUS

SERIES = [str(CORPUS / f"xianyang-2024-0{n}.md") for n in range(1, 5)]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


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


def _browser():
    chromium = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        chromium = None
    if not chromium:
        pytest.fail("headless Chromium test needs Debian's chromium (.ci/apt-packages) and playwright (pip install -e '.[test]')")
    return chromium


def test_audit_report_in_headless_chromium(report, capsys):
    chromium = _browser()
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    screenshot = report.parent / "report.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.route(re.compile(r"^(?!file:).*"), lambda route: (errors.append(f"network: {route.request.url}"), route.abort()))
            page.goto(report.as_uri())
            page.wait_for_selector("body[data-ready='1']", timeout=15000)
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
            page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    with capsys.disabled():
        print(f"\n[audit report] screenshot: {screenshot}")
    assert errors == []
    assert bars >= 5 and series >= 10 and flagged_points >= 3 and sums >= 2
    assert flag_rows >= 10 and 0 < error_rows < flag_rows
    assert figure_rows == marks >= 90
    assert screenshot.stat().st_size > 10_000
