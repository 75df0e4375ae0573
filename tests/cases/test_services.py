from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases import services
from fazhi.cases.models import Case, CaseType, Notice, Supervision
from fazhi.cases.selectors import clock_of
from fazhi.core.deadlines import ClockState
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.org.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_opening_numbers_the_case_per_type_and_year_and_starts_the_clock(unit):
    first = open_case(unit, received_at=at(2024, 3, 1))
    second = open_case(unit, received_at=at(2024, 3, 2))
    hotline = open_case(unit, code="hotline", received_at=at(2024, 3, 2))

    assert first.number == "复〔2024〕1号"
    assert second.number == "复〔2024〕2号"
    assert hotline.number == "12345-2024-000001"
    # 60 calendar days from 2024-03-01 (start day not counted) is 2024-04-30, a Tuesday.
    assert first.due_date == date(2024, 4, 30)
    assert first.stage.code == "review"
    # the acceptance review has its own 5-working-day limit: 4, 5, 6, 7, 8 March.
    assert first.stage_due_date == date(2024, 3, 8)


def test_opening_puts_the_case_in_the_units_inbox_and_audits_it(unit):
    case = open_case(unit)

    assert Notice.objects.filter(unit=unit, case=case, kind=Notice.Kind.ASSIGNED).exists()
    assert AuditEvent.objects.filter(action="cases.opened", target_id=str(case.pk)).exists()
    assert case.timeline.get().action == "opened"


def test_hotline_due_date_skips_national_day(unit):
    # Received Friday 2024-09-27; Oct 1–7 are holidays. The 5 working days are 29 Sep (调休 Sunday),
    # 30 Sep, 8, 9 and 10 Oct.
    case = open_case(unit, code="hotline", received_at=at(2024, 9, 27))
    assert case.due_date == date(2024, 10, 10)


def test_handler_of_another_unit_cannot_open_a_case_for_this_unit(unit, other_unit):
    stranger = user_with_role(Role.HANDLER, other_unit)
    with pytest.raises(PermissionDenied):
        open_case(unit, actor=stranger)
    assert not Case.objects.exists()


def test_suspension_moves_the_due_date_by_the_days_stood_still(unit, handler):
    case = open_case(unit, received_at=at(2024, 3, 1))
    services.case_suspend(
        case=case, actor=handler, kind="correction", reason="申请材料不全，通知补正", on=date(2024, 3, 5)
    )
    assert clock_of(case, today=date(2024, 3, 10)).state == ClockState.SUSPENDED

    services.case_resume(case=case, actor=handler, on=date(2024, 3, 15))

    # 10 calendar days stood still (6–15 March), so 30 April becomes 10 May.
    assert case.due_date == date(2024, 5, 10)
    assert case.status == Case.Status.OPEN


def test_a_suspension_kind_the_type_does_not_allow_is_refused(unit, handler):
    case = open_case(unit, code="judicial_suggestion")
    with pytest.raises(ValidationError):
        services.case_suspend(case=case, actor=handler, kind="correction", reason="补正")


def test_extension_is_bounded_by_the_case_type(unit, handler):
    case = open_case(unit, received_at=at(2024, 3, 1))
    supervisor = user_with_role(Role.SUPERVISOR, unit)

    extension = services.case_extend(
        case=case, actor=supervisor, requested_by=handler, period="20d", reason="案情复杂"
    )
    assert extension.due_after == date(2024, 5, 20)
    assert case.extended
    assert clock_of(case, today=date(2024, 4, 1)).state == ClockState.EXTENDED

    with pytest.raises(ValidationError, match="上限"):
        services.case_extend(case=case, actor=supervisor, requested_by=handler, period="11d", reason="再延")
    assert case.extensions.count() == 1


def test_only_the_approver_role_may_extend(unit, handler):
    case = open_case(unit)
    with pytest.raises(PermissionDenied):
        services.case_extend(case=case, actor=handler, requested_by=handler, period="10d", reason="案情复杂")


def test_a_period_the_law_does_not_let_extend_is_refused(unit, handler):
    case = open_case(unit, code="litigation")
    supervisor = user_with_role(Role.SUPERVISOR, unit)
    with pytest.raises(ValidationError, match="不得延长"):
        services.case_extend(case=case, actor=supervisor, requested_by=handler, period="5d", reason="来不及")


