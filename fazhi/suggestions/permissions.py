"""Who may do what with a suggestion or a proposal.

Everything about handling is a question about the case (`cases.permissions`): the lead unit's
handlers reply and answer, co-handling units contribute. On top of that:

- 法治督察 (supervisors) register incoming 司法建议/检察建议 for any unit in their scope (the
  addressee unit may register one it received directly), and record a court's request for a
  further reply, which reopens the case;
- the assigning office (交办单位, a supervisor such as the 市政府督查室) registers and assigns
  人大建议/政协提案, decides misassignment returns, records the deputies' feedback and approves
  extensions;
- sessions and deputies/members are kept by supervisors and by the staff of 人大/政协 offices.
"""

from datetime import date

from django.utils import timezone

from fazhi.cases import permissions as case_permissions
from fazhi.cases.models import Case, CaseUnit
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import memberships_of, unit_scope

SUPERVISOR = frozenset({Role.SUPERVISOR})


def _supervises(user: User, unit: Unit) -> bool:
    return unit_scope(user, SUPERVISOR).contains(unit)


def can_register_suggestion(user: User, addressee: Unit) -> bool:
    return case_permissions.can_open_case(user, addressee)


def can_reply(user: User, case: Case) -> bool:
    return case_permissions.can_handle(user, case)


def can_record_for_unit(user: User, case: Case, day: date) -> bool:
    """补录: a supervisor records what the unit did on an earlier day (a paper reply copied to the
    司法局, a register of past years); the engine marks the record as made on the unit's behalf."""
    return day < timezone.localdate() and _supervises(user, case.handling_unit)


def can_request_follow_up(user: User, case: Case) -> bool:
    return _supervises(user, case.handling_unit)


def can_assign_proposal(user: User, unit: Unit) -> bool:
    return _supervises(user, unit)


def assigning_unit_of(user: User) -> Unit | None:
    """The office the user assigns from: the unit of their supervisor membership."""
    return next((m.unit for m in memberships_of(user) if m.role == Role.SUPERVISOR), None)


def can_decide_return(user: User, case: Case) -> bool:
    return _supervises(user, case.handling_unit)


def can_record_feedback(user: User, case: Case) -> bool:
    return _supervises(user, case.handling_unit)


def can_disclose(user: User, case: Case) -> bool:
    return case_permissions.can_handle(user, case) or _supervises(user, case.handling_unit)


def can_manage_sessions(user: User) -> bool:
    """Supervisors, the staff of a 人大常委会/政协 office, and the system administrator (registers)."""
    return any(
        m.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)
        or (m.role in (Role.HANDLER, Role.UNIT_LEADER) and m.unit.kind == Unit.Kind.CONGRESS)
        for m in memberships_of(user)
    )


def contributing_unit(user: User, case: Case) -> Unit | None:
    """The lead unit if the user handles it, else the co-handling unit the user works for."""
    if case_permissions.can_handle(user, case):
        return case.handling_unit
    scope = unit_scope(user, case_permissions.HANDLING_ROLES)
    links = case.case_units.filter(role=CaseUnit.Role.CO, is_active=True).select_related("unit")
    return next((link.unit for link in links if scope.contains(link.unit)), None)
