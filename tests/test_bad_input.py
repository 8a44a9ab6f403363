"""Bad files get a status and a reason; every other file in the same run keeps its rows."""

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
