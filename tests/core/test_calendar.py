"""The work calendar: the seeded table, counting over it, the cache, the services and commands."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from fazhi.core import calendar as work_calendar
from fazhi.core.calendar import CalendarRangeError, WorkCalendar, get_calendar
from fazhi.core.calendar_seed import seed_years, statutory_day
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.core.services import calendar_day_set, calendar_year_load
from fazhi.org.models import Role
from tests.org.factories import user_with_role

D = date.fromisoformat


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # Each test's transaction is rolled back; never let one test's edits reach the next.
    work_calendar.clear_cache()
    yield
    work_calendar.clear_cache()


@pytest.fixture
def admin(db):
    return user_with_role(Role.SYSTEM_ADMIN)


def tiny_calendar() -> WorkCalendar:
    """Mon 2024-09-23 .. Sun 2024-10-13 as the 2024 National Day notice has it."""
    off = {"2024-09-28", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05"}
    off |= {"2024-10-06", "2024-10-07", "2024-10-13"}
    days = [date.fromordinal(D("2024-09-23").toordinal() + i) for i in range(21)]
    return WorkCalendar((d, d.isoformat() not in off) for d in days)


# -- the seeded table --------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_seeds_2015_to_2026_from_the_national_arrangements():
    assert CalendarDay.objects.count() == 4383
    assert not CalendarDay.objects.exclude(source=CalendarDay.Source.STATUTORY).exists()
    calendar = get_calendar()
    assert (calendar.first, calendar.last) == (D("2015-01-01"), D("2026-12-31"))
    assert calendar.loaded_label == "已载入2015-01-01至2026-12-31"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_workday", "kind", "name"),
    [
        ("2024-10-01", False, "holiday", "国庆节"),
        ("2024-10-05", False, "holiday", "国庆节"),  # a Saturday inside the holiday is the holiday
        ("2024-09-29", True, "makeup", "国庆节调休上班"),
        ("2024-10-12", True, "makeup", "国庆节调休上班"),
        ("2024-09-28", False, "weekend", ""),
        ("2024-09-27", True, "workday", ""),
        ("2024-02-04", True, "makeup", "春节调休上班"),
        ("2024-02-10", False, "holiday", "春节"),
        ("2025-10-06", False, "holiday", "中秋节"),
        ("2026-02-14", True, "makeup", "春节调休上班"),
        ("2015-09-03", False, "holiday", "抗战胜利70周年纪念日"),
        ("2024-06-10", False, "holiday", "端午节"),
        ("2024-04-04", False, "holiday", "清明节"),
        ("2024-05-01", False, "holiday", "劳动节"),
        ("2026-01-01", False, "holiday", "元旦"),
    ],
)
def test_seeded_days_carry_kind_and_chinese_name(day, is_workday, kind, name):
    row = CalendarDay.objects.get(date=D(day))

    assert (row.is_workday, row.kind, row.name) == (is_workday, kind, name)


def test_every_package_holiday_name_is_translated():
    from chinese_calendar import Holiday

    from fazhi.core.calendar_seed import HOLIDAY_NAMES

    assert {h.value for h in Holiday} <= set(HOLIDAY_NAMES)
    assert statutory_day(D("2024-10-03"))["name"] == "国庆节"


@pytest.mark.django_db
def test_seeding_again_changes_nothing_and_keeps_manual_and_local_days(admin):
    calendar_day_set(actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工")
    CalendarDay.objects.filter(date=D("2024-10-09")).update(source=CalendarDay.Source.LOCAL, note="地方规定")
    CalendarDay.objects.filter(date=D("2024-10-10")).update(is_workday=False, kind="weekend")  # corrupted

    result = seed_years(CalendarDay, 2024, 2024)

    assert (result.created, result.updated, result.kept, result.total) == (0, 1, 2, 366)
    assert CalendarDay.objects.get(date=D("2024-10-08")).name == "台风停工"
    assert CalendarDay.objects.get(date=D("2024-10-10")).is_workday is True


# -- counting on an in-memory calendar ---------------------------------------------------------


def test_next_workday_is_strictly_after_the_given_day():
    cal = tiny_calendar()

    assert cal.next_workday(D("2024-09-27")) == D("2024-09-29")  # Sat off, 调休 Sunday works
    assert cal.next_workday(D("2024-09-29")) == D("2024-09-30")
    assert cal.next_workday(D("2024-09-30")) == D("2024-10-08")
    assert cal.next_workday(D("2024-10-11")) == D("2024-10-12")
    assert cal.previous_workday(D("2024-10-08")) == D("2024-09-30")


def test_roll_forward_keeps_a_workday_and_moves_a_rest_day():
    cal = tiny_calendar()

    assert cal.roll_forward(D("2024-09-30")) == D("2024-09-30")
    assert cal.roll_forward(D("2024-10-03")) == D("2024-10-08")


def test_add_workdays_does_not_count_the_start_day():
    cal = tiny_calendar()

    assert cal.add_workdays(D("2024-09-27"), 0) == D("2024-09-27")
    assert cal.add_workdays(D("2024-10-03"), 0) == D("2024-10-03")
    assert cal.add_workdays(D("2024-09-27"), 1) == D("2024-09-29")
    assert cal.add_workdays(D("2024-10-03"), 1) == D("2024-10-08")
    assert cal.add_workdays(D("2024-10-08"), -1) == D("2024-09-30")
    assert cal.add_workdays(D("2024-10-03"), -1) == D("2024-09-30")


def test_workdays_between_excludes_the_first_day_and_includes_the_last():
    cal = tiny_calendar()

    assert cal.workdays_between(D("2024-09-27"), D("2024-10-10")) == 5
    assert cal.workdays_between(D("2024-10-01"), D("2024-10-07")) == 0
    assert cal.workdays_between(D("2024-10-10"), D("2024-09-27")) == -5
    for day in [D("2024-10-08"), D("2024-10-12")]:
        assert cal.add_workdays(D("2024-09-25"), cal.workdays_between(D("2024-09-25"), day)) == day


def test_counting_past_the_loaded_days_raises_naming_the_missing_day():
    cal = tiny_calendar()

    with pytest.raises(CalendarRangeError, match="2024-10-14") as error:
        cal.add_workdays(D("2024-10-11"), 2)
    assert "已载入2024-09-23至2024-10-13" in str(error.value)
    with pytest.raises(CalendarRangeError, match="2024-09-22"):
        cal.add_workdays(D("2024-09-24"), -3)
    with pytest.raises(CalendarRangeError, match="2031-01-05"):
        cal.is_workday(D("2031-01-05"))
    assert cal.covers(D("2024-10-13")) and not cal.covers(D("2024-10-14"))


def test_a_hole_in_the_table_is_never_crossed():
    days = [
        (D("2024-01-01"), True),
        (D("2024-01-02"), True),
        (D("2024-01-04"), True),
        (D("2024-01-05"), True),
    ]
    cal = WorkCalendar(days)

    assert cal.segments == [(D("2024-01-01"), D("2024-01-02")), (D("2024-01-04"), D("2024-01-05"))]
    assert not cal.covers(D("2024-01-03"))
    assert cal.add_workdays(D("2024-01-04"), 1) == D("2024-01-05")
    with pytest.raises(CalendarRangeError, match="2024-01-03"):
        cal.add_workdays(D("2024-01-01"), 2)
    with pytest.raises(CalendarRangeError, match="2024-01-03"):
        cal.workdays_between(D("2024-01-01"), D("2024-01-05"))


def test_an_empty_calendar_covers_nothing():
    cal = WorkCalendar([])

    assert not cal.covers(D("2024-01-01"))
    with pytest.raises(CalendarRangeError, match="工作日历为空"):
        cal.next_workday(D("2024-01-01"))


# -- the cache ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_get_calendar_is_cached_and_costs_no_query_when_warm(django_assert_num_queries):
    first = get_calendar()

    with django_assert_num_queries(0):
        assert get_calendar() is first


@pytest.mark.django_db
def test_an_edit_through_the_service_is_seen_at_once(admin):
    assert get_calendar().is_workday(D("2024-10-08"))

    calendar_day_set(actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工")

    assert not get_calendar().is_workday(D("2024-10-08"))


@pytest.mark.django_db
def test_a_rolled_back_edit_is_forgotten(admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工")
        assert not get_calendar().is_workday(D("2024-10-08"))
        raise RuntimeError("audit failed")

    assert get_calendar().is_workday(D("2024-10-08"))


@pytest.mark.django_db
def test_an_edit_made_elsewhere_is_seen_after_the_recheck_interval(settings):
    settings.FAZHI_CALENDAR_RECHECK_SECONDS = 0
    get_calendar()

    row = CalendarDay.objects.get(date=D("2024-10-08"))
    row.is_workday, row.kind = False, "holiday"
    row.save()  # as the admin site or another process would, bypassing the service

    assert not get_calendar().is_workday(D("2024-10-08"))


# -- services ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_system_administrator_may_edit_the_calendar(handler):
    with pytest.raises(PermissionDenied, match="系统管理员"):
        calendar_day_set(actor=handler, day=D("2024-10-08"), is_workday=False)
    with pytest.raises(PermissionDenied, match="系统管理员"):
        calendar_year_load(actor=handler, year=2024)

    assert CalendarDay.objects.get(date=D("2024-10-08")).is_workday


@pytest.mark.django_db
def test_setting_a_day_is_audited_with_before_and_after(admin):
    row = calendar_day_set(
        actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工", note="市政府通知"
    )

    assert (row.kind, row.source) == ("holiday", "manual")
    event = AuditEvent.objects.get(action="calendar.day_changed")
    assert event.actor == admin
    assert event.before["kind"] == "workday" and event.before["is_workday"] is True
    assert event.after == {
        "date": "2024-10-08",
        "is_workday": False,
        "kind": "holiday",
        "name": "台风停工",
        "source": "manual",
        "note": "市政府通知",
    }


@pytest.mark.django_db
def test_setting_a_day_to_what_it_already_is_writes_nothing(admin):
    calendar_day_set(actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工")
    calendar_day_set(actor=admin, day=D("2024-10-08"), is_workday=False, name="台风停工")

    assert AuditEvent.objects.filter(action="calendar.day_changed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_workday", "kind"),
    [("2024-10-12", True, "makeup"), ("2024-10-09", True, "workday"), ("2024-10-19", False, "weekend")],
)
def test_kind_follows_from_the_weekday_when_not_given(admin, day, is_workday, kind):
    assert calendar_day_set(actor=admin, day=D(day), is_workday=is_workday).kind == kind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"is_workday": True, "kind": "holiday"}, "kind"),
        ({"is_workday": False, "kind": "makeup"}, "kind"),
        ({"is_workday": False, "kind": "festival"}, "kind"),
        ({"is_workday": False, "source": "rumour"}, "source"),
        ({"is_workday": False, "name": "节" * 33}, "name"),
        ({"is_workday": False, "note": "说" * 201}, "note"),
    ],
)
def test_inconsistent_days_are_refused_naming_the_field(admin, kwargs, field):
    with pytest.raises(ValidationError) as error:
        calendar_day_set(actor=admin, day=D("2024-10-08"), **kwargs)

    assert field in error.value.message_dict
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_day_beyond_the_table_can_be_added_by_hand(admin):
    calendar_day_set(actor=admin, day=D("2027-01-05"), is_workday=True)

    assert get_calendar().loaded_label == "已载入2015-01-01至2026-12-31、2027-01-05至2027-01-05"
    assert get_calendar().is_workday(D("2027-01-05"))
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        get_calendar().next_workday(D("2026-12-31"))


@pytest.mark.django_db
def test_loading_a_year_the_package_lacks_is_refused(admin):
    with pytest.raises(ValidationError) as error:
        calendar_year_load(actor=admin, year=2031)

    assert "chinese_calendar" in error.value.message_dict["year"][0]


@pytest.mark.django_db
def test_loading_a_year_fills_it_and_is_audited(admin):
    CalendarDay.objects.filter(date__year=2014).delete()  # nothing there; load an older year
    result = calendar_year_load(actor=admin, year=2014)

    assert (result.created, result.kept) == (365, 0)
    assert get_calendar().first == D("2014-01-01")
    event = AuditEvent.objects.get(action="calendar.year_loaded")
    assert event.after["created"] == 365


# -- commands ----------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_due_command_prints_only_the_iso_date():
    assert run("due", "2024-09-27", "5wd") == "2024-10-10\n"
    assert run("due", "2024-08-03", "60d") == "2024-10-08\n"
    assert run("due", "2024-08-03", "60d", "--no-roll") == "2024-10-02\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2024-13-01", "5wd"], "不是有效日期"),
        (["2024-09-27", "5h"], "期限格式不正确"),
        (["2031-01-05", "5wd"], "工作日历未载入2031-01-05所在年份"),
    ],
)
def test_due_command_explains_bad_input_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        run("due", *args)


@pytest.mark.django_db
def test_calendar_seed_command_reports_counts_and_is_idempotent():
    output = run("calendar_seed", "--from", "2024", "--to", "2026")

    assert "新增0天" in output and "未变1096天" in output
    assert AuditEvent.objects.filter(action="calendar.year_loaded").count() == 3


@pytest.mark.django_db
def test_calendar_seed_command_refuses_years_the_package_does_not_cover():
    with pytest.raises(CommandError, match="无法载入2099年至2100年"):
        run("calendar_seed", "--from", "2099", "--to", "2100")
    assert not AuditEvent.objects.exists()
