"""Figures of the indicator vocabulary, read from a report's text.

A number belongs to an indicator when the words around it name the indicator (the label: "受理",
"办结率", "…执法人员参加培训") and its subject is the indicator's (行政复议, 12345…): written in the
same clause, or the nearest subject before it in the same numbered item, with no unrelated subject
(规章, 仲裁…) in between. A number with no label of its own continues the list it stands in
("分别为708件、612件、494件"; "从30%、91%提高到100%")."""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from fazhi.reports.review.numbers import Quantity, YearMention
from fazhi.reports.review.text import ReportText
from fazhi.reports.review.vocabulary import Indicator, Vocabulary

TOPIC_WINDOW = 240  # characters back within an item where a subject still applies
QUOTE_AROUND = 40

_BOOK_TITLE = re.compile(r"《[^》]*》|“[^”]{8,}”")
_FILLER_END = re.compile(
    r"(共计|合计|总计|累计|共|总数|总量|数量|达到|高达|达|为|是|分别为|分别是|分别|有|约|"
    r"提高到|提高至|提升到|提升至|上升到|上升至|下降到|下降至|增长到|增加到|增加至|降至|降到|升至|减少到|减少至|"
    r"到|至|从|由|的|了|已|仅|逐年下降|逐年上升|逐年增加|逐年减少|逐年提高|稳定在|保持在|保持)+$"
)
_NEGATION_END = re.compile(r"(不能做到|未能做到|做不到|未能达到|未达到|没有达到|达不到|未实现|没能)$")
_PUNCT = " \u3000,，、;:()\"“”‘’'《》"


@dataclass
class Figure:
    indicator: Indicator
    quantity: Quantity
    quote: str
    year: int | None
    period: str
    subset: bool
    sentence: tuple[int, int]
    item: int
    paragraph: tuple[int, int]
    words: str = ""  # the report's own name for it, when short ("调处成功率", "综合纠错率")

    @property
    def label(self) -> str:
        if self.words and len(self.words) <= 10 and (not self.indicator.is_rate or self.words.endswith("率")):
            return self.words
        return self.indicator.short

    @property
    def value(self) -> Decimal:
        return self.quantity.value

    @property
    def unit(self) -> str:
        return self.quantity.unit

    @property
    def qualifier(self) -> str:
        return self.quantity.qualifier

    @property
    def written(self) -> str:
        """The figure as the report has it: "7000余人次", "99.23%", "突破1000万件"."""
        return self.quantity.raw

    def as_dict(self) -> dict:
        value = self.value
        return {
            "indicator": self.indicator.code,
            "name": self.indicator.name,
            "value": int(value) if value == value.to_integral_value() else float(value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "quote": self.quote,
            "year": self.year,
            "period": self.period,
            "subset": self.subset,
        }


def clean_label(text: str) -> str:
    text = _BOOK_TITLE.sub("", text)
    text = re.sub(
        r"(?:19|20)\d{2}\s*年?\s*(?:-+|至|到)\s*(?:19|20)\d{2}\s*年度?|(?:19|20)\d{2}\s*年度?(?:\d{1,2}月)?",
        "",
        text,
    )
    text = text.replace("其中", "")
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_PUNCT)
        text = _FILLER_END.sub("", text)
    return text


@dataclass
class _Occurrence:
    start: int
    end: int
    topic: str


