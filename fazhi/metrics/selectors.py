"""Reads of the registry for a user: figures over the units they reach, records they may open."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from fazhi.metrics import compute
from fazhi.metrics.registry import Metric, RecordRow
from fazhi.org.models import User
from fazhi.org.permissions import UnitScope


@dataclass(frozen=True)
class Records:
    """The records behind a figure that a user may open, and how many others stay hidden."""

    rows: QuerySet
    total: int
    hidden: int
    metric: Metric
    part: str

    def describe(self, records) -> list[RecordRow]:
        measure = self.metric.part(self.part)[0]
        return [measure.describe(record) for record in records]


def records_visible_to(
    user: User,
    metric: Metric,
    *,
    part: str,
    units: UnitScope,
    start: date,
    end: date,
    dimension: str = "",
) -> Records:
    """`units` must come from `permissions.selection_for(user, …)`."""
    behind = compute.records(metric, part=part, units=units, start=start, end=end, dimension=dimension)
    measure = metric.part(part)[0]
    visible = behind.filter(measure.visible(user))
    if measure.prepare is not None:
        visible = measure.prepare(visible)
    total = behind.count()
    shown = visible.count()
    return Records(rows=visible, total=total, hidden=total - shown, metric=metric, part=part)
