"""Writes of the security subsystem: login attempts and lockout, logout, password changes.

等保 8.1.4.1 b) asks for login-failure handling; the numbers (FAZHI_LOGIN_MAX_FAILURES,
FAZHI_LOGIN_LOCK_MINUTES) are practice values from settings. Failed attempts are written in
autocommit (the login view is non-atomic), so they persist although the login fails.

An unknown username is locked the same way in the cache, so "账号已锁定" never tells an
attacker that a name exists.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.security import can_manage_credentials

GENERIC_LOGIN_ERROR = "账号或密码错误。"


class LoginRefused(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def lock_message(until: datetime) -> str:
    local = timezone.localtime(until)
    when = f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%m月%d日 %H:%M}"
    return f"连续登录失败次数过多，账号已锁定，请于{when}后再试。如需提前解锁，请联系安全管理员。"


def failure_hint() -> str:
    return (
        f"{GENERIC_LOGIN_ERROR}连续输错{settings.FAZHI_LOGIN_MAX_FAILURES}次，"
        f"账号将锁定{settings.FAZHI_LOGIN_LOCK_MINUTES}分钟。"
    )


def _lock_delta() -> timedelta:
    return timedelta(minutes=settings.FAZHI_LOGIN_LOCK_MINUTES)


def _phantom_key(username: str) -> str:
    return "fazhi:login-unknown:" + audit.sm3_hex(username.encode())[:32]


def _phantom_locked_until(username: str, now: datetime) -> datetime | None:
    state = cache.get(_phantom_key(username))
    until = state and state.get("until")
    return until if until and until > now else None


def _phantom_failure(username: str, now: datetime) -> datetime | None:
    key = _phantom_key(username)
    state = cache.get(key) or {"count": 0, "until": None}
    if state["until"] and state["until"] <= now:
        state = {"count": 0, "until": None}
    state["count"] += 1
    if state["count"] >= settings.FAZHI_LOGIN_MAX_FAILURES:
        state["until"] = now + _lock_delta()
    cache.set(key, state, timeout=int(_lock_delta().total_seconds()) + 3600)
    return state["until"]


def _user_locked_until(user, now: datetime) -> datetime | None:
    if user.locked_until is None:
        return None
    if user.locked_until > now:
        return user.locked_until
    # The lock has run out: the next attempts start from zero.
    type(user)._default_manager.filter(pk=user.pk, locked_until__lte=now).update(
        failed_login_count=0, locked_until=None
    )
    user.failed_login_count, user.locked_until = 0, None
    return None


def _user_failure(user, now: datetime) -> datetime | None:
    User = type(user)
    with transaction.atomic():
        User._default_manager.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        count = User._default_manager.filter(pk=user.pk).values_list("failed_login_count", flat=True).get()
        if count < settings.FAZHI_LOGIN_MAX_FAILURES:
            return None
        until = now + _lock_delta()
        User._default_manager.filter(pk=user.pk).update(locked_until=until)
        audit.record(
            actor=user,
            action="auth.locked",
            target=user,
            success=False,
            message=f"连续登录失败{count}次，锁定至{timezone.localtime(until):%Y-%m-%d %H:%M}",
        )
        return until


def login_attempt(*, request, username: str, password: str):
    """Check a username and password, counting failures; return the user or raise LoginRefused.

    A locked account is refused without looking at the password, so guessing cannot go on
    during the lock.
    """
    now = timezone.now()
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    locked_until = _user_locked_until(user, now) if user else _phantom_locked_until(username, now)
    if locked_until:
        audit.record(
            actor=user or username,
            action="auth.login_failed",
            target=user,
            success=False,
            message="账号锁定期间尝试登录",
        )
        raise LoginRefused(lock_message(locked_until), code="locked")

    authenticated = authenticate(request, username=username, password=password)
    if authenticated is not None and authenticated.is_active:
        return authenticated

    if user is None:
        reason = "账号不存在"
    elif not user.is_active:
        reason = "账号已停用"
    else:
        reason = "密码错误"
    audit.record(
        actor=user or username, action="auth.login_failed", target=user, success=False, message=reason
    )
    locked_until = _user_failure(user, now) if user else _phantom_failure(username, now)
    if locked_until:
        raise LoginRefused(lock_message(locked_until), code="locked")
    raise LoginRefused(failure_hint(), code="invalid_login")


@transaction.atomic
def login_succeeded(*, user) -> None:
    """Call after django.contrib.auth.login (which rotates the session key)."""
    if user.failed_login_count or user.locked_until:
        type(user)._default_manager.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        user.failed_login_count, user.locked_until = 0, None
    audit.record(actor=user, action="auth.login", target=user)


def logout_recorded(*, user, reason: str = "") -> None:
    """Call before django.contrib.auth.logout, while the user is still known."""
    action = "auth.session_timeout" if reason == "idle" else "auth.logout"
    audit.record(
        actor=user, action=action, target=user, message="会话超时自动退出" if reason == "idle" else ""
    )


@transaction.atomic
def password_change(*, user, new_password: str):
    """The user sets a new password; the expiry clock starts again."""
    if user.check_password(new_password):
        raise ValidationError({"new_password1": "新密码不能与当前密码相同。"})
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(actor=user, action="auth.password_changed", target=user)
    return user


@transaction.atomic
def password_reset(*, actor, user, new_password: str):
    """An administrator sets a temporary password; the user must change it at the next login."""
    if not can_manage_credentials(actor):
        raise PermissionDenied("只有系统管理员或安全管理员可以重置密码。")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = None
    user.failed_login_count, user.locked_until = 0, None
    user.save(update_fields=["password", "password_changed_at", "failed_login_count", "locked_until"])
    audit.record(actor=actor, action="auth.password_reset", target=user)
    return user


@transaction.atomic
def account_unlock(*, actor, user):
    """Lift a login lock before it runs out (the user called the helpdesk)."""
    if not can_manage_credentials(actor):
        raise PermissionDenied("只有系统管理员或安全管理员可以解除账号锁定。")
    type(user)._default_manager.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.failed_login_count, user.locked_until = 0, None
    audit.record(actor=actor, action="auth.unlocked", target=user)
    return user
