"""Rows as typed tables: the text of the rows converted to the dtypes of the column contract
(``schema.py``), as a pandas DataFrame for the Python API and as an Arrow table for Parquet and
DuckDB. The CSV files are written from the rows themselves and keep their text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pipeline.dataset.arrow_rows import INTEGER_LIMIT, iso_date
from pipeline.dataset.schema import Schema, arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa



def frame(rows: list[dict], schema: Schema, sort: list[str]) -> pd.DataFrame:
    """The rows as a typed DataFrame in the order of the written table (stable sort on ``sort``)."""
    data = pd.DataFrame(rows, columns=list(schema))
    if len(data):
        data = data.sort_values(sort, kind="mergesort").reset_index(drop=True)
    return typed(data, schema)


def typed(data: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """``data`` (cells as the rows hold them: text, numbers, empty strings) with the contract's
    dtypes; an empty cell is <NA>. A cell that is not of its column's type — a number a double
    cannot hold (beyond ±1.8e308), a date that does not exist — is <NA> too, never inf or NaN:
    figures that large are set aside before (rules/figure_bounds.tsv), this is the last guard."""
    converters = {"string": _strings, "integer": _integers, "number": _numbers, "date": _dates}
    return pd.DataFrame({column: converters[kind](data[column]) for column, (kind, _) in schema.items()}, index=data.index)


def arrow_table(data: pd.DataFrame, schema: Schema) -> pa.Table:
    """A typed DataFrame as an Arrow table of the contract's types, with the pandas metadata
    that makes ``pandas.read_parquet`` give back the same dtypes."""
    import pyarrow as pa

    return pa.Table.from_pandas(data, schema=arrow_schema(schema), preserve_index=False)


def _blank(values: pd.Series) -> pd.Series:
    """The cells with the empty ones missing (None, NaN, '')."""
    values = values.astype(object)
    return values.mask(values.isna() | (values == ""))


def _strings(values: pd.Series) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    # Straight to Arrow, which holds pandas' strings: a third of the time of astype("string").
    try:
        text = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # text mixed with numbers
        return _blank(values).astype("string")
    if pa.types.is_null(text.type):  # no cell at all
        text = pa.nulls(len(text), pa.large_string())
    elif not pa.types.is_large_string(text.type):
        if not pa.types.is_string(text.type):  # numbers
            return _blank(values).astype("string")
        text = text.cast(pa.large_string())
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index, dtype="string")


def _numbers(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")  # '' and text that is no number: NaN
    return numbers.where(np.isfinite(numbers)).astype("Float64")


def _integers(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    if pd.api.types.is_integer_dtype(numbers.dtype):
        return numbers.astype("Int64")
    numbers = numbers.astype("float64")
    whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (numbers.abs() <= INTEGER_LIMIT)
    return numbers.where(whole).astype("Int64")


def _dates(values: pd.Series) -> pd.Series:
    import pyarrow as pa

    dates = pa.array([iso_date(value) for value in values.tolist()], pa.date32())
    return pd.Series(pd.arrays.ArrowExtensionArray(dates), index=values.index)
