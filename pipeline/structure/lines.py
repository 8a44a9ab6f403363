"""What a line or sentence of a bulletin looks like: heading numbers, closed brackets, figures."""

from __future__ import annotations

import regex

# Heading numbers and their levels: 一、 第一，/一是 （一） 1. （1） ①.
NUMBERED = [
    (regex.compile(r"^\s*[一二三四五六七八九十]+[、．.]"), 1),
    (regex.compile(r"^\s*第[一二三四五六七八九十]+[，,、是]|^\s*[一二三四五六七八九十]是"), 2),
    (regex.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]"), 2),
    (regex.compile(r"^\s*\d{1,2}[、．.](?![0-9])"), 3),
    (regex.compile(r"^\s*[（(]\d{1,2}[）)]"), 4),
    (regex.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"), 4),
]
NUMBER_PREFIX = regex.compile(r"^\s*(第[一二三四五六七八九十]+[，,、是]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、．.]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")
_BRACKETS = {"(": ")", "（": "）", "《": "》", "“": "”", "【": "】", "[": "]"}
# Dates and years are no figures: a heading may name its year (2023年工作回顾).
_DATES = regex.compile(r"[0-9]{4}\s*年|[0-9]{1,2}\s*月(?:份)?|[0-9]{1,2}\s*日|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}")
_DIGIT = regex.compile(r"[0-9]")
_NAMES = regex.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")


def is_numbered(line: str) -> bool:
    return any(pattern.match(line) for pattern, _ in NUMBERED)


def balanced(text: str) -> bool:
    """Whether every bracket and quote opened in ``text`` is closed in it."""
    return all(text.count(opening) == text.count(closing) for opening, closing in _BRACKETS.items())


def has_figure(text: str) -> bool:
    """A number that is not a date nor inside a name: 3个, 20.5%, 1,200 (not 2023年, 7月27日,
    “531”工程, 《2023年行动方案》)."""
    return bool(_DIGIT.search(_DATES.sub("", _NAMES.sub("", text))))
