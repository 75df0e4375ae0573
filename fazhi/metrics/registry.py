"""The registry of indicators: every published figure is defined here once.

A `Measure` is a count of records: which rows of which model, on which day (the anchor), for
which unit and in which dimension (case type, hotline category) — or, with `total`, the sum of a
whole-number value over those rows (e.g. handling days). A `Metric` is what people read: a count
(one measure) or a rate (numerator measures ÷ denominator measures, in per cent; with `scale=1`
a mean such as 平均审理天数), with its Chinese name, its written definition (口径) and the precision
it is shown at.

Domain apps register their metrics in their own `metrics.py` (loaded at start-up by
`MetricsConfig.ready`); dashboards, reports, assessment and the API read figures through
`fazhi.metrics.compute`, which takes them from rollups or raw rows, never from anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Model, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncDate
from django.utils import timezone

from fazhi.org.models import Unit
from fazhi.org.permissions import UnitScope

LOCAL = ZoneInfo("Asia/Shanghai")  # a record's day is its day in China, whatever the server's zone


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL)


def local_date(path: str) -> TruncDate:
    return TruncDate(path, tzinfo=LOCAL)


def _expression(value: str | Combinable) -> Combinable:
    return F(value) if isinstance(value, str) else value


def units_q(units: UnitScope, name: str) -> Q:
    """Rows whose unit id (the column or annotation `name`) lies in the selection."""
    if units.all:
        return Q()
    if not units.subtree_paths:
        return Q(**{f"{name}__in": sorted(units.unit_ids)})
    return Q(**{f"{name}__in": Subquery(Unit.objects.filter(units.q()).values("pk"))})


@dataclass(frozen=True)
class Watch:
    """Where a change to the records behind a measure shows up, so the rollup knows which days to
    redo: rows of `model` whose `changed` timestamps are recent move the day of `anchor` (a path
    from `model` to the measure's anchor) and the `spread` days after it."""

    model: type[Model]
    anchor: str
    changed: tuple[str, ...]
    spread: int = 0

    def days(self, since: datetime) -> set[date]:
        recent = Q()
        for name in self.changed:
            recent |= Q(**{f"{name}__gte": since})
        found = (
            self.model._default_manager.filter(recent)
            .annotate(_anchor_day=local_date(self.anchor))
            .exclude(_anchor_day=None)
            .values_list("_anchor_day", flat=True)
            .distinct()
        )
        return {day + timedelta(days=n) for day in found for n in range(self.spread + 1)}


@dataclass(frozen=True)
class CalendarWatch:
    """A change to the work calendar moves on-time judgements of records received up to
    `lookback` days before the edited date (and any later)."""

    lookback: int = 90

    def days(self, since: datetime) -> set[date]:
        from fazhi.core.models import CalendarDay

        edited = CalendarDay.objects.filter(updated_at__gte=since).order_by("date").first()
        if edited is None:
            return set()
        first, last = edited.date - timedelta(days=self.lookback), timezone.localdate()
        return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure, as the drill-down list shows it."""

    number: str
    title: str
    unit: str
    day: date | None
    state: str
    url: str


def _plain_row(obj: Model) -> RecordRow:
    return RecordRow(str(obj.pk), str(obj), "", None, "", "")


@dataclass(frozen=True)
class Measure:
    """A count of records, placed on a day by `anchor`, attributed to a unit and a dimension.

    `where` selects the rows counted (it may use the expressions `annotate()` returns);
    `overdue_on` names a date field: the row counts only while that date is before the day the
    figure is computed (超期未办结), which the rollup keeps as its own column so that a stored row
    needs no refresh as days pass. `visible(user)` limits the drill-down to what the user may open;
    `prepare` (joins, order) and `describe` turn the records into list rows.
    """

    code: str
    name: str
    model: type[Model]
    anchor: str
    unit: str | Combinable
    dimension: str | Combinable
    visible: Callable[..., Q]
    where: Q = field(default_factory=Q)
    annotate: Callable[[], dict] | None = None
    overdue_on: str = ""
    by_dimension: bool = True
    narrow: Callable[[QuerySet], QuerySet] | None = None
    watches: tuple[Watch | CalendarWatch, ...] = ()
    prepare: Callable[[QuerySet], QuerySet] | None = None
    describe: Callable[[Model], RecordRow] = _plain_row
    total: str | Combinable | None = None

    def aggregate(self):
        """What a group of rows adds up to: their number, or the sum of `total`."""
        return Sum("_value") if self.total is not None else Count("pk")

    def rows(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        units: UnitScope | None = None,
        dimension: str = "",
        today: date | None = None,
        spans: list[tuple[date, date]] | None = None,
    ) -> QuerySet:
        """The records counted, annotated with `_day`, `_unit`, `_dim` (and `_due`).

        `today` applies the overdue condition; the rollup leaves it out and stores `_due`.
        `spans` (inclusive day ranges) replaces `start`/`end` when the rollup redoes scattered days.
        """
        rows = self.model._default_manager.all()
        if self.narrow is not None:
            rows = self.narrow(rows)
        if start is not None:
            rows = rows.filter(**{f"{self.anchor}__gte": day_start(start)})
        if end is not None:
            rows = rows.filter(**{f"{self.anchor}__lt": day_start(end + timedelta(days=1))})
        if spans is not None:
            within = Q(pk__in=[])
            for lo, hi in spans:
                within |= Q(
                    **{
                        f"{self.anchor}__gte": day_start(lo),
                        f"{self.anchor}__lt": day_start(hi + timedelta(days=1)),
                    }
                )
            rows = rows.filter(within)
        rows = rows.annotate(
            _day=local_date(self.anchor),
            _unit=_expression(self.unit),
            _dim=_expression(self.dimension),
        )
        if self.annotate is not None:
            rows = rows.annotate(**self.annotate())
        rows = rows.filter(self.where).exclude(_unit=None)
        if self.total is not None:
            rows = rows.annotate(_value=_expression(self.total)).exclude(_value=None)
        if self.overdue_on:
            rows = rows.annotate(_due=F(self.overdue_on))
            if today is not None:
                rows = rows.filter(_due__lt=today)
        if units is not None:
            rows = rows.filter(units_q(units, "_unit"))
        if dimension:
            rows = rows.filter(_dim=dimension)
        return rows


@dataclass(frozen=True)
class Metric:
    """An indicator as people read it, with its 口径 written out.

    A rate is Σ numerator ÷ Σ denominator × `scale` (100: per cent; 1: a mean, the numerator
    then a `total` measure, shown in `value_unit`), rounded half up to `precision` places; a count
    is Σ numerator. `min_sample` is the smallest denominator (for a count: the count itself) with
    which a unit takes part in a ranking.
    """

    code: str
    name: str
    domain: str
    definition: str
    numerator: tuple[Measure, ...]
    denominator: tuple[Measure, ...] = ()
    numerator_text: str = ""
    denominator_text: str = ""
    exclusions: str = ""
    precision: int = 1
    min_sample: int = 0
    higher_is_better: bool = True
    dimension_label: str = ""
    dimension_names: Callable[[], dict[str, str]] = dict
    scale: int = 100
    value_unit: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)

    @property
    def is_mean(self) -> bool:
        return self.is_rate and self.scale == 1

    @property
    def unit_label(self) -> str:
        return self.value_unit or ("%" if self.is_rate else "件")

    @property
    def kind_label(self) -> str:
        return "平均值" if self.is_mean else "比率" if self.is_rate else "数量"

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self.numerator + self.denominator

    @property
    def ranking_minimum(self) -> int:
        overrides = getattr(settings, "FAZHI_METRICS_MIN_SAMPLE", {}) or {}
        return int(overrides.get(self.code, self.min_sample))

    def part(self, name: str) -> tuple[Measure, ...]:
        if name == "numerator":
            return self.numerator
        if name == "denominator" and self.is_rate:
            return self.denominator
        raise ValueError(f"指标「{self.name}」没有「{name}」部分，请选择 numerator 或 denominator。")

    def part_label(self, name: str) -> str:
        if name == "denominator":
            return self.denominator_text.split("：", 1)[0] or "分母"
        return self.numerator_text.split("：", 1)[0] or "分子"


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self._measures: dict[str, Measure] = {}

    def register(self, metric: Metric) -> Metric:
        if metric.code in self._metrics:
            raise ImproperlyConfigured(f"指标代码 {metric.code} 重复注册。")
        for part in (metric.numerator, metric.denominator):
            if len({m.model for m in part}) > 1:
                # the drill-down of a part is one list of records
                raise ImproperlyConfigured(f"指标 {metric.code} 的分子或分母须来自同一种记录。")
        if not metric.numerator:
            raise ImproperlyConfigured(f"指标 {metric.code} 没有分子。")
        for measure in metric.measures:
            known = self._measures.get(measure.code)
            if known is not None and known is not measure:
                raise ImproperlyConfigured(f"计数口径代码 {measure.code} 被两个不同的定义使用。")
            self._measures[measure.code] = measure
        self._metrics[metric.code] = metric
        return metric

    def get(self, code: str) -> Metric:
        try:
            return self._metrics[code]
        except KeyError:
            raise KeyError(f"没有代码为 {code} 的指标。") from None

    def __contains__(self, code: str) -> bool:
        return code in self._metrics

    def all(self) -> list[Metric]:
        return list(self._metrics.values())

    def measures(self) -> list[Measure]:
        return list(self._measures.values())


registry = Registry()
register = registry.register
