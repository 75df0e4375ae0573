"""REST reads of 人民调解: the four permission cases, masked parties, figures."""

import pytest

from fazhi.mediation import services
from fazhi.mediation.models import Outcome
from tests.cases.test_api import bearer
from tests.mediation.factories import AGREEMENT, register
from tests.org.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(street_handler, committee, community):
    return register(street_handler, committee, community)


def test_anonymous_gets_401(client, dispute):
    assert client.get("/api/v1/mediation/disputes").status_code == 401
    assert client.get(f"/api/v1/mediation/disputes/{dispute.pk}").status_code == 401


def test_no_role_sees_nothing(client, dispute):
    headers = bearer(UserFactory())
    assert client.get("/api/v1/mediation/disputes", headers=headers).json()["count"] == 0
    assert client.get(f"/api/v1/mediation/disputes/{dispute.pk}", headers=headers).status_code == 404
    assert client.get("/api/v1/mediation/figures", headers=headers).status_code == 403


def test_the_street_reads_its_dispute_with_parties_masked(client, dispute, street_handler):
    body = client.get(f"/api/v1/mediation/disputes/{dispute.pk}", headers=bearer(street_handler)).json()
    assert body["number"] == dispute.case.number and body["due_date"] == "2024-10-08"
    assert {p["name_masked"] for p in body["parties"]} == {"张*", "李*"}
    assert "张三" not in str(body)


def test_another_street_gets_404(client, dispute, other_handler):
    assert (
        client.get(f"/api/v1/mediation/disputes/{dispute.pk}", headers=bearer(other_handler)).status_code
        == 404
    )


def test_figures_by_county(client, dispute, street_handler, justice_supervisor):
    from datetime import date

    services.dispute_conclude(
        dispute=dispute,
        actor=street_handler,
        outcome=Outcome.SUCCESS,
        concluded_on=date(2024, 9, 10),
        agreement_form="written",
        agreement_text=AGREEMENT,
        parties_told=True,
    )
    body = client.get(
        "/api/v1/mediation/figures", {"year": 2024, "group": "county"}, headers=bearer(justice_supervisor)
    ).json()
    assert body["rows"][0]["name"] == "华龙区"
    assert body["rows"][0]["rates"]["settle_rate"] == "100.0"
