import pytest

from fazhi.mediation.models import Committee, Mediator
from fazhi.org.models import Region, Role, Unit
from tests.org.factories import RegionFactory, UnitFactory, user_with_role


@pytest.fixture
def city(db):
    return RegionFactory(code="410900", name="濮阳市", level=Region.Level.CITY)


@pytest.fixture
def county(city):
    return RegionFactory(code="410902", name="华龙区", level=Region.Level.COUNTY, parent=city)


@pytest.fixture
def street_region(county):
    return RegionFactory(code="410902001", name="中原路街道", level=Region.Level.STREET, parent=county)


@pytest.fixture
def other_street_region(county):
    return RegionFactory(code="410902002", name="胜利路街道", level=Region.Level.STREET, parent=county)


@pytest.fixture
def community(street_region):
    return RegionFactory(
        code="410902001001", name="幸福社区", level=Region.Level.COMMUNITY, parent=street_region
    )


@pytest.fixture
def street(street_region):
    return UnitFactory(name="华龙区中原路街道办事处", kind=Unit.Kind.TOWNSHIP, region=street_region)


@pytest.fixture
def other_street(other_street_region):
    return UnitFactory(name="华龙区胜利路街道办事处", kind=Unit.Kind.TOWNSHIP, region=other_street_region)


@pytest.fixture
def committee(street, community):
    return Committee.objects.create(
        name="幸福社区人民调解委员会", kind=Committee.Kind.COMMUNITY, unit=street, region=community
    )


@pytest.fixture
def other_committee(other_street, other_street_region):
    return Committee.objects.create(
        name="胜利路街道人民调解委员会",
        kind=Committee.Kind.TOWNSHIP,
        unit=other_street,
        region=other_street_region,
    )


@pytest.fixture
def mediator(committee):
    return Mediator.objects.create(
        committee=committee, name="赵桂芳", post=Mediator.Post.CHAIR, phone="13912345678"
    )


@pytest.fixture
def street_handler(street):
    return user_with_role(Role.HANDLER, street)


@pytest.fixture
def other_handler(other_street):
    return user_with_role(Role.HANDLER, other_street)


@pytest.fixture
def justice_supervisor(city):
    return user_with_role(Role.SUPERVISOR, UnitFactory(name="濮阳市司法局", region=city), scope="all")
