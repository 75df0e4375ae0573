from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fazhi.cases.models import Notice
from fazhi.hotline.hotspots import hotspot_cells, hotspot_warnings_issue
from fazhi.hotline.models import Category, Ticket
from fazhi.org.models import Region, Role
from tests.org.factories import PASSWORD, RegionFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(db):
    city = RegionFactory(code="379900", name="明湖市", level=Region.Level.CITY)
    district = RegionFactory(code="379902", name="湖滨区", level=Region.Level.COUNTY, parent=city)
    return RegionFactory(code="379902001", name="滨河街道", level=Region.Level.STREET, parent=district)


@pytest.fixture
def community(street):
    return RegionFactory(code="379902001001", name="文苑社区", level=Region.Level.COMMUNITY, parent=street)


@pytest.fixture
def noise():
    return (
        Category.objects.filter(level=3, parent__name__contains="噪").first()
        or Category.objects.filter(level=3).first()
    )


def make_tickets(n, *, unit, region, category, days_ago):
    """Tickets registered through the intake service on the day the calls came in."""
    from fazhi.hotline.services import ticket_register

    operator = user_with_role(Role.OPERATOR, UnitFactory(name=f"热线中心{unit.pk}-{days_ago}"), scope="all")
    when = timezone.now() - timedelta(days=days_ago)
    for i in range(n):
        ticket_register(
            actor=operator,
            content=f"文苑社区附近工地夜里十一点还在施工，吵得睡不着，第{i + 1}次反映",
            request_type="complaint",
            category=category,
            region=region,
            channel="phone",
            lead_unit=unit,
            received_at=when,
        )


def test_a_week_on_week_spike_warns_the_responsible_unit_and_the_leaders(street, community, noise):
    unit = UnitFactory(name="明湖市生态环境局")
    leader = user_with_role(Role.LEADER, UnitFactory(name="明湖市人民政府"), scope="all")
    make_tickets(6, unit=unit, region=community, category=noise, days_ago=2)
    make_tickets(2, unit=unit, region=street, category=noise, days_ago=9)

    cells = hotspot_cells(Ticket.objects.all())
    issued = hotspot_warnings_issue()
    again = hotspot_warnings_issue()

    cell = next(c for c in cells if c.street == "滨河街道")
    assert (cell.current, cell.previous, cell.spike) == (6, 2, True)
    assert len(issued) == 1 and again == []
    warned = set(Notice.objects.filter(kind=Notice.Kind.WARNING).values_list("unit", flat=True))
    assert warned == {unit.pk, leader.memberships.get().unit_id}
    assert "滨河街道" in Notice.objects.filter(kind="warning").first().title


def test_a_steady_cell_is_not_a_spike(street, noise):
    unit = UnitFactory()
    make_tickets(5, unit=unit, region=street, category=noise, days_ago=1)
    make_tickets(4, unit=unit, region=street, category=noise, days_ago=8)
    assert hotspot_warnings_issue() == []
    assert not Notice.objects.filter(kind=Notice.Kind.WARNING).exists()


def test_the_command_reports_new_warnings(street, noise, capsys):
    make_tickets(5, unit=UnitFactory(), region=street, category=noise, days_ago=1)
    call_command("hotline", "hotspots")
    assert "新发热点预警 1 处" in capsys.readouterr().out


def test_page_permissions_and_scope(client, street, noise):
    unit, other = UnitFactory(), UnitFactory()
    make_tickets(5, unit=unit, region=street, category=noise, days_ago=1)
    url = reverse("hotline:hotspots")

    assert client.get(url).status_code == 302  # anonymous → login

    from tests.org.factories import UserFactory

    client.login(username=UserFactory().username, password=PASSWORD)
    assert client.get(url).status_code == 403  # no role

    client.login(username=user_with_role(Role.HANDLER, unit).username, password=PASSWORD)
    page = client.get(url).content.decode()
    assert "滨河街道" in page and "预警（1）" in page

    client.login(username=user_with_role(Role.HANDLER, other).username, password=PASSWORD)
    assert "滨河街道" not in client.get(url).content.decode()  # another unit's requests are not counted
