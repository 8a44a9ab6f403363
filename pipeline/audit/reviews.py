"""Auditors' verdicts on figures: the ``reviews`` table of ``bulletins.duckdb``, keyed by the
stable ``figure_id``, with ``reviews.csv`` beside it as an exported copy.

A verdict is ``verified``, ``disputed`` or ``corrected`` (with the corrected value, unit or
both). Recording the verdict a figure already has changes nothing, its ``reviewed_at``
included: values are compared as numbers (1280.0 is 1280) and text without surrounding blanks.

reviews.csv is for spreadsheets: its cells are written with ``spreadsheet.safe_cell`` (a note
starting with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'``) and read back with
``read_cell``; the database table keeps the text as it was entered.

``extract`` rewrites the database; the verdicts outlive it because the figure ids are stable,
because the rewrite carries the table across, and because ``audit`` and ``review`` put
reviews.csv back into the database when the table is missing. A table written before a column
existed (``corrected_unit``) is read with that column empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import regex

from pipeline.audit.data import DATABASE
from pipeline.audit.spreadsheet import read_cell, safe_cell

# name: (frictionless type, description) — as pipeline.dataset.schema
REVIEWS = {
    "figure_id": ("string", "figure_id of the metrics row the verdict is on"),
    "status": ("string", "verified | disputed | corrected"),
    "note": ("string", "The reviewer's note, as entered"),
    "corrected_value": ("number", "With status corrected: the right value, in corrected_unit if given, else in the figure's unit"),
    "corrected_unit": ("string", "With status corrected: the right unit or measure word, if the unit was wrong"),
    "reviewed_at": ("datetime", "When the verdict was last changed (UTC, ISO 8601)"),
}
REVIEW_COLUMNS = list(REVIEWS)
STATUSES = ("verified", "disputed", "corrected")
REVIEWS_CSV = "reviews.csv"
# what a reviewer decides; reviewed_at follows from it
VERDICT_FIELDS = ("status", "note", "corrected_value", "corrected_unit")
MAX_UNIT_CHARS = 16
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_DECIMAL = regex.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class ReviewError(ValueError):
    """A verdict that cannot be recorded; the message says why."""


def metrics_rows(out_dir: Path) -> dict[str, dict[str, str]]:
    """The figures of an output folder by figure_id."""
    path = out_dir / "metrics.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `bulletin-metrics extract … --out {out_dir}` first")
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["figure_id"]: row for row in csv.DictReader(handle)}


def number_text(value: object) -> str:
    """A corrected value as canonical decimal text ("1280.0", "1,280", "１２８０" → "1280"); ""
    for none. A ReviewError for anything that is not a finite decimal number."""
    if value is None:
        return ""
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", str(value)).strip())
    if not text:
        return ""
    if not _DECIMAL.fullmatch(text):
        raise ReviewError(f"corrected value must be a number, not {str(value)!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ReviewError(f"corrected value must be a number, not {str(value)!r}") from None
    if not number.is_finite() or abs(number) >= Decimal("1e300"):
        raise ReviewError(f"corrected value must be a finite number, not {str(value)!r}")
    return format(number.normalize(), "f") if number else "0"


def _unit_text(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if len(text) > MAX_UNIT_CHARS or any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ReviewError(f"corrected unit must be a unit or measure word (名, 万元, %), not {str(value)[:40]!r}")
    return text


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def verdict(figure_id: str, status: str, note: str = "", corrected_value: object = None, corrected_unit: object = None,
            when: str | None = None) -> dict[str, str]:
    """A validated review row."""
    status = (status or "").strip().lower()
    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    corrected, unit = number_text(corrected_value), _unit_text(corrected_unit)
    if status == "corrected" and not (corrected or unit):
        raise ReviewError("status 'corrected' needs the corrected value (--value) or the corrected unit (--unit)")
    if status != "corrected" and (corrected or unit):
        raise ReviewError(f"a corrected value or unit goes with status 'corrected', not {status!r}")
    return {"figure_id": figure_id, "status": status, "note": (note or "").strip(), "corrected_value": corrected,
            "corrected_unit": unit, "reviewed_at": when or now()}


def same_verdict(old: dict[str, str] | None, new: dict[str, str]) -> bool:
    return old is not None and all((old.get(c) or "") == new[c] for c in VERDICT_FIELDS)


def _stored(row: dict[str, object]) -> dict[str, str]:
    """A review row as read from the database or reviews.csv, in canonical form."""
    text = {c: "" if row.get(c) is None else str(row[c]) for c in REVIEW_COLUMNS}
    text["reviewed_at"] = text["reviewed_at"].replace("+00:00", "Z")  # as now() writes UTC
    try:
        text["corrected_value"] = number_text(text["corrected_value"])
    except ReviewError:
        pass  # a hand-edited table: shown as it is, refused only when recorded again
    return text


def load_reviews(out_dir: str | Path) -> dict[str, dict[str, str]]:
    """Verdicts by figure_id: the database table, else the exported reviews.csv, else none."""
    out = Path(out_dir)
    database = out / DATABASE
    if database.exists():
        import duckdb

        connection = duckdb.connect(str(database), read_only=True)
        try:
            if "reviews" in {row[0] for row in connection.execute("SHOW TABLES").fetchall()}:
                cursor = connection.execute("SELECT * FROM reviews ORDER BY figure_id")
                names = [column[0] for column in cursor.description]
                return {row["figure_id"]: row for row in (_stored(dict(zip(names, values))) for values in cursor.fetchall())}
        finally:
            connection.close()
    if (out / REVIEWS_CSV).exists():
        with open(out / REVIEWS_CSV, encoding="utf-8", newline="") as handle:
            rows = (_stored({c: read_cell(row.get(c)) for c in REVIEW_COLUMNS}) for row in csv.DictReader(handle))
            return {row["figure_id"]: row for row in rows}
    return {}


def save_reviews(out_dir: str | Path, reviews: dict[str, dict[str, str]]) -> None:
    """Write the verdicts to ``reviews.csv`` and the database's ``reviews`` table."""
    from pipeline.dataset.datapackage import write_datapackage
    from pipeline.dataset.writers import atomic_path

    out = Path(out_dir)
    rows = [[reviews[key].get(c) or "" for c in REVIEW_COLUMNS] for key in sorted(reviews)]
    with atomic_path(out / REVIEWS_CSV) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(REVIEW_COLUMNS)
            writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    write_datapackage(out)  # lists reviews.csv with its key
    if (out / DATABASE).exists():
        _write_table(out / DATABASE, rows)


