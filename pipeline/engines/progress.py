"""What a run tells its user while it goes: a live line on a terminal, plain log lines
otherwise (a batch job's log), a line per document with ``--verbose``, nothing with ``--quiet``.
All of it goes to stderr, so stdout keeps only the summary."""

from __future__ import annotations

import sys
import time
from typing import TextIO

LOG_EVERY_SECONDS = 10.0
REDRAW_EVERY_SECONDS = 0.1


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Counts documents, pages, figures and failures; ``mode`` is ``bar``, ``log``, ``verbose``
    or ``quiet`` (``auto`` picks ``bar`` on a terminal and ``log`` elsewhere)."""

    def __init__(self, total: int, mode: str = "auto", stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "log"
        self.mode = mode
        self.total = total
        self.cached = 0
        self.unread = 0  # refused without being read (no regular file, over the byte limit)
        self.done = 0  # processed in this run
        self.pages = 0
        self.figures = 0
        self.failed = 0
        self.started = time.monotonic()
        self._first_done: float | None = None  # the rate counts from here: worker start-up is no document's time
        self._last_output = 0.0 if mode == "bar" else self.started

    def skip_cached(self, count: int) -> None:
        self.cached += count
        if count and self.mode in ("log", "verbose"):
            print(f"{count} of {self.total} documents unchanged since an earlier run: taken from the cache", file=self.stream, flush=True)

    def refused(self, source_file: str, row: dict) -> None:
        """A file not read at all: a failure, but no document's time in the rate."""
        self.unread += 1
        self.failed += 1
        if self.mode == "verbose":
            print(f"[{self.cached + self.unread + self.done}/{self.total}] {source_file}: {row['status']} ({row['error']})", file=self.stream, flush=True)

    def document(self, source_file: str, row: dict) -> None:
        self.done += 1
        if self._first_done is None:
            self._first_done = time.monotonic()
        self.pages += int(row.get("pages") or 0)
        self.figures += int(row.get("figures") or 0)
        self.failed += row.get("status") != "ok"
        if self.mode == "verbose":
            reason = f" ({row['error']})" if row.get("error") else ""
            print(f"[{self.cached + self.unread + self.done}/{self.total}] {source_file}: {row['status']}{reason}, {row.get('pages', 0)} pages, {row.get('figures', 0)} figures, {row.get('seconds', 0):.2f} s", file=self.stream, flush=True)
            return
        now = time.monotonic()
        if self.mode == "bar" and now - self._last_output >= REDRAW_EVERY_SECONDS:
            self._last_output = now
            print(f"\r{self.line()}\033[K", end="", file=self.stream, flush=True)
        elif self.mode == "log" and now - self._last_output >= LOG_EVERY_SECONDS:
            self._last_output = now
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        since = time.monotonic() - (self._first_done or self.started)
        rate = (self.done - 1) / since if self.done > 1 and since > 0 else 0.0
        remaining = self.total - self.cached - self.unread - self.done
        eta = _duration(remaining / rate) if rate > 0 else "?"
        cached = f" ({self.cached} cached)" if self.cached else ""
        return (f"{self.cached + self.unread + self.done}/{self.total} documents{cached}, {self.pages} pages, {self.figures} figures, "
                f"{self.failed} not read, {rate:.1f} documents/s, ETA {eta if remaining else '0s'}")

    def close(self) -> None:
        if self.mode == "bar":
            print(f"\r{self.line()}\033[K", file=self.stream, flush=True)
        elif self.mode in ("log", "verbose") and self.done:
            print(f"{self.line()} — done in {_duration(time.monotonic() - self.started)}", file=self.stream, flush=True)
