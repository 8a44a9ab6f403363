"""The masthead and the back matter: issue number, series, issuer, date, title, distribution."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.model import Document
from pipeline.normalize.numerals import NumeralError, parse_number

_ISSUE = regex.compile(r"(总\s*)?第\s*([0-9〇零一二三四五六七八九十百]+)\s*期")
_DATE = regex.compile(r"([0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_SERIES = regex.compile(r"^[（(](.{2,30})[）)]$")
_ISSUER_END = regex.compile(r"(办公室|办|委员会|委|组织部|宣传部|部|局|厅|政府|中心|领导小组|指挥部|专班|工作组|协会|联合会|总工会|团委|妇联)$")
_DISTRIBUTION = regex.compile(r"^(呈|报|送|发|抄送|抄报|分送|印发)\s*[:：]\s*(.*)$")
_LIST_SPLIT = regex.compile(r"[、，,；;]")
_HEADER_LINE_MAX = 40
_MASTHEAD_BLOCKS = 12
_PUBLICATION = regex.compile(r"(简报|信息|动态|通报|专报|快报|要情|情况|工作|专刊|参阅|摘报)$")
_SENTENCE = regex.compile(r"[，。；！？,;]")


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


def _numeral(text: str) -> str:
    try:
        return str(int(parse_number(text)))
    except (NumeralError, ValueError):
        return text


def _iso_date(match: regex.Match) -> str:
    year, month, day = (_numeral(part) for part in match.groups())
    try:
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    except ValueError:
        return ""


def _masthead_end(document: Document) -> int:
    """Index of the first body block. The masthead runs to the title heading when one comes
    early; otherwise to the first block that reads like prose."""
    for index, block in enumerate(document.blocks[:_MASTHEAD_BLOCKS]):
        if block.kind == "heading":
            return index
    for index, block in enumerate(document.blocks):
        line = document.block_text(block).strip()
        if block.kind == "paragraph" and (len(line) > _HEADER_LINE_MAX or _SENTENCE.search(line)):
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
    date = _DATE.search(rest)
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
        elif _PUBLICATION.search(part) and not meta.publication:
            meta.publication = part
            known = True
    return known or not rest

def read_metadata(document: Document) -> Metadata:
    meta = Metadata(body_end=len(document.text))
    text = document.text
    blocks = document.blocks
    body_index = _masthead_end(document)
    untitled = ""
    for block in blocks[:body_index]:
        if block.kind in ("paragraph", "heading"):
            line = text[block.start : block.end].strip()
            if not _read_masthead_line(meta, regex.sub(r"(?<=\p{Han}) (?=\p{Han})", "", line)) and (meta.issue_no or meta.issue_date):
                # A plain-text title: a short line below the masthead that is none of its parts.
                untitled = line
    meta.title = untitled
    if body_index < len(blocks) and blocks[body_index].kind == "heading":
        meta.title = text[blocks[body_index].start : blocks[body_index].end].strip()
        body_index += 1
    elif body_index < len(blocks):
        line = text[blocks[body_index].start : blocks[body_index].end].strip()
        if len(line) <= _HEADER_LINE_MAX and not _SENTENCE.search(line) and (meta.issue_no or meta.issue_date):
            # A plain-text title: a short line without punctuation below the masthead.
            meta.title = line
            body_index += 1
    meta.issue_no = meta.issue_no or meta.issue_no_total
    meta.series = meta.series or meta.publication
    meta.body_start = blocks[body_index].start if body_index < len(blocks) else len(text)
    # Back matter: the distribution lines and the rule above them.
    for block in blocks[body_index:]:
        line = text[block.start : block.end].strip()
        match = _DISTRIBUTION.match(line)
        if match:
            meta.body_end = min(meta.body_end, block.start)
            names = [name.strip() for name in _LIST_SPLIT.split(match.group(2)) if name.strip()]
            meta.distribution.setdefault(match.group(1), []).extend(names)
    for block in reversed(blocks[body_index:]):
        if block.start >= meta.body_end or block.kind == "rule":
            if block.kind == "rule" and block.start <= meta.body_end:
                meta.body_end = block.start
            continue
        break
    return meta
