"""Precision, recall and F1 of extracted figures against gold CSVs.

A predicted row matches a gold row of the same document when county, value and unit agree.
Gold rows marked ``optional=1`` may be matched (they then count neither way) or missed.
On matched rows, the measure counts as right when the two phrases share at least half of
their character bigrams (Dice ≥ 0.5, punctuation ignored), and the qualifier when equal.

Section: gold's ``section`` is a shortened heading, so on matched required rows whose gold
section is not empty it counts as right when it agrees with the row's short label
(``section``) or its full heading (``section_title``): bigram Dice ≥ 0.5 with either, or at
least half of the gold section's bigrams found in the heading (gold 主要背景 is right for the
heading 一、主要背景和做法). Rows whose gold section is empty are not compared.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import regex

from pipeline.ingest.unicode import normalize_text

MEASURE_THRESHOLD = 0.5
SECTION_THRESHOLD = 0.5
FIELDS = ("county", "value", "unit")
_PUNCT = regex.compile(r"[\p{P}\p{S}\s]+")


def bigrams(text: str) -> set[str]:
    text = _PUNCT.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def measure_similarity(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def same_value(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def document_key(path: str) -> str:
    name = Path(path.replace("\\", "/")).name
    return name.split(".")[0]


@dataclass
class DocumentScore:
    document: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    measure_right: int = 0
    qualifier_right: int = 0
    section_right: int = 0
    section_compared: int = 0
    negative_hits: int = 0
    # Per field: (right, compared) on gold rows aligned by the other two key fields.
    fields: dict[str, list[int]] = field(default_factory=lambda: {name: [0, 0] for name in FIELDS})
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    wrong_measures: list[tuple[dict, dict]] = field(default_factory=list)
    wrong_sections: list[tuple[dict, dict]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def measure_accuracy(self) -> float:
        return self.measure_right / self.tp if self.tp else 0.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualifier_right / self.tp if self.tp else 0.0

    @property
    def section_accuracy(self) -> float:
        return self.section_right / self.section_compared if self.section_compared else 0.0

    def add(self, other: DocumentScore) -> None:
        for name in ("tp", "fp", "fn", "measure_right", "qualifier_right", "section_right", "section_compared", "negative_hits"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in FIELDS:
            self.fields[name][0] += other.fields[name][0]
            self.fields[name][1] += other.fields[name][1]

    def field_accuracy(self, name: str) -> float:
        right, compared = self.fields[name]
        return right / compared if compared else 0.0


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_gold(path: str | Path) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """Gold rows by document key, and each document's negatives (strings that are no figure)."""
    path = Path(path)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    gold = {document_key(str(f)): read_csv(f) for f in files if not f.name.endswith(".negatives.csv")}
    negatives: dict[str, list[str]] = {}
    negative_files = sorted(path.glob("*.negatives.txt")) if path.is_dir() else list(path.parent.glob(f"{document_key(str(path))}.negatives.txt"))
    for file in negative_files:
        lines = [line.split("#")[0].strip() for line in file.read_text(encoding="utf-8").splitlines()]
        negatives[document_key(str(file))] = [line for line in lines if line]
    return gold, negatives


def _compact(text: str) -> str:
    return regex.sub(r"\s+", "", text or "")


def score_document(key: str, gold: list[dict], predicted: list[dict], negatives: list[str]) -> DocumentScore:
    score = DocumentScore(key)
    unused = list(predicted)

    def take(row: dict) -> dict | None:
        candidates = [p for p in unused if p.get("county", "") == row.get("county", "") and p.get("unit", "") == row.get("unit", "") and same_value(p.get("value", ""), row.get("value", ""))]
        if not candidates:
            return None
        best = max(candidates, key=lambda p: measure_similarity(p.get("measure", ""), row.get("measure", "")))
        unused.remove(best)
        return best

    required = [g for g in gold if str(g.get("optional", "0")).strip() not in ("1", "true", "yes")]
    optional = [g for g in gold if g not in required]
    for row in required:
        match = take(row)
        if match is None:
            score.fn += 1
            score.misses.append(row)
            continue
        score.tp += 1
        if measure_similarity(match.get("measure", ""), row.get("measure", "")) >= MEASURE_THRESHOLD:
            score.measure_right += 1
        else:
            score.wrong_measures.append((row, match))
        if (match.get("qualifier") or "") == (row.get("qualifier") or ""):
            score.qualifier_right += 1
        if (row.get("section") or "").strip():
            score.section_compared += 1
            if section_agrees(row["section"], match.get("section", ""), match.get("section_title", "")):
                score.section_right += 1
            else:
                score.wrong_sections.append((row, match))
    for row in optional:
        take(row)
    score.fp = len(unused)
    _score_fields(score, required, predicted)
    score.false_positives = unused
    for row in predicted:
        text = _compact(row.get("value_text", ""))
        evidence = _compact(row.get("evidence", ""))
        # A row from a negative: the figure as written stands alone in it (a table's 0 is not the
        # 0 of 2023年), and the row's sentence holds it.
        pattern = regex.compile(rf"(?<![0-9.]){regex.escape(text)}(?![0-9.])") if text else None
        if pattern and any(pattern.search(n) and (not evidence or n in evidence) for n in map(_compact, negatives)):
            score.negative_hits += 1
    return score