def test_close_requires_a_result_and_stops_the_clock(unit, handler):
    case = open_case(unit)
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=handler, note="好")

    services.case_close(case=case, actor=handler, note="作出维持的复议决定")

    assert case.status == Case.Status.CLOSED
    assert case.stage.is_final
    assert clock_of(case).state == ClockState.CLOSED
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=handler, note="再次办结的说明")


def test_reassigning_moves_the_lead_and_keeps_the_history(unit, other_unit):
    case = open_case(unit)
    operator = user_with_role(Role.OPERATOR, unit, scope="all")

    services.case_assign(case=case, actor=operator, unit=other_unit, note="属于其他部门职责")

    assert case.handling_unit == other_unit
    assert list(case.case_units.filter(is_active=True).values_list("unit", flat=True)) == [other_unit.pk]
    assert [e.action for e in case.timeline.all()] == ["opened", "assigned"]


def test_supervision_reaches_the_unit_and_is_resolved_by_it(unit, handler):
    case = open_case(unit)
    supervisor = user_with_role(Role.SUPERVISOR, UnitFactory(), scope="all")

    supervision = services.supervision_issue(
        case=case,
        actor=supervisor,
        level=Supervision.Level.LISTED,
        reason="群众反映强烈",
        due=date(2099, 1, 1),
    )
    assert Notice.objects.filter(unit=unit, kind=Notice.Kind.SUPERVISION).exists()

    with pytest.raises(PermissionDenied):
        services.supervision_resolve(supervision=supervision, actor=supervisor, resolution="督办人自己办结")
    services.supervision_resolve(supervision=supervision, actor=handler, resolution="已约谈当事人并整改完毕")
    assert supervision.resolved_at is not None


def test_handlers_cannot_supervise(unit, handler):
    case = open_case(unit)
    with pytest.raises(PermissionDenied):
        services.supervision_issue(case=case, actor=handler, level=1, reason="催一下", due=date(2099, 1, 1))


def test_sweep_reminds_once_per_case_and_due_date(unit):
    overdue = open_case(unit, code="hotline", received_at=at(2024, 9, 27))  # due 2024-10-10
    soon = open_case(
        unit, code="hotline", received_at=at(2024, 10, 9)
    )  # due 2024-10-15: the 12 Oct 调休 Saturday counts
    later = open_case(unit, received_at=at(2024, 10, 9))

    first = services.reminders_sweep(today=date(2024, 10, 15))
    again = services.reminders_sweep(today=date(2024, 10, 15))

    assert first == {"due_soon": 1, "overdue": 1}
    assert again == {"due_soon": 0, "overdue": 0}
    assert Notice.objects.get(case=overdue, kind=Notice.Kind.OVERDUE)
    assert Notice.objects.get(case=soon, kind=Notice.Kind.DUE_SOON)
    assert not Notice.objects.filter(case=later, kind__in=["overdue", "due_soon"]).exists()


def test_case_types_are_data_with_stages():
    reconsideration = CaseType.objects.get(code="reconsideration")
    assert reconsideration.max_extension == "30d"
    assert [s.code for s in reconsideration.stages.all()] == [
        "review",
        "answer",
        "hearing",
        "decision",
        "done",
    ]


