"""The report's headings and which of the five required parts they name.

Headings are recognised by their numbering (第一部分, 一、, （一）, 1., (1)), by the file's own
markup (Word heading styles, bold paragraphs, <h1>–<h6>), or as a short unpunctuated line that
names a part. The top level is the highest level at which any part is named; a part named only in
a sub-heading of the 举措和成效 part (济南 2020 reports its 第一责任人 duty as "（一）…") is
reported as present but not a part of its own."""

import re
import unicodedata
from dataclasses import dataclass

from fazhi.reports.review.documents import Block
from fazhi.reports.review.vocabulary import Vocabulary

_MARKERS = (
    (0, re.compile(r"第[一二三四五六七八九十]{1,3}(?:部分|章)\s*[、.:,]?\s*")),
    (1, re.compile(r"[一二三四五六七八九十]{1,3}\s*[、.]\s*")),
    (2, re.compile(r"\(\s*[一二三四五六七八九十]{1,3}\s*\)\s*[、.]?\s*")),
    (3, re.compile(r"\d{1,2}\s*[、.](?!\d)\s*")),
    (4, re.compile(r"\(\s*\d{1,2}\s*\)\s*")),
)
_PAGE_MARKERS = re.compile(r"#p#.*?#e#")
MAX_HEADING = 60
MAX_PLAIN_HEADING = 30


@dataclass(frozen=True)
class Heading:
    line: int
    rank: int | None
    text: str  # as written, numbering included
    title: str  # without the numbering
    parts: tuple[str, ...]


@dataclass(frozen=True)
class PartFinding:
    key: str
    name: str
    status: str  # "found", "subsection" or "missing"
    heading: str

    @property
    def found(self) -> bool:
        return self.status != "missing"

    def as_dict(self) -> dict:
        return {
            "part": self.key,
            "name": self.name,
            "found": self.found,
            "separate": self.status == "found",
            "heading": self.heading or None,
        }


def _clean(line: str) -> str:
    line = _PAGE_MARKERS.sub("", line)
    return "".join(c if c == "，" else unicodedata.normalize("NFKC", c) for c in line).strip()


def find_headings(blocks: list[Block], vocabulary: Vocabulary) -> list[Heading]:
    headings: list[Heading] = []
    for index, block in enumerate(blocks):
        line = _clean(block.text)
        if not line:
            continue
        rank = None
        title = line
        for level, marker in _MARKERS:
            m = marker.match(line)
            if m:
                rank, title = level, line[m.end() :]
                break
        head = re.split(r"[。;!?]", title, maxsplit=1)[0].strip()
        if rank is not None:
            if len(head) > MAX_HEADING or not head:
                continue
        elif (
            block.heading_level is not None
            and len(head) <= MAX_HEADING
            and len(head) == len(title.rstrip("。"))
        ):
            rank = block.heading_level  # -1 (bold only) is placed like a plain line
        elif len(line) <= MAX_PLAIN_HEADING and not line.endswith(("。", ";", ",", "，")):
            rank = -1  # a plain line: placed at the top level if it names a part
        else:
            continue
        parts = tuple(p.key for p in vocabulary.parts if p.named_by(head))
        if rank == -1 and not parts:
            continue
        shown = (line[: len(line) - len(title)] + head).strip() if rank is not None else head
        headings.append(Heading(index, rank, shown, head, parts))
    named = [h.rank for h in headings if h.parts and h.rank is not None and h.rank >= 0]
    top = min(named) if named else None
    return [Heading(h.line, top if h.rank == -1 else h.rank, h.text, h.title, h.parts) for h in headings]


def find_parts(headings: list[Heading], vocabulary: Vocabulary) -> list[PartFinding]:
    ranks = [h.rank for h in headings if h.parts and h.rank is not None]
    top = min(ranks) if ranks else None
    found: dict[str, str] = {}
    within: dict[str, str] = {}
    enclosing: Heading | None = None
    for h in headings:
        if h.rank is None or top is None:
            continue
        if h.rank < top:
            enclosing = None
            continue
        if h.rank == top:
            enclosing = h
            for key in h.parts:
                found.setdefault(key, h.text)
            continue
        for key in h.parts:
            part = next(p for p in vocabulary.parts if p.key == key)
            parent_parts = enclosing.parts if enclosing is not None else ()
            if not parent_parts or any(p in part.within for p in parent_parts):
                within.setdefault(key, h.text)
    findings = []
    for part in vocabulary.parts:
        if part.key in found:
            findings.append(PartFinding(part.key, part.name, "found", found[part.key]))
        elif part.key in within:
            findings.append(PartFinding(part.key, part.name, "subsection", within[part.key]))
        else:
            findings.append(PartFinding(part.key, part.name, "missing", ""))
    return findings


# --- what the report is: title, region, year ---------------------------------------------------------

_PLACE = r"[\u4e00-\u9fff]{2,10}?(?:自治州|自治县|自治旗|新区|省|市|区|县|旗|州|盟)"
_REGION_PATTERNS = (
    re.compile(rf"^(?:关于)?({_PLACE})(?:人民政府)?(?:\d{{4}}年|关于|法治政府)"),
    re.compile(rf"(?:^|\n)\s*(?:19|20)\d{{2}}年度?[,，]\s*({_PLACE})"),
    re.compile(rf"({_PLACE})(?:\d{{4}}年度?|关于\d{{4}}年度?)(?:法治政府|依法行政)"),
    re.compile(rf"《({_PLACE}?)人民政府"),
    re.compile(rf"(?:^|\n)\s*({_PLACE})人民政府\s*(?:\n|$)"),
)
_NOT_PLACES = re.compile(
    r"^(关于|我|全|本|各|该|市|区|县|省|地级|县级|城|[一二三四五六七八九十两]|各级|上级|下级|所在)"
)
_YEAR_PATTERNS = (
    re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:的)?(?:法治政府建设|依法行政|推进法治)"),
    re.compile(r"关于\s*((?:19|20)\d{2})\s*年度?"),
    re.compile(r"^\s*((?:19|20)\d{2})\s*年[,，]", re.MULTILINE),
)


def report_title(blocks: list[Block]) -> str:
    for block in blocks[:5]:
        line = _clean(block.text)
        if line and "报告" in line and len(line) <= 80:
            return line
    return ""


def report_region(text: str, title: str) -> str:
    head = text[:400]
    for source in (title, head, text):
        for pattern in _REGION_PATTERNS:
            for m in pattern.finditer(source):
                name = m.group(1)
                if name and not _NOT_PLACES.match(name):
                    return name
    return ""


def report_year(text: str, title: str) -> int | None:
    for source in (title, text[:300]):
        for pattern in _YEAR_PATTERNS:
            m = pattern.search(source)
            if m:
                return int(m.group(1))
    return None
