import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.org.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(unit):
    user = user_with_role(Role.HANDLER, unit)
    user.failed_login_count, user.locked_until = 5, timezone.now() + timedelta(minutes=10)
    user.save()
    return user


def url(user):
    return reverse("org:account_security", args=[user.pk])


def test_anonymous_goes_to_login(client, locked):
    assert client.get(url(locked)).status_code == 302


def test_a_handler_may_not_manage_accounts(client, locked, unit):
    other = user_with_role(Role.HANDLER, unit)
    client.login(username=other.username, password=PASSWORD)
    assert client.post(url(locked), {"action": "unlock"}).status_code == 403
    locked.refresh_from_db()
    assert locked.locked_until is not None


def test_security_admin_unlocks_an_account_and_it_is_audited(client, locked):
    security = user_with_role(Role.SECURITY_ADMIN, scope="all")
    client.login(username=security.username, password=PASSWORD)

    response = client.post(url(locked), {"action": "unlock"})

    assert "已解除" in response.content.decode()
    locked.refresh_from_db()
    assert locked.locked_until is None and locked.failed_login_count == 0
    assert AuditEvent.objects.filter(action="auth.unlocked", target_id=str(locked.pk)).exists()


def test_reset_shows_a_temporary_password_once_that_works_and_must_be_changed(client, locked):
    security = user_with_role(Role.SECURITY_ADMIN, scope="all")
    client.login(username=security.username, password=PASSWORD)

    page = client.post(url(locked), {"action": "reset"}).content.decode()

    temporary = html.unescape(page.split('<code class="fs-5">')[1].split("</code>")[0])
    locked.refresh_from_db()
    assert locked.check_password(temporary)
    assert locked.password_changed_at is None  # forced to change at next login
    assert temporary not in client.get(url(locked)).content.decode()


def test_another_account_without_roles_is_still_managed_by_security_admin(client):
    stray = UserFactory()
    security = user_with_role(Role.SECURITY_ADMIN, scope="all")
    client.login(username=security.username, password=PASSWORD)
    assert client.get(url(stray)).status_code == 200
