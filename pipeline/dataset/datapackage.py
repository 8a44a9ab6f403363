"""``datapackage.json``: the Frictionless Data Package that describes an output folder's CSV files.

``metrics``, ``documents`` and ``sections`` (written by ``extract``) are always described;
``flags`` with ``flag_figures`` (``audit``) and ``reviews`` (``review``) when their files are
there, so each of those commands rewrites the descriptor after writing its file. Field types are
those of the column contract (``schema.py``); primary and foreign keys say how the tables join.

``flags.csv`` joins the ids of a flag's figures with ``;`` in one cell, which no foreign key can
check: ``flag_figures.csv`` holds the same pairs a row each, written here from ``flags.csv``, and
carries the keys to ``flags`` and ``metrics``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.dataset.schema import DOCUMENTS, METRICS, SECTIONS, Schema

DESCRIPTOR = "datapackage.json"
FLAGS_CSV = "flags.csv"
FLAG_FIGURES_CSV = "flag_figures.csv"

FLAG_FIGURES: Schema = {
    "flag_id": ("string", "flag_id of a flag in flags"),
    "figure_id": ("string", "figure_id of one of the figures the flag involves"),
}


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    schema: Schema
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (fields, resource, its fields)
    description: str = ""
    constraints: tuple[tuple[str, dict], ...] = ()  # (field, Frictionless constraints)
    optional: bool = False  # described only when its file exists

    def descriptor(self) -> dict:
        constraints = dict(self.constraints)
        fields = []
        for column, (kind, text) in self.schema.items():
            field = {"name": column, "type": kind, "description": text}
            if column in constraints:
                field["constraints"] = constraints[column]
            fields.append(field)
        schema: dict = {"fields": fields, "missingValues": [""], "primaryKey": _names(self.primary_key)}
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": _names(ours), "reference": {"resource": resource, "fields": _names(theirs)}}
                                     for ours, resource, theirs in self.foreign_keys]
        resource = {"name": self.name, "path": self.path, "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8"}
        if self.description:
            resource["description"] = self.description
        return {**resource, "schema": schema}


def _names(columns: tuple[str, ...]) -> str | list[str]:
    return columns[0] if len(columns) == 1 else list(columns)


def resources() -> list[Resource]:
    """Every table an output folder may hold, in the order they are listed."""
    from pipeline.audit.flags import FLAGS, SEVERITIES
    from pipeline.audit.reviews import REVIEWS, REVIEWS_CSV, STATUSES

    return [
        Resource("metrics", "metrics.csv", METRICS, ("figure_id",),
                 # doc_id is the file's content, shared by its issues and by copies of the file:
                 # the row of the figure's issue is its file's and issue_part's.
                 ((("source_file", "issue_part"), "documents", ("source_file", "issue_part")),),
                 description="One row per figure"),
        Resource("documents", "documents.csv", DOCUMENTS, ("source_file", "issue_part"),
                 description="One row per file and issue: every file named, with its status"),
        Resource("sections", "sections.csv", SECTIONS, ("doc_id", "section_no"),
                 description="The sections of each read file's text, by doc_id (a file's content: no key of documents)"),
        Resource("flags", FLAGS_CSV, FLAGS, ("flag_id",), description="What the audit found not to add up; its figures one per row in flag_figures",
                 constraints=(("severity", {"enum": list(SEVERITIES)}),), optional=True),
        Resource("flag_figures", FLAG_FIGURES_CSV, FLAG_FIGURES, ("flag_id", "figure_id"),
                 ((("flag_id",), "flags", ("flag_id",)), (("figure_id",), "metrics", ("figure_id",))),
                 description="The figures of each flag (figure_ids of flags.csv), a row each", optional=True),
        Resource("reviews", REVIEWS_CSV, REVIEWS, ("figure_id",), ((("figure_id",), "metrics", ("figure_id",)),),
                 description="Reviewers' verdicts on figures, by their stable figure_id",
                 constraints=(("status", {"enum": list(STATUSES)}),), optional=True),
    ]


def describe(out_dir: str | Path) -> dict:
    """The descriptor of ``out_dir``: every table extract writes, and the others present."""
    out = Path(out_dir)
    listed = [r for r in resources() if not r.optional or (out / r.path).exists()]
    if not any(r.name == "flags" for r in listed):  # a flag_figures.csv left without its flags
        listed = [r for r in listed if r.name != "flag_figures"]
    return {
        "profile": "tabular-data-package",
        "name": "bulletin-metrics",
        "title": "Figures reported in government work bulletins",
        "resources": [r.descriptor() for r in listed],
    }


def write_datapackage(out_dir: str | Path, destination: Path | None = None) -> Path:
    """Describe ``out_dir`` in its ``datapackage.json`` (or at ``destination``, a temporary file
    that ``extract`` moves into place with its tables), first writing ``flag_figures.csv`` from
    ``flags.csv`` when there is one. Both are written atomically and are the same bytes for the
    same tables."""
    from pipeline.dataset.atomic import atomic_path

    out = Path(out_dir)
    if (out / FLAGS_CSV).exists():
        write_flag_figures(out)
    text = json.dumps(describe(out), ensure_ascii=False, indent=2) + "\n"
    if destination is not None:
        destination.write_text(text, encoding="utf-8")
        return destination
    with atomic_path(out / DESCRIPTOR) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return out / DESCRIPTOR


def write_flag_figures(out_dir: str | Path) -> Path:
    """``flag_figures.csv``: a (flag_id, figure_id) row for each figure of each flag in ``flags.csv``."""
    from pipeline.audit.flags import SEPARATOR
    from pipeline.audit.spreadsheet import read_cell
    from pipeline.dataset.atomic import atomic_path

    out = Path(out_dir)
    with open(out / FLAGS_CSV, encoding="utf-8", newline="") as handle:
        pairs = {(read_cell(row["flag_id"]), figure) for row in csv.DictReader(handle)
                 for figure in read_cell(row["figure_ids"] or "").split(SEPARATOR) if figure}
    with atomic_path(out / FLAG_FIGURES_CSV) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(FLAG_FIGURES))
        writer.writerows(sorted(pairs))
    return out / FLAG_FIGURES_CSV
