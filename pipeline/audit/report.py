"""The audit report: one self-contained HTML file (no network, no external assets).

The page is ``assets/report.html`` with ``report.css``, ``table.js`` and ``report.js`` inlined
and the data embedded as JSON; the script draws the charts as SVG and the tables a page at a
time, with sorting and filters, so an archive of 50,000 figures opens as fast as one bulletin's.
Each figure links to its source file (relative to the report's folder; ``#page=N`` for a PDF).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

import regex

from pipeline.audit.data import Figure, OutputFolder
from pipeline.dataset.rows import ELLIPSIS

ASSETS = Path(__file__).resolve().parent / "assets"
PLACEHOLDER = regex.compile(r"@@(\w+)@@")
SCRIPTS = ("table.js", "report.js")  # inlined in this order


def _highlight(figure: Figure, text: str) -> tuple[str, list[int]]:
    """The evidence sentence and the span of the figure in it (evidence cut to a window around
    the value starts or ends with …; the text between is the document's)."""
    evidence = figure["evidence"]
    value_text = figure["value_text"]
    try:
        start = max(0, int(figure["char_start"] or 0))
    except ValueError:
        start = 0
    lead = 1 if evidence.startswith(ELLIPSIS) else 0
    core = evidence[lead : len(evidence) - 1 if evidence.endswith(ELLIPSIS) and len(evidence) > lead else len(evidence)]
    if text and core:
        low = max(0, start - len(core) - 4)
        at = text.find(core, low, start + len(core) + 4)  # bounded: never a scan of a whole archive's text
        if at != -1 and at <= start < at + len(core):
            offset = start - at + lead
            return evidence, [offset, min(len(evidence), offset + len(value_text))]
    at = evidence.find(value_text) if value_text else -1
    return evidence, [at, at + len(value_text)] if at != -1 else [0, 0]


def _finite(value: object) -> object:
    """The data with every float that is not finite (inf, nan) made null: JSON has no such
    numbers, and one would make the whole page fail to parse."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


_UNSAFE = regex.compile(r"[<>&\u2028\u2029\ud800-\udfff]")


def embedded_json(data: object) -> str:
    """``data`` as JSON that is valid whatever it holds and safe inside ``<script>``: no NaN or
    Infinity (``allow_nan=False`` after ``_finite``), and ``<``, ``>``, ``&``, the line and
    paragraph separators and lone surrogates written as \\u escapes, so that no ``</script>``,
    ``<!--`` or byte the page cannot encode appears in it."""
    payload = json.dumps(_finite(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", payload)


def source_href(source_file: str, report_dir: Path) -> str:
    """A link from the report's folder to the file a figure came from: relative, so that the
    report and the archive can be moved together. A relative ``source_file`` is taken from the
    folder the command runs in, as extract took it."""
    path = os.path.abspath(source_file)
    try:
        relative = os.path.relpath(path, os.path.abspath(report_dir))
    except ValueError:  # another drive (Windows): no relative path exists
        return Path(path).as_uri()
    return urllib.parse.quote(Path(relative).as_posix())


DOCUMENT_FIELDS = ("doc_id", "source_file", "issue_part", "issue_no", "issue_date", "issuer", "title", "status", "format")


class _Documents:
    """The report's documents, each with the link to its file, and which one a figure is in
    (its file and issue part)."""

    def __init__(self, output: OutputFolder, report_dir: Path) -> None:
        self.report_dir = report_dir
        self.hrefs: dict[str, str] = {}
        self.rows: list[dict] = []
        self.index: dict[tuple[str, str], int] = {}
        for document in output.documents:
            self._add({k: document.get(k, "") for k in DOCUMENT_FIELDS})

    def _add(self, row: dict) -> int:
        source = row["source_file"]
        row["href"] = self.hrefs.setdefault(source, source_href(source, self.report_dir)) if source else ""
        self.index[source, str(row["issue_part"] or "1")] = len(self.rows)
        self.rows.append(row)
        return len(self.rows) - 1

    def of(self, figure: Figure) -> int:
        found = self.index.get((figure["source_file"], figure.row.get("issue_part") or "1"))
        if found is not None:
            return found
        # a metrics row without its documents row (a hand-edited folder): a row of its own
        return self._add({**dict.fromkeys(DOCUMENT_FIELDS, ""), "doc_id": figure["doc_id"], "source_file": figure["source_file"],
                          "issue_part": figure.row.get("issue_part") or "1"})


def report_data(output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]], report_dir: Path | None = None) -> dict:
    """What the page shows. Figures name their document by its index in ``documents``, which
    holds what they share (file, issue, format, link) once."""
    flags_of: dict[str, list[str]] = defaultdict(list)
    flagged = set()
    for flag in flags:
        for figure_id in flag["figure_ids"].split(";"):
            flags_of[figure_id].append(flag["flag_id"])
            if flag["severity"] != "info":
                flagged.add(figure_id)
    documents = _Documents(output, report_dir or output.path)
    figures = []
    for figure in output.figures:
        evidence, span = _highlight(figure, output.texts.get(figure["doc_id"], ""))
        figures.append({
            "id": figure.id, "d": documents.of(figure), "section": figure["section"], "county": figure["county"], "measure": figure["measure"],
            "key": figure.measure_key, "value": figure.value, "unit": figure["unit"], "vt": figure["value_text"], "ev": evidence,
            "hl": span, "page": _page(figure["page"]), "flags": flags_of.get(figure.id, []), "review": reviews.get(figure.id),
        })
    series: dict[tuple[str, str, str], dict[tuple, Figure]] = defaultdict(dict)
    for figure in sorted(output.figures, key=lambda f: (f.issue_order, f.start)):
        if figure.measure_key:
            series[figure["county"], figure.measure_key, figure["unit"]].setdefault(figure.issue_order, figure)
    series_rows = [
        {"county": county, "key": key, "unit": unit,
         "points": [{"issue": f["issue_no"], "date": f["issue_date"], "value": f.value, "id": f.id, "flagged": f.id in flagged} for f in points.values()]}
        for (county, key, unit), points in sorted(series.items()) if len(points) >= 2
    ]
    # the series worth a look first: those with flagged points, then the longest
    series_rows.sort(key=lambda s: (-any(p["flagged"] for p in s["points"]), -len(s["points"])))
    return {
        "documents": documents.rows,
        "figures": figures,
        "flags": [{**flag, "figure_ids": flag["figure_ids"].split(";"), "doc_ids": flag["doc_ids"].split(";")} for flag in flags],
        "series": series_rows,
    }


def _page(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


NAMED_ISSUERS = 4  # a title names up to this many issuers, else the first few and how many more


def issuers_line(documents: list[dict]) -> tuple[str, list[tuple[str, int]]]:
    """The issuers for the title — all of them, or those with most documents and how many
    more — and every issuer with its count of documents, most first."""
    counts = Counter(d["issuer"] for d in documents if d.get("issuer"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    names = [name for name, _ in ranked]
    if len(names) > NAMED_ISSUERS:
        shown = NAMED_ISSUERS - 1
        return f"{', '.join(names[:shown])} and {len(names) - shown} more issuers", ranked
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}", ranked
    return "".join(names), ranked


def _issuer_list(ranked: list[tuple[str, int]]) -> str:
    if len(ranked) <= NAMED_ISSUERS:
        return ""
    items = "".join(f"<li>{html.escape(name)} <span class=\"muted\">{count} document{'s' if count != 1 else ''}</span></li>" for name, count in ranked)
    return f'<details class="issuers"><summary>{len(ranked)} issuers</summary><ul>{items}</ul></details>'


def render_report(output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]], report_dir: Path | None = None) -> str:
    data = report_data(output, flags, reviews, report_dir)
    issuers, ranked = issuers_line(data["documents"])
    title = f"Audit of {issuers or output.path.name}"
    subtitle = (f"{len(data['documents'])} documents, {len(data['figures'])} figures, {len(flags)} flags · "
                f"{output.path} · generated {dt.date.today().isoformat()}")
    payload = embedded_json(data)
    parts = {
        "title": html.escape(title),
        "subtitle": html.escape(subtitle),
        "issuers": _issuer_list(ranked),
        "css": (ASSETS / "report.css").read_text(encoding="utf-8"),
        "js": "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in SCRIPTS),
        "data": payload,
    }
    template = (ASSETS / "report.html").read_text(encoding="utf-8")
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def write_report(path: str | Path, output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]]) -> Path:
    from pipeline.dataset.writers import atomic_path

    destination = Path(path)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(destination) as temporary:
        temporary.write_text(render_report(output, flags, reviews, destination.parent), encoding="utf-8")
    return destination
