"""司法建议 / 检察建议 on the case engine: deadlines, replies, further replies and escalation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fazhi.cases.models import Case, Supervision
from fazhi.cases.services import case_reopen
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from fazhi.suggestions import services
from fazhi.suggestions.models import Adoption, EscalationRule, JudicialSuggestion
from tests.cases.factories import at
from tests.org.factories import UserFactory, user_with_role
from tests.suggestions.factories import GOOD_REPLY, kind, register

pytestmark = pytest.mark.django_db


# --- registration and the reply deadline ----------------------------------------------------------


def test_a_registered_suggestion_waits_in_the_addressee_units_hands_for_two_months(
    supervisor, housing, court
):
    suggestion = register(supervisor, housing, court, document_number="濮中法建〔2024〕3号")

    case = suggestion.case
    assert case.handling_unit == housing
    assert case.case_type.code == "judicial_suggestion"
    assert case.due_date == date(2024, 11, 27)
    assert suggestion.period_source == JudicialSuggestion.PeriodSource.CASE_TYPE
    assert AuditEvent.objects.filter(action="suggestions.registered", target_id=str(suggestion.pk)).exists()


@pytest.mark.parametrize(
    ("code", "urgent", "stated", "received", "due", "source"),
    [
        # 行诉解释 Art. 149: 60 days; 1 October is National Day, the first working day is the 8th.
        ("normative", False, "", date(2024, 8, 2), date(2024, 10, 8), "kind"),
        # 两高公益诉讼解释 Art. 21: two months, rolled over the National Day holiday.
        ("public_interest", False, "", date(2024, 8, 1), date(2024, 10, 8), "kind"),
        # … fifteen days when the harm keeps growing.
        ("public_interest", True, "", date(2024, 9, 16), date(2024, 10, 8), "urgent"),
        # Ends in the 2024 Spring Festival; the next working day is the make-up Sunday, 18 February.
        ("public_interest", True, "", date(2024, 1, 27), date(2024, 2, 18), "urgent"),
        # A period stated in the document beats the kind's; 27 October 2024 is a Sunday.
        ("comprehensive", False, "30d", date(2024, 9, 27), date(2024, 10, 28), "document"),
        # Two months from 31 December end on the last day of February (民法典 Art. 202).
        ("comprehensive", False, "", date(2024, 12, 31), date(2025, 2, 28), "case_type"),
    ],
)
def test_the_reply_deadline_follows_the_document_the_urgent_rule_or_the_kind(
    supervisor, housing, court, procuratorate, code, urgent, stated, received, due, source
):
    chosen = kind(code)
    issuer = court if chosen.case_type.code == "judicial_suggestion" else procuratorate

    suggestion = register(
        supervisor,
        housing,
        issuer,
        kind=chosen,
        urgent=urgent,
        stated_period=stated,
        received_at=at(received.year, received.month, received.day),
    )

    assert suggestion.case.due_date == due
    assert suggestion.period_source == source


def test_a_procuratorial_kind_must_come_from_a_procuratorate(supervisor, housing, court):
    with pytest.raises(ValidationError) as raised:
        register(supervisor, housing, court, kind=kind("public_interest"))
    assert "人民检察院" in raised.value.message_dict["issuer"][0]
    assert not Case.objects.exists()


def test_only_kinds_with_an_urgent_period_can_be_urgent(supervisor, housing, court):
    with pytest.raises(ValidationError) as raised:
        register(supervisor, housing, court, urgent=True)
    assert "没有紧急情形" in raised.value.message_dict["urgent"][0]


def test_the_same_document_is_not_registered_twice(supervisor, housing, court):
    register(supervisor, housing, court, document_number="濮中法建〔2024〕3号")
    with pytest.raises(ValidationError) as raised:
        register(supervisor, housing, court, document_number="濮中法建〔2024〕3号")
    assert "请勿重复登记" in raised.value.message_dict["document_number"][0]
    assert Case.objects.count() == 1


def test_a_bad_stated_period_is_refused_with_the_format(supervisor, housing, court):
    with pytest.raises(ValidationError) as raised:
        register(supervisor, housing, court, stated_period="两个月")
    assert "5wd" in raised.value.message_dict["stated_period"][0]


def test_a_unit_may_register_what_it_received_itself_but_not_for_another(
    housing_handler, housing, urban, court
):
    assert register(housing_handler, housing, court).case.handling_unit == housing
    with pytest.raises(PermissionDenied):
        register(housing_handler, urban, court)
    with pytest.raises(PermissionDenied):
        register(UserFactory(), housing, court)


# --- replies ----------------------------------------------------------------------------------------


@pytest.fixture
def suggestion(supervisor, housing, court):
    return register(supervisor, housing, court)


def test_a_reply_on_the_due_date_closes_the_case_on_time(suggestion, housing_handler):
    reply = services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 11, 27),
    )

    suggestion.case.refresh_from_db()
    assert suggestion.case.status == Case.Status.CLOSED
    assert timezone.localdate(suggestion.case.closed_at) == date(2024, 11, 27)
    assert reply.on_time and reply.round == 1 and reply.unit == suggestion.case.handling_unit


def test_a_reply_a_day_after_the_deadline_is_late(suggestion, housing_handler):
    reply = services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 11, 28),
    )
    assert not reply.on_time


@pytest.mark.parametrize("adoption", [Adoption.PARTLY, Adoption.NOT_ADOPTED])
def test_not_fully_adopting_needs_reasons(suggestion, housing_handler, adoption):
    with pytest.raises(ValidationError) as raised:
        services.suggestion_reply(
            suggestion=suggestion, actor=housing_handler, adoption=adoption, text=GOOD_REPLY
        )
    assert "请写明理由" in raised.value.message_dict["reasons"][0]

    reply = services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=adoption,
        text=GOOD_REPLY,
        reasons="涉及上位法调整，需报请省厅统一研究。",
        replied_on=date(2024, 10, 30),
    )
    assert reply.get_adoption_display() == adoption.label


def test_reply_dates_must_lie_between_receipt_and_today(suggestion, housing_handler):
    for day, words in (
        (date(2024, 9, 1), "不能早于"),
        (timezone.localdate() + timedelta(days=1), "不能晚于"),
    ):
        with pytest.raises(ValidationError) as raised:
            services.suggestion_reply(
                suggestion=suggestion,
                actor=housing_handler,
                adoption=Adoption.ADOPTED,
                text=GOOD_REPLY,
                replied_on=day,
            )
        assert words in raised.value.message_dict["replied_on"][0]


def test_only_the_addressee_unit_replies_and_only_once(
    suggestion, housing_handler, urban_handler, supervisor
):
    for outsider in (urban_handler, supervisor):
        with pytest.raises(PermissionDenied):
            services.suggestion_reply(
                suggestion=suggestion, actor=outsider, adoption=Adoption.ADOPTED, text=GOOD_REPLY
            )
    services.suggestion_reply(
        suggestion=suggestion, actor=housing_handler, adoption=Adoption.ADOPTED, text=GOOD_REPLY
    )
    with pytest.raises(ValidationError, match="已办结"):
        services.suggestion_reply(
            suggestion=suggestion, actor=housing_handler, adoption=Adoption.ADOPTED, text=GOOD_REPLY
        )


def test_a_request_for_a_further_reply_reopens_the_case_with_its_own_period(
    suggestion, housing_handler, supervisor
):
    services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.PARTLY,
        reasons="补偿标准调整需市政府研究。",
        text=GOOD_REPLY,
        replied_on=date(2024, 11, 20),
    )

    request = services.suggestion_follow_up(
        suggestion=suggestion, actor=supervisor, note="请报送补偿标准调整的落实情况。", period="30d"
    )

    case = Case.objects.get(pk=suggestion.case_id)
    today = timezone.localdate()
    assert request.round == 2
    assert case.status == Case.Status.OPEN and case.start_date == today
    assert case.timeline.filter(action="reopened").exists()
    second = services.suggestion_reply(
        suggestion=suggestion, actor=housing_handler, adoption=Adoption.ADOPTED, text=GOOD_REPLY
    )
    assert second.round == 2 and second.is_follow_up and second.on_time
    # The adoption status of the suggestion is now the latest reply's.
    from fazhi.suggestions.selectors import suggestion_get

    assert suggestion_get(supervisor, suggestion.pk).adoption == Adoption.ADOPTED


def test_a_further_reply_is_asked_for_by_a_supervisor_after_the_first_reply(
    suggestion, housing_handler, supervisor
):
    with pytest.raises(ValidationError, match="尚未回复"):
        services.suggestion_follow_up(suggestion=suggestion, actor=supervisor, note="请报送落实情况。")
    services.suggestion_reply(
        suggestion=suggestion, actor=housing_handler, adoption=Adoption.ADOPTED, text=GOOD_REPLY
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_follow_up(suggestion=suggestion, actor=housing_handler, note="请报送落实情况。")


# --- escalation through supervision ----------------------------------------------------------------


@pytest.fixture
def rules(supervisor, suggestion):
    case_type = suggestion.case.case_type
    return [
        EscalationRule.objects.create(
            name=name, case_type=case_type, overdue_by=margin, level=level, issued_by=supervisor
        )
        for name, margin, level in (
            ("超期即催办", "0d", Supervision.Level.URGE),
            ("超期10个工作日督办", "10wd", Supervision.Level.SUPERVISE),
        )
    ]


def test_the_sweep_supervises_an_overdue_suggestion_once_at_the_highest_level_due(
    rules, suggestion, supervisor
):
    first = services.overdue_escalate()
    again = services.overdue_escalate()

    supervisions = list(suggestion.case.supervisions.all())
    assert first["issued"] == 1 and again["issued"] == 0
    assert [s.level for s in supervisions] == [Supervision.Level.SUPERVISE]
    assert supervisions[0].issued_by == supervisor
    assert suggestion.case.notices.filter(kind="supervision").exists()


@pytest.mark.parametrize(
    ("today", "levels"),
    [
        (date(2024, 11, 27), []),  # due today: not overdue yet
        (date(2024, 11, 28), [Supervision.Level.URGE]),
        # Ten working days after 27 November is 11 December; escalated the day after.
        (date(2024, 12, 11), [Supervision.Level.URGE]),
        (date(2024, 12, 12), [Supervision.Level.URGE, Supervision.Level.SUPERVISE]),
    ],
)
def test_escalation_follows_the_overdue_margin_on_the_work_calendar(rules, suggestion, today, levels):
    # Each day's sweep in turn, up to `today`.
    for day in sorted({date(2024, 11, 28), today}):
        if day <= today:
            services.overdue_escalate(today=day)
    assert sorted(suggestion.case.supervisions.values_list("level", flat=True)) == levels


def test_answered_suggestions_are_not_escalated(rules, suggestion, housing_handler):
    services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 12, 20),
    )
    assert services.overdue_escalate()["issued"] == 0


def test_a_reopened_suggestion_is_escalated_again_on_its_new_clock(
    rules, suggestion, housing_handler, supervisor
):
    services.overdue_escalate()
    services.suggestion_reply(
        suggestion=suggestion, actor=housing_handler, adoption=Adoption.ADOPTED, text=GOOD_REPLY
    )
    case_reopen(case=suggestion.case, actor=supervisor, reason="建议机关要求补充回复落实情况", period="20d")
    # Not overdue on its new clock: nothing new.
    assert services.overdue_escalate()["issued"] == 0
    # Past the twenty days, it is, and is urged again.
    assert services.overdue_escalate(today=timezone.localdate() + timedelta(days=25))["issued"] == 1


def test_a_rule_issued_by_someone_who_may_not_supervise_the_unit_is_refused(suggestion, housing):
    stranger = user_with_role(Role.SUPERVISOR, scope="unit")
    EscalationRule.objects.create(
        name="越权", case_type=suggestion.case.case_type, level=Supervision.Level.URGE, issued_by=stranger
    )
    assert services.overdue_escalate() == {"issued": 0, "refused": 1, "beyond_calendar": 0}
    assert not Supervision.objects.exists()


def test_escalation_rules_must_name_a_supervisor(supervisor, housing_handler, suggestion):
    rule = EscalationRule(
        name="超期督办",
        case_type=suggestion.case.case_type,
        level=Supervision.Level.URGE,
        issued_by=housing_handler,
    )
    with pytest.raises(ValidationError) as raised:
        services.escalation_rule_save(actor=supervisor, rule=rule)
    assert "不是法治督察人员" in raised.value.message_dict["issued_by"][0]
    with pytest.raises(PermissionDenied):
        services.escalation_rule_save(actor=housing_handler, rule=rule)
