"""API bearer tokens: issue and revoke. Only the SM3 digest and a short prefix are stored;
the secret is shown once, to whoever asked for it."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.core.security import can_manage_credentials

TOKEN_PREFIX = "fz_"
SHOWN_PREFIX_LENGTH = 10  # "fz_" + 7 characters: enough to tell tokens apart in a list


def token_digest(secret: str) -> str:
    return sm3_hex(secret.encode())


def _check_actor(actor) -> None:
    # actor=None is the `fazhi token` command, run by someone with shell access to the server.
    if actor is not None and not can_manage_credentials(actor):
        raise PermissionDenied("只有系统管理员或安全管理员可以管理接口令牌。")


@transaction.atomic
def token_create(*, actor, user, name: str = "") -> str:
    """Issue a token for `user`; return the secret (the only time it exists in clear)."""
    _check_actor(actor)
    if not user.is_active:
        raise ValidationError("该账号已停用，不能签发接口令牌。")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=secret[:SHOWN_PREFIX_LENGTH], digest=token_digest(secret)
    )
    audit.record(
        actor=actor or "命令行",
        action="token.created",
        target=token,
        after={"user": user.get_username(), "name": token.name, "prefix": token.prefix},
    )
    return secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; the row stays, so the audit trail can still name it."""
    if not (actor is not None and getattr(actor, "pk", None) == token.user_id):
        _check_actor(actor)  # holders may revoke their own tokens
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor or "命令行",
        action="token.revoked",
        target=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def token_find(secret: str) -> ApiToken | None:
    """The live token for a presented secret (revoked tokens and inactive accounts excluded)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
