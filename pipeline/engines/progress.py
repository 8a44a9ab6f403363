"""What a run tells its user while it goes: a live line on a terminal, plain log lines
otherwise (a batch job's log), a line per document with ``--verbose``, nothing with ``--quiet``.
All of it goes to stderr, so stdout keeps only the summary.

While documents are read, a heartbeat thread (``following``) says where the documents in flight
are — ``reading long.pdf page 812/1959`` — from the run's position board
(``engines/position.py``): on a terminal the line moves within a long document too, and a log
gets a line every ``LOG_EVERY_SECONDS`` whether or not a document finished.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

LOG_EVERY_SECONDS = 10.0
REDRAW_EVERY_SECONDS = 0.1
SHOWN_IN_LOG = 4  # documents in flight named in a log line; the others are counted
SHOWN_ON_TERMINAL = 1

# (source_file, stage, done, total) of each document in flight (stages: engines/position.py)
Where = Callable[[], list[tuple[str, str, int, int]]]


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def describe(source_file: str, stage: str, done: int, total: int) -> str | None:
    """One document's position in words; None for one waiting to start."""
    count = f" {done}/{total}" if total else ""
    return {
        "reading": f"reading {source_file}",
        "page": f"reading {source_file} page{count}",
        "figures": f"finding figures in {source_file}",
        "issue": f"finding figures in {source_file}, issue{count}",
        "piece": f"finding figures in {source_file}, piece{count}",
    }.get(stage)


def in_flight(positions: list[tuple[str, str, int, int]], shown: int, name: Callable[[str], str] = str) -> str:
    """`` — reading a.pdf page 3/9; finding figures in b.txt`` (``shown`` of them, the others
    counted), or the names of documents an engine only knows to be in flight."""
    said = [text for source, stage, done, total in positions if (text := describe(name(source), stage, done, total))]
    if said:
        more = f"; {len(said) - shown} more" if len(said) > shown else ""
        return " — " + "; ".join(said[:shown]) + more
    sent = [name(source) for source, stage, _, _ in positions if stage == "in flight"]
    if sent:
        more = f" and {len(sent) - shown} more" if len(sent) > shown else ""
        return " — in flight: " + ", ".join(sent[:shown]) + more
    return ""


class Progress:
    """Counts documents, pages, figures and failures; ``mode`` is ``bar``, ``log``, ``verbose``
    or ``quiet`` (``auto`` picks ``bar`` on a terminal and ``log`` elsewhere). ``clock`` is
    what time is read from (a test gives its own); ``where`` says what the documents in flight
    are at (set by ``following``)."""

    def __init__(self, total: int, mode: str = "auto", stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
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
        self.clock = clock
        self.started = clock()
        self._first_done: float | None = None  # the rate counts from here: worker start-up is no document's time
        self._last_output = 0.0 if mode == "bar" else self.started
        self.where: Where = list
        self._lock = threading.Lock()  # the heartbeat thread prints too

    def skip_cached(self, count: int) -> None:
        self.cached += count
        if count and self.mode in ("log", "verbose"):
            self._print(f"{count} of {self.total} documents unchanged since an earlier run: taken from the cache")

    def refused(self, source_file: str, row: dict) -> None:
        """A file not read at all: a failure, but no document's time in the rate."""
        with self._lock:
            self.unread += 1
            self.failed += 1
        if self.mode == "verbose":
            self._print(f"[{self.cached + self.unread + self.done}/{self.total}] {source_file}: {row['status']} ({row['error']})")

    def document(self, source_file: str, row: dict) -> None:
        with self._lock:
            self.done += 1
            if self._first_done is None:
                self._first_done = self.clock()
            self.pages += int(row.get("pages") or 0)
            self.figures += int(row.get("figures") or 0)
            self.failed += row.get("status") != "ok"
        if self.mode == "verbose":
            reason = f" ({row['error']})" if row.get("error") else ""
            self._print(f"[{self.cached + self.unread + self.done}/{self.total}] {source_file}: {row['status']}{reason}, {row.get('pages', 0)} pages, {row.get('figures', 0)} figures, {row.get('seconds', 0):.2f} s")
            return
        self.tick()

    def tick(self) -> None:
        """Redraw the terminal line, or print a log line, when it is due."""
        with self._lock:
            now = self.clock()
            if self.mode == "bar" and now - self._last_output >= REDRAW_EVERY_SECONDS:
                self._last_output = now
                print(f"\r{self.line()}{in_flight(self.where(), SHOWN_ON_TERMINAL, os.path.basename)}\033[K", end="", file=self.stream, flush=True)
            elif self.mode in ("log", "verbose") and now - self._last_output >= LOG_EVERY_SECONDS:
                self._last_output = now
                where = in_flight(self.where(), SHOWN_IN_LOG)
                if self.mode == "log":
                    print(f"{self.line()}{where}", file=self.stream, flush=True)
                elif where:  # a line per document already; this says what takes so long
                    print(f"…{where.removeprefix(' —')}", file=self.stream, flush=True)

    @contextmanager
    def following(self, where: Where) -> Iterator[None]:
        """While in the block, a heartbeat thread calls ``tick`` and the lines name where the
        documents in flight are (``where()``); none with ``--quiet``."""
        self.where = where
        stop = threading.Event()
        thread = None
        if self.mode != "quiet":
            thread = threading.Thread(target=self._beat, args=(stop,), name="bulletin-progress", daemon=True)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread is not None:
                thread.join()
            self.where = list

    def _beat(self, stop: threading.Event) -> None:
        while True:
            every = REDRAW_EVERY_SECONDS if self.mode == "bar" else LOG_EVERY_SECONDS
            if stop.wait(max(0.01, min(every, self._last_output + every - self.clock()))):
                return
            try:
                self.tick()
            except Exception:  # a progress line must never stop the run
                return

    def _print(self, text: str) -> None:
        with self._lock:
            self._last_output = self.clock() if self.mode != "bar" else self._last_output
            print(text, file=self.stream, flush=True)

    def line(self) -> str:
        since = self.clock() - (self._first_done or self.started)
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
            print(f"{self.line()} — done in {_duration(self.clock() - self.started)}", file=self.stream, flush=True)
