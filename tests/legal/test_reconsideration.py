"""行政复议 on the case engine: every statutory period on the real 2024–2025 calendar."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.cases.models import Case, Notice
from fazhi.cases.selectors import clock_of
from fazhi.core.calendar import get_calendar
from fazhi.core.deadlines import ClockState
from fazhi.core.models import AuditEvent
from fazhi.legal import services
from fazhi.legal.models import Hearing, Outcome, Reconsideration
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.legal.factories import accepted, answered, apply
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- receipt and the acceptance review -----------------------------------------------------------------


def test_an_application_opens_a_case_with_the_five_working_day_review_across_national_day(clerk, body, urban):
    rec = apply(clerk, body, urban)

    case = rec.case
    assert case.number == "复〔2024〕1号" and case.handling_unit == body.unit
    assert case.stage.code == "review"
    # Friday 27 Sep 2024: 29 Sep (调休 Sunday), 30 Sep, then 8, 9, 10 Oct after the holiday.
    assert rec.review_due == case.due_date == date(2024, 10, 10)
    assert Notice.objects.filter(unit=body.unit, case=case, kind=Notice.Kind.ASSIGNED).exists()
    assert "李*" in case.title and "李建国" not in case.title


def test_the_applicant_is_encrypted_and_kept_out_of_the_audit_trail(clerk, body, urban):
    rec = apply(clerk, body, urban)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_name, applicant_id_number FROM legal_reconsideration WHERE id = %s", [rec.pk]
        )
        name, id_number = cursor.fetchone()
    assert name.startswith("v1:") and "李建国" not in name
    assert id_number.startswith("v1:") and "1234" not in id_number
    assert Reconsideration.objects.get(pk=rec.pk).applicant_name == "李建国"
    assert rec.applicant_display == "李**"
    event = AuditEvent.objects.get(action="legal.reconsideration_registered")
    assert "李建国" not in str(event.after) and "李建国" not in event.target_label


def test_registration_is_refused_outside_the_reconsideration_body(body, urban, urban_handler):
    with pytest.raises(PermissionDenied):
        apply(urban_handler, body, urban)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"applicant_name": ""}, "applicant_name"),
        ({"applicant_kind": "legal_person", "applicant_name": "", "applicant_org": ""}, "applicant_org"),
        ({"claims": "撤销"}, "claims"),
        ({"act_category": "unknown"}, "act_category"),
        ({"known_on": date(2024, 10, 1)}, "known_on"),
        ({"received_at": at(2099, 1, 1)}, "received_at"),
    ],
)
def test_registration_names_the_field_that_is_wrong(clerk, body, urban, changes, field):
    with pytest.raises(ValidationError) as error:
        apply(clerk, body, urban, **changes)
    assert field in error.value.message_dict
    assert not Case.objects.exists()


def test_the_respondent_cannot_be_the_reconsideration_authority_itself(clerk, body, government):
    with pytest.raises(ValidationError, match="上一级行政复议机关"):
        apply(clerk, body, government)


def test_late_applications_are_flagged_for_the_clerk(clerk, body, urban):
    rec = apply(clerk, body, urban, known_on=date(2024, 7, 1), act_date=date(2018, 9, 1))

    problems = services.application_time_problems(rec)
    assert any("超过60日（至2024-08-30）" in p for p in problems)
    assert any("超过5年" in p for p in problems)


def test_acceptance_restarts_the_clock_with_sixty_days_from_acceptance(clerk, body, urban):
    rec = apply(clerk, body, urban)

    services.reconsideration_accept(reconsideration=rec, actor=clerk, accepted_on=date(2024, 10, 9))

    case = rec.case
    assert rec.acceptance == Reconsideration.Acceptance.ACCEPTED and rec.accepted_on == date(2024, 10, 9)
    # 60 days from 9 Oct end on Sunday 8 Dec 2024, rolled forward to Monday 9 Dec.
    assert case.due_date == date(2024, 12, 9) and case.start_date == date(2024, 10, 9)
    # the copy to the respondent within 7 working days: 10, 11, 12 (调休 Saturday), 14–17 Oct.
    assert case.stage.code == "answer" and rec.copy_due == case.stage_due_date == date(2024, 10, 17)


def test_simple_procedure_gives_thirty_days_and_three_working_days_for_the_copy(clerk, body, urban):
    rec = accepted(clerk, body, urban, procedure="simple")

    assert rec.case.due_date == date(2024, 11, 8)
    # 10, 11 and the 调休 Saturday 12 Oct 2024.
    assert rec.copy_due == date(2024, 10, 12)


def test_simple_procedure_needs_an_article_53_ground(clerk, body, urban):
    rec = apply(clerk, body, urban)
    with pytest.raises(ValidationError) as error:
        services.reconsideration_accept(
            reconsideration=rec, actor=clerk, accepted_on=date(2024, 10, 9), procedure="simple"
        )
    assert "simple_ground" in error.value.message_dict


def test_accepting_after_the_review_lapsed_records_deemed_acceptance_on_the_last_day(clerk, body, urban):
    rec = apply(clerk, body, urban)

    services.reconsideration_accept(reconsideration=rec, actor=clerk, accepted_on=date(2024, 10, 14))

    assert rec.acceptance == Reconsideration.Acceptance.DEEMED and rec.accepted_on == date(2024, 10, 10)
    assert rec.case.due_date == date(2024, 12, 9)
    assert "视为受理" in rec.case.timeline.last().note


def test_the_sweep_deems_lapsed_reviews_accepted_once(clerk, body, urban):
    rec = apply(clerk, body, urban)
    still_in_time = apply(clerk, body, urban, received_at=at(2024, 10, 9))

    assert services.lapsed_reviews_sweep(today=date(2024, 10, 11)) == {"deemed": 1, "skipped": 0}
    assert services.lapsed_reviews_sweep(today=date(2024, 10, 11)) == {"deemed": 0, "skipped": 0}

    rec.refresh_from_db()
    assert rec.acceptance == Reconsideration.Acceptance.DEEMED and rec.accepted_on == date(2024, 10, 10)
    assert rec.case.due_date == date(2024, 12, 9) and rec.copy_due == date(2024, 10, 18)
    assert rec.case.timeline.last().actor is None
    assert AuditEvent.objects.filter(action="legal.deemed_accepted", actor__isnull=True).count() == 1
    still_in_time.refresh_from_db()
    assert still_in_time.acceptance == Reconsideration.Acceptance.PENDING


def test_the_sweep_leaves_applications_waiting_for_correction(clerk, body, urban):
    rec = apply(clerk, body, urban)
    services.correction_request(
        reconsideration=rec, actor=clerk, items="请补充处罚决定书复印件", notified_on=date(2024, 9, 30)
    )

    assert services.lapsed_reviews_sweep(today=date(2024, 10, 30))["deemed"] == 0


def test_rejection_names_the_competent_body_when_it_is_not_ours(clerk, body, urban):
    rec = apply(clerk, body, urban)
    with pytest.raises(ValidationError) as error:
        services.reconsideration_reject(
            reconsideration=rec, actor=clerk, rejected_on=date(2024, 10, 8), ground="not_competent"
        )
    assert "competent_body" in error.value.message_dict

    services.reconsideration_reject(
        reconsideration=rec,
        actor=clerk,
        rejected_on=date(2024, 10, 8),
        ground="not_competent",
        competent_body="国家税务总局明湖市税务局",
    )

    assert rec.acceptance == Reconsideration.Acceptance.REJECTED
    assert rec.case.status == Case.Status.CLOSED and "不予受理" in rec.case.timeline.last().note


def test_rejection_after_the_review_period_is_refused_as_the_law_has_accepted(clerk, body, urban):
    rec = apply(clerk, body, urban)
    with pytest.raises(ValidationError, match="第三十三条"):
        services.reconsideration_reject(
            reconsideration=rec, actor=clerk, rejected_on=date(2024, 10, 11), ground="out_of_scope"
        )


# --- 补正 ---------------------------------------------------------------------------------------------------


def test_correction_stops_the_clock_and_the_review_starts_afresh_on_receipt(clerk, body, urban):
    rec = apply(clerk, body, urban)

    services.correction_request(
        reconsideration=rec, actor=clerk, items="请补充处罚决定书复印件", notified_on=date(2024, 9, 30)
    )
    # 10 working days from 30 Sep: 8–12 Oct (12th is a 调休 Saturday), 14–18 Oct.
    assert rec.correction_due == date(2024, 10, 18)
    assert rec.case.status == Case.Status.SUSPENDED
    assert clock_of(rec.case, today=date(2024, 10, 15)).state == ClockState.SUSPENDED

    services.correction_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 14))

    assert rec.case.status == Case.Status.OPEN and rec.case.stage.code == "review"
    assert rec.review_due == rec.case.due_date == date(2024, 10, 21)


def test_correction_is_noticed_once_and_within_five_working_days(clerk, body, urban):
    rec = apply(clerk, body, urban)
    with pytest.raises(ValidationError, match="2024-10-10"):
        services.correction_request(
            reconsideration=rec, actor=clerk, items="请补充证据材料", notified_on=date(2024, 10, 11)
        )
    services.correction_request(
        reconsideration=rec, actor=clerk, items="请补充证据材料", notified_on=date(2024, 10, 8)
    )
    services.correction_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 9))
    with pytest.raises(ValidationError, match="一次性"):
        services.correction_request(
            reconsideration=rec, actor=clerk, items="请再补充", notified_on=date(2024, 10, 10)
        )


def test_a_late_supplement_needs_an_extension_or_is_deemed_abandoned(clerk, body, urban):
    rec = apply(clerk, body, urban)
    services.correction_request(
        reconsideration=rec, actor=clerk, items="请补充身份证明", notified_on=date(2024, 9, 30)
    )
    with pytest.raises(ValidationError, match="延长补正期限"):
        services.correction_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 21))
    with pytest.raises(ValidationError, match="尚未届满"):
        services.correction_abandon(reconsideration=rec, actor=clerk, on=date(2024, 10, 18))

    services.correction_abandon(reconsideration=rec, actor=clerk, on=date(2024, 10, 21))

    assert rec.acceptance == Reconsideration.Acceptance.ABANDONED
    assert rec.case.status == Case.Status.CLOSED and "视为放弃" in rec.case.timeline.last().note


def test_an_extended_correction_period_accepts_the_later_supplement(clerk, body, urban):
    rec = apply(clerk, body, urban)
    services.correction_request(
        reconsideration=rec, actor=clerk, items="请补充身份证明", notified_on=date(2024, 9, 30)
    )
    services.correction_extend(
        reconsideration=rec, actor=clerk, due=date(2024, 10, 25), reason="申请人住院治疗，无法按期补正"
    )

    services.correction_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 21))

    # 5 working days from Monday 21 Oct: 22–25 and 28 Oct.
    assert rec.review_due == date(2024, 10, 28)


# --- copy, answer, hearing, suspension, extension, switching ------------------------------------------


def test_the_answer_period_runs_ten_working_days_from_service(clerk, body, urban):
    rec = accepted(clerk, body, urban)

    services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))

    # 12 (调休 Saturday), 14–18, 21–24 Oct.
    assert rec.answer_due == rec.case.stage_due_date == date(2024, 10, 24)
    assert rec.case.stage_started_on == date(2024, 10, 11)


def test_a_late_answer_is_recorded_and_allows_the_article_70_ground(clerk, body, urban):
    rec = accepted(clerk, body, urban)
    services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))

    services.answer_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 28))

    assert services.answered_late(rec) is True
    assert rec.case.stage.code == "hearing" and "已超过答复期限2024-10-24" in rec.case.timeline.last().note
    services.reconsideration_decide(
        reconsideration=rec,
        actor=clerk,
        outcome=Outcome.ANNULLED,
        ground="no_answer",
        summary="被申请人逾期未提交证据。",
        decided_on=date(2024, 11, 20),
        remake_ordered=True,
    )
    assert rec.remake_ordered and rec.case.status == Case.Status.CLOSED


def test_the_article_70_ground_is_refused_when_the_answer_came_in_time(clerk, body, urban):
    rec = answered(clerk, body, urban)
    with pytest.raises(ValidationError, match="按期答复"):
        services.reconsideration_decide(
            reconsideration=rec,
            actor=clerk,
            outcome=Outcome.ANNULLED,
            ground="no_answer",
            summary="经审理查明。",
            decided_on=date(2024, 11, 20),
        )


def test_a_hearing_notice_must_come_five_working_days_before(clerk, body, urban):
    rec = answered(clerk, body, urban)
    when = datetime(2024, 10, 30, 9, tzinfo=SHANGHAI)
    with pytest.raises(ValidationError, match="最早可安排在2024-10-31"):
        services.hearing_schedule(
            reconsideration=rec,
            actor=clerk,
            kind=Hearing.Kind.HEARING,
            scheduled_at=when,
            place="市司法局听证室",
            notice_sent_on=date(2024, 10, 24),
        )

    hearing = services.hearing_schedule(
        reconsideration=rec,
        actor=clerk,
        kind=Hearing.Kind.HEARING,
        scheduled_at=when.replace(day=31),
        place="市司法局听证室",
        notice_sent_on=date(2024, 10, 24),
    )

    assert hearing.status == Hearing.Status.SCHEDULED
    assert "安排听证" in rec.case.timeline.last().note


def test_suspension_moves_the_decision_deadline(clerk, body, urban):
    rec = answered(clerk, body, urban)

    services.reconsideration_suspend(
        reconsideration=rec, actor=clerk, ground="other_case", reason="等待相关民事判决", on=date(2024, 11, 1)
    )
    services.reconsideration_resume(reconsideration=rec, actor=clerk, on=date(2024, 11, 21))

    # 9 Dec (60 days, rolled over a Sunday) moves by the 20 days stood still: 28 Dec 2024 is a
    # Saturday, so Monday 30 Dec.
    assert rec.case.due_date == date(2024, 12, 30)


def test_extension_is_approved_up_to_thirty_days_and_not_for_simple_procedure(clerk, approver, body, urban):
    rec = answered(clerk, body, urban)
    with pytest.raises(PermissionDenied):
        services.reconsideration_extend(
            reconsideration=rec, actor=clerk, requested_by=clerk, period="30d", reason="案情复杂"
        )
    with pytest.raises(ValidationError, match="上限"):
        services.reconsideration_extend(
            reconsideration=rec, actor=approver, requested_by=clerk, period="31d", reason="案情复杂"
        )

    services.reconsideration_extend(
        reconsideration=rec, actor=approver, requested_by=clerk, period="30d", reason="案情复杂"
    )

    # 8 Dec + 30 days = 7 Jan 2025, a Tuesday.
    assert rec.case.due_date == date(2025, 1, 7) and rec.case.extended

    simple = accepted(clerk, body, urban, procedure="simple", received_at=at(2024, 10, 8))
    with pytest.raises(ValidationError, match="简易程序"):
        services.reconsideration_extend(
            reconsideration=simple, actor=approver, requested_by=clerk, period="10d", reason="案情复杂"
        )


def test_switching_to_normal_procedure_needs_approval_and_lengthens_the_periods(clerk, approver, body, urban):
    rec = accepted(clerk, body, urban, procedure="simple")
    with pytest.raises(PermissionDenied):
        services.procedure_switch(reconsideration=rec, actor=clerk, reason="案情复杂，需要听证")

    services.procedure_switch(reconsideration=rec, actor=approver, reason="案情复杂，需要听证")

    assert rec.procedure == "normal"
    assert rec.case.due_date == date(2024, 12, 9)  # 60 days from acceptance on 9 Oct
    assert rec.copy_due == date(2024, 10, 17)  # 7 working days instead of 3


def test_switching_after_service_lengthens_the_answer_period(clerk, approver, body, urban):
    rec = accepted(clerk, body, urban, procedure="simple")
    services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))
    assert rec.answer_due == date(2024, 10, 17)  # 5 working days: 12 (调休), 14–17

    services.procedure_switch(reconsideration=rec, actor=approver, reason="案情复杂，需要听证")

    assert rec.answer_due == date(2024, 10, 24)


# --- outcomes ------------------------------------------------------------------------------------------------


OUTCOMES = [
    (Outcome.UPHELD, "lawful", "第六十八条"),
    (Outcome.VARIED, "inappropriate", "第六十三条"),
    (Outcome.ANNULLED, "procedure", "第六十四条"),
    (Outcome.PARTLY_ANNULLED, "facts_unclear", "第六十四条"),
    (Outcome.CONFIRMED_UNLAWFUL, "minor_procedure", "第六十五条"),
    (Outcome.CONFIRMED_VOID, "no_authority", "第六十七条"),
    (Outcome.ORDERED_TO_PERFORM, "duty_not_performed", "第六十六条"),
    (Outcome.CLAIM_REJECTED, "already_performed", "第六十九条"),
    (Outcome.APPLICATION_REJECTED, "conditions_unmet", "第三十三条"),
    (Outcome.MEDIATED, "mediation_agreement", "第七十三条"),
    (Outcome.SETTLED, "settlement", "第七十四条"),
    (Outcome.WITHDRAWN, "withdrawal", "第四十一条第一项"),
    (Outcome.TERMINATED, "suspension_lapsed", "第四十一条"),
]


@pytest.mark.parametrize("outcome, ground, article", OUTCOMES)
def test_each_outcome_closes_the_case_on_its_article(clerk, body, urban, outcome, ground, article):
    rec = answered(clerk, body, urban)

    services.reconsideration_decide(
        reconsideration=rec,
        actor=clerk,
        outcome=outcome,
        ground=ground,
        summary="经审理查明，事实如下。",
        decided_on=date(2024, 11, 20),
    )

    rec.refresh_from_db()
    assert rec.outcome == outcome and rec.decided_on == date(2024, 11, 20)
    assert article in rec.article
    assert rec.case.status == Case.Status.CLOSED
    assert rec.case.closed_at.astimezone(SHANGHAI).date() == date(2024, 11, 20)
    assert article in rec.case.timeline.last().note
    assert rec.handling_days == 42


@pytest.mark.parametrize(
    "outcome, ground", [(Outcome.UPHELD, "procedure"), (Outcome.ANNULLED, "lawful"), ("invented", "x")]
)
def test_an_outcome_needs_one_of_its_own_grounds(clerk, body, urban, outcome, ground):
    rec = answered(clerk, body, urban)
    with pytest.raises(ValidationError):
        services.reconsideration_decide(
            reconsideration=rec,
            actor=clerk,
            outcome=outcome,
            ground=ground,
            summary="经审理查明。",
            decided_on=date(2024, 11, 20),
        )
    assert rec.case.status == Case.Status.OPEN


def test_remaking_is_ordered_only_with_annulment(clerk, body, urban):
    rec = answered(clerk, body, urban)
    with pytest.raises(ValidationError) as error:
        services.reconsideration_decide(
            reconsideration=rec,
            actor=clerk,
            outcome=Outcome.UPHELD,
            ground="lawful",
            summary="经审理查明。",
            decided_on=date(2024, 11, 20),
            remake_ordered=True,
        )
    assert "remake_ordered" in error.value.message_dict


def test_no_decision_before_acceptance_or_while_suspended(clerk, body, urban):
    rec = apply(clerk, body, urban)
    with pytest.raises(ValidationError, match="尚未受理"):
        services.reconsideration_decide(
            reconsideration=rec,
            actor=clerk,
            outcome=Outcome.UPHELD,
            ground="lawful",
            summary="经审理查明。",
            decided_on=date(2024, 10, 9),
        )
    rec = answered(clerk, body, urban, received_at=at(2024, 10, 8))
    services.reconsideration_suspend(
        reconsideration=rec, actor=clerk, ground="settlement", reason="双方和解", on=date(2024, 11, 1)
    )
    with pytest.raises(ValidationError, match="中止状态"):
        services.reconsideration_decide(
            reconsideration=rec,
            actor=clerk,
            outcome=Outcome.SETTLED,
            ground="settlement",
            summary="双方达成和解。",
            decided_on=date(2024, 11, 5),
        )


def test_decided_on_time_when_closed_by_the_due_date(clerk, body, urban):
    rec = answered(clerk, body, urban)
    services.reconsideration_decide(
        reconsideration=rec,
        actor=clerk,
        outcome=Outcome.UPHELD,
        ground="lawful",
        summary="经审理查明。",
        decided_on=date(2024, 12, 9),
    )
    assert rec.case.closed_at.astimezone(SHANGHAI).date() <= rec.case.due_date


# --- follow-ups -----------------------------------------------------------------------------------------------


def test_an_opinion_is_a_case_of_its_own_in_the_respondents_inbox(
    clerk, supervisor, body, urban, urban_handler
):
    rec = answered(clerk, body, urban)
    with pytest.raises(PermissionDenied):
        services.follow_up_issue(
            reconsideration=rec,
            actor=clerk,
            kind="opinion",
            addressee=urban,
            content="执法过程中未告知陈述申辩权利，请予纠正。",
        )

    follow_up = services.follow_up_issue(
        reconsideration=rec,
        actor=supervisor,
        kind="opinion",
        addressee=urban,
        content="执法过程中未告知陈述申辩权利，请予纠正。",
        issued_on=date(2024, 11, 20),
    )

    case = follow_up.case
    assert case.handling_unit == urban and case.case_type.code == "reconsideration_follow_up"
    assert case.number == "复意〔2024〕1号"
    # 60 days to report the correction (Art. 76): 19 Jan 2025, a Sunday, rolled to Monday 20 Jan.
    assert case.due_date == date(2025, 1, 20)
    assert Notice.objects.filter(unit=urban, case=case).exists()

    with pytest.raises(PermissionDenied):
        services.follow_up_reply(
            follow_up=follow_up, actor=clerk, reply="已组织全体执法人员培训。", replied_on=date(2025, 1, 10)
        )
    services.follow_up_reply(
        follow_up=follow_up,
        actor=urban_handler,
        reply="已组织全体执法人员培训并修订执法文书。",
        replied_on=date(2025, 1, 10),
    )
    assert follow_up.case.status == Case.Status.CLOSED


def test_other_units_cannot_act_on_the_case(body, clerk, urban, market_handler):
    rec = apply(clerk, body, urban)
    stranger = user_with_role(Role.HANDLER, body.unit.parent)
    for actor in (market_handler, UserFactory(), stranger):
        with pytest.raises(PermissionDenied):
            services.reconsideration_accept(reconsideration=rec, actor=actor, accepted_on=date(2024, 10, 9))


def test_without_an_answer_the_case_goes_to_review_the_day_after_the_period(clerk, body, urban):
    rec = accepted(clerk, body, urban)
    services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))

    services.answer_receive(reconsideration=rec, actor=clerk, received_on=None)

    assert rec.case.stage.code == "hearing" and rec.case.stage_started_on == date(2024, 10, 25)
    assert services.answered_late(rec) is True and "第七十条" in rec.case.timeline.last().note


def test_only_the_system_administrator_registers_a_reconsideration_body(clerk, justice, government, urban):
    from tests.org.factories import admin_user

    with pytest.raises(PermissionDenied):
        services.reconsideration_body_create(
            actor=clerk, unit=urban, authority=government, document_prefix="明政复"
        )
    sysadmin = admin_user(Role.SYSTEM_ADMIN)
    body = services.reconsideration_body_create(
        actor=sysadmin, unit=urban, authority=government, document_prefix="明城复"
    )
    assert body.document_prefix == "明城复"
    with pytest.raises(ValidationError, match="已是行政复议机构"):
        services.reconsideration_body_create(
            actor=sysadmin, unit=urban, authority=government, document_prefix="明城复"
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 9, 30)), simple=st.booleans())
def test_every_acceptance_day_gives_the_statutory_periods(clerk, body, urban, day, simple):
    """Whatever the day: the review is 5 working days, the copy 7 (3) and the decision 60 (30)
    calendar days from acceptance, ending on a working day."""
    calendar = get_calendar()
    rec = apply(
        clerk, body, urban, received_at=at(day.year, day.month, day.day), act_date=None, known_on=None
    )
    assert rec.review_due == calendar.roll_forward(calendar.add_workdays(day, 5))
    services.reconsideration_accept(
        reconsideration=rec,
        actor=clerk,
        accepted_on=rec.review_due,
        procedure="simple" if simple else "normal",
        simple_ground="warning" if simple else "",
    )
    accepted_on = rec.review_due
    decision = accepted_on + timedelta(days=30 if simple else 60)
    assert rec.case.due_date == calendar.roll_forward(decision)
    assert calendar.is_workday(rec.case.due_date)
    assert rec.copy_due == calendar.add_workdays(accepted_on, 3 if simple else 7)
