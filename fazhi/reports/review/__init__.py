"""Review of a 法治政府建设 annual report written anywhere: are the five required parts there, what
figures of the indicator vocabulary does it give, and does its arithmetic hold.

    from fazhi.reports.review import review_text, review_file, compare
    review = review_text(text, source="濮阳.txt")
    review.as_dict()  # {"parts": […], "figures": […], "checks": […], …}

Self-contained: no database, no Django; the vocabulary is data (data/vocabulary.toml)."""

from dataclasses import dataclass, field

from fazhi.reports.review.checks import Check, Checker
from fazhi.reports.review.compare import Comparison, compare
from fazhi.reports.review.documents import Block, UnreadableReport, blocks_from_text, read_report
from fazhi.reports.review.figures import Figure, FigureReader
from fazhi.reports.review.structure import (
    PartFinding,
    find_headings,
    find_parts,
    report_region,
    report_title,
    report_year,
)
from fazhi.reports.review.text import ReportText
from fazhi.reports.review.vocabulary import Vocabulary, vocabulary

__all__ = [
    "Check",
    "Comparison",
    "Figure",
    "PartFinding",
    "Review",
    "UnreadableReport",
    "compare",
    "review_blocks",
    "review_file",
    "review_text",
]


@dataclass
class Review:
    source: str
    title: str
    region: str
    year: int | None
    parts: list[PartFinding]
    figures: list[Figure]
    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    @property
    def missing_parts(self) -> list[PartFinding]:
        return [p for p in self.parts if not p.found]

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok or c.severity != "info"]

    @property
    def label(self) -> str:
        name = self.region or self.source or "未命名报告"
        return f"{name}（{self.year}年度）" if self.year else name

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "region": self.region,
            "year": self.year,
            "notes": self.notes,
            "parts": [p.as_dict() for p in self.parts],
            "figures": [f.as_dict() for f in self.figures],
            "checks": [c.as_dict() for c in self.checks],
        }


def review_blocks(blocks: list[Block], *, source: str = "", words: Vocabulary | None = None) -> Review:
    words = words or vocabulary()
    report = ReportText("\n".join(b.text for b in blocks))
    title = report_title(blocks)
    region = report_region(report.text, title)
    year = report_year(report.text, title)
    parts = find_parts(find_headings(blocks, words), words)
    figures = FigureReader(report, words).read()
    checks = Checker(report, figures, words).run(parts=parts, year=year)
    notes = []
    if "调研报告" in title or "视察报告" in title:
        notes.append(f"标题为“{title}”，是一份调研报告，不是法治政府建设年度报告；缺少的部分仅供参考。")
    if not any(p.found for p in parts):
        notes.append("没有找到任何一级标题，请确认报告按“一、二、三……”分部分撰写。")
    if not figures:
        notes.append("没有找到词表中的统计数字（行政复议、行政诉讼、12345热线等）。")
    return Review(source, title, region, year, parts, figures, checks, notes)


def review_text(text: str, *, source: str = "") -> Review:
    """Review a report given as plain text."""
    return review_blocks(blocks_from_text(text), source=source)


def review_file(name: str, data: bytes) -> Review:
    """Review a TXT, DOCX or HTML file; raises UnreadableReport with a Chinese message."""
    return review_blocks(read_report(name, data), source=name)
