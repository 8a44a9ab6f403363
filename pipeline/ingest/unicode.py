"""Character-for-character Unicode clean-up applied to every piece of text a reader returns.

Only one-to-one mappings are made (full-width digits and Latin letters, Kangxi radicals and
CJK compatibility ideographs, odd spaces), so no stage has to care how a producer encoded a
character. Chinese punctuation (，。；：（）) is kept as it is: it is the clause structure.
Invisible format characters are dropped — a soft hyphen (U+00AD) too, except between two
digits, where it stands for the dash a conversion turned into it (（2014\u00ad2020年） is a
range of years, not 20142020); no-break and other odd spaces become spaces.
"""

from __future__ import annotations

import re
import unicodedata

_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = "\u00a0\u2002\u2003\u2009\u202f\u3000"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in _DROP}
    table.update({ord(c): " " for c in _SPACES})
    # Full-width ASCII: digits, letters and the few symbols that belong to figures.
    for code in range(0xFF10, 0xFF1A):
        table[code] = chr(code - 0xFEE0)
    for code in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):
        table[code] = chr(code - 0xFEE0)
    for symbol in "％．＋－／＝＜＞～":
        table[ord(symbol)] = chr(ord(symbol) - 0xFEE0)
    # Kangxi radicals, CJK radicals supplement and compatibility ideographs that stand for an
    # ordinary ideograph (⽉ → 月, ⼤ → 大).
    ranges = [(0x2E80, 0x2EF4), (0x2F00, 0x2FD6), (0xF900, 0xFB00), (0x2F800, 0x2FA20)]
    for low, high in ranges:
        for code in range(low, high):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    table[ord("\u2236")] = "："  # RATIO, used by some producers for a colon
    return table


_TABLE = _build_table()
_SOFT_HYPHEN_IN_NUMBERS = re.compile("(?<=[0-9\uff10-\uff19])\u00ad+(?=[0-9\uff10-\uff19])")


def normalize_text(text: str) -> str:
    """Return ``text`` with the one-to-one clean-ups applied; newlines are kept."""
    if "\u00ad" in text:
        text = _SOFT_HYPHEN_IN_NUMBERS.sub("-", text)
    return text.translate(_TABLE)
