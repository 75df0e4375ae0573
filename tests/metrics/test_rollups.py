"""A figure from the rollups equals the figure from the raw rows, for every registered metric."""

import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi.cases.models import Case, CaseUnit
from fazhi.core.calendar import invalidate
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.hotline.models import Callback, Reply, Ticket
from fazhi.metrics import compute
from fazhi.metrics.compute import RAW, Source
from fazhi.metrics.models import MetricRollup, RollupRun
from fazhi.metrics.registry import registry
from fazhi.metrics.rollups import day_ranges, rollup_run
from tests.metrics.factories import FIRST_DAY, LAST_DAY, TODAY, build_world, local, signed_ticket

pytestmark = pytest.mark.django_db

GROUPINGS = [(), ("unit", "month"), ("dimension",)]


def rollups_for_every_day() -> Source:
    return Source(cutoff=date(2100, 1, 1), as_of=timezone.now())


def selections(world):
    return [
        compute.EVERYTHING,
        compute.one_unit(world.departments[0].pk),
        compute.subtree(world.township.path),
    ]


def as_counts(table):
    return {
        key: {code: (f.numerator, f.denominator) for code, f in per_metric.items()}
        for key, per_metric in table.items()
    }


def assert_rollups_match_raw(world, rng, *, source=None):
    source = source or rollups_for_every_day()
    metrics = registry.all()
    periods = [(FIRST_DAY, LAST_DAY + timedelta(days=60))]
    first = FIRST_DAY + timedelta(days=rng.randint(0, 150))
    periods.append((first, first + timedelta(days=rng.randint(0, 40))))
    for units in selections(world):
        for start, end in periods:
            for by in GROUPINGS:
                kwargs = {"units": units, "start": start, "end": end, "by": by, "today": TODAY}
                raw = compute.figures(metrics, source=RAW, **kwargs)
                rolled = compute.figures(metrics, source=source, **kwargs)
                assert as_counts(rolled) == as_counts(raw), (units, start, end, by)
    for dimension in ("01", "hotline"):
        kwargs = {"units": compute.EVERYTHING, "start": FIRST_DAY, "end": LAST_DAY, "today": TODAY}
        raw = compute.figures(metrics, source=RAW, dimension=dimension, **kwargs)
        rolled = compute.figures(metrics, source=source, dimension=dimension, **kwargs)
        assert as_counts(rolled) == as_counts(raw), dimension


@pytest.mark.parametrize("seed", [1, 2])
def test_every_metric_from_rollups_equals_the_raw_figure(seed):
    rng = random.Random(seed)
    world = build_world(rng)

    rollup_run()

    assert_rollups_match_raw(world, rng)
    # and the figures are not trivially empty: the dataset reaches every measure
    totals = compute.counts(
        registry.measures(),
        units=compute.EVERYTHING,
        start=FIRST_DAY,
        end=LAST_DAY,
        today=TODAY,
        source=RAW,
    )
    mine = {code: sum(v.values()) for code, v in totals.items() if code.startswith(("cases.", "hotline."))}
    assert all(mine.values()), mine


def test_rollups_and_raw_rows_join_at_the_cutoff():
    rng = random.Random(7)
    world = build_world(rng)
    rollup_run()

    assert_rollups_match_raw(world, rng, source=Source(cutoff=date(2024, 3, 17), as_of=timezone.now()))


def test_an_incremental_run_catches_every_change_since_the_last(settings):
    rng = random.Random(11)
    world = build_world(rng)
    rollup_run()
    later = timezone.now()

    # when: the records change in ways each measure depends on
    tickets = [t for t in world.tickets if t.case_id]
    for ticket in rng.sample(tickets, k=10):
        case = ticket.case
        if case.status != Case.Status.CLOSED:
            case.status, case.closed_at = Case.Status.CLOSED, later
            case.save()
            Reply.objects.create(
                ticket=ticket,
                unit=case.handling_unit,
                text="已处理",
                actions="现场核查",
                contacted_caller=True,
                replied_at=later,
                replied_by=world.operator,
            )
        else:
            Callback.objects.create(
                ticket=ticket,
                satisfaction=Callback.Satisfaction.UNSATISFIED,
                resolution=Callback.Resolution.RESOLVED,
                called_by=world.operator,
                called_at=later,
            )
    for ticket in rng.sample(tickets, k=5):
        # reassigned to another unit: the old lead link ends, the case moves
        case = ticket.case
        new = next(u for u in world.handlers if u.pk != case.handling_unit_id)
        CaseUnit.objects.filter(case=case, role="lead", is_active=True).update(is_active=False)
        CaseUnit.objects.create(case=case, unit=new, role="lead", assigned_at=later)
        case.handling_unit = new
        case.save()
        ticket.signed_at = None
        ticket.save()
    for case in rng.sample(world.cases, k=5):
        case.due_date = case.due_date + timedelta(days=9)
        case.status = Case.Status.OPEN
        case.closed_at = None
        case.save()
    rollup_run()

    assert RollupRun.objects.filter(full=False).count() == 1
    assert_rollups_match_raw(world, rng)


