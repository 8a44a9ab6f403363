"""Writing the tables: CSV, Parquet, a DuckDB database and a Frictionless descriptor.

Every file is written beside its destination under a temporary name and moved into place,
so a crash never leaves a half-written table, and rows are sorted so a re-run over the same
input gives byte-identical CSV and Parquet files.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from pipeline.dataset.schema import DOCUMENTS, METRICS, SECTIONS, TEXTS

NUMERIC = {"number": "float64", "integer": "Int64"}


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


def frame(rows: list[dict], schema: dict[str, tuple[str, str]], sort: list[str]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=list(schema))
    data = data.sort_values(sort, kind="mergesort").reset_index(drop=True) if len(data) else data
    return data


def typed(data: pd.DataFrame, schema: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Numbers as numbers for Parquet and DuckDB (the CSV keeps the exact decimal text)."""
    data = data.copy()
    for column, (kind, _) in schema.items():
        if kind in NUMERIC:
            data[column] = pd.to_numeric(data[column].replace("", None), errors="coerce").astype(NUMERIC[kind])
        else:
            data[column] = data[column].fillna("").astype(str)
    return data


def _write(destination: Path, writer: Callable[[Path], None]) -> None:
    with atomic_path(destination) as temporary:
        writer(temporary)


def write_outputs(out_dir: str | Path, metrics: list[dict], documents: list[dict], sections: list[dict]) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    texts = [{"doc_id": d["doc_id"], "text": d.get("text", "")} for d in documents]
    tables = {
        "metrics": (frame(metrics, METRICS, ["source_file", "char_start", "char_end"]), METRICS),
        "documents": (frame([{k: v for k, v in d.items() if k != "text"} for d in documents], DOCUMENTS, ["source_file"]), DOCUMENTS),
        "sections": (frame(sections, SECTIONS, ["doc_id", "section_no"]), SECTIONS),
        "document_texts": (frame(texts, TEXTS, ["doc_id"]).drop_duplicates("doc_id"), TEXTS),
    }
    written: dict[str, Path] = {}
    for name in ("metrics", "documents", "sections"):
        data, _ = tables[name]
        path = out / f"{name}.csv"
        _write(path, lambda p, d=data: d.to_csv(p, index=False, encoding="utf-8", lineterminator="\n"))
        written[f"{name}.csv"] = path
    metrics_typed = typed(*tables["metrics"])
    _write(out / "metrics.parquet", lambda p: metrics_typed.to_parquet(p, index=False, engine="pyarrow", compression="zstd"))
    written["metrics.parquet"] = out / "metrics.parquet"
    _write(out / "bulletins.duckdb", lambda p: _write_duckdb(p, {n: typed(d, s) for n, (d, s) in tables.items()}))
    written["bulletins.duckdb"] = out / "bulletins.duckdb"
    _write(out / "datapackage.json", lambda p: p.write_text(datapackage(), encoding="utf-8"))
    written["datapackage.json"] = out / "datapackage.json"
    return written


def _write_duckdb(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    import duckdb

    connection = duckdb.connect(str(path))
    try:
        for name, data in tables.items():
            connection.register("incoming", data)
            connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            connection.unregister("incoming")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def datapackage() -> str:
    def resource(name: str, path: str, schema: dict[str, tuple[str, str]], key: str) -> dict:
        return {
            "name": name,
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [{"name": c, "type": t, "description": d} for c, (t, d) in schema.items()],
                "primaryKey": key,
            },
        }

    package = {
        "profile": "tabular-data-package",
        "name": "bulletin-metrics",
        "title": "Figures reported in government work bulletins",
        "resources": [
            resource("metrics", "metrics.csv", METRICS, "figure_id"),
            resource("documents", "documents.csv", DOCUMENTS, "source_file"),
            resource("sections", "sections.csv", SECTIONS, ["doc_id", "section_no"]),
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
