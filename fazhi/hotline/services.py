"""Writes of the 12345 hotline: register, dispatch, sign, return, reply, call back, merge.

A dispatched request is a case of type "hotline"; these services call the case engine for
everything the engine owns (numbering, lead unit, stages, clock, closing) and add the hotline's
own records on top. Every write is permission-checked and audited in its transaction.
"""

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import Case, CaseType
from fazhi.core import audit, crypto
from fazhi.core.deadlines import Period
from fazhi.hotline import permissions, quality, routing, rules
from fazhi.hotline.models import (
    Callback,
    Category,
    Channel,
    Disposition,
    HandlingLimit,
    ReopenRequest,
    Reply,
    RequestType,
    RoutingRule,
    Ticket,
    TicketReturn,
)
from fazhi.org.models import Region, Role, Unit, User
from fazhi.org.permissions import has_role

HOTLINE_CASE_TYPE = "hotline"
MIN_CONTENT_CHARS = 5
MIN_REASON_CHARS = 10
TITLE_CHARS = 40
PHONE_PATTERN = re.compile(r"^\+?\d{5,15}$")


def _snapshot(ticket: Ticket) -> dict:
    """What the audit trail keeps of a request: never the caller's name or number."""
    return {
        "disposition": ticket.disposition,
        "triage": ticket.triage,
        "category": ticket.category.code,
        "region": ticket.region.code,
        "request_type": ticket.request_type,
        "channel": ticket.channel,
        "confidential": ticket.confidential,
        "case": ticket.case_id,
        "handling_unit": ticket.case.handling_unit_id if ticket.case_id else None,
        "merged_into": ticket.merged_into_id,
    }


def _title(content: str) -> str:
    first_line = next((line.strip() for line in content.strip().splitlines() if line.strip()), "")
    return first_line if len(first_line) <= TITLE_CHARS else first_line[: TITLE_CHARS - 1] + "…"


def handling_limit_for(category: Category, request_type: str) -> HandlingLimit | None:
    """The most specific local limit: a row naming the request type beats one that does not,
    then a deeper category beats a shallower one; None means the case type's period applies."""
    rows = list(HandlingLimit.objects.filter(Q(request_type="") | Q(request_type=request_type)))
    if not rows:  # most installations set no local limits: no walk up the category tree
        return None
    chain = routing.category_chain(category) if any(row.category_id for row in rows) else []
    depth = {pk: len(chain) - i for i, pk in enumerate(chain)}  # leaf deepest
    rows = [row for row in rows if row.category_id is None or row.category_id in depth]
    return max(
        rows,
        key=lambda row: (bool(row.request_type), depth.get(row.category_id, 0)),
        default=None,
    )


