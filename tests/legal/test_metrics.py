"""The registry's 复议应诉 indicators read the same as the 复议应诉 pages, from raw rows or rollups."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fazhi.legal import selectors, services
from fazhi.legal.models import FigureSettings, JudgmentType, Outcome
from fazhi.metrics import compute
from fazhi.metrics.compute import RAW, Source
from fazhi.metrics.registry import registry
from fazhi.metrics.rollups import rollup_run
from tests.legal.factories import decided, judgment, sue

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2024, 1, 1), date(2025, 12, 31)


@pytest.fixture
def casework(clerk, body, urban, market, urban_handler):
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    decided(clerk, body, urban, Outcome.UPHELD, "lawful")
    decided(clerk, body, market, Outcome.MEDIATED, "mediation_agreement", act_category="information")
    lost = sue(urban_handler, urban)
    hearing = services.court_hearing_add(
        lawsuit=lost, actor=urban_handler, held_at=datetime(2025, 3, 12, 9, tzinfo=SHANGHAI)
    )
    services.attendance_record(
        hearing=hearing, actor=urban_handler, unit=urban, attendees=[{"name": "王局长", "capacity": "chief"}]
    )
    services.judgment_record(
        lawsuit=lost,
        actor=urban_handler,
        judgment_type=judgment("annul"),
        judgment_on=date(2025, 4, 25),
        served_on=date(2025, 4, 28),
    )
    services.lawsuit_conclude(
        lawsuit=lost, actor=urban_handler, appealed_by="none", concluded_on=date(2025, 5, 14)
    )


def legal_metrics():
    return [m for m in registry.all() if m.code.startswith("legal.")]


def registry_figures(source=RAW, by=()):
    return compute.figures(
        legal_metrics(), units=compute.EVERYTHING, start=START, end=END, by=by, source=source
    )


def test_every_figure_on_the_pages_is_registered_with_its_definition():
    codes = {m.code for m in legal_metrics()}
    assert {f"legal.reconsideration.{d.code}" for d in selectors.reconsideration_definitions()} <= codes
    assert {f"legal.litigation.{d.code}" for d in selectors.litigation_definitions()} <= codes
    assert all(m.definition and m.domain in ("行政复议", "行政应诉") for m in legal_metrics())


def test_the_registry_reads_the_same_as_the_pages(supervisor, casework, urban):
    figures = registry_figures()[()]
    pages = {
        **{
            f"legal.reconsideration.{k}": v
            for k, v in selectors.reconsideration_figures(supervisor, start=START, end=END)[0].figures.items()
        },
        **{
            f"legal.litigation.{k}": v
            for k, v in selectors.litigation_figures(supervisor, start=START, end=END)[0].figures.items()
        },
    }
    for code, figure in figures.items():
        assert (figure.numerator, figure.denominator) == (pages[code].numerator, pages[code].denominator), (
            code
        )
    assert figures["legal.reconsideration.correction_rate"].text == "33.3%"
    assert figures["legal.litigation.appearance_case_chief"].text == "100.0%"
    by_unit = registry_figures(by=("unit",))
    assert by_unit[(urban.pk,)]["legal.reconsideration.correction_rate"].text == "50.0%"


def test_rollups_equal_raw_rows_and_follow_a_change_of_settings(casework):
    rollup_run()
    everywhere = Source(cutoff=date(2100, 1, 1), as_of=timezone.now())

    def counts(source):
        return {
            k: {c: (f.numerator, f.denominator) for c, f in v.items()}
            for k, v in registry_figures(source, ("unit",)).items()
        }

    assert counts(everywhere) == counts(RAW)

    FigureSettings.objects.update(
        broad_correction=["annulled", "upheld"], updated_at=timezone.now() + timedelta(seconds=1)
    )
    JudgmentType.objects.filter(code="annul").update(
        result="other", updated_at=timezone.now() + timedelta(seconds=1)
    )
    rollup_run()

    assert counts(everywhere) == counts(RAW)
    assert registry_figures(everywhere)[()]["legal.reconsideration.correction_rate"].text == "66.7%"
    assert registry_figures(everywhere)[()]["legal.litigation.loss_rate"].text == "0.0%"


def test_average_handling_days_is_a_mean_in_the_registry_from_raw_rows_and_rollups(
    clerk, body, urban, market
):
    # given three decisions: accepted 9 Oct 2024, decided 42, 42 and 43 days later
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    decided(clerk, body, urban, Outcome.UPHELD, "lawful")
    decided(clerk, body, market, Outcome.UPHELD, "lawful", on=date(2024, 11, 21), act_category="information")
    metric = registry.get("legal.reconsideration.average_days")

    # when the figure is read from raw rows and from the rollups
    raw = compute.figure(metric, units=compute.EVERYTHING, start=START, end=END, source=RAW)
    rollup_run()
    rolled = compute.figure(
        metric,
        units=compute.EVERYTHING,
        start=START,
        end=END,
        source=Source(cutoff=date(2100, 1, 1), as_of=timezone.now()),
    )

    # then both read 127 days over 3 cases, shown as a mean in days, rounded half up
    assert (raw.numerator, raw.denominator, raw.text) == (127, 3, "42.3天")
    assert (rolled.numerator, rolled.denominator) == (127, 3)
    assert metric.is_mean and metric.unit_label == "天" and metric.kind_label == "平均值"
    assert not metric.higher_is_better
    by_unit = compute.figures(
        [metric], units=compute.EVERYTHING, start=START, end=END, by=("unit",), source=RAW
    )
    assert by_unit[(market.pk,)][metric.code].text == "43.0天"
    # and the 复议应诉 page shows the same number
    total = selectors.reconsideration_figures(clerk, start=START, end=END)[0].figures["average_days"]
    assert total.shown == "42.3"
