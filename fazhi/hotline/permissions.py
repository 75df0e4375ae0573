"""Who may do what with a 12345 request.

The 12345 centre (operators) registers, dispatches, reviews returns and calls back; the lead
unit's handlers sign, return and reply; co-handling units give opinions through the case
engine. Everything about a dispatched request is also a question about its case.
"""

from fazhi.cases import permissions as case_permissions
from fazhi.cases.models import Case
from fazhi.hotline.models import Ticket
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import memberships_of, unit_scope

CENTRE_ROLES = frozenset({Role.OPERATOR})


def centre_of(user: User) -> Unit | None:
    """The 12345 centre the user answers calls for: the unit of their operator membership."""
    for membership in memberships_of(user):
        if membership.role in CENTRE_ROLES:
            return membership.unit
    return None


def can_register(user: User) -> bool:
    return centre_of(user) is not None


def _open(ticket: Ticket) -> bool:
    return ticket.case_id is not None and ticket.case.status != Case.Status.CLOSED


def can_dispatch(user: User, ticket: Ticket) -> bool:
    return ticket.case_id is not None and case_permissions.can_assign(user, ticket.case)


def can_handle(user: User, ticket: Ticket) -> bool:
    """Handlers of the lead unit (签收, 退单, 答复)."""
    return ticket.case_id is not None and case_permissions.can_handle(user, ticket.case)


def can_give_opinion(user: User, ticket: Ticket) -> bool:
    return ticket.case_id is not None and case_permissions.can_contribute(user, ticket.case)


def can_callback(user: User, ticket: Ticket) -> bool:
    unit = ticket.case.handling_unit if ticket.case_id else ticket.centre
    return unit_scope(user, CENTRE_ROLES).contains(unit)


def can_reveal_phone(user: User, ticket: Ticket) -> bool:
    """The full number, on an audited click: the lead unit's handler while the request is open and
    signed for (to contact the caller), and the centre for its callback. Never for a confidential
    request: the centre relays between the unit and a 举报人 on a three-way call."""
    if ticket.confidential or not ticket.caller_phone:
        return False
    if can_handle(user, ticket):
        return _open(ticket) and ticket.signed_at is not None
    return can_callback(user, ticket)
