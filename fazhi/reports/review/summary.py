"""The review as a clerk reads it in a terminal: parts, figures, then what does not add up."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi.reports.review import Review
    from fazhi.reports.review.compare import Comparison

MARKS = {"found": "✓", "subsection": "△", "missing": "✗"}


def render_review(review: Review) -> str:
    lines = [f"报告审查：{review.label}", f"文件：{review.source}" if review.source else ""]
    if review.title:
        lines.append(f"标题：{review.title}")
    lines.extend(f"注意：{note}" for note in review.notes)
    missing = review.missing_parts
    lines += ["", f"一、五个必备部分（缺{len(missing)}个）" if missing else "一、五个必备部分（齐全）"]
    for part in review.parts:
        if part.status == "found":
            detail = f"“{part.heading}”"
        elif part.status == "subsection":
            detail = f"未单独成部分，见于“{part.heading}”"
        else:
            detail = "未找到"
        lines.append(f"  {MARKS[part.status]} {part.name}：{detail}")
    lines += ["", f"二、提取的数字（{len(review.figures)}项）"]
    for figure in review.figures:
        when = f"{figure.year}年" if figure.year else figure.period
        extra = f"［{when}］" if when else ""
        part = "［分项］" if figure.subset else ""
        lines.append(f"  {figure.indicator.name}：{figure.written}{extra}{part}　“{figure.quote}”")
    problems = [c for c in review.checks if not c.ok]
    lines += ["", f"三、核对（{len(review.checks)}项，其中{len(problems)}项有问题）"]
    for check in sorted(review.checks, key=lambda c: (c.ok, c.severity != "error")):
        mark = "✓" if check.ok and check.severity == "info" else "！" if check.ok else "✗"
        lines.append(f"  {mark} {check.explanation}")
    return "\n".join(line for line in lines if line is not None) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_comparison(comparison: Comparison) -> str:
    rows = comparison.table()
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        out.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    out.append("（计算）表示报告未写明、由其计数算出的比率。")
    return "\n".join(out) + "\n"
