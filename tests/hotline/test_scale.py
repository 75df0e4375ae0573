"""What keeps the hotline fast at city scale without losing a rule or an audit guarantee."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.hotline import selectors, views
from fazhi.hotline.models import Ticket
from tests.hotline.factories import register

pytestmark = pytest.mark.django_db

# SAVEPOINT/RELEASE, case type with "any local limit?", ticket INSERT, audit INSERT (5) around
# case_open (10: savepoint pair, the number, stages, case, case units, timeline, notices, audit).
INTAKE_QUERIES = 15


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


# --- search and counting over the history --------------------------------------------------------


def test_a_two_character_word_finds_exactly_the_requests_that_contain_it(operator, community, road_rule):
    cover = register(operator, community, content="小区门口的窨井盖松动了，车一压就响，请派人加固。")
    register(operator, community, content="幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险。")
    fumes = register(operator, community, content="楼下饭店油烟直排，熏得没法开窗，请核查油烟净化设施。")

    assert list(selectors.tickets_list(operator, q="井盖")) == [cover]
    assert list(selectors.tickets_list(operator, q="油烟")) == [fumes]
    assert list(selectors.tickets_list(operator, q="盖松动")) == [cover]
    assert list(selectors.tickets_list(operator, q="'\\")) == []  # quotes and backslashes are only text


def test_a_history_list_counts_up_to_the_cap_and_says_so(operator, community, road_rule, monkeypatch):
    monkeypatch.setattr(selectors.CappedPaginator, "cap", 3)
    for _ in range(5):
        register(operator, community)

    page = selectors.CappedPaginator(selectors.tickets_list(operator), 2).get_page(1)

    assert (page.paginator.count, page.paginator.count_capped) == (3, True)
    assert len(page.object_list) == 2


def test_a_short_list_is_counted_exactly(operator, community, road_rule):
    register(operator, community)
    register(operator, community)

    paginator = selectors.CappedPaginator(selectors.tickets_list(operator), 50)

    assert (paginator.count, paginator.count_capped) == (2, False)


def test_the_list_page_says_plus_when_it_stopped_counting_but_counts_open_work_exactly(
    client, operator, community, road_rule, monkeypatch
):
    monkeypatch.setattr(selectors.CappedPaginator, "cap", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(5):
        register(operator, community)
    client.force_login(operator)

    everything = client.get(reverse("hotline:list")).content.decode()
    unsigned = client.get(reverse("hotline:list"), {"state": "unsigned"}).content.decode()

    assert "共3+件" in everything
    assert "共5件" in unsigned
