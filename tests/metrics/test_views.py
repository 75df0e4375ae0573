"""The cockpit, unit page, drill-down list and definitions page, as their users see them."""

import json
import random
import re
from datetime import date

import pytest
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.hotline.models import Ticket
from fazhi.metrics import compute
from fazhi.metrics.registry import registry
from fazhi.metrics.rollups import rollup_run
from fazhi.org.models import Role
from tests.metrics.factories import build_world
from tests.org.factories import PASSWORD, UserFactory, admin_user, user_with_role

pytestmark = pytest.mark.django_db

PERIOD = "2024-01-01~2024-12-31"
YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


@pytest.fixture
def world():
    return build_world(random.Random(21))


@pytest.fixture
def leader(world):
    return user_with_role(Role.LEADER, world.government, scope="all")


@pytest.fixture
def handler(world):
    return user_with_role(Role.HANDLER, world.departments[0])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def pages(world):
    """(url name, args, query) of every page, about the first department."""
    unit = world.departments[0]
    return [
        ("metrics:cockpit", [], {"period": PERIOD}),
        ("metrics:unit", [unit.pk], {"period": PERIOD}),
        (
            "metrics:records",
            ["hotline.ontime_rate"],
            {"period": PERIOD, "unit": unit.pk, "part": "denominator"},
        ),
        ("metrics:definitions", [], {}),
    ]


def get(client, name, args, query):
    return client.get(reverse(name, args=args), query)


# --- the four permission cases ------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for name, args, query in pages(world):
        response = get(client, name, args, query)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("who", ["nobody", "system_admin"])
def test_staff_without_a_casework_role_are_refused(client, world, who):
    user = UserFactory() if who == "nobody" else admin_user(Role.SYSTEM_ADMIN, world.government)
    login(client, user)
    for name, args, query in pages(world):
        assert get(client, name, args, query).status_code == 403, name


def test_a_unit_sees_its_own_figures(client, world, handler):
    login(client, handler)
    for name, args, query in pages(world):
        assert get(client, name, args, query).status_code == 200, name


def test_a_unit_cannot_open_another_units_figures(client, world, handler):
    login(client, handler)
    other = world.departments[1]
    assert client.get(reverse("metrics:unit", args=[other.pk])).status_code == 403
    records = reverse("metrics:records", args=["hotline.ontime_rate"])
    assert client.get(records, {"unit": other.pk}).status_code == 403
    assert client.get(reverse("metrics:cockpit"), {"unit": other.pk}).status_code == 403
    # nor the whole government by asking for its subtree
    assert (
        client.get(reverse("metrics:cockpit"), {"unit": world.government.pk, "subtree": "1"}).status_code
        == 403
    )


# --- what a leader sees -------------------------------------------------------------------------


def test_the_cockpit_shows_every_registered_figure_as_the_registry_computes_it(client, world, leader):
    rollup_run()
    login(client, leader)

    response = client.get(reverse("metrics:cockpit"), {"period": PERIOD})

    html = response.content.decode()
    expected = compute.figures(registry.all(), units=compute.EVERYTHING, **YEAR)[()]
    for metric in registry.all():
        assert metric.name in html
        assert expected[metric.code].text in html
    ontime = expected["hotline.ontime_rate"]
    assert f">{ontime.numerator}</a> / <a" in html and ontime.denominator > 0


