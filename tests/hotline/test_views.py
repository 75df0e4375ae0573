import pytest
from django.core.cache import cache
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.hotline import services
from fazhi.hotline.models import Disposition, Ticket
from tests.hotline.factories import category, register
from tests.hotline.test_services import GOOD_REPLY
from tests.org.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def ticket(operator, community, road_rule):
    return register(operator, community, caller_name="王小明")


# --- the four permission cases: anonymous, no permission, permitted, another unit ---------------------

CENTRE_PAGES = ["hotline:intake", "hotline:caller_history", "hotline:assist", "hotline:queue"]


@pytest.mark.parametrize("name", [*CENTRE_PAGES, "hotline:list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_centre_pages_are_forbidden_without_the_operator_role(client, name):
    assert login(client, UserFactory()).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_centre_pages_are_forbidden_to_a_units_handler(client, urban_handler, name):
    assert login(client, urban_handler).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", CENTRE_PAGES)
def test_centre_pages_open_for_an_operator(client, operator, name):
    assert login(client, operator).get(reverse(name)).status_code == 200


def test_the_list_shows_only_tickets_in_the_users_scope(client, ticket, urban_handler, housing_handler):
    url = reverse("hotline:list")
    assert ticket.reference in login(client, urban_handler).get(url).content.decode()
    client.logout()
    assert ticket.reference not in login(client, housing_handler).get(url).content.decode()
    client.logout()
    assert ticket.reference not in login(client, UserFactory()).get(url).content.decode()


def test_detail_follows_the_case_scope(client, ticket, urban_handler, housing_handler):
    url = reverse("hotline:detail", args=[ticket.pk])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    client.logout()
    assert login(client, housing_handler).get(url).status_code == 404
    client.logout()
    assert login(client, urban_handler).get(url).status_code == 200


def test_actions_follow_the_case_scope(client, ticket, urban_handler, housing_handler):
    url = reverse("hotline:action", args=[ticket.pk, "sign"])
    assert client.post(url).status_code == 302 and not Ticket.objects.get(pk=ticket.pk).signed_at
    assert login(client, UserFactory()).post(url).status_code == 404
    client.logout()
    assert login(client, housing_handler).post(url).status_code == 404
    client.logout()
    response = login(client, urban_handler).post(url)
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).signed_at is not None


def test_an_action_the_user_may_not_take_is_forbidden(client, ticket, operator):
    # the operator sees the ticket but signing is the unit's job
    assert (
        login(client, operator).post(reverse("hotline:action", args=[ticket.pk, "sign"])).status_code == 403
    )


# --- the caller's number on screen --------------------------------------------------------------------


def test_the_callers_number_and_name_are_masked_on_screen(client, ticket, urban_handler):
    page = login(client, urban_handler).get(reverse("hotline:detail", args=[ticket.pk])).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert "王*" in page and "王小明" not in page
    assert "查看完整号码" not in page  # not before the unit has signed for it


def test_the_full_number_is_shown_on_an_audited_click(client, ticket, urban_handler, housing_handler):
    services.ticket_sign(ticket=ticket, actor=urban_handler)
    url = reverse("hotline:reveal_phone", args=[ticket.pk])

    assert client.post(url).status_code == 302
    assert login(client, housing_handler).post(url).status_code == 404
    client.logout()
    login(client, urban_handler)
    assert "查看完整号码" in client.get(reverse("hotline:detail", args=[ticket.pk])).content.decode()
    response = client.post(url)

    assert response.status_code == 200 and "13812341234" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="hotline.phone_revealed", actor=urban_handler).exists()


def test_a_user_without_the_right_cannot_reveal(client, ticket, urban_handler):
    # visible, but not signed for yet
    assert (
        login(client, urban_handler).post(reverse("hotline:reveal_phone", args=[ticket.pk])).status_code
        == 403
    )


# --- intake -----------------------------------------------------------------------------------------


def intake_data(community, **overrides):
    data = {
        "caller_phone": "13812341234",
        "caller_name": "",
        "content": "幸福路口路面有个大坑，请尽快修补",
        "request_type": "help",
        "category": "010101 城市管理 / 市政设施 / 道路破损",
        "region": f"{community.code} {community.name}",
        "address": "幸福路12号门口",
        "channel": "phone",
        "lead_unit": "",
    }
    data.update(overrides)
    return data


def test_an_operator_registers_a_call_and_reads_out_the_tracking_code(
    client, operator, community, urban, road_rule
):
    response = login(client, operator).post(reverse("hotline:intake"), intake_data(community), follow=True)

    ticket = Ticket.objects.get()
    page = response.content.decode()
    assert ticket.case.handling_unit == urban
    assert f"派至{urban.name}" in page and ticket.tracking_code in page


