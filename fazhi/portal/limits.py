"""Anti-abuse without an outside service: counters in the cache per address, per phone and per
tracking code. Keys never hold a phone number: they hold its HMAC-SM3 blind index.

Limits are settings (`FAZHI_PORTAL_*`) so a centre can widen them for a shared office address.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from fazhi.core import crypto


@dataclass(frozen=True)
class Limit:
    setting: str
    default: int
    seconds: int

    @property
    def allowed(self) -> int:
        return getattr(settings, self.setting, self.default)


SUBMIT_PER_ADDRESS = Limit("FAZHI_PORTAL_SUBMIT_PER_ADDRESS", 10, 3600)
SUBMIT_PER_PHONE = Limit("FAZHI_PORTAL_SUBMIT_PER_PHONE", 5, 24 * 3600)
TRACK_PER_ADDRESS = Limit("FAZHI_PORTAL_TRACK_PER_ADDRESS", 20, 600)
# Wrong phone suffixes for one code: 10 of 10 000 guesses, then the code rests for an hour.
WRONG_SUFFIX_PER_CODE = Limit("FAZHI_PORTAL_WRONG_SUFFIX_PER_CODE", 10, 3600)


def client_address(request) -> str:
    # Behind the government's reverse proxy REMOTE_ADDR is set by the WSGI server from the
    # trusted hop (docs/deployment); a client-sent X-Forwarded-For is never believed here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(limit: Limit, who: str) -> str:
    return f"portal:{limit.setting}:{who}"


def phone_key(phone: str) -> str:
    return crypto.blind_index(phone, "phone")[:32]


def reached(limit: Limit, who: str) -> bool:
    """Whether `who` has used up `limit` (without counting this look)."""
    return (cache.get(_key(limit, who)) or 0) >= limit.allowed


def count(limit: Limit, who: str) -> int:
    """Count one use; the window starts at the first."""
    key = _key(limit, who)
    if cache.add(key, 1, limit.seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, limit.seconds)
        return 1


def hit(limit: Limit, who: str) -> bool:
    """Count one use and say whether it went over the limit."""
    return count(limit, who) > limit.allowed
