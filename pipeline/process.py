"""One document from file to rows: the per-document function every engine runs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from pipeline.dataset.rows import document_row, metric_rows, section_rows
from pipeline.ingest import read_bytes
from pipeline.model import Document
from pipeline.structure.layout import Layout, build_layout


@dataclass
class Processed:
    document: Document
    layout: Layout | None = None
    doc: object | None = None
    metrics: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    row: dict = field(default_factory=dict)


def process_bytes(data: bytes, source_file: str, nlp: Language, region: str = "") -> Processed:
    started = time.perf_counter()
    document = read_bytes(data, source_file)
    result = Processed(document)
    if document.status == "ok":
        try:
            rules = nlp.get_pipe("bulletin_quantities").rules
            layout = build_layout(document, rules, region)
            doc = nlp.make_doc(document.text)
            doc._.layout = layout
            for _, component in nlp.pipeline:
                doc = component(doc)
            result.layout, result.doc = layout, doc
            result.metrics = metric_rows(document, layout, doc._.figures)
            result.sections = section_rows(document, layout)
        except Exception as error:  # a bug on one document must not cost the batch
            document.status = "error"
            document.error = f"internal error while extracting: {type(error).__name__}: {error}"
            result.metrics, result.sections = [], []
    result.row = document_row(document, result.layout, len(result.metrics), time.perf_counter() - started)
    return result


def process_file(path: str | Path, nlp: Language, region: str = "", display_name: str | None = None) -> Processed:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        document = Document(source_file=display_name or str(path), format="unknown", sha256="", status="error", error=f"cannot read the file: {error.strerror}")
        return Processed(document, row=document_row(document, None, 0, 0.0))
    return process_bytes(data, display_name or str(path), nlp, region)
