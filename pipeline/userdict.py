"""The jieba user dictionary generated from ``rules/`` (``bulletin-metrics rules build``).

Place names, units and measure verbs go into the segmenter's dictionary so that it cuts them
out whole; the generated file is committed and a test fails when it drifts from the rules.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.rules import DEFAULT_RULES_DIR, Rules

USER_DICT = "jieba_user_words.txt"
HEADER = "# Generated from rules/ by `bulletin-metrics rules build`; do not edit."


def user_words(rules: Rules) -> list[str]:
    words: set[str] = set()
    for place in rules.places.values():
        words.add(place.name)
        words.update(former.split("@")[0] for former in place.former)
    words.update(unit for unit in rules.units if len(unit) > 1)
    words.update(word for word, role in rules.measure_words.items() if role != "preposition" and len(word) > 1)
    words.update(suffix for suffix in rules.actor_suffixes if len(suffix) > 1)
    return sorted(words)


def render(rules: Rules) -> str:
    return HEADER + "\n" + "\n".join(user_words(rules)) + "\n"


def write_user_dict(rules: Rules, rules_dir: Path = DEFAULT_RULES_DIR) -> Path:
    path = Path(rules_dir) / USER_DICT
    path.write_text(render(rules), encoding="utf-8")
    return path
