import csv
import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.org.factories import user_with_role

LIST = "/core/audit/"
EXPORT = "/core/audit/export.csv"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDIT_ADMIN)


@pytest.fixture
def events(db, handler):
    first = audit.record(actor=handler, action="hotline.registered", message="登记")
    second = audit.record(
        actor=handler,
        action="hotline.replied",
        target=handler,
        before={"status": "handling"},
        after={"status": "replied"},
    )
    third = audit.record(actor="命令行", action="auth.login_failed", success=False, message="密码错误")
    return first, second, third


def listed_ids(response) -> list[int]:
    return [event.pk for event in response.context["page"]]


# --- who may read ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, EXPORT, "/core/audit/1/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISOR])
def test_everyone_but_the_audit_admin_is_refused_and_the_attempt_recorded(client, events, role):
    user = user_with_role(role)
    client.force_login(user)

    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(f"/core/audit/{events[0].pk}/").status_code == 403
    denied = AuditEvent.objects.filter(action="access.denied", actor=user, success=False)
    assert denied.count() == 3


def test_superuser_without_the_role_is_refused(client, events, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="Root@12345")
    root.password_changed_at = timezone.now()
    root.save()
    client.force_login(root)

    assert client.get(LIST).status_code == 403


def test_audit_admin_reads_the_log_and_the_read_is_recorded(client, auditor, events):
    client.force_login(auditor)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed_ids(response) == [e.pk for e in reversed(events)]
    assert "审计日志" in response.content.decode()
    viewed = AuditEvent.objects.get(action="audit.viewed")
    assert viewed.actor == auditor and viewed.after == {"filters": {}, "page": 1}


# --- filters, pages, detail, export ----------------------------------------------------------


def test_filters_narrow_the_list(client, auditor, events, handler):
    first, second, third = events
    client.force_login(auditor)

    def ids(**params):
        return listed_ids(client.get(LIST, params))

    assert ids(action="hotline.") == [second.pk, first.pk]
    assert ids(actor=handler.username) == [second.pk, first.pk]
    assert ids(success="0") == [third.pk]
    assert ids(target=str(handler.pk)) == [second.pk]
    today = timezone.localdate()
    assert ids(date_from=today.isoformat(), date_to=today.isoformat(), action="hotline.") == [
        second.pk,
        first.pk,
    ]
    assert ids(date_to=(today - timedelta(days=1)).isoformat()) == []
    recorded = AuditEvent.objects.filter(action="audit.viewed").last()
    assert recorded.after["filters"]["date_to"] == (today - timedelta(days=1)).isoformat()


def test_reversed_date_range_is_explained(client, auditor, events):
    client.force_login(auditor)

    response = client.get(LIST, {"date_from": "2025-02-01", "date_to": "2025-01-01"})

    assert listed_ids(response) == []
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_list_is_paginated_on_the_server_with_few_queries(client, auditor, django_assert_max_num_queries):
    for n in range(120):
        audit.record(actor="命令行", action="test.bulk", message=f"第{n}条")
    client.force_login(auditor)

    # +1 on PostgreSQL: the advisory lock that serialises appends to the chain.
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 12):
        second_page = client.get(LIST, {"action": "test.", "page": 2})

    assert len(second_page.context["page"]) == 50
    assert second_page.context["page"].paginator.count == 120
    assert "action=test." in second_page.context["query"]


def test_detail_shows_before_and_after(client, auditor, events):
    client.force_login(auditor)

    response = client.get(f"/core/audit/{events[1].pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "handling" in body and "replied" in body
    assert "校验一致" in body
    assert response.context["rows"] == [
        {"key": "status", "before": "handling", "after": "replied", "changed": True}
    ]
    assert AuditEvent.objects.filter(action="audit.detail_viewed", target_id=str(events[1].pk)).exists()


def test_detail_flags_a_tampered_row(client, auditor, events):
    AuditEvent.objects.filter(pk=events[0].pk).update(message="改过")
    client.force_login(auditor)

    response = client.get(f"/core/audit/{events[0].pk}/")

    assert "可能被篡改" in response.content.decode()


def test_export_is_csv_with_the_filtered_rows_and_is_recorded(client, auditor, events):
    client.force_login(auditor)

    response = client.get(EXPORT, {"action": "hotline."})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["序号", "时间", "操作人账号", "操作"]
    assert [row[3] for row in rows[1:]] == ["hotline.registered", "hotline.replied"]
    assert AuditEvent.objects.filter(action="audit.exported", actor=auditor).exists()


# --- the chain -------------------------------------------------------------------------------


def test_verify_passes_on_an_intact_chain(events):
    out = io.StringIO()

    call_command("audit", "verify", stdout=out)

    assert "审计链完整" in out.getvalue()
    assert AuditEvent.objects.filter(action="audit.verified", success=True).exists()


def test_verify_fails_when_a_row_is_edited(events):
    AuditEvent.objects.filter(pk=events[1].pk).update(action="hotline.registered")
    err = io.StringIO()

    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("audit", "verify", stderr=err)

    assert f"第{events[1].pk}条审计记录的内容与摘要不符" in err.getvalue()
    assert AuditEvent.objects.filter(action="audit.verified", success=False).exists()


def test_verify_fails_when_a_middle_row_is_deleted(events):
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("audit", "verify", stderr=err)

    assert f"第{events[2].pk}条审计记录的前序摘要不符" in err.getvalue()


def test_verify_exits_with_code_1_from_the_command_line(events):
    AuditEvent.objects.filter(pk=events[0].pk).update(success=False)

    with pytest.raises(SystemExit) as exited:
        from django.core.management import ManagementUtility

        ManagementUtility(["fazhi", "audit", "verify"]).execute()

    assert exited.value.code == 1


def test_export_command_writes_csv_since_a_date(events, tmp_path):
    target = tmp_path / "audit.csv"

    call_command("audit", "export", "--since", timezone.localdate().isoformat(), "--output", str(target))

    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert len(rows) == 1 + 3
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "export", "--since", "昨天")


APPEND_SCRIPT = """
import sys, django
django.setup()
from fazhi.core import audit
for n in range(20):
    audit.record(actor="并发测试", action="test.concurrent", message=f"{sys.argv[1]}-{n}")
"""


def test_concurrent_appends_keep_the_chain_intact_on_sqlite(tmp_path):
    """Six processes append at once to a file-backed SQLite database (the demo set-up).

    The test database is shared-cache in-memory SQLite, which reports "table is locked"
    instead of waiting, so this runs real processes against a real file.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fazhi.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.sqlite3'}",
        "FAZHI_VAR_DIR": str(tmp_path),
        "FAZHI_ENV": "test",
    }
    fazhi = [sys.executable, "-m", "fazhi.cli"]
    subprocess.run([*fazhi, "migrate", "--noinput"], env=env, check=True, capture_output=True)

    workers = [
        subprocess.Popen([sys.executable, "-c", APPEND_SCRIPT, str(w)], env=env, stderr=subprocess.PIPE)
        for w in range(6)
    ]
    failures = [w.stderr.read().decode() for w in workers if w.wait() != 0]
    verified = subprocess.run([*fazhi, "audit", "verify"], env=env, capture_output=True, text=True)

    assert failures == []
    assert verified.returncode == 0, verified.stderr
    assert "共检查120条记录" in verified.stdout
