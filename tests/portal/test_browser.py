"""A citizen submits on the portal in Chromium, follows it with the code, and an operator finds it
in the dispatch queue."""

import re

import pytest
from playwright.sync_api import expect

from fazhi.hotline.models import Channel, Ticket
from tests.browser.test_workbench import log_in, page  # noqa: F401  the Chromium page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_citizen_submits_tracks_and_the_operator_sees_it(
    live_server,
    page,  # noqa: F811  the fixture imported above
    community,
    portal_account,
    operator,
):
    street = community.parent
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="我要反映").first.click()
    page.wait_for_url("**/portal/submit/")

    # The citizen fills the form in, choosing the place level by level
    page.get_by_label("投诉").check()
    page.get_by_label("诉求内容").fill(
        "幸福社区东门外人行道有一处大坑，下雨积水，老人路过容易摔倒，希望尽快修补。"
    )
    page.get_by_label("所在区县").select_option(label=street.parent.name)
    page.get_by_label("乡镇街道").select_option(label=street.name)
    page.get_by_label("社区村").select_option(label=community.name)
    page.get_by_label("详细地址").fill("幸福路88号东门")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="提交").click()

    # They get a receipt with the tracking code and the phone suffix to look it up
    page.wait_for_url("**/portal/submit/receipt/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code)
    expect(page.locator("main")).to_contain_text("尾号 5678")

    # And find it on the tracking page
    page.get_by_role("link", name="查询办理进度", exact=True).last.click()
    expect(page.get_by_label("查询码")).to_have_value(code)
    page.get_by_label("联系电话后4位").fill("5678")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("status")).to_have_text("办理中")
    expect(page.locator("main")).to_contain_text("受理渠道：网站")
    expect(page.locator("main")).not_to_contain_text("13812345678")

    # Then the operator sees it in the centre's dispatch queue, from the web channel
    ticket = Ticket.objects.get(tracking_code=code)
    assert ticket.channel == Channel.WEB
    log_in(page, live_server.url, operator.username)
    page.goto(f"{live_server.url}/hotline/queue/")
    page.get_by_role("link", name=ticket.reference).click()
    expect(page.locator("main")).to_contain_text("网站")
    expect(page.locator("main")).to_contain_text("幸福路88号东门")