def _clean_intake(
    *,
    content: str,
    request_type: str,
    category: Category | None,
    region: Region | None,
    channel: str,
    caller_phone: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> None:
    errors: dict[str, str] = {}
    if len((content or "").strip()) < MIN_CONTENT_CHARS:
        errors["content"] = f"诉求内容不少于{MIN_CONTENT_CHARS}个字，请记录来电人反映的具体事项。"
    if request_type not in RequestType.values:
        errors["request_type"] = "请选择诉求类型：咨询、求助、投诉、举报、建议、表扬或其他。"
    if category is None:
        errors["category"] = "请选择诉求分类。"
    elif not category.is_leaf or not category.is_active:
        errors["category"] = f"「{category.name}」不是可选的三级分类，请选到最细一级。"
    if region is None:
        errors["region"] = "请选择诉求所在区域（尽量到社区/村）。"
    if channel not in Channel.values:
        errors["channel"] = "受理渠道无效。"
    if caller_phone and not PHONE_PATTERN.match(crypto.normalise(caller_phone, "phone")):
        errors["caller_phone"] = "来电号码应为5至15位数字（可带区号）。"
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "经纬度须同时填写或同时留空。"
    elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = "经纬度超出范围。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ticket_register(
    *,
    actor: User,
    content: str,
    request_type: str,
    category: Category | None,
    region: Region | None,
    channel: str,
    address: str = "",
    caller_name: str = "",
    caller_phone: str = "",
    confidential: bool = False,
    received_at: datetime | None = None,
    lead_unit: Unit | None = None,
    co_units: Sequence[Unit] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    triage_override: bool = False,
    merge_into: Ticket | None = None,
) -> Ticket:
    """受理: record the request and, unless it is not the hotline's to handle, dispatch it.

    Emergencies and matters for other statutory channels are recorded as handled by guidance
    and not dispatched (`ticket.guidance` says what to tell the caller) unless the operator
    confirms they are not (`triage_override`). Without `lead_unit` the routing table decides;
    when it cannot, the request waits in the centre's dispatch queue.
    """
    centre = permissions.centre_of(actor)
    if centre is None:
        raise PermissionDenied("只有12345话务员可以登记诉求。")
    _clean_intake(
        content=content,
        request_type=request_type,
        category=category,
        region=region,
        channel=channel,
        caller_phone=caller_phone,
        latitude=latitude,
        longitude=longitude,
    )
    if merge_into is not None:
        if not permissions.can_callback(actor, merge_into):
            raise PermissionDenied(f"您无权把诉求并入工单{merge_into.reference}。")
        _check_merge_target(merge_into)
    ticket = Ticket(
        centre=centre,
        request_type=request_type,
        category=category,
        channel=channel,
        caller_name=(caller_name or "").strip(),
        caller_phone=crypto.normalise(caller_phone, "phone") if caller_phone else "",
        confidential=confidential,
        region=region,
        address=(address or "").strip()[:200],
        latitude=latitude,
        longitude=longitude,
        content=content.strip(),
        received_at=received_at or timezone.now(),
        triage_overridden=triage_override,
        created_by=actor,
    )
    found = None if triage_override else rules.triage(ticket.content)
    if merge_into is not None:
        # 重复诉求原则上并单 (66号文): recorded, answered together with the earlier request.
        ticket.disposition, ticket.merged_into, ticket.merged_at = (
            Disposition.MERGED,
            merge_into,
            timezone.now(),
        )
    elif found is not None:
        ticket.disposition = Disposition.EMERGENCY if found.kind == "emergency" else Disposition.STATUTORY
        ticket.triage, ticket.guidance = found.code, found.guidance
    if ticket.disposition == Disposition.DISPATCH:
        routed = None
        if lead_unit is None:
            routed = routing.suggest_route(
                text=ticket.content, region=region, category=category, request_type=request_type
            )
            if routed.routable:
                lead_unit, co_units = routed.lead_unit, routed.co_units
        handling_unit = lead_unit or centre
        # One query for the case type and whether any local limit could apply (most set none).
        case_type = CaseType.objects.annotate(
            any_limit=Exists(HandlingLimit.objects.filter(Q(request_type="") | Q(request_type=request_type)))
        ).get(code=HOTLINE_CASE_TYPE)
        limit = handling_limit_for(category, request_type) if case_type.any_limit else None
        # The case first, so that the ticket is written once, already linked to it.
        ticket.case = case_services.case_open(
            case_type=case_type,
            title=_title(ticket.content),
            description=ticket.content,
            handling_unit=handling_unit,
            actor=actor,
            received_at=ticket.received_at,
            co_units=[u for u in co_units if u.pk != handling_unit.pk] if lead_unit else (),
            is_confidential=confidential,
            period=limit.period if limit else "",
        )
    ticket.save()
    audit.record(
        actor=actor,
        action="hotline.registered",
        target=ticket,
        after={**_snapshot(ticket), "override": triage_override},
    )
    if ticket.merged_into_id:
        audit.record(actor=actor, action="hotline.merged", target=merge_into, after={"merged": ticket.pk})
    return ticket


def _require_case_open(ticket: Ticket) -> Case:
    if ticket.case_id is None:
        raise ValidationError(
            f"工单{ticket.reference}未派单（{ticket.get_disposition_display()}），不能办理。"
        )
    if ticket.case.status == Case.Status.CLOSED:
        raise ValidationError(f"工单{ticket.reference}已办结。")
    return ticket.case


def _pending_return(ticket: Ticket) -> TicketReturn | None:
    return ticket.returns.filter(status=TicketReturn.Status.PENDING).first()


