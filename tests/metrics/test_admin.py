import pytest
from django.urls import reverse

from fazhi.metrics.rollups import rollup_run
from fazhi.org.models import Role
from tests.org.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def test_the_system_administrator_sees_when_the_rollups_ran_but_cannot_edit_them(client):
    run = rollup_run()
    admin = user_with_role(Role.SYSTEM_ADMIN, scope="all")
    client.login(username=admin.username, password=PASSWORD)

    listing = client.get(reverse("admin:metrics_rolluprun_changelist"))

    assert listing.status_code == 200
    assert [r.pk for r in listing.context["cl"].result_list] == [run.pk]
    assert client.get(reverse("admin:metrics_rolluprun_add")).status_code == 403


def test_casework_staff_have_no_back_office(client):
    handler = user_with_role(Role.HANDLER)
    client.login(username=handler.username, password=PASSWORD)
    response = client.get(reverse("admin:metrics_rolluprun_changelist"))
    assert response.status_code in (302, 403)
