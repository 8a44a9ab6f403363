"""The measure of a figure: the predicate and object that say what was counted.

建成智慧安防小区48个 → 建成智慧安防小区 (object before the figure);
派出6个督导组深入各县区 → 派出督导组 (verb before, object after);
组织130名网格员开展巡逻 → 网格员开展巡逻 (a pivot verb: its object is the real subject);
在13个社区试点开展助餐活动 → 社区试点开展助餐活动 (a prepositional frame is not a measure).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.extraction.subjects import SubjectOpeners
from pipeline.normalize.quantities import Quantity
from pipeline.rules import Rules

_CLAUSE_MARKS = "，,。；;：:！？!?\n（）()"
_QUOTED = regex.compile(r"[“\"‘「『《]([^”\"’」』》\n]{1,30})[”\"’」』》]")
_NOISE = regex.compile(r"[“”‘’\"'《》〈〉「」『』、\s·—\-+]+")
# Examples listed before 等 (退休干部、乡村教师等乡贤能人): the noun after 等 says what was counted.
_EXAMPLES = regex.compile(
    r"(?:(?:[^，,。；;、\s（）()“”《》0-9]{1,10}、)+[^，,。；;、\s（）()“”《》0-9]{1,10}|(?:[《“][^》”]{1,20}[》”]、?)+)等(?=\p{Han})"
)
_FOOTNOTE_MARK = regex.compile(r"\[[0-9]{1,2}\]")
_NUMERAL = regex.compile(r"[0-9〇零一二两三四五六七八九十百千万亿]")
_HAN = regex.compile(r"[\p{Han}A-Za-z0-9]")
_LEVEL_MAX = 4
# Single characters that turn a verb into a noun (宣讲 + 员, 服务 + 站).
_NOUN_SUFFIXES = {"员", "者", "队", "组", "站", "点", "室", "师", "所", "户", "家", "人", "品", "机"}
_SUBLIST = regex.compile(r"\s*其中[，,：:]?\s*")
_PIVOT_WORDS = 6
_NUM = r"(?:[0-9]+|[一二三四五六七八九十]+)"
_TIME_PREFIX = regex.compile(
    rf"\s*(?:{_NUM}\s*(?:至|到|—|-|~|～)\s*{_NUM}\s*月(?:份|底|末|中旬|上旬|下旬)?(?:以来)?"
    rf"|截至\s*(?:目前|{_NUM}\s*月(?:份|底|末)?(?:{_NUM}\s*日)?)"
    rf"|(?:今年|去年|本年|年初|上半年|下半年|前三季度|一季度|二季度|三季度|四季度|近年来|近期)(?:以来)?)[，,]?\s*"
)
_LINK_VERBS = {"达到", "达"}
# A part that names its own quantity (其中出口额29.5亿美元) is no level of the total's object.
_NOUN_HEAD = regex.compile(r"(?:额|量|率|值|数|金|费|款|资)$")
_INNER_FRAMES = {"对", "向", "给", "为"}
_JOINER = regex.compile(r"[、和及与]")
_ASIDE = regex.compile(r"[（(][^（）()，。；]{1,12}[）)]")
_CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？\n]")
# Three or more items listed right before a figure (A、B、C3项指标): the figure counts them.
_ENUMERATION = regex.compile(r"(?:[^，,。；;、\s等“”《》（）()0-9]{1,10}、){2,}[^，,。；;、\s等“”《》（）()0-9]{1,10}$")


def _even_items(enumeration: str) -> bool:
    """Items of about one length (固定资产投资、财政收入、规上工业增加值), not a list of short
    words whose last one runs on into a noun (市、县、乡、村四级河长)."""
    items = enumeration.split("、")
    return len(items[-1]) <= max(len(item) for item in items[:-1]) + 2
_TRAILING = ("达到", "共计", "合计", "累计", "总计", "分别", "达", "为", "共", "约", "近", "超过", "的")


class MeasureBuilder:
    def __init__(self, rules: Rules, tags: dict[str, str]) -> None:
        self.tags = tags
        self.pivots = rules.words_with_role("pivot")
        self.prepositions = rules.words_with_role("preposition")
        self.drops = rules.words_with_role("drop")
        self.verbs = rules.words_with_role("verb")
        self.predicates = rules.words_with_role("predicate") | self.pivots
        self.comparisons = rules.words_with_role("comparison")
        self.openers = SubjectOpeners(rules.attribution.subject_openers, rules.structure) if rules.attribution else None

    def is_verb(self, word: str) -> bool:
        return word in self.verbs or word in self.predicates or self.tags.get(word, "") in ("v", "vd")

    def is_adverb(self, word: str) -> bool:
        return word in self.drops or self.tags.get(word, "") in ("d", "ad", "u", "uj", "ul")

    def words(self, text: str, tokens: list[tuple[int, int]], start: int, end: int) -> list[str]:
        """The words of ``text[start:end]``; a quoted name with a numeral in it (“一件事一次办”)
        counts as one word, so its numerals and verbs do not cut the phrase; examples listed
        before 等 are left out."""
        quoted = [(m.start(), m.end(), m.group(1)) for m in _QUOTED.finditer(text, start, end) if _NUMERAL.search(m.group(1))]
        examples = [(m.start(), m.end()) for m in _EXAMPLES.finditer(text, start, end)]
        examples += [(m.start(), m.end()) for m in _FOOTNOTE_MARK.finditer(text, start, end)]  # 生产总值[2]: the marker goes
        words = []
        for token_start, token_end in tokens:
            if token_end <= start or token_start >= end:
                continue
            example = next(((s, e) for s, e in examples if s <= token_start < e), None)
            if example and not (token_end <= text.find("、", example[0], example[1]) and self.is_verb(text[token_start:token_end])):
                continue  # the examples go, a verb opening them stays (发放A、B等各类资金)
            inside = next((q for q in quoted if q[0] <= token_start < q[1]), None)
            if inside:
                if inside[0] == token_start or not words or words[-1] != inside[2]:
                    if not words or words[-1] != inside[2]:
                        words.append(inside[2])
                continue
            word = _NOISE.sub("", text[max(token_start, start) : min(token_end, end)])
            if word and _HAN.search(word):
                words.append(word)
        return words

    def clean_left(self, words: list[str]) -> list[str]:
        words = self._drop_leading(words)
        if words and words[0] in self.prepositions:
            verb_at = next((i for i, w in enumerate(words[1:], start=1) if self.is_verb(w) or self.tags.get(w) == "vn"), None)
            words = words[verb_at:] if verb_at is not None else []
        words = self._drop_leading(words)
        while words and (words[-1] in self.drops or words[-1] in self.prepositions):
            words = words[:-1]
        # 县级河长对责任河道巡河72次: a frame between the subject and its verb is not counted.
        inner = next((i for i, w in enumerate(words) if i and w in _INNER_FRAMES), None)
        if inner is not None:
            verb_at = next((i for i in range(len(words) - 1, inner, -1) if self.is_verb(words[i])), None)
            if verb_at is not None:
                words = words[:inner] + words[verb_at:]
        return words

    def _drop_leading(self, words: list[str]) -> list[str]:
        # A link verb with an object after it is the predicate (达到序时进度44项), not an edge.
        while words and words[0] in self.drops and not (words[0] in _LINK_VERBS and len(words) > 1):
            words = words[1:]
        return words

    def _noun_phrase(self, words: list[str]) -> int:
        """How many leading words form the noun phrase after a figure."""
        index = 0
        while index < len(words):
            word = words[index]
            if self.is_verb(word):
                # A word jieba calls a verb but that ends the phrase is a noun here (探头).
                following = words[index + 1] if index + 1 < len(words) else None
                lexical = word in self.verbs or word in self.predicates
                ends_phrase = following is None or self.tags.get(following) == "d" or following in _NOUN_SUFFIXES
                # Right after the figure, a verb before a noun describes it (3210名独居老人, 留守儿童);
                # later it is the predicate (督导组深入各县区).
                modifies = index == 0 and following is not None and self.tags.get(following, "").startswith("n")
                if lexical or not (ends_phrase or modifies) or (index == 0 and following not in _NOUN_SUFFIXES and not modifies):
                    break
            elif index and self.is_adverb(word):
                break
            index += 1
        return index

    def right_phrase(self, words: list[str]) -> tuple[list[str], list[str]]:
        """The noun phrase right after the figure, and the verb phrase that follows it."""
        size = self._noun_phrase(words)
        noun, rest = words[:size], words[size:]
        while rest and self.is_adverb(rest[0]) and not self.is_verb(rest[0]):
            rest = rest[1:]
        verb: list[str] = []
        if rest and noun:
            # What the counted things did, up to the next light verb (开展, 进行) that opens a
            # further predicate; jieba's dictionary sometimes tags a verb-object word as a noun
            # (进社区), so the phrase does not have to open with a tagged verb.
            verb.append(rest[0])
            for word in rest[1:]:
                if word in self.predicates or (not self.is_verb(rest[0]) and len(verb) >= 2):
                    break
                verb.append(word)
        return noun, verb

    def leading_verb(self, text: str, tokens: list[tuple[int, int]], start: int, end: int) -> str:
        """The verb opening a list (新发展中药材2.6万亩、苹果1.2万亩), verbal nouns included."""
        left = self.clean_left(self.words(text, tokens, start, end))
        return left[0] if left and (self.is_verb(left[0]) or self.tags.get(left[0]) == "vn") else ""

    def build(self, text: str, tokens: list[tuple[int, int]], left: tuple[int, int], right: tuple[int, int], context: MeasureContext) -> str:
        """``left`` is the text before the figure in its clause (after any lead or earlier
        figure), ``right`` the text after it up to the clause's end or the next figure."""
        raw_before = self.words(text, tokens, *left)
        frame = bool(raw_before) and raw_before[-1] in self.prepositions  # 为1269名…, 以490亿元…
        before = self.clean_left(raw_before)
        if context.compared and before and any(before[0].startswith(word) for word in self.comparisons):
            before = [_trim(context.compared), *before]
        right_words = self.words(text, tokens, *right)
        if before and context.previous and all(any(w.startswith(c) for c in self.comparisons) for w in before):
            # 由上年底的71%提高到85.6%: the same measure, changed.
            return _trim(context.previous)
        if right_words[:2] == ["的", "标准"] or right_words[:1] == ["的标准"]:
            # 按照每人每月300元的标准发放津贴: a rate, measured by what it pays for.
            rest = right_words[2:] if right_words[0] == "的" else right_words[1:]
            if rest:
                return _trim("".join(rest[:_PIVOT_WORDS])) + "标准"
        if right_words[:1] == ["的"] and (not before or before[-1] in self.prepositions or frame):
            # 以490亿元的经济总量稳居第一: the noun after 的 is what the figure measures.
            noun, _ = self.right_phrase(right_words[1:])
            if noun:
                return _trim("".join(noun))
        noun, verb = self.right_phrase(right_words)
        if not noun and not before and frame and right_words and self.is_verb(right_words[0]):
            # 为19417人提供政策咨询服务: the figure is who was served; the service is the measure.
            return _trim("".join(right_words[:_PIVOT_WORDS]))
        if context.list_verb and before and before[0] not in self.verbs and before[0] not in self.predicates:
            if context.sublist and context.list_object and len("".join(before)) <= _LEVEL_MAX and not any(self.is_verb(w) for w in before) \
                    and not _NOUN_HEAD.search("".join(before)):
                # 其中市级18名、县级214名: a level or kind of the list's object.
                return _trim(context.list_verb + "".join(before) + context.list_object)
            before = [context.list_verb, *before]
        if before and before[-1] in self.pivots:
            # 组织1200名党员干部下沉一线: what the pivot's object did is the measure.
            return _trim("".join(noun + verb) if noun else "".join(right_words[:_PIVOT_WORDS])) or _trim("".join(before))
        if not noun:
            if before and context.sentence_object and len(before) <= 2 and all(len(w) >= 2 and self.is_verb(w) for w in before):
                # 计划改造老旧管道286公里，已完工241公里: what was completed is the same object.
                return _trim("".join(before) + context.sentence_object)
            if before and context.unit_class == "money" and right_words and self.is_verb(right_words[0]):
                # 投入资金1.35亿元实施农村道路提质改造: what the money is for.
                return _trim("".join(before + right_words[:_PIVOT_WORDS]))
            return _trim("".join(before)) if before else _trim(context.previous or context.compared)
        if not before or before[-1] in self.prepositions:
            return _trim("".join(noun + verb))
        return _trim("".join(before + noun))

    def measures(self, text: str, tokens: list[tuple[int, int]], quantities: list[Quantity], leads: list[tuple[int, int]], sentence_at) -> tuple[list[str], list[int]]:
        """The measure of every figure of a document, in order, and where each one's phrase
        starts (past the places and time phrases that open its clause)."""
        measures: list[str] = []
        lefts: list[int] = []
        subjects: list[str] = []
        verbs: list[str] = []
        objects: list[str] = []
        sublists: list[bool] = []
        for index, quantity in enumerate(quantities):
            previous = quantities[index - 1] if index else None
            if previous and not text[previous.end : quantity.start].strip():
                # 110类496项, 10期400余人次: one phrase counted two ways.
                measures.append(measures[-1])
                lefts.append(lefts[-1])
                subjects.append(subjects[-1])
                verbs.append(verbs[-1])
                objects.append(objects[-1])
                sublists.append(sublists[-1])
                continue
            clause_start, clause_end = clause_bounds(text, quantity.start, 0, len(text))
            in_list = previous is not None and previous.end > clause_start
            left = clause_start
            if in_list:
                left = previous.end
                while left < quantity.start and text[left] in "、，, ":
                    left += 1
            left = self._skip_time(text, left, quantity.start)
            if self.openers:
                left = self.openers.subject_starts(text, left, quantity.start)[-1]  # 1、…, 截至6月底，…
            sublist_mark = _SUBLIST.match(text, left, quantity.start)
            if sublist_mark:
                left = sublist_mark.end()
            left = self._past_subjects(text, left, quantity.start, leads)
            if in_list and text[left : left + 1] == "的":
                # 收入10万元以上的村达到226个: the earlier figure only qualified this noun.
                left = clause_start
            elif in_list and previous.end == left and previous.qualifier in ("at_least", "less_than") and _HAN.match(text, left):
                # 10亿元以上项目25个: the earlier figure is a threshold naming what is counted.
                left = previous.start
            enumeration = _ENUMERATION.search(text, left, quantity.start)
            if enumeration and _even_items(enumeration.group(0)):
                # 东片区、中部地区、西片区三所敬老院: the items listed are what the figure counts.
                left = quantity.start
            right_start = quantity.end
            chain = index + 1
            while chain < len(quantities) and not text[right_start : quantities[chain].start].strip():
                right_start = quantities[chain].end
                chain += 1
            right_end = clause_end
            list_mark = text.find("、", right_start, clause_end)
            if list_mark >= 0:
                right_end = list_mark
            if chain < len(quantities) and quantities[chain].start < right_end:
                right_end = quantities[chain].start
            sentence_start = sentence_at(quantity.start)[0]
            same_sentence = previous is not None and previous.end > sentence_start
            # 其中市级18名、县级214名, or the parts in brackets right after the total (27项（省级6项、…）).
            starts_sublist = same_sentence and (sublist_mark or regex.search(r"其中[，,：:]?\s*$", text[max(sentence_start, left - 8) : left])
                                                 or text[previous.end : left].strip() in ("（", "("))
            sublist = bool(starts_sublist) or (in_list and sublists[-1])
            context = MeasureContext(
                previous=measures[-1] if in_list or same_sentence else "",
                list_verb=verbs[-1] if in_list or starts_sublist else "",
                list_object=objects[-1] if in_list or starts_sublist else "",
                sublist=sublist,
                compared=subjects[-1] if same_sentence and not in_list else "",
                sentence_object=objects[-1] if same_sentence else "",
                unit_class=quantity.unit_class,
            )
            measure = self.build(text, tokens, (left, quantity.start), (right_start, right_end), context)
            verb = context.list_verb or self.leading_verb(text, tokens, left, quantity.start)
            verbs.append(verb)
            if sublist and context.list_object:
                objects.append(context.list_object)  # the parts of 其中 share the total's object
            else:
                objects.append(measure[len(verb) :] if verb and measure.startswith(verb) else (context.list_object or measure))
            measures.append(measure)
            lefts.append(left)
            sublists.append(sublist)
            # What a change or share after this figure is about: this figure's measure, or what
            # this one already compared (为3.36%，比上年降低0.09个百分点，比2019年降低…).
            subjects.append(context.compared if context.compared and measure.startswith(_trim(context.compared)) else measure)
        return measures, lefts

    @staticmethod
    def _past_subjects(text: str, left: int, end: int, leads: list[tuple[int, int]]) -> int:
        """Past the places and actors that say whose the figure is (眉县…, 新乡县、辉县市均…,
        排在第一名的长垣市…): they are not what was counted."""
        moved = True
        while moved:
            moved = False
            for lead_start, lead_end in leads:
                if lead_end > end or lead_start < left:
                    continue
                opens = lead_start == left
                modified = lead_start > left and text[lead_start - 1] == "的" and not _CLAUSE_BREAK.search(text, left, lead_start)
                if opens or modified:
                    left = MeasureBuilder._skip_time(text, lead_end, end)
                    aside = _ASIDE.match(text, left, end)  # 红旗区（含经开区）以…
                    left = aside.end() if aside else left
                    joiner = _JOINER.match(text, left, end)
                    left = joiner.end() if joiner else left
                    moved = True
                    break
        return left

    @staticmethod
    def _skip_time(text: str, start: int, end: int) -> int:
        """Past a time phrase opening the clause (1至8月, 截至10月底, 今年以来)."""
        match = _TIME_PREFIX.match(text, start, end)
        return match.end() if match else start


