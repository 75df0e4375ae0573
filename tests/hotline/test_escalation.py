"""督办升级 by rule: 催办 → 督办 → 挂牌督办, visible on the unit's workbench, idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fazhi.cases import selectors as case_selectors
from fazhi.cases import services as case_services
from fazhi.cases.models import Case, Supervision
from fazhi.core.calendar import get_calendar
from fazhi.hotline import escalation, quality, services
from fazhi.hotline.models import EscalationRule
from fazhi.org.models import Role
from tests.hotline.factories import register
from tests.hotline.test_quality import VAGUE_REPLY
from tests.hotline.test_services import GOOD_REPLY, replied, signed
from tests.org.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(city):
    return user_with_role(Role.SUPERVISOR, scope="all")


@pytest.fixture
def late(operator, community, road_rule, urban_handler):
    """Registered 2024-09-23 with a five-workday limit: long overdue today."""
    ticket = register(operator, community)
    signed(ticket, urban_handler)
    return ticket


def levels(case) -> list[int]:
    return sorted(Supervision.objects.filter(case=case).values_list("level", flat=True))


def test_the_default_rules_are_loaded_as_data():
    assert EscalationRule.objects.filter(trigger="overdue", level=1).exists()
    assert EscalationRule.objects.filter(trigger="lapsed", level=3).exists()


def test_an_overdue_request_is_urged_once_and_the_unit_leader_sees_it(late, supervisor, urban):
    counts = escalation.escalation_sweep(actor=supervisor)

    assert counts["urge"] == 1
    supervision = Supervision.objects.get(case=late.case)
    assert supervision.level == Supervision.Level.URGE and "超期" in supervision.reason
    assert supervision.issued_by == supervisor
    leader = user_with_role(Role.UNIT_LEADER, urban)
    assert list(case_selectors.supervisions_received(leader)) == [supervision]
    # Running it again changes nothing.
    assert escalation.escalation_sweep(actor=supervisor)["urge"] == 0
    assert levels(late.case) == [1]


def test_an_urge_left_unanswered_past_its_deadline_becomes_supervision_then_listed(late, supervisor):
    calendar = get_calendar()
    today = timezone.localdate()
    escalation.escalation_sweep(actor=supervisor, today=today)
    Supervision.objects.filter(case=late.case).update(due_date=calendar.add_workdays(today, -2))

    assert escalation.escalation_sweep(actor=supervisor, today=today)["supervise"] == 1
    Supervision.objects.filter(case=late.case, level=2).update(due_date=calendar.add_workdays(today, -2))
    assert escalation.escalation_sweep(actor=supervisor, today=today)["listed"] == 1
    assert levels(late.case) == [1, 2, 3]


def test_a_request_reopened_twice_is_put_under_supervision(
    operator, community, road_rule, urban_handler, supervisor
):
    ticket = replied(operator, community, urban_handler)
    for _ in range(2):
        case_services.case_reopen(
            case=ticket.case, actor=operator, reason="回访不满意，重办", to_stage="handle"
        )
        services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)
    case_services.case_reopen(
        case=ticket.case, actor=operator, reason="回访仍不满意，重办", to_stage="handle"
    )

    counts = escalation.escalation_sweep(actor=supervisor)

    assert counts["supervise"] == 1 and levels(ticket.case) == [2]


def test_a_reply_sent_back_as_perfunctory_is_urged(operator, community, road_rule, urban_handler, supervisor):
    ticket = register(operator, community, received_at=timezone.now() - timedelta(days=1))
    signed(ticket, urban_handler)
    reply = services.reply_submit(ticket=ticket, actor=urban_handler, **VAGUE_REPLY)
    quality.reply_send_back(reply=reply, actor=operator, reason="未写明修补时间和结果")

    assert escalation.escalation_sweep(actor=supervisor)["urge"] == 1
    assert "敷衍" in Supervision.objects.get(case=ticket.case).reason


def test_a_supervisor_of_another_area_does_not_reach_the_unit(late):
    elsewhere = user_with_role(Role.SUPERVISOR, UnitFactory())

    counts = escalation.escalation_sweep(actor=elsewhere)

    assert counts["out_of_scope"] == 1 and not Supervision.objects.exists()


def test_a_suspended_or_closed_request_is_not_escalated(late, urban_handler, supervisor):
    services.reply_submit(ticket=late, actor=urban_handler, **GOOD_REPLY)
    assert Case.objects.get(pk=late.case_id).status == Case.Status.CLOSED

    assert escalation.escalation_sweep(actor=supervisor)["urge"] == 0


def test_the_command_needs_a_supervisor_account(late, settings, urban_handler, supervisor, capsys):
    settings.FAZHI_HOTLINE_SUPERVISOR = ""
    with pytest.raises(CommandError, match="FAZHI_HOTLINE_SUPERVISOR"):
        call_command("hotline", "escalate")
    with pytest.raises(CommandError, match="不是法治督察人员"):
        call_command("hotline", "escalate", "--as", urban_handler.username)

    settings.FAZHI_HOTLINE_SUPERVISOR = supervisor.username
    call_command("hotline", "escalate")

    assert "催办 1 件" in capsys.readouterr().out


def test_the_one_daily_sweep_escalates_hotline_requests_as_the_configured_supervisor(
    late, supervisor, settings
):
    settings.FAZHI_HOTLINE_SUPERVISOR = supervisor.username
    out = StringIO()

    call_command("sweep", stdout=out)
    call_command("sweep", stdout=StringIO())

    assert "12345热线：催办1件" in out.getvalue()
    assert levels(late.case) == [1]  # the second run changed nothing


def test_without_a_supervisor_account_the_daily_sweep_says_escalation_waits(late, settings):
    settings.FAZHI_HOTLINE_SUPERVISOR = "nobody-configured"
    out = StringIO()

    call_command("sweep", stdout=out)

    assert "未配置督办账号" in out.getvalue() and levels(late.case) == []
