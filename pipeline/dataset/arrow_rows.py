"""Rows as an Arrow table of the column contract (``schema.py``), without pandas: what the
table writers of ``extract`` hand to Parquet and DuckDB.

pandas takes a fifth of a second to import, as long as reading a bulletin, and the writers need
none of it; but ``pyarrow.array`` imports it on its first call whenever it is installed. So the
cells are converted here, in Python, to the contract's types, and handed to Arrow as JSON lines
with an explicit schema (Arrow's JSON reader is C++ and imports neither pandas nor pyarrow.compute). The table carries the
pandas metadata that makes ``pandas.read_parquet`` give back the dtypes of ``pipeline.extract()``
(``frames.py``); a test holds the two conversions equal on every table of the corpus."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
from importlib import metadata

import pyarrow as pa
import pyarrow.json as pa_json
import regex

from pipeline.dataset.schema import STORAGE, Schema, arrow_schema

_ISO_DATE = regex.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Integers a double holds exactly and int64 too: offsets, pages and issue numbers are far below.
INTEGER_LIMIT = 2**53
# How pandas describes a column of each type in the metadata it writes beside an Arrow table.
_PANDAS_TYPES = {"string": "unicode", "integer": "int64", "number": "float64", "date": "date"}


@functools.lru_cache(maxsize=4096)  # a date is repeated in every row of its issue
def iso_date(value: object) -> dt.date | None:
    """2022-10-20 as a date; anything else, and a day that does not exist (2022-02-30), None."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _string(value: object) -> str | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, str) else str(value)


def _number(value: object) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):  # text that is no number
        return None
    return number if math.isfinite(number) else None  # beyond ±1.8e308: NULL, never inf


def _integer(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) <= INTEGER_LIMIT else None
    number = _number(value)
    if number is None or number != round(number) or abs(number) > INTEGER_LIMIT:
        return None
    return int(number)


_EPOCH = dt.date(1970, 1, 1)


def _date_days(value: object) -> int | None:
    """A date as Arrow's date32 holds it: days since 1970-01-01."""
    date = iso_date(value)
    return (date - _EPOCH).days if date else None


_CONVERTERS = {"string": _string, "integer": _integer, "number": _number, "date": _date_days}


def arrow_rows(rows: list[dict], schema: Schema) -> pa.Table:
    """The rows (cells as they hold them: text, numbers, empty strings) as an Arrow table of the
    contract's types; an empty cell, or one that is not of its column's type, is NULL."""
    types = arrow_schema(schema).with_metadata({b"pandas": _pandas_metadata(tuple((name, kind) for name, (kind, _) in schema.items()))})
    if not rows:
        return types.empty_table()
    converters = [(column, _CONVERTERS[kind]) for column, (kind, _) in schema.items()]
    lines = "\n".join(json.dumps({column: convert(row.get(column)) for column, convert in converters}, ensure_ascii=False, allow_nan=False)
                      for row in rows)
    # Dates go through the reader as their days (it reads no date32) and are viewed as dates
    # after: a cast would import pyarrow.compute, a tenth of a second.
    as_read = pa.schema([pa.field(f.name, pa.int32() if pa.types.is_date(f.type) else f.type) for f in types])
    table = pa_json.read_json(io.BytesIO(lines.encode("utf-8")), read_options=pa_json.ReadOptions(block_size=max(1 << 20, 2 * len(lines))),
                              parse_options=pa_json.ParseOptions(explicit_schema=as_read, unexpected_field_behavior="error"))
    columns = [pa.chunked_array([chunk.view(f.type) for chunk in table.column(f.name).chunks], f.type) if pa.types.is_date(f.type)
               else table.column(f.name) for f in types]
    return pa.Table.from_arrays(columns, schema=types).combine_chunks()


@functools.lru_cache(maxsize=8)
def _pandas_metadata(columns: tuple[tuple[str, str], ...]) -> bytes:
    return json.dumps({
        "index_columns": [],
        "column_indexes": [],
        "columns": [{"name": name, "field_name": name, "pandas_type": _PANDAS_TYPES[kind], "numpy_type": STORAGE[kind][0], "metadata": None}
                    for name, kind in columns],
        "attributes": {},
        "creator": {"library": "pyarrow", "version": pa.__version__},
        "pandas_version": _version("pandas"),
    }).encode()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""