@dataclass
class MeasureContext:
    """What the figures before this one in its list or sentence tell about it."""

    previous: str = ""  # measure of the figure before it in the same list or sentence
    list_verb: str = ""  # verb governing the list (新建A 1个、B 2个)
    list_object: str = ""  # object of the list's first figure (设立河长3872名，其中市级18名)
    sublist: bool = False  # the figure is a part in a 其中 list
    sentence_object: str = ""  # object of the figure before it in the sentence
    compared: str = ""  # measure a change or share (同比增长11.3%) is about
    unit_class: str = ""


def _trim(measure: str) -> str:
    changed = True
    while changed and measure:
        changed = False
        for suffix in _TRAILING:
            if measure.endswith(suffix) and len(measure) > len(suffix) + 1:
                measure = measure[: -len(suffix)]
                changed = True
    return measure


_SHORT_ASIDE = regex.compile(r"[（(][^（）()0-9，。；\n]{1,8}[）)]")


def clause_bounds(text: str, offset: int, floor: int, ceiling: int) -> tuple[int, int]:
    """The clause around ``offset``. A short aside in brackets without figures, as in
    河（湖）长 or 镇（街道）, is part of the phrase, not a clause break."""
    asides = [(m.start(), m.end()) for m in _SHORT_ASIDE.finditer(text, max(floor, offset - 80), min(ceiling, offset + 80))]

    def in_aside(position: int) -> bool:
        return any(start <= position < end for start, end in asides)

    def breaks(position: int) -> bool:
        return text[position] in _CLAUSE_MARKS and not in_aside(position) and not _thousands_comma(text, position)

    start = offset
    while start > floor and not breaks(start - 1):
        start -= 1
    end = offset
    while end < ceiling and not breaks(end):
        end += 1
    return start, end


def _thousands_comma(text: str, position: int) -> bool:
    """The comma of 3,528 separates digits, not clauses."""
    return text[position] == "," and 0 < position < len(text) - 1 and text[position - 1].isdigit() and text[position + 1].isdigit()
