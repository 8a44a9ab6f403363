"""Command line: ``bulletin-metrics extract|eval|inspect|rules``.

Only argparse is imported at start-up; each command imports what it needs when it runs, so
``bulletin-metrics --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys

# (option, limit in pipeline/limits.py, metavar, help): overrides of rules/limits.tsv
LIMIT_OPTIONS = [
    ("--max-file-bytes", "max_file_bytes", "BYTES", "bytes read from any one file; a larger one is refused unread"),
    ("--max-docx-inflated", "max_docx_inflated", "BYTES", "total inflated size of a DOCX's members, from its zip directory"),
    ("--max-docx-ratio", "max_docx_ratio", "N", "inflated ÷ compressed size of a DOCX (a zip bomb)"),
    ("--max-docx-members", "max_docx_members", "N", "members of a DOCX's zip directory"),
    ("--max-pages", "max_pages", "N", "pages of a PDF, from its page tree, before any is parsed"),
    ("--max-chars", "max_chars", "N", "characters of a document's text: the ceiling above which a file is refused"),
]


def _amount(text: str) -> int:
    from pipeline.limits import parse_amount

    try:
        return parse_amount(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _extract(args: argparse.Namespace) -> int:
    from pipeline.batch import OutputError, extract_to
    from pipeline.ingest.collect import InputError

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.scheduler and args.engine != "dask":
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    limits = {name: getattr(args, name) for _, name, _, _ in LIMIT_OPTIONS if getattr(args, name) is not None}
    try:
        summary = extract_to(
            args.out, args.paths, region=args.region or "", rules_dir=args.rules, engine=args.engine, jobs=args.jobs,
            scheduler=args.scheduler, cache_dir=args.cache, use_cache=not args.no_cache,
            progress="quiet" if args.quiet else "verbose" if args.verbose else "auto", limits=limits,
        )
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        cached = summary.documents - summary.processed - summary.refused
        print(f"{summary.documents} documents, {summary.figures} figures, {len(summary.failed)} not read → {args.out}"
              + (f" ({cached} unchanged, from the cache)" if cached else ""))
        for document in summary.failed:
            print(f"  {document['status']}: {document['source_file']}: {document['error']}")
        for name in summary.written:
            print(f"  {name}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate.score import evaluate, format_details, format_table

    scores, total = evaluate(args.gold, args.pred)
    if not scores:
        print(f"no gold CSV found at {args.gold}", file=sys.stderr)
        return 2
    print(format_table(scores, total))
    if args.show:
        details = format_details(scores)
        print(details if details else "no misses")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    import os

    from pipeline.ingest.collect import InputError, collect_inputs

    try:
        found = collect_inputs([args.file])
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if len(found) != 1 or found[0].status or os.path.isdir(args.file):
        reason = found[0].error if len(found) == 1 and found[0].status else "a folder: inspect reads one file"
        print(f"error: {args.file}: {reason}", file=sys.stderr)
        return 2
    from pipeline.ingest.files import read_limited
    from pipeline.inspect import inspect_file
    from pipeline.limits import applied, load_limits
    from pipeline.model import DocumentError

    limits = load_limits(args.rules)
    try:
        read_limited(args.file, limits)  # a FIFO swapped in, or a file over the byte limit, is not read
    except (DocumentError, OSError) as error:
        print(f"error: {args.file}: {getattr(error, 'message', None) or getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 2
    with applied(limits):
        print(inspect_file(args.file, region=args.region or "", rules_dir=args.rules, show_text=args.text))
    return 0


def _rules(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.rules import RulesError, load_rules
    from pipeline.userdict import USER_DICT, render, write_user_dict

    try:
        rules = load_rules(args.rules)
    except RulesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    folder = Path(rules.source)
    if args.action == "build":
        print(f"wrote {write_user_dict(rules, folder)}")
        return 0
    dictionary = folder / USER_DICT
    ok = dictionary.exists() and dictionary.read_text(encoding="utf-8") == render(rules)
    print(f"rules in {folder}: {len(rules.units)} units, {len(rules.qualifiers)} qualifiers, {len(rules.nonfigures)} non-figure patterns, "
          f"{len(rules.places)} places, {len(rules.towns)} town names; user dictionary {'up to date' if ok else 'OUT OF DATE: run bulletin-metrics rules build'}")
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bulletin-metrics", description="Turn Chinese government work bulletins into a tidy dataset of the figures they report.")
    parser.add_argument("--version", action="version", version="bulletin-metrics 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rules_help = "rules folder (default: $BULLETIN_RULES or the repository's rules/)"
    extract = commands.add_parser("extract", help="extract figures from files and folders into CSV, Parquet and DuckDB", description="Read bulletins (Markdown, text, PDF, DOCX, HTML; folders recursively) and write metrics.csv, metrics.parquet, documents.csv, sections.csv, bulletins.duckdb and datapackage.json. Documents are read in parallel and each is cached as it finishes, so a re-run reads only new or changed files and a stopped run resumes where it stopped.")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="bulletin files or folders")
    extract.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    extract.add_argument("--region", metavar="NAME", help="the archive's own place (e.g. 宝鸡市) for bulletins that say only 全市/我县")
    extract.add_argument("--rules", metavar="DIR", help=rules_help)
    extract.add_argument("--jobs", "-j", type=int, metavar="N", help="documents read at once: worker processes, or Dask workers of a LocalCluster (default: every core)")
    extract.add_argument("--engine", choices=["local", "dask"], default="local", help="local: this machine's process pool (default); dask: a Dask distributed cluster")
    extract.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the scheduler to use (tcp://host:8786); default: start a LocalCluster of --jobs workers")
    extract.add_argument("--cache", metavar="DIR", help="per-document cache: unchanged files are not read again, a stopped run resumes (default: DIR/.cache of --out)")
    extract.add_argument("--no-cache", action="store_true", help="read every file; keep no cache")
    extract.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    extract.add_argument("--verbose", "-v", action="store_true", help="print a line per document instead of the progress line")
    limits = extract.add_argument_group("limits", "What one file may cost before it is refused with status too_large (defaults: "
                                        "rules/limits.tsv). Amounts take K, M, G (powers of 1000) or KiB, MiB, GiB (of 1024): 512MiB, 20M.")
    for option, name, metavar, text in LIMIT_OPTIONS:
        limits.add_argument(option, dest=name, type=_amount, metavar=metavar, help=text)
    extract.set_defaults(run=_extract)

    evaluate = commands.add_parser("eval", help="score extracted metrics against gold CSVs", description="Per-document and overall precision, recall and F1 on (county, value, unit); measure, qualifier and section accuracy on matched rows.")
    evaluate.add_argument("--gold", required=True, metavar="DIR_OR_CSV", help="a gold CSV or a folder of them (named after the bulletins)")
    evaluate.add_argument("--pred", required=True, metavar="METRICS_CSV", help="metrics.csv written by extract")
    evaluate.add_argument("--show", action="store_true", help="list missed and extra figures, and matched ones with a wrong measure or section")
    evaluate.set_defaults(run=_eval)

    inspect = commands.add_parser("inspect", help="show how one document was read and why each figure came out", description="Blocks with bold runs and pages, metadata, sections, county scopes and every figure with its span; numbers that were set aside with the reason.")
    inspect.add_argument("file", metavar="FILE")
    inspect.add_argument("--region", metavar="NAME", help="as for extract")
    inspect.add_argument("--rules", metavar="DIR", help=rules_help)
    inspect.add_argument("--text", action="store_true", help="also print the normalized text")
    inspect.set_defaults(run=_inspect)

    rules = commands.add_parser("rules", help="check the rules folder, or rebuild its generated jieba dictionary", description="check: validate every rules file and report whether the generated jieba user dictionary is up to date; build: regenerate it.")
    rules.add_argument("action", choices=["check", "build"])
    rules.add_argument("--rules", metavar="DIR", help=rules_help)
    rules.set_defaults(run=_rules)

    from pipeline.audit.commands import register as register_audit

    register_audit(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from pipeline.rules import RulesError

        if isinstance(error, RulesError):
            print(f"error: {error}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
