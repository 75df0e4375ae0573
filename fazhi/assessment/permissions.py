"""Who may do what in 考核: the 法治办 (supervisors) run cycles, keep trees and review; a unit's
own staff see and submit only their unit."""

from fazhi.assessment.models import AssessmentCycle
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import CASEWORK_ROLES, has_role, unit_scope

UNIT_ROLES = frozenset({Role.HANDLER, Role.UNIT_LEADER})


def can_manage(user: User) -> bool:
    """Keep indicator trees and run cycles: a supervisor whose scope is the whole jurisdiction."""
    return unit_scope(user, {Role.SUPERVISOR}).all


def can_view_trees(user: User) -> bool:
    return has_role(user, *CASEWORK_ROLES)


def can_review(user: User, cycle: AssessmentCycle) -> bool:
    return can_manage(user)


def can_submit(user: User, unit: Unit) -> bool:
    return unit_scope(user, UNIT_ROLES).contains(unit)


def can_view_unit(user: User, unit: Unit) -> bool:
    return unit_scope(user, {Role.SUPERVISOR}).contains(unit) or can_submit(user, unit)
