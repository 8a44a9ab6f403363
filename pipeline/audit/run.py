"""``audit OUTPUT_DIR``: run the checks over an output folder and write the flags (and report)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.audit.checks import CHECK_NAMES, run_checks
from pipeline.audit.data import DATABASE, OutputFolder, read_output
from pipeline.audit.flags import FLAG_COLUMNS, flag_rows
from pipeline.audit.reviews import load_reviews, restore

AUDIT_FIGURE_COLUMNS = ["figure_id", "measure_key", "cumulative"]


@dataclass
class AuditResult:
    output: OutputFolder
    flags: list[dict[str, str]]
    reviews: dict[str, dict[str, str]]
    written: list[Path]

    def counts(self) -> dict[str, int]:
        counter = Counter(flag["check"] for flag in self.flags)
        return {name: counter.get(name, 0) for name in CHECK_NAMES}


def run_audit(out_dir: str | Path, report: str | Path | None = None, rules_dir: str | Path | None = None) -> AuditResult:
    from pipeline.dataset.writers import atomic_path

    out = Path(out_dir)
    output = read_output(out, rules_dir)
    flags = flag_rows(run_checks(output.figures))
    with atomic_path(out / "flags.csv") as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FLAG_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(flags)
    written = [out / "flags.csv"]
    if output.database.exists():
        _write_tables(output, flags)
        written.append(output.database)
    restore(out)
    reviews = load_reviews(out)
    if report:
        from pipeline.audit.report import write_report

        written.append(write_report(report, output, flags, reviews))
    return AuditResult(output, flags, reviews, written)


def _write_tables(output: OutputFolder, flags: list[dict[str, str]]) -> None:
    import duckdb

    connection = duckdb.connect(str(output.path / DATABASE))
    try:
        connection.execute("CREATE OR REPLACE TABLE flags (flag_id VARCHAR, \"check\" VARCHAR, severity VARCHAR, message VARCHAR, figure_ids VARCHAR, doc_ids VARCHAR)")
        if flags:
            connection.executemany("INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?)", [[f[c] for c in FLAG_COLUMNS] for f in flags])
        connection.execute("CREATE OR REPLACE TABLE audit_figures (figure_id VARCHAR, measure_key VARCHAR, cumulative BOOLEAN)")
        if output.figures:
            connection.executemany("INSERT INTO audit_figures VALUES (?, ?, ?)", [[f.id, f.measure_key, f.cumulative] for f in output.figures])
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
