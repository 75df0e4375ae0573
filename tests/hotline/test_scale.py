"""What keeps the hotline fast at city scale without losing a rule or an audit guarantee."""

import pytest
from django.db import IntegrityError, transaction

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.hotline.models import Ticket
from tests.hotline.factories import register

pytestmark = pytest.mark.django_db

# SAVEPOINT/RELEASE, local limits, case type, ticket INSERT, audit INSERT (6) around case_open (15).
INTAKE_QUERIES = 21


def test_intake_writes_each_row_once_in_a_pinned_number_of_queries(
    operator, community, urban, road_rule, django_assert_num_queries
):
    register(operator, community)  # the first audit record of a transaction takes the chain lock

    with django_assert_num_queries(INTAKE_QUERIES):
        ticket = register(operator, community, lead_unit=urban)

    assert Ticket.objects.get(pk=ticket.pk).case.handling_unit == urban
    assert list(
        AuditEvent.objects.filter(target_id__in=[str(ticket.pk), str(ticket.case_id)])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["cases.opened", "hotline.registered"]


def test_the_audit_chain_holds_when_a_savepoint_with_audit_records_is_rolled_back(
    operator, community, road_rule
):
    register(operator, community)
    try:
        with transaction.atomic():
            register(operator, community)
            raise IntegrityError("simulated failure after the intake")
    except IntegrityError:
        pass

    register(operator, community)

    checked, problems = audit.verify_chain()
    assert checked == AuditEvent.objects.count() == 4
    assert problems == []
