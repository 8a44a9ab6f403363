"""DOCX reader: corpus bulletins rendered with python-docx read back like their Markdown, and
the ways Word stores bold, headings, tables and page breaks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.ingest import read_bytes
from pipeline.ingest.docx import read_docx
from tests.fixtures.compare import bulletin_paths, headings, paragraph_texts, paragraphs, table_cells
from tests.fixtures.render_docx import damage_document_xml, render_empty_docx
from tests.fixtures.source import FOOTER_TEXT, HEADER_TEXT, expected_cells, load_bulletin

BULLETINS = bulletin_paths()


@pytest.mark.parametrize("bulletin", BULLETINS, ids=lambda path: path.stem)
def test_read_docx_matches_markdown(bulletin: Path, render, markdown_document) -> None:
    expected = markdown_document(bulletin)
    document = read_bytes(render(bulletin, "docx"), f"{bulletin.stem}.docx")

    assert document.status == "ok", document.error
    assert paragraphs(document) == paragraphs(expected)
    assert paragraph_texts(document) == paragraph_texts(expected)  # white space included
    assert headings(document) == headings(expected)
    assert table_cells(document) == expected_cells(load_bulletin(bulletin))
    assert HEADER_TEXT not in document.text and FOOTER_TEXT not in document.text
    # An explicit page break after the table and a page-break-before on the last paragraph.
    pages = [block.page for block in document.blocks]
    assert pages == sorted(pages) and pages[-1] == document.pages == 3


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_read_docx_resolves_bold_through_styles() -> None:
    document = docx.Document()
    strong = document.styles.add_style("Lead", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    inherited = document.styles.add_style("Lead Child", WD_STYLE_TYPE.CHARACTER)
    inherited.base_style = strong
    bold_body = document.styles.add_style("Bold Body", WD_STYLE_TYPE.PARAGRAPH)
    bold_body.font.bold = True

    p = document.add_paragraph()
    p.add_run("直接").bold = True
    p.add_run("样式").style = strong
    p.add_run("继承").style = inherited
    p.add_run("普通")
    p = document.add_paragraph(style=bold_body)
    p.add_run("段落样式")
    p.add_run("关掉").bold = False  # direct formatting beats the paragraph style
    document.add_heading("标题二", level=2)

    blocks, pages = read_docx(_save(document))
    assert [(b.kind, b.level, b.pieces) for b in blocks] == [
        ("paragraph", 0, [("直接", True), ("样式", True), ("继承", True), ("普通", False)]),
        ("paragraph", 0, [("段落样式", True), ("关掉", False)]),
        ("heading", 2, [("标题二", True)]),  # Heading 2 is bold through its style
    ]
    assert pages == 1


def test_read_docx_keeps_tables_between_paragraphs_in_body_order() -> None:
    document = docx.Document()
    document.add_paragraph("表前")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并"
    table.cell(0, 2).text = "右"
    table.cell(1, 0).text = "甲"
    table.cell(1, 2).text = "丙"
    document.add_paragraph("表后")

    blocks, _ = read_docx(_save(document))
    assert [(b.kind, b.text, b.table) for b in blocks] == [
        ("paragraph", "表前", None),
        ("table_cell", "合并", {"table": 0, "row": 0, "col": 0}),
        ("table_cell", "右", {"table": 0, "row": 0, "col": 2}),  # the merged cell spans columns 0–1
        ("table_cell", "甲", {"table": 0, "row": 1, "col": 0}),
        ("table_cell", "丙", {"table": 0, "row": 1, "col": 2}),
        ("paragraph", "表后", None),
    ]


def test_read_docx_line_break_splits_block_for_the_mender() -> None:
    document = docx.Document()
    p = document.add_paragraph()
    p.paragraph_format.first_line_indent = docx.shared.Pt(21)
    p.add_run("依托“雪亮工程”建设，")
    p.add_run().add_break()
    p.add_run("推动探头向社区延伸。")
    blocks, _ = read_docx(_save(document))
    assert [(b.text, b.indented) for b in blocks] == [("依托“雪亮工程”建设，", True), ("推动探头向社区延伸。", False)]


def test_read_docx_counts_pages_from_rendered_breaks_when_present() -> None:
    document = docx.Document()
    document.add_paragraph("第一页")
    document.add_page_break()  # explicit break …
    p = document.add_paragraph()
    run = p.add_run("第二页")
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))  # … and Word's rendered mark after it
    document.add_paragraph("仍在第二页")

    blocks, pages = read_docx(_save(document))
    assert [(b.text, b.page) for b in blocks] == [("第一页", 1), ("第二页", 2), ("仍在第二页", 2)]
    assert pages == 2


def test_read_docx_outline_level_makes_a_heading() -> None:
    document = docx.Document()
    p = document.add_paragraph("一、总体情况")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(outline)
    blocks, _ = read_docx(_save(document))
    assert [(b.kind, b.level) for b in blocks] == [("heading", 1)]


def _run(text: str, *, deleted: bool = False) -> OxmlElement:
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    run.append(t)
    return run


def test_read_docx_reads_hyperlinks_and_insertions_not_deletions() -> None:
    document = docx.Document()
    p = document.add_paragraph("详见")
    for tag, text, deleted in (("w:hyperlink", "通知全文", False), ("w:ins", "，已印发", False), ("w:del", "草稿", True)):
        wrapper = OxmlElement(tag)
        wrapper.append(_run(text, deleted=deleted))
        p._p.append(wrapper)
    blocks, _ = read_docx(_save(document))
    assert [b.text for b in blocks] == ["详见通知全文，已印发"]


def _without_document_xml(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item.filename))
    return buffer.getvalue()


def _bad_files(good: bytes) -> list[tuple[str, str, bytes]]:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    return [
        # (name, expected status, bytes)
        ("empty.docx", "empty", render_empty_docx()),
        ("broken-xml.docx", "corrupt", damage_document_xml(good)),
        ("truncated.docx", "corrupt", good[: len(good) // 2]),
        ("not-word.docx", "unsupported", _without_document_xml(good)),
        ("password.docx", "encrypted", ole + "EncryptedPackage".encode("utf-16-le")),
        ("legacy.doc", "unsupported", ole),
        ("really-text.docx", "corrupt", "只是文本".encode()),
    ]


def test_read_bytes_flags_bad_docx(render) -> None:
    good = render(BULLETINS[0], "docx")
    for name, status, data in _bad_files(good):
        document = read_bytes(data, name)
        assert (name, document.status) == (name, status), document.error
        assert document.error.strip(), name