@transaction.atomic
def ticket_dispatch(
    *, ticket: Ticket, actor: User, unit: Unit, co_units: Sequence[Unit] = (), note: str = ""
) -> Ticket:
    """派单 / 改派: the centre gives the request to a lead unit (a pending 退单 is thereby accepted)."""
    if not permissions.can_dispatch(actor, ticket):
        raise PermissionDenied("只有12345中心可以派单。")
    case = _require_case_open(ticket)
    if ticket.merged_into_id:
        raise ValidationError(f"工单{ticket.reference}已并入{ticket.merged_into.reference}，请对主工单派单。")
    before = _snapshot(ticket)
    case_services.case_assign(case=case, actor=actor, unit=unit, note=note or f"派单至{unit.name}")
    for co_unit in co_units:
        if co_unit.pk != unit.pk and not case.case_units.filter(unit=co_unit, is_active=True).exists():
            case_services.case_add_co_unit(case=case, actor=actor, unit=co_unit)
    pending = _pending_return(ticket)
    if pending is not None:
        pending.status, pending.decided_by, pending.decided_at = (
            TicketReturn.Status.ACCEPTED,
            actor,
            timezone.now(),
        )
        pending.reassigned_to, pending.decision_note = unit, (note or "")[:300]
        pending.save(update_fields=["status", "decided_by", "decided_at", "reassigned_to", "decision_note"])
    ticket.signed_at = None  # the new unit signs for it itself
    ticket.save(update_fields=["signed_at", "updated_at"])
    audit.record(
        actor=actor, action="hotline.dispatched", target=ticket, before=before, after=_snapshot(ticket)
    )
    return ticket


@transaction.atomic
def ticket_sign(*, ticket: Ticket, actor: User) -> Ticket:
    """签收: the lead unit acknowledges the request and starts handling it."""
    if not permissions.can_handle(actor, ticket):
        raise PermissionDenied("只有承办单位可以签收该工单。")
    case = _require_case_open(ticket)
    if case.handling_unit_id == ticket.centre_id:
        raise ValidationError("该工单尚未派单，请等待12345中心派单。")
    if ticket.signed_at is not None:
        raise ValidationError(
            f"工单{ticket.reference}已于{timezone.localtime(ticket.signed_at):%Y-%m-%d %H:%M}签收。"
        )
    if _pending_return(ticket) is not None:
        raise ValidationError("本单位已申请退单，请等待12345中心审核。")
    case_services.case_advance(
        case=case, actor=actor, to_stage="handle", note=f"{case.handling_unit.name}签收"
    )
    ticket.signed_at = timezone.now()
    ticket.save(update_fields=["signed_at", "updated_at"])
    audit.record(actor=actor, action="hotline.signed", target=ticket, after={"unit": case.handling_unit_id})
    return ticket


@transaction.atomic
def ticket_return(
    *, ticket: Ticket, actor: User, reason: str, suggested_unit: Unit | None = None
) -> TicketReturn:
    """退单: the lead unit says the request is not its duty; it goes to the centre's queue for review.

    The return is kept with the text, category and unit as a misroute for the routing model.
    """
    if not permissions.can_handle(actor, ticket):
        raise PermissionDenied("只有承办单位可以退单。")
    case = _require_case_open(ticket)
    if case.handling_unit_id == ticket.centre_id:
        raise ValidationError("该工单尚未派单，无需退单。")
    if _pending_return(ticket) is not None:
        raise ValidationError("该工单已申请退单，正在等待12345中心审核。")
    if len((reason or "").strip()) < MIN_REASON_CHARS:
        raise ValidationError(
            {
                "reason": f"请写明退单理由（不少于{MIN_REASON_CHARS}个字）：为何不属于本单位职责，依据是什么，应由谁办理。"
            }
        )
    if suggested_unit is not None and suggested_unit.pk == case.handling_unit_id:
        raise ValidationError({"suggested_unit": "建议承办单位不能是本单位。"})
    returned = TicketReturn.objects.create(
        ticket=ticket,
        unit=case.handling_unit,
        category=ticket.category,
        reason=reason.strip(),
        suggested_unit=suggested_unit,
        returned_by=actor,
        returned_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="hotline.returned",
        target=ticket,
        after={
            "unit": case.handling_unit_id,
            "suggested_unit": suggested_unit.pk if suggested_unit else None,
        },
    )
    return returned


