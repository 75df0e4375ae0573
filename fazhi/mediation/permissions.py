"""Who may do what in 人民调解.

A dispute is handled by the unit its committee works under (the 街道办事处 or 乡镇人民政府, where
the 司法所 guides the committees): its handlers register disputes, record sessions and outcomes
through the case engine. Committees and mediators are kept by that unit's leaders and by the
司法局's supervisors.
"""

from datetime import date

from django.utils import timezone

from fazhi.cases import permissions as case_permissions
from fazhi.mediation.models import Committee, Dispute
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import has_role, unit_scope

KEEPERS = frozenset({Role.SUPERVISOR, Role.UNIT_LEADER})


def can_register_dispute(user: User, committee: Committee) -> bool:
    return case_permissions.can_open_case(user, committee.unit)


def can_handle(user: User, dispute: Dispute) -> bool:
    return case_permissions.can_handle(user, dispute.case)


def can_record_for_unit(user: User, dispute: Dispute, day: date) -> bool:
    """补录: the 司法局 records an outcome the street reported on an earlier day (past registers)."""
    return day < timezone.localdate() and unit_scope(user, {Role.SUPERVISOR}).contains(
        dispute.case.handling_unit
    )


def can_keep_committees(user: User, unit: Unit) -> bool:
    """The 司法局's supervisors and the unit's leaders; the system administrator keeps registers."""
    return unit_scope(user, KEEPERS).contains(unit) or has_role(user, Role.SYSTEM_ADMIN)


def can_see_parties(user: User, dispute: Dispute) -> bool:
    """The full names and numbers of the parties: the handling unit's staff, who must reach them."""
    return can_handle(user, dispute)
