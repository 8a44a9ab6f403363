"""The number/unit layer's own rules files load (their malformed lines are in tests/test_rules.py)."""


from pipeline.rules import load_rules


def test_figure_rules_are_loaded():
    figures = load_rules().figures
    assert figures.counted_nouns["老人"] == "人" and "高龄" in figures.modifiers
    assert figures.casualty_words["死"] == ("人", "死亡")
    assert any("ranking" in context.reason for context in figures.contexts)