def test_an_emergency_call_is_not_dispatched_and_the_operator_is_told_what_to_do(
    client, operator, community, road_rule
):
    response = login(client, operator).post(
        reverse("hotline:intake"), intake_data(community, content="我家楼下着火了，有浓烟"), follow=True
    )
    assert "立即三方转接119" in response.content.decode()
    assert Ticket.objects.get().disposition == Disposition.EMERGENCY


def test_bad_intake_names_the_field(client, operator, community):
    response = login(client, operator).post(
        reverse("hotline:intake"), intake_data(community, category="不存在的分类")
    )
    assert response.status_code == 400
    assert "没有这个分类" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_operator_merges_a_duplicate_from_the_suggestions(client, operator, community, ticket):
    login(client, operator)
    assist = client.get(
        reverse("hotline:assist"),
        {"content": "路面大坑", "category": "010101", "region": f"{community.code} {community.name}"},
    ).content.decode()
    assert ticket.reference in assist and "并入此单" in assist

    client.post(
        reverse("hotline:intake"), intake_data(community, merge_into=ticket.pk, caller_phone="13900000000")
    )

    assert Ticket.objects.get(merged_into=ticket).disposition == Disposition.MERGED


def test_assist_warns_of_emergencies_and_previews_the_route(client, operator, community, urban, road_rule):
    page = (
        login(client, operator)
        .get(reverse("hotline:assist"), {"content": "路面坑坑洼洼，旁边有人晕倒了", "region": community.code})
        .content.decode()
    )
    assert "疑似紧急事项，请立即转接120" in page
    assert urban.name in page and "置信度" in page


def test_caller_history_appears_by_phone_number(client, operator, ticket):
    page = login(client, operator).get(reverse("hotline:caller_history"), {"caller_phone": "138 1234 1234"})
    assert ticket.reference in page.content.decode()


# --- the unit's and the centre's pages --------------------------------------------------------------------


def test_a_perfunctory_reply_is_refused_on_the_page(client, ticket, urban_handler):
    services.ticket_sign(ticket=ticket, actor=urban_handler)
    response = login(client, urban_handler).post(
        reverse("hotline:action", args=[ticket.pk, "reply"]),
        {"text": "已转相关部门处理，感谢您的来电，谢谢！", "actions": "已转相关部门处理，正在处理中。"},
    )
    assert response.status_code == 400
    assert "套话" in response.content.decode()


def test_the_queue_shows_returns_and_callbacks(client, operator, ticket, urban_handler):
    services.ticket_return(
        ticket=ticket, actor=urban_handler, reason="该路段由公路部门养护，不在城管权责清单内"
    )
    page = login(client, operator).get(reverse("hotline:queue")).content.decode()
    assert ticket.reference in page and "公路部门养护" in page


def test_the_operator_records_an_unhappy_callback(client, operator, ticket, urban_handler):
    services.ticket_sign(ticket=ticket, actor=urban_handler)
    services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)
    response = login(client, operator).post(
        reverse("hotline:action", args=[ticket.pk, "callback"]),
        {"satisfaction": "unsatisfied", "resolution": "partial", "note": "只补了一半"},
        follow=True,
    )
    assert "生成重办申请" in response.content.decode()


# --- the public progress page lives on the portal (tests/portal); printed slips keep working -------------


def test_the_old_tracking_address_leads_to_the_portal_with_the_code_filled_in(client, ticket):
    response = client.get(reverse("hotline:track"), {"code": ticket.tracking_code})

    assert response.status_code == 301
    assert response["Location"] == f"{reverse('portal:track')}?code={ticket.tracking_code}"
    page = client.get(response["Location"]).content.decode()
    assert ticket.tracking_code in page and "已受理" not in page  # the phone suffix is still asked for


def test_a_guidance_request_shows_the_channel_on_the_tracking_page(client, operator, community):
    ticket = register(operator, community, content="我要起诉开发商", category=category("020202"))
    cache.clear()
    response = client.post(reverse("portal:track"), {"code": ticket.tracking_code, "phone_suffix": "1234"})
    page = response.content.decode()
    assert "已告知办理途径" in page and "人民法院" in page


# --- lists do not grow a query per row --------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["hotline:list", "hotline:queue"])
def test_list_pages_cost_the_same_for_two_or_eight_tickets(client, operator, community, centre, name):
    login(client, operator)
    _queries(client, reverse(name))  # the first request of a session also loads and saves it
    for _ in range(2):
        register(operator, community, category=category("170201"), content="想咨询一下新公园什么时候开放")
    few = _queries(client, reverse(name))
    for _ in range(6):
        register(operator, community, category=category("170201"), content="想咨询一下新公园什么时候开放")
    assert _queries(client, reverse(name)) == few
