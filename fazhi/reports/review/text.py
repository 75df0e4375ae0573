"""The report's text laid out for reading figures: normalized once, with its sentences, clauses,
numbered items ("一是…", "（二）…") and every number with a unit."""

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from fazhi.reports.review.numbers import (
    Normalized,
    Quantity,
    YearMention,
    find_quantities,
    find_years,
    normalize,
)

SENTENCE_ENDS = "。!?;\n"
CLAUSE_ENDS = SENTENCE_ENDS + ",，:"
# Where a new numbered item starts inside a paragraph: its subject words do not carry over.
_ITEM_START = re.compile(
    r"[一二三四五六七八九十]{1,2}是|第[一二三四五六七八九十]{1,2}[,，、]|其次|此外|另外|"
    r"\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、"
)
_PAGE_MARKERS = re.compile(r"#p#.*?#e#")


@dataclass
class ReportText:
    source: str
    norm: Normalized = field(init=False)

    def __post_init__(self) -> None:
        # CMS pagination markers ("#p#分页标题#e#") are not the author's words.
        cleaned = _PAGE_MARKERS.sub(lambda m: " " * len(m.group(0)), self.source)
        self.norm = normalize(cleaned)
        self.norm = Normalized(self.norm.text, self.norm.origin, self.source)

    @property
    def text(self) -> str:
        return self.norm.text

    @cached_property
    def quantities(self) -> list[Quantity]:
        return find_quantities(self.text)

    @cached_property
    def years(self) -> list[YearMention]:
        return find_years(self.text)

    @cached_property
    def _quantity_starts(self) -> list[int]:
        return [q.start for q in self.quantities]

    @cached_property
    def _sentence_breaks(self) -> list[int]:
        return [i for i, c in enumerate(self.text) if c in SENTENCE_ENDS]

    @cached_property
    def _clause_breaks(self) -> list[int]:
        inside = set()
        for q in self.quantities:
            inside.update(range(q.start, q.end))
        return [i for i, c in enumerate(self.text) if c in CLAUSE_ENDS and i not in inside]

    @cached_property
    def _line_breaks(self) -> list[int]:
        return [i for i, c in enumerate(self.text) if c == "\n"]

    @cached_property
    def _item_starts(self) -> list[int]:
        return sorted(
            {m.start() for m in _ITEM_START.finditer(self.text)} | {i + 1 for i in self._line_breaks}
        )

    @staticmethod
    def _span(breaks: list[int], pos: int, end: int, length: int) -> tuple[int, int]:
        i = bisect.bisect_left(breaks, pos)
        start = breaks[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(breaks, end)
        stop = breaks[j] if j < len(breaks) else length
        return start, stop

    def sentence(self, q: Quantity) -> tuple[int, int]:
        return self._span(self._sentence_breaks, q.start, q.end, len(self.text))

    def clause(self, q: Quantity) -> tuple[int, int]:
        return self._span(self._clause_breaks, q.start, q.end, len(self.text))

    def paragraph(self, pos: int) -> tuple[int, int]:
        return self._span(self._line_breaks, pos, pos, len(self.text))

    def item_start(self, pos: int) -> int:
        i = bisect.bisect_right(self._item_starts, pos)
        start = self._item_starts[i - 1] if i > 0 else 0
        return max(start, self.paragraph(pos)[0])

    def quantities_between(self, start: int, end: int) -> list[Quantity]:
        i = bisect.bisect_left(self._quantity_starts, start)
        out = []
        while i < len(self.quantities) and self.quantities[i].start < end:
            if self.quantities[i].end <= end:
                out.append(self.quantities[i])
            i += 1
        return out

    def quote(self, start: int, end: int) -> str:
        return self.norm.quote(start, end).strip(" \u3000,，、;；:：")
