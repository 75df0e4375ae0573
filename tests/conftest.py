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
