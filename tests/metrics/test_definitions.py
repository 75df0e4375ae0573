"""Each KPI counts what its written definition says, on small cases a clerk could check by hand."""

import random
from datetime import date, timedelta

import pytest

from fazhi.cases.models import Case, CaseType, CaseUnit, TimelineEntry
from fazhi.core.deadlines import due_date
from fazhi.hotline.models import (
    Callback,
    Category,
    Channel,
    Disposition,
    Reply,
    RequestType,
    Ticket,
    TicketReturn,
)
from fazhi.metrics import compute
from fazhi.metrics.registry import registry
from tests.metrics.factories import SHANGHAI, TODAY, build_units, build_world, local

pytestmark = pytest.mark.django_db

JULY = {"start": date(2024, 7, 1), "end": date(2024, 7, 31)}


@pytest.fixture
def world():
    return build_units()


_numbers = iter(range(1, 10**6))


def ticket(world, unit, *, received=None, status=Case.Status.OPEN, due=None, closed=None, **fields) -> Ticket:
    """A dispatched request in `unit`, received on 1 July unless told otherwise."""
    received = received or local(date(2024, 7, 1), 10)
    n = next(_numbers)
    case = Case.objects.create(
        number=f"D-{n:05d}",
        case_type=CaseType.objects.get(code="hotline"),
        title=f"诉求{n}",
        handling_unit=unit,
        status=status,
        received_at=received,
        start_date=received.date(),
        due_date=due or received.date() + timedelta(days=7),
        closed_at=closed,
        stage_periods=fields.pop("stage_periods", {}),
        created_by=world.operator,
    )
    CaseUnit.objects.create(case=case, unit=unit, role="lead", assigned_at=fields.pop("assigned", received))
    fields.setdefault("category", Category.objects.get(code="010101"))
    return Ticket.objects.create(
        case=case,
        centre=world.centre,
        request_type=RequestType.HELP,
        channel=Channel.PHONE,
        region=world.region,
        content="测试诉求内容",
        received_at=received,
        created_by=world.operator,
        **fields,
    )


def figure(code, world=None, unit=None, **kwargs):
    units = compute.one_unit(unit.pk) if unit else compute.EVERYTHING
    return compute.figure(registry.get(code), units=units, today=TODAY, **{**JULY, **kwargs})


def listed(code, part, unit=None, **kwargs):
    units = compute.one_unit(unit.pk) if unit else compute.EVERYTHING
    rows = compute.records(registry.get(code), part=part, units=units, today=TODAY, **{**JULY, **kwargs})
    return set(rows)


def reply(t, when):
    return Reply.objects.create(
        ticket=t,
        unit=t.case.handling_unit,
        text="已处理",
        actions="现场核查",
        contacted_caller=True,
        replied_at=when,
        replied_by=t.created_by,
    )


def test_ontime_rate_is_closed_on_time_over_closed_plus_open_overdue(world):
    unit = world.departments[0]
    due = date(2024, 7, 5)
    on_due_night = ticket(world, unit, status="closed", due=due, closed=local(due, 23, 50))
    just_after = ticket(world, unit, status="closed", due=due, closed=local(due + timedelta(days=1), 0, 10))
    overdue = ticket(world, unit, due=date(2024, 7, 14))
    ticket(world, unit, due=TODAY)  # due today: not yet overdue
    ticket(world, unit, status=Case.Status.SUSPENDED, due=date(2024, 7, 2))  # clock stopped

    result = figure("hotline.ontime_rate", unit=unit)

    assert (result.numerator, result.denominator, result.text) == (1, 3, "33.3%")
    assert listed("hotline.ontime_rate", "numerator", unit) == {on_due_night}
    assert listed("hotline.ontime_rate", "denominator", unit) == {on_due_night, just_after, overdue}
    assert figure("hotline.overdue_open", unit=unit).text == "1件"


