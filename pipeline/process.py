"""One document from file to rows: the per-document function every engine runs.

A file is read into one ``Document``; a file holding several issues under mastheads of their
own (``pipeline/structure/issues.py``) is then read issue by issue, each a ``Part`` with its own
metadata, sections, home region and figures (``issue_part`` 1, 2, …; offsets, ``doc_id`` and
figure ids stay the file's). A part longer than ``pieces.WHOLE_CHARS`` goes through spaCy in
pieces (``pipeline/structure/pieces.py``): what the pieces share is decided once, from the
whole text — the home region (from every place it names in full), the prefecture its short
place names are read in, the places opening section headings of an earlier piece, the tables —
so the figures are those of the whole text, at a cost linear in its length and with no text
ever past spaCy's ``max_length``.
"""

from __future__ import annotations

import bisect
import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from pipeline.dataset.rows import document_row, metric_rows, page_finder, section_rows
from pipeline.engines.position import reached
from pipeline.ingest import read_bytes
from pipeline.model import Document
from pipeline.structure.issues import issue_ranges, sub_document
from pipeline.structure.layout import Layout, PieceContext, build_layout
from pipeline.structure.pieces import piece_ranges


@dataclass
class Part:
    """One issue of a file (the whole file when it holds one): offsets count from ``start``."""

    number: int
    start: int  # where the part begins in the file's text
    document: Document  # the part as a document of its own
    layout: Layout
    pieces: list[tuple[int, int]] = field(default_factory=list)
    figures: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    places: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    leads: list = field(default_factory=list)
    home: object = None  # HomeRegion
    doc: object | None = None  # the spaCy Doc of a part read in one piece
    seconds: float = 0.0


@dataclass
class Processed:
    document: Document
    layout: Layout | None = None  # the first part's
    doc: object | None = None  # the spaCy Doc of a file read as one part in one piece
    metrics: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    row: dict = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)


def process_bytes(data: bytes, source_file: str, nlp: Language, region: str = "") -> Processed:
    started = time.perf_counter()
    document = read_bytes(data, source_file)
    result = Processed(document)
    if document.status == "ok":
        try:
            rules = nlp.get_pipe("bulletin_quantities").rules
            clock = started
            reached("figures")  # what a run's progress line shows, here and below
            ranges = issue_ranges(document, rules.structure)
            for number, (start, end) in enumerate(ranges, start=1):
                if len(ranges) > 1:
                    reached("issue", number, len(ranges))
                part = read_part(nlp, sub_document(document, start, end), rules, region, number, start)
                now = time.perf_counter()
                part.seconds, clock = now - clock, now
                result.parts.append(part)
            first = result.parts[0]
            result.layout = first.layout
            result.doc = first.doc if len(result.parts) == 1 else None
            page_at = page_finder(document)
            sections_before = 0
            for part in result.parts:
                result.metrics += metric_rows(document, part.layout, part.figures, offset=part.start, issue_part=part.number, page_at=page_at)
                result.sections += section_rows(document, part.layout, offset=part.start, first_number=sections_before, page_at=page_at)
                sections_before += len(part.layout.sections)
        except Exception as error:  # a bug on one document must not cost the batch
            document.status = "error"
            document.error = f"internal error while extracting: {type(error).__name__}: {error}"
            result.metrics, result.sections, result.parts = [], [], []
            result.layout = result.doc = None
    result.row = document_row(document, result.layout, len(result.metrics), time.perf_counter() - started, result.parts)
    return result


def read_part(nlp: Language, document: Document, rules, region: str = "", number: int = 1, start: int = 0,
              sizes: dict | None = None) -> Part:
    """The figures of one part (offsets in its own text); ``sizes`` overrides the piece sizes of
    ``pipeline.structure.pieces`` (``target``, ``whole``, ``longest``, ``forced``)."""
    layout = build_layout(document, rules, region)
    part = Part(number, start, document, layout)
    part.pieces = piece_ranges(document, layout, **(sizes or {}))
    if len(part.pieces) == 1:
        doc = nlp.make_doc(document.text)
        doc._.layout = layout
        for _, component in nlp.pipeline:
            doc = component(doc)
        part.doc, part.home = doc, doc._.home_region
        part.figures, part.rejected = list(doc._.figures or []), list(doc._.rejected or [])
        part.places, part.actors = list(doc._.places or []), list(doc._.actors or [])
        part.leads = list(doc.user_data.get(_leads_key(), []))
        return part
    _read_pieces(nlp, part)
    return part


