"""The README's opening example is what the pipeline really outputs for the reference bulletin."""

import regex

from pipeline.process import process_file

from .conftest import CORPUS, REPO

EXAMPLE = regex.compile(r"→ (\S+) (\d{6}) \| (\S+)\s+\| (\S+) (\S+)\s+\| «([^»]+)»\s+\| page (\d+), chars (\d+)–(\d+)")


def test_readme_example_rows_are_real(nlp):
    examples = EXAMPLE.findall((REPO / "README.md").read_text(encoding="utf-8"))
    assert examples, "the README's example rows were not found"
    rows = process_file(CORPUS / "baoji-2022-14.md", nlp).metrics
    got = {(r["county"], r["county_code"], r["measure"], r["value"], r["unit"], r["value_text"], str(r["page"]), str(r["char_start"]), str(r["char_end"])) for r in rows}
    for example in examples:
        assert tuple(example) in got, example
