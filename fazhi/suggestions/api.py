"""REST endpoints of suggestions and proposals, /api/v1/suggestions/.

Reads start from the selectors (the caller's scope); writes call the same services as the pages.
Figures come with their 口径. The public answers need no token and carry no contact data.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.cases.selectors import clock_of
from fazhi.org.models import Unit
from fazhi.org.permissions import unit_scope
from fazhi.suggestions import selectors, services
from fazhi.suggestions.figures import DateRange
from fazhi.suggestions.models import Body, SuggestionKind
from fazhi.suggestions.views import public_text
from fazhi.suggestions.xlsx import moment

router = Router(tags=["司法建议、检察建议、代表建议、政协提案"])


def _raise(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise HttpError(403, str(exc) or "无权操作。")
    if hasattr(exc, "error_dict"):
        raise HttpError(422, "；".join(f"{field}：{'；'.join(m)}" for field, m in exc.message_dict.items()))
    raise HttpError(422, "；".join(exc.messages))


class CaseFields(Schema):
    id: int
    number: str
    title: str
    handling_unit: str
    received_at: datetime
    due_date: date
    status: str
    clock: str

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.case.title

    @staticmethod
    def resolve_handling_unit(obj) -> str:
        return obj.case.handling_unit.name

    @staticmethod
    def resolve_received_at(obj) -> datetime:
        return obj.case.received_at

    @staticmethod
    def resolve_due_date(obj) -> date:
        return obj.case.due_date

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.case.status

    @staticmethod
    def resolve_clock(obj) -> str:
        return clock_of(obj.case).state.value


class SuggestionOut(CaseFields):
    case_type: str
    kind: str
    issuer: str
    document_number: str
    urgent: bool
    period_source: str
    replied: bool
    adoption: str | None

    @staticmethod
    def resolve_case_type(obj) -> str:
        return obj.case.case_type.code

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.name


class ReplyOut(Schema):
    round: int
    adoption: str
    reasons: str
    measures: str
    text: str
    replied_on: date
    due_date: date
    on_time: bool


class SuggestionDetailOut(SuggestionOut):
    content: str
    replies: list[ReplyOut]

    @staticmethod
    def resolve_content(obj) -> str:
        return obj.case.description

    @staticmethod
    def resolve_replies(obj) -> list:
        return list(obj.replies.all())


class SuggestionIn(Schema):
    kind: str  # e.g. "public_interest"
    issuer_id: int
    addressee_id: int
    title: str
    content: str
    received_on: date | None = None
    document_number: str = ""
    issued_on: date | None = None
    urgent: bool = False
    stated_period: str = ""


class ReplyIn(Schema):
    adoption: str
    text: str
    reasons: str = ""
    measures: str = ""
    replied_on: date | None = None


class FigureOut(Schema):
    unit_id: int | None
    unit: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]


class DefinitionOut(Schema):
    key: str
    label: str
    definition: str


class FiguresOut(Schema):
    start: date | None
    end: date | None
    definitions: list[DefinitionOut]
    rows: list[FigureOut]
    total: FigureOut


def _figures(rows, total, tallies, ratios, dates: DateRange) -> dict:
    def out(row) -> dict:
        return {"unit_id": row.key, "unit": row.label, "counts": row.counts, "rates": row.rates}

    definitions = [{"key": t.key, "label": t.label, "definition": t.definition} for t in tallies]
    definitions += [{"key": r.key, "label": r.label, "definition": r.definition} for r in ratios]
    return {
        "start": dates.start,
        "end": dates.end,
        "definitions": definitions,
        "rows": [out(r) for r in rows],
        "total": out(total),
    }


def _year(year: int | None) -> DateRange:
    return DateRange.from_params({"year": str(year)} if year else {"year": "all"})


@router.get("/judicial", response=list[SuggestionOut], summary="司法建议、检察建议（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def judicial_list(
    request, state: str = "", unit: int | None = None, year: int | None = None, figure: str = ""
):
    return selectors.suggestions_list(
        request.auth, state=state, unit=unit, figure=figure, dates=_year(year) if year else None
    )


@router.get("/judicial/figures", response=FiguresOut, summary="回复率、按时回复率、采纳率（按承办单位）")
def judicial_figures(request, year: int | None = None, case_type: str = ""):
    if unit_scope(request.auth).empty:
        raise HttpError(403, "您没有查看办理情况的权限。")
    dates = _year(year)
    rows, total, tallies = selectors.judicial_figures(request.auth, dates=dates, case_type=case_type)
    return _figures(rows, total, tallies, selectors.JUDICIAL_RATIOS, dates)


@router.get("/judicial/{int:suggestion_id}", response=SuggestionDetailOut, summary="建议详情及回复")
def judicial_detail(request, suggestion_id: int):
    return selectors.suggestion_get(request.auth, suggestion_id)


@router.post("/judicial", response={201: SuggestionOut}, summary="登记司法建议、检察建议")
def judicial_create(request, payload: SuggestionIn):
    kind = SuggestionKind.objects.select_related("case_type").filter(code=payload.kind).first()
    issuer = Unit.objects.filter(pk=payload.issuer_id).first()
    addressee = Unit.objects.filter(pk=payload.addressee_id).first()
    if kind is None:
        raise HttpError(422, f"kind：没有代码为{payload.kind}的建议类别。")
    try:
        suggestion = services.suggestion_register(
            actor=request.auth,
            kind=kind,
            issuer=issuer,
            addressee=addressee,
            title=payload.title,
            content=payload.content,
            received_at=moment(payload.received_on) if payload.received_on else None,
            document_number=payload.document_number,
            issued_on=payload.issued_on,
            urgent=payload.urgent,
            stated_period=payload.stated_period,
        )
    except (PermissionDenied, ValidationError) as exc:
        _raise(exc)
    return Status(201, selectors.suggestion_get(request.auth, suggestion.pk))


@router.post("/judicial/{int:suggestion_id}/reply", response=SuggestionDetailOut, summary="书面回复")
def judicial_reply(request, suggestion_id: int, payload: ReplyIn):
    suggestion = selectors.suggestion_get(request.auth, suggestion_id)
    try:
        services.suggestion_reply(
            suggestion=suggestion,
            actor=request.auth,
            adoption=payload.adoption,
            text=payload.text,
            reasons=payload.reasons,
            measures=payload.measures,
            replied_on=payload.replied_on,
        )
    except (PermissionDenied, ValidationError) as exc:
        _raise(exc)
    return selectors.suggestion_get(request.auth, suggestion_id)


class ProposalOut(CaseFields):
    body: str
    session: str
    proposal_number: str
    lead_proposer: str
    group: str
    grade: str | None
    satisfaction: str | None
    answered: bool

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.session.body

    @staticmethod
    def resolve_session(obj) -> str:
        return obj.session.name

    @staticmethod
    def resolve_proposal_number(obj) -> str:
        return obj.number

    @staticmethod
    def resolve_lead_proposer(obj) -> str:
        return obj.lead_proposer.name

    @staticmethod
    def resolve_group(obj) -> str:
        return obj.lead_proposer.group


@router.get("/proposals", response=list[ProposalOut], summary="代表建议、政协提案（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def proposal_list(request, body: str = "", state: str = "", unit: int | None = None, year: int | None = None):
    return selectors.proposals_list(
        request.auth,
        body=body if body in Body.values else "",
        state=state,
        unit=unit,
        dates=_year(year) if year else None,
    )


@router.get("/proposals/figures", response=FiguresOut, summary="答复率、按期答复率、满意率（按主办单位）")
def proposal_figures(request, year: int | None = None, body: str = ""):
    if unit_scope(request.auth).empty:
        raise HttpError(403, "您没有查看办理情况的权限。")
    dates = _year(year)
    rows, total, tallies = selectors.proposal_figures(
        request.auth, dates=dates, body=body if body in Body.values else ""
    )
    return _figures(rows, total, tallies, selectors.PROPOSAL_RATIOS, dates)


@router.get("/proposals/{int:proposal_id}", response=ProposalOut, summary="代表建议、政协提案详情")
def proposal_detail(request, proposal_id: int):
    return selectors.proposal_get(request.auth, proposal_id)


class PublicAnswerOut(Schema):
    id: int
    session: str
    number: str
    title: str
    lead_proposer: str
    group: str
    unit: str
    answered_on: date
    grade: str
    text: str


@router.get(
    "/public/answers", auth=None, response=list[PublicAnswerOut], summary="公开的建议提案答复（无需登录）"
)
@paginate(LimitOffsetPagination)
def public_answers(request):
    return [
        {
            "id": a.pk,
            "session": a.proposal.session.name,
            "number": a.proposal.number,
            "title": a.proposal.case.title,
            "lead_proposer": a.proposal.lead_proposer.name,
            "group": a.proposal.lead_proposer.group,
            "unit": a.unit.name,
            "answered_on": a.answered_on,
            "grade": a.grade,
            "text": public_text(a.text),
        }
        for a in selectors.answers_public()[:1000]
    ]
