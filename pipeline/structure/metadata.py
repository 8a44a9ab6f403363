"""The masthead and the back matter: issue number, series, issuer, date, title, distribution.

Two kinds of top matter are read. A bulletin's masthead (第14期, the issuing office, the date)
with its title below it; and what a web page puts above an article: its title first (one or
two short lines without sentence punctuation), then datelines and the page's metadata table
(索引号, 发布机构, 发布日期 … as ``label: value`` lines or pipe-separated rows) and chrome
(无障碍浏览, 您现在所在的位置 …). The label words are data (``rules/page_furniture.tsv``): a
``发布机构``/``来源`` naming an office gives ``issuer`` when there is none, a ``发布日期`` the
``issue_date``. Everything above the first prose line is top matter, never body, so numbers in
it are no figures. After the body, a line of page furniture such as 相关新闻 or 责任编辑 ends
the body: what follows is other pages' content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.model import Document
from pipeline.normalize.numerals import NumeralError, parse_number
from pipeline.structure.lines import balanced, is_numbered
from pipeline.structure.structure_rules import StructureRules, default_structure_rules

_ISSUE = regex.compile(r"(总\s*)?第\s*([0-9〇零一二三四五六七八九十百]+)\s*期")
_DATE = regex.compile(r"([0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
# 2020-12-24 and 2020/12/24, as web pages write dates.
_ISO_DATE = regex.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_SERIES = regex.compile(r"^[（(](.{2,30})[）)]$")
_ISSUER_END = regex.compile(r"(办公室|办|委员会|委|组织部|宣传部|部|局|厅|政府|中心|领导小组|指挥部|专班|工作组|协会|联合会|总工会|团委|妇联)$")
_TRAILING_BRACKETS = regex.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_DISTRIBUTION = regex.compile(r"^(呈|报|送|发|抄送|抄报|分送|印发)\s*[:：]\s*(.*)$")
_LIST_SPLIT = regex.compile(r"[、，,；;]")
_HEADER_LINE_MAX = 40
_REPORT_SENTENCE_MIN = 15
_MASTHEAD_BLOCKS = 12
_PUBLICATION = regex.compile(r"(简报|信息|动态|通报|专报|快报|要情|情况|工作|专刊|参阅|摘报)$")
# A publication's name is short (文旅工作动态); a longer line ending in 情况 is a title.
_PUBLICATION_MAX = 12
_SENTENCE = regex.compile(r"[，。；！？,;!?]")
# A title: no sentence-final punctuation, not ending as a clause or a salutation does.
_TITLE_MAX = 50
_NOT_IN_TITLE = regex.compile(r"[。；！？;!?]|[，,、：:]\s*$")
_HAN_SPACE = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")


@dataclass
class Metadata:
    issue_no: str = ""
    issue_no_total: str = ""
    series: str = ""
    issuer: str = ""
    issue_date: str = ""
    title: str = ""
    publication: str = ""
    distribution: dict[str, list[str]] = field(default_factory=dict)
    body_start: int = 0
    body_end: int = 0
    title_start: int = -1  # where the title is written in the text; -1 when there is none


def _numeral(text: str) -> str:
    try:
        return str(int(parse_number(text)))
    except (NumeralError, ValueError):
        return text


def _iso_date(match: regex.Match) -> str:
    year, month, day = (_numeral(part) for part in match.groups())
    try:
        year, month, day = int(year), int(month), int(day)
    except ValueError:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def _find_date(text: str) -> regex.Match | None:
    return _DATE.search(text) or _ISO_DATE.search(text)


def is_title_like(line: str) -> bool:
    """A short line that may be a title: no sentence punctuation, brackets closed, not a
    clause or a salutation (各位代表：)."""
    line = line.strip()
    return 2 <= len(line) <= _TITLE_MAX and not _NOT_IN_TITLE.search(line) and balanced(line) and bool(regex.search(r"\p{Han}{2}", line))


def _is_prose(line: str) -> bool:
    return len(line) > _HEADER_LINE_MAX or bool(_SENTENCE.search(line))


def _is_report_prose(line: str) -> bool:
    """A sentence of a report (ends in 。 and says something): back matter — distribution lists,
    print runs (共印50份), contacts — does not read so."""
    return len(line) >= _REPORT_SENTENCE_MIN and "。" in line


def _masthead_end(document: Document, rules: StructureRules) -> int:
    """Index of the first body block. The masthead runs to the title heading when one comes
    early; otherwise to the first block that reads like prose (page furniture does not, however
    long) or opens with a heading number."""
    for index, block in enumerate(document.blocks[:_MASTHEAD_BLOCKS]):
        if block.kind == "heading":
            return index
    for index, block in enumerate(document.blocks):
        line = document.block_text(block).strip()
        if block.kind != "paragraph" or rules.line_role(line):
            continue
        if _is_prose(line) or is_numbered(line):
            return index
    return len(document.blocks)


def _read_masthead_line(meta: Metadata, line: str) -> bool:
    """One masthead line: any of issue number, date, series, issuer, publication name. A line
    may hold several (桂林市…办公室　　2024年8月26日). False when it is none of them."""
    rest = line
    known = False
    for issue in _ISSUE.finditer(line):
        target = "issue_no_total" if issue.group(1) else "issue_no"
        if not getattr(meta, target):
            setattr(meta, target, _numeral(issue.group(2)))
        rest = rest.replace(issue.group(0), " ")
        known = True
    date = _find_date(rest)
    if date:
        meta.issue_date = meta.issue_date or _iso_date(date)
        rest = rest.replace(date.group(0), " ")
        known = True
    rest = regex.sub(r"[0-9]{4}\s*年|\s+", " ", rest).strip()
    series = _SERIES.match(rest)
    if series:
        meta.series = meta.series or series.group(1)
        return True
    for part in rest.split(" "):
        if _ISSUER_END.search(part) and not meta.issuer:
            meta.issuer = part
            known = True
        elif _PUBLICATION.search(part) and len(part) <= _PUBLICATION_MAX and not meta.publication:
            meta.publication = part
            known = True
    return known or not rest


def _is_office(name: str) -> bool:
    """宣城市人民政府(办公室), 苍溪县政府: an office's name, not a newspaper's."""
    return bool(_ISSUER_END.search(_TRAILING_BRACKETS.sub("", name)))


class _TopMatter:
    """What the lines above the body say, gathered before deciding on issuer, date and title."""

    def __init__(self) -> None:
        self.label_issuer = ""
        self.label_date = ""
        self.label_title = ""
        self.plain: list[tuple[int, str]] = []  # (block index, line): lines that are no masthead part
        self.title_block = -1

    def read_labels(self, rules: StructureRules, line: str) -> None:
        for label in rules.labels(line):
            if label.field == "issuer" and _is_office(label.value):
                self.label_issuer = self.label_issuer or label.value
            elif label.field == "date" and (date := _find_date(label.value)):
                self.label_date = self.label_date or _iso_date(date)
            elif label.field == "title" and label.value:
                self.label_title = self.label_title or label.value

    def first_title(self, rules: StructureRules) -> str:
        """The first run of title-like lines (a title may take two), or the page's 名称."""
        run: list[tuple[int, str]] = []
        for index, line in self.plain:
            if is_title_like(line) and not rules.is_byline(line) and (not run or index == run[-1][0] + 1) and len(run) < 2:
                run.append((index, line))
            elif run:
                break
        self.title_block = run[0][0] if run else -1
        return " ".join(line for _, line in run) or self.label_title


