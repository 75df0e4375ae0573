import pytest

from fazhi.org.models import Region, Role, Unit
from tests.org.factories import RegionFactory, UnitFactory, admin_user


@pytest.fixture
def province(db):
    return RegionFactory(code="410000", name="河南省", level=Region.Level.PROVINCE)


@pytest.fixture
def city(province):
    return RegionFactory(code="410900", name="濮阳市", level=Region.Level.CITY, parent=province)


@pytest.fixture
def government(city):
    return UnitFactory(name="濮阳市人民政府", kind=Unit.Kind.GOVERNMENT, region=city)


@pytest.fixture
def sysadmin(government):
    return admin_user(Role.SYSTEM_ADMIN, government)


@pytest.fixture
def secadmin(government):
    return admin_user(Role.SECURITY_ADMIN, government)


@pytest.fixture
def auditadmin(government):
    return admin_user(Role.AUDIT_ADMIN, government)
