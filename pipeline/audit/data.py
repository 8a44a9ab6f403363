"""Reading an output folder written by ``extract`` into audit records.

The metrics and documents come from ``metrics.csv`` / ``documents.csv`` (exact decimal text);
the documents' normalized text from the ``document_texts`` table of ``bulletins.duckdb``. Without
the database the evidence sentence stands in for the text around each figure.
"""

from __future__ import annotations

import csv
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
    def issue_order(self) -> tuple[str, float, str]:
        number = self.row.get("issue_no", "")
        return (self.row.get("issue_date", ""), float(number) if number.replace(".", "", 1).isdigit() else 0.0, self.row["doc_id"])


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


def _number(text: str) -> float | None:
    try:
        return float(text) if text not in ("", None) else None
    except ValueError:
        return None


SENTENCE_END = "。！？!?\n"


def _locate(row: dict[str, str], text: str) -> tuple[int, int, str, str]:
    """(sentence start, figure start, text before, text after) within the document or evidence."""
    start, end = int(row["char_start"] or 0), int(row["char_end"] or 0)
    if text and text[start:end].strip() == row["value_text"].strip():
        left = max((text.rfind(mark, 0, start) for mark in SENTENCE_END), default=-1) + 1
        rights = [i for i in (text.find(mark, end) for mark in SENTENCE_END) if i != -1]
        right = min(rights) if rights else len(text)
        return left, start, text[left:start], text[end:right]
    evidence = row["evidence"]
    at = evidence.find(row["value_text"])
    at = at if at != -1 else len(evidence)
    return -1 - zlib.crc32(evidence.encode()), at, evidence[:at], evidence[at + len(row["value_text"]) :]


def figure_from_row(row: dict[str, str], text: str = "", rules: KeyRules | None = None) -> Figure:
    rules = rules or load_key_rules()
    sentence_start, start, before, after = _locate(row, text)
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
    figures = [figure_from_row(row, texts.get(row["doc_id"], ""), rules) for row in rows]
    return OutputFolder(path, figures, documents, texts)