def _skip_top_lines(meta: Metadata, top: _TopMatter, rules: StructureRules, document: Document, index: int) -> int:
    """Past the page furniture and dateline lines right under a title heading (发布时间：…
    来源：…): they are top matter too. Stops at prose, a numbered line or any other line."""
    blocks = document.blocks
    while index < len(blocks) and blocks[index].kind == "paragraph":
        written = document.block_text(blocks[index]).strip()
        role = rules.line_role(written)
        if role == "label":
            top.read_labels(rules, written)
        elif role != "chrome" and (_is_prose(written) or is_numbered(written) or not _read_masthead_line(meta, _HAN_SPACE.sub("", written))):
            break
        index += 1
    return index


def read_metadata(document: Document, rules: StructureRules | None = None) -> Metadata:
    rules = rules or default_structure_rules()
    meta = Metadata(body_end=len(document.text))
    text = document.text
    blocks = document.blocks
    body_index = _masthead_end(document, rules)
    top = _TopMatter()
    untitled, untitled_index = "", -1
    for index, block in enumerate(blocks[:body_index]):
        if block.kind not in ("paragraph", "heading"):
            continue
        written = text[block.start : block.end].strip()
        line = _HAN_SPACE.sub("", written)
        role = rules.line_role(written)  # label words match across spaces, values keep theirs
        if role == "label":
            top.read_labels(rules, written)
        elif not role and not _read_masthead_line(meta, line):
            top.plain.append((index, written))
            if meta.issue_no or meta.issue_date:
                # A plain-text title: a short line below the masthead that is none of its parts.
                untitled, untitled_index = written, index
    title_index = -1
    if meta.issue_no:
        meta.title, title_index = untitled, untitled_index
    if body_index < len(blocks) and blocks[body_index].kind == "heading":
        meta.title, title_index = text[blocks[body_index].start : blocks[body_index].end].strip(), body_index
        body_index = _skip_top_lines(meta, top, rules, document, body_index + 1)
    elif body_index < len(blocks) and meta.issue_no:
        line = text[blocks[body_index].start : blocks[body_index].end].strip()
        if len(line) <= _HEADER_LINE_MAX and not _SENTENCE.search(line):
            # A plain-text title: a short line without punctuation below the masthead.
            meta.title, title_index = line, body_index
            body_index += 1
    if not meta.title:
        # No bulletin masthead: a web page's or a news text's title stands first.
        meta.title = top.first_title(rules)
        title_index = top.title_block
    if title_index >= 0:
        block = blocks[title_index]
        meta.title_start = block.start + len(text[block.start : block.end]) - len(text[block.start : block.end].lstrip())
    elif meta.title:
        meta.title_start = text.find(meta.title)  # the page's 名称 label: its value
    meta.issuer = meta.issuer or top.label_issuer
    meta.issue_date = meta.issue_date or top.label_date
    meta.issue_no = meta.issue_no or meta.issue_no_total
    meta.series = meta.series or meta.publication
    meta.body_start = blocks[body_index].start if body_index < len(blocks) else len(text)
    _read_back_matter(document, meta, body_index, rules)
    return meta


