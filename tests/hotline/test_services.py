import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from fazhi.cases.models import Case
from fazhi.core.models import AuditEvent
from fazhi.hotline import selectors, services
from fazhi.hotline.models import (
    Callback,
    Disposition,
    HandlingLimit,
    ReopenRequest,
    RequestType,
    Ticket,
    TicketReturn,
)
from fazhi.org.models import Role
from tests.hotline.factories import category, register, rule
from tests.org.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

GOOD_REPLY = {
    "text": "您反映的幸福路建设路口路面坑洼问题，我局已安排养护队于9月24日修补完毕，路面已恢复平整。",
    "actions": "9月24日上午市政养护二队到场核查，用沥青冷补料修补坑槽约3平方米，并设置了警示标志。",
    "contacted_caller": True,
}


def signed(ticket, handler):
    return services.ticket_sign(ticket=ticket, actor=handler)


# --- intake and routing --------------------------------------------------------------------------


def test_routing_table_sends_a_pothole_to_the_urban_management_bureau(operator, community, urban, road_rule):
    ticket = register(operator, community)

    assert ticket.disposition == Disposition.DISPATCH
    assert ticket.case.handling_unit == urban
    assert ticket.case.case_type.code == "hotline"
    assert ticket.case.number.startswith("12345-2024-")
    assert ticket.case.title.startswith("幸福路和建设路交叉口")
    assert ticket.case.stage.code == "sign"


def test_a_region_rule_with_higher_priority_wins_only_in_its_region(
    operator, community, district, city, urban, housing, road_rule
):
    other_district = type(district).objects.create(code="410923", name="南乐县", level=3, parent=city)
    rule(housing, category=category("0101"), region=district, priority=10, name="华龙区市政设施由住建局管")

    here = register(operator, community)
    elsewhere = register(operator, other_district)

    assert here.case.handling_unit == housing
    assert elsewhere.case.handling_unit == urban


def test_without_a_rule_the_request_waits_in_the_centres_dispatch_queue(operator, community, centre):
    ticket = register(
        operator, community, category=category("170201"), content="想问问我们这里什么时候有新的公园"
    )

    assert ticket.case.handling_unit == centre
    assert list(selectors.dispatch_queue(operator)["unrouted"]) == [ticket]


def test_the_most_specific_handling_limit_is_the_cases_period(operator, community, road_rule):
    HandlingLimit.objects.create(period="10wd")
    HandlingLimit.objects.create(category=category("01"), period="7wd")
    HandlingLimit.objects.create(category=category("010101"), period="3wd")
    HandlingLimit.objects.create(request_type=RequestType.CONSULTATION, period="2wd")

    pothole = register(operator, community)
    question = register(operator, community, request_type=RequestType.CONSULTATION)
    lamp = register(operator, community, category=category("010103"), content="小区门口路灯坏了一个星期了")

    assert pothole.case.period == "3wd"
    assert question.case.period == "2wd"  # naming the request type beats naming the category
    assert lamp.case.period == "7wd"


def test_without_handling_limits_the_case_type_period_applies(operator, community, road_rule):
    ticket = register(operator, community)
    assert ticket.case.period == ""
    # 5 working days from Mon 23 Sept 2024: Tue–Fri and Sunday 29 Sept, a 调休 make-up workday
    assert str(ticket.case.due_date) == "2024-09-29"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("我家楼下饭店着火了，浓烟很大", "119"),
        ("路边有人晕倒了，叫不醒", "120"),
        ("小区门口有人持刀抢劫", "110"),
        ("建设路口两辆车追尾，有人受伤", "122"),
    ],
)
def test_emergencies_are_transferred_not_dispatched(operator, community, road_rule, content, line):
    ticket = register(operator, community, content=content)

    assert ticket.disposition == Disposition.EMERGENCY
    assert ticket.triage == line
    assert ticket.case is None
    assert f"立即三方转接{line}" in ticket.guidance
    assert not Case.objects.exists()


