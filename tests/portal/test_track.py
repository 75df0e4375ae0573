"""查询办理进度 and 好差评 on the portal: the tracking code and the phone's last 4 digits."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.hotline import services as hotline_services
from fazhi.hotline.models import Rating, RatingLevel
from tests.hotline.factories import register
from tests.hotline.test_services import GOOD_REPLY

pytestmark = pytest.mark.django_db

SECRET_REPLY = GOOD_REPLY["text"] + "如有疑问请联系王小明13812341234。"


@pytest.fixture
def ticket(operator, community, road_rule):
    return register(operator, community, caller_phone="13912345678", caller_name="张三")


@pytest.fixture
def answered(ticket, urban_handler):
    hotline_services.ticket_sign(ticket=ticket, actor=urban_handler)
    hotline_services.reply_submit(
        ticket=ticket,
        actor=urban_handler,
        text=SECRET_REPLY,
        actions=GOOD_REPLY["actions"],
        contacted_caller=True,
    )
    return ticket


def track(client, ticket, suffix="5678", code=None):
    return client.post(
        reverse("portal:track"), {"code": code or ticket.tracking_code, "phone_suffix": suffix}
    )


def rate(client, ticket, level, suffix="5678", comment=""):
    return client.post(
        reverse("portal:rate"),
        {"code": ticket.tracking_code, "phone_suffix": suffix, "level": level, "comment": comment},
    )


def test_the_citizen_follows_progress_without_anyones_personal_data(client, answered, urban, urban_handler):
    # When the citizen gives the code (any case, with spaces) and the last 4 digits
    response = track(
        client, answered, code=f" {answered.tracking_code.lower()[:5]} {answered.tracking_code[5:]}"
    )

    # Then they see the status, the steps meant for them and the unit's answer
    page = response.content.decode()
    assert response.status_code == 200
    assert "已办结" in page and "已签收" in page and "已答复" in page and urban.name in page
    assert "修补完毕" in page and "受理渠道：电话" in page
    # And never a person, the caller's data, the request text or the address
    assert "13812341234" not in page and "13912345678" not in page and "张三" not in page
    assert urban_handler.display_name not in page
    assert answered.content not in page and "幸福路和建设路交叉口" not in page


def test_the_tracking_code_travels_only_in_post_bodies(client, ticket):
    # A printed slip's link fills the code in and shows nothing until the suffix is given
    page = client.get(reverse("portal:track"), {"code": ticket.tracking_code}).content.decode()
    assert f'value="{ticket.tracking_code}"' in page and "当前状态" not in page
    assert 'method="post"' in page


def test_a_wrong_suffix_reads_like_an_unknown_code(client, ticket):
    wrong = track(client, ticket, suffix="0000")
    unknown = track(client, ticket, code="ZZZZZZZZZZ")

    assert wrong.status_code == unknown.status_code == 404
    assert "查询码或联系电话后4位不正确" in wrong.content.decode()
    assert "当前状态" not in wrong.content.decode()


def test_another_requests_code_does_not_open_with_my_suffix(client, ticket, operator, community):
    other = register(operator, community, caller_phone="13700001111")
    assert track(client, other, suffix="5678").status_code == 404
    assert track(client, ticket, suffix="5678").status_code == 200


def test_a_request_without_a_phone_opens_with_the_code_alone(client, operator, community):
    anonymous = register(operator, community, caller_phone="")
    assert track(client, anonymous, suffix="").status_code == 200


def test_bad_input_names_the_field(client, db):
    page = client.post(reverse("portal:track"), {"code": "ABC", "phone_suffix": "12a"}).content.decode()
    assert "查询码：查询码为10位字母和数字（现有3位）" in page
    assert "联系电话后4位：请输入联系电话的最后4位数字" in page


def test_guessing_suffixes_locks_the_code_for_an_hour(ticket, settings):
    settings.FAZHI_PORTAL_WRONG_SUFFIX_PER_CODE = 3
    for n in range(3):
        assert track(Client(REMOTE_ADDR=f"10.0.0.{n}"), ticket, suffix=f"000{n}").status_code == 404

    locked = track(Client(REMOTE_ADDR="10.0.1.1"), ticket)

    assert locked.status_code == 429 and "暂停查询1小时" in locked.content.decode()


def test_lookups_from_one_address_are_throttled(client, ticket, settings):
    settings.FAZHI_PORTAL_TRACK_PER_ADDRESS = 3
    statuses = [track(client, ticket, code=f"AAAAAAAAA{i}").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert track(client, ticket).status_code == 429
    assert track(Client(REMOTE_ADDR="10.1.1.1"), ticket).status_code == 200


def test_the_old_hotline_page_still_answers_printed_slips(client, ticket):
    response = client.get(reverse("hotline:track"), {"code": ticket.tracking_code}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith(reverse("portal:track"))


# --- 好差评 -------------------------------------------------------------------------------------------


def test_rating_waits_for_the_answer(client, ticket):
    page = track(client, ticket).content.decode()
    assert "承办单位答复后即可评价" in page and "提交评价" not in page
    assert rate(client, ticket, RatingLevel.SATISFIED).status_code == 400
    assert not Rating.objects.exists()


def test_the_citizen_rates_once_with_five_levels(client, answered, urban):
    page = track(client, answered).content.decode()
    assert all(label in page for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"))

    response = rate(client, answered, RatingLevel.VERY_SATISFIED, comment="修得很快")

    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    assert Rating.objects.get(ticket=answered).unit == urban
    again = rate(client, answered, RatingLevel.VERY_UNSATISFIED)
    assert again.status_code == 400 and "您的评价：<strong>非常满意" in again.content.decode()
    assert Rating.objects.get(ticket=answered).level == RatingLevel.VERY_SATISFIED


def test_a_bad_rating_becomes_a_rectification_task_with_a_deadline(client, answered, urban, supervisor):
    rate(client, answered, RatingLevel.UNSATISFIED, comment="坑只补了一半")

    task = Rating.objects.get(ticket=answered).rectification
    assert task.case_type.code == "rectification" and task.handling_unit == urban
    assert task.status == Case.Status.OPEN and task.due_date is not None
    assert "坑只补了一半" in task.description


def test_rating_needs_the_same_credential_as_reading(client, answered):
    assert rate(client, answered, RatingLevel.VERY_UNSATISFIED, suffix="0000").status_code == 404
    assert not Rating.objects.exists()


def test_a_rating_without_a_level_keeps_the_comment(client, answered):
    response = client.post(
        reverse("portal:rate"),
        {"code": answered.tracking_code, "phone_suffix": "5678", "comment": "还行"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "评价：请选择评价" in page and "还行" in page
    assert "当前状态" in page and not Rating.objects.exists()
