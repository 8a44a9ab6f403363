"""The column contract of the output tables: each column's name, type and description.

One table drives every form the data takes, so they cannot drift apart: the ``pandas`` dtypes
of ``pipeline.extract()``, the Arrow types of ``metrics.parquet``, the column types of
``bulletins.duckdb`` and the field types of ``datapackage.json``. A type is a Frictionless
field type; ``STORAGE`` says what it is in each of the others. Every column may be empty: an
empty CSV cell is NULL in Parquet and DuckDB and ``<NA>`` in pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.dataset.rows import DOCUMENT_COLUMNS, METRIC_COLUMNS, SECTION_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

Schema = dict[str, tuple[str, str]]  # column: (Frictionless type, description)

# Frictionless type: (pandas dtype, Arrow type, DuckDB type). Integers and numbers are pandas'
# nullable dtypes and strings its NA-backed string dtype, so an empty cell is <NA> in every
# column; a date is Arrow's date32 in pandas too, what the Parquet file holds and reads back as.
STORAGE = {
    "string": ("string", "string", "VARCHAR"),
    "integer": ("Int64", "int64", "BIGINT"),
    "number": ("Float64", "float64", "DOUBLE"),
    "date": ("date32[day][pyarrow]", "date32", "DATE"),
}

METRICS: Schema = {
    "figure_id": ("string", "Stable id of the figure: the same document content and span give the same id"),
    "doc_id": ("string", "Id of the document (first 16 hex digits of its SHA-256)"),
    "source_file": ("string", "Path of the input file as given"),
    "issue_part": ("integer", "Which issue of its file the figure is in: 1, or 1, 2, … for a file holding several issues under mastheads of their own"),
    "issue_no": ("integer", "Issue number from the masthead (第14期 → 14)"),
    "issue_date": ("date", "Issue date from the masthead (2022-10-20 in the CSV)"),
    "issuer": ("string", "Issuing office from the masthead"),
    "section": ("string", "Short label of the section (a theme from rules/section_themes.tsv, or the heading's first phrase)"),
    "section_title": ("string", "Full heading or bold lead sentence of the section"),
    "county": ("string", "County-level (or city/province-level) place the figure is attributed to; empty (NULL) when unknown or ambiguous"),
    "county_code": ("string", "6-digit administrative code of `county`, as text (leading zeros kept); empty when unresolved"),
    "county_basis": ("string", "Which evidence decided the county: list, clause, scope, sentence, passage, heading, table, or region:<region_basis> (rules/attribution_evidence.tsv)"),
    "town": ("string", "Town, township or sub-district leading the passage, if any"),
    "actor": ("string", "Department or working group reporting the figure, if named"),
    "measure": ("string", "What was counted: the predicate and object without the number"),
    "value": ("number", "Normalized value in the base unit (18.4万元 → 184000); the lower end of a range"),
    "unit": ("string", "Base unit or measure word (个, 人, 元, %, 人次 …)"),
    "qualifier": ("string", "more_than | approx | at_least | less_than, or empty for an exact figure"),
    "value_max": ("number", "Upper end of a range (3至5个 → 5), else empty"),
    "value_text": ("string", "The figure as written (1.4万个)"),
    "evidence": ("string", "The sentence the figure comes from, cut to about 160 characters around the value (… where cut); a table cell's row and column headers"),
    "page": ("integer", "1-based page of the figure"),
    "char_start": ("integer", "Start offset of the figure in the document's normalized text (document_texts.text)"),
    "char_end": ("integer", "End offset (exclusive)"),
}
DOCUMENTS: Schema = {
    "doc_id": ("string", "Id of the file's content (first 16 hex digits of its SHA-256), shared by the issues of a file and by copies of it; empty for a file never opened"),
    "source_file": ("string", "Path of the input file as given"),
    "format": ("string", "markdown | text | html | pdf | docx | unknown"),
    "sha256": ("string", "SHA-256 of the file's bytes; empty for a file never opened"),
    "status": ("string", "ok | empty | needs_ocr | encrypted | corrupt | too_large | unsupported | error"),
    "error": ("string", "Why the file could not be read, in words; empty when ok"),
    "pages": ("integer", "Number of pages (1 for formats without pages); pages the issue spans, for a file holding several"),
    "figures": ("integer", "Number of figures extracted"),
    "seconds": ("number", "Processing time of the document (of the issue, for a file holding several)"),
    "issue_part": ("integer", "1; for a file holding several issues, one row per issue numbered 1, 2, … in file order, each with its own metadata and figures"),
    "issue_no": ("integer", "Issue number"),
    "issue_date": ("date", "Issue date (2022-10-20 in the CSV)"),
    "issuer": ("string", "Issuing office"),
    "series": ("string", "Series named under the issue number (（“四型”社区建设）)"),
    "title": ("string", "Title of the issue"),
    "region": ("string", "Code of the document's home region: what 全县/我市 and figures without a place of their own belong to; empty if the document names no place"),
    "region_basis": ("string", "How the region was found: option (--region), masthead, title, dateline or mention (rules/region_evidence.tsv)"),
    "submitted_to": ("string", "呈/报 list, joined by ；"),
    "sent_to": ("string", "送/抄送 list, joined by ；"),
    "distributed_to": ("string", "发 list, joined by ；"),
}
SECTIONS: Schema = {
    "doc_id": ("string", "Id of the document"),
    "section_no": ("integer", "1-based position of the section in the document"),
    "section": ("string", "Short label of the section"),
    "section_title": ("string", "Heading or bold lead sentence"),
    "level": ("integer", "Heading level (1 = 一、 or a bold lead; 2 = （一）; 3 = 1.)"),
    "char_start": ("integer", "Start offset in the document text"),
    "char_end": ("integer", "End offset in the document text"),
    "page": ("integer", "Page where the section starts"),
}
TEXTS: Schema = {
    "doc_id": ("string", "Id of the document"),
    "text": ("string", "The document's normalized text; char_start/char_end of metrics index it"),
}

assert list(METRICS) == METRIC_COLUMNS
assert list(DOCUMENTS) == [c for c in DOCUMENT_COLUMNS if c != "text"]
assert list(SECTIONS) == SECTION_COLUMNS


def pandas_dtypes(schema: Schema) -> dict[str, Any]:
    """Column: pandas dtype, as ``pipeline.extract()`` returns and ``metrics.parquet`` reads back."""
    import pandas as pd

    return {column: pd.api.types.pandas_dtype(STORAGE[kind][0]) for column, (kind, _) in schema.items()}


def arrow_schema(schema: Schema) -> "pa.Schema":
    import pyarrow as pa

    return pa.schema([(column, getattr(pa, STORAGE[kind][1])()) for column, (kind, _) in schema.items()])


def duckdb_columns(schema: Schema) -> str:
    """The column definitions of a ``CREATE TABLE``: ``"figure_id" VARCHAR, …``."""
    return ", ".join(f'"{column}" {STORAGE[kind][2]}' for column, (kind, _) in schema.items())


def csv_options(schema: Schema) -> dict[str, Any]:
    """Keyword arguments of ``pandas.read_csv`` that read a table's CSV file back with the
    dtypes of ``pipeline.extract()``: codes stay text (county_code '610300', not 610300.0), only
    an empty cell is missing (a town named 'NA' is a name)."""
    return {"dtype": pandas_dtypes(schema), "keep_default_na": False, "na_values": [""]}