def _contained(part: str, whole: str) -> float:
    """Share of ``part``'s character bigrams found in ``whole``."""
    x = bigrams(part)
    return len(x & bigrams(whole)) / len(x) if x else 0.0


def section_agrees(gold: str, label: str, title: str) -> bool:
    """Whether a gold section (a shortened heading) names the row's section: see the module."""
    return (
        measure_similarity(gold, label) >= SECTION_THRESHOLD
        or measure_similarity(gold, title) >= SECTION_THRESHOLD
        or _contained(gold, title) >= SECTION_THRESHOLD
    )


def _agrees(name: str, gold: dict, predicted: dict) -> bool:
    if name == "value":
        return same_value(gold.get("value", ""), predicted.get("value", ""))
    return (gold.get(name) or "") == (predicted.get(name) or "")


def _score_fields(score: DocumentScore, gold: list[dict], predicted: list[dict]) -> None:
    """Accuracy of each key field alone: a gold row is aligned with the predicted row that
    agrees on the other two fields and shares most of its evidence, then the field compared."""
    for name in FIELDS:
        others = [f for f in FIELDS if f != name]
        for row in gold:
            candidates = [p for p in predicted if all(_agrees(o, row, p) for o in others)]
            if not candidates:
                continue
            evidence = _compact(normalize_text(row.get("evidence", "")))
            best = max(candidates, key=lambda p: (_compact(p.get("value_text", "")) in evidence, _contained(row.get("evidence", ""), p.get("evidence", ""))))
            score.fields[name][1] += 1
            score.fields[name][0] += _agrees(name, row, best)


def evaluate(gold_path: str | Path, predicted_csv: str | Path) -> tuple[list[DocumentScore], DocumentScore]:
    gold, negatives = load_gold(gold_path)
    predicted: dict[str, list[dict]] = {}
    for row in read_csv(Path(predicted_csv)):
        predicted.setdefault(document_key(row["source_file"]), []).append(row)
    scores = [score_document(key, rows, predicted.get(key, []), negatives.get(key, [])) for key, rows in sorted(gold.items())]
    total = DocumentScore("overall")
    for score in scores:
        total.add(score)
    return scores, total


def format_table(scores: list[DocumentScore], total: DocumentScore) -> str:
    header = f"{'document':<28} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'measure':>8} {'qualif.':>8} {'section':>8} {'neg.':>5}"
    lines = [header, "-" * len(header)]
    for score in [*scores, total]:
        if score is total:
            lines.append("-" * len(header))
        lines.append(
            f"{score.document:<28} {score.tp + score.fn:>5} {score.tp + score.fp:>5} {score.precision:>6.3f} {score.recall:>6.3f} "
            f"{score.f1:>6.3f} {score.measure_accuracy:>8.3f} {score.qualifier_accuracy:>8.3f} {_section_cell(score):>8} {score.negative_hits:>5}"
        )
    lines.append("")
    lines.append("field accuracy (overall): " + ", ".join(f"{name} {total.field_accuracy(name):.3f}" for name in FIELDS)
                 + f", measure {total.measure_accuracy:.3f}, qualifier {total.qualifier_accuracy:.3f}, section {_section_cell(total)}")
    return "\n".join(lines)


def _section_cell(score: DocumentScore) -> str:
    """Section accuracy, or "-" when no matched row has a gold section to compare with."""
    return f"{score.section_accuracy:.3f}" if score.section_compared else "-"


def format_details(scores: list[DocumentScore]) -> str:
    lines = []
    for score in scores:
        for row in score.misses:
            lines.append(f"{score.document}: MISSED {row.get('county')} {row.get('value')} {row.get('unit')} ({row.get('measure')}) «{row.get('evidence')}»")
        for row in score.false_positives:
            lines.append(f"{score.document}: EXTRA  {row.get('county')} {row.get('value')} {row.get('unit')} ({row.get('measure')}) «{row.get('value_text')}» page {row.get('page')}")
        for gold, predicted in score.wrong_measures:
            lines.append(f"{score.document}: MEASURE gold «{gold.get('measure')}» got «{predicted.get('measure')}» for {gold.get('value')} {gold.get('unit')}")
        for gold, predicted in score.wrong_sections:
            got = predicted.get("section") or ""
            title = predicted.get("section_title") or ""
            shown = f"{got} | {title}" if title and title != got else got
            lines.append(f"{score.document}: SECTION gold «{gold.get('section')}» got «{shown}» for {gold.get('value')} {gold.get('unit')}")
    return "\n".join(lines)
