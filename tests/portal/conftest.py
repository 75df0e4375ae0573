import pytest
from django.core.cache import cache

from fazhi.org.models import Role
from tests.hotline import conftest as hotline
from tests.org.factories import user_with_role

# The hotline's city, centre, units and routing rule.
city, district, street, community = hotline.city, hotline.district, hotline.street, hotline.community
centre, operator, urban, urban_handler = (
    hotline.centre,
    hotline.operator,
    hotline.urban,
    hotline.urban_handler,
)
road_rule = hotline.road_rule


@pytest.fixture(autouse=True)
def _fresh_counters():
    # The throttles live in the cache; every test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal_account(centre, settings):
    user = user_with_role(Role.OPERATOR, centre, scope="all")
    settings.FAZHI_PORTAL_OPERATOR = user.username
    return user


@pytest.fixture
def supervisor(city, settings):
    user = user_with_role(Role.SUPERVISOR, scope="all")
    settings.FAZHI_HOTLINE_SUPERVISOR = user.username
    return user
