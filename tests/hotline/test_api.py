import itertools

import pytest

from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.hotline.models import Disposition, Ticket
from tests.hotline.factories import register
from tests.org.factories import UserFactory

pytestmark = pytest.mark.django_db

POTHOLE = "幸福路口路面坑坑洼洼，有个大坑，晚上很危险"
_tokens = itertools.count()


def bearer(user) -> dict:
    token = f"fz_hotline_test_{user.pk}_{next(_tokens)}"
    ApiToken.objects.create(user=user, prefix=token[:8], digest=sm3_hex(token.encode()))
    return {"Authorization": f"Bearer {token}"}


def payload(community, **overrides):
    data = {
        "content": POTHOLE,
        "request_type": "help",
        "category": "010101",
        "region": community.code,
        "caller_phone": "13812341234",
    }
    data.update(overrides)
    return data


def post(client, path, data, user=None):
    headers = bearer(user) if user else {}
    return client.post(f"/api/v1/hotline{path}", data=data, content_type="application/json", headers=headers)


# --- POST /tickets -------------------------------------------------------------------------------------


def test_register_needs_a_token(client, community):
    assert post(client, "/tickets", payload(community)).status_code == 401


def test_register_is_forbidden_without_the_operator_role(client, community, urban_handler):
    assert post(client, "/tickets", payload(community), UserFactory()).status_code == 403
    assert post(client, "/tickets", payload(community), urban_handler).status_code == 403
    assert not Ticket.objects.exists()


def test_an_operator_registers_through_the_api(client, operator, community, urban, road_rule):
    response = post(client, "/tickets", payload(community), operator)

    assert response.status_code == 201
    body = response.json()
    assert body["handling_unit"] == {"id": urban.pk, "name": urban.name}
    assert body["case_number"].startswith("12345-")
    assert body["channel"] == "api" and body["stage"] == "sign"
    assert body["caller_phone_masked"] == "138****1234"
    assert "13812341234" not in response.content.decode()
    assert len(body["tracking_code"]) == 10


def test_an_emergency_through_the_api_is_recorded_with_guidance(client, operator, community, road_rule):
    response = post(client, "/tickets", payload(community, content="我家楼下着火了"), operator)
    body = response.json()
    assert response.status_code == 201
    assert body["disposition"] == Disposition.EMERGENCY and body["case_number"] is None
    assert "119" in body["guidance"]


def test_bad_input_is_422_naming_the_field(client, operator, community):
    response = post(client, "/tickets", payload(community, category="0101", content="坑"), operator)
    assert response.status_code == 422
    assert "category" in response.json()["detail"] and "content" in response.json()["detail"]
    assert post(client, "/tickets", payload(community, region="999999"), operator).status_code == 422


# --- GET /tickets/{id} ---------------------------------------------------------------------------------


def test_read_follows_the_case_scope(client, operator, community, road_rule, urban_handler, housing_handler):
    ticket = register(operator, community)
    url = f"/api/v1/hotline/tickets/{ticket.pk}"

    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(UserFactory())).status_code == 404
    assert client.get(url, headers=bearer(housing_handler)).status_code == 404
    response = client.get(url, headers=bearer(urban_handler))
    assert response.status_code == 200
    assert response.json()["reference"] == ticket.case.number
    assert response.json()["caller_phone_masked"] == "138****1234"
    assert "13812341234" not in response.content.decode()


# --- POST /route ---------------------------------------------------------------------------------------


def test_route_needs_a_token_and_staff(client, community, road_rule):
    assert post(client, "/route", {"text": POTHOLE}).status_code == 401
    assert post(client, "/route", {"text": POTHOLE}, UserFactory()).status_code == 403


def test_route_suggests_category_unit_and_confidence(client, community, urban, road_rule, urban_handler):
    response = post(client, "/route", {"text": POTHOLE, "region": community.code}, urban_handler)

    body = response.json()
    assert response.status_code == 200
    assert body["category"]["code"] == "010101"
    assert body["lead_unit"] == {"id": urban.pk, "name": urban.name}
    assert 0.6 <= body["confidence"] <= 1 and body["routable"] and body["source"] == "rule"
    assert body["reasons"]


def test_route_without_a_match_returns_no_unit(client, operator):
    body = post(client, "/route", {"text": "你好，请问"}, operator).json()
    assert body["lead_unit"] is None and body["confidence"] == 0 and not body["routable"]


def test_route_rejects_an_unknown_region(client, operator):
    assert post(client, "/route", {"text": POTHOLE, "region": "123"}, operator).status_code == 422
