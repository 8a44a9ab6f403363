"""Loading and validating the data files in ``rules/``.

Every file is a tab-separated table with a header line; ``#`` lines are comments. A malformed
row is a ``RulesError`` naming the file and line, raised at load time rather than surfacing
later as a wrong figure.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import regex

# The rules an installed copy carries inside the package (pyproject.toml installs the repository's
# rules/ there); a checkout, or an editable install of one, reads the repository's rules/ itself,
# where `bulletin-metrics rules build` writes.
_INSTALLED_RULES_DIR = Path(__file__).resolve().parent / "rules_data"
DEFAULT_RULES_DIR = _INSTALLED_RULES_DIR if _INSTALLED_RULES_DIR.is_dir() else Path(__file__).resolve().parent.parent / "rules"

UNIT_CLASSES = {"count", "money", "percent", "length", "area", "weight", "volume", "duration", "energy", "power", "rank", "concentration"}
QUALIFIERS = {"more_than", "approx", "at_least", "less_than"}
QUALIFIER_POSITIONS = {"before", "after_number", "after_unit"}
MEASURE_ROLES = {"pivot", "preposition", "drop", "verb", "predicate", "comparison"}
PLACE_LEVELS = {"province", "prefecture", "county"}


class RulesError(ValueError):
    """A rules file that cannot be used; the message starts with ``file:line:``."""


Row = dict[str, str]
Check = Callable[[str], str | None]


def _one_of(allowed: set[str]) -> Check:
    return lambda value: None if value in allowed else f"must be one of {', '.join(sorted(allowed))}, not {value!r}"


def _decimal(value: str) -> str | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return f"must be a number, not {value!r}"
    return None if number > 0 else "must be positive"


def check_pattern(value: str) -> str | None:
    """A rules column holding a regular expression (for ``read_table``)."""
    try:
        regex.compile(value)
    except regex.error as error:
        return f"is not a valid regular expression ({error})"
    return None


_CODE = regex.compile(r"[0-9]{6}")


def _code(value: str) -> str | None:
    return None if _CODE.fullmatch(value) else f"must be a 6-digit code, not {value!r}"


def _nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def read_table(path: Path, checks: dict[str, Check | None], unique: str | None = None) -> list[Row]:
    """Read a rules TSV; ``checks`` names the required columns and how each is validated;
    ``unique`` names a column whose values may not repeat (a second row would silently win)."""
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RulesError(f"{path}: rules file not found") from None
    except UnicodeDecodeError as error:
        raise RulesError(f"{path}: not UTF-8 ({error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [cell.strip() for cell in cells]
            missing = [column for column in checks if column not in header]
            if missing:
                raise RulesError(f"{path}:{number}: header lacks column(s) {', '.join(missing)}; expected {', '.join(checks)}")
            continue
        if len(cells) > len(header):
            raise RulesError(f"{path}:{number}: {len(cells)} fields but the header has {len(header)} (a stray tab?)")
        row = dict(zip(header, [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))))
        for column, check in checks.items():
            problem = check(row[column]) if check else None
            if problem:
                raise RulesError(f"{path}:{number}: column '{column}' {problem}")
        if unique and any(earlier[unique] == row[unique] for earlier in rows):
            raise RulesError(f"{path}:{number}: '{row[unique]}' is listed twice in column '{unique}'")
        rows.append(row)
    if header is None:
        raise RulesError(f"{path}: no header line")
    return rows


@dataclass(frozen=True)
class Unit:
    unit: str
    unit_class: str
    base: str
    factor: Decimal


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    parent_code: str
    short: tuple[str, ...] = ()
    former: tuple[str, ...] = ()


@dataclass(frozen=True)
class Zone:
    """A development or functional zone that bulletins name as if it were a county."""

    name: str
    prefecture_code: str
    county_code: str
    kind: str


@dataclass
class Rules:
    """Everything the pipeline takes from ``rules/``, validated."""

    units: dict[str, Unit]
    multipliers: dict[str, Decimal]
    qualifiers: dict[str, tuple[str, str]]
    nonfigures: list[tuple[str, str]]
    actor_suffixes: dict[str, str]
    section_themes: list[tuple[str, str]]
    measure_words: dict[str, str]
    places: dict[str, Place]
    place_words_needing_parent: set[str] = field(default_factory=set)
    towns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    zones: dict[str, tuple[Zone, ...]] = field(default_factory=dict)
    source: str = ""
    attribution: Any = None  # AttributionRules (pipeline/extraction/extraction_rules.py): whose a figure is
    figures: Any = None  # FigureRules (pipeline/normalize/figure_rules.py): contexts, counted nouns, casualties
    structure: Any = None  # StructureRules (pipeline/structure/structure_rules.py): page furniture, section frames
    limits: Any = None  # Limits (pipeline/limits.py): what one input file may cost before it is refused

    def words_with_role(self, role: str) -> set[str]:
        return {word for word, word_role in self.measure_words.items() if word_role == role}


def _place_rows(path: Path) -> dict[str, Place]:
    rows = read_table(path, {"code": _code, "name": _nonempty, "level": _one_of(PLACE_LEVELS), "parent_code": None, "short": None, "former": None})
    places: dict[str, Place] = {}
    for row in rows:
        split = lambda text: tuple(part for part in text.split("|") if part)  # noqa: E731
        places[row["code"]] = Place(row["code"], row["name"], row["level"], row["parent_code"], split(row["short"]), split(row["former"]))
    return places


def _add_aliases(path: Path, places: dict[str, Place]) -> None:
    """Customary abbreviations join their place's short forms (counted only inside the region)."""
    for row in read_table(path, {"alias": _nonempty, "code": _code}, unique="alias"):
        place = places.get(row["code"])
        if place is None:
            raise RulesError(f"{path}: alias {row['alias']} names unknown code {row['code']}")
        places[row["code"]] = Place(place.code, place.name, place.level, place.parent_code, (*place.short, row["alias"]), place.former)


