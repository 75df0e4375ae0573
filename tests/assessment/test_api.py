"""REST reads of 考核: the four permission cases; deductions name their records."""

import pytest

from fazhi.assessment import services
from fazhi.org.models import Role
from tests.assessment.factories import cycle, late_filing, review_all
from tests.cases.test_api import bearer
from tests.org.factories import UnitFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(supervisor, starter, urban, urban_handler, housing):
    late_filing(urban, urban_handler)
    c = cycle(supervisor, starter, [urban, housing])
    services.cycle_advance(actor=supervisor, cycle=c)
    services.cycle_advance(actor=supervisor, cycle=c)
    review_all(supervisor, c)
    return services.cycle_publish(actor=supervisor, cycle=c)


def url(c) -> str:
    return f"/api/v1/assessment/cycles/{c.pk}/results"


def test_anonymous_gets_401(client, published):
    assert client.get("/api/v1/assessment/cycles").status_code == 401
    assert client.get(url(published)).status_code == 401


def test_no_role_sees_nothing(client, published):
    headers = bearer(UserFactory())
    assert client.get("/api/v1/assessment/cycles", headers=headers).json() == []
    assert client.get(url(published), headers=headers).status_code == 404


def test_the_unit_reads_the_ranking_and_its_deduction_with_the_record(client, published, urban_handler):
    body = client.get(url(published), headers=bearer(urban_handler)).json()
    assert [(r["rank"], r["unit"], r["total"]) for r in body["ranking"]] == [
        (1, "明湖市住房和城乡建设局", "100.00"),
        (2, "明湖市城市管理局", "98.00"),
    ]
    (deduction,) = body["deductions"]
    assert deduction["record"].startswith("备〔2025〕") and deduction["points"] == "2.00"


def test_another_unit_sees_the_ranking_but_not_the_deduction(client, published, housing_handler):
    body = client.get(url(published), headers=bearer(housing_handler)).json()
    assert len(body["ranking"]) == 2 and body["deductions"] == []


def test_a_unit_outside_the_cycle_gets_404(client, published):
    outsider = user_with_role(Role.HANDLER, UnitFactory(name="明湖市统计局"))
    assert client.get(url(published), headers=bearer(outsider)).status_code == 404
