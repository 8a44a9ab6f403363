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
    from pipeline.audit.spreadsheet import safe_row
    from pipeline.dataset.datapackage import write_datapackage
    from pipeline.dataset.writers import atomic_path

    out = Path(out_dir)
    output = read_output(out, rules_dir)
    flags = flag_rows(run_checks(output.figures))
    with atomic_path(out / "flags.csv") as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FLAG_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(safe_row(flag) for flag in flags)  # opened in spreadsheets: no cell runs as a formula
    written = [out / "flags.csv"]
    if output.database.exists():
        _write_tables(output, flags)
        written.append(output.database)
    restore(out)
    write_datapackage(out)  # lists flags.csv (and flag_figures.csv) with its keys
    reviews = load_reviews(out)
    if report:
        from pipeline.audit.report import write_report

        written.append(write_report(report, output, flags, reviews))
    return AuditResult(output, flags, reviews, written)


def _write_tables(output: OutputFolder, flags: list[dict[str, str]]) -> None:
    import duckdb
    import pyarrow as pa

    # Arrow tables, not executemany: DuckDB inserts those a row at a time (30 s for 50,000 figures).
    flag_table = pa.table({column: pa.array([f[column] for f in flags], pa.string()) for column in FLAG_COLUMNS})
    figure_table = pa.table({"figure_id": pa.array([f.id for f in output.figures], pa.string()),
                             "measure_key": pa.array([f.measure_key for f in output.figures], pa.string()),
                             "cumulative": pa.array([bool(f.cumulative) for f in output.figures], pa.bool_())})
    connection = duckdb.connect(str(output.path / DATABASE))
    try:
        connection.register("flag_rows", flag_table)
        connection.execute('CREATE OR REPLACE TABLE flags AS SELECT flag_id, "check", severity, message, figure_ids, doc_ids FROM flag_rows')
        connection.register("figure_rows", figure_table)
        connection.execute("CREATE OR REPLACE TABLE audit_figures AS SELECT figure_id, measure_key, cumulative FROM figure_rows")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
