"""The start-up cache (pipeline/startup_cache.py): hit on the second build, the same tokens and
figures as a pipeline built without it, a new key for other rules, damaged files rebuilt, and
no cache — but a working pipeline — where the folder cannot be written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import startup_cache
from pipeline.extraction.segmenter import LazyEntries, read_word_tags, split_by_first_character
from pipeline.rules import DEFAULT_RULES_DIR, rules_folder

REPO = Path(__file__).resolve().parent.parent
CORPUS = sorted([*(REPO / "corpus").glob("*.md"), *(REPO / "corpus").glob("*.txt")])


def _fresh_process_view() -> None:
    """Forget the start-up artefacts this process holds, as a new process would not have them."""
    startup_cache._startup.cache_clear()


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    """``cache_env(value)`` points BULLETIN_METRICS_CACHE at ``value`` for this test."""

    def use(value: str | Path) -> None:
        monkeypatch.setenv(startup_cache.ENV, str(value))
        _fresh_process_view()

    yield use
    _fresh_process_view()


def _cache_file(folder: Path) -> Path:
    (found,) = folder.glob("startup-*.pickle")
    return found


def test_startup_cache_is_hit_on_the_second_build(tmp_path, cache_env):
    from pipeline.extraction.nlp import build_nlp

    folder = tmp_path / "cache"
    cache_env(folder)
    first = startup_cache.startup()
    stored = _cache_file(folder)
    stamp = stored.stat().st_mtime_ns
    _fresh_process_view()
    second = startup_cache.startup()
    nlp = build_nlp()
    # fmt: off
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.path == stored and stored.stat().st_mtime_ns == stamp   # read, not written again
    assert nlp.tokenizer.user_words == list(second.dictionary.user_words)
    assert [p.name for p in folder.iterdir()] == [stored.name]            # no temporary left behind
    # fmt: on


@pytest.fixture(scope="module")
def two_pipelines(tmp_path_factory):
    """The pipeline built from a warm start-up cache, one built with the cache turned off, and
    the cached prefix dictionary."""
    from pipeline.extraction.nlp import build_nlp

    folder = tmp_path_factory.mktemp("startup-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(startup_cache.ENV, str(folder))
        _fresh_process_view()
        startup_cache.startup()  # the cold build writes the file
        _fresh_process_view()
        found = startup_cache.startup()
        assert found.from_cache, "the second build should read the cache file"
        cached = build_nlp()
        patch.setenv(startup_cache.ENV, "off")
        _fresh_process_view()
        assert startup_cache.startup().dictionary is None
        plain = build_nlp()
    _fresh_process_view()
    return cached, plain, found.dictionary


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_startup_cache_gives_the_same_tokens_and_figures(two_pipelines, path):
    from pipeline.process import process_bytes

    cached, plain, _ = two_pipelines
    data = path.read_bytes()
    from_cache, without = process_bytes(data, path.name, cached), process_bytes(data, path.name, plain)
    assert from_cache.metrics == without.metrics and from_cache.metrics
    assert from_cache.sections == without.sections
    text = from_cache.row["text"]
    assert [t.text for t in cached.tokenizer(text)] == [t.text for t in plain.tokenizer(text)]


# Words a caller adds to a live tokenizer: jieba suggests each one's frequency from the dictionary
# as it stands, so a dictionary loaded a character at a time must cut them the same.
@pytest.mark.parametrize("words, text", [
    (["宝鸡高新区管委会"], "宝鸡高新区管委会召开会议，部署安全生产工作。"),
    (["网格员队伍", "队伍建设"], "组建1226人网格员队伍，加强队伍建设。"),
    (["𠀀字词"], "罕见字𠀀字词也能切分。"),
])
def test_startup_cache_words_added_later_cut_the_same(two_pipelines, words, text):
    from pipeline.extraction.tokenizer import JiebaTokenizer

    cached_nlp, plain_nlp, dictionary = two_pipelines
    user_words = cached_nlp.tokenizer.user_words
    cached, plain = JiebaTokenizer(cached_nlp.vocab, user_words), JiebaTokenizer(plain_nlp.vocab, user_words)
    assert cached.use_dictionary(dictionary)
    for tokenizer in (cached, plain):
        tokenizer.add_words(words)
    assert [t.text for t in cached(text)] == [t.text for t in plain(text)]
    assert cached.user_words == plain.user_words == [*user_words, *words]


@pytest.mark.parametrize("change", ["a word more", "a word fewer", "the words in another order"])
def test_startup_cache_dictionary_of_other_words_is_refused(two_pipelines, change):
    from pipeline.extraction.tokenizer import JiebaTokenizer

    cached_nlp, _, dictionary = two_pipelines
    words = list(dictionary.user_words)
    words = {"a word more": [*words, "另一个词"], "a word fewer": words[1:], "the words in another order": words[::-1]}[change]
    tokenizer = JiebaTokenizer(cached_nlp.vocab, words)
    assert not tokenizer.use_dictionary(dictionary) and tokenizer.user_words == words


def test_startup_cache_word_tags_match_jiebas_dictionary():
    tags = read_word_tags()
    lazy = LazyEntries(split_by_first_character(tags))
    assert all(lazy.get(word) == tag for word, tag in tags.items())
    assert lazy.get("不是一个词的串") is None and "不是一个词的串" not in lazy


def _copy_rules(target: Path) -> Path:
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


# (change made to a copy of rules/, whether the key must differ from the copy's key before it)
@pytest.mark.parametrize("change, new_key", [
    ("nothing", False),
    ("a comment appended to units.tsv", True),
    ("a rules file added", True),
    ("the same files in another folder", True),
])
def test_startup_cache_key_follows_the_rules(tmp_path, change, new_key):
    rules = _copy_rules(tmp_path / "rules")
    before = startup_cache.cache_key(rules_folder(rules))
    if change == "a comment appended to units.tsv":
        with open(rules / "units.tsv", "a", encoding="utf-8") as handle:
            handle.write("# a changed rule file\n")
    elif change == "a rules file added":
        (rules / "notes.txt").write_text("a new file\n", encoding="utf-8")
    elif change == "the same files in another folder":
        rules = _copy_rules(tmp_path / "other-rules")
    assert (startup_cache.cache_key(rules_folder(rules)) != before) is new_key


def test_startup_cache_of_another_rules_folder_keeps_its_own_rules(tmp_path, cache_env):
    cache_env(tmp_path / "cache")
    rules = _copy_rules(tmp_path / "rules")
    startup_cache.startup()
    mine = startup_cache.startup(rules)
    _fresh_process_view()
    again = startup_cache.startup(rules)
    assert again.from_cache and mine.rules.source == again.rules.source == str(rules.resolve())
    assert len(list((tmp_path / "cache").glob("startup-*.pickle"))) == 2


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "one byte changed":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif how == "garbage":
        path.write_bytes(os.urandom(4096))
    elif how == "another program's pickle":
        import pickle
        import struct
        import zlib

        body = pickle.dumps({"key": "something else", "rules": None})
        path.write_bytes(startup_cache.MAGIC + struct.pack("<QI", len(body), zlib.crc32(body)) + body)
    elif how == "writable by others":
        path.chmod(0o666)
    else:
        raise ValueError(how)


@pytest.mark.parametrize("how", ["truncated", "empty", "one byte changed", "garbage", "another program's pickle", "writable by others"])
def test_startup_cache_rebuilds_a_damaged_file(tmp_path, cache_env, how):
    folder = tmp_path / "cache"
    cache_env(folder)
    reference = startup_cache.startup()
    stored = _cache_file(folder)
    _damage(stored, how)
    _fresh_process_view()
    rebuilt = startup_cache.startup()
    _fresh_process_view()
    again = startup_cache.startup()
    assert not rebuilt.from_cache and again.from_cache
    assert rebuilt.rules.places == reference.rules.places and again.dictionary == reference.dictionary
    assert stored.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("where", ["a path under a regular file", "a regular file", "off"])
def test_startup_cache_unwritable_folder_still_works(tmp_path, cache_env, where, nlp):
    from pipeline.extraction.nlp import build_nlp

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    cache_env({"a path under a regular file": blocker / "cache", "a regular file": blocker, "off": "off"}[where])
    found = startup_cache.startup()
    built = build_nlp()
    text = "眉县组建1226人网格员队伍，落实工资待遇18.4万元。"
    assert not found.from_cache and found.dictionary is None and found.path is None
    assert [t.text for t in built(text)] == [t.text for t in nlp(text)]
    assert blocker.read_text(encoding="utf-8") == "not a folder\n" and sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_startup_cache_processes_starting_at_once(tmp_path):
    """Three processes building the same missing cache at once: each gets the artefacts, and one
    whole file is left, which a fourth reads."""
    folder = tmp_path / "cache"
    environment = {**os.environ, startup_cache.ENV: str(folder)}
    script = "from pipeline.startup_cache import startup; s = startup(); print(s.from_cache, len(s.rules.towns))"
    started = [subprocess.Popen([sys.executable, "-c", script], env=environment, cwd=REPO, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [process.communicate(timeout=300)[0].split() for process in started]
    assert all(process.returncode == 0 for process in started)
    assert {towns for _, towns in outputs} == {outputs[0][1]}
    stored = _cache_file(folder)
    assert [p.name for p in folder.iterdir()] == [stored.name]
    fourth = subprocess.run([sys.executable, "-c", script], env=environment, cwd=REPO, capture_output=True, text=True, timeout=300, check=True)
    assert fourth.stdout.split() == ["True", outputs[0][1]]
