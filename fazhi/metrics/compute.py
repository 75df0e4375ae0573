"""Figures from the registry, for any unit selection, period and dimension.

Counts come from the daily rollups for the days before the last fresh rollup run and from raw
rows for the days since (see `source_now` for the freshness rule); both paths count the same
rows, which tests check for every registered metric. Records behind a figure (drill-down) are
always read from the raw rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fazhi.metrics import formatting
from fazhi.metrics.models import MetricRollup, RollupRun
from fazhi.metrics.registry import Measure, Metric, units_q
from fazhi.org.permissions import UnitScope

DEFAULT_MAX_AGE_MINUTES = 120
GROUPS = ("unit", "month", "dimension")
_RAW_KEYS = {"unit": "_unit", "month": "_month", "dimension": "_dim"}
_ROLLUP_KEYS = {"unit": "unit_id", "month": "_month", "dimension": "dimension"}

EVERYTHING = UnitScope(all=True, unit_ids=frozenset(), subtree_paths=frozenset())


def one_unit(unit_id: int) -> UnitScope:
    return UnitScope(all=False, unit_ids=frozenset({unit_id}), subtree_paths=frozenset())


def subtree(path: str) -> UnitScope:
    return UnitScope(all=False, unit_ids=frozenset(), subtree_paths=frozenset({path}))


@dataclass(frozen=True)
class Source:
    """Where counts come from: rollups for days before `cutoff`, raw rows from `cutoff` on."""

    cutoff: date | None = None
    as_of: datetime | None = None

    @property
    def label(self) -> str:
        if self.cutoff is None:
            return "实时计算（原始记录）"
        return (
            f"{self.cutoff:%Y-%m-%d}以前各日取自汇总表（{timezone.localtime(self.as_of):%Y-%m-%d %H:%M}汇总），"
            "此后实时计算"
        )


RAW = Source()


def max_age() -> timedelta:
    return timedelta(
        minutes=getattr(settings, "FAZHI_METRICS_ROLLUP_MAX_AGE_MINUTES", DEFAULT_MAX_AGE_MINUTES)
    )


def source_now() -> Source:
    """The freshness rule: the rollups are used when the last completed run started less than
    FAZHI_METRICS_ROLLUP_MAX_AGE_MINUTES ago, for the days before the day it started; otherwise
    every figure is computed from raw rows."""
    run = RollupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if run is None or timezone.now() - run.started_at > max_age():
        return RAW
    return Source(cutoff=timezone.localdate(run.started_at), as_of=run.started_at)


@dataclass(frozen=True)
class Figure:
    """A metric's value for one selection: the counts it comes from and the shown text."""

    metric: Metric
    numerator: int
    denominator: int | None

    @cached_property
    def value(self) -> Decimal | int | None:
        if not self.metric.is_rate:
            return self.numerator
        return formatting.rate(
            self.numerator, self.denominator or 0, self.metric.precision, self.metric.scale
        )

    @property
    def text(self) -> str:
        return formatting.value_text(
            self.value,
            is_rate=self.metric.is_rate,
            precision=self.metric.precision,
            unit=self.metric.unit_label,
        )

    @property
    def sample(self) -> int:
        return self.denominator if self.metric.is_rate else self.numerator

    @property
    def ranked(self) -> bool:
        """Enough records to take part in a ranking."""
        return self.value is not None and self.sample >= self.metric.ranking_minimum


def _check_by(by: Sequence[str]) -> tuple[str, ...]:
    unknown = set(by) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}")
    return tuple(by)


def _key(row: dict, by: tuple[str, ...], names: dict[str, str]) -> tuple:
    key = []
    for group in by:
        value = row[names[group]]
        if group == "dimension":
            value = value or ""
        elif group == "month" and isinstance(value, datetime):
            value = value.date()
        key.append(value)
    return tuple(key)


def _grains(start: date, end: date) -> Q:
    """Monthly rows for the whole months in [start, end], daily rows for the days around them."""
    first_full = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = end + timedelta(days=1)
    last_full = after.replace(day=1)  # months before this one end inside the range
    if first_full >= last_full:
        return Q(monthly=False, day__gte=start, day__lte=end)
    return (
        Q(monthly=True, day__gte=first_full, day__lt=last_full)
        | Q(monthly=False, day__gte=start, day__lt=first_full)
        | Q(monthly=False, day__gte=last_full, day__lte=end)
    )


