"""Writes to the platform registers kept in core. Each is atomic, permission-checked and audited.

Sections: the work calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core import calendar as work_calendar
from fazhi.core.calendar import date_range
from fazhi.core.calendar_seed import SeedResult, check_years, covered_years, seed_years
from fazhi.core.models import CalendarDay
from fazhi.org.models import User
from fazhi.org.permissions import can_edit_calendar

# -- the work calendar -------------------------------------------------------------------------

WORKING_KINDS = {CalendarDay.Kind.WORKDAY, CalendarDay.Kind.MAKEUP_WORKDAY}
RESTING_KINDS = {CalendarDay.Kind.WEEKEND, CalendarDay.Kind.HOLIDAY}
_DAY_FIELDS = ("is_workday", "kind", "name", "source", "note")


def _day_snapshot(day: CalendarDay | None) -> dict | None:
    if day is None:
        return None
    return {"date": day.date.isoformat(), **{f: getattr(day, f) for f in _DAY_FIELDS}}


def _default_kind(day: date, is_workday: bool, name: str) -> str:
    weekend = day.weekday() >= 5
    if is_workday:
        return CalendarDay.Kind.MAKEUP_WORKDAY if weekend else CalendarDay.Kind.WORKDAY
    return CalendarDay.Kind.WEEKEND if weekend and not name else CalendarDay.Kind.HOLIDAY


def _field_limit(field: str) -> int:
    return CalendarDay._meta.get_field(field).max_length


@transaction.atomic
def calendar_day_set(
    *,
    actor: User,
    day: date,
    is_workday: bool,
    kind: str | None = None,
    name: str = "",
    note: str = "",
    source: str = CalendarDay.Source.MANUAL,
) -> CalendarDay:
    """Set one day of the work calendar (e.g. a local 调休 or a day off after a typhoon).

    Without `kind`, a working Saturday/Sunday becomes a 调休上班日 and a day off on a weekday,
    or a named one, a 法定节假日. Every deadline computed afterwards uses the new value.
    """
    if not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以修改工作日历。")
    name, note = name.strip(), note.strip()
    kind = kind or _default_kind(day, is_workday, name)
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": f"类型「{kind}」无效，应为工作日、周休日、法定节假日或调休上班日。"})
    if is_workday and kind not in WORKING_KINDS:
        raise ValidationError({"kind": "工作日的类型只能是“工作日”或“调休上班日”。"})
    if not is_workday and kind not in RESTING_KINDS:
        raise ValidationError({"kind": "休息日的类型只能是“周休日”或“法定节假日”。"})
    if source not in CalendarDay.Source.values:
        raise ValidationError({"source": f"来源「{source}」无效。"})
    if len(name) > _field_limit("name"):
        raise ValidationError({"name": f"节日名称不超过{_field_limit('name')}个字。"})
    if len(note) > _field_limit("note"):
        raise ValidationError({"note": f"说明不超过{_field_limit('note')}个字。"})

    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    before = _day_snapshot(row)
    wanted = {"is_workday": is_workday, "kind": kind, "name": name, "source": source, "note": note}
    if row is not None and all(getattr(row, f) == v for f, v in wanted.items()):
        return row
    if row is None:
        row = CalendarDay(date=day, **wanted)
    else:
        for field, value in wanted.items():
            setattr(row, field, value)
    row.save()
    audit.record(
        actor=actor, action="calendar.day_changed", target=row, before=before, after=_day_snapshot(row)
    )
    work_calendar.invalidate()
    if before is None or before["is_workday"] != is_workday:
        _calendar_changed(actor=actor, first=day, last=day)
    return row


@transaction.atomic
def calendar_year_load(*, actor: User | None, year: int) -> SeedResult:
    """Load (or refresh) one year from the national holiday arrangements in chinese_calendar.

    Days an administrator set by hand or by local rule are kept. `actor=None` is the server
    operator at the command line (`fazhi calendar_seed`).
    """
    if actor is not None and not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以载入工作日历。")
    try:
        check_years(year, year)
    except ValueError as exc:
        raise ValidationError({"year": str(exc)}) from None
    result = seed_years(CalendarDay, year, year)
    audit.record(
        actor=actor,
        action="calendar.year_loaded",
        after={
            "year": year,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "kept": result.kept,
        },
        message=f"载入{year}年工作日历",
    )
    work_calendar.invalidate()
    if result.created or result.updated:
        _calendar_changed(actor=actor, first=date(year, 1, 1), last=date(year, 12, 31))
    return result


WEEKEND_DRAFT_NOTE = "按周休日生成，须按国务院办公厅当年放假通知录入节假日和调休上班日"


def _draft_year(year: int) -> int:
    first, last = date(year, 1, 1), date(year, 12, 31)
    if CalendarDay.objects.filter(date__range=(first, last)).exists():
        raise ValidationError({"year": f"{year}年已有日历数据，请逐日修改。"})
    days = [
        CalendarDay(
            date=day,
            is_workday=day.weekday() < 5,
            kind=CalendarDay.Kind.WORKDAY if day.weekday() < 5 else CalendarDay.Kind.WEEKEND,
            source=CalendarDay.Source.PROVISIONAL,
            note=WEEKEND_DRAFT_NOTE,
        )
        for day in date_range(first, last)
    ]
    CalendarDay.objects.bulk_create(days)
    return len(days)


@transaction.atomic
def calendar_year_from_weekends(*, actor: User, year: int) -> int:
    """Start a year chinese_calendar does not cover yet from the weekly rest days only.

    The days are provisional (暂按周休日): deadlines crossing them show as 暂定, and when the
    administrator enters the holidays by hand or loads the notice, open cases are recomputed.
    """
    if not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以维护工作日历。")
    if year in covered_years():
        raise ValidationError({"year": f"{year}年的国务院放假安排已收录，请直接载入。"})
    created = _draft_year(year)
    audit.record(
        actor=actor,
        action="calendar.year_drafted",
        after={"year": year, "days": created},
        message=f"按周休日生成{year}年工作日历草稿",
    )
    work_calendar.invalidate()
    return created


@transaction.atomic
def calendar_year_confirm(*, actor: User, year: int) -> int:
    """The administrator has entered the year's holidays from the State Council notice: the
    days still marked 暂按周休日 become confirmed working days and weekends."""
    if not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以维护工作日历。")
    days = CalendarDay.objects.filter(date__year=year, source=CalendarDay.Source.PROVISIONAL)
    if not days.exists():
        raise ValidationError({"year": f"{year}年没有暂按周休日排定的日期，无需核定。"})
    confirmed = days.update(
        source=CalendarDay.Source.MANUAL,
        note=f"按国务院办公厅{year}年放假通知核定",
        updated_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="calendar.year_confirmed",
        after={"year": year, "days": confirmed},
        message=f"核定{year}年工作日历（已按放假通知录入节假日和调休上班日）",
    )
    work_calendar.invalidate()
    return confirmed


@transaction.atomic
def calendar_extend_ahead(*, today: date, days: int | None = None) -> list[tuple[int, str]]:
    """Keep the table `days` ahead of `today` (run by the daily sweep and the demo).

    Each missing year is loaded from the holiday package when it has the year, otherwise laid
    out provisionally from weekends, so deadlines keep being counted — never guessed silently:
    they show as 暂定 and move when the notice is loaded. Returns [(year, "statutory" |
    "provisional")] for the years added; audited as the system's own action.
    """
    days = settings.FAZHI_CALENDAR_AHEAD_DAYS if days is None else days
    horizon = today + timedelta(days=days)
    calendar = work_calendar.get_calendar()
    if calendar.last is not None and calendar.last >= horizon:
        return []
    added: list[tuple[int, str]] = []
    first_year = calendar.last.year + 1 if calendar.last is not None else today.year
    for year in range(first_year, horizon.year + 1):
        if year in covered_years():
            seed_years(CalendarDay, year, year)
            added.append((year, CalendarDay.Source.STATUTORY))
        else:
            _draft_year(year)
            added.append((year, CalendarDay.Source.PROVISIONAL))
    if added:
        audit.record(
            actor=None,
            action="calendar.extended",
            after={"years": [{"year": year, "source": source} for year, source in added]},
            message="工作日历自动延展："
            + "、".join(
                f"{year}年（{'国务院放假安排' if source == CalendarDay.Source.STATUTORY else '暂按周休日，待国务院通知'}）"
                for year, source in added
            ),
        )
        work_calendar.invalidate()
    return added


# -- who follows a calendar change -------------------------------------------------------------

CalendarHook = Callable[..., None]
_calendar_hooks: list[CalendarHook] = []


def on_calendar_changed(hook: CalendarHook) -> CalendarHook:
    """Register `hook(*, actor, first, last)`, called inside the transaction of a calendar edit
    that turned days between `first` and `last` from working to resting or back.

    The case engine registers here (from its AppConfig.ready) the service that recomputes the
    deadlines of open cases counted over those days; core sits below it and cannot import it.
    """
    if hook not in _calendar_hooks:
        _calendar_hooks.append(hook)
    return hook


def _calendar_changed(*, actor: User | None, first: date, last: date) -> None:
    work_calendar.invalidate()
    for hook in _calendar_hooks:
        hook(actor=actor, first=first, last=last)
