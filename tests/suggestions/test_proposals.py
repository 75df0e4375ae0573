"""人大代表建议 / 政协提案: assignment, return, contact, answer, feedback and re-handling, disclosure."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from fazhi.cases.models import Case, CaseUnit, Notice
from fazhi.core import crypto
from fazhi.core.models import AuditEvent
from fazhi.suggestions import selectors, services
from fazhi.suggestions.models import (
    Body,
    Grade,
    ProposalContact,
    ProposalReturn,
    Representative,
    Satisfaction,
    Session,
)
from tests.cases.factories import at
from tests.org.factories import UserFactory
from tests.suggestions.factories import propose, representative, session

pytestmark = pytest.mark.django_db

ANSWER = "经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程并提高补贴标准，具体情况如下。"


@pytest.fixture
def congress(db):
    return session(Body.CONGRESS)


@pytest.fixture
def proposal(dispatcher, housing, urban, congress):
    return propose(dispatcher, housing, session=congress, co_units=[urban])


def contact(proposal, actor, on=date(2024, 3, 5)):
    return services.proposal_contact(
        proposal=proposal,
        actor=actor,
        method=ProposalContact.Method.VISIT,
        note="走访王建国代表，听取对加装电梯补贴标准的意见。",
        contacted_on=on,
    )


def answer(proposal, actor, on=date(2024, 5, 10), grade=Grade.A):
    return services.proposal_answer(proposal=proposal, actor=actor, grade=grade, text=ANSWER, answered_on=on)


# --- assignment -----------------------------------------------------------------------------------


def test_assignment_gives_the_lead_unit_three_months_and_tells_both_units(proposal, housing, urban, office):
    case = proposal.case
    assert case.case_type.code == "deputy_suggestion"
    assert case.handling_unit == housing
    assert case.due_date == date(2024, 5, 20)
    assert proposal.assigning_unit == office
    assert case.case_units.get(role=CaseUnit.Role.CO).unit == urban
    assert set(Notice.objects.filter(case=case, kind="assigned").values_list("unit", flat=True)) == {
        housing.pk,
        urban.pk,
    }
    assert AuditEvent.objects.filter(action="suggestions.proposal_registered").exists()


def test_a_session_may_set_its_own_period(dispatcher, housing):
    # 四川: proposals made during the CPPCC plenary are answered within five months.
    plenary = session(Body.CPPCC, period="5m")
    member = representative(Body.CPPCC, name="李红梅", group="经济界")

    proposal = propose(dispatcher, housing, session=plenary, lead_proposer=member)

    assert proposal.case.case_type.code == "cppcc_proposal"
    assert proposal.case.due_date == date(2024, 7, 22)  # 20 July 2024 is a Saturday


def test_assignment_checks_the_proposer_the_number_and_the_date(dispatcher, housing, congress):
    propose(dispatcher, housing, session=congress, number="0001")
    member = representative(Body.CPPCC, name="李红梅", group="经济界")
    with pytest.raises(ValidationError) as raised:
        propose(
            dispatcher,
            housing,
            session=congress,
            number="0001",
            lead_proposer=member,
            received_at=at(2024, 1, 2),
        )
    errors = raised.value.message_dict
    assert "已登记" in errors["number"][0]
    assert "不是人民代表大会的代表" in errors["lead_proposer"][0]
    assert "不能早于会议开幕日期" in errors["received_at"][0]


def test_only_the_assigning_office_assigns(housing_handler, housing, congress):
    with pytest.raises(PermissionDenied):
        propose(housing_handler, housing, session=congress)
    with pytest.raises(PermissionDenied):
        propose(UserFactory(), housing, session=congress)


# --- contact before the answer -----------------------------------------------------------------------


def test_the_answer_needs_a_recorded_contact_with_the_deputy(proposal, housing_handler):
    with pytest.raises(ValidationError) as raised:
        answer(proposal, housing_handler)
    assert "沟通联系" in raised.value.message_dict["contacted"][0]

    contact(proposal, housing_handler)
    result = answer(proposal, housing_handler)

    case = Case.objects.get(pk=proposal.case_id)
    assert case.status == Case.Status.CLOSED
    assert result.on_time and result.grade == Grade.A and result.due_date == date(2024, 5, 20)


def test_contact_moves_the_case_to_the_answer_stage(proposal, housing_handler):
    contact(proposal, housing_handler)
    case = Case.objects.get(pk=proposal.case_id)
    assert case.stage.code == "answer"
    assert case.stage_started_on == date(2024, 3, 5)
    # On the timeline on the day of the contact, not the day it was recorded.
    entry = case.timeline.get(action="advanced")
    assert "沟通联系" in entry.note and timezone.localdate(entry.at) == date(2024, 3, 5)


def test_a_co_handling_unit_records_its_own_contact_and_others_may_not(proposal, urban_handler, urban, city):
    from tests.org.factories import UnitFactory, user_with_role

    recorded = contact(proposal, urban_handler)
    assert recorded.unit == urban
    assert Case.objects.get(pk=proposal.case_id).stage.code == "handle"  # only the lead moves the stage

    stranger = user_with_role("handler", UnitFactory(region=city))
    with pytest.raises(PermissionDenied):
        contact(proposal, stranger)


def test_an_answer_after_the_deadline_is_late(proposal, housing_handler):
    contact(proposal, housing_handler)
    assert not answer(proposal, housing_handler, on=date(2024, 5, 21)).on_time


def test_an_approved_extension_moves_the_deadline_by_three_months(proposal, housing_handler, dispatcher):
    with pytest.raises(ValidationError, match="没有待审批"):
        services.proposal_extension_approve(proposal=proposal, actor=dispatcher)
    services.proposal_extension_request(
        proposal=proposal, actor=housing_handler, reason="涉及全市老旧小区普查和财政预算调整，处理难度大。"
    )
    with pytest.raises(PermissionDenied):
        services.proposal_extension_approve(proposal=proposal, actor=housing_handler)

    services.proposal_extension_approve(proposal=proposal, actor=dispatcher)

    case = Case.objects.get(pk=proposal.case_id)
    assert case.extended and case.due_date == date(2024, 8, 20)
    assert case.extensions.get().requested_by == housing_handler
    contact(proposal, housing_handler)
    assert answer(proposal, housing_handler, on=date(2024, 8, 20)).on_time


# --- misassignment return ---------------------------------------------------------------------------------


@pytest.fixture
def recent(dispatcher, housing, urban):
    """Assigned yesterday, in a session whose answer period ends inside the loaded calendar."""
    short = session(Body.CONGRESS, name="濮阳市人大常委会闭会期间", period="20d", opened_on=date(2024, 1, 1))
    return propose(dispatcher, housing, session=short, received_at=timezone.now() - timedelta(days=1))


def test_a_misassigned_proposal_goes_back_to_the_office_which_reassigns_it(
    recent, housing_handler, dispatcher, urban
):
    item = services.proposal_return(
        proposal=recent,
        actor=housing_handler,
        reason="该事项属于城市管理局职责，建议改由城市管理局主办。",
        suggested_unit=urban,
    )
    assert item in selectors.returns_pending(dispatcher)
    with pytest.raises(ValidationError, match="等待交办单位处理"):
        services.proposal_answer(proposal=recent, actor=housing_handler, grade=Grade.A, text=ANSWER)

    services.proposal_return_decide(item=item, actor=dispatcher, accept=True)

    case = Case.objects.get(pk=recent.case_id)
    item.refresh_from_db()
    assert case.handling_unit == urban and item.status == ProposalReturn.Status.ACCEPTED
    # 代表法 counts the answer period from 交办: the new unit's runs from the re-assignment.
    assert case.start_date == timezone.localdate()
    assert case.timeline.filter(action="clock_restarted").exists()
    assert not selectors.returns_pending(dispatcher).exists()


def test_the_office_may_keep_it_with_the_unit_giving_reasons(recent, housing_handler, dispatcher, housing):
    item = services.proposal_return(
        proposal=recent, actor=housing_handler, reason="本局认为该事项不属于本局职责。"
    )
    with pytest.raises(ValidationError) as raised:
        services.proposal_return_decide(item=item, actor=dispatcher, accept=False)
    assert "理由" in raised.value.message_dict["note"][0]
    with pytest.raises(PermissionDenied):
        services.proposal_return_decide(item=item, actor=housing_handler, accept=False, note="自己驳回自己")

    services.proposal_return_decide(
        item=item, actor=dispatcher, accept=False, note="加装电梯由住建部门牵头，请继续办理。"
    )

    assert Case.objects.get(pk=recent.case_id).handling_unit == housing
    assert ProposalReturn.objects.get().status == ProposalReturn.Status.REJECTED


def test_the_return_window_is_counted_in_working_days_from_assignment(proposal, housing_handler):
    # Assigned 20 February 2024; five working days end on the 27th.
    assert services.return_deadline(proposal) == date(2024, 2, 27)
    with pytest.raises(ValidationError, match="已超过退回时限（交办之日起5个工作日，截至2024-02-27）"):
        services.proposal_return(
            proposal=proposal, actor=housing_handler, reason="该事项不属于本局职责范围。"
        )


# --- feedback and re-handling ------------------------------------------------------------------------------


@pytest.fixture
def answered(dispatcher, housing):
    quick = session(Body.CONGRESS, name="濮阳市第八届人民代表大会第五次会议", rehandle_period="20d")
    proposal = propose(dispatcher, housing, session=quick)
    return proposal


def test_a_satisfied_deputy_closes_the_matter(answered, housing_handler, dispatcher):
    contact(answered, housing_handler)
    first = answer(answered, housing_handler)

    services.proposal_feedback(
        answer=first, actor=dispatcher, satisfaction=Satisfaction.BASIC, received_on=date(2024, 5, 20)
    )

    assert Case.objects.get(pk=answered.case_id).status == Case.Status.CLOSED
    assert selectors.proposal_get(dispatcher, answered.pk).satisfaction == Satisfaction.BASIC


def test_an_unsatisfied_deputy_sends_it_back_to_be_handled_and_answered_again(
    answered, housing_handler, dispatcher
):
    contact(answered, housing_handler)
    first = answer(answered, housing_handler)
    with pytest.raises(ValidationError) as raised:
        services.proposal_feedback(answer=first, actor=dispatcher, satisfaction=Satisfaction.UNSATISFIED)
    assert "具体意见" in raised.value.message_dict["note"][0]
    with pytest.raises(PermissionDenied):
        services.proposal_feedback(answer=first, actor=housing_handler, satisfaction=Satisfaction.SATISFIED)

    services.proposal_feedback(
        answer=first,
        actor=dispatcher,
        satisfaction=Satisfaction.UNSATISFIED,
        note="补贴标准仍偏低，未回应低楼层住户诉求。",
    )

    case = Case.objects.get(pk=answered.case_id)
    today = timezone.localdate()
    assert case.status == Case.Status.OPEN and case.stage.code == "handle"
    assert case.start_date == today
    # The earlier contact does not count for the new round.
    with pytest.raises(ValidationError) as raised:
        services.proposal_answer(proposal=answered, actor=housing_handler, grade=Grade.B, text=ANSWER)
    assert "沟通联系" in raised.value.message_dict["contacted"][0]
    contact(answered, housing_handler, on=today)
    second = services.proposal_answer(proposal=answered, actor=housing_handler, grade=Grade.B, text=ANSWER)
    assert second.round == 2 and second.on_time
    with pytest.raises(ValidationError, match="最近一次答复"):
        services.proposal_feedback(answer=first, actor=dispatcher, satisfaction=Satisfaction.SATISFIED)


# --- disclosure ------------------------------------------------------------------------------------------


def test_a_disclosed_answer_is_public_and_can_be_withdrawn(proposal, housing_handler, urban_handler):
    contact(proposal, housing_handler)
    first = answer(proposal, housing_handler)
    with pytest.raises(PermissionDenied):
        services.answer_disclose(answer=first, actor=urban_handler)

    services.answer_disclose(answer=first, actor=housing_handler)
    assert list(selectors.answers_public()) == [first]

    services.answer_disclose(answer=first, actor=housing_handler, disclose=False)
    assert not selectors.answers_public().exists()


# --- sessions and deputies ------------------------------------------------------------------------------


def test_session_periods_are_checked(dispatcher):
    bad = Session(
        body=Body.CONGRESS,
        name="濮阳市第八届人民代表大会第六次会议",
        term=8,
        meeting=6,
        opened_on=date(2025, 1, 8),
        period="三个月",
    )
    with pytest.raises(ValidationError) as raised:
        services.session_save(actor=dispatcher, session=bad)
    assert "5wd" in raised.value.message_dict["period"][0]


def test_a_deputys_phone_is_stored_encrypted_and_shown_masked(dispatcher, housing_handler):
    deputy = services.representative_save(
        actor=dispatcher,
        representative=Representative(
            body=Body.CONGRESS, name="张秀英", group="清丰县代表团", phone="138 1234 5678"
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM suggestions_representative WHERE id = %s", [deputy.pk])
        (raw,) = cursor.fetchone()
    assert crypto.is_encrypted(raw) and "5678" not in raw
    assert Representative.objects.get(pk=deputy.pk).get_phone_masked() == "138****5678"
    with pytest.raises(PermissionDenied):
        services.representative_save(
            actor=housing_handler,
            representative=Representative(body=Body.CONGRESS, name="李四", group="华龙区代表团"),
        )
