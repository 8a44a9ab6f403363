"""The inputs of a run: the files named and those under the folders named, each either a file
to read or a refusal with its reason (a FIFO, socket or device; a symbolic link that leaves the
folder, loops or leads nowhere; a folder that cannot be listed). Nothing here opens a file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.files import not_regular

# Files beside bulletins that are data, not bulletins (gold annotations, earlier outputs).
SIDECAR_SUFFIXES = {".csv", ".tsv", ".json", ".parquet", ".duckdb", ".yaml", ".yml", ".log", ".py", ".sh"}


class InputError(FileNotFoundError):
    """An input path that does not exist: the run does not start (exit status 2)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else super().__str__()


@dataclass(frozen=True)
class Input:
    """One input of a run: a file to read, or a row explaining why a path is not read."""

    path: Path  # the name written in the rows (a symbolic link's own name)
    status: str = ""  # "" to read; else the documents-table status of the refusal
    error: str = ""
    read_from: Path | None = None  # where the content is: a symbolic link's target inside the tree
    stable: bool = True  # False: a refusal the next run must look at again (a permission)

    @property
    def source(self) -> Path:
        return self.read_from or self.path


def _skipped_name(relative: Path) -> bool:
    """Hidden files, data sidecars, gold negatives lists and a folder's README are no bulletins."""
    return (any(part.startswith(".") for part in relative.parts) or relative.suffix.lower() in SIDECAR_SUFFIXES
            or relative.name.endswith(".negatives.txt") or relative.name == "README.md")


def _named(path: Path) -> Input | None:
    """A path named on the command line, followed if it is a symbolic link (the user named it,
    as ``find -H`` does); None for a folder."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _broken_link(path, error) if os.path.islink(path) else Input(path, "error", f"error:unreadable: cannot read it: {error.strerror}", stable=False)
    if stat.S_ISDIR(info.st_mode):
        return None
    refusal = not_regular(info.st_mode)
    return Input(path) if refusal is None else Input(path, refusal.status, refusal.message)


def _broken_link(path: Path, error: OSError) -> Input:
    if error.errno == errno.ELOOP:
        return Input(path, "unsupported", "unsupported:symlink_loop: a symbolic link that loops back on itself; not followed")
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    if error.errno == errno.ENOENT:
        return Input(path, "unsupported", f"unsupported:symlink_broken: a symbolic link to {target}, which does not exist")
    return Input(path, "error", f"error:unreadable: a symbolic link to {target}, which cannot be read: {error.strerror}", stable=False)


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _walk(top: Path, root: str, inputs: list[Input]) -> None:
    """The inputs under the folder ``top`` (whose real path is ``root``): entries sorted by name,
    depth first — the sorted order of their paths — with a stack of its own, so no depth of
    folders can exhaust Python's recursion."""
    stack: list[Iterator[os.DirEntry]] = []

    def enter(folder: Path) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            inputs.append(Input(folder, "error", f"error:unreadable: cannot read the folder: {error.strerror}; its files are not listed", stable=False))
            return
        stack.append(iter(entries))

    enter(top)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        relative = path.relative_to(top)
        try:
            if entry.is_symlink():
                _link(path, relative, root, inputs)
            elif entry.is_dir(follow_symlinks=False):
                enter(path)
            elif not _skipped_name(relative):
                refusal = not_regular(entry.stat(follow_symlinks=False).st_mode)
                inputs.append(Input(path) if refusal is None else Input(path, refusal.status, refusal.message))
        except OSError as error:  # gone or unreadable while the folder was listed
            inputs.append(Input(path, "error", f"error:unreadable: cannot read it: {error.strerror}", stable=False))


def _link(path: Path, relative: Path, root: str, inputs: list[Input]) -> None:
    """A symbolic link inside a folder: followed only to a file inside the tree named."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        if not _skipped_name(relative):
            inputs.append(_broken_link(path, error))
        return
    if not _inside(target, root):
        if not _skipped_name(relative):
            inputs.append(Input(path, "unsupported", f"unsupported:symlink_outside: a symbolic link to {target}, outside the input folder {root}; not followed"))
        return
    info = os.stat(target)
    if stat.S_ISDIR(info.st_mode) or _skipped_name(relative):
        return  # a folder inside the tree is read where it is, once
    refusal = not_regular(info.st_mode)
    inputs.append(Input(path, read_from=Path(target)) if refusal is None else Input(path, refusal.status, refusal.message))


def collect_inputs(paths: Iterable[str | Path]) -> list[Input]:
    """Every input of a run, in order: the files named, and the files under the folders named
    (recursively, sorted; hidden files and data sidecars skipped). Only regular files are read;
    FIFOs, sockets and devices, symbolic links that leave the folder named, loop or lead
    nowhere, and folders that cannot be listed come back as refusals, each with its reason.
    A path that does not exist raises ``InputError``."""
    named = [Path(raw) for raw in paths]
    missing = [str(path) for path in named if not os.path.lexists(path)]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    inputs: list[Input] = []
    for path in named:
        single = _named(path)
        if single is not None:
            inputs.append(single)
        else:
            _walk(path, os.path.realpath(path), inputs)
    seen: set[str] = set()
    unique = []
    for item in inputs:
        identity = os.path.realpath(item.source) if not item.status else f"\0{item.path}"
        if identity not in seen:
            seen.add(identity)
            unique.append(item)
    return unique


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files a run reads (``collect_inputs`` without the refusals)."""
    return [item.path for item in collect_inputs(paths) if not item.status]
