"""Command-line entry points of the audit (``audit`` and ``review``).

Only argparse is imported here; each command imports the audit modules when it runs, so
``bulletin-metrics --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

STATUSES = ("verified", "disputed", "corrected")


def _audit(args: argparse.Namespace) -> int:
    from pipeline.audit.run import run_audit

    try:
        result = run_audit(args.out_dir, report=args.report, rules_dir=args.rules)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not args.quiet:
        by_severity: dict[str, int] = {}
        for flag in result.flags:
            by_severity[flag["severity"]] = by_severity.get(flag["severity"], 0) + 1
        print(f"{len(result.output.figures)} figures in {len(result.output.documents)} documents: {len(result.flags)} flags "
              f"({', '.join(f'{n} {s}' for s, n in by_severity.items()) or 'none'}), {len(result.reviews)} reviewed")
        for check, count in result.counts().items():
            print(f"  {check:<24} {count}")
        for path in result.written:
            print(f"  → {path}")
    return 0


def _review(args: argparse.Namespace) -> int:
    from pipeline.audit.review_sheet import export_csv, import_csv
    from pipeline.audit.reviews import ReviewError, clear, record

    try:
        if args.export:
            count = export_csv(args.out, args.export)
            print(f"wrote {count} figures to {args.export}: fill in status (verified|disputed|corrected, empty to remove), note, "
                  "corrected_value, corrected_unit; then --import it")
            return 0
        if args.import_:
            summary = import_csv(args.out, args.import_)
            print(f"{args.import_}: recorded {summary.recorded} verdicts, removed {summary.removed}, {summary.unchanged} unchanged")
            return 0
        if not args.figure_id or not (args.status or args.clear):
            print("error: give FIGURE_ID and --status or --clear, or --export/--import FILE", file=sys.stderr)
            return 2
        if args.clear:
            if args.note or args.value or args.unit:
                print("error: --clear removes the verdict; --note, --value and --unit go with --status", file=sys.stderr)
                return 2
            removed = clear(args.out, args.figure_id)
            print(f"{args.figure_id}: verdict {removed['status']} removed" if removed else f"{args.figure_id}: had no verdict")
            return 0
        row, changed = record(args.out, args.figure_id, args.status, args.note or "", args.value, args.unit)
    except ReviewError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a file named that cannot be read or written
        print(f"error: {error.filename}: {error.strerror}" if error.filename else f"error: {error}", file=sys.stderr)
        return 1
    correction = " ".join(v for v in (row["corrected_value"], row["corrected_unit"]) if v)
    print(f"{row['figure_id']}: {row['status']}{' → ' + correction if correction else ''}{' (' + row['note'] + ')' if row['note'] else ''}"
          f"{'' if changed else ' — already recorded, unchanged'}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the audit commands to the top-level parser (argparse only: keep start-up light)."""
    audit = commands.add_parser(
        "audit", help="check extracted figures for inconsistencies; write flags and an HTML report",
        description="Run the consistency checks (cumulative figures that fall, county parts above their city's total, 共…其中 parts "
                    "above the total, percentages above 100, rates that contradict their parts, units that do not fit the measure, "
                    "figures re-reported as new, outliers against a measure's history, uncertain figures) over an extract output "
                    "folder; write flags.csv and the flags table of bulletins.duckdb, and with --report a self-contained HTML report.")
    audit.add_argument("out_dir", metavar="OUTPUT_DIR", help="folder written by extract (metrics.csv, documents.csv, bulletins.duckdb)")
    audit.add_argument("--report", metavar="HTML", help="write the report to this file (works offline)")
    audit.add_argument("--rules", metavar="DIR", help="rules folder (default: the repository's rules/)")
    audit.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    audit.set_defaults(run=_audit)

    review = commands.add_parser(
        "review", help="record an auditor's verdict on a figure, or export/import verdicts as CSV",
        description="Mark a figure verified, disputed or corrected (with a note and, for corrected, the corrected value, unit "
                    "or both), or remove its verdict with --clear. Verdicts live in the reviews table of bulletins.duckdb, keyed by "
                    "the stable figure_id, with reviews.csv beside it as a copy; --export writes every figure with its verdict to a "
                    "CSV to fill in, --import reads it back (UTF-8, GBK/GB18030; an empty status removes a verdict; a bad line "
                    "stops it with FILE:LINE: reason and records nothing).")
    review.add_argument("figure_id", nargs="?", metavar="FIGURE_ID", help="figure_id from metrics.csv or the report")
    verdict = review.add_mutually_exclusive_group()
    verdict.add_argument("--status", choices=STATUSES, help="the verdict")
    verdict.add_argument("--clear", action="store_true", help="remove the figure's verdict")
    review.add_argument("--note", help="why (shown in the report)")
    review.add_argument("--value", metavar="NUMBER", help="the corrected value (with --status corrected), in the corrected unit if --unit is given, else in the figure's")
    review.add_argument("--unit", metavar="UNIT", help="the corrected unit or measure word (with --status corrected), e.g. 名 for a figure read as 元")
    review.add_argument("--out", default="outputs", metavar="DIR", help="the extract output folder (default: outputs)")
    review.add_argument("--export", metavar="CSV", help="write every figure with its verdict to this CSV")
    review.add_argument("--import", dest="import_", metavar="CSV", help="record the verdicts of an edited export")
    review.set_defaults(run=_review)
