import pytest

from fazhi.org.models import Region, Role, Unit
from tests.org.factories import RegionFactory, UnitFactory, user_with_role


@pytest.fixture
def city(db):
    return RegionFactory(code="410900", name="濮阳市", level=Region.Level.CITY)


@pytest.fixture
def court(city):
    return UnitFactory(name="濮阳市中级人民法院", kind=Unit.Kind.COURT, region=city)


@pytest.fixture
def procuratorate(city):
    return UnitFactory(name="濮阳市人民检察院", kind=Unit.Kind.PROCURATORATE, region=city)


@pytest.fixture
def justice(city):
    """司法局: the supervisors' unit."""
    return UnitFactory(name="濮阳市司法局", region=city)


@pytest.fixture
def office(city):
    """市政府办公室督查室: assigns deputies' suggestions and members' proposals."""
    return UnitFactory(name="濮阳市人民政府办公室", region=city)


@pytest.fixture
def housing(city):
    return UnitFactory(name="濮阳市住房和城乡建设局", region=city)


@pytest.fixture
def urban(city):
    return UnitFactory(name="濮阳市城市管理局", region=city)


@pytest.fixture
def supervisor(justice):
    return user_with_role(Role.SUPERVISOR, justice, scope="all")


@pytest.fixture
def dispatcher(office):
    return user_with_role(Role.SUPERVISOR, office, scope="all")


@pytest.fixture
def housing_handler(housing):
    return user_with_role(Role.HANDLER, housing)


@pytest.fixture
def urban_handler(urban):
    return user_with_role(Role.HANDLER, urban)