class FigureReader:
    def __init__(self, report: ReportText, vocabulary: Vocabulary) -> None:
        self.report = report
        self.vocabulary = vocabulary
        self.occurrences = self._topic_occurrences()
        self._by_topic: dict[str, tuple[list[int], list[_Occurrence]]] = {}
        for occ in self.occurrences:
            starts, occurrences = self._by_topic.setdefault(occ.topic, ([], []))
            starts.append(occ.start)
            occurrences.append(occ)

    def _topic_occurrences(self) -> list[_Occurrence]:
        text = self.report.text
        found: list[_Occurrence] = []
        for key, topic in self.vocabulary.topics.items():
            for term in topic.terms:
                for m in re.finditer(re.escape(term), text):
                    found.append(_Occurrence(m.start(), m.end(), key))
        # Where terms overlap the longer one is the word written ("12348法律服务热线" is not 12345).
        owner: list[str | None] = [None] * len(text)
        kept: list[_Occurrence] = []
        for occ in sorted(found, key=lambda o: -(o.end - o.start)):
            if all(owner[i] in (None, occ.topic) for i in range(occ.start, occ.end)):
                owner[occ.start : occ.end] = [occ.topic] * (occ.end - occ.start)
                kept.append(occ)
        return sorted(kept, key=lambda o: o.start)

    def _topic_distance(self, q: Quantity, clause_end: int, topic: str) -> float | None:
        """How far before the number (within its item) or after it (within its clause) the
        nearest word of this subject is; None when there is none."""
        starts, occurrences = self._by_topic.get(topic, ([], []))
        window = max(self.report.item_start(q.start), q.start - TOPIC_WINDOW)
        best = None
        i = bisect.bisect_left(starts, q.start)
        j = i - 1
        while j >= 0 and occurrences[j].start >= window:
            if occurrences[j].end <= q.start:
                distance = q.start - occurrences[j].end
                best = distance if best is None else min(best, distance)
            j -= 1
        k = bisect.bisect_left(starts, q.end)
        if k < len(occurrences) and occurrences[k].end <= clause_end:
            distance = occurrences[k].start - q.end + 0.5
            best = distance if best is None else min(best, distance)
        return best

    def read(self) -> list[Figure]:
        report = self.report
        text = report.text
        figures: list[Figure] = []
        assigned: dict[int, Indicator] = {}
        quantities = report.quantities
        for index, q in enumerate(quantities):
            c_start, c_end = report.clause(q)
            previous = quantities[index - 1] if index > 0 else None
            following = quantities[index + 1] if index + 1 < len(quantities) else None
            first_in_clause = previous is None or previous.end <= c_start
            before_raw = text[(c_start if first_in_clause else previous.end) : q.start]
            after_end = following.start if following is not None and following.start < c_end else c_end
            after_raw = _BOOK_TITLE.sub("", text[q.end : after_end])
            if _NEGATION_END.search(before_raw.strip(_PUNCT)):
                continue  # "回复率不能做到100%" says the rate is not 100%
            label = clean_label(before_raw)
            clause_text = text[c_start:c_end]
            chosen = self._choose(q, label, after_raw, clause_text, c_end)
            if chosen is None and not label and not first_in_clause and index - 1 in assigned:
                inherited = assigned[index - 1]
                if q.unit in inherited.units or (inherited.is_rate and q.unit == "%"):
                    chosen = (inherited, "")
            if chosen is None and not label and first_in_clause:
                s_start, _ = report.sentence(q)
                if s_start < c_start:
                    prev_clause = clean_label(text[s_start:c_start])
                    chosen = self._choose(q, prev_clause, "", text[s_start:c_end], c_end)
            if chosen is None:
                continue
            indicator, words = chosen
            assigned[index] = indicator
            figure = self._figure(index, q, indicator, c_start, c_end)
            figure.words = words
            figures.append(figure)
        return figures

    def _choose(
        self, q: Quantity, label: str, after: str, clause_text: str, clause_end: int
    ) -> tuple[Indicator, str] | None:
        """The indicator this number belongs to, and the report's own words for it."""
        labels = [label]
        if q.unit == "%" and "、" in label and all(s.endswith("率") for s in label.split("、") if s):
            labels = [s for s in label.split("、") if s]  # "报备率、程序到位率100%": both are 100%
        best: tuple | None = None
        chosen = None
        for indicator in self.vocabulary.indicators:
            if indicator.is_rate != (q.unit == "%"):
                continue
            if not indicator.is_rate and q.unit not in indicator.units:
                continue
            if indicator.exclude and indicator.exclude.search(label + "|" + after.split("、")[0]):
                continue
            match_distance = None
            words = ""
            if indicator.label is not None:
                for text in labels:
                    m = indicator.label.search(text)
                    if m is not None:
                        match_distance = (len(text) - m.end(), -(m.end() - m.start()))
                        words = text if indicator.is_rate and len(text) <= 10 else m.group(0)
                        break
            if match_distance is None and indicator.after is not None and not indicator.is_rate:
                m = indicator.after.match(after)
                if m is not None:
                    match_distance = (m.end() + 0.5, 0)
            if match_distance is None:
                continue
            topic_distance = self._topic_distance(q, clause_end, indicator.topic)
            if topic_distance is None:
                continue
            blocker = self._topic_distance(q, clause_end, "other")
            if blocker is not None and blocker < topic_distance:
                continue
            key = (topic_distance, *match_distance)
            if best is None or key < best:
                best, chosen = key, (indicator, words)
        return chosen

    def _figure(self, index: int, q: Quantity, indicator: Indicator, c_start: int, c_end: int) -> Figure:
        report = self.report
        s_start, s_end = report.sentence(q)
        year, period = self._period(q, s_start)
        earlier = [p for p in report.quantities_between(s_start, q.start) if p.unit == q.unit]
        marker = report.text.rfind("其中", s_start, q.start)
        subset = marker != -1 and any(p.end <= marker for p in earlier)
        # A clause with no punctuation (text copied from a web page) is quoted around the number.
        q_start, q_end = max(c_start, q.start - QUOTE_AROUND), min(c_end, q.end + QUOTE_AROUND // 2)
        return Figure(
            indicator=indicator,
            quantity=q,
            quote=report.quote(q_start, q_end),
            year=year,
            period=period,
            subset=subset,
            sentence=(s_start, s_end),
            item=report.item_start(q.start),
            paragraph=report.paragraph(q.start),
        )

    def _period(self, q: Quantity, s_start: int) -> tuple[int | None, str]:
        """The year a figure is for, or the span it covers ("2016年以来", "截至2020年11月")."""
        text = self.report.text
        mentions = [y for y in self.report.years if s_start <= y.start and y.end <= q.start]
        for y in reversed(mentions):
            tail = text[y.end : y.end + 4]
            head = text[max(0, y.start - 3) : y.start]
            opened = text.rfind("(", s_start, y.start)
            if opened != -1 and text.find(")", opened, q.start) != -1:
                continue  # "（2022年为130件）": a year in brackets speaks only inside them
            if tail.startswith(("的", "为", "是", "同期")):
                if self.report.quantities_between(y.end, q.start):
                    continue
                return y.first, ""
            if tail.startswith("以来"):
                return None, f"{y.first}年以来"
            if re.search(r"(截至|截止|至)$", head):
                stop = re.match(r"[^,，;。]*?(日|月|底|末)", text[y.start : y.start + 12])
                written = text[y.start : y.start + stop.end()] if stop else text[y.start : y.end]
                year = y.first if re.search(r"年(底|末)$", written) else None
                return year, f"截至{written}"
            if y.is_range:
                return self._from_range(y, q)
            if self._bound_to_other(y, q):
                continue
            return y.first, ""
        return None, ""

    def _bound_to_other(self, y: YearMention, q: Quantity) -> bool:
        """A year written as a date ("2017年7月…以来") or bound to its own number is not this one's."""
        tail = self.report.text[y.end : y.end + 6]
        return bool(re.match(r"\d{1,2}月", tail))

    def _from_range(self, y: YearMention, q: Quantity) -> tuple[int | None, str]:
        text = self.report.text
        listed = [p for p in self.report.quantities_between(y.end, len(text)) if p.unit == q.unit]
        span = y.last - y.first + 1
        lead = text[y.end : listed[0].start] if listed else ""
        if re.search(r"分别(为|是)", lead) and len(listed) >= span:
            run = listed[:span]
            joined = all(
                re.fullmatch(r"\s*[、,，和及]\s*", text[a.end : b.start])
                for a, b in zip(run, run[1:], strict=False)
            )
            if joined and q in run:
                return y.first + run.index(q), ""
        return None, f"{y.first}-{y.last}年"
