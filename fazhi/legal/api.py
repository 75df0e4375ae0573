"""REST endpoints of 复议应诉, /api/v1/legal/: registers, case details, registration and figures.

Applicants and plaintiffs are shown as on the staff pages: organisations by name, citizens masked.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.cases.selectors import clock_of
from fazhi.legal import permissions, selectors, services
from fazhi.legal.models import Lawsuit, Reconsideration, ReconsiderationBody
from fazhi.org.models import Unit
from fazhi.org.permissions import CASEWORK_ROLES, unit_scope

router = Router(tags=["复议应诉"])


def _staff(request) -> None:
    if unit_scope(request.auth, CASEWORK_ROLES).empty:
        raise HttpError(403, "只有在岗工作人员可以查看复议应诉。")


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise HttpError(403, str(exc) or "无权操作。")
    if hasattr(exc, "error_dict"):
        raise HttpError(
            422, "；".join(f"{field}：{'；'.join(msgs)}" for field, msgs in exc.message_dict.items())
        )
    raise HttpError(422, "；".join(exc.messages))


class ReconsiderationOut(Schema):
    id: int
    number: str
    applicant: str
    applicant_kind: str
    respondent_id: int
    respondent: str
    act_name: str
    act_category: str
    received_at: datetime
    acceptance: str
    accepted_on: date | None
    procedure: str
    stage: str | None
    review_due: date
    copy_due: date | None
    answer_due: date | None
    due_date: date
    clock: str
    outcome: str
    outcome_article: str
    decided_on: date | None


class ReconsiderationDetailOut(ReconsiderationOut):
    claims: str
    channel: str
    correction_due: date | None
    copy_served_on: date | None
    answer_received_on: date | None
    outcome_ground: str
    remake_ordered: bool
    documents: list[dict]


class ReconsiderationIn(Schema):
    body_id: int | None = None
    respondent_id: int
    received_at: datetime
    channel: str
    applicant_kind: str
    applicant_name: str = ""
    applicant_org: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    act_name: str
    act_number: str = ""
    act_category: str
    act_date: date | None = None
    known_on: date | None = None
    claims: str
    facts: str = ""


def _reconsideration_out(rec: Reconsideration) -> dict:
    case = rec.case
    return {
        "id": rec.pk,
        "number": case.number,
        "applicant": rec.applicant_display,
        "applicant_kind": rec.applicant_kind,
        "respondent_id": rec.respondent_id,
        "respondent": rec.respondent.name,
        "act_name": rec.act_name,
        "act_category": rec.act_category,
        "received_at": case.received_at,
        "acceptance": rec.acceptance,
        "accepted_on": rec.accepted_on,
        "procedure": rec.procedure,
        "stage": case.stage.code if case.stage_id else None,
        "review_due": rec.review_due,
        "copy_due": rec.copy_due,
        "answer_due": rec.answer_due,
        "due_date": case.due_date,
        "clock": clock_of(case).state.value,
        "outcome": rec.outcome,
        "outcome_article": rec.article,
        "decided_on": rec.decided_on,
    }


@router.get("/reconsiderations", response=list[ReconsiderationOut], summary="行政复议案件（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def reconsideration_list(
    request,
    state: str = "",
    respondent: int | None = None,
    act_category: str = "",
    outcome: str = "",
    year: int | None = None,
):
    _staff(request)
    rows = selectors.reconsideration_list(
        request.auth,
        state=state,
        respondent=respondent,
        act_category=act_category,
        outcome=outcome,
        year=year,
    )
    return [_reconsideration_out(r) for r in rows[:10_000]]


@router.get("/reconsiderations/{int:rec_id}", response=ReconsiderationDetailOut, summary="行政复议案件详情")
def reconsideration_detail(request, rec_id: int):
    rec = selectors.reconsideration_get(request.auth, rec_id)
    documents = [
        {"kind": d.kind, "title": d.title, "number": d.number, "status": d.status, "issued_on": d.issued_on}
        for d in selectors.documents_of(rec.case_id)
    ]
    return {
        **_reconsideration_out(rec),
        "claims": rec.claims,
        "channel": rec.channel,
        "correction_due": rec.correction_due,
        "copy_served_on": rec.copy_served_on,
        "answer_received_on": rec.answer_received_on,
        "outcome_ground": rec.ground_label,
        "remake_ordered": rec.remake_ordered,
        "documents": documents,
    }


@router.post(
    "/reconsiderations", response={201: ReconsiderationOut}, summary="登记行政复议申请（行政复议机构）"
)
def reconsideration_create(request, payload: ReconsiderationIn):
    bodies = permissions.bodies_of(request.auth)
    if not bodies:
        raise HttpError(403, "只有行政复议机构的承办人员可以登记行政复议申请。")
    body = next((b for b in bodies if b.pk == payload.body_id), None) if payload.body_id else bodies[0]
    if body is None:
        body = ReconsiderationBody.objects.filter(pk=payload.body_id).first()
        if body is None:
            raise HttpError(422, "body_id：行政复议机构不存在。")
    respondent = Unit.objects.filter(pk=payload.respondent_id).first()
    if respondent is None:
        raise HttpError(422, "respondent_id：单位不存在。")
    data = payload.dict(exclude={"body_id", "respondent_id"})
    try:
        rec = services.reconsideration_register(actor=request.auth, body=body, respondent=respondent, **data)
    except (PermissionDenied, ValidationError) as exc:
        _raise(exc)
    return Status(201, _reconsideration_out(selectors.reconsideration_get(request.auth, rec.pk)))


class DefendantOut(Schema):
    unit_id: int
    unit: str
    role: str


class LawsuitOut(Schema):
    id: int
    number: str
    court: str
    court_number: str
    instance: str
    plaintiff: str
    act_name: str
    act_category: str
    filed_on: date
    defence_due: date
    defence_filed_on: date | None
    stage: str | None
    due_date: date
    clock: str
    judgment_type: str | None
    result: str
    appealed_by: str
    concluded_on: date | None
    appeal_of_id: int | None
    reconsideration_id: int | None


class AttendeeOut(Schema):
    name: str
    post: str
    capacity: str


class AttendanceOut(Schema):
    unit_id: int
    attendees: list[AttendeeOut]
    absence_reason: str
    suggestion_case_id: int | None


class HearingOut(Schema):
    kind: str
    held_at: datetime
    head_summoned: bool
    attendances: list[AttendanceOut]


class LawsuitDetailOut(LawsuitOut):
    defendants: list[DefendantOut]
    hearings: list[HearingOut]


def _lawsuit_out(s: Lawsuit) -> dict:
    return {
        "id": s.pk,
        "number": s.case.number,
        "court": s.court,
        "court_number": s.court_number,
        "instance": s.instance,
        "plaintiff": s.plaintiff_display,
        "act_name": s.act_name,
        "act_category": s.act_category,
        "filed_on": s.filed_on,
        "defence_due": s.defence_due,
        "defence_filed_on": s.defence_filed_on,
        "stage": s.case.stage.code if s.case.stage_id else None,
        "due_date": s.case.due_date,
        "clock": clock_of(s.case).state.value,
        "judgment_type": s.judgment_type.code if s.judgment_type_id else None,
        "result": s.result,
        "appealed_by": s.appealed_by,
        "concluded_on": s.concluded_on,
        "appeal_of_id": s.appeal_of_id,
        "reconsideration_id": s.reconsideration_id,
    }


@router.get("/lawsuits", response=list[LawsuitOut], summary="行政应诉案件（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def lawsuit_list(
    request, state: str = "", unit: int | None = None, instance: str = "", year: int | None = None
):
    _staff(request)
    rows = selectors.lawsuit_list(request.auth, state=state, unit=unit, instance=instance, year=year)
    return [_lawsuit_out(s) for s in rows[:10_000]]


@router.get("/lawsuits/{int:lawsuit_id}", response=LawsuitDetailOut, summary="应诉案件详情及出庭情况")
def lawsuit_detail(request, lawsuit_id: int):
    lawsuit = selectors.lawsuit_get(request.auth, lawsuit_id)
    hearings = [
        {
            "kind": h.kind,
            "held_at": h.held_at,
            "head_summoned": h.head_summoned,
            "attendances": [
                {
                    "unit_id": a.unit_id,
                    "attendees": [
                        {"name": p.name, "post": p.post, "capacity": p.capacity} for p in a.attendees.all()
                    ],
                    "absence_reason": a.absence_reason,
                    "suggestion_case_id": a.suggestion_case_id,
                }
                for a in h.attendances.all()
            ],
        }
        for h in selectors.hearings_of(lawsuit)
    ]
    defendants = [
        {"unit_id": d.unit_id, "unit": d.unit.name, "role": d.role}
        for d in lawsuit.defendants.select_related("unit")
    ]
    return {**_lawsuit_out(lawsuit), "defendants": defendants, "hearings": hearings}


class FigureOut(Schema):
    code: str
    numerator: int
    denominator: int | None
    value: float | None


class FigureRowOut(Schema):
    key: str
    label: str
    figures: list[FigureOut]


class DefinitionOut(Schema):
    code: str
    name: str
    definition: str


class FiguresOut(Schema):
    start: date
    end: date
    group: str
    definitions: list[DefinitionOut]
    rows: list[FigureRowOut]


@router.get(
    "/figures/{kind}", response=FiguresOut, summary="复议应诉统计及口径（reconsideration / litigation）"
)
def figures(request, kind: str, start: date, end: date, group: str = ""):
    _staff(request)
    if kind == "reconsideration":
        groups, compute, definitions = (
            selectors.RECONSIDERATION_GROUPS,
            selectors.reconsideration_figures,
            selectors.reconsideration_definitions(),
        )
    elif kind == "litigation":
        groups, compute, definitions = (
            selectors.LITIGATION_GROUPS,
            selectors.litigation_figures,
            selectors.litigation_definitions(),
        )
    else:
        raise HttpError(404, "没有该类统计。")
    if group not in groups:
        raise HttpError(422, f"group：可选{'、'.join(g for g in groups if g)}或留空。")
    if end < start:
        raise HttpError(422, "end：截止日期不能早于起始日期。")
    rows = compute(request.auth, start=start, end=end, group=group)
    return {
        "start": start,
        "end": end,
        "group": group,
        "definitions": [{"code": d.code, "name": d.name, "definition": d.definition} for d in definitions],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "figures": [
                    {"code": code, "numerator": f.numerator, "denominator": f.denominator, "value": f.value}
                    for code, f in row.figures.items()
                ],
            }
            for row in rows
        ],
    }
