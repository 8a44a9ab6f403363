"""The number/unit layer's own rules files are validated at load with file and line."""

import shutil

import pytest

from pipeline.rules import DEFAULT_RULES_DIR, RulesError, load_rules


def test_figure_rules_are_loaded():
    figures = load_rules().figures
    assert figures.counted_nouns["老人"] == "人" and "高龄" in figures.modifiers
    assert figures.casualty_words["死"] == ("人", "死亡")
    assert any("ranking" in context.reason for context in figures.contexts)


# fmt: off
BROKEN = [
    ("figure_contexts.tsv", "\t\t\tno after pattern\n", "column 'after' must not be empty"),
    ("figure_contexts.tsv", "\t(排名\t\tbroken\n", "not a valid regular expression"),
    ("figure_contexts.tsv", "(目标\t的\t\tbroken before\n", "not a valid regular expression"),
    ("figure_contexts.tsv", "\t排名\tcounts\tunknown class\n", "unknown unit class"),
    ("counted_nouns.tsv", "学员\t人们\n", "must be a unit of units.tsv"),
    ("counted_nouns.tsv", "老人\t人\n", "listed twice"),
    ("casualty_words.tsv", "残\t\t致残\n", "column 'unit' must not be empty"),
    ("casualty_words.tsv", "残\t人\t\n", "column 'sense' must not be empty"),
    ("units.tsv", "μg/m3\tconcentration\tμg/m3\t1\n", "listed twice"),
]
# fmt: on


@pytest.mark.parametrize("file, bad_line, message", BROKEN)
def test_figure_rules_malformed_line_names_file_and_line(tmp_path, file, bad_line, message):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    path = rules / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(bad_line)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(RulesError) as error:
        load_rules(rules)
    assert f"{path}:{len(lines)}:" in str(error.value)
    assert message in str(error.value)
