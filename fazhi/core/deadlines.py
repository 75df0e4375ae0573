"""The deadline engine: statutory periods, suspensions and extensions on the work calendar.

Rules (see DOMAIN.md §11):

- The start day is not counted (民事诉讼法 Art. 85; 民法典 Art. 201).
- "5wd" counts working days on the work calendar; "60d" counts calendar days; "3m" ends on the
  corresponding day of the final month, or on that month's last day if it has none
  (民法典 Art. 202: 1m from Jan 31 is Feb 28/29).
- `roll_forward`: a due date on a non-working day moves to the next working day (民诉法 Art. 85).
  It applies once, to the final result, after suspensions and extensions.
- A suspension (中止, 补正, 等待当事人) given as (started_on, ended_on) stops the clock for the days
  in (started_on, ended_on]: the day it starts still counts, the resume day is the new start day
  and is not counted. The due date moves out by exactly that many counting units (working days
  for "wd" periods, calendar days for "d" and "m"): the units left when the clock stopped are
  counted again from the resume day, so a matter suspended on its last day is due on the day it
  resumes (rolled forward if that is a rest day). An open suspension runs until `today`
  (default: today in Asia/Shanghai).
  Overlapping suspensions are merged, never counted twice; days before `start` never count.
  Whether a case may be suspended at all (not when closed or overdue) is the case engine's rule.
- Extensions are periods added in order to the suspension-adjusted due date, counted from it.

The calendar is consulted only where holidays matter (working-day periods, roll-forward); there
it raises `CalendarRangeError` for any date outside the loaded table rather than guessing.
"""

from __future__ import annotations

import calendar as pycalendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.calendar import CalendarRangeError, WorkCalendar, get_calendar

__all__ = [
    "CalendarRangeError",
    "ClockState",
    "Period",
    "add_months",
    "add_period",
    "clock_state",
    "due_date",
    "remaining_workdays",
]

WORKDAYS, DAYS, MONTHS = "wd", "d", "m"
UNIT_LABELS = {WORKDAYS: "个工作日", DAYS: "日", MONTHS: "个月"}
MAX_AMOUNT = 9999  # far beyond any statutory period; keeps date arithmetic inside year 9999

_PERIOD_RE = re.compile(r"^\s*(\d+)\s*(wd|d|m)\s*$", re.IGNORECASE)
_FORMAT_HINT = "请写成数字加单位，如 5wd（工作日）、60d（自然日）或 3m（月）。"


