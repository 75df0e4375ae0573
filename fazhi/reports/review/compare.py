"""Reports side by side (region × indicator) for benchmarking.

Each cell is the report's own figure for its reporting year (or a figure with no other year or
span attached), never a part ("其中…") of another figure; a rate the report leaves out is computed
from its counts and marked as computed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from fazhi.reports.review.checks import HUNDRED, rounded
from fazhi.reports.review.numbers import display
from fazhi.reports.review.vocabulary import Indicator, vocabulary

if TYPE_CHECKING:
    from fazhi.reports.review import Review


@dataclass(frozen=True)
class Cell:
    value: Decimal
    unit: str
    written: str
    quote: str
    computed: bool = False

    def as_dict(self) -> dict:
        value = self.value
        return {
            "value": int(value) if value == value.to_integral_value() else float(value),
            "unit": self.unit,
            "written": self.written,
            "quote": self.quote,
            "computed": self.computed,
        }


@dataclass(frozen=True)
class Row:
    label: str
    source: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Comparison:
    columns: list[Indicator]
    rows: list[Row]

    def as_dict(self) -> dict:
        return {
            "columns": [{"indicator": c.code, "name": c.name} for c in self.columns],
            "rows": [
                {"label": r.label, "source": r.source, "cells": {k: v.as_dict() for k, v in r.cells.items()}}
                for r in self.rows
            ],
        }

    def table(self) -> list[list[str]]:
        """Rows of text for a terminal: indicator down the side, one column per report."""
        header = ["指标", *[r.label for r in self.rows]]
        lines = [header]
        for column in self.columns:
            line = [column.name]
            for row in self.rows:
                cell = row.cells.get(column.code)
                line.append("—" if cell is None else cell.written + ("（计算）" if cell.computed else ""))
            lines.append(line)
        return lines


def headline_figures(review: Review) -> dict[str, Cell]:
    cells: dict[str, Cell] = {}
    ranked = sorted(
        (f for f in review.figures if not f.subset),
        key=lambda f: (
            0
            if review.year is not None and f.year == review.year
            else 1
            if f.year is None and not f.period
            else 2
        ),
    )
    for figure in ranked:
        if figure.year not in (review.year, None) or (figure.year is None and figure.period):
            continue
        cells.setdefault(figure.indicator.code, Cell(figure.value, figure.unit, figure.written, figure.quote))
    for spec in vocabulary().rates:
        if spec.rate in cells or not spec.derive:
            continue
        numerator, denominator = cells.get(spec.numerator), cells.get(spec.denominators[0])
        if numerator is None or denominator is None or denominator.value <= 0:
            continue
        if numerator.computed or denominator.computed:
            continue
        value = rounded(numerator.value / denominator.value * HUNDRED, 1)
        cells[spec.rate] = Cell(value, "%", f"{display(value)}%", "", computed=True)
    return cells


def compare(reviews: list[Review]) -> Comparison:
    rows = [Row(r.label, r.source, headline_figures(r)) for r in reviews]
    used = {code for row in rows for code in row.cells}
    columns = [i for i in vocabulary().indicators if i.code in used]
    return Comparison(columns, rows)
