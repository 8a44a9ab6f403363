"""What one input file may cost before it is refused: bytes read, a DOCX's inflated size,
pages of a PDF, characters of a document.

The defaults are data, ``rules/limits.tsv``; ``--max-…`` options and the Python API override
them. A file over a limit gets status ``too_large`` and an error that starts with a stable code
(``too_large:pages``) and names the limit and the value, and is cached like any other result:
the limits in effect are part of every cache key. Each limit is checked before the work it
bounds — a file's size before it is read, a DOCX's zip directory before anything is inflated,
a PDF's page count before a page is parsed — so a hostile file costs a ``stat`` or a directory
read, not the memory it would take.

The worker reading a document finds the limits of its run with ``current()`` (set around each
document with ``applied``); outside a run they are the defaults of the rules folder.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import DocumentError

LIMITS_FILE = "limits.tsv"
# A DOCX whose members inflate to less than this is never refused for its compression ratio
# (Word's own style parts compress 20-30 times; nothing that small can exhaust memory).
RATIO_FLOOR_BYTES = 1 << 20


@dataclass(frozen=True)
class Limit:
    name: str  # the field of ``Limits`` and the row of rules/limits.tsv
    code: str  # the reason code: ``too_large:<code>``
    option: str  # the command-line option that overrides it
    unit: str  # what is counted, for messages and help


LIMITS = (
    Limit("max_file_bytes", "file_bytes", "--max-file-bytes", "bytes"),
    Limit("max_docx_inflated", "docx_inflated", "--max-docx-inflated", "bytes"),
    Limit("max_docx_ratio", "docx_ratio", "--max-docx-ratio", "times"),
    Limit("max_docx_members", "docx_members", "--max-docx-members", "members"),
    Limit("max_pages", "pages", "--max-pages", "pages"),
    Limit("max_chars", "chars", "--max-chars", "characters"),
)
BY_NAME = {limit.name: limit for limit in LIMITS}


@dataclass(frozen=True)
class Limits:
    """The limits in effect; every field is a positive whole number."""

    max_file_bytes: int
    max_docx_inflated: int
    max_docx_ratio: int
    max_docx_members: int
    max_pages: int
    max_chars: int
    source: str = ""  # the limits.tsv they were read from (not part of the key)

    def key(self) -> str:
        """What the cache key holds of them."""
        return ";".join(f"{limit.name}={getattr(self, limit.name)}" for limit in LIMITS)

    def replace(self, overrides: Mapping[str, int | str | None] | None = None, **more: int | str | None) -> Limits:
        """These limits with some changed (``None`` values are ignored): ``{"max_pages": 100}``,
        or amounts as the command line takes them (``"512M"``)."""
        changes: dict[str, int] = {}
        for name, value in {**(overrides or {}), **more}.items():
            if value is None:
                continue
            if name not in BY_NAME:
                raise ValueError(f"unknown limit {name!r}; one of {', '.join(BY_NAME)}")
            changes[name] = parse_amount(value) if isinstance(value, str) else _positive(value, name)
        return dataclasses.replace(self, **changes) if changes else self

    def refuse(self, name: str, what: str) -> DocumentError:
        """The ``too_large`` error of limit ``name``; ``what`` says the value found."""
        return refusal(name, getattr(self, name), what)


def refusal(name: str, limit_value: int, what: str) -> DocumentError:
    """``too_large`` for limit ``name`` (in effect: ``limit_value``); ``what`` says the value
    found, e.g. "the PDF has 6000 pages". The message starts with the stable reason code."""
    limit = BY_NAME[name]
    return DocumentError("too_large", f"too_large:{limit.code}: {what}, over the limit {name} = {limit_value} ({LIMITS_FILE}; {limit.option})")


def _positive(value: object, name: str = "limit") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return value


_AMOUNT = re.compile(r"^\s*(\d[\d_,]*)\s*(k|m|g|t|kib|mib|gib|tib|kb|mb|gb|tb|b)?\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9, "t": 10**12, "tb": 10**12,
            "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def parse_amount(text: str) -> int:
    """``20000000``, ``20_000_000``, ``20M`` (10^6), ``256MiB`` (2^20) → a positive int."""
    match = _AMOUNT.match(str(text))
    if not match:
        raise ValueError(f"not a positive whole number (optionally with K, M, G or KiB, MiB, GiB): {text!r}")
    value = int(match.group(1).replace("_", "").replace(",", "")) * _FACTORS[(match.group(2) or "").lower()]
    if value <= 0:
        raise ValueError(f"must be positive, not {text!r}")
    return value


def _check_amount(value: str) -> str | None:
    try:
        parse_amount(value)
    except ValueError as error:
        return str(error)
    return None


def read_limits(path: Path) -> Limits:
    """Read and validate a limits.tsv (a ``RulesError`` naming file and line otherwise)."""
    from pipeline.rules import RulesError, read_table

    rows = read_table(path, {"limit": lambda v: None if v in BY_NAME else f"must be one of {', '.join(BY_NAME)}, not {v!r}",
                             "value": _check_amount}, unique="limit")
    values = {row["limit"]: parse_amount(row["value"]) for row in rows}
    missing = [name for name in BY_NAME if name not in values]
    if missing:
        raise RulesError(f"{path}: no row for limit(s) {', '.join(missing)}")
    return Limits(**values, source=str(path))


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> Limits:
    return read_limits(path)


def load_limits(rules_dir: str | Path | None = None, overrides: Mapping[str, int | str | None] | None = None) -> Limits:
    """The defaults of the rules folder (``rules_dir``, else ``$BULLETIN_RULES``, else the
    repository's ``rules/``) with ``overrides`` applied."""
    from pipeline.rules import DEFAULT_RULES_DIR

    directory = Path(rules_dir or os.environ.get("BULLETIN_RULES") or DEFAULT_RULES_DIR).resolve()
    return _load(directory / LIMITS_FILE).replace(overrides)


def resolve(limits: Limits | Mapping[str, int | str | None] | None, rules_dir: str | Path | None = None) -> Limits:
    """A ``Limits`` from what the API accepts: a ``Limits``, overrides of the defaults, or None."""
    if isinstance(limits, Limits):
        return limits
    return load_limits(rules_dir, limits)


_CURRENT: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("bulletin_limits", default=None)


def current() -> Limits:
    """The limits of the run this document belongs to (the defaults outside a run)."""
    return _CURRENT.get() or load_limits()


@contextlib.contextmanager
def applied(limits: Limits | None) -> Iterator[None]:
    """Make ``limits`` the current ones while a document is read."""
    token = _CURRENT.set(limits)
    try:
        yield
    finally:
        _CURRENT.reset(token)
