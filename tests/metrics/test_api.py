"""/api/v1/metrics/: definitions, values and records, each with the four permission cases."""

import itertools
import random
from datetime import date

import pytest

from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.metrics import compute
from fazhi.metrics.registry import registry
from fazhi.metrics.rollups import rollup_run
from fazhi.org.models import Role
from tests.metrics.factories import build_world
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

YEAR = {"start": "2024-01-01", "end": "2024-12-31"}
_tokens = itertools.count()


@pytest.fixture
def world():
    return build_world(random.Random(31))


@pytest.fixture
def leader(world):
    return user_with_role(Role.LEADER, world.government, scope="all")


@pytest.fixture
def handler(world):
    return user_with_role(Role.HANDLER, world.departments[0])


def call(client, path, user=None, **params):
    headers = {}
    if user is not None:
        token = f"fz_metrics_test_{user.pk}_{next(_tokens)}"
        ApiToken.objects.create(user=user, prefix=token[:8], digest=sm3_hex(token.encode()))
        headers["Authorization"] = f"Bearer {token}"
    return client.get(f"/api/v1/metrics{path}", params, headers=headers)


ENDPOINTS = ["/", "/hotline.ontime_rate", "/hotline.ontime_rate/records"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_callers_must_authenticate(client, world, path):
    assert call(client, path).status_code == 401


@pytest.mark.parametrize("path", ENDPOINTS)
def test_callers_without_a_casework_role_are_refused(client, world, path):
    response = call(client, path, UserFactory())
    assert response.status_code == 403
    assert "查看指标" in response.json()["detail"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_unit_reads_its_own_figures(client, world, handler, path):
    assert call(client, path, handler, unit=world.departments[0].pk, **YEAR).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS[1:])
def test_a_unit_cannot_read_another_units_figures(client, world, handler, path):
    response = call(client, path, handler, unit=world.departments[1].pk, **YEAR)
    assert response.status_code == 403
    assert world.departments[1].name in response.json()["detail"]


def test_the_list_gives_every_definition(client, world, handler):
    body = call(client, "/", handler).json()
    by_code = {m["code"]: m for m in body}
    assert set(by_code) == {m.code for m in registry.all()}
    ontime = by_code["hotline.ontime_rate"]
    assert ontime["kind"] == "rate" and ontime["unit"] == "%" and ontime["precision"] == 1
    assert "超期未办结" in ontime["denominator"] and ontime["min_sample"] == 30
    assert by_code["hotline.received"]["kind"] == "count"


def test_a_value_carries_its_numerator_denominator_and_rounded_figure(client, world, leader):
    rollup_run()
    body = call(client, "/hotline.satisfaction_rate", leader, **YEAR).json()

    expected = compute.figure(
        registry.get("hotline.satisfaction_rate"),
        units=compute.EVERYTHING,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
    )
    assert (body["numerator"], body["denominator"]) == (expected.numerator, expected.denominator)
    assert body["formatted"] == expected.text and body["formatted"].endswith("%")
    assert body["value"] == str(expected.value)
    assert "汇总表" in body["source"] and body["as_of"]


def test_a_leader_reads_a_subtree_and_a_dimension(client, world, leader):
    whole = call(client, "/hotline.received", leader, unit=world.township.pk, subtree=True, **YEAR).json()
    own = call(client, "/hotline.received", leader, unit=world.township.pk, **YEAR).json()
    city = call(client, "/hotline.received", leader, dimension="01", **YEAR).json()

    assert whole["numerator"] > own["numerator"] > 0
    assert whole["formatted"] == f"{whole['numerator']}件"
    assert 0 < city["numerator"] < call(client, "/hotline.received", leader, **YEAR).json()["numerator"]


def test_the_records_are_paginated_and_add_up_to_the_figure(client, world, leader):
    value = call(client, "/hotline.ontime_rate", leader, **YEAR).json()
    first = call(client, "/hotline.ontime_rate/records", leader, part="denominator", limit=5, **YEAR).json()
    rest = call(
        client, "/hotline.ontime_rate/records", leader, part="denominator", limit=200, offset=5, **YEAR
    ).json()

    assert first["count"] == value["denominator"] and first["hidden"] == 0
    assert len(first["items"]) == 5
    numbers = [item["number"] for item in first["items"] + rest["items"]]
    assert len(numbers) == len(set(numbers)) == value["denominator"]
    assert first["items"][0]["url"].startswith("/hotline/")
    assert first["part_label"] == "办结工单数 + 超期未办结工单数"


def test_bad_requests_say_what_is_wrong(client, world, leader):
    assert call(client, "/no.such", leader).status_code == 404
    response = call(client, "/hotline.received/records", leader, part="denominator")
    assert response.status_code == 422 and "numerator" in response.json()["detail"]
    response = call(client, "/hotline.received", leader, start="2024-05-01", end="2024-04-01")
    assert response.status_code == 422 and "早于" in response.json()["detail"]
    assert call(client, "/hotline.received", leader, unit=999999).status_code == 422
