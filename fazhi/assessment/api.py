"""REST reads of 考核, /api/v1/assessment/: the cycles the caller takes part in, and a published
cycle's ranking with each visible deduction and the number of the record behind it."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from fazhi.assessment import selectors
from fazhi.assessment.models import AssessmentCycle

router = Router(tags=["考核"])


class CycleOut(Schema):
    id: int
    name: str
    year: int
    tree: str
    status: str
    submit_due: date
    appeal_due: date

    @staticmethod
    def resolve_tree(obj) -> str:
        return str(obj.tree)


class RankOut(Schema):
    rank: int
    unit: str
    total: Decimal
    lost: Decimal


class DeductionOut(Schema):
    unit: str
    indicator: str
    points: Decimal
    reason: str
    record: str
    status: str


class ResultsOut(Schema):
    cycle: CycleOut
    ranking: list[RankOut]
    deductions: list[DeductionOut]


@router.get("/cycles", response=list[CycleOut])
def cycle_list(request):
    return list(selectors.cycles_visible_to(request.user))


@router.get("/cycles/{pk}/results", response=ResultsOut)
def cycle_results(request, pk: int):
    cycle = get_object_or_404(selectors.cycles_visible_to(request.user), pk=pk)
    if cycle.status != AssessmentCycle.Status.PUBLISHED:
        raise HttpError(409, "考核结果尚未公布。")
    return {
        "cycle": cycle,
        "ranking": [
            {"rank": r.rank, "unit": r.unit.name, "total": r.total, "lost": r.lost}
            for r in selectors.results_visible_to(request.user, cycle)
        ],
        "deductions": [
            {
                "unit": d.unit.name,
                "indicator": f"{d.indicator.code} {d.indicator.name}",
                "points": d.points,
                "reason": d.reason,
                "record": d.case.number,
                "status": d.status,
            }
            for d in selectors.deductions_visible_to(request.user, cycle)
        ],
    }
