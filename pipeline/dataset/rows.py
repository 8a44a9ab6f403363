"""Rows of the three tables, in the column order of the contract (DESIGN.md)."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import regex

from pipeline.model import Document
from pipeline.normalize.quantities import format_decimal
from pipeline.structure.layout import Layout

if TYPE_CHECKING:
    from pipeline.process import Part

METRIC_COLUMNS = [
    "figure_id", "doc_id", "source_file", "issue_part", "issue_no", "issue_date", "issuer", "section", "section_title",
    "county", "county_code", "county_basis", "town", "actor", "measure", "value", "unit", "qualifier", "value_max",
    "value_text", "evidence", "page", "char_start", "char_end",
]
DOCUMENT_COLUMNS = [
    "doc_id", "source_file", "format", "sha256", "status", "error", "pages", "figures", "seconds",
    "issue_part", "issue_no", "issue_date", "issuer", "series", "title", "region", "region_basis", "submitted_to", "sent_to", "distributed_to", "text",
]
SECTION_COLUMNS = ["doc_id", "section_no", "section", "section_title", "level", "char_start", "char_end", "page"]
# What a file of several issues gives each issue's documents-table row on its own (the rest is the file's).
PART_COLUMNS = ["issue_part", "pages", "seconds", "issue_no", "issue_date", "issuer", "series", "title", "region", "region_basis",
                "submitted_to", "sent_to", "distributed_to"]

# Evidence is the sentence around a figure, cut to about this many characters around the value
# (with … where cut): a text of 10,000 figures in one sentence must not repeat the sentence in
# every row. The whole sentence stays in document_texts at char_start/char_end.
EVIDENCE_CHARS = 160
ELLIPSIS = "…"
# Headings and measures are repeated in every row of their figures: cut the same way.
LABEL_CHARS = 160
_HEADER_CHARS = 60  # each header of a table cell's evidence (row | column: value)
_CLAUSE_MARK = regex.compile(r"[，,；;：:、]")
_ISO_DATE = regex.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def figure_id(document: Document, start: int, end: int, copy: str = "") -> str:
    """Stable: the same content and span give the same id on every run and machine; the rows of
    one figure shared by several places (乾县、礼泉县均…) differ by ``copy`` (the place)."""
    key = f"{document.sha256}:{start}:{end}" + (f":{copy}" if copy else "")
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def bounded(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with … where cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def evidence_window(text: str, start: int, end: int, value_start: int, value_end: int, limit: int = EVIDENCE_CHARS) -> str:
    """The sentence ``text[start:end]`` (stripped) when it is at most ``limit`` characters long;
    else about ``limit`` characters of it around the value ``[value_start, value_end)``, cut at
    clause marks where that keeps at least half of it, with … where cut."""
    sentence = text[start:end]
    start += len(sentence) - len(sentence.lstrip())
    end -= len(sentence) - len(sentence.rstrip())
    if end - start <= limit:
        return text[start:end]
    value_start, value_end = max(start, min(value_start, end)), max(start, min(value_end, end))
    if value_end - value_start >= limit - 2:
        left, right = value_start, value_start + limit - 2
    else:
        room = limit - 2 - (value_end - value_start)
        left = max(start, value_start - room // 2)
        right = min(end, left + limit - 2)
        left = max(start, right - (limit - 2))
        # Cut at clause marks inside the window (after the first one left of the value, after
        # the last one right of it), where that keeps at least half of it.
        first_mark = _CLAUSE_MARK.search(text, left, value_start) if left > start else None
        if first_mark and right - first_mark.end() >= (limit - 2) // 2:
            left = first_mark.end()
        if right < end:
            last_mark = max((m.end() for m in _CLAUSE_MARK.finditer(text, value_end, right)), default=0)
            if last_mark - left >= (limit - 2) // 2:
                right = last_mark
    window = text[left:right].strip()
    return (ELLIPSIS if left > start else "") + window + (ELLIPSIS if right < end else "")


def issue_number(text: str) -> str:
    """The masthead's issue number when it is a whole number (the issue_no column is an
    integer), else empty."""
    return text if text.isascii() and text.isdigit() else ""


def issue_date(text: str) -> str:
    """The masthead's ISO date when the calendar has it (a masthead may print 2月30日), else empty."""
    if not _ISO_DATE.fullmatch(text):
        return ""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return ""
    return text


def page_finder(document: Document) -> Callable[[int], int]:
    """``Document.page_at`` by bisection over the blocks (one lookup per figure must not scan
    every block of a 2,000-page PDF); the same answers."""
    blocks = document.blocks
    starts = [b.start for b in blocks]
    if any(a.end > b.start for a, b in zip(blocks, blocks[1:])) or any(a > b for a, b in zip(starts, starts[1:])):
        return document.page_at

    def page_at(offset: int) -> int:
        at = bisect.bisect_right(starts, offset) - 1
        while at > 0 and blocks[at - 1].end >= offset:
            at -= 1
        if at >= 0 and offset <= blocks[at].end:
            return blocks[at].page_at(offset)
        return blocks[-1].page if blocks else 1

    return page_at


