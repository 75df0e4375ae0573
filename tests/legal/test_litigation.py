"""行政应诉: the defence clock, hearings and who appeared, judgments and appeals."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.cases.models import Case, CaseType
from fazhi.cases.services import case_open
from fazhi.legal import services
from fazhi.legal.models import Attendance, CourtHearing, Defendant, Lawsuit, Outcome, Result
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.legal.factories import decided, judgment, sue
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def hearing_on(lawsuit, actor, day=date(2025, 3, 12), **kwargs):
    return services.court_hearing_add(
        lawsuit=lawsuit,
        actor=actor,
        held_at=datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI),
        **kwargs,
    )


def test_the_defence_is_due_fifteen_days_after_the_complaint_over_spring_festival(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)

    # received Friday 24 Jan 2025; 15 days later is Saturday 8 Feb, a 调休 working day.
    assert lawsuit.defence_due == lawsuit.case.due_date == date(2025, 2, 8)
    assert lawsuit.case.handling_unit == urban and lawsuit.case.case_type.code == "litigation"
    assert lawsuit.defendants.get().role == Defendant.Role.DEFENDANT
    assert "某建材" in lawsuit.case.title


def test_a_lawsuit_is_registered_by_the_defendant_or_a_supervisor_only(urban, market_handler):
    with pytest.raises(PermissionDenied):
        sue(market_handler, urban)
    assert not Lawsuit.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"court": ""}, "court"),
        ({"instance": "second"}, "appeal_of"),
        ({"plaintiff_kind": "person", "plaintiff_org": ""}, "plaintiff_name"),
        ({"complaint_received_on": date(2025, 1, 10)}, "complaint_received_on"),
        ({"act_category": "nonsense"}, "act_category"),
    ],
)
def test_registration_names_the_field_that_is_wrong(urban_handler, urban, changes, field):
    with pytest.raises(ValidationError) as error:
        sue(urban_handler, urban, **changes)
    assert field in error.value.message_dict


def test_the_same_court_number_is_registered_once(urban_handler, urban):
    sue(urban_handler, urban, court_number="（2025）鲁9902行初7号")
    with pytest.raises(ValidationError, match="已登记"):
        sue(urban_handler, urban, court_number="（2025）鲁9902行初7号")


def test_filing_the_defence_tracks_the_courts_six_months(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)

    services.defence_file(lawsuit=lawsuit, actor=urban_handler, filed_on=date(2025, 2, 7))

    assert lawsuit.case.stage.code == "trial"
    # six months from filing on 20 Jan 2025
    assert lawsuit.case.due_date == date(2025, 7, 21)  # 20 Jul is a Sunday
    assert "超过答辩期限" not in lawsuit.case.timeline.last().note


def test_a_late_defence_is_marked(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    services.defence_file(lawsuit=lawsuit, actor=urban_handler, filed_on=date(2025, 2, 10))
    assert "超过答辩期限2025-02-08" in lawsuit.case.timeline.last().note


def test_a_reconsideration_upheld_makes_the_review_authority_a_co_defendant(
    clerk, body, urban, urban_handler, government
):
    rec = decided(clerk, body, urban, Outcome.UPHELD, "lawful")

    lawsuit = sue(
        urban_handler,
        urban,
        reconsideration=rec,
        filed_on=date(2024, 12, 2),
        complaint_received_on=date(2024, 12, 6),
    )

    roles = {d.unit: d.role for d in lawsuit.defendants.all()}
    assert roles == {urban: Defendant.Role.DEFENDANT, government: Defendant.Role.REVIEW_AUTHORITY}
    # the 复议机构 handles the authority's defence, so the case is in its inbox too
    assert lawsuit.case.case_units.filter(unit=body.unit, role="co", is_active=True).exists()
    assert rec.lawsuits.get() == lawsuit


def test_a_changed_reconsideration_does_not_make_a_co_defendant(clerk, body, urban, urban_handler):
    rec = decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    with pytest.raises(ValidationError) as error:
        sue(
            urban_handler,
            urban,
            reconsideration=rec,
            filed_on=date(2024, 12, 2),
            complaint_received_on=date(2024, 12, 6),
        )
    assert "reconsideration" in error.value.message_dict


def test_attendance_records_who_appeared_and_whether_a_head_did(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    hearing = hearing_on(lawsuit, urban_handler, head_summoned=True, notice_received_on=date(2025, 3, 3))

    attendance = services.attendance_record(
        hearing=hearing,
        actor=urban_handler,
        unit=urban,
        attendees=[
            {"name": "王志强", "post": "副局长", "capacity": "deputy"},
            {"name": "刘明", "post": "法规科科长", "capacity": "staff"},
        ],
    )

    assert [a.capacity for a in attendance.attendees.all()] == ["deputy", "staff"]
    assert attendance.absence_reason == ""


def test_without_a_head_the_reason_is_required_and_proof_is_kept(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    hearing = hearing_on(lawsuit, urban_handler, head_summoned=True)
    lawyers = [{"name": "周律师", "post": "明湖律师事务所", "capacity": "lawyer"}]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(hearing=hearing, actor=urban_handler, unit=urban, attendees=lawyers)
    assert "absence_reason" in error.value.message_dict

    proof = SimpleUploadedFile("公务证明.pdf", b"%PDF-1.4 sealed proof", content_type="application/pdf")
    attendance = services.attendance_record(
        hearing=hearing,
        actor=urban_handler,
        unit=urban,
        attendees=lawyers,
        absence_reason=Attendance.AbsenceReason.IRREPLACEABLE_DUTY,
        absence_note="参加全省安全生产会议",
        proof=proof,
    )

    assert attendance.absence_proof.name == "公务证明.pdf"
    assert attendance.absence_proof.case == lawsuit.case


def test_recording_again_replaces_the_attendance(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    hearing = hearing_on(lawsuit, urban_handler)
    services.attendance_record(
        hearing=hearing,
        actor=urban_handler,
        unit=urban,
        attendees=[{"name": "刘明", "capacity": "staff"}],
        absence_reason="none",
    )
    services.attendance_record(
        hearing=hearing, actor=urban_handler, unit=urban, attendees=[{"name": "张局长", "capacity": "chief"}]
    )
    attendance = Attendance.objects.get()
    assert [a.name for a in attendance.attendees.all()] == ["张局长"] and attendance.absence_reason == ""


def test_only_defendants_attend_and_only_after_the_hearing(urban_handler, urban, market):
    lawsuit = sue(urban_handler, urban)
    with pytest.raises(ValidationError, match="不是本案被告"):
        services.attendance_record(
            hearing=hearing_on(lawsuit, urban_handler),
            actor=urban_handler,
            unit=market,
            attendees=[{"name": "张局长", "capacity": "chief"}],
        )
    future = hearing_on(lawsuit, urban_handler, day=date(2099, 1, 5))
    with pytest.raises(ValidationError, match="尚未举行"):
        services.attendance_record(
            hearing=future,
            actor=urban_handler,
            unit=urban,
            attendees=[{"name": "张局长", "capacity": "chief"}],
        )


def test_a_judicial_suggestion_for_absence_is_linked(urban_handler, urban, city):
    lawsuit = sue(urban_handler, urban)
    hearing = hearing_on(lawsuit, urban_handler, head_summoned=True)
    attendance = services.attendance_record(
        hearing=hearing,
        actor=urban_handler,
        unit=urban,
        attendees=[{"name": "刘明", "capacity": "staff"}],
        absence_reason="none",
    )
    suggestion = case_open(
        case_type=CaseType.objects.get(code="judicial_suggestion"),
        title="关于负责人未出庭应诉的司法建议",
        handling_unit=urban,
        actor=urban_handler,
        received_at=at(2025, 3, 20),
    )
    not_a_suggestion = lawsuit.case

    with pytest.raises(ValidationError, match="不是司法建议"):
        services.attendance_link_suggestion(
            attendance=attendance, actor=urban_handler, suggestion_case=not_a_suggestion
        )
    services.attendance_link_suggestion(
        attendance=attendance, actor=urban_handler, suggestion_case=suggestion
    )

    assert suggestion.absence_attendances.get() == attendance


def test_a_first_instance_judgment_opens_the_fifteen_day_appeal_window(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    services.defence_file(lawsuit=lawsuit, actor=urban_handler, filed_on=date(2025, 2, 7))

    services.judgment_record(
        lawsuit=lawsuit,
        actor=urban_handler,
        judgment_type=judgment("annul"),
        judgment_on=date(2025, 4, 25),
        served_on=date(2025, 4, 28),
    )

    assert lawsuit.result == Result.LOST
    # 15 days from 28 Apr 2025 is 13 May.
    assert lawsuit.case.stage.code == "judgment" and lawsuit.case.due_date == date(2025, 5, 13)

    services.lawsuit_conclude(
        lawsuit=lawsuit, actor=urban_handler, appealed_by="defendant", concluded_on=date(2025, 5, 9)
    )
    assert lawsuit.case.status == Case.Status.CLOSED and lawsuit.appealed_by == "defendant"


def test_a_ruling_gives_ten_days_and_a_withdrawal_ends_the_case_at_once(urban_handler, urban):
    ruled = sue(urban_handler, urban)
    services.judgment_record(
        lawsuit=ruled,
        actor=urban_handler,
        judgment_type=judgment("ruling_dismiss_suit"),
        judgment_on=date(2025, 3, 3),
        served_on=date(2025, 3, 5),
    )
    assert ruled.case.due_date == date(2025, 3, 17)  # 15 Mar is a Saturday
    withdrawn = sue(urban_handler, urban)
    services.judgment_record(
        lawsuit=withdrawn,
        actor=urban_handler,
        judgment_type=judgment("ruling_withdrawn"),
        judgment_on=date(2025, 3, 3),
        served_on=date(2025, 3, 5),
    )
    assert withdrawn.case.status == Case.Status.CLOSED and withdrawn.result == Result.OTHER


def test_an_appeal_is_linked_and_an_upheld_appeal_keeps_the_result_below(urban_handler, urban):
    first = sue(urban_handler, urban)
    services.judgment_record(
        lawsuit=first,
        actor=urban_handler,
        judgment_type=judgment("annul"),
        judgment_on=date(2025, 4, 25),
        served_on=date(2025, 4, 28),
    )
    services.lawsuit_conclude(
        lawsuit=first, actor=urban_handler, appealed_by="defendant", concluded_on=date(2025, 5, 9)
    )

    second = sue(
        urban_handler,
        urban,
        instance="second",
        appeal_of=first,
        court="明湖市中级人民法院",
        court_number="（2025）鲁99行终3号",
        filed_on=date(2025, 6, 3),
        complaint_received_on=date(2025, 6, 5),
    )
    services.judgment_record(
        lawsuit=second,
        actor=urban_handler,
        judgment_type=judgment("appeal_dismissed"),
        judgment_on=date(2025, 8, 1),
        served_on=date(2025, 8, 4),
    )

    assert first.appeals.get() == second
    assert second.result == Result.LOST  # 驳回上诉、维持原判 of a lost judgment
    assert second.case.status == Case.Status.CLOSED  # a 二审 judgment is final


def test_the_win_loss_mapping_is_data(urban_handler, urban):
    lawsuit = sue(urban_handler, urban)
    services.judgment_record(
        lawsuit=lawsuit,
        actor=urban_handler,
        judgment_type=judgment("ruling_withdrawn_after_change"),
        judgment_on=date(2025, 3, 3),
        served_on=date(2025, 3, 5),
    )
    assert lawsuit.result == Result.OTHER

    judgment("ruling_withdrawn_after_change").__class__.objects.filter(
        code="ruling_withdrawn_after_change"
    ).update(result="lost")

    assert Lawsuit.objects.get(pk=lawsuit.pk).result == Result.LOST


def test_hearings_are_recorded_by_defendants_only(urban_handler, urban, market_handler):
    lawsuit = sue(urban_handler, urban)
    for stranger in (market_handler, UserFactory(), user_with_role(Role.LEADER, urban)):
        with pytest.raises(PermissionDenied):
            hearing_on(lawsuit, stranger)
    assert not CourtHearing.objects.exists()
