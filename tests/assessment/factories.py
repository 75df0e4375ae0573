from datetime import date
from decimal import Decimal

from fazhi.assessment import services
from fazhi.assessment.models import AssessmentCycle, Indicator, ScoringRule
from fazhi.cases import services as case_services
from fazhi.cases.models import Case
from fazhi.org.models import Unit, User
from tests.cases.factories import at, open_case


def cycle(actor: User, tree, units: list[Unit], *, year: int = 2025, **kwargs) -> AssessmentCycle:
    kwargs.setdefault("submit_due", date(2026, 11, 30))
    kwargs.setdefault("appeal_due", date(2026, 12, 15))
    return services.cycle_open(actor=actor, tree=tree, year=year, units=units, **kwargs)


def late_filing(unit: Unit, handler: User, *, received=(2025, 3, 3), closed=(2025, 5, 6)) -> Case:
    """A 规范性文件备案 filed 30 days late: received in March, due in April, closed in May."""
    case = open_case(
        unit, code="normative_filing", received_at=at(*received), title="关于规范城市道路占用管理的通知"
    )
    return case_services.case_close(
        case=case, actor=handler, note="备案审查完成，予以登记。", closed_at=at(*closed)
    )


def leaf(tree, code: str) -> Indicator:
    return Indicator.objects.select_related("rule").get(tree=tree, code=code)


def evidence_leaves(tree) -> list[Indicator]:
    return list(Indicator.objects.filter(tree=tree, rule__kind=ScoringRule.Kind.EVIDENCE).order_by("order"))


def review_all(actor: User, c: AssessmentCycle, points: dict[tuple[int, str], Decimal] | None = None) -> None:
    """Score every evidence leaf of every unit: full marks unless `points` says otherwise."""
    points = points or {}
    for unit in c.units.all():
        for ind in evidence_leaves(c.tree):
            given = points.get((unit.pk, ind.code), ind.max_score)
            services.score_review(
                actor=actor,
                cycle=c,
                unit=unit,
                indicator=ind,
                points=given,
                comment="" if given == ind.max_score else "佐证材料不完整，缺少培训签到表。",
            )
