"""The structure layer's rules: page furniture (``rules/page_furniture.tsv``) and what opens a
section besides a heading (``rules/section_frames.tsv``).

Loaded with the other rules (``Rules.structure``) so a malformed line stops the run at start-up;
``default_structure_rules()`` serves callers that have no ``Rules`` (``read_metadata(document)``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules import DEFAULT_RULES_DIR, RulesError, check_pattern, read_table

FURNITURE_ROLES = ("label", "chrome", "end", "byline")
LABEL_FIELDS = ("", "issuer", "date", "title")
FRAME_KINDS = ("topic", "period", "appendix", "not_lead", "preamble")
# A frame is a clause of its own: a comma or colon follows it.
_CLAUSE_AFTER = r"(?=\s*[，,：:])"
_SPACES = regex.compile(r"\s+")
_LINE_OPENING = r"^[\s•·●◆■▪\-*|【\[（(]*"


@dataclass(frozen=True)
class Label:
    word: str
    field: str
    value: str


@dataclass(frozen=True)
class Frame:
    kind: str
    start: int
    end: int
    label: str


class StructureRules:
    def __init__(self, furniture: list[tuple[str, str, str]], frames: list[tuple[str, str, str]]) -> None:
        self.fields = {word: field for word, role, field in furniture if role == "label"}
        words = sorted(self.fields, key=len, reverse=True)
        # A label is followed by a colon or a cell border; spaces may sit between its characters.
        spaced = ["\\s*".join(map(regex.escape, word)) for word in words]
        self._label = regex.compile(r"(?<![\p{Han}])(" + "|".join(spaced) + r")\s*[:：|]") if words else None
        self._opening = {role: _opening_pattern([w for w, r, _ in furniture if r == role]) for role in ("end", "chrome")}
        self._byline_words = [w for w, r, _ in furniture if r == "byline"]
        self._frames = {kind: [regex.compile(p + (_CLAUSE_AFTER if kind in ("topic", "period") else "")) for k, p, _ in frames if k == kind] for kind in FRAME_KINDS}
        self.preamble_label = next((label for kind, _, label in frames if kind == "preamble"), "")

    # --- page furniture -------------------------------------------------------------------
    def labels(self, line: str) -> list[Label]:
        """The metadata labels of a line with their values (the text up to the next label)."""
        if self._label is None:
            return []
        found = list(self._label.finditer(line))
        out = []
        for index, match in enumerate(found):
            end = found[index + 1].start() if index + 1 < len(found) else len(line)
            word = _SPACES.sub("", match.group(1))
            value = line[match.end() : end].strip(" |:：\t")
            out.append(Label(word, self.fields.get(word, ""), value))
        return out

    def is_label_line(self, line: str) -> bool:
        """A line that opens with a metadata label (索引号：…, 发布机构 | … |)."""
        found = self.labels(line)
        return bool(found) and self._label.search(line).start() <= _leading(line)

    def line_role(self, line: str) -> str:
        """``end``, ``chrome``, ``label`` or '' for a line of the text (see the rules file)."""
        compact = _SPACES.sub("", line)
        for role, pattern in self._opening.items():
            if pattern and pattern.match(compact):
                return role
        return "label" if self.is_label_line(line) else ""

    def is_byline(self, line: str) -> bool:
        """A dateline or byline (本报讯, 记者 张三): never a title or a heading."""
        return any(word in line for word in self._byline_words)

    # --- section frames -------------------------------------------------------------------
    def frame_at(self, text: str, position: int, kind: str, end: int) -> Frame | None:
        """The longest frame of ``kind`` opening at ``position``; its label is the group
        ``label`` or, for a period, the period itself without spaces."""
        best = None
        for pattern in self._frames[kind]:
            match = pattern.match(text, position, end)
            if match and (best is None or match.end() > best.end()):
                best = match
        if best is None:
            return None
        label = best.groupdict().get("label") or best.group(0)
        return Frame(kind, best.start(), best.end(), _SPACES.sub("", label))

    def opens_ordinary_sentence(self, text: str) -> bool:
        return any(pattern.match(text) for pattern in self._frames["not_lead"])


def _opening_pattern(words: list[str]) -> regex.Pattern | None:
    """A line opening with one of ``words`` (after bullets, brackets and spaces)."""
    words = sorted(words, key=len, reverse=True)
    return regex.compile(_LINE_OPENING + "(?:" + "|".join(regex.escape(_SPACES.sub("", w)) for w in words) + ")") if words else None


def _leading(line: str) -> int:
    return len(line) - len(regex.sub(_LINE_OPENING, "", line, count=1))


def _check_field(value: str) -> str | None:
    return None if value in LABEL_FIELDS else f"must be one of {', '.join(f or '(empty)' for f in LABEL_FIELDS)}, not {value!r}"


def _check_kind(value: str) -> str | None:
    return None if value in FRAME_KINDS else f"must be one of {', '.join(FRAME_KINDS)}, not {value!r}"


def _line_of(path: Path, row: dict[str, str]) -> int:
    """The line of ``path`` holding ``row`` (for an error found after ``read_table``)."""
    wanted = [row["kind"], row["pattern"]]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if [cell.strip() for cell in line.split("\t")[:2]] == wanted:
            return number
    return 0


def load_structure_rules(directory: str | Path) -> StructureRules:
    return _load_cached(Path(directory).resolve())


@functools.lru_cache(maxsize=4)
def _load_cached(directory: Path) -> StructureRules:
    furniture_path = directory / "page_furniture.tsv"
    furniture = read_table(furniture_path, {"word": lambda v: None if v.strip() else "must not be empty", "role": lambda v: None if v in FURNITURE_ROLES else f"must be one of {', '.join(FURNITURE_ROLES)}, not {v!r}", "field": _check_field}, unique="word")
    frames_path = directory / "section_frames.tsv"
    frames = read_table(frames_path, {"kind": _check_kind, "pattern": lambda v: check_pattern(v) if v else None, "label": None, "meaning": None})
    for row in frames:
        needs_label = row["kind"] in ("topic", "appendix")
        if row["kind"] == "preamble":
            problem = None if row["label"] else "a preamble rule needs a label"
        elif not row["pattern"]:
            problem = "column 'pattern' must not be empty"
        elif needs_label and "label" not in regex.compile(row["pattern"]).groupindex:
            problem = "column 'pattern' needs a group named `label`"
        else:
            problem = None
        if problem:
            raise RulesError(f"{frames_path}:{_line_of(frames_path, row)}: {problem}")
    return StructureRules([(r["word"], r["role"], r["field"]) for r in furniture], [(r["kind"], r["pattern"], r["label"]) for r in frames])


def default_structure_rules() -> StructureRules:
    return load_structure_rules(DEFAULT_RULES_DIR)
