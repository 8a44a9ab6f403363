"""The flags table: one row per inconsistency found, with the figures and documents involved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

FLAG_COLUMNS = ["flag_id", "check", "severity", "message", "figure_ids", "doc_ids"]
SEVERITIES = ("error", "warning", "info")
SEPARATOR = ";"

# name: (frictionless type, description) — as pipeline.dataset.schema
FLAGS = {
    "flag_id": ("string", "Stable id of the flag: the same check over the same figures gives the same id"),
    "check": ("string", "Name of the check that raised it (cumulative_decrease, county_sum_exceeds_city …)"),
    "severity": ("string", "error | warning | info"),
    "message": ("string", "One line saying what does not add up"),
    "figure_ids": ("string", "figure_id of every figure involved, joined by ;"),
    "doc_ids": ("string", "doc_id of every document involved, joined by ;"),
}
assert list(FLAGS) == FLAG_COLUMNS


@dataclass(frozen=True)
class Flag:
    check: str
    severity: str
    message: str
    figure_ids: tuple[str, ...]
    doc_ids: tuple[str, ...] = field(default=())

    @property
    def flag_id(self) -> str:
        return hashlib.sha256(f"{self.check}:{SEPARATOR.join(self.figure_ids)}".encode()).hexdigest()[:12]

    def row(self) -> dict[str, str]:
        return {
            "flag_id": self.flag_id,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "figure_ids": SEPARATOR.join(self.figure_ids),
            "doc_ids": SEPARATOR.join(self.doc_ids),
        }


def flag_rows(flags: list[Flag]) -> list[dict[str, str]]:
    """Rows in a stable order: by severity, check, then the figures' ids."""
    order = {severity: i for i, severity in enumerate(SEVERITIES)}
    unique = {flag.flag_id: flag for flag in flags}
    return [flag.row() for flag in sorted(unique.values(), key=lambda f: (order[f.severity], f.check, f.figure_ids))]
