"""The engine's later-starting periods: a clock restarted from a later event, stages reached on an
earlier day and stage limits set while the case runs (added for 行政复议 and 行政应诉)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases import services
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.org.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_restart_counts_the_period_from_the_later_event(unit, handler):
    # Received Friday 27 Sep 2024 with a 5-working-day review; accepted on Wednesday 9 Oct.
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")
    assert case.due_date == date(2024, 10, 10)

    services.case_restart_clock(
        case=case, actor=handler, start=date(2024, 10, 9), period="60d", note="受理", stage="answer"
    )

    case.refresh_from_db()
    # 60 days from 9 Oct is Sunday 8 Dec 2024, rolled forward to Monday 9 Dec.
    assert case.due_date == date(2024, 12, 9)
    assert (case.start_date, case.period) == (date(2024, 10, 9), "60d")
    assert case.stage.code == "answer" and case.stage_started_on == date(2024, 10, 9)
    entry = case.timeline.last()
    assert entry.action == "clock_restarted" and "2024-12-09" in entry.note
    assert AuditEvent.objects.filter(action="cases.clock_restarted", target_id=str(case.pk)).exists()


def test_restart_ignores_suspensions_before_the_new_start(unit, handler):
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")
    services.case_suspend(
        case=case, actor=handler, kind="correction", reason="通知补正", on=date(2024, 9, 29)
    )
    services.case_resume(case=case, actor=handler, on=date(2024, 10, 14))

    services.case_restart_clock(
        case=case, actor=handler, start=date(2024, 10, 14), period="5wd", note="收到补正材料"
    )

    # a fresh 5 working days from Monday 14 Oct: 15–18 Oct and Monday 21 Oct.
    assert case.due_date == date(2024, 10, 21)


def test_restart_from_the_same_start_keeps_suspensions_and_sets_stage_limits(unit, handler):
    case = open_case(unit, received_at=at(2024, 10, 9), period="30d")
    services.case_advance(case=case, actor=handler, to_stage="answer", on=date(2024, 10, 9), period="3wd")
    # 10, 11 Oct and the 调休 Saturday 12 Oct
    assert case.stage_due_date == date(2024, 10, 12)
    services.case_suspend(
        case=case, actor=handler, kind="suspended", reason="中止审理", on=date(2024, 10, 20)
    )
    services.case_resume(case=case, actor=handler, on=date(2024, 10, 30))

    services.case_restart_clock(
        case=case,
        actor=handler,
        start=date(2024, 10, 9),
        period="60d",
        note="转为普通程序",
        stage_periods={"answer": "7wd"},
    )

    # 60 days + the 10 days stood still: 18 Dec 2024; the answer stage limit is now 7 working days.
    assert case.due_date == date(2024, 12, 18)
    assert case.stage.code == "answer" and case.stage_due_date == date(2024, 10, 17)


def test_restart_is_refused_to_other_units_and_while_suspended(unit, other_unit, handler):
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")
    stranger = user_with_role(Role.HANDLER, other_unit)
    with pytest.raises(PermissionDenied):
        services.case_restart_clock(
            case=case, actor=stranger, start=date(2024, 10, 9), period="60d", note="受理"
        )
    services.case_suspend(
        case=case, actor=handler, kind="correction", reason="通知补正", on=date(2024, 9, 30)
    )
    with pytest.raises(ValidationError, match="中止状态"):
        services.case_restart_clock(
            case=case, actor=handler, start=date(2024, 10, 9), period="60d", note="受理"
        )


def test_the_system_restarts_a_clock_by_operation_of_law(unit):
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")

    services.case_restart_clock(
        case=case, actor=None, start=date(2024, 10, 10), period="60d", note="视为受理"
    )

    assert case.due_date == date(2024, 12, 9)
    assert case.timeline.last().actor is None


def test_restart_rejects_a_future_start_and_an_unknown_stage(unit, handler):
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.case_restart_clock(
            case=case, actor=handler, start=date(2099, 1, 1), period="60d", note="受理"
        )
    with pytest.raises(ValidationError, match="没有可进入的「done」阶段"):
        services.case_restart_clock(
            case=case, actor=handler, start=date(2024, 10, 9), period="60d", note="受理", stage="done"
        )


def test_a_stage_reached_earlier_is_dated_that_day_and_not_before_the_current_stage(unit, handler):
    case = open_case(unit, received_at=at(2024, 9, 27))
    services.case_advance(case=case, actor=handler, to_stage="answer", on=date(2024, 10, 9), period="10wd")
    assert case.stage_due_date == date(2024, 10, 22)
    assert case.stage_periods == {"answer": "10wd"}
    assert case.timeline.last().at.date() == date(2024, 10, 9)

    with pytest.raises(ValidationError, match="不能早于当前阶段的开始日"):
        services.case_advance(case=case, actor=handler, to_stage="hearing", on=date(2024, 10, 8))


def test_a_suspension_recorded_later_is_dated_on_its_days(unit, handler):
    case = open_case(unit, received_at=at(2024, 9, 27), period="5wd")
    services.case_suspend(
        case=case, actor=handler, kind="correction", reason="通知补正", on=date(2024, 9, 30)
    )
    services.case_resume(case=case, actor=handler, on=date(2024, 10, 14))
    services.case_close(case=case, actor=handler, note="申请人撤回申请", closed_at=at(2024, 10, 15))

    assert [(e.action, e.at.date()) for e in case.timeline.all()] == [
        ("opened", date(2024, 9, 27)),
        ("suspended", date(2024, 9, 30)),
        ("resumed", date(2024, 10, 14)),
        ("closed", date(2024, 10, 15)),
    ]
