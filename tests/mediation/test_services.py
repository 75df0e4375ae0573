"""人民调解 on the case engine: intake with its sources and parties, sessions, outcomes, 司法确认."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.cases import services as case_services
from fazhi.cases.models import Case
from fazhi.core import crypto
from fazhi.core.models import AuditEvent
from fazhi.mediation import selectors, services
from fazhi.mediation.models import Committee, Dispute, Mediator, Outcome, Party, Referral, Source
from fazhi.mediation.services import PartyData
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.mediation.factories import AGREEMENT, register
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(street_handler, committee, community, mediator):
    return register(street_handler, committee, community, mediator=mediator)


def succeed(dispute, actor, on=date(2024, 9, 10), **kwargs):
    kwargs.setdefault("agreement_form", Dispute.AgreementForm.WRITTEN)
    kwargs.setdefault("agreement_text", AGREEMENT)
    kwargs.setdefault("parties_told", True)
    return services.dispute_conclude(
        dispute=dispute, actor=actor, outcome=Outcome.SUCCESS, concluded_on=on, **kwargs
    )


# --- intake -----------------------------------------------------------------------------------------


def test_a_dispute_is_handled_by_the_committees_street_within_thirty_days(dispute, street):
    case = dispute.case
    assert case.case_type.code == "mediation"
    assert case.handling_unit == street
    # 30 days from 3 September 2024 fall on 3 October, inside the National Day holiday.
    assert case.due_date == date(2024, 10, 8)
    assert dispute.parties.count() == 2


def test_parties_are_encrypted_and_kept_out_of_the_audit_trail(dispute):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, id_number FROM mediation_party WHERE role = 'applicant'")
        stored = cursor.fetchone()
    assert all(crypto.is_encrypted(value) for value in stored)
    applicant = dispute.parties.get(role=Party.Role.APPLICANT)
    assert (applicant.get_name_masked(), applicant.get_phone_masked()) == ("张*", "138****1234")
    assert applicant.get_id_number_masked() == "410902********1234"
    events = AuditEvent.objects.filter(action="mediation.registered")
    assert events.count() == 1
    assert "张三" not in str(events.get().after) + events.get().target_label


def test_a_12345_referral_links_the_hotline_request(street_handler, committee, community, street):
    hotline = open_case(street, code="hotline", title="楼上漏水邻里纠纷")

    dispute = register(street_handler, committee, community, source=Source.HOTLINE, hotline_case=hotline)

    assert dispute.hotline_case == hotline
    assert list(hotline.mediations.all()) == [dispute]


def test_a_12345_referral_needs_a_request_the_registrar_can_see(
    street_handler, committee, community, other_street
):
    elsewhere = open_case(other_street, code="hotline")
    reconsideration = open_case(committee.unit, code="reconsideration")
    for source, linked, words in (
        (Source.HOTLINE, None, "请填写工单编号"),
        (Source.HOTLINE, elsewhere, "找不到您可查看的12345工单"),
        (Source.HOTLINE, reconsideration, "找不到您可查看的12345工单"),
        (Source.APPLICATION, reconsideration, "只有来源为"),
    ):
        with pytest.raises(ValidationError) as raised:
            register(street_handler, committee, community, source=source, hotline_case=linked)
        assert words in raised.value.message_dict["hotline_case"][0]


def test_a_pre_litigation_referral_names_the_courts_reference(street_handler, committee, community):
    with pytest.raises(ValidationError) as raised:
        register(street_handler, committee, community, source=Source.PRE_LITIGATION)
    assert "委派案号" in raised.value.message_dict["referral_reference"][0]
    dispute = register(
        street_handler,
        committee,
        community,
        source=Source.PRE_LITIGATION,
        referral_reference="（2024）豫0902民诉前调1234号",
    )
    assert dispute.get_source_display() == "法院诉前委派"


def test_intake_names_each_bad_party(street_handler, committee, community):
    with pytest.raises(ValidationError) as raised:
        register(street_handler, committee, community, parties=[PartyData(role="applicant", name="张三")])
    assert "至少两方" in raised.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as raised:
        register(
            street_handler,
            committee,
            community,
            parties=[
                PartyData(role="applicant", name="张三"),
                PartyData(role="respondent", name=" ", phone="abc"),
            ],
        )
    assert (
        raised.value.message_dict["parties"][0]
        == "第2位当事人未填写姓名或名称；第2位当事人的联系电话应为数字。"
    )
    assert not Case.objects.exists()


def test_only_the_committees_street_registers(other_handler, committee, community):
    with pytest.raises(PermissionDenied):
        register(other_handler, committee, community)
    with pytest.raises(PermissionDenied):
        register(UserFactory(), committee, community)


# --- sessions and outcomes ----------------------------------------------------------------------------


def test_a_session_is_recorded_with_the_committees_mediators(
    dispute, street_handler, mediator, other_committee
):
    outsider = Mediator.objects.create(committee=other_committee, name="钱立新")
    with pytest.raises(ValidationError) as raised:
        services.session_record(
            dispute=dispute,
            actor=street_handler,
            held_on=date(2024, 9, 5),
            place="幸福社区调解室",
            summary="听取双方陈述，释明相邻关系的法律规定。",
            mediators=[outsider],
        )
    assert "幸福社区人民调解委员会的调解员" in raised.value.message_dict["mediators"][0]

    session = services.session_record(
        dispute=dispute,
        actor=street_handler,
        held_on=date(2024, 9, 5),
        place="幸福社区调解室",
        summary="听取双方陈述，释明相邻关系的法律规定。",
        mediators=[mediator],
    )
    assert list(session.mediators.all()) == [mediator]
    assert dispute.case.timeline.filter(note__contains="幸福社区调解室").exists()


@pytest.mark.parametrize(
    ("effective", "deadline"),
    [
        (date(2024, 5, 6), date(2024, 6, 5)),
        # Thirty days end on 3 October (National Day); the first working day after is the 8th.
        (date(2024, 9, 3), date(2024, 10, 8)),
        # … on 14 February 2024 (Spring Festival); the next working day is the make-up Sunday the 18th.
        (date(2024, 1, 15), date(2024, 2, 18)),
    ],
)
def test_the_judicial_confirmation_window_is_thirty_days_on_the_work_calendar(
    street_handler, committee, community, effective, deadline
):
    dispute = register(
        street_handler, committee, community, received_at=at(effective.year, effective.month, effective.day)
    )

    succeed(dispute, street_handler, on=effective)

    dispute.refresh_from_db()
    assert dispute.confirmation_deadline == deadline
    assert dispute.case.status == Case.Status.CLOSED
    assert f"已告知当事人可于{deadline:%Y-%m-%d}前共同申请司法确认" in dispute.case.timeline.last().note


def test_success_needs_the_agreement_and_the_parties_told(dispute, street_handler):
    with pytest.raises(ValidationError) as raised:
        services.dispute_conclude(
            dispute=dispute, actor=street_handler, outcome=Outcome.SUCCESS, concluded_on=date(2024, 9, 10)
        )
    errors = raised.value.message_dict
    assert {"agreement_form", "agreement_text", "parties_told"} <= set(errors)
    assert Case.objects.get(pk=dispute.case_id).status == Case.Status.OPEN


def test_failure_tells_the_parties_where_to_go(dispute, street_handler):
    with pytest.raises(ValidationError) as raised:
        services.dispute_conclude(dispute=dispute, actor=street_handler, outcome=Outcome.FAILURE)
    assert "人民调解法第二十六条" in raised.value.message_dict["referral"][0]

    services.dispute_conclude(
        dispute=dispute,
        actor=street_handler,
        outcome=Outcome.FAILURE,
        concluded_on=date(2024, 9, 20),
        referral=Referral.LITIGATION,
        failure_reason="被申请人拒不到场，双方分歧较大。",
    )
    dispute.refresh_from_db()
    assert dispute.outcome == Outcome.FAILURE and dispute.confirmation_deadline is None
    assert "已告知当事人向人民法院起诉" in dispute.case.timeline.last().note


def test_a_suspension_moves_the_mediation_deadline(street_handler, committee, community):
    dispute = register(street_handler, committee, community, received_at=at(2024, 5, 6))
    assert dispute.case.due_date == date(2024, 6, 5)
    case_services.case_suspend(
        case=dispute.case,
        actor=street_handler,
        kind="awaiting",
        reason="申请人外出务工，待其返回后调解",
        on=date(2024, 5, 10),
    )
    with pytest.raises(ValidationError, match="中止状态"):
        succeed(dispute, street_handler)

    case_services.case_resume(case=dispute.case, actor=street_handler, on=date(2024, 5, 20))

    # Ten days stood still: 15 June 2024 is a Saturday, so the 17th.
    assert Case.objects.get(pk=dispute.case_id).due_date == date(2024, 6, 17)


def test_only_the_handling_street_concludes(dispute, other_handler):
    with pytest.raises(PermissionDenied):
        succeed(dispute, other_handler)


def test_judicial_confirmation_is_recorded_only_within_the_window(dispute, street_handler):
    succeed(dispute, street_handler, on=date(2024, 9, 3))  # deadline 8 October 2024
    with pytest.raises(ValidationError) as raised:
        services.confirmation_record(
            dispute=dispute, actor=street_handler, applied_on=date(2024, 10, 9), court="华龙区人民法院"
        )
    assert "已超过申请司法确认的期限（2024-10-08）" in raised.value.message_dict["applied_on"][0]

    services.confirmation_record(
        dispute=dispute, actor=street_handler, applied_on=date(2024, 10, 8), court="华龙区人民法院"
    )
    assert Dispute.objects.get(pk=dispute.pk).confirmation_applied_on == date(2024, 10, 8)


# --- committees -----------------------------------------------------------------------------------------


def test_committees_are_kept_by_the_streets_leader_or_a_supervisor(
    street, community, street_handler, justice_supervisor
):
    leader = user_with_role(Role.UNIT_LEADER, street)
    committee = services.committee_save(
        actor=leader,
        committee=Committee(
            name="中原路街道人民调解委员会", kind=Committee.Kind.TOWNSHIP, unit=street, region=community
        ),
    )
    mediator = services.mediator_save(
        actor=justice_supervisor, mediator=Mediator(committee=committee, name="孙德明", phone="0393-8881234")
    )
    assert mediator.get_phone_masked().endswith("1234")
    with pytest.raises(PermissionDenied):
        services.committee_save(
            actor=street_handler,
            committee=Committee(
                name="另一个委员会", kind=Committee.Kind.TOWNSHIP, unit=street, region=community
            ),
        )
    with pytest.raises(ValidationError) as raised:
        services.mediator_save(actor=leader, mediator=Mediator(committee=committee, name="孙德明"))
    assert "已有调解员孙德明" in raised.value.message_dict["name"][0]


# --- figures ---------------------------------------------------------------------------------------------


def test_settlement_figures_by_committee_and_area_trace_to_their_cases(
    street_handler,
    other_handler,
    committee,
    other_committee,
    community,
    other_street_region,
    justice_supervisor,
):
    won = register(street_handler, committee, community, received_at=at(2024, 3, 4))
    succeed(won, street_handler, on=date(2024, 3, 8))
    lost = register(street_handler, committee, community, received_at=at(2024, 3, 5))
    services.dispute_conclude(
        dispute=lost,
        actor=street_handler,
        outcome=Outcome.FAILURE,
        concluded_on=date(2024, 3, 20),
        referral=Referral.ARBITRATION,
        failure_reason="双方对赔偿数额分歧较大。",
    )
    register(street_handler, committee, community, received_at=at(2024, 4, 1))  # still open
    elsewhere = register(other_handler, other_committee, other_street_region, received_at=at(2024, 4, 2))
    succeed(elsewhere, other_handler, on=date(2024, 4, 3))
    register(street_handler, committee, community, received_at=at(2023, 12, 1))  # another year

    from fazhi.suggestions.figures import DateRange

    year = DateRange(date(2024, 1, 1), date(2024, 12, 31))
    rows, total, _ = selectors.figures(justice_supervisor, dates=year)
    by_name = {row.label: row for row in rows}

    mine = by_name["幸福社区人民调解委员会"]
    assert (mine.counts["received"], mine.counts["concluded"], mine.counts["success"]) == (3, 2, 1)
    assert str(mine.rates["settle_rate"]) == "66.7" and str(mine.rates["success_rate"]) == "50.0"
    assert str(mine.rates["success_rate_received"]) == "33.3"
    assert (total.counts["received"], total.counts["success"]) == (4, 2)
    by_street = {
        row.label: row.counts["received"]
        for row in selectors.figures(justice_supervisor, dates=year, group="street")[0]
    }
    assert by_street == {"中原路街道": 3, "胜利路街道": 1}
    drill = selectors.disputes_list(justice_supervisor, committee=committee.pk, figure="success", dates=year)
    assert list(drill) == [won]
    # A street's handler sees only its own committee's figures.
    assert [row.label for row in selectors.figures(other_handler, dates=year)[0]] == [
        "胜利路街道人民调解委员会"
    ]


@settings(max_examples=200, deadline=None)
@given(effective=st.dates(min_value=date(2016, 1, 1), max_value=date(2025, 11, 30)))
def test_the_confirmation_deadline_is_the_first_working_day_from_the_thirtieth_day(effective):
    from fazhi.core.calendar import get_calendar

    calendar = get_calendar()
    deadline = services.confirmation_deadline(effective)
    thirtieth = effective + timedelta(days=30)
    assert deadline >= thirtieth and calendar.is_workday(deadline)
    assert all(
        not calendar.is_workday(thirtieth + timedelta(days=n)) for n in range((deadline - thirtieth).days)
    )
