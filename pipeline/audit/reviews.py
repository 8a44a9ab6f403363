"""Auditors' verdicts on figures: the ``reviews`` table of ``bulletins.duckdb``, keyed by the
stable ``figure_id``, with ``reviews.csv`` beside it as an exported copy.

The CSV files are for spreadsheets: their cells are written with ``spreadsheet.safe_cell`` (a
note or file name starting with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'``) and read back
with ``read_cell``; the database table keeps the text as it was entered.

``extract`` rewrites the database; the verdicts outlive it because the figure ids are stable
and because ``audit`` and ``review`` put ``reviews.csv`` back into the database when the table
is missing.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pipeline.audit.data import DATABASE
from pipeline.audit.spreadsheet import read_cell, safe_cell, safe_row

REVIEW_COLUMNS = ["figure_id", "status", "note", "corrected_value", "reviewed_at"]
STATUSES = ("verified", "disputed", "corrected")
REVIEWS_CSV = "reviews.csv"
EXPORT_COLUMNS = ["figure_id", "source_file", "issue_no", "county", "measure", "value", "unit", "value_text", "evidence", "page",
                  "status", "note", "corrected_value"]


class ReviewError(ValueError):
    """A verdict that cannot be recorded; the message says why."""


def _metrics_ids(out_dir: Path) -> dict[str, dict[str, str]]:
    with open(out_dir / "metrics.csv", encoding="utf-8", newline="") as handle:
        return {row["figure_id"]: row for row in csv.DictReader(handle)}


def load_reviews(out_dir: str | Path) -> dict[str, dict[str, str]]:
    """Verdicts by figure_id: the database table, else the exported reviews.csv, else none."""
    out = Path(out_dir)
    database = out / DATABASE
    if database.exists():
        import duckdb

        connection = duckdb.connect(str(database), read_only=True)
        try:
            if "reviews" in {row[0] for row in connection.execute("SHOW TABLES").fetchall()}:
                cursor = connection.execute(f"SELECT {', '.join(REVIEW_COLUMNS)} FROM reviews ORDER BY figure_id")
                return {row[0]: dict(zip(REVIEW_COLUMNS, ["" if v is None else str(v) for v in row])) for row in cursor.fetchall()}
        finally:
            connection.close()
    if (out / REVIEWS_CSV).exists():
        with open(out / REVIEWS_CSV, encoding="utf-8", newline="") as handle:
            rows = ({c: read_cell(row.get(c)) for c in REVIEW_COLUMNS} for row in csv.DictReader(handle))
            return {row["figure_id"]: row for row in rows}
    return {}


def save_reviews(out_dir: str | Path, reviews: dict[str, dict[str, str]]) -> None:
    """Write the verdicts to the database's ``reviews`` table and to ``reviews.csv``."""
    from pipeline.dataset.writers import atomic_path

    out = Path(out_dir)
    rows = [[reviews[key].get(c, "") for c in REVIEW_COLUMNS] for key in sorted(reviews)]
    with atomic_path(out / REVIEWS_CSV) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(REVIEW_COLUMNS)
            writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    if (out / DATABASE).exists():
        import duckdb

        connection = duckdb.connect(str(out / DATABASE))
        try:
            connection.execute("CREATE OR REPLACE TABLE reviews (figure_id VARCHAR PRIMARY KEY, status VARCHAR, note VARCHAR, corrected_value DOUBLE, reviewed_at VARCHAR)")
            if rows:
                connection.executemany("INSERT INTO reviews VALUES (?, ?, ?, ?, ?)",
                                       [[r[0], r[1], r[2], float(r[3]) if r[3] != "" else None, r[4]] for r in rows])
            connection.execute("CHECKPOINT")
        finally:
            connection.close()


def _number_text(value: str | float | None) -> str:
    if value in (None, ""):
        return ""
    number = float(value)
    return str(int(number)) if number == int(number) else repr(number)


def verdict(figure_id: str, status: str, note: str = "", corrected_value: str | float | None = None, when: str | None = None) -> dict[str, str]:
    """A validated review row."""
    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    try:
        corrected = _number_text(corrected_value)
    except ValueError:
        raise ReviewError(f"corrected value must be a number, not {corrected_value!r}") from None
    if status == "corrected" and not corrected:
        raise ReviewError("status 'corrected' needs the corrected value (--value)")
    if status != "corrected" and corrected:
        raise ReviewError(f"a corrected value goes with status 'corrected', not {status!r}")
    return {"figure_id": figure_id, "status": status, "note": note or "", "corrected_value": corrected,
            "reviewed_at": when or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()}


def record(out_dir: str | Path, figure_id: str, status: str, note: str = "", corrected_value: str | float | None = None) -> dict[str, str]:
    """Record one verdict (replacing an earlier one on the same figure)."""
    out = Path(out_dir)
    if figure_id not in _metrics_ids(out):
        raise ReviewError(f"no figure {figure_id!r} in {out / 'metrics.csv'}")
    row = verdict(figure_id, status, note, corrected_value)
    reviews = load_reviews(out)
    reviews[figure_id] = row
    save_reviews(out, reviews)
    return row


def export_csv(out_dir: str | Path, path: str | Path) -> int:
    """Every figure with its verdict so far, for an auditor to fill in; returns the row count.
    Cells that a spreadsheet would run as a formula are written as text (``safe_cell``)."""
    out = Path(out_dir)
    reviews = load_reviews(out)
    figures = _metrics_ids(out)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, EXPORT_COLUMNS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for figure_id, figure in figures.items():
            review = reviews.get(figure_id, {})
            writer.writerow(safe_row({**{c: figure.get(c, "") for c in EXPORT_COLUMNS}, **{c: review.get(c, "") for c in ("status", "note", "corrected_value")}}))
    return len(figures)


def import_csv(out_dir: str | Path, path: str | Path) -> tuple[int, list[str]]:
    """Record the verdicts of an edited export (rows with an empty status are left alone).
    Returns (verdicts recorded, figure ids not in this output). A bad row is a ReviewError
    naming its line; nothing is recorded then."""
    out = Path(out_dir)
    known = _metrics_ids(out)
    reviews = load_reviews(out)
    recorded, unknown = 0, []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "figure_id" not in reader.fieldnames or "status" not in reader.fieldnames:
            raise ReviewError(f"{path}: needs columns figure_id and status")
        updates = {}
        for line, raw in enumerate(reader, start=2):
            row = {key: read_cell(value) for key, value in raw.items() if key is not None}
            status = (row.get("status") or "").strip()
            if not status:
                continue
            figure_id = row["figure_id"].strip()
            if figure_id not in known:
                unknown.append(figure_id)
                continue
            try:
                new = verdict(figure_id, status, (row.get("note") or "").strip(), (row.get("corrected_value") or "").strip())
            except ReviewError as error:
                raise ReviewError(f"{path}:{line}: {error}") from None
            old = reviews.get(figure_id)
            if old and all(old.get(c, "") == new[c] for c in ("status", "note", "corrected_value")):
                continue  # unchanged: keep its date
            updates[figure_id] = new
    reviews.update(updates)
    recorded = len(updates)
    save_reviews(out, reviews)
    return recorded, unknown


def restore(out_dir: str | Path) -> None:
    """After a re-run of extract that dropped the table, put reviews.csv back into the database."""
    out = Path(out_dir)
    if (out / REVIEWS_CSV).exists() and (out / DATABASE).exists():
        save_reviews(out, load_reviews(out))
