"""REST reads of 人民调解, /api/v1/mediation/: disputes in the caller's scope (parties masked) and
the settlement figures with their 口径."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.cases.selectors import clock_of
from fazhi.mediation import selectors
from fazhi.org.permissions import unit_scope
from fazhi.suggestions.api import DefinitionOut
from fazhi.suggestions.figures import DateRange

router = Router(tags=["人民调解"])


class DisputeOut(Schema):
    id: int
    number: str
    title: str
    committee: str
    dispute_type: str
    source: str
    hotline_case: str | None
    received_at: datetime
    due_date: date
    clock: str
    outcome: str
    concluded_on: date | None
    confirmation_deadline: date | None

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.case.title

    @staticmethod
    def resolve_committee(obj) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_hotline_case(obj) -> str | None:
        return obj.hotline_case.number if obj.hotline_case_id else None

    @staticmethod
    def resolve_received_at(obj) -> datetime:
        return obj.case.received_at

    @staticmethod
    def resolve_due_date(obj) -> date:
        return obj.case.due_date

    @staticmethod
    def resolve_clock(obj) -> str:
        return clock_of(obj.case).state.value


class PartyOut(Schema):
    role: str
    name_masked: str

    @staticmethod
    def resolve_name_masked(obj) -> str:
        return obj.get_name_masked()


class DisputeDetailOut(DisputeOut):
    description: str
    parties: list[PartyOut]

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.case.description

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())


class GroupOut(Schema):
    id: int | None
    name: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]


class FiguresOut(Schema):
    group: str
    start: date | None
    end: date | None
    definitions: list[DefinitionOut]
    rows: list[GroupOut]
    total: GroupOut


@router.get("/disputes", response=list[DisputeOut], summary="调解案件（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def dispute_list(request, committee: int | None = None, state: str = "", year: int | None = None):
    dates = DateRange.from_params({"year": str(year)}) if year else None
    return selectors.disputes_list(request.auth, committee=committee, state=state, dates=dates)


@router.get("/disputes/{int:dispute_id}", response=DisputeDetailOut, summary="调解案件详情（当事人脱敏）")
def dispute_detail(request, dispute_id: int):
    return selectors.dispute_get(request.auth, dispute_id)


@router.get("/figures", response=FiguresOut, summary="受理、调结、调处率、调处成功率")
def figures(request, year: int | None = None, group: str = "committee"):
    if unit_scope(request.auth).empty:
        raise HttpError(403, "您没有查看调处情况的权限。")
    group = group if group in selectors.GROUPS else "committee"
    dates = DateRange.from_params({"year": str(year) if year else "all"})
    rows, total, tallies = selectors.figures(request.auth, dates=dates, group=group)

    def out(row) -> dict:
        return {"id": row.key, "name": row.label, "counts": row.counts, "rates": row.rates}

    definitions = [{"key": t.key, "label": t.label, "definition": t.definition} for t in tallies]
    definitions += [{"key": r.key, "label": r.label, "definition": r.definition} for r in selectors.RATIOS]
    return {
        "group": group,
        "start": dates.start,
        "end": dates.end,
        "definitions": definitions,
        "rows": [out(r) for r in rows],
        "total": out(total),
    }
