"""Bearer tokens (one or more per user; only the SM3 digest is stored) and the browser session.

Nothing here logs the presented token or any request content.
"""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from fazhi.core.models import ApiToken
from fazhi.core.tokens import token_find

LAST_USED_RESOLUTION_SECONDS = 300  # one write per token per five minutes, not per request


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_find(token)
        if found is None:
            return None
        now = timezone.now()
        if (
            found.last_used_at is None
            or (now - found.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuthIsStaff(SessionAuth):
    """The signed-in browser session (htmx calls from our own pages); CSRF-checked by ninja."""
