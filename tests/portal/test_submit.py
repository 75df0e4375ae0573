"""我要反映: a citizen's request from the portal reaches the same intake as a phone call."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from fazhi.cases.models import Attachment
from fazhi.core.models import AuditEvent
from fazhi.hotline import selectors as hotline_selectors
from fazhi.hotline.models import Category, Channel, Ticket
from fazhi.portal import uploads
from tests.hotline.factories import category
from tests.portal.helpers import CONTENT, JPEG, PDF, SCRIPT, answers, png, submit

pytestmark = pytest.mark.django_db


def test_a_citizen_submits_and_gets_a_printable_receipt(client, community, portal_account, road_rule, urban):
    # Given a request the citizen classified as 道路破损
    response = submit(
        client,
        community,
        category1=category("01").pk,
        category2=category("0101").pk,
        category3=category("010101").pk,
    )

    # Then the browser goes to a receipt with nothing personal in its address
    assert response.status_code == 302 and response["Location"] == reverse("portal:receipt")
    ticket = Ticket.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert ticket.tracking_code in page and "尾号 5678" in page and "打印回执" in page
    assert f"已交{urban.name}办理" in page
    # And the request went through the hotline's intake as channel 网站, routed like a call
    assert ticket.channel == Channel.WEB and ticket.case.handling_unit == urban
    assert ticket.caller_phone == "13812345678" and ticket.caller_name == "李梅"
    assert ticket.address == "幸福路88号东门" and ticket.region == community
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hotline.registered", "portal.submitted"} <= actions


def test_the_phone_is_stored_encrypted(client, community, portal_account):
    submit(client, community)

    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone, caller_name FROM hotline_ticket")
        stored = cursor.fetchone()
    assert "13812345678" not in stored[0] and "李梅" not in stored[1]


def test_without_a_category_the_request_waits_in_the_operators_queue(
    client, community, portal_account, operator
):
    # Given no routing rule covers it and the citizen did not classify it
    submit(client, community, content="我想反映一件事情，具体情况比较复杂，希望有人联系我详细说明。")

    ticket = Ticket.objects.get()
    # Then the centre holds it under 其他诉求 and an operator sees it in the dispatch queue
    assert ticket.category.code == "170201" and ticket.case.handling_unit == ticket.centre
    assert list(hotline_selectors.dispatch_queue(operator)["unrouted"]) == [ticket]
    client.force_login(operator)
    queue = client.get(reverse("hotline:queue")).content.decode()
    assert ticket.reference in queue
    detail = client.get(reverse("hotline:detail", args=[ticket.pk])).content.decode()
    assert "网站" in detail and "138****5678" in detail


def test_every_field_gets_its_message_and_everything_typed_comes_back(client, community, portal_account):
    response = submit(
        client,
        community,
        content="太短了",
        phone="12345",
        region1="",
        confidential="on",
        latitude="34.7",
        address="幸福路88号东门",
        name="李梅",
    )

    page = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "诉求内容：诉求内容不少于10个字（现有3字）" in page
    assert "联系电话：联系电话应为11位手机号码" in page
    assert "所在区县：请选择事项发生地所在的区县" in page
    assert "只有“举报”类诉求可以要求保密" in page
    assert "经纬度须同时填写或同时留空" in page
    # Nothing typed is lost
    for typed in ("太短了", "幸福路88号东门", "李梅", "12345", "34.7"):
        assert typed in page
    assert 'value="complaint" class="form-check-input" id="id_request_type_2" required checked' in page or (
        'value="complaint"' in page and "checked" in page
    )


@pytest.mark.parametrize(
    "phone",
    ["13812345678", "+86 138-1234-5678", "0393-1234567", "(010) 8765 4321", "008613812345678"],
)
def test_mainland_mobiles_and_landlines_are_accepted(client, community, portal_account, phone):
    assert submit(client, community, phone=phone).status_code == 302


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "110", "021-123", "abcdefghijk", ""])
def test_other_numbers_are_refused_with_the_rule(client, community, portal_account, phone):
    page = submit(client, community, phone=phone).content.decode()
    assert "联系电话：" in page and ("11位手机号码" in page or "请填写联系电话" in page)
    assert not Ticket.objects.exists()


def test_content_over_the_limit_is_refused(client, community, portal_account):
    page = submit(client, community, content="长" * 2001).content.decode()
    assert "诉求内容不超过2000字（现有2001字）" in page and not Ticket.objects.exists()


def test_a_category_must_belong_to_the_level_above(client, community, portal_account):
    response = submit(
        client,
        community,
        category1=category("01").pk,
        category2=category("0101").pk,
        category3=category("170201").pk,
    )
    assert "诉求分类（三级）与上一级不对应" in response.content.decode()
    half = submit(client, community, category1=category("01").pk, category2=category("0101").pk)
    assert "请把诉求分类选到第三级" in half.content.decode()
    assert not Ticket.objects.exists()


def test_a_street_must_belong_to_the_chosen_district(client, community, portal_account, city):
    from tests.org.factories import RegionFactory

    elsewhere = RegionFactory(code="410922", name="清丰县", level=3, parent=city)
    page = submit(client, community, region1=elsewhere.pk).content.decode()
    assert "乡镇街道与上一级不对应" in page


def test_cascading_selects_offer_the_children_of_a_choice(client, community):
    street = community.parent
    districts = client.get(reverse("portal:options", args=["region"]), {"parent": street.parent_id})
    assert street.name in districts.content.decode()
    first = category("01")
    page = client.get(reverse("portal:options", args=["category"]), {"parent": first.pk}).content.decode()
    assert all(child.name in page for child in Category.objects.filter(parent=first))


# --- confidentiality -----------------------------------------------------------------------------------


def test_a_confidential_report_hides_the_informant_from_staff(client, community, portal_account, operator):
    submit(
        client,
        community,
        request_type="report",
        confidential="on",
        content="幸福路一家小作坊夜间偷排废水，气味刺鼻，请查处。",
    )

    ticket = Ticket.objects.get()
    assert ticket.confidential and ticket.case.is_confidential
    client.force_login(operator)
    detail = client.get(reverse("hotline:detail", args=[ticket.pk])).content.decode()
    assert "保密" in detail and "5678" not in detail and "李" not in detail.split("来电人")[1][:80]


# --- attachments -------------------------------------------------------------------------------------------


def test_photos_and_pdfs_are_kept_on_the_case(client, community, portal_account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [png(), SimpleUploadedFile("现场.JPG", JPEG), SimpleUploadedFile("说明.pdf", PDF)]
    response = client.post(reverse("portal:submit"), {**answers(community), "attachments": files})

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    kept = Attachment.objects.filter(case=ticket.case)
    assert sorted(a.name for a in kept) == ["坑.png", "现场.JPG", "说明.pdf"]
    assert all(len(a.sha256) == 64 for a in kept)
    assert "3个" in client.get(reverse("portal:receipt")).content.decode()


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("照片.jpg", SCRIPT, "附件「照片.jpg」不是JPG、PNG、GIF、WebP图片或PDF文件（按文件内容识别）"),
        ("照片.png", PDF, "附件「照片.png」的内容是PDF文件，但扩展名不符"),
        ("空.png", b"", "有空文件（0字节）"),
    ],
)
def test_a_file_is_judged_by_its_content(client, community, portal_account, name, body, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, body, content_type="image/jpeg")
    response = client.post(reverse("portal:submit"), {**answers(community), "attachments": [upload]})

    page = response.content.decode()
    assert response.status_code == 400 and message in page and "请重新选择附件" in page
    assert CONTENT in page and not Ticket.objects.exists()


def test_too_many_or_too_large_files_are_refused(client, community, portal_account, monkeypatch):
    files = [png(f"{i}.png") for i in range(uploads.MAX_FILES + 1)]
    page = client.post(
        reverse("portal:submit"), {**answers(community), "attachments": files}
    ).content.decode()
    assert f"附件最多{uploads.MAX_FILES}个（现有{uploads.MAX_FILES + 1}个）" in page

    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 32)
    page = client.post(
        reverse("portal:submit"), {**answers(community), "attachments": [png()]}
    ).content.decode()
    assert "每个附件不超过" in page and not Ticket.objects.exists()


# --- anti-abuse ------------------------------------------------------------------------------------------------


def test_the_honeypot_stops_software_but_keeps_what_was_typed(client, community, portal_account):
    response = submit(client, community, homepage="http://spam.example")
    page = response.content.decode()
    assert response.status_code == 400 and "请勿填写此项" in page and CONTENT in page
    assert not Ticket.objects.exists()


def test_one_address_is_throttled_and_keeps_its_text(client, community, portal_account, settings):
    settings.FAZHI_PORTAL_SUBMIT_PER_ADDRESS = 2
    for number in range(2):
        assert submit(client, community, phone=f"1391234000{number}").status_code == 302

    response = submit(client, community, phone="13912340009")

    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert CONTENT in response.content.decode() and Ticket.objects.count() == 2
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert submit(other, community, phone="13912340009").status_code == 302


def test_one_phone_is_throttled_from_any_address(community, portal_account, settings):
    settings.FAZHI_PORTAL_SUBMIT_PER_PHONE = 1
    assert submit(Client(REMOTE_ADDR="10.0.0.1"), community).status_code == 302
    assert submit(Client(REMOTE_ADDR="10.0.0.2"), community).status_code == 429
    assert Ticket.objects.count() == 1


def test_errors_do_not_use_up_the_allowance(client, community, portal_account, settings):
    settings.FAZHI_PORTAL_SUBMIT_PER_ADDRESS = 1
    assert submit(client, community, content="短").status_code == 400
    assert submit(client, community).status_code == 302


# --- security and configuration ----------------------------------------------------------------------------------


def test_without_the_portal_account_the_form_says_to_call_and_keeps_the_text(client, community, settings):
    settings.FAZHI_PORTAL_OPERATOR = "nobody"
    response = submit(client, community)
    page = response.content.decode()
    assert response.status_code == 503 and "请拨打12345" in page and CONTENT in page


def test_a_post_without_the_csrf_token_is_refused(community, portal_account):
    response = submit(Client(enforce_csrf_checks=True), community)
    assert response.status_code == 403 and not Ticket.objects.exists()


@pytest.mark.parametrize("name", ["portal:home", "portal:submit", "portal:track", "portal:answers"])
def test_pages_cannot_be_framed(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200 and response["X-Frame-Options"] == "DENY"


def test_the_receipt_is_only_for_the_browser_that_sent_it(client, community, portal_account):
    submit(client, community)
    assert Client().get(reverse("portal:receipt")).status_code == 302
    assert "?code=" not in client.get(reverse("portal:receipt")).content.decode()
    # The receipt's link fills the tracking form in from the session, not from the URL
    code = Ticket.objects.get().tracking_code
    assert f'value="{code}"' in client.get(reverse("portal:track")).content.decode()
    assert f'value="{code}"' not in Client().get(reverse("portal:track")).content.decode()


def test_a_matter_for_the_courts_is_kept_and_the_receipt_says_where_to_go(client, community, portal_account):
    response = client.post(
        reverse("portal:submit"),
        {
            **answers(
                community,
                content="我要起诉开发商，他们拖欠我的购房违约金一直不给，请帮我处理。",
                category1=category("02").pk,
                category2=category("0202").pk,
                category3=category("020202").pk,
            ),
            "attachments": [png()],
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.case is None and ticket.guidance and ticket.channel == Channel.WEB
    receipt = client.get(reverse("portal:receipt")).content.decode()
    assert "人民法院" in receipt and "所附文件未保存" in receipt and ticket.tracking_code in receipt


def test_the_chosen_place_and_category_come_back_on_error(client, community, portal_account):
    street = community.parent
    chosen = (category("01"), category("0101"), category("010101"), street.parent, street, community)

    page = submit(
        client,
        community,
        phone="123",
        category1=chosen[0].pk,
        category2=chosen[1].pk,
        category3=chosen[2].pk,
    ).content.decode()

    for item in chosen:
        assert f'<option value="{item.pk}" selected>{item.name}</option>' in page
