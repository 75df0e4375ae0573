"""The overview pages and the metrics registry count the same records."""

from datetime import date

import pytest

from fazhi.mediation import selectors as mediation_selectors
from fazhi.metrics import compute
from fazhi.metrics.compute import RAW
from fazhi.metrics.registry import registry
from fazhi.suggestions import selectors
from fazhi.suggestions.figures import DateRange

pytestmark = pytest.mark.django_db

YEAR = DateRange(date(2024, 1, 1), date(2024, 6, 30))
TODAY = date(2024, 7, 15)


@pytest.mark.parametrize("seed", [3, 4])
def test_registry_figures_equal_the_overview_figures(seed, django_user_model):
    import random

    from tests.metrics.factories import build_world
    from tests.org.factories import user_with_role

    world = build_world(random.Random(seed))
    supervisor = user_with_role("supervisor", world.government, scope="all")
    kwargs = {
        "units": compute.EVERYTHING,
        "start": YEAR.start,
        "end": YEAR.end,
        "today": TODAY,
        "source": RAW,
    }

    _rows, judicial, _ = selectors.judicial_figures(supervisor, dates=YEAR, today=TODAY)
    _rows, proposals, _ = selectors.proposal_figures(supervisor, dates=YEAR, today=TODAY)
    _rows, mediation, _ = mediation_selectors.figures(supervisor, dates=YEAR, today=TODAY)
    pairs = [
        ("suggestions.reply_rate", judicial, "reply_rate"),
        ("suggestions.ontime_reply_rate", judicial, "on_time_rate"),
        ("suggestions.adoption_rate", judicial, "adoption_rate"),
        ("proposals.answer_rate", proposals, "answer_rate"),
        ("proposals.ontime_answer_rate", proposals, "on_time_rate"),
        ("proposals.satisfaction_rate", proposals, "satisfaction_rate"),
        ("mediation.settle_rate", mediation, "settle_rate"),
        ("mediation.success_rate", mediation, "success_rate"),
    ]
    for code, total, key in pairs:
        figure = compute.figure(registry.get(code), **kwargs)
        assert figure.value == total.rates[key], code
        assert figure.denominator > 0, code
