"""Rows of the three tables, in the column order of the contract (DESIGN.md)."""

from __future__ import annotations

import hashlib

from pipeline.model import Document
from pipeline.normalize.quantities import format_decimal
from pipeline.structure.layout import Layout

METRIC_COLUMNS = [
    "figure_id", "doc_id", "source_file", "issue_no", "issue_date", "issuer", "section", "section_title",
    "county", "county_code", "county_basis", "town", "actor", "measure", "value", "unit", "qualifier", "value_max",
    "value_text", "evidence", "page", "char_start", "char_end",
]
DOCUMENT_COLUMNS = [
    "doc_id", "source_file", "format", "sha256", "status", "error", "pages", "figures", "seconds",
    "issue_no", "issue_date", "issuer", "series", "title", "region", "region_basis", "submitted_to", "sent_to", "distributed_to", "text",
]
SECTION_COLUMNS = ["doc_id", "section_no", "section", "section_title", "level", "char_start", "char_end", "page"]


def figure_id(document: Document, start: int, end: int, copy: str = "") -> str:
    """Stable: the same content and span give the same id on every run and machine; the rows of
    one figure shared by several places (乾县、礼泉县均…) differ by ``copy`` (the place)."""
    key = f"{document.sha256}:{start}:{end}" + (f":{copy}" if copy else "")
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def metric_rows(document: Document, layout: Layout, figures: list) -> list[dict]:
    meta = layout.metadata
    rows = []
    for figure in figures:
        quantity = figure.quantity
        rows.append({
            "figure_id": figure_id(document, quantity.start, quantity.end, figure.copy),
            "doc_id": document.doc_id,
            "source_file": document.source_file,
            "issue_no": meta.issue_no,
            "issue_date": meta.issue_date,
            "issuer": meta.issuer,
            "section": figure.section,
            "section_title": figure.section_title,
            "county": figure.county,
            "county_code": figure.county_code,
            "county_basis": figure.county_basis,
            "town": figure.town,
            "actor": figure.actor,
            "measure": figure.measure,
            "value": format_decimal(quantity.value),
            "unit": quantity.unit,
            "qualifier": quantity.qualifier,
            "value_max": format_decimal(quantity.value_max),
            "value_text": quantity.value_text,
            "evidence": figure.evidence or document.text[figure.evidence_start : figure.evidence_end].strip(),
            "page": document.page_at(quantity.number_start),
            "char_start": quantity.start,
            "char_end": quantity.end,
        })
    return rows


def section_rows(document: Document, layout: Layout) -> list[dict]:
    return [
        {"doc_id": document.doc_id, "section_no": s.index, "section": s.label, "section_title": s.title, "level": s.level,
         "char_start": s.start, "char_end": s.end, "page": document.page_at(s.start)}
        for s in layout.sections
    ]


def document_row(document: Document, layout: Layout | None, figures: int, seconds: float) -> dict:
    meta = layout.metadata if layout else None
    distribution = meta.distribution if meta else {}
    return {
        "doc_id": document.doc_id,
        "source_file": document.source_file,
        "format": document.format,
        "sha256": document.sha256,
        "status": document.status,
        "error": document.error,
        "pages": document.pages,
        "figures": figures,
        "seconds": round(seconds, 3),
        "issue_no": meta.issue_no if meta else "",
        "issue_date": meta.issue_date if meta else "",
        "issuer": meta.issuer if meta else "",
        "series": meta.series if meta else "",
        "title": meta.title if meta else "",
        "region": layout.region if layout else "",
        "region_basis": layout.region_basis if layout else "",
        "submitted_to": "；".join(distribution.get("呈", []) + distribution.get("报", []) + distribution.get("抄报", [])),
        "sent_to": "；".join(distribution.get("送", []) + distribution.get("抄送", []) + distribution.get("分送", [])),
        "distributed_to": "；".join(distribution.get("发", []) + distribution.get("印发", [])),
        "text": document.text,
    }
