"""REST reads and writes of the case engine, /api/v1/cases/. Every read starts from a selector."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.cases import selectors, services
from fazhi.cases.models import CaseType
from fazhi.org.models import Unit

router = Router(tags=["案件引擎"])


class CaseTypeOut(Schema):
    code: str
    name: str
    legal_basis: str
    period: str
    max_extension: str
    number_format: str


class CaseOut(Schema):
    id: int
    number: str
    case_type: str
    title: str
    handling_unit_id: int
    handling_unit: str
    status: str
    stage: str | None
    received_at: datetime
    due_date: date
    clock: str
    closed_at: datetime | None


class TimelineOut(Schema):
    at: datetime
    actor: str | None
    action: str
    from_status: str
    to_status: str
    note: str


class CaseDetailOut(CaseOut):
    description: str
    timeline: list[TimelineOut]


class CaseIn(Schema):
    case_type: str
    title: str
    description: str = ""
    handling_unit_id: int
    co_unit_ids: list[int] = []
    received_at: datetime | None = None
    is_confidential: bool = False
    period: str = ""


def _case_out(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "case_type": case.case_type.code,
        "title": case.title,
        "handling_unit_id": case.handling_unit_id,
        "handling_unit": case.handling_unit.name,
        "status": case.status,
        "stage": case.stage.code if case.stage_id else None,
        "received_at": case.received_at,
        "due_date": case.due_date,
        "clock": selectors.clock_of(case).state.value,
        "closed_at": case.closed_at,
    }


def _service_errors(exc: ValidationError):
    raise HttpError(422, "；".join(exc.messages))


@router.get("/types", response=list[CaseTypeOut], summary="案件类型")
def case_types(request):
    return CaseType.objects.filter(is_active=True)


@router.get("/", response=list[CaseOut], summary="案件列表（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def case_list(request, status: str | None = None, case_type: str | None = None, overdue: bool = False):
    cases = selectors.cases_visible_to(request.auth).select_related("case_type", "handling_unit", "stage")
    if status:
        cases = cases.filter(status=status)
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    if overdue:
        cases = cases.filter(selectors.overdue_filter())
    return [_case_out(case) for case in cases.order_by("due_date", "id")[:10_000]]


@router.get("/{int:case_id}", response=CaseDetailOut, summary="案件详情及办理过程")
def case_detail(request, case_id: int):
    case = selectors.case_get(request.auth, case_id)
    timeline = [
        {
            "at": e.at,
            "actor": e.actor.display_name if e.actor_id else None,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note,
        }
        for e in case.timeline.select_related("actor")
    ]
    return {**_case_out(case), "description": case.description, "timeline": timeline}


@router.post("/", response={201: CaseOut}, summary="登记案件")
def case_create(request, payload: CaseIn):
    case_type = get_object_or_404(CaseType, code=payload.case_type)
    unit = get_object_or_404(Unit, pk=payload.handling_unit_id)
    co_units = list(Unit.objects.filter(pk__in=payload.co_unit_ids))
    if len(co_units) != len(set(payload.co_unit_ids)):
        raise HttpError(422, "协办单位编号有误。")
    try:
        case = services.case_open(
            case_type=case_type,
            title=payload.title,
            description=payload.description,
            handling_unit=unit,
            co_units=co_units,
            actor=request.auth,
            received_at=payload.received_at,
            is_confidential=payload.is_confidential,
            period=payload.period,
        )
    except ValidationError as exc:
        _service_errors(exc)
    return Status(201, _case_out(case))
