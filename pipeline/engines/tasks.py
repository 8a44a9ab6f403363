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


@dataclass(frozen=True)
class Task:
    index: int  # position in the run's file order
    source_file: str  # the name written in the rows
    key: str | None  # cache key; None when the client could not read the file
    data: bytes | None  # the content (None: the worker reads ``source_file`` itself)
    region: str
    rules_dir: str | None
    cache_path: str | None = None  # where the worker itself caches the result (same machine only)


def warm_up(rules_dir: str | None) -> None:
    """Build the worker's pipeline before its first document (jieba takes a second)."""
    from pipeline.extraction.nlp import shared_nlp

    shared_nlp(rules_dir)


def run_task(task: Task) -> "Record":
    from pipeline.extraction.nlp import shared_nlp
    from pipeline.process import process_bytes, process_file

    nlp = shared_nlp(task.rules_dir)
    if task.data is None:
        result = process_file(task.source_file, nlp, task.region)
    else:
        result = process_bytes(task.data, task.source_file, nlp, task.region)
    record = {"row": result.row, "metrics": result.metrics, "sections": result.sections}
    if task.cache_path is None:
        return record
    # Cached here, in the worker: the client then neither receives nor re-encodes the rows,
    # which on two cores is time taken from the workers.
    from pathlib import Path

    from pipeline.engines.cache import write_entry

    write_entry(Path(task.cache_path), record)
    row = {k: v for k, v in result.row.items() if k != "text"}
    return {"row": row, "metrics": [], "sections": [], "cached": True}


def worker_version(rules_dir: str | None) -> str:
    """The cache version as a worker sees it: a remote worker with other code or rules would
    fill the cache with results the client's version does not describe."""
    from pipeline.engines.cache import version

    return version(rules_dir)
