"""Seed the work calendar from the `chinese_calendar` package (the 国务院办公厅 holiday notices).

Shared by the data migration (historical model) and `fazhi calendar_seed` / `calendar_year_load`.
Idempotent: statutory and provisional (weekends-only) rows are brought in line with the package;
rows an administrator set by hand or by local rule (source local/manual) are never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.utils import timezone

from fazhi.core.calendar import date_range

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

STATUTORY, PROVISIONAL = "statutory", "provisional"
WORKDAY, WEEKEND, HOLIDAY, MAKEUP = "workday", "weekend", "holiday", "makeup"
FIELDS = ("is_workday", "kind", "name")


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    unchanged: int
    kept: int  # local or manual rows left as the administrator set them

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.kept


def covered_years() -> range:
    """The years the installed chinese_calendar package has holiday notices for."""
    first = min(chinese_calendar.constants.holidays).year
    last = max(chinese_calendar.constants.holidays).year
    return range(first, last + 1)


def check_years(first: int, last: int) -> None:
    """ValueError in Chinese unless every year in first..last is covered by the package."""
    years = covered_years()
    if first > last:
        raise ValueError(f"起始年份{first}晚于结束年份{last}。")
    if first not in years or last not in years:
        asked = f"{first}年" if first == last else f"{first}年至{last}年"
        raise ValueError(
            f"chinese_calendar 只收录了{years.start}年至{years.stop - 1}年的放假安排，无法载入{asked}。"
            "请升级 chinesecalendar 软件包，或由系统管理员在工作日历页面逐日维护。"
        )


def statutory_day(d: date) -> dict:
    """What the national arrangement says about one day: is_workday, kind and Chinese name."""
    workday = chinese_calendar.is_workday(d)
    _, english = chinese_calendar.get_holiday_detail(d)
    festival = HOLIDAY_NAMES.get(english, english or "")
    weekend = d.weekday() >= 5
    if workday and weekend:
        return {"is_workday": True, "kind": MAKEUP, "name": f"{festival}调休上班" if festival else "调休上班"}
    if workday:
        return {"is_workday": True, "kind": WORKDAY, "name": ""}
    if festival:
        return {"is_workday": False, "kind": HOLIDAY, "name": festival}
    if weekend:
        return {"is_workday": False, "kind": WEEKEND, "name": ""}
    # A weekday off that the package names no festival for (never seen); still a holiday.
    return {"is_workday": False, "kind": HOLIDAY, "name": "放假"}


def seed_years(model, first: int, last: int) -> SeedResult:
    """Write first-01-01..last-12-31 into `model` (CalendarDay, or its historical version)."""
    check_years(first, last)
    start, end = date(first, 1, 1), date(last, 12, 31)
    existing = {row.date: row for row in model.objects.filter(date__gte=start, date__lte=end)}
    now = timezone.now()
    to_create, to_update = [], []
    unchanged = kept = 0
    for d in date_range(start, end):
        wanted = statutory_day(d)
        row = existing.get(d)
        if row is None:
            to_create.append(model(date=d, source=STATUTORY, note="", **wanted))
        elif row.source not in (STATUTORY, PROVISIONAL):
            kept += 1
        elif row.source == STATUTORY and all(getattr(row, f) == wanted[f] for f in FIELDS):
            unchanged += 1
        else:
            # A provisional (weekends-only) day is replaced by the notice, even where it agrees.
            for field, value in wanted.items():
                setattr(row, field, value)
            row.source, row.note = STATUTORY, ""
            row.updated_at = now  # bulk_update does not touch auto_now fields
            to_update.append(row)
    model.objects.bulk_create(to_create, batch_size=1000)
    model.objects.bulk_update(to_update, [*FIELDS, "source", "note", "updated_at"], batch_size=1000)
    return SeedResult(created=len(to_create), updated=len(to_update), unchanged=unchanged, kept=kept)
