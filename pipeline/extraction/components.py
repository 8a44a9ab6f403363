"""The project's spaCy components, registered as factories so any ``zh`` pipeline can add them.

Each component reads the rules at creation (``rules_dir``, default ``rules/``), keeps what it
uses, and saves it with ``to_disk`` so a saved pipeline needs no rules folder to load.
Results live on the ``Doc`` in extension attributes (see ``EXTENSIONS``); a caller that knows
the document's layout (bold runs, sections, issuer) sets ``doc._.layout`` before running them.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extraction.actors import ActorFinder, ActorMention
from pipeline.extraction.attribution import Attributor
from pipeline.extraction.leads import ZONE_NAME, LeadFinder
from pipeline.extraction.lists import ListReader
from pipeline.extraction.subjects import SubjectOpeners
from pipeline.extraction.measure_context import MeasureContext
from pipeline.extraction.measures import MeasureBuilder
from pipeline.extraction.places import Gazetteer, PlaceMention
from pipeline.extraction.region import HomeRegion, RegionFinder
from pipeline.extraction.tables import TableReader
from pipeline.extraction.tokenizer import word_tags
from pipeline.normalize.quantities import Quantity, QuantityFinder
from pipeline.rules import Rules, load_rules
from pipeline.structure.layout import Layout, plain_layout

EXTENSIONS = {
    "layout": "the document's Layout (bold runs, sections, metadata); set by the caller or derived",
    "quantities": "list[Quantity]: figures found, normalized",
    "rejected": "list[Rejected]: number-like text that is not a figure, with the reason",
    "places": "list[PlaceMention]: gazetteer places, resolved by region",
    "region": "code of the document's home region ('' if it names none)",
    "home_region": "HomeRegion: the home region's code, how it was found, and every place the document names",
    "actors": "list[ActorMention]: departments and working groups opening a passage",
    "measures": "list[str]: the measure of each quantity, in order",
    "measure_splits": "dict[int, list[str]]: quantities that stand for several measures (签约和开工率分别达95%), one measure per row",
    "figures": "list[Figure]: each quantity with its measure, county, town, actor and section",
}
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

RULES_FILE = "rules.pickle"
LEADS_KEY = "bulletin_leads"  # doc.user_data: the passage leads the attribution used (inspect shows them)


@dataclass
class Figure:
    quantity: Quantity
    measure: str
    county: str
    county_code: str
    town: str
    actor: str
    section: str
    section_title: str
    evidence_start: int
    evidence_end: int
    evidence: str = ""  # set where the text span is not itself readable (a table cell)
    county_basis: str = ""  # which evidence decided the county (rules/attribution_evidence.tsv)
    copy: str = ""  # '' for a figure's own row; what tells apart the rows of one figure shared by several places


def layout_of(doc: Doc) -> Layout:
    if doc._.layout is None:
        doc._.layout = plain_layout(doc.text)
    return doc._.layout


def token_bounds(doc: Doc) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]


class RulesComponent:
    """Shared plumbing: rules loading and saving."""

    def __init__(self, nlp: Language, name: str, rules_dir: str | None) -> None:
        self.name = name
        self.rules_dir = rules_dir
        self.setup(load_rules(rules_dir))

    def setup(self, rules: Rules) -> None:
        self.rules = rules

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / RULES_FILE).write_bytes(pickle.dumps(self.rules, protocol=4))
        (path / "component.json").write_text(json.dumps({"rules_source": self.rules.source}), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> RulesComponent:
        self.setup(pickle.loads(Path(path, RULES_FILE).read_bytes()))
        return self


class QuantitiesComponent(RulesComponent):
    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.finder = QuantityFinder(rules)

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        body_start, body_end = layout.body
        starts = {t.idx for t in doc}
        text = doc.text  # a property that rebuilds the string: read it once
        found, rejected = self.finder.find(text, starts)
        # A Chinese numeral must also end where a word ends: 三台 in 三台县 is a name.
        ends = {t.idx + len(t.text) for t in doc}
        doc._.quantities = [
            q for q in found
            if body_start <= q.start < body_end and not layout.in_table(q.start) and (text[q.number_start].isascii() or q.end in ends or q.qualifier)
        ]
        doc._.rejected = rejected
        doc.spans["quantities"] = [s for q in doc._.quantities if (s := doc.char_span(q.number_start, q.end, label=q.unit_class, alignment_mode="expand"))]
        return doc


class PlacesComponent(RulesComponent):
    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.gazetteer = Gazetteer(rules)
        self.regions = RegionFinder(self.gazetteer, rules.attribution, rules.structure)

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = doc.text
        starts, ends = {t.idx for t in doc}, {t.idx + len(t.text) for t in doc}
        shared = layout.context  # one piece of a long document: decided for the whole text
        if shared is not None and shared.home is not None:
            home, context = shared.home, shared.place_context
        else:
            full_names = self.full_names(text, starts, ends)
            home = self.regions.home(text, layout, full_names)
            context = self.place_context(home, full_names)
        layout.region, layout.region_basis = home.code, home.basis
        doc._.region, doc._.home_region = home.code, home
        mentions = self.gazetteer.find(text, context)
        doc._.places = mentions
        spans = [doc.char_span(m.start, m.end, label="GPE", alignment_mode="expand") for m in mentions]
        doc.spans["places"] = [s for s in spans if s is not None]
        return doc

    def full_names(self, text: str, starts: Collection[int], ends: Collection[int]) -> list[PlaceMention]:
        """The places named in full, with no region yet (short forms need one): what the home
        region is decided from. A former name counts only where the segmenter cuts it out as a
        word (``starts``/``ends``: token boundaries): 新增城市 holds 增城市."""
        return [m for m in self.gazetteer.find(text, "") if m.form == "full" or (m.start in starts and m.end in ends)]

    def place_context(self, home: HomeRegion, full_names: list[PlaceMention]) -> str:
        """Short forms (陈仓, 雁塔) count inside the region's prefecture, where bulletins use them."""
        return self.gazetteer.prefecture_of(home.code) or self.gazetteer.dominant_region([m for m in full_names if m.resolved])


