"""The per-document cache: one JSON file per finished document.

A document's key is the SHA-256 of its content, its name as given (the suffix decides how some
files are read, and the name is in every row), the region, the limits in effect, and the
*version*: a hash of the rules folder and of the package's per-document code plus the versions
of the libraries that read files. So an unchanged archive is not read again, an added file is the only one read, and
a changed rule or reader reads everything. Entries live in ``DIR/<version>/<ab>/<key>.json``;
each is written to a temporary name and renamed, so a run killed at any moment leaves only
whole entries behind and a resumed run picks up where it stopped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Modules that never change a document's rows: the engines themselves, the command line, the
# table writers, scoring and audit. Editing them must not throw away a cache of hours of work.
_NOT_PER_DOCUMENT = ("engines/", "audit/", "evaluate/", "cli.py", "__main__.py", "batch.py", "inspect.py", "dataset/writers.py", "dataset/schema.py")
# Libraries whose upgrade may change what is read from a file.
_LIBRARIES = ("pdfplumber", "pdfminer.six", "python-docx", "jieba", "spacy", "regex")


def resolve_rules_dir(rules_dir: str | Path | None) -> Path:
    """The rules folder a run uses, as ``pipeline.rules.load_rules`` resolves it."""
    from pipeline.rules import DEFAULT_RULES_DIR

    return Path(rules_dir or os.environ.get("BULLETIN_RULES") or DEFAULT_RULES_DIR).resolve()


def _hash_tree(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the package's per-document sources and the file-reading libraries' versions."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*.py") if not p.relative_to(PACKAGE_DIR).as_posix().startswith(_NOT_PER_DOCUMENT))
    digest = hashlib.sha256(_hash_tree(PACKAGE_DIR, files).encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def rules_hash(rules_dir: str | Path | None) -> str:
    root = resolve_rules_dir(rules_dir)
    return _hash_tree(root, sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")))


def version(rules_dir: str | Path | None) -> str:
    """What a cached result depends on besides the document: rules and code."""
    return hashlib.sha256(f"{rules_hash(rules_dir)}:{code_hash()}".encode()).hexdigest()[:16]


def document_key(content_sha256: str, source_file: str, region: str, limits: str = "") -> str:
    """``limits``: ``Limits.key()`` of the run, so a file refused under one limit is read again
    under another, and a refusal is cached like any other result."""
    return hashlib.sha256(f"{content_sha256}\0{source_file}\0{region}\0{limits}".encode()).hexdigest()


class Cache:
    """Finished documents of one version under ``root``; ``use=False`` is ``--no-cache``."""

    def __init__(self, root: str | Path, version: str, *, use: bool = True) -> None:
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        self.use = use
        # --no-cache still streams through files (memory must not grow with the archive), but in
        # a scratch folder of this run that nothing reads before and ``close`` deletes.
        self._temporary = None if use else tempfile.TemporaryDirectory(prefix=".scratch-", dir=root)
        self.root = root if self._temporary is None else Path(self._temporary.name)
        self.version = version
        self.folder = self.root / version
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_temporaries()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.use and self.path(key).exists()

    def load(self, key: str, part: str = "all") -> dict:
        """The record, or only its ``head`` (document row without text, metrics) or ``tail``
        (text and sections): the tables are written in two passes, each needing one half,
        and decoding only that half keeps a warm re-run fast."""
        with open(self.path(key), encoding="utf-8") as handle:
            head = handle.readline()
            if part == "head":
                return json.loads(head)
            tail = json.loads(handle.readline())
            if part == "tail":
                return {"row": {"text": tail["text"]}, "metrics": [], "sections": tail["sections"]}
        record = json.loads(head)
        record["row"]["text"] = tail["text"]
        record["sections"] = tail["sections"]
        return record

    def store(self, key: str, record: dict) -> None:
        write_entry(self.path(key), record)

    def prune_other_versions(self) -> None:
        """Drop entries made with other rules or code: they can never be used again."""
        for child in self.root.iterdir():
            if child.is_dir() and child.name != self.version and len(child.name) == 16:
                shutil.rmtree(child, ignore_errors=True)

    def close(self) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()

    def _remove_temporaries(self) -> None:
        # A run killed with kill -9 leaves its half-written entry under a temporary name.
        for stale in self.folder.glob("*/.*.tmp"):
            stale.unlink(missing_ok=True)


def write_entry(path: Path, record: dict) -> None:
    """Write one document's record atomically (a worker may do it, not only the client)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    row = dict(record["row"])
    text = row.pop("text", "")
    head = {"row": row, "metrics": record["metrics"]}
    tail = {"text": text, "sections": record["sections"]}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            # two JSON lines (JSON never holds a raw newline): the head, then the tail
            stream.write(json.dumps(head, ensure_ascii=False, separators=(",", ":")) + "\n")
            stream.write(json.dumps(tail, ensure_ascii=False, separators=(",", ":")) + "\n")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
