"""Statistical periods: a date range, with the year / quarter / month helpers people ask for."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def months(self) -> list[date]:
        """First days of the months the period touches, in order."""
        first, found = self.start.replace(day=1), []
        while first <= self.end:
            found.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return found

    @property
    def key(self) -> str:
        """The text `parse` reads back."""
        return f"{self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}"


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), f"{y}年")


def quarter(y: int, q: int) -> Period:
    first = date(y, 3 * q - 2, 1)
    last_month = 3 * q
    return Period(first, date(y, last_month, monthrange(y, last_month)[1]), f"{y}年第{q}季度")


def month(y: int, m: int) -> Period:
    return Period(date(y, m, 1), date(y, m, monthrange(y, m)[1]), f"{y}年{m}月")


def between(start: date, end: date) -> Period:
    if end < start:
        raise ValidationError({"end": f"截止日期{end:%Y-%m-%d}早于起始日期{start:%Y-%m-%d}。"})
    if start.day == 1:
        # a whole calendar year, quarter or month keeps its short name
        for candidate in (
            year(start.year),
            quarter(start.year, (start.month + 2) // 3),
            month(start.year, start.month),
        ):
            if (candidate.start, candidate.end) == (start, end):
                return candidate
    return Period(start, end, f"{_cn(start)}至{_cn(end)}")


def year_to_date(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today, f"{today.year}年（截至{today.month}月{today.day}日）")


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$")


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: f"日期「{text}」无效，请写成 YYYY-MM-DD。"}) from None


def parse(text: str = "", *, start: str = "", end: str = "", today: date | None = None) -> Period:
    """ "2025", "2025-Q3", "2025-07", "2025-01-01~2025-06-30", or start/end dates; default: this
    year to date."""
    text = (text or "").strip()
    if start or end:
        today = today or timezone.localdate()
        first = _day(start, "start") if start else date(today.year, 1, 1)
        return between(first, _day(end, "end") if end else today)
    if not text:
        return year_to_date(today)
    if found := _YEAR.match(text):
        return year(int(found[1]))
    if found := _QUARTER.match(text):
        return quarter(int(found[1]), int(found[2]))
    if (found := _MONTH.match(text)) and 1 <= int(found[2]) <= 12:
        return month(int(found[1]), int(found[2]))
    if found := _RANGE.match(text):
        return between(_day(found[1], "start"), _day(found[2], "end"))
    raise ValidationError(
        {"period": f"统计期「{text}」无法识别，请写成 2025、2025-Q3、2025-07 或 2025-01-01~2025-06-30。"}
    )
