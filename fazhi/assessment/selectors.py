"""Reads of 考核, limited to what the user may see: supervisors see every unit in their scope,
a unit's staff only their own unit's submission, scores, deductions and results."""

from decimal import Decimal

from django.db.models import QuerySet, Sum

from fazhi.assessment import permissions
from fazhi.assessment.models import (
    Appeal,
    AssessmentCycle,
    Deduction,
    Indicator,
    IndicatorTree,
    Rectification,
    Result,
    Score,
)
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import unit_scope


def trees_visible_to(user: User) -> QuerySet[IndicatorTree]:
    if not permissions.can_view_trees(user):
        return IndicatorTree.objects.none()
    return IndicatorTree.objects.all()


def _units_in_view(user: User) -> QuerySet[Unit]:
    supervised = unit_scope(user, {Role.SUPERVISOR})
    if supervised.all:
        return Unit.objects.all()
    scopes = [scope for scope in (supervised, unit_scope(user, permissions.UNIT_ROLES)) if not scope.empty]
    if not scopes:
        return Unit.objects.none()
    condition = scopes[0].q()
    for scope in scopes[1:]:
        condition |= scope.q()
    return Unit.objects.filter(condition)


def cycles_visible_to(user: User) -> QuerySet[AssessmentCycle]:
    if permissions.can_manage(user):
        return AssessmentCycle.objects.select_related("tree")
    units = _units_in_view(user)
    return AssessmentCycle.objects.filter(units__in=units).distinct().select_related("tree")


def units_visible_in(user: User, cycle: AssessmentCycle) -> QuerySet[Unit]:
    return cycle.units.filter(pk__in=_units_in_view(user).values("pk")).order_by("sort_order", "id")


def tree_outline(tree: IndicatorTree) -> list[Indicator]:
    return list(tree.indicators.select_related("rule", "parent").order_by("order", "id"))


def deductions_visible_to(user: User, cycle: AssessmentCycle) -> QuerySet[Deduction]:
    return (
        Deduction.objects.filter(cycle=cycle, unit__in=units_visible_in(user, cycle))
        .select_related("unit", "indicator", "case", "case__case_type", "appeal", "rectification__case")
        .order_by("unit__sort_order", "unit_id", "indicator__order", "id")
    )


def appeals_pending(cycle: AssessmentCycle) -> QuerySet[Appeal]:
    return Appeal.objects.filter(deduction__cycle=cycle, decision=Appeal.Decision.PENDING).select_related(
        "deduction__unit", "deduction__indicator", "deduction__case", "submitted_by"
    )


def results_visible_to(user: User, cycle: AssessmentCycle) -> QuerySet[Result]:
    """Published ranking: the whole list is the 通报, so every unit in the cycle sees all of it."""
    if not permissions.can_manage(user) and (
        cycle.status != AssessmentCycle.Status.PUBLISHED or not units_visible_in(user, cycle).exists()
    ):
        return Result.objects.none()
    return cycle.results.select_related("unit").order_by("rank", "unit__sort_order", "unit_id")


def unit_scores(cycle: AssessmentCycle, unit: Unit) -> list[tuple[Indicator, Score | None]]:
    scores = {
        s.indicator_id: s for s in Score.objects.filter(cycle=cycle, unit=unit).select_related("reviewer")
    }
    leaves = cycle.tree.indicators.filter(children__isnull=True).select_related("rule", "parent__parent")
    return [(leaf, scores.get(leaf.pk)) for leaf in leaves.order_by("order")]


def unit_total(cycle: AssessmentCycle, unit: Unit) -> Decimal:
    return Score.objects.filter(cycle=cycle, unit=unit).aggregate(total=Sum("points"))["total"] or Decimal(
        "0"
    )


def rectifications_visible_to(user: User, cycle: AssessmentCycle) -> QuerySet[Rectification]:
    return (
        Rectification.objects.filter(cycle=cycle, unit__in=units_visible_in(user, cycle))
        .select_related("unit", "indicator", "case", "deduction__case")
        .order_by("unit__sort_order", "unit_id", "indicator__order")
    )


def lost_points(cycle: AssessmentCycle, units: QuerySet[Unit] | None = None) -> dict[int, list[dict]]:
    """Per unit, every leaf where points were lost: how many, why, and the deductions (records)
    behind it — what the results page and the 通报 list, adding up to each unit's 失分."""
    scores = (
        Score.objects.filter(cycle=cycle).select_related("indicator").order_by("unit_id", "indicator__order")
    )
    if units is not None:
        scores = scores.filter(unit__in=units)
    deductions: dict[tuple[int, int], list[Deduction]] = {}
    for d in (
        Deduction.objects.filter(cycle=cycle, status=Deduction.Status.ACTIVE)
        .select_related("case")
        .order_by("id")
    ):
        deductions.setdefault((d.unit_id, d.indicator_id), []).append(d)
    lost: dict[int, list[dict]] = {}
    for score in scores:
        missing = score.indicator.max_score - score.points
        if missing <= 0:
            continue
        lost.setdefault(score.unit_id, []).append(
            {
                "indicator": score.indicator,
                "lost": missing,
                "score": score,
                "deductions": deductions.get((score.unit_id, score.indicator_id), []),
            }
        )
    return lost
