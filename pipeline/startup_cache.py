"""The start-up cache: what building the pipeline derives from ``rules/`` and jieba, in one file.

Building the pipeline reads and validates every rules table (38,536 towns among them), builds
jieba's prefix dictionary with the user words of ``rules/``, and reads jieba's word tags: about
two seconds in every process, every worker of a pool included. All of it depends only on the
rules folder, the package's code and the libraries' versions — what ``engines.cache.version``
hashes for the per-document cache — so it is built once per version and pickled:

    $BULLETIN_METRICS_CACHE, else $XDG_CACHE_HOME/bulletin-metrics, else ~/.cache/bulletin-metrics
        startup-<version>-<folder>-<python>.pickle

A file is written under a temporary name and renamed into place, so processes starting at once
each read a whole file or build their own. A file that is truncated or corrupt (its length and
CRC are checked before it is unpickled), made for another version, or not the user's own (a
pickle can run code) is ignored and rebuilt. When the folder cannot be written, or
``BULLETIN_METRICS_CACHE=off``, there is no cache: the pipeline is built as without one. The
newest few versions are kept; deleting the folder clears it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.rules import Rules, read_rules, rules_folder

if TYPE_CHECKING:  # the segmenter imports jieba: only a run that builds or reads the file needs it
    from pipeline.extraction.segmenter import PrefixDictionary, Shards

ENV = "BULLETIN_METRICS_CACHE"
OFF = {"off", "0", "no", "none"}
MAGIC = b"bulletin-metrics start-up cache 1\n"
_HEADER = struct.Struct("<QI")  # payload length, CRC-32 of the payload
PAYLOAD = {"key", "rules", "place_names", "dictionary", "word_tags"}
KEPT_VERSIONS = 4  # a checkout switched between branches keeps recent versions; each file is about 20 MB
STALE_TEMPORARY_SECONDS = 3600  # a temporary older than this was left by a killed process


@dataclass(frozen=True)
class Startup:
    """What the pipeline is built from: the rules, jieba's prefix dictionary with the user words
    (``PrefixDictionary``) and jieba's word tags by first character; the last two are None when
    there is no cache, and the tokenizer then builds jieba's dictionary itself."""

    rules: Rules
    dictionary: PrefixDictionary | None = None
    word_tags: Shards | None = None
    from_cache: bool = False
    path: Path | None = None


def cache_folder() -> Path | None:
    """Where the start-up cache lives, or None when it is turned off."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "bulletin-metrics"


def cache_key(directory: Path) -> str:
    """The version of the rules and the code (the per-document cache's), the rules folder (the
    rules remember where they were read from: ``rules build`` writes there) and the Python that
    pickled it (marshal's format is the interpreter's)."""
    from pipeline.engines.cache import version

    folder = hashlib.sha256(str(directory).encode()).hexdigest()[:8]
    return f"{version(directory)}-{folder}-{sys.implementation.cache_tag}"


def startup(rules_dir: str | Path | None = None) -> Startup:
    """The start-up artefacts of a rules folder: from the cache file when it holds them, else
    built (and stored for the next process). Once per process and folder."""
    return _startup(rules_folder(rules_dir))


@functools.lru_cache(maxsize=4)
def _startup(directory: Path) -> Startup:
    folder = cache_folder()
    if folder is None:
        return Startup(read_rules(directory))
    key = cache_key(directory)
    path = folder / f"startup-{key}.pickle"
    payload = read_file(path, key)
    if payload is not None:
        return _adopted(payload, from_cache=True, path=path)
    rules = read_rules(directory)  # a malformed rule raises here, before anything is built or kept
    if not _writable(folder):
        return Startup(rules)
    from pipeline.extraction.places import name_index
    from pipeline.extraction.segmenter import PrefixDictionary, read_user_words, read_word_tags, split_by_first_character
    from pipeline.userdict import USER_DICT

    payload = {
        "key": key,
        "rules": rules,
        "place_names": name_index(rules),
        "dictionary": PrefixDictionary.build(read_user_words(directory / USER_DICT)),
        "word_tags": split_by_first_character(read_word_tags()),
    }
    written = write_file(path, payload)
    return _adopted(payload, from_cache=False, path=path if written else None)


def _adopted(payload: dict, from_cache: bool, path: Path | None) -> Startup:
    """The payload's pieces handed to the modules that use them: the gazetteer's index of the
    rules object, the process's word tags."""
    from pipeline.extraction.places import remember_index
    from pipeline.extraction.segmenter import adopt_word_tags

    remember_index(payload["rules"], payload["place_names"])
    adopt_word_tags(payload["word_tags"])
    return Startup(payload["rules"], payload["dictionary"], payload["word_tags"], from_cache=from_cache, path=path)


def read_file(path: Path, key: str) -> dict | None:
    """The payload of a cache file, or None when it is missing, damaged, another version's or
    not safe to unpickle."""
    try:
        with open(path, "rb") as handle:
            if not _own_file(os.fstat(handle.fileno())):
                return None
            data = handle.read()
    except OSError:
        return None
    start = len(MAGIC) + _HEADER.size
    if not data.startswith(MAGIC) or len(data) < start:
        return None
    length, crc = _HEADER.unpack_from(data, len(MAGIC))
    body = memoryview(data)[start:]
    if len(body) != length or zlib.crc32(body) != crc:
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes some hundred thousand objects: no collection passes over them meanwhile
    try:
        payload = pickle.loads(body)
    except Exception:  # a file of an older layout whose classes changed: rebuilt
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(payload, dict) or payload.keys() != PAYLOAD or payload["key"] != key or not isinstance(payload["rules"], Rules):
        return None
    return payload


def write_file(path: Path, payload: dict) -> bool:
    """Write the file atomically; False (and nothing left behind) when it cannot be written."""
    body = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".startup-", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(MAGIC + _HEADER.pack(len(body), zlib.crc32(body)))
            stream.write(body)
        os.replace(temporary, path)
    except OSError:
        return False
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    prune(path.parent, keep=path)
    return True


def prune(folder: Path, keep: Path) -> None:
    """Drop all but the newest ``KEPT_VERSIONS`` files, and temporaries of killed processes."""
    import time

    try:
        files = [(p.stat().st_mtime, p) for p in folder.glob("startup-*.pickle") if p != keep]
        stale = [p for p in folder.glob(".startup-*.tmp") if p.stat().st_mtime < time.time() - STALE_TEMPORARY_SECONDS]
    except OSError:
        return
    for old in [p for _, p in sorted(files, key=lambda item: item[0], reverse=True)[KEPT_VERSIONS - 1 :]] + stale:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass


def _own_file(info: os.stat_result) -> bool:
    """Written by this user and by nobody else (a pickle runs code when it is loaded)."""
    owner = getattr(os, "getuid", None)
    return (owner is None or info.st_uid == owner()) and not info.st_mode & 0o022


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)
