"""/api/v1/reports/annual: the reports a user may read, and one report with its figure sentences,
the values they were written with, and what moved since."""

import itertools

import pytest

from fazhi.core.audit import sm3_hex
from fazhi.core.models import ApiToken
from fazhi.legal.models import Outcome
from fazhi.org.models import Role
from fazhi.reports import services
from tests.legal.factories import decided
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
_tokens = itertools.count()


def bearer(user) -> dict:
    token = f"fz_reports_test_{user.pk}_{next(_tokens)}"
    ApiToken.objects.create(user=user, prefix=token[:8], digest=sm3_hex(token.encode()))
    return {"Authorization": f"Bearer {token}"}


def get(client, path, user=None):
    return client.get(f"/api/v1/reports{path}", headers=bearer(user) if user else {})


@pytest.fixture
def prefilled(urban_writer, urban_report):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    return urban_report


def test_anonymous_and_roleless_callers_are_refused(client, prefilled):
    assert get(client, "/annual").status_code == 401
    assert get(client, "/annual", UserFactory()).status_code == 403
    assert get(client, f"/annual/{prefilled.pk}", UserFactory()).status_code == 404


def test_the_list_is_scoped_to_the_readers_units(client, prefilled, urban_writer, market):
    mine = get(client, "/annual", urban_writer).json()["items"]
    theirs = get(client, "/annual", user_with_role(Role.HANDLER, market)).json()["items"]

    assert [r["title"] for r in mine] == [prefilled.title]
    assert theirs == []


def test_another_units_report_is_not_found(client, prefilled, market):
    assert get(client, f"/annual/{prefilled.pk}", user_with_role(Role.HANDLER, market)).status_code == 404


def test_a_report_gives_each_sentence_with_its_values_and_what_moved(
    client, prefilled, urban_writer, clerk, body, urban
):
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")

    found = get(client, f"/annual/{prefilled.pk}", urban_writer).json()

    sentence = next(s for section in found["sections"] for s in section["sentences"])
    assert sentence["metrics"][0] == "legal.reconsideration.received"
    assert sentence["values"]["legal.reconsideration.received"]["numerator"] == 3
    assert sentence["stale"] is True
    assert {c["metric"]: c["new"]["numerator"] for c in sentence["changes"]}[
        "legal.reconsideration.received"
    ] == 4
