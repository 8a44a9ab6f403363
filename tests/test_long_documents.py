"""Long documents: read in pieces with the figures of the whole, several issues in one file
each read as a document of its own, and distribution lines that end a report's body only
where no report follows them.

Every input is built in memory from the corpus at test time; cost is checked by the work done
(pieces bounded, covering the text once), its time in benchmarks/bench_hostile.py."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.dataset.rows import document_rows, metric_rows
from pipeline.dataset.writers import write_outputs
from pipeline.ingest import read_bytes
from pipeline.process import process_bytes, read_part

from .conftest import CORPUS, REPO

REFERENCE = CORPUS / "baoji-2022-14.md"
MARKDOWN = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
BULLETINS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md")
REALDEV = REPO.parent / "shared" / "realdev" / "docs"
# Lines that end a bulletin's body (distribution lists, rules, a web page's 相关新闻): dropped
# where bulletins are joined into one long document, so its body runs through all of them.
_BODY_END = re.compile(r"^\s*(?:呈|报|送|发|抄送|抄报|分送|印发)\s*[:：]|^\s*---|^\s*(?:相关|新闻推荐|责任编辑)")
# Piece sizes that never cut inside a paragraph: the pieces must give the figures of the whole.
NEVER_FORCED = {"longest": 10**9}
# What a row says, without where it is (offsets, ids, pages and the file).
CONTENT = ["issue_no", "issue_date", "issuer", "section", "section_title", "county", "county_code", "county_basis", "town",
           "actor", "measure", "value", "unit", "qualifier", "value_max", "value_text", "evidence"]


def _rules(nlp):
    return nlp.get_pipe("bulletin_quantities").rules


def _body(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not _BODY_END.match(line))


def _rows(document, part) -> list[tuple]:
    return sorted(tuple(sorted(row.items())) for row in metric_rows(document, part.layout, part.figures))


def _whole_and_pieces(nlp, document, **sizes):
    whole = read_part(nlp, document, _rules(nlp), sizes={"whole": 10**9})
    pieces = read_part(nlp, document, _rules(nlp), sizes={"whole": 0, **NEVER_FORCED, **sizes})
    return whole, pieces


@pytest.fixture(scope="module")
def compilation():
    """Twelve bulletins (one with a pipe table) as one long document without mastheads between."""
    chosen = [p for p in BULLETINS if p.stem.startswith(("baoji", "guilin-2024", "hanzhong", "huzhou", "mianyang", "shanxi", "xianyang-2024-03",
                                                          "anhui", "luyi", "shouguang", "yanbian", "zhangjiakou"))]
    text = "\n\n".join(_body(p) for p in chosen)
    return read_bytes(text.encode("utf-8"), "compilation.md")


# -- 1. long documents in pieces ------------------------------------------------------------

@pytest.mark.parametrize("target", [300, 1000, 3000])
def test_long_document_in_pieces_gives_the_figures_of_the_whole(nlp, compilation, target):
    whole, pieces = _whole_and_pieces(nlp, compilation, target=target)
    assert len(pieces.pieces) > 3 and len(whole.pieces) == 1
    assert [a for a, _ in pieces.pieces[1:]] == [b for _, b in pieces.pieces[:-1]] and pieces.pieces[-1][1] == len(compilation.text)
    rows = _rows(compilation, whole)
    assert len(rows) > 300 and any(dict(r)["county_basis"] == "table" for r in rows)
    assert _rows(compilation, pieces) == rows
    assert (pieces.home.code, pieces.home.basis) == (whole.home.code, whole.home.basis)


@pytest.mark.parametrize("path", BULLETINS, ids=lambda p: p.stem)
def test_long_document_pieces_of_each_bulletin_give_its_figures(nlp, path):
    document = read_bytes(path.read_bytes(), path.name)
    whole, pieces = _whole_and_pieces(nlp, document, target=200)
    assert _rows(document, pieces) == _rows(document, whole)


def test_long_document_pieces_of_the_real_texts_give_their_figures(nlp):
    documents = sorted(REALDEV.iterdir())
    assert len(documents) >= 15, f"the real texts of ../shared/realdev are missing ({REALDEV})"
    for path in documents:
        document = read_bytes(path.read_bytes(), path.name)
        whole, pieces = _whole_and_pieces(nlp, document, target=200)
        assert _rows(document, pieces) == _rows(document, whole), path.name


def _without_masthead(path: Path) -> tuple[str, str]:
    head, body = path.read_text(encoding="utf-8").split("## ", 1)
    return head, "## " + _body_text_of(body)


def test_long_document_past_spacy_max_length_gives_its_figures(nlp):
    head, body = _without_masthead(REFERENCE)
    copies = 30
    text = head + body * copies
    saved = nlp.max_length
    nlp.max_length = len(text) // 4  # spaCy's limit, well under the text
    try:
        with pytest.raises(ValueError, match="E088"):
            nlp.make_doc(text)  # what reading it whole did
        result = process_bytes(text.encode("utf-8"), "compilation.md", nlp)
    finally:
        nlp.max_length = saved
    assert result.document.status == "ok", result.document.error
    one = process_bytes((head + body).encode("utf-8"), "one.md", nlp)
    assert len(result.metrics) == copies * len(one.metrics) > 0
    assert len(result.parts) == 1 and len(result.parts[0].pieces) > 4
    assert all(result.document.text[m["char_start"] : m["char_end"]].strip() == m["value_text"] for m in result.metrics)


@pytest.mark.parametrize("copies", [12, 48, 200])
def test_long_document_pieces_are_bounded_and_cover_the_text_once(nlp, copies):
    """What makes the cost linear: every piece spaCy reads is bounded, and the pieces cover the
    text once, without overlap, so 4× the text is 4× the pieces (timings: benchmarks/bench_hostile.py)."""
    from pipeline.structure.pieces import MAX_PIECE_CHARS

    head, body = _without_masthead(REFERENCE)
    text = head + body * copies
    result = process_bytes(text.encode("utf-8"), "long.md", nlp)
    (part,) = result.parts
    pieces = part.pieces
    assert pieces[0][0] == 0 and pieces[-1][1] == len(result.document.text)
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(pieces))
    assert max(end - start for start, end in pieces) <= MAX_PIECE_CHARS
    assert len(pieces) >= len(text) // MAX_PIECE_CHARS


def _body_text_of(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if not _BODY_END.match(line)) + "\n\n"


# -- 2. several issues in one file ----------------------------------------------------------

@pytest.fixture(scope="module")
def issues_file(nlp):
    """Every Markdown bulletin of the corpus in one file, one after another."""
    texts = [p.read_text(encoding="utf-8").strip("\n") for p in MARKDOWN]
    return process_bytes("\n\n".join(texts).encode("utf-8"), "compilation.md", nlp)


def _meta(layout):
    m = layout.metadata
    return (m.issue_no, m.issue_date, m.issuer, m.series, m.title)


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.stem)
def test_issues_in_one_file_each_give_their_own_rows(nlp, issues_file, path):
    alone = process_bytes(path.read_bytes(), path.name, nlp)
    parts = [part for part in issues_file.parts if _meta(part.layout) == _meta(alone.layout)]
    assert len(parts) == 1, [_meta(p.layout) for p in issues_file.parts]
    part = parts[0]
    assert (part.layout.region, part.layout.region_basis) == (alone.layout.region, alone.layout.region_basis)
    rows = [m for m in issues_file.metrics if m["issue_part"] == part.number]
    assert sorted(tuple(r[c] for c in CONTENT) for r in rows) == sorted(tuple(r[c] for c in CONTENT) for r in alone.metrics)
    text = issues_file.document.text
    assert all(text[r["char_start"] : r["char_end"]].strip() == r["value_text"] for r in rows)


def test_issues_in_one_file_keep_the_file_and_number_the_issues(issues_file):
    assert issues_file.document.status == "ok", issues_file.document.error
    assert len(issues_file.parts) == len(MARKDOWN)
    assert [p.number for p in issues_file.parts] == list(range(1, len(MARKDOWN) + 1))
    assert {m["doc_id"] for m in issues_file.metrics} == {issues_file.document.doc_id}
    ids = [m["figure_id"] for m in issues_file.metrics]
    assert len(ids) == len(set(ids))
    rows = document_rows(issues_file.row, issues_file.metrics)
    assert [r["issue_part"] for r in rows] == [p.number for p in issues_file.parts]
    assert sum(r["figures"] for r in rows) == len(issues_file.metrics) == issues_file.row["figures"]
    assert [r["issue_no"] for r in rows] == [p.layout.metadata.issue_no for p in issues_file.parts]
    sections = issues_file.sections
    assert [s["section_no"] for s in sections] == list(range(1, len(sections) + 1))


def test_issues_file_of_450_copies_gives_450_times_the_rows(nlp):
    data = REFERENCE.read_bytes()
    one = process_bytes(data, REFERENCE.name, nlp)
    result = process_bytes(data * 450, "copies.md", nlp)
    assert len(result.parts) == 450 and len(result.metrics) == 450 * len(one.metrics)
    assert len({m["figure_id"] for m in result.metrics}) == len(result.metrics)
    expected = sorted(tuple(r[c] for c in CONTENT) for r in one.metrics)
    by_part: dict[int, list] = {}
    for row in result.metrics:
        by_part.setdefault(row["issue_part"], []).append(tuple(row[c] for c in CONTENT))
    assert sorted(by_part) == list(range(1, 451)) and all(sorted(rows) == expected for rows in by_part.values())
    # offsets are the file's: each copy's figures sit one copy's length further on
    length = len(one.document.text) + 1
    first = sorted(m["char_start"] for m in result.metrics if m["issue_part"] == 1)
    last = sorted(m["char_start"] for m in result.metrics if m["issue_part"] == 450)
    assert [b - a for a, b in zip(first, last)] == [449 * length] * len(first)


@pytest.mark.parametrize("text", [
    # 第N期 in the body, without a masthead's date below it
    "第 14 期\n\n中共宝鸡市委组织部办公室\n\n2022 年 10 月 20 日\n\n## 培训工作\n\n全市举办培训班5期。\n\n第 2 期\n\n培训学员120名，考核合格率达98%。\n",
    # a list of issues (a table of contents) is no second masthead: no text between them
    "第 14 期\n\n2022 年 10 月 20 日\n\n第 15 期\n\n2022 年 10 月 30 日\n\n## 培训工作\n\n全市举办培训班5期，培训学员120名。\n",
    # 第二期 as a heading
    "第 14 期\n\n中共宝鸡市委组织部办公室\n\n2022 年 10 月 20 日\n\n## 培训工作\n\n全市举办培训班5期。\n\n第二期培训班\n\n2022 年 10 月 28 日\n\n培训学员120名。\n",
], ids=["issue-number-in-body", "list-of-issues", "second-course"])
def test_issues_a_single_bulletin_stays_one_document(nlp, text):
    result = process_bytes(text.encode("utf-8"), "one.md", nlp)
    assert len(result.parts) == 1 and "issue_parts" not in result.row
    assert {m["issue_part"] for m in result.metrics} == {1}


def test_issues_file_outputs_have_a_row_per_issue(nlp, tmp_path):
    texts = [p.read_text(encoding="utf-8").strip("\n") for p in MARKDOWN if p.stem.startswith("xianyang")]
    result = process_bytes("\n\n".join(texts).encode("utf-8"), "xianyang-2024.md", nlp)
    single = process_bytes(REFERENCE.read_bytes(), REFERENCE.name, nlp)
    write_outputs(tmp_path, result.metrics + single.metrics, [result.row, single.row], result.sections + single.sections)
    documents = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)  # in source_file order
    assert documents["source_file"].tolist() == [REFERENCE.name] + ["xianyang-2024.md"] * 4
    assert documents["issue_part"].tolist() == ["1", "1", "2", "3", "4"]
    assert documents["issue_no"].tolist() == ["14", "1", "2", "3", "4"]
    assert documents["issue_date"].tolist()[1:] == ["2024-01-31", "2024-02-29", "2024-03-29", "2024-04-30"]
    assert documents["figures"].astype(int).tolist() == [29, 24, 24, 25, 24]
    assert documents["doc_id"].nunique() == 2
    metrics = pd.read_csv(tmp_path / "metrics.csv", dtype=str, keep_default_na=False)
    assert metrics.groupby("issue_part").size().to_dict() == {"1": 24 + 29, "2": 24, "3": 25, "4": 24}
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["documents"]["schema"]["primaryKey"] == ["source_file", "issue_part"]
    assert "issue_part" in [f["name"] for f in resources["metrics"]["schema"]["fields"]]
    connection = duckdb.connect(str(tmp_path / "bulletins.duckdb"), read_only=True)
    try:
        types = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'documents'").fetchall())
        texts_count = connection.execute("SELECT count(*) FROM document_texts").fetchone()[0]
    finally:
        connection.close()
    assert types["issue_part"] == "BIGINT" and texts_count == 2


def test_issues_file_keeps_the_figure_ids_of_a_single_issue(nlp):
    """A file of one issue has the ids it always had (reviews are keyed by them)."""
    rows = process_bytes(REFERENCE.read_bytes(), REFERENCE.name, nlp).metrics
    ids = {r["value_text"]: r["figure_id"] for r in rows}
    assert ids["1.4万个"] == "afdb751b5bf09311" and ids["18.4万元"] == "b6abc4becfa5b845"


# -- 3. distribution lines between reports ---------------------------------------------------
# (what stands between two copies of the reference bulletin's body, figures of how many copies)
# fmt: off
BETWEEN_COPIES = [
    ("送：各县区委组织部，市委各部门\n\n",                          2),  # issues pasted without a masthead
    ("呈：市委领导\n\n送：各县区委组织部\n\n---\n\n",                2),
    ("（共印50份）\n\n",                                              2),
]
# fmt: on


@pytest.mark.parametrize("between, copies", BETWEEN_COPIES, ids=["sent-to", "two-lists-and-rule", "print-run"])
def test_distribution_lines_end_the_body_only_where_no_report_follows(nlp, between, copies):
    head, body = _without_masthead(REFERENCE)
    one = process_bytes((head + body).encode(), "one.md", nlp)
    text = head + body + between + body + "送：各县区委组织部\n\n发：市委各部门\n"
    result = process_bytes(text.encode(), "two.md", nlp)
    assert len(result.metrics) == copies * len(one.metrics)
    assert result.parts[0].layout.metadata.distribution["送"][-1] == "各县区委组织部"
    assert result.row["distributed_to"] == "市委各部门"
