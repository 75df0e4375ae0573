"""The local configuration is edited in the admin by the system administrator, and audited."""

import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.legal.models import DocumentTemplate, FigureSettings, JudgmentType
from fazhi.org.models import Role
from tests.org.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:legal_reconsiderationbody_changelist",
    "admin:legal_documenttemplate_changelist",
    "admin:legal_judgmenttype_changelist",
    "admin:legal_figuresettings_changelist",
    "admin:legal_reconsideration_changelist",
    "admin:legal_lawsuit_changelist",
]


@pytest.fixture
def sysadmin(client):
    user = user_with_role(Role.SYSTEM_ADMIN, scope="all")
    client.login(username=user.username, password=PASSWORD)
    return user


@pytest.mark.parametrize("name", CHANGELISTS)
def test_the_system_administrator_sees_the_configuration(client, sysadmin, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", CHANGELISTS)
def test_casework_staff_do_not(client, clerk, name):
    client.login(username=clerk.username, password=PASSWORD)
    assert client.get(reverse(name)).status_code in (302, 403)


def test_the_correction_denominator_is_changed_and_audited(client, sysadmin):
    settings = FigureSettings.objects.get()
    url = reverse("admin:legal_figuresettings_change", args=[settings.pk])
    data = {
        "direct_correction": ["varied", "annulled"],
        "broad_correction": ["varied", "annulled", "confirmed_void"],
        "mediation_withdrawal": ["mediated"],
        "upheld": ["upheld"],
        "rejected": ["claim_rejected"],
        "correction_denominator": "decided",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.correction_denominator == "decided" and settings.direct_correction == [
        "varied",
        "annulled",
    ]
    assert AuditEvent.objects.filter(action="admin.legal.figuresettings.changed").exists()


def test_a_template_with_broken_syntax_is_refused(client, sysadmin):
    template = DocumentTemplate.objects.get(kind="acceptance_notice")
    url = reverse("admin:legal_documenttemplate_change", args=[template.pk])
    data = {
        "kind": template.kind,
        "title": template.title,
        "number_format": template.number_format,
        "body": "{% if %}",
    }

    response = client.post(url, data)

    assert response.status_code == 200 and "正文模板语法错误" in str(
        response.context["adminform"].form.errors
    )


def test_the_loss_mapping_is_edited_in_the_list(client, sysadmin):
    withdrawn = JudgmentType.objects.get(code="ruling_withdrawn_after_change")
    rows = list(JudgmentType.objects.order_by("order", "id"))
    data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows), "_save": "保存"}
    for n, row in enumerate(rows):
        data[f"form-{n}-id"] = row.pk
        data[f"form-{n}-result"] = "lost" if row.pk == withdrawn.pk else row.result

    response = client.post(reverse("admin:legal_judgmenttype_changelist"), data)

    assert response.status_code == 302
    assert JudgmentType.objects.get(pk=withdrawn.pk).result == "lost"