def test_matters_for_the_courts_are_answered_with_the_statutory_channel(operator, community, road_rule):
    ticket = register(operator, community, content="开发商一直不交房，我要起诉开发商，问问怎么办")

    assert ticket.disposition == Disposition.STATUTORY
    assert ticket.triage == "litigation"
    assert "人民法院提起诉讼" in ticket.guidance
    assert ticket.case is None


def test_everyday_phrases_do_not_look_like_statutory_matters(operator, community, road_rule):
    ticket = register(operator, community, content="路面坑洼太多，以上诉求请尽快解决，长期被困扰")
    assert ticket.disposition == Disposition.DISPATCH


def test_the_operator_may_confirm_a_false_alarm_and_dispatch(operator, community, urban, road_rule):
    ticket = register(
        operator, community, content="去年着火的那段路面至今没修好，坑很大", triage_override=True
    )

    assert ticket.disposition == Disposition.DISPATCH
    assert ticket.triage_overridden
    assert ticket.case.handling_unit == urban


def test_only_operators_register(community, urban_handler):
    with pytest.raises(PermissionDenied):
        register(urban_handler, community)
    with pytest.raises(PermissionDenied):
        register(UserFactory(), community)


def test_intake_names_each_bad_field(operator, community):
    with pytest.raises(ValidationError) as error:
        register(operator, community, category=category("0101"), content="坑", caller_phone="abc")
    assert set(error.value.message_dict) == {"category", "content", "caller_phone"}
    assert "三级分类" in error.value.message_dict["category"][0]
    assert not Ticket.objects.exists()


def test_registration_is_audited_without_the_callers_number(operator, community, road_rule):
    ticket = register(operator, community, caller_name="张三")
    event = AuditEvent.objects.get(action="hotline.registered")

    assert event.target_id == str(ticket.pk)
    dumped = f"{event.after} {event.target_label}"
    assert "1381234" not in dumped and "张三" not in dumped


# --- PII at rest -------------------------------------------------------------------------------------


def test_caller_phone_and_name_are_encrypted_at_rest(operator, community, road_rule):
    ticket = register(operator, community, caller_name="王小明", caller_phone="138 1234 1234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone, caller_name FROM hotline_ticket WHERE id = %s", [ticket.pk])
        phone, name = cursor.fetchone()

    assert phone.startswith("v1:") and "13812341234" not in phone and "1234" not in phone
    assert name.startswith("v1:") and "王小明" not in name
    assert Ticket.objects.get(pk=ticket.pk).caller_phone == "13812341234"
    assert ticket.get_caller_phone_masked() == "138****1234"


def test_caller_history_is_found_by_the_exact_number_in_any_spelling(operator, community, road_rule):
    first = register(operator, community, caller_phone="13812341234")
    register(operator, community, caller_phone="13900000000")

    assert selectors.tickets_by_caller(operator, "+86 138-1234-1234") == [first]
    assert selectors.tickets_by_caller(operator, "1381234") == []


def test_similar_open_requests_come_from_the_same_street_and_category(
    operator, community, neighbour_community, district, road_rule
):
    nearby = register(operator, neighbour_community)
    register(operator, district)  # same category, not in the street
    register(operator, community, category=category("010103"), content="路灯不亮已经好几天了")

    assert selectors.tickets_similar_open(operator, category=category(), region=community) == [nearby]


# --- the unit's work: sign, return, reply ---------------------------------------------------------


