import pytest
from django.urls import reverse

from fazhi.cases.models import CaseType
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.cases.factories import open_case
from tests.org.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def test_system_admin_edits_a_local_hotline_limit_and_it_is_audited(client):
    admin_user = user_with_role(Role.SYSTEM_ADMIN)
    client.login(username=admin_user.username, password=PASSWORD)
    hotline = CaseType.objects.get(code="hotline")
    url = reverse("admin:cases_casetype_change", args=[hotline.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"period": "3wd", "allowed_suspensions": ["awaiting"], "extension_approver_role": "operator"})
    for key in ("stages-TOTAL_FORMS", "stages-INITIAL_FORMS"):
        data[key] = "0"
    data["roll_forward"] = "on"
    data["is_active"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CaseType.objects.get(code="hotline").period == "3wd"
    assert AuditEvent.objects.filter(
        action="admin.cases.casetype.changed", target_id=str(hotline.pk)
    ).exists()


def test_a_malformed_period_is_refused_with_a_chinese_message(client):
    admin_user = user_with_role(Role.SYSTEM_ADMIN)
    client.login(username=admin_user.username, password=PASSWORD)
    hotline = CaseType.objects.get(code="hotline")
    url = reverse("admin:cases_casetype_change", args=[hotline.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"period": "五天", "stages-TOTAL_FORMS": "0", "stages-INITIAL_FORMS": "0"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "办理期限" in str(response.context["adminform"].form.errors)
    assert CaseType.objects.get(code="hotline").period == "5wd"


def test_cases_are_read_only_in_the_admin(client, unit):
    case = open_case(unit)
    admin_user = user_with_role(Role.SYSTEM_ADMIN)
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), {"title": "改标题"})
    assert response.status_code == 403


def test_handlers_cannot_enter_the_admin(client, handler):
    client.login(username=handler.username, password=PASSWORD)
    response = client.get(reverse("admin:cases_casetype_changelist"))
    assert response.status_code in (302, 403)
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()
