"""The work calendar page: a year as twelve month grids; the system administrator edits days here."""

import calendar as pycalendar
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fazhi.core.calendar import get_calendar
from fazhi.core.calendar_seed import covered_years
from fazhi.core.models import CalendarDay
from fazhi.core.services import (
    calendar_day_set,
    calendar_year_confirm,
    calendar_year_from_weekends,
    calendar_year_load,
)
from fazhi.org.permissions import can_edit_calendar

MIN_YEAR, MAX_YEAR = 2000, 2100
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label="类型", choices=CalendarDay.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label="节日名称",
        max_length=32,
        required=False,
        help_text="如：国庆节、国庆节调休上班",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label="说明",
        max_length=200,
        required=False,
        help_text="写明依据，如：某市人民政府关于台风停工的通知",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year")
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return min(max(year, MIN_YEAR), MAX_YEAR)


def _selected_day(request, year: int) -> date | None:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if day.year == year else None


def _months(year: int, rows: dict[date, CalendarDay], today: date) -> list[dict]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for d in week:
                row = rows.get(d)
                if d.month != month:
                    cells.append(None)
                    continue
                cells.append(
                    {
                        "date": d,
                        "row": row,
                        "css": (f"cal-{row.kind}" if row else "cal-missing")
                        + (
                            " cal-provisional" if row and row.source == CalendarDay.Source.PROVISIONAL else ""
                        ),
                        "today": d == today,
                        "adjusted": bool(
                            row
                            and row.source
                            not in (CalendarDay.Source.STATUTORY, CalendarDay.Source.PROVISIONAL)
                        ),
                    }
                )
            weeks.append(cells)
        # Named days are listed under the grid: a cell has no room for 国庆节调休上班.
        notes = [
            cell
            for week in weeks
            for cell in week
            if cell and cell["row"] and (cell["row"].name or cell["adjusted"])
        ]
        months.append({"month": month, "weeks": weeks, "notes": notes})
    return months


def _render(request, *, year: int, form: CalendarDayForm | None = None, status: int = 200) -> HttpResponse:
    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    editable = can_edit_calendar(request.user)
    selected = _selected_day(request, year)
    if form is not None and form.is_bound:
        try:
            selected = date.fromisoformat(form.data.get("date", ""))
        except ValueError:
            selected = None
    if editable and form is None and selected is not None:
        row = rows.get(selected)
        form = CalendarDayForm(
            initial={
                "date": selected,
                "kind": row.kind if row else CalendarDay.Kind.WORKDAY,
                "name": row.name if row else "",
                "note": row.note if row else "",
            }
        )
    counts = {kind: 0 for kind in CalendarDay.Kind.values}
    provisional_days = 0
    for row in rows.values():
        counts[row.kind] += 1
        provisional_days += row.source == CalendarDay.Source.PROVISIONAL
    days_in_year = 366 if pycalendar.isleap(year) else 365
    context = {
        "year": year,
        "months": _months(year, rows, timezone.localdate()),
        "weekdays": WEEKDAYS,
        "loaded_label": get_calendar().loaded_label,
        "missing_days": days_in_year - len(rows),
        "provisional_days": provisional_days,
        "counts": counts,
        "kinds": CalendarDay.Kind,
        "editable": editable,
        "form": form,
        "selected": selected,
        "package_covers_year": year in covered_years(),
    }
    return render(request, "core/calendar.html", context, status=status)


def _back(request, year: int, day: date | None = None) -> HttpResponse:
    url = f"{reverse('core:calendar')}?year={year}" + (f"&day={day.isoformat()}" if day else "")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    year = _year(request)
    if request.method == "GET":
        return _render(request, year=year)
    if not can_edit_calendar(request.user):
        raise PermissionDenied("只有系统管理员可以修改工作日历。")
    if request.POST.get("action") == "draft_year":
        try:
            created = calendar_year_from_weekends(actor=request.user, year=year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.warning(
                request,
                f"已按周休日生成{year}年工作日历草稿（{created}天）。请按国务院办公厅放假通知逐日录入节假日和调休上班日。",
            )
        return _back(request, year)
    if request.POST.get("action") == "confirm_year":
        try:
            confirmed = calendar_year_confirm(actor=request.user, year=year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已核定{year}年工作日历（{confirmed}天不再标为暂按周休日）。")
        return _back(request, year)
    if request.POST.get("action") == "load_year":
        try:
            result = calendar_year_load(actor=request.user, year=year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                f"已载入{year}年国务院放假安排：新增{result.created}天，更新{result.updated}天，"
                f"保留人工或地方调整{result.kept}天。",
            )
        return _back(request, year)

    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_day_set(
                actor=request.user,
                day=data["date"],
                is_workday=data["kind"] in (CalendarDay.Kind.WORKDAY, CalendarDay.Kind.MAKEUP_WORKDAY),
                kind=data["kind"],
                name=data["name"],
                note=data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已将{_cn(data['date'])}设为{CalendarDay.Kind(data['kind']).label}。")
            return _back(request, data["date"].year, data["date"])
    return _render(request, year=year, form=form, status=400)


urlpatterns = [path("calendar/", calendar_page, name="calendar")]