def test_signing_moves_the_case_into_handling(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    signed(ticket, urban_handler)

    ticket.case.refresh_from_db()
    assert ticket.case.stage.code == "handle"
    assert ticket.signed_at is not None
    with pytest.raises(ValidationError):
        signed(ticket, urban_handler)


def test_another_unit_cannot_sign_or_reply(operator, community, road_rule, housing_handler):
    ticket = register(operator, community)
    with pytest.raises(PermissionDenied):
        signed(ticket, housing_handler)
    with pytest.raises(PermissionDenied):
        services.reply_submit(ticket=ticket, actor=housing_handler, **GOOD_REPLY)


def test_a_return_goes_back_to_dispatch_and_the_centre_reassigns(
    operator, community, road_rule, urban, housing, urban_handler, housing_handler
):
    ticket = register(operator, community, category=category("020107"), content="楼上漏水到我家好几天了")
    services.ticket_dispatch(ticket=ticket, actor=operator, unit=urban)  # the misroute
    returned = services.ticket_return(
        ticket=ticket,
        actor=urban_handler,
        reason="房屋漏水属于物业和住建部门职责，不在城管权责清单内",
        suggested_unit=housing,
    )

    queue = selectors.dispatch_queue(operator)
    assert list(queue["returns"]) == [returned]
    assert ticket.case.status == Case.Status.OPEN  # never a dead end: the case stays open
    with pytest.raises(ValidationError, match="退单"):
        services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)

    services.ticket_dispatch(ticket=ticket, actor=operator, unit=housing, note="按退单意见改派住建局")

    returned.refresh_from_db()
    ticket.case.refresh_from_db()
    assert returned.status == TicketReturn.Status.ACCEPTED and returned.reassigned_to == housing
    assert ticket.case.handling_unit == housing
    assert ticket.signed_at is None
    signed(ticket, housing_handler)
    # the misroute is kept for training: text, category and the unit it wrongly reached
    assert TicketReturn.objects.filter(ticket=ticket, unit=urban, category=category("020107")).exists()


