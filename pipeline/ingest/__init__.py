"""Ingest: any supported file to a ``Document``; a file that cannot be read gets a status."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.assemble import assemble, sha256_of
from pipeline.ingest.sniff import sniff_format
from pipeline.model import Document, DocumentError

__all__ = ["read_document", "read_bytes", "sniff_format"]


def _raw_blocks(data: bytes, fmt: str):
    if fmt in ("markdown", "text"):
        from pipeline.ingest.decode import decode_text
        from pipeline.ingest.text import read_markdown, read_plain_text

        text = decode_text(data)
        return read_markdown(text) if fmt == "markdown" else read_plain_text(text)
    if fmt == "html":
        from pipeline.ingest.html import read_html

        return read_html(data)
    if fmt == "pdf":
        from pipeline.ingest.pdf import read_pdf

        return read_pdf(data)
    if fmt == "docx":
        from pipeline.ingest.docx import read_docx

        return read_docx(data)
    raise DocumentError("unsupported", f"unsupported file format ({fmt})")


def read_bytes(data: bytes, source_file: str) -> Document:
    """Read one file's bytes; never raises for a bad file, the status says what went wrong."""
    digest = sha256_of(data)
    fmt = "unknown"
    try:
        fmt = sniff_format(data, source_file)
        raw_blocks, pages = _raw_blocks(data, fmt)
        document = assemble(raw_blocks, source_file=source_file, fmt=fmt, sha256=digest, pages=pages)
    except DocumentError as error:
        return Document(source_file=source_file, format=fmt, sha256=digest, status=error.status, error=error.message)
    except Exception as error:  # a reader's bug on one file must not cost the rest of the batch
        return Document(source_file=source_file, format=fmt, sha256=digest, status="error", error=f"the {fmt} reader failed: {type(error).__name__}: {error}")
    if not document.text.strip():
        document.status = "empty"
        document.error = "the file holds no text"
    return document


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Document(source_file=str(path), format="unknown", sha256="", status="error", error=f"cannot read the file: {error.strerror}")
    return read_bytes(data, str(path))
