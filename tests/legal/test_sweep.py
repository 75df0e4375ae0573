"""`fazhi sweep` runs every domain's daily rules, then the engine's reminders; twice is once."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.cases.management.commands import sweep
from fazhi.cases.models import Notice, Supervision
from fazhi.legal.models import Reconsideration
from fazhi.org.models import Unit
from fazhi.suggestions.models import EscalationRule
from tests.legal.factories import apply
from tests.org.factories import UnitFactory
from tests.suggestions.factories import register

pytestmark = pytest.mark.django_db


def run(today: str) -> str:
    out = StringIO()
    call_command("sweep", today=today, stdout=out)
    return out.getvalue()


def test_every_domain_with_daily_rules_takes_part_in_the_one_sweep():
    labels = [config.label for config in sweep.sweep_steps()]
    assert {"legal", "suggestions"} <= set(labels)
    assert labels.index("legal") < labels.index("suggestions")  # INSTALLED_APPS order


def test_one_daily_sweep_deems_acceptance_escalates_and_reminds_and_a_second_run_changes_nothing(
    clerk, body, urban, supervisor, city
):
    # given an application received 26 Sep 2024 whose review lapsed on 10 Oct, and a 司法建议
    # due 27 Nov 2024 with an escalation rule "overdue → 催办"
    rec = apply(clerk, body, urban)
    court = UnitFactory(name="明湖市中级人民法院", kind=Unit.Kind.COURT, region=city)
    suggestion = register(supervisor, urban, court)
    EscalationRule.objects.create(
        name="超期即催办",
        case_type=suggestion.case.case_type,
        level=Supervision.Level.URGE,
        issued_by=supervisor,
    )

    # when the scheduler runs the sweep on 28 Nov 2024, and again
    first = run("2024-11-28")
    notices = Notice.objects.count()
    second = run("2024-11-28")

    # then the application was deemed accepted, the suggestion urged, reminders sent — once
    rec.refresh_from_db()
    assert rec.acceptance == Reconsideration.Acceptance.DEEMED and rec.accepted_on == date(2024, 10, 10)
    assert suggestion.case.supervisions.get().level == Supervision.Level.URGE
    assert "行政复议与行政应诉：视为受理 1 件" in first and "发出督办 1 件" in first
    assert "超期提醒" in first and notices > 0
    assert "视为受理 0 件" in second and "发出督办 0 件" in second and "超期提醒 0 条" in second
    assert Notice.objects.count() == notices


def test_a_failing_step_does_not_stop_the_others_and_the_exit_status_says_so(clerk, body, urban, monkeypatch):
    rec = apply(clerk, body, urban)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("fazhi.suggestions.services.overdue_escalate", broken)
    out = StringIO()
    with pytest.raises(CommandError, match="司法建议"):
        call_command("sweep", today="2024-11-28", stdout=out)
    rec.refresh_from_db()
    assert rec.acceptance == Reconsideration.Acceptance.DEEMED
    assert "临期提醒" in out.getvalue()


def test_a_malformed_date_is_refused_in_chinese():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep", today="28/11/2024")
