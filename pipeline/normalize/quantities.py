"""Finding figures (number + unit) in text and normalizing them.

A figure is a numeral followed by a unit from ``rules/units.tsv``, with an optional multiplier
(万, 亿), qualifier words (余, 近, 以上 …), a range (3至5个) and a printed minus sign (-0.57‰).
Two kinds of figure have no unit written and come from ``pipeline.normalize.implied``: a
number before a noun naming people (3.38万高龄老人 → 人) and casualty shorthand (2死5伤).
Candidates that overlap a ``rules/nonfigures.tsv`` pattern (dates, ordinals, names in quotes), that are a multiplier with
no number (亿元以上项目), or that ``rules/figure_contexts.tsv`` places (the 20 of 20个区县排名第4,
the target of 完成2亿元目标任务的81%) are set aside with the reason, so ``inspect`` can show why
a number was not reported.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import regex

from pipeline.normalize.numerals import approximate_pair, CHINESE_NUMERAL_CHARS, NumeralError, is_bare_multiplier, parse_number
from pipeline.rules import Rules

# A number starts where its digits start (never inside 2.5 or 2023), and takes thousands
# separators only when no Latin letter stands just before it: O 3,183μg/m3 and PM10,125 are a
# pollutant's name and a figure, not 3183 and 10125.
# Digits in groups of three a space apart (1 234人, 12 560 人次: the ISO way, and what a PDF's
# letter-spacing leaves) are one number, never the last group alone; other groups a space apart
# (12 34人) are set aside by rules/nonfigures.tsv.
_GROUP_SPACE = "[ \u00a0\u2009\u202f]"
_ARABIC = (rf"(?<![0-9.])(?:(?<![A-Za-z][ \t]?)[0-9]{{1,3}}(?:{_GROUP_SPACE}[0-9]{{3}})+(?![0-9])"
           r"|(?<![A-Za-z][ \t]?)[0-9]+(?:,[0-9]{3})*|[0-9]+)(?:\.[0-9]+)?")
_CHINESE = f"[{CHINESE_NUMERAL_CHARS}]+"
NUMBER = f"(?:{_ARABIC}|{_CHINESE})"
_RANGE_MARKS = r"(?:至|到|—{1,2}|－|-|~|～)"
# A printed minus before a figure (自然增长率-0.57‰, 增长−1.2%, 同比下降-5%): a hyphen, minus or
# full-width minus (folded to a hyphen by the reader) that no digit, letter or point stands
# before — after one it is a range (2017-2023), a code (GB/T 9704-2012) or a name (COVID-19) —
# or 负 right before the digits (增长负2.1%). 负增长2.1% keeps 2.1: the word says the direction,
# as 下降2.1% does.
_SIGN = r"(?<![0-9A-Za-z.])(?:[-−－﹣]|负)(?=[0-9])"
_SIGN_CHARS = "-−－﹣负"
_GAP = r"[ \t]*"
# 百分之九十 → 90 %, 千分之三 → 3 ‰: the fraction word comes before the number.
_FRACTION_WORDS = {"百分之": "%", "千分之": "‰"}
_BARE_REASON = "a multiplier with no number before it names a class, not an amount (亿元以上项目, 万元户)"
# A bare multiplier is a number only with a qualifier that says how near it is: 近千场, 千余人,
# 逾千张. For money only "about" (近亿元) or 余/多 (亿余元) will do: 超亿元 and 亿元以上 before a
# noun name a class of projects or firms (超亿元项目12个).
_BARE_QUALIFIERS = {"approx"}


def bare_multiplier_counts(inner_qualifier: bool, qualifier: str, unit_class: str) -> bool:
    """Whether a multiplier with no number before it is read as one (千余人, 近千场, 逾千张):
    ``inner_qualifier`` is 余/多 after it, ``qualifier`` the code of a word before it."""
    return inner_qualifier or qualifier in _BARE_QUALIFIERS or (bool(qualifier) and unit_class != "money")


_LOOKBEHIND = 40  # characters a figure context's `before` pattern may reach back


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
    sense: str = ""  # what an implied unit counts, where the text says it without a unit (2死 → 死亡)

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


def alternation(words: Collection[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))


def _unit_alternation(units: Collection[str]) -> str:
    """Units longest first; a unit spelled with Latin letters or symbols (μg/m3) may have single
    spaces between its characters, as PDF text gives sub- and superscripts (μg/m 3)."""
    parts = []
    for unit in sorted(units, key=lambda w: (-len(w), w)):
        if regex.search(r"[A-Za-zμµ/³]", unit):
            parts.append(" ?".join(regex.escape(ch) for ch in unit))
        else:
            parts.append(regex.escape(unit))
    return "|".join(parts)


def multiplier_pattern(rules: Rules) -> str:
    """The multipliers, except where multiplier and unit are one unit word (5千米 is 5 公里, not
    5000 米; 3万度 is electricity)."""
    whole = [u for u in rules.units if any(u.startswith(m) and u != m for m in rules.multipliers)]
    guard = f"(?!{alternation(whole)})" if whole else ""
    return f"(?:{guard}(?:{alternation(rules.multipliers)}))"


def start_guard(*words: Collection[str]) -> str:
    """A lookahead for the characters a figure can start with (a digit, a Chinese numeral, the
    first character of a qualifier or fraction word): the scan then skips every other position
    at once instead of trying the whole pattern there (twice as fast on a bulletin). A space or
    tab stays allowed, since a figure's span has always begun at the gap before 9587 人 (its
    figure_id depends on it)."""
    chars = set("0123456789 \t" + _SIGN_CHARS + CHINESE_NUMERAL_CHARS) | {word[0] for group in words for word in group}
    return f"(?=[{regex.escape(''.join(sorted(chars)))}])"


def format_decimal(value: Decimal | None) -> str:
    """``Decimal('14000.0')`` → ``'14000'``, ``Decimal('18.40')`` → ``'18.4'``."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class QuantityFinder:
    """Compiled once from the rules; ``find`` is then a pure function of the text."""

    def __init__(self, rules: Rules) -> None:
        from pipeline.normalize.implied import ImpliedFinder  # imports this module's patterns

        self.rules = rules
        qualifiers = rules.qualifiers
        before = [w for w, (pos, _) in qualifiers.items() if pos == "before"]
        after_number = [w for w, (pos, _) in qualifiers.items() if pos == "after_number"]
        after_unit = [w for w, (pos, _) in qualifiers.items() if pos == "after_unit"]
        inner_q = f"(?:{alternation(after_number)})"
        mult = multiplier_pattern(rules)
        unit = f"(?:{_unit_alternation(rules.units)})"
        self.pattern = regex.compile(
            rf"{start_guard(before, _FRACTION_WORDS)}"
            rf"(?:(?P<pre>{alternation(before)})?{_GAP}(?P<sign>{_SIGN})?"
            rf"(?:(?P<low>{NUMBER}){_GAP}(?P<low_mult>{mult})?{_GAP}(?P<low_unit>{unit})?{_GAP}{_RANGE_MARKS}{_GAP})?"
            rf"(?P<num>{NUMBER}){_GAP}(?P<q1>{inner_q})?{_GAP}(?P<mult>{mult})?{_GAP}(?P<q2>{inner_q})?{_GAP}"
            rf"(?P<unit>{unit})(?P<post>{alternation(after_unit)})?"
            rf"|(?P<pre2>{alternation(before)})?(?P<frac>{alternation(_FRACTION_WORDS)})(?P<pct>{NUMBER}))"
        )
        self.nonfigures = [(regex.compile(pattern), reason) for pattern, reason in rules.nonfigures]
        figure_rules = rules.figures
        contexts = figure_rules.contexts if figure_rules else ()
        self.contexts = [
            (regex.compile(f"(?:{c.before})$") if c.before else None, regex.compile(c.after), c.classes, c.reason) for c in contexts
        ]
        self.bounds = figure_rules.bounds if figure_rules else ()
        self.implied = ImpliedFinder(self)

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
        taken: list[tuple[int, int]] = []  # spans the unit pattern matched, figure or not
        for match in self.pattern.finditer(text):
            quantity = self._build(match, token_starts)
            if quantity is None:
                continue
            taken.append((quantity.number_start, quantity.end))
            number_end = match.end("unit") if match.group("unit") else match.end()
            reason = next((r for s, e, r in nonfigure_spans if s < number_end and quantity.number_start < e), None)
            if reason is None and self._is_bare(match, quantity):
                reason = _BARE_REASON
            reason = reason or self._context_reason(text, quantity) or self._bound_reason(quantity)
            if reason:
                rejected.append(Rejected(quantity.number_start, quantity.end, text[quantity.number_start : quantity.end], reason))
                continue
            found.append(quantity)
        for quantity, checked in self.implied.find(text, token_starts):
            if any(s < quantity.end and quantity.number_start < e for s, e in taken):
                continue  # a unit was written there: the figure above (or its reason) stands
            reason = next((r for s, e, r in nonfigure_spans if s < quantity.end and quantity.number_start < e), None) if checked else None
            reason = reason or self._context_reason(text, quantity) or self._bound_reason(quantity)
            if reason:
                rejected.append(Rejected(quantity.number_start, quantity.end, text[quantity.number_start : quantity.end], reason))
            else:
                found.append(quantity)
        found.sort(key=lambda q: q.start)
        return found, rejected

    def _is_bare(self, match: regex.Match, quantity: Quantity) -> bool:
        """亿元, 千万元级, 万元户: a multiplier written with no number before it."""
        if match.group("pct") or not is_bare_multiplier(match.group("num")):
            return False  # 百分之百 is 100 %
        # Only a qualifier before the number or between it and the unit: 万人以上 is a class too.
        pre = match.group("pre") if quantity.start < quantity.number_start else None
        before = self.rules.qualifiers[pre][1] if pre else ""
        return not bare_multiplier_counts(bool(match.group("q1") or match.group("q2")), before, quantity.unit_class)

    def _bound_reason(self, quantity: Quantity) -> str | None:
        """A value (or a range's upper end) beyond any real count or amount, in its base unit
        (``rules/figure_bounds.tsv``): never a figure, and never an inf in a table."""
        for bound in self.bounds:
            if bound.classes and quantity.unit_class not in bound.classes:
                continue
            if abs(quantity.value) > bound.maximum or (quantity.value_max is not None and abs(quantity.value_max) > bound.maximum):
                return bound.reason
        return None

    def _context_reason(self, text: str, quantity: Quantity) -> str | None:
        for before, after, classes, reason in self.contexts:
            if classes and quantity.unit_class not in classes:
                continue
            if after.match(text, quantity.end) and (before is None or before.search(text, max(0, quantity.start - _LOOKBEHIND), quantity.start)):
                return reason
        return None

    def qualifier_of(self, match: regex.Match, token_starts: Collection[int] | None) -> tuple[int, str]:
        """Where the figure starts and its qualifier code, from the groups ``pre``, ``q1``, ``q2``
        and ``post`` that the match has (a 近 inside a word such as 接近 is no qualifier)."""
        groups = match.re.groupindex
        number_start = match.start("low") if "low" in groups and match.group("low") else match.start("num")
        if "sign" in groups and match.group("sign"):
            number_start = match.start("sign")  # the minus is part of the number
        start, qualifier = match.start(), ""
        pre = match.group("pre")
        if pre and token_starts is not None and match.start("pre") not in token_starts:
            start, pre = number_start, None
        if pre:
            qualifier = self.rules.qualifiers[pre][1]
        inner = match.group("q1") or match.group("q2")
        if inner:
            qualifier = self.rules.qualifiers[inner][1]
        if "post" in groups and match.group("post"):
            qualifier = self.rules.qualifiers[match.group("post")][1]
        return start, qualifier

    def _build(self, match: regex.Match, token_starts: Collection[int] | None) -> Quantity | None:
        if match.group("pct"):
            return self._fraction_words(match)
        number_start = match.start("sign") if match.group("sign") else match.start("low") if match.group("low") else match.start("num")
        pre_at_word = match.group("pre") is not None and (token_starts is None or match.start("pre") in token_starts)
        if token_starts is not None and not match.group("num")[0].isascii() and number_start not in token_starts and not pre_at_word:
            return None
        start, qualifier = self.qualifier_of(match, token_starts)
        unit = self.rules.units[match.group("unit").replace(" ", "")]
        try:
            pair = approximate_pair(match.group("num"))
            # 两三万块钱, 七八百人: "two or three", a range read as one numeral.
            value = pair[1] if pair else parse_number(match.group("num"))
            low = pair[0] if pair else (parse_number(match.group("low")) if match.group("low") else None)
        except NumeralError:
            return None
        if match.group("sign"):  # it signs the number it stands before: a range's low end
            if low is not None:
                low = -low
            else:
                value = -value
        multiplier = self.rules.multipliers.get(match.group("mult") or "", Decimal(1))
        value = value * multiplier * unit.factor
        value_max = None
        if low is not None:
            low_multiplier = multiplier if pair else self.rules.multipliers.get(match.group("low_mult") or "", multiplier)
            low_unit = self.rules.units.get((match.group("low_unit") or "").replace(" ", ""), unit)
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

    def _fraction_words(self, match: regex.Match) -> Quantity | None:
        try:
            value = parse_number(match.group("pct"))
        except NumeralError:
            return None
        pre = match.group("pre2")
        qualifier = self.rules.qualifiers[pre][1] if pre else ""
        start = match.start() if pre else match.start("frac")
        unit = _FRACTION_WORDS[match.group("frac")]
        return Quantity(start, match.end(), match.start("frac"), value, unit, "percent", qualifier, None, match.group(0)[start - match.start() :])
