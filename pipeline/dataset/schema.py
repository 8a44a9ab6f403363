"""Column descriptions and types of the output tables (the metrics contract of DESIGN.md)."""

from __future__ import annotations

from pipeline.dataset.rows import DOCUMENT_COLUMNS, METRIC_COLUMNS, SECTION_COLUMNS

# name: (frictionless type, description)
METRICS = {
    "figure_id": ("string", "Stable id of the figure: the same document content and span give the same id"),
    "doc_id": ("string", "Id of the document (first 16 hex digits of its SHA-256)"),
    "source_file": ("string", "Path of the input file as given"),
    "issue_part": ("integer", "Which issue of its file the figure is in: 1, or 1, 2, … for a file holding several issues under mastheads of their own"),
    "issue_no": ("string", "Issue number from the masthead (第14期 → 14)"),
    "issue_date": ("date", "Issue date, ISO 8601"),
    "issuer": ("string", "Issuing office from the masthead"),
    "section": ("string", "Short label of the section (a theme from rules/section_themes.tsv, or the heading's first phrase)"),
    "section_title": ("string", "Full heading or bold lead sentence of the section"),
    "county": ("string", "County-level (or city/province-level) place the figure is attributed to; empty if unknown"),
    "county_code": ("string", "6-digit administrative code of `county`; empty when unresolved"),
    "county_basis": ("string", "Which evidence decided the county: list, clause, scope, sentence, passage, heading, table, or region:<region_basis> (rules/attribution_evidence.tsv)"),
    "town": ("string", "Town, township or sub-district leading the passage, if any"),
    "actor": ("string", "Department or working group reporting the figure, if named"),
    "measure": ("string", "What was counted: the predicate and object without the number"),
    "value": ("number", "Normalized value in the base unit (18.4万元 → 184000); the lower end of a range"),
    "unit": ("string", "Base unit or measure word (个, 人, 元, %, 人次 …)"),
    "qualifier": ("string", "more_than | approx | at_least | less_than, or empty for an exact figure"),
    "value_max": ("number", "Upper end of a range (3至5个 → 5), else empty"),
    "value_text": ("string", "The figure as written (1.4万个)"),
    "evidence": ("string", "The sentence the figure comes from, cut to about 160 characters around the value (… where cut); a table cell's row and column headers"),
    "page": ("integer", "1-based page of the figure"),
    "char_start": ("integer", "Start offset of the figure in the document's normalized text (documents.text)"),
    "char_end": ("integer", "End offset (exclusive)"),
}
DOCUMENTS = {
    "doc_id": ("string", "Id of the document (first 16 hex digits of its SHA-256)"),
    "source_file": ("string", "Path of the input file as given"),
    "format": ("string", "markdown | text | html | pdf | docx | unknown"),
    "sha256": ("string", "SHA-256 of the file's bytes"),
    "status": ("string", "ok | empty | needs_ocr | encrypted | corrupt | too_large | unsupported | error"),
    "error": ("string", "Why the file could not be read, in words; empty when ok"),
    "pages": ("integer", "Number of pages (1 for formats without pages); pages the issue spans, for a file holding several"),
    "figures": ("integer", "Number of figures extracted"),
    "seconds": ("number", "Processing time of the document (of the issue, for a file holding several)"),
    "issue_part": ("integer", "1; for a file holding several issues, one row per issue numbered 1, 2, … in file order, each with its own metadata and figures"),
    "issue_no": ("string", "Issue number"),
    "issue_date": ("date", "Issue date, ISO 8601"),
    "issuer": ("string", "Issuing office"),
    "series": ("string", "Series named under the issue number (（“四型”社区建设）)"),
    "title": ("string", "Title of the issue"),
    "region": ("string", "Code of the document's home region: what 全县/我市 and figures without a place of their own belong to; empty if the document names no place"),
    "region_basis": ("string", "How the region was found: option (--region), masthead, title, dateline or mention (rules/region_evidence.tsv)"),
    "submitted_to": ("string", "呈/报 list, joined by ；"),
    "sent_to": ("string", "送/抄送 list, joined by ；"),
    "distributed_to": ("string", "发 list, joined by ；"),
}
SECTIONS = {
    "doc_id": ("string", "Id of the document"),
    "section_no": ("integer", "1-based position of the section in the document"),
    "section": ("string", "Short label of the section"),
    "section_title": ("string", "Heading or bold lead sentence"),
    "level": ("integer", "Heading level (1 = 一、 or a bold lead; 2 = （一）; 3 = 1.)"),
    "char_start": ("integer", "Start offset in the document text"),
    "char_end": ("integer", "End offset in the document text"),
    "page": ("integer", "Page where the section starts"),
}
TEXTS = {
    "doc_id": ("string", "Id of the document"),
    "text": ("string", "The document's normalized text; char_start/char_end of metrics index it"),
}

assert list(METRICS) == METRIC_COLUMNS
assert list(DOCUMENTS) == [c for c in DOCUMENT_COLUMNS if c != "text"]
assert list(SECTIONS) == SECTION_COLUMNS
