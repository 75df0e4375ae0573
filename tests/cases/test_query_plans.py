"""The unit scope stays an index probe per case, whatever a unit's history holds."""

import pytest
from django.db import connection

from fazhi.cases.selectors import cases_visible_to
from fazhi.org.models import Role
from tests.org.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL is measured in benchmarks/"
)
def test_the_co_handled_probe_uses_the_case_and_unit_index(unit):
    handler = user_with_role(Role.HANDLER, unit)
    sql, params = cases_visible_to(handler).values("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())

    # Before the (case, unit) index SQLite chose the unit index here and read the unit's whole
    # history once per case: a department's 12345 list took 20 s on the demo city.
    assert "caseunit_case_unit_idx" in plan, plan