def test_a_request_counts_in_the_period_it_was_received_whenever_it_closes(world):
    unit = world.departments[0]
    ticket(
        world,
        unit,
        received=local(date(2024, 6, 30), 23, 30),
        status="closed",
        closed=local(date(2024, 7, 2), 9),
    )
    ticket(
        world,
        unit,
        received=local(date(2024, 7, 1), 0, 30),
        status="closed",
        closed=local(date(2024, 8, 2), 9),
    )

    june = figure("hotline.received", unit=unit, start=date(2024, 6, 1), end=date(2024, 6, 30))
    july = figure("hotline.received", unit=unit)
    closed_july = figure("hotline.ontime_rate", unit=unit)

    assert (june.numerator, july.numerator) == (1, 1)  # Beijing time decides the day
    assert closed_july.denominator == 1


def test_sign_rates_count_requests_given_to_units_and_the_sign_limit_in_working_days(world):
    unit = world.departments[0]
    friday, monday, tuesday = date(2024, 7, 5), date(2024, 7, 8), date(2024, 7, 9)
    in_time = ticket(world, unit, received=local(friday, 16), signed_at=local(monday, 9))
    late = ticket(world, unit, received=local(friday, 16), signed_at=local(tuesday, 9))
    two_days = ticket(
        world, unit, received=local(friday, 16), signed_at=local(tuesday, 9), stage_periods={"sign": "2wd"}
    )
    unsigned = ticket(world, unit, received=local(friday, 16))
    # reassigned on Tuesday: the limit runs from the day the current unit got it
    moved = ticket(
        world,
        unit,
        received=local(friday, 16),
        assigned=local(tuesday, 8),
        signed_at=local(date(2024, 7, 10), 9),
    )
    ticket(world, world.centre, received=local(friday, 16))  # kept by the centre: nobody signs for it

    sign = figure("hotline.sign_rate")
    on_time = figure("hotline.sign_ontime_rate")

    assert (sign.numerator, sign.denominator) == (4, 5)
    assert (on_time.numerator, on_time.denominator, on_time.text) == (3, 5, "60.0%")
    assert listed("hotline.sign_ontime_rate", "numerator") == {in_time, two_days, moved}
    assert unsigned in listed("hotline.sign_ontime_rate", "denominator") and late in listed(
        "hotline.sign_ontime_rate", "denominator"
    )


def test_signed_on_time_agrees_with_the_deadline_engine():
    world = build_world(random.Random(8))
    default = "1wd"
    expected = set()
    for t in Ticket.objects.filter(disposition="dispatch", signed_at__isnull=False).select_related("case"):
        if t.case.handling_unit_id == world.centre.pk:
            continue
        lead = CaseUnit.objects.get(case=t.case, role="lead", is_active=True)
        override = (t.case.stage_periods or {}).get("sign", "").lower()
        period = override if override.endswith("wd") else default
        limit = due_date(start=lead.assigned_at.astimezone(SHANGHAI).date(), period=period)
        if t.signed_at.astimezone(SHANGHAI).date() <= limit:
            expected.add(t)
    assert expected

    found = compute.records(
        registry.get("hotline.sign_ontime_rate"),
        part="numerator",
        units=compute.EVERYTHING,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        today=TODAY,
    )
    assert set(found) == expected


def test_satisfaction_and_resolution_follow_the_latest_callback(world):
    unit = world.departments[0]
    happy_now, unhappy_now, unreachable, partial = (
        ticket(world, unit, status="closed", closed=local(date(2024, 7, 3), 9)) for _ in range(4)
    )
    for t, calls in [
        (happy_now, [("unsatisfied", "unresolved"), ("satisfied", "resolved")]),
        (unhappy_now, [("basically", "resolved"), ("unsatisfied", "unresolved")]),
        (unreachable, [("unreachable", "unknown")]),
        (partial, [("basically", "partial")]),
    ]:
        answer = reply(t, local(date(2024, 7, 3), 9))
        for k, (satisfaction, resolution) in enumerate(calls):
            Callback.objects.create(
                ticket=t,
                reply=answer,
                satisfaction=satisfaction,
                resolution=resolution,
                called_by=world.operator,
                called_at=local(date(2024, 7, 4 + k), 10),
            )

    satisfaction = figure("hotline.satisfaction_rate", unit=unit)
    resolution = figure("hotline.resolve_rate", unit=unit)

    assert (satisfaction.numerator, satisfaction.denominator) == (2, 3)  # 满意 + 基本满意; 未接通 left out
    assert (resolution.numerator, resolution.denominator, resolution.text) == (1, 3, "33.3%")
    assert figure("hotline.reply_rate", unit=unit).text == "100.0%"


