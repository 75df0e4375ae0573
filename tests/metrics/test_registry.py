"""Rounding, periods and the registry's own rules."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fazhi.cases.models import Case, Supervision
from fazhi.metrics import formatting, periods
from fazhi.metrics.registry import Measure, Metric, Registry, registry


@pytest.mark.parametrize(
    ("numerator", "denominator", "precision", "shown"),
    [
        (1, 8, 0, "13%"),  # 12.5 rounds half up, not to the even 12
        (1, 8, 1, "12.5%"),
        (2, 3, 1, "66.7%"),
        (1, 3, 1, "33.3%"),
        (1, 40, 1, "2.5%"),
        (1, 400, 1, "0.3%"),  # 0.25 → 0.3
        (27, 30, 1, "90.0%"),
        (23, 23, 1, "100.0%"),
        (0, 5, 1, "0.0%"),
        (4, 23, 1, "17.4%"),  # the 直接纠错率 of a seed report: 4 of 23
    ],
)
def test_rates_round_half_up_to_the_stated_precision(numerator, denominator, precision, shown):
    value = formatting.rate(numerator, denominator, precision)
    assert formatting.value_text(value, is_rate=True, precision=precision) == shown


def test_a_rate_with_nothing_to_divide_by_is_a_dash():
    assert formatting.rate(0, 0, 1) is None
    assert formatting.value_text(None, is_rate=True, precision=1) == "—"


def test_counts_are_whole_pieces():
    assert formatting.value_text(65485, is_rate=False, precision=0) == "65485件"


@given(st.integers(0, 10**7), st.integers(1, 10**7), st.integers(0, 3))
def test_rounding_matches_exact_arithmetic(numerator, denominator, precision):
    exact = Fraction(numerator * 100, denominator) * 10**precision
    floor = exact.numerator // exact.denominator
    expected = floor + (1 if exact - floor >= Fraction(1, 2) else 0)
    assert formatting.rate(numerator, denominator, precision) == Decimal(expected).scaleb(-precision)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-03-05~2024-04-01", date(2024, 3, 5), date(2024, 4, 1)),
    ],
)
def test_periods_are_read_from_what_people_type(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)
    assert periods.parse(period.key) == period


def test_a_period_lists_its_months():
    assert periods.quarter(2024, 4).months() == [date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1)]
    assert periods.month(2024, 2).label == "2024年2月"


@pytest.mark.parametrize("text", ["2024-13", "上半年", "2024-05-01~2024-04-01"])
def test_a_period_that_cannot_be_read_is_refused_in_chinese(text):
    with pytest.raises(ValidationError) as raised:
        periods.parse(text)
    assert any(ch >= "\u4e00" for ch in " ".join(raised.value.messages))


def test_start_and_end_default_to_this_year():
    period = periods.parse(end="2024-06-30", today=date(2024, 7, 1))
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 6, 30))


def _measure(code, model=Case):
    return Measure(code=code, name=code, model=model, anchor="received_at", unit="handling_unit_id",
                   dimension="case_type__code", visible=lambda user: None)  # fmt: skip


def test_a_code_is_registered_once():
    local = Registry()
    local.register(Metric(code="x", name="x", domain="d", definition="d", numerator=(_measure("m"),)))
    with pytest.raises(ImproperlyConfigured, match="重复"):
        local.register(Metric(code="x", name="x", domain="d", definition="d", numerator=(_measure("m2"),)))


def test_a_rates_parts_each_list_one_kind_of_record():
    local = Registry()
    mixed = (_measure("a"), _measure("b", model=Supervision))
    with pytest.raises(ImproperlyConfigured, match="同一种记录"):
        local.register(Metric(code="y", name="y", domain="d", definition="d", numerator=mixed))


def test_two_definitions_may_not_share_a_measure_code():
    local = Registry()
    local.register(Metric(code="a", name="a", domain="d", definition="d", numerator=(_measure("m"),)))
    with pytest.raises(ImproperlyConfigured, match="两个不同的定义"):
        local.register(Metric(code="b", name="b", domain="d", definition="d", numerator=(_measure("m"),)))


def test_every_registered_metric_states_its_definition():
    for metric in registry.all():
        assert metric.definition and metric.numerator_text, metric.code
        assert not metric.is_rate or metric.denominator_text, metric.code


@pytest.mark.parametrize("prefix", ["cases.", "hotline."])
def test_the_case_engine_and_hotline_rates_state_rounding_exclusions_and_ranking_minimum(prefix):
    mine = [m for m in registry.all() if m.code.startswith(prefix)]
    assert mine
    for metric in mine:
        assert metric.exclusions, metric.code
        if metric.is_rate:
            assert "四舍五入" in metric.definition and metric.min_sample > 0, metric.code
