"""Reading one input file safely: only a regular file is opened for its content, never more
than the byte limit is read, and a file that is no regular file is named, not opened.

A named pipe opened for reading waits for a writer forever, a device may never end
(``/dev/zero``) and a socket cannot be read at all: every open here is non-blocking and checked
with ``fstat`` before a byte is read, so a file swapped for a FIFO after the folder was listed
still cannot hang the run.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from pipeline.limits import Limits
from pipeline.model import DocumentError

CHUNK = 1 << 20

# (test, reason code, words) for what is not a regular file
_KINDS = (
    (stat.S_ISFIFO, "fifo", "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket", "a socket"),
    (stat.S_ISCHR, "device", "a character device"),
    (stat.S_ISBLK, "device", "a block device"),
    (stat.S_ISDIR, "folder", "a folder"),
)


def not_regular(mode: int) -> DocumentError | None:
    """The ``unsupported`` refusal of a file of this mode, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, code, words in _KINDS:
        if test(mode):
            return DocumentError("unsupported", f"unsupported:{code}: {words}, not a regular file; it is not opened")
    return DocumentError("unsupported", "unsupported:special: not a regular file; it is not opened")


@contextmanager
def open_regular(path: str | os.PathLike) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """Open a regular file for reading; ``DocumentError('unsupported')`` for anything else
    (checked on the open descriptor, without blocking); ``OSError`` when it cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        refusal = not_regular(info.st_mode)
        if refusal is not None:
            raise refusal
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        yield handle, info


def _too_large(limits: Limits, size: int, exact: bool = True) -> DocumentError:
    what = f"the file has {size} bytes" if exact else f"the file has more than {size} bytes"
    return limits.refuse("max_file_bytes", what)


def read_limited(path: str | os.PathLike, limits: Limits) -> bytes:
    """The file's bytes, never more than ``limits.max_file_bytes`` of them in memory."""
    limit = limits.max_file_bytes
    with open_regular(path) as (handle, info):
        if info.st_size > limit:
            raise _too_large(limits, info.st_size)
        data = handle.read(info.st_size + 1)  # one more: a file that grew since its size was taken
        while len(data) <= limit:
            more = handle.read(min(CHUNK, limit + 1 - len(data)))
            if not more:
                return data
            data += more
        raise _too_large(limits, limit, exact=False)


def hash_limited(path: str | os.PathLike, limits: Limits) -> str:
    """The file's SHA-256, read in chunks; refused like ``read_limited`` over the byte limit."""
    limit = limits.max_file_bytes
    digest = hashlib.sha256()
    with open_regular(path) as (handle, info):
        if info.st_size > limit:
            raise _too_large(limits, info.st_size)
        total = 0
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise _too_large(limits, limit, exact=False)
            digest.update(chunk)
    return digest.hexdigest()
