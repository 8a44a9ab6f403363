"""The corpus through the whole pipeline into real output files, scored against its gold."""

import csv
import filecmp
import json

import duckdb
import pandas as pd
import pytest

from pipeline.batch import extract_files
from pipeline.dataset.rows import METRIC_COLUMNS
from pipeline.dataset.writers import write_outputs
from pipeline.evaluate.score import evaluate

from .conftest import CORPUS, GOLD

REFERENCE = "baoji-2022-14"


@pytest.fixture(scope="module")
def scores(corpus_outputs):
    per_document, total = evaluate(GOLD, corpus_outputs / "metrics.csv")
    return {score.document: score for score in per_document}, total


def test_end_to_end_reference_bulletin_meets_its_gold(scores):
    reference = scores[0][REFERENCE]
    assert reference.fn == 0, [m["evidence"] for m in reference.misses]
    assert reference.precision >= 0.95
    assert reference.measure_accuracy >= 0.9
    assert reference.negative_hits == 0


def test_end_to_end_own_bulletins_f1(scores):
    per_document, _ = scores
    own = [score for name, score in per_document.items() if name != REFERENCE]
    assert len(own) >= 4
    tp = sum(s.tp for s in own)
    fp = sum(s.fp for s in own)
    fn = sum(s.fn for s in own)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, {s.document: round(s.f1, 3) for s in own}
    assert all(s.f1 >= 0.9 for s in own), {s.document: round(s.f1, 3) for s in own}


def test_end_to_end_corpus_accuracy(scores):
    _, total = scores
    assert total.f1 >= 0.95
    assert total.measure_accuracy >= 0.9
    assert total.qualifier_accuracy >= 0.95
    assert total.field_accuracy("county") >= 0.95


def test_end_to_end_corpus_is_broad():
    bulletins = [p for p in CORPUS.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md"]
    gold_rows = sum(len(list(csv.DictReader(open(GOLD / f"{p.stem}.csv", encoding="utf-8")))) for p in bulletins)
    assert len(bulletins) >= 12 and gold_rows >= 300


def test_end_to_end_every_bulletin_has_gold():
    bulletins = {p.stem for p in CORPUS.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md"}
    assert bulletins == {p.stem for p in GOLD.glob("*.csv")}


def test_end_to_end_outputs_follow_the_contract(corpus_outputs):
    with open(corpus_outputs / "metrics.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == METRIC_COLUMNS
    metrics = pd.read_csv(corpus_outputs / "metrics.csv", dtype=str, keep_default_na=False)
    assert metrics["figure_id"].is_unique
    assert (metrics["evidence"] != "").all() and (metrics["page"].astype(int) >= 1).all()
    parquet = pd.read_parquet(corpus_outputs / "metrics.parquet")
    assert list(parquet.columns) == METRIC_COLUMNS and len(parquet) == len(metrics)
    package = json.loads((corpus_outputs / "datapackage.json").read_text(encoding="utf-8"))
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == METRIC_COLUMNS and all(f["description"] for f in package["resources"][0]["schema"]["fields"])


def test_end_to_end_duckdb_holds_the_same_tables(corpus_outputs):
    connection = duckdb.connect(str(corpus_outputs / "bulletins.duckdb"), read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
        assert {"metrics", "documents", "sections", "document_texts"} <= tables
        count = connection.execute("SELECT count(*) FROM metrics").fetchone()[0]
        total = connection.execute("SELECT sum(value) FROM metrics WHERE unit = '元' AND county = '眉县'").fetchone()[0]
        # the figure sits at its offsets in the stored text
        start, end, value_text, text = connection.execute(
            "SELECT m.char_start, m.char_end, m.value_text, t.text FROM metrics m JOIN document_texts t USING (doc_id) LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    assert count == len(pd.read_csv(corpus_outputs / "metrics.csv"))
    assert total == 184000
    assert text[start:end].strip() == value_text


def test_end_to_end_rerun_gives_identical_files(corpus_outputs, tmp_path):
    batch = extract_files([CORPUS])
    write_outputs(tmp_path, batch.metrics, batch.documents, batch.sections)
    for name in ("metrics.csv", "sections.csv", "metrics.parquet", "datapackage.json"):
        assert filecmp.cmp(corpus_outputs / name, tmp_path / name, shallow=False), name
    ours = pd.read_csv(corpus_outputs / "documents.csv").drop(columns=["seconds"])
    theirs = pd.read_csv(tmp_path / "documents.csv").drop(columns=["seconds"])
    pd.testing.assert_frame_equal(ours, theirs)


def test_end_to_end_python_api_returns_the_metrics_table():
    import pipeline

    metrics = pipeline.extract(CORPUS / f"{REFERENCE}.md")
    assert list(metrics.columns) == METRIC_COLUMNS
    row = metrics[metrics["value_text"] == "1.4万个"].iloc[0]
    assert (row["value"], row["unit"], row["county"]) == (14000.0, "个", "宝鸡市")


def test_end_to_end_every_bulletin_is_one_issue(corpus_outputs):
    """No bulletin of the corpus is taken for several issues (第N期 in its text, a masthead's
    lines): one documents row each, every figure in issue_part 1."""
    documents = pd.read_csv(corpus_outputs / "documents.csv", dtype=str, keep_default_na=False)
    metrics = pd.read_csv(corpus_outputs / "metrics.csv", dtype=str, keep_default_na=False)
    assert documents["source_file"].is_unique and set(documents["issue_part"]) == {"1"}
    assert set(metrics["issue_part"]) == {"1"}
