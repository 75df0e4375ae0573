"""The deadline engine on the seeded 2015–2026 calendar: real holiday boundaries and properties.

Expected dates are worked out by hand from the 国务院办公厅 holiday notices, e.g. National Day
2024: Oct 1–7 off, Sun Sep 29 and Sat Oct 12 worked; Spring Festival 2024: Feb 10–17 off,
Sun Feb 4 and Sun Feb 18 worked.
"""

import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.calendar import CalendarRangeError, load_calendar
from fazhi.core.deadlines import (
    ClockState,
    Period,
    add_months,
    clock_state,
    due_date,
    remaining_workdays,
)

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal(django_db_setup, django_db_blocker):
    """The statutory calendar 2015–2026, read once for the module.

    These tests carry no db mark, so pytest-django runs them after the transactional tests,
    which empty every table: the statutory rows are the same ones the data migration seeds.
    """
    from fazhi.core.calendar_seed import seed_years
    from fazhi.core.models import CalendarDay

    with django_db_blocker.unblock():
        if not CalendarDay.objects.exists():
            seed_years(CalendarDay, 2015, 2026)
        return load_calendar()


# -- Period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "label"),
    [
        ("5wd", 5, "wd", "5个工作日"),
        ("60d", 60, "d", "60日"),
        ("3m", 3, "m", "3个月"),
        (" 10WD ", 10, "wd", "10个工作日"),
    ],
)
def test_period_parses_and_round_trips(text, amount, unit, label):
    period = Period.parse(text)

    assert (period.amount, period.unit, period.label) == (amount, unit, label)
    assert Period.parse(str(period)) == period
    assert str(period) == f"{amount}{unit}"


@pytest.mark.parametrize("text", ["", "5", "wd", "5h", "-1d", "5.5d", "1y", "五日", "5 wd d"])
def test_period_rejects_bad_input_in_chinese(text):
    with pytest.raises(ValueError, match="期限格式不正确"):
        Period.parse(text)


def test_period_rejects_bad_unit_and_amount():
    with pytest.raises(ValueError, match="期限单位"):
        Period(5, "h")
    with pytest.raises(ValueError, match="期限数值"):
        Period(-1, "d")
    with pytest.raises(ValueError, match="期限数值"):
        Period(10000, "d")
    with pytest.raises(ValueError, match="期限格式不正确"):
        Period.parse(None)


# -- working-day periods on real holiday boundaries --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        # National Day 2024
        ("2024-09-27", "5wd", "2024-10-10"),  # Sun 9-29 and Mon 9-30 count, then Oct 8, 9, 10
        ("2024-09-27", "3wd", "2024-10-08"),
        ("2024-09-28", "1wd", "2024-09-29"),  # the 调休 Sunday is a working day
        ("2024-09-30", "5wd", "2024-10-12"),  # the 调休 Saturday Oct 12 is the fifth
        ("2024-10-01", "1wd", "2024-10-08"),  # start inside the holiday
        # Spring Festival 2024: Feb 9 (除夕) is a working day in the notice
        ("2024-02-06", "5wd", "2024-02-19"),
        ("2024-02-03", "1wd", "2024-02-04"),
        # Spring Festival 2025: Jan 28–Feb 4 off; Sun Jan 26 and Sat Feb 8 worked
        ("2025-01-24", "3wd", "2025-02-05"),
        ("2025-01-27", "5wd", "2025-02-10"),
        # Spring Festival 2026: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 worked
        ("2026-02-12", "2wd", "2026-02-14"),
        ("2026-02-13", "3wd", "2026-02-25"),
        ("2026-02-13", "10wd", "2026-03-05"),
        # Qingming + Labour Day 2024: 20 working days for a 许可 decision
        ("2024-04-01", "20wd", "2024-04-29"),
    ],
)
def test_working_day_periods_skip_holidays_and_count_makeup_days(start, period, expected):
    assert due_date(start=D(start), period=period) == D(expected)


@pytest.mark.django_db
def test_zero_working_days_is_the_start_day():
    assert due_date(start=D("2024-10-02"), period="0wd", roll_forward=False) == D("2024-10-02")
    assert due_date(start=D("2024-10-02"), period="0wd") == D("2024-10-08")


