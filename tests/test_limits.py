"""Limits on what one input file may cost (rules/limits.tsv): the defaults come from the rules
file, which is validated with FILE:LINE errors; each limit works through the Python API and the
command line's options, is part of the cache key, and refusals are cached."""

from __future__ import annotations

import os
import shutil
import stat
import time

import pytest

from tests.fixtures.hostile import REFERENCE, GiB, pdf_with_pages

from .conftest import REPO


# -- limits: data, options, API, cache ----------------------------------------------------------
def test_limits_defaults_come_from_the_rules_file():
    from pipeline.limits import LIMITS, load_limits

    limits = load_limits()
    assert (limits.max_file_bytes, limits.max_pages, limits.max_chars) == (256 << 20, 5000, 20_000_000)
    assert all(getattr(limits, limit.name) > 0 for limit in LIMITS)
    assert limits.replace({"max_pages": "8k", "max_chars": None}).max_pages == 8000
    assert limits.replace(max_file_bytes="1GiB").max_file_bytes == GiB


# (the line that breaks the file, what the error says of its line 8)
# fmt: off
BAD_LIMITS = [
    ("max_pages\tmany",  ":8: column 'value' not a positive whole number"),
    ("max_pages\t0",     ":8: column 'value' must be positive"),
    ("max_page\t10",     ":8: column 'limit' must be one of max_file_bytes"),
    ("max_chars\t10",    ":8: 'max_chars' is listed twice in column 'limit'"),
]
# fmt: on


@pytest.mark.parametrize("line, message", BAD_LIMITS, ids=["not-a-number", "zero", "unknown-limit", "twice"])
def test_limits_file_is_validated_with_file_and_line(tmp_path, line, message):
    from pipeline.limits import read_limits
    from pipeline.rules import RulesError

    rows = [text for text in (REPO / "rules" / "limits.tsv").read_text(encoding="utf-8").splitlines() if text.startswith("max_")]
    path = tmp_path / "limits.tsv"
    path.write_text("\n".join(["limit\tvalue\toption\tmeaning", *rows, line]) + "\n", encoding="utf-8")  # line 8
    with pytest.raises(RulesError) as error:
        read_limits(path)
    assert str(error.value).startswith(f"{path}{message}"), str(error.value)


def test_limits_file_missing_a_limit(tmp_path):
    from pipeline.limits import read_limits
    from pipeline.rules import RulesError

    text = (REPO / "rules" / "limits.tsv").read_text(encoding="utf-8")
    path = tmp_path / "limits.tsv"
    path.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("max_pages\t")), encoding="utf-8")
    with pytest.raises(RulesError, match="no row for limit.s. max_pages"):
        read_limits(path)


# (limits, file, expected status and code): each limit through the Python API, on small files
# fmt: off
API_LIMITS = [
    ({"max_pages": 2},             "three-pages.pdf", "too_large", "too_large:pages: the PDF has 3 pages, over the limit max_pages = 2"),
    ({"max_pages": 3},             "three-pages.pdf", "ok",        ""),
    ({"max_chars": 1600},          "good.md",         "too_large", "too_large:chars: the text has 21"),  # decoded: 2,130
    ({"max_chars": 100},           "good.md",         "too_large", "too_large:chars: the text has at least"),  # from the bytes, undecoded
    ({"max_chars": 1000},          "good.docx",       "too_large", "too_large:chars"),
    ({"max_file_bytes": 1000},     "good.md",         "too_large", "too_large:file_bytes: the file has"),
    ({"max_docx_inflated": 10000}, "good.docx",       "too_large", "too_large:docx_inflated"),
    ({"max_docx_members": 3},      "good.docx",       "too_large", "too_large:docx_members: the ZIP container declares"),
    ({"max_docx_ratio": 2},        "good.docx",       "ok",        ""),  # under 1 MiB inflated: no ratio applies
]
# fmt: on


@pytest.fixture(scope="module")
def small_files(tmp_path_factory, render):
    folder = tmp_path_factory.mktemp("small")
    shutil.copyfile(REFERENCE, folder / "good.md")
    (folder / "good.docx").write_bytes(render(REFERENCE, "docx"))
    (folder / "three-pages.pdf").write_bytes(pdf_with_pages(3, shared=False))
    return folder


@pytest.mark.parametrize("limits, name, status, message", API_LIMITS, ids=[f"{next(iter(a[0]))}-{a[1]}" for a in API_LIMITS])
def test_limits_through_the_api(small_files, nlp, limits, name, status, message):
    from pipeline.batch import extract_files

    (row,) = extract_files([small_files / name], limits=limits).documents
    assert row["status"] == status, row["error"]
    assert row["error"].startswith(message)


def test_limits_are_in_the_cache_key_and_refusals_are_cached(small_files, tmp_path):
    from pipeline.batch import extract_to

    out = tmp_path / "out"
    pdf = [small_files / "three-pages.pdf"]
    first = extract_to(out, pdf, jobs=1, progress="quiet", limits={"max_pages": 2})
    assert (first.processed, first.failed[0]["status"]) == (1, "too_large")
    again = extract_to(out, pdf, jobs=1, progress="quiet", limits={"max_pages": 2})
    assert again.processed == 0 and again.failed == first.failed  # the refusal came from the cache
    raised = extract_to(out, pdf, jobs=1, progress="quiet", limits={"max_pages": 3})
    assert raised.processed == 1 and not raised.failed  # another limit: read again


def test_limits_cli_options(small_files, tmp_path, capsys):
    from pipeline.cli import main

    assert main(["extract", str(small_files / "three-pages.pdf"), "--out", str(tmp_path), "--max-pages", "2", "--jobs", "1"]) == 0
    assert "too_large: " in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(small_files / "good.md"), "--out", str(tmp_path), "--max-chars", "lots"])
    assert exit_info.value.code == 2


def test_reading_never_holds_more_than_the_byte_limit(tmp_path):
    from pipeline.ingest.files import hash_limited, read_limited
    from pipeline.limits import load_limits
    from pipeline.model import DocumentError

    limits = load_limits(overrides={"max_file_bytes": 1000})
    path = tmp_path / "file.txt"
    path.write_bytes(b"x" * 1000)
    assert len(read_limited(path, limits)) == 1000 and len(hash_limited(path, limits)) == 64
    path.write_bytes(b"x" * 1001)
    for read in (read_limited, hash_limited):
        with pytest.raises(DocumentError, match="too_large:file_bytes: the file has 1001 bytes"):
            read(path, limits)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(DocumentError, match="unsupported:fifo"):
        read_limited(fifo, limits)  # opened without blocking, refused from fstat
    assert time.monotonic() - started < 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