def test_sweep_emails_the_unit_when_configured(
    unit, handler, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.FAZHI_EMAIL_NOTICES = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    handler.email = "handler@example.gov.cn"
    handler.save(update_fields=["email"])
    open_case(unit, code="hotline", received_at=at(2024, 9, 27))

    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep(today=date(2024, 10, 15))

    assert [m.to for m in mailoutbox] == [["handler@example.gov.cn"]]
    assert "已超期" in mailoutbox[0].subject


def test_open_cases_pass_to_the_successor_of_a_merged_unit(unit, other_unit):
    from fazhi.cases.models import CaseUnit

    led = open_case(unit)
    co_handled = open_case(other_unit, co_units=[unit])
    closed = open_case(unit)
    services.case_close(case=closed, actor=user_with_role(Role.HANDLER, unit), note="已办结的旧案件")
    successor = UnitFactory()
    admin = user_with_role(Role.SYSTEM_ADMIN)

    moved = services.cases_transfer_to_successor(actor=admin, unit=unit, successor=successor)

    led.refresh_from_db()
    closed.refresh_from_db()
    assert moved == 2
    assert led.handling_unit == successor
    assert closed.handling_unit == unit  # history stays with the unit that did the work
    assert CaseUnit.objects.filter(case=co_handled, unit=successor, role="co", is_active=True).exists()
    assert led.timeline.last().action == "transferred"


def test_merging_a_unit_through_the_registers_moves_its_open_cases(unit):
    from fazhi.org.services import unit_reorganise

    case = open_case(unit)
    successor = UnitFactory()
    admin = user_with_role(Role.SYSTEM_ADMIN)

    unit_reorganise(actor=admin, unit=unit, status="merged", successor=successor, on=date(2024, 1, 1))

    case.refresh_from_db()
    assert case.handling_unit == successor


def test_abolishing_a_unit_with_open_cases_and_no_successor_is_refused(unit):
    from fazhi.org.models import Unit
    from fazhi.org.services import unit_reorganise

    open_case(unit)
    admin = user_with_role(Role.SYSTEM_ADMIN)

    with pytest.raises(ValidationError, match="未办结案件"):
        unit_reorganise(actor=admin, unit=unit, status="abolished", successor=None, on=date(2024, 1, 1))
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.ACTIVE


def test_a_deadline_beyond_the_loaded_calendar_is_refused_with_a_clear_message(unit):
    with pytest.raises(ValidationError, match="工作日历未载入2031"):
        open_case(unit, code="hotline", received_at=at(2031, 1, 5))
    assert not Case.objects.exists()


def test_a_closed_case_is_reopened_with_a_new_clock_from_today(unit, handler):
    case = open_case(unit, code="hotline", received_at=at(2024, 3, 1))
    operator = user_with_role(
        Role.OPERATOR, UnitFactory(), scope="all"
    )  # the centre approves 12345 extensions
    services.case_extend(case=case, actor=operator, requested_by=handler, period="2wd", reason="需现场勘查")
    services.case_close(case=case, actor=handler, note="已修复路灯并回复来电人")

    services.case_reopen(case=case, actor=operator, reason="来电人反映路灯仍不亮", period="3wd")

    from django.utils import timezone

    from fazhi.core.deadlines import due_date

    today = timezone.localdate()
    assert case.status == Case.Status.OPEN and case.closed_at is None
    assert case.stage.code == "sign"
    assert case.due_date == due_date(start=today, period="3wd")  # the old extension does not carry over
    assert not case.extended
    assert [e.action for e in case.timeline.all()][-2:] == ["closed", "reopened"]
    with pytest.raises(PermissionDenied):
        services.case_reopen(case=case, actor=handler, reason="承办单位自己重办")


def test_a_stage_limit_can_be_set_per_case(unit):
    case = open_case(unit, code="hotline", received_at=at(2024, 9, 27), stage_periods={"sign": "2wd"})
    # 29 Sep (调休 Sunday) and 30 Sep
    assert case.stage_due_date == date(2024, 9, 30)
    with pytest.raises(ValidationError, match="没有「sing」阶段"):
        open_case(unit, code="hotline", stage_periods={"sing": "1wd"})


def test_redispatch_can_restart_the_first_stage(unit, other_unit, handler):
    case = open_case(unit, code="hotline")
    services.case_advance(case=case, actor=handler, to_stage="handle")
    operator = user_with_role(Role.OPERATOR, unit, scope="all")

    services.case_assign(case=case, actor=operator, unit=other_unit, restart_stage=True)

    assert case.stage.code == "sign"


def test_the_centre_closes_a_case_it_holds_itself():
    centre = UnitFactory(name="12345热线中心")
    operator = user_with_role(Role.OPERATOR, centre, scope="all")
    case = open_case(centre, code="hotline", actor=operator, title="咨询社保卡补办地点")

    services.case_close(case=case, actor=operator, note="已电话告知补办地点和所需材料")

    assert case.status == Case.Status.CLOSED


def test_operators_see_confidential_reports_but_cockpit_leaders_do_not(unit):
    from fazhi.cases.selectors import cases_visible_to

    case = open_case(unit, code="hotline", is_confidential=True, title="举报某餐馆使用地沟油")
    operator = user_with_role(Role.OPERATOR, UnitFactory(), scope="all")
    leader = user_with_role(Role.LEADER, UnitFactory(), scope="all")

    assert case in cases_visible_to(operator)
    assert case not in cases_visible_to(leader)
