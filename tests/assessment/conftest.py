import pytest

from fazhi.assessment import services
from fazhi.assessment.models import IndicatorTree
from fazhi.org.models import Role
from tests.org.factories import UnitFactory, user_with_role


@pytest.fixture
def justice(db):
    """市司法局: the 法治办 sits here and runs the assessment."""
    return UnitFactory(name="明湖市司法局")


@pytest.fixture
def urban(db):
    return UnitFactory(name="明湖市城市管理局", sort_order=1)


@pytest.fixture
def housing(db):
    return UnitFactory(name="明湖市住房和城乡建设局", sort_order=2)


@pytest.fixture
def supervisor(justice):
    return user_with_role(Role.SUPERVISOR, justice, scope="all", user__full_name="法治办科长")


@pytest.fixture
def urban_handler(urban):
    return user_with_role(Role.HANDLER, urban)


@pytest.fixture
def housing_handler(housing):
    return user_with_role(Role.HANDLER, housing)


@pytest.fixture
def starter(supervisor):
    tree = services.tree_load_starter(actor=supervisor)
    return services.tree_set_status(actor=supervisor, tree=tree, status=IndicatorTree.Status.ACTIVE)
