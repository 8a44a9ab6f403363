"""The audit report: one self-contained HTML file (no network, no external assets).

The page is ``assets/report.html`` with ``report.css`` and ``report.js`` inlined and the data
embedded as JSON; the script draws the charts as SVG and the tables with filters.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections import defaultdict
from pathlib import Path

import regex

from pipeline.audit.data import Figure, OutputFolder
from pipeline.dataset.rows import ELLIPSIS

ASSETS = Path(__file__).resolve().parent / "assets"
PLACEHOLDER = regex.compile(r"@@(\w+)@@")


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


def report_data(output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]]) -> dict:
    flags_of: dict[str, list[str]] = defaultdict(list)
    flagged = set()
    for flag in flags:
        for figure_id in flag["figure_ids"].split(";"):
            flags_of[figure_id].append(flag["flag_id"])
            if flag["severity"] != "info":
                flagged.add(figure_id)
    figures = []
    for figure in output.figures:
        evidence, span = _highlight(figure, output.texts.get(figure["doc_id"], ""))
        figures.append({
            "id": figure.id, "doc": figure["doc_id"], "source": figure["source_file"], "issue": figure["issue_no"],
            "date": figure["issue_date"], "section": figure["section"], "county": figure["county"], "measure": figure["measure"],
            "key": figure.measure_key, "value": figure.value, "unit": figure["unit"], "vt": figure["value_text"], "ev": evidence,
            "hl": span, "page": figure["page"], "flags": flags_of.get(figure.id, []), "review": reviews.get(figure.id),
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
    return {
        "documents": [{k: d.get(k, "") for k in ("doc_id", "source_file", "issue_no", "issue_date", "issuer", "title", "status")} for d in output.documents],
        "figures": figures,
        "flags": [{**flag, "figure_ids": flag["figure_ids"].split(";"), "doc_ids": flag["doc_ids"].split(";")} for flag in flags],
        "series": series_rows,
    }


def render_report(output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]]) -> str:
    data = report_data(output, flags, reviews)
    issuers = sorted({d["issuer"] for d in data["documents"] if d["issuer"]})
    title = f"Audit of {', '.join(issuers[:3]) or output.path.name}"
    subtitle = (f"{len(data['documents'])} documents, {len(data['figures'])} figures, {len(flags)} flags · "
                f"{output.path} · generated {dt.date.today().isoformat()}")
    payload = embedded_json(data)
    parts = {
        "title": html.escape(title),
        "subtitle": html.escape(subtitle),
        "css": (ASSETS / "report.css").read_text(encoding="utf-8"),
        "js": (ASSETS / "report.js").read_text(encoding="utf-8"),
        "data": payload,
    }
    template = (ASSETS / "report.html").read_text(encoding="utf-8")
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def write_report(path: str | Path, output: OutputFolder, flags: list[dict[str, str]], reviews: dict[str, dict[str, str]]) -> Path:
    from pipeline.dataset.writers import atomic_path

    destination = Path(path)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(destination) as temporary:
        temporary.write_text(render_report(output, flags, reviews), encoding="utf-8")
    return destination
