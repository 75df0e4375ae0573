import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.hotline.models import HandlingLimit, RoutingRule
from fazhi.org.models import Role
from tests.hotline.factories import category
from tests.org.factories import admin_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def system_admin(centre):
    return admin_user(Role.SYSTEM_ADMIN, centre)


def test_the_system_admin_keeps_the_routing_table_and_each_change_is_audited(
    client, system_admin, urban, housing
):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:hotline_routingrule_add"),
        {
            "name": "市政设施归城管",
            "priority": "10",
            "category": category("0101").pk,
            "request_type": "",
            "keywords": "",
            "lead_unit": urban.pk,
            "co_units": [housing.pk],
            "basis": "派单目录第3条",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert list(rule.co_units.all()) == [housing]
    event = AuditEvent.objects.get(action="hotline.routing_rule_saved")
    assert event.after["lead_unit"] == urban.pk and event.before is None


def test_a_bad_period_is_refused_against_its_field(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:hotline_handlinglimit_add"),
        {
            "category": category("010101").pk,
            "request_type": "",
            "period": "5 days",
            "sign_period": "",
            "basis": "",
        },
    )
    assert response.status_code == 200
    assert "5wd" in response.content.decode()  # the engine's format hint
    assert not HandlingLimit.objects.exists()


def test_the_category_tree_is_listed_for_the_system_admin_only(client, system_admin, operator):
    client.force_login(operator)
    assert client.get(reverse("admin:hotline_category_changelist")).status_code in (302, 403)
    client.force_login(system_admin)
    assert "道路破损" in client.get(reverse("admin:hotline_category_changelist") + "?q=道路").content.decode()
