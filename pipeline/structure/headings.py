"""The heading a block opens with, if any.

Marked headings: a heading block (Markdown ``#``, a DOCX heading style, ``<h2>``), a bold lead
sentence, a numbered line (一、 （一） 1. （1） 第一， 一是). And the headings a text keeps after
a web page lost its bold:

- a **short line** standing between paragraphs: at most ``SHORT_LINE_MAX`` characters, no
  sentence punctuation, brackets closed, followed by prose or a numbered heading — not page
  furniture (``rules/page_furniture.tsv``), a date or a byline;
- a **lead sentence** opening a paragraph the way a bold lead does (沉着应对、同心战疫，人民健康
  有效保障。…): in a document without any bold, at most ``LEAD_MAX`` characters, no figures,
  more text after it in the paragraph, not opening as ordinary prose does (其中, 同时, 截至 …:
  ``not_lead`` in ``rules/section_frames.tsv``), and not the first paragraph under a heading
  (that paragraph's first sentence speaks to its heading);
- an **appendix line** (附表：…).

A numbered line whose first clause carries a figure is a list item inside the current section,
not a heading: "1.引进投资项目不少于3个；…" (see ``numbered_title``).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.model import Block, Document
from pipeline.structure.lines import NUMBER_PREFIX, NUMBERED, balanced, has_figure
from pipeline.structure.structure_rules import StructureRules

_LEAD_END = regex.compile(r"[。！？：:；;!?]$")
SENTENCE_END = regex.compile(r"[。！？；;!?]")
_LEAD_SENTENCE_END = regex.compile(r"[。！？!?]")
_MAX_HEADING = 60
# A title short enough for one printed line of a bulletin (about 28 characters of 仿宋 on A4).
SHORT_LINE_MAX = 30
LEAD_MAX = 28
ITEM_CLAUSE_MAX = 20
_MIN_LEAD_REST = 8
_LEAD_COLON = regex.compile(r"[^，,。；;：:！？!?]{2,12}[：:]")
# 一是…；二是…: one sentence listing items (the second enumerator follows a ； or ，).
_IN_SENTENCE_LIST = regex.compile(r"^\s*(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、])[^。！？!?]*?[；;，,]\s*(?:[二三四五六七八九十]是|第[二三四五六七八九十][，,、])")
# A paragraph opening with a quotation (“没想到……”) opens a story, not a lead.
_QUOTES = "“‘「『\"'"
_NOT_IN_SHORT_LINE = regex.compile(r"[。！？；;!?]|[，,、：:]\s*$")
_PROSE = regex.compile(r"[，。；,;]")
_DATE_LINE = regex.compile(r"^\s*(?:[0-9]{4}|[〇零一二三四五六七八九]{4})\s*年.{0,6}月.{0,6}日\s*$|^\s*[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}")


@dataclass(frozen=True)
class Heading:
    start: int
    title: str
    level: int
    end: int  # end of the heading's text; a heading written in the document runs start..end
    kind: str
    label: str = ""  # a label the heading's kind gives (a frame's topic); else from the title


def _stripped_start(document: Document, block: Block) -> tuple[int, str]:
    text = document.block_text(block)
    return block.start + len(text) - len(text.lstrip()), text.strip()


def numbered_title(text: str, rules: StructureRules | None = None) -> str | None:
    """The title of a numbered line or sentence, or None when it is a list item.

    A heading names a topic; an item states a figure. The title is the first sentence when it
    carries no figure (一是优化经办流程。), else its first clause when that is a short topic
    phrase (二是推进异地结算，开通定点机构46家。→ 二是推进异地结算); a first sentence whose
    figure comes in its first clause is an item (1.新建农村公路不少于120公里，…). A short label
    before a colon is the title (1.总体情况：…)."""
    bare = NUMBER_PREFIX.sub("", text)
    prefix = text[: len(text) - len(bare)]
    colon = regex.search(r"[：:]", bare)
    first = SENTENCE_END.search(bare)
    if colon and colon.start() <= ITEM_CLAUSE_MAX and (first is None or colon.start() < first.start()) and not has_figure(bare[: colon.start()]):
        return (prefix + bare[: colon.end()]).strip()
    sentence = bare[: first.end()] if first else bare
    if not has_figure(sentence):
        title = prefix + sentence
        return (title if len(title) <= _MAX_HEADING else text[:_MAX_HEADING]).strip()
    clause = regex.match(r"[^，,：:]*", sentence).group(0)
    if clause == sentence or len(clause) > ITEM_CLAUSE_MAX or has_figure(clause) or len(clause) < 2:
        return None
    if rules and (rules.opens_ordinary_sentence(clause) or rules.frame_at(sentence, 0, "period", len(sentence))):
        return None  # 1.今年以来，新增就业5000人。: a time or a connective names no topic
    return (prefix + clause).strip()


class HeadingFinder:
    def __init__(self, document: Document, rules: StructureRules, body: tuple[int, int]) -> None:
        self.document = document
        self.rules = rules
        self.body = body
        # Text taken from a web page has lost its bold: then short lead sentences are leads.
        self.plain = not any(block.bold for block in document.blocks)

    def heading(self, index: int, after_heading: bool) -> Heading | None:
        """The heading block ``index`` opens with; ``after_heading``: the block right before
        it in the body is a heading line of its own."""
        document = self.document
        block = document.blocks[index]
        start, text = _stripped_start(document, block)
        if block.kind == "heading":
            return Heading(start, text, max(1, block.level - 1), start + len(text), "heading")
        if block.kind != "paragraph" or not text:
            return None
        bold_lead = next((span for span in block.bold if span.start == start), None)
        if self.rules.frame_at(document.text, start, "appendix", block.end) and not _PROSE.search(text[:_MAX_HEADING]):
            return Heading(start, text, 1, block.end, "appendix")
        for pattern, level in NUMBERED:
            if pattern.match(text):
                if _IN_SENTENCE_LIST.match(text):
                    return None  # 一是…；二是…: the items of one sentence, not headings
                if bold_lead and bold_lead.end - bold_lead.start > 2:
                    return Heading(start, document.text[bold_lead.start : bold_lead.end], level, bold_lead.end, "bold")
                title = numbered_title(text, self.rules)
                return Heading(start, title, level, start + len(title), "numbered") if title else None
        if bold_lead:
            lead = document.text[bold_lead.start : bold_lead.end]
            if _LEAD_END.search(lead) or (bold_lead.end == block.end and len(lead) >= 6):
                return Heading(start, lead, 1, bold_lead.end, "bold")
            return None
        if self._is_short_line(index, text):
            return Heading(start, text, 1, start + len(text), "line")
        if self.plain and not after_heading and (lead := self._plain_lead(text)):
            return Heading(start, lead, 2, start + len(lead), "lead")
        return None

    def _is_short_line(self, index: int, text: str) -> bool:
        if len(regex.sub(r"\s", "", text)) > SHORT_LINE_MAX or _NOT_IN_SHORT_LINE.search(text) or not balanced(text):
            return False
        if not regex.search(r"\p{Han}{2}", text) or _DATE_LINE.search(text) or self.rules.line_role(text):
            return False
        if self.rules.is_byline(text):
            return False
        # Between paragraphs: not the last of a run of short lines (a list, a flattened table).
        previous = self._neighbour(index, -1)
        if previous is not None and not self._prose_or_heading(previous):
            return False
        following = self._neighbour(index, 1)
        return following is not None and self._prose_or_heading(following)

    @staticmethod
    def _prose_or_heading(text: str) -> bool:
        return text == "#" or bool(_PROSE.search(text) or len(text) > SHORT_LINE_MAX or any(p.match(text) for p, _ in NUMBERED))

    def _neighbour(self, index: int, step: int) -> str | None:
        """The text of the nearest body paragraph before (step -1) or after (+1) block
        ``index``; None at the body's edge or across a table."""
        blocks = self.document.blocks
        position = index + step
        while 0 <= position < len(blocks):
            block = blocks[position]
            if not self.body[0] <= block.start < self.body[1] or block.kind == "table_cell":
                return None
            if block.kind == "heading":
                return "#"  # a heading block: the short line below it is a subheading
            if block.kind == "paragraph":
                return self.document.block_text(block).strip()
            position += step
        return None

    def _plain_lead(self, text: str) -> str | None:
        """A short first sentence, or a short label before a colon (强化组织保障：…)."""
        end = _LEAD_SENTENCE_END.search(text)
        colon = _LEAD_COLON.match(text)
        if colon and not colon.group(0).endswith(("如下：", "如下:")) and (end is None or colon.end() < end.end()):
            end = colon
        if end is None:
            return None
        lead = text[: end.end()]
        if lead[0] in _QUOTES or not 6 <= len(lead) <= LEAD_MAX or has_figure(lead) or len(text) - len(lead) < _MIN_LEAD_REST:
            return None
        if self.rules.opens_ordinary_sentence(lead) or self.rules.frame_at(lead, 0, "period", len(lead)) or self.rules.frame_at(lead, 0, "topic", len(lead)):
            return None
        return lead
