"""The extraction rules beyond the core tables: whose a figure is (evidence order, datelines,
scope words, subject openers) and the paired words that split a measure (城乡 → 城镇, 农村).

Loaded from ``rules/`` like every other rules file (``read_table``: errors name file and line)
and kept on ``Rules.attribution`` (``pipeline.rules`` loads it with the rest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex

from pipeline.rules import RulesError, check_pattern, read_table

REGION_BASES = ("option", "masthead", "title", "dateline", "mention")
COUNTY_BASES = ("list", "clause", "scope", "sentence", "passage", "heading", "region")
SCOPE_MEANINGS = {"市", "县", "区", "旗", "州", "盟", "省", "region"}


@dataclass(frozen=True)
class AttributionRules:
    region_order: tuple[str, ...] = REGION_BASES
    county_order: tuple[str, ...] = COUNTY_BASES
    datelines: tuple[str, ...] = ()
    scope_words: dict[str, str] = field(default_factory=dict)
    subject_openers: tuple[str, ...] = ()
    measure_pairs: dict[str, tuple[str, ...]] = field(default_factory=dict)


def nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _ranked(path: Path, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The bases of a ranked-evidence file in rank order; every known basis exactly once."""

    def rank(value: str) -> str | None:
        return None if value.isdigit() and int(value) > 0 else f"must be a positive whole number, not {value!r}"

    rows = read_table(path, {"basis": lambda v: None if v in allowed else f"must be one of {', '.join(allowed)}, not {v!r}", "rank": rank}, unique="basis")
    missing = [basis for basis in allowed if basis not in {row["basis"] for row in rows}]
    if missing:
        raise RulesError(f"{path}: no rank for {', '.join(missing)}")
    ranks = [int(row["rank"]) for row in rows]
    if len(set(ranks)) != len(ranks):
        raise RulesError(f"{path}: two kinds of evidence share a rank; the order must be total")
    return tuple(row["basis"] for row in sorted(rows, key=lambda row: int(row["rank"])))


def _dateline(value: str) -> str | None:
    problem = check_pattern(value)
    if problem:
        return problem
    return None if "place" in regex.compile(value).groupindex else "needs a group named `place`"


def load_attribution_rules(directory: Path) -> AttributionRules:
    datelines = tuple(row["pattern"] for row in read_table(directory / "datelines.tsv", {"pattern": _dateline, "meaning": nonempty}))
    scope = read_table(directory / "scope_words.tsv", {"word": nonempty, "means": lambda v: None if v in SCOPE_MEANINGS else f"must be one of {', '.join(sorted(SCOPE_MEANINGS))}, not {v!r}"}, unique="word")
    pairs = read_table(directory / "measure_pairs.tsv", {"word": nonempty, "parts": lambda v: None if v.count("|") >= 1 and all(v.split("|")) else f"must be two or more parts separated by |, not {v!r}"}, unique="word")
    openers = tuple(row["pattern"] for row in read_table(directory / "subject_openers.tsv", {"pattern": check_pattern, "meaning": nonempty}))
    return AttributionRules(
        region_order=_ranked(directory / "region_evidence.tsv", REGION_BASES),
        county_order=_ranked(directory / "attribution_evidence.tsv", COUNTY_BASES),
        datelines=datelines,
        scope_words={row["word"]: row["means"] for row in scope},
        subject_openers=openers,
        measure_pairs={row["word"]: tuple(row["parts"].split("|")) for row in pairs},
    )
