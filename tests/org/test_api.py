import pytest

from fazhi.core.tokens import token_create
from fazhi.org.models import Role
from tests.org.factories import ResponsibilityItemFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/org/units",
    "/api/v1/org/regions",
    "/api/v1/org/responsibility-items",
    "/api/v1/org/boundary-items",
]


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_create(actor=None, user=user)}"}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401(client, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_account_without_a_role_reads_nothing(client, url, unit):
    ResponsibilityItemFactory(unit=unit)
    response = client.get(url, headers=bearer(UserFactory()))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_staff_read_the_registers_of_other_units_too(client, unit, other_unit):
    """Registers are public within the government; only casework is scoped."""
    item = ResponsibilityItemFactory(unit=other_unit, name="食品经营许可")
    reader = user_with_role(Role.HANDLER, unit)

    units = client.get("/api/v1/org/units", headers=bearer(reader)).json()
    items = client.get("/api/v1/org/responsibility-items?keyword=食品", headers=bearer(reader)).json()

    assert {u["name"] for u in units["items"]} >= {unit.name, other_unit.name}
    assert [(i["code"], i["unit"]) for i in items["items"]] == [(item.code, other_unit.name)]
    assert units["items"][0]["region_code"] == unit.region.code
