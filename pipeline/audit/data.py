"""Reading an output folder written by ``extract`` into audit records.

The metrics and documents come from ``metrics.csv`` / ``documents.csv`` (exact decimal text);
the documents' normalized text from the ``document_texts`` table of ``bulletins.duckdb``. Without
the database the evidence sentence stands in for the text around each figure.
"""

from __future__ import annotations

import bisect
import csv
import math
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audit.measure_keys import KeyRules, clause_before, is_cumulative, load_key_rules, measure_key

DATABASE = "bulletins.duckdb"


@dataclass
class Figure:
    """One metrics row with what the checks derive from it."""

    row: dict[str, str]
    value: float
    value_max: float | None
    measure_key: str
    cumulative: bool
    sentence: tuple[str, int]  # (doc_id, start of the sentence in the text), to group figures of one sentence
    start: int  # position in that text
    before: str  # the sentence's text before the figure
    after: str  # the sentence's text after the figure

    def __getitem__(self, column: str) -> str:
        return self.row[column]

    @property
    def id(self) -> str:
        return self.row["figure_id"]

    @property
    def issue_order(self) -> tuple[str, float, str, int]:
        """Which issue the figure is in, in the order of the issues: a file holding several
        issues has them apart by ``issue_part``."""
        number = self.row.get("issue_no", "")
        part = self.row.get("issue_part", "") or "1"
        return (self.row.get("issue_date", ""), float(number) if _is_number(number) else 0.0, self.row["doc_id"], int(part) if part.isdigit() else 1)


@dataclass
class OutputFolder:
    path: Path
    figures: list[Figure]
    documents: list[dict[str, str]]
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> Path:
        return self.path / DATABASE


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `bulletin-metrics extract … --out {path.parent}` first")
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_texts(database: Path) -> dict[str, str]:
    if not database.exists():
        return {}
    import duckdb

    connection = duckdb.connect(str(database), read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
        if "document_texts" not in tables:
            return {}
        return dict(connection.execute("SELECT doc_id, text FROM document_texts").fetchall())
    finally:
        connection.close()


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit() and len(text) < 30


def _number(text: str) -> float | None:
    """The value as a float, or None when empty, not a number, or beyond a double (never inf/nan:
    a hand-edited metrics.csv may hold anything)."""
    try:
        value = float(text) if text not in ("", None) else None
    except (ValueError, OverflowError):
        return None
    return value if value is None or math.isfinite(value) else None


SENTENCE_END = "。！？!?\n"


def sentence_ends(text: str) -> list[int]:
    """Where the text's sentences end, for ``_locate`` to bisect (one scan per document, not
    one per figure)."""
    return [i for i, ch in enumerate(text) if ch in SENTENCE_END]


def _locate(row: dict[str, str], text: str, ends: list[int] | None = None) -> tuple[int, int, str, str]:
    """(sentence start, figure start, text before, text after) within the document or evidence."""
    start, end = _offset(row["char_start"]), _offset(row["char_end"])
    if text and text[start:end].strip() == row["value_text"].strip():
        ends = sentence_ends(text) if ends is None else ends
        before = bisect.bisect_left(ends, start) - 1
        left = ends[before] + 1 if before >= 0 else 0
        after = bisect.bisect_left(ends, end)
        right = ends[after] if after < len(ends) else len(text)
        return left, start, text[left:start], text[end:right]
    evidence = row["evidence"]
    at = evidence.find(row["value_text"])
    at = at if at != -1 else len(evidence)
    return -1 - zlib.crc32(evidence.encode()), at, evidence[:at], evidence[at + len(row["value_text"]) :]


def _offset(text: str) -> int:
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0


def figure_from_row(row: dict[str, str], text: str = "", rules: KeyRules | None = None, ends: list[int] | None = None) -> Figure:
    rules = rules or load_key_rules()
    sentence_start, start, before, after = _locate(row, text, ends)
    key = measure_key(row["measure"], rules)
    return Figure(
        row=row,
        value=_number(row["value"]) or 0.0,
        value_max=_number(row["value_max"]),
        measure_key=key,
        cumulative=is_cumulative(clause_before(before, len(before)), row["measure"]),
        sentence=(row["doc_id"], sentence_start),
        start=start,
        before=before,
        after=after,
    )


def read_output(out_dir: str | Path, rules_dir: str | Path | None = None) -> OutputFolder:
    path = Path(out_dir)
    rows = _read_csv(path / "metrics.csv")
    documents = _read_csv(path / "documents.csv")
    texts = read_texts(path / DATABASE)
    rules = load_key_rules(rules_dir)
    ends: dict[str, list[int]] = {}
    figures = []
    for row in rows:
        text = texts.get(row["doc_id"], "")
        if text and row["doc_id"] not in ends:
            ends[row["doc_id"]] = sentence_ends(text)
        figures.append(figure_from_row(row, text, rules, ends.get(row["doc_id"])))
    return OutputFolder(path, figures, documents, texts)
