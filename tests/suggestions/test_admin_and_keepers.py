"""Sessions and deputies, escalation rules and committees: kept through the services, in the admin
by the system administrator and on the staff pages by supervisors; the escalation command."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.cases.models import Supervision
from fazhi.core.models import AuditEvent
from fazhi.mediation.models import Committee
from fazhi.org.models import Role
from fazhi.suggestions.models import EscalationRule, Representative, Session
from tests.org.factories import PASSWORD, UserFactory, admin_user
from tests.suggestions.factories import register

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


SESSION = {
    "body": "congress",
    "name": "濮阳市第八届人民代表大会第五次会议",
    "term": "8",
    "meeting": "5",
    "opened_on": "2025-01-08",
    "period": "",
    "return_window": "5wd",
    "rehandle_period": "3m",
}


def test_the_system_administrator_adds_a_session_in_the_admin(client, justice):
    sysadmin = admin_user(Role.SYSTEM_ADMIN, justice)
    response = login(client, sysadmin).post(
        reverse("admin:suggestions_session_add"), {**SESSION, "is_active": "on"}
    )
    assert response.status_code == 302
    assert Session.objects.get().name == SESSION["name"]
    assert AuditEvent.objects.filter(action="suggestions.session_saved").exists()


def test_a_bad_period_in_the_admin_names_the_field(client, justice):
    sysadmin = admin_user(Role.SYSTEM_ADMIN, justice)
    response = login(client, sysadmin).post(
        reverse("admin:suggestions_session_add"), {**SESSION, "return_window": "五个工作日"}
    )
    assert response.status_code == 200 and "5wd" in response.content.decode()
    assert not Session.objects.exists()


def test_the_admin_is_closed_to_supervisors(client, supervisor):
    assert login(client, supervisor).get(reverse("admin:suggestions_session_changelist")).status_code in (
        302,
        403,
    )


@pytest.mark.parametrize("name", ["suggestions:sessions", "suggestions:representatives"])
def test_keeper_pages_follow_the_roles(client, supervisor, housing_handler, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 403
    client.logout()
    assert login(client, housing_handler).get(url).status_code == 403
    client.logout()
    assert login(client, supervisor).get(url).status_code == 200


def test_a_supervisor_adds_a_session_and_a_member_with_a_masked_phone(client, supervisor):
    login(client, supervisor)
    assert client.post(reverse("suggestions:sessions"), SESSION).status_code == 302
    response = client.post(
        reverse("suggestions:representatives"),
        {
            "body": "cppcc",
            "name": "李红梅",
            "group": "经济界",
            "organisation": "某公司董事长",
            "phone": "13712345678",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "137****5678" in page and "13712345678" not in page
    assert Representative.objects.get().get_phone_masked() == "137****5678"


def test_the_escalation_command_supervises_overdue_suggestions(supervisor, housing, court):
    suggestion = register(supervisor, housing, court)
    EscalationRule.objects.create(
        name="超期即催办",
        case_type=suggestion.case.case_type,
        level=Supervision.Level.URGE,
        issued_by=supervisor,
    )
    out = StringIO()
    call_command("suggestions_escalate", stdout=out)
    assert "发出督办 1 件" in out.getvalue()
    assert suggestion.case.supervisions.get().level == Supervision.Level.URGE


def test_the_system_administrator_registers_a_committee_in_the_admin(client, justice, housing):
    sysadmin = admin_user(Role.SYSTEM_ADMIN, justice)
    response = login(client, sysadmin).post(
        reverse("admin:mediation_committee_add"),
        {
            "name": "濮阳市医疗纠纷人民调解委员会",
            "kind": "industry",
            "unit": justice.pk,
            "region": justice.region_id,
            "established_on": "2015-06-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Committee.objects.get().unit == justice
    assert date(2015, 6, 1) == Committee.objects.get().established_on