def test_a_calendar_edit_redoes_the_sign_deadlines_around_it():
    rng = random.Random(5)
    world = build_world(rng)
    # given: a request given to a unit on a Friday and signed for on Monday, within 1 working day
    ticket = signed_ticket(
        world,
        unit=world.departments[1],
        received=local(date(2024, 3, 8), 16),
        signed=local(date(2024, 3, 11), 9),
    )
    on_time = registry.get("hotline.sign_ontime_rate")
    mine = {
        "units": compute.one_unit(world.departments[1].pk),
        "start": date(2024, 3, 8),
        "end": date(2024, 3, 8),
    }
    rollup_run()
    assert compute.figure(on_time, **mine, today=TODAY).numerator == 1

    # when: the Saturday between becomes a make-up working day (调休上班)
    saturday = CalendarDay.objects.get(date=date(2024, 3, 9))
    saturday.is_workday, saturday.kind = True, CalendarDay.Kind.MAKEUP_WORKDAY
    saturday.save()
    invalidate()
    rollup_run()

    # then: the signing is late, from the rollups as from the raw rows
    assert compute.figure(on_time, **mine, today=TODAY).numerator == 0
    assert compute.figure(on_time, **mine, today=TODAY, source=RAW).numerator == 0
    assert ticket.signed_at
    assert_rollups_match_raw(world, rng)


def test_a_run_is_idempotent_and_audited():
    world = build_world(random.Random(3))
    rollup_run()
    before = sorted(
        MetricRollup.objects.values_list("measure", "day", "unit_id", "dimension", "due", "count")
    )

    rollup_run(since=FIRST_DAY)
    rollup_run(full=True)

    after = sorted(MetricRollup.objects.values_list("measure", "day", "unit_id", "dimension", "due", "count"))
    assert after == before
    assert AuditEvent.objects.filter(action="metrics.rolled_up").count() == 3
    assert world.tickets  # the data was there


def test_the_rollup_command_reports_what_it_did():
    build_world(random.Random(2))
    from io import StringIO

    out = StringIO()
    call_command("metrics", "rollup", stdout=out)
    assert "全量" in out.getvalue()
    out = StringIO()
    call_command("metrics", "rollup", "--since", "2024-06-01", stdout=out)
    assert "重算" in out.getvalue()
    assert RollupRun.objects.filter(since=date(2024, 6, 1), finished_at__isnull=False).exists()


def test_the_rollup_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("metrics", "rollup", "--since", "June")


def test_dirty_days_fold_into_ranges():
    days = [date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 4), date(2024, 1, 20)]
    assert day_ranges(days) == [(date(2024, 1, 1), date(2024, 1, 4)), (date(2024, 1, 20), date(2024, 1, 20))]
    assert day_ranges([]) == []


def test_tickets_outside_the_population_are_never_counted():
    world = build_world(random.Random(4))
    rollup_run()
    guidance = Ticket.objects.filter(case__isnull=True, merged_into__isnull=True).count()
    merged = Ticket.objects.filter(disposition="merged").count()
    dispatched = Ticket.objects.filter(disposition="dispatch").count()
    assert guidance and merged and dispatched

    received = compute.figure(
        registry.get("hotline.received"),
        units=compute.EVERYTHING,
        start=FIRST_DAY,
        end=LAST_DAY,
        today=TODAY,
    )
    assert received.numerator == dispatched
    assert world.tickets


def test_a_bulk_load_enqueues_a_rollup_from_its_first_day(django_capture_on_commit_callbacks, settings):
    from fazhi.metrics.tasks import rollup_after_load

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    build_world(random.Random(6))
    rollup_run()

    with django_capture_on_commit_callbacks(execute=True):
        rollup_after_load(since=date(2024, 5, 1))

    latest = RollupRun.objects.order_by("-started_at", "-id").first()
    assert latest.since == date(2024, 5, 1) and latest.finished_at is not None


def test_the_show_command_prints_a_figure_with_its_counts():
    from io import StringIO

    world = build_world(random.Random(9))
    out = StringIO()
    call_command(
        "metrics",
        "show",
        "hotline.ontime_rate",
        "--period",
        "2024",
        "--unit",
        str(world.township.pk),
        "--subtree",
        stdout=out,
    )

    expected = compute.figure(
        registry.get("hotline.ontime_rate"),
        units=compute.subtree(world.township.path),
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
    )
    assert (
        out.getvalue().strip()
        == f"按时办结率 2024年：{expected.text}（{expected.numerator}/{expected.denominator}）"
    )
