import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from fazhi.core.admin import FazhiModelAdmin, _plain
from fazhi.core.fields import EncryptedCharField
from fazhi.core.models import ApiToken, AuditEvent, CalendarDay
from fazhi.core.tokens import token_create
from fazhi.org.models import Role
from tests.org.factories import user_with_role


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def system_admin(db):
    return user_with_role(Role.SYSTEM_ADMIN)


@pytest.fixture
def token(system_admin, handler):
    token_create(actor=system_admin, user=handler, name="对接")
    return ApiToken.objects.get(user=handler)


def test_anonymous_is_sent_to_the_platform_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=/admin/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.HANDLER, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISOR])
def test_other_roles_are_refused(client, db, role):
    client.force_login(user_with_role(role))

    assert client.get("/admin/", follow=True).status_code == 403


def test_staff_and_superuser_flags_grant_nothing(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="Root@12345")
    root.password_changed_at = timezone.now()
    root.save()
    client.force_login(root)

    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/core/apitoken/", follow=True).status_code == 403


def test_inactive_system_admin_is_refused(client, system_admin):
    client.force_login(system_admin)
    system_admin.is_active = False
    system_admin.save()

    response = client.get("/admin/", follow=True)  # the session no longer authenticates

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_system_admin_without_staff_flag_enters_in_chinese(client, system_admin):
    assert not system_admin.is_staff
    client.force_login(system_admin)

    response = client.get("/admin/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "接口令牌" in body and "工作日历" in body
    assert "审计记录" not in body  # 三员分立: the audit log is the audit admin's
    assert "/admin/auth/group/" not in body


def test_audit_events_are_not_reachable_in_admin_even_for_the_system_admin(client, system_admin):
    client.force_login(system_admin)

    assert client.get("/admin/core/auditevent/").status_code == 403


def test_token_list_never_shows_the_digest(client, system_admin, token):
    client.force_login(system_admin)

    listing = client.get("/admin/core/apitoken/")
    detail = client.get(f"/admin/core/apitoken/{token.pk}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert token.prefix in listing.content.decode()
    assert token.digest not in listing.content.decode() + detail.content.decode()
    assert client.get("/admin/core/apitoken/add/").status_code == 403


def test_system_admin_revokes_tokens_through_the_service(client, system_admin, token):
    client.force_login(system_admin)

    response = client.post(
        "/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token.revoked", actor=system_admin).exists()


def test_calendar_is_read_only_in_admin(client, system_admin):
    day, _ = CalendarDay.objects.update_or_create(
        date=datetime.date(2025, 10, 1),
        defaults={"is_workday": False, "kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"},
    )
    client.force_login(system_admin)

    assert client.get("/admin/core/calendarday/").status_code == 200
    assert client.get("/admin/core/calendarday/add/").status_code == 403
    response = client.post(f"/admin/core/calendarday/{day.pk}/change/", {"name": "改"})
    assert response.status_code == 403
    day.refresh_from_db()
    assert day.name == "国庆节"


def test_admin_login_and_password_pages_go_to_the_platform_ones(client, system_admin):
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")
    client.force_login(system_admin)
    assert client.get("/admin/password_change/")["Location"] == "/accounts/password/"


def test_admin_logout_is_audited(client, system_admin):
    client.force_login(system_admin)

    client.post("/admin/logout/")

    assert AuditEvent.objects.filter(action="auth.logout", actor=system_admin).exists()


def test_base_model_admin_audits_saves_and_masks_pii(system_admin):
    class DayAdmin(FazhiModelAdmin):
        fields = ["date", "is_workday", "kind", "name", "note"]

    model_admin = DayAdmin(CalendarDay, admin.site)
    request = RequestFactory().post("/admin/")
    request.user = system_admin
    day, _ = CalendarDay.objects.update_or_create(
        date=datetime.date(2025, 1, 4),
        defaults={"is_workday": False, "kind": "weekend", "name": "", "note": ""},
    )
    form_class = model_admin.get_form(request, day, change=True)
    form = form_class(
        {"date": "2025-01-04", "is_workday": "on", "kind": "makeup", "name": "调休", "note": ""},
        instance=day,
    )
    assert form.is_valid(), form.errors

    model_admin.save_model(request, form.save(commit=False), form, change=True)

    event = AuditEvent.objects.get(action="admin.core.calendarday.changed")
    assert event.actor == system_admin
    assert event.before == {"is_workday": False, "kind": "weekend", "name": ""}
    assert event.after == {"is_workday": True, "kind": "makeup", "name": "调休"}
    phone = EncryptedCharField(kind="phone")
    phone.name = "caller_phone"
    assert _plain(phone, "13812341234") == "138****1234"


def test_base_model_admin_grants_nothing_to_other_roles(handler):
    request = RequestFactory().get("/admin/")
    request.user = handler
    model_admin = FazhiModelAdmin(CalendarDay, admin.site)

    assert not model_admin.has_module_permission(request)
    assert not model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request)
