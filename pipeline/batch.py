"""Running the pipeline over files and folders and writing the dataset.

``extract_to`` is what ``bulletin-metrics extract`` does: a streaming, cached, resumable run
on an engine of ``pipeline.engines``; ``extract_files`` returns the rows in memory instead.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.ingest.collect import collect_inputs

if TYPE_CHECKING:
    from pipeline.limits import Limits

class OutputError(OSError):
    """The output folder cannot be created or written: one clear line, exit status 1."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


@dataclass
class BatchResult:
    metrics: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)


@dataclass
class RunSummary:
    """What ``extract_to`` did: counts for the user and where the files went."""

    documents: int = 0
    figures: int = 0
    pages: int = 0
    processed: int = 0  # read in this run (the rest came from the cache, or were refused unread)
    refused: int = 0  # not read at all: no regular file, over the byte limit, unreadable
    failed: list[dict] = field(default_factory=list)  # status, source_file and error of each unread file
    written: dict[str, Path] = field(default_factory=dict)


def _options(region: str, rules_dir: str | None, engine: str, jobs: int | None, scheduler: str | None, limits=None):
    from pipeline.engines import ENGINES
    from pipeline.engines.run import RunOptions
    from pipeline.limits import resolve

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    return RunOptions(region=region, rules_dir=rules_dir, engine=engine, jobs=jobs, scheduler=scheduler, limits=resolve(limits, rules_dir))


# What writing into a folder fails with when the disk, not the code, is the problem.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.ENOENT, errno.ENOTDIR}


