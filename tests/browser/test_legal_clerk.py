"""A 司法局 clerk runs a reconsideration from application to decision in Chromium: registers the
application, accepts it, issues the 受理通知书 as DOCX, records the answer and the decision, and
sees the case closed with each statutory deadline right (National Day 2024 falls in the review)."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from docx import Document
from playwright.sync_api import expect, sync_playwright

from fazhi.cases.models import Case
from fazhi.legal.models import Reconsideration, ReconsiderationBody
from fazhi.org.models import Region, Role, Unit
from tests.org.factories import PASSWORD, RegionFactory, UnitFactory, user_with_role

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # live_server thread + Playwright's loop (as test_workbench)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN", accept_downloads=True)
        page.set_default_timeout(15_000)
        yield page
        connections.close_all()
        browser.close()


@pytest.fixture
def clock(monkeypatch):
    """Sets the server's today (the live server runs in this process)."""

    def set_day(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


def log_in(page, base_url: str, username: str) -> None:
    # each working day a fresh session: the idle timeout ends yesterday's
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cases/workbench/")


def action(page, name: str):
    return page.locator(f"form[action$='/{name}/']")


def test_the_clerk_runs_a_reconsideration_from_application_to_decision(
    live_server, page, clock, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    clock(date(2024, 9, 27))
    city = RegionFactory(code="379900", name="明湖市", level=Region.Level.CITY)
    government = UnitFactory(name="明湖市人民政府", kind=Unit.Kind.GOVERNMENT, region=city)
    justice = UnitFactory(name="明湖市司法局", region=city, parent=government)
    UnitFactory(name="明湖市城市管理局", short_name="市城管局", region=city, parent=government)
    ReconsiderationBody.objects.create(unit=justice, authority=government, document_prefix="明政复")
    clerk = user_with_role(Role.HANDLER, justice)
    base = live_server.url

    # Friday 27 Sep 2024: the application arrives and is registered
    log_in(page, base, clerk.username)
    page.goto(f"{base}/legal/reconsideration/new/")
    page.get_by_label("收到申请时间").fill("2024-09-27T09:30")
    page.get_by_label("申请人姓名（公民）").fill("李建国")
    page.get_by_label("被申请人").select_option(label="明湖市城市管理局")
    page.get_by_label("被申请行政复议的行政行为").fill("行政处罚决定（罚款2万元）")
    page.get_by_label("行政复议请求").fill("请求撤销被申请人作出的罚款2万元的行政处罚决定。")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/legal/reconsideration/*/")
    # five working days after the 27th across National Day: 29 Sep (调休), 30 Sep, 8, 9, 10 Oct
    expect(page.locator("main")).to_contain_text("审查期限 2024年10月10日")
    rec = Reconsideration.objects.get()
    detail = page.url

    # Wednesday 9 Oct: accepted by 普通程序 — the decision is due 60 days later, Sunday 8 Dec → Monday 9 Dec
    clock(date(2024, 10, 9))
    log_in(page, base, clerk.username)
    page.goto(detail)
    accept = action(page, "accept")
    accept.get_by_label("受理日期").fill("2024-10-09")
    accept.get_by_label("审理程序").select_option(label="普通程序")
    accept.get_by_role("button", name="受理").click()
    expect(page.locator(".alert-success")).to_contain_text("决定期限2024-12-09")
    deadlines = page.locator("#deadlines")
    expect(deadlines.locator("tr", has_text="发送答复通知书")).to_contain_text("2024-10-17")

    # the 受理通知书: drafted from the template, edited, issued with its number, downloaded as DOCX
    action(page, "draft").locator("select[name=kind]").select_option(label="受理通知书")
    action(page, "draft").get_by_role("button", name="生成草稿").click()
    page.locator("#documents tr", has_text="受理通知书").get_by_role("link", name="修改并签发").click()
    text = page.locator("textarea[name=text]")
    text.fill(text.input_value() + "\n联系人：王明，电话0539-1234567。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="签发").click()
    expect(page.locator("main")).to_contain_text("明政复")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载DOCX").click()
    path = tmp_path / "notice.docx"
    download.value.save_as(path)
    words = "\n".join(p.text for p in Document(path).paragraphs)
    assert "行政复议受理通知书" in words and "明政复受字〔2024〕1号" in words and "李建国" in words
    assert "自2024年10月9日起予以受理" in words.replace("\n", "") or "2024年10月9日" in words
    assert "联系人：王明" in words  # the clerk's edit is in the issued file

    # Monday 21 Oct: the copy reached the respondent on the 11th (answer due 24 Oct, 12 Oct being
    # a make-up working day); its written answer arrives today
    clock(date(2024, 10, 21))
    log_in(page, base, clerk.username)
    page.goto(detail)
    action(page, "serve").locator("input[name=on]").fill("2024-10-11")
    action(page, "serve").get_by_role("button", name="登记送达").click()
    expect(page.locator(".alert-success")).to_contain_text("答复期限2024-10-24")
    action(page, "answer").locator("input[name=on]").fill("2024-10-21")
    action(page, "answer").get_by_role("button", name="登记收到答复").click()
    expect(page.locator(".alert-success")).to_contain_text("进入审理")

    # Wednesday 20 Nov: the decision upholds the penalty
    clock(date(2024, 11, 20))
    log_in(page, base, clerk.username)
    page.goto(detail)
    decide = action(page, "decide")
    decide.get_by_label("结案方式").select_option(label="维持")
    decide.locator("select[name=ground]").select_option(value="lawful")
    decide.get_by_label("查明的事实和理由").fill("经审理查明，被申请人认定事实清楚，程序合法，处罚适当。")
    decide.get_by_label("决定日期").fill("2024-11-20")
    decide.get_by_role("button", name="作出决定").click()

    # the case is closed, on time, every deadline as the law counts it
    expect(page.locator(".alert-success")).to_contain_text("已结案：维持")
    expect(page.locator("main")).to_contain_text("决定期限 2024年12月9日")
    expect(deadlines.locator("tr", has_text="受理审查")).to_contain_text("2024-10-10")
    expect(deadlines.locator("tr", has_text="被申请人答复")).to_contain_text("2024-10-24")
    decision_row = deadlines.locator("tr", has_text="作出决定")
    expect(decision_row).to_contain_text("2024-12-09")
    expect(decision_row).to_contain_text("2024-11-20")
    expect(decision_row).to_contain_text("按期")
    rec.refresh_from_db()
    assert rec.case.status == Case.Status.CLOSED and rec.outcome == "upheld"
    assert rec.case.due_date == date(2024, 12, 9) and rec.handling_days == 42
