"""Rules are data: validated at load with file and line, and the generated dictionary does not drift."""

import shutil

import pytest

from pipeline.rules import DEFAULT_RULES_DIR, RulesError, load_rules
from pipeline.userdict import USER_DICT, render


def test_rules_user_dictionary_is_up_to_date():
    assert (DEFAULT_RULES_DIR / USER_DICT).read_text(encoding="utf-8") == render(load_rules()), "run: bulletin-metrics rules build"


def test_rules_gazetteer_covers_china():
    places = load_rules().places
    levels = [p.level for p in places.values()]
    assert levels.count("province") >= 31 and levels.count("prefecture") >= 330 and levels.count("county") >= 2800
    assert places["610305"].name == "凤翔区" and any(f.startswith("凤翔县") for f in places["610305"].former)


# fmt: off
BROKEN = [
    ("units.tsv", "个\tcount\t个\tmany\n", "column 'factor' must be a number"),
    ("units.tsv", "个\tcounts\t个\t1\n", "column 'class' must be one of"),
    ("qualifiers.tsv", "余\tafter\tmore_than\n", "column 'position' must be one of"),
    ("qualifiers.tsv", "余\tafter_number\tmore\n", "column 'qualifier' must be one of"),
    ("nonfigures.tsv", "第[0-9+\tan ordinal\n", "not a valid regular expression"),
    ("measure_words.tsv", "组织\tpivots\n", "column 'role' must be one of"),
    ("places.tsv", "61030\t宝鸡市\tprefecture\t610000\t\t\n", "must be a 6-digit code"),
    ("units.tsv", "个\tcount\t个\t1\textra\tmore\n", "fields but the header has"),
    ("region_evidence.tsv", "country\t6\tthe country\n", "column 'basis' must be one of"),
    ("attribution_evidence.tsv", "list\t8\tagain\n", "'list' is listed twice"),
    ("attribution_evidence.tsv", "scope\tfirst\tunranked\n", "column 'rank' must be a positive whole number"),
    ("datelines.tsv", "(\\p{Han}{2,4})讯\ta dateline without its group\n", "needs a group named `place`"),
    ("scope_words.tsv", "全村\t村\n", "column 'means' must be one of"),
    ("subject_openers.tsv", "截至[0-9+\tbroken\n", "not a valid regular expression"),
    ("measure_pairs.tsv", "城乡\t城镇\n", "must be two or more parts"),
    ("figure_contexts.tsv", "\t\t\tno after pattern\n", "column 'after' must not be empty"),
    ("figure_contexts.tsv", "\t(排名\t\tbroken\n", "not a valid regular expression"),
    ("figure_contexts.tsv", "(目标\t的\t\tbroken before\n", "not a valid regular expression"),
    ("figure_contexts.tsv", "\t排名\tcounts\tunknown class\n", "unknown unit class"),
    ("counted_nouns.tsv", "学员\t人们\n", "must be a unit of units.tsv"),
    ("counted_nouns.tsv", "老人\t人\n", "listed twice"),
    ("casualty_words.tsv", "残\t\t致残\n", "column 'unit' must not be empty"),
    ("casualty_words.tsv", "残\t人\t\n", "column 'sense' must not be empty"),
    ("units.tsv", "μg/m3\tconcentration\tμg/m3\t1\n", "listed twice"),
    ("page_furniture.tsv", "打印\tbutton\t\n", "column 'role' must be one of"),
    ("page_furniture.tsv", "来源\tlabel\t\n", "is listed twice"),
    ("page_furniture.tsv", "发文单位\tlabel\tplace\n", "column 'field' must be one of"),
    ("section_frames.tsv", "topic\t从[^，]{2,8}看\t\ta topic without its label\n", "needs a group named `label`"),
    ("section_frames.tsv", "period\t[0-9{4}年\t\tbroken\n", "not a valid regular expression"),
    ("section_frames.tsv", "heading\t.*\t\tno such kind\n", "column 'kind' must be one of"),
]
# fmt: on


@pytest.mark.parametrize("file, bad_line, message", BROKEN)
def test_rules_malformed_line_names_file_and_line(tmp_path, file, bad_line, message):
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
