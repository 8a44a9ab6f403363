"""Writing the tables: CSV, Parquet, a DuckDB database and their Frictionless descriptor.

Every file is written beside its destination under a temporary name and moved into place,
so a crash never leaves a half-written table, and rows are sorted so a re-run over the same
input gives byte-identical CSV and Parquet files. The CSV files keep the rows' text (exact
decimals, codes with their leading zeros); Parquet and DuckDB hold the types of the column
contract (``schema.py``), an empty cell NULL. Tables are streamed a document at a time
(``write_tables``), so writing an archive of any size takes the memory of one chunk of rows.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from pipeline.dataset.arrow_rows import arrow_rows
from pipeline.dataset.atomic import atomic_path
from pipeline.dataset.datapackage import write_datapackage
from pipeline.dataset.rows import document_rows
from pipeline.dataset.schema import DOCUMENTS, METRICS, SECTIONS, TEXTS, duckdb_columns

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["OUTPUT_FILES", "Record", "atomic_path", "typed", "write_outputs", "write_tables"]


def typed(data, schema):
    """``frames.typed`` (rows as a typed DataFrame), imported on first use: the writers
    themselves need no pandas."""
    from pipeline.dataset.frames import typed as convert

    return convert(data, schema)


# Rows held before they go to Parquet and DuckDB as one chunk: memory stays flat however large
# the archive, while chunks stay big enough for fast inserts and few Parquet row groups.
CHUNK_ROWS = 10_000
CHUNK_TEXT_CHARS = 4_000_000
# Tables of bulletins.duckdb that other commands own (the review workflow's verdicts): a
# rewrite of the database copies them across from the previous file.
PRESERVED_TABLES = ("reviews",)
OUTPUT_FILES = ("metrics.csv", "documents.csv", "sections.csv", "metrics.parquet", "bulletins.duckdb", "datapackage.json")


class Record(TypedDict):
    """One document's rows: its documents-table row (with ``text``), metrics and sections."""

    row: dict
    metrics: list[dict]
    sections: list[dict]


def write_outputs(out_dir: str | Path, metrics: list[dict], documents: list[dict], sections: list[dict]) -> dict[str, Path]:
    """Write the tables from rows held in memory (the Python API; the CLI streams instead)."""
    by_file: dict[str, list[dict]] = {}
    for row in metrics:
        by_file.setdefault(row["source_file"], []).append(row)
    by_doc: dict[str, list[dict]] = {}
    for row in sections:
        by_doc.setdefault(row["doc_id"], []).append(row)
    records = [{"row": d, "metrics": by_file.pop(d["source_file"], []), "sections": by_doc.pop(d["doc_id"], [])} for d in documents]
    by_source = sorted(records, key=lambda r: r["row"]["source_file"])
    by_doc_id = sorted(records, key=lambda r: r["row"]["doc_id"])
    return write_tables(out_dir, by_source, by_doc_id)


def write_tables(out_dir: str | Path, by_source: Iterable[Record], by_doc_id: Iterable[Record]) -> dict[str, Path]:
    """Stream documents into every output file, one document in memory at a time.

    ``by_source`` gives the documents in ``source_file`` order (documents and metrics tables),
    ``by_doc_id`` the same documents again in ``doc_id`` order (sections and texts): that is
    the order of the sorted tables, so nothing has to be sorted here. Every file is written
    under a temporary name and moved into place only when all of them are complete.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    with ExitStack() as stack:
        paths = {name: stack.enter_context(atomic_path(out / name)) for name in OUTPUT_FILES}
        with _TableSink(paths) as sink:
            for record in by_source:
                sink.add_document(record)
            for record in by_doc_id:
                sink.add_sections(record)
            sink.finish(previous_database=out / "bulletins.duckdb")
        write_datapackage(out, destination=paths["datapackage.json"])
    return {name: out / name for name in OUTPUT_FILES}


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files of a run killed before it could move them into place (kill -9)."""
    for name in OUTPUT_FILES:
        for stale in out.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)