def _write_table(database: Path, rows: list[list[str]]) -> None:
    import duckdb
    import pyarrow as pa

    # An Arrow table, not executemany: DuckDB inserts those a row at a time.
    columns = {c: [row[i] for row in rows] for i, c in enumerate(REVIEW_COLUMNS)}
    table = pa.table({c: pa.array([float(v) if v else None for v in values], pa.float64()) if REVIEWS[c][0] == "number"
                      else pa.array(values, pa.string()) for c, values in columns.items()})
    connection = duckdb.connect(str(database))
    try:
        connection.execute("BEGIN TRANSACTION")
        connection.execute("CREATE OR REPLACE TABLE reviews (figure_id VARCHAR PRIMARY KEY, status VARCHAR, note VARCHAR, "
                           "corrected_value DOUBLE, corrected_unit VARCHAR, reviewed_at VARCHAR)")
        connection.register("review_rows", table)
        connection.execute(f"INSERT INTO reviews SELECT {', '.join(REVIEW_COLUMNS)} FROM review_rows")
        connection.unregister("review_rows")
        connection.execute("COMMIT")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def record(out_dir: str | Path, figure_id: str, status: str, note: str = "", corrected_value: object = None,
           corrected_unit: object = None) -> tuple[dict[str, str], bool]:
    """Record one verdict, replacing an earlier one on the same figure. Returns the verdict and
    whether anything changed (the same verdict again keeps its ``reviewed_at``)."""
    out = Path(out_dir)
    if figure_id not in metrics_rows(out):
        raise ReviewError(f"no figure {figure_id!r} in {out / 'metrics.csv'}")
    row = verdict(figure_id, status, note, corrected_value, corrected_unit)
    reviews = load_reviews(out)
    if same_verdict(reviews.get(figure_id), row):
        return reviews[figure_id], False
    reviews[figure_id] = row
    save_reviews(out, reviews)
    return row, True


def clear(out_dir: str | Path, figure_id: str) -> dict[str, str] | None:
    """Remove a figure's verdict; returns the verdict removed, or None when it had none."""
    out = Path(out_dir)
    reviews = load_reviews(out)
    removed = reviews.pop(figure_id, None)
    if removed is None and figure_id not in metrics_rows(out):
        raise ReviewError(f"no figure {figure_id!r} in {out / 'metrics.csv'}")
    if removed is not None:
        save_reviews(out, reviews)
    return removed


def restore(out_dir: str | Path) -> None:
    """Put reviews.csv back into a database that lost the table (a re-run of extract), and
    bring a table written before a column existed up to ``REVIEW_COLUMNS``."""
    out = Path(out_dir)
    if not (out / DATABASE).exists():
        return
    import duckdb

    connection = duckdb.connect(str(out / DATABASE), read_only=True)
    try:
        columns = [row[0] for row in connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'reviews' ORDER BY column_index").fetchall()]
    finally:
        connection.close()
    if columns != REVIEW_COLUMNS and (columns or (out / REVIEWS_CSV).exists()):
        save_reviews(out, load_reviews(out))