# -- calendar-day and month periods ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "period", "roll", "expected"),
    [
        ("2024-01-31", "1m", True, "2024-02-29"),  # leap year: no Feb 31, so month-end
        ("2023-01-31", "1m", True, "2023-02-28"),
        ("2023-11-30", "3m", True, "2024-02-29"),
        ("2024-11-30", "3m", True, "2025-02-28"),
        ("2024-03-31", "1m", True, "2024-04-30"),
        ("2025-07-01", "3m", True, "2025-10-09"),  # Oct 1 2025 is inside National Day (Oct 1–8)
        ("2025-07-01", "3m", False, "2025-10-01"),
        ("2024-08-03", "60d", True, "2024-10-08"),  # ends Oct 2, inside National Day 2024
        ("2024-08-03", "60d", False, "2024-10-02"),
        ("2026-08-04", "60d", True, "2026-10-08"),  # ends Oct 3 2026
        ("2024-06-07", "15d", True, "2024-06-24"),  # ends on a plain Saturday
        ("2024-09-04", "10d", True, "2024-09-14"),  # ends on the 调休 Saturday: no roll needed
        ("2024-03-01", "60d", True, "2024-04-30"),
    ],
)
def test_calendar_periods_roll_forward_only_when_asked(start, period, roll, expected):
    assert due_date(start=D(start), period=period, roll_forward=roll) == D(expected)


def test_add_months_takes_the_month_end_when_there_is_no_corresponding_day():
    assert add_months(D("2024-08-31"), 1) == D("2024-09-30")
    assert add_months(D("2024-12-15"), 2) == D("2025-02-15")
    assert add_months(D("2024-02-29"), 12) == D("2025-02-28")
    assert add_months(D("2024-05-31"), -3) == D("2024-02-29")


# -- suspensions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closed_suspension_moves_a_working_day_period_by_the_working_days_stopped():
    # 10wd from Fri 2024-03-01 ends 03-15. Stopped (03-05, 03-07]: Mar 6 and 7 are 2 workdays;
    # on resume (03-07) 8 remain: Mar 8, 11–15, 18, 19.
    due = due_date(start=D("2024-03-01"), period="10wd", suspensions=[(D("2024-03-05"), D("2024-03-07"))])

    assert due == D("2024-03-19")


@pytest.mark.django_db
def test_suspension_across_national_day_counts_only_working_days():
    # 5wd from 2024-09-25 ends 10-08; stopped (09-26, 10-09]: 4 counted before, resume 10-09,
    # then Oct 10, 11, 12 (调休 Saturday), 14.
    due = due_date(start=D("2024-09-25"), period="5wd", suspensions=[(D("2024-09-26"), D("2024-10-09"))])

    assert due == D("2024-10-14")


@pytest.mark.django_db
def test_closed_suspension_moves_a_calendar_period_by_calendar_days():
    due = due_date(start=D("2024-03-01"), period="60d", suspensions=[(D("2024-03-10"), D("2024-03-20"))])

    assert due == D("2024-05-10")  # Apr 30 + 10 days


@pytest.mark.django_db
def test_open_suspension_runs_until_today_and_the_result_rolls_past_labour_day():
    open_suspension = [(D("2024-03-10"), None)]

    rolled = due_date(start=D("2024-03-01"), period="60d", suspensions=open_suspension, today=D("2024-03-15"))
    unrolled = due_date(
        start=D("2024-03-01"),
        period="60d",
        suspensions=open_suspension,
        today=D("2024-03-15"),
        roll_forward=False,
    )

    assert unrolled == D("2024-05-05")  # Apr 30 + 5 days, inside Labour Day (May 1–5)
    assert rolled == D("2024-05-06")


@pytest.mark.django_db
def test_overlapping_suspensions_are_not_counted_twice():
    overlapping = [(D("2024-03-10"), D("2024-03-20")), (D("2024-03-15"), D("2024-03-25"))]
    duplicated = [(D("2024-03-10"), D("2024-03-20"))] * 2

    assert due_date(start=D("2024-03-01"), period="60d", suspensions=overlapping) == D("2024-05-15")
    assert due_date(start=D("2024-03-01"), period="60d", suspensions=duplicated) == D("2024-05-10")


@pytest.mark.django_db
def test_suspension_days_before_the_start_do_not_count():
    before = [(D("2024-02-20"), D("2024-02-28"))]
    straddling = [(D("2024-02-20"), D("2024-03-05"))]

    assert due_date(start=D("2024-03-01"), period="60d", suspensions=before) == D("2024-04-30")
    # only (03-01, 03-05] counts: Apr 30 + 4 = May 4, inside Labour Day
    assert due_date(start=D("2024-03-01"), period="60d", suspensions=straddling) == D("2024-05-06")


@pytest.mark.django_db
def test_suspension_that_starts_and_ends_the_same_day_stops_nothing():
    same_day = [(D("2024-03-05"), D("2024-03-05"))]

    assert due_date(start=D("2024-03-01"), period="10wd", suspensions=same_day) == D("2024-03-15")


def test_suspension_ending_before_it_started_is_rejected():
    with pytest.raises(ValueError, match="早于中止日"):
        due_date(
            start=D("2024-03-01"),
            period="60d",
            roll_forward=False,
            suspensions=[(D("2024-03-10"), D("2024-03-09"))],
        )


