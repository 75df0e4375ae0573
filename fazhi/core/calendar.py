"""The work calendar in memory: which loaded days are working days, and counting over them.

The whole `CalendarDay` table (a few thousand rows) is read once into arrays indexed by date
ordinal, so every question is a lookup or a bisect, never a query. A date outside the loaded
table is an error (`CalendarRangeError`), never a guess: a deadline computed on a calendar
nobody maintained would be wrong without anyone noticing.

Conventions, the same for every method:

- counting never includes the start day (民事诉讼法 Art. 85, 民法典 Art. 201);
- `next_workday(d)` is the first working day strictly after `d`; `roll_forward(d)` is `d` itself
  when it is a working day, otherwise the next one;
- `workdays_between(a, b)` counts the working days in (a, b]: `a` excluded, `b` included, so
  `add_workdays(a, workdays_between(a, b))` is `b` whenever `b` is a working day.

`get_calendar()` returns a process-wide cached instance. It is dropped at once by `invalidate()`
(called by the calendar services, and again when their transaction commits) and re-validated
against the table's fingerprint (row count and latest `updated_at`) every few seconds, so edits
made by another process, through the admin, or undone by a rollback are picked up too.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max

UNKNOWN, OFF, WORK = 2, 0, 1


class CalendarRangeError(ValidationError):
    """A date the loaded work calendar does not cover; the administrator must load that year first.

    A ValidationError, so a service that needs such a date refuses the action with this message
    instead of failing with a server error.
    """

    def __init__(self, day: date, loaded: str):
        self.day = day
        self.loaded = loaded
        super().__init__(
            f"工作日历未载入{day.isoformat()}所在年份（{loaded}），请系统管理员先维护工作日历。",
            code="calendar_range",
        )

    def __str__(self) -> str:
        return self.message


class WorkCalendar:
    """An immutable snapshot of the work calendar.

    Build it from (date, is_workday) pairs in any order; dates missing between the first and the
    last one are holes that no computation may cross.
    """

    __slots__ = (
        "first",
        "last",
        "_base",
        "_flags",
        "_cum",
        "_workdays",
        "_holes",
        "_segments",
        "_provisional",
    )

    def __init__(self, days: Any, *, provisional: Any = ()):
        pairs = sorted((d.toordinal(), bool(w)) for d, w in days)
        # Days laid out from weekends only, before the year's holiday notice was published.
        self._provisional = sorted(d.toordinal() for d in provisional)
        if not pairs:
            self.first = self.last = None
            self._base = 0
            self._flags = bytearray()
            self._cum = array("l", [0])
            self._workdays = array("l")
            self._holes: list[int] = []
            self._segments: list[tuple[date, date]] = []
            return
        base, top = pairs[0][0], pairs[-1][0]
        flags = bytearray([UNKNOWN]) * (top - base + 1)
        for ordinal, workday in pairs:
            flags[ordinal - base] = WORK if workday else OFF
        # cum[i] = working days among the first i loaded days: counting is two lookups.
        cum = array("l", [0]) * (len(flags) + 1)
        workdays = array("l")
        running = 0
        for i, flag in enumerate(flags):
            if flag == WORK:
                running += 1
                workdays.append(base + i)
            cum[i + 1] = running
        holes = [base + i for i, flag in enumerate(flags) if flag == UNKNOWN]
        self.first = date.fromordinal(base)
        self.last = date.fromordinal(top)
        self._base = base
        self._flags = flags
        self._cum = cum
        self._workdays = workdays
        self._holes = holes
        self._segments = _segments(base, top, holes)

    # -- what is loaded ---------------------------------------------------------------------

    @property
    def loaded_label(self) -> str:
        """E.g. "已载入2015-01-01至2026-12-31" — shown in errors and on the calendar page."""
        if not self._segments:
            return "工作日历为空"
        return "已载入" + "、".join(f"{a.isoformat()}至{b.isoformat()}" for a, b in self._segments)

    @property
    def segments(self) -> list[tuple[date, date]]:
        """The loaded date ranges, usually exactly one."""
        return list(self._segments)

    def covers(self, d: date) -> bool:
        i = d.toordinal() - self._base
        return 0 <= i < len(self._flags) and self._flags[i] != UNKNOWN

    def __len__(self) -> int:
        return len(self._flags) - len(self._holes)

    @property
    def provisional_first(self) -> date | None:
        """The first day still laid out from weekends only (暂按周休日), if any."""
        return date.fromordinal(self._provisional[0]) if self._provisional else None

    def is_provisional(self, d: date) -> bool:
        """Whether a deadline falling on or counted through `d` may still move: the table holds
        that day only provisionally, pending the State Council's holiday notice for its year."""
        return bool(self._provisional) and d.toordinal() >= self._provisional[0]

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.loaded_label}>"

    # -- questions about one day --------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        return self._flags[self._index(d.toordinal())] == WORK

    def next_workday(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.add_workdays(d, 1)

    def previous_workday(self, d: date) -> date:
        """The last working day strictly before `d`."""
        return self.add_workdays(d, -1)

    def roll_forward(self, d: date) -> date:
        """`d` if it is a working day, else the next working day (民事诉讼法 Art. 85)."""
        return d if self.is_workday(d) else self.next_workday(d)

    # -- counting -----------------------------------------------------------------------------

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after `d` (the start day is not counted); n < 0 counts backwards.

        add_workdays(d, 0) is `d` itself, working day or not.
        """
        ordinal = d.toordinal()
        i = self._index(ordinal)
        if n == 0:
            return d
        if n > 0:
            k = self._cum[i + 1] + n - 1  # working days up to and including d, then n more
            if k >= len(self._workdays):
                self._raise_beyond(ordinal, forward=True)
        else:
            k = self._cum[i] + n  # working days strictly before d, then |n| back
            if k < 0:
                self._raise_beyond(ordinal, forward=False)
        target = self._workdays[k]
        self._require_no_hole(min(ordinal, target), max(ordinal, target))
        return date.fromordinal(target)

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        oa, ob = a.toordinal(), b.toordinal()
        ia, ib = self._index(oa), self._index(ob)
        if oa <= ob:
            self._require_no_hole(oa, ob)
            return self._cum[ib + 1] - self._cum[ia + 1]
        self._require_no_hole(ob, oa)
        return -(self._cum[ia + 1] - self._cum[ib + 1])

    # -- internals ----------------------------------------------------------------------------

    def _index(self, ordinal: int) -> int:
        i = ordinal - self._base
        if not (0 <= i < len(self._flags)) or self._flags[i] == UNKNOWN:
            raise CalendarRangeError(date.fromordinal(ordinal), self.loaded_label)
        return i

    def _require_no_hole(self, lo: int, hi: int) -> None:
        k = bisect_left(self._holes, lo)
        if k < len(self._holes) and self._holes[k] <= hi:
            raise CalendarRangeError(date.fromordinal(self._holes[k]), self.loaded_label)

    def _raise_beyond(self, ordinal: int, *, forward: bool) -> None:
        # Name the first day we would have needed: just past the loaded stretch.
        if forward:
            k = bisect_left(self._holes, ordinal)
            missing = self._holes[k] if k < len(self._holes) else self._base + len(self._flags)
        else:
            k = bisect_left(self._holes, ordinal) - 1
            missing = self._holes[k] if k >= 0 else self._base - 1
        raise CalendarRangeError(date.fromordinal(missing), self.loaded_label)


def _segments(base: int, top: int, holes: list[int]) -> list[tuple[date, date]]:
    segments, start = [], base
    for hole in holes:
        if hole > start:
            segments.append((date.fromordinal(start), date.fromordinal(hole - 1)))
        start = hole + 1
    if start <= top:
        segments.append((date.fromordinal(start), date.fromordinal(top)))
    return segments


# -- the process-wide cache ------------------------------------------------------------------


@dataclass
class _Cached:
    calendar: WorkCalendar
    fingerprint: tuple
    checked_at: float


@dataclass
class _Pending:
    """This thread edited the calendar in a transaction that has not committed yet."""

    block: Any  # the outermost Atomic of that transaction
    calendar: WorkCalendar | None = None
    fingerprint: tuple | None = None


_cached: _Cached | None = None
_local = threading.local()


def _recheck_seconds() -> float:
    return float(settings.FAZHI_CALENDAR_RECHECK_SECONDS)


def _fingerprint() -> tuple:
    from fazhi.core.models import CalendarDay

    row = CalendarDay.objects.aggregate(n=Count("date"), latest=Max("updated_at"))
    return (row["n"], row["latest"])


def load_calendar() -> WorkCalendar:
    """Read the whole table now, bypassing the cache."""
    from fazhi.core.models import CalendarDay

    rows = CalendarDay.objects.values_list("date", "is_workday")
    provisional = CalendarDay.objects.filter(source=CalendarDay.Source.PROVISIONAL).values_list(
        "date", flat=True
    )
    return WorkCalendar(rows.iterator(chunk_size=5000), provisional=list(provisional))


def get_calendar() -> WorkCalendar:
    """The current work calendar (cached per process; see the module docstring)."""
    global _cached
    pending: _Pending | None = getattr(_local, "pending", None)
    if pending is not None:
        if connection.in_atomic_block and connection.atomic_blocks[0] is pending.block:
            # Our own uncommitted edit: seen here, never shared with other threads, and checked
            # on every call because a savepoint may have rolled it back.
            fingerprint = _fingerprint()
            if pending.calendar is None or pending.fingerprint != fingerprint:
                pending.calendar, pending.fingerprint = load_calendar(), fingerprint
            return pending.calendar
        _local.pending = None  # that transaction ended without a commit: it was rolled back
        _cached = None
    cached = _cached
    now = time.monotonic()
    if cached is not None and now - cached.checked_at < _recheck_seconds():
        return cached.calendar
    fingerprint = _fingerprint()
    if cached is not None and cached.fingerprint == fingerprint:
        cached.checked_at = now
        return cached.calendar
    calendar = load_calendar()
    _cached = _Cached(calendar=calendar, fingerprint=fingerprint, checked_at=now)
    return calendar


def invalidate() -> None:
    """Forget the cached calendar. Called by every service that edits `CalendarDay`.

    Inside a transaction the editing thread sees its own changes at once; other threads and
    processes see them once the transaction commits.
    """
    global _cached
    _cached = None
    if connection.in_atomic_block:
        _local.pending = _Pending(block=connection.atomic_blocks[0])
        transaction.on_commit(_committed)


def clear_cache() -> None:
    """Forget everything cached, without marking an edit (tests; after a restore)."""
    global _cached
    _cached = None
    _local.pending = None


def _committed() -> None:
    global _cached
    if connection.in_atomic_block:
        # Only under a test's captured on-commit hooks: the data is still uncommitted.
        return
    _local.pending = None
    _cached = None


def date_range(first: date, last: date):
    """Every date from `first` to `last` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)
