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
_SENTENCE = regex.compile(r"[，。；！？,;]")


@dataclass
class Metadata:
    issue_no: str = ""
    issue_no_total: str = ""
    series: str = ""
    issuer: str = ""
    issue_date: str = ""
    title: str = ""
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


def read_metadata(document: Document) -> Metadata:
    meta = Metadata(body_end=len(document.text))
    text = document.text
    blocks = document.blocks
    body_index = 0
    for index, block in enumerate(blocks):
        line = text[block.start : block.end].strip()
        body_index = index
        if block.kind == "heading":
            meta.title = meta.title or line
            body_index = index + 1
            break
        if block.kind == "rule":
            continue
        issue = _ISSUE.search(line)
        date = _DATE.search(line)
        series = _SERIES.match(line)
        compact = line.replace(" ", "")
        masthead = len(line) <= _HEADER_LINE_MAX and (issue or date or series or (_ISSUER_END.search(compact) and not _SENTENCE.search(line)))
        if not masthead:
            if not meta.title and len(line) <= _HEADER_LINE_MAX and not _SENTENCE.search(line) and (meta.issue_no or meta.issue_date):
                # A plain-text title: a short line without punctuation below the masthead.
                meta.title = line
                body_index = index + 1
            break
        if issue and not meta.issue_no:
            target = "issue_no_total" if issue.group(1) else "issue_no"
            setattr(meta, target, _numeral(issue.group(2)))
            meta.issue_no = meta.issue_no or meta.issue_no_total
        if date and not meta.issue_date:
            meta.issue_date = _iso_date(date)
        if series and not meta.series:
            meta.series = series.group(1)
        if not issue and not date and not series and not meta.issuer:
            meta.issuer = compact
        body_index = index + 1
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
