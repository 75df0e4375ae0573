"""敷衍答复: explainable flags, a score for the review queue, and the centre's review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.hotline import quality, selectors, services
from tests.hotline.factories import register
from tests.hotline.test_services import GOOD_REPLY, signed
from tests.hotline.test_views import login

pytestmark = pytest.mark.django_db

POTHOLE = "幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险，希望尽快修补。"


def codes(**reply) -> set[str]:
    reply.setdefault("contacted_caller", True)
    reply.setdefault("content", POTHOLE)
    reply.setdefault("topic_words", [])
    return {f.code for f in quality.reply_flags(**reply)}


def test_a_concrete_answer_to_the_request_is_not_flagged():
    assert codes(text=GOOD_REPLY["text"], actions=GOOD_REPLY["actions"]) == set()


def test_mostly_stock_phrases_are_flagged_with_their_share():
    flags = quality.reply_flags(
        text="感谢您的来电，我单位高度重视，已转相关部门处理，会尽快处理，谢谢。路面问题",
        actions="已转相关部门，正在处理中，按规定办理。",
        contacted_caller=True,
        content=POTHOLE,
        topic_words=[],
    )
    template = next(f for f in flags if f.code == "mostly_template")
    assert "套话" in template.message and "%" in template.message


def test_an_answer_about_something_else_names_what_was_asked():
    flags = quality.reply_flags(
        text="关于小区物业收费标准，经查已按物价部门核定的标准执行，收费公示已张贴在物业服务中心。",
        actions="9月24日到物业服务中心调取了收费公示和备案材料，核对无误。",
        contacted_caller=True,
        content=POTHOLE,
        topic_words=[],
    )
    off = next(f for f in flags if f.code == "low_overlap")
    assert "路面" in off.message or "大坑" in off.message


def test_no_time_action_or_result_is_flagged():
    assert "no_commitment" in codes(
        text="您反映的幸福路建设路口路面坑洼的情况我们都知道了，这个问题比较复杂，涉及的方面也比较多。",
        actions="幸福路建设路口坑洼问题情况比较复杂，后续看看再说。",
    )


def test_the_score_adds_the_weights_and_caps_at_one_hundred():
    assert quality.perfunctory_score([]) == 0
    assert quality.perfunctory_score([{"code": "no_commitment"}, {"code": "brief"}]) == 45
    assert quality.perfunctory_score([{"code": c} for c in quality.WEIGHTS]) == 100


# --- review by the centre ------------------------------------------------------------------------------

VAGUE_REPLY = {
    "text": "您反映的幸福路建设路口路面坑洼问题已收悉，我单位高度重视，将协调相关部门尽快研究处理。",
    "actions": "已转相关部门，将协调有关方面研究解决幸福路路面问题。",
    "contacted_caller": False,
}


@pytest.fixture
def flagged(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    signed(ticket, urban_handler)
    return services.reply_submit(ticket=ticket, actor=urban_handler, **VAGUE_REPLY)


def test_a_flagged_reply_waits_in_the_review_queue_until_cleared(flagged, operator):
    assert {f["code"] for f in flagged.review_flags} >= {"not_contacted", "vague_promise"}
    assert list(selectors.dispatch_queue(operator)["flagged"]) == [flagged]

    quality.reply_clear(reply=flagged, actor=operator, note="已电话核实，路面已修补")

    assert not selectors.dispatch_queue(operator)["flagged"].exists()
    with pytest.raises(ValidationError, match="已于"):
        quality.reply_clear(reply=flagged, actor=operator)


def test_sending_back_reopens_the_request_for_the_unit(flagged, operator, urban_handler):
    with pytest.raises(ValidationError, match="退回理由"):
        quality.reply_send_back(reply=flagged, actor=operator, reason="")

    quality.reply_send_back(reply=flagged, actor=operator, reason="未写明修补时间和结果")

    case = Case.objects.get(pk=flagged.ticket.case_id)
    assert case.status == Case.Status.OPEN and case.stage.code == "handle"
    assert case.timeline.filter(action="reopened", note__contains="答复敷衍").exists()
    assert list(selectors.tickets_list(urban_handler, state="handling")) == [flagged.ticket]
    services.reply_submit(ticket=flagged.ticket, actor=urban_handler, **GOOD_REPLY)
    assert not selectors.dispatch_queue(operator)["flagged"].exists()


def test_the_unit_cannot_review_its_own_reply(flagged, urban_handler):
    with pytest.raises(PermissionDenied):
        quality.reply_clear(reply=flagged, actor=urban_handler)
    with pytest.raises(PermissionDenied):
        quality.reply_send_back(reply=flagged, actor=urban_handler, reason="自己退回自己")


def _send_back(client, reply):
    url = reverse("hotline:action", args=[reply.ticket_id, "reply-send-back"])
    return client.post(url, {"reply": reply.pk, "reason": "未写明修补时间和结果"})


def test_send_back_on_the_page_follows_the_four_permission_cases(
    client, flagged, operator, urban_handler, housing_handler
):
    assert "login" in _send_back(client, flagged)["Location"]
    assert _send_back(login(client, housing_handler), flagged).status_code == 404
    assert _send_back(login(client, urban_handler), flagged).status_code == 403
    assert _send_back(login(client, operator), flagged).status_code == 302
    assert Case.objects.get(pk=flagged.ticket.case_id).status == Case.Status.OPEN


def test_the_queue_shows_the_score_and_the_explanations(client, flagged, operator):
    page = login(client, operator).get(reverse("hotline:queue")).content.decode()

    assert "敷衍分" in page and "没有具体时间或措施" in page