def test_every_figure_on_the_cockpit_links_to_its_records(client, world, leader):
    login(client, leader)
    html = client.get(reverse("metrics:cockpit"), {"period": PERIOD}).content.decode()

    links = set(re.findall(r'href="(/metrics/[^"/]+/records/\?[^"]+)"', html))
    codes = {re.match(r"/metrics/([^/]+)/records/", link)[1] for link in links}
    assert codes == {m.code for m in registry.all()}
    charts = json.loads(
        re.search(r'<script id="metric-charts" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert all(
        p["url"].startswith("/metrics/") for t in charts["trends"] for s in t["series"] for p in s["points"]
    )
    assert charts["mix"]["slices"] and all("dimension=" in s["url"] for s in charts["mix"]["slices"])
    assert charts["heat"]["cells"] and all("unit=" in c["url"] for c in charts["heat"]["cells"])


def test_the_league_table_ranks_only_units_with_enough_requests(client, world, leader, settings):
    settings.FAZHI_METRICS_MIN_SAMPLE = {"hotline.reply_rate": 12}
    login(client, leader)
    response = client.get(reverse("metrics:cockpit"), {"period": PERIOD, "rank": "hotline.reply_rate"})

    league = response.context["league"]
    assert league["metric"].code == "hotline.reply_rate"
    assert all(row["figure"].denominator >= 12 for row in league["ranked"])
    assert all(row["figure"].denominator < 12 for row in league["unranked"])
    assert league["ranked"] and league["unranked"]
    values = [row["figure"].value for row in league["ranked"]]
    assert values == sorted(values, reverse=True)
    assert [row["rank"] for row in league["ranked"]] == list(range(1, len(values) + 1))
    assert "样本不足" in response.content.decode()


def test_rankings_of_rates_where_lower_is_better_put_the_lowest_first(client, world, leader):
    login(client, leader)
    league = client.get(
        reverse("metrics:cockpit"), {"period": PERIOD, "rank": "hotline.return_rate"}
    ).context["league"]
    values = [row["figure"].value for row in league["ranked"]]
    assert values == sorted(values)


def test_the_records_list_holds_exactly_the_records_counted(client, world, leader):
    login(client, leader)
    unit = world.departments[0]
    url = reverse("metrics:records", args=["hotline.ontime_rate"])

    response = client.get(url, {"period": PERIOD, "unit": unit.pk, "part": "denominator"})

    figure = compute.figure(registry.get("hotline.ontime_rate"), units=compute.one_unit(unit.pk), **YEAR)
    listed = {row.number for row in response.context["rows"]}
    assert response.context["page"].paginator.count == figure.denominator == len(listed)
    expected = {
        t.reference
        for t in Ticket.objects.filter(case__handling_unit=unit, disposition="dispatch").select_related(
            "case"
        )
        if t.case.status == Case.Status.CLOSED
        or (t.case.status == Case.Status.OPEN and t.case.due_date < date.today())
    }
    assert listed == expected


def test_confidential_records_are_counted_but_not_listed_for_a_leader(client, world, leader):
    ticket = Ticket.objects.filter(disposition="dispatch", case__handling_unit=world.departments[0]).first()
    Case.objects.filter(pk=ticket.case_id).update(is_confidential=True)
    login(client, leader)

    response = client.get(
        reverse("metrics:records", args=["hotline.received"]),
        {"period": PERIOD, "unit": world.departments[0].pk},
    )

    assert response.context["hidden"] == 1
    assert ticket.reference not in {row.number for row in response.context["rows"]}
    assert "另有1件保密" in response.content.decode()


def test_a_units_page_shows_its_own_figures_and_its_subtree(client, world, leader):
    login(client, leader)
    township = world.township
    own = client.get(reverse("metrics:unit", args=[township.pk]), {"period": PERIOD})
    with_children = client.get(
        reverse("metrics:unit", args=[township.pk]), {"period": PERIOD, "subtree": "1"}
    )

    def received(response):
        cards = dict(response.context["domains"])["12345热线"]
        return next(c["figure"] for c in cards if c["metric"].code == "hotline.received").numerator

    assert (
        received(own) == Ticket.objects.filter(disposition="dispatch", case__handling_unit=township).count()
    )
    assert (
        received(with_children)
        == Ticket.objects.filter(
            disposition="dispatch", case__handling_unit__in=[township, world.village]
        ).count()
    )
    assert received(with_children) > received(own)
    assert world.village.name in own.content.decode()  # the child unit is one click away


def test_the_definitions_page_writes_out_every_definition(client, world, handler):
    login(client, handler)
    html = client.get(reverse("metrics:definitions")).content.decode()
    for metric in registry.all():
        assert metric.definition in html
    assert "按时办结率 = 按时办结工单数 ÷（办结工单数 + 超期未办结工单数）" in html


def test_an_unknown_metric_is_not_found(client, world, leader):
    login(client, leader)
    assert client.get(reverse("metrics:records", args=["no.such"])).status_code == 404


def test_the_nav_links_the_cockpit_for_casework_roles_only(client, world, leader):
    login(client, leader)
    assert "驾驶舱" in client.get(reverse("metrics:definitions")).content.decode()


def test_the_cockpit_reads_the_same_number_of_queries_whatever_the_volume(client, world, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.metrics.factories import local, signed_ticket

    login(client, leader)
    url = reverse("metrics:cockpit")

    def queries() -> int:
        rollup_run()
        client.get(url, {"period": PERIOD})  # the session's first touch costs its own queries
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"period": PERIOD}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(40):
        day = date(2024, 1 + n % 6, 1 + n % 27)
        signed_ticket(
            world, unit=world.handlers[n % 5], received=local(day, 9), signed=local(day, 15), n=70000 + n
        )
    after = queries()

    assert after == before
    # a past year is read from the rollups alone; the day in progress would add one read per measure
    assert before <= 20