@dataclass(frozen=True, slots=True)
class Period:
    """A statutory period: an amount of working days ("wd"), calendar days ("d") or months ("m")."""

    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNIT_LABELS:
            raise ValueError(f"期限单位「{self.unit}」无效。{_FORMAT_HINT}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"期限数值必须是整数，收到「{self.amount}」。")
        if not 0 <= self.amount <= MAX_AMOUNT:
            raise ValueError(f"期限数值必须在0至{MAX_AMOUNT}之间，收到{self.amount}。")

    @classmethod
    def parse(cls, value: str | Period) -> Period:
        """ "5wd", "60d", "3m" (or a Period, returned as is); ValueError in Chinese otherwise."""
        if isinstance(value, Period):
            return value
        if not isinstance(value, str):
            raise ValueError(f"期限格式不正确：「{value}」。{_FORMAT_HINT}")
        return _parse(value)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        """Chinese wording for people: 5个工作日, 60日, 3个月."""
        return f"{self.amount}{UNIT_LABELS[self.unit]}"


@lru_cache(maxsize=256)
def _parse(text: str) -> Period:
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValueError(f"期限格式不正确：「{text}」。{_FORMAT_HINT}")
    return Period(int(match.group(1)), match.group(2).lower())


class ClockState(models.TextChoices):
    NORMAL = "normal", "正常"
    DUE_SOON = "due_soon", "临期"
    OVERDUE = "overdue", "超期"
    SUSPENDED = "suspended", "中止"
    EXTENDED = "extended", "已延期"
    CLOSED = "closed", "已办结"


def add_months(d: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day (民法典 Art. 202)."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return date(year, month0 + 1, min(d.day, pycalendar.monthrange(year, month0 + 1)[1]))


def add_period(start: date, period: str | Period, *, calendar: WorkCalendar | None = None) -> date:
    """The last day of `period` counted from `start` (not counted), without rolling forward."""
    period = Period.parse(period)
    if period.unit == WORKDAYS:
        return (calendar or get_calendar()).add_workdays(start, period.amount)
    if period.unit == DAYS:
        return start + timedelta(days=period.amount)
    return add_months(start, period.amount)


def due_date(
    *,
    start: date,
    period: str | Period,
    roll_forward: bool = True,
    suspensions: Sequence[tuple[date, date | None]] = (),
    extensions: Sequence[str | Period] = (),
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> date:
    """The day by which the matter must be done (see the module docstring for the rules)."""
    period = Period.parse(period)
    cal = calendar
    if cal is None and (period.unit == WORKDAYS or roll_forward or _any_workday_unit(extensions)):
        cal = get_calendar()

    due = add_period(start, period, calendar=cal)
    for began, ended in _stopped_intervals(start, suspensions, today):
        if period.unit != WORKDAYS:
            due += timedelta(days=(ended - began).days)
        elif began <= due:
            # The units still to run when the clock stopped, counted again from the resume day.
            due = cal.add_workdays(ended, cal.workdays_between(began, due))
        else:
            due = cal.add_workdays(due, cal.workdays_between(began, ended))
    for extension in extensions:
        due = add_period(due, extension, calendar=cal)
    if roll_forward:
        due = cal.roll_forward(due)
    return due


def _any_workday_unit(extensions: Sequence[str | Period]) -> bool:
    return any(Period.parse(e).unit == WORKDAYS for e in extensions)


def _stopped_intervals(
    start: date, suspensions: Sequence[tuple[date, date | None]], today: date | None
) -> list[tuple[date, date]]:
    """Suspensions as merged (began, ended] intervals after `start`; open ones end `today`."""
    intervals = []
    for began, ended in suspensions:
        if ended is not None and ended < began:
            raise ValueError(f"中止期间的恢复日{ended.isoformat()}早于中止日{began.isoformat()}。")
        if ended is None:
            ended = today or timezone.localdate()
        began = max(began, start)
        if ended > began:
            intervals.append((began, ended))
    intervals.sort()
    merged: list[tuple[date, date]] = []
    for began, ended in intervals:
        if merged and began <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ended))
        else:
            merged.append((began, ended))
    return merged


def remaining_workdays(today: date, due: date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days from `today` (excluded) to `due` (included); negative once overdue."""
    return (calendar or get_calendar()).workdays_between(today, due)


def clock_state(
    *,
    due: date,
    today: date,
    suspended: bool,
    extended: bool,
    closed: bool,
    warning: str | Period | None = None,
    calendar: WorkCalendar | None = None,
) -> ClockState:
    """Where a matter's clock stands today.

    Precedence: closed > suspended > overdue (today after due) > due soon (today inside the
    warning window before due) > extended > normal. `warning` defaults to
    FAZHI_DUE_SOON_WORKDAYS working days; for "wd" the window counts working days from today
    (excluded) to due (included).
    """
    if closed:
        return ClockState.CLOSED
    if suspended:
        return ClockState.SUSPENDED
    if today > due:
        return ClockState.OVERDUE
    if _within_warning(due=due, today=today, warning=warning, calendar=calendar):
        return ClockState.DUE_SOON
    if extended:
        return ClockState.EXTENDED
    return ClockState.NORMAL


def _within_warning(*, due: date, today: date, warning, calendar: WorkCalendar | None) -> bool:
    window = Period.parse(warning if warning is not None else f"{settings.FAZHI_DUE_SOON_WORKDAYS}wd")
    if window.unit == WORKDAYS:
        return remaining_workdays(today, due, calendar=calendar) <= window.amount
    if window.unit == DAYS:
        return (due - today).days <= window.amount
    return due <= add_months(today, window.amount)