# -- extensions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_extension_counts_from_the_unrolled_due_date():
    # 60d from 08-03 ends 10-02 (not rolled before extending) + 30d = Fri 11-01
    assert due_date(start=D("2024-08-03"), period="60d", extensions=["30d"]) == D("2024-11-01")


@pytest.mark.django_db
def test_working_day_extension_for_a_licence():
    # 20wd ends 04-29; +10wd: Apr 30, May 6–10, 11 (调休 Saturday), 13, 14, 15
    due = due_date(start=D("2024-04-01"), period="20wd", extensions=[Period(10, "wd")])

    assert due == D("2024-05-15")


@pytest.mark.django_db
def test_extension_after_suspension_then_rolls_past_dragon_boat_festival():
    # Apr 30 + 10 suspended days = May 10; + 30d = Sun Jun 9; Mon Jun 10 is 端午节 → Jun 11
    due = due_date(
        start=D("2024-03-01"),
        period="60d",
        suspensions=[(D("2024-03-10"), D("2024-03-20"))],
        extensions=["30d"],
    )

    assert due == D("2024-06-11")


@pytest.mark.django_db
def test_extensions_apply_in_order():
    # 1m from 01-31 is 02-29, +1m is 03-29 — not 03-31
    due = due_date(start=D("2024-01-31"), period="1m", extensions=["1m"], roll_forward=False)

    assert due == D("2024-03-29")


# -- clock state -------------------------------------------------------------------------------


DUE = D("2024-10-10")  # Thursday after National Day 2024


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "suspended", "extended", "closed", "expected"),
    [
        ("2024-10-20", True, True, True, ClockState.CLOSED),
        ("2024-10-20", True, True, False, ClockState.SUSPENDED),
        ("2024-10-11", False, True, False, ClockState.OVERDUE),
        ("2024-10-08", False, True, False, ClockState.DUE_SOON),  # Oct 9, 10 remain
        ("2024-10-10", False, False, False, ClockState.DUE_SOON),  # the due day itself
        ("2024-10-07", False, False, False, ClockState.NORMAL),  # Oct 8, 9, 10 remain: 3 > 2
        ("2024-09-29", False, True, False, ClockState.EXTENDED),
        ("2024-09-29", False, False, False, ClockState.NORMAL),
    ],
)
def test_clock_state_precedence(today, suspended, extended, closed, expected):
    state = clock_state(
        due=DUE, today=D(today), suspended=suspended, extended=extended, closed=closed, warning="2wd"
    )

    assert state == expected


@pytest.mark.django_db
def test_clock_state_windows_in_days_and_months():
    common = {"due": DUE, "suspended": False, "extended": False, "closed": False}

    assert clock_state(today=D("2024-10-07"), warning="3d", **common) == ClockState.DUE_SOON
    assert clock_state(today=D("2024-10-06"), warning="3d", **common) == ClockState.NORMAL
    assert clock_state(today=D("2024-09-10"), warning="1m", **common) == ClockState.DUE_SOON
    assert clock_state(today=D("2024-09-09"), warning="1m", **common) == ClockState.NORMAL


@pytest.mark.django_db
def test_clock_state_default_window_comes_from_settings(settings):
    common = {"due": DUE, "today": D("2024-10-07"), "suspended": False, "extended": False, "closed": False}

    settings.FAZHI_DUE_SOON_WORKDAYS = 2
    assert clock_state(**common) == ClockState.NORMAL
    settings.FAZHI_DUE_SOON_WORKDAYS = 3
    assert clock_state(**common) == ClockState.DUE_SOON


def test_clock_state_labels_are_chinese():
    assert [s.label for s in ClockState] == ["正常", "临期", "超期", "中止", "已延期", "已办结"]


@pytest.mark.django_db
def test_remaining_workdays_counts_after_today_up_to_due():
    assert remaining_workdays(D("2024-09-27"), D("2024-10-10")) == 5
    assert remaining_workdays(D("2024-10-10"), D("2024-10-10")) == 0
    assert remaining_workdays(D("2024-10-14"), D("2024-10-10")) == -3  # Oct 11, 12, 14 late


# -- outside the loaded calendar ---------------------------------------------------------------


@pytest.mark.django_db
def test_dates_outside_the_loaded_calendar_raise_instead_of_guessing():
    with pytest.raises(CalendarRangeError) as error:
        due_date(start=D("2031-01-05"), period="5wd")

    assert str(error.value) == (
        "工作日历未载入2031-01-05所在年份（已载入2015-01-01至2026-12-31），请系统管理员先维护工作日历。"
    )


@pytest.mark.django_db
def test_period_running_past_the_last_loaded_day_names_the_first_missing_day():
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        due_date(start=D("2026-12-28"), period="5wd")
    with pytest.raises(CalendarRangeError, match="2027-01-30"):
        due_date(start=D("2026-12-01"), period="60d")  # must know whether Jan 30 2027 is a workday


