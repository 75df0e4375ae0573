import pytest

from fazhi.org.models import Region, Role, Unit
from tests.hotline.factories import category, rule
from tests.org.factories import RegionFactory, UnitFactory, user_with_role


@pytest.fixture
def city(db):
    return RegionFactory(code="410900", name="濮阳市", level=Region.Level.CITY)


@pytest.fixture
def district(city):
    return RegionFactory(code="410902", name="华龙区", level=Region.Level.COUNTY, parent=city)


@pytest.fixture
def street(district):
    return RegionFactory(code="410902001", name="中原路街道", level=Region.Level.STREET, parent=district)


@pytest.fixture
def community(street):
    return RegionFactory(code="410902001001", name="幸福社区", level=Region.Level.COMMUNITY, parent=street)


@pytest.fixture
def neighbour_community(street):
    return RegionFactory(code="410902001002", name="和谐社区", level=Region.Level.COMMUNITY, parent=street)


@pytest.fixture
def centre(city):
    return UnitFactory(name="濮阳市12345政务服务便民热线中心", kind=Unit.Kind.OTHER, region=city)


@pytest.fixture
def operator(centre):
    return user_with_role(Role.OPERATOR, centre, scope="all")


@pytest.fixture
def urban(city):
    return UnitFactory(name="濮阳市城市管理局", region=city)


@pytest.fixture
def housing(city):
    return UnitFactory(name="濮阳市住房和城乡建设局", region=city)


@pytest.fixture
def urban_handler(urban):
    return user_with_role(Role.HANDLER, urban)


@pytest.fixture
def housing_handler(housing):
    return user_with_role(Role.HANDLER, housing)


@pytest.fixture
def road_rule(urban):
    """市政设施 (all its third-level categories) → 城市管理局, anywhere in the city."""
    return rule(urban, category=category("0101"), name="市政设施归城管")