def _leads_key() -> str:
    from pipeline.extraction.components import LEADS_KEY

    return LEADS_KEY


def _read_pieces(nlp: Language, part: Part) -> None:
    document, layout = part.document, part.layout
    text = document.text
    places = nlp.get_pipe("bulletin_places")
    full_names = _full_names(nlp, places, document, part.pieces)
    home = places.regions.home(text, layout, full_names)
    layout.region, layout.region_basis = home.code, home.basis
    tables = nlp.get_pipe("bulletin_tables") if nlp.has_pipe("bulletin_tables") else None
    context = PieceContext(home=home, place_context=places.place_context(home, full_names), tables_later=tables is not None)
    part.home = home
    for number, (start, end) in enumerate(part.pieces, start=1):
        reached("piece", number, len(part.pieces))
        doc = nlp.make_doc(text[start:end])
        doc._.layout = layout.window(start, end, context)
        for _, component in nlp.pipeline:
            doc = component(doc)
        part.figures += [_moved_figure(f, start) for f in doc._.figures or []]
        part.rejected += [dataclasses.replace(r, start=r.start + start, end=r.end + start) for r in doc._.rejected or []]
        part.places += [dataclasses.replace(p, start=p.start + start, end=p.end + start) for p in doc._.places or []]
        part.actors += [dataclasses.replace(a, start=a.start + start, end=a.end + start) for a in doc._.actors or []]
        part.leads += [dataclasses.replace(lead, start=lead.start + start, end=lead.end + start, scope_end=lead.scope_end + start)
                       for lead in doc.user_data.get(_leads_key(), [])]
        del doc
    if tables is not None:
        part.figures += tables.table_figures(text, layout, part.figures)


def _full_names(nlp: Language, places, document: Document, pieces: list[tuple[int, int]]) -> list:
    """Every place the text names in full (what its home region is decided from), piece by
    piece. A former name or a province's short form counts only where the segmenter cuts it
    out as a word: those paragraphs alone are segmented (a paragraph segments the same alone as
    inside its piece, the segmenter never joining words across a line break)."""
    text = document.text
    blocks = document.blocks
    block_starts = [b.start for b in blocks]
    segmented: dict[int, tuple[set[int], set[int]]] = {}
    found = []
    for start, end in pieces:
        for mention in places.gazetteer.find(text[start:end], ""):
            mention = dataclasses.replace(mention, start=mention.start + start, end=mention.end + start)
            if mention.form == "full":
                found.append(mention)
                continue
            at = bisect.bisect_right(block_starts, mention.start) - 1
            block = blocks[at] if at >= 0 and blocks[at].end >= mention.end else None
            low, high = (block.start, block.end) if block is not None else (start, end)
            if low not in segmented:
                doc = nlp.make_doc(text[low:high])
                segmented[low] = ({t.idx + low for t in doc}, {t.idx + len(t.text) + low for t in doc})
            starts, ends = segmented[low]
            if mention.start in starts and mention.end in ends:
                found.append(mention)
    return found


def _moved_figure(figure, offset: int):
    quantity = figure.quantity
    moved = dataclasses.replace(quantity, start=quantity.start + offset, end=quantity.end + offset, number_start=quantity.number_start + offset)
    return dataclasses.replace(figure, quantity=moved, evidence_start=figure.evidence_start + offset, evidence_end=figure.evidence_end + offset)


def process_file(path: str | Path, nlp: Language, region: str = "", display_name: str | None = None) -> Processed:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        document = Document(source_file=display_name or str(path), format="unknown", sha256="", status="error", error=f"cannot read the file: {error.strerror}")
        return Processed(document, row=document_row(document, None, 0, 0.0))
    return process_bytes(data, display_name or str(path), nlp, region)

