import pytest

from fazhi.legal.models import ReconsiderationBody
from fazhi.org.models import Region, Role, Unit
from tests.org.factories import RegionFactory, UnitFactory, user_with_role


@pytest.fixture
def city(db):
    return RegionFactory(code="379900", name="明湖市", level=Region.Level.CITY)


@pytest.fixture
def county(city):
    return RegionFactory(code="379902", name="湖滨区", level=Region.Level.COUNTY, parent=city)


@pytest.fixture
def government(city):
    return UnitFactory(name="明湖市人民政府", kind=Unit.Kind.GOVERNMENT, region=city)


@pytest.fixture
def justice(city, government):
    """市司法局: the 行政复议机构 of the city government."""
    return UnitFactory(name="明湖市司法局", region=city, parent=government)


@pytest.fixture
def body(justice, government):
    return ReconsiderationBody.objects.create(unit=justice, authority=government, document_prefix="明政复")


@pytest.fixture
def urban(city, government):
    return UnitFactory(name="明湖市城市管理局", short_name="市城管局", region=city, parent=government)


@pytest.fixture
def market(city, government):
    return UnitFactory(name="明湖市市场监督管理局", short_name="市市场监管局", region=city, parent=government)


@pytest.fixture
def district(county, government):
    return UnitFactory(
        name="明湖市湖滨区人民政府", kind=Unit.Kind.GOVERNMENT, region=county, parent=government
    )


@pytest.fixture
def clerk(justice, body):
    return user_with_role(Role.HANDLER, justice)


@pytest.fixture
def approver(justice, body):
    """The 复议机构负责人's sign-off: the case type's extension approver (法治督察) over the body."""
    return user_with_role(Role.SUPERVISOR, justice)


@pytest.fixture
def urban_handler(urban):
    return user_with_role(Role.HANDLER, urban)


@pytest.fixture
def market_handler(market):
    return user_with_role(Role.HANDLER, market)


@pytest.fixture
def supervisor(justice):
    return user_with_role(Role.SUPERVISOR, justice, scope="all")
