"""The number/unit layer's rules beyond units and non-figures: figure contexts, counted nouns,
casualty words and the bounds no real figure passes.

Loaded from ``rules/`` with ``read_table`` (errors name file and line) and kept on
``Rules.figures`` (``pipeline.rules`` loads it with the rest).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline.rules import UNIT_CLASSES, check_pattern, read_table


@dataclass(frozen=True)
class FigureContext:
    """A figure is set aside when the text just before it matches ``before`` and the text
    just after it matches ``after`` (the base of a ranking, the target of a completion rate)."""

    before: str
    after: str
    reason: str
    classes: frozenset[str] = frozenset()  # unit classes it applies to; empty: all


@dataclass(frozen=True)
class FigureBound:
    """A figure whose value (or upper end), in its base unit, is beyond ``maximum`` in absolute
    value is set aside: no count, amount or rate is that large (an id, a typing error, a hostile
    400-digit number that would be inf as a double)."""

    maximum: Decimal
    reason: str
    classes: frozenset[str] = frozenset()  # unit classes it applies to; empty: all


@dataclass(frozen=True)
class FigureRules:
    contexts: tuple[FigureContext, ...] = ()
    # noun → the measure word it implies (3.38万高龄老人 → 人); modifiers that may stand
    # between the number and the noun (高龄) map to "".
    counted_nouns: dict[str, str] = field(default_factory=dict)
    # casualty shorthand word → (unit, what it counts): 死 → (人, 死亡)
    casualty_words: dict[str, tuple[str, str]] = field(default_factory=dict)
    bounds: tuple[FigureBound, ...] = ()

    @property
    def nouns(self) -> set[str]:
        return {word for word, unit in self.counted_nouns.items() if unit}

    @property
    def modifiers(self) -> set[str]:
        return {word for word, unit in self.counted_nouns.items() if not unit}


def _nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _required_pattern(value: str) -> str | None:
    return _nonempty(value) or check_pattern(value)


def _unit_of(units: Collection[str], empty_ok: bool):
    def check(value: str) -> str | None:
        if not value:
            return None if empty_ok else "must not be empty"
        return None if value in units else f"must be a unit of units.tsv, not {value!r}"

    return check


def _classes(value: str) -> str | None:
    unknown = [name for name in value.split("|") if name and name not in UNIT_CLASSES]
    return f"names unknown unit class(es) {', '.join(unknown)}; known: {', '.join(sorted(UNIT_CLASSES))}" if unknown else None


def _positive_number(value: str) -> str | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return f"must be a number (10000000000000000 or 1e16), not {value!r}"
    return None if number.is_finite() and number > 0 else f"must be a positive finite number, not {value!r}"


def load_figure_rules(directory: Path, units: Collection[str]) -> FigureRules:
    checks = {"before": check_pattern, "after": _required_pattern, "classes": _classes, "reason": _nonempty}
    contexts = read_table(directory / "figure_contexts.tsv", checks)
    nouns = read_table(directory / "counted_nouns.tsv", {"word": _nonempty, "unit": _unit_of(units, empty_ok=True)}, unique="word")
    casualties = read_table(directory / "casualty_words.tsv", {"word": _nonempty, "unit": _unit_of(units, empty_ok=False), "sense": _nonempty}, unique="word")
    bounds = read_table(directory / "figure_bounds.tsv", {"classes": _classes, "max": _positive_number, "reason": _nonempty})
    return FigureRules(
        contexts=tuple(FigureContext(row["before"], row["after"], row["reason"], frozenset(c for c in row["classes"].split("|") if c)) for row in contexts),
        counted_nouns={row["word"]: row["unit"] for row in nouns},
        casualty_words={row["word"]: (row["unit"], row["sense"]) for row in casualties},
        bounds=tuple(FigureBound(Decimal(row["max"].strip()), row["reason"], frozenset(c for c in row["classes"].split("|") if c)) for row in bounds),
    )