class _TableSink:
    """The open output files of one write: three CSV writers, a Parquet writer and a DuckDB
    database, fed chunk by chunk."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths
        self.schemas = {"metrics": METRICS, "documents": DOCUMENTS, "sections": SECTIONS, "document_texts": TEXTS}
        self.buffers: dict[str, list[dict]] = {name: [] for name in self.schemas}
        self.text_chars = 0
        self.texts_of: set[str] = set()  # doc_ids whose text is written
        self.handles = {name: open(paths[f"{name}.csv"], "w", encoding="utf-8", newline="") for name in ("metrics", "documents", "sections")}
        # csv.writer as pandas' to_csv drives it (QUOTE_MINIMAL, "\n"): the same bytes as before.
        self.csv = {name: csv.writer(handle, lineterminator="\n") for name, handle in self.handles.items()}
        for name, writer in self.csv.items():
            writer.writerow(list(self.schemas[name]))
        self.getters = {name: operator.itemgetter(*self.schemas[name]) for name in self.csv}
        self.parquet = None
        import duckdb

        self.duckdb = duckdb.connect(str(paths["bulletins.duckdb"]))
        for name, schema in self.schemas.items():
            self.duckdb.execute(f'CREATE TABLE "{name}" ({duckdb_columns(schema)})')

    def __enter__(self) -> _TableSink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for handle in self.handles.values():
            handle.close()
        if self.parquet is not None:
            self.parquet.close()
        self.duckdb.close()

    def _csv_row(self, name: str, row: dict) -> None:
        try:
            self.csv[name].writerow(self.getters[name](row))
        except KeyError:  # a row without some column: empty there, as pandas writes it
            self.csv[name].writerow([row.get(column) for column in self.schemas[name]])

    def add_document(self, record: Record) -> None:
        rows = document_rows(record["row"], record["metrics"])  # one per issue of a file holding several
        for row in rows:
            self._csv_row("documents", row)
        self._buffer("documents", rows)
        metrics = sorted(record["metrics"], key=lambda m: (m["char_start"], m["char_end"]))
        for metric in metrics:
            self._csv_row("metrics", metric)
        self._buffer("metrics", metrics)

    def add_sections(self, record: Record) -> None:
        """A document's sections and, the first time its doc_id comes, its text: one row per
        doc_id that has a text (a copy of a file shares its doc_id; no row holds a NULL text)."""
        for section in record["sections"]:
            self._csv_row("sections", section)
        self._buffer("sections", record["sections"])
        doc_id, text = record["row"]["doc_id"], record["row"].get("text") or ""
        if text and doc_id not in self.texts_of:
            self.texts_of.add(doc_id)
            self.text_chars += len(text)
            self._buffer("document_texts", [{"doc_id": doc_id, "text": text}])

    def _buffer(self, name: str, rows: list[dict]) -> None:
        buffer = self.buffers[name]
        buffer.extend(rows)
        if len(buffer) >= CHUNK_ROWS or (name == "document_texts" and self.text_chars >= CHUNK_TEXT_CHARS):
            self._flush(name)

    def _flush(self, name: str) -> None:
        rows = self.buffers[name]
        if not rows:
            return
        schema = self.schemas[name]
        table = arrow_rows(rows, schema)
        if name == "metrics":
            self._write_parquet(table)
        self.duckdb.register("incoming", table)  # Arrow types are the contract's: DATE, BIGINT, DOUBLE, VARCHAR
        self.duckdb.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
        self.duckdb.unregister("incoming")
        rows.clear()
        if name == "document_texts":
            self.text_chars = 0

    def _write_parquet(self, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        # One chunk at a time, each a row group: a run that fits in one chunk gives the same
        # bytes as writing the whole table at once.
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.paths["metrics.parquet"], table.schema, compression="zstd")
        self.parquet.write_table(table)

    def finish(self, previous_database: Path) -> None:
        for name in self.schemas:
            self._flush(name)
        if self.parquet is None:
            self._write_parquet(arrow_rows([], METRICS))
        _carry_over_tables(self.duckdb, previous_database)
        self.duckdb.execute("CHECKPOINT")


def _carry_over_tables(connection, previous: Path) -> None:
    """Copy ``PRESERVED_TABLES`` from the database being replaced, with their definitions
    (constraints, defaults) when those can be recreated."""
    if not previous.exists():
        return
    import duckdb

    literal = str(previous).replace("'", "''")
    try:
        connection.execute(f"ATTACH '{literal}' AS previous (READ_ONLY)")
    except duckdb.Error as error:
        raise RuntimeError(f"cannot open the existing {previous} to keep its {', '.join(PRESERVED_TABLES)} table ({error}); close the program using it, or move the file away") from error
    try:
        for table in PRESERVED_TABLES:
            found = connection.execute(
                "SELECT sql FROM duckdb_tables() WHERE database_name = 'previous' AND schema_name = 'main' AND table_name = ?", [table]
            ).fetchone()
            if found is None:
                continue
            try:
                connection.execute(found[0])
            except duckdb.Error:  # a definition that refers to what the new file lacks
                connection.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM previous.main."{table}" LIMIT 0')
            connection.execute(f'INSERT INTO main."{table}" SELECT * FROM previous.main."{table}"')
    finally:
        connection.execute("DETACH previous")

