"""CSV cells for files a reviewer opens in a spreadsheet, safe from formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
strips a leading tab or carriage return first), so a file name or a sentence such as
``=cmd|' /C calc'!A0`` or ``@SUM(…)`` in a bulletin would be executed where a reviewer opens the
export. As OWASP recommends, such a cell is written with a leading ``'``, which makes it text.
A cell that is a plain number (``-5``, ``-3.5``, ``+2``, ``-1e3``) is left as it is: a
spreadsheet reads it as the number it is, and nothing in it can run. A cell that itself starts
with ``'`` gets one more, so that ``read_cell`` gives back exactly what was written: importing
an edited export yields the original notes and values whether or not the spreadsheet kept the
quote. Only these exports are escaped (the review export, reviews.csv and flags.csv); the data
tables — metrics.csv, Parquet, DuckDB — keep every value as it is.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """The cell as written for a spreadsheet."""
    text = "" if value is None else str(value)
    if not text:
        return text
    if text.startswith(_QUOTE) or (text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)):
        return _QUOTE + text
    return text


def read_cell(text: str | None) -> str:
    """A cell of such a file as it was before ``safe_cell`` (a spreadsheet may have dropped the
    quote already: then the text is as it was)."""
    text = text or ""
    if len(text) >= 2 and text[0] == _QUOTE and (text[1] == _QUOTE or text.startswith(FORMULA_STARTS, 1)):
        return text[1:]
    return text


def safe_row(row: dict) -> dict:
    return {key: safe_cell(value) for key, value in row.items()}
