"""REST endpoints of the 12345 hotline, /api/v1/hotline/: register, read, routing preview.

The caller's number never leaves the server in full here: reads give the masked form.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fazhi.hotline import permissions, routing, selectors, services
from fazhi.hotline.models import Category, Channel, Ticket
from fazhi.org.models import Region, Unit
from fazhi.org.selectors import is_staff_member

router = Router(tags=["12345热线"])


class UnitRef(Schema):
    id: int
    name: str


class CategoryRef(Schema):
    code: str
    name: str
    path: str


class TicketIn(Schema):
    content: str
    request_type: str
    category: str  # third-level category code, e.g. "010101"
    region: str  # region code, down to the community
    channel: str = Channel.API
    address: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    confidential: bool = False
    received_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = []
    triage_override: bool = False


class ReplyOut(Schema):
    unit: str
    text: str
    actions: str
    contacted_caller: bool
    replied_at: datetime


class TicketOut(Schema):
    id: int
    reference: str
    tracking_code: str
    disposition: str
    guidance: str
    request_type: str
    category: CategoryRef
    region: str
    channel: str
    confidential: bool
    caller_phone_masked: str
    received_at: datetime
    case_number: str | None
    status: str | None
    stage: str | None
    handling_unit: UnitRef | None
    due_date: date | None
    signed_at: datetime | None
    merged_into_id: int | None


class TicketDetailOut(TicketOut):
    content: str
    address: str
    replies: list[ReplyOut]


class RouteIn(Schema):
    text: str
    region: str | None = None  # region code
    category: str | None = None  # category code, when the operator has already chosen it
    request_type: str = ""


class LearnedOut(Schema):
    """What the active routing model alone says (before the routing table has its say)."""

    model_version: int
    category: CategoryRef | None
    category_confidence: float
    alternatives: list[CategoryRef]
    evidence: list[str]
    lead_unit: UnitRef | None
    unit_confidence: float


class RouteOut(Schema):
    category: CategoryRef | None
    category_confidence: float
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    confidence: float
    routable: bool
    source: str
    category_source: str
    reasons: list[str]
    learned: LearnedOut | None


def _category_ref(category: Category) -> dict:
    return {"code": category.code, "name": category.name, "path": category.full_name}


def _ticket_out(ticket: Ticket) -> dict:
    case = ticket.case
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "tracking_code": ticket.tracking_code,
        "disposition": ticket.disposition,
        "guidance": ticket.guidance,
        "request_type": ticket.request_type,
        "category": _category_ref(ticket.category),
        "region": ticket.region.code,
        "channel": ticket.channel,
        "confidential": ticket.confidential,
        "caller_phone_masked": "" if ticket.confidential else ticket.get_caller_phone_masked(),
        "received_at": ticket.received_at,
        "case_number": case.number if case else None,
        "status": case.status if case else None,
        "stage": case.stage.code if case and case.stage_id else None,
        "handling_unit": {"id": case.handling_unit_id, "name": case.handling_unit.name} if case else None,
        "due_date": case.due_date if case else None,
        "signed_at": ticket.signed_at,
        "merged_into_id": ticket.merged_into_id,
    }


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise HttpError(403, str(exc) or "无权操作。")
    if hasattr(exc, "error_dict"):
        raise HttpError(
            422, "；".join(f"{field}：{'；'.join(msgs)}" for field, msgs in exc.message_dict.items())
        )
    raise HttpError(422, "；".join(exc.messages))


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise HttpError(422, f"region：没有代码为{code}的行政区划。")
    return region


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    category = Category.objects.select_related("parent__parent").filter(code=code).first()
    if category is None:
        raise HttpError(422, f"category：没有代码为{code}的诉求分类。")
    return category


@router.post("/tickets", response={201: TicketOut}, summary="登记诉求（12345话务员）")
def ticket_create(request, payload: TicketIn):
    if not permissions.can_register(request.auth):
        raise HttpError(403, "只有12345话务员可以登记诉求。")
    lead_unit = Unit.objects.filter(pk=payload.lead_unit_id).first() if payload.lead_unit_id else None
    if payload.lead_unit_id and lead_unit is None:
        raise HttpError(422, "lead_unit_id：单位不存在。")
    co_units = list(Unit.objects.filter(pk__in=payload.co_unit_ids))
    if len(co_units) != len(set(payload.co_unit_ids)):
        raise HttpError(422, "co_unit_ids：协办单位编号有误。")
    try:
        ticket = services.ticket_register(
            actor=request.auth,
            content=payload.content,
            request_type=payload.request_type,
            category=_category(payload.category),
            region=_region(payload.region),
            channel=payload.channel,
            address=payload.address,
            caller_name=payload.caller_name,
            caller_phone=payload.caller_phone,
            confidential=payload.confidential,
            received_at=payload.received_at,
            latitude=payload.latitude,
            longitude=payload.longitude,
            lead_unit=lead_unit,
            co_units=co_units,
            triage_override=payload.triage_override,
        )
    except (PermissionDenied, ValidationError) as exc:
        _raise(exc)
    return Status(201, _ticket_out(selectors.ticket_get(request.auth, ticket.pk)))


@router.get("/tickets/{int:ticket_id}", response=TicketDetailOut, summary="诉求详情（仅本人可见范围）")
def ticket_detail(request, ticket_id: int):
    ticket = selectors.ticket_get(request.auth, ticket_id)
    replies = [
        {
            "unit": r.unit.name,
            "text": r.text,
            "actions": r.actions,
            "contacted_caller": r.contacted_caller,
            "replied_at": r.replied_at,
        }
        for r in selectors.replies_for(ticket)
    ]
    return {**_ticket_out(ticket), "content": ticket.content, "address": ticket.address, "replies": replies}


@router.post("/route", response=RouteOut, summary="派单建议：分类、主办单位和置信度")
def route(request, payload: RouteIn):
    if not is_staff_member(request.auth):
        raise HttpError(403, "只有在岗工作人员可以使用派单建议。")
    suggestion = routing.suggest_route(
        text=payload.text,
        region=_region(payload.region),
        category=_category(payload.category),
        request_type=payload.request_type,
    )
    return {
        "category": _category_ref(suggestion.category) if suggestion.category else None,
        "category_confidence": suggestion.category_confidence,
        "lead_unit": {"id": suggestion.lead_unit.pk, "name": suggestion.lead_unit.name}
        if suggestion.lead_unit
        else None,
        "co_units": [{"id": u.pk, "name": u.name} for u in suggestion.co_units],
        "confidence": suggestion.confidence,
        "routable": suggestion.routable,
        "source": suggestion.source,
        "category_source": suggestion.category_source,
        "reasons": suggestion.reasons,
        "learned": _learned_out(suggestion.learned),
    }


def _learned_out(learned) -> dict | None:
    if learned is None:
        return None
    return {
        "model_version": learned.version,
        "category": _category_ref(learned.category) if learned.category else None,
        "category_confidence": round(learned.category_confidence, 3),
        "alternatives": [_category_ref(c) for c, _ in learned.alternatives],
        "evidence": list(learned.evidence),
        "lead_unit": {"id": learned.lead_unit.pk, "name": learned.lead_unit.name}
        if learned.lead_unit
        else None,
        "unit_confidence": round(learned.unit_confidence, 3),
    }
