import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fazhi.core import security_services
from fazhi.core.middleware import SessionIdleTimeoutMiddleware
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.org.factories import PASSWORD, UserFactory, user_with_role

LOGIN = "/accounts/login/"
NEW_PASSWORD = "Xin@Mima2025"


@pytest.fixture(autouse=True)
def fast_hasher_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FAZHI_LOGIN_MAX_FAILURES = 3
    settings.FAZHI_LOGIN_LOCK_MINUTES = 10
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(username="zhangsan")


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


# --- login and lockout ---------------------------------------------------------------------


def test_login_page_is_in_chinese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_successful_login_rotates_the_session_and_is_audited(client, user):
    client.get(LOGIN)
    before = client.session.session_key

    response = login(client, "zhangsan")

    assert response.status_code == 302
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == user and event.success


def test_wrong_password_shows_the_generic_message_and_counts(client, user):
    response = login(client, "zhangsan", "wrong")

    assert response.status_code == 200
    assert "账号或密码错误" in errors(response)
    user.refresh_from_db()
    assert user.failed_login_count == 1
    failure = AuditEvent.objects.get(action="auth.login_failed")
    assert failure.actor == user and not failure.success and failure.message == "密码错误"


def test_account_locks_after_max_failures_and_refuses_even_the_right_password(client, user):
    for _ in range(2):
        assert "账号或密码错误" in errors(login(client, "zhangsan", "wrong"))

    third = login(client, "zhangsan", "wrong")

    assert "账号已锁定" in errors(third)
    user.refresh_from_db()
    assert user.locked_until > timezone.now() + timedelta(minutes=9)
    retry = login(client, "zhangsan")  # correct password, still locked
    assert retry.status_code == 200
    assert "账号已锁定" in errors(retry)
    assert f"{timezone.localtime(user.locked_until):%H:%M}" in errors(retry)
    assert actions().count("auth.locked") == 1
    assert "auth.login" not in actions()


def test_account_unlocks_when_the_lock_time_has_passed(client, user):
    for _ in range(3):
        login(client, "zhangsan", "wrong")
    user.refresh_from_db()
    user.locked_until = timezone.now() - timedelta(seconds=1)  # the lock time has run out
    user.save(update_fields=["locked_until"])

    response = login(client, "zhangsan")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_login_count == 0 and user.locked_until is None


def test_after_an_expired_lock_failures_count_from_zero(client, user):
    user.failed_login_count, user.locked_until = 3, timezone.now() - timedelta(minutes=1)
    user.save(update_fields=["failed_login_count", "locked_until"])

    response = login(client, "zhangsan", "wrong")

    assert "账号已锁定" not in errors(response)
    user.refresh_from_db()
    assert user.failed_login_count == 1


def test_successful_login_resets_the_failure_counter(client, user):
    login(client, "zhangsan", "wrong")
    login(client, "zhangsan", "wrong")

    login(client, "zhangsan")

    user.refresh_from_db()
    assert user.failed_login_count == 0


def test_unknown_username_gets_the_same_messages_as_a_real_one(client, user):
    real = [errors(login(client, "zhangsan", "wrong")) for _ in range(4)]
    unknown = [errors(login(client, "nobody", "wrong")) for _ in range(4)]

    assert real == unknown
    assert "账号已锁定" in unknown[-1]
    assert (
        AuditEvent.objects.filter(action="auth.login_failed", actor=None, actor_label="nobody").count() == 4
    )


def test_inactive_account_cannot_log_in_and_gets_the_generic_message(client, db):
    UserFactory(username="retired", is_active=False)

    response = login(client, "retired")

    assert response.status_code == 200
    assert "账号或密码错误" in errors(response)
    assert AuditEvent.objects.get(action="auth.login_failed").message == "账号已停用"


def test_failures_persist_without_the_http_layer(user):
    with pytest.raises(security_services.LoginRefused):
        security_services.login_attempt(request=None, username="zhangsan", password="wrong")

    user.refresh_from_db()
    assert user.failed_login_count == 1


def test_logout_is_audited(client, user):
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.logout").actor == user


def test_security_admin_can_unlock_early_and_a_handler_cannot(user):
    user.locked_until = timezone.now() + timedelta(minutes=5)
    user.failed_login_count = 3
    user.save()

    with pytest.raises(PermissionDenied):
        security_services.account_unlock(actor=user_with_role(Role.HANDLER), user=user)
    security_services.account_unlock(actor=user_with_role(Role.SECURITY_ADMIN), user=user)

    user.refresh_from_db()
    assert user.locked_until is None and user.failed_login_count == 0
    assert "auth.unlocked" in actions()


# --- password change and expiry ------------------------------------------------------------


def test_password_change_sets_the_date_and_is_audited(client, user):
    user.password_changed_at = None
    user.save()
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert AuditEvent.objects.get(action="auth.password_changed").actor == user
    assert client.get("/cases/workbench/").status_code == 200  # still signed in, no longer redirected


def test_password_change_page_is_in_chinese_and_rejects_simple_or_same_passwords(client, user):
    client.force_login(user)

    page = client.get("/accounts/password/")
    simple = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    same = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )

    assert "修改密码" in page.content.decode()
    assert "至少三类" in simple.content.decode()
    assert "不能与当前密码相同" in same.content.decode()
    assert "auth.password_changed" not in actions()


def test_password_change_service_refuses_the_current_password(user):
    with pytest.raises(ValidationError):
        security_services.password_change(user=user, new_password=PASSWORD)


def test_expired_password_sends_the_user_to_change_it(client, user, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 90
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client.force_login(user)

    response = client.get("/cases/workbench/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "密码已过期" in page.content.decode()


def test_never_changed_password_sends_the_user_to_change_it(client, user):
    user.password_changed_at = None
    user.save()
    client.force_login(user)

    assert client.get("/cases/workbench/")["Location"] == "/accounts/password/"


def test_fresh_password_is_not_redirected(client, user):
    client.force_login(user)

    assert client.get("/cases/workbench/").status_code == 200


def test_password_reset_forces_a_change_at_next_login(client, user):
    security_services.password_reset(
        actor=user_with_role(Role.SYSTEM_ADMIN), user=user, new_password=NEW_PASSWORD
    )

    login(client, "zhangsan", NEW_PASSWORD)

    assert client.get("/cases/workbench/")["Location"] == "/accounts/password/"
    assert "auth.password_reset" in actions()


# --- idle timeout --------------------------------------------------------------------------


def _age_session(client, seconds: float) -> None:
    session = client.session
    session[SessionIdleTimeoutMiddleware.SESSION_KEY] = time.time() - seconds
    session.save()


def test_idle_session_is_logged_out_and_audited(client, user, settings):
    settings.FAZHI_SESSION_IDLE_MINUTES = 30
    client.force_login(user)
    client.get("/cases/workbench/")
    _age_session(client, 31 * 60)

    response = client.get("/cases/workbench/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cases/workbench/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="auth.session_timeout").actor == user
    assert "30分钟未操作" in client.get(response["Location"]).content.decode()


def test_active_session_stays_signed_in(client, user, settings):
    settings.FAZHI_SESSION_IDLE_MINUTES = 30
    client.force_login(user)
    client.get("/cases/workbench/")
    _age_session(client, 29 * 60)

    response = client.get("/cases/workbench/")

    assert response.status_code == 200
    assert time.time() - client.session[SessionIdleTimeoutMiddleware.SESSION_KEY] < 5
