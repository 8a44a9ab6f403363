"""A run over an archive: hash every file, take what the cache already has, send the rest to
an engine, cache each result as it arrives, and hand the documents back in table order.

Only a small ``Entry`` per file stays in memory; a document's rows are read back from its
cache file when the tables are written, one document at a time.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.engines.cache import Cache, document_key
from pipeline.engines.position import Board
from pipeline.engines.progress import Progress
from pipeline.engines.tasks import Task, refused_record
from pipeline.ingest.files import hash_limited, read_limited
from pipeline.limits import Limits, load_limits
from pipeline.model import DocumentError

if TYPE_CHECKING:
    from pipeline.dataset.writers import Record
    from pipeline.ingest.collect import Input


@dataclass(frozen=True)
class RunOptions:
    region: str = ""
    rules_dir: str | None = None
    engine: str = "local"  # "local" or "dask"
    jobs: int | None = None  # None: every core this process may use
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster
    limits: Limits = field(default_factory=load_limits)  # what one file may cost (pipeline/limits.py)


@dataclass
class Entry:
    """One file of the run."""

    index: int  # position in the order files were named (the first of two copies keeps the figures)
    source_file: str
    sha256: str  # "" when the file could not be read
    key: str | None  # cache key; None when the result is not cached
    record: Record | None = None  # held here only for a result that is not cached (small: an error row)
    read_from: str = ""  # where the content is, when not at source_file (a symbolic link's target)
    # What the run's signature holds for a result that is not cached but the same on every run
    # (a FIFO, a link out of the tree, a file over the byte limit): its status and reason.
    fingerprint: str | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _crashed(entry: Entry, error: BaseException) -> Record:
    """The row of a document whose worker died; not cached, so the next run tries again."""
    from pipeline.dataset.rows import document_row
    from pipeline.model import Document

    document = Document(source_file=entry.source_file, format="unknown", sha256=entry.sha256, status="error",
                        error=f"the worker reading it stopped ({type(error).__name__}: {error}); the next run reads it again")
    return {"row": document_row(document, None, 0, 0.0), "metrics": [], "sections": []}


def _refused(index: int, source_file: str, status: str, error: str, stable: bool) -> Entry:
    """An input that is not read (no regular file, over the byte limit, unreadable): its row
    is made here at once, without a worker."""
    return Entry(index, source_file, "", None, refused_record(source_file, status, error), fingerprint=f"{status}\t{error}" if stable else None)


class Archive:
    """The files of a run and their results."""

    def __init__(self, inputs: list[Input | Path], cache: Cache, options: RunOptions) -> None:
        from pipeline.ingest.collect import Input

        self.cache = cache
        self.options = options
        self.entries: list[Entry] = []
        limits = options.limits
        for index, item in enumerate(inputs):
            item = item if isinstance(item, Input) else Input(Path(item))
            name = str(item.path)
            if item.status:
                self.entries.append(_refused(index, name, item.status, item.error, item.stable))
                continue
            try:
                digest = hash_limited(item.source, limits)  # never opens a FIFO, reads at most the byte limit
            except DocumentError as error:
                self.entries.append(_refused(index, name, error.status, error.message, True))
                continue
            except OSError as error:  # a permission: the next run looks again
                self.entries.append(_refused(index, name, "error", f"error:unreadable: cannot read the file: {error.strerror}", False))
                continue
            key = document_key(digest, name, options.region, limits.key())
            self.entries.append(Entry(index, name, digest, key, read_from=str(item.read_from or "")))
        self.processed = 0
        self.refused = sum(entry.record is not None for entry in self.entries)

    def run(self, progress: Progress) -> None:
        """Read every document the cache does not have."""
        todo = [entry for entry in self.entries if entry.record is None and not self.cache.has(entry.key)]
        refused = [entry for entry in self.entries if entry.record is not None]
        progress.skip_cached(len(self.entries) - len(todo) - len(refused))
        for entry in refused:
            progress.refused(entry.source_file, entry.record["row"])
        if not todo:
            return
        from pipeline.rules import load_rules

        load_rules(self.options.rules_dir)  # a bad rule is one clear error here, not one per worker
        by_index = {entry.index: entry for entry in todo}
        tasks = (self._task(entry) for entry in todo)
        jobs = max(1, min(self.options.jobs or default_jobs(), len(todo)))
        if self.options.engine == "dask":
            from pipeline.engines.dask import run_dask

            board = Board(jobs)  # in this process: the client marks what it sent
            outcomes = run_dask(tasks, self.options.jobs or default_jobs(), self.options.rules_dir, self.options.scheduler, board)
        else:
            from pipeline.engines.local import IN_FLIGHT_PER_WORKER, run_local

            board = Board(jobs * IN_FLIGHT_PER_WORKER, shared=jobs > 1)
            outcomes = run_local(tasks, jobs, self.options.rules_dir, board)

        def where() -> list[tuple[str, str, int, int]]:
            return [(by_index[p.index].source_file, p.stage, p.done, p.total) for p in board.read() if p.index in by_index]

        try:
            with progress.following(where):
                self._collect(outcomes, by_index, progress)
        finally:
            board.close()

    def _collect(self, outcomes: Iterator[tuple[Task, Record | BaseException]], by_index: dict[int, Entry], progress: Progress) -> None:
        """Each finished document into the cache (or its entry), as it arrives."""
        for task, outcome in outcomes:
            entry = by_index[task.index]
            if isinstance(outcome, BaseException):
                entry.record = _crashed(entry, outcome)
            elif outcome.get("cached"):
                pass  # the worker wrote it
            elif outcome.get("uncached") or entry.key is None:  # the worker could not read the file
                entry.record, entry.key = outcome, None
            else:
                self.cache.store(entry.key, outcome)
            self.processed += 1
            progress.document(entry.source_file, (entry.record or outcome)["row"])

    def _task(self, entry: Entry) -> Task:
        """The local engine's workers read the file themselves (the client holds no document's
        bytes); a Dask worker may be on another machine, so the client sends them."""
        source = entry.read_from or entry.source_file
        data = None
        if self.options.engine == "dask":
            try:
                data = read_limited(source, self.options.limits)
            except (DocumentError, OSError):  # changed since it was hashed: the worker says why, uncached
                data = None
        same_machine = self.options.engine == "local" or not self.options.scheduler
        cache_path = str(self.cache.path(entry.key)) if entry.key is not None and same_machine else None
        return Task(entry.index, entry.source_file, entry.key, data, self.options.region, self.options.rules_dir, cache_path,
                    limits=self.options.limits, read_from=source, expected_sha256=entry.sha256)

    def signature_parts(self) -> Iterator[str | None]:
        """Per entry, what the run's tables depend on (None: a result not to be trusted twice)."""
        for entry in self.entries:
            yield entry.key if entry.key is not None else entry.fingerprint

    def record(self, entry: Entry, part: str = "all") -> Record:
        """The document's rows (``part``: ``all``, ``head`` or ``tail``, see ``Cache.load``)."""
        return entry.record if entry.record is not None else self.cache.load(entry.key, part)

    def _duplicates(self) -> dict[int, str]:
        """Later files with the same bytes as an earlier readable one: their figures are listed
        under the first file only, so figure ids stay unique."""
        counts = Counter(entry.sha256 for entry in self.entries if entry.sha256)
        first: dict[str, str] = {}
        later: dict[int, str] = {}
        for entry in self.entries:
            if counts[entry.sha256] < 2 or self.record(entry, "head")["row"]["status"] != "ok":
                continue
            if entry.sha256 in first:
                later[entry.index] = first[entry.sha256]
            else:
                first[entry.sha256] = entry.source_file
        return later

    def records(self, order: str = "files") -> Iterator[Record]:
        """Each document once, in ``files`` (as named), ``source_file`` or ``doc_id`` order."""
        later = self._duplicates()
        part = "all"
        if order == "source_file":  # documents and metrics tables: the head suffices
            entries, part = sorted(self.entries, key=lambda e: e.source_file), "head"
        elif order == "doc_id":  # sections and texts: the tail, and the doc_id the entry knows
            entries, part = sorted(self.entries, key=lambda e: e.sha256[:16]), "tail"
        else:
            entries = self.entries
        for entry in entries:
            record = self.record(entry, part)
            if part == "tail":
                record = {"row": {"doc_id": entry.sha256[:16], "text": record["row"].get("text", "")}, "metrics": [], "sections": record["sections"]}
            if entry.index in later:
                row = dict(record["row"], error=f"same content as {later[entry.index]}; its figures are listed there", figures=0)
                record = {"row": row, "metrics": [], "sections": []}
            yield record
