"""Years the holiday package lacks: laid out from weekends ahead of time, shown as 暂定, and the
deadlines counted over them recomputed when the notice is entered or loaded."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from fazhi.cases.models import Case, TimelineEntry
from fazhi.cases.selectors import clock_of
from fazhi.core import calendar as work_calendar
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.core.services import (
    calendar_day_set,
    calendar_extend_ahead,
    calendar_year_confirm,
    calendar_year_load,
)
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.org.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    work_calendar.clear_cache()
    yield
    work_calendar.clear_cache()


@pytest.fixture
def last_year() -> int:
    """The last year the migrations loaded from the holiday package (2026 with chinesecalendar 1.11)."""
    return work_calendar.get_calendar().last.year


def test_the_sweep_lays_out_the_next_year_from_weekends_when_the_package_lacks_it(last_year):
    added = calendar_extend_ahead(today=date(last_year, 11, 22), days=400)

    nxt = last_year + 1
    assert added == [(nxt, CalendarDay.Source.PROVISIONAL)]
    calendar = work_calendar.get_calendar()
    assert calendar.last == date(nxt, 12, 31)
    assert calendar.provisional_first == date(nxt, 1, 1)
    assert calendar.is_workday(date(nxt, 1, 4)) is (date(nxt, 1, 4).weekday() < 5)
    assert AuditEvent.objects.filter(action="calendar.extended").count() == 1
    # the next day's sweep has nothing to add
    assert calendar_extend_ahead(today=date(last_year, 11, 23), days=400) == []


def test_a_deadline_into_the_provisional_year_is_counted_and_marked_provisional(unit, last_year):
    calendar_extend_ahead(today=date(last_year, 12, 1), days=60)

    case = open_case(unit, code="hotline", received_at=at(last_year, 12, 29))

    assert case.due_date.year == last_year + 1
    assert clock_of(case, today=date(last_year, 12, 30)).provisional
    earlier = open_case(unit, code="hotline", received_at=at(last_year, 12, 1))
    assert not clock_of(earlier, today=date(last_year, 12, 2)).provisional


def test_entering_a_holiday_in_the_provisional_year_moves_open_deadlines(unit, last_year):
    calendar_extend_ahead(today=date(last_year, 12, 1), days=60)
    case = open_case(unit, code="hotline", received_at=at(last_year, 12, 29))
    closed = open_case(unit, code="hotline", received_at=at(last_year, 12, 29), title="已办结的另一件")
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    before = case.due_date
    admin = user_with_role(Role.SYSTEM_ADMIN)
    new_year = date(last_year + 1, 1, 1)
    assert new_year < before

    calendar_day_set(actor=admin, day=new_year, is_workday=False, name="元旦")

    case.refresh_from_db()
    assert case.due_date > before
    entry = TimelineEntry.objects.get(case=case, action="deadline_recomputed")
    assert before.isoformat() in entry.note and case.due_date.isoformat() in entry.note
    assert Case.objects.get(pk=closed.pk).due_date == before  # a closed case keeps its record
    assert AuditEvent.objects.filter(action="cases.deadlines_recomputed").count() == 1


def test_loading_the_notice_replaces_provisional_days_and_recomputes(unit, last_year):
    # Given the last loaded year turned provisional (as if the package had not had it) …
    year = last_year
    days = list(CalendarDay.objects.filter(date__year=year))
    for day in days:
        day.is_workday = day.date.weekday() < 5
        day.kind = CalendarDay.Kind.WORKDAY if day.is_workday else CalendarDay.Kind.WEEKEND
        day.name, day.source = "", CalendarDay.Source.PROVISIONAL
    CalendarDay.objects.bulk_update(days, ["is_workday", "kind", "name", "source"])
    work_calendar.clear_cache()
    admin = user_with_role(Role.SYSTEM_ADMIN)
    assert work_calendar.get_calendar().provisional_first == date(year, 1, 1)
    case = open_case(unit, code="hotline", received_at=at(year, 9, 29))
    provisional_due = case.due_date

    # … loading the State Council's arrangement makes the National Day holiday count.
    result = calendar_year_load(actor=admin, year=year)

    assert result.updated > 300 and result.kept == 0
    assert not CalendarDay.objects.filter(source=CalendarDay.Source.PROVISIONAL).exists()
    case.refresh_from_db()
    assert case.due_date > provisional_due
    assert not clock_of(case, today=date(year, 9, 30)).provisional


def test_the_administrator_confirms_a_year_entered_by_hand(last_year):
    calendar_extend_ahead(today=date(last_year, 12, 1), days=60)
    admin = user_with_role(Role.SYSTEM_ADMIN)

    calendar_year_confirm(actor=admin, year=last_year + 1)

    assert work_calendar.get_calendar().provisional_first is None
    assert AuditEvent.objects.filter(action="calendar.year_confirmed").exists()


def test_a_handler_cannot_confirm_a_year(handler, last_year):
    calendar_extend_ahead(today=date(last_year, 12, 1), days=60)
    with pytest.raises(PermissionDenied):
        calendar_year_confirm(actor=handler, year=last_year + 1)
    assert work_calendar.get_calendar().provisional_first == date(last_year + 1, 1, 1)


def test_the_calendar_page_shows_provisional_days_and_offers_to_confirm(client, last_year):
    calendar_extend_ahead(today=date(last_year, 12, 1), days=60)
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))

    page = client.get(f"/core/calendar/?year={last_year + 1}").content.decode()

    assert "暂按周休日排定" in page
    assert f"核定{last_year + 1}年工作日历" in page


def test_the_daily_sweep_keeps_the_calendar_ahead_first(last_year):
    out = StringIO()

    call_command("sweep", today=f"{last_year}-11-22", stdout=out)

    assert out.getvalue().splitlines()[0].startswith("平台基础：工作日历延展")
    assert work_calendar.get_calendar().last >= date(last_year + 1, 12, 26)
