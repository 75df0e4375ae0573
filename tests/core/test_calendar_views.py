"""The work calendar page: who sees it, who edits it, and that an edit moves deadlines."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.core import calendar as work_calendar
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.org.models import Role
from tests.org.factories import user_with_role

URL = reverse("core:calendar")


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    work_calendar.clear_cache()
    yield
    work_calendar.clear_cache()


@pytest.fixture
def admin_client(client, db):
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    return client


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client


def due(start: str, period: str) -> str:
    out = StringIO()
    call_command("due", start, period, stdout=out)
    return out.getvalue().strip()


TYPHOON = {"date": "2024-10-08", "kind": "holiday", "name": "台风停工", "note": "市政府通知", "year": "2024"}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.post(URL, TYPHOON).status_code == 302
    assert CalendarDay.objects.get(date=date(2024, 10, 8)).is_workday


@pytest.mark.django_db
def test_staff_see_the_year_with_holidays_and_makeup_days_named(handler_client):
    response = handler_client.get(URL, {"year": 2024})

    assert response.status_code == 200
    page = response.content.decode()
    assert "工作日历 · 2024年" in page
    assert "已载入2015-01-01至2026-12-31" in page
    assert "国庆节调休上班" in page and "春节" in page and "端午节" in page
    assert 'class="cal-holiday' in page and 'class="cal-makeup' in page
    assert "修改日历" not in page  # no edit panel for them
    assert response.context["counts"]["makeup"] == 8  # 2024 had eight 调休上班日


@pytest.mark.django_db
def test_staff_may_not_edit(handler_client):
    response = handler_client.post(URL, TYPHOON)

    assert response.status_code == 403
    assert handler_client.post(URL, {"action": "load_year", "year": "2024"}).status_code == 403
    assert CalendarDay.objects.get(date=date(2024, 10, 8)).is_workday
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 2


@pytest.mark.django_db
def test_an_unloaded_year_is_flagged(handler_client):
    page = handler_client.get(URL, {"year": 2031}).content.decode()

    assert "2031年有365天未载入工作日历" in page
    assert "请联系系统管理员维护工作日历" in page


@pytest.mark.django_db
def test_administrator_edits_a_day_and_deadlines_move(admin_client):
    assert due("2024-09-27", "5wd") == "2024-10-10"
    form = admin_client.get(URL, {"year": 2024, "day": "2024-10-08"})
    assert form.status_code == 200 and "修改日历" in form.content.decode()

    response = admin_client.post(URL, TYPHOON)

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year=2024&day=2024-10-08"
    row = CalendarDay.objects.get(date=date(2024, 10, 8))
    assert (row.is_workday, row.kind, row.name, row.source) == (False, "holiday", "台风停工", "manual")
    event = AuditEvent.objects.get(action="calendar.day_changed")
    assert event.before["is_workday"] is True and event.after["is_workday"] is False
    assert due("2024-09-27", "5wd") == "2024-10-11"
    assert "台风停工" in admin_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_administrator_makes_a_saturday_a_workday(admin_client):
    admin_client.post(URL, {"date": "2024-10-19", "kind": "makeup", "name": "地方调休上班", "year": "2024"})

    assert due("2024-10-17", "2wd") == "2024-10-19"


@pytest.mark.django_db
def test_htmx_edit_redirects_through_the_header(admin_client):
    response = admin_client.post(URL, TYPHOON, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{URL}?year=2024&day=2024-10-08"


@pytest.mark.django_db
def test_bad_edit_is_shown_back_with_the_reason(admin_client):
    response = admin_client.post(URL, {**TYPHOON, "date": "2024-02-30"})

    assert response.status_code == 400
    assert "日期" in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_administrator_cannot_load_a_year_the_package_lacks(admin_client):
    response = admin_client.post(URL, {"action": "load_year", "year": "2031"}, follow=True)

    assert "chinese_calendar 只收录了" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2031).exists()


@pytest.mark.django_db
def test_administrator_reloads_a_year_keeping_manual_days(admin_client):
    admin_client.post(URL, TYPHOON)

    response = admin_client.post(URL, {"action": "load_year", "year": "2024"}, follow=True)

    assert "保留人工或地方调整1天" in response.content.decode()
    assert not CalendarDay.objects.get(date=date(2024, 10, 8)).is_workday


@pytest.mark.django_db
def test_system_admin_drafts_a_year_the_package_lacks_from_weekends(client):
    from fazhi.core.deadlines import due_date
    from fazhi.core.models import AuditEvent, CalendarDay
    from fazhi.org.models import Role
    from tests.org.factories import user_with_role

    admin = user_with_role(Role.SYSTEM_ADMIN)
    client.force_login(admin)

    response = client.post("/core/calendar/?year=2027", {"year": "2027", "action": "draft_year"})

    assert response.status_code == 302
    friday = CalendarDay.objects.get(date="2027-01-08")
    assert friday.is_workday and "放假通知" in friday.note
    assert not CalendarDay.objects.get(date="2027-01-09").is_workday  # Saturday
    assert due_date(start=friday.date, period="1wd").isoformat() == "2027-01-11"
    assert AuditEvent.objects.filter(action="calendar.year_drafted").exists()
    # a second draft, or a draft of a year the package covers, is refused
    client.post("/core/calendar/?year=2027", {"year": "2027", "action": "draft_year"})
    client.post("/core/calendar/?year=2026", {"year": "2026", "action": "draft_year"})
    assert CalendarDay.objects.filter(date__year=2027).count() == 365


@pytest.mark.django_db
def test_a_handler_cannot_draft_a_year(client):
    from fazhi.core.models import CalendarDay
    from fazhi.org.models import Role
    from tests.org.factories import user_with_role

    client.force_login(user_with_role(Role.HANDLER))
    response = client.post("/core/calendar/?year=2027", {"year": "2027", "action": "draft_year"})
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()
