"""Finding figures (number + unit) in text and normalizing them.

A figure is a numeral followed by a unit from ``rules/units.tsv``, with an optional multiplier
(万, 亿), qualifier words (余, 近, 以上 …) and a range (3至5个). Candidates that overlap a
``rules/nonfigures.tsv`` pattern (dates, ordinals, names in quotes) are set aside with the
reason, so ``inspect`` can show why a number was not reported.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import regex

from pipeline.normalize.numerals import CHINESE_NUMERAL_CHARS, NumeralError, parse_number
from pipeline.rules import Rules

_ARABIC = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_CHINESE = f"[{CHINESE_NUMERAL_CHARS}]+"
_RANGE_MARKS = r"(?:至|到|—{1,2}|－|-|~|～)"
_GAP = r"[ \t]*"


@dataclass
class Quantity:
    """One figure as found in the text, normalized. Offsets index the document text."""

    start: int
    end: int
    number_start: int
    value: Decimal
    unit: str
    unit_class: str
    qualifier: str = ""
    value_max: Decimal | None = None
    value_text: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Rejected:
    """A number-like string that is not a figure, and why."""

    start: int
    end: int
    text: str
    reason: str


def _alternation(words: Collection[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))


def format_decimal(value: Decimal | None) -> str:
    """``Decimal('14000.0')`` → ``'14000'``, ``Decimal('18.40')`` → ``'18.4'``."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class QuantityFinder:
    """Compiled once from the rules; ``find`` is then a pure function of the text."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        qualifiers = rules.qualifiers
        before = [w for w, (pos, _) in qualifiers.items() if pos == "before"]
        after_number = [w for w, (pos, _) in qualifiers.items() if pos == "after_number"]
        after_unit = [w for w, (pos, _) in qualifiers.items() if pos == "after_unit"]
        number = f"(?:{_ARABIC}|{_CHINESE})"
        inner_q = f"(?:{_alternation(after_number)})"
        mult = f"(?:{_alternation(rules.multipliers)})"
        unit = f"(?:{_alternation(rules.units)})"
        self.pattern = regex.compile(
            rf"(?P<pre>{_alternation(before)})?{_GAP}"
            rf"(?:(?P<low>{number}){_GAP}(?P<low_mult>{mult})?{_GAP}(?P<low_unit>{unit})?{_GAP}{_RANGE_MARKS}{_GAP})?"
            rf"(?P<num>{number}){_GAP}(?P<q1>{inner_q})?{_GAP}(?P<mult>{mult})?{_GAP}(?P<q2>{inner_q})?{_GAP}"
            rf"(?P<unit>{unit})(?P<post>{_alternation(after_unit)})?"
            rf"|(?P<pre2>{_alternation(before)})?百分之(?P<pct>{number})"
        )
        self.nonfigures = [(regex.compile(pattern), reason) for pattern, reason in rules.nonfigures]

    def _nonfigure_spans(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        for pattern, reason in self.nonfigures:
            spans.extend((m.start(), m.end(), reason) for m in pattern.finditer(text) if m.end() > m.start())
        return spans

    def find(self, text: str, token_starts: Collection[int] | None = None) -> tuple[list[Quantity], list[Rejected]]:
        """All figures in ``text``. ``token_starts`` (word boundaries from the segmenter) keeps a
        Chinese numeral or a qualifier that is only part of a word (统一, 签约) from counting."""
        nonfigure_spans = self._nonfigure_spans(text)
        found: list[Quantity] = []
        rejected: list[Rejected] = []
        for match in self.pattern.finditer(text):
            quantity = self._build(match, token_starts)
            if quantity is None:
                continue
            number_end = match.end("unit") if match.group("unit") else match.end()
            reason = next((r for s, e, r in nonfigure_spans if s < number_end and quantity.number_start < e), None)
            if reason:
                rejected.append(Rejected(quantity.number_start, quantity.end, text[quantity.number_start : quantity.end], reason))
                continue
            found.append(quantity)
        return found, rejected

    def _build(self, match: regex.Match, token_starts: Collection[int] | None) -> Quantity | None:
        if match.group("pct"):
            return self._percent_words(match, token_starts)
        number_start = match.start("low") if match.group("low") else match.start("num")
        pre_at_word = match.group("pre") is not None and (token_starts is None or match.start("pre") in token_starts)
        if token_starts is not None and not match.group("num")[0].isascii() and number_start not in token_starts and not pre_at_word:
            return None
        start = match.start()
        qualifier = ""
        pre = match.group("pre")
        if pre and token_starts is not None and match.start("pre") not in token_starts:
            start = number_start
            pre = None
        if pre:
            qualifier = self.rules.qualifiers[pre][1]
        if match.group("q1") or match.group("q2"):
            qualifier = self.rules.qualifiers[match.group("q1") or match.group("q2")][1]
        if match.group("post"):
            qualifier = self.rules.qualifiers[match.group("post")][1]
        unit = self.rules.units[match.group("unit")]
        try:
            value = parse_number(match.group("num"))
            low = parse_number(match.group("low")) if match.group("low") else None
        except NumeralError:
            return None
        multiplier = self.rules.multipliers.get(match.group("mult") or "", Decimal(1))
        value = value * multiplier * unit.factor
        value_max = None
        if low is not None:
            low_multiplier = self.rules.multipliers.get(match.group("low_mult") or "", multiplier)
            low_unit = self.rules.units.get(match.group("low_unit") or "", unit)
            if low_unit.base != unit.base:
                return None
            value, value_max = low * low_multiplier * unit.factor, value
            if value_max <= value:
                return None
        return Quantity(
            start=start,
            end=match.end(),
            number_start=number_start,
            value=value,
            unit=unit.base,
            unit_class=unit.unit_class,
            qualifier=qualifier,
            value_max=value_max,
            value_text=match.group(0)[start - match.start() :].strip(),
        )

    def _percent_words(self, match: regex.Match, token_starts: Collection[int] | None) -> Quantity | None:
        try:
            value = parse_number(match.group("pct"))
        except NumeralError:
            return None
        pre = match.group("pre2")
        qualifier = self.rules.qualifiers[pre][1] if pre else ""
        start = match.start() if pre else match.start("pct") - 3
        return Quantity(start, match.end(), match.start("pct") - 3, value, "%", "percent", qualifier, None, match.group(0)[start - match.start() :])
