"""A unit's staff member follows a deduction to the record that caused it, in Chromium."""

import os

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from fazhi.assessment import services
from fazhi.assessment.models import IndicatorTree
from fazhi.org.models import Role
from tests.assessment.factories import cycle, late_filing
from tests.org.factories import PASSWORD, UnitFactory, user_with_role

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SCREENSHOTS = os.environ.get("FAZHI_SCREENSHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        connections.close_all()
        browser.close()


def test_handler_follows_a_deduction_to_its_filing_and_appeals(live_server, page):
    justice = UnitFactory(name="明湖市司法局")
    urban = UnitFactory(name="明湖市城市管理局")
    supervisor = user_with_role(Role.SUPERVISOR, justice, scope="all")
    handler = user_with_role(Role.HANDLER, urban)
    filing = late_filing(urban, handler)
    tree = services.tree_load_starter(actor=supervisor)
    services.tree_set_status(actor=supervisor, tree=tree, status=IndicatorTree.Status.ACTIVE)
    c = cycle(supervisor, tree, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    services.cycle_advance(actor=supervisor, cycle=c)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("账号").fill(handler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cases/workbench/")
    page.goto(f"{live_server.url}/assessment/")
    page.get_by_role("link", name=c.name).click()
    row = page.locator("#leaves tr", has_text="2.1.1")
    expect(row).to_contain_text("规范性文件备案超期1件，每件扣2分")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/unit.png", full_page=True)
    row.get_by_role("link", name="申诉").click()
    page.get_by_label("申诉理由和依据").fill("该文件已于期限内以纸质方式报送，附签收单。")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.locator("#leaves tr", has_text="2.1.1")).to_contain_text("申诉：待处理")
    page.locator("#leaves tr", has_text="2.1.1").get_by_role("link", name=filing.number).click()
    expect(page.locator("h1")).to_contain_text(filing.title)
