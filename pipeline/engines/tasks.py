"""One document's job, and the function every engine's worker runs for it.

The worker calls ``pipeline.process.process_bytes`` (or ``process_file`` when the client could
not read the file itself) with a spaCy pipeline built once per worker process, and returns the
document's rows as plain JSON-able data: that is what is cached and what the tables are made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: workers need not import pandas for it
    from pipeline.dataset.writers import Record
    from pipeline.limits import Limits


@dataclass(frozen=True)
class Task:
    index: int  # position in the run's file order
    source_file: str  # the name written in the rows
    key: str | None  # cache key; None when the result is not to be cached
    data: bytes | None  # the content (None: the worker reads ``read_from`` itself)
    region: str
    rules_dir: str | None
    cache_path: str | None = None  # where the worker itself caches the result (same machine only)
    limits: Limits | None = None  # the run's limits (None: the rules folder's defaults)
    read_from: str = ""  # the file to read when ``data`` is None (default: ``source_file``)
    expected_sha256: str = ""  # the content the key was made from: other bytes are not cached


def refused_record(source_file: str, status: str, error: str) -> Record:
    """The rows of a file that is not read: its documents-table row, nothing else."""
    from pipeline.dataset.rows import document_row
    from pipeline.model import Document

    document = Document(source_file=source_file, format="unknown", sha256="", status=status, error=error)
    return {"row": document_row(document, None, 0, 0.0), "metrics": [], "sections": []}


def warm_up(rules_dir: str | None) -> None:
    """Build the worker's pipeline before its first document (jieba takes a second)."""
    from pipeline.extraction.nlp import shared_nlp

    shared_nlp(rules_dir)


def run_task(task: Task) -> "Record":
    from pipeline.engines.position import reached
    from pipeline.extraction.nlp import shared_nlp
    from pipeline.ingest.files import read_limited
    from pipeline.limits import applied, load_limits
    from pipeline.model import DocumentError
    from pipeline.process import process_bytes

    nlp = shared_nlp(task.rules_dir)
    limits = task.limits or load_limits(task.rules_dir)
    reached("reading")  # after the worker's start-up: from here on the time is the document's
    data = task.data
    if data is None:
        try:  # a regular file only (never blocks), at most the byte limit of it
            data = read_limited(task.read_from or task.source_file, limits)
        except DocumentError as error:  # it changed since the client looked at it
            return {**refused_record(task.source_file, error.status, error.message), "uncached": True}
        except OSError as error:
            return {**refused_record(task.source_file, "error", f"error:unreadable: cannot read the file: {error.strerror}"), "uncached": True}
    with applied(limits):
        result = process_bytes(data, task.source_file, nlp, task.region)
    record = {"row": result.row, "metrics": result.metrics, "sections": result.sections}
    if task.expected_sha256 and result.row.get("sha256") != task.expected_sha256:
        return {**record, "uncached": True}  # changed between hashing and reading: the next run reads it again
    if task.cache_path is None:
        return record
    # Cached here, in the worker: the client then neither receives nor re-encodes the rows,
    # which on two cores is time taken from the workers.
    from pathlib import Path

    from pipeline.engines.cache import write_entry

    write_entry(Path(task.cache_path), record)
    row = {k: v for k, v in result.row.items() if k != "text"}
    return {"row": row, "metrics": [], "sections": [], "cached": True}


def run_reported(task: Task, board: str | None, slot: int | None) -> "Record":
    """``run_task`` in a worker process, saying where it is in the document in ``slot`` of the
    run's shared board ``board`` (see ``engines/position.py``)."""
    from pipeline.engines.position import attach, reporting

    with reporting(attach(board), slot):
        return run_task(task)


def worker_version(rules_dir: str | None) -> str:
    """The cache version as a worker sees it: a remote worker with other code or rules would
    fill the cache with results the client's version does not describe."""
    from pipeline.engines.cache import version

    return version(rules_dir)