def _town_rows(path: Path, places: dict[str, Place]) -> dict[str, tuple[str, ...]]:
    """Town name (and short form) → the codes of the counties that have a town of that name."""
    counties: dict[str, list[str]] = {}
    for row in read_table(path, {"code": None, "name": _nonempty, "county_code": _code, "short": None}):
        if row["county_code"] not in places:
            raise RulesError(f"{path}: town {row['code']} {row['name']} has unknown county_code {row['county_code']}")
        for name in [row["name"], *[s for s in row["short"].split("|") if len(s) >= 3]]:
            counties.setdefault(name, []).append(row["county_code"])
    return {name: tuple(sorted(set(codes))) for name, codes in counties.items()}


def _zone_rows(path: Path, places: dict[str, Place]) -> dict[str, tuple[Zone, ...]]:
    """Zone name and short forms (宝鸡高新区, 高新区) → the zones so named; a bare 高新区 is
    resolved later by the document's region."""
    zones: dict[str, list[Zone]] = {}
    rows = read_table(path, {"name": _nonempty, "short": None, "prefecture_code": _code, "county_code": None, "kind": _nonempty})
    for row in rows:
        if row["prefecture_code"] not in places:
            raise RulesError(f"{path}: zone {row['name']} has unknown prefecture_code {row['prefecture_code']}")
        zone = Zone(row["name"], row["prefecture_code"], row["county_code"], row["kind"])
        for name in [row["name"], *[s for s in row["short"].split("|") if s]]:
            zones.setdefault(name, []).append(zone)
    return {name: tuple(found) for name, found in zones.items()}


def rules_folder(rules_dir: str | Path | None = None) -> Path:
    """The rules folder ``rules_dir`` names: itself, else ``$BULLETIN_RULES``, else ``DEFAULT_RULES_DIR``."""
    return Path(rules_dir or os.environ.get("BULLETIN_RULES") or DEFAULT_RULES_DIR).resolve()


def load_rules(rules_dir: str | Path | None = None) -> Rules:
    """Every rules file, validated; ``rules_dir`` defaults to ``$BULLETIN_RULES`` or the
    repository's ``rules/``. Read once per process, and from the start-up cache
    (``pipeline.startup_cache``) when the same rules and code were read before."""
    from pipeline.startup_cache import startup

    return startup(rules_folder(rules_dir)).rules


def read_rules(directory: Path) -> Rules:
    """Read and validate every rules file of ``directory`` (``load_rules`` without any cache)."""
    units = {
        row["unit"]: Unit(row["unit"], row["class"], row["base"], Decimal(row["factor"]))
        for row in read_table(directory / "units.tsv", {"unit": _nonempty, "class": _one_of(UNIT_CLASSES), "base": _nonempty, "factor": _decimal}, unique="unit")
    }
    multipliers = {row["word"]: Decimal(row["factor"]) for row in read_table(directory / "multipliers.tsv", {"word": _nonempty, "factor": _decimal}, unique="word")}
    qualifiers = {
        row["word"]: (row["position"], row["qualifier"])
        for row in read_table(directory / "qualifiers.tsv", {"word": _nonempty, "position": _one_of(QUALIFIER_POSITIONS), "qualifier": _one_of(QUALIFIERS)}, unique="word")
    }
    nonfigures = [(row["pattern"], row["reason"]) for row in read_table(directory / "nonfigures.tsv", {"pattern": check_pattern, "reason": _nonempty})]
    actors = {row["suffix"]: row["kind"] for row in read_table(directory / "actors.tsv", {"suffix": _nonempty, "kind": _nonempty})}
    themes = [(row["pattern"], row["label"]) for row in read_table(directory / "section_themes.tsv", {"pattern": check_pattern, "label": None})]
    measure_words = {row["word"]: row["role"] for row in read_table(directory / "measure_words.tsv", {"word": _nonempty, "role": _one_of(MEASURE_ROLES)}, unique="word")}
    places = _place_rows(directory / "places.tsv")
    generic = {row["name"] for row in read_table(directory / "place_generic_names.tsv", {"name": _nonempty, "reason": _nonempty})}
    _add_aliases(directory / "place_aliases.tsv", places)
    towns = _town_rows(directory / "towns.tsv", places)
    zones = _zone_rows(directory / "zones.tsv", places)
    for code, place in places.items():
        if place.parent_code and place.parent_code not in places:
            raise RulesError(f"{directory / 'places.tsv'}: place {code} {place.name} has unknown parent_code {place.parent_code}")
    from pipeline.extraction.extraction_rules import load_attribution_rules  # it reads tables with read_table above
    from pipeline.limits import LIMITS_FILE, read_limits  # likewise
    from pipeline.normalize.figure_rules import load_figure_rules  # likewise
    from pipeline.structure.structure_rules import load_structure_rules  # likewise

    return Rules(units, multipliers, qualifiers, nonfigures, actors, themes, measure_words, places, generic, towns, zones, str(directory),
                 load_attribution_rules(directory), load_figure_rules(directory, units), load_structure_rules(directory),
                 read_limits(directory / LIMITS_FILE))
