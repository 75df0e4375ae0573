"""REST endpoints of suggestions and proposals: the four permission cases, writes, figures, public answers."""

from datetime import date

import pytest

from fazhi.suggestions.models import Adoption, Body, JudicialSuggestion
from tests.cases.test_api import bearer
from tests.org.factories import UserFactory
from tests.suggestions.factories import GOOD_REPLY, kind, propose, register, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(supervisor, housing, court):
    return register(supervisor, housing, court)


def test_anonymous_gets_401(client, suggestion):
    for url in (
        "/api/v1/suggestions/judicial",
        f"/api/v1/suggestions/judicial/{suggestion.pk}",
        "/api/v1/suggestions/proposals",
    ):
        assert client.get(url).status_code == 401


def test_no_role_sees_nothing_and_no_figures(client, suggestion):
    headers = bearer(UserFactory())
    assert client.get("/api/v1/suggestions/judicial", headers=headers).json()["count"] == 0
    assert client.get(f"/api/v1/suggestions/judicial/{suggestion.pk}", headers=headers).status_code == 404
    assert client.get("/api/v1/suggestions/judicial/figures", headers=headers).status_code == 403


def test_the_addressee_reads_and_replies(client, suggestion, housing_handler):
    headers = bearer(housing_handler)
    listing = client.get("/api/v1/suggestions/judicial", headers=headers).json()
    assert [item["number"] for item in listing["items"]] == [suggestion.case.number]
    assert listing["items"][0]["clock"] == "overdue" and listing["items"][0]["due_date"] == "2024-11-27"

    response = client.post(
        f"/api/v1/suggestions/judicial/{suggestion.pk}/reply",
        content_type="application/json",
        data={"adoption": "partly", "text": GOOD_REPLY, "replied_on": "2024-11-20"},
        headers=headers,
    )
    assert response.status_code == 422 and "reasons" in response.json()["detail"]
    response = client.post(
        f"/api/v1/suggestions/judicial/{suggestion.pk}/reply",
        content_type="application/json",
        data={"adoption": "adopted", "text": GOOD_REPLY, "replied_on": "2024-11-20"},
        headers=headers,
    )
    body = response.json()
    assert response.status_code == 200 and body["replies"][0]["on_time"] and body["status"] == "closed"


def test_another_unit_gets_404_and_cannot_reply(client, suggestion, urban_handler):
    headers = bearer(urban_handler)
    assert client.get(f"/api/v1/suggestions/judicial/{suggestion.pk}", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/suggestions/judicial/{suggestion.pk}/reply",
        content_type="application/json",
        data={"adoption": "adopted", "text": GOOD_REPLY},
        headers=headers,
    )
    assert response.status_code == 404


def test_registering_through_the_api(client, supervisor, housing, procuratorate, housing_handler, urban):
    payload = {
        "kind": "public_interest",
        "issuer_id": procuratorate.pk,
        "addressee_id": housing.pk,
        "title": "关于校园周边食品安全监管的检察建议",
        "content": "检察机关发现部分中小学校周边食品摊点无证经营，建议依法查处。",
        "received_on": "2024-09-16",
        "urgent": True,
    }
    response = client.post(
        "/api/v1/suggestions/judicial",
        content_type="application/json",
        data=payload,
        headers=bearer(supervisor),
    )
    assert response.status_code == 201 and response.json()["due_date"] == "2024-10-08"
    refused = client.post(
        "/api/v1/suggestions/judicial",
        content_type="application/json",
        data={**payload, "addressee_id": urban.pk},
        headers=bearer(housing_handler),
    )
    assert refused.status_code == 403
    assert JudicialSuggestion.objects.count() == 1


def test_figures_come_with_their_definitions(client, suggestion, supervisor, housing_handler):
    from fazhi.suggestions import services

    services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 12, 2),
    )
    body = client.get(
        "/api/v1/suggestions/judicial/figures", {"year": 2024}, headers=bearer(supervisor)
    ).json()
    assert body["total"]["counts"]["received"] == 1 and body["total"]["counts"]["on_time"] == 0
    assert body["total"]["rates"]["reply_rate"] == "100.0" and body["total"]["rates"]["on_time_rate"] == "0.0"
    assert any(d["key"] == "on_time_rate" and "应回复" in d["definition"] for d in body["definitions"])


def test_proposals_and_the_public_answers(client, dispatcher, housing, housing_handler, urban_handler):
    from fazhi.suggestions import services
    from fazhi.suggestions.models import Grade, ProposalContact

    proposal = propose(dispatcher, housing, session=session(Body.CONGRESS))
    assert client.get("/api/v1/suggestions/proposals", headers=bearer(housing_handler)).json()["count"] == 1
    assert (
        client.get(f"/api/v1/suggestions/proposals/{proposal.pk}", headers=bearer(urban_handler)).status_code
        == 404
    )
    services.proposal_contact(
        proposal=proposal,
        actor=housing_handler,
        method=ProposalContact.Method.PHONE,
        note="电话联系王建国代表听取意见。",
        contacted_on=date(2024, 3, 1),
    )
    answer = services.proposal_answer(
        proposal=proposal,
        actor=housing_handler,
        grade=Grade.A,
        text="已采纳，联系电话13912345678，已将加装电梯审批时限压缩至15个工作日并提高补贴。",
        answered_on=date(2024, 4, 1),
    )
    assert client.get("/api/v1/suggestions/public/answers").json()["count"] == 0
    services.answer_disclose(answer=answer, actor=housing_handler)
    public = client.get("/api/v1/suggestions/public/answers").json()["items"]
    assert public[0]["lead_proposer"] == "王建国" and "13912345678" not in public[0]["text"]


def test_a_kind_that_does_not_exist_is_named(client, supervisor, housing, court):
    response = client.post(
        "/api/v1/suggestions/judicial",
        content_type="application/json",
        data={
            "kind": "nonsense",
            "issuer_id": court.pk,
            "addressee_id": housing.pk,
            "title": "x",
            "content": "y",
        },
        headers=bearer(supervisor),
    )
    assert response.status_code == 422 and "nonsense" in response.json()["detail"]
    assert kind().code == "comprehensive"
