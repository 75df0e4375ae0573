"""Who may read which figures: the casework roles, over the units of their casework scope.

A leader with scope 全部 reads every unit and the whole government; a unit's staff read their
own unit (or subtree, by their membership). The records behind a figure are further limited by
each record's own selector (confidential matters stay hidden from leaders).
"""

from django.core.exceptions import PermissionDenied

from fazhi.metrics import compute
from fazhi.org.models import Unit, User
from fazhi.org.permissions import CASEWORK_ROLES, UnitScope, unit_scope

METRIC_ROLES = CASEWORK_ROLES


def can_view_metrics(user: User) -> bool:
    return not unit_scope(user, METRIC_ROLES).empty


def _reaches_subtree(scope: UnitScope, unit: Unit) -> bool:
    if scope.all or any(unit.path.startswith(path) for path in scope.subtree_paths):
        return True
    # a unit-only membership reaches a "subtree" that is just the unit itself
    return (
        unit.pk in scope.unit_ids
        and not Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).exists()
    )


def selection_for(user: User, *, unit: Unit | None = None, subtree: bool = False) -> UnitScope:
    """The units a figure covers: the asked unit (or its subtree) if the user reaches all of it;
    without a unit, everything the user reaches (the whole government for a leader)."""
    scope = unit_scope(user, METRIC_ROLES)
    if scope.empty:
        raise PermissionDenied("只有在岗的业务人员和领导可以查看指标。")
    if unit is None:
        return scope
    if subtree:
        if not _reaches_subtree(scope, unit):
            raise PermissionDenied(f"您无权查看{unit.name}及其下级单位的指标。")
        return compute.subtree(unit.path)
    if not scope.contains(unit):
        raise PermissionDenied(f"您无权查看{unit.name}的指标。")
    return compute.one_unit(unit.pk)
