"""The spaCy pipeline: registered components, extension attributes, save and load."""

import spacy

from pipeline.extraction.nlp import build_nlp

TEXT = "**眉县**组建1226人网格员队伍，落实工资待遇18.4万元。凤翔县新建驿站6个。"


def _summary(nlp, text):
    doc = nlp(text)
    return [t.text for t in doc], [(f.quantity.value_text, f.county, f.measure) for f in doc._.figures]


def test_pipeline_components_work_in_anyones_blank_zh():
    import pipeline.extraction.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("zh")
    for name in ("bulletin_quantities", "bulletin_places", "bulletin_actors", "bulletin_measures", "bulletin_attribution"):
        nlp.add_pipe(name)
    doc = nlp("陈仓区梳理镇村政务服务事项114项。")
    assert [(f.quantity.value_text, f.county) for f in doc._.figures] == [("114项", "陈仓区")]
    assert [span.text for span in doc.spans["places"]] == ["陈仓区"]


def test_pipeline_round_trips_through_disk_with_its_jieba_dictionary(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "tokenizer" / "user_words.txt").read_text(encoding="utf-8").count("\n") > 3000
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert loaded.tokenizer.user_words == nlp.tokenizer.user_words
    assert _summary(loaded, TEXT) == _summary(nlp, TEXT)


def test_pipeline_tokenizer_keeps_place_names_whole(nlp):
    assert "凤翔区" in [t.text for t in nlp.make_doc("凤翔区为社区配备一体机")]


def test_pipeline_build_is_independent_of_global_jieba():
    import jieba

    before = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    build_nlp()
    after = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    assert before == after