@pytest.mark.django_db
def test_open_suspension_until_an_unloaded_today_raises():
    with pytest.raises(CalendarRangeError, match="2031-03-01"):
        due_date(
            start=D("2026-03-01"), period="10wd", suspensions=[(D("2026-03-02"), None)], today=D("2031-03-01")
        )


def test_calendar_periods_without_roll_need_no_calendar(django_assert_num_queries, db):
    # Plain date arithmetic: nothing to guess, so no calendar is consulted.
    with django_assert_num_queries(0):
        assert due_date(start=D("2031-01-05"), period="60d", roll_forward=False) == D("2031-03-06")


# -- speed -------------------------------------------------------------------------------------


def test_hundred_thousand_due_dates_take_well_under_a_few_seconds(cal):
    starts = [D("2016-01-01") + timedelta(days=i % 3000) for i in range(100_000)]
    periods = ["5wd", "60d", "3m", "20wd"]
    began = time.perf_counter()
    for i, start in enumerate(starts):
        due_date(
            start=start,
            period=periods[i % 4],
            suspensions=[(start + timedelta(days=3), start + timedelta(days=9))] if i % 5 == 0 else (),
            extensions=["10wd"] if i % 7 == 0 else (),
            calendar=cal,
        )
    elapsed = time.perf_counter() - began

    assert elapsed < 2.5, f"{elapsed:.2f}s"


# -- properties --------------------------------------------------------------------------------

# Starts and suspensions stay well inside 2015–2026 so every result does too.
starts = st.dates(min_value=D("2015-01-01"), max_value=D("2025-06-30"))
periods = st.one_of(
    st.builds(Period, st.integers(1, 60), st.just("wd")),
    st.builds(Period, st.integers(1, 180), st.just("d")),
    st.builds(Period, st.integers(1, 12), st.just("m")),
)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(start=starts, gap=st.integers(0, 40), period=periods, roll=st.booleans())
def test_due_is_monotonic_in_start(cal, start, gap, period, roll):
    later = start + timedelta(days=gap)

    assert due_date(start=start, period=period, roll_forward=roll, calendar=cal) <= due_date(
        start=later, period=period, roll_forward=roll, calendar=cal
    )


@PROPERTY
@given(start=starts, unit=st.sampled_from(["wd", "d", "m"]), n=st.integers(0, 12), more=st.integers(0, 30))
def test_due_is_monotonic_in_period_length(cal, start, unit, n, more):
    shorter, longer = Period(n, unit), Period(n + (more if unit != "m" else more % 6), unit)

    assert due_date(start=start, period=shorter, calendar=cal) <= due_date(
        start=start, period=longer, calendar=cal
    )


@PROPERTY
@given(
    start=starts,
    period=periods,
    offset=st.integers(-20, 120),
    length=st.integers(0, 60),
    open_=st.booleans(),
    roll=st.booleans(),
)
def test_a_suspension_never_shortens_the_due(cal, start, period, offset, length, open_, roll):
    began = start + timedelta(days=offset)
    ended = began + timedelta(days=length)
    suspension = [(began, None if open_ else ended)]

    plain = due_date(start=start, period=period, roll_forward=roll, calendar=cal)
    suspended = due_date(
        start=start, period=period, roll_forward=roll, suspensions=suspension, today=ended, calendar=cal
    )

    assert suspended >= plain


@PROPERTY
@given(start=starts, period=periods)
def test_rolled_due_is_a_workday_after_the_start(cal, start, period):
    due = due_date(start=start, period=period, calendar=cal)

    assert cal.is_workday(due)
    assert due > start


@PROPERTY
@given(start=starts, n=st.integers(1, 60))
def test_working_day_due_is_always_a_workday_even_without_roll(cal, start, n):
    due = due_date(start=start, period=Period(n, "wd"), roll_forward=False, calendar=cal)

    assert cal.is_workday(due)
    assert cal.workdays_between(start, due) == n


@PROPERTY
@given(start=starts, period=periods, into=st.integers(0, 40), length=st.integers(1, 40))
def test_suspension_equals_resuming_with_the_units_left(cal, start, period, into, length):
    """Stopping (s, e] is the same as counting up to s, then the rest from the resume day e."""
    base = due_date(start=start, period=period, roll_forward=False, calendar=cal)
    began = min(start + timedelta(days=into), base)
    ended = began + timedelta(days=length)

    due = due_date(start=start, period=period, roll_forward=False, suspensions=[(began, ended)], calendar=cal)

    if period.unit == "wd":
        left = period.amount - cal.workdays_between(start, began)
        assert due == cal.add_workdays(ended, left)
    else:
        assert due == ended + (base - began)
