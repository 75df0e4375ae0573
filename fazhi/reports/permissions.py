"""Who may use report review."""

from fazhi.org.models import ADMIN_ROLES, User
from fazhi.org.permissions import memberships_of


def can_review_reports(user: User) -> bool:
    """Any staff member with an active membership in a working role. The three administrators
    (三员: system, security, audit) keep to their separate duties and do not review reports."""
    return any(m.role not in ADMIN_ROLES for m in memberships_of(user))
