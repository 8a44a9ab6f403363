"""Which reader a file needs, by its first bytes rather than by the name it was given."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from pipeline.limits import Limits
from pipeline.model import DocumentError

TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
BULLETIN_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | {".pdf", ".docx", ".doc", ".wps"}


_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"


def zip_members(data: bytes) -> int | None:
    """How many members a ZIP's end-of-central-directory record declares (Zip64 included),
    read from the file's last bytes before ``zipfile`` builds an object for each; None when
    there is no such record (``zipfile`` then says the file is damaged)."""
    at = len(data) - 22  # a ZIP without a comment, as zipfile looks first; else the comment's window
    if at < 0 or data[at : at + 4] != _END_OF_DIRECTORY:
        at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    count = int.from_bytes(data[at + 10 : at + 12], "little")
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR:
        end = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[end : end + 4] == _ZIP64_END:
            count = int.from_bytes(data[end + 32 : end + 40], "little")
    return count


def sniff_format(data: bytes, name: str, limits: Limits | None = None) -> str:
    """Return ``markdown``, ``text``, ``html``, ``pdf`` or ``docx``; raise for what we cannot read.
    A ZIP declaring more members than ``limits.max_docx_members`` is refused (``too_large``)
    before its directory is read."""
    suffix = PurePath(name).suffix.lower()
    head = data[:1024]
    if not data:
        raise DocumentError("empty", "the file is empty (0 bytes)")
    if head.lstrip().startswith(b"%PDF") or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if limits is None:
            from pipeline.limits import current

            limits = current()
        members = zip_members(data)
        if members is not None and members > limits.max_docx_members:
            raise limits.refuse("max_docx_members", f"the ZIP container declares {members} members")
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):  # a directory with impossible offsets or sizes
            raise DocumentError("corrupt", "a damaged ZIP container (a truncated or broken DOCX?)") from None
        if "word/document.xml" in names:
            return "docx"
        raise DocumentError("unsupported", "a ZIP archive that is not a Word document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data[:65536] or b"EncryptedPackage" in data:
            raise DocumentError("encrypted", "a password-protected Word document; save it without a password")
        raise DocumentError("unsupported", "a legacy binary Word/WPS file (.doc/.wps); save it as DOCX or PDF")
    lowered = head.lower()
    if suffix in HTML_SUFFIXES or b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    for magic, kind in ((b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image")):
        if head.startswith(magic):
            raise DocumentError("needs_ocr", f"a {kind}, not a text document; it needs OCR")
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    if suffix in (".pdf", ".docx"):
        raise DocumentError("corrupt", f"named {suffix} but its content is not a {suffix[1:].upper()} file")
    if suffix in (".doc", ".wps"):
        raise DocumentError("unsupported", "a legacy binary Word/WPS file; save it as DOCX or PDF")
    raise DocumentError("unsupported", f"unsupported file type '{suffix or name}'")