def test_a_return_needs_a_reason(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    with pytest.raises(ValidationError) as error:
        services.ticket_return(ticket=ticket, actor=urban_handler, reason="不归我们")
    assert "reason" in error.value.message_dict


def test_a_rejected_return_leaves_the_request_with_the_unit(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    returned = services.ticket_return(
        ticket=ticket, actor=urban_handler, reason="我们认为这条路属于公路部门管养范围"
    )

    services.return_reject(
        ticket_return=returned, actor=operator, note="幸福路是城市道路，按派单目录由城管局养护"
    )

    assert not selectors.dispatch_queue(operator)["returns"].exists()
    signed(ticket, urban_handler)


def test_only_the_centre_dispatches(operator, community, road_rule, housing, urban_handler):
    ticket = register(operator, community)
    with pytest.raises(PermissionDenied):
        services.ticket_dispatch(ticket=ticket, actor=urban_handler, unit=housing)


def test_a_reply_before_signing_is_refused(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    with pytest.raises(ValidationError, match="签收"):
        services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)


@pytest.mark.parametrize(
    ("text", "actions", "field", "message"),
    [
        ("已处理。", GOOD_REPLY["actions"], "text", "不少于"),
        ("已转相关部门处理，感谢您的来电，谢谢！", GOOD_REPLY["actions"], "text", "套话"),
        (GOOD_REPLY["text"], "已处理", "actions", "实际做了什么"),
        (GOOD_REPLY["text"], "已转相关部门处理，正在处理中。", "actions", "套话"),
    ],
)
def test_replies_that_say_nothing_are_refused(
    operator, community, road_rule, urban_handler, text, actions, field, message
):
    ticket = register(operator, community)
    signed(ticket, urban_handler)

    with pytest.raises(ValidationError) as error:
        services.reply_submit(
            ticket=ticket, actor=urban_handler, text=text, actions=actions, contacted_caller=True
        )

    assert message in " ".join(error.value.message_dict[field])
    ticket.case.refresh_from_db()
    assert ticket.case.status == Case.Status.OPEN


def test_the_minimum_reply_length_is_configurable(settings, operator, community, road_rule, urban_handler):
    settings.FAZHI_HOTLINE_MIN_REPLY_CHARS = 80
    ticket = register(operator, community)
    signed(ticket, urban_handler)
    with pytest.raises(ValidationError, match="不少于80个字"):
        services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)


def test_a_reply_closes_the_case_and_doubtful_ones_are_flagged(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    signed(ticket, urban_handler)

    reply = services.reply_submit(
        ticket=ticket,
        actor=urban_handler,
        text="经了解，该处道路计划纳入明年维修计划，我局将积极协调，争取尽快解决。",
        actions="工作人员电话联系了养护单位，养护单位表示需要统筹安排维修计划。",
        contacted_caller=False,
    )

    ticket.case.refresh_from_db()
    assert ticket.case.status == Case.Status.CLOSED
    assert {f["code"] for f in reply.review_flags} == {"not_contacted", "vague_promise", "off_topic"}
    assert list(selectors.dispatch_queue(operator)["flagged"]) == [reply]


def test_a_good_reply_carries_no_flags(operator, community, road_rule, urban_handler):
    ticket = register(operator, community)
    signed(ticket, urban_handler)
    reply = services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)
    assert reply.review_flags == []


def test_co_units_give_opinions_on_the_case_timeline(operator, community, urban, housing, housing_handler):
    rule(urban, category=category("0101"), co_units=[housing])
    ticket = register(operator, community)

    services.opinion_give(ticket=ticket, actor=housing_handler, note="该路段地下管网属住建局，已安排排查。")

    assert ticket.case.timeline.filter(action="commented", actor=housing_handler).exists()
    with pytest.raises(PermissionDenied):
        services.opinion_give(ticket=ticket, actor=user_with_role(Role.HANDLER), note="无关单位的意见")


# --- callback --------------------------------------------------------------------------------------


def replied(operator, community, handler):
    ticket = register(operator, community)
    signed(ticket, handler)
    services.reply_submit(ticket=ticket, actor=handler, **GOOD_REPLY)
    return ticket


def test_an_unhappy_callback_creates_a_reopen_request(operator, community, road_rule, urban_handler):
    ticket = replied(operator, community, urban_handler)
    assert list(selectors.dispatch_queue(operator)["callbacks"]) == [ticket]

    callback = services.callback_record(
        ticket=ticket,
        actor=operator,
        satisfaction=Callback.Satisfaction.UNSATISFIED,
        resolution=Callback.Resolution.UNRESOLVED,
        note="来电人称坑只填了一半",
    )

    assert callback.reopen_request.status == ReopenRequest.Status.PENDING
    assert list(selectors.dispatch_queue(operator)["reopens"]) == [callback.reopen_request]
    assert not selectors.dispatch_queue(operator)["callbacks"].exists()


def test_a_satisfied_callback_ends_the_loop(operator, community, road_rule, urban_handler):
    ticket = replied(operator, community, urban_handler)
    callback = services.callback_record(
        ticket=ticket,
        actor=operator,
        satisfaction=Callback.Satisfaction.SATISFIED,
        resolution=Callback.Resolution.RESOLVED,
    )
    assert not ReopenRequest.objects.filter(callback=callback).exists()
    with pytest.raises(ValidationError, match="已经回访"):
        services.callback_record(
            ticket=ticket, actor=operator, satisfaction="satisfied", resolution="resolved"
        )


def test_callback_waits_for_the_reply_and_belongs_to_the_centre(
    operator, community, road_rule, urban_handler
):
    ticket = register(operator, community)
    with pytest.raises(ValidationError, match="尚未答复"):
        services.callback_record(
            ticket=ticket, actor=operator, satisfaction="satisfied", resolution="resolved"
        )
    signed(ticket, urban_handler)
    services.reply_submit(ticket=ticket, actor=urban_handler, **GOOD_REPLY)
    with pytest.raises(PermissionDenied):
        services.callback_record(
            ticket=ticket, actor=urban_handler, satisfaction="satisfied", resolution="resolved"
        )


def test_the_centre_may_refuse_a_reopen_with_a_reason(operator, community, road_rule, urban_handler):
    ticket = replied(operator, community, urban_handler)
    callback = services.callback_record(
        ticket=ticket,
        actor=operator,
        satisfaction="unsatisfied",
        resolution="resolved",
        note="要求赔偿自行车",
    )
    request = services.reopen_reject(
        request=callback.reopen_request, actor=operator, note="路面已修复，赔偿诉求请通过民事途径解决"
    )
    assert request.status == ReopenRequest.Status.REJECTED


# --- 并单 --------------------------------------------------------------------------------------------


def test_a_duplicate_merged_at_intake_is_answered_with_the_first(
    operator, community, neighbour_community, road_rule, urban_handler
):
    first = register(operator, community)
    second = register(operator, neighbour_community, caller_phone="13900000000", merge_into=first)

    assert second.disposition == Disposition.MERGED and second.case is None
    assert selectors.ticket_group(second) == [first, second]
    signed(first, urban_handler)
    reply = services.reply_submit(ticket=first, actor=urban_handler, **GOOD_REPLY)

    assert list(selectors.replies_for(second)) == [reply]
    assert set(selectors.dispatch_queue(operator)["callbacks"]) == {first, second}
    services.callback_record(ticket=second, actor=operator, satisfaction="satisfied", resolution="resolved")


def test_a_unit_merges_a_duplicate_it_holds_and_both_histories_stay(
    operator, community, road_rule, urban_handler
):
    first = register(operator, community)
    second = register(operator, community, caller_phone="13900000000")

    services.ticket_merge(source=second, target=first, actor=urban_handler)

    second.refresh_from_db()
    second.case.refresh_from_db()
    assert second.merged_into == first
    assert second.case.status == Case.Status.CLOSED
    assert second.case.timeline.filter(action="opened").exists()
    assert "并单" in second.case.timeline.get(action="closed").note


def test_the_centre_cannot_merge_a_request_a_unit_holds(operator, community, road_rule):
    first = register(operator, community)
    second = register(operator, community)
    with pytest.raises(PermissionDenied, match="只有该单位"):
        services.ticket_merge(source=second, target=first, actor=operator)


def test_merging_into_a_closed_request_is_refused(operator, community, road_rule, urban_handler):
    first = replied(operator, community, urban_handler)
    with pytest.raises(ValidationError):
        register(operator, community, merge_into=first)


# --- seeing the caller's number ---------------------------------------------------------------------


def test_the_full_number_is_revealed_to_the_signed_lead_unit_with_an_audit_record(
    operator, community, road_rule, urban_handler, housing_handler
):
    ticket = register(operator, community)
    with pytest.raises(PermissionDenied):
        services.phone_reveal(ticket=ticket, actor=urban_handler)  # not signed yet
    signed(ticket, urban_handler)

    assert services.phone_reveal(ticket=ticket, actor=urban_handler) == "13812341234"
    assert AuditEvent.objects.filter(action="hotline.phone_revealed", actor=urban_handler).count() == 1
    with pytest.raises(PermissionDenied):
        services.phone_reveal(ticket=ticket, actor=housing_handler)


def test_a_confidential_callers_number_is_never_revealed(operator, community, road_rule, urban_handler):
    ticket = register(operator, community, request_type=RequestType.REPORT, confidential=True)
    signed(ticket, urban_handler)
    with pytest.raises(PermissionDenied):
        services.phone_reveal(ticket=ticket, actor=urban_handler)


def test_only_the_centre_supervisors_and_the_system_admin_edit_the_routing_table(
    urban, urban_handler, operator
):
    from fazhi.hotline.models import RoutingRule

    with pytest.raises(PermissionDenied):
        services.routing_rule_save(
            actor=urban_handler, rule=RoutingRule(name="自己派给自己", lead_unit=urban)
        )
    saved = services.routing_rule_save(actor=operator, rule=RoutingRule(name="市政设施", lead_unit=urban))
    assert AuditEvent.objects.filter(action="hotline.routing_rule_saved", target_id=str(saved.pk)).exists()