def _read_back_matter(document: Document, meta: Metadata, body_index: int, rules: StructureRules) -> None:
    """The distribution lines, the rule above them, and page furniture that ends the article."""
    text = document.text
    blocks = document.blocks
    for block in blocks[body_index:]:
        line = text[block.start : block.end].strip()
        if block.kind == "paragraph" and rules.line_role(line) == "end":
            meta.body_end = min(meta.body_end, block.start)
            break
    # The distribution lines end the body, unless a report's prose follows them (issues pasted
    # one after another without a masthead between): then the body goes on.
    prose_after = False
    for block in reversed(blocks[body_index:]):
        if block.start >= meta.body_end:
            continue
        line = text[block.start : block.end].strip()
        if _DISTRIBUTION.match(line):
            if not prose_after:
                meta.body_end = block.start
        elif block.kind in ("paragraph", "heading") and _is_report_prose(line):
            prose_after = True
    for block in blocks[body_index:]:
        match = _DISTRIBUTION.match(text[block.start : block.end].strip())
        if match:
            names = [name.strip() for name in _LIST_SPLIT.split(match.group(2)) if name.strip()]
            meta.distribution.setdefault(match.group(1), []).extend(names)
    for block in reversed(blocks[body_index:]):
        if block.start >= meta.body_end or block.kind == "rule":
            if block.kind == "rule" and block.start <= meta.body_end:
                meta.body_end = block.start
            continue
        break
