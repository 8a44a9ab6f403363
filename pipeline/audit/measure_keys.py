"""Measure keys: one name for the figures of one measure across issues and counties.

``measure_key("本月全市新安装“视频监控”")`` → ``安装视频监控``. The steps and word lists are data
in ``rules/measure_synonyms.tsv``; which units fit a measure is ``rules/measure_units.tsv``.
Whether a figure is cumulative (累计, 共, 已 …) is read from the text of its clause before it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules import DEFAULT_RULES_DIR, RulesError, check_pattern, read_table

KINDS = {"synonym", "prefix", "particle", "canonical"}
PUNCTUATION = regex.compile(r"[\p{P}\p{S}\s]+")
# 累计/共计/总计/合计/累积, 已 (not 已经有 as in 不已), 共 (not 公共, 共建, 共享, 共治, 共同 …)
CUMULATIVE = regex.compile(r"累计|累积|共计|总计|合计|截至目前|已(?!经有)|(?<!公)共(?![建享治同商筑青产性识])")
# A period word makes a total a total of that period, not a running one (本月共受理 …).
PERIOD = regex.compile(r"本月|当月|本周|本期|期间|同期|当日|当天")
CLAUSE_END = regex.compile(r"[，。；！？：,;!?:\n]")


@dataclass(frozen=True)
class KeyRules:
    synonyms: tuple[tuple[str, str], ...]
    prefixes: tuple[str, ...]
    particles: tuple[str, ...]
    canonical: dict[str, str]
    units: tuple[tuple[regex.Pattern, frozenset[str], str], ...]
    unit_classes: dict[str, str]


def _kind(value: str) -> str | None:
    return None if value in KINDS else f"must be one of {', '.join(sorted(KINDS))}, not {value!r}"


@functools.lru_cache(maxsize=4)
def load_key_rules(rules_dir: str | Path | None = None) -> KeyRules:
    directory = Path(rules_dir or DEFAULT_RULES_DIR)
    path = directory / "measure_synonyms.tsv"
    rows = read_table(path, {"kind": _kind, "word": lambda v: None if v else "must not be empty", "canonical": None})
    synonyms, prefixes, particles, canonical = [], [], [], {}
    for row in rows:
        if row["kind"] in ("synonym", "canonical") and not row["canonical"]:
            raise RulesError(f"{path}: {row['kind']} row for {row['word']!r} needs a canonical name")
        if row["kind"] == "synonym":
            synonyms.append((row["word"], row["canonical"]))
        elif row["kind"] == "prefix":
            prefixes.append(row["word"])
        elif row["kind"] == "particle":
            particles.append(row["word"])
        else:
            canonical[row["word"]] = row["canonical"]
    unit_rows = read_table(directory / "measure_units.tsv", {"pattern": check_pattern, "units": lambda v: None if v else "must not be empty", "label": None})
    unit_classes = {row["unit"]: row["class"] for row in read_table(directory / "units.tsv", {"unit": None, "class": None, "base": None})}
    unit_classes.update({row["base"]: row["class"] for row in read_table(directory / "units.tsv", {"unit": None, "class": None, "base": None})})
    units = tuple((regex.compile(row["pattern"]), frozenset(row["units"].split("|")), row["label"] or row["pattern"]) for row in unit_rows)
    return KeyRules(
        tuple(sorted(synonyms, key=lambda pair: -len(pair[0]))),
        tuple(sorted(prefixes, key=len, reverse=True)),
        tuple(particles),
        canonical,
        units,
        unit_classes,
    )


def measure_key(measure: str, rules: KeyRules | None = None) -> str:
    """The grouping key of a measure phrase (empty for an empty phrase)."""
    rules = rules or load_key_rules()
    key = PUNCTUATION.sub("", measure or "")
    for word, canonical in rules.synonyms:
        key = key.replace(word, canonical)
    stripped = True
    while stripped and key:
        stripped = False
        for prefix in rules.prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, stripped = key[len(prefix):], True
                break
    for particle in rules.particles:
        key = key.replace(particle, "") or key
    return rules.canonical.get(key, key)


def clause_before(text: str, start: int, limit: int = 60) -> str:
    """The text of the figure's clause before it (after the last comma, full stop, colon …)."""
    window = text[max(0, start - limit) : start]
    ends = [m.end() for m in CLAUSE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


def is_cumulative(before: str, measure: str = "") -> bool:
    """True for a running total (累计安装…, 共配备…, 已建成…), not for a period's total (本月共受理…)."""
    text = before + measure
    return bool(CUMULATIVE.search(text)) and not PERIOD.search(text)


def expected_units(key: str, rules: KeyRules | None = None) -> tuple[frozenset[str], str] | None:
    """The units that fit the measure, with what the measure counts; None when no rule applies."""
    rules = rules or load_key_rules()
    for pattern, units, label in rules.units:
        if pattern.search(key):
            return units, label
    return None


def unit_fits(unit: str, allowed: frozenset[str], rules: KeyRules | None = None) -> bool:
    rules = rules or load_key_rules()
    return unit in allowed or f"class:{rules.unit_classes.get(unit, '')}" in allowed
