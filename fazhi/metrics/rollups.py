"""Keeping the daily rollups in step with the records.

A run redoes, for each measure, every day on which something behind it may have changed since
the previous run began (the measure's watches name where changes show up), plus every day from
`since` on when asked (after a bulk load of history); the first run, or `full`, rebuilds all.
A day is redone whole — its rows deleted and counted again from the records — and so is the
monthly row of every month holding a redone day (the sum of its daily rows); a run can be
repeated at any time and gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fazhi.core import audit
from fazhi.metrics.models import MetricRollup, RollupRun
from fazhi.metrics.registry import Measure, registry

# A write committed just after a run began can carry a timestamp from just before it; the next
# run looks back this much further so that it is never missed.
CHANGE_MARGIN = timedelta(minutes=10)
BATCH = 5000
MERGE_GAP_DAYS = 3  # neighbouring dirty days are redone in one query
_PG_LOCK_KEY = 7_311_000_010


def day_ranges(days: Iterable[date], *, gap: int = MERGE_GAP_DAYS) -> list[tuple[date, date]]:
    """Sorted days folded into inclusive ranges, joining ranges less than `gap` days apart."""
    ranges: list[list[date]] = []
    for day in sorted(set(days)):
        if ranges and (day - ranges[-1][1]).days <= gap:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(lo, hi) for lo, hi in ranges]


def _spans_q(spans: list[tuple[date, date]]) -> Q:
    within = Q(pk__in=[])
    for lo, hi in spans:
        within |= Q(day__gte=lo, day__lte=hi)
    return within


def _write(measure: Measure, *, spans: list[tuple[date, date]] | None = None) -> int:
    keys = ["_day", "_unit"]
    if measure.by_dimension:
        keys.append("_dim")
    if measure.overdue_on:
        keys.append("_due")
    grouped = measure.rows(spans=spans).values(*keys).annotate(n=measure.aggregate()).order_by()
    written, batch = 0, []
    for row in grouped.iterator(chunk_size=BATCH):
        if not row["n"]:
            continue  # a sum of zeros (decided on the day of acceptance) adds nothing
        batch.append(
            MetricRollup(
                measure=measure.code,
                day=row["_day"],
                unit_id=row["_unit"],
                dimension=(row.get("_dim") or "")[:40],
                due=row.get("_due"),
                count=row["n"],
            )
        )
        if len(batch) >= BATCH:
            MetricRollup.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    MetricRollup.objects.bulk_create(batch)
    return written + len(batch)


def month_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """The calendar months holding `days`, folded into (first day, last day) ranges."""
    firsts = {day.replace(day=1) for day in days}
    return [(lo, _month_end(hi)) for lo, hi in day_ranges(firsts, gap=31)]


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _write_months(measure: Measure, *, spans: list[tuple[date, date]] | None = None) -> int:
    """Monthly rows: the sums of the measure's daily rows, month by month."""
    daily = MetricRollup.objects.filter(measure=measure.code, monthly=False)
    if spans is not None:
        daily = daily.filter(_spans_q(spans))
    grouped = (
        daily.annotate(month=TruncMonth("day"))
        .values("month", "unit_id", "dimension", "due")
        .annotate(n=Sum("count"))
        .order_by()
    )
    batch = [
        MetricRollup(
            measure=measure.code,
            day=row["month"],
            monthly=True,
            unit_id=row["unit_id"],
            dimension=row["dimension"],
            due=row["due"],
            count=row["n"],
        )
        for row in grouped.iterator(chunk_size=BATCH)
    ]
    MetricRollup.objects.bulk_create(batch, batch_size=BATCH)
    return len(batch)


def last_run() -> RollupRun | None:
    return RollupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


@transaction.atomic
def rollup_run(*, since: date | None = None, full: bool = False) -> RollupRun:
    """`fazhi metrics rollup`: bring the rollups up to date; idempotent."""
    if connection.vendor == "postgresql":
        # one run at a time: two runs redoing the same day would both insert its rows
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    previous = last_run()
    started = timezone.now()
    run = RollupRun.objects.create(started_at=started, full=full or previous is None, since=since)
    measures = registry.measures()
    redone_days: set[date] = set()
    if run.full:
        MetricRollup.objects.all().delete()
        for measure in measures:
            run.rows += _write(measure)
            run.rows += _write_months(measure)
        redone_days = set(MetricRollup.objects.filter(monthly=False).values_list("day", flat=True).distinct())
    else:
        changed_since = previous.started_at - CHANGE_MARGIN
        seen: dict = {}
        asked: set[date] = set()
        if since is not None:
            today = timezone.localdate(started)
            asked = {since + timedelta(days=n) for n in range((today - since).days + 1)}
        for measure in measures:
            days = set(asked)
            for watch in measure.watches:
                if watch not in seen:
                    seen[watch] = watch.days(changed_since)
                days |= seen[watch]
            redone_days |= days
            if not days:
                continue
            # one query per measure and grain, however scattered the days
            spans, months = day_ranges(days), month_ranges(days)
            MetricRollup.objects.filter(_spans_q(spans), measure=measure.code, monthly=False).delete()
            run.rows += _write(measure, spans=spans)
            MetricRollup.objects.filter(_spans_q(months), measure=measure.code, monthly=True).delete()
            run.rows += _write_months(measure, spans=months)
    run.days = len(redone_days)
    run.finished_at = timezone.now()
    run.save(update_fields=["rows", "days", "finished_at"])
    audit.record(
        actor=None,
        action="metrics.rolled_up",
        target=run,
        after={
            "full": run.full,
            "since": since.isoformat() if since else None,
            "days": run.days,
            "rows": run.rows,
        },
    )
    return run