def metric_rows(document: Document, layout: Layout, figures: list, *, offset: int = 0, issue_part: int = 1,
                page_at: Callable[[int], int] | None = None) -> list[dict]:
    """The rows of ``figures`` read from the part of ``document`` that starts at ``offset`` (the
    whole document for a file of one issue) with ``layout``; offsets and ids are the file's."""
    meta = layout.metadata
    page_at = page_at or page_finder(document)
    text = document.text
    rows = []
    for figure in figures:
        quantity = figure.quantity
        start, end = quantity.start + offset, quantity.end + offset
        if figure.evidence:
            evidence = _table_evidence(figure.evidence)
        else:
            evidence = evidence_window(text, figure.evidence_start + offset, figure.evidence_end + offset, start, end)
        rows.append({
            "figure_id": figure_id(document, start, end, figure.copy),
            "doc_id": document.doc_id,
            "source_file": document.source_file,
            "issue_part": issue_part,
            "issue_no": issue_number(meta.issue_no),
            "issue_date": issue_date(meta.issue_date),
            "issuer": meta.issuer,
            "section": figure.section,
            "section_title": bounded(figure.section_title),
            "county": figure.county,
            "county_code": figure.county_code,
            "county_basis": figure.county_basis,
            "town": figure.town,
            "actor": figure.actor,
            "measure": bounded(figure.measure),
            "value": format_decimal(quantity.value),
            "unit": quantity.unit,
            "qualifier": quantity.qualifier,
            "value_max": format_decimal(quantity.value_max),
            "value_text": quantity.value_text,
            "evidence": evidence,
            "page": page_at(quantity.number_start + offset),
            "char_start": start,
            "char_end": end,
        })
    return rows


def _table_evidence(evidence: str) -> str:
    """A table cell's ``row header | column header: value``, each header cut to a line."""
    if len(evidence) <= EVIDENCE_CHARS:
        return evidence
    headers, _, value = evidence.rpartition(": ")
    row, _, column = headers.partition(" | ")
    return bounded(f"{bounded(row, _HEADER_CHARS)} | {bounded(column, _HEADER_CHARS)}: {value}", EVIDENCE_CHARS)


def section_rows(document: Document, layout: Layout, *, offset: int = 0, first_number: int = 0,
                 page_at: Callable[[int], int] | None = None) -> list[dict]:
    page_at = page_at or page_finder(document)
    return [
        {"doc_id": document.doc_id, "section_no": s.index + first_number, "section": s.label, "section_title": s.title, "level": s.level,
         "char_start": s.start + offset, "char_end": s.end + offset, "page": page_at(s.start + offset)}
        for s in layout.sections
    ]


def _part_fields(layout: Layout | None) -> dict:
    meta = layout.metadata if layout else None
    distribution = meta.distribution if meta else {}
    return {
        "issue_no": issue_number(meta.issue_no) if meta else "",
        "issue_date": issue_date(meta.issue_date) if meta else "",
        "issuer": meta.issuer if meta else "",
        "series": meta.series if meta else "",
        "title": meta.title if meta else "",
        "region": layout.region if layout else "",
        "region_basis": layout.region_basis if layout else "",
        "submitted_to": "；".join(distribution.get("呈", []) + distribution.get("报", []) + distribution.get("抄报", [])),
        "sent_to": "；".join(distribution.get("送", []) + distribution.get("抄送", []) + distribution.get("分送", [])),
        "distributed_to": "；".join(distribution.get("发", []) + distribution.get("印发", [])),
    }


def document_row(document: Document, layout: Layout | None, figures: int, seconds: float, parts: list[Part] | None = None) -> dict:
    """The file's documents-table row (with its ``text`` for document_texts). A file holding
    several issues (``parts``) carries one entry per issue in ``issue_parts``; ``document_rows``
    makes them rows of their own."""
    row = {
        "doc_id": document.doc_id,
        "source_file": document.source_file,
        "format": document.format,
        "sha256": document.sha256,
        "status": document.status,
        "error": document.error,
        "pages": document.pages,
        "figures": figures,
        "seconds": round(seconds, 3),
        "issue_part": 1,
        **_part_fields(layout),
        "text": document.text,
    }
    if parts and len(parts) > 1:
        row["issue_parts"] = [{"issue_part": part.number, "pages": part.document.pages, "seconds": round(part.seconds, 3), **_part_fields(part.layout)}
                              for part in parts]
    return row


def document_rows(row: dict, metrics: list[dict]) -> list[dict]:
    """The documents-table rows of one file's row (without ``text``): one, or one per issue of a
    file holding several, each with its own metadata and the number of its figures in ``metrics``."""
    base = {k: v for k, v in row.items() if k not in ("text", "issue_parts")}
    parts = row.get("issue_parts")
    if not parts:
        return [base]
    counts = Counter(metric.get("issue_part", 1) for metric in metrics)
    return [{**base, **part, "figures": counts.get(part["issue_part"], 0)} for part in parts]


def documents_table(documents: list[dict], metrics: list[dict]) -> list[dict]:
    """The documents table from the files' rows: one row per file and issue (``document_rows``)."""
    by_file: dict[str, list[dict]] = {}
    for metric in metrics:
        by_file.setdefault(metric["source_file"], []).append(metric)
    return [row for document in documents for row in document_rows(document, by_file.get(document["source_file"], []))]