def _writable(folder: Path, what: str) -> None:
    """Create ``folder`` and make sure files can be written in it, before any work is done."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        if isinstance(error, FileExistsError) or (folder.exists() and not folder.is_dir()):
            reason = "it exists and is not a folder"
        raise OutputError(error.errno, f"cannot write to the {what} {folder}: {reason}") from None


def extract_to(
    out_dir: str | Path,
    paths: Iterable[str | Path],
    *,
    region: str = "",
    rules_dir: str | None = None,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: str = "auto",
    limits: Limits | Mapping[str, int | str | None] | None = None,
) -> RunSummary:
    """Extract files and folders into the output tables of ``out_dir``, streaming.

    Documents already in the cache (``cache_dir``, default ``out_dir/.cache``) with the same
    content, name, region, limits, rules and code are not read again; every finished document
    is cached at once, so a run that is stopped, even with kill -9, goes on where it stopped
    when started again. ``progress`` is ``auto``, ``bar``, ``log``, ``verbose`` or ``quiet``.
    ``limits`` overrides the defaults of ``rules/limits.tsv`` (``{"max_pages": 8000}``, or a
    ``pipeline.limits.Limits``). A path that does not exist raises ``InputError``, an output
    or cache folder that cannot be written ``OutputError``, both before any work is done.
    """
    from pipeline.dataset.writers import write_tables
    from pipeline.engines.cache import Cache, version
    from pipeline.engines.progress import Progress
    from pipeline.engines.run import Archive

    options = _options(region, rules_dir, engine, jobs, scheduler, limits)
    out = Path(out_dir)
    files = collect_inputs(paths)
    _writable(out, "output folder")
    if cache_dir:
        _writable(Path(cache_dir), "cache folder")
    root = Path(cache_dir) if cache_dir else out / ".cache" if use_cache else out  # --no-cache: a scratch folder in OUT
    try:
        cache = Cache(root, version(rules_dir), use=use_cache)
    except OSError as error:
        raise OutputError(error.errno, f"cannot write to the cache folder {root}: {error.strerror or error}") from None
    try:
        archive = Archive(files, cache, options)
        reporter = Progress(len(files), progress)
        archive.run(reporter)
        reporter.close()
        summary = RunSummary(documents=len(files), processed=archive.processed, refused=archive.refused)
        signature = _signature(archive, cache.version) if use_cache else None
        unchanged = _unchanged_run(out, signature, summary) if archive.processed == 0 else None
        if unchanged is not None:
            return unchanged

        def counted(records):
            for record in records:
                row = record["row"]
                summary.figures += len(record["metrics"])
                summary.pages += int(row.get("pages") or 0)
                if row["status"] != "ok":
                    summary.failed.append({k: row[k] for k in ("status", "source_file", "error")})
                yield record

        summary.written = write_tables(out, counted(archive.records("source_file")), archive.records("doc_id"))
        if signature:
            _record_run(out, signature, summary)
        if use_cache and cache_dir is None:
            cache.prune_other_versions()  # an explicit --cache may be shared with other runs
    except OSError as error:  # the inputs' errors are rows: a file-system error here is the output's or the cache's
        if isinstance(error, OutputError) or not (error.filename or error.errno in _WRITE_ERRORS):
            raise  # a Dask scheduler that cannot be reached is no output problem
        where = f" ({error.filename})" if error.filename else ""
        raise OutputError(error.errno, f"cannot write the outputs to {out}{where}: {error.strerror or error}") from error
    finally:
        cache.close()
    return summary


RUN_RECORD = ".last-run.json"


def _signature(archive, version: str) -> str | None:
    """What the tables of a run depend on: the files, their content and the code and rules
    version. None when a document is not cacheable (unreadable), so the run always writes."""
    import hashlib

    parts = list(archive.signature_parts())
    if any(part is None for part in parts):
        return None
    digest = hashlib.sha256(version.encode())
    for entry, part in zip(archive.entries, parts):
        digest.update(f"\n{entry.source_file}\t{part}".encode())
    return digest.hexdigest()


def _unchanged_run(out: Path, signature: str | None, summary: RunSummary) -> RunSummary | None:
    """The previous run's summary when it wrote the same tables from the same inputs and they
    are all still there: an unchanged archive then costs hashing, not rewriting."""
    import json

    from pipeline.dataset.writers import OUTPUT_FILES

    try:
        record = json.loads((out / RUN_RECORD).read_text(encoding="utf-8"))
        written_at = (out / RUN_RECORD).stat().st_mtime
        # A table touched since (edited, deleted, or a database the audit added to) is rewritten.
        current = all((out / name).stat().st_mtime <= written_at for name in OUTPUT_FILES)
    except (OSError, ValueError):
        return None
    if not signature or record.get("signature") != signature or not current:
        return None
    return RunSummary(documents=summary.documents, processed=0, refused=summary.refused, figures=record["figures"], pages=record["pages"],
                      failed=record["failed"], written={name: out / name for name in OUTPUT_FILES})


def _record_run(out: Path, signature: str, summary: RunSummary) -> None:
    import json

    from pipeline.dataset.writers import atomic_path

    record = {"signature": signature, "figures": summary.figures, "pages": summary.pages, "failed": summary.failed}
    with atomic_path(out / RUN_RECORD) as temporary:
        temporary.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def extract_files(
    paths: Iterable[str | Path],
    region: str = "",
    rules_dir: str | None = None,
    progress: bool = False,
    *,
    engine: str = "local",
    jobs: int | None = 1,
    limits: Limits | Mapping[str, int | str | None] | None = None,
) -> BatchResult:
    """All rows of the files in memory (the Python API; for an archive use ``extract_to``).
    ``limits`` as for ``extract_to``; a path that does not exist raises ``InputError``."""
    import tempfile

    from pipeline.engines.cache import Cache, version
    from pipeline.engines.progress import Progress
    from pipeline.engines.run import Archive

    options = _options(region, rules_dir, engine, jobs, None, limits)
    files = collect_inputs(paths)
    batch = BatchResult()
    with tempfile.TemporaryDirectory(prefix="bulletin-metrics-") as scratch:
        cache = Cache(scratch, version(rules_dir), use=False)
        archive = Archive(files, cache, options)
        archive.run(Progress(len(files), "verbose" if progress else "quiet"))
        for record in archive.records("files"):
            batch.metrics.extend(record["metrics"])
            batch.documents.append(record["row"])
            batch.sections.extend(record["sections"])
        cache.close()
    return batch
