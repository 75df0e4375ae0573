"""Who may act on a case, from memberships (role + scope) over its handling unit."""

from fazhi.cases.models import Case
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import memberships_of, unit_scope

OPENING_ROLES = frozenset({Role.SUPERVISOR, Role.OPERATOR, Role.HANDLER, Role.UNIT_LEADER})
HANDLING_ROLES = frozenset({Role.HANDLER, Role.UNIT_LEADER})
DISPATCH_ROLES = frozenset({Role.SUPERVISOR, Role.OPERATOR})
# Cockpit leaders see casework but not confidential matters (举报, 保密案件). The hotline centre's
# operators do: they register and re-dispatch them; the informant's number stays hidden on the ticket.
CONFIDENTIAL_ROLES = frozenset({Role.SUPERVISOR, Role.HANDLER, Role.UNIT_LEADER, Role.OPERATOR})


def can_open_case(user: User, unit: Unit) -> bool:
    return unit_scope(user, OPENING_ROLES).contains(unit)


def can_handle(user: User, case: Case) -> bool:
    """Handlers and leaders of the lead unit; and the dispatch centre's own operators for a case the
    centre holds itself (a consultation answered on the phone, a request waiting for dispatch)."""
    if unit_scope(user, HANDLING_ROLES).contains(case.handling_unit):
        return True
    return any(m.role == Role.OPERATOR and m.unit_id == case.handling_unit_id for m in memberships_of(user))


def can_contribute(user: User, case: Case) -> bool:
    """Lead or co-handling unit staff, and the dispatchers, may add opinions, notes and attachments."""
    if can_handle(user, case) or can_assign(user, case):
        return True
    scope = unit_scope(user, HANDLING_ROLES)
    return any(
        link.is_active and scope.contains(link.unit) for link in case.case_units.select_related("unit")
    )


def can_assign(user: User, case: Case) -> bool:
    return unit_scope(user, DISPATCH_ROLES).contains(case.handling_unit)


def can_supervise(user: User, case: Case) -> bool:
    return unit_scope(user, {Role.SUPERVISOR}).contains(case.handling_unit)


def can_approve_extension(user: User, case: Case) -> bool:
    return unit_scope(user, {case.case_type.extension_approver_role}).contains(case.handling_unit)
