"""/api/v1/legal/: the four permission cases for every endpoint."""

import itertools

import pytest

from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.legal.models import Outcome, Reconsideration
from fazhi.org.models import Role
from tests.legal.factories import decided, sue
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
_tokens = itertools.count()


def bearer(user) -> dict:
    token = f"fz_legal_test_{user.pk}_{next(_tokens)}"
    ApiToken.objects.create(user=user, prefix=token[:8], digest=sm3_hex(token.encode()))
    return {"Authorization": f"Bearer {token}"}


def get(client, path, user=None, **params):
    return client.get(f"/api/v1/legal{path}", params, headers=bearer(user) if user else {})


@pytest.fixture
def outsider(market):
    return user_with_role(Role.HANDLER, market)


@pytest.fixture
def rec(clerk, body, urban):
    return decided(clerk, body, urban, Outcome.ANNULLED, "procedure")


def test_the_register_needs_a_token_and_a_role(client, rec):
    assert get(client, "/reconsiderations").status_code == 401
    assert get(client, "/reconsiderations", UserFactory()).status_code == 403


def test_the_register_is_scoped(client, rec, clerk, urban_handler, outsider):
    assert [r["number"] for r in get(client, "/reconsiderations", clerk).json()["items"]] == ["复〔2024〕1号"]
    assert get(client, "/reconsiderations", urban_handler).json()["count"] == 1
    assert get(client, "/reconsiderations", outsider).json()["count"] == 0


def test_detail_gives_the_deadlines_and_outcome_but_no_personal_data(client, rec, clerk, outsider):
    path = f"/reconsiderations/{rec.pk}"
    assert get(client, path).status_code == 401
    assert get(client, path, UserFactory()).status_code == 404
    assert get(client, path, outsider).status_code == 404
    body = get(client, path, clerk).json()
    assert body["review_due"] == "2024-10-10" and body["due_date"] == "2024-12-09"
    assert body["outcome"] == "annulled" and body["outcome_article"] == "第六十四条"
    assert body["applicant"] == "李**" and "李建国" not in str(body)


def test_registration_through_the_api(client, clerk, body, urban, urban_handler):
    payload = {
        "respondent_id": urban.pk,
        "received_at": "2024-09-27T10:00:00+08:00",
        "channel": "online",
        "applicant_kind": "legal_person",
        "applicant_org": "明湖市某建材有限公司",
        "act_name": "责令停产整治决定",
        "act_category": "penalty",
        "claims": "请求撤销责令停产整治决定。",
    }
    path = "/api/v1/legal/reconsiderations"
    assert client.post(path, payload, content_type="application/json").status_code == 401
    assert (
        client.post(path, payload, content_type="application/json", headers=bearer(urban_handler)).status_code
        == 403
    )
    bad = client.post(path, {**payload, "claims": ""}, content_type="application/json", headers=bearer(clerk))
    assert bad.status_code == 422 and "claims" in bad.json()["detail"]
    response = client.post(path, payload, content_type="application/json", headers=bearer(clerk))
    assert response.status_code == 201
    assert (
        response.json()["review_due"] == "2024-10-10"
        and response.json()["applicant"] == "明湖市某建材有限公司"
    )
    assert Reconsideration.objects.count() == 1


def test_lawsuits_are_scoped_to_the_defendants(client, urban, urban_handler, outsider):
    lawsuit = sue(urban_handler, urban)
    assert get(client, "/lawsuits").status_code == 401
    assert get(client, "/lawsuits", UserFactory()).status_code == 403
    assert get(client, "/lawsuits", outsider).json()["count"] == 0
    assert get(client, "/lawsuits", urban_handler).json()["items"][0]["defence_due"] == "2025-02-08"
    path = f"/lawsuits/{lawsuit.pk}"
    assert get(client, path).status_code == 401
    assert get(client, path, UserFactory()).status_code == 404
    assert get(client, path, outsider).status_code == 404
    assert get(client, path, urban_handler).json()["defendants"][0]["role"] == "defendant"


def test_figures_with_their_definitions(client, rec, clerk, outsider):
    params = {"start": "2024-01-01", "end": "2024-12-31"}
    assert get(client, "/figures/reconsideration", **params).status_code == 401
    assert get(client, "/figures/reconsideration", UserFactory(), **params).status_code == 403
    assert get(client, "/figures/reconsideration", outsider, **params).json()["rows"] == []
    body = get(client, "/figures/reconsideration", clerk, **params, group="respondent").json()
    figures = {f["code"]: f for f in body["rows"][0]["figures"]}
    assert figures["correction_rate"]["value"] == 100.0
    assert any(d["code"] == "correction_rate" and "分母" not in d["name"] for d in body["definitions"])
    assert get(client, "/figures/reconsideration", clerk, **params, group="nonsense").status_code == 422
    assert get(client, "/figures/litigation", clerk, **params).status_code == 200
