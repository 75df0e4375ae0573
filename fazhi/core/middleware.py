"""Request id and client IP for the audit trail; idle-session timeout; password expiry."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from fazhi.core import context, security_services


def client_ip(request) -> str | None:
    # Behind the production proxy REMOTE_ADDR is the proxy; trust X-Forwarded-For only there.
    if settings.PRODUCTION and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def flash(request, response, level: int, text: str):
    """Attach a message to a response that short-circuits before MessageMiddleware runs
    (these middlewares sit above it in settings.MIDDLEWARE)."""
    storage = getattr(request, "_messages", None) or default_storage(request)
    storage.add(level, text)
    storage.update(response)
    return response


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.bind(ip=client_ip(request), request_id=request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = context.current().request_id
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class SessionIdleTimeoutMiddleware:
    """Log the user out after FAZHI_SESSION_IDLE_MINUTES without a request (等保 8.1.4.1 b)."""

    SESSION_KEY = "_fazhi_last_seen"
    # Saving the session on every request costs a write each; a minute's slack does not matter.
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen and now - last_seen > settings.FAZHI_SESSION_IDLE_MINUTES * 60:
                security_services.logout_recorded(user=request.user, reason="idle")
                logout(request)
                return flash(
                    request,
                    redirect_to_login(request.get_full_path()),
                    messages.INFO,
                    f"您已超过{settings.FAZHI_SESSION_IDLE_MINUTES}分钟未操作，请重新登录。",
                )
            if not last_seen or now - last_seen > self.TOUCH_EVERY_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Send a user whose password is older than FAZHI_PASSWORD_MAX_AGE_DAYS to change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        max_age = settings.FAZHI_PASSWORD_MAX_AGE_DAYS
        if user.is_authenticated and max_age and not request.path.startswith(("/static/", "/api/")):
            allowed = {reverse("password_change"), reverse("password_change_done"), reverse("logout")}
            changed = user.password_changed_at
            expired = changed is None or timezone.now() - changed > timedelta(days=max_age)
            if expired and request.path not in allowed:
                return flash(
                    request,
                    redirect("password_change"),
                    messages.WARNING,
                    "您的密码已过期或尚未修改初始密码，请先修改密码。",
                )
        return self.get_response(request)


class DeniedAccessAuditMiddleware:
    """Record every refused action (PermissionDenied from a view or service) as a failed audit
    event: 等保 asks that failures be audited, not only what succeeded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and request.user.is_authenticated:
            record_denied(request, exception)
        return None


def record_denied(request, exception: Exception) -> None:
    from fazhi.core import audit

    audit.record(
        actor=request.user,
        action="access.denied",
        success=False,
        message=f"{request.method} {request.path}：{exception}"[:500],
    )