@transaction.atomic
def return_reject(*, ticket_return: TicketReturn, actor: User, note: str) -> TicketReturn:
    """The centre finds the return unfounded: the unit keeps the request and must handle it."""
    ticket = ticket_return.ticket
    if not permissions.can_dispatch(actor, ticket):
        raise PermissionDenied("只有12345中心可以审核退单。")
    if ticket_return.status != TicketReturn.Status.PENDING:
        raise ValidationError("该退单已审核。")
    if len((note or "").strip()) < 5:
        raise ValidationError(
            {"note": "请写明驳回理由（不少于5个字），如该事项在派单目录或权责清单中的依据。"}
        )
    ticket_return.status, ticket_return.decided_by = TicketReturn.Status.REJECTED, actor
    ticket_return.decided_at, ticket_return.decision_note = timezone.now(), note.strip()[:300]
    ticket_return.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor=actor, action="hotline.return_rejected", target=ticket, after={"return": ticket_return.pk}
    )
    return ticket_return


def _topic_words(ticket: Ticket) -> list[str]:
    return [ticket.category.name, *ticket.category.keyword_list()]


@transaction.atomic
def reply_submit(*, ticket: Ticket, actor: User, text: str, actions: str, contacted_caller: bool) -> Reply:
    """答复: the lead unit answers the caller and says what it did; the case is closed and its clock
    stops here. Replies that say nothing are refused; doubtful ones are flagged for the centre."""
    if not permissions.can_handle(actor, ticket):
        raise PermissionDenied("只有承办单位可以答复该工单。")
    case = _require_case_open(ticket)
    if _pending_return(ticket) is not None:
        raise ValidationError("本单位已申请退单，请等待12345中心审核后再答复。")
    if ticket.signed_at is None:
        raise ValidationError("请先签收工单再答复。")
    errors = rules.reply_errors(text=text, actions=actions)
    if errors:
        grouped: dict[str, list[str]] = {}
        for finding in errors:
            grouped.setdefault(finding.field, []).append(finding.message)
        raise ValidationError(grouped)
    flags = quality.reply_flags(
        text=text,
        actions=actions,
        contacted_caller=contacted_caller,
        content=ticket.content,
        topic_words=_topic_words(ticket),
    )
    reply = Reply.objects.create(
        ticket=ticket,
        unit=case.handling_unit,
        text=text.strip(),
        actions=actions.strip(),
        contacted_caller=contacted_caller,
        replied_at=timezone.now(),
        replied_by=actor,
        review_flags=[{"code": f.code, "message": f.message} for f in flags],
    )
    case_services.case_close(
        case=case, actor=actor, note=f"答复来电人：{reply.text}\n办理情况：{reply.actions}"
    )
    audit.record(
        actor=actor,
        action="hotline.replied",
        target=ticket,
        after={"reply": reply.pk, "flags": [f.code for f in flags], "contacted_caller": contacted_caller},
    )
    return reply


@transaction.atomic
def callback_record(
    *, ticket: Ticket, actor: User, satisfaction: str, resolution: str, note: str = ""
) -> Callback:
    """回访: the centre asks the caller whether it was solved and whether they are satisfied.

    不满意 or 未解决 opens a reopen request (重办申请) for the centre to decide.
    """
    if not permissions.can_callback(actor, ticket):
        raise PermissionDenied("只有12345中心可以回访。")
    reply = (
        Reply.objects.filter(ticket_id=ticket.merged_into_id or ticket.pk)
        .order_by("-replied_at", "-id")
        .first()
    )
    if reply is None:
        raise ValidationError("承办单位尚未答复，答复后再回访。")
    if ticket.callbacks.filter(called_at__gte=reply.replied_at).exists():
        raise ValidationError("该答复已经回访过。")
    if satisfaction not in Callback.Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意度：满意、基本满意、不满意或未接通。"})
    if resolution not in Callback.Resolution.values:
        raise ValidationError({"resolution": "请选择解决情况：已解决、部分解决、未解决或未评价。"})
    callback = Callback.objects.create(
        ticket=ticket,
        reply=reply,
        satisfaction=satisfaction,
        resolution=resolution,
        note=(note or "").strip(),
        called_by=actor,
        called_at=timezone.now(),
    )
    reopen = ReopenRequest.objects.create(ticket=ticket, callback=callback) if callback.is_unhappy else None
    audit.record(
        actor=actor,
        action="hotline.called_back",
        target=ticket,
        after={
            "satisfaction": satisfaction,
            "resolution": resolution,
            "reopen_request": reopen.pk if reopen else None,
        },
    )
    return callback


