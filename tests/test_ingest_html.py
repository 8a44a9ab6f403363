"""HTML reader: corpus bulletins as web pages (UTF-8 and GBK) read back like their Markdown, and
a table of markup cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import read_bytes
from pipeline.ingest.html import decode_html, read_html
from tests.fixtures.compare import bulletin_paths, headings, paragraph_texts, paragraphs, rule_count, table_cells
from tests.fixtures.source import FOOTER_TEXT, HEADER_TEXT, expected_cells, load_bulletin

BULLETINS = bulletin_paths()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("bulletin", BULLETINS, ids=lambda path: path.stem)
def test_read_html_matches_markdown(bulletin: Path, encoding: str, render, markdown_document) -> None:
    expected = markdown_document(bulletin)
    document = read_bytes(render(bulletin, f"html:{encoding}"), f"{bulletin.stem}.html")

    assert document.status == "ok", document.error
    assert paragraphs(document) == paragraphs(expected)
    assert headings(document) == headings(expected)
    assert rule_count(document) == rule_count(expected)
    assert table_cells(document) == expected_cells(load_bulletin(bulletin))
    for chrome in (HEADER_TEXT, FOOTER_TEXT, "首页", "脚本里的文字", "样式文本", "网站标题不是正文"):
        assert chrome not in document.text
    # HTML keeps the source's own spaces ("9 月份") and adds none where the page's source
    # lines were wrapped between two Chinese characters: the texts match exactly.
    assert paragraph_texts(document) == paragraph_texts(expected)


def _blocks(markup: str) -> list[tuple[str, str, list[tuple[str, bool]], bool | None]]:
    blocks, _ = read_html(markup.encode("utf-8"))
    return [(b.kind, b.text, b.pieces, b.indented) for b in blocks]


# fmt: off
MARKUP_CASES = [
    # (name, markup, blocks as (kind, text, pieces, indented))
    ("br-splits-a-paragraph",
     '<p style="text-indent:2em">依托“雪亮工程”建设，<br>推动探头延伸。</p>',
     [("paragraph", "依托“雪亮工程”建设，", [("依托“雪亮工程”建设，", False)], True),
      ("paragraph", "推动探头延伸。", [("推动探头延伸。", False)], False)]),
    ("newline-between-han-dropped-latin-kept",
     "<p>组建网格员\n队伍，推广APP\nsoftware 终端</p>",
     [("paragraph", "组建网格员队伍，推广APP software 终端", [("组建网格员队伍，推广APP software 终端", False)], None)]),
    ("strong-b-and-font-weight",
     '<p><strong>眉县</strong>健全<b>网格</b><span style="font-weight:bold">体系</span>。</p>',
     [("paragraph", "眉县健全网格体系。",
       [("眉县", True), ("健全", False), ("网格体系", True), ("。", False)], None)]),
    ("normal-weight-inside-bold-paragraph",
     '<p style="font-weight: 700">突出目标。<span style="font-weight:normal">具体措施</span></p>',
     [("paragraph", "突出目标。具体措施", [("突出目标。", True), ("具体措施", False)], None)]),
    ("headings-with-levels",
     "<h1>简报</h1><h3>一、总体情况</h3>",
     [("heading", "简报", [("简报", False)], None), ("heading", "一、总体情况", [("一、总体情况", False)], None)]),
    ("chrome-and-code-skipped",
     "<nav>首页</nav><header>网站</header><script>var a='x'</script><style>p{}</style><p>正文</p><footer>版权</footer>",
     [("paragraph", "正文", [("正文", False)], None)]),
    ("header-inside-article-kept",
     "<header>网站</header><article><header><h1>简报</h1></header><p>正文</p></article>",
     [("heading", "简报", [("简报", False)], None), ("paragraph", "正文", [("正文", False)], None)]),
    ("typed-indent-with-nbsp",
     "<p>&nbsp;&nbsp;&nbsp;&nbsp;各县区高度重视。</p>",
     [("paragraph", "各县区高度重视。", [("各县区高度重视。", False)], True)]),
    ("unclosed-head",
     "<html><head><title>标题</title><body><p>正文</p>",
     [("paragraph", "正文", [("正文", False)], None)]),
    ("table-with-colspan",
     "<table><tr><td colspan=2>合并</td><td>右</td></tr><tr><td>甲</td><td>乙</td><td>丙</td></tr></table>",
     [("table_cell", "合并", [("合并", False)], None), ("table_cell", "右", [("右", False)], None),
      ("table_cell", "甲", [("甲", False)], None), ("table_cell", "乙", [("乙", False)], None),
      ("table_cell", "丙", [("丙", False)], None)]),
    ("hr-is-a-rule",
     "<p>正文</p><hr><p>呈：某某</p>",
     [("paragraph", "正文", [("正文", False)], None), ("rule", "", [("", False)], None),
      ("paragraph", "呈：某某", [("呈：某某", False)], None)]),
]
# fmt: on


@pytest.mark.parametrize("name, markup, expected", MARKUP_CASES, ids=[case[0] for case in MARKUP_CASES])
def test_read_html_markup(name: str, markup: str, expected: list) -> None:
    assert _blocks(markup) == expected


def test_read_html_table_cell_positions() -> None:
    blocks, _ = read_html("<table><tr><td colspan=2>合并</td><td>右</td></tr><tr><th>甲</th></tr></table>".encode())
    assert [b.table for b in blocks] == [
        {"table": 0, "row": 0, "col": 0},
        {"table": 0, "row": 0, "col": 2},
        {"table": 0, "row": 1, "col": 0},
    ]


TEXT = "宝鸡市社区建设"
# fmt: off
ENCODINGS = [
    # (name, bytes) — each must decode to a page containing TEXT
    ("utf-8-bom", b"\xef\xbb\xbf<p>" + TEXT.encode() + b"</p>"),
    ("utf-16-bom", "\ufeff<p>宝鸡市社区建设</p>".encode("utf-16-le")),
    ("meta-charset-gbk", b'<meta charset="gbk"><p>' + TEXT.encode("gbk") + b"</p>"),
    ("http-equiv-gb2312", b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>' + TEXT.encode("gbk") + b"</p>"),
    ("gb2312-declared-gb18030-only-char", b'<meta charset="gb2312"><p>' + (TEXT + "㙓").encode("gb18030") + b"</p>"),
    ("stale-gbk-declaration-on-utf8", b'<meta charset="gbk"><p>' + TEXT.encode() + b"</p>"),
    ("undeclared-utf8", b"<p>" + TEXT.encode() + b"</p>"),
    ("undeclared-gbk", b"<p>" + TEXT.encode("gbk") + b"</p>"),
    ("unknown-charset-name", b'<meta charset="x-unknown"><p>' + TEXT.encode() + b"</p>"),
    ("wrong-latin1-declaration-on-gbk", b'<meta charset="iso-8859-1"><p>' + TEXT.encode("gbk") + b"</p>"),
]
# fmt: on


@pytest.mark.parametrize("name, data", ENCODINGS, ids=[case[0] for case in ENCODINGS])
def test_decode_html_encodings(name: str, data: bytes) -> None:
    assert TEXT in decode_html(data)


def test_read_bytes_flags_html_without_text() -> None:
    document = read_bytes(b"<html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav><script>x()</script></body></html>", "chrome.html")
    assert document.status == "empty" and document.error