def test_return_rate_counts_for_the_unit_that_returned_and_each_unit_it_was_sent_to(world):
    wrong, right = world.departments[0], world.departments[1]
    t = ticket(world, right, assigned=local(date(2024, 7, 2), 9))
    CaseUnit.objects.create(case=t.case, unit=wrong, role="lead", assigned_at=t.received_at, is_active=False)
    TicketReturn.objects.create(
        ticket=t,
        unit=wrong,
        category=t.category,
        reason="不属于本单位职责",
        returned_by=world.operator,
        returned_at=local(date(2024, 7, 1), 15),
        status=TicketReturn.Status.ACCEPTED,
    )
    ticket(world, wrong)

    at_wrong = figure("hotline.return_rate", unit=wrong)
    at_right = figure("hotline.return_rate", unit=right)

    assert (at_wrong.numerator, at_wrong.denominator, at_wrong.text) == (1, 2, "50.0%")
    assert (at_right.numerator, at_right.denominator) == (0, 1)
    # and the request itself now counts for the unit holding it
    assert figure("hotline.received", unit=right).numerator == 1


def test_repeat_requests_are_merged_ones_and_the_same_caller_on_the_same_matter_within_30_days(world):
    unit = world.departments[0]
    first = ticket(world, unit, caller_phone="13800001111", received=local(date(2024, 6, 20), 9))
    again = ticket(world, unit, caller_phone="13800001111", received=local(date(2024, 7, 10), 9))
    ticket(world, unit, caller_phone="13800001111", received=local(date(2024, 7, 12), 9),
           category=Category.objects.get(code="010102"))  # fmt: skip
    ticket(world, unit, caller_phone="13800002222", received=local(date(2024, 7, 25), 9))
    ticket(world, unit, caller_phone="13800002222", received=local(date(2024, 5, 1), 9))  # 85 days before
    merged = Ticket.objects.create(
        centre=world.centre,
        request_type=RequestType.HELP,
        category=first.category,
        channel=Channel.PHONE,
        region=world.region,
        content="同一个坑",
        received_at=local(date(2024, 7, 3), 9),
        disposition=Disposition.MERGED,
        merged_into=first,
        created_by=world.operator,
    )

    result = figure("hotline.repeat_rate", unit=unit)

    assert (result.numerator, result.denominator, result.text) == (2, 4, "50.0%")  # July: 4 received
    assert listed("hotline.repeat_rate", "numerator", unit) == {again, merged}


def test_reopen_rate_counts_requests_sent_back_after_an_answer(world):
    unit = world.departments[0]
    answered = [ticket(world, unit, status="closed", closed=local(date(2024, 7, 3), 9)) for _ in range(3)]
    for t in answered:
        reply(t, local(date(2024, 7, 3), 9))
    TimelineEntry.objects.create(case=answered[0].case, at=local(date(2024, 7, 6), 9), action="reopened")
    TimelineEntry.objects.create(case=answered[0].case, at=local(date(2024, 7, 9), 9), action="reopened")

    result = figure("hotline.reopen_rate", unit=unit)

    assert (result.numerator, result.denominator, result.text) == (1, 3, "33.3%")


def test_case_metrics_follow_the_cases_received_in_the_period(world):
    unit = world.departments[2]
    kind = CaseType.objects.get(code="reconsideration")
    for closed, due in [
        (local(date(2024, 8, 20), 9), date(2024, 8, 30)),
        (None, date(2024, 7, 10)),
        (None, date(2024, 9, 1)),
    ]:
        Case.objects.create(
            number=f"C-{next(_numbers)}",
            case_type=kind,
            title="复议申请",
            handling_unit=unit,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            received_at=local(date(2024, 7, 3), 9),
            start_date=date(2024, 7, 3),
            due_date=due,
            closed_at=closed,
        )

    assert figure("cases.received", unit=unit).text == "3件"
    assert figure("cases.received", unit=unit, dimension="reconsideration").numerator == 3
    assert figure("cases.received", unit=unit, dimension="litigation").numerator == 0
    assert figure("cases.ontime_rate", unit=unit).text == "50.0%"  # 1 on time of 1 closed + 1 overdue
    assert figure("cases.overdue_open", unit=unit).numerator == 1
