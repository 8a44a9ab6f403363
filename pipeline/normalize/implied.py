"""Figures whose unit is not written but implied by the words around the number.

- A number of a hundred or more before a noun naming people (``rules/counted_nouns.tsv``):
  为3.38万高龄老人发放 → 33800 人. The magnitude is required, written as a multiplier (3.38万)
  or inside a Chinese numeral (两千群众), so that 2020老人 (a year) or 八十老人 (an age) is no count.
- Casualty shorthand (``rules/casualty_words.tsv``): 2死5伤 → 2 人 (死亡), 5 人 (受伤), only in a
  run of two or more (九死一生 is an idiom).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

import regex

from pipeline.normalize.numerals import NumeralError, is_bare_multiplier, parse_number
from pipeline.normalize.quantities import _GAP, NUMBER, Quantity, alternation, bare_multiplier_counts, multiplier_pattern, start_guard

if TYPE_CHECKING:
    from pipeline.normalize.quantities import QuantityFinder

_MAGNITUDE = 100  # the smallest multiplier that makes a count of people plausible
_MAGNITUDE_CHARS = "百千万亿"
_MAX_MODIFIERS = 3


class ImpliedFinder:
    def __init__(self, finder: QuantityFinder) -> None:
        self.finder = finder
        self.rules = rules = finder.rules
        figure_rules = rules.figures
        self.nouns = figure_rules.counted_nouns if figure_rules else {}
        self.casualties = figure_rules.casualty_words if figure_rules else {}
        qualifiers = rules.qualifiers
        before_words = [w for w, (pos, _) in qualifiers.items() if pos == "before"]
        before = alternation(before_words)
        inner = alternation([w for w, (pos, _) in qualifiers.items() if pos == "after_number"])
        mult = multiplier_pattern(rules)
        nouns = figure_rules.nouns if figure_rules else set()
        modifiers = figure_rules.modifiers if figure_rules else set()
        self.noun_pattern = None
        if nouns:
            modifier = f"(?:{alternation(modifiers)})" if modifiers else "(?!)"
            self.noun_pattern = regex.compile(
                rf"{start_guard(before_words)}(?P<pre>{before})?{_GAP}"
                rf"(?P<num>{NUMBER}){_GAP}(?P<q1>{inner})?{_GAP}(?P<mult>{mult})?(?P<q2>{inner})?"
                rf"{modifier}{{0,{_MAX_MODIFIERS}}}(?P<noun>{alternation(nouns)})"
            )
        self.run_pattern = self.item_pattern = None
        if self.casualties:
            words = alternation(self.casualties)
            self.run_pattern = regex.compile(rf"{start_guard()}(?:{NUMBER}{_GAP}(?:{words}){_GAP}){{2,}}")
            self.item_pattern = regex.compile(rf"(?P<num>{NUMBER}){_GAP}(?P<word>{words})")

    def find(self, text: str, token_starts: Collection[int] | None) -> Iterator[tuple[Quantity, bool]]:
        """Each implied figure, with whether the non-figure patterns apply to it (a casualty run
        is specific enough to stand even where 一 alone would be a determiner: 一死一伤)."""
        if self.noun_pattern is not None:
            for match in self.noun_pattern.finditer(text):
                quantity = self._counted_noun(match, token_starts)
                if quantity is not None:
                    yield quantity, True
        if self.run_pattern is not None:
            for run in self.run_pattern.finditer(text):
                for item in self.item_pattern.finditer(text, run.start(), run.end()):
                    quantity = self._casualty(text, item)
                    if quantity is not None:
                        yield quantity, False

    def _counted_noun(self, match: regex.Match, token_starts: Collection[int] | None) -> Quantity | None:
        number, mult = match.group("num"), match.group("mult")
        factor = self.rules.multipliers[mult] if mult else 1
        chinese = not number[0].isascii()
        if factor < _MAGNITUDE and not (chinese and any(ch in _MAGNITUDE_CHARS for ch in number)):
            return None
        if token_starts is not None and chinese and match.start("num") not in token_starts and not match.group("pre"):
            return None
        start, qualifier = self.finder.qualifier_of(match, token_starts)
        inner = bool(match.group("q1") or match.group("q2"))
        before = qualifier if start < match.start("num") else ""
        if is_bare_multiplier(number) and not bare_multiplier_counts(inner, before, "count"):
            return None  # 百万群众 is "the masses", 逾万群众 a count
        try:
            value = parse_number(number) * factor
        except NumeralError:
            return None
        unit = self.rules.units[self.nouns[match.group("noun")]]
        # The figure ends at the number (or its multiplier, qualifier): the noun is what it counts.
        end = max(match.end(group) for group in ("num", "q1", "mult", "q2") if match.group(group))
        text = match.string
        return Quantity(start, end, match.start("num"), value * unit.factor, unit.base, unit.unit_class, qualifier, None, text[start:end].strip())

    def _casualty(self, text: str, item: regex.Match) -> Quantity | None:
        try:
            value = parse_number(item.group("num"))
        except NumeralError:
            return None
        unit_name, sense = self.casualties[item.group("word")]
        unit = self.rules.units[unit_name]
        start, end = item.start("num"), item.end("word")
        return Quantity(start, end, start, value * unit.factor, unit.base, unit.unit_class, "", None, text[start:end], sense)
