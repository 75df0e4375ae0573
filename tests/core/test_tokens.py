import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from fazhi.api.auth import BearerToken
from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken, AuditEvent
from fazhi.core.tokens import token_create, token_revoke
from fazhi.org.models import Role
from tests.org.factories import UserFactory, user_with_role


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def security_admin(db):
    return user_with_role(Role.SECURITY_ADMIN)


def authenticate(secret: str):
    request = RequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    return BearerToken()(request)


def test_created_token_is_stored_only_as_digest_and_prefix(security_admin, handler):
    secret = token_create(actor=security_admin, user=handler, name="12345 工单系统对接")

    token = ApiToken.objects.get(user=handler)
    assert secret.startswith("fz_") and len(secret) > 40
    assert token.digest == sm3_hex(secret.encode())
    assert token.prefix == secret[:10]
    assert secret not in str(list(ApiToken.objects.values()))
    event = AuditEvent.objects.get(action="token.created")
    assert event.actor == security_admin
    assert secret not in str(event.after) and event.after["prefix"] == token.prefix


def test_token_authenticates_its_user_and_notes_the_use(security_admin, handler):
    secret = token_create(actor=security_admin, user=handler)

    assert authenticate(secret) == handler
    assert ApiToken.objects.get(user=handler).last_used_at is not None


@pytest.mark.parametrize("secret", ["", "fz_not-a-token", "Bearer", "x" * 60])
def test_unknown_token_is_rejected(db, secret):
    assert authenticate(secret) is None


def test_revoked_token_is_rejected_and_revocation_is_audited(security_admin, handler):
    secret = token_create(actor=security_admin, user=handler)

    token_revoke(actor=security_admin, token=ApiToken.objects.get(user=handler))

    assert authenticate(secret) is None
    assert AuditEvent.objects.filter(action="token.revoked", actor=security_admin).count() == 1


def test_token_of_a_deactivated_account_is_rejected(security_admin, handler):
    secret = token_create(actor=security_admin, user=handler)
    handler.is_active = False
    handler.save()

    assert authenticate(secret) is None


def test_only_credential_managers_issue_tokens_but_holders_may_revoke_their_own(handler, security_admin):
    with pytest.raises(PermissionDenied):
        token_create(actor=handler, user=handler)
    with pytest.raises(PermissionDenied):
        token_create(actor=user_with_role(Role.AUDIT_ADMIN), user=handler)
    token_create(actor=user_with_role(Role.SYSTEM_ADMIN), user=handler)
    token = ApiToken.objects.get(user=handler)

    with pytest.raises(PermissionDenied):
        token_revoke(actor=user_with_role(Role.HANDLER), token=token)
    token_revoke(actor=handler, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_no_token_for_an_inactive_account(security_admin):
    with pytest.raises(ValidationError):
        token_create(actor=security_admin, user=UserFactory(is_active=False))


def test_command_prints_only_the_token(handler):
    out, err = io.StringIO(), io.StringIO()

    call_command("token", "create", handler.username, "--name", "脚本", stdout=out, stderr=err)

    secret = out.getvalue().strip()
    assert secret.startswith("fz_") and "\n" not in secret
    assert authenticate(secret) == handler
    assert AuditEvent.objects.get(action="token.created").actor_label == "命令行"


def test_command_lists_and_revokes_by_prefix(handler):
    out = io.StringIO()
    call_command("token", "create", handler.username, stdout=out)
    secret = out.getvalue().strip()

    listing = io.StringIO()
    call_command("token", "list", handler.username, stdout=listing)
    call_command("token", "revoke", secret[:10], stderr=io.StringIO())

    assert secret[:10] in listing.getvalue() and secret not in listing.getvalue()
    assert authenticate(secret) is None


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "create", "nobody")
