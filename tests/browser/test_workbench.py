"""A handler signs in through the real login page and works from the workbench, in Chromium."""

import os
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from fazhi.core.calendar import get_calendar
from fazhi.core.deadlines import due_date
from fazhi.org.models import Role, Unit
from tests.cases.factories import at, open_case
from tests.org.factories import PASSWORD, UnitFactory, user_with_role

# live_server answers from a thread while Playwright's sync API runs an event loop in this one.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `bin/setup --dev`
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15_000)
        yield page
        # While Playwright's loop runs, Django keeps this thread's connections apart (asgiref
        # Local); close the test body's own, or PostgreSQL cannot drop the test database.
        connections.close_all()
        browser.close()


def received_on(day):
    return at(day.year, day.month, day.day)


def hotline_received_for_due(target):
    """The latest receipt day whose 5-working-day deadline falls on `target`."""
    day = timezone.localdate()
    while due_date(start=day, period="5wd") > target:
        day -= timedelta(days=1)
    return day


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cases/workbench/")


def test_handler_sees_the_clock_badges_and_opens_the_case(live_server, page):
    unit = UnitFactory(name="明湖市城市管理局", short_name="市城管局", kind=Unit.Kind.DEPARTMENT)
    handler = user_with_role(Role.HANDLER, unit)
    today = timezone.localdate()
    overdue = open_case(
        unit,
        code="hotline",
        title="湖滨路人行道井盖缺失",
        description="市民来电反映人行道井盖缺失，夜间非常危险。",
        received_at=received_on(today - timedelta(days=20)),
    )
    tomorrow = get_calendar().add_workdays(today, 1)
    due_soon = open_case(
        unit,
        code="hotline",
        title="府前街早市占道经营",
        received_at=received_on(hotline_received_for_due(tomorrow)),
    )

    log_in(page, live_server.url, handler.username)

    overdue_row = page.locator("tr", has_text=overdue.number)
    expect(overdue_row.locator(".badge")).to_have_text("超期")
    expect(page.locator("tr", has_text=due_soon.number).locator(".badge")).to_have_text("临期")
    overdue_row.get_by_role("link", name=overdue.number).click()
    page.wait_for_url(f"**/cases/{overdue.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("湖滨路人行道井盖缺失")
    expect(page.locator("main")).to_contain_text(overdue.number)
    expect(page.get_by_role("heading", name="办理过程")).to_be_visible()
    expect(page.locator(".timeline li").first).to_contain_text("登记并交办明湖市城市管理局")
    expect(page.locator("main")).to_contain_text("超期")
