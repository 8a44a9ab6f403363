"""bulletin-metrics: figures reported in Chinese government work bulletins, as a tidy dataset.

    >>> import pipeline
    >>> metrics = pipeline.extract(["corpus/"])        # a pandas DataFrame, one row per figure

Heavy imports (spaCy, jieba, pandas) happen on first use, so ``bulletin-metrics --help`` is fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.limits import Limits

__version__ = "0.1.0"
__all__ = ["extract", "extract_tables"]


def extract_tables(
    paths: Iterable[str | Path] | str | Path, *, region: str = "", rules_dir: str | None = None, jobs: int | None = 1, engine: str = "local",
    limits: "Mapping[str, int | str] | Limits | None" = None,
) -> dict[str, "pd.DataFrame"]:
    """Run the pipeline on files and folders; return the ``metrics``, ``documents`` and
    ``sections`` tables as DataFrames (columns as in the README), typed as ``metrics.parquet``
    and ``bulletins.duckdb`` are (``pipeline.dataset.schema``): numbers ``Float64``, counts and
    offsets ``Int64``, ``issue_date`` an Arrow ``date32``, every other column (codes such as
    ``county_code`` and ``doc_id`` included) ``string``; an empty cell is ``<NA>``.

    ``jobs`` documents are read at once (``None``: every core) on the ``local`` engine or a
    Dask ``LocalCluster`` (``engine="dask"``). The tables are held in memory: for a whole
    archive use ``bulletin-metrics extract``, which streams them to files. ``limits`` overrides
    the defaults of ``rules/limits.tsv`` (``{"max_pages": 8000}``; see ``pipeline.limits``)."""
    from pipeline.batch import extract_files
    from pipeline.dataset.frames import frame
    from pipeline.dataset.rows import documents_table
    from pipeline.dataset.schema import DOCUMENTS, METRICS, SECTIONS

    if isinstance(paths, (str, Path)):
        paths = [paths]
    batch = extract_files(paths, region=region, rules_dir=rules_dir, jobs=jobs, engine=engine, limits=limits)
    return {
        "metrics": frame(batch.metrics, METRICS, ["source_file", "char_start", "char_end"]),
        "documents": frame(documents_table(batch.documents, batch.metrics), DOCUMENTS, ["source_file", "issue_part"]),
        "sections": frame(batch.sections, SECTIONS, ["doc_id", "section_no"]),
    }


def extract(
    paths: Iterable[str | Path] | str | Path, *, region: str = "", rules_dir: str | None = None, jobs: int | None = 1, engine: str = "local",
    limits: "Mapping[str, int | str] | Limits | None" = None,
) -> "pd.DataFrame":
    """Run the pipeline on files and folders; return the metrics table (one row per figure),
    typed as ``extract_tables`` says: ``metrics.value.sum()`` adds the values."""
    return extract_tables(paths, region=region, rules_dir=rules_dir, jobs=jobs, engine=engine, limits=limits)["metrics"]