@transaction.atomic
def reopen_reject(*, request: ReopenRequest, actor: User, note: str) -> ReopenRequest:
    """The centre decides not to send the request back (e.g. the demand has no legal basis)."""
    if not permissions.can_callback(actor, request.ticket):
        raise PermissionDenied("只有12345中心可以审核重办申请。")
    if request.status != ReopenRequest.Status.PENDING:
        raise ValidationError("该重办申请已审核。")
    if len((note or "").strip()) < 5:
        raise ValidationError({"note": "请写明不予重办的理由（不少于5个字）。"})
    request.status, request.decided_by, request.decided_at = (
        ReopenRequest.Status.REJECTED,
        actor,
        timezone.now(),
    )
    request.decision_note = note.strip()[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor=actor, action="hotline.reopen_rejected", target=request.ticket, after={"request": request.pk}
    )
    return request


@transaction.atomic
def reopen_accept(*, request: ReopenRequest, actor: User, note: str = "") -> ReopenRequest:
    """重办: the centre sends the request back to the unit that answered it; the new deadline is the
    local handling limit counted from today, and the unit finds it among its open requests again."""
    ticket = request.ticket
    if not permissions.can_callback(actor, ticket):
        raise PermissionDenied("只有12345中心可以审核重办申请。")
    if request.status != ReopenRequest.Status.PENDING:
        raise ValidationError("该重办申请已审核。")
    root = ticket.merged_into or ticket  # a merged request was answered with its main one
    case = root.case
    if case is None:
        raise ValidationError(f"工单{root.reference}未派单，不能重办。")
    if case.status != Case.Status.CLOSED:
        raise ValidationError(f"工单{root.reference}正在办理中，无需重办。")
    callback = request.callback
    limit = handling_limit_for(root.category, root.request_type)
    note = (note or "").strip()
    case_services.case_reopen(
        case=case,
        actor=actor,
        reason=f"回访{callback.get_satisfaction_display()}、{callback.get_resolution_display()}"
        + (f"：{note}" if note else ""),
        period=limit.period if limit else "",
        to_stage="handle",
    )
    request.status, request.decided_by, request.decided_at = (
        ReopenRequest.Status.ACCEPTED,
        actor,
        timezone.now(),
    )
    request.decision_note = note[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor=actor,
        action="hotline.reopen_accepted",
        target=ticket,
        after={"request": request.pk, "case": case.pk, "due": case.due_date.isoformat()},
    )
    return request


def _check_merge_target(target: Ticket) -> None:
    if target.merged_into_id:
        raise ValidationError(
            {"merge_into": f"工单{target.reference}本身已并入{target.merged_into.reference}，请并入主工单。"}
        )
    if target.case_id is None or target.case.status == Case.Status.CLOSED:
        raise ValidationError({"merge_into": f"工单{target.reference}不在办理中，不能并入。"})


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User, note: str = "") -> Ticket:
    """并单: `source` is answered together with `target`. Both keep their histories; the answer to
    `target` reaches the caller of `source` (tracking page, callback).

    A dispatched source is closed by its own lead unit here (a unit merging a duplicate it holds);
    a source without a case (recorded by guidance) can be merged by the centre.
    """
    if source.pk == target.pk:
        raise ValidationError("不能把工单并入自身。")
    if source.merged_into_id:
        raise ValidationError(f"工单{source.reference}已并入{source.merged_into.reference}。")
    if source.merged.exists():
        raise ValidationError(f"已有工单并入{source.reference}，请把其他工单并入它，而不是反过来。")
    _check_merge_target(target)
    if source.case_id is None:
        if not permissions.can_callback(actor, source):
            raise PermissionDenied("只有12345中心可以并单。")
    else:
        if source.case.status == Case.Status.CLOSED:
            raise ValidationError(f"工单{source.reference}已办结，不能并单。")
        if not permissions.can_handle(actor, source):
            raise PermissionDenied(
                f"工单{source.reference}已交{source.case.handling_unit.name}办理，只有该单位可以把它并入其他工单。"
            )
        case_services.case_close(
            case=source.case,
            actor=actor,
            note=f"并单：与工单{target.reference}合并办理，答复一并告知来电人。{note}".strip(),
        )
    before = _snapshot(source)
    source.merged_into, source.merged_at, source.disposition = target, timezone.now(), Disposition.MERGED
    source.save(update_fields=["merged_into", "merged_at", "disposition", "updated_at"])
    audit.record(actor=actor, action="hotline.merged", target=source, before=before, after=_snapshot(source))
    return source


