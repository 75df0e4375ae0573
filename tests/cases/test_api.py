import pytest

from fazhi.cases.models import Case
from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.org.models import Role
from tests.cases.factories import open_case
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    token = f"fz_test_{user.pk}_secret"
    ApiToken.objects.create(user=user, prefix=token[:8], digest=sm3_hex(token.encode()))
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_gets_401(client, unit):
    open_case(unit)
    assert client.get("/api/v1/cases/").status_code == 401


def test_no_role_sees_an_empty_list(client, unit):
    open_case(unit)
    response = client.get("/api/v1/cases/", headers=bearer(UserFactory()))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_handler_lists_and_reads_own_units_cases(client, unit, handler):
    case = open_case(unit)
    headers = bearer(handler)

    listing = client.get("/api/v1/cases/", headers=headers).json()
    detail = client.get(f"/api/v1/cases/{case.pk}", headers=headers).json()

    assert [item["number"] for item in listing["items"]] == [case.number]
    assert detail["clock"] == "overdue"
    assert detail["timeline"][0]["action"] == "opened"


def test_another_units_case_is_404(client, unit, other_unit):
    case = open_case(unit)
    stranger = user_with_role(Role.HANDLER, other_unit)
    assert client.get(f"/api/v1/cases/{case.pk}", headers=bearer(stranger)).status_code == 404


def test_operator_opens_a_case_through_the_api(client, unit):
    operator = user_with_role(Role.OPERATOR, unit, scope="all")
    response = client.post(
        "/api/v1/cases/",
        content_type="application/json",
        data={"case_type": "hotline", "title": "小区门口路灯不亮", "handling_unit_id": unit.pk},
        headers=bearer(operator),
    )
    assert response.status_code == 201
    assert response.json()["number"].startswith("12345-")
    assert Case.objects.get().created_by == operator


def test_a_handler_cannot_open_a_case_for_another_unit(client, unit, other_unit, handler):
    response = client.post(
        "/api/v1/cases/",
        content_type="application/json",
        data={"case_type": "hotline", "title": "越权派单", "handling_unit_id": other_unit.pk},
        headers=bearer(handler),
    )
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]
    assert not Case.objects.exists()


def test_bad_input_is_422_naming_the_field(client, unit):
    operator = user_with_role(Role.OPERATOR, unit, scope="all")
    response = client.post(
        "/api/v1/cases/",
        content_type="application/json",
        data={"case_type": "hotline", "title": "  ", "handling_unit_id": unit.pk},
        headers=bearer(operator),
    )
    assert response.status_code == 422
    assert "标题" in response.json()["detail"]


def test_a_refused_call_is_audited_as_a_failure(client, unit, other_unit, handler):
    from fazhi.core.models import AuditEvent

    client.post(
        "/api/v1/cases/",
        content_type="application/json",
        data={"case_type": "hotline", "title": "越权派单", "handling_unit_id": other_unit.pk},
        headers=bearer(handler),
    )
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == handler and not event.success
    assert "无权" in event.message
