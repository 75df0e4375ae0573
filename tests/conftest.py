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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 costs ~0.3 s per account; the suite creates hundreds. Production keeps Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _calendar_recheck_off(settings):
    # The calendar cache re-reads its fingerprint every few seconds to see other processes'
    # edits; in tests that extra query would land at random inside query-count assertions.
    settings.FAZHI_CALENDAR_RECHECK_SECONDS = 10**9
