"""Who may do what in 行政复议 and 行政应诉.

The 行政复议机构's staff (handlers and leaders of a registered body's unit) register and run
reconsideration cases; its extension approver (the case type's role, by default 法治督察) approves
extensions and switches of procedure; a respondent's staff read the cases against their unit.
A lawsuit is run by its lead defendant's staff; co-defendants contribute through the engine.
"""

from fazhi.cases import permissions as case_permissions
from fazhi.cases.permissions import HANDLING_ROLES
from fazhi.legal.models import FollowUp, Lawsuit, Reconsideration, ReconsiderationBody
from fazhi.org.models import Unit, User
from fazhi.org.permissions import memberships_of, unit_scope


def bodies_of(user: User) -> list[ReconsiderationBody]:
    """The reconsideration bodies whose unit the user handles cases for."""
    unit_ids = {m.unit_id for m in memberships_of(user) if m.role in HANDLING_ROLES}
    if not unit_ids:
        return []
    return list(
        ReconsiderationBody.objects.filter(unit_id__in=unit_ids, is_active=True).select_related(
            "unit", "authority"
        )
    )


def can_register_reconsideration(user: User, body: ReconsiderationBody | None = None) -> bool:
    bodies = bodies_of(user)
    return bool(bodies) if body is None else any(b.pk == body.pk for b in bodies)


def can_handle_reconsideration(user: User, reconsideration: Reconsideration) -> bool:
    return case_permissions.can_handle(user, reconsideration.case)


def can_approve(user: User, reconsideration: Reconsideration) -> bool:
    """Extensions (第六十二条) and switching to 普通程序 (第五十五条) need the approver's sign-off."""
    return case_permissions.can_approve_extension(user, reconsideration.case)


def is_respondent_staff(user: User, reconsideration: Reconsideration) -> bool:
    return unit_scope(user, HANDLING_ROLES).contains(reconsideration.respondent)


def can_answer(user: User, reconsideration: Reconsideration) -> bool:
    """The respondent's handlers and leaders submit its answer (第四十八条) online."""
    return is_respondent_staff(user, reconsideration)


def can_issue_follow_up(user: User, reconsideration: Reconsideration, addressee: Unit) -> bool:
    """A 复议意见书 opens a case in the addressee's inbox, so the engine's rule for opening applies:
    in practice the body's 法治督察 (scope over the addressee), who also supervises the case."""
    if not case_permissions.can_open_case(user, addressee):
        return False
    return can_handle_reconsideration(user, reconsideration) or case_permissions.can_supervise(
        user, reconsideration.case
    )


def can_reply_follow_up(user: User, follow_up: FollowUp) -> bool:
    return case_permissions.can_handle(user, follow_up.case)


def can_register_lawsuit(user: User, defendant: Unit) -> bool:
    return case_permissions.can_open_case(user, defendant)


def can_handle_lawsuit(user: User, lawsuit: Lawsuit) -> bool:
    """The lead defendant's staff, and co-defendants' staff for what concerns their own unit."""
    return case_permissions.can_contribute(user, lawsuit.case)


def can_run_lawsuit(user: User, lawsuit: Lawsuit) -> bool:
    """Steps that move the lawsuit's clock (defence, judgment, conclusion): the lead defendant."""
    return case_permissions.can_handle(user, lawsuit.case)


def can_write_documents(
    user: User, reconsideration: Reconsideration, follow_up: FollowUp | None = None
) -> bool:
    """The case's clerk writes its documents; whoever may issue a 复议意见书 writes that one."""
    if follow_up is not None:
        return can_issue_follow_up(user, reconsideration, follow_up.addressee)
    return can_handle_reconsideration(user, reconsideration)
