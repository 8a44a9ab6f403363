"""Numerals to exact ``Decimal`` values: Arabic (with thousands separators), Chinese (三, 十二,
两千, 一百零五, 〇) and their mixtures (1.4万, 3千)."""

from __future__ import annotations

from decimal import Decimal

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "亿": 10**8}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)


# Magnitude words that are no number on their own: 亿元 alone is "a hundred-million-yuan
# class" (亿元以上项目), 万元户 a household of means. 十 is different: 十个 is ten.
_BARE_MAGNITUDES = "百千万亿"


class NumeralError(ValueError):
    pass


def is_bare_multiplier(text: str) -> bool:
    """``"亿"``, ``"千万"``, ``"百"``: a Chinese numeral that opens with a magnitude, with no digit
    before it (``"一亿"``, ``"十万"``, ``"3千"`` are numbers)."""
    text = text.replace(" ", "")
    return bool(text) and text[0] in _BARE_MAGNITUDES and all(ch in CHINESE_NUMERAL_CHARS for ch in text)


def parse_arabic(text: str) -> Decimal:
    """``"12,560"`` → 12560, ``"1 234"`` → 1234, ``"18.4"`` → 18.4 (ASCII digits only; the reader
    folded full-width)."""
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u2009", "").replace("\u202f", "")
    if not cleaned or not all(ch.isascii() and (ch.isdigit() or ch == ".") for ch in cleaned) or cleaned.count(".") > 1:
        raise NumeralError(f"not an Arabic number: {text!r}")
    return Decimal(cleaned)


def _parse_section(text: str) -> int:
    """A Chinese numeral below 万: 三千零五 → 3005, 十二 → 12."""
    total = 0
    digit: int | None = None
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            raise NumeralError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def parse_chinese(text: str) -> Decimal:
    """Chinese numerals, positional (一百零五, 两千, 三万五千) or digit by digit (一〇五)."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        raise NumeralError(f"not a Chinese numeral: {text!r}")
    if all(ch in CHINESE_DIGITS for ch in text):
        if len(text) == 1:
            return Decimal(CHINESE_DIGITS[text])
        return Decimal("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    total = 0
    section = ""
    for ch in text:
        if ch in LARGE_UNITS:
            value = _parse_section(section) if section else 1
            if ch == "万" and total and total % 10**8 == 0 and not section:
                total *= LARGE_UNITS[ch]
            else:
                total += value * LARGE_UNITS[ch]
            section = ""
        else:
            section += ch
    return Decimal(total + (_parse_section(section) if section else 0))


def parse_number(text: str) -> Decimal:
    """Any numeral we read: Arabic, Chinese, or Arabic followed by Chinese units (1.4万, 3千)."""
    text = text.replace(" ", "").replace("\u00a0", "").replace("\u2009", "").replace("\u202f", "")
    if not text:
        raise NumeralError("empty numeral")
    if text[0].isascii():
        head = text.rstrip(CHINESE_NUMERAL_CHARS)
        value = parse_arabic(head)
        for ch in text[len(head) :]:
            if ch in SMALL_UNITS:
                value *= SMALL_UNITS[ch]
            elif ch in LARGE_UNITS:
                value *= LARGE_UNITS[ch]
            else:
                raise NumeralError(f"unexpected {ch!r} in {text!r}")
        return value
    return parse_chinese(text)


_PAIR_DIGITS = "一两三四五六七八九"


def approximate_pair(text: str) -> tuple[Decimal, Decimal] | None:
    """两三万 → (20000, 30000), 七八百 → (700, 800): two neighbouring digits say "about so many,
    one or the other". Digit-by-digit numerals (二〇二三) have more digits or a 〇."""
    text = text.replace(" ", "")
    if len(text) < 2 or text[0] not in _PAIR_DIGITS or text[1] not in _PAIR_DIGITS:
        return None
    low, high = CHINESE_DIGITS[text[0]], CHINESE_DIGITS[text[1]]
    rest = text[2:]
    if high != low + 1 or (rest and (rest[0] in CHINESE_DIGITS or any(ch not in CHINESE_NUMERAL_CHARS for ch in rest))):
        return None
    scale = parse_chinese("一" + rest) if rest else Decimal(1)
    return Decimal(low) * scale, Decimal(high) * scale
