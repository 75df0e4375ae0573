"""`fazhi serve`: behind a proxy, only that proxy's X-Forwarded-For is believed."""

from io import StringIO

import pytest
import waitress
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.fixture
def served(monkeypatch):
    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: seen.update(kwargs))
    return seen


def test_a_trusted_proxy_is_the_only_source_of_the_clients_address(served):
    call_command("serve", "--trusted-proxy", "127.0.0.1", stdout=StringIO())

    assert served["trusted_proxy"] == "127.0.0.1" and served["trusted_proxy_count"] == 1
    assert "x-forwarded-for" in served["trusted_proxy_headers"]
    assert served["clear_untrusted_proxy_headers"] is True


def test_without_a_proxy_forwarded_headers_are_not_trusted(served):
    call_command("serve", stdout=StringIO())

    assert "trusted_proxy" not in served and served["host"] == "127.0.0.1"


def test_a_bad_port_is_refused_in_chinese():
    with pytest.raises(CommandError, match="端口「0」无效"):
        call_command("serve", "--port", "0")
