"""Bearer tokens (one or more per user; only the SM3 digest is stored) and the browser session."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=sm3_hex(token.encode()), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuthIsStaff(SessionAuth):
    """The signed-in browser session (htmx calls from our own pages); CSRF-checked by ninja."""
