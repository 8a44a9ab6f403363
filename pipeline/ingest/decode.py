"""Bytes of a text file to ``str``: UTF-8 (with or without BOM), UTF-16, GBK/GB18030."""

from __future__ import annotations

from pipeline.model import DocumentError

_BOMS = [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: one byte of each pair is mostly zero for ASCII-heavy text, and
    for CJK text the decode succeeds with mostly CJK characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_zero = data[0::2].count(0) / (len(data) / 2)
    odd_zero = data[1::2].count(0) / (len(data) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return bad / len(text) < 0.01


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes; raise ``DocumentError('error', …)`` when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    utf16 = _looks_utf16(data)
    candidates = ([utf16] if utf16 else []) + ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text
    raise DocumentError(
        "error",
        "not a text file in any supported encoding (UTF-8, UTF-16, GBK/GB18030): "
        "the bytes look binary or garbled",
    )
