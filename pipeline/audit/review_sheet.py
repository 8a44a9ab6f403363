"""The reviewer's spreadsheet: ``review --export`` writes every figure with its verdict to a CSV
to fill in, ``review --import`` records what was filled in.

The export is UTF-8 with a byte-order mark, which is what makes Excel open it as UTF-8 rather
than in the system's code page. A spreadsheet saves it back as it likes: UTF-8 with or without
the mark, or GBK (GB18030) from a Chinese Excel's "CSV (逗号分隔)"; the import reads each of
these (and UTF-16 with its mark, tab-separated, from "Unicode text"). Cells that a spreadsheet
would run as a formula are written as text (``spreadsheet.safe_cell``) and read back as they
were (``read_cell``).

An import is all or nothing: the first bad line stops it with ``FILE:LINE: reason`` and
nothing is recorded. A row with a status records that verdict; a row with an empty status
removes the figure's verdict; a row whose verdict is the one already recorded changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.audit.reviews import ReviewError, load_reviews, metrics_rows, number_text, same_verdict, save_reviews, verdict
from pipeline.audit.spreadsheet import read_cell, safe_row

FIGURE_COLUMNS = ["figure_id", "source_file", "issue_no", "county", "measure", "value", "unit", "value_text", "evidence", "page"]
VERDICT_COLUMNS = ["status", "note", "corrected_value", "corrected_unit"]
EXPORT_COLUMNS = FIGURE_COLUMNS + VERDICT_COLUMNS
REQUIRED_COLUMNS = ("figure_id", "status")
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class ImportSummary:
    recorded: int  # verdicts new or changed
    removed: int  # verdicts removed by an empty status
    unchanged: int  # rows whose verdict (or absence of one) was already recorded


def export_csv(out_dir: str | Path, path: str | Path) -> int:
    """Every figure with its verdict so far, for an auditor to fill in; returns the row count."""
    from pipeline.dataset.writers import atomic_path

    out = Path(out_dir)
    reviews = load_reviews(out)
    figures = metrics_rows(out)
    destination = Path(path)
    if not destination.parent.is_dir():
        raise ReviewError(f"cannot write {destination}: no folder {destination.parent}")
    with atomic_path(destination) as temporary:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, EXPORT_COLUMNS, lineterminator="\r\n")
            writer.writeheader()
            for figure_id, figure in figures.items():
                review = reviews.get(figure_id, {})
                writer.writerow(safe_row({**{c: figure.get(c, "") for c in FIGURE_COLUMNS}, **{c: review.get(c, "") for c in VERDICT_COLUMNS}}))
    return len(figures)


def decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (which includes GBK), or
    UTF-16 when it starts with that BOM."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(path, data, "utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _decode(path, data, "gb18030")


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReviewError(f"{path}:{line}: not UTF-8, GBK/GB18030 or UTF-16 text (byte 0x{data[error.start]:02x}); "
                          "save the sheet as CSV UTF-8") from None


def _rows(path: Path):
    """(line, {column: cell}) for each record of the file, the line being where it starts; the
    header checked for the required columns."""
    text = decode(path)
    header_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ReviewError(f"{path}:1: missing column {', '.join(missing)} (the header needs {', '.join(REQUIRED_COLUMNS)})")
        index = {name: header.index(name) for name in EXPORT_COLUMNS if name in header}
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, {name: read_cell(cells[i]) if i < len(cells) else "" for name, i in index.items()}
            line = reader.line_num + 1
    except csv.Error as error:
        raise ReviewError(f"{path}:{reader.line_num}: {error}") from None


def import_csv(out_dir: str | Path, path: str | Path) -> ImportSummary:
    """Record the verdicts of an edited export; a bad line is a ReviewError ``FILE:LINE: reason``
    and then nothing is recorded."""
    out = Path(out_dir)
    source = Path(path)
    known = metrics_rows(out)
    reviews = load_reviews(out)
    seen: dict[str, int] = {}
    changes: dict[str, dict[str, str] | None] = {}
    unchanged = 0
    for line, row in _rows(source):
        try:
            figure_id = _figure_id(row, known, seen)
            seen[figure_id] = line
            change = _change(figure_id, row, reviews.get(figure_id))
        except ReviewError as error:
            raise ReviewError(f"{source}:{line}: {error}") from None
        if change is _UNCHANGED:
            unchanged += 1
        else:
            changes[figure_id] = change
    for figure_id, change in changes.items():
        if change is None:
            reviews.pop(figure_id)
        else:
            reviews[figure_id] = change
    if changes:
        save_reviews(out, reviews)
    removed = sum(1 for change in changes.values() if change is None)
    return ImportSummary(recorded=len(changes) - removed, removed=removed, unchanged=unchanged)


_UNCHANGED: dict[str, str] = {}


def _figure_id(row: dict[str, str], known: dict[str, dict[str, str]], seen: dict[str, int]) -> str:
    figure_id = row["figure_id"].strip()
    if not figure_id:
        raise ReviewError("no figure_id")
    if figure_id not in known:
        raise ReviewError(f"unknown figure id {figure_id!r}: not in metrics.csv of this output folder (export again after extract)")
    if figure_id in seen:
        raise ReviewError(f"figure {figure_id} is on line {seen[figure_id]} already")
    return figure_id


def _change(figure_id: str, row: dict[str, str], old: dict[str, str] | None) -> dict[str, str] | None:
    """The figure's new verdict, None to remove it, or ``_UNCHANGED``."""
    fields = {c: row.get(c, "") for c in VERDICT_COLUMNS}
    if not fields["status"].strip():
        if old is not None:
            return None
        if fields["note"].strip() or number_text(fields["corrected_value"]) or fields["corrected_unit"].strip():
            raise ReviewError("a note or correction needs a status (verified, disputed or corrected)")
        return _UNCHANGED
    new = verdict(figure_id, fields["status"], fields["note"], fields["corrected_value"], fields["corrected_unit"])
    return _UNCHANGED if same_verdict(old, new) else new