class ActorsComponent(RulesComponent):
    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.finder = ActorFinder(rules, word_tags())

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = doc.text
        bounds = token_bounds(doc)
        places = {p.start: p for p in (doc._.places or [])}
        actors: list[ActorMention] = []
        starts = sorted({s for s, _ in layout.sentences} | {b.start for b in layout.bold})
        bold_at = {b.start: b for b in layout.bold}
        for start in starts:
            span = bold_at.get(start)
            if span and (kind := self.finder.kind_of(text[span.start : span.end])):
                actors.append(ActorMention(span.start, span.end, text[span.start : span.end], kind))
                continue
            offset = places[start].end if start in places else start
            following = [b for b in bounds if b[0] >= offset][:12]
            if following and following[0][0] == offset and (actor := self.finder.at(text, offset, following)):
                actors.append(ActorMention(start, actor.end, text[start : actor.end], actor.kind))
        doc._.actors = actors
        doc.spans["actors"] = [s for a in actors if (s := doc.char_span(a.start, a.end, label="ORG", alignment_mode="expand"))]
        return doc


class MeasuresComponent(RulesComponent):
    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.builder = MeasureBuilder(rules, word_tags())
        self.towns = rules.towns
        self.lists = ListReader(LeadFinder(Gazetteer(rules), SubjectOpeners(rules.attribution.subject_openers, rules.structure), rules.attribution.scope_words))
        self.context = MeasureContext(rules.words_with_role("comparison"), rules.words_with_role("verb"), rules.attribution.measure_pairs, rules.structure)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        bounds = token_bounds(doc)
        quantities: list[Quantity] = doc._.quantities or []
        # Longest first at each start: 长春新区 (a bold lead) before 长春 (a place inside it).
        zones = [(m.start(), m.end()) for m in ZONE_NAME.finditer(text)]
        leads = sorted([(p.start, p.end) for p in doc._.places or []] + [(a.start, a.end) for a in doc._.actors or []] + [(b.start, b.end) for b in layout_of(doc).bold] + zones,
                       key=lambda span: (span[0], -span[1]))
        lists = self.lists.spans(text, doc._.places or [], layout_of(doc))
        leads = sorted(leads + self._towns_opening(text, layout_of(doc)) + lists, key=lambda span: (span[0], -span[1]))
        measures, starts = self.builder.measures(text, bounds, quantities, leads, layout_of(doc).sentence_at)
        doc._.measures, doc._.measure_splits = self.context.refine(text, quantities, measures, layout_of(doc), starts)
        return doc

    def _towns_opening(self, text: str, layout: Layout) -> list[tuple[int, int]]:
        """Towns the gazetteer knows opening a sentence (颍川街道连夜排查…): whose, not what."""
        spans = []
        for start, _ in layout.sentences:
            end = next((e for e in range(min(len(text), start + 10), start + 2, -1) if text[start:e] in self.towns), 0)
            if end:
                spans.append((start, end))
        return spans


class _PieceAttributor(Attributor):
    """The attributor, with the places that open the headings of sections begun in an earlier
    piece of a long document (``Layout.context.headings``, by section index), and recording
    those of this piece for the pieces after it."""

    def _heading_places(self, text: str, layout: Layout, places: list[PlaceMention]) -> dict:
        found = super()._heading_places(text, layout, places)
        if layout.context is None:
            return found
        layout.context.headings.update(found)
        return {**layout.context.headings, **found}


