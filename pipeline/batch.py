"""Running the pipeline over files and folders and writing the dataset."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.sniff import BULLETIN_SUFFIXES

# Files beside bulletins that are data, not bulletins (gold annotations, earlier outputs).
SIDECAR_SUFFIXES = {".csv", ".tsv", ".json", ".parquet", ".duckdb", ".yaml", ".yml", ".log", ".py", ".sh"}


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files under folders named (recursively, sorted). A file named
    explicitly is always read; inside folders, hidden files and data sidecars are skipped."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if not child.is_file() or any(part.startswith(".") for part in relative.parts):
                    continue
                suffix = child.suffix.lower()
                if suffix in SIDECAR_SUFFIXES or (suffix not in BULLETIN_SUFFIXES and child.name.endswith((".negatives.txt", "README.md"))):
                    continue
                if child.name.endswith(".negatives.txt") or child.name == "README.md":
                    continue
                files.append(child)
        else:
            files.append(path)
    seen: set[Path] = set()
    unique = []
    for file in files:
        if file.resolve() not in seen:
            seen.add(file.resolve())
            unique.append(file)
    return unique


@dataclass
class BatchResult:
    metrics: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)


def run_files(files: list[Path], region: str = "", rules_dir: str | None = None, progress: bool = False) -> Iterator[tuple[Path, object]]:
    from pipeline.extraction.nlp import shared_nlp
    from pipeline.process import process_file

    nlp = shared_nlp(rules_dir)
    seen_content: dict[str, str] = {}
    for index, file in enumerate(files, start=1):
        result = process_file(file, nlp, region)
        digest = result.document.sha256
        if digest and digest in seen_content and result.document.status == "ok":
            # The same bytes twice: keep the first file's figures so figure ids stay unique.
            result.row["error"] = f"same content as {seen_content[digest]}; its figures are listed there"
            result.row["figures"] = 0
            result.metrics, result.sections = [], []
        elif digest and result.document.status == "ok":
            seen_content.setdefault(digest, str(file))
        if progress:
            print(f"[{index}/{len(files)}] {file}: {result.row['status']} {result.row['figures']} figures", file=sys.stderr)
        yield file, result


def extract_files(paths: Iterable[str | Path], region: str = "", rules_dir: str | None = None, progress: bool = False) -> BatchResult:
    batch = BatchResult()
    for _, result in run_files(collect_files(paths), region, rules_dir, progress):
        batch.metrics.extend(result.metrics)
        batch.documents.append(result.row)
        batch.sections.extend(result.sections)
    return batch
