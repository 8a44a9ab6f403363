"""Consistency checks over extracted figures. Each check takes every figure of the run and
returns flags; ``run_checks`` runs them all.

| check | severity | flags |
|---|---|---|
| cumulative_decrease | error | a cumulative figure (累计, 共, 已) lower than the same measure's in an earlier issue |
| county_sum_exceeds_city | error | the counties' figures add up to more than their city's for the same measure and issue |
| parts_exceed_total | error | in a 共…其中 sentence, the parts add up to more than the total |
| percent_over_100 | error | a rate or share above 100% |
| rate_mismatch | warning | a rate (…率) that differs from part ÷ whole of the two figures just before it |
| unit_mismatch | error | a unit that does not fit the measure (rules/measure_units.tsv) |
| re_reported | warning | a figure not marked cumulative that repeats one of an earlier issue exactly |
| outlier | warning | robust z-score beyond 3.5 against the measure's history (4+ issues) |
| unresolved_county | warning | a figure whose county is empty or has no code |
| low_confidence | info | empty measure, a range, or a figure written in Chinese numerals |
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable

import regex

from pipeline.audit.data import Figure
from pipeline.audit.flags import Flag
from pipeline.audit.measure_keys import KeyRules, expected_units, load_key_rules, unit_fits

PERCENT = {"%"}
CHANGE = regex.compile(r"增长|增加|提高|提升|上升|下降|降低|减少|同比|环比|完成|超额|超过|是上年|倍")
RATE = regex.compile(r"(率|占比|比例|比重)$")
PARTS_OPEN = regex.compile(r"其中")
TOTAL_MARK = regex.compile(r"共|合计|总计|累计")
ARABIC = regex.compile(r"[0-9０-９]")
OUTLIER_Z = 3.5
OUTLIER_MIN_ISSUES = 4
RE_REPORT_MIN = 10


def _fmt(value: float) -> str:
    return f"{value:,.10g}".replace(",", "") if value != int(value) else str(int(value))


def _where(figure: Figure) -> str:
    issue = figure["issue_no"]
    return f"issue {issue}" if issue else figure["source_file"]


def _flag(check: str, severity: str, message: str, figures: Iterable[Figure]) -> Flag:
    figures = list(figures)
    doc_ids = tuple(dict.fromkeys(f["doc_id"] for f in figures))
    return Flag(check, severity, message, tuple(f.id for f in figures), doc_ids)


def _series(figures: list[Figure], keep: Callable[[Figure], bool]) -> dict[tuple[str, str, str], list[Figure]]:
    """Figures of one measure in one place: (county, measure_key, unit) → figures in issue order."""
    series: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.measure_key and keep(figure):
            series[figure["county"], figure.measure_key, figure["unit"]].append(figure)
    return {key: sorted(group, key=lambda f: (f.issue_order, f.start)) for key, group in series.items()}


def cumulative_decrease(figures: list[Figure]) -> list[Flag]:
    flags = []
    for (county, key, unit), group in _series(figures, lambda f: f.cumulative and f["unit"] not in PERCENT).items():
        best: Figure | None = None  # highest cumulative figure of the earlier issues
        for issue, members in _by_issue(group):
            if best is not None:
                for figure in members:
                    if figure.value < best.value:
                        flags.append(_flag("cumulative_decrease", "error",
                                           f"{county} {key}: cumulative figure fell from {_fmt(best.value)} {unit} ({_where(best)}) to {_fmt(figure.value)} {unit} ({_where(figure)})",
                                           [best, figure]))
            top = max(members, key=lambda f: f.value)
            best = top if best is None or top.value > best.value else best
    return flags


def _by_issue(group: list[Figure]) -> list[tuple[tuple, list[Figure]]]:
    issues: dict[tuple, list[Figure]] = {}
    for figure in group:
        issues.setdefault(figure.issue_order, []).append(figure)
    return list(issues.items())


def county_sum_exceeds_city(figures: list[Figure], places: dict | None = None) -> list[Flag]:
    if places is None:
        from pipeline.rules import load_rules

        places = load_rules().places
    flags = []
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.measure_key and figure["unit"] not in PERCENT and figure["county_code"]:
            groups[figure["doc_id"], figure.measure_key, figure["unit"]].append(figure)
    for (_, key, unit), group in groups.items():
        for city in {f["county_code"] for f in group if getattr(places.get(f["county_code"]), "level", "") != "county"}:
            totals = [f for f in group if f["county_code"] == city]
            parts: dict[str, Figure] = {}
            for figure in group:
                place = places.get(figure["county_code"])
                if place is not None and place.parent_code == city:
                    if figure["county_code"] not in parts or figure.value > parts[figure["county_code"]].value:
                        parts[figure["county_code"]] = figure
            total = max(totals, key=lambda f: f.value)
            summed = sum(f.value for f in parts.values())
            if len(parts) >= 1 and summed > total.value and total["qualifier"] not in ("more_than", "at_least"):
                names = "、".join(f"{f['county']} {_fmt(f.value)}" for f in parts.values())
                flags.append(_flag("county_sum_exceeds_city", "error",
                                   f"{key}: counties report {_fmt(summed)} {unit} ({names}) but {total['county']} reports {_fmt(total.value)} {unit} in {_where(total)}",
                                   [total, *parts.values()]))
    return flags


def _by_sentence(figures: list[Figure]) -> list[list[Figure]]:
    """The figures of each sentence, in text order."""
    sentences: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for figure in figures:
        sentences[figure.sentence].append(figure)
    return [sorted(members, key=lambda f: f.start) for members in sentences.values()]


def parts_exceed_total(figures: list[Figure]) -> list[Flag]:
    flags = []
    for members in _by_sentence(figures):
        for index, figure in enumerate(members):
            # the figure just before 其中: its clause after it opens the parts
            opening = PARTS_OPEN.search(figure.after)
            if not opening or regex.search(r"[。；;]", figure.after[: opening.start()]) or not TOTAL_MARK.search(figure.before):
                continue
            following = members[index + 1 :]
            if following and following[0].start - figure.start - len(figure["value_text"]) < opening.start():
                continue  # another figure stands between this one and 其中
            stop = regex.search(r"[。；;]", figure.after[opening.end() :])
            limit = figure.start + len(figure["value_text"]) + opening.end() + (stop.start() if stop else 10**6)
            parts = [f for f in following if f.start < limit and f["unit"] == figure["unit"] and f["unit"] not in PERCENT]
            summed = sum(f.value for f in parts)
            if parts and summed > figure.value and figure["qualifier"] not in ("more_than", "at_least"):
                flags.append(_flag("parts_exceed_total", "error",
                                   f"{figure.measure_key or figure['measure']}: parts after 其中 add up to {_fmt(summed)} {figure['unit']}, more than the total {_fmt(figure.value)} ({_where(figure)})",
                                   [figure, *parts]))
    return flags


def percent_over_100(figures: list[Figure]) -> list[Flag]:
    return [
        _flag("percent_over_100", "error", f"{f['county']} {f.measure_key}: {f['value_text']} is more than 100% ({_where(f)})", [f])
        for f in figures
        if f["unit"] in PERCENT and max(f.value, f.value_max or 0) > 100 and not CHANGE.search(f["measure"] + f.before[-8:])
    ]


def rate_mismatch(figures: list[Figure]) -> list[Flag]:
    flags = []
    for members in _by_sentence(figures):
        for index, rate in enumerate(members):
            if rate["unit"] not in PERCENT or not RATE.search(rate.measure_key) or index < 2:
                continue
            first, second = members[index - 2], members[index - 1]
            if first["unit"] != second["unit"] or first["unit"] in PERCENT or not first.value or not second.value:
                continue
            if "、" in first.after[: second.start - first.start - len(first["value_text"])]:
                continue  # 排查A 4.81万项、B 127项: items of a list, not a part of a whole
            whole, part = max(first, second, key=lambda f: f.value), min(first, second, key=lambda f: f.value)
            implied = 100 * part.value / whole.value
            tolerance = 2.0 if rate["qualifier"] == "approx" else 1.0
            low, high = rate.value - tolerance, rate.value + tolerance
            if rate["qualifier"] in ("more_than", "at_least"):
                high = float("inf")
            elif rate["qualifier"] == "less_than":
                low = float("-inf")
            if not low <= implied <= high:
                flags.append(_flag("rate_mismatch", "warning",
                                   f"{rate.measure_key} {rate['value_text']} but {_fmt(part.value)} of {_fmt(whole.value)} {whole['unit']} is {implied:.1f}% ({_where(rate)})",
                                   [part, whole, rate]))
    return flags


def unit_mismatch(figures: list[Figure], rules: KeyRules | None = None) -> list[Flag]:
    rules = rules or load_key_rules()
    flags = []
    for figure in figures:
        expected = expected_units(figure.measure_key, rules)
        if expected and not unit_fits(figure["unit"], expected[0], rules):
            flags.append(_flag("unit_mismatch", "error",
                               f"{figure['county']} {figure.measure_key}: unit {figure['unit']} does not fit {expected[1]} ({figure['value_text']}, {_where(figure)})",
                               [figure]))
    return flags


def re_reported(figures: list[Figure]) -> list[Flag]:
    flags = []
    keep = lambda f: not f.cumulative and f["unit"] not in PERCENT and f.value >= RE_REPORT_MIN  # noqa: E731
    for (county, key, unit), group in _series(figures, keep).items():
        seen: dict[float, Figure] = {}
        for _, members in _by_issue(group):
            for figure in members:
                if figure.value in seen:
                    earlier = seen[figure.value]
                    flags.append(_flag("re_reported", "warning",
                                       f"{county} {key}: {_fmt(figure.value)} {unit} reported as new in {_where(figure)} repeats {_where(earlier)}",
                                       [earlier, figure]))
            for figure in members:
                seen.setdefault(figure.value, figure)
    return flags


def outlier(figures: list[Figure]) -> list[Flag]:
    flags = []
    for (county, key, unit), group in _series(figures, lambda f: True).items():
        if len({f.issue_order for f in group}) < OUTLIER_MIN_ISSUES:
            continue
        values = [f.value for f in group]
        median = statistics.median(values)
        spread = statistics.median(abs(v - median) for v in values)  # MAD
        mean_spread = statistics.mean(abs(v - median) for v in values)
        if not mean_spread:
            continue
        for figure in group:
            # Iglewicz–Hoaglin modified z-score; with MAD = 0, the mean absolute deviation stands in
            z = 0.6745 * (figure.value - median) / spread if spread else (figure.value - median) / (1.2533 * mean_spread)
            if abs(z) > OUTLIER_Z:
                flags.append(_flag("outlier", "warning",
                                   f"{county} {key}: {_fmt(figure.value)} {unit} in {_where(figure)} is far from its history (median {_fmt(median)}, robust z {z:.1f})",
                                   [figure]))
    return flags


def uncertain(figures: list[Figure]) -> list[Flag]:
    flags = []
    for figure in figures:
        if not figure["county"] or not figure["county_code"]:
            what = f"county {figure['county']} has no code (not in the gazetteer, or ambiguous)" if figure["county"] else "no county"
            flags.append(_flag("unresolved_county", "warning", f"{figure['value_text']} {figure.measure_key}: {what} ({_where(figure)})", [figure]))
        reasons = []
        if not figure["measure"]:
            reasons.append("no measure")
        if figure["value_max"]:
            reasons.append("a range")
        if not ARABIC.search(figure["value_text"]):
            reasons.append("written in Chinese numerals")
        if reasons:
            flags.append(_flag("low_confidence", "info", f"{figure['value_text']} {figure.measure_key}: {', '.join(reasons)} ({_where(figure)})", [figure]))
    return flags


CHECKS: dict[str, Callable[[list[Figure]], list[Flag]]] = {
    "cumulative_decrease": cumulative_decrease,
    "county_sum_exceeds_city": county_sum_exceeds_city,
    "parts_exceed_total": parts_exceed_total,
    "percent_over_100": percent_over_100,
    "rate_mismatch": rate_mismatch,
    "unit_mismatch": unit_mismatch,
    "re_reported": re_reported,
    "outlier": outlier,
    "uncertain": uncertain,  # raises unresolved_county and low_confidence
}
CHECK_NAMES = [name for name in CHECKS if name != "uncertain"] + ["unresolved_county", "low_confidence"]


def run_checks(figures: list[Figure]) -> list[Flag]:
    flags: list[Flag] = []
    for check in CHECKS.values():
        flags.extend(check(figures))
    return flags
