"""补录: a supervisor records a result the unit reported on an earlier day; nobody else may close."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.models import Case
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.org.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_supervisor_records_an_earlier_closing_on_the_units_behalf(unit):
    case = open_case(unit, received_at=at(2024, 9, 27))
    supervisor = user_with_role(Role.SUPERVISOR, UnitFactory(), scope="all")

    services.case_close(case=case, actor=supervisor, note="已书面答复申请人。", closed_at=at(2024, 10, 30))

    case.refresh_from_db()
    entry = case.timeline.get(action="closed")
    assert case.status == Case.Status.CLOSED
    assert timezone.localdate(case.closed_at).isoformat() == "2024-10-30"
    assert entry.note == "（补录）已书面答复申请人。" and entry.data == {"on_behalf": True}


def test_a_supervisor_may_not_close_today_nor_outside_their_scope(unit, other_unit):
    case = open_case(unit)
    supervisor = user_with_role(Role.SUPERVISOR, other_unit)  # this unit only
    everywhere = user_with_role(Role.SUPERVISOR, other_unit, scope="all")

    with pytest.raises(PermissionDenied):
        services.case_close(case=case, actor=everywhere, note="已书面答复申请人。")
    with pytest.raises(PermissionDenied):
        services.case_close(
            case=case,
            actor=supervisor,
            note="已书面答复申请人。",
            closed_at=timezone.now() - timedelta(days=1),
        )
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


def test_the_handling_unit_closes_without_the_mark(unit, handler):
    case = open_case(unit)
    services.case_close(case=case, actor=handler, note="已书面答复申请人。", closed_at=at(2024, 10, 30))
    entry = case.timeline.get(action="closed")
    assert entry.note == "已书面答复申请人。" and entry.data == {}
