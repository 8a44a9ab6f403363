"""Shared fixtures: one spaCy pipeline per test session (jieba's dictionary takes a second)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLD = CORPUS / "gold"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.extraction.nlp import shared_nlp

    return shared_nlp()


@pytest.fixture(scope="session")
def corpus_outputs(tmp_path_factory):
    """The corpus extracted once into a real output folder (CSV, Parquet, DuckDB)."""
    from pipeline.batch import extract_files
    from pipeline.dataset.writers import write_outputs

    out = tmp_path_factory.mktemp("corpus-out")
    batch = extract_files([CORPUS])
    write_outputs(out, batch.metrics, batch.documents, batch.sections)
    return out
