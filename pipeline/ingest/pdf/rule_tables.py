"""Tables ruled only across the page: a three-line table (三线表, LaTeX's booktabs) has a rule
over its header, one under it and one under its last row, and no vertical rule at all, so
pdfplumber's finder sees no cell.

Rules of one width stacked above each other are taken for such a table's. Its columns are where
the text between the rules leaves a gap from top to bottom (half an em or more, wider than a
word space); its bands are between consecutive rules, and ``table_grid`` cuts a band whose
cells stack numbers into one row per text line. Rules that stack without a column of numbers
between them (a 版记's 抄送 and 印发 lines) are no table.
"""

from __future__ import annotations

from statistics import median

from pipeline.ingest.pdf.chars import Char
from pipeline.ingest.pdf.table_grid import TOLERANCE, Box

# Column gaps, in ems of the text between the rules.
_COLUMN_GAP = 0.5
_MIN_RULE = 40.0  # points: shorter rules underline a sum or a signature


def _crosses(h: dict, v: dict) -> bool:
    return h["x0"] - TOLERANCE <= v["x0"] <= h["x1"] + TOLERANCE and v["top"] - TOLERANCE <= h["top"] <= v["bottom"] + TOLERANCE


def rule_stacks(edges: list[dict]) -> list[tuple[float, float, list[float]]]:
    """Horizontal rules of one width, two or more above each other, that no vertical rule
    crosses: (x0, x1, tops)."""
    vertical = [e for e in edges if e.get("orientation") == "v"]
    horizontal = [e for e in edges if e.get("orientation") == "h" and e["x1"] - e["x0"] >= _MIN_RULE and not any(_crosses(e, v) for v in vertical)]
    stacks: list[tuple[float, float, list[float]]] = []
    for rule in sorted(horizontal, key=lambda e: e["top"]):
        for index, (x0, x1, tops) in enumerate(stacks):
            if abs(rule["x0"] - x0) <= TOLERANCE and abs(rule["x1"] - x1) <= TOLERANCE:
                if rule["top"] - tops[-1] > TOLERANCE:
                    tops.append(rule["top"])
                break
        else:
            stacks.append((rule["x0"], rule["x1"], [rule["top"]]))
    return [stack for stack in stacks if len(stack[2]) >= 2]


def _separators(chars: list[Char], x0: float, x1: float) -> list[float]:
    """Where every line between the rules leaves a gap: the middles of the gaps."""
    visible = sorted((c for c in chars if not c.text.isspace()), key=lambda c: c.x0)
    if not visible:
        return []
    gap = _COLUMN_GAP * median(c.size for c in visible)
    covered: list[list[float]] = []
    for char in visible:
        if covered and char.x0 <= covered[-1][1] + gap:
            covered[-1][1] = max(covered[-1][1], char.x1)
        else:
            covered.append([char.x0, char.x1])
    return [(a[1] + b[0]) / 2 for a, b in zip(covered, covered[1:]) if x0 < (a[1] + b[0]) / 2 < x1]


def stack_boxes(stack: tuple[float, float, list[float]], chars: list[Char]) -> list[Box]:
    """The cells of the table a stack of rules draws: its columns × the bands between rules."""
    x0, x1, tops = stack
    inside = [c for c in chars if x0 - TOLERANCE <= (c.x0 + c.x1) / 2 <= x1 + TOLERANCE and tops[0] <= (c.top + c.bottom) / 2 <= tops[-1]]
    columns = [x0, *_separators(inside, x0, x1), x1]
    if len(columns) < 3:
        return []
    return [(left, top, right, bottom) for top, bottom in zip(tops, tops[1:]) for left, right in zip(columns, columns[1:])]