@transaction.atomic
def phone_reveal(*, ticket: Ticket, actor: User) -> str:
    """The caller's full number for someone who must call them; every look is on the audit trail."""
    if not permissions.can_reveal_phone(actor, ticket):
        raise PermissionDenied("您无权查看来电人完整号码。")
    audit.record(actor=actor, action="hotline.phone_revealed", target=ticket)
    return ticket.caller_phone


@transaction.atomic
def opinion_give(*, ticket: Ticket, actor: User, note: str):
    """协办意见: a co-handling unit (or the lead unit) writes on the case's timeline."""
    if not permissions.can_give_opinion(actor, ticket):
        raise PermissionDenied("只有主办或协办单位可以填写办理意见。")
    _require_case_open(ticket)
    return case_services.case_comment(case=ticket.case, actor=actor, note=note)


# --- the routing table and local limits (data the centre maintains) ------------------------------


def _require_rule_editor(actor: User) -> None:
    # The routing table and local limits are configuration like case types: the system
    # administrator keeps them in the admin; the centre and the supervisors may too.
    if not has_role(actor, Role.OPERATOR, Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有12345中心、法治督察人员或系统管理员可以维护派单规则和办理时限。")


@transaction.atomic
def routing_rule_save(
    *, actor: User, rule: RoutingRule, co_units: Sequence[Unit] | None = None
) -> RoutingRule:
    """Create or change a routing rule; the before/after of each change is on the audit trail."""
    _require_rule_editor(actor)
    errors = {}
    if not rule.name.strip():
        errors["name"] = "请填写规则名称。"
    if rule.lead_unit_id and not rule.lead_unit.is_active:
        errors["lead_unit"] = (
            f"{rule.lead_unit.name}已{rule.lead_unit.get_status_display()}，请改为其承继单位。"
        )
    if co_units and any(u.pk == rule.lead_unit_id for u in co_units):
        errors["co_units"] = "协办单位不能与主办单位相同。"
    if errors:
        raise ValidationError(errors)
    before = None
    if rule.pk:
        old = RoutingRule.objects.get(pk=rule.pk)
        before = _rule_snapshot(old)
    rule.save()
    if co_units is not None:
        rule.co_units.set(co_units)
    audit.record(
        actor=actor,
        action="hotline.routing_rule_saved",
        target=rule,
        before=before,
        after=_rule_snapshot(rule),
    )
    return rule


def _rule_snapshot(rule: RoutingRule) -> dict:
    return {
        "name": rule.name,
        "priority": rule.priority,
        "category": rule.category_id,
        "region": rule.region_id,
        "request_type": rule.request_type,
        "keywords": rule.keywords,
        "lead_unit": rule.lead_unit_id,
        "co_units": sorted(rule.co_units.values_list("pk", flat=True)) if rule.pk else [],
        "is_active": rule.is_active,
    }


@transaction.atomic
def handling_limit_save(*, actor: User, limit: HandlingLimit) -> HandlingLimit:
    _require_rule_editor(actor)
    errors = {}
    for name in ("period", "sign_period"):
        value = getattr(limit, name)
        if value:
            try:
                Period.parse(value)
            except ValueError as exc:
                errors[name] = str(exc)
    if limit.category_id and not limit.category.is_active:
        errors["category"] = "该分类已停用。"
    if errors:
        raise ValidationError(errors)
    before = None
    if limit.pk:
        old = HandlingLimit.objects.get(pk=limit.pk)
        before = {
            "category": old.category_id,
            "request_type": old.request_type,
            "period": old.period,
            "sign_period": old.sign_period,
        }
    limit.save()
    audit.record(
        actor=actor,
        action="hotline.handling_limit_saved",
        target=limit,
        before=before,
        after={
            "category": limit.category_id,
            "request_type": limit.request_type,
            "period": limit.period,
            "sign_period": limit.sign_period,
        },
    )
    return limit
