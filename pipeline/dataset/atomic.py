"""Writing a file atomically: under a temporary name beside it, moved into place when complete,
so a crash or kill -9 never leaves a half-written file where a reader looks."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(destination: Path):
    """Yield a temporary path beside ``destination``; move it into place on success."""
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
    os.close(handle)
    os.unlink(temporary)
    try:
        yield Path(temporary)
        os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
