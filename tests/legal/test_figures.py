"""Figures with written definitions: each number is the count of records a user can list back."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fazhi.legal import selectors, services
from fazhi.legal.models import FigureSettings, Outcome
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.legal.factories import apply, decided, judgment, sue
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


@pytest.fixture
def casework(clerk, body, urban, market):
    """Six applications in 2024: four decided, one rejected, one still in review."""
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    decided(clerk, body, urban, Outcome.UPHELD, "lawful")
    decided(clerk, body, urban, Outcome.MEDIATED, "mediation_agreement")
    decided(clerk, body, market, Outcome.CONFIRMED_VOID, "no_authority", act_category="information")
    rejected = apply(clerk, body, market)
    services.reconsideration_reject(
        reconsideration=rejected, actor=clerk, rejected_on=date(2024, 10, 8), ground="out_of_scope"
    )
    apply(clerk, body, market, received_at=at(2024, 12, 30))


def figures_of(rows, key=""):
    return next(r for r in rows if r.key == key).figures


def test_the_totals_follow_the_written_definitions(clerk, casework):
    total = figures_of(selectors.reconsideration_figures(clerk, **YEAR))

    assert (total["received"].value, total["accepted"].value, total["concluded"].value) == (6, 4, 4)
    assert (total["direct_correction_rate"].numerator, total["direct_correction_rate"].denominator) == (1, 4)
    assert total["direct_correction_rate"].value == 25.0  # 撤销 only; 确认无效 is not direct
    assert total["correction_rate"].value == 50.0  # 撤销 and 确认无效
    assert total["mediation_withdrawal_rate"].value == 25.0
    assert total["upheld_rate"].value == 25.0
    assert total["rejected_rate"].value == 0.0
    assert total["average_days"].value == 42.0  # 9 Oct to 20 Nov
    assert total["on_time_rate"].value == 100.0


def test_the_correction_denominator_and_numerator_are_configurable(clerk, casework):
    FigureSettings.objects.update(
        correction_denominator="decided", direct_correction=["annulled", "confirmed_void"]
    )

    total = figures_of(selectors.reconsideration_figures(clerk, **YEAR))

    # the mediated case leaves the denominator; 确认无效 joins the numerator
    assert (total["direct_correction_rate"].numerator, total["direct_correction_rate"].denominator) == (2, 3)
    definition = next(
        d for d in selectors.reconsideration_definitions() if d.code == "direct_correction_rate"
    )
    assert "撤销、确认无效" in definition.definition and "不含调解" in definition.definition


def test_figures_by_respondent_and_act_category(clerk, casework, urban, market):
    by_unit = selectors.reconsideration_figures(clerk, **YEAR, group="respondent")
    assert figures_of(by_unit, str(urban.pk))["correction_rate"].value == Decimal("33.3")
    assert figures_of(by_unit, str(market.pk))["received"].value == 3
    by_category = selectors.reconsideration_figures(clerk, **YEAR, group="act_category")
    assert {r.label for r in by_category} == {"行政处罚", "政府信息公开"}


def test_each_number_lists_its_records(clerk, casework, urban):
    records = selectors.reconsideration_figure_records(
        clerk, code="correction_rate", part="numerator", **YEAR, group="respondent", key=str(urban.pk)
    )
    assert [r.outcome for r in records] == ["annulled"]
    denominator = selectors.reconsideration_figure_records(
        clerk, code="correction_rate", part="denominator", **YEAR
    )
    assert denominator.count() == 4


def test_figures_only_count_what_the_user_may_see(clerk, casework, urban_handler, market_handler):
    # the respondent's staff see the cases against their own unit
    total = figures_of(selectors.reconsideration_figures(urban_handler, **YEAR))
    assert total["received"].value == 3
    assert selectors.reconsideration_figures(UserFactory(), **YEAR) == []


def test_a_late_decision_lowers_the_on_time_rate(clerk, body, urban):
    decided(clerk, body, urban, Outcome.UPHELD, "lawful", on=date(2024, 12, 10))  # due 9 Dec

    total = figures_of(selectors.reconsideration_figures(clerk, **YEAR))

    assert total["on_time_rate"].value == 0.0


# --- litigation --------------------------------------------------------------------------------------------


def _hearing(lawsuit, actor, unit, capacities, reason=""):
    hearing = services.court_hearing_add(
        lawsuit=lawsuit, actor=actor, held_at=datetime(2025, 3, 12, 9, tzinfo=SHANGHAI)
    )
    people = [{"name": f"出庭人{n}", "capacity": c} for n, c in enumerate(capacities)]
    services.attendance_record(
        hearing=hearing, actor=actor, unit=unit, attendees=people, absence_reason=reason
    )
    return hearing


@pytest.fixture
def lawsuits(urban, urban_handler, district):
    district_handler = user_with_role(Role.HANDLER, district)
    lost = sue(urban_handler, urban)
    _hearing(lost, urban_handler, urban, ["chief", "staff"])
    _hearing(lost, urban_handler, urban, ["staff"], reason="duty")
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
    won = sue(district_handler, district)
    _hearing(won, district_handler, district, ["deputy", "lawyer"])
    services.judgment_record(
        lawsuit=won,
        actor=district_handler,
        judgment_type=judgment("dismiss_claim"),
        judgment_on=date(2025, 4, 25),
        served_on=date(2025, 4, 28),
    )
    services.lawsuit_conclude(
        lawsuit=won, actor=district_handler, appealed_by="none", concluded_on=date(2025, 5, 14)
    )
    withdrawn = sue(urban_handler, urban)
    services.judgment_record(
        lawsuit=withdrawn,
        actor=urban_handler,
        judgment_type=judgment("ruling_withdrawn"),
        judgment_on=date(2025, 3, 1),
        served_on=date(2025, 3, 3),
    )
    return lost, won, withdrawn


YEAR_2025 = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def test_loss_rates_in_their_variants(supervisor, lawsuits):
    total = figures_of(selectors.litigation_figures(supervisor, **YEAR_2025))

    assert (total["cases"].value, total["concluded"].value) == (3, 3)
    assert (total["loss_rate"].numerator, total["loss_rate"].denominator) == (1, 3)
    assert (total["loss_rate_judgments"].numerator, total["loss_rate_judgments"].denominator) == (1, 2)
    assert total["loss_rate_first"].value == Decimal("33.3")


def test_appearance_rates_per_hearing_and_per_case(supervisor, lawsuits):
    total = figures_of(selectors.litigation_figures(supervisor, **YEAR_2025))

    # hearings: chief+staff, staff only (absent on duty), deputy+lawyer
    assert (total["appearance_hearing_any"].numerator, total["appearance_hearing_any"].denominator) == (2, 3)
    assert (total["appearance_hearing_chief"].numerator, total["appearance_hearing_chief"].denominator) == (
        1,
        3,
    )
    # cases: the first had a chief at one of its hearings; the second a deputy
    assert (total["appearance_case_any"].numerator, total["appearance_case_any"].denominator) == (2, 2)
    assert (total["appearance_case_chief"].numerator, total["appearance_case_chief"].denominator) == (1, 2)


def test_litigation_figures_by_unit_and_area(supervisor, lawsuits, urban, district):
    by_unit = selectors.litigation_figures(supervisor, **YEAR_2025, group="unit")
    assert figures_of(by_unit, str(urban.pk))["loss_rate"].value == 50.0
    assert figures_of(by_unit, str(district.pk))["appearance_hearing_chief"].value == 0.0
    by_area = selectors.litigation_figures(supervisor, **YEAR_2025, group="area")
    assert {r.label for r in by_area} == {"明湖市", "湖滨区"}


def test_each_litigation_number_lists_its_lawsuits(supervisor, lawsuits):
    lost, won, withdrawn = lawsuits
    assert selectors.litigation_figure_records(
        supervisor, code="loss_rate", part="numerator", **YEAR_2025
    ) == [lost]
    chief_cases = selectors.litigation_figure_records(
        supervisor, code="appearance_case_chief", part="numerator", **YEAR_2025
    )
    assert chief_cases == [lost]
    assert (
        len(
            selectors.litigation_figure_records(
                supervisor, code="appearance_case_chief", part="denominator", **YEAR_2025
            )
        )
        == 2
    )


def test_the_litigation_figures_are_scoped_to_the_user(urban_handler, lawsuits):
    total = figures_of(selectors.litigation_figures(urban_handler, **YEAR_2025))
    assert total["cases"].value == 2
