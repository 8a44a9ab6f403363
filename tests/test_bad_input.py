"""Bad files get a status and a reason; every other file in the same run keeps its rows."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.batch import extract_files
from pipeline.dataset.writers import write_outputs

GOOD = "第 2 期\n\n中共宝鸡市委组织部办公室\n\n2023年3月1日\n\n## 动态\n\n**眉县**新建养老驿站12个，培训护理员300余人。\n"

# fmt: off
# (file name, bytes, expected status, expected figures)
FILES = [
    ("empty.txt", b"", "empty", 0),
    ("blank.md", "\n   \n\u3000\n".encode("utf-8"), "empty", 0),
    ("garbage.txt", bytes(range(256)) * 8, "error", 0),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "needs_ocr", 0),
    ("gbk.txt", GOOD.replace("**", "").encode("gbk"), "ok", 2),
    ("utf16.md", GOOD.encode("utf-16"), "ok", 2),
    ("utf16le-no-bom.md", GOOD.encode("utf-16-le"), "ok", 2),
    ("bom.md", b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "ok", 2),
    ("gb18030.md", GOOD.encode("gb18030"), "ok", 2),
    ("no-figures.md", "第 3 期\n\n市委办公室\n\n## 动态\n\n各县区认真贯彻落实会议精神，扎实推进各项工作。\n".encode("utf-8"), "ok", 0),
    ("fake.pdf", GOOD.encode("utf-8"), "corrupt", 0),
    ("fake.docx", b"PK\x03\x04broken", "corrupt", 0),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "unsupported", 0),
    ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 30, "corrupt", 0),
    ("good.md", GOOD.encode("utf-8"), "ok", 2),
]
# fmt: on


@pytest.fixture(scope="module")
def run(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("bad-input")
    for name, data, _, _ in FILES:
        (folder / name).write_bytes(data)
    batch = extract_files([folder / name for name, *_ in FILES])
    out = folder / "out"
    write_outputs(out, batch.metrics, batch.documents, batch.sections)
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("source_file")
    metrics = pd.read_csv(out / "metrics.csv", dtype=str, keep_default_na=False)
    return folder, documents, metrics


@pytest.mark.parametrize("name, data, status, figures", FILES, ids=[f[0] for f in FILES])
def test_bad_input_gets_status_and_reason(run, name, data, status, figures):
    folder, documents, metrics = run
    row = documents.loc[str(folder / name)]
    assert row["status"] == status, row["error"]
    assert int(row["figures"]) == figures
    assert (row["error"] != "") == (status != "ok")
    assert len(metrics[metrics["source_file"] == str(folder / name)]) == figures


def test_bad_input_decoded_text_gives_the_same_figures(run):
    folder, _, metrics = run
    by_file = {name: metrics[metrics["source_file"] == str(folder / name)][["county", "value", "unit", "qualifier"]].values.tolist() for name in ("gbk.txt", "utf16.md", "good.md")}
    assert by_file["gbk.txt"] == by_file["good.md"] == by_file["utf16.md"] == [["眉县", "12", "个", ""], ["眉县", "300", "人", "more_than"]]


# Bad archive files next to good ones in one run: each gets its status, the good ones all their rows.
REFERENCE = "corpus/baoji-2022-14.md"


def _archive_files():
    from tests.fixtures import render_docx, render_pdf
    from tests.fixtures.render_html import render_html
    from tests.fixtures.source import load_bulletin

    blocks = load_bulletin(REFERENCE)
    good_pdf = render_pdf.render_pdf(blocks, render_pdf.STYLES["render-mode"])
    good_docx = render_docx.render_docx(blocks)
    # fmt: off
    return [
        ("encrypted.pdf", render_pdf.render_encrypted_pdf(blocks, "secret"), "encrypted"),
        ("empty-password.pdf", render_pdf.render_encrypted_pdf(blocks, ""), "ok"),
        ("truncated.pdf", render_pdf.truncate(good_pdf), "corrupt"),
        ("scanned.pdf", render_pdf.render_scanned_pdf(["全市新建驿站12个。"]), "needs_ocr"),
        ("empty.docx", render_docx.render_empty_docx(), "empty"),
        ("damaged.docx", render_docx.damage_document_xml(good_docx), "corrupt"),
        ("really-a-pdf.docx", good_pdf, "ok"),
        ("good.pdf", good_pdf, "ok"),
        ("good.docx", good_docx, "ok"),
        ("good.html", render_html(blocks, "gbk"), "ok"),
    ]
    # fmt: on


@pytest.fixture(scope="module")
def archive_run(tmp_path_factory, nlp, render, cjk_fonts):
    folder = tmp_path_factory.mktemp("archive")
    files = _archive_files()
    for name, data, _ in files:
        (folder / name).write_bytes(data)
    batch = extract_files([folder])
    documents = {Path(d["source_file"]).name: d for d in batch.documents}
    return files, documents, batch.metrics


def test_bad_archive_files_get_status_and_good_ones_keep_their_rows(archive_run):
    files, documents, metrics = archive_run
    assert {name: documents[name]["status"] for name, *_ in files} == {name: status for name, _, status in files}
    assert all(documents[name]["error"] for name, _, status in files if status != "ok")
    per_file = {name: sum(1 for m in metrics if Path(m["source_file"]).name == name) for name in documents}
    # the rendered bulletins carry the 29 prose figures and 6 table figures
    assert per_file["good.pdf"] == per_file["good.docx"] == per_file["good.html"] == 35
