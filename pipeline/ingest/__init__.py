"""Ingest: any supported file to a ``Document``; a file that cannot be read gets a status."""

from __future__ import annotations

from pathlib import Path

from pipeline import limits as run_limits
from pipeline.ingest.assemble import assemble, sha256_of
from pipeline.ingest.sniff import sniff_format
from pipeline.limits import Limits
from pipeline.model import Document, DocumentError

__all__ = ["read_document", "read_bytes", "sniff_format"]


def _raw_blocks(data: bytes, fmt: str, limits: Limits):
    if fmt in ("markdown", "text"):
        from pipeline.ingest.decode import decode_text
        from pipeline.ingest.text import read_markdown, read_plain_text

        if len(data) > 4 * limits.max_chars:  # no encoding takes more than 4 bytes a character
            least = -(-len(data) // 4)
            raise limits.refuse("max_chars", f"the text has at least {least} characters")
        if len(data) > limits.max_chars and b"\x00" not in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:  # UTF-8 (the usual case) counted at C speed, before decode_text looks at every character
                _check_chars(len(data.decode("utf-8")) - data.startswith(b"\xef\xbb\xbf"), limits)
            except UnicodeDecodeError:
                pass
        text = decode_text(data)
        _check_chars(len(text), limits)  # before the text is parsed into blocks
        return read_markdown(text) if fmt == "markdown" else read_plain_text(text)
    if fmt == "html":
        from pipeline.ingest.html import read_html

        return read_html(data)
    if fmt == "pdf":
        from pipeline.ingest.pdf import read_pdf

        return read_pdf(data, max_pages=limits.max_pages)
    if fmt == "docx":
        from pipeline.ingest.docx import read_docx

        return read_docx(data, limits)
    raise DocumentError("unsupported", f"unsupported file format ({fmt})")


def _check_chars(count: int, limits: Limits) -> None:
    if count > limits.max_chars:
        raise limits.refuse("max_chars", f"the text has {count} characters")


def read_bytes(data: bytes, source_file: str, limits: Limits | None = None) -> Document:
    """Read one file's bytes; never raises for a bad file, the status says what went wrong.
    ``limits`` default to those of the run (``pipeline.limits.current``)."""
    limits = limits or run_limits.current()
    digest = sha256_of(data)
    fmt = "unknown"
    try:
        if len(data) > limits.max_file_bytes:
            raise limits.refuse("max_file_bytes", f"the file has {len(data)} bytes")
        fmt = sniff_format(data, source_file, limits)
        raw_blocks, pages = _raw_blocks(data, fmt, limits)
        document = assemble(raw_blocks, source_file=source_file, fmt=fmt, sha256=digest, pages=pages)
        _check_chars(len(document.text), limits)
    except DocumentError as error:
        return Document(source_file=source_file, format=fmt, sha256=digest, status=error.status, error=error.message)
    except Exception as error:  # a reader's bug on one file must not cost the rest of the batch
        return Document(source_file=source_file, format=fmt, sha256=digest, status="error", error=f"the {fmt} reader failed: {type(error).__name__}: {error}")
    if not document.text.strip():
        document.status = "empty"
        document.error = "the file holds no text"
    return document


def read_document(path: str | Path, limits: Limits | None = None) -> Document:
    """Read one file (a regular file only, never more than the byte limit of it)."""
    from pipeline.ingest.files import read_limited

    path = Path(path)
    limits = limits or run_limits.current()
    try:
        data = read_limited(path, limits)
    except DocumentError as error:
        return Document(source_file=str(path), format="unknown", sha256="", status=error.status, error=error.message)
    except OSError as error:
        return Document(source_file=str(path), format="unknown", sha256="", status="error", error=f"cannot read the file: {error.strerror}")
    return read_bytes(data, str(path), limits)