def counts(
    measures: Iterable[Measure],
    *,
    units: UnitScope,
    start: date,
    end: date,
    by: Sequence[str] = (),
    dimension: str = "",
    today: date | None = None,
    source: Source | None = None,
) -> dict[str, dict[tuple, int]]:
    """{measure code: {group key: count}}, the key a tuple in the order of `by`."""
    by = _check_by(by)
    today = today or timezone.localdate()
    source = source_now() if source is None else source
    measures = list({m.code: m for m in measures}.values())
    found: dict[str, dict[tuple, int]] = {m.code: defaultdict(int) for m in measures}

    rollup_end = None if source.cutoff is None else min(end, source.cutoff - timedelta(days=1))
    rolled = []
    if rollup_end is not None and rollup_end >= start:
        # a dimension a measure is not rolled up by can only be answered from raw rows
        needs_dimension = bool(dimension) or "dimension" in by
        rolled = [m for m in measures if m.by_dimension or not needs_dimension]
    if rolled:
        rows = MetricRollup.objects.filter(
            units_q(units, "unit_id"), _grains(start, rollup_end), measure__in=[m.code for m in rolled]
        )
        if dimension:
            rows = rows.filter(dimension=dimension)
        overdue = [m.code for m in rolled if m.overdue_on]
        if overdue:
            rows = rows.exclude(measure__in=overdue, due__gte=today)
        if "month" in by:
            rows = rows.annotate(_month=TruncMonth("day"))
        names = [_ROLLUP_KEYS[g] for g in by]
        for row in rows.values("measure", *names).annotate(n=Sum("count")).order_by():
            found[row["measure"]][_key(row, by, _ROLLUP_KEYS)] += row["n"]

    rolled_codes = {m.code for m in rolled}
    for measure in measures:
        first = rollup_end + timedelta(days=1) if measure.code in rolled_codes else start
        if first > end:
            continue
        rows = measure.rows(start=first, end=end, units=units, dimension=dimension, today=today)
        if not by:
            n = rows.order_by().aggregate(n=measure.aggregate())["n"]
            if n:
                found[measure.code][()] += n
            continue
        if "month" in by:
            rows = rows.annotate(_month=TruncMonth("_day"))
        names = [_RAW_KEYS[g] for g in by]
        for row in rows.values(*names).annotate(n=measure.aggregate()).order_by():
            found[measure.code][_key(row, by, _RAW_KEYS)] += row["n"] or 0
    return found


def figures(
    metrics: Iterable[Metric],
    *,
    units: UnitScope,
    start: date,
    end: date,
    by: Sequence[str] = (),
    dimension: str = "",
    today: date | None = None,
    source: Source | None = None,
) -> dict[tuple, dict[str, Figure]]:
    """{group key: {metric code: Figure}} for every key at which any measure counted something."""
    metrics = list(metrics)
    counted = counts(
        [m for metric in metrics for m in metric.measures],
        units=units,
        start=start,
        end=end,
        by=by,
        dimension=dimension,
        today=today,
        source=source,
    )
    return figures_from(metrics, counted, by=_check_by(by))


def regroup(counted: dict[str, dict[tuple, int]], *, by: Sequence[str], keep: Sequence[str]):
    """Counts grouped by `by` summed up to the groups in `keep` (a sub-sequence of `by`): one
    query grouped by unit and month serves the totals, the months, the units and the cells."""
    positions = [list(by).index(group) for group in keep]
    result: dict[str, dict[tuple, int]] = {}
    for code, per_key in counted.items():
        summed: dict[tuple, int] = defaultdict(int)
        for key, n in per_key.items():
            summed[tuple(key[i] for i in positions)] += n
        result[code] = summed
    return result


def figures_from(
    metrics: Iterable[Metric], counted: dict[str, dict[tuple, int]], *, by: Sequence[str] = ()
) -> dict[tuple, dict[str, Figure]]:
    """Figures at every key of counts from `counts` (grouped by `by`)."""
    metrics = list(metrics)
    keys = {key for metric in metrics for m in metric.measures for key in counted.get(m.code, {})}
    if not by:
        keys.add(())
    result: dict[tuple, dict[str, Figure]] = {}
    for key in keys:
        result[key] = {}
        for metric in metrics:
            numerator = sum(counted.get(m.code, {}).get(key, 0) for m in metric.numerator)
            denominator = (
                sum(counted.get(m.code, {}).get(key, 0) for m in metric.denominator)
                if metric.is_rate
                else None
            )
            result[key][metric.code] = Figure(metric, numerator, denominator)
    return result


def figure(
    metric: Metric,
    *,
    units: UnitScope,
    start: date,
    end: date,
    dimension: str = "",
    today: date | None = None,
    source: Source | None = None,
) -> Figure:
    return figures(
        [metric],
        units=units,
        start=start,
        end=end,
        dimension=dimension,
        today=today,
        source=source,
    )[()][metric.code]


def records(
    metric: Metric,
    *,
    part: str,
    units: UnitScope,
    start: date,
    end: date,
    dimension: str = "",
    today: date | None = None,
) -> QuerySet:
    """The records behind the numerator or the denominator, from raw rows (not yet scoped to a
    user: see `fazhi.metrics.selectors.records_visible_to`)."""
    measures = metric.part(part)
    today = today or timezone.localdate()
    behind = Q()
    for measure in measures:
        rows = measure.rows(start=start, end=end, units=units, dimension=dimension, today=today)
        behind |= Q(pk__in=rows.values("pk"))
    return measures[0].model._default_manager.filter(behind)
