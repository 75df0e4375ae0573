import pytest

from tests.org.factories import UnitFactory, user_with_role


@pytest.fixture
def unit(db):
    return UnitFactory()


@pytest.fixture
def other_unit(db):
    return UnitFactory()


@pytest.fixture
def handler(unit):
    from fazhi.org.models import Role

    return user_with_role(Role.HANDLER, unit)