class AttributionComponent(RulesComponent):
    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.attributor = _PieceAttributor(Gazetteer(rules), rules.attribution, rules.structure)

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        quantities = doc._.quantities or []
        places = doc._.places or []
        text = doc.text
        home = doc._.home_region or HomeRegion(layout.region, layout.region_basis)
        leads = self.attributor.leads(text, layout, places, doc._.actors or [])
        doc.user_data[LEADS_KEY] = leads  # for inspect
        attributions = self.attributor.attribute(text, layout, quantities, places, leads, home)
        measures = doc._.measures or [""] * len(quantities)
        splits = doc._.measure_splits or {}
        figures = []
        for index, (quantity, shares, measure) in enumerate(zip(quantities, attributions, measures)):
            section = layout.section_at(quantity.start)
            evidence = layout.sentence_at(quantity.start)
            named = splits.get(index, [measure])
            for attribution in shares:
                for measure_of_row in named:
                    # Rows of one figure shared by places or measures differ in id by what they share.
                    shared_by = "/".join(p for p in (attribution.county_code or attribution.county, attribution.town) if p) if len(shares) > 1 else ""
                    copy = "/".join(part for part in (shared_by, measure_of_row if len(named) > 1 else "") if part)
                    figures.append(
                        Figure(quantity, measure_of_row, attribution.county, attribution.county_code, attribution.town, attribution.actor,
                               section.label if section else "", section.title if section else "", *evidence,
                               county_basis=attribution.basis, copy=copy)
                    )
        doc._.figures = figures
        return doc


class TablesComponent(RulesComponent):
    """Figures in table cells, added to ``doc._.figures`` after the prose figures."""

    def setup(self, rules: Rules) -> None:
        super().setup(rules)
        self.gazetteer = Gazetteer(rules)
        self.reader = TableReader(QuantityFinder(rules), self.gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        figures = list(doc._.figures or [])
        if layout.cells and (layout.context is None or not layout.context.tables_later):
            figures += self.table_figures(doc.text, layout, figures)  # doc.text rebuilds the string: only for tables
        doc._.figures = figures
        return doc

    def table_figures(self, text: str, layout: Layout, figures: list[Figure]) -> list[Figure]:
        """The figures of the layout's table cells; ``figures``: the text's own, whose measure
        words tell the unit of a header's noun. A long document read in pieces has its tables
        read once, from the whole text, after its last piece."""
        if not layout.cells:
            return []
        found_figures = []
        default = self.gazetteer.places.get(layout.region)
        region_basis = f"region:{layout.region_basis}" if default else ""
        counted = [(f.measure, f.quantity.unit) for f in figures if f.quantity.unit_class == "count" and f.measure]  # 申请21件: 申请 in 件
        for found in self.reader.read(text, layout.cells, layout.region, counted):
            place = found.place if found.place and not found.is_total else None
            county, code = (place.name, place.code) if place else ((default.name, default.code) if default else ("", ""))
            section = layout.section_at(found.quantity.start)
            evidence = f"{found.row_header} | {found.column_header}: {found.quantity.value_text}"
            found_figures.append(Figure(found.quantity, found.measure, county, code, "", "", section.label if section else "", section.title if section else "",
                                        found.quantity.start, found.quantity.end, evidence, county_basis="table" if place else region_basis))
        return found_figures


_DEFAULT = {"rules_dir": None}
_COMPONENTS = {
    "bulletin_quantities": (QuantitiesComponent, ["doc._.quantities", "doc._.rejected", "doc.spans"]),
    "bulletin_places": (PlacesComponent, ["doc._.places", "doc._.region", "doc._.home_region", "doc.spans"]),
    "bulletin_actors": (ActorsComponent, ["doc._.actors", "doc.spans"]),
    "bulletin_measures": (MeasuresComponent, ["doc._.measures", "doc._.measure_splits"]),
    "bulletin_attribution": (AttributionComponent, ["doc._.figures"]),
    "bulletin_tables": (TablesComponent, ["doc._.figures"]),
}


def _register(name: str, cls: type[RulesComponent], assigns: list[str]) -> None:
    def factory(nlp: Language, name: str, rules_dir: str | None) -> RulesComponent:
        return cls(nlp, name, rules_dir)

    Language.factory(name, default_config=_DEFAULT, assigns=assigns)(factory)


for _name, (_cls, _assigns) in _COMPONENTS.items():
    _register(_name, _cls, _assigns)

PIPE_NAMES = list(_COMPONENTS)
