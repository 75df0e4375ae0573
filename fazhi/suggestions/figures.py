"""Figures with their 口径, tabulated by a grouping (unit, committee, area) with drill-down.

A `Tally` counts the records of a queryset matching its `where`; a `Ratio` divides two tallies.
The list behind any cell is the same queryset filtered by the same `where`, so every figure shown
traces to its records. These are the shapes of `fazhi.metrics` measures and metrics; the
definitions move into the registry once it is available (see ADR 0013).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    definition: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    numerator: str
    denominator: str
    definition: str


@dataclass(frozen=True)
class DateRange:
    """Records whose anchor date lies in [start, end]; either end may be open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def from_params(cls, params, *, default_year: int | None = None) -> "DateRange":
        """`year=2024`, or `from=2024-01-01&to=2024-06-30`; bad values are ignored."""

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None

        start, end = day("from"), day("to")
        if start or end:
            return cls(start, end)
        year = params.get("year", "")
        if year == "all":
            return cls()
        if year.isdigit() and 2000 <= int(year) <= 2100:
            return cls(date(int(year), 1, 1), date(int(year), 12, 31))
        if default_year:
            return cls(date(default_year, 1, 1), date(default_year, 12, 31))
        return cls()

    def q(self, path: str) -> Q:
        """A filter on the date (or datetime, by its local date) at `path`."""
        condition = Q()
        if self.start:
            condition &= Q(**{f"{path}__date__gte" if path.endswith("_at") else f"{path}__gte": self.start})
        if self.end:
            condition &= Q(**{f"{path}__date__lte" if path.endswith("_at") else f"{path}__lte": self.end})
        return condition

    @property
    def query(self) -> str:
        parts = []
        if self.start:
            parts.append(f"from={self.start.isoformat()}")
        if self.end:
            parts.append(f"to={self.end.isoformat()}")
        return "&".join(parts) if parts else "year=all"

    @property
    def label(self) -> str:
        if (
            self.start
            and self.start == date(self.start.year, 1, 1)
            and self.end == date(self.start.year, 12, 31)
        ):
            return f"{self.start.year}年"
        if not self.start and not self.end:
            return "全部"
        return f"{self.start or '……'} 至 {self.end or '今'}"


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100, rounded half up to one place; None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class FigureRow:
    key: object  # the group's id (None for the total row)
    label: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]


def tabulate(
    rows: QuerySet,
    *,
    group_by: str,
    label_of: dict,
    tallies: tuple[Tally, ...],
    ratios: tuple[Ratio, ...],
) -> tuple[list[FigureRow], FigureRow]:
    """One row per group (as `label_of` names them; groups without records are left out) and the total."""
    # Prefixed: a tally may share its key with an annotation it filters on ("replied").
    counts = {f"n_{t.key}": Count("pk", filter=t.where) for t in tallies}
    grouped = rows.order_by().values(group_by).annotate(**counts)

    def make(key, label, values) -> FigureRow:
        numbers = {t.key: values.get(f"n_{t.key}") or 0 for t in tallies}
        rates = {r.key: rate(numbers[r.numerator], numbers[r.denominator]) for r in ratios}
        return FigureRow(key=key, label=label, counts=numbers, rates=rates)

    table = [make(g[group_by], label_of.get(g[group_by], "—"), g) for g in grouped]
    table.sort(key=lambda row: (-row.counts[tallies[0].key], row.label))
    total = make(None, "合计", rows.order_by().aggregate(**counts))
    return table, total


def tally_named(tallies: tuple[Tally, ...], key: str) -> Tally | None:
    return next((t for t in tallies if t.key == key), None)
